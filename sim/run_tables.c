/* The tables of a run (run_tables.h): columns in one place. */
#include "sim/run_tables.h"

#include <math.h>

#define N_OF(a) ((int)(sizeof(a) / sizeof((a)[0])))

/* A name of a node, link, pipeline or resource (SCN_NAME, platforms/scenario.h). */
#define NAME_STORE 64

static int spec_of(table_spec *s, const char *name, const table_column *cols, int n,
                   ps_error *err)
{
    if (table_spec_init(s, name, err) || table_spec_add(s, cols, n, err)) {
        table_spec_free(s);
        return err ? (int)err->code : PS_ERR_INTERNAL;
    }
    return 0;
}

/* ---- /frames ----------------------------------------------------------- */

int run_tables_frames_n_columns(int n_stages, int n_transfers)
{
    return RUN_FRAMES_FIXED_COLUMNS + n_stages * RUN_STAGE_COLUMNS
         + n_transfers * RUN_TRANSFER_COLUMNS;
}

int run_tables_frames_stage_col(int k, int field)
{
    return RUN_FRAMES_FIXED_COLUMNS + k * RUN_STAGE_COLUMNS + field;
}

int run_tables_frames_transfer_col(int n_stages, int k, int field)
{
    return RUN_FRAMES_FIXED_COLUMNS + n_stages * RUN_STAGE_COLUMNS
         + k * RUN_TRANSFER_COLUMNS + field;
}

int run_tables_frames(table_spec *s, int n_stages, int n_transfers, ps_error *err)
{
    if (n_stages < 1 || n_stages > RUN_FRAMES_MAX_STAGES || n_transfers < 0 ||
        n_transfers > n_stages + 1)
        return error_set(err, PS_ERR_INTERNAL, "trace table /frames: %d stages and %d "
                         "transfers, expected 1..%d stages and 0..stages + 1 transfers",
                         n_stages, n_transfers, RUN_FRAMES_MAX_STAGES);
    static const table_column fixed[RUN_FRAMES_FIXED_COLUMNS] = {
        {"pipeline", TABLE_INT, NULL, NULL, 4, 0},
        {"source", TABLE_INT, NULL, NULL, 4, 0},
        {"frame", TABLE_INT, NULL, NULL, 8, 0},
        {"capture_s", TABLE_FLOAT, "s", NULL, 0, 0},
        {"cut", TABLE_INT, NULL, NULL, 4, 0},
        {"dropped", TABLE_INT, NULL, NULL, 1, 0},
        {"drop_stage", TABLE_INT, NULL, NULL, 2, 0},
        {"drop_nic", TABLE_INT, NULL, NULL, 1, 0},
        {"deadline_met", TABLE_INT, NULL, NULL, 1, 0},
        {"latency_s", TABLE_FLOAT, "s", NULL, 0, 0},
    };
    static const char *stage_field[RUN_STAGE_COLUMNS] = {"node", "queue_in_s", "start_s",
                                                         "end_s", "energy_j"};
    static const char *transfer_field[RUN_TRANSFER_COLUMNS] = {"start_s", "end_s",
                                                               "wire_bytes", "energy_j"};
    const table_column node = {NULL, TABLE_INT, NULL, NULL, 4, 0};
    const table_column time = {NULL, TABLE_FLOAT, "s", NULL, 0, 0};
    const table_column energy = {NULL, TABLE_FLOAT, "J", NULL, 0, 0};
    const table_column bytes = {NULL, TABLE_INT, "B", NULL, 8, 0};
    int rc = spec_of(s, "/frames", fixed, RUN_FRAMES_FIXED_COLUMNS, err);
    for (int k = 0; !rc && k < n_stages; k++)
        for (int f = 0; !rc && f < RUN_STAGE_COLUMNS; f++)
            rc = table_spec_addf(s, f == RUN_STAGE_NODE ? node : f == RUN_STAGE_ENERGY_J ? energy
                                                                                        : time,
                                 err, "s%d_%s", k, stage_field[f]);
    for (int k = 0; !rc && k < n_transfers; k++)
        for (int f = 0; !rc && f < RUN_TRANSFER_COLUMNS; f++)
            rc = table_spec_addf(s, f == RUN_TRANSFER_WIRE_BYTES ? bytes
                                    : f == RUN_TRANSFER_ENERGY_J ? energy : time,
                                 err, "t%d_%s", k, transfer_field[f]);
    if (rc)
        table_spec_free(s);
    return rc;
}

void run_tables_frames_row_clear(table_value *row, int n_stages, int n_transfers)
{
    int n = run_tables_frames_n_columns(n_stages, n_transfers);
    for (int c = 0; c < n; c++)
        row[c].f = NAN;
    row[RUN_FRAMES_PIPELINE].i = 0;
    row[RUN_FRAMES_SOURCE].i = -1;
    row[RUN_FRAMES_FRAME].i = 0;
    row[RUN_FRAMES_CUT].i = -1;
    row[RUN_FRAMES_DROPPED].i = 0;
    row[RUN_FRAMES_DROP_STAGE].i = -1;
    row[RUN_FRAMES_DROP_NIC].i = 0;
    row[RUN_FRAMES_DEADLINE_MET].i = 0;
    for (int k = 0; k < n_stages; k++)
        row[run_tables_frames_stage_col(k, RUN_STAGE_NODE)].i = -1;
    for (int k = 0; k < n_transfers; k++)
        row[run_tables_frames_transfer_col(n_stages, k, RUN_TRANSFER_WIRE_BYTES)].i = 0;
}

/* ---- Fixed tables ------------------------------------------------------ */

int run_tables_nodes(table_spec *s, ps_error *err)
{
    static const table_column cols[RUN_NODES_COLUMNS] = {
        {"name", TABLE_STR, NULL, NULL, NAME_STORE, 0},
        {"busy_s", TABLE_FLOAT, "s", NULL, 0, 0},
        {"utilization", TABLE_FLOAT, "1", "%.4f", 0, 0},
        {"energy_dynamic_j", TABLE_FLOAT, "J", NULL, 0, 0},
        {"energy_static_j", TABLE_FLOAT, "J", NULL, 0, 0},
        {"energy_j", TABLE_FLOAT, "J", NULL, 0, 0},
        {"frames", TABLE_INT, NULL, NULL, 8, 0},
    };
    return spec_of(s, "/nodes", cols, N_OF(cols), err);
}

int run_tables_links(table_spec *s, ps_error *err)
{
    static const table_column cols[RUN_LINKS_COLUMNS] = {
        {"name", TABLE_STR, NULL, NULL, NAME_STORE, 0},
        {"busy_s", TABLE_FLOAT, "s", NULL, 0, 0},
        {"utilization", TABLE_FLOAT, "1", "%.4f", 0, 0},
        {"busy_ab_s", TABLE_FLOAT, "s", NULL, 0, 0},
        {"busy_ba_s", TABLE_FLOAT, "s", NULL, 0, 0},
        {"utilization_ab", TABLE_FLOAT, "1", "%.4f", 0, 0},
        {"utilization_ba", TABLE_FLOAT, "1", "%.4f", 0, 0},
        {"bytes", TABLE_INT, "B", NULL, 8, 0},
        {"energy_active_j", TABLE_FLOAT, "J", NULL, 0, 0},
        {"energy_idle_j", TABLE_FLOAT, "J", NULL, 0, 0},
        {"energy_lpi_j", TABLE_FLOAT, "J", NULL, 0, 0},
        {"energy_j", TABLE_FLOAT, "J", NULL, 0, 0},
    };
    return spec_of(s, "/links", cols, N_OF(cols), err);
}

int run_tables_summary(table_spec *s, ps_error *err)
{
    static const table_column cols[RUN_SUMMARY_COLUMNS] = {
        {"pipeline", TABLE_INT, NULL, NULL, 4, TABLE_HIDDEN},
        {"name", TABLE_STR, NULL, NULL, NAME_STORE, 0},
        {"frames", TABLE_INT, NULL, NULL, 8, 0},
        {"completed", TABLE_INT, NULL, NULL, 8, 0},
        {"dropped", TABLE_INT, NULL, NULL, 8, 0},
        {"dropped_nic", TABLE_INT, NULL, NULL, 8, 0},
        {"deadline_s", TABLE_FLOAT, "s", NULL, 0, 0},
        {"deadline_missed", TABLE_INT, NULL, NULL, 8, 0},
        {"throughput_fps", TABLE_FLOAT, "1/s", "%.2f", 0, 0},
        {"latency_p50_s", TABLE_FLOAT, "s", NULL, 0, 0},
        {"latency_p95_s", TABLE_FLOAT, "s", NULL, 0, 0},
        {"latency_p99_s", TABLE_FLOAT, "s", NULL, 0, 0},
        {"latency_max_s", TABLE_FLOAT, "s", NULL, 0, 0},
        {"energy_per_frame_j", TABLE_FLOAT, "J", NULL, 0, 0},
    };
    return spec_of(s, "/summary", cols, N_OF(cols), err);
}

int run_tables_summary_energy(table_spec *s, ps_error *err)
{
    static const table_column cols[RUN_SUMMARY_ENERGY_COLUMNS] = {
        {"pipeline", TABLE_INT, NULL, NULL, 4, 0},
        {"resource", TABLE_STR, NULL, NULL, NAME_STORE, 0},
        {"kind", TABLE_STR, NULL, NULL, 8, 0},
        {"energy_per_frame_j", TABLE_FLOAT, "J", NULL, 0, 0},
    };
    return spec_of(s, "/summary_energy", cols, N_OF(cols), err);
}

int run_tables_events(table_spec *s, ps_error *err)
{
    static const table_column cols[RUN_EVENTS_COLUMNS] = {
        {"start_s", TABLE_FLOAT, "s", NULL, 0, 0},
        {"end_s", TABLE_FLOAT, "s", NULL, 0, 0},
        {"node", TABLE_INT, NULL, NULL, 4, 0},
        {"resource", TABLE_STR, NULL, NULL, NAME_STORE, 0},
        {"kind", TABLE_STR, NULL, NULL, 16, 0},
        {"frame", TABLE_INT, NULL, NULL, 8, 0},
        {"layer", TABLE_INT, NULL, NULL, 4, 0},
        {"bytes", TABLE_INT, "B", NULL, 8, 0},
        {"energy_j", TABLE_FLOAT, "J", NULL, 0, 0},
        {"dest", TABLE_INT, NULL, NULL, 4, 0},
        {"pipeline", TABLE_INT, NULL, NULL, 4, 0},
        {"source", TABLE_INT, NULL, NULL, 4, 0},
        {"cut", TABLE_INT, NULL, NULL, 4, 0},
        {"queue_in_s", TABLE_FLOAT, "s", NULL, 0, 0},
    };
    return spec_of(s, "/events", cols, N_OF(cols), err);
}
