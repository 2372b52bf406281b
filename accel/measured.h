/* A measured device's cost model: per-layer latency and energy taken from
 * a profile measured on the real device instead of modelled.
 *
 * Three separate things:
 * - the description, in the architecture (accel/arch.h arch_measured: the
 *   profile's path and the idle power);
 * - the profile, a measured_profile value: the rows of the file as read by
 *   platforms/measuredfile.h (file formats are read in platforms/);
 * - the binding, a measured_binding: a profile resolved to the nodes of one
 *   graph, what measured_layer_cost prices layers with.  Whoever prices
 *   layers of a measured device holds the binding and passes it
 *   (accel_network_cost, sim/plan.c, cli/cmd_accel.c).
 *
 * Energy of a layer: (power - idle) x latency is the dynamic part
 * (energy[PART_MAC]), idle x latency the static part (PART_STATIC). */
#ifndef PARTSIM_ACCEL_MEASURED_H
#define PARTSIM_ACCEL_MEASURED_H

#include <stdbool.h>

#include "accel/arch.h"
#include "accel/cost.h"
#include "accel/layer.h"
#include "base/error.h"
#include "workloads/graph.h"

/* One row of a profile. */
typedef struct {
    char *layer;      /* as written: a node name or FIRST..LAST */
    int line;         /* in the file, for messages */
    double latency_s;
    double energy_j;  /* of the whole row: power_w x latency_s, or the energy_j column */
    double power_w;   /* average power over the row (energy_j / latency_s if so given) */
    bool from_power;  /* the file gave power_w (else energy_j) */
} measured_row;

typedef struct {
    char *path;       /* the file it was read from, for messages */
    int n_rows;
    measured_row *rows;
} measured_profile;

/* Frees the rows and p itself (as platforms/measuredfile.h allocates it);
 * NULL-safe. */
void measured_profile_free(measured_profile *p);

typedef struct measured_binding measured_binding; /* opaque */

/* Resolve the rows of `p` to the nodes of `g` on a device idling at
 * `idle_power_w`: a row covers a node, or FIRST..LAST the layers from FIRST
 * to LAST in schedule order (graph->order, constant-only nodes skipped; a
 * name that is itself a node name is never split at ".."), and a range's
 * latency and energy are split over its layers in proportion to their MACs
 * (operations for layers without MACs; evenly if all are zero).  Errors: a
 * name not in g (with "did you mean" the closest node name), a range whose
 * LAST runs before FIRST, a compute layer covered by no row (layout and
 * unmodelled layers may be absent: they then cost nothing), a layer covered
 * by two rows, a row whose power is below the idle power.  The binding
 * keeps what it needs: p may be freed afterwards.  On error *out is NULL. */
int measured_bind(const measured_profile *p, const graph *g, double idle_power_w,
                  measured_binding **out, ps_error *err);
void measured_binding_free(measured_binding *b); /* NULL-safe */

/* Cost of layer `l` (l->node indexes the bound graph's nodes) per frame on
 * ARCH_MEASURED device `a` under binding `b`: latency, cycles (latency x
 * clock_hz, when the clock is given) and energy come from the layer's row;
 * bound is BOUND_NONE, utilization and DRAM traffic are unknown (0).  A
 * layer no row covers costs nothing. */
int measured_layer_cost(const accel_arch *a, const measured_binding *b, const accel_layer *l,
                        layer_cost *c, ps_error *err);

#endif
