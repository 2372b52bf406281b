/* Shape rules of workloads/shapes.c, one test per rule: each builds a small
 * ONNX model in memory (tests/workloads/onnx_builder.h), imports it with
 * onnx_import_buffer() and runs shapes_infer(), then compares the inferred
 * shapes, MACs, parameters and element counts with values worked out by
 * hand from the ONNX operator specification (comments show the arithmetic). */
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "tests/harness.h"
#include "tests/workloads/onnx_builder.h"
#include "workloads/graph.h"
#include "workloads/shapes.h"

/* ---- helpers ---- */

/* Import and infer the model `b` describes, then free `b`.  A failure is a
 * failed check and returns NULL. */
static graph *load(onnx_builder *b)
{
    ps_error err = {0};
    graph *g = ob_load(b, &err);
    ob_free(b);
    if (!g) {
        fprintf(stderr, "model did not load: %s\n", err.msg);
        harness_failed_checks++;
    }
    return g;
}

/* Tensor / node by name; a missing one is a failed check and yields a blank
 * stand-in, so that a test goes on without crashing. */
static const graph_tensor *tensor_named(const graph *g, const char *name)
{
    static graph_tensor blank = {.rank = -1};
    int t = graph_find(g, name);
    if (t < 0) {
        fprintf(stderr, "no tensor '%s'\n", name);
        harness_failed_checks++;
        return &blank;
    }
    return &g->tensors[t];
}

static const graph_node *node_named(const graph *g, const char *name)
{
    static graph_node blank;
    for (int i = 0; i < g->n_nodes; i++)
        if (strcmp(g->nodes[i].name, name) == 0)
            return &g->nodes[i];
    fprintf(stderr, "no node '%s'\n", name);
    harness_failed_checks++;
    return &blank;
}

/* Value k of a tensor folded to a known constant (0 and a failed check if none). */
static int64_t value_int(const graph *g, const char *name, int64_t k)
{
    const graph_tensor *t = tensor_named(g, name);
    if (!t->value || k >= t->value->n) {
        fprintf(stderr, "tensor '%s' has no known value #%lld\n", name, (long long)k);
        harness_failed_checks++;
        return 0;
    }
    return t->value->is_float ? (int64_t)t->value->f[k] : t->value->i[k];
}

#define CHECK_SHAPE(g, name, expected) check_shape(__FILE__, __LINE__, (g), (name), (expected))
static void check_shape(const char *file, int line, const graph *g, const char *name,
                        const char *expected)
{
    char buf[128];
    graph_shape_str(tensor_named(g, name), buf, sizeof buf);
    if (strcmp(buf, expected) != 0) {
        fprintf(stderr, "%s:%d: shape of '%s' is %s, expected %s\n", file, line, name, buf,
                expected);
        harness_failed_checks++;
    }
}

/* ---- convolution ---- */

TEST(test_conv_output_shape_with_strides_dilations_and_asymmetric_pads)
{
    onnx_builder *b = ob_new(13);
    ob_input(b, "x", GRAPH_DT_FLOAT, OB_INTS(1, 3, 10, 12));
    ob_weight(b, "w", OB_INTS(8, 3, 3, 3));
    ob_weight(b, "bias", OB_INTS(8));
    ob_node(b, "Conv", "conv", "x,w,bias", "y");
    ob_attr_ints(b, "strides", OB_INTS(2, 3));
    ob_attr_ints(b, "dilations", OB_INTS(2, 1));
    ob_attr_ints(b, "pads", OB_INTS(1, 0, 2, 1)); /* H: 1 top, 2 bottom; W: 0 left, 1 right */
    ob_output(b, "y");
    graph *g = load(b);
    if (!g)
        return;
    /* H: window (3-1)*2+1 = 5; (10 + 1 + 2 - 5) / 2 + 1 = 5
     * W: window 3;             (12 + 0 + 1 - 3) / 3 + 1 = 4 */
    CHECK_SHAPE(g, "y", "1x8x5x4");
    const graph_node *n = node_named(g, "conv");
    CHECK_INT(n->macs, 4320);     /* K·C·R·S·P·Q = 8·3·3·3·5·4 */
    CHECK_INT(n->params, 224);    /* weights 8·3·3·3 = 216, bias 8 */
    CHECK_INT(n->in_elems, 360);  /* 3·10·12 */
    CHECK_INT(n->out_elems, 160); /* 8·5·4 */
    CHECK(!n->is_const);
    graph_free(g);
}

TEST(test_conv_output_shape_with_auto_pad_same_upper_same_lower_and_valid)
{
    onnx_builder *b = ob_new(13);
    ob_input(b, "x", GRAPH_DT_FLOAT, OB_INTS(1, 1, 7, 8));
    ob_weight(b, "w", OB_INTS(2, 1, 3, 3));
    const char *modes[] = {"SAME_UPPER", "SAME_LOWER", "VALID"};
    const char *outs[] = {"y_upper", "y_lower", "y_valid"};
    for (int i = 0; i < 3; i++) {
        ob_node(b, "Conv", outs[i], "x,w", outs[i]);
        ob_attr_string(b, "auto_pad", modes[i]);
        ob_attr_ints(b, "strides", OB_INTS(2, 3));
    }
    graph *g = load(b);
    if (!g)
        return;
    /* SAME_*: ceil(in / stride): H ceil(7/2) = 4, W ceil(8/3) = 3 */
    CHECK_SHAPE(g, "y_upper", "1x2x4x3");
    CHECK_SHAPE(g, "y_lower", "1x2x4x3");
    /* VALID: (in - window) / stride + 1: H (7-3)/2+1 = 3, W (8-3)/3+1 = 2 */
    CHECK_SHAPE(g, "y_valid", "1x2x3x2");
    CHECK_INT(node_named(g, "y_upper")->macs, 216); /* 2·1·3·3·4·3 */
    CHECK_INT(node_named(g, "y_valid")->macs, 108); /* 2·1·3·3·3·2 */
    graph_free(g);
}

TEST(test_grouped_conv_macs_divide_input_channels_by_groups)
{
    onnx_builder *b = ob_new(13);
    ob_input(b, "x", GRAPH_DT_FLOAT, OB_INTS(1, 8, 6, 6));
    ob_weight(b, "w", OB_INTS(16, 2, 3, 3)); /* 8 channels / 4 groups = 2 per filter */
    ob_node(b, "Conv", "conv", "x,w", "y");
    ob_attr_int(b, "group", 4);
    ob_attr_ints(b, "pads", OB_INTS(1, 1, 1, 1));
    graph *g = load(b);
    if (!g)
        return;
    CHECK_SHAPE(g, "y", "1x16x6x6"); /* (6 + 2 - 3) / 1 + 1 = 6 */
    const graph_node *n = node_named(g, "conv");
    CHECK_INT(n->macs, 10368); /* K·C/groups·R·S·P·Q = 16·(8/4)·3·3·6·6 */
    CHECK_INT(n->params, 288); /* 16·2·3·3 */
    graph_free(g);
}

TEST(test_depthwise_conv_macs_use_one_input_channel_per_filter)
{
    onnx_builder *b = ob_new(13);
    ob_input(b, "x", GRAPH_DT_FLOAT, OB_INTS(1, 8, 6, 6));
    ob_weight(b, "w", OB_INTS(8, 1, 3, 3));
    ob_node(b, "Conv", "dw", "x,w", "y");
    ob_attr_int(b, "group", 8);
    ob_attr_ints(b, "strides", OB_INTS(2, 2));
    ob_attr_ints(b, "pads", OB_INTS(1, 1, 1, 1));
    graph *g = load(b);
    if (!g)
        return;
    CHECK_SHAPE(g, "y", "1x8x3x3"); /* (6 + 2 - 3) / 2 + 1 = 3 */
    CHECK_INT(node_named(g, "dw")->macs, 648); /* 8·(8/8)·3·3·3·3 */
    CHECK_INT(node_named(g, "dw")->params, 72); /* 8·1·3·3 */
    graph_free(g);
}

TEST(test_conv_transpose_output_shape_with_strides_pads_and_output_padding)
{
    onnx_builder *b = ob_new(13);
    ob_input(b, "x", GRAPH_DT_FLOAT, OB_INTS(1, 4, 5, 5));
    ob_weight(b, "w", OB_INTS(4, 2, 3, 3)); /* C_in x K/groups x R x S */
    ob_node(b, "ConvTranspose", "up", "x,w", "y");
    ob_attr_ints(b, "strides", OB_INTS(2, 2));
    ob_attr_ints(b, "pads", OB_INTS(1, 1, 1, 1));
    ob_attr_ints(b, "output_padding", OB_INTS(1, 1));
    graph *g = load(b);
    if (!g)
        return;
    /* stride·(in-1) + output_padding + window - pads = 2·4 + 1 + 3 - 2 = 10 */
    CHECK_SHAPE(g, "y", "1x2x10x10");
    CHECK_INT(node_named(g, "up")->macs, 1800); /* C_in·H·W·(K/g)·R·S = 4·5·5·2·3·3 */
    graph_free(g);
}

TEST(test_conv_transpose_output_shape_attribute_sets_the_spatial_size)
{
    onnx_builder *b = ob_new(13);
    ob_input(b, "x", GRAPH_DT_FLOAT, OB_INTS(1, 4, 5, 5));
    ob_weight(b, "w", OB_INTS(4, 3, 3, 3));
    ob_node(b, "ConvTranspose", "up", "x,w", "y");
    ob_attr_ints(b, "strides", OB_INTS(2, 2));
    ob_attr_ints(b, "output_shape", OB_INTS(11, 9));
    ob_attr_int(b, "group", 2);
    graph *g = load(b);
    if (!g)
        return;
    CHECK_SHAPE(g, "y", "1x6x11x9"); /* K = 3 per group · 2 groups */
    CHECK_INT(node_named(g, "up")->macs, 2700); /* 4·5·5·3·3·3 */
    graph_free(g);
}

/* ---- linear algebra ---- */

TEST(test_gemm_with_trans_a_and_trans_b_has_m_n_k_macs)
{
    onnx_builder *b = ob_new(13);
    ob_input(b, "a", GRAPH_DT_FLOAT, OB_INTS(3, 4)); /* transA: M = 4, K = 3 */
    ob_weight(b, "bw", OB_INTS(5, 3));               /* transB: N = 5, K = 3 */
    ob_weight(b, "c", OB_INTS(5));
    ob_node(b, "Gemm", "fc", "a,bw,c", "y");
    ob_attr_int(b, "transA", 1);
    ob_attr_int(b, "transB", 1);
    graph *g = load(b);
    if (!g)
        return;
    CHECK_SHAPE(g, "y", "4x5");
    const graph_node *n = node_named(g, "fc");
    CHECK_INT(n->macs, 60);     /* M·N·K = 4·5·3 */
    CHECK_INT(n->params, 20);   /* 5·3 + 5 */
    CHECK_INT(n->in_elems, 12); /* only A is an activation */
    CHECK_INT(n->out_elems, 20);
    graph_free(g);
}

TEST(test_gemm_without_transposes_has_m_n_k_macs)
{
    onnx_builder *b = ob_new(13);
    ob_input(b, "a", GRAPH_DT_FLOAT, OB_INTS(2, 6));
    ob_weight(b, "bw", OB_INTS(6, 7));
    ob_node(b, "Gemm", "fc", "a,bw", "y");
    graph *g = load(b);
    if (!g)
        return;
    CHECK_SHAPE(g, "y", "2x7");
    CHECK_INT(node_named(g, "fc")->macs, 84); /* 2·7·6 */
    graph_free(g);
}

TEST(test_matmul_with_one_dimensional_operands_drops_their_axis)
{
    onnx_builder *b = ob_new(13);
    ob_input(b, "v", GRAPH_DT_FLOAT, OB_INTS(4));
    ob_input(b, "m", GRAPH_DT_FLOAT, OB_INTS(4, 6));
    ob_input(b, "t", GRAPH_DT_FLOAT, OB_INTS(2, 3, 4));
    ob_node(b, "MatMul", "vm", "v,m", "vm_out");
    ob_node(b, "MatMul", "tv", "t,v", "tv_out");
    graph *g = load(b);
    if (!g)
        return;
    CHECK_SHAPE(g, "vm_out", "6");   /* [4] @ 4x6: the prepended 1 is removed */
    CHECK_SHAPE(g, "tv_out", "2x3"); /* 2x3x4 @ [4]: the appended 1 is removed */
    CHECK_INT(node_named(g, "vm")->macs, 24); /* N·K = 6·4 */
    CHECK_INT(node_named(g, "tv")->macs, 24); /* batch·M·K = 2·3·4 */
    graph_free(g);
}

TEST(test_matmul_broadcasts_batch_dimensions)
{
    onnx_builder *b = ob_new(13);
    ob_input(b, "a", GRAPH_DT_FLOAT, OB_INTS(2, 1, 3, 4));
    ob_weight(b, "w", OB_INTS(5, 4, 6));
    ob_node(b, "MatMul", "mm", "a,w", "y");
    graph *g = load(b);
    if (!g)
        return;
    CHECK_SHAPE(g, "y", "2x5x3x6"); /* batch (2,1) with (5) -> (2,5); 3x4 @ 4x6 */
    CHECK_INT(node_named(g, "mm")->macs, 720); /* batch·M·N·K = 10·3·6·4 */
    CHECK_INT(node_named(g, "mm")->params, 120); /* 5·4·6 */
    graph_free(g);
}

/* ---- pooling ---- */

TEST(test_maxpool_output_shape_with_asymmetric_pads_and_no_macs)
{
    onnx_builder *b = ob_new(13);
    ob_input(b, "x", GRAPH_DT_FLOAT, OB_INTS(1, 1, 5, 6));
    ob_node(b, "MaxPool", "pool", "x", "y");
    ob_attr_ints(b, "kernel_shape", OB_INTS(2, 3));
    ob_attr_ints(b, "strides", OB_INTS(1, 2));
    ob_attr_ints(b, "pads", OB_INTS(0, 1, 1, 0));
    graph *g = load(b);
    if (!g)
        return;
    /* H: (5 + 0 + 1 - 2) / 1 + 1 = 5;  W: (6 + 1 + 0 - 3) / 2 + 1 = 3 */
    CHECK_SHAPE(g, "y", "1x1x5x3");
    CHECK_INT(node_named(g, "pool")->macs, 0);
    CHECK_INT(node_named(g, "pool")->in_elems, 30);
    CHECK_INT(node_named(g, "pool")->out_elems, 15);
    graph_free(g);
}

TEST(test_averagepool_ceil_mode_rounds_the_output_size_up)
{
    onnx_builder *b = ob_new(13);
    ob_input(b, "x", GRAPH_DT_FLOAT, OB_INTS(1, 3, 8, 8));
    for (int ceil_mode = 0; ceil_mode <= 1; ceil_mode++) {
        ob_node(b, "AveragePool", NULL, "x", ceil_mode ? "y_ceil" : "y_floor");
        ob_attr_ints(b, "kernel_shape", OB_INTS(3, 3));
        ob_attr_ints(b, "strides", OB_INTS(2, 2));
        ob_attr_ints(b, "pads", OB_INTS(1, 1, 1, 1));
        ob_attr_int(b, "ceil_mode", ceil_mode);
    }
    graph *g = load(b);
    if (!g)
        return;
    /* (8 + 2 - 3) / 2 = 3.5: floor 3 + 1 = 4, ceil 4 + 1 = 5 */
    CHECK_SHAPE(g, "y_floor", "1x3x4x4");
    CHECK_SHAPE(g, "y_ceil", "1x3x5x5");
    graph_free(g);
}

TEST(test_global_average_pool_keeps_batch_and_channels)
{
    onnx_builder *b = ob_new(13);
    ob_input(b, "x", GRAPH_DT_FLOAT, OB_INTS(1, 16, 7, 5));
    ob_node(b, "GlobalAveragePool", "gap", "x", "y");
    graph *g = load(b);
    if (!g)
        return;
    CHECK_SHAPE(g, "y", "1x16x1x1");
    CHECK_INT(node_named(g, "gap")->out_elems, 16);
    graph_free(g);
}

/* ---- layout ---- */

TEST(test_concat_adds_up_the_axis_and_accepts_a_negative_axis)
{
    onnx_builder *b = ob_new(13);
    ob_input(b, "a", GRAPH_DT_FLOAT, OB_INTS(1, 2, 4, 4));
    ob_input(b, "b", GRAPH_DT_FLOAT, OB_INTS(1, 3, 4, 4));
    ob_input(b, "c", GRAPH_DT_FLOAT, OB_INTS(1, 5, 4, 4));
    ob_node(b, "Concat", "cat", "a,b,c", "y");
    ob_attr_int(b, "axis", 1);
    ob_node(b, "Concat", "cat_last", "a,a", "z");
    ob_attr_int(b, "axis", -1);
    graph *g = load(b);
    if (!g)
        return;
    CHECK_SHAPE(g, "y", "1x10x4x4"); /* 2 + 3 + 5 */
    CHECK_SHAPE(g, "z", "1x2x4x8");
    CHECK_INT(node_named(g, "cat")->in_elems, 160); /* 32 + 48 + 80 */
    CHECK_INT(node_named(g, "cat")->out_elems, 160);
    graph_free(g);
}

TEST(test_split_sizes_from_attribute_in_opset_11)
{
    onnx_builder *b = ob_new(11);
    ob_input(b, "x", GRAPH_DT_FLOAT, OB_INTS(1, 10, 4));
    ob_node(b, "Split", "split", "x", "p,q,r");
    ob_attr_int(b, "axis", 1);
    ob_attr_ints(b, "split", OB_INTS(2, 3, 5));
    graph *g = load(b);
    if (!g)
        return;
    CHECK_SHAPE(g, "p", "1x2x4");
    CHECK_SHAPE(g, "q", "1x3x4");
    CHECK_SHAPE(g, "r", "1x5x4");
    CHECK_INT(node_named(g, "split")->out_elems, 40); /* all outputs: 8 + 12 + 20 */
    graph_free(g);
}

TEST(test_split_sizes_from_input_in_opset_13)
{
    onnx_builder *b = ob_new(13);
    ob_input(b, "x", GRAPH_DT_FLOAT, OB_INTS(1, 10, 4));
    ob_init_ints(b, "sizes", OB_INTS(4, 6));
    ob_node(b, "Split", "split", "x,sizes", "p,q");
    ob_attr_int(b, "axis", -2);
    graph *g = load(b);
    if (!g)
        return;
    CHECK_SHAPE(g, "p", "1x4x4");
    CHECK_SHAPE(g, "q", "1x6x4");
    CHECK_INT(node_named(g, "split")->in_elems, 40); /* the sizes are not activations */
    graph_free(g);
}

TEST(test_split_without_sizes_is_even_and_num_outputs_makes_the_last_part_smaller)
{
    onnx_builder *b = ob_new(18);
    ob_input(b, "x", GRAPH_DT_FLOAT, OB_INTS(1, 12, 4));
    ob_input(b, "u", GRAPH_DT_FLOAT, OB_INTS(1, 7, 4));
    ob_node(b, "Split", "even", "x", "e0,e1,e2");
    ob_attr_int(b, "axis", 1);
    ob_attr_int(b, "num_outputs", 3);
    ob_node(b, "Split", "uneven", "u", "u0,u1,u2");
    ob_attr_int(b, "axis", 1);
    ob_attr_int(b, "num_outputs", 3);
    graph *g = load(b);
    if (!g)
        return;
    CHECK_SHAPE(g, "e0", "1x4x4"); /* 12 / 3 */
    CHECK_SHAPE(g, "e2", "1x4x4");
    CHECK_SHAPE(g, "u0", "1x3x4"); /* ceil(7 / 3) = 3, 3, then the 1 left */
    CHECK_SHAPE(g, "u1", "1x3x4");
    CHECK_SHAPE(g, "u2", "1x1x4");
    graph_free(g);
}

TEST(test_flatten_with_axis_zero_default_and_negative_axes)
{
    onnx_builder *b = ob_new(13);
    ob_input(b, "x", GRAPH_DT_FLOAT, OB_INTS(2, 3, 4, 5));
    ob_node(b, "Flatten", NULL, "x", "f0");
    ob_attr_int(b, "axis", 0);
    ob_node(b, "Flatten", NULL, "x", "f_default");
    ob_node(b, "Flatten", NULL, "x", "f_minus1");
    ob_attr_int(b, "axis", -1);
    ob_node(b, "Flatten", NULL, "x", "f_minus3");
    ob_attr_int(b, "axis", -3);
    graph *g = load(b);
    if (!g)
        return;
    CHECK_SHAPE(g, "f0", "1x120");        /* nothing before axis 0 */
    CHECK_SHAPE(g, "f_default", "2x60");  /* axis 1: 2 | 3·4·5 */
    CHECK_SHAPE(g, "f_minus1", "24x5");   /* axis 3: 2·3·4 | 5 */
    CHECK_SHAPE(g, "f_minus3", "2x60");   /* axis 1 */
    graph_free(g);
}

TEST(test_reshape_copies_zero_and_infers_minus_one_from_an_int64_initializer)
{
    onnx_builder *b = ob_new(13);
    ob_input(b, "x", GRAPH_DT_FLOAT, OB_INTS(2, 3, 4));
    ob_init_ints(b, "keep_batch", OB_INTS(0, -1));
    ob_init_ints(b, "mixed", OB_INTS(-1, 0, 2));
    ob_node(b, "Reshape", "r1", "x,keep_batch", "y1");
    ob_node(b, "Reshape", "r2", "x,mixed", "y2");
    graph *g = load(b);
    if (!g)
        return;
    CHECK_SHAPE(g, "y1", "2x12");  /* 0 copies 2; -1 = 24 / 2 */
    CHECK_SHAPE(g, "y2", "4x3x2"); /* 0 copies 3; -1 = 24 / (3·2) */
    const graph_node *n = node_named(g, "r1");
    CHECK_INT(n->params, 0);    /* an int64 shape is not a parameter */
    CHECK_INT(n->in_elems, 24); /* nor an activation */
    CHECK_INT(n->out_elems, 24);
    graph_free(g);
}

TEST(test_transpose_with_perm_and_default_reversal)
{
    onnx_builder *b = ob_new(13);
    ob_input(b, "x", GRAPH_DT_FLOAT, OB_INTS(2, 3, 4, 5));
    ob_node(b, "Transpose", NULL, "x", "nhwc");
    ob_attr_ints(b, "perm", OB_INTS(0, 2, 3, 1));
    ob_node(b, "Transpose", NULL, "x", "reversed");
    graph *g = load(b);
    if (!g)
        return;
    CHECK_SHAPE(g, "nhwc", "2x4x5x3");
    CHECK_SHAPE(g, "reversed", "5x4x3x2");
    graph_free(g);
}

TEST(test_squeeze_and_unsqueeze_take_axes_from_an_attribute_in_opset_11)
{
    onnx_builder *b = ob_new(11);
    ob_input(b, "x", GRAPH_DT_FLOAT, OB_INTS(1, 1, 3, 1));
    ob_input(b, "m", GRAPH_DT_FLOAT, OB_INTS(3, 4));
    ob_node(b, "Squeeze", NULL, "x", "sq_axes");
    ob_attr_ints(b, "axes", OB_INTS(1, -1));
    ob_node(b, "Squeeze", NULL, "x", "sq_all");
    ob_node(b, "Unsqueeze", NULL, "m", "unsq");
    ob_attr_ints(b, "axes", OB_INTS(0, 3)); /* axes of the rank-4 output */
    graph *g = load(b);
    if (!g)
        return;
    CHECK_SHAPE(g, "sq_axes", "1x3"); /* axes 1 and 3 go */
    CHECK_SHAPE(g, "sq_all", "3");    /* no axes: every 1 goes */
    CHECK_SHAPE(g, "unsq", "1x3x4x1");
    graph_free(g);
}

TEST(test_squeeze_and_unsqueeze_take_axes_from_an_input_in_opset_13)
{
    onnx_builder *b = ob_new(13);
    ob_input(b, "x", GRAPH_DT_FLOAT, OB_INTS(1, 1, 3, 1));
    ob_input(b, "m", GRAPH_DT_FLOAT, OB_INTS(3, 4));
    ob_init_ints(b, "first", OB_INTS(0));
    ob_init_ints(b, "last", OB_INTS(-1));
    ob_init_ints(b, "second", OB_INTS(1));
    ob_node(b, "Squeeze", NULL, "x,first", "sq");
    ob_node(b, "Unsqueeze", NULL, "m,last", "unsq_last");
    ob_node(b, "Unsqueeze", NULL, "m,second", "unsq_second");
    graph *g = load(b);
    if (!g)
        return;
    CHECK_SHAPE(g, "sq", "1x3x1");
    CHECK_SHAPE(g, "unsq_last", "3x4x1");
    CHECK_SHAPE(g, "unsq_second", "3x1x4");
    graph_free(g);
}

TEST(test_pad_adds_begin_and_end_pads_from_input_or_attribute)
{
    onnx_builder *b = ob_new(11);
    ob_input(b, "x", GRAPH_DT_FLOAT, OB_INTS(1, 3, 4, 5));
    ob_init_ints(b, "grow", OB_INTS(0, 0, 1, 2, 0, 0, 3, 4));
    ob_init_ints(b, "crop", OB_INTS(0, 0, -1, 0, 0, 0, 0, -2));
    ob_node(b, "Pad", NULL, "x,grow", "grown");
    ob_node(b, "Pad", NULL, "x,crop", "cropped");
    graph *g = load(b);
    if (!g)
        return;
    CHECK_SHAPE(g, "grown", "1x3x8x11");  /* H 4+1+3, W 5+2+4 */
    CHECK_SHAPE(g, "cropped", "1x3x3x3"); /* H 4-1, W 5-2 */
    graph_free(g);

    b = ob_new(2); /* before opset 11 the pads are an attribute */
    ob_input(b, "x", GRAPH_DT_FLOAT, OB_INTS(1, 3, 4, 5));
    ob_node(b, "Pad", NULL, "x", "y");
    ob_attr_ints(b, "pads", OB_INTS(0, 0, 1, 1, 0, 0, 1, 1));
    g = load(b);
    if (!g)
        return;
    CHECK_SHAPE(g, "y", "1x3x6x7");
    graph_free(g);
}

TEST(test_resize_output_from_scales_or_from_sizes)
{
    onnx_builder *b = ob_new(13);
    ob_input(b, "x", GRAPH_DT_FLOAT, OB_INTS(1, 3, 4, 6));
    ob_init_floats(b, "scales", OB_FLOATS(1.0f, 1.0f, 2.0f, 1.5f));
    ob_init_ints(b, "sizes", OB_INTS(1, 3, 5, 7));
    ob_node(b, "Resize", "by_scales", "x,,scales", "ys"); /* (X, roi, scales) */
    ob_node(b, "Resize", "by_sizes", "x,,,sizes", "yz");  /* (X, roi, scales, sizes) */
    graph *g = load(b);
    if (!g)
        return;
    CHECK_SHAPE(g, "ys", "1x3x8x9"); /* floor(4·2), floor(6·1.5) */
    CHECK_SHAPE(g, "yz", "1x3x5x7");
    CHECK_INT(node_named(g, "by_scales")->in_elems, 72); /* scales are constants */
    CHECK_INT(node_named(g, "by_scales")->params, 4);    /* a float initializer counts */
    graph_free(g);
}

TEST(test_upsample_scales_from_input_in_opset_9_and_attribute_in_opset_7)
{
    onnx_builder *b = ob_new(9);
    ob_input(b, "x", GRAPH_DT_FLOAT, OB_INTS(1, 3, 4, 6));
    ob_init_floats(b, "scales", OB_FLOATS(1.0f, 1.0f, 2.0f, 2.0f));
    ob_node(b, "Upsample", NULL, "x,scales", "y");
    graph *g = load(b);
    if (!g)
        return;
    CHECK_SHAPE(g, "y", "1x3x8x12");
    graph_free(g);

    b = ob_new(7);
    ob_input(b, "x", GRAPH_DT_FLOAT, OB_INTS(1, 3, 4, 6));
    ob_node(b, "Upsample", NULL, "x", "y");
    ob_attr_floats(b, "scales", OB_FLOATS(1.0f, 1.0f, 3.0f, 2.0f));
    g = load(b);
    if (!g)
        return;
    CHECK_SHAPE(g, "y", "1x3x12x12");
    graph_free(g);
}

TEST(test_reduce_mean_with_and_without_keepdims)
{
    onnx_builder *b = ob_new(13);
    ob_input(b, "x", GRAPH_DT_FLOAT, OB_INTS(1, 3, 4, 5));
    ob_node(b, "ReduceMean", NULL, "x", "kept");
    ob_attr_ints(b, "axes", OB_INTS(2, 3));
    ob_node(b, "ReduceMean", NULL, "x", "dropped");
    ob_attr_ints(b, "axes", OB_INTS(2, -1));
    ob_attr_int(b, "keepdims", 0);
    ob_node(b, "ReduceMean", NULL, "x", "all");
    ob_attr_int(b, "keepdims", 0);
    graph *g = load(b);
    if (!g)
        return;
    CHECK_SHAPE(g, "kept", "1x3x1x1");
    CHECK_SHAPE(g, "dropped", "1x3");
    CHECK_SHAPE(g, "all", "scalar"); /* no axes: reduce every axis */
    graph_free(g);

    b = ob_new(18); /* axes became an input in opset 18 */
    ob_input(b, "x", GRAPH_DT_FLOAT, OB_INTS(1, 3, 4, 5));
    ob_init_ints(b, "axes", OB_INTS(-1));
    ob_node(b, "ReduceMean", NULL, "x,axes", "y");
    ob_attr_int(b, "keepdims", 0);
    g = load(b);
    if (!g)
        return;
    CHECK_SHAPE(g, "y", "1x3x4");
    graph_free(g);
}

TEST(test_add_and_mul_broadcast_with_numpy_rules)
{
    onnx_builder *b = ob_new(13);
    ob_input(b, "a", GRAPH_DT_FLOAT, OB_INTS(1, 3, 1, 5));
    ob_input(b, "b", GRAPH_DT_FLOAT, OB_INTS(4, 1));
    ob_input(b, "c", GRAPH_DT_FLOAT, OB_INTS(3, 4, 5));
    ob_input(b, "s", GRAPH_DT_FLOAT, 0, NULL); /* a scalar */
    ob_input(b, "col", GRAPH_DT_FLOAT, OB_INTS(2, 1));
    ob_input(b, "row", GRAPH_DT_FLOAT, OB_INTS(1, 3));
    ob_node(b, "Add", "add", "a,b", "ab");
    ob_node(b, "Mul", "mul", "c,s", "cs");
    ob_node(b, "Mul", "outer", "col,row", "cr");
    graph *g = load(b);
    if (!g)
        return;
    CHECK_SHAPE(g, "ab", "1x3x4x5"); /* 4x1 aligns right: (1,3,1,5) with (4,1) */
    CHECK_SHAPE(g, "cs", "3x4x5");
    CHECK_SHAPE(g, "cr", "2x3");
    CHECK_INT(node_named(g, "add")->in_elems, 19); /* 15 + 4 */
    CHECK_INT(node_named(g, "add")->out_elems, 60);
    graph_free(g);
}

TEST(test_add_of_shapes_that_do_not_broadcast_is_an_error)
{
    onnx_builder *b = ob_new(13);
    ob_input(b, "a", GRAPH_DT_FLOAT, OB_INTS(2, 3));
    ob_input(b, "b", GRAPH_DT_FLOAT, OB_INTS(4, 3));
    ob_node(b, "Add", "bad_add", "a,b", "y");
    ps_error err = {0};
    graph *g = ob_load(b, &err);
    ob_free(b);
    CHECK(g == NULL);
    CHECK_INT(err.code, PS_ERR_INPUT);
    CHECK_STR_CONTAINS(err.msg, "node 'bad_add' (Add)");
    CHECK_STR_CONTAINS(err.msg, "cannot be broadcast");
    graph_free(g);
}

/* ---- normalisation and activations ---- */

TEST(test_batch_normalization_keeps_the_shape_and_counts_four_parameter_vectors)
{
    onnx_builder *b = ob_new(13);
    ob_input(b, "x", GRAPH_DT_FLOAT, OB_INTS(1, 4, 5, 5));
    ob_weight(b, "scale", OB_INTS(4));
    ob_weight(b, "bias", OB_INTS(4));
    ob_weight(b, "mean", OB_INTS(4));
    ob_weight(b, "var", OB_INTS(4));
    ob_node(b, "BatchNormalization", "bn", "x,scale,bias,mean,var", "y");
    graph *g = load(b);
    if (!g)
        return;
    CHECK_SHAPE(g, "y", "1x4x5x5");
    const graph_node *n = node_named(g, "bn");
    CHECK_INT(n->params, 16); /* 4 vectors of 4 channels */
    CHECK_INT(n->in_elems, 100);
    CHECK_INT(n->out_elems, 100);
    CHECK_INT(n->macs, 0);
    graph_free(g);
}

TEST(test_dropout_output_keeps_the_shape_and_the_mask_is_bool_from_opset_10)
{
    static const int64_t opsets[] = {7, 10, 13};
    for (int i = 0; i < 3; i++) {
        onnx_builder *b = ob_new(opsets[i]);
        ob_input(b, "x", GRAPH_DT_FLOAT, OB_INTS(2, 3));
        ob_node(b, "Dropout", NULL, "x", "y,mask");
        graph *g = load(b);
        if (!g)
            return;
        CHECK_SHAPE(g, "y", "2x3");
        CHECK_SHAPE(g, "mask", "2x3");
        CHECK_INT(tensor_named(g, "y")->elem_type, GRAPH_DT_FLOAT);
        /* Dropout-7: mask has the input's type; Dropout-10 and later: bool */
        CHECK_INT(tensor_named(g, "mask")->elem_type,
                  opsets[i] >= 10 ? GRAPH_DT_BOOL : GRAPH_DT_FLOAT);
        graph_free(g);
    }
}

TEST(test_softmax_keeps_the_shape)
{
    onnx_builder *b = ob_new(13);
    ob_input(b, "x", GRAPH_DT_FLOAT, OB_INTS(2, 5));
    ob_node(b, "Softmax", "sm", "x", "y");
    ob_attr_int(b, "axis", 1);
    graph *g = load(b);
    if (!g)
        return;
    CHECK_SHAPE(g, "y", "2x5");
    CHECK_INT(node_named(g, "sm")->out_elems, 10);
    graph_free(g);
}

/* ---- shape chains and constants ---- */

TEST(test_gather_replaces_the_axis_with_the_indices_shape)
{
    onnx_builder *b = ob_new(13);
    ob_input(b, "x", GRAPH_DT_FLOAT, OB_INTS(5, 4, 3));
    ob_init(b, "idx2x2", GRAPH_DT_INT64, OB_INTS(2, 2)); /* dims only: values unknown */
    ob_init_scalar(b, "idx0", 0);
    ob_node(b, "Gather", "g_matrix", "x,idx2x2", "y");
    ob_attr_int(b, "axis", 1);
    ob_node(b, "Gather", "g_scalar", "x,idx0", "z");
    graph *g = load(b);
    if (!g)
        return;
    CHECK_SHAPE(g, "y", "5x2x2x3"); /* axis 1 (4) becomes 2x2 */
    CHECK_SHAPE(g, "z", "4x3");     /* a scalar index removes axis 0 */
    CHECK(!node_named(g, "g_matrix")->is_const); /* gathers from an activation */
    CHECK_INT(node_named(g, "g_matrix")->in_elems, 60);
    graph_free(g);
}

TEST(test_pytorch_shape_gather_unsqueeze_concat_chain_folds_into_the_reshape)
{
    /* What torch.flatten(x, 1) exports as:  shape = Concat(Unsqueeze(Gather(Shape(x), 0)), [-1]) */
    onnx_builder *b = ob_new(13);
    ob_input(b, "x", GRAPH_DT_FLOAT, OB_INTS(1, 3, 4, 4));
    ob_init_ints(b, "axes0", OB_INTS(0));
    ob_init_ints(b, "minus1", OB_INTS(-1));
    ob_node(b, "Shape", "shape", "x", "s");
    ob_node(b, "Constant", "zero", "", "i0");
    ob_attr_tensor(b, "value", GRAPH_DT_INT64, 0, NULL, OB_INTS(0));
    ob_node(b, "Gather", "gather", "s,i0", "batch");
    ob_node(b, "Unsqueeze", "unsqueeze", "batch,axes0", "batch1");
    ob_node(b, "Concat", "concat", "batch1,minus1", "target");
    ob_attr_int(b, "axis", 0);
    ob_node(b, "Reshape", "reshape", "x,target", "y");
    ob_output(b, "y");
    graph *g = load(b);
    if (!g)
        return;
    const char *folded[] = {"shape", "zero", "gather", "unsqueeze", "concat"};
    for (int i = 0; i < 5; i++)
        CHECK(node_named(g, folded[i])->is_const);
    CHECK(!node_named(g, "reshape")->is_const);
    CHECK_INT(value_int(g, "s", 1), 3);
    CHECK_SHAPE(g, "batch", "scalar");
    CHECK_INT(value_int(g, "batch", 0), 1);
    CHECK_SHAPE(g, "target", "2");
    CHECK_INT(value_int(g, "target", 0), 1);
    CHECK_INT(value_int(g, "target", 1), -1);
    CHECK_SHAPE(g, "y", "1x48"); /* -1 = 3·4·4 */
    CHECK_INT(node_named(g, "reshape")->in_elems, 48);
    graph_free(g);
}

TEST(test_constant_from_tensor_ints_and_float_attributes)
{
    onnx_builder *b = ob_new(13);
    ob_input(b, "x", GRAPH_DT_FLOAT, OB_INTS(2, 3, 4));
    ob_node(b, "Constant", "c_tensor", "", "target");
    ob_attr_tensor(b, "value", GRAPH_DT_INT64, OB_INTS(2), OB_INTS(2, -1));
    ob_node(b, "Constant", "c_ints", "", "list");
    ob_attr_ints(b, "value_ints", OB_INTS(3, 4, 5));
    ob_node(b, "Constant", "c_float", "", "half");
    ob_attr_float(b, "value_float", 0.5f);
    ob_node(b, "Reshape", "reshape", "x,target", "y");
    graph *g = load(b);
    if (!g)
        return;
    CHECK_SHAPE(g, "target", "2");
    CHECK_SHAPE(g, "list", "3");
    CHECK_INT(value_int(g, "list", 2), 5);
    CHECK_SHAPE(g, "half", "scalar");
    CHECK_INT(tensor_named(g, "half")->elem_type, GRAPH_DT_FLOAT);
    CHECK(node_named(g, "c_tensor")->is_const);
    CHECK(node_named(g, "c_float")->is_const);
    CHECK_SHAPE(g, "y", "2x12");
    graph_free(g);
}

TEST(test_constant_of_shape_takes_shape_and_type_from_its_inputs)
{
    onnx_builder *b = ob_new(13);
    ob_init_ints(b, "dims", OB_INTS(2, 3));
    ob_node(b, "ConstantOfShape", "sevens", "dims", "y");
    ob_attr_tensor(b, "value", GRAPH_DT_INT64, OB_INTS(1), OB_INTS(7));
    ob_node(b, "ConstantOfShape", "zeros", "dims", "z");
    graph *g = load(b);
    if (!g)
        return;
    CHECK_SHAPE(g, "y", "2x3");
    CHECK_INT(tensor_named(g, "y")->elem_type, GRAPH_DT_INT64);
    CHECK_INT(value_int(g, "y", 5), 7);
    CHECK(node_named(g, "sevens")->is_const);
    CHECK_SHAPE(g, "z", "2x3");
    CHECK_INT(tensor_named(g, "z")->elem_type, GRAPH_DT_FLOAT); /* no value: float zeros */
    graph_free(g);
}

TEST(test_cast_changes_the_type_and_folds_on_constants)
{
    onnx_builder *b = ob_new(13);
    ob_input(b, "x", GRAPH_DT_FLOAT, OB_INTS(2, 3));
    ob_node(b, "Cast", "to_int", "x", "xi");
    ob_attr_int(b, "to", GRAPH_DT_INT64);
    ob_node(b, "Shape", NULL, "x", "s");
    ob_node(b, "Cast", "shape_to_float", "s", "sf");
    ob_attr_int(b, "to", GRAPH_DT_FLOAT);
    graph *g = load(b);
    if (!g)
        return;
    CHECK_SHAPE(g, "xi", "2x3");
    CHECK_INT(tensor_named(g, "xi")->elem_type, GRAPH_DT_INT64);
    CHECK(!node_named(g, "to_int")->is_const);
    CHECK(node_named(g, "shape_to_float")->is_const);
    CHECK_INT(tensor_named(g, "sf")->elem_type, GRAPH_DT_FLOAT);
    CHECK_INT(value_int(g, "sf", 1), 3);
    graph_free(g);
}

TEST(test_slice_with_negative_starts_negative_axes_and_steps)
{
    onnx_builder *b = ob_new(13);
    ob_input(b, "x", GRAPH_DT_FLOAT, OB_INTS(10, 8));
    ob_init_ints(b, "starts", OB_INTS(-3, 7));
    ob_init_ints(b, "ends", OB_INTS(INT64_MAX, 0));
    ob_init_ints(b, "axes", OB_INTS(0, -1));
    ob_init_ints(b, "steps", OB_INTS(1, -2));
    ob_node(b, "Slice", "slice", "x,starts,ends,axes,steps", "y");
    /* Reverse a folded shape: Slice(Shape(x), [-1], [INT64_MIN], [0], [-1]) = [8, 10] */
    ob_node(b, "Shape", NULL, "x", "s");
    ob_init_ints(b, "last", OB_INTS(-1));
    ob_init_ints(b, "before_first", OB_INTS(INT64_MIN));
    ob_init_ints(b, "axis0", OB_INTS(0));
    ob_init_ints(b, "back", OB_INTS(-1));
    ob_node(b, "Slice", "reverse", "s,last,before_first,axis0,back", "rs");
    graph *g = load(b);
    if (!g)
        return;
    /* axis 0: rows 7, 8, 9 -> 3;  axis 1: columns 7, 5, 3, 1 -> 4 */
    CHECK_SHAPE(g, "y", "3x4");
    CHECK(!node_named(g, "slice")->is_const);
    CHECK(node_named(g, "reverse")->is_const);
    CHECK_SHAPE(g, "rs", "2");
    CHECK_INT(value_int(g, "rs", 0), 8);
    CHECK_INT(value_int(g, "rs", 1), 10);
    graph_free(g);
}

/* ---- per-node quantities ---- */

TEST(test_shared_initializer_counts_once_at_its_first_user)
{
    onnx_builder *b = ob_new(13);
    ob_input(b, "x", GRAPH_DT_FLOAT, OB_INTS(1, 4, 5, 5));
    ob_weight(b, "w", OB_INTS(4, 4, 3, 3));
    ob_weight(b, "bias", OB_INTS(4));
    ob_node(b, "Conv", "conv1", "x,w,bias", "y1");
    ob_attr_ints(b, "pads", OB_INTS(1, 1, 1, 1));
    ob_node(b, "Conv", "conv2", "y1,w,bias", "y2");
    ob_attr_ints(b, "pads", OB_INTS(1, 1, 1, 1));
    ob_output(b, "y2");
    graph *g = load(b);
    if (!g)
        return;
    const graph_node *c1 = node_named(g, "conv1"), *c2 = node_named(g, "conv2");
    CHECK_INT(c1->params, 148); /* 4·4·3·3 + 4 */
    CHECK_INT(c2->params, 0);   /* same tensors: already counted */
    CHECK_INT(c1->macs, 3600);  /* 4·4·3·3·5·5 */
    CHECK_INT(c2->macs, 3600);
    CHECK_INT(c1->in_elems, 100);
    CHECK_INT(c2->in_elems, 100); /* y1 */
    CHECK_INT(c2->out_elems, 100);
    graph_free(g);
}

TEST_MAIN(T(test_conv_output_shape_with_strides_dilations_and_asymmetric_pads),
          T(test_conv_output_shape_with_auto_pad_same_upper_same_lower_and_valid),
          T(test_grouped_conv_macs_divide_input_channels_by_groups),
          T(test_depthwise_conv_macs_use_one_input_channel_per_filter),
          T(test_conv_transpose_output_shape_with_strides_pads_and_output_padding),
          T(test_conv_transpose_output_shape_attribute_sets_the_spatial_size),
          T(test_gemm_with_trans_a_and_trans_b_has_m_n_k_macs),
          T(test_gemm_without_transposes_has_m_n_k_macs),
          T(test_matmul_with_one_dimensional_operands_drops_their_axis),
          T(test_matmul_broadcasts_batch_dimensions),
          T(test_maxpool_output_shape_with_asymmetric_pads_and_no_macs),
          T(test_averagepool_ceil_mode_rounds_the_output_size_up),
          T(test_global_average_pool_keeps_batch_and_channels),
          T(test_concat_adds_up_the_axis_and_accepts_a_negative_axis),
          T(test_split_sizes_from_attribute_in_opset_11),
          T(test_split_sizes_from_input_in_opset_13),
          T(test_split_without_sizes_is_even_and_num_outputs_makes_the_last_part_smaller),
          T(test_flatten_with_axis_zero_default_and_negative_axes),
          T(test_reshape_copies_zero_and_infers_minus_one_from_an_int64_initializer),
          T(test_transpose_with_perm_and_default_reversal),
          T(test_squeeze_and_unsqueeze_take_axes_from_an_attribute_in_opset_11),
          T(test_squeeze_and_unsqueeze_take_axes_from_an_input_in_opset_13),
          T(test_pad_adds_begin_and_end_pads_from_input_or_attribute),
          T(test_resize_output_from_scales_or_from_sizes),
          T(test_upsample_scales_from_input_in_opset_9_and_attribute_in_opset_7),
          T(test_reduce_mean_with_and_without_keepdims),
          T(test_add_and_mul_broadcast_with_numpy_rules),
          T(test_add_of_shapes_that_do_not_broadcast_is_an_error),
          T(test_batch_normalization_keeps_the_shape_and_counts_four_parameter_vectors),
          T(test_dropout_output_keeps_the_shape_and_the_mask_is_bool_from_opset_10),
          T(test_softmax_keeps_the_shape),
          T(test_gather_replaces_the_axis_with_the_indices_shape),
          T(test_pytorch_shape_gather_unsqueeze_concat_chain_folds_into_the_reshape),
          T(test_constant_from_tensor_ints_and_float_attributes),
          T(test_constant_of_shape_takes_shape_and_type_from_its_inputs),
          T(test_cast_changes_the_type_and_folds_on_constants),
          T(test_slice_with_negative_starts_negative_axes_and_steps),
          T(test_shared_initializer_counts_once_at_its_first_user))
