/* CNNergy's row-stationary mapping rules (accel/rs_mapping.h): NeuPart
 * eqs. (5)-(12), each exception rule of Sec. IV-C.4 and partsim's own
 * (tall / wide filters, group parallelism, batch cap), capacity checks, and
 * a property test over every Conv / Gemm layer of the zoo.
 *
 * Eyeriss v1 (fixture_eyeriss): J x K = 12 x 14 PEs, f_s / I_s / P_s =
 * 224 / 12 / 24 words, |GLB| = 100 KiB = 102400 B for ifmap + psum, 16-bit
 * data and psums. */
#include <stdio.h>

#include "accel/rs_mapping.h"
#include "tests/accel/fixtures.h"
#include "tests/accel/zoo_layers.h"
#include "tests/harness.h"

static rs_mapping map(const accel_arch *a, const accel_layer *l, int bits, int64_t batch)
{
    rs_mapping m;
    ps_error err = {0};
    int rc = rs_mapping_rules(a, &l->conv, bits, batch, &m, &err);
    if (rc)
        fprintf(stderr, "rs_mapping_rules: %s\n", err.msg);
    CHECK_INT(rc, 0);
    if (!rc) {
        rc = rs_mapping_check(a, &l->conv, bits, &m, &err);
        if (rc)
            fprintf(stderr, "rs_mapping_check: %s\n", err.msg);
        CHECK_INT(rc, 0);
    }
    return m;
}

TEST(test_3x3_conv_follows_eqs_5_to_12)
{
    accel_arch a;
    fixture_eyeriss(&a);
    /* C=64 channels of 16x16, F=64 filters 3x3, stride 1: E = G = 14 */
    accel_layer l = fixture_conv(64, 16, 16, 64, 3, 3, 1);
    rs_mapping m = map(&a, &l, 16, 0);
    CHECK_INT(m.s_pass, 4);      /* eq. (5): floor(12 / 3) */
    CHECK_INT(m.y_o, 14);        /* eq. (6): min(K=14, E=14) */
    CHECK_INT(m.y_i, 16);        /* eq. (6): (14 - 1) * 1 + 3 */
    CHECK_INT(m.c_set, 4);       /* floor(I_s / S) = floor(12 / 3) */
    CHECK_INT(m.z_i, 16);        /* eq. (7): 4 * 4 */
    CHECK_INT(m.f_i, 18);        /* eq. (8): floor(224 / 12) */
    CHECK_INT(m.X_o, 14);        /* X_o = G */
    CHECK_INT(m.X_i, 16);        /* eq. (12): X_i = (14 - 1) * 1 + 3 = W */
    CHECK_INT(m.Y_o, 14);        /* Y_o = E */
    CHECK_INT(m.Y_i, 16);        /* eq. (12): (14 - 1) * 1 + 3 = H */
    CHECK_INT(m.r_pe, 3);
    CHECK_INT(m.r_fold, 1);
    CHECK_INT(m.exceptions, 0);
    /* eq. (9):  |ifmap| = 2 B * 16 * 16 * 16 = 8192 B
     * eq. (10): |psum|  = 2 B * 14 * 14 * 18 = 7056 B
     * eq. (11): N = floor(102400 / 15248) = 6 (6 * 15248 = 91488) */
    CHECK_INT(m.N, 6);
    CHECK_NEAR(rs_mapping_glb_bytes(&a, 16, &m), 6 * 15248.0, 1e-12);
    char buf[128];
    rs_mapping_summary(&m, buf, sizeof buf);
    CHECK_STR_CONTAINS(buf, "f_i=18 z_i=16 y_o=14 X_o=14 Y_o=14 N=6");
}

TEST(test_stride_2_sets_y_i_and_x_i_by_eqs_6_and_12)
{
    accel_arch a;
    fixture_eyeriss(&a);
    /* 57x57, 3x3, stride 2: E = G = (57 - 3) / 2 + 1 = 28 */
    accel_layer l = fixture_conv(32, 57, 57, 32, 3, 3, 2);
    rs_mapping m = map(&a, &l, 16, 0);
    CHECK_INT(m.y_o, 14);        /* min(14, 28) */
    CHECK_INT(m.y_i, 29);        /* (14 - 1) * 2 + 3 */
    CHECK_INT(m.X_o, 28);
    CHECK_INT(m.X_i, 57);        /* (28 - 1) * 2 + 3 */
    CHECK_INT(m.Y_i, 57);
    /* |ifmap| = 2 * 57 * 29 * 16 = 52896, |psum| = 2 * 28 * 28 * 18 = 28224;
     * 102400 / 81120 = 1.26 -> N = 1 */
    CHECK_INT(m.N, 1);
    CHECK_INT(m.exceptions, 0);
}

TEST(test_small_ofmap_limits_y_o_to_e)
{
    accel_arch a;
    fixture_eyeriss(&a);
    accel_layer l = fixture_conv(16, 9, 9, 32, 3, 3, 1); /* E = 7 < K = 14 */
    rs_mapping m = map(&a, &l, 16, 0);
    CHECK_INT(m.y_o, 7);         /* eq. (6): min(14, 7) */
    CHECK_INT(m.y_i, 9);         /* (7 - 1) + 3 */
    CHECK_INT(m.Y_o, 7);
}

TEST(test_batch_caps_n)
{
    accel_arch a;
    fixture_eyeriss(&a);
    accel_layer l = fixture_conv(64, 16, 16, 64, 3, 3, 1); /* eq. (11) allows N = 6 */
    CHECK_INT(map(&a, &l, 16, 1).N, 1);
    CHECK_INT(map(&a, &l, 16, 4).N, 4);
    CHECK_INT(map(&a, &l, 16, 100).N, 6);
    CHECK_INT(map(&a, &l, 16, 0).N, 6);
}

TEST(test_8_bit_operands_fill_the_rfs_twice_as_far)
{
    accel_arch a;
    fixture_eyeriss(&a);
    accel_layer l = fixture_conv(64, 16, 16, 64, 3, 3, 1);
    rs_mapping m = map(&a, &l, 8, 0);
    /* 8-bit operands take half a 16-bit RF word: the RFs hold 448 / 24
     * operands, psums stay 16-bit (24).  C_set = floor(24 / 3) = 8, z_i =
     * 8 x 4 = 32, f_i = floor(448 / 24) = 18.  |ifmap| = 1 B * 16 * 16 * 32 =
     * 8192, |psum| at psum_bits 16 = 2 * 14 * 14 * 18 = 7056; floor(102400 /
     * 15248) = 6 */
    CHECK_INT(m.c_set, 8);
    CHECK_INT(m.z_i, 32);
    CHECK_INT(m.f_i, 18);
    CHECK_INT(m.N, 6);
    rs_rf_capacity rf = rs_mapping_rf_capacity(&a, 8);
    CHECK_INT(rf.filter, 448);
    CHECK_INT(rf.ifmap, 24);
    CHECK_INT(rf.psum, 24);
}

TEST(test_few_channels_fill_free_sets_with_filters)
{
    accel_arch a;
    fixture_eyeriss(&a);
    /* Sec. IV-C.4, C < z_i, C < C_set: C = 3 < C_set = 4.  C_set := 3, the
     * filter RF then holds min(P_s, floor(224 / (3 * 3))) = min(24, 24) = 24
     * filters per PE; one set covers all channels, so the S_pass = 4 sets run
     * 4 filter groups: f_i = 24 * 4 = 96 */
    accel_layer l = fixture_conv(3, 16, 16, 128, 3, 3, 1);
    rs_mapping m = map(&a, &l, 16, 0);
    CHECK(m.exceptions & RS_EXC_FEW_CHANNELS);
    CHECK_INT(m.z_i, 3);
    CHECK_INT(m.c_set, 3);
    CHECK_INT(m.f_pe, 24);
    CHECK_INT(m.filter_groups, 4);
    CHECK_INT(m.f_i, 96);
    /* |ifmap| = 2 * 16 * 16 * 3 = 1536, |psum| = 2 * 14 * 14 * 96 = 37632:
     * floor(102400 / 39168) = 2 */
    CHECK_INT(m.N, 2);
    /* C_set <= C < z_i: C = 8 needs ceil(8 / 4) = 2 sets, so 4 / 2 = 2
     * filter groups of 18: f_i = 36 */
    l = fixture_conv(8, 16, 16, 64, 3, 3, 1);
    m = map(&a, &l, 16, 0);
    CHECK(m.exceptions & RS_EXC_FEW_CHANNELS);
    CHECK_INT(m.z_i, 8);
    CHECK_INT(m.c_set, 4);
    CHECK_INT(m.filter_groups, 2);
    CHECK_INT(m.f_i, 36);
}

TEST(test_few_filters_reduce_f_i)
{
    accel_arch a;
    fixture_eyeriss(&a);
    accel_layer l = fixture_conv(64, 16, 16, 10, 3, 3, 1); /* F = 10 < f_i = 18 */
    rs_mapping m = map(&a, &l, 16, 0);
    CHECK(m.exceptions & RS_EXC_FEW_FILTERS);
    CHECK_INT(m.f_i, 10);
    CHECK_INT(m.z_i, 16); /* channels unchanged */
}

TEST(test_small_psum_rf_reduces_f_i)
{
    accel_arch a;
    fixture_eyeriss(&a);
    a.u.rs.psum_rf_words = 16; /* P_s = 16 < f_i = 18 */
    accel_layer l = fixture_conv(64, 16, 16, 64, 3, 3, 1);
    rs_mapping m = map(&a, &l, 16, 0);
    CHECK(m.exceptions & RS_EXC_PSUM_RF);
    CHECK_INT(m.f_i, 16);
    CHECK(!(m.exceptions & RS_EXC_FEW_FILTERS));
}

TEST(test_pointwise_reduces_z_i_and_raises_f_i)
{
    accel_arch a;
    fixture_eyeriss(&a);
    /* R = S = 1: the plain rules would give S_pass = 12, C_set = 12, z_i =
     * 144 and f_i = 18.  The pointwise rule: f_i = min(P_s, f_s) = 24
     * filters, C_set = min(I_s, floor(224 / 24)) = 9, z_i = 9 * 12 = 108 */
    accel_layer l = fixture_conv(256, 14, 14, 64, 1, 1, 1);
    rs_mapping m = map(&a, &l, 16, 0);
    CHECK(m.exceptions & RS_EXC_POINTWISE);
    CHECK_INT(m.s_pass, 12);
    CHECK_INT(m.c_set, 9);
    CHECK_INT(m.z_i, 108);
    CHECK_INT(m.f_i, 24);
    CHECK(m.z_i < 144 && m.f_i > 18);
    /* |ifmap| = 2 * 14 * 14 * 108 = 42336, |psum| = 2 * 14 * 14 * 24 = 9408:
     * floor(102400 / 51744) = 1 */
    CHECK_INT(m.N, 1);
}

TEST(test_glb_shrink_reduces_y_o_to_y_o_then_x_i)
{
    accel_arch a;
    fixture_eyeriss(&a);
    /* 114x114 -> E = G = 112.  Full size: |ifmap| = 2 * 114 * 16 * 16 =
     * 58368, |psum| = 2 * 112 * 112 * 18 = 451584: N = 0.  Y_o drops in
     * steps of y_o = 14 down to 14 (psum 2 * 112 * 14 * 18 = 56448; total
     * 114816 > 102400), never below y_o; then X_o halves to 56: X_i = 58,
     * |ifmap| = 2 * 58 * 16 * 16 = 29696, |psum| = 2 * 56 * 14 * 18 = 28224,
     * 57920 <= 102400: N = 1. */
    accel_layer l = fixture_conv(64, 114, 114, 64, 3, 3, 1);
    rs_mapping m = map(&a, &l, 16, 0);
    CHECK(m.exceptions & RS_EXC_GLB_SHRINK);
    CHECK_INT(m.Y_o, 14);
    CHECK_INT(m.Y_i, 16);        /* (14 - 1) + 3 */
    CHECK_INT(m.X_o, 56);
    CHECK_INT(m.X_i, 58);        /* (56 - 1) + 3 */
    CHECK_INT(m.f_i, 18);
    CHECK_INT(m.N, 1);
}

TEST(test_glb_shrink_keeps_y_o_at_y_o_and_reduces_f_i)
{
    accel_arch a;
    fixture_eyeriss(&a);
    a.u.rs.glb_act_bytes = 2000;
    /* Sec. IV-C.4: Y_o is never below y_o = 14; X_o halves 14 -> 7 -> 3 -> 1
     * (|ifmap| 2 * 9 * 16 * 16 = 4608, then 2 * 5 * 256 = 2560, then
     * 2 * 3 * 256 = 1536 B); at X_o = 1, |psum| = 2 * 1 * 14 * 18 = 504 B and
     * 2040 > 2000, so f_i is reduced: 18 -> 9, |psum| = 252 B, 1788 B fits */
    accel_layer l = fixture_conv(64, 16, 16, 64, 3, 3, 1);
    rs_mapping m = map(&a, &l, 16, 0);
    CHECK(m.exceptions & RS_EXC_GLB_SHRINK);
    CHECK_INT(m.Y_o, 14);
    CHECK_INT(m.X_o, 1);
    CHECK_INT(m.X_i, 3);
    CHECK_INT(m.f_i, 9);
    CHECK_INT(m.z_i, 16);
    CHECK_INT(m.N, 1);
}

TEST(test_glb_too_small_for_one_row_is_an_error)
{
    accel_arch a;
    fixture_eyeriss(&a);
    a.u.rs.glb_act_bytes = 10; /* the smallest tile (X_o = 1, f_i = 1, C_set = 1) needs
                                  2 * 3 * 16 * 4 = 384 B of ifmap */
    accel_layer l = fixture_conv(64, 16, 16, 64, 3, 3, 1);
    rs_mapping m;
    ps_error err = {0};
    CHECK_INT(rs_mapping_rules(&a, &l.conv, 16, 1, &m, &err), PS_ERR_INPUT);
    CHECK_STR_CONTAINS(err.msg, "eyeriss-v1");
    CHECK_STR_CONTAINS(err.msg, "GLB");
}

TEST(test_tall_filter_folds_rows_over_passes)
{
    accel_arch a;
    fixture_eyeriss(&a);
    /* R = 25 > J = 12: r_fold = ceil(25 / 12) = 3 folds of ceil(25 / 3) = 9
     * rows; S_pass = floor(12 / 9) = 1; E = 30 - 25 + 1 = 6, G = 28 */
    accel_layer l = fixture_conv(4, 30, 30, 8, 25, 3, 1);
    rs_mapping m = map(&a, &l, 16, 0);
    CHECK(m.exceptions & RS_EXC_TALL_FILTER);
    CHECK_INT(m.r_fold, 3);
    CHECK_INT(m.r_pe, 9);
    CHECK_INT(m.s_pass, 1);
    CHECK_INT(m.y_o, 6);
    CHECK_INT(m.y_i, 14);        /* (6 - 1) + 9 */
    CHECK_INT(m.Y_i, 30);        /* (6 - 1) + 27 = 32, capped at H = 30 */
    CHECK_INT(m.z_i, 4);         /* C_set = 12 / 3 = 4 = C */
    CHECK_INT(m.f_i, 8);         /* F = 8 < 18 */
}

TEST(test_wide_filter_streams_one_channel_and_fits_filter_rf)
{
    accel_arch a;
    fixture_eyeriss(&a);
    /* S = 15 > I_s = 12: C_set = 1; the filter RF holds floor(224 / 15) = 14
     * filter rows of 15 taps (210 words), not floor(224 / 12) = 18 (270) */
    accel_layer l = fixture_conv(8, 20, 40, 32, 3, 15, 1);
    rs_mapping m = map(&a, &l, 16, 0);
    CHECK(m.exceptions & RS_EXC_WIDE_FILTER);
    CHECK_INT(m.c_set, 1);
    CHECK_INT(m.z_i, 4);         /* 1 * floor(12 / 3) */
    CHECK_INT(m.f_i, 14);
    CHECK(m.f_pe * m.c_set * l.conv.S <= a.u.rs.filter_rf_words);
}

TEST(test_depthwise_runs_groups_side_by_side)
{
    accel_arch a;
    fixture_eyeriss(&a);
    /* 32 groups of C = F = 1, 3x3 on 16x16: C_set = 1, one set per group,
     * F = 1: f_i = 1; S_pass = 4 sets run 4 groups at once */
    accel_layer l = fixture_grouped_conv(32, 1, 16, 16, 1, 3, 3, 1);
    rs_mapping m = map(&a, &l, 16, 0);
    CHECK(m.exceptions & RS_EXC_FEW_CHANNELS);
    CHECK(m.exceptions & RS_EXC_FEW_FILTERS);
    CHECK(m.exceptions & RS_EXC_GROUP_PARALLEL);
    CHECK_INT(m.z_i, 1);
    CHECK_INT(m.f_i, 1);
    CHECK_INT(m.group_par, 4);
    /* per group |ifmap| = 2 * 16 * 16 * 1 = 512, |psum| = 2 * 14 * 14 * 1 =
     * 392; 4 groups: 3616 B; floor(102400 / 3616) = 28 */
    CHECK_INT(m.N, 28);
    CHECK_NEAR(rs_mapping_glb_bytes(&a, 16, &m), 28 * 3616.0, 1e-12);
}

TEST(test_group_parallelism_gives_way_to_the_glb)
{
    accel_arch a;
    fixture_eyeriss(&a);
    a.u.rs.glb_act_bytes = 2000;
    /* as above: 4 groups need 3616 B; 2 groups 1808 B fit in 2000 B */
    accel_layer l = fixture_grouped_conv(32, 1, 16, 16, 1, 3, 3, 1);
    rs_mapping m = map(&a, &l, 16, 0);
    CHECK_INT(m.group_par, 2);
    CHECK_INT(m.N, 1);
    CHECK_INT(m.Y_o, 14);
    CHECK_INT(m.X_o, 14);
}

TEST(test_fc_is_pointwise_on_a_1x1_map)
{
    accel_arch a;
    fixture_eyeriss(&a);
    accel_layer l = fixture_fc(1024, 256);
    rs_mapping m = map(&a, &l, 16, 0);
    CHECK(m.exceptions & RS_EXC_POINTWISE);
    CHECK_INT(m.y_o, 1);
    CHECK_INT(m.X_o, 1);
    CHECK_INT(m.z_i, 108);
    CHECK_INT(m.f_i, 24);
    /* |ifmap| = 2 * 108 = 216, |psum| = 2 * 24 = 48: floor(102400 / 264) = 387 */
    CHECK_INT(m.N, 387);
}

TEST(test_check_names_the_exceeded_limit)
{
    accel_arch a;
    fixture_eyeriss(&a);
    accel_layer l = fixture_conv(64, 16, 16, 64, 3, 3, 1);
    rs_mapping good = map(&a, &l, 16, 0), m;
    ps_error err = {0};
    m = good;
    m.f_pe = 25; /* P_s = 24 */
    m.f_i = 25;
    CHECK(rs_mapping_check(&a, &l.conv, 16, &m, &err) != 0);
    m = good;
    m.c_set = 5; /* 5 * 3 = 15 > I_s = 12 */
    m.z_i = 20;
    CHECK(rs_mapping_check(&a, &l.conv, 16, &m, &err) != 0);
    CHECK_STR_CONTAINS(err.msg, "ifmap RF");
    m = good;
    m.filter_groups = 2; /* 4 sets * 2 * 3 rows = 24 > 12 */
    m.f_i = 36;
    CHECK(rs_mapping_check(&a, &l.conv, 16, &m, &err) != 0);
    CHECK_STR_CONTAINS(err.msg, "PE rows");
    m = good;
    m.N = 7; /* 7 * 15248 = 106736 > 102400 */
    CHECK(rs_mapping_check(&a, &l.conv, 16, &m, &err) != 0);
    CHECK_STR_CONTAINS(err.msg, "GLB");
    m = good;
    m.y_o = 15; /* K = 14 */
    CHECK(rs_mapping_check(&a, &l.conv, 16, &m, &err) != 0);
    CHECK_STR_CONTAINS(err.msg, "columns");
    m = good;
    m.X_i = 15; /* eq. (12): X_o = 14 needs (14 - 1) * 1 + 3 = 16 columns */
    CHECK(rs_mapping_check(&a, &l.conv, 16, &m, &err) != 0);
    CHECK_STR_CONTAINS(err.msg, "eqs. (6), (12)");
    m = good;
    m.y_i = 15; /* eq. (6): y_o = 14 needs 16 rows */
    CHECK(rs_mapping_check(&a, &l.conv, 16, &m, &err) != 0);
    CHECK_STR_CONTAINS(err.msg, "eqs. (6), (12)");
    m = good;
    a.u.rs.filter_rf_words = 200; /* 18 * 4 * 3 = 216 > 200 */
    CHECK(rs_mapping_check(&a, &l.conv, 16, &m, &err) != 0);
    CHECK_STR_CONTAINS(err.msg, "filter RF");
}

/* ---- property: every Conv / Gemm layer of the zoo ---- */

typedef struct {
    accel_arch arch;
    int layers, failures;
} zoo_ctx;

static void map_zoo_layer(const char *model, const accel_layer *l, void *vctx)
{
    zoo_ctx *z = vctx;
    if (l->kind != LAYER_CONV && l->kind != LAYER_FC)
        return;
    z->layers++;
    const int64_t batches[] = {1, 0, 4};
    for (int b = 0; b < 3; b++)
        for (int bits = 8; bits <= 16; bits += 8) {
            rs_mapping m;
            ps_error err = {0};
            int rc = rs_mapping_rules(&z->arch, &l->conv, bits, batches[b], &m, &err);
            if (!rc)
                rc = rs_mapping_check(&z->arch, &l->conv, bits, &m, &err);
            /* the GLB holds what eq. (11) says: N+1 images would not fit */
            if (!rc && batches[b] == 0) {
                rs_mapping more = m;
                more.N++;
                if (rs_mapping_glb_bytes(&z->arch, bits, &more) <=
                    (double)z->arch.u.rs.glb_act_bytes)
                    rc = error_set(&err, PS_ERR_INTERNAL, "N=%lld is not eq. (11)'s floor",
                                   (long long)m.N);
            }
            if (rc) {
                fprintf(stderr, "%s %s (%s) batch %lld, %d bit: %s\n", model, l->name, l->op,
                            (long long)batches[b], bits, err.msg);
                z->failures++;
            }
        }
}

TEST(test_every_zoo_layer_maps_within_rf_glb_and_pe_array)
{
    zoo_ctx z = {0};
    fixture_eyeriss(&z.arch);
    int models = zoo_for_each_layer(map_zoo_layer, &z);
    CHECK_INT(models, 12); /* workloads/zoo holds 12 models */
    CHECK(z.layers > 500);
    CHECK_INT(z.failures, 0);
    /* a smaller accelerator: 6 x 7 PEs, RF 64 / 8 / 8 words, 16 KiB GLB */
    z.arch.u.rs = (arch_rowstat){.rows = 6, .cols = 7, .filter_rf_words = 64,
                                 .ifmap_rf_words = 8, .psum_rf_words = 8,
                                 .glb_bytes = 20 * 1024, .glb_act_bytes = 16 * 1024,
                                 .rf_word_bits = 16};
    snprintf(z.arch.name, sizeof z.arch.name, "small-rs");
    z.failures = 0;
    zoo_for_each_layer(map_zoo_layer, &z);
    CHECK_INT(z.failures, 0);
}

TEST_MAIN(T(test_3x3_conv_follows_eqs_5_to_12), T(test_stride_2_sets_y_i_and_x_i_by_eqs_6_and_12),
          T(test_small_ofmap_limits_y_o_to_e), T(test_batch_caps_n),
          T(test_8_bit_operands_fill_the_rfs_twice_as_far), T(test_few_channels_fill_free_sets_with_filters),
          T(test_few_filters_reduce_f_i), T(test_small_psum_rf_reduces_f_i),
          T(test_pointwise_reduces_z_i_and_raises_f_i),
          T(test_glb_shrink_reduces_y_o_to_y_o_then_x_i),
          T(test_glb_shrink_keeps_y_o_at_y_o_and_reduces_f_i),
          T(test_glb_too_small_for_one_row_is_an_error),
          T(test_tall_filter_folds_rows_over_passes),
          T(test_wide_filter_streams_one_channel_and_fits_filter_rf),
          T(test_depthwise_runs_groups_side_by_side),
          T(test_group_parallelism_gives_way_to_the_glb), T(test_fc_is_pointwise_on_a_1x1_map),
          T(test_check_names_the_exceeded_limit),
          T(test_every_zoo_layer_maps_within_rf_glb_and_pe_array))
