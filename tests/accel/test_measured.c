/* Measured devices (accel/measured.h): a profile bound to a graph, per-layer
 * rows, ranges split by MACs, the energy parts, and every binding error
 * with its message (file, line, name).  Profiles are read from CSV
 * fixtures with platforms/measuredfile.h; the file format itself is tested
 * in tests/platforms/test_measuredfile.c. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "accel/measured.h"
#include "platforms/measuredfile.h"
#include "tests/fixture_files.h"
#include "tests/harness.h"
#include "tests/workloads/onnx_builder.h"

/* ---- fixtures ---- */

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

/* Cost of node `name` under binding p on the device. */
static layer_cost cost_of(const accel_arch *a, const measured_binding *p, const graph *g,
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
                         measured_binding **b, ps_error *err)
{
    measured_profile *p;
    *b = NULL;
    int rc = measuredfile_load(fixture_write_text(name, text), &p, err);
    if (!rc)
        rc = measured_bind(p, g, 2.0, b, err);
    measured_profile_free(p);
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
    measured_binding *p = NULL;
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
    measured_binding_free(p);
    graph_free(g);
}

TEST(test_energy_column_quoted_notes_and_column_order)
{
    graph *g = small_model();
    measured_binding *p = NULL;
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
    measured_binding_free(p);
    graph_free(g);
}

TEST(test_range_row_is_split_over_its_layers_by_macs)
{
    graph *g = small_model();
    measured_binding *p = NULL;
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
    measured_binding_free(p);
    graph_free(g);
}

TEST(test_partition_rows_as_cnnparted_measures_them)
{
    graph *g = small_model();
    measured_binding *p = NULL;
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
    measured_binding_free(p);
    graph_free(g);
}

/* ---- binding errors ---- */

/* Load and bind `text`; expect failure with each of the fragments in the message. */
static void expect_error(const char *name, const char *text, const char *const *fragments)
{
    graph *g = small_model();
    measured_binding *p = NULL;
    ps_error err = {0};
    int rc = load_and_bind(name, text, g, &p, &err);
    CHECK_INT(rc, PS_ERR_INPUT);
    CHECK(p == NULL);
    for (; *fragments; fragments++)
        CHECK_STR_CONTAINS(err.msg, *fragments);
    measured_binding_free(p);
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

/* ---- cost-time checks and ownership ---- */

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
    measured_binding *p = NULL;
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
    measured_binding_free(p);
    /* unquoted, the comma splits the name: one field too many, and the message says why */
    rc = load_and_bind("comma2.csv", "layer,latency_s,power_w\nstem,conv,0.001,5\n", g, &p,
                       &err);
    CHECK_INT(rc, PS_ERR_INPUT);
    CHECK_STR_CONTAINS(err.msg, "comma2.csv:2: expected 3 columns as in the header, got 4");
    CHECK_STR_CONTAINS(err.msg, "must be quoted");
    graph_free(g);
}

TEST(test_cost_needs_a_binding_and_checks_the_idle_power)
{
    graph *g = small_model();
    measured_binding *p = NULL;
    ps_error err = {0};
    accel_arch a;
    measured_device(&a, "late.csv");
    accel_layer l;
    layer_cost c;
    CHECK_INT(layer_from_node(g, node_of(g, "fc"), NULL, &l, &err), 0);
    CHECK_INT(measured_layer_cost(&a, NULL, &l, &c, &err), PS_ERR_INTERNAL);
    CHECK_STR_CONTAINS(err.msg, "no measured profile bound to the graph");
    CHECK_INT(load_and_bind("late.csv", "layer,latency_s,power_w\nconv1..pool,0.003,5\n"
                                        "conv2..fc,0.001,4\n", g, &p, &err), 0);
    CHECK_INT(measured_layer_cost(&a, p, &l, &c, &err), 0);
    CHECK_NEAR(c.latency_s, 1e-3 * 320.0 / 448.0, 1e-12);
    /* a device idling above a row's power: 4.5 W > 4 W of conv2..fc */
    a.u.meas.idle_power_w = 4.5;
    CHECK_INT(measured_layer_cost(&a, p, &l, &c, &err), PS_ERR_INPUT);
    CHECK_STR_CONTAINS(err.msg, "late.csv:3: the energy of 'conv2..fc' is below the idle power "
                                "(4.5 W) of 'jetson-tx2'");
    /* the cost of a layer outside the bound graph is a bug, not a number */
    l.node = g->n_nodes;
    CHECK_INT(measured_layer_cost(&a, p, &l, &c, &err), PS_ERR_INTERNAL);
    measured_binding_free(p);
    measured_binding_free(NULL);
    graph_free(g);
}

TEST(test_the_binding_outlives_its_profile)
{
    graph *g = small_model();
    ps_error err = {0};
    measured_profile *p = NULL;
    CHECK_INT(measuredfile_load(fixture_write_text("own.csv", "layer,latency_s,power_w\n"
                                                              "conv1..fc,0.002,4\n"),
                                &p, &err), 0);
    measured_binding *b = NULL;
    CHECK_INT(measured_bind(p, g, 2.0, &b, &err), 0);
    measured_profile_free(p); /* the binding keeps its own copy of the rows */
    accel_arch a;
    measured_device(&a, "own.csv");
    CHECK_NEAR(cost_of(&a, b, g, "fc").latency_s, 2e-3 * 320.0 / 7872.0, 1e-12);
    measured_binding_free(b);
    graph_free(g);
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
          T(test_a_quoted_layer_name_may_hold_a_comma),
          T(test_cost_needs_a_binding_and_checks_the_idle_power),
          T(test_the_binding_outlives_its_profile))
