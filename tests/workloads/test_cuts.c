/* Cut-sets (workloads/cuts.h) on small hand-built graphs: which tensors
 * cross each partition point, their element and byte counts, and which
 * points are single-tensor cuts. */
#include <stdio.h>
#include <string.h>

#include "tests/harness.h"
#include "tests/workloads/onnx_builder.h"
#include "workloads/cuts.h"
#include "workloads/graph.h"

/* ---- helpers ---- */

/* The cut-set of position p as tensor names in ascending tensor order,
 * joined by ",": "x" or "s,a". */
static const char *cut_names(const graph *g, const cut_table *ct, int p)
{
    static char buf[256];
    buf[0] = '\0';
    if (p < 0 || p >= ct->n_points)
        return "(no such position)";
    const cut_point *c = &ct->points[p];
    for (int i = 0; i < c->n_tensors; i++) {
        size_t used = strlen(buf);
        snprintf(buf + used, sizeof buf - used, "%s%s", i ? "," : "",
                 g->tensors[c->tensors[i]].name);
    }
    return buf;
}

#define CHECK_CUT(g, ct, p, expected) check_cut(__FILE__, __LINE__, (g), (ct), (p), (expected))
static void check_cut(const char *file, int line, const graph *g, const cut_table *ct, int p,
                      const char *expected)
{
    const char *got = cut_names(g, ct, p);
    if (strcmp(got, expected) != 0) {
        fprintf(stderr, "%s:%d: cut-set of position %d is {%s}, expected {%s}\n", file, line,
                p, got, expected);
        harness_failed_checks++;
    }
}

static int node_index(const graph *g, const char *name)
{
    for (int i = 0; i < g->n_nodes; i++)
        if (strcmp(g->nodes[i].name, name) == 0)
            return i;
    return -1;
}

/* ---- tests ---- */

TEST(test_chain_has_a_single_tensor_cut_at_every_inner_position)
{
    graph *g;
    cut_table ct;
    if (ob_load_cuts(ob_chain_model(), &g, &ct))
        return;
    CHECK_INT(ct.n_sched, 3);
    CHECK_INT(ct.n_points, 4);
    CHECK_CUT(g, &ct, 0, "x");
    CHECK_CUT(g, &ct, 1, "a");
    CHECK_CUT(g, &ct, 2, "b");
    CHECK_CUT(g, &ct, 3, "c");
    CHECK_INT(ct.points[0].elems, 192);
    CHECK_INT(ct.points[1].elems, 256);
    CHECK_INT(ct.points[2].elems, 256);
    CHECK_INT(ct.points[3].elems, 128);
    CHECK(ct.points[1].single_tensor_cut);
    CHECK(ct.points[2].single_tensor_cut);
    CHECK_INT(cuts_count_single(&ct), 2);
    CHECK_INT(ct.points[0].after_node, -1);
    CHECK_INT(ct.points[1].after_node, node_index(g, "conv1"));
    CHECK_INT(ct.points[3].after_node, node_index(g, "conv2"));
    cuts_free(&ct);
    graph_free(g);
}

TEST(test_first_and_last_positions_carry_graph_input_and_outputs_and_are_not_single_cuts)
{
    graph *g;
    cut_table ct;
    if (ob_load_cuts(ob_chain_model(), &g, &ct))
        return;
    /* Position 0: everything runs on the next platform, which receives x.
     * Position M = 3: everything runs here, which sends the output c. */
    CHECK_INT(ct.points[0].n_tensors, 1);
    CHECK_INT(ct.points[3].n_tensors, 1);
    CHECK(!ct.points[0].single_tensor_cut);
    CHECK(!ct.points[3].single_tensor_cut);
    CHECK_INT(ct.birth[graph_find(g, "x")], -1);   /* a graph input */
    CHECK_INT(ct.last_use[graph_find(g, "c")], 3); /* a graph output lives to M */
    CHECK(!cuts_is_activation(&ct, graph_find(g, "w1"))); /* weights never cross */
    cuts_free(&ct);
    graph_free(g);
}

TEST(test_cut_bytes_are_elements_times_bits_over_eight)
{
    graph *g;
    cut_table ct;
    if (ob_load_cuts(ob_chain_model(), &g, &ct))
        return;
    CHECK_INT(cuts_bytes(&ct.points[1], 8), 256);  /* 256 elements · 8 / 8 */
    CHECK_INT(cuts_bytes(&ct.points[1], 16), 512); /* 256 · 16 / 8 */
    CHECK_INT(cuts_bytes(&ct.points[0], 8), 192);
    CHECK_INT(cuts_bytes(&ct.points[0], 16), 384);
    CHECK_INT(cuts_bytes(&ct.points[3], 16), 256); /* 128 · 2 */
    CHECK_INT(cuts_bytes(&ct.points[3], 4), 64);   /* 128 · 4 / 8 */
    cuts_free(&ct);
    graph_free(g);
}

TEST(test_residual_block_carries_the_skip_tensor_across_its_inner_positions)
{
    /* x -> stem -> s -> [conv1 -> a -> relu -> b -> conv2 -> c; add(s, c) -> d] -> head -> y */
    onnx_builder *b = ob_new(13);
    ob_input(b, "x", GRAPH_DT_FLOAT, OB_INTS(1, 2, 6, 6));
    ob_weight(b, "w0", OB_INTS(4, 2, 1, 1));
    ob_weight(b, "w1", OB_INTS(4, 4, 3, 3));
    ob_weight(b, "w2", OB_INTS(4, 4, 3, 3));
    ob_node(b, "Conv", "stem", "x,w0", "s");
    ob_node(b, "Conv", "conv1", "s,w1", "a");
    ob_attr_ints(b, "pads", OB_INTS(1, 1, 1, 1));
    ob_node(b, "Relu", "relu", "a", "b");
    ob_node(b, "Conv", "conv2", "b,w2", "c");
    ob_attr_ints(b, "pads", OB_INTS(1, 1, 1, 1));
    ob_node(b, "Add", "add", "s,c", "d");
    ob_node(b, "Relu", "head", "d", "y");
    ob_output(b, "y");
    graph *g;
    cut_table ct;
    if (ob_load_cuts(b, &g, &ct))
        return;
    CHECK_INT(ct.n_sched, 6);
    CHECK_CUT(g, &ct, 0, "x");
    CHECK_CUT(g, &ct, 1, "s");   /* block entry: one tensor */
    CHECK_CUT(g, &ct, 2, "s,a"); /* inside: the skip tensor s and the main path */
    CHECK_CUT(g, &ct, 3, "s,b");
    CHECK_CUT(g, &ct, 4, "s,c");
    CHECK_CUT(g, &ct, 5, "d");   /* block exit: one tensor */
    CHECK_CUT(g, &ct, 6, "y");
    for (int p = 2; p <= 4; p++) {
        CHECK(!ct.points[p].single_tensor_cut);
        CHECK_INT(ct.points[p].elems, 288); /* 144 + 144 */
        CHECK_INT(cuts_bytes(&ct.points[p], 16), 576);
    }
    CHECK(ct.points[1].single_tensor_cut);
    CHECK(ct.points[5].single_tensor_cut);
    CHECK_INT(cuts_count_single(&ct), 2);
    cuts_free(&ct);
    graph_free(g);
}

TEST(test_folded_shape_and_constant_nodes_are_not_positions)
{
    /* x -> conv -> a;  Reshape(a, Concat(Unsqueeze(Gather(Shape(a), Constant 0)), [-1])) -> y */
    onnx_builder *b = ob_new(13);
    ob_input(b, "x", GRAPH_DT_FLOAT, OB_INTS(1, 3, 4, 4));
    ob_weight(b, "w", OB_INTS(2, 3, 1, 1));
    ob_init_ints(b, "axes0", OB_INTS(0));
    ob_init_ints(b, "minus1", OB_INTS(-1));
    ob_node(b, "Conv", "conv", "x,w", "a"); /* 1x2x4x4 = 32 */
    ob_node(b, "Shape", "shape", "a", "s");
    ob_node(b, "Constant", "zero", "", "i0");
    ob_attr_tensor(b, "value", GRAPH_DT_INT64, 0, NULL, OB_INTS(0));
    ob_node(b, "Gather", "gather", "s,i0", "n");
    ob_node(b, "Unsqueeze", "unsqueeze", "n,axes0", "n1");
    ob_node(b, "Concat", "concat", "n1,minus1", "target");
    ob_attr_int(b, "axis", 0);
    ob_node(b, "Reshape", "reshape", "a,target", "y");
    ob_output(b, "y");
    graph *g;
    cut_table ct;
    if (ob_load_cuts(b, &g, &ct))
        return;
    CHECK_INT(g->n_nodes, 7);
    CHECK_INT(ct.n_sched, 2); /* conv and reshape only */
    CHECK_INT(ct.sched[0], node_index(g, "conv"));
    CHECK_INT(ct.sched[1], node_index(g, "reshape"));
    CHECK_INT(ct.sched_pos[node_index(g, "shape")], -1);
    CHECK_INT(ct.sched_pos[node_index(g, "zero")], -1);
    CHECK_INT(ct.n_points, 3);
    CHECK_CUT(g, &ct, 0, "x");
    CHECK_CUT(g, &ct, 1, "a"); /* the folded shape "target" never crosses */
    CHECK_CUT(g, &ct, 2, "y");
    CHECK(ct.points[1].single_tensor_cut);
    CHECK_INT(ct.points[1].elems, 32);
    CHECK(!cuts_is_activation(&ct, graph_find(g, "target")));
    cuts_free(&ct);
    graph_free(g);
}

TEST_MAIN(T(test_chain_has_a_single_tensor_cut_at_every_inner_position),
          T(test_first_and_last_positions_carry_graph_input_and_outputs_and_are_not_single_cuts),
          T(test_cut_bytes_are_elements_times_bits_over_eight),
          T(test_residual_block_carries_the_skip_tensor_across_its_inner_positions),
          T(test_folded_shape_and_constant_nodes_are_not_positions))
