/* Measured profile of a COTS device: per-layer (or per-partition) latency
 * and power measured on the real device, the way CNNParted measures its
 * edge node (PyTorch benchmark, median of many runs).  partsim takes such a
 * table as the device's cost instead of modelling it.
 *
 * CSV format (docs/ACCEL-DEVICES.md has an example and a PyTorch recipe):
 *
 *     layer,latency_s,power_w
 *     conv1,0.00125,9.5
 *     relu1..conv2,0.00210,8.7
 *
 * - A header line, then one row per layer or range.  Columns may come in any
 *   order: `layer` and `latency_s` are required, and exactly one of
 *   `power_w` (average device power while the layer runs, watts) or
 *   `energy_j` (energy of the whole row, joules).  Columns named `note` or
 *   `note_<anything>` are free text and ignored; any other column is an
 *   error, so that a wrong unit (`latency_ms`, `power_mw`) is never silently
 *   dropped.
 * - `layer` is an ONNX node name, or `FIRST..LAST`: the layers from FIRST to
 *   LAST in schedule order (graph->order, constant-only nodes skipped).  A
 *   name that is itself a node name is never split at "..".  A range's
 *   latency and energy are split over its layers in proportion to their
 *   MACs (operations for layers without MACs; evenly if all are zero).
 * - The syntax is base/csv.h's: fields may be double-quoted ("a,b" with ""
 *   for a quote, line breaks allowed); blanks around fields are ignored;
 *   blank lines and lines starting with '#' are skipped; LF or CRLF line
 *   ends, an optional UTF-8 byte-order mark; a row is at most
 *   MEASURED_LINE_MAX bytes.
 * - Energy of a layer: (power - idle) x latency is the dynamic part
 *   (energy[PART_MAC]), idle x latency the static part (PART_STATIC).
 *
 * Every error names file:line (and :column for a field) and what was
 * expected. */
#ifndef PARTSIM_ACCEL_MEASURED_H
#define PARTSIM_ACCEL_MEASURED_H

#include "accel/arch.h"
#include "accel/cost.h"
#include "accel/layer.h"
#include "base/error.h"
#include "workloads/graph.h"

#define MEASURED_LINE_MAX 4096

typedef struct measured_profile measured_profile; /* opaque */

/* Read and check the CSV at `path` (numbers, header, duplicate rows).  On
 * error *out is NULL. */
int measured_load(const char *path, measured_profile **out, ps_error *err);
void measured_free(measured_profile *p); /* NULL-safe */

/* Resolve the rows to the nodes of `g` on a device idling at
 * `idle_power_w`.  Errors: a name not in g (with "did you mean" the closest
 * node name by edit distance), a range whose LAST runs before FIRST, a
 * compute layer covered by no row (layout and unmodelled layers may be
 * absent: they then cost nothing), a layer covered by two rows, a row whose
 * power is below the idle power.  Binding again (to another graph) replaces
 * the previous binding; on error the profile is left unbound. */
int measured_bind(measured_profile *p, const graph *g, double idle_power_w, ps_error *err);

/* Cost of layer `l` (l->node indexes the bound graph's nodes) per frame on
 * ARCH_MEASURED device `a`; `p` may be NULL to use a->u.meas.profile.
 * latency, cycles (latency x clock_hz, when the clock is given) and energy
 * come from the layer's row; bound is BOUND_NONE, utilization and DRAM
 * traffic are unknown (0).  A layer no row covers costs nothing. */
int measured_layer_cost(const accel_arch *a, const measured_profile *p, const accel_layer *l,
                        layer_cost *c, ps_error *err);

/* Rows read (for messages and tests). */
int measured_row_count(const measured_profile *p);

#endif
