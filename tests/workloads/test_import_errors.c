/* Import errors: a malformed or unsupported model gives a clear error (the
 * return says so, the code is right, and the message names the file, the
 * node or op and what is wrong) and never crashes.  Also the deterministic
 * topological order the importer computes. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "onnx.pb-c.h"
#include "tests/harness.h"
#include "tests/workloads/onnx_builder.h"
#include "workloads/graph.h"
#include "workloads/onnx_import.h"
#include "workloads/shapes.h"

/* ---- helpers ---- */

/* Write `size` bytes to a fresh temporary file; its name goes to `path`. */
static int write_temp(const void *data, size_t size, char path[64])
{
    snprintf(path, 64, "/tmp/partsim_test_import_XXXXXX");
    int fd = mkstemp(path);
    if (fd < 0)
        return -1;
    ssize_t written = size ? write(fd, data, size) : 0;
    close(fd);
    return written == (ssize_t)size ? 0 : -1;
}

/* Load `b` as "bad.onnx" (import + shape inference) expecting failure with
 * `code`; frees `b` and returns the error for the message checks. */
static ps_error load_fails(onnx_builder *b, ps_status code)
{
    ps_error err = {0};
    graph *g = ob_load_as(b, "bad.onnx", &err);
    ob_free(b);
    CHECK(g == NULL);
    CHECK_INT(err.code, code);
    CHECK_STR_CONTAINS(err.msg, "bad.onnx");
    graph_free(g);
    return err;
}

/* A valid model of a few nodes, packed: the base of the truncation tests. */
static uint8_t *valid_model(size_t *size)
{
    onnx_builder *b = ob_new(13);
    ob_input(b, "image", GRAPH_DT_FLOAT, OB_INTS(1, 3, 32, 32));
    ob_weight(b, "conv_weight", OB_INTS(16, 3, 3, 3));
    ob_weight(b, "fc_weight", OB_INTS(10, 16));
    ob_node(b, "Conv", "conv", "image,conv_weight", "features");
    ob_attr_ints(b, "pads", OB_INTS(1, 1, 1, 1));
    ob_node(b, "Relu", "relu", "features", "activated");
    ob_node(b, "GlobalAveragePool", "pool", "activated", "pooled");
    ob_node(b, "Flatten", "flatten", "pooled", "flat");
    ob_node(b, "Gemm", "fc", "flat,fc_weight", "logits");
    ob_attr_int(b, "transB", 1);
    ob_output(b, "logits");
    uint8_t *bytes = ob_pack(b, size);
    ob_free(b);
    return bytes;
}

/* ---- unreadable files ---- */

TEST(test_empty_file_is_an_input_error_naming_the_file)
{
    char path[64];
    CHECK(write_temp("", 0, path) == 0);
    ps_error err = {0};
    graph *g = onnx_import_file(path, &err);
    CHECK(g == NULL);
    CHECK_INT(err.code, PS_ERR_INPUT);
    CHECK_STR_CONTAINS(err.msg, path);
    CHECK_STR_CONTAINS(err.msg, "empty");
    graph_free(g);
    remove(path);
}

TEST(test_missing_file_is_an_io_error_naming_the_file)
{
    ps_error err = {0};
    graph *g = onnx_import_file("/nonexistent/partsim/model.onnx", &err);
    CHECK(g == NULL);
    CHECK_INT(err.code, PS_ERR_IO);
    CHECK_STR_CONTAINS(err.msg, "/nonexistent/partsim/model.onnx");
    CHECK_STR_CONTAINS(err.msg, "cannot open");
}

TEST(test_text_file_is_not_an_onnx_model)
{
    const char *text = "ir_version: 8\n"
                       "graph {\n  node { op_type: \"Relu\" input: \"x\" output: \"y\" }\n}\n";
    char path[64];
    CHECK(write_temp(text, strlen(text), path) == 0);
    ps_error err = {0};
    graph *g = onnx_import_file(path, &err);
    CHECK(g == NULL);
    CHECK_INT(err.code, PS_ERR_INPUT);
    CHECK_STR_CONTAINS(err.msg, path);
    CHECK_STR_CONTAINS(err.msg, "not an ONNX model");
    graph_free(g);
    remove(path);
}

TEST(test_model_cut_short_is_not_an_onnx_model)
{
    size_t size;
    uint8_t *bytes = valid_model(&size);
    ps_error err = {0};
    graph *whole = onnx_import_buffer(bytes, size, "whole.onnx", &err);
    CHECK(whole != NULL); /* the uncut model is fine */
    graph_free(whole);
    size_t cuts[] = {1, 2, size / 4, size / 2, 3 * size / 4, size - 2, size - 1};
    for (size_t i = 0; i < sizeof cuts / sizeof cuts[0]; i++) {
        error_clear(&err);
        graph *g = onnx_import_buffer(bytes, cuts[i], "cut.onnx", &err);
        CHECK(g == NULL);
        CHECK_INT(err.code, PS_ERR_INPUT);
        CHECK_STR_CONTAINS(err.msg, "cut.onnx");
        CHECK_STR_CONTAINS(err.msg, "not an ONNX model");
        graph_free(g);
    }
    free(bytes);
}

TEST(test_model_cut_at_any_length_never_crashes)
{
    size_t size;
    uint8_t *bytes = valid_model(&size);
    int failed = 0;
    for (size_t len = 0; len < size; len++) {
        ps_error err = {0};
        graph *g = onnx_import_buffer(bytes, len, "cut.onnx", &err);
        if (!g) {
            failed++;
            CHECK_STR_CONTAINS(err.msg, "cut.onnx");
        } else {
            /* A cut exactly between two top-level fields can leave a valid,
             * smaller model; it must then also survive shape inference. */
            if (shapes_infer(g, &err) != 0)
                CHECK_STR_CONTAINS(err.msg, "cut.onnx");
            graph_free(g);
        }
    }
    CHECK(failed >= (int)size - 4); /* all but the few field boundaries */
    free(bytes);
}

TEST(test_random_bytes_are_not_an_onnx_model)
{
    uint64_t state = 0x9e3779b97f4a7c15ull;
    uint8_t bytes[2048];
    for (int trial = 0; trial < 200; trial++) {
        size_t size = 16 + (size_t)(trial * 37) % (sizeof bytes - 16);
        for (size_t i = 0; i < size; i++) {
            state = state * 6364136223846793005ull + 1442695040888963407ull;
            bytes[i] = (uint8_t)(state >> 56);
        }
        ps_error err = {0};
        graph *g = onnx_import_buffer(bytes, size, "noise.bin", &err);
        CHECK(g == NULL);
        CHECK_INT(err.code, PS_ERR_INPUT);
        CHECK_STR_CONTAINS(err.msg, "noise.bin");
        graph_free(g);
    }
}

TEST(test_model_without_a_graph_is_an_input_error)
{
    Onnx__OperatorSetIdProto opset = ONNX__OPERATOR_SET_ID_PROTO__INIT;
    opset.domain = "";
    opset.has_version = 1;
    opset.version = 13;
    Onnx__OperatorSetIdProto *opsets[] = {&opset};
    Onnx__ModelProto model = ONNX__MODEL_PROTO__INIT;
    model.has_ir_version = 1;
    model.ir_version = 8;
    model.n_opset_import = 1;
    model.opset_import = opsets;
    uint8_t bytes[64];
    size_t size = onnx__model_proto__pack(&model, bytes);
    ps_error err = {0};
    graph *g = onnx_import_buffer(bytes, size, "nograph.onnx", &err);
    CHECK(g == NULL);
    CHECK_INT(err.code, PS_ERR_INPUT);
    CHECK_STR_CONTAINS(err.msg, "nograph.onnx");
    CHECK_STR_CONTAINS(err.msg, "no graph");
    graph_free(g);
}

/* ---- graph structure ---- */

TEST(test_unsupported_op_names_the_node_and_the_op)
{
    onnx_builder *b = ob_new(13);
    ob_input(b, "x", GRAPH_DT_FLOAT, OB_INTS(1, 4));
    ob_node(b, "Relu", "relu", "x", "r");
    ob_node(b, "FancyAttention", "attn_3", "r", "y");
    ob_output(b, "y");
    ps_error err = load_fails(b, PS_ERR_UNSUPPORTED);
    CHECK_STR_CONTAINS(err.msg, "'attn_3'");
    CHECK_STR_CONTAINS(err.msg, "FancyAttention");
    CHECK_STR_CONTAINS(err.msg, "not supported");
}

TEST(test_cycle_names_a_node_on_the_cycle)
{
    /* relu_in -> add -> relu_b -> relu_c -> add: a loop behind a valid node */
    onnx_builder *b = ob_new(13);
    ob_input(b, "x", GRAPH_DT_FLOAT, OB_INTS(1, 4));
    ob_node(b, "Relu", "relu_in", "x", "a");
    ob_node(b, "Add", "add", "a,d", "bsum");
    ob_node(b, "Relu", "relu_b", "bsum", "c");
    ob_node(b, "Relu", "relu_c", "c", "d");
    ob_output(b, "d");
    ps_error err = load_fails(b, PS_ERR_INPUT);
    CHECK_STR_CONTAINS(err.msg, "cycle");
    CHECK(strstr(err.msg, "'add'") || strstr(err.msg, "'relu_b'") ||
          strstr(err.msg, "'relu_c'"));
    CHECK(strstr(err.msg, "'relu_in'") == NULL); /* it is not on the cycle */
}

TEST(test_two_nodes_feeding_each_other_are_a_cycle)
{
    onnx_builder *b = ob_new(13);
    ob_input(b, "x", GRAPH_DT_FLOAT, OB_INTS(1, 4));
    ob_node(b, "Add", "left", "x,q", "p");
    ob_node(b, "Relu", "right", "p", "q");
    ob_output(b, "q");
    ps_error err = load_fails(b, PS_ERR_INPUT);
    CHECK_STR_CONTAINS(err.msg, "cycle");
    CHECK(strstr(err.msg, "'left'") || strstr(err.msg, "'right'"));
}

TEST(test_input_produced_by_no_node_is_a_dangling_input)
{
    onnx_builder *b = ob_new(13);
    ob_input(b, "x", GRAPH_DT_FLOAT, OB_INTS(1, 4));
    ob_node(b, "Add", "adder", "x,ghost", "y");
    ob_output(b, "y");
    ps_error err = load_fails(b, PS_ERR_INPUT);
    CHECK_STR_CONTAINS(err.msg, "node 'adder' (Add)");
    CHECK_STR_CONTAINS(err.msg, "'ghost'");
    CHECK_STR_CONTAINS(err.msg, "produced by no node");
}

TEST(test_tensor_produced_twice_names_both_nodes)
{
    onnx_builder *b = ob_new(13);
    ob_input(b, "x", GRAPH_DT_FLOAT, OB_INTS(1, 4));
    ob_node(b, "Relu", "first", "x", "y");
    ob_node(b, "Sigmoid", "second", "x", "y");
    ob_output(b, "y");
    ps_error err = load_fails(b, PS_ERR_INPUT);
    CHECK_STR_CONTAINS(err.msg, "node 'second' (Sigmoid)");
    CHECK_STR_CONTAINS(err.msg, "'y'");
    CHECK_STR_CONTAINS(err.msg, "already produced by node 'first'");
}

/* ---- inconsistent shapes ---- */

TEST(test_concat_of_mismatched_dims_is_an_inconsistent_shape)
{
    onnx_builder *b = ob_new(13);
    ob_input(b, "a", GRAPH_DT_FLOAT, OB_INTS(1, 2, 4, 4));
    ob_input(b, "c", GRAPH_DT_FLOAT, OB_INTS(1, 3, 5, 4));
    ob_node(b, "Concat", "join", "a,c", "y");
    ob_attr_int(b, "axis", 1);
    ps_error err = load_fails(b, PS_ERR_INPUT);
    CHECK_STR_CONTAINS(err.msg, "node 'join' (Concat)");
    CHECK_STR_CONTAINS(err.msg, "inconsistent shapes");
    CHECK_STR_CONTAINS(err.msg, "'c' has 5 at axis 2");
}

TEST(test_reshape_to_a_different_element_count_is_an_inconsistent_shape)
{
    onnx_builder *b = ob_new(13);
    ob_input(b, "x", GRAPH_DT_FLOAT, OB_INTS(2, 3, 4));
    ob_init_ints(b, "shape", OB_INTS(5, 5));
    ob_node(b, "Reshape", "squash", "x,shape", "y");
    ps_error err = load_fails(b, PS_ERR_INPUT);
    CHECK_STR_CONTAINS(err.msg, "node 'squash' (Reshape)");
    CHECK_STR_CONTAINS(err.msg, "24 elements");
    CHECK_STR_CONTAINS(err.msg, "25");
}

TEST(test_reshape_to_a_target_shape_beyond_int64_is_an_inconsistent_shape)
{
    onnx_builder *b = ob_new(13);
    ob_input(b, "x", GRAPH_DT_FLOAT, OB_INTS(2, 3, 4));
    ob_init_ints(b, "shape", OB_INTS(INT64_MAX, 119)); /* the product overflows int64 */
    ob_node(b, "Reshape", "huge", "x,shape", "y");
    ps_error err = load_fails(b, PS_ERR_INPUT);
    CHECK_STR_CONTAINS(err.msg, "node 'huge' (Reshape)");
    CHECK_STR_CONTAINS(err.msg, "24 elements");
}

TEST(test_conv_with_mismatched_input_channels_names_the_weights)
{
    onnx_builder *b = ob_new(13);
    ob_input(b, "x", GRAPH_DT_FLOAT, OB_INTS(1, 3, 8, 8));
    ob_weight(b, "w", OB_INTS(4, 2, 3, 3));
    ob_node(b, "Conv", "conv0", "x,w", "y");
    ps_error err = load_fails(b, PS_ERR_INPUT);
    CHECK_STR_CONTAINS(err.msg, "node 'conv0' (Conv)");
    CHECK_STR_CONTAINS(err.msg, "3 channels");
    CHECK_STR_CONTAINS(err.msg, "'w'");
}

TEST(test_reshape_to_a_runtime_input_shape_is_not_inferable)
{
    onnx_builder *b = ob_new(13);
    ob_input(b, "x", GRAPH_DT_FLOAT, OB_INTS(2, 3, 4));
    ob_input(b, "target", GRAPH_DT_INT64, OB_INTS(2));
    ob_node(b, "Reshape", "dyn", "x,target", "y");
    ps_error err = load_fails(b, PS_ERR_INPUT);
    CHECK_STR_CONTAINS(err.msg, "node 'dyn' (Reshape)");
    CHECK_STR_CONTAINS(err.msg, "'target'");
    CHECK_STR_CONTAINS(err.msg, "must be a constant");
}

TEST(test_opset_newer_than_supported_is_unsupported)
{
    onnx_builder *b = ob_new(ONNX_IMPORT_MAX_OPSET + 1);
    ob_input(b, "x", GRAPH_DT_FLOAT, OB_INTS(1, 4));
    ob_node(b, "Relu", "relu", "x", "y");
    ps_error err = load_fails(b, PS_ERR_UNSUPPORTED);
    char expected[64];
    snprintf(expected, sizeof expected, "opset %d", ONNX_IMPORT_MAX_OPSET + 1);
    CHECK_STR_CONTAINS(err.msg, expected);
    snprintf(expected, sizeof expected, "up to %d", ONNX_IMPORT_MAX_OPSET);
    CHECK_STR_CONTAINS(err.msg, expected);
}

/* ---- crafted values: errors, never overflows or crashes ---- */

TEST(test_huge_attribute_and_constant_values_are_errors_not_overflows)
{
    onnx_builder *b = ob_new(13); /* blocksize² overflowed to 0: division by zero */
    ob_input(b, "x", GRAPH_DT_FLOAT, OB_INTS(1, 4, 8, 8));
    ob_node(b, "DepthToSpace", "d2s", "x", "y");
    ob_attr_int(b, "blocksize", (int64_t)1 << 33);
    CHECK_STR_CONTAINS(load_fails(b, PS_ERR_INPUT).msg, "node 'd2s' (DepthToSpace)");

    b = ob_new(13);
    ob_input(b, "x", GRAPH_DT_FLOAT, OB_INTS(1, 3, 8, 8));
    ob_weight(b, "w", OB_INTS(4, 3, 3, 3));
    ob_node(b, "Conv", "conv", "x,w", "y");
    ob_attr_ints(b, "pads", OB_INTS(INT64_MAX, 0, 0, 0));
    CHECK_STR_CONTAINS(load_fails(b, PS_ERR_INPUT).msg, "node 'conv' (Conv)");

    b = ob_new(13);
    ob_input(b, "x", GRAPH_DT_FLOAT, OB_INTS(1, 3, 8, 8));
    ob_init_ints(b, "repeats", OB_INTS(1, 1, INT64_MAX / 2, 1));
    ob_node(b, "Tile", "tile", "x,repeats", "y");
    CHECK_STR_CONTAINS(load_fails(b, PS_ERR_INPUT).msg, "node 'tile' (Tile)");

    b = ob_new(13);
    ob_input(b, "x", GRAPH_DT_FLOAT, OB_INTS(1, 3, 8, 8));
    ob_init_floats(b, "scales", OB_FLOATS(1.0f, 1.0f, 1e30f, 1.0f));
    ob_node(b, "Resize", "resize", "x,,scales", "y");
    CHECK_STR_CONTAINS(load_fails(b, PS_ERR_INPUT).msg, "node 'resize' (Resize)");

    b = ob_new(18); /* more axes than the rank: overran a fixed array */
    ob_input(b, "x", GRAPH_DT_FLOAT, OB_INTS(1, 3, 4, 4));
    ob_init_ints(b, "sizes", OB_INTS(1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1));
    ob_node(b, "Resize", "resize_axes", "x,,,sizes", "y");
    ob_attr_ints(b, "axes", OB_INTS(0, 1, 2, 3, 0, 1, 2, 3, 0, 1, 2, 3));
    ps_error err = load_fails(b, PS_ERR_INPUT);
    CHECK_STR_CONTAINS(err.msg, "node 'resize_axes' (Resize)");
    CHECK_STR_CONTAINS(err.msg, "axes has 12 entries for rank 4");

    b = ob_new(13); /* shapes within limits whose MACs are not: 2^46 outputs · 2^46 */
    ob_input(b, "x", GRAPH_DT_FLOAT, OB_INTS(1, 1, (int64_t)1 << 24, (int64_t)1 << 24));
    ob_weight(b, "w", OB_INTS(1, 1, (int64_t)1 << 23, (int64_t)1 << 23));
    ob_node(b, "Conv", "giant", "x,w", "y");
    err = load_fails(b, PS_ERR_INPUT);
    CHECK_STR_CONTAINS(err.msg, "node 'giant' (Conv)");
    CHECK_STR_CONTAINS(err.msg, "multiply-accumulates");
}

TEST(test_integer_constants_whose_result_overflows_are_left_unfolded)
{
    onnx_builder *b = ob_new(13);
    ob_init_ints(b, "min", OB_INTS(INT64_MIN));
    ob_init_ints(b, "max", OB_INTS(INT64_MAX));
    ob_init_ints(b, "minus1", OB_INTS(-1));
    ob_node(b, "Div", "div", "min,minus1", "quotient"); /* traps on x86 */
    ob_node(b, "Mod", "mod", "min,minus1", "remainder");
    ob_node(b, "Mul", "mul", "max,max", "product");
    ob_node(b, "Neg", "neg", "min", "negated");
    ps_error err = {0};
    graph *g = ob_load(b, &err);
    ob_free(b);
    CHECK(g != NULL);
    if (!g)
        return;
    const char *outputs[] = {"quotient", "remainder", "product", "negated"};
    for (int i = 0; i < 4; i++) {
        CHECK(!g->nodes[i].is_const);
        CHECK(g->tensors[graph_find(g, outputs[i])].value == NULL);
        CHECK_INT(g->tensors[graph_find(g, outputs[i])].rank, 1); /* the shape is still known */
    }
    graph_free(g);
}

/* ---- topological order ---- */

TEST(test_nodes_out_of_file_order_are_scheduled_by_dependency_then_file_order)
{
    /* File order: 0 late (needs b), 1 side, 2 early, 3 join (needs c and a2).
     * Ready at the start: 1 and 2 -> 1 first (file order), then 2, which
     * frees 0, then 3. */
    onnx_builder *b = ob_new(13);
    ob_input(b, "x", GRAPH_DT_FLOAT, OB_INTS(1, 4));
    ob_node(b, "Relu", "late", "bb", "c");
    ob_node(b, "Sigmoid", "side", "x", "a2");
    ob_node(b, "Tanh", "early", "x", "bb");
    ob_node(b, "Add", "join", "c,a2", "y");
    ob_output(b, "y");
    ps_error err = {0};
    graph *g = ob_load(b, &err);
    ob_free(b);
    CHECK(g != NULL);
    if (!g)
        return;
    CHECK_INT(g->n_nodes, 4);
    CHECK_INT(g->order[0], 1); /* side */
    CHECK_INT(g->order[1], 2); /* early */
    CHECK_INT(g->order[2], 0); /* late */
    CHECK_INT(g->order[3], 3); /* join */
    graph_free(g);
}

TEST(test_chain_listed_backwards_is_scheduled_forwards)
{
    onnx_builder *b = ob_new(13);
    ob_input(b, "x", GRAPH_DT_FLOAT, OB_INTS(1, 4));
    ob_node(b, "Relu", "third", "b2", "y");
    ob_node(b, "Relu", "second", "a1", "b2");
    ob_node(b, "Relu", "first", "x", "a1");
    ob_output(b, "y");
    ps_error err = {0};
    graph *g = ob_load(b, &err);
    ob_free(b);
    CHECK(g != NULL);
    if (!g)
        return;
    CHECK_INT(g->order[0], 2); /* node indices follow the file */
    CHECK_INT(g->order[1], 1);
    CHECK_INT(g->order[2], 0);
    graph_free(g);
}

TEST_MAIN(T(test_empty_file_is_an_input_error_naming_the_file),
          T(test_missing_file_is_an_io_error_naming_the_file),
          T(test_text_file_is_not_an_onnx_model),
          T(test_model_cut_short_is_not_an_onnx_model),
          T(test_model_cut_at_any_length_never_crashes),
          T(test_random_bytes_are_not_an_onnx_model),
          T(test_model_without_a_graph_is_an_input_error),
          T(test_unsupported_op_names_the_node_and_the_op),
          T(test_cycle_names_a_node_on_the_cycle),
          T(test_two_nodes_feeding_each_other_are_a_cycle),
          T(test_input_produced_by_no_node_is_a_dangling_input),
          T(test_tensor_produced_twice_names_both_nodes),
          T(test_concat_of_mismatched_dims_is_an_inconsistent_shape),
          T(test_reshape_to_a_different_element_count_is_an_inconsistent_shape),
          T(test_reshape_to_a_target_shape_beyond_int64_is_an_inconsistent_shape),
          T(test_conv_with_mismatched_input_channels_names_the_weights),
          T(test_reshape_to_a_runtime_input_shape_is_not_inferable),
          T(test_opset_newer_than_supported_is_unsupported),
          T(test_huge_attribute_and_constant_values_are_errors_not_overflows),
          T(test_integer_constants_whose_result_overflows_are_left_unfolded),
          T(test_nodes_out_of_file_order_are_scheduled_by_dependency_then_file_order),
          T(test_chain_listed_backwards_is_scheduled_forwards))
