/* The per-layer batch CSV (platforms/batchfile.h). */
#include "platforms/batchfile.h"

#include <math.h>
#include <string.h>

#include "base/csv.h"
#include "base/suggest.h"

/* Node named `name`, or -1 with the message (and the closest layer name). */
static int find_node(const graph *g, const csv_reader *r, const csv_row *row, int field,
                     ps_error *err)
{
    const char *name = row->field[field];
    suggest near;
    suggest_init(&near, name);
    for (int i = 0; i < g->n_nodes; i++) {
        if (!strcmp(g->nodes[i].name, name)) {
            if (g->nodes[i].is_const) {
                csv_error(r, row, field, err, "node '%s' computes only constants: it is not "
                          "a layer and has no batch", name);
                return -1;
            }
            return i;
        }
        if (!g->nodes[i].is_const)
            suggest_offer(&near, g->nodes[i].name);
    }
    const char *best = suggest_result(&near);
    csv_error(r, row, field, err, "node '%s' is not in the model %s%s%s%s", name, g->source,
              best ? "; did you mean '" : "", best ? best : "", best ? "'?" : "");
    return -1;
}

static int read_rows(csv_reader *r, const graph *g, int64_t *node_batch, ps_error *err)
{
    static const char *const COLUMNS[] = {"node", "batch", NULL};
    int col[2];
    int rc = csv_header(r, COLUMNS, NULL, "'node,batch'", col, err);
    if (rc)
        return rc;
    csv_row row;
    int got;
    while ((got = csv_next(r, &row, err)) == 1) {
        double v;
        if ((rc = csv_double(r, &row, col[1], "a whole number of frames from 1", &v, err)))
            return rc;
        if (!(v >= 1 && v <= BATCHFILE_MAX && v == floor(v)))
            return csv_error(r, &row, col[1], err, "batch: expected a whole number of frames "
                             "from 1 to %d, got '%s'", BATCHFILE_MAX, row.field[col[1]]);
        int node = find_node(g, r, &row, col[0], err);
        if (node < 0)
            return err->code;
        if (node_batch[node])
            return csv_error(r, &row, col[0], err, "node '%s' is given twice",
                             row.field[col[0]]);
        node_batch[node] = (int64_t)v;
    }
    return got < 0 ? -got : 0;
}

int batchfile_load(const graph *g, const char *path, int64_t *node_batch, ps_error *err)
{
    memset(node_batch, 0, sizeof *node_batch * (size_t)g->n_nodes);
    csv_reader *r;
    int rc = csv_open(path, &r, err);
    if (rc)
        return rc;
    rc = read_rows(r, g, node_batch, err);
    csv_close(r);
    return rc;
}
