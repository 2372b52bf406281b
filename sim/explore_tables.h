/* The table of an exploration's candidates, described once for the terminal,
 * CSV, JSON (and HDF5): decision columns, then objective columns, then the
 * flags (pymoo's habit), then per-stage and per-transfer detail (CSV, JSON
 * and HDF5 only).
 *
 *   cuts             the cut points c_0;c_1;... (schedule positions)
 *   cut_layers       the layer each cut follows ("input" for position 0)
 *   platforms        the nodes that run something, in chain order
 *   latency_s, throughput_fps, energy_j, sensor_energy_j, link_bytes,
 *   memory_bytes     (the largest platform's), accuracy (with an accuracy table)
 *   feasible, front
 *   latency_gain_pct, throughput_gain_pct, energy_gain_pct: over the best
 *                    single platform in that objective (positive = better)
 *   s<k>_latency_s, s<k>_energy_j, s<k>_memory_bytes: stage k (0 when skipped)
 *   t<k>_bytes, t<k>_time_s, t<k>_energy_j, t<k>_bps: the transfer into stage
 *                    k (k = S: the result back to the camera)
 */
#ifndef PARTSIM_SIM_EXPLORE_TABLES_H
#define PARTSIM_SIM_EXPLORE_TABLES_H

#include "base/table.h"
#include "sim/explore.h"
#include "sim/explore_validate.h"

/* Which optional columns a table has. */
enum {
    EXPLORE_COL_ACCURACY = 1u << 0,   /* accuracy (with an accuracy table) */
    EXPLORE_COL_CUT_LAYERS = 1u << 1  /* cut_layers (the file keeps /explore/positions instead) */
};

int explore_tables_candidates(table_spec *s, int n_stages, unsigned cols, ps_error *err);

/* The text columns of one row, kept while the row is written; the
 * columns are as wide as these (a cut's layer name longer than 255 bytes
 * is cut to that in cut_layers, which is a reading aid: cuts holds the
 * positions). */
#define EXPLORE_CUTS_TEXT (SCN_MAX_STAGES * 12)
#define EXPLORE_CUT_LAYERS_TEXT (SCN_MAX_STAGES * 256)
#define EXPLORE_PLATFORMS_TEXT (SCN_MAX_STAGES * (SCN_NAME + 1))
typedef struct {
    char cuts[EXPLORE_CUTS_TEXT];
    char cut_layers[EXPLORE_CUT_LAYERS_TEXT];
    char platforms[EXPLORE_PLATFORMS_TEXT];
} explore_row_text;

/* Fill `row` (the spec's columns) for candidate c (with its detail:
 * explore_evaluate's, not the search's totals alone). */
void explore_tables_row(const scenario *s, const explore_problem *x, const explore_result *r,
                        const explore_candidate *c, bool front, unsigned cols,
                        explore_row_text *text, table_value *row);

/* /explore/positions: position i32, layer (the layer a cut there follows,
 * "input" for 0), single_tensor_cut. */
int explore_tables_positions(table_spec *s, ps_error *err);
/* /explore/constraints: constraint, removed i64 (candidates it removes). */
int explore_tables_constraints(table_spec *s, ps_error *err);
/* /explore/summary, one row: scenario, pipeline, search, evaluated,
 * feasible, space (candidates the exact search visits), interrupted,
 * evaluation_s, seed, population, generations, hypervolume_ratio (NaN when
 * not measured). */
int explore_tables_summary(table_spec *s, ps_error *err);

/* /explore/validation (and what --validate prints): per simulated design
 *   analytic_rank, simulated_rank (1 = best weighted sum; 0: the run failed),
 *   cuts, platforms, latency_s, throughput_fps, energy_j (analytic),
 *   sim_latency_p50_s, sim_latency_p95_s, sim_throughput_fps,
 *   sim_energy_per_frame_j, sim_frames, sim_completed, sim_dropped,
 *   sim_deadline_missed, analytic_score, simulated_score, error */
int explore_tables_validation(table_spec *s, ps_error *err);
void explore_tables_validation_row(const scenario *s, const explore_problem *x,
                                   const explore_candidate *c, const explore_sim *sim,
                                   int analytic_rank, int simulated_rank, double analytic_score,
                                   double simulated_score, explore_row_text *text,
                                   table_value *row);

#endif
