/* The tables of a partsim trace (traces/schema.h): column names and indices
 * by hand, and a cleared /frames row as it reads back. */
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "tests/harness.h"
#include "tests/traces/h5_read.h"
#include "traces/schema.h"

TEST(test_frames_columns_follow_stages_and_transfers)
{
    const char *dir = h5r_tmpdir(), *path = h5r_join(dir, "s.h5");
    trace_file *f = NULL;
    ps_error err = {0};
    CHECK_INT(trace_open(path, NULL, &f, &err), 0);
    trace_table *t = trace_frames_table_create(f, 2, 1, &err);
    CHECK(t != NULL);
    /* 9 fixed + 2 stages x 5 + 1 transfer x 4 = 23 */
    CHECK_INT(trace_frames_n_columns(2, 1), 23);
    CHECK_INT(trace_table_n_columns(t), 23);
    CHECK_INT(trace_table_column_index(t, "pipeline"), 0);
    CHECK_INT(trace_table_column_index(t, "latency_s"), 8);
    CHECK_INT(trace_table_column_index(t, "s0_node"), 9);
    /* s1_end_s: 9 + 1 x 5 + 3 = 17 */
    CHECK_INT(trace_table_column_index(t, "s1_end_s"), 17);
    CHECK_INT(trace_frames_stage_col(1, TRACE_STAGE_END_S), 17);
    /* t0_wire_bytes: 9 + 2 x 5 + 2 = 21 */
    CHECK_INT(trace_table_column_index(t, "t0_wire_bytes"), 21);
    CHECK_INT(trace_frames_transfer_col(2, 0, TRACE_TRANSFER_WIRE_BYTES), 21);
    CHECK_INT(trace_table_column_index(t, "t1_start_s"), -1);
    /* packed row: i32 i32 i64 f64 i32 i8 i16 i8 f64 = 4+4+8+8+4+1+2+1+8 = 40,
     * stages 2 x (4 + 4 x 8) = 72, transfer 4 x 8 = 32: 144 bytes */
    CHECK_INT(trace_table_row_bytes(t), 144);

    trace_value row[23];
    trace_frames_row_clear(row, 2, 1);
    row[TRACE_FRAMES_PIPELINE].i = 3;
    row[TRACE_FRAMES_FRAME].i = 77;
    row[TRACE_FRAMES_DROPPED].i = 1;
    row[TRACE_FRAMES_DROP_STAGE].i = 1;
    row[trace_frames_stage_col(0, TRACE_STAGE_NODE)].i = 4;
    row[trace_frames_stage_col(0, TRACE_STAGE_END_S)].f = 0.125;
    CHECK_INT(trace_table_append(t, row, &err), 0);

    CHECK(trace_frames_table_create(f, 0, 0, &err) == NULL);
    CHECK_STR_CONTAINS(err.msg, "0 stages");
    /* at most one transfer into each stage and a result back: 2 stages, 3 transfers */
    CHECK(trace_frames_table_create(f, 2, 4, &err) == NULL);
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
    const char *dir = h5r_tmpdir(), *path = h5r_join(dir, "s.h5");
    trace_file *f = NULL;
    ps_error err = {0};
    CHECK_INT(trace_open(path, NULL, &f, &err), 0);
    trace_table *layers = trace_layers_table_create(f, &err);
    trace_table *nodes = trace_nodes_table_create(f, &err);
    trace_table *links = trace_links_table_create(f, &err);
    trace_table *summary = trace_summary_table_create(f, &err);
    trace_table *energy = trace_summary_energy_table_create(f, &err);
    trace_table *events = trace_events_table_create(f, &err);
    CHECK(layers && nodes && links && summary && energy && events);
    if (layers && nodes && links && summary && energy && events) {
        /* 9 + 8 energy parts (mac rf interpe glb dram clock ctrl static) */
        CHECK_INT(trace_table_n_columns(layers), 17);
        CHECK_INT(trace_table_column_index(layers, "energy_mac_j"), TRACE_LAYERS_ENERGY_MAC_J);
        CHECK_INT(trace_table_column_index(layers, "energy_static_j"), 16);
        CHECK_INT(trace_table_n_columns(nodes), 7);
        CHECK_INT(trace_table_column_index(nodes, "frames"), TRACE_NODES_FRAMES);
        CHECK_INT(trace_table_n_columns(links), 8);
        CHECK_INT(trace_table_column_index(links, "energy_lpi_j"), TRACE_LINKS_ENERGY_LPI_J);
        CHECK_INT(trace_table_n_columns(summary), 11);
        CHECK_INT(trace_table_column_index(summary, "latency_p99_s"), 8);
        CHECK_INT(trace_table_n_columns(energy), 4);
        CHECK_INT(trace_table_column_index(energy, "kind"), TRACE_SUMMARY_ENERGY_KIND);
        CHECK_INT(trace_table_n_columns(events), 9);
        CHECK_INT(trace_table_column_index(events, "layer"), TRACE_EVENTS_LAYER);
        CHECK(strcmp(trace_table_name(summary), "/summary") == 0);
    }
    CHECK_INT(trace_close(f, &err), 0);
    unlink(path);
    rmdir(dir);
}

TEST_MAIN(T(test_frames_columns_follow_stages_and_transfers),
          T(test_fixed_tables_have_the_documented_columns))
