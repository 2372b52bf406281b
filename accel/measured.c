/* Measured devices: a profile bound to a graph, and the per-layer cost. */
#include "accel/measured.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/strmap.h"
#include "base/suggest.h"

/* A profile resolved to one graph.  It keeps its own copy of the rows, for
 * the costs and for messages that name a row. */
struct measured_binding {
    char *path;
    int n_rows;
    measured_row *rows;
    int n_nodes;
    int *row_of_node;  /* row index covering each node, -1 if none */
    double *share;     /* the node's fraction of its row */
};

static void free_rows(measured_row *rows, int n)
{
    for (int i = 0; rows && i < n; i++)
        free(rows[i].layer);
    free(rows);
}

void measured_profile_free(measured_profile *p)
{
    if (!p)
        return;
    free_rows(p->rows, p->n_rows);
    free(p->path);
    free(p);
}

void measured_binding_free(measured_binding *b)
{
    if (!b)
        return;
    free_rows(b->rows, b->n_rows);
    free(b->path);
    free(b->row_of_node);
    free(b->share);
    free(b);
}

/* A binding for g's nodes with a copy of p's rows, nothing covered yet. */
static measured_binding *binding_new(const measured_profile *p, const graph *g)
{
    measured_binding *b = calloc(1, sizeof *b);
    if (!b)
        return NULL;
    size_t nn = (size_t)g->n_nodes + 1;
    b->path = strdup(p->path ? p->path : "<profile>");
    b->rows = calloc((size_t)p->n_rows + 1, sizeof *b->rows);
    b->row_of_node = malloc(nn * sizeof *b->row_of_node);
    b->share = calloc(nn, sizeof *b->share);
    bool ok = b->path && b->rows && b->row_of_node && b->share;
    for (int i = 0; ok && i < p->n_rows; i++, b->n_rows++) {
        b->rows[i] = p->rows[i];
        ok = (b->rows[i].layer = strdup(p->rows[i].layer)) != NULL;
    }
    if (!ok) {
        measured_binding_free(b);
        return NULL;
    }
    for (int i = 0; i < g->n_nodes; i++)
        b->row_of_node[i] = -1;
    b->n_nodes = g->n_nodes;
    return b;
}

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
    const measured_binding *p;
    strmap nodes;       /* node name -> node index (the first of equal names) */
    int *pos;           /* schedule position of each node, -1 for constant-only nodes */
    int *at;            /* node at each schedule position */
    int n_pos;
} binder;

/* Resolve `name` (row `row`) to a schedule position, or fail naming it. */
static int resolve_name(binder *b, const measured_row *row, const char *name,
                        const char *range, int *pos, ps_error *err)
{
    const measured_binding *p = b->p;
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

static int bind_rows(binder *b, measured_binding *p, double idle_power_w, ps_error *err)
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
static int check_coverage(const binder *b, const measured_binding *p, ps_error *err)
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

int measured_bind(const measured_profile *prof, const graph *g, double idle_power_w,
                  measured_binding **out, ps_error *err)
{
    *out = NULL;
    measured_binding *p = binding_new(prof, g);
    binder b = {.g = g, .p = p, .nodes = STRMAP_INIT};
    size_t nn = (size_t)g->n_nodes + 1;
    b.pos = malloc(nn * sizeof *b.pos);
    b.at = malloc(nn * sizeof *b.at);
    int rc = 0;
    if (!p || !b.pos || !b.at || strmap_reserve(&b.nodes, (size_t)g->n_nodes))
        rc = error_set(err, PS_ERR_NOMEM, "out of memory");
    for (int i = 0; !rc && i < g->n_nodes; i++) {
        strmap_add(&b.nodes, g->nodes[i].name, i); /* reserved: cannot fail */
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
        measured_binding_free(p);
        return rc;
    }
    *out = p;
    return 0;
}

/* ---- cost ---- */

int measured_layer_cost(const accel_arch *a, const measured_binding *p, const accel_layer *l,
                        layer_cost *c, ps_error *err)
{
    memset(c, 0, sizeof *c);
    c->bound = BOUND_NONE;
    if (a->kind != ARCH_MEASURED)
        return error_set(err, PS_ERR_INTERNAL, "measured_layer_cost on a %s architecture",
                         arch_kind_name(a->kind));
    if (!p)
        return error_set(err, PS_ERR_INTERNAL, "architecture '%s': no measured profile bound "
                         "to the graph (measured_bind)", a->name);
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
