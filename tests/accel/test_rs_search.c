/* Mapping search (accel/rs_search.h): it finds what plain enumeration of
 * the row-stationary space finds, on small layers where enumeration is
 * cheap; on the zoo it is never worse than CNNergy's rules and returns
 * mappings the capacity check accepts. */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "accel/rowstat.h"
#include "accel/rs_search.h"
#include "tests/accel/fixtures.h"
#include "tests/harness.h"
#include "workloads/workload.h"

static int64_t min64(int64_t a, int64_t b) { return a < b ? a : b; }
static int64_t ceil_div(int64_t a, int64_t b) { return (a + b - 1) / b; }

/* Eyeriss v1 with a GLB of `glb` bytes for activations and `rows` PE rows,
 * small enough that the GLB and the rows bind on the small layers below. */
static void small_eyeriss(accel_arch *a, int64_t glb, int rows)
{
    fixture_eyeriss(a);
    a->u.rs.glb_act_bytes = glb;
    a->u.rs.glb_bytes = 2 * glb;
    a->u.rs.rows = rows;
}

typedef struct {
    const accel_arch *a;
    const accel_layer *l;
    int64_t batch;
    rs_search_objective obj;
    double best;
    long valid;
} brute;

/* The tile loops of brute_force: y_o, X_o, Y_o, N for the PE-array choices
 * already in `m`. */
static void brute_tiles(brute *b, rs_mapping m)
{
    const conv_shape *s = &b->l->conv;
    for (int64_t y_o = 1; y_o <= min64(b->a->u.rs.cols, s->E); y_o++)
        for (int64_t x_o = 1; x_o <= s->G; x_o++)
            for (int64_t y_big = y_o;; y_big = min64(s->E, y_big + y_o)) {
                for (int64_t n = 1; b->batch == 0 || n <= b->batch; n++) {
                    m.y_o = y_o;
                    m.y_i = (y_o - 1) * s->U + m.r_pe;
                    m.X_o = x_o;
                    m.X_i = (x_o - 1) * s->Ux + s->S;
                    m.Y_o = y_big;
                    m.Y_i = min64(s->H, (y_big - 1) * s->U + m.r_pe * m.r_fold);
                    m.N = n;
                    if (rs_mapping_check(b->a, s, 16, &m, NULL)) {
                        if (b->batch == 0)
                            break; /* a larger N only needs more GLB */
                        continue;
                    }
                    b->valid++;
                    layer_cost c;
                    rowstat_conv_cost(b->a, b->l, 16, b->batch, &m, &c);
                    double v = rs_search_objective_value(b->obj, &c);
                    if (v < b->best)
                        b->best = v;
                }
                if (y_big == s->E)
                    break;
            }
}

/* Every mapping of the space that rs_search.h describes, written out as
 * nested loops with no pruning; the best objective value, and the number
 * of mappings rs_mapping_check accepts in *valid. */
static double brute_force(const accel_arch *a, const accel_layer *l, int64_t batch,
                          rs_search_objective obj, long *valid)
{
    const conv_shape *s = &l->conv;
    const arch_rowstat *hw = &a->u.rs;
    const int64_t J = hw->rows;
    const bool wide = s->S > hw->ifmap_rf_words;
    const int64_t c_max = wide ? 1 : min64(s->C, hw->ifmap_rf_words / s->S);
    brute b = {a, l, batch, obj, INFINITY, 0};
    for (int64_t r_fold = s->R > J ? ceil_div(s->R, J) : 1; r_fold <= (s->R > J ? s->R : 1);
         r_fold++)
        for (int64_t c_set = 1; c_set <= c_max; c_set++)
            for (int64_t sets = 1; sets <= J; sets++)
                for (int64_t fg = 1; fg <= J; fg++)
                    for (int64_t gp = 1; gp <= s->groups; gp++)
                        for (int64_t f_pe = 1; f_pe <= hw->psum_rf_words; f_pe++) {
                            rs_mapping m = {0};
                            m.r_fold = r_fold;
                            m.r_pe = ceil_div(s->R, r_fold);
                            m.s_pass = J / m.r_pe;
                            if (sets > m.s_pass)
                                continue;
                            m.c_set = c_set;
                            m.z_i = min64(s->C, c_set * sets);
                            m.filter_groups = fg;
                            m.group_par = gp;
                            m.f_pe = f_pe;
                            m.f_i = min64(s->F, f_pe * fg);
                            m.exceptions = wide ? RS_EXC_WIDE_FILTER : 0;
                            brute_tiles(&b, m);
                        }
    *valid = b.valid;
    return b.best;
}

/* rs_search against brute_force for every objective; returns the best
 * energy gain over the rules, to show that the case is not trivial. */
static double check_against_brute_force(const char *what, const accel_arch *a,
                                        const accel_layer *l, int64_t batch)
{
    double top_gain = 0;
    for (int o = RS_SEARCH_ENERGY; o <= RS_SEARCH_EDP; o++) {
        rs_mapping m, rules;
        layer_cost c, rc;
        rs_search_stats st;
        ps_error err = {0};
        CHECK_INT(rs_search(a, l, 16, batch, (rs_search_objective)o, &m, &c, &st, &err), 0);
        long valid = 0;
        double expected = brute_force(a, l, batch, (rs_search_objective)o, &valid);
        double found = rs_search_objective_value((rs_search_objective)o, &c);
        CHECK_NEAR(found, expected, 1e-12);
        if (fabs(found - expected) > 1e-12 * expected)
            fprintf(stderr, "  %s, batch %lld, %s\n", what, (long long)batch,
                    rs_search_objective_name((rs_search_objective)o));
        /* the result is valid and its cost is the model's cost of it */
        CHECK_INT(rs_mapping_check(a, &l->conv, 16, &m, NULL), 0);
        layer_cost again;
        rowstat_conv_cost(a, l, 16, batch, &m, &again);
        CHECK_NEAR(rs_search_objective_value((rs_search_objective)o, &again), found, 1e-15);
        /* every candidate the search builds passes the check, and the
         * pruning leaves most of the space uncosted */
        CHECK_INT(st.valid, st.evaluated);
        CHECK(st.evaluated < valid / 4);
        CHECK_INT(rs_mapping_rules(a, &l->conv, 16, batch, &rules, &err), 0);
        rowstat_conv_cost(a, l, 16, batch, &rules, &rc);
        double gain = 1 - found / rs_search_objective_value((rs_search_objective)o, &rc);
        if (o == RS_SEARCH_ENERGY)
            top_gain = gain;
        printf("%-26s batch %lld %-8s %8ld valid, search costed %5ld + %5ld bounds, "
               "gain over rules %.2f%%\n", what, (long long)batch,
               rs_search_objective_name((rs_search_objective)o), valid, st.evaluated, st.bounds,
               100 * gain);
    }
    return top_gain;
}

TEST(test_search_matches_brute_force_on_3x3_conv)
{
    accel_arch a;
    small_eyeriss(&a, 1024, 12);
    /* 6 channels of 9 x 9, 5 filters 3 x 3: E = G = 7.  A whole-width tile
     * (X_i = 9, y_i = 9, z_i = 6: 16 x 486 bits) plus its psums (7 x 7 x 5:
     * 16 x 245 bits) is 11696 bits > 8192 bits of GLB: the GLB binds */
    accel_layer l = fixture_conv(6, 9, 9, 5, 3, 3, 1);
    check_against_brute_force("3x3 conv", &a, &l, 1);
    double gain = check_against_brute_force("3x3 conv", &a, &l, 3);
    CHECK(gain > 0); /* the rules are not optimal here: the test can tell */
}

TEST(test_search_matches_brute_force_on_strided_pointwise_conv)
{
    accel_arch a;
    small_eyeriss(&a, 512, 12);
    /* 1 x 1, stride 2 on 9 x 9: E = G = 5; X_i/X_o = 2 - 1/X_o rises with
     * X_o, the case where the search scans X_o upwards */
    accel_layer l = fixture_conv(7, 9, 9, 9, 1, 1, 2);
    CHECK(check_against_brute_force("1x1/2 conv", &a, &l, 2) > 0);
    /* a GLB of 128 B, 10 filters: the best tile is wider than the first
     * X_o whose bound is tried, so the X_o scan must not stop early */
    small_eyeriss(&a, 128, 12);
    accel_layer narrow = fixture_conv(2, 5, 5, 10, 1, 1, 2);
    CHECK(check_against_brute_force("1x1/2 conv, small GLB", &a, &narrow, 1) > 0);
}

TEST(test_search_matches_brute_force_on_grouped_conv)
{
    accel_arch a;
    small_eyeriss(&a, 256, 12);
    /* 3 groups of 4 channels, 4 filters 1 x 1 on 6 x 6: up to 12 sets of one
     * row, so up to 3 groups side by side */
    accel_layer l = fixture_grouped_conv(3, 4, 6, 6, 4, 1, 1, 1);
    CHECK(check_against_brute_force("grouped conv", &a, &l, 1) > 0);
    /* With a DRAM fast enough that the PE array bounds the latency: 2 groups
     * of 1 channel, 3 filters 1 x 1 on 6 x 6 (E = G = 6), GLB 128 B = 1024
     * bits.  Cycles per frame = G S c_set ceil(E/y_o) ceil(C/z_i) f_steps
     * ceil(groups/group_par); GLB bits = N group_par 16 (X_i y_i z_i +
     * X_o Y_o f_i), the groups side by side each holding their tiles.
     * Rules: f_pe = 3, one filter group (f_steps = 3), y_o = 6 (y_i = 6);
     * the 2 groups side by side at X_o = Y_o = 6 need 2 x 16 x (6 x 6 x 1 +
     * 6 x 6 x 3) = 4608 bits, one group 2304 bits: the shrink loop halves
     * group_par to 1, keeps Y_o = y_o = 6 and halves X_o to 3: 16 x (3 x 6
     * x 1 + 3 x 6 x 3) = 1152 bits, still too many; X_o = 1: 16 x (1 x 6 +
     * 1 x 6 x 3) = 384 bits, N = 1.  Cycles 6 x 1 x 1 x 1 x 1 x 3 x 2 = 36
     * = 180 ns at 200 MHz.
     * Best: 3 filter groups of 1 filter (f_steps = 1) x 2 groups = 6 of the
     * 12 rows, X_o = 1, Y_o = 6: 2 x 384 = 768 bits <= 1024, so the GLB
     * allows both groups side by side: 6 cycles = 30 ns. */
    small_eyeriss(&a, 128, 12);
    a.dram_bw_bytes_per_s = 1e12;
    accel_layer two = fixture_grouped_conv(2, 1, 6, 6, 3, 1, 1, 1);
    check_against_brute_force("grouped conv, fast DRAM", &a, &two, 1);
    rs_mapping m, rm;
    layer_cost c, rc;
    ps_error err = {0};
    CHECK_INT(rs_search(&a, &two, 16, 1, RS_SEARCH_LATENCY, &m, &c, NULL, &err), 0);
    CHECK_INT(rowstat_layer_cost(&a, &two, 16, 1, NULL, &rc, &rm, &err), 0);
    CHECK_INT(rm.group_par, 1);
    /* partsim's GLB tile then widens X_o to 2: 16 x (2 x 6 x 1 + 2 x 6 x 3)
     * = 768 bits fit, and its 3 tiles of 2 columns reload the filters 3
     * times a frame instead of 6 (ifmap words alike: 36); X_o = 3 needs
     * 1152 bits.  The cycles do not depend on X_o. */
    CHECK_INT(rm.X_o, 2);
    CHECK_NEAR(rc.latency_s, 36 / 200e6, 1e-12);
    CHECK_NEAR(c.latency_s, 6 / 200e6, 1e-12);
    CHECK_INT(m.group_par, 2);
    CHECK_INT(m.filter_groups, 3);
    CHECK_INT(m.X_o, 1);
    CHECK_INT(m.Y_o, 6);
}

TEST(test_search_matches_brute_force_on_tall_and_wide_filters)
{
    accel_arch a;
    small_eyeriss(&a, 1024, 4);
    /* R = 5 > J = 4: folds 2..5 (r_pe 3, 2, 1) */
    accel_layer tall = fixture_conv(3, 8, 8, 4, 5, 5, 1);
    CHECK(check_against_brute_force("tall filter", &a, &tall, 2) > 0);
    small_eyeriss(&a, 512, 12);
    /* S = 13 > I_s = 12: one streamed channel per set */
    accel_layer wide = fixture_conv(2, 4, 15, 3, 1, 13, 1);
    CHECK(check_against_brute_force("wide filter", &a, &wide, 2) > 0);
    accel_layer wide3 = fixture_conv(3, 6, 16, 4, 3, 13, 1);
    CHECK(check_against_brute_force("wide 3-row filter", &a, &wide3, 1) > 0);
    /* 18 filters of 3 x 1 x 13, GLB 256 B: the filter RF holds floor(224 /
     * 13) = 17 rows of one channel, fewer than floor(f_s / I_s) = floor(224
     * / 12) = 18, so f_pe = 18 (all 18 filters in one PE) is no candidate;
     * the brute force lets rs_mapping_check say so */
    small_eyeriss(&a, 256, 12);
    accel_layer many = fixture_conv(3, 3, 14, 18, 1, 13, 1);
    check_against_brute_force("wide filter, 18 filters", &a, &many, 1);
}

TEST(test_search_matches_brute_force_with_auto_batch)
{
    accel_arch a;
    small_eyeriss(&a, 256, 12);
    /* batch 0: N is as many images as the GLB holds */
    accel_layer l = fixture_conv(2, 5, 5, 2, 3, 3, 1);
    CHECK(check_against_brute_force("auto batch", &a, &l, 0) > 0);
}

TEST(test_search_on_fc_layer_takes_all_filters_channels_and_frames)
{
    accel_arch a;
    fixture_eyeriss(&a);
    /* FC 4 -> 2, 3 frames, 100 KiB GLB (far more than 3 x (4 + 2) words):
     * every term of the energy is least with all F = 2 filters in a pass
     * (ifmap fetched F/f_i = 1 time), all C = 4 channels (psum GLB traffic
     * C/z_i = 1), and all N = 3 frames in one GLB fill (filters fetched once) */
    accel_layer l = fixture_fc(4, 2);
    rs_mapping m;
    ps_error err = {0};
    CHECK_INT(rs_search(&a, &l, 16, 3, RS_SEARCH_ENERGY, &m, NULL, NULL, &err), 0);
    CHECK_INT(m.f_i, 2);
    CHECK_INT(m.z_i, 4);
    CHECK_INT(m.N, 3);
    CHECK_INT(m.X_o, 1);
    CHECK_INT(m.Y_o, 1);
}

TEST(test_search_errors_name_layer_and_architecture)
{
    accel_arch a;
    fixture_eyeriss(&a);
    accel_layer pool = fixture_conv(4, 8, 8, 4, 2, 2, 2);
    pool.kind = LAYER_POOL;
    pool.name = "pool5";
    pool.op = "MaxPool";
    rs_mapping m;
    ps_error err = {0};
    CHECK_INT(rs_search(&a, &pool, 16, 1, RS_SEARCH_ENERGY, &m, NULL, NULL, &err), PS_ERR_INPUT);
    CHECK_STR_CONTAINS(err.msg, "pool5");
    /* a GLB of 8 bytes holds not even one row: the rules' error, named */
    a.u.rs.glb_act_bytes = 8;
    accel_layer conv = fixture_conv(4, 8, 8, 4, 3, 3, 1);
    CHECK_INT(rs_search(&a, &conv, 16, 1, RS_SEARCH_ENERGY, &m, NULL, NULL, &err), PS_ERR_INPUT);
    CHECK_STR_CONTAINS(err.msg, "conv");
    CHECK_STR_CONTAINS(err.msg, "GLB");
    fixture_simba(&a);
    CHECK(rs_search(&a, &conv, 8, 1, RS_SEARCH_ENERGY, &m, NULL, NULL, &err) != 0);
    CHECK_STR_CONTAINS(err.msg, "weight");
}

TEST(test_objective_names_round_trip)
{
    rs_search_objective o = RS_SEARCH_ENERGY;
    CHECK_INT(rs_search_parse_objective("latency", &o), 0);
    CHECK_INT(o, RS_SEARCH_LATENCY);
    CHECK_INT(rs_search_parse_objective("edp", &o), 0);
    CHECK_INT(o, RS_SEARCH_EDP);
    CHECK_INT(rs_search_parse_objective("energy", &o), 0);
    CHECK_INT(o, RS_SEARCH_ENERGY);
    CHECK_INT(rs_search_parse_objective("power", &o), PS_ERR_INPUT);
    CHECK_INT(rs_search_parse_objective(NULL, &o), PS_ERR_INPUT);
    CHECK(!strcmp(rs_search_objective_name(RS_SEARCH_EDP), "edp"));
    /* EDP of 2 J over 3 s is 6 J s */
    layer_cost c = {0};
    c.energy_j = 2.0;
    c.latency_s = 3.0;
    CHECK_NEAR(rs_search_objective_value(RS_SEARCH_EDP, &c), 6.0, 1e-15);
    CHECK_NEAR(rs_search_objective_value(RS_SEARCH_LATENCY, &c), 3.0, 1e-15);
}

/* Every Conv / Gemm of a zoo model, every objective: no worse than the
 * rules, and valid.  Returns the largest energy gain and its layer. */
static double check_zoo_model(const char *model, int64_t batch, char *top, size_t top_size)
{
    accel_arch a;
    fixture_eyeriss(&a);
    ps_error err = {0};
    graph *g = workload_load(model, &err);
    CHECK(g != NULL);
    if (!g) {
        fprintf(stderr, "%s\n", err.msg);
        return 0;
    }
    double top_gain = 0;
    int layers = 0;
    for (int i = 0; i < g->n_nodes; i++) {
        accel_layer l;
        CHECK_INT(layer_from_node(g, g->order[i], NULL, &l, &err), 0);
        if (l.kind != LAYER_CONV && l.kind != LAYER_FC)
            continue;
        layers++;
        rs_mapping rules;
        layer_cost rc;
        /* the search is exact over NeuPart's tiles (m = f_i): against the
         * rules without partsim's GLB tile */
        CHECK_INT(rs_mapping_rules(&a, &l.conv, 16, batch, &rules, &err), 0);
        rowstat_conv_cost(&a, &l, 16, batch, &rules, &rc);
        for (int o = RS_SEARCH_ENERGY; o <= RS_SEARCH_EDP; o++) {
            rs_mapping m;
            layer_cost c;
            CHECK_INT(rs_search(&a, &l, 16, batch, (rs_search_objective)o, &m, &c, NULL, &err), 0);
            CHECK_INT(rs_mapping_check(&a, &l.conv, 16, &m, &err), 0);
            double found = rs_search_objective_value((rs_search_objective)o, &c);
            double rule = rs_search_objective_value((rs_search_objective)o, &rc);
            CHECK(found <= rule * (1 + 1e-12));
            if (o == RS_SEARCH_ENERGY && 1 - found / rule > top_gain) {
                top_gain = 1 - found / rule;
                snprintf(top, top_size, "%s", l.name);
            }
        }
    }
    CHECK(layers > 0);
    printf("%s, batch %lld: %d conv/FC layers; largest energy gain over the rules %.2f%% (%s)\n",
           model, (long long)batch, layers, 100 * top_gain, top_gain > 0 ? top : "-");
    graph_free(g);
    return top_gain;
}

TEST(test_zoo_search_never_worse_than_rules_and_valid)
{
    char top[256] = "";
    /* AlexNet: at least one layer gains energy strictly over the rules */
    CHECK(check_zoo_model("alexnet", 1, top, sizeof top) > 1e-9);
    CHECK(check_zoo_model("alexnet", 4, top, sizeof top) > 1e-9);
    check_zoo_model("resnet50", 1, top, sizeof top);
    check_zoo_model("mobilenet_v2", 1, top, sizeof top);
}

TEST_MAIN(T(test_search_matches_brute_force_on_3x3_conv),
          T(test_search_matches_brute_force_on_strided_pointwise_conv),
          T(test_search_matches_brute_force_on_grouped_conv),
          T(test_search_matches_brute_force_on_tall_and_wide_filters),
          T(test_search_matches_brute_force_with_auto_batch),
          T(test_search_on_fc_layer_takes_all_filters_channels_and_frames),
          T(test_search_errors_name_layer_and_architecture),
          T(test_objective_names_round_trip),
          T(test_zoo_search_never_worse_than_rules_and_valid))
