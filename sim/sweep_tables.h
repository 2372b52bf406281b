/* The tables of a sweep, described once (base/table.h) for its HDF5 file
 * (sim/sweep_file.h) and for what `partsim sweep` prints (terminal, CSV,
 * JSON).  Units are SI.
 *
 *   /sweep/points  one row per point and pipeline (a failed point: one row,
 *                  pipeline -1, ok 0, its error):
 *     point i64, seed i64, then per varied key a column named after it
 *     (dots and other characters as '_': network.links.0.rate ->
 *     network_links_0_rate; the value in SI with its unit where every value
 *     of the axis is a quantity, with <name>_text the value as given; else
 *     the text), pipeline i32, pipeline_name, ok, error, frames, completed,
 *     dropped, deadline_missed i64, throughput_fps, latency_p50_s,
 *     latency_p95_s, latency_p99_s, latency_max_s, energy_per_frame_j,
 *     busiest_node, busiest_node_utilization, busiest_link,
 *     busiest_link_utilization, events i64, simulated_s, wall_s, then
 *     energy_per_frame_<group>_j per node group and energy_per_frame_network_j
 *   /sweep/energy  point i64, pipeline i32, resource (a node group, or
 *                  "network"), kind ("node" | "link"), energy_per_frame_j */
#ifndef PARTSIM_SIM_SWEEP_TABLES_H
#define PARTSIM_SIM_SWEEP_TABLES_H

#include "base/table.h"
#include "sim/sweep.h"
#include "sim/sweep_spec.h"

/* The columns of /sweep/points for this spec, and (simulating) after them
 * energy_per_frame_<group>_j for every node group of the base scenario and
 * energy_per_frame_network_j (its links): /sweep/energy's values as
 * columns (0 where the group did no work, a group the base scenario lacks
 * only in /sweep/energy).  With explore, those of an
 * exploration per point instead of a run summary:
 *     point, seed, the axes, ok, error, search, evaluated, feasible,
 *     front_size, cuts, cut_layers, platforms (the weighted-sum pick),
 *     latency_s, throughput_fps, energy_j, sensor_energy_j, link_bytes,
 *     memory_bytes, wall_s */
int sweep_tables_points(table_spec *s, const sweep_spec *sp, const scenario *base, bool explore,
                        ps_error *err);

/* The rows result r gives (r->n_pipelines, or 1 for a failed point or an
 * exploration), each
 * spec->n values, into rows (room for SWEEP_MAX_PIPELINES rows); strings
 * point into r and sp.  Returns how many. */
int sweep_tables_points_rows(const table_spec *spec, const sweep_spec *sp, const sweep_result *r,
                             table_value *rows);

int sweep_tables_energy(table_spec *s, ps_error *err);

/* --seeds N: the spread over the seeds of each combination.
 *   /sweep/spread  one row per combination and pipeline: combo i64, the
 *                  axes (as in /sweep/points), pipeline i32, pipeline_name,
 *                  seeds (how many ran), then per metric (throughput_fps,
 *                  latency_p50_s, latency_p99_s, energy_per_frame_j,
 *                  dropped, deadline_missed) <metric>_mean, _std (the sample
 *                  standard deviation, NaN for one seed), _min, _max */
int sweep_tables_spread(table_spec *s, const sweep_spec *sp, ps_error *err);

#define SWEEP_SPREAD_METRICS 6

/* The sums of one combination, fed a point at a time (its seeds are
 * consecutive points). */
typedef struct {
    int64_t combo;
    int n_pipelines;
    char name[SWEEP_MAX_PIPELINES][SCN_NAME];
    int n[SWEEP_MAX_PIPELINES];
    /* Welford's running mean and sum of squared deviations (no
     * cancellation when the seeds agree to many digits) */
    double mean[SWEEP_MAX_PIPELINES][SWEEP_SPREAD_METRICS];
    double m2[SWEEP_MAX_PIPELINES][SWEEP_SPREAD_METRICS];
    double min[SWEEP_MAX_PIPELINES][SWEEP_SPREAD_METRICS];
    double max[SWEEP_MAX_PIPELINES][SWEEP_SPREAD_METRICS];
} sweep_spread;

/* Start combination `combo`. */
void sweep_tables_spread_start(sweep_spread *a, int64_t combo);
/* Add point r (a failed point adds nothing). */
void sweep_tables_spread_add(sweep_spread *a, const sweep_result *r);
/* The rows of the combination (one per pipeline that ran; strings point
 * into a and sp), each spec->n values, into rows (room for
 * SWEEP_MAX_PIPELINES); returns how many. */
int sweep_tables_spread_rows(const table_spec *spec, const sweep_spec *sp, const sweep_spread *a,
                             table_value *rows);

#endif
