/* Writes a small demo trace for tests/traces/test_trace_h5py.py, which reads
 * it with h5py and pandas and recomputes every value from the formulas here.
 *
 *   trace_demo OUT.h5 [FRAMES]     (FRAMES defaults to 10000)
 *
 * Frame i of pipeline p = i % 2: capture_s = i / 30, stage 0 on node 0 from
 * capture_s + 0.001 to + 0.011, transfer 0 from + 0.011 to + 0.012 carrying
 * 1000 + i bytes, stage 1 on node 2 from + 0.012 to + 0.020; every 10th frame
 * is dropped at stage 1 (latency NaN, stage 1 left cleared). */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sim/run_tables.h"
#include "traces/trace.h"

/* A table of `f` with the columns `spec` (freed here). */
static trace_table *table(trace_file *f, int made, table_spec *spec, ps_error *err)
{
    trace_table *t = made ? NULL : trace_table_create(f, spec->name, spec, err);
    if (!made)
        table_spec_free(spec);
    return t;
}

static int write_frames(trace_file *f, int n, ps_error *err)
{
    table_spec spec;
    trace_table *t = table(f, run_tables_frames(&spec, 2, 1, err), &spec, err);
    if (!t)
        return err->code;
    table_value row[23];
    for (int i = 0; i < n; i++) {
        double c = i / 30.0;
        int dropped = i % 10 == 9;
        run_tables_frames_row_clear(row, 2, 1);
        row[RUN_FRAMES_PIPELINE].i = i % 2;
        row[RUN_FRAMES_SOURCE].i = i % 2;
        row[RUN_FRAMES_FRAME].i = i;
        row[RUN_FRAMES_CAPTURE_S].f = c;
        row[RUN_FRAMES_CUT].i = 5;
        row[RUN_FRAMES_DROPPED].i = dropped;
        row[RUN_FRAMES_DROP_STAGE].i = dropped ? 1 : -1;
        row[RUN_FRAMES_DROP_NIC].i = 0;
        row[RUN_FRAMES_DEADLINE_MET].i = !dropped;
        row[RUN_FRAMES_LATENCY_S].f = dropped ? NAN : 0.020;
        row[run_tables_frames_stage_col(0, RUN_STAGE_NODE)].i = 0;
        row[run_tables_frames_stage_col(0, RUN_STAGE_QUEUE_IN_S)].f = c;
        row[run_tables_frames_stage_col(0, RUN_STAGE_START_S)].f = c + 0.001;
        row[run_tables_frames_stage_col(0, RUN_STAGE_END_S)].f = c + 0.011;
        row[run_tables_frames_stage_col(0, RUN_STAGE_ENERGY_J)].f = 0.5e-3;
        row[run_tables_frames_transfer_col(2, 0, RUN_TRANSFER_START_S)].f = c + 0.011;
        row[run_tables_frames_transfer_col(2, 0, RUN_TRANSFER_END_S)].f = c + 0.012;
        row[run_tables_frames_transfer_col(2, 0, RUN_TRANSFER_WIRE_BYTES)].i = 1000 + i;
        row[run_tables_frames_transfer_col(2, 0, RUN_TRANSFER_ENERGY_J)].f = 1e-6;
        if (!dropped) {
            row[run_tables_frames_stage_col(1, RUN_STAGE_NODE)].i = 2;
            row[run_tables_frames_stage_col(1, RUN_STAGE_QUEUE_IN_S)].f = c + 0.012;
            row[run_tables_frames_stage_col(1, RUN_STAGE_START_S)].f = c + 0.012;
            row[run_tables_frames_stage_col(1, RUN_STAGE_END_S)].f = c + 0.020;
            row[run_tables_frames_stage_col(1, RUN_STAGE_ENERGY_J)].f = 2e-3;
        }
        if (trace_table_append(t, row, err))
            return err->code;
    }
    return 0;
}

static int write_nodes(trace_file *f, ps_error *err)
{
    table_spec spec;
    trace_table *t = table(f, run_tables_nodes(&spec, err), &spec, err);
    if (!t)
        return err->code;
    const char *names[] = {"cam0", "cam1", "edge"};
    for (int k = 0; k < 3; k++) {
        table_value row[RUN_NODES_COLUMNS] = {
            {.s = names[k]}, {.f = 1.5 * k}, {.f = 0.25 * k}, {.f = 2.0 * k},
            {.f = 1.0}, {.f = 2.0 * k + 1.0}, {.i = 100 * k},
        };
        if (trace_table_append(t, row, err))
            return err->code;
    }
    return 0;
}

static int write_summary(trace_file *f, ps_error *err)
{
    table_spec spec;
    trace_table *t = table(f, run_tables_summary(&spec, err), &spec, err);
    trace_table *e = t ? table(f, run_tables_summary_energy(&spec, err), &spec, err) : NULL;
    if (!e)
        return err->code;
    table_value row[RUN_SUMMARY_COLUMNS] = {
        {.i = 0}, {.s = "front"}, {.i = 5000}, {.i = 4500}, {.i = 500}, {.i = 0}, {.f = 0.040},
        {.i = 20}, {.f = 15.0},
        {.f = 0.020}, {.f = 0.020}, {.f = 0.020}, {.f = 0.020}, {.f = 2.501e-3},
    };
    table_value energy[RUN_SUMMARY_ENERGY_COLUMNS] = {
        {.i = 0}, {.s = "edge"}, {.s = "node"}, {.f = 2e-3},
    };
    if (trace_table_append(t, row, err) || trace_table_append(e, energy, err))
        return err->code;
    return 0;
}

/* A table outside the schema: nested group, every integer width, strings. */
static int write_sweep(trace_file *f, ps_error *err)
{
    static const table_column cols[] = {
        {"point", TABLE_INT, NULL, NULL, 2, 0}, {"bits", TABLE_INT, NULL, NULL, 1, 0},
        {"label", TABLE_STR, NULL, NULL, 16, 0}, {"rate_bps", TABLE_FLOAT, "1/s", NULL, 0, 0},
    };
    table_spec spec;
    int made = table_spec_init(&spec, "/sweep/points", err) || table_spec_add(&spec, cols, 4, err);
    trace_table *t = table(f, made, &spec, err);
    if (!t)
        return err->code;
    for (int k = 0; k < 5; k++) {
        char label[16];
        snprintf(label, sizeof label, "p%d", k);
        table_value row[4] = {{.i = k}, {.i = 8 << (k % 2)}, {.s = label}, {.f = 1e9 / (k + 1)}};
        if (trace_table_append(t, row, err))
            return err->code;
    }
    return 0;
}

int main(int argc, char **argv)
{
    if (argc < 2) {
        fprintf(stderr, "usage: trace_demo OUT.h5 [FRAMES]\n");
        return 2;
    }
    int frames = argc > 2 ? atoi(argv[2]) : 10000;
    trace_meta meta = {PARTSIM_VERSION, "pipelines:\n  - name: front  # demo\n", 42,
                       "trace_demo"};
    trace_file *f = NULL;
    ps_error err = {0};
    if (trace_open(argv[1], &meta, &f, &err) || write_frames(f, frames, &err) ||
        write_nodes(f, &err) || write_summary(f, &err) || write_sweep(f, &err)) {
        trace_abort(f);
        fprintf(stderr, "trace_demo: %s\n", err.msg);
        return 1;
    }
    if (trace_close(f, &err)) {
        fprintf(stderr, "trace_demo: %s\n", err.msg);
        return 1;
    }
    return 0;
}
