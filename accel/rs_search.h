/* Mapping search over the row-stationary mapping space: the parameters that
 * CNNergy fixes by rules (accel/rs_mapping.h), every valid choice under the
 * RF, GLB and PE-array capacities, evaluated with the same cost model
 * (rowstat_conv_cost) for one objective.  A separate function over the
 * three values architecture, layer and mapping (Timeloop's mapper, small).
 *
 * The space (per conv group; the relations are rs_mapping.c's):
 *   r_fold   1, or ceil(R/J)..R when R > J;  r_pe = ceil(R / r_fold)
 *            s_pass = floor(J / r_pe)                       NeuPart eq. (5)
 *   c_set    1..min(C, floor(I_s / S)); 1 when S > I_s (wide filter)
 *   sets     channel sets per filter group, 1..s_pass;
 *            z_i = min(C, c_set * sets)                     eq. (7)
 *   filter_groups 1..s_pass; f_pe 1..min(P_s, floor(f_s / (c_set S)))
 *            (1..P_s when S > f_s: the check does not test the filter RF)
 *            f_i = min(F, f_pe * filter_groups)
 *   group_par 1..groups; the groups side by side share the GLB
 *            (rs_mapping_glb_bytes)
 *   y_o      1..min(K, E);  y_i = (y_o - 1) U + r_pe        eq. (6)
 *   X_o      1..G;  X_i = (X_o - 1) Ux + S                  eq. (12)
 *   Y_o      multiples of y_o up to E, and E;  Y_i = min(H, (Y_o - 1) U + r_pe r_fold)
 *   N        1..batch, or 1..what the GLB holds when batch = 0   eq. (11)
 * keeping the mappings rs_mapping_check accepts.
 *
 * The search is exact over that space but does not evaluate all of it: it
 * uses the structure of the cost model (documented in rs_search.c) to skip
 * choices that cannot be better, and prunes subtrees by a lower bound (the
 * cost of a relaxed mapping).  tests/accel/test_rs_search.c checks it
 * against plain enumeration. */
#ifndef PARTSIM_ACCEL_RS_SEARCH_H
#define PARTSIM_ACCEL_RS_SEARCH_H

#include <stdint.h>

#include "accel/arch.h"
#include "accel/cost.h"
#include "accel/layer.h"
#include "accel/rs_mapping.h"
#include "base/error.h"

typedef enum { RS_SEARCH_ENERGY, RS_SEARCH_LATENCY, RS_SEARCH_EDP } rs_search_objective;

typedef struct {
    long evaluated; /* complete candidate mappings checked and costed */
    long valid;     /* of which rs_mapping_check accepted (all, unless a bug) */
    long bounds;    /* relaxed mappings costed to prune a subtree */
} rs_search_stats;

/* Best mapping of conv / FC layer `l` for the objective, processing `batch`
 * frames (0 = auto, as rowstat_layer_cost).  The rules' mapping is always a
 * candidate, so the result is never worse than the rules.  `best_cost` and
 * `st` may be NULL.  Errors like rs_mapping_rules, and for a layer that is not a
 * convolution or FC or an architecture that is not row-stationary. */
int rs_search(const accel_arch *a, const accel_layer *l, int bits, int64_t batch,
              rs_search_objective obj, rs_mapping *best, layer_cost *best_cost,
              rs_search_stats *st, ps_error *err);

/* The value the search minimises: energy_j, latency_s or their product. */
double rs_search_objective_value(rs_search_objective o, const layer_cost *c);

/* "energy" | "latency" | "edp": 0, or PS_ERR_INPUT for anything else (the
 * caller names the choices, RS_SEARCH_OBJECTIVES, in its message). */
#define RS_SEARCH_OBJECTIVES "energy, latency, edp"
int rs_search_parse_objective(const char *s, rs_search_objective *out);
const char *rs_search_objective_name(rs_search_objective o);

#endif
