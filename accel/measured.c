/* Measured-device profiles: CSV reading, binding to a graph, per-layer cost. */
#include "accel/measured.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/csv.h"
#include "base/strmap.h"
#include "base/suggest.h"

typedef struct {
    char *layer;      /* as written: a node name or FIRST..LAST */
    int line;
    double latency_s;
    double energy_j;  /* of the whole row: power_w x latency_s, or the energy_j column */
    double power_w;   /* average power over the row (energy_j / latency_s if so given) */
    bool from_power;
} measured_row;

struct measured_profile {
    char *path;
    int n_rows, cap_rows;
    measured_row *rows;
    /* binding (measured_bind) */
    bool bound;
    int n_nodes;
    int *row_of_node;  /* row index covering each node, -1 if none */
    double *share;     /* the node's fraction of its row */
};

/* ---- reading the CSV (base/csv.h) ---- */

enum { COL_LAYER, COL_LATENCY, COL_POWER, COL_ENERGY, COL_KINDS };
static const char *const REQUIRED[] = {"layer", "latency_s", NULL};
static const char *const OPTIONAL[] = {"power_w", "energy_j", NULL};
static const char EXPECTED[] = "'layer,latency_s,power_w' (or energy_j instead of power_w; "
                               "columns named note or note_* are ignored)";

static int parse_header(csv_reader *r, int *col, ps_error *err)
{
    int rc = csv_header(r, REQUIRED, OPTIONAL, EXPECTED, col, err);
    if (rc)
        return rc;
    if (col[COL_POWER] < 0 && col[COL_ENERGY] < 0)
        return csv_error(r, NULL, -1, err, "missing header column 'power_w' (or 'energy_j'); "
                         "expected %s", EXPECTED);
    if (col[COL_POWER] >= 0 && col[COL_ENERGY] >= 0)
        return csv_error(r, NULL, -1, err, "both 'power_w' and 'energy_j' given; expected one "
                         "of them");
    return 0;
}

/* A number of `unit` (e.g. "a number of seconds") in column `name`, 0 or more. */
static int parse_number(const csv_reader *r, const csv_row *row, int field, const char *name,
                        const char *unit, double *v, ps_error *err)
{
    int rc = csv_double(r, row, field, unit, v, err);
    if (!rc && *v < 0)
        rc = csv_error(r, row, field, err, "%s must be 0 or more, got %s", name,
                       row->field[field]);
    return rc;
}

static int parse_row(const csv_reader *r, const csv_row *f, const int *col, measured_row *row,
                     ps_error *err)
{
    const char *name = f->field[col[COL_LAYER]];
    if (!name[0])
        return csv_error(r, f, col[COL_LAYER], err, "empty layer name; expected an ONNX node "
                         "name or FIRST..LAST");
    int rc = parse_number(r, f, col[COL_LATENCY], "latency_s", "a number of seconds",
                          &row->latency_s, err);
    if (rc)
        return rc;
    row->from_power = col[COL_POWER] >= 0;
    if (row->from_power) {
        rc = parse_number(r, f, col[COL_POWER], "power_w", "a number of watts", &row->power_w,
                          err);
        row->energy_j = row->power_w * row->latency_s;
    } else {
        rc = parse_number(r, f, col[COL_ENERGY], "energy_j", "a number of joules",
                          &row->energy_j, err);
        row->power_w = row->latency_s > 0 ? row->energy_j / row->latency_s : 0.0;
    }
    if (rc)
        return rc;
    row->line = f->line;
    row->layer = strdup(name);
    if (!row->layer)
        return error_set(err, PS_ERR_NOMEM, "out of memory");
    return 0;
}

static int append_row(measured_profile *p, const measured_row *row)
{
    if (p->n_rows == p->cap_rows) {
        int cap = p->cap_rows ? 2 * p->cap_rows : 32;
        measured_row *rows = realloc(p->rows, (size_t)cap * sizeof *rows);
        if (!rows)
            return -1;
        p->rows = rows;
        p->cap_rows = cap;
    }
    p->rows[p->n_rows++] = *row;
    return 0;
}

/* Duplicate rows: the same `layer` text twice. */
static int check_duplicates(const measured_profile *p, ps_error *err)
{
    strmap seen = STRMAP_INIT;
    int rc = 0;
    for (int i = 0; i < p->n_rows && !rc; i++) {
        int j = strmap_add(&seen, p->rows[i].layer, i);
        if (j < 0)
            rc = error_set(err, PS_ERR_NOMEM, "out of memory");
        else if (j != i)
            rc = error_set(err, PS_ERR_INPUT, "%s:%d: duplicate row for '%s' (first at line %d); "
                           "expected one row per layer or range", p->path, p->rows[i].line,
                           p->rows[i].layer, p->rows[j].line);
    }
    strmap_free(&seen);
    return rc;
}

static int load_rows(csv_reader *r, measured_profile *p, ps_error *err)
{
    int col[COL_KINDS];
    int rc = parse_header(r, col, err);
    if (rc)
        return rc;
    csv_row f;
    int got;
    while ((got = csv_next(r, &f, err)) == 1) {
        measured_row row = {0};
        if ((rc = parse_row(r, &f, col, &row, err)))
            return rc;
        if (append_row(p, &row)) {
            free(row.layer);
            return error_set(err, PS_ERR_NOMEM, "out of memory");
        }
    }
    if (got < 0)
        return -got;
    if (!p->n_rows)
        return csv_error(r, NULL, -1, err, "no rows after the header; expected one row per "
                         "layer or range");
    return check_duplicates(p, err);
}

int measured_load(const char *path, measured_profile **out, ps_error *err)
{
    *out = NULL;
    measured_profile *p = calloc(1, sizeof *p);
    if (!p || !(p->path = strdup(path))) {
        measured_free(p);
        return error_set(err, PS_ERR_NOMEM, "out of memory");
    }
    csv_reader *r;
    int rc = csv_open(path, &r, err);
    if (!rc) {
        csv_limit_row(r, MEASURED_LINE_MAX);
        rc = load_rows(r, p, err);
    }
    csv_close(r);
    if (rc) {
        measured_free(p);
        return rc;
    }
    *out = p;
    return 0;
}

static void unbind(measured_profile *p)
{
    free(p->row_of_node);
    free(p->share);
    p->row_of_node = NULL;
    p->share = NULL;
    p->n_nodes = 0;
    p->bound = false;
}

void measured_free(measured_profile *p)
{
    if (!p)
        return;
    unbind(p);
    for (int i = 0; i < p->n_rows; i++)
        free(p->rows[i].layer);
    free(p->rows);
    free(p->path);
    free(p);
}

int measured_row_count(const measured_profile *p) { return p ? p->n_rows : 0; }

/* ---- binding ---- */

/* The schedulable node whose name is closest to `name`, if any is close. */
static const char *closest_node(const graph *g, const char *name)
{
    suggest near;
    suggest_init(&near, name);
    for (int i = 0; i < g->n_nodes; i++) {
        const graph_node *n = &g->nodes[g->order[i]];
        if (!n->is_const)
            suggest_offer(&near, n->name);
    }
    return suggest_result(&near);
}

typedef struct {
    const graph *g;
    const measured_profile *p;
    strmap nodes;       /* node name -> node index (the first of equal names) */
    int *pos;           /* schedule position of each node, -1 for constant-only nodes */
    int *at;            /* node at each schedule position */
    int n_pos;
} binder;

/* Resolve `name` (row `row`) to a schedule position, or fail naming it. */
static int resolve_name(binder *b, const measured_row *row, const char *name,
                        const char *range, int *pos, ps_error *err)
{
    const measured_profile *p = b->p;
    char what[256] = "";
    if (range)
        snprintf(what, sizeof what, "range '%.200s': ", range);
    int node = strmap_find(&b->nodes, name);
    if (node < 0) {
        const char *near = closest_node(b->g, name);
        return error_set(err, PS_ERR_INPUT, "%s:%d: %slayer '%s' is not in the model %s%s%s%s",
                         p->path, row->line, what, name, b->g->source,
                         near ? "; did you mean '" : "", near ? near : "", near ? "'?" : "");
    }
    if (b->pos[node] < 0)
        return error_set(err, PS_ERR_INPUT, "%s:%d: %s'%s' only computes constants (folded at "
                         "load time); expected a layer that runs", p->path, row->line, what,
                         name);
    *pos = b->pos[node];
    return 0;
}

/* Schedule positions [first, last] a row covers. */
static int resolve_row(binder *b, const measured_row *row, int *first, int *last,
                       ps_error *err)
{
    const char *s = row->layer;
    if (strmap_find(&b->nodes, s) >= 0 || !strstr(s, "..")) {
        int rc = resolve_name(b, row, s, NULL, first, err);
        *last = *first;
        return rc;
    }
    /* FIRST..LAST: the first split whose two halves are node names, or
     * else the first split, to name what is missing */
    const char *dots = strstr(s, ".."), *split = dots;
    for (const char *d = dots; d; d = strstr(d + 1, "..")) {
        char *left = strndup(s, (size_t)(d - s));
        if (!left)
            return error_set(err, PS_ERR_NOMEM, "out of memory");
        bool both = strmap_find(&b->nodes, left) >= 0 &&
                    strmap_find(&b->nodes, d + 2) >= 0;
        free(left);
        if (both) {
            split = d;
            break;
        }
    }
    char *left = strndup(s, (size_t)(split - s));
    if (!left)
        return error_set(err, PS_ERR_NOMEM, "out of memory");
    int rc = resolve_name(b, row, left, s, first, err);
    if (!rc)
        rc = resolve_name(b, row, split + 2, s, last, err);
    if (!rc && *last < *first)
        rc = error_set(err, PS_ERR_INPUT, "%s:%d: range '%s' is backwards: '%s' runs before "
                       "'%s' in the schedule; expected FIRST..LAST in schedule order",
                       b->p->path, row->line, s, split + 2, left);
    free(left);
    return rc;
}

/* Share of a layer in its range: MACs, else operations. */
static int layer_weight(const graph *g, int node, double *w, ps_error *err)
{
    accel_layer l;
    int rc = layer_from_node(g, node, NULL, &l, err);
    *w = l.macs > 0 ? l.macs : l.ops;
    return rc;
}

static int bind_rows(binder *b, measured_profile *p, double idle_power_w, ps_error *err)
{
    for (int r = 0; r < p->n_rows; r++) {
        const measured_row *row = &p->rows[r];
        if (row->energy_j < idle_power_w * row->latency_s) {
            if (row->from_power)
                return error_set(err, PS_ERR_INPUT, "%s:%d: power_w of '%s' (%g W) is below "
                                 "the device's idle power (%g W); expected the whole device's "
                                 "average power while the layer runs", p->path, row->line,
                                 row->layer, row->power_w, idle_power_w);
            return error_set(err, PS_ERR_INPUT, "%s:%d: energy_j of '%s' (%g J) is below the "
                             "device's idle power x latency_s (%g W x %g s); expected the whole "
                             "device's energy", p->path, row->line, row->layer, row->energy_j,
                             idle_power_w, row->latency_s);
        }
        int first, last, rc = resolve_row(b, row, &first, &last, err);
        if (rc)
            return rc;
        double total = 0;
        for (int q = first; q <= last; q++) {
            int node = b->at[q];
            int prev = p->row_of_node[node];
            if (prev >= 0)
                return error_set(err, PS_ERR_INPUT, "%s:%d: layer '%s' is already covered by "
                                 "line %d ('%s'); expected each layer in one row", p->path,
                                 row->line, b->g->nodes[node].name, p->rows[prev].line,
                                 p->rows[prev].layer);
            p->row_of_node[node] = r;
            if ((rc = layer_weight(b->g, node, &p->share[node], err)))
                return rc;
            total += p->share[node];
        }
        /* a range is split by MACs (ops for layers without MACs), evenly if all are 0 */
        for (int q = first; q <= last; q++) {
            int node = b->at[q];
            p->share[node] = total > 0 ? p->share[node] / total : 1.0 / (double)(last - first + 1);
        }
    }
    return 0;
}

/* Every compute layer must be covered; layout and unmodelled layers may be absent. */
static int check_coverage(const binder *b, const measured_profile *p, ps_error *err)
{
    int missing = 0, first = -1;
    for (int q = 0; q < b->n_pos; q++) {
        int node = b->at[q];
        if (p->row_of_node[node] >= 0)
            continue;
        accel_layer l;
        int rc = layer_from_node(b->g, node, NULL, &l, err);
        if (rc)
            return rc;
        if (l.kind == LAYER_LAYOUT || l.kind == LAYER_OTHER)
            continue;
        if (first < 0)
            first = node;
        missing++;
    }
    if (first < 0)
        return 0;
    const graph_node *n = &b->g->nodes[first];
    if (missing > 1)
        return error_set(err, PS_ERR_INPUT, "%s: layer '%s' (%s) of %s has no row (and %d more "
                         "layers); expected a row '%s' or a range FIRST..LAST covering it",
                         p->path, n->name, n->op, b->g->source, missing - 1, n->name);
    return error_set(err, PS_ERR_INPUT, "%s: layer '%s' (%s) of %s has no row; expected a row "
                     "'%s' or a range FIRST..LAST covering it", p->path, n->name, n->op,
                     b->g->source, n->name);
}

int measured_bind(measured_profile *p, const graph *g, double idle_power_w, ps_error *err)
{
    unbind(p);
    binder b = {.g = g, .p = p, .nodes = STRMAP_INIT};
    size_t nn = (size_t)g->n_nodes + 1;
    b.pos = malloc(nn * sizeof *b.pos);
    b.at = malloc(nn * sizeof *b.at);
    p->row_of_node = malloc(nn * sizeof *p->row_of_node);
    p->share = calloc(nn, sizeof *p->share);
    int rc = 0;
    if (!b.pos || !b.at || !p->row_of_node || !p->share ||
        strmap_reserve(&b.nodes, (size_t)g->n_nodes))
        rc = error_set(err, PS_ERR_NOMEM, "out of memory");
    for (int i = 0; !rc && i < g->n_nodes; i++) {
        strmap_add(&b.nodes, g->nodes[i].name, i); /* reserved: cannot fail */
        p->row_of_node[i] = -1;
        b.pos[i] = -1;
    }
    for (int i = 0; !rc && i < g->n_nodes; i++) {
        int node = g->order[i];
        if (!g->nodes[node].is_const) {
            b.pos[node] = b.n_pos;
            b.at[b.n_pos++] = node;
        }
    }
    if (!rc)
        rc = bind_rows(&b, p, idle_power_w, err);
    if (!rc)
        rc = check_coverage(&b, p, err);
    strmap_free(&b.nodes);
    free(b.pos);
    free(b.at);
    if (rc) {
        unbind(p);
        return rc;
    }
    p->n_nodes = g->n_nodes;
    p->bound = true;
    return 0;
}

/* ---- cost ---- */

int measured_layer_cost(const accel_arch *a, const measured_profile *p, const accel_layer *l,
                        layer_cost *c, ps_error *err)
{
    memset(c, 0, sizeof *c);
    c->bound = BOUND_NONE;
    if (a->kind != ARCH_MEASURED)
        return error_set(err, PS_ERR_INTERNAL, "measured_layer_cost on a %s architecture",
                         arch_kind_name(a->kind));
    if (!p)
        p = a->u.meas.profile;
    if (!p || !p->bound)
        return error_set(err, PS_ERR_INTERNAL, "architecture '%s': measured profile %s", a->name,
                         p ? "used before measured_bind" : "not loaded");
    if (l->node < 0 || l->node >= p->n_nodes)
        return error_set(err, PS_ERR_INTERNAL, "layer '%s': node %d is not in the bound graph "
                         "(%d nodes)", l->name, l->node, p->n_nodes);
    c->macs = l->macs;
    c->macs_executed = l->macs;
    c->ops = l->ops;
    int r = p->row_of_node[l->node];
    if (r < 0)
        return 0; /* a layout layer the profile leaves out: no work */
    const measured_row *row = &p->rows[r];
    double share = p->share[l->node];
    double idle = a->u.meas.idle_power_w;
    c->latency_s = row->latency_s * share;
    double total_j = row->energy_j * share;
    c->energy[PART_STATIC] = idle * c->latency_s;
    c->energy[PART_MAC] = total_j - c->energy[PART_STATIC];
    if (c->energy[PART_MAC] < -1e-12 * total_j)
        return error_set(err, PS_ERR_INPUT, "%s:%d: the energy of '%s' is below the idle power "
                         "(%g W) of '%s' x its latency", p->path, row->line, row->layer, idle,
                         a->name);
    if (c->energy[PART_MAC] < 0)
        c->energy[PART_MAC] = 0; /* rounding */
    c->cycles = c->latency_s * a->clock_hz;
    c->compute_cycles = c->cycles;
    cost_total(c);
    return 0;
}
