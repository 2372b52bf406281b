/* The tables of a partsim trace, schema version 1: column lists in one place
 * (schema.h documents them; docs/TRACES.md explains them). */
#include "traces/schema.h"

#include <math.h>
#include <stdio.h>

#define I8(n) {n, TRACE_I8, 0, NULL}
#define I16(n) {n, TRACE_I16, 0, NULL}
#define I32(n) {n, TRACE_I32, 0, NULL}
#define I64(n) {n, TRACE_I64, 0, NULL}
#define BYTES(n) {n, TRACE_I64, 0, "B"}
#define F64(n, unit) {n, TRACE_F64, 0, unit}
#define STR(n, bytes) {n, TRACE_STR, bytes, NULL}

#define NAME_BYTES 64 /* node, link, layer, pipeline and resource names */

/* ---- /frames ----------------------------------------------------------- */

static const trace_column frames_fixed[TRACE_FRAMES_FIXED_COLUMNS] = {
    I32("pipeline"), I32("source"), I64("frame"), F64("capture_s", "s"), I32("cut"),
    I8("dropped"), I16("drop_stage"), I8("deadline_met"), F64("latency_s", "s"),
};

int trace_frames_n_columns(int n_stages, int n_transfers)
{
    return TRACE_FRAMES_FIXED_COLUMNS + n_stages * TRACE_STAGE_COLUMNS
         + n_transfers * TRACE_TRANSFER_COLUMNS;
}

int trace_frames_stage_col(int k, int field)
{
    return TRACE_FRAMES_FIXED_COLUMNS + k * TRACE_STAGE_COLUMNS + field;
}

int trace_frames_transfer_col(int n_stages, int k, int field)
{
    return TRACE_FRAMES_FIXED_COLUMNS + n_stages * TRACE_STAGE_COLUMNS
         + k * TRACE_TRANSFER_COLUMNS + field;
}

trace_table *trace_frames_table_create(trace_file *f, int n_stages, int n_transfers,
                                       ps_error *err)
{
    if (n_stages < 1 || n_stages > TRACE_FRAMES_MAX_STAGES || n_transfers < 0 ||
        n_transfers > n_stages + 1) {
        error_set(err, PS_ERR_INTERNAL, "trace table /frames: %d stages and %d transfers, "
                  "expected 1..%d stages and 0..stages + 1 transfers", n_stages, n_transfers,
                  TRACE_FRAMES_MAX_STAGES);
        return NULL;
    }
    static const char *stage_field[TRACE_STAGE_COLUMNS] = {"node", "queue_in_s", "start_s",
                                                           "end_s", "energy_j"};
    static const char *transfer_field[TRACE_TRANSFER_COLUMNS] = {"start_s", "end_s",
                                                                 "wire_bytes", "energy_j"};
    enum { MAX_COLUMNS = TRACE_FRAMES_FIXED_COLUMNS
                       + TRACE_FRAMES_MAX_STAGES * (TRACE_STAGE_COLUMNS + TRACE_TRANSFER_COLUMNS) };
    trace_column cols[MAX_COLUMNS];
    char names[MAX_COLUMNS][24];
    int n = 0;
    for (; n < TRACE_FRAMES_FIXED_COLUMNS; n++)
        cols[n] = frames_fixed[n];
    for (int k = 0; k < n_stages; k++)
        for (int field = 0; field < TRACE_STAGE_COLUMNS; field++, n++) {
            snprintf(names[n], sizeof names[n], "s%d_%s", k, stage_field[field]);
            cols[n] = field == TRACE_STAGE_NODE ? (trace_column)I32(names[n])
                    : (trace_column)F64(names[n], field == TRACE_STAGE_ENERGY_J ? "J" : "s");
        }
    for (int k = 0; k < n_transfers; k++)
        for (int field = 0; field < TRACE_TRANSFER_COLUMNS; field++, n++) {
            snprintf(names[n], sizeof names[n], "t%d_%s", k, transfer_field[field]);
            cols[n] = field == TRACE_TRANSFER_WIRE_BYTES ? (trace_column)BYTES(names[n])
                    : (trace_column)F64(names[n], field == TRACE_TRANSFER_ENERGY_J ? "J" : "s");
        }
    return trace_table_create(f, "/frames", n, cols, err);
}

void trace_frames_row_clear(trace_value *row, int n_stages, int n_transfers)
{
    int n = trace_frames_n_columns(n_stages, n_transfers);
    for (int c = 0; c < n; c++)
        row[c].f = NAN;
    row[TRACE_FRAMES_PIPELINE].i = 0;
    row[TRACE_FRAMES_SOURCE].i = -1;
    row[TRACE_FRAMES_FRAME].i = 0;
    row[TRACE_FRAMES_CUT].i = -1;
    row[TRACE_FRAMES_DROPPED].i = 0;
    row[TRACE_FRAMES_DROP_STAGE].i = -1;
    row[TRACE_FRAMES_DEADLINE_MET].i = 0;
    for (int k = 0; k < n_stages; k++)
        row[trace_frames_stage_col(k, TRACE_STAGE_NODE)].i = -1;
    for (int k = 0; k < n_transfers; k++)
        row[trace_frames_transfer_col(n_stages, k, TRACE_TRANSFER_WIRE_BYTES)].i = 0;
}

/* ---- Fixed tables ------------------------------------------------------ */

trace_table *trace_layers_table_create(trace_file *f, ps_error *err)
{
    static const trace_column cols[TRACE_LAYERS_COLUMNS] = {
        I32("node"), I32("index"), STR("name", NAME_BYTES), STR("op", 32), I64("macs"),
        F64("cycles", NULL), F64("latency_s", "s"), F64("energy_j", "J"),
        F64("dram_bytes", "B"),
        F64("energy_mac_j", "J"), F64("energy_rf_j", "J"), F64("energy_interpe_j", "J"),
        F64("energy_glb_j", "J"), F64("energy_dram_j", "J"), F64("energy_clock_j", "J"),
        F64("energy_ctrl_j", "J"), F64("energy_static_j", "J"),
    };
    return trace_table_create(f, "/layers", TRACE_LAYERS_COLUMNS, cols, err);
}

trace_table *trace_nodes_table_create(trace_file *f, ps_error *err)
{
    static const trace_column cols[TRACE_NODES_COLUMNS] = {
        STR("name", NAME_BYTES), F64("busy_s", "s"), F64("utilization", "1"),
        F64("energy_dynamic_j", "J"), F64("energy_static_j", "J"), F64("energy_j", "J"),
        I64("frames"),
    };
    return trace_table_create(f, "/nodes", TRACE_NODES_COLUMNS, cols, err);
}

trace_table *trace_links_table_create(trace_file *f, ps_error *err)
{
    static const trace_column cols[TRACE_LINKS_COLUMNS] = {
        STR("name", NAME_BYTES), F64("busy_s", "s"), F64("utilization", "1"),
        BYTES("bytes"), F64("energy_active_j", "J"), F64("energy_idle_j", "J"),
        F64("energy_lpi_j", "J"), F64("energy_j", "J"),
    };
    return trace_table_create(f, "/links", TRACE_LINKS_COLUMNS, cols, err);
}

trace_table *trace_summary_table_create(trace_file *f, ps_error *err)
{
    static const trace_column cols[TRACE_SUMMARY_COLUMNS] = {
        I32("pipeline"), STR("name", NAME_BYTES), I64("frames"), I64("completed"),
        I64("dropped"), F64("throughput_fps", "1/s"), F64("latency_p50_s", "s"),
        F64("latency_p95_s", "s"), F64("latency_p99_s", "s"), F64("latency_max_s", "s"),
        F64("energy_per_frame_j", "J"),
    };
    return trace_table_create(f, "/summary", TRACE_SUMMARY_COLUMNS, cols, err);
}

trace_table *trace_summary_energy_table_create(trace_file *f, ps_error *err)
{
    static const trace_column cols[TRACE_SUMMARY_ENERGY_COLUMNS] = {
        I32("pipeline"), STR("resource", NAME_BYTES), STR("kind", 8),
        F64("energy_per_frame_j", "J"),
    };
    return trace_table_create(f, "/summary_energy", TRACE_SUMMARY_ENERGY_COLUMNS, cols, err);
}

trace_table *trace_events_table_create(trace_file *f, ps_error *err)
{
    static const trace_column cols[TRACE_EVENTS_COLUMNS] = {
        F64("start_s", "s"), F64("end_s", "s"), I32("node"), STR("resource", NAME_BYTES),
        STR("kind", 16), I64("frame"), I32("layer"), BYTES("bytes"),
        F64("energy_j", "J"),
    };
    return trace_table_create(f, "/events", TRACE_EVENTS_COLUMNS, cols, err);
}
