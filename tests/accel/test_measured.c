/* Measured-device profiles (accel/measured.h): per-layer rows, ranges split
 * by MACs, the energy parts, every error path with its message (file, line,
 * column, name), and hostile files.  The CSV fixtures are written to a
 * fresh temporary directory (mkdtemp) and removed at exit. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "accel/measured.h"
#include "tests/harness.h"
#include "tests/workloads/onnx_builder.h"

/* ---- fixtures ---- */

static char tmp_dir[64];
static char written[64][128];
static int n_written;

static void remove_fixtures(void)
{
    for (int i = 0; i < n_written; i++)
        unlink(written[i]);
    if (tmp_dir[0])
        rmdir(tmp_dir);
}

/* Write `len` bytes to <tmp>/<name>; returns the path (static storage). */
static const char *write_bytes(const char *name, const char *bytes, size_t len)
{
    if (!tmp_dir[0]) {
        snprintf(tmp_dir, sizeof tmp_dir, "/tmp/partsim-measured-XXXXXX");
        if (!mkdtemp(tmp_dir)) {
            perror("mkdtemp");
            abort();
        }
        atexit(remove_fixtures);
    }
    int slot = -1;
    char path[128];
    snprintf(path, sizeof path, "%s/%s", tmp_dir, name);
    for (int i = 0; i < n_written; i++)
        if (!strcmp(written[i], path))
            slot = i;
    if (slot < 0 && n_written < 64) {
        slot = n_written++;
        snprintf(written[slot], sizeof written[slot], "%s", path);
    }
    FILE *f = fopen(path, "wb");
    if (!f || fwrite(bytes, 1, len, f) != len || fclose(f)) {
        perror(path);
        abort();
    }
    return slot >= 0 ? written[slot] : "(too many fixtures)";
}

static const char *write_csv(const char *name, const char *text)
{
    return write_bytes(name, text, strlen(text));
}

/* Schedule: conv1, relu1, pool, conv2, flatten, [shape_const], reshape, fc.
 *   x 1x3x8x8 -> conv1 (w1 4x3x3x3, pads 1) -> a 1x4x8x8: MACs 4*8*8 * 3*3*3 = 6912
 *   relu1 -> b 1x4x8x8: ops 256 (one per element)
 *   pool (2x2, stride 2) -> p 1x4x4x4: ops 64 * 4 = 256
 *   conv2 (w2 2x4x1x1) -> c 1x2x4x4: MACs 2*4*4 * 4 = 128
 *   flatten -> f 1x32; reshape (shape from the Constant node shape_const) -> r 1x32
 *   fc: MatMul r x w3 32x10 -> y 1x10: MACs 320 */
static graph *small_model(void)
{
    ps_error err = {0};
    onnx_builder *b = ob_new(13);
    ob_input(b, "x", GRAPH_DT_FLOAT, OB_INTS(1, 3, 8, 8));
    ob_weight(b, "w1", OB_INTS(4, 3, 3, 3));
    ob_weight(b, "w2", OB_INTS(2, 4, 1, 1));
    ob_weight(b, "w3", OB_INTS(32, 10));
    ob_node(b, "Conv", "conv1", "x,w1", "a");
    ob_attr_ints(b, "pads", OB_INTS(1, 1, 1, 1));
    ob_node(b, "Relu", "relu1", "a", "b");
    ob_node(b, "MaxPool", "pool", "b", "p");
    ob_attr_ints(b, "kernel_shape", OB_INTS(2, 2));
    ob_attr_ints(b, "strides", OB_INTS(2, 2));
    ob_node(b, "Conv", "conv2", "p,w2", "c");
    ob_node(b, "Flatten", "flatten", "c", "f");
    ob_node(b, "Constant", "shape_const", "", "shape");
    ob_attr_tensor(b, "value", GRAPH_DT_INT64, OB_INTS(2), 2, (const int64_t[]){1, 32});
    ob_node(b, "Reshape", "reshape", "f,shape", "r");
    ob_node(b, "MatMul", "fc", "r,w3", "y");
    ob_output(b, "y");
    graph *g = ob_load(b, &err);
    ob_free(b);
    if (!g) {
        fprintf(stderr, "small_model: %s\n", err.msg);
        abort();
    }
    return g;
}

static int node_of(const graph *g, const char *name)
{
    for (int i = 0; i < g->n_nodes; i++)
        if (!strcmp(g->nodes[i].name, name))
            return i;
    fprintf(stderr, "no node '%s'\n", name);
    abort();
}

/* A Jetson TX2-like edge node: 1.3 GHz nominal, 2 W idle. */
static void measured_device(accel_arch *a, const char *profile_path)
{
    memset(a, 0, sizeof *a);
    snprintf(a->name, sizeof a->name, "jetson-tx2");
    a->kind = ARCH_MEASURED;
    a->clock_hz = 1.3e9;
    a->bits = 16;
    a->psum_bits = 32;
    snprintf(a->u.meas.profile_path, sizeof a->u.meas.profile_path, "%s", profile_path);
    a->u.meas.idle_power_w = 2.0;
}

/* Cost of node `name` under profile p on the device. */
static layer_cost cost_of(const accel_arch *a, const measured_profile *p, const graph *g,
                          const char *name)
{
    accel_layer l;
    layer_cost c;
    ps_error err = {0};
    memset(&c, 0, sizeof c);
    CHECK_INT(layer_from_node(g, node_of(g, name), NULL, &l, &err), 0);
    int rc = measured_layer_cost(a, p, &l, &c, &err);
    if (rc)
        fprintf(stderr, "cost of %s: %s\n", name, err.msg);
    CHECK_INT(rc, 0);
    return c;
}

/* Load `text` as <name> and bind it to g at 2 W idle; the status, with err filled. */
static int load_and_bind(const char *name, const char *text, const graph *g,
                         measured_profile **p, ps_error *err)
{
    int rc = measured_load(write_csv(name, text), p, err);
    if (!rc) {
        rc = measured_bind(*p, g, 2.0, err);
        if (rc) {
            measured_free(*p);
            *p = NULL;
        }
    }
    return rc;
}

/* ---- the model's numbers, so that the expectations below rest on them ---- */

TEST(test_fixture_model_has_the_hand_counted_work)
{
    graph *g = small_model();
    accel_layer l;
    ps_error err = {0};
    CHECK_INT(g->nodes[node_of(g, "conv1")].macs, 6912);
    CHECK_INT(g->nodes[node_of(g, "conv2")].macs, 128);
    CHECK_INT(g->nodes[node_of(g, "fc")].macs, 320);
    CHECK_INT(layer_from_node(g, node_of(g, "relu1"), NULL, &l, &err), 0);
    CHECK_NEAR(l.ops, 256, 1e-12);
    CHECK_INT(layer_from_node(g, node_of(g, "pool"), NULL, &l, &err), 0);
    CHECK_NEAR(l.ops, 256, 1e-12);
    CHECK(g->nodes[node_of(g, "shape_const")].is_const);
    graph_free(g);
}

/* ---- rows and ranges ---- */

TEST(test_per_layer_rows_give_latency_and_dynamic_plus_idle_energy)
{
    graph *g = small_model();
    measured_profile *p = NULL;
    ps_error err = {0};
    int rc = load_and_bind("per_layer.csv",
                           "layer,latency_s,power_w\n"
                           "conv1,0.004,6\n"
                           "relu1,0.0005,3\n"
                           "pool,0.0005,3\n"
                           "conv2,0.002,5\n"
                           "fc,0.001,4\n",
                           g, &p, &err);
    CHECK_INT(rc, 0);
    if (rc) {
        fprintf(stderr, "%s\n", err.msg);
        graph_free(g);
        return;
    }
    CHECK_INT(measured_row_count(p), 5);
    accel_arch a;
    measured_device(&a, "per_layer.csv");
    layer_cost c = cost_of(&a, p, g, "conv2");
    CHECK_NEAR(c.latency_s, 0.002, 1e-12);
    CHECK_NEAR(c.energy[PART_MAC], 0.006, 1e-12);    /* (5 - 2) W * 2 ms */
    CHECK_NEAR(c.energy[PART_STATIC], 0.004, 1e-12); /* 2 W * 2 ms */
    CHECK_NEAR(c.energy_j, 0.010, 1e-12);            /* 5 W * 2 ms */
    CHECK_NEAR(c.cycles, 2.6e6, 1e-12);              /* 2 ms * 1.3 GHz */
    CHECK_NEAR(c.macs, 128, 1e-12);
    CHECK_INT(c.bound, BOUND_NONE);
    c = cost_of(&a, p, g, "conv1");
    CHECK_NEAR(c.energy[PART_MAC], 0.016, 1e-12); /* (6 - 2) W * 4 ms */
    /* flatten and reshape have no row: layout layers cost nothing */
    c = cost_of(&a, p, g, "flatten");
    CHECK_NEAR(c.latency_s, 0.0, 1e-12);
    CHECK_NEAR(c.energy_j, 0.0, 1e-12);
    measured_free(p);
    graph_free(g);
}

TEST(test_energy_column_quoted_notes_and_column_order)
{
    graph *g = small_model();
    measured_profile *p = NULL;
    ps_error err = {0};
    int rc = load_and_bind("energy.csv",
                           "# measured with torch.utils.benchmark, median of 1000 runs\n"
                           "note,energy_j, layer ,latency_s\n"
                           "\"first conv, \"\"fused\"\" with bias\",0.024,conv1,0.004\n"
                           "\n"
                           "rest,0.03, relu1..fc ,0.006\n",
                           g, &p, &err);
    CHECK_INT(rc, 0);
    if (rc) {
        fprintf(stderr, "%s\n", err.msg);
        graph_free(g);
        return;
    }
    accel_arch a;
    measured_device(&a, "energy.csv");
    layer_cost c = cost_of(&a, p, g, "conv1");
    CHECK_NEAR(c.latency_s, 0.004, 1e-12);
    CHECK_NEAR(c.energy_j, 0.024, 1e-12);
    CHECK_NEAR(c.energy[PART_STATIC], 0.008, 1e-12); /* 2 W * 4 ms */
    CHECK_NEAR(c.energy[PART_MAC], 0.016, 1e-12);    /* 24 mJ - 8 mJ */
    measured_free(p);
    graph_free(g);
}

TEST(test_range_row_is_split_over_its_layers_by_macs)
{
    graph *g = small_model();
    measured_profile *p = NULL;
    ps_error err = {0};
    int rc = load_and_bind("range.csv",
                           "layer,latency_s,power_w\n"
                           "conv1..conv2,0.007552,6\n"
                           "flatten..reshape,0.001,4\n"
                           "fc,0.001,4\n",
                           g, &p, &err);
    CHECK_INT(rc, 0);
    if (rc) {
        fprintf(stderr, "%s\n", err.msg);
        graph_free(g);
        return;
    }
    accel_arch a;
    measured_device(&a, "range.csv");
    /* weights: conv1 6912 MACs, relu1 256 ops, pool 256 ops, conv2 128 MACs;
     * total 7552, so each layer gets weight / 7552 of 7.552 ms = weight us */
    layer_cost c1 = cost_of(&a, p, g, "conv1"), r1 = cost_of(&a, p, g, "relu1"),
               pl = cost_of(&a, p, g, "pool"), c2 = cost_of(&a, p, g, "conv2");
    CHECK_NEAR(c1.latency_s, 6.912e-3, 1e-12);
    CHECK_NEAR(r1.latency_s, 2.56e-4, 1e-12);
    CHECK_NEAR(pl.latency_s, 2.56e-4, 1e-12);
    CHECK_NEAR(c2.latency_s, 1.28e-4, 1e-12);
    /* conv1: 6 W * 6.912 ms = 41.472 mJ, of which 2 W * 6.912 ms = 13.824 mJ idle */
    CHECK_NEAR(c1.energy_j, 41.472e-3, 1e-12);
    CHECK_NEAR(c1.energy[PART_STATIC], 13.824e-3, 1e-12);
    CHECK_NEAR(c1.energy[PART_MAC], 27.648e-3, 1e-12);
    CHECK_NEAR(c1.latency_s + r1.latency_s + pl.latency_s + c2.latency_s, 7.552e-3, 1e-12);
    /* flatten..reshape: no MACs, no ops: split evenly over the two layers
     * (shape_const, a constant-only node between them, is skipped):
     * 0.5 ms each, (4 - 2) W * 0.5 ms = 1 mJ dynamic */
    layer_cost fl = cost_of(&a, p, g, "flatten"), rs = cost_of(&a, p, g, "reshape");
    CHECK_NEAR(fl.latency_s, 5e-4, 1e-12);
    CHECK_NEAR(rs.latency_s, 5e-4, 1e-12);
    CHECK_NEAR(fl.energy[PART_MAC], 1e-3, 1e-12);
    measured_free(p);
    graph_free(g);
}

TEST(test_partition_rows_as_cnnparted_measures_them)
{
    graph *g = small_model();
    measured_profile *p = NULL;
    ps_error err = {0};
    /* two partitions, each measured whole */
    int rc = load_and_bind("partitions.csv",
                           "layer,latency_s,power_w\n"
                           "conv1..pool,0.003,5\n"
                           "conv2..fc,0.001,4\n",
                           g, &p, &err);
    CHECK_INT(rc, 0);
    if (rc) {
        fprintf(stderr, "%s\n", err.msg);
        graph_free(g);
        return;
    }
    accel_arch a;
    measured_device(&a, "partitions.csv");
    /* conv2..fc: conv2 128 MACs, flatten 0, reshape 0, fc 320 MACs; total 448
     * conv2 gets 128/448 of 1 ms = 0.2857142857 ms, fc 320/448 = 0.7142857143 ms */
    CHECK_NEAR(cost_of(&a, p, g, "conv2").latency_s, 1e-3 * 128.0 / 448.0, 1e-12);
    CHECK_NEAR(cost_of(&a, p, g, "fc").latency_s, 1e-3 * 320.0 / 448.0, 1e-12);
    CHECK_NEAR(cost_of(&a, p, g, "flatten").latency_s, 0.0, 1e-12);
    /* conv1..pool: 6912 + 256 + 256 = 7424; pool gets 256/7424 of 3 ms = 0.1034482759 ms */
    CHECK_NEAR(cost_of(&a, p, g, "pool").latency_s, 3e-3 * 256.0 / 7424.0, 1e-12);
    measured_free(p);
    graph_free(g);
}

/* ---- binding errors ---- */

/* Load and bind `text`; expect failure with each of the fragments in the message. */
static void expect_error(const char *name, const char *text, const char *const *fragments)
{
    graph *g = small_model();
    measured_profile *p = NULL;
    ps_error err = {0};
    int rc = load_and_bind(name, text, g, &p, &err);
    CHECK_INT(rc, PS_ERR_INPUT);
    CHECK(p == NULL);
    for (; *fragments; fragments++)
        CHECK_STR_CONTAINS(err.msg, *fragments);
    measured_free(p);
    graph_free(g);
}
#define EXPECT_ERROR(name, text, ...) expect_error(name, text, (const char *const[]){__VA_ARGS__, NULL})

#define ALL_ROWS_BUT_CONV2 "layer,latency_s,power_w\nconv1..pool,0.003,5\nfc,0.001,4\n"

TEST(test_unknown_layer_names_file_line_and_closest_node)
{
    EXPECT_ERROR("unknown.csv", ALL_ROWS_BUT_CONV2 "convv2,0.001,4\n", "unknown.csv:4:",
                 "layer 'convv2' is not in the model test.onnx", "did you mean 'conv2'?");
    EXPECT_ERROR("unknown_range.csv",
                 "layer,latency_s,power_w\nconv1..conv9,0.001,4\nfc,0.001,4\n",
                 "unknown_range.csv:2:", "range 'conv1..conv9': layer 'conv9' is not in the model",
                 "did you mean 'conv1'?");
}

TEST(test_uncovered_compute_layer_is_named)
{
    EXPECT_ERROR("uncovered.csv", ALL_ROWS_BUT_CONV2, "uncovered.csv",
                 "layer 'conv2' (Conv) of test.onnx has no row",
                 "expected a row 'conv2' or a range FIRST..LAST covering it");
    EXPECT_ERROR("uncovered2.csv", "layer,latency_s,power_w\nconv1,0.001,4\n",
                 "layer 'relu1' (Relu) of test.onnx has no row (and 3 more layers)");
}

TEST(test_layer_covered_twice_names_both_rows)
{
    EXPECT_ERROR("twice.csv",
                 "layer,latency_s,power_w\nconv1..pool,0.003,5\nconv2..fc,0.001,4\nrelu1,1e-4,3\n",
                 "twice.csv:4: layer 'relu1' is already covered by line 2 ('conv1..pool')");
}

TEST(test_power_below_idle_names_the_row)
{
    EXPECT_ERROR("below_idle.csv", ALL_ROWS_BUT_CONV2 "conv2,0.002,1.5\n",
                 "below_idle.csv:4: power_w of 'conv2' (1.5 W) is below the device's idle "
                 "power (2 W)");
    EXPECT_ERROR("below_idle_energy.csv",
                 "layer,energy_j,latency_s\nconv1..fc,0.001,0.001\n",
                 "below_idle_energy.csv:2: energy_j of 'conv1..fc' (0.001 J) is below the "
                 "device's idle power x latency_s (2 W x 0.001 s)");
}

TEST(test_backwards_range_and_constant_node_are_errors)
{
    EXPECT_ERROR("backwards.csv", "layer,latency_s,power_w\nconv2..conv1,0.001,4\n",
                 "backwards.csv:2: range 'conv2..conv1' is backwards: 'conv1' runs before "
                 "'conv2'");
    EXPECT_ERROR("const.csv", "layer,latency_s,power_w\nconv1..fc,0.001,4\nshape_const,0,2\n",
                 "const.csv:3: 'shape_const' only computes constants");
}

/* ---- CSV errors ---- */

/* Load `text`; expect failure with each fragment in the message. */
static void expect_load_error(const char *name, const char *bytes, size_t len,
                              const char *const *fragments)
{
    measured_profile *p = (measured_profile *)&p; /* must be reset to NULL */
    ps_error err = {0};
    CHECK_INT(measured_load(write_bytes(name, bytes, len), &p, &err), PS_ERR_INPUT);
    CHECK(p == NULL);
    for (; *fragments; fragments++)
        CHECK_STR_CONTAINS(err.msg, *fragments);
}
#define EXPECT_LOAD_ERROR(name, text, ...)                                                   \
    expect_load_error(name, text, strlen(text), (const char *const[]){__VA_ARGS__, NULL})

TEST(test_numbers_are_checked_with_line_and_column)
{
    EXPECT_LOAD_ERROR("nan.csv", "layer,latency_s,power_w\nconv1,abc,6\n",
                      "nan.csv:2:7: latency_s: expected a number of seconds, got 'abc'");
    EXPECT_LOAD_ERROR("nan2.csv", "layer,latency_s,power_w\nconv1,0.001,nan\n",
                      "nan2.csv:2:13: power_w: expected a number of watts, got 'nan'");
    EXPECT_LOAD_ERROR("empty_num.csv", "layer,latency_s,power_w\nconv1,,6\n",
                      "empty_num.csv:2:7: latency_s: expected a number of seconds, got ''");
    EXPECT_LOAD_ERROR("unit.csv", "layer,latency_s,power_w\nconv1,1.5ms,6\n",
                      "unit.csv:2:7: latency_s: expected a number of seconds, got '1.5ms'");
    EXPECT_LOAD_ERROR("negative.csv", "layer,latency_s,power_w\nconv1,-0.001,6\n",
                      "negative.csv:2:7: latency_s must be 0 or more, got -0.001");
    EXPECT_LOAD_ERROR("columns.csv", "layer,latency_s,power_w\nconv1,0.001\n",
                      "columns.csv:2: expected 3 columns as in the header, got 2");
    EXPECT_LOAD_ERROR("noname.csv", "layer,latency_s,power_w\n,0.001,3\n",
                      "noname.csv:2:1: empty layer name");
}

TEST(test_header_is_checked)
{
    EXPECT_LOAD_ERROR("no_power.csv", "layer,latency_s\nconv1,0.001\n",
                      "no_power.csv:1: missing header column 'power_w' (or 'energy_j')");
    EXPECT_LOAD_ERROR("no_latency.csv", "layer,power_w\nconv1,3\n",
                      "no_latency.csv:1: missing header column 'latency_s'");
    EXPECT_LOAD_ERROR("ms.csv", "layer,latency_ms,power_w\nconv1,1,3\n",
                      "ms.csv:1:7: unknown column 'latency_ms'", "expected 'layer,latency_s,power_w'");
    EXPECT_LOAD_ERROR("both.csv", "layer,latency_s,power_w,energy_j\nconv1,1,3,3\n",
                      "both.csv:1: both 'power_w' and 'energy_j' given");
    EXPECT_LOAD_ERROR("twice_col.csv", "layer,latency_s,layer,power_w\n",
                      "twice_col.csv:1:17: column 'layer' appears twice");
}

TEST(test_empty_file_header_only_and_duplicate_rows)
{
    EXPECT_LOAD_ERROR("empty.csv", "", "empty.csv: empty; expected the header");
    EXPECT_LOAD_ERROR("blank.csv", "\n  \n# only a comment\n", "blank.csv: empty");
    EXPECT_LOAD_ERROR("header_only.csv", "layer,latency_s,power_w\n",
                      "header_only.csv:1: no rows after the header");
    EXPECT_LOAD_ERROR("duplicate.csv",
                      "layer,latency_s,power_w\nconv1,0.001,3\nfc,0.001,3\nconv1,0.002,3\n",
                      "duplicate.csv:4: duplicate row for 'conv1' (first at line 2)");
    ps_error err = {0};
    measured_profile *p = NULL;
    CHECK_INT(measured_load("/nonexistent/partsim/profile.csv", &p, &err), PS_ERR_IO);
    CHECK_STR_CONTAINS(err.msg, "/nonexistent/partsim/profile.csv: cannot open");
}

/* ---- hostile input ---- */

TEST(test_long_lines_nul_bytes_and_bad_quotes_are_errors)
{
    static char big[MEASURED_LINE_MAX * 3];
    int n = snprintf(big, sizeof big, "layer,latency_s,power_w\n");
    memset(big + n, 'a', sizeof big - (size_t)n - 1);
    expect_load_error("long.csv", big, sizeof big - 1,
                      (const char *const[]){"long.csv:2: line longer than 4096 characters", NULL});
    static const char nul[] = "layer,latency_s,power_w\nconv1,0.0\0" "01,6\n";
    expect_load_error("nul.csv", nul, sizeof nul - 1,
                      (const char *const[]){"nul.csv:2:10: NUL byte", NULL});
    EXPECT_LOAD_ERROR("quote.csv", "layer,latency_s,power_w\n\"conv1,0.001,6\n",
                      "quote.csv:2:1: unterminated quoted field");
    EXPECT_LOAD_ERROR("after_quote.csv", "layer,latency_s,power_w\n\"conv1\"x,0.001,6\n",
                      "after_quote.csv:2:8: expected ',' after a quoted field");
}

TEST(test_crlf_and_missing_final_newline_are_accepted)
{
    graph *g = small_model();
    measured_profile *p = NULL;
    ps_error err = {0};
    int rc = load_and_bind("crlf.csv",
                           "layer,latency_s,power_w\r\nconv1..conv2,0.007552,6\r\n"
                           "flatten..fc,0.001,4",
                           g, &p, &err);
    CHECK_INT(rc, 0);
    if (!rc) {
        accel_arch a;
        measured_device(&a, "crlf.csv");
        CHECK_INT(measured_row_count(p), 2);
        CHECK_NEAR(cost_of(&a, p, g, "conv2").latency_s, 1.28e-4, 1e-12);
        CHECK_NEAR(cost_of(&a, p, g, "fc").latency_s, 1e-3, 1e-12); /* the only MACs in the range */
    } else {
        fprintf(stderr, "%s\n", err.msg);
    }
    measured_free(p);
    graph_free(g);
}

TEST(test_every_prefix_and_garbage_fail_cleanly)
{
    static const char good[] = "layer,latency_s,power_w\r\n\"conv1..pool\",0.003,5\n"
                               "# partition 2\nconv2..fc,0.001,4\n";
    graph *g = small_model();
    int loaded = 0;
    for (size_t len = 0; len <= sizeof good - 1; len++) {
        measured_profile *p = NULL;
        ps_error err = {0};
        int rc = measured_load(write_bytes("prefix.csv", good, len), &p, &err);
        if (!rc)
            rc = measured_bind(p, g, 2.0, &err);
        CHECK(rc == 0 || err.msg[0] != '\0');
        loaded += rc == 0;
        measured_free(p);
    }
    /* only the whole file (with or without its final newline) binds */
    CHECK_INT(loaded, 2);
    /* random bytes, NULs and all: an error, never a crash */
    unsigned x = 12345;
    char junk[512];
    for (int round = 0; round < 100; round++) {
        for (size_t i = 0; i < sizeof junk; i++) {
            x = x * 1103515245u + 12345u;
            junk[i] = (char)(x >> 16);
        }
        measured_profile *p = NULL;
        ps_error err = {0};
        int rc = measured_load(write_bytes("junk.csv", junk, sizeof junk), &p, &err);
        CHECK(rc != 0 && p == NULL && err.msg[0]);
        measured_free(p);
    }
    graph_free(g);
}

TEST(test_a_quoted_layer_name_may_hold_a_comma)
{
    ps_error err = {0};
    onnx_builder *b = ob_new(13);
    ob_input(b, "x", GRAPH_DT_FLOAT, OB_INTS(1, 3, 8, 8));
    ob_weight(b, "w", OB_INTS(4, 3, 1, 1));
    ob_node(b, "Conv", "stem,conv", "x,w", "y"); /* MACs 4*8*8 * 3 = 768 */
    ob_node(b, "Relu", "stem,relu", "y", "z");
    ob_output(b, "z");
    graph *g = ob_load(b, &err);
    ob_free(b);
    CHECK(g != NULL);
    if (!g)
        return;
    measured_profile *p = NULL;
    int rc = load_and_bind("comma.csv",
                           "layer,latency_s,power_w\n"
                           "\"stem,conv\",0.001,5\n"
                           " \"stem,relu\" , 0.0005 ,3\n",
                           g, &p, &err);
    CHECK_INT(rc, 0);
    if (!rc) {
        accel_arch a;
        measured_device(&a, "comma.csv");
        CHECK_NEAR(cost_of(&a, p, g, "stem,conv").latency_s, 0.001, 1e-12);
        CHECK_NEAR(cost_of(&a, p, g, "stem,relu").energy_j, 0.0015, 1e-12);
    } else {
        fprintf(stderr, "%s\n", err.msg);
    }
    measured_free(p);
    /* unquoted, the comma splits the name: one field too many, and the message says why */
    rc = load_and_bind("comma2.csv", "layer,latency_s,power_w\nstem,conv,0.001,5\n", g, &p,
                       &err);
    CHECK_INT(rc, PS_ERR_INPUT);
    CHECK_STR_CONTAINS(err.msg, "comma2.csv:2: expected 3 columns as in the header, got 4");
    CHECK_STR_CONTAINS(err.msg, "must be quoted");
    graph_free(g);
}

/* ---- cost-time checks and ownership ---- */

TEST(test_cost_needs_a_bound_profile_and_checks_the_idle_power)
{
    graph *g = small_model();
    measured_profile *p = NULL;
    ps_error err = {0};
    const char *path = write_csv("late.csv", "layer,latency_s,power_w\nconv1..pool,0.003,5\n"
                                             "conv2..fc,0.001,4\n");
    CHECK_INT(measured_load(path, &p, &err), 0);
    accel_arch a;
    measured_device(&a, path);
    accel_layer l;
    layer_cost c;
    CHECK_INT(layer_from_node(g, node_of(g, "fc"), NULL, &l, &err), 0);
    CHECK_INT(measured_layer_cost(&a, p, &l, &c, &err), PS_ERR_INTERNAL);
    CHECK_STR_CONTAINS(err.msg, "before measured_bind");
    CHECK_INT(measured_layer_cost(&a, NULL, &l, &c, &err), PS_ERR_INTERNAL);
    CHECK_STR_CONTAINS(err.msg, "not loaded");
    CHECK_INT(measured_bind(p, g, 2.0, &err), 0);
    /* the architecture owns the profile from here on */
    a.u.meas.profile = p;
    CHECK_INT(measured_layer_cost(&a, NULL, &l, &c, &err), 0);
    CHECK_NEAR(c.latency_s, 1e-3 * 320.0 / 448.0, 1e-12);
    /* a device idling above a row's power: 4.5 W > 4 W of conv2..fc */
    a.u.meas.idle_power_w = 4.5;
    CHECK_INT(measured_layer_cost(&a, NULL, &l, &c, &err), PS_ERR_INPUT);
    CHECK_STR_CONTAINS(err.msg, "late.csv:3: the energy of 'conv2..fc' is below the idle power "
                                "(4.5 W) of 'jetson-tx2'");
    arch_release(&a);
    CHECK(a.u.meas.profile == NULL);
    arch_release(&a); /* idempotent */
    arch_release(NULL);
    graph_free(g);
}

TEST(test_release_leaves_other_kinds_alone)
{
    accel_arch a;
    memset(&a, 0, sizeof a);
    a.kind = ARCH_ROOFLINE;
    a.u.roof.peak_macs_per_s = 1e12;
    arch_release(&a);
    CHECK_NEAR(a.u.roof.peak_macs_per_s, 1e12, 1e-15);
}

TEST_MAIN(T(test_fixture_model_has_the_hand_counted_work),
          T(test_per_layer_rows_give_latency_and_dynamic_plus_idle_energy),
          T(test_energy_column_quoted_notes_and_column_order),
          T(test_range_row_is_split_over_its_layers_by_macs),
          T(test_partition_rows_as_cnnparted_measures_them),
          T(test_unknown_layer_names_file_line_and_closest_node),
          T(test_uncovered_compute_layer_is_named), T(test_layer_covered_twice_names_both_rows),
          T(test_power_below_idle_names_the_row),
          T(test_backwards_range_and_constant_node_are_errors),
          T(test_numbers_are_checked_with_line_and_column), T(test_header_is_checked),
          T(test_empty_file_header_only_and_duplicate_rows),
          T(test_long_lines_nul_bytes_and_bad_quotes_are_errors),
          T(test_crlf_and_missing_final_newline_are_accepted),
          T(test_every_prefix_and_garbage_fail_cleanly),
          T(test_a_quoted_layer_name_may_hold_a_comma),
          T(test_cost_needs_a_bound_profile_and_checks_the_idle_power),
          T(test_release_leaves_other_kinds_alone))
