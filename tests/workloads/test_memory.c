/* Memory models (workloads/memory.h) on hand-computed cases: Kreß 2024
 * Def. 3, AutoDiCE's per-device buffers, and peak live activations.
 * Every expected number has its arithmetic next to it; elements equal bytes
 * at 8 bits. */
#include <stdio.h>

#include "tests/harness.h"
#include "tests/workloads/onnx_builder.h"
#include "workloads/cuts.h"
#include "workloads/graph.h"
#include "workloads/memory.h"

/* Schedule 0 stem, 1 conv1, 2 relu, 3 conv2, 4 add; s is the skip tensor:
 *   x 1x2x6x6 = 72 -> stem (w 4x2x1x1 = 8) -> s 1x4x6x6 = 144
 *   s -> conv1 (w 8x4x1x1 = 32) -> a 1x8x6x6 = 288 -> relu -> b 288
 *   b -> conv2 (w 4x8x1x1 = 32) -> c 144;  add(s, c) -> d 144 (output)
 * f_in + f_out: stem 72+144 = 216, conv1 144+288 = 432, relu 288+288 = 576,
 *               conv2 288+144 = 432, add (144+144)+144 = 432 */
static onnx_builder *residual_model(void)
{
    onnx_builder *b = ob_new(13);
    ob_input(b, "x", GRAPH_DT_FLOAT, OB_INTS(1, 2, 6, 6));
    ob_weight(b, "w0", OB_INTS(4, 2, 1, 1));
    ob_weight(b, "w1", OB_INTS(8, 4, 1, 1));
    ob_weight(b, "w2", OB_INTS(4, 8, 1, 1));
    ob_node(b, "Conv", "stem", "x,w0", "s");
    ob_node(b, "Conv", "conv1", "s,w1", "a");
    ob_node(b, "Relu", "relu", "a", "b");
    ob_node(b, "Conv", "conv2", "b,w2", "c");
    ob_node(b, "Add", "add", "s,c", "d");
    ob_output(b, "d");
    return b;
}

/* ---- Kreß 2024 Def. 3: (sum params + max(f_in + f_out)) · b/8 ---- */

TEST(test_kress_def3_on_a_chain_is_params_plus_the_largest_in_out_pair)
{
    graph *g;
    cut_table ct;
    if (ob_load_cuts(ob_chain_model(), &g, &ct))
        return;
    memory_estimate all8 = memory_estimate_range(g, &ct, 0, 2, 8);
    CHECK_INT(all8.params_bytes, 120); /* 112 + 0 + 8 */
    CHECK_INT(all8.kress_bytes, 632);  /* 120 + max(448, 512, 384) = 120 + 512 */
    memory_estimate all16 = memory_estimate_range(g, &ct, 0, 2, 16);
    CHECK_INT(all16.kress_bytes, 1264); /* 632 · 16/8 */
    memory_estimate tail = memory_estimate_range(g, &ct, 1, 2, 8);
    CHECK_INT(tail.kress_bytes, 520);   /* 8 + max(512, 384) */
    memory_estimate head = memory_estimate_range(g, &ct, 0, 0, 8);
    CHECK_INT(head.kress_bytes, 560);   /* 112 + 448 */
    cuts_free(&ct);
    graph_free(g);
}

TEST(test_kress_def3_on_a_residual_block)
{
    graph *g;
    cut_table ct;
    if (ob_load_cuts(residual_model(), &g, &ct))
        return;
    memory_estimate m = memory_estimate_range(g, &ct, 0, 4, 8);
    CHECK_INT(m.params_bytes, 72); /* 8 + 32 + 0 + 32 + 0 */
    CHECK_INT(m.kress_bytes, 648); /* 72 + max(216, 432, 576, 432, 432) = 72 + 576 */
    CHECK_INT(memory_estimate_range(g, &ct, 0, 4, 16).kress_bytes, 1296); /* 648 · 2 */
    CHECK_INT(memory_estimate_range(g, &ct, 2, 4, 8).kress_bytes, 608);   /* 32 + 576 */
    cuts_free(&ct);
    graph_free(g);
}

/* ---- AutoDiCE: sum over nodes of coeffs + outbuffs + inbuffs received ---- */

TEST(test_autodice_counts_input_buffers_only_for_tensors_from_outside_the_range)
{
    graph *g;
    cut_table ct;
    if (ob_load_cuts(ob_chain_model(), &g, &ct))
        return;
    /* whole chain: conv1 112 + 256 + 192 (x arrives from outside)
     *            + relu 0 + 256 + 0 (a is made here)
     *            + conv2 8 + 128 + 0 = 560 + 256 + 136 = 952 */
    CHECK_INT(memory_estimate_range(g, &ct, 0, 2, 8).autodice_bytes, 952);
    CHECK_INT(memory_estimate_range(g, &ct, 0, 2, 16).autodice_bytes, 1904);
    /* relu and conv2 only: relu 0 + 256 + 256 (a now arrives) + conv2 136 = 648 */
    CHECK_INT(memory_estimate_range(g, &ct, 1, 2, 8).autodice_bytes, 648);
    cuts_free(&ct);
    graph_free(g);
}

TEST(test_autodice_on_a_residual_block_receives_the_skip_tensor)
{
    graph *g;
    cut_table ct;
    if (ob_load_cuts(residual_model(), &g, &ct))
        return;
    /* whole: stem 8+144+72, conv1 32+288, relu 0+288, conv2 32+144, add 0+144
     *      = 224 + 320 + 288 + 176 + 144 = 1152 */
    CHECK_INT(memory_estimate_range(g, &ct, 0, 4, 8).autodice_bytes, 1152);
    /* relu..add: relu 0+288+288 (a arrives), conv2 32+144, add 0+144+144 (s arrives)
     *          = 576 + 176 + 288 = 1040 */
    CHECK_INT(memory_estimate_range(g, &ct, 2, 4, 8).autodice_bytes, 1040);
    cuts_free(&ct);
    graph_free(g);
}

TEST(test_autodice_counts_a_received_tensor_once_even_with_two_consumers)
{
    graph *g;
    cut_table ct;
    if (ob_load_cuts(residual_model(), &g, &ct))
        return;
    /* conv1..add: s arrives once (one input buffer), although conv1 and add
     * both read it: conv1 32+288+144 (s arrives), relu 0+288, conv2 32+144,
     * add 0+144 (s already received) = 464 + 288 + 176 + 144 = 1072 */
    CHECK_INT(memory_estimate_range(g, &ct, 1, 4, 8).autodice_bytes, 1072);
    cuts_free(&ct);
    graph_free(g);
}

/* ---- peak live activations ---- */

TEST(test_peak_live_memory_of_a_chain_equals_the_largest_in_out_pair)
{
    graph *g;
    cut_table ct;
    if (ob_load_cuts(ob_chain_model(), &g, &ct))
        return;
    /* live while conv1 runs: x + a = 448; relu: a + b = 512; conv2: b + c = 384 */
    memory_estimate m = memory_estimate_range(g, &ct, 0, 2, 8);
    CHECK_INT(m.peak_live_act_bytes, 512);
    CHECK_INT(m.peak_live_bytes, 632); /* 120 params + 512 */
    CHECK_INT(m.peak_live_bytes, m.kress_bytes);
    CHECK_INT(memory_estimate_range(g, &ct, 0, 2, 16).peak_live_act_bytes, 1024);
    /* relu..conv2: relu a (received) + b = 512; conv2 b + c = 384 */
    memory_estimate tail = memory_estimate_range(g, &ct, 1, 2, 8);
    CHECK_INT(tail.peak_live_act_bytes, 512);
    CHECK_INT(tail.peak_live_bytes, 520); /* 8 + 512 */
    cuts_free(&ct);
    graph_free(g);
}

TEST(test_peak_live_memory_of_a_residual_block_exceeds_def3_because_the_skip_stays_alive)
{
    graph *g;
    cut_table ct;
    if (ob_load_cuts(residual_model(), &g, &ct))
        return;
    /* live while stem runs: x + s            =  72 + 144       = 216
     *            conv1:     s + a            = 144 + 288       = 432
     *            relu:      s + a + b        = 144 + 288 + 288 = 720
     *            conv2:     s + b + c        = 144 + 288 + 144 = 576
     *            add:       s + c + d        = 144 + 144 + 144 = 432 */
    memory_estimate m = memory_estimate_range(g, &ct, 0, 4, 8);
    CHECK_INT(m.peak_live_act_bytes, 720);
    CHECK_INT(m.peak_live_bytes, 792); /* 72 params + 720 */
    CHECK(m.peak_live_act_bytes > m.kress_bytes - m.params_bytes); /* 720 > 576 */
    CHECK(m.peak_live_bytes > m.kress_bytes);                      /* 792 > 648 */
    CHECK_INT(memory_estimate_range(g, &ct, 0, 4, 16).peak_live_bytes, 1584); /* 792 · 2 */
    /* relu..add, s and a received: relu a + s + b = 720; conv2 s + b + c = 576;
     * add s + c + d = 432 */
    memory_estimate tail = memory_estimate_range(g, &ct, 2, 4, 8);
    CHECK_INT(tail.peak_live_act_bytes, 720);
    CHECK_INT(tail.peak_live_bytes, 752); /* 32 + 720 */
    cuts_free(&ct);
    graph_free(g);
}

TEST_MAIN(T(test_kress_def3_on_a_chain_is_params_plus_the_largest_in_out_pair),
          T(test_autodice_counts_a_received_tensor_once_even_with_two_consumers),
          T(test_kress_def3_on_a_residual_block),
          T(test_autodice_counts_input_buffers_only_for_tensors_from_outside_the_range),
          T(test_autodice_on_a_residual_block_receives_the_skip_tensor),
          T(test_peak_live_memory_of_a_chain_equals_the_largest_in_out_pair),
          T(test_peak_live_memory_of_a_residual_block_exceeds_def3_because_the_skip_stays_alive))
