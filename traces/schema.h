/* The tables of a partsim trace, schema version 1 (docs/TRACES.md).
 *
 * Each table has a create function, so that callers never spell a column
 * name, and an enum of its column indices for filling a trace_value row.
 * Node and link indices in every table are row numbers of /nodes and /links;
 * pipeline indices are row numbers of /summary.  Units are SI and stored as
 * `unit_<column>` attributes.  Strings are NUL-padded bytes (h5py: dtype S<n>).
 *
 *   /frames          one row per frame and pipeline
 *     pipeline i32, source i32 (camera node), frame i64, capture_s f64,
 *     cut i32 (schedule position of the first cut), dropped i8 (0/1),
 *     drop_stage i16 (-1 none), deadline_met i8 (0/1), latency_s f64 (NaN when dropped),
 *     per stage k:    s{k}_node i32, s{k}_queue_in_s, s{k}_start_s, s{k}_end_s, s{k}_energy_j f64
 *     per transfer k: t{k}_start_s, t{k}_end_s f64, t{k}_wire_bytes i64, t{k}_energy_j f64
 *   /layers          node i32, index i32, name S64, op S32, macs i64, cycles f64, latency_s,
 *                    energy_j, dram_bytes f64, energy_<part>_j f64 for
 *                    mac rf interpe glb dram clock ctrl static
 *   /nodes           name S64, busy_s, utilization, energy_dynamic_j, energy_static_j,
 *                    energy_j f64, frames i64
 *   /links           name S64, busy_s, utilization f64, bytes i64, energy_active_j,
 *                    energy_idle_j, energy_lpi_j, energy_j f64
 *   /summary         pipeline i32, name S64, frames, completed, dropped i64, throughput_fps,
 *                    latency_p50_s, latency_p95_s, latency_p99_s, latency_max_s,
 *                    energy_per_frame_j f64
 *   /summary_energy  pipeline i32, resource S64, kind S8 ("node" | "link"), energy_per_frame_j
 *   /events          (optional) start_s, end_s f64, node i32, resource S64, kind S16,
 *                    frame i64, layer i32, bytes i64, energy_j f64 */
#ifndef PARTSIM_TRACES_SCHEMA_H
#define PARTSIM_TRACES_SCHEMA_H

#include "traces/trace.h"

/* ---- /frames ----------------------------------------------------------- */

enum {
    TRACE_FRAMES_PIPELINE, TRACE_FRAMES_SOURCE, TRACE_FRAMES_FRAME, TRACE_FRAMES_CAPTURE_S,
    TRACE_FRAMES_CUT, TRACE_FRAMES_DROPPED, TRACE_FRAMES_DROP_STAGE, TRACE_FRAMES_DEADLINE_MET,
    TRACE_FRAMES_LATENCY_S, TRACE_FRAMES_FIXED_COLUMNS
};
enum {
    TRACE_STAGE_NODE, TRACE_STAGE_QUEUE_IN_S, TRACE_STAGE_START_S, TRACE_STAGE_END_S,
    TRACE_STAGE_ENERGY_J, TRACE_STAGE_COLUMNS
};
enum {
    TRACE_TRANSFER_START_S, TRACE_TRANSFER_END_S, TRACE_TRANSFER_WIRE_BYTES,
    TRACE_TRANSFER_ENERGY_J, TRACE_TRANSFER_COLUMNS
};

#define TRACE_FRAMES_MAX_STAGES 64

/* /frames for the largest pipeline of the scenario: n_stages 1..64,
 * n_transfers 0..n_stages + 1 (one into each stage, and a result back to
 * the camera); pipelines with fewer stages leave the rest at node -1 and
 * NaN (see trace_frames_row_clear). */
trace_table *trace_frames_table_create(trace_file *f, int n_stages, int n_transfers,
                                       ps_error *err);

int trace_frames_n_columns(int n_stages, int n_transfers);
/* Column index of field TRACE_STAGE_* of stage k, of field TRACE_TRANSFER_* of transfer k. */
int trace_frames_stage_col(int k, int field);
int trace_frames_transfer_col(int n_stages, int k, int field);

/* Fill a /frames row with "nothing happened": NaN times, energies and latency,
 * -1 for node, cut and drop_stage, 0 for the other integers. */
void trace_frames_row_clear(trace_value *row, int n_stages, int n_transfers);

/* ---- /layers, /nodes, /links ------------------------------------------- */

enum {
    TRACE_LAYERS_NODE, TRACE_LAYERS_INDEX, TRACE_LAYERS_NAME, TRACE_LAYERS_OP, TRACE_LAYERS_MACS,
    TRACE_LAYERS_CYCLES, TRACE_LAYERS_LATENCY_S, TRACE_LAYERS_ENERGY_J, TRACE_LAYERS_DRAM_BYTES,
    TRACE_LAYERS_ENERGY_MAC_J, TRACE_LAYERS_ENERGY_RF_J, TRACE_LAYERS_ENERGY_INTERPE_J,
    TRACE_LAYERS_ENERGY_GLB_J, TRACE_LAYERS_ENERGY_DRAM_J, TRACE_LAYERS_ENERGY_CLOCK_J,
    TRACE_LAYERS_ENERGY_CTRL_J, TRACE_LAYERS_ENERGY_STATIC_J, TRACE_LAYERS_COLUMNS
};
/* TRACE_LAYERS_ENERGY_MAC_J + p is the column of accel/cost.h's energy_part p. */
trace_table *trace_layers_table_create(trace_file *f, ps_error *err);

enum {
    TRACE_NODES_NAME, TRACE_NODES_BUSY_S, TRACE_NODES_UTILIZATION, TRACE_NODES_ENERGY_DYNAMIC_J,
    TRACE_NODES_ENERGY_STATIC_J, TRACE_NODES_ENERGY_J, TRACE_NODES_FRAMES, TRACE_NODES_COLUMNS
};
trace_table *trace_nodes_table_create(trace_file *f, ps_error *err);

enum {
    TRACE_LINKS_NAME, TRACE_LINKS_BUSY_S, TRACE_LINKS_UTILIZATION, TRACE_LINKS_BYTES,
    TRACE_LINKS_ENERGY_ACTIVE_J, TRACE_LINKS_ENERGY_IDLE_J, TRACE_LINKS_ENERGY_LPI_J,
    TRACE_LINKS_ENERGY_J, TRACE_LINKS_COLUMNS
};
trace_table *trace_links_table_create(trace_file *f, ps_error *err);

/* ---- /summary, /summary_energy, /events -------------------------------- */

enum {
    TRACE_SUMMARY_PIPELINE, TRACE_SUMMARY_NAME, TRACE_SUMMARY_FRAMES, TRACE_SUMMARY_COMPLETED,
    TRACE_SUMMARY_DROPPED, TRACE_SUMMARY_THROUGHPUT_FPS, TRACE_SUMMARY_LATENCY_P50_S,
    TRACE_SUMMARY_LATENCY_P95_S, TRACE_SUMMARY_LATENCY_P99_S, TRACE_SUMMARY_LATENCY_MAX_S,
    TRACE_SUMMARY_ENERGY_PER_FRAME_J, TRACE_SUMMARY_COLUMNS
};
trace_table *trace_summary_table_create(trace_file *f, ps_error *err);

enum {
    TRACE_SUMMARY_ENERGY_PIPELINE, TRACE_SUMMARY_ENERGY_RESOURCE, TRACE_SUMMARY_ENERGY_KIND,
    TRACE_SUMMARY_ENERGY_ENERGY_PER_FRAME_J, TRACE_SUMMARY_ENERGY_COLUMNS
};
trace_table *trace_summary_energy_table_create(trace_file *f, ps_error *err);

enum {
    TRACE_EVENTS_START_S, TRACE_EVENTS_END_S, TRACE_EVENTS_NODE, TRACE_EVENTS_RESOURCE,
    TRACE_EVENTS_KIND, TRACE_EVENTS_FRAME, TRACE_EVENTS_LAYER, TRACE_EVENTS_BYTES,
    TRACE_EVENTS_ENERGY_J, TRACE_EVENTS_COLUMNS
};
trace_table *trace_events_table_create(trace_file *f, ps_error *err);

#endif
