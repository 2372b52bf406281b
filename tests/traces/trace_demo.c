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

#include "traces/schema.h"

static int write_frames(trace_file *f, int n, ps_error *err)
{
    trace_table *t = trace_frames_table_create(f, 2, 1, err);
    if (!t)
        return err->code;
    trace_value row[23];
    for (int i = 0; i < n; i++) {
        double c = i / 30.0;
        int dropped = i % 10 == 9;
        trace_frames_row_clear(row, 2, 1);
        row[TRACE_FRAMES_PIPELINE].i = i % 2;
        row[TRACE_FRAMES_SOURCE].i = i % 2;
        row[TRACE_FRAMES_FRAME].i = i;
        row[TRACE_FRAMES_CAPTURE_S].f = c;
        row[TRACE_FRAMES_CUT].i = 5;
        row[TRACE_FRAMES_DROPPED].i = dropped;
        row[TRACE_FRAMES_DROP_STAGE].i = dropped ? 1 : -1;
        row[TRACE_FRAMES_DEADLINE_MET].i = !dropped;
        row[TRACE_FRAMES_LATENCY_S].f = dropped ? NAN : 0.020;
        row[trace_frames_stage_col(0, TRACE_STAGE_NODE)].i = 0;
        row[trace_frames_stage_col(0, TRACE_STAGE_QUEUE_IN_S)].f = c;
        row[trace_frames_stage_col(0, TRACE_STAGE_START_S)].f = c + 0.001;
        row[trace_frames_stage_col(0, TRACE_STAGE_END_S)].f = c + 0.011;
        row[trace_frames_stage_col(0, TRACE_STAGE_ENERGY_J)].f = 0.5e-3;
        row[trace_frames_transfer_col(2, 0, TRACE_TRANSFER_START_S)].f = c + 0.011;
        row[trace_frames_transfer_col(2, 0, TRACE_TRANSFER_END_S)].f = c + 0.012;
        row[trace_frames_transfer_col(2, 0, TRACE_TRANSFER_WIRE_BYTES)].i = 1000 + i;
        row[trace_frames_transfer_col(2, 0, TRACE_TRANSFER_ENERGY_J)].f = 1e-6;
        if (!dropped) {
            row[trace_frames_stage_col(1, TRACE_STAGE_NODE)].i = 2;
            row[trace_frames_stage_col(1, TRACE_STAGE_QUEUE_IN_S)].f = c + 0.012;
            row[trace_frames_stage_col(1, TRACE_STAGE_START_S)].f = c + 0.012;
            row[trace_frames_stage_col(1, TRACE_STAGE_END_S)].f = c + 0.020;
            row[trace_frames_stage_col(1, TRACE_STAGE_ENERGY_J)].f = 2e-3;
        }
        if (trace_table_append(t, row, err))
            return err->code;
    }
    return 0;
}

static int write_nodes(trace_file *f, ps_error *err)
{
    trace_table *t = trace_nodes_table_create(f, err);
    if (!t)
        return err->code;
    const char *names[] = {"cam0", "cam1", "edge"};
    for (int k = 0; k < 3; k++) {
        trace_value row[TRACE_NODES_COLUMNS] = {
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
    trace_table *t = trace_summary_table_create(f, err);
    trace_table *e = t ? trace_summary_energy_table_create(f, err) : NULL;
    if (!e)
        return err->code;
    trace_value row[TRACE_SUMMARY_COLUMNS] = {
        {.i = 0}, {.s = "front"}, {.i = 5000}, {.i = 4500}, {.i = 500}, {.f = 15.0},
        {.f = 0.020}, {.f = 0.020}, {.f = 0.020}, {.f = 0.020}, {.f = 2.501e-3},
    };
    trace_value energy[TRACE_SUMMARY_ENERGY_COLUMNS] = {
        {.i = 0}, {.s = "edge"}, {.s = "node"}, {.f = 2e-3},
    };
    if (trace_table_append(t, row, err) || trace_table_append(e, energy, err))
        return err->code;
    return 0;
}

/* A table outside the schema: nested group, every integer width, strings. */
static int write_sweep(trace_file *f, ps_error *err)
{
    static const trace_column cols[] = {
        {"point", TRACE_I16, 0, NULL}, {"bits", TRACE_I8, 0, NULL},
        {"label", TRACE_STR, 16, NULL}, {"rate_bps", TRACE_F64, 0, "1/s"},
    };
    trace_table *t = trace_table_create(f, "/sweep/points", 4, cols, err);
    if (!t)
        return err->code;
    for (int k = 0; k < 5; k++) {
        char label[16];
        snprintf(label, sizeof label, "p%d", k);
        trace_value row[4] = {{.i = k}, {.i = 8 << (k % 2)}, {.s = label}, {.f = 1e9 / (k + 1)}};
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
