/* Dispatch to the cost model of the architecture's kind. */
#include "accel/accel.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "accel/measured.h"
#include "accel/roofline.h"
#include "accel/rowstat.h"
#include "accel/rs_cnnergy.h"
#include "accel/wstat.h"

static int rowstat(const accel_arch *a, const accel_layer *l, const accel_opts *o, int bits,
                   accel_result *r, ps_error *err)
{
    rs_mapping m;
    if (rowstat_layer_cost(a, l, bits, o->batch, NULL, &r->cost, &m, err))
        return err->code;
    bool mapped = l->kind == LAYER_CONV || l->kind == LAYER_FC;
    if (mapped && o->search) {
        rs_search_stats st = {0};
        r->rules = r->cost;
        rs_mapping rules = m;
        if (rs_search(a, l, bits, o->batch, o->objective, &m, &r->cost, &st, err))
            return error_prefix(err, "layer '%s' (%s)", l->name, l->op);
        /* the search is exact over NeuPart's tiles (m = f_i); partsim's GLB
         * tile is then chosen for what it found, and the rules' mapping
         * (already tiled) kept when that is still better */
        rs_mapping tiled = m;
        layer_cost tc;
        rs_mapping_tile(a, &l->conv, bits, o->batch, rowstat_ifmap_dram_share(l, bits), &tiled);
        rowstat_conv_cost(a, l, bits, o->batch, &tiled, &tc);
        if (rs_search_objective_value(o->objective, &tc) <
            rs_search_objective_value(o->objective, &r->cost))
            m = tiled, r->cost = tc;
        if (rs_search_objective_value(o->objective, &r->rules) <=
            rs_search_objective_value(o->objective, &r->cost))
            m = rules, r->cost = r->rules;
        r->searched = true;
        r->mappings_evaluated = st.evaluated;
    }
    if (mapped) {
        r->batch = m.N;
        rs_mapping_summary(&m, r->mapping, sizeof r->mapping);
    }
    return 0;
}

/* compat: cnnergy: the CNNergy code's model, its rules only */
static int cnnergy(const accel_arch *a, const accel_layer *l, const accel_opts *o, int bits,
                   accel_result *r, ps_error *err)
{
    if (o->search)
        return error_set(err, PS_ERR_UNSUPPORTED, "architecture '%s' (compat: cnnergy): the "
                         "mapping search needs partsim's own row-stationary model; CNNergy "
                         "fixes the mapping by its rules", a->name);
    rs_cnnergy_result d;
    int rc = rs_cnnergy_layer_cost(a, l, bits, o->batch, &r->cost, &d, err);
    if (!rc && d.N > 0) { /* a conv / FC layer (d is zero for the others) */
        r->batch = d.N;
        rs_cnnergy_summary(&d, r->mapping, sizeof r->mapping);
    }
    return rc;
}

int accel_layer_cost(const accel_arch *a, const measured_binding *mb, const accel_layer *l,
                     const accel_opts *o, accel_result *r, ps_error *err)
{
    memset(r, 0, sizeof *r);
    int bits = o->bits > 0 ? o->bits : a->bits;
    switch (a->kind) {
    case ARCH_ROW_STATIONARY:
        if (a->compat == ARCH_COMPAT_CNNERGY)
            return cnnergy(a, l, o, bits, r, err);
        return rowstat(a, l, o, bits, r, err);
    case ARCH_WEIGHT_STATIONARY: {
        ws_mapping m;
        if (wstat_layer_cost(a, l, bits, o->batch, &r->cost, &m, err))
            return err->code;
        if (l->kind == LAYER_CONV || l->kind == LAYER_FC) {
            r->batch = m.n;
            wstat_mapping_summary(&m, r->mapping, sizeof r->mapping);
        }
        return 0;
    }
    case ARCH_ROOFLINE:
        return roofline_layer_cost(a, l, bits, o->batch, &r->cost, err);
    case ARCH_MEASURED:
        return measured_layer_cost(a, mb, l, &r->cost, err);
    }
    return error_set(err, PS_ERR_INTERNAL, "architecture '%s': unknown kind", a->name);
}

void accel_network_free(accel_network *n)
{
    free(n->layers);
    free(n->results);
    memset(n, 0, sizeof *n);
}

int accel_network_cost(const accel_arch *a, const measured_binding *mb, const graph *g,
                       const sparsity_table *sp, const accel_opts *o, accel_network *out,
                       ps_error *err)
{
    memset(out, 0, sizeof *out);
    out->layers = calloc((size_t)g->n_nodes + 1, sizeof *out->layers);
    out->results = calloc((size_t)g->n_nodes + 1, sizeof *out->results);
    if (!out->layers || !out->results) {
        accel_network_free(out);
        return error_set(err, PS_ERR_NOMEM, "out of memory");
    }
    for (int k = 0; k < g->n_nodes; k++) {
        int node = g->order[k];
        if (g->nodes[node].is_const)
            continue;
        accel_layer *l = &out->layers[out->n];
        accel_result *r = &out->results[out->n];
        accel_opts lo = *o;
        if (o->node_batch && o->node_batch[node] > 0)
            lo.batch = o->node_batch[node];
        if (layer_from_node(g, node, sp, l, err) || accel_layer_cost(a, mb, l, &lo, r, err)) {
            accel_network_free(out);
            return err->code;
        }
        cost_add(&out->total, &r->cost);
        cost_add(&out->rules_total, r->searched ? &r->rules : &r->cost);
        out->n++;
    }
    return 0;
}

bool accel_is_conv_or_fc(const graph *g, int node)
{
    accel_layer l;
    if (g->nodes[node].is_const || layer_from_node(g, node, NULL, &l, NULL))
        return false;
    return l.kind == LAYER_CONV || l.kind == LAYER_FC;
}

/* "conv1, conv2, ..., fc8": the conv / FC layers' names, the first few */
static void conv_fc_names(const graph *g, char *buf, size_t size)
{
    size_t len = 0;
    int listed = 0;
    buf[0] = 0;
    for (int k = 0; k < g->n_nodes && len + 1 < size; k++) {
        int node = g->order[k];
        if (!accel_is_conv_or_fc(g, node))
            continue;
        int w = listed < 8 ? snprintf(buf + len, size - len, "%s%s", listed ? ", " : "",
                                      g->nodes[node].name)
                           : snprintf(buf + len, size - len, ", ...");
        if (w < 0 || listed++ >= 8)
            break;
        len += (size_t)w;
    }
}

int accel_batch_from_list(const graph *g, const int64_t *values, int n, int64_t *node_batch,
                          ps_error *err)
{
    int layers = 0;
    for (int k = 0; k < g->n_nodes; k++)
        layers += accel_is_conv_or_fc(g, g->order[k]);
    if (n != layers) {
        char names[512];
        conv_fc_names(g, names, sizeof names);
        return error_set(err, PS_ERR_INPUT, "the batch list has %d value%s, the model has %d "
                         "conv / FC layer%s (%s): give one value per layer, in schedule order",
                         n, n == 1 ? "" : "s", layers, layers == 1 ? "" : "s", names);
    }
    memset(node_batch, 0, sizeof *node_batch * (size_t)g->n_nodes);
    for (int k = 0, i = 0; k < g->n_nodes; k++) {
        int node = g->order[k];
        if (!accel_is_conv_or_fc(g, node))
            continue;
        if (values[i] < 1)
            return error_set(err, PS_ERR_INPUT, "the batch list's value %d (layer '%s') is "
                             "%lld: a batch is a whole number from 1", i + 1,
                             g->nodes[node].name, (long long)values[i]);
        node_batch[node] = values[i++];
    }
    return 0;
}
