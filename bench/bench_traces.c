/* Trace writer throughput: rows appended per second to a /frames table of
 * 41 columns (4 stages, 3 transfers: 9 + 4 x 5 + 3 x 4), with realistic
 * values (increasing times, jittered durations), and file bytes per row.
 *
 *   bench_traces [ROWS [OUT.h5]]      defaults: 1000000, /tmp/bench_traces.h5
 *
 * Timed: every trace_table_append (packing + chunked shuffle/deflate writes)
 * and trace_close (last chunk, metadata, rename).  Median of 5 runs. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include "bench/bench_clock.h"
#include "sim/run_tables.h"
#include "traces/trace.h"

enum { STAGES = 4, TRANSFERS = 3, RUNS = 5 };

/* xorshift64: deterministic jitter so that deflate sees realistic data. */
static double jitter(uint64_t *state)
{
    *state ^= *state << 13;
    *state ^= *state >> 7;
    *state ^= *state << 17;
    return (double)(*state >> 11) / 9007199254740992.0; /* [0, 1) */
}

static size_t row_bytes;

static double run(const char *path, long rows, ps_error *err)
{
    trace_meta meta = {PARTSIM_VERSION, "bench", 1, "bench_traces"};
    trace_file *f = NULL;
    double t0 = now_s();
    if (trace_open(path, &meta, &f, err))
        return -1;
    table_spec spec;
    trace_table *t = NULL;
    if (!run_tables_frames(&spec, STAGES, TRANSFERS, err)) {
        t = trace_table_create(f, spec.name, &spec, err);
        table_spec_free(&spec);
    }
    if (!t) {
        trace_abort(f);
        return -1;
    }
    row_bytes = trace_table_row_bytes(t);
    table_value row[64];
    uint64_t state = 88172645463325252ULL;
    for (long i = 0; i < rows; i++) {
        run_tables_frames_row_clear(row, STAGES, TRANSFERS);
        double c = (double)(i / 8) / 30.0, at = c;
        row[RUN_FRAMES_PIPELINE].i = i % 8;
        row[RUN_FRAMES_SOURCE].i = i % 8;
        row[RUN_FRAMES_FRAME].i = i / 8;
        row[RUN_FRAMES_CAPTURE_S].f = c;
        row[RUN_FRAMES_CUT].i = 12;
        row[RUN_FRAMES_DEADLINE_MET].i = 1;
        for (int k = 0; k < STAGES; k++) {
            double wait = 1e-4 * jitter(&state), busy = 5e-3 * (1 + 0.1 * jitter(&state));
            row[run_tables_frames_stage_col(k, RUN_STAGE_NODE)].i = k == 0 ? i % 8 : 7 + k;
            row[run_tables_frames_stage_col(k, RUN_STAGE_QUEUE_IN_S)].f = at;
            row[run_tables_frames_stage_col(k, RUN_STAGE_START_S)].f = at + wait;
            row[run_tables_frames_stage_col(k, RUN_STAGE_END_S)].f = at + wait + busy;
            row[run_tables_frames_stage_col(k, RUN_STAGE_ENERGY_J)].f = busy * 0.3;
            at += wait + busy;
            if (k < TRANSFERS) {
                double wire = 2e-4 * (1 + jitter(&state));
                row[run_tables_frames_transfer_col(STAGES, k, RUN_TRANSFER_START_S)].f = at;
                row[run_tables_frames_transfer_col(STAGES, k, RUN_TRANSFER_END_S)].f = at + wire;
                row[run_tables_frames_transfer_col(STAGES, k, RUN_TRANSFER_WIRE_BYTES)].i = 200704;
                row[run_tables_frames_transfer_col(STAGES, k, RUN_TRANSFER_ENERGY_J)].f = wire * 0.5;
                at += wire;
            }
        }
        row[RUN_FRAMES_LATENCY_S].f = at - c;
        if (trace_table_append(t, row, err)) {
            trace_abort(f);
            return -1;
        }
    }
    if (trace_close(f, err))
        return -1;
    return now_s() - t0;
}

int main(int argc, char **argv)
{
    long rows = argc > 1 ? atol(argv[1]) : 1000000;
    const char *path = argc > 2 ? argv[2] : "/tmp/bench_traces.h5";
    double times[RUNS];
    ps_error err = {0};
    for (int r = 0; r < RUNS; r++)
        if ((times[r] = run(path, rows, &err)) < 0) {
            fprintf(stderr, "bench_traces: %s\n", err.msg);
            return 1;
        }
    qsort(times, RUNS, sizeof times[0], cmp_double);
    struct stat st;
    if (stat(path, &st) != 0) {
        fprintf(stderr, "bench_traces: %s: missing after close\n", path);
        return 1;
    }
    int columns = run_tables_frames_n_columns(STAGES, TRANSFERS);
    printf("table: /frames, %d stages, %d transfers, %d columns, %zu bytes a packed row\n",
           STAGES, TRANSFERS, columns, row_bytes);
    printf("rows: %ld, runs: %d\n", rows, RUNS);
    printf("median: %.3f s = %.0f rows/s (best %.3f s = %.0f rows/s)\n", times[RUNS / 2],
           (double)rows / times[RUNS / 2], times[0], (double)rows / times[0]);
    printf("file: %lld bytes = %.1f bytes/row\n", (long long)st.st_size,
           (double)st.st_size / (double)rows);
    remove(path);
    return 0;
}
