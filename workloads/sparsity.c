#include "workloads/sparsity.h"

#include <stdlib.h>
#include <string.h>

#include "base/csv.h"
#include "base/suggest.h"

static bool op_in(const char *op, const char *const *list)
{
    for (; *list; list++)
        if (!strcmp(op, *list))
            return true;
    return false;
}

/* Walk the schedule and give every tensor not in `given` (may be NULL) its
 * default: ReLU outputs SPARSITY_DEFAULT_RELU, data-movement ops their data
 * input's value (given or not, so a measured value flows on through a
 * MaxPool or Concat), everything else 0. */
static void propagate(const graph *g, sparsity_table *t, const bool *given)
{
    static const char *const RELU[] = {"Relu", "LeakyRelu", "Clip", NULL};
    static const char *const MOVE[] = {"MaxPool", "Concat", "Flatten", "Reshape", "Pad",
                                       "Dropout", "Identity", "Split", "Transpose", "Squeeze",
                                       "Unsqueeze", "GlobalMaxPool", NULL};
    for (int i = 0; i < g->n_nodes; i++) {
        const graph_node *n = &g->nodes[g->order[i]];
        double s = 0.0;
        if (op_in(n->op, RELU)) {
            s = SPARSITY_DEFAULT_RELU;
        } else if (op_in(n->op, MOVE)) {
            /* the data input (first one) passes its zeros on */
            s = n->n_inputs > 0 ? sparsity_of(t, n->inputs[0]) : 0.0;
        }
        for (int k = 0; k < n->n_outputs; k++)
            if (n->outputs[k] >= 0 && !(given && given[n->outputs[k]]))
                t->by_tensor[n->outputs[k]] = s;
    }
}

int sparsity_defaults(const graph *g, sparsity_table *t, ps_error *err)
{
    t->n = g->n_tensors;
    t->by_tensor = calloc((size_t)g->n_tensors + 1, sizeof *t->by_tensor);
    if (!t->by_tensor)
        return error_set(err, PS_ERR_NOMEM, "out of memory");
    propagate(g, t, NULL);
    return 0;
}

/* A tensor name not in g: the message, with the closest tensor name. */
static int unknown_tensor(const csv_reader *r, const csv_row *row, int field, const graph *g,
                          ps_error *err)
{
    const char *name = row->field[field];
    suggest near;
    suggest_init(&near, name);
    for (int i = 0; i < g->n_tensors; i++)
        suggest_offer(&near, g->tensors[i].name);
    const char *best = suggest_result(&near);
    return csv_error(r, row, field, err, "tensor '%s' is not in the model %s%s%s%s", name,
                     g->source, best ? "; did you mean '" : "", best ? best : "",
                     best ? "'?" : "");
}

static int read_values(csv_reader *r, const graph *g, sparsity_table *t, bool *given,
                       ps_error *err)
{
    static const char *const COLUMNS[] = {"tensor", "sparsity", NULL};
    int col[2];
    int rc = csv_header(r, COLUMNS, NULL, NULL, col, err);
    if (rc)
        return rc;
    csv_row row;
    int got;
    while ((got = csv_next(r, &row, err)) == 1) {
        const char *name = row.field[col[0]];
        double v;
        if ((rc = csv_double(r, &row, col[1], "a fraction of zeros from 0 to 1", &v, err)))
            return rc;
        if (!(v >= 0.0 && v <= 1.0))
            return csv_error(r, &row, col[1], err, "sparsity of '%s' must be a number from 0 "
                             "to 1 (fraction of zeros), got '%s'", name, row.field[col[1]]);
        int ti = graph_find(g, name);
        if (ti < 0)
            return unknown_tensor(r, &row, col[0], g, err);
        t->by_tensor[ti] = v;
        given[ti] = true;
    }
    return got < 0 ? -got : 0;
}

int sparsity_load_csv(const graph *g, const char *path, sparsity_table *t, ps_error *err)
{
    csv_reader *r;
    int rc = csv_open(path, &r, err);
    if (rc)
        return rc;
    bool *given = calloc((size_t)g->n_tensors + 1, sizeof *given);
    if (!given)
        rc = error_set(err, PS_ERR_NOMEM, "out of memory");
    if (!rc)
        rc = read_values(r, g, t, given, err);
    if (!rc)
        propagate(g, t, given);
    free(given);
    csv_close(r);
    return rc;
}

void sparsity_free(sparsity_table *t)
{
    if (t) {
        free(t->by_tensor);
        t->by_tensor = NULL;
        t->n = 0;
    }
}
