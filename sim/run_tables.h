/* The tables of a run, described once (base/table.h) for its HDF5 trace
 * (schema version TRACE_SCHEMA_VERSION, docs/TRACES.md) and for what
 * `partsim run` prints (terminal, CSV, JSON).  Node and link indices in
 * every table are row numbers of /nodes and /links; pipeline indices are
 * row numbers of /summary.  Units are SI.
 *
 *   /frames          one row per frame and pipeline
 *     pipeline i32, source i32 (camera node), frame i64, capture_s f64,
 *     cut i32 (schedule position of the first cut), dropped i8 (0/1),
 *     drop_stage i16 (-1 none), deadline_met i8 (0/1), latency_s f64 (NaN when dropped),
 *     per stage k:    s{k}_node i32, s{k}_queue_in_s, s{k}_start_s, s{k}_end_s, s{k}_energy_j f64
 *     per transfer k: t{k}_start_s, t{k}_end_s f64, t{k}_wire_bytes i64, t{k}_energy_j f64
 *   /layers          node i32, then the columns of `partsim accel` (accel/cost_table.h)
 *   /nodes           name, busy_s, utilization, energy_dynamic_j, energy_static_j, energy_j,
 *                    frames i64
 *   /links           name, busy_s, utilization, bytes i64, energy_active_j, energy_idle_j,
 *                    energy_lpi_j, energy_j
 *   /summary         pipeline i32, name, frames, completed, dropped i64, deadline_s (NaN:
 *                    none), deadline_missed i64, throughput_fps, latency_p50_s, latency_p95_s, latency_p99_s,
 *                    latency_max_s, energy_per_frame_j
 *   /summary_energy  pipeline i32, resource, kind ("node" | "link"), energy_per_frame_j
 *   /events          (optional) start_s, end_s f64, node i32, resource, kind, frame i64,
 *                    layer i32, bytes i64, energy_j f64, dest, pipeline, source, cut i32,
 *                    queue_in_s f64 */
#ifndef PARTSIM_SIM_RUN_TABLES_H
#define PARTSIM_SIM_RUN_TABLES_H

#include "base/table.h"

/* ---- /frames ----------------------------------------------------------- */

enum {
    RUN_FRAMES_PIPELINE, RUN_FRAMES_SOURCE, RUN_FRAMES_FRAME, RUN_FRAMES_CAPTURE_S,
    RUN_FRAMES_CUT, RUN_FRAMES_DROPPED, RUN_FRAMES_DROP_STAGE, RUN_FRAMES_DROP_NIC,
    RUN_FRAMES_DEADLINE_MET,
    RUN_FRAMES_LATENCY_S, RUN_FRAMES_FIXED_COLUMNS
};
enum {
    RUN_STAGE_NODE, RUN_STAGE_QUEUE_IN_S, RUN_STAGE_START_S, RUN_STAGE_END_S,
    RUN_STAGE_ENERGY_J, RUN_STAGE_COLUMNS
};
enum {
    RUN_TRANSFER_START_S, RUN_TRANSFER_END_S, RUN_TRANSFER_WIRE_BYTES, RUN_TRANSFER_ENERGY_J,
    RUN_TRANSFER_COLUMNS
};

#define RUN_FRAMES_MAX_STAGES 64

/* /frames for the largest pipeline of the scenario: n_stages 1..64,
 * n_transfers 0..n_stages + 1 (one into each stage, and a result back to
 * the camera); pipelines with fewer stages leave the rest at node -1 and
 * NaN (run_tables_frames_row_clear).  `s` is initialised here. */
int run_tables_frames(table_spec *s, int n_stages, int n_transfers, ps_error *err);

int run_tables_frames_n_columns(int n_stages, int n_transfers);
/* Column index of field RUN_STAGE_* of stage k, of field RUN_TRANSFER_* of transfer k. */
int run_tables_frames_stage_col(int k, int field);
int run_tables_frames_transfer_col(int n_stages, int k, int field);

/* Fill a /frames row with "nothing happened": NaN times, energies and latency,
 * -1 for node, cut and drop_stage, 0 for the other integers. */
void run_tables_frames_row_clear(table_value *row, int n_stages, int n_transfers);

/* ---- /nodes, /links, /summary, /summary_energy, /events ---------------- */

enum {
    RUN_NODES_NAME, RUN_NODES_BUSY_S, RUN_NODES_UTILIZATION, RUN_NODES_ENERGY_DYNAMIC_J,
    RUN_NODES_ENERGY_STATIC_J, RUN_NODES_ENERGY_J, RUN_NODES_FRAMES, RUN_NODES_COLUMNS
};
enum {
    RUN_LINKS_NAME, RUN_LINKS_BUSY_S, RUN_LINKS_UTILIZATION, RUN_LINKS_BUSY_AB_S,
    RUN_LINKS_BUSY_BA_S, RUN_LINKS_UTILIZATION_AB, RUN_LINKS_UTILIZATION_BA, RUN_LINKS_BYTES,
    RUN_LINKS_ENERGY_ACTIVE_J, RUN_LINKS_ENERGY_IDLE_J, RUN_LINKS_ENERGY_LPI_J,
    RUN_LINKS_ENERGY_J, RUN_LINKS_COLUMNS
};
enum {
    RUN_SUMMARY_PIPELINE, RUN_SUMMARY_NAME, RUN_SUMMARY_FRAMES, RUN_SUMMARY_COMPLETED,
    RUN_SUMMARY_DROPPED, RUN_SUMMARY_DROPPED_NIC, RUN_SUMMARY_DEADLINE_S, RUN_SUMMARY_DEADLINE_MISSED, RUN_SUMMARY_THROUGHPUT_FPS,
    RUN_SUMMARY_LATENCY_P50_S, RUN_SUMMARY_LATENCY_P95_S, RUN_SUMMARY_LATENCY_P99_S,
    RUN_SUMMARY_LATENCY_MAX_S, RUN_SUMMARY_ENERGY_PER_FRAME_J, RUN_SUMMARY_COLUMNS
};
enum {
    RUN_SUMMARY_ENERGY_PIPELINE, RUN_SUMMARY_ENERGY_RESOURCE, RUN_SUMMARY_ENERGY_KIND,
    RUN_SUMMARY_ENERGY_ENERGY_PER_FRAME_J, RUN_SUMMARY_ENERGY_COLUMNS
};
enum {
    RUN_EVENTS_START_S, RUN_EVENTS_END_S, RUN_EVENTS_NODE, RUN_EVENTS_RESOURCE,
    RUN_EVENTS_KIND, RUN_EVENTS_FRAME, RUN_EVENTS_LAYER, RUN_EVENTS_BYTES,
    RUN_EVENTS_ENERGY_J, RUN_EVENTS_DEST, RUN_EVENTS_PIPELINE, RUN_EVENTS_SOURCE, RUN_EVENTS_CUT,
    RUN_EVENTS_QUEUE_IN_S, RUN_EVENTS_COLUMNS
};

/* Each initialises `s` with the table's name ("/nodes") and columns. */
int run_tables_nodes(table_spec *s, ps_error *err);
int run_tables_links(table_spec *s, ps_error *err);
int run_tables_summary(table_spec *s, ps_error *err);
int run_tables_summary_energy(table_spec *s, ps_error *err);
int run_tables_events(table_spec *s, ps_error *err);

#endif
