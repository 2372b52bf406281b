/* One entry point to the accelerator cost models: the cost of a layer, and
 * of every layer of a network, on any architecture kind.  This is what the
 * commands (`partsim accel`, `explore`) and the pipeline simulation use, so
 * the analytic and the simulated paths share one set of cost functions.
 *
 *   row-stationary     accel/rowstat.h (NeuPart / CNNergy) + accel/rs_search.h;
 *                      with compat: cnnergy, accel/rs_cnnergy.h (the CNNergy code's model)
 *   weight-stationary  accel/wstat.h (Simba-like)
 *   roofline           accel/roofline.h
 *   measured           accel/measured.h (a measured_binding: the profile bound to the graph) */
#ifndef PARTSIM_ACCEL_ACCEL_H
#define PARTSIM_ACCEL_ACCEL_H

#include <stdbool.h>
#include <stdint.h>

#include "accel/arch.h"
#include "accel/cost.h"
#include "accel/layer.h"
#include "accel/measured.h"
#include "accel/rs_search.h"
#include "base/error.h"
#include "workloads/graph.h"
#include "workloads/sparsity.h"

typedef struct {
    int bits;         /* operand bit width; 0 = the architecture's */
    int64_t batch;    /* frames processed together; 0 = auto (NeuPart eq. (11)'s N) */
    /* Per graph node (one entry per node of the graph accel_network_cost
     * prices): that layer's batch, 0 = `batch`.  NULL: `batch` everywhere.
     * Borrowed; accel_batch_from_list fills one from a list. */
    const int64_t *node_batch;
    bool search;      /* search the mapping space (row-stationary only) */
    rs_search_objective objective;
} accel_opts;

typedef struct {
    layer_cost cost;       /* per frame */
    layer_cost rules;      /* when searched: the cost under CNNergy's rules */
    bool searched;
    long mappings_evaluated;
    int64_t batch;         /* frames per GLB fill the mapping uses (N); 0 when not applicable */
    char mapping[128];     /* one-line summary of the mapping, "" when none */
} accel_result;

/* Cost of layer `l` per frame.  `mb`: for a measured device, its profile
 * bound to the layer's graph (measured_bind); ignored (may be NULL) for the
 * analytic kinds.  Errors name the layer. */
int accel_layer_cost(const accel_arch *a, const measured_binding *mb, const accel_layer *l,
                     const accel_opts *o, accel_result *r, ps_error *err);

/* Every compute node of a graph in schedule order (graph->order without
 * constant-only nodes), with its accel_layer and result, and the totals. */
typedef struct {
    int n;
    accel_layer *layers;
    accel_result *results;
    layer_cost total;      /* sum over the layers, per frame */
    layer_cost rules_total;/* when searched: the rules' total */
} accel_network;

/* `sp` may be NULL (no sparsity); `mb` as for accel_layer_cost, bound to `g`. */
int accel_network_cost(const accel_arch *a, const measured_binding *mb, const graph *g,
                       const sparsity_table *sp, const accel_opts *o, accel_network *out,
                       ps_error *err);
void accel_network_free(accel_network *n);

/* Does accel_network_cost price node `node` as a conv / FC layer?  (What
 * a per-layer batch list counts.) */
bool accel_is_conv_or_fc(const graph *g, int node);

/* A per-layer batch list (`--batch 1,2,6,...`): values[k] for the k-th conv
 * / FC layer of `g` in schedule order, into node_batch (g->n_nodes entries,
 * 0 for the other nodes).  Errors: a count that is not the number of conv /
 * FC layers (the message names them), a value below 1. */
int accel_batch_from_list(const graph *g, const int64_t *values, int n, int64_t *node_batch,
                          ps_error *err);

#endif
