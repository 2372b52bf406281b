/* The tables of a run (sim/run_tables.h) as a trace stores them: column names
 * and indices checked by hand, and a cleared /frames row as it reads back. */
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "sim/run_tables.h"
#include "tests/harness.h"
#include "tests/traces/h5_read.h"
#include "traces/trace.h"

/* A trace table of `f` from a description just made (`made` = its status). */
static trace_table *table(trace_file *f, int made, table_spec *spec, ps_error *err)
{
    if (made)
        return NULL;
    trace_table *t = trace_table_create(f, spec->name, spec, err);
    table_spec_free(spec);
    return t;
}

TEST(test_frames_columns_follow_stages_and_transfers)
{
    const char *dir = h5r_tmpdir(), *path = h5r_join(dir, "s.h5");
    trace_file *f = NULL;
    ps_error err = {0};
    table_spec spec;
    CHECK_INT(trace_open(path, NULL, &f, &err), 0);
    trace_table *t = table(f, run_tables_frames(&spec, 2, 1, &err), &spec, &err);
    CHECK(t != NULL);
    /* 10 fixed + 2 stages x 5 + 1 transfer x 4 = 24 */
    CHECK_INT(run_tables_frames_n_columns(2, 1), 24);
    CHECK_INT(trace_table_n_columns(t), 24);
    CHECK_INT(trace_table_column_index(t, "pipeline"), 0);
    CHECK_INT(trace_table_column_index(t, "drop_nic"), 7);
    CHECK_INT(trace_table_column_index(t, "latency_s"), 9);
    CHECK_INT(trace_table_column_index(t, "s0_node"), 10);
    /* s1_end_s: 10 + 1 x 5 + 3 = 18 */
    CHECK_INT(trace_table_column_index(t, "s1_end_s"), 18);
    CHECK_INT(run_tables_frames_stage_col(1, RUN_STAGE_END_S), 18);
    /* t0_wire_bytes: 10 + 2 x 5 + 2 = 22 */
    CHECK_INT(trace_table_column_index(t, "t0_wire_bytes"), 22);
    CHECK_INT(run_tables_frames_transfer_col(2, 0, RUN_TRANSFER_WIRE_BYTES), 22);
    CHECK_INT(trace_table_column_index(t, "t1_start_s"), -1);
    /* packed row: i32 i32 i64 f64 i32 i8 i16 i8 i8 f64 = 4+4+8+8+4+1+2+1+1+8 = 41,
     * stages 2 x (4 + 4 x 8) = 72, transfer 4 x 8 = 32: 145 bytes */
    CHECK_INT(trace_table_row_bytes(t), 145);

    table_value row[24];
    run_tables_frames_row_clear(row, 2, 1);
    row[RUN_FRAMES_PIPELINE].i = 3;
    row[RUN_FRAMES_FRAME].i = 77;
    row[RUN_FRAMES_DROPPED].i = 1;
    row[RUN_FRAMES_DROP_STAGE].i = 1;
    row[run_tables_frames_stage_col(0, RUN_STAGE_NODE)].i = 4;
    row[run_tables_frames_stage_col(0, RUN_STAGE_END_S)].f = 0.125;
    CHECK_INT(trace_table_append(t, row, &err), 0);

    CHECK_INT(run_tables_frames(&spec, 0, 0, &err), PS_ERR_INTERNAL);
    CHECK_STR_CONTAINS(err.msg, "0 stages");
    /* at most one transfer into each stage and a result back: 2 stages, 3 transfers */
    CHECK_INT(run_tables_frames(&spec, 2, 4, &err), PS_ERR_INTERNAL);
    CHECK_STR_CONTAINS(err.msg, "4 transfers");
    CHECK_INT(trace_close(f, &err), 0);

    hid_t h5 = H5Fopen(path, H5F_ACC_RDONLY, H5P_DEFAULT);
    int64_t *pipeline = h5r_column_int64(h5, "/frames", "pipeline");
    int64_t *s0 = h5r_column_int64(h5, "/frames", "s0_node");
    int64_t *s1 = h5r_column_int64(h5, "/frames", "s1_node");
    int64_t *cut = h5r_column_int64(h5, "/frames", "cut");
    double *end = h5r_column_f64(h5, "/frames", "s0_end_s");
    double *latency = h5r_column_f64(h5, "/frames", "latency_s");
    CHECK(pipeline && s0 && s1 && cut && end && latency);
    if (pipeline && s0 && s1 && cut && end && latency) {
        CHECK_INT(pipeline[0], 3);
        CHECK_INT(s0[0], 4);
        CHECK_INT(s1[0], -1);
        CHECK_INT(cut[0], -1);
        CHECK(end[0] == 0.125);
        CHECK(isnan(latency[0]));
    }
    free(pipeline), free(s0), free(s1), free(cut), free(end), free(latency);
    H5Fclose(h5);
    unlink(path);
    rmdir(dir);
}

TEST(test_fixed_tables_have_the_documented_columns)
{
    table_spec nodes, links, summary, energy, events;
    ps_error err = {0};
    CHECK_INT(run_tables_nodes(&nodes, &err), 0);
    CHECK_INT(run_tables_links(&links, &err), 0);
    CHECK_INT(run_tables_summary(&summary, &err), 0);
    CHECK_INT(run_tables_summary_energy(&energy, &err), 0);
    CHECK_INT(run_tables_events(&events, &err), 0);
    CHECK_INT(nodes.n, 7);
    CHECK_INT(table_spec_find(&nodes, "frames"), RUN_NODES_FRAMES);
    CHECK_INT(links.n, 12);
    CHECK_INT(table_spec_find(&links, "energy_lpi_j"), RUN_LINKS_ENERGY_LPI_J);
    CHECK_INT(table_spec_find(&links, "utilization_ba"), 6);
    CHECK(strcmp(links.cols[RUN_LINKS_BYTES].unit, "B") == 0);
    CHECK_INT(summary.n, 14);
    CHECK_INT(table_spec_find(&summary, "dropped_nic"), 5);
    CHECK_INT(table_spec_find(&summary, "deadline_missed"), 7);
    CHECK_INT(table_spec_find(&summary, "latency_p99_s"), 11);
    CHECK(strcmp(summary.cols[RUN_SUMMARY_THROUGHPUT_FPS].unit, "1/s") == 0);
    CHECK_INT(energy.n, 4);
    CHECK_INT(table_spec_find(&energy, "kind"), RUN_SUMMARY_ENERGY_KIND);
    CHECK_INT(events.n, 14);
    CHECK_INT(table_spec_find(&events, "layer"), RUN_EVENTS_LAYER);
    CHECK_INT(table_spec_find(&events, "queue_in_s"), RUN_EVENTS_QUEUE_IN_S);
    CHECK(strcmp(events.cols[RUN_EVENTS_QUEUE_IN_S].unit, "s") == 0);
    CHECK(strcmp(summary.name, "/summary") == 0);
    table_spec_free(&nodes), table_spec_free(&links), table_spec_free(&summary);
    table_spec_free(&energy), table_spec_free(&events);
}

TEST_MAIN(T(test_frames_columns_follow_stages_and_transfers),
          T(test_fixed_tables_have_the_documented_columns))
