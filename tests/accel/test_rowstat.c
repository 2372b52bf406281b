/* The row-stationary cost model (accel/rowstat.h): NeuPart eqs. (13)-(21)
 * on small layers computed by hand, zero skipping and RLC (eq. (25)), 16 vs
 * 8 bit, FC, grouped / depthwise convolutions, the PE datapath for pooling,
 * element-wise and activation layers, batching, cycles and bounds, and
 * monotonicity over every layer of the zoo.  AlexNet's per-layer numbers
 * are printed for calibration against Eyeriss.
 *
 * Eyeriss v1 (fixture_eyeriss): 12 x 14 = 168 PEs, 200 MHz, 0.8 GB/s DRAM,
 * e = e_mac_ref_j per 16-bit MAC, accesses 1 / 2 / 6 / 200 e (RF, inter-PE,
 * GLB, DRAM), 80 % of a MAC in its multiplier, P_clk = 460 pF * 1 V^2 *
 * 200 MHz = 0.092 W, other control 15 %. */
#include <math.h>
#include <stdio.h>

#include "accel/rowstat.h"
#include "workloads/compress.h"
#include "tests/accel/fixtures.h"
#include "tests/accel/zoo_layers.h"
#include "tests/harness.h"

#define TOL 1e-9

static void check_parts_sum(const layer_cost *c)
{
    double sum = 0;
    for (int p = 0; p < PART_COUNT; p++) {
        CHECK(c->energy[p] >= 0);
        sum += c->energy[p];
    }
    CHECK_NEAR(c->energy_j, sum, 1e-12);
}

static layer_cost cost(const accel_arch *a, const accel_layer *l, int bits, int64_t batch)
{
    layer_cost c;
    ps_error err = {0};
    int rc = rowstat_layer_cost(a, l, bits, batch, NULL, &c, NULL, &err);
    if (rc)
        fprintf(stderr, "rowstat_layer_cost: %s\n", err.msg);
    CHECK_INT(rc, 0);
    check_parts_sum(&c);
    return c;
}

/* C = 64 channels of 16x16, F = 64 filters of 3x3, stride 1: E = G = 14.
 * Mapping (test_rs_mapping): f_i = 18, z_i = 16, y_o = 14, y_i = 16,
 * X_o = 14, X_i = 16, Y_o = 14, C_set = 4, S_pass = 4.
 * partsim's GLB tile (rs_mapping_tiled) at batch 1: the psums of m = 64
 * filters fit beside the ifmap tile (2 B x (16 x 16 x 16 + 14 x 14 x 64) =
 * 33280 B <= 102400), so the ifmap comes from DRAM once: 16 x 16 x 64 x
 * 64/64 words against 16 x 16 x 64 x 64/18 with m = f_i; a narrower X_o
 * only adds filter reloads (X_o = 7: 9 x 16 x 64 x 2 tiles = 18432 ifmap
 * words + 2 x 36864 filter words > 16384 + 36864). */
static accel_layer conv64(void)
{
    accel_layer l = fixture_conv(64, 16, 16, 64, 3, 3, 1);
    l.input_is_network_input = true; /* no RLC on the ifmap */
    return l;
}

/* shared hand arithmetic for conv64 at batch 1 (N = 1) */
#define PASSES (64.0 / 16.0 * 64.0 / 18.0)  /* C/z_i * F/f_i (Y_o/y_o = G/X_o = E/Y_o = 1) */
#define I_PASS (16.0 * 16.0 * 16.0)         /* eq. (13): N X_i y_i z_i = 4096 */
#define P_PASS (14.0 * 14.0 * 18.0)         /* eq. (14): N X_o y_o f_i = 3528 */
#define F_PASS (18.0 * 3.0 * 3.0 * 16.0)    /* eq. (15): f_i R S z_i = 2592 */
#define MACS (3.0 * 3.0 * 64.0 * 14.0 * 14.0 * 64.0) /* eq. (19): 7225344 */

TEST(test_conv_accesses_follow_eqs_13_to_18)
{
    accel_arch a;
    fixture_eyeriss(&a);
    accel_layer l = conv64();
    layer_cost c = cost(&a, &l, 16, 1);
    /* eq. (16) with m = 64: every ifmap word from DRAM once, 16 x 16 x 64;
     * the GLB reads I_pass per pass (4096 x 14.22) and is written what DRAM
     * sends */
    CHECK_NEAR(c.accesses[MEM_DRAM][DATA_IFMAP], 16.0 * 16.0 * 64.0, TOL);
    CHECK_NEAR(c.accesses[MEM_GLB][DATA_IFMAP], I_PASS * PASSES + 16384.0, TOL);
    /* psums: each of the 4 z-steps of the 64/18 filter blocks writes its
     * 3528 psums, all but the first read them first (7 accesses), and the
     * ofmap is read once for DRAM: 3528 x 64/18 x 7 + 12544 = 100352 */
    CHECK_NEAR(c.accesses[MEM_GLB][DATA_PSUM], 3528.0 * 64.0 / 18.0 * 7.0 + 12544.0, TOL);
    /* filters pass through the GLB's filter part: written and read once */
    CHECK_NEAR(c.accesses[MEM_GLB][DATA_FILTER], 2.0 * 64.0 * 64.0 * 9.0, TOL);
    /* eqs. (16)-(18): filters once per (Y_o/y_o) passes = 2592 * 4 * 64/18 =
     * 36864 = every weight (64 * 64 * 9) once */
    CHECK_NEAR(c.accesses[MEM_DRAM][DATA_FILTER], F_PASS * 4.0 * 64.0 / 18.0, TOL);
    CHECK_NEAR(c.accesses[MEM_DRAM][DATA_FILTER], 64.0 * 64.0 * 9.0, TOL);
    /* eq. (17): the ofmap once, RLC at sparsity 0: 12544 * (1 + 1/3) */
    CHECK_NEAR(c.accesses[MEM_DRAM][DATA_PSUM], 14.0 * 14.0 * 64.0 * 4.0 / 3.0, TOL);
    /* eq. (16): four RF accesses per MAC */
    CHECK_NEAR(c.accesses[MEM_RF][DATA_IFMAP], MACS, TOL);
    CHECK_NEAR(c.accesses[MEM_RF][DATA_FILTER], MACS, TOL);
    CHECK_NEAR(c.accesses[MEM_RF][DATA_PSUM], 2.0 * MACS, TOL);
    /* partsim: vertical psum accumulation over 4 sets * 3 rows = 12 PEs, 11
     * hops per psum: 11 * 3528 * 14.22 = 551936 */
    CHECK_NEAR(c.accesses[MEM_INTERPE][DATA_PSUM], 551936.0, TOL);
    CHECK_NEAR(c.macs, MACS, TOL);
    CHECK_NEAR(c.macs_executed, MACS, TOL);
}

TEST(test_conv_energies_follow_eqs_16_to_21)
{
    accel_arch a;
    fixture_eyeriss(&a);
    a.clock_leak_w = 0.002;
    a.static_power_w = 0.05;
    accel_layer l = conv64();
    layer_cost c = cost(&a, &l, 16, 1);
    double e = a.e_mac_ref_j;
    double dram_words = 16384.0 + 36864.0 + 12544.0 * 4.0 / 3.0; /* 69973.33 */
    CHECK_NEAR(c.energy[PART_MAC], MACS * e, TOL);                        /* eq. (19) */
    CHECK_NEAR(c.energy[PART_RF], 4.0 * MACS * e, TOL);
    CHECK_NEAR(c.energy[PART_INTERPE], 551936.0 * 2.0 * e, TOL);
    CHECK_NEAR(c.energy[PART_GLB], (I_PASS * PASSES + 16384.0 + 100352.0 + 73728.0) * 6.0 * e,
               TOL);
    CHECK_NEAR(c.energy[PART_DRAM], dram_words * 200.0 * e, TOL);
    CHECK_NEAR(c.dram_bytes, dram_words * 2.0, TOL);
    /* compute-bound: 139947 B / 0.8 GB/s * 200 MHz = 34987 cycles < 43008 */
    double latency = 43008.0 / 200e6;
    CHECK_NEAR(c.latency_s, latency, TOL);
    /* eqs. (20)-(21): P_clk = 0.092 W + 2 mW leakage, times the latency */
    CHECK_NEAR(c.energy[PART_CLOCK], 0.094 * latency, TOL);
    /* other control = 15 % of E_layer without DRAM, which includes itself:
     * x = 0.15 (on-chip + clock + x)  ->  x = 0.15 / 0.85 (on-chip + clock) */
    double on_chip = c.energy[PART_MAC] + c.energy[PART_RF] + c.energy[PART_INTERPE] +
                     c.energy[PART_GLB] + c.energy[PART_CLOCK];
    CHECK_NEAR(c.energy[PART_CTRL], 0.15 / 0.85 * on_chip, TOL);
    CHECK_NEAR(c.energy[PART_CTRL] / (on_chip + c.energy[PART_CTRL]), 0.15, TOL);
    /* partsim: static power x latency, outside NeuPart's 15 % */
    CHECK_NEAR(c.energy[PART_STATIC], 0.05 * latency, TOL);
}

TEST(test_conv_cycles_and_bound)
{
    accel_arch a;
    fixture_eyeriss(&a);
    accel_layer l = conv64();
    layer_cost c = cost(&a, &l, 16, 1);
    /* a pass: each PE does X_o * S * C_set * f_i MACs; G * S * C_set *
     * ceil(E / y_o) * ceil(C / z_i) * (3 * 18 + 10 filter steps) =
     * 14 * 3 * 4 * 1 * 4 * 64 = 43008 cycles; 43008 * 168 = 7225344 = MACS */
    CHECK_NEAR(c.compute_cycles, 43008.0, TOL);
    double words = 16384.0 + 36864.0 + 12544.0 * 4.0 / 3.0;
    CHECK_NEAR(c.dram_cycles, words * 2.0 / 0.8e9 * 200e6, TOL); /* 34986.7 */
    CHECK_INT(c.bound, BOUND_COMPUTE);
    /* half the bandwidth: 69973 DRAM cycles, DRAM-bound */
    a.dram_bw_bytes_per_s = 0.4e9;
    c = cost(&a, &l, 16, 1);
    CHECK_NEAR(c.dram_cycles, words * 2.0 / 0.4e9 * 200e6, TOL);
    CHECK_INT(c.bound, BOUND_DRAM);
    CHECK_NEAR(c.cycles, c.dram_cycles, TOL);
    CHECK_NEAR(c.utilization, 43008.0 / words, TOL); /* MACs / (cycles * 168) */
    /* twenty times that: 3499 DRAM cycles, compute-bound, all PEs busy */
    a.dram_bw_bytes_per_s = 8e9;
    c = cost(&a, &l, 16, 1);
    CHECK_INT(c.bound, BOUND_COMPUTE);
    CHECK_NEAR(c.cycles, 43008.0, TOL);
    CHECK_NEAR(c.latency_s, 43008.0 / 200e6, TOL);
    CHECK_NEAR(c.utilization, 1.0, TOL);
}

TEST(test_padding_coverage_counts_the_windows_exactly)
{
    /* 11 rows, 3 taps, stride 4, 1 row of padding on top: E = 3 and the
     * padded extent (3 - 1) 4 + 3 = 11 = the real rows (the stride leaves
     * the last row unread, so the bottom padding is never reached).  Rows
     * read: e = 0: -1 (padding), 0, 1; e = 1: 3, 4, 5; e = 2: 7, 8, 9: 8 of
     * 9 pairs per axis */
    conv_shape c = {.R = 3, .S = 3, .H = 11, .W = 11, .E = 3, .G = 3, .C = 1, .F = 1,
                    .U = 4, .Ux = 4, .groups = 1, .Hu = 11, .Wu = 11, .pad_t = 1,
                    .pad_l = 1, .dil_y = 1, .dil_x = 1};
    CHECK_NEAR(layer_conv_coverage(&c), (8.0 / 9.0) * (8.0 / 9.0), 1e-15);
    /* the real map [1, 12) of a 11-row extent: 10 real rows read; columns
     * [1, 12) of 13: 11 */
    c.W = 13;
    CHECK_NEAR(layer_conv_unpadded_fraction(&c), 10.0 * 11.0 / (11.0 * 13.0), 1e-15);
    /* no padding: every pair reads the map, all of it is real */
    conv_shape d = {.R = 3, .S = 3, .H = 9, .W = 9, .E = 7, .G = 7, .C = 1, .F = 1, .U = 1,
                    .Ux = 1, .groups = 1, .Hu = 9, .Wu = 9, .dil_y = 1, .dil_x = 1};
    CHECK_NEAR(layer_conv_coverage(&d), 1.0, 0);
    CHECK_NEAR(layer_conv_unpadded_fraction(&d), 1.0, 0);
}

TEST(test_a_glb_bandwidth_bounds_the_cycles)
{
    accel_arch a;
    fixture_eyeriss(&a);
    accel_layer l = conv64();
    layer_cost c = cost(&a, &l, 16, 1);
    CHECK_NEAR(c.glb_cycles, 0.0, 0); /* no bandwidth given: no bound */
    /* GLB bytes (16-bit words): ifmap 58254.2 + 16384, filters 73728, psums
     * 100352 (test_conv_accesses_follow_eqs_13_to_18) = 248718.2 words =
     * 497436.4 B; at 8 B a cycle 62179.6 cycles > 43008 compute > 34987 DRAM */
    a.u.rs.glb_bytes_per_cycle = 8;
    c = cost(&a, &l, 16, 1);
    double glb = 2.0 * (I_PASS * PASSES + 16384.0 + 73728.0 + 100352.0);
    CHECK_NEAR(c.glb_cycles, glb / 8.0, TOL);
    CHECK_INT(c.bound, BOUND_GLB);
    CHECK_NEAR(c.cycles, glb / 8.0, TOL);
    CHECK_NEAR(c.latency_s, glb / 8.0 / 200e6, TOL);
    CHECK(strcmp(cost_bound_name(c.bound), "glb") == 0);
    /* twice the bandwidth: 31090 cycles, the PE array bounds again */
    a.u.rs.glb_bytes_per_cycle = 16;
    c = cost(&a, &l, 16, 1);
    CHECK_INT(c.bound, BOUND_COMPUTE);
    CHECK_NEAR(c.cycles, 43008.0, TOL);
}

TEST(test_batch_amortizes_filters_over_n_images)
{
    accel_arch a;
    fixture_eyeriss(&a);
    a.dram_bw_bytes_per_s = 8e9;
    accel_layer l = conv64();
    layer_cost b1 = cost(&a, &l, 16, 1), b4 = cost(&a, &l, 16, 4), bauto = cost(&a, &l, 16, 0);
    /* per frame: every weight (36864) once per GLB fill of N images.  The
     * tile keeps m = 64 (33280 B an image, N = 3): at batch 1 one fill; at
     * batch 4 two fills (3 + 1 images: 36864 x 2 / 4 a frame, fewer DRAM
     * words than m = 36 with N = 4: 9216 + 16384 x 64/36 = 38343 against
     * 18432 + 16384 = 34816); auto: N = 3 */
    CHECK_NEAR(b1.accesses[MEM_DRAM][DATA_FILTER], 36864.0, TOL);
    CHECK_NEAR(b4.accesses[MEM_DRAM][DATA_FILTER], 36864.0 * 2.0 / 4.0, TOL);
    CHECK_NEAR(bauto.accesses[MEM_DRAM][DATA_FILTER], 36864.0 / 3.0, TOL);
    /* ifmap, psum, MACs and PE time per frame do not change */
    CHECK_NEAR(b4.accesses[MEM_DRAM][DATA_IFMAP], 16384.0, TOL);
    CHECK_NEAR(b4.accesses[MEM_GLB][DATA_PSUM], 100352.0, TOL);
    CHECK_NEAR(b4.macs, MACS, TOL);
    CHECK_NEAR(bauto.compute_cycles, 43008.0, TOL);
    /* so the DRAM energy per frame drops by 200 e * 36864 * (1 - 2/4) */
    CHECK_NEAR(b1.energy[PART_DRAM] - b4.energy[PART_DRAM],
               200.0 * a.e_mac_ref_j * 36864.0 * 0.5, 1e-9);
    CHECK(b1.energy_j > b4.energy_j && b4.energy_j > bauto.energy_j);
}

TEST(test_given_mapping_with_more_images_than_frames)
{
    accel_arch a;
    fixture_eyeriss(&a);
    accel_layer l = conv64();
    rs_mapping m;
    ps_error err = {0};
    CHECK_INT(rs_mapping_rules(&a, &l.conv, 16, 0, &m, &err), 0); /* N = 6 */
    CHECK_INT(m.N, 6);
    layer_cost given, one;
    rowstat_conv_cost(&a, &l, 16, 1, &m, &given);
    rs_mapping m1 = m;
    m1.N = 1;
    rowstat_conv_cost(&a, &l, 16, 1, &m1, &one);
    /* one frame cannot share its filters with 5 frames that do not exist */
    CHECK_NEAR(given.accesses[MEM_DRAM][DATA_FILTER], 36864.0, TOL);
    CHECK_NEAR(given.energy_j, one.energy_j, 1e-12);
}

TEST(test_zero_skipping_and_rlc)
{
    accel_arch a;
    fixture_eyeriss(&a);
    accel_layer l = conv64();
    l.input_is_network_input = false;
    l.in_sparsity = 0.5;
    l.out_sparsity = 0.25;
    layer_cost c = cost(&a, &l, 16, 1);
    /* Sec. IV-D.2: a zero ifmap skips its MAC, filter read and psum
     * read / write; the ifmap itself is still read */
    CHECK_NEAR(c.macs, MACS, TOL);
    CHECK_NEAR(c.macs_executed, 0.5 * MACS, TOL);
    CHECK_NEAR(c.accesses[MEM_RF][DATA_IFMAP], MACS, TOL);
    CHECK_NEAR(c.accesses[MEM_RF][DATA_FILTER], 0.5 * MACS, TOL);
    CHECK_NEAR(c.accesses[MEM_RF][DATA_PSUM], MACS, TOL);
    CHECK_NEAR(c.energy[PART_MAC], 0.5 * MACS * a.e_mac_ref_j, TOL);
    /* eq. (25), delta = 1/3 at 16 bit: ifmap (each word once, m = 64)
     * 16384 * 0.5 * 4/3, ofmap 12544 * 0.75 * 4/3 = 12544; GLB and filters
     * are not compressed (the GLB is written the decompressed 16384) */
    CHECK_NEAR(compress_rlc_delta(16), 1.0 / 3.0, 1e-15);
    CHECK_NEAR(c.accesses[MEM_DRAM][DATA_IFMAP], 16384.0 * 0.5 * 4.0 / 3.0, TOL);
    CHECK_NEAR(c.accesses[MEM_DRAM][DATA_PSUM], 12544.0, TOL);
    CHECK_NEAR(c.accesses[MEM_DRAM][DATA_FILTER], 36864.0, TOL);
    CHECK_NEAR(c.accesses[MEM_GLB][DATA_IFMAP], I_PASS * PASSES + 16384.0, TOL);
    /* the network input is read raw, but its zeros are still skipped */
    l.input_is_network_input = true;
    c = cost(&a, &l, 16, 1);
    CHECK_NEAR(c.accesses[MEM_DRAM][DATA_IFMAP], 16384.0, TOL);
    CHECK_NEAR(c.accesses[MEM_DRAM][DATA_PSUM], 12544.0, TOL);
    CHECK_NEAR(c.macs_executed, 0.5 * MACS, TOL);
    /* delta = 3/5 at 8 bit (4-bit runs): ifmap 16384 * 0.5 * 8/5 */
    l.input_is_network_input = false;
    CHECK_NEAR(compress_rlc_delta(8), 0.6, 1e-15);
    c = cost(&a, &l, 8, 1);
    CHECK_NEAR(c.accesses[MEM_DRAM][DATA_IFMAP], 16384.0 * 0.5 * 1.6, TOL);
    CHECK_NEAR(c.accesses[MEM_DRAM][DATA_PSUM], 12544.0 * 0.75 * 1.6, TOL);
}

TEST(test_8_bit_scales_mac_quadratically_and_accesses_linearly)
{
    accel_arch a;
    fixture_eyeriss(&a);
    accel_layer l = conv64();
    layer_cost c16 = cost(&a, &l, 16, 1), c8 = cost(&a, &l, 8, 1);
    double e = a.e_mac_ref_j;
    /* 8-bit operands fill the RFs twice as far (test_rs_mapping): z_i =
     * 32, two z-steps; the psums of m = 64 filters still fit: 3528 x 64/18
     * x (2 x 2 - 1) + 12544 = 50176 GLB psum accesses */
    CHECK_NEAR(c8.accesses[MEM_GLB][DATA_PSUM], 3528.0 * 64.0 / 18.0 * 3.0 + 12544.0, TOL);
    CHECK_NEAR(c8.accesses[MEM_RF][DATA_IFMAP], c16.accesses[MEM_RF][DATA_IFMAP], TOL);
    /* MAC: 0.8 * (1/2)^2 + 0.2 * 1/2 = 0.3 of a 16-bit MAC */
    CHECK_NEAR(c8.energy[PART_MAC], 0.3 * c16.energy[PART_MAC], TOL);
    /* RF: ifmap and filter words at 8 bit (0.5 e), psums at psum_bits 16 (1 e):
     * 2 * MACS * 0.5 e + 2 * MACS * 1 e = 3 MACS e (16 bit: 4 MACS e) */
    CHECK_NEAR(c8.energy[PART_RF], 3.0 * MACS * e, TOL);
    /* GLB: ifmap reads (8192 a pass x 64/18 x 2) and writes, filters in and
     * out at 8 bit (3 e), psums at 16 bit (6 e) */
    CHECK_NEAR(c8.energy[PART_GLB],
               ((I_PASS * PASSES + 16384.0 + 73728.0) * 0.5 + 50176.0) * 6.0 * e, TOL);
    /* DRAM at 100 e per 8-bit word; ofmap RLC 1 + 3/5 */
    double words8 = 16384.0 + 36864.0 + 12544.0 * 1.6;
    CHECK_NEAR(c8.energy[PART_DRAM], words8 * 100.0 * e, TOL);
    CHECK_NEAR(c8.dram_bytes, words8, TOL);
    CHECK(c8.energy_j < c16.energy_j);
}

TEST(test_fc_is_a_1x1_conv_on_a_1x1_map_and_dram_bound)
{
    accel_arch a;
    fixture_eyeriss(&a);
    accel_layer fc = fixture_fc(1024, 256);
    layer_cost c = cost(&a, &fc, 16, 1);
    /* mapping: z_i = 108, f_i = 24, y_o = X_o = Y_o = 1, N = 1;
     * passes = 1024/108 * 256/24 */
    double passes = 1024.0 / 108.0 * 256.0 / 24.0;
    CHECK_NEAR(c.accesses[MEM_DRAM][DATA_FILTER], 24.0 * 108.0 * passes, TOL); /* = 262144 */
    CHECK_NEAR(c.accesses[MEM_DRAM][DATA_FILTER], 1024.0 * 256.0, TOL);
    /* the GLB holds the psums of all 256 filters (m = F: 1 x 1 x 108 x 2 B of
     * ifmap + 256 x 2 B of psums), so each input is read from DRAM once */
    CHECK_NEAR(c.accesses[MEM_DRAM][DATA_IFMAP], 1024.0 * 4.0 / 3.0, TOL);
    CHECK_NEAR(c.accesses[MEM_DRAM][DATA_PSUM], 256.0 * 4.0 / 3.0, TOL);
    /* C_set = 9 cycles per filter, ceil(1024 / 108) = 10 channel passes,
     * 10 * 24 + 16 = 256 filter steps: 9 * 10 * 256 = 23040 cycles */
    CHECK_NEAR(c.compute_cycles, 23040.0, TOL);
    double bytes = 2.0 * (262144.0 + 1024.0 * 4.0 / 3.0 + 256.0 * 4.0 / 3.0);
    CHECK_NEAR(c.dram_cycles, bytes / 4.0, TOL); /* 0.8 GB/s at 200 MHz: 4 B per cycle */
    CHECK_INT(c.bound, BOUND_DRAM);
    CHECK_NEAR(c.utilization, 262144.0 / (bytes / 4.0 * 168.0), TOL);
    /* the same numbers as the equivalent convolution */
    accel_layer conv = fixture_conv(1024, 1, 1, 256, 1, 1, 1);
    layer_cost cc = cost(&a, &conv, 16, 1);
    CHECK_NEAR(cc.energy_j, c.energy_j, 1e-12);
    CHECK_NEAR(cc.cycles, c.cycles, 1e-12);
}

TEST(test_depthwise_and_grouped_conv)
{
    accel_arch a;
    fixture_eyeriss(&a);
    a.dram_bw_bytes_per_s = 80e9; /* compute-bound */
    /* 32 depthwise 3x3 groups on 16x16: 4 groups side by side */
    accel_layer dw = fixture_grouped_conv(32, 1, 16, 16, 1, 3, 3, 1);
    dw.input_is_network_input = true;
    layer_cost c = cost(&a, &dw, 16, 1);
    CHECK_NEAR(c.macs, 32.0 * 9.0 * 14.0 * 14.0, TOL);                 /* 56448 */
    CHECK_NEAR(c.accesses[MEM_DRAM][DATA_IFMAP], 32.0 * 16.0 * 16.0, TOL); /* input once */
    CHECK_NEAR(c.accesses[MEM_DRAM][DATA_FILTER], 32.0 * 9.0, TOL);
    CHECK_NEAR(c.accesses[MEM_GLB][DATA_PSUM], 2.0 * 32.0 * 196.0, TOL);
    CHECK_NEAR(c.accesses[MEM_INTERPE][DATA_PSUM], 2.0 * 32.0 * 196.0, TOL); /* 3 rows: 2 hops */
    /* 14 * 3 cycles per group pass, ceil(32 / 4) = 8 rounds: 336 cycles;
     * 336 * 168 = 56448: every PE busy */
    CHECK_NEAR(c.compute_cycles, 336.0, TOL);
    CHECK_NEAR(c.utilization, 1.0, TOL);
    /* 2 groups of C = F = 8: C_set = 4, 2 sets per group, F = 8: f_i = 8;
     * both groups side by side; 14 * 3 * 4 * 8 = 1344 cycles */
    accel_layer g2 = fixture_grouped_conv(2, 8, 16, 16, 8, 3, 3, 1);
    c = cost(&a, &g2, 16, 1);
    CHECK_NEAR(c.macs, 2.0 * 9.0 * 8.0 * 196.0 * 8.0, TOL);            /* 225792 */
    CHECK_NEAR(c.accesses[MEM_DRAM][DATA_FILTER], 2.0 * 8.0 * 8.0 * 9.0, TOL);
    CHECK_NEAR(c.compute_cycles, 1344.0, TOL);
    CHECK_NEAR(c.utilization, 1.0, TOL);
}

TEST(test_tall_filter_loads_each_weight_once)
{
    accel_arch a;
    fixture_eyeriss(&a);
    a.dram_bw_bytes_per_s = 80e9;
    accel_layer l = fixture_conv(4, 30, 30, 8, 25, 3, 1); /* R = 25: 3 folds of 9 rows */
    l.input_is_network_input = true;
    layer_cost c = cost(&a, &l, 16, 1);
    CHECK_NEAR(c.accesses[MEM_DRAM][DATA_FILTER], 8.0 * 4.0 * 25.0 * 3.0, TOL); /* 2400 */
    /* 3 folds re-read y_i = 14 rows each: 3 * 30 * 14 * 4 ifmap words */
    CHECK_NEAR(c.accesses[MEM_DRAM][DATA_IFMAP], 3.0 * 30.0 * 14.0 * 4.0, TOL);
    /* G * S * C_set * f_i * r_fold = 28 * 3 * 4 * 8 * 3 = 8064 cycles;
     * 25 * 3 * 4 * 6 * 28 * 8 = 403200 MACs: 403200 / (8064 * 168) = 0.2976
     * (9 of 12 rows, 6 of 14 columns, 25 of 27 folded rows) */
    CHECK_NEAR(c.compute_cycles, 8064.0, TOL);
    CHECK_NEAR(c.utilization, 9.0 / 12.0 * 6.0 / 14.0 * 25.0 / 27.0, TOL);
}

static accel_layer datapath_layer(layer_kind kind, const char *op, double ops, double in,
                                  double out)
{
    accel_layer l = {0};
    l.name = op;
    l.op = op;
    l.kind = kind;
    l.ops = ops;
    l.in_elems = in;
    l.out_elems = out;
    return l;
}

TEST(test_pooling_eltwise_and_activation_on_the_pe_datapath)
{
    accel_arch a;
    fixture_eyeriss(&a);
    double e = a.e_mac_ref_j;
    /* max pool 2x2: 2000 outputs * 4 compares = 8000 ops on 168 PEs */
    accel_layer pool = datapath_layer(LAYER_POOL, "MaxPool", 8000, 8000, 2000);
    pool.in_sparsity = pool.out_sparsity = 0.5;
    layer_cost c = cost(&a, &pool, 16, 1);
    CHECK_NEAR(c.compute_cycles, 48.0, TOL); /* ceil(8000 / 168) = ceil(47.6) */
    CHECK_NEAR(c.energy[PART_MAC], 8000.0 * 0.2 * e, TOL); /* the adder only: 20 % */
    CHECK_NEAR(c.energy[PART_RF], 2.0 * 8000.0 * e, TOL);  /* operand + result */
    /* RLC both ways: 8000 * 0.5 * 4/3 in, 2000 * 0.5 * 4/3 out */
    double words = 8000.0 * 0.5 * 4.0 / 3.0 + 2000.0 * 0.5 * 4.0 / 3.0;
    CHECK_NEAR(c.dram_bytes, 2.0 * words, TOL);
    CHECK_NEAR(c.accesses[MEM_GLB][DATA_IFMAP] + c.accesses[MEM_GLB][DATA_PSUM], 10000.0, TOL);
    CHECK_NEAR(c.dram_cycles, 2.0 * words / 4.0, TOL); /* 3333 cycles: DRAM-bound */
    CHECK_INT(c.bound, BOUND_DRAM);
    /* element-wise: Mul needs the multiplier, Add only the adder */
    accel_layer mul = datapath_layer(LAYER_ELTWISE, "Mul", 1680, 3360, 1680);
    accel_layer add = datapath_layer(LAYER_ELTWISE, "Add", 1680, 3360, 1680);
    CHECK_NEAR(cost(&a, &mul, 16, 1).energy[PART_MAC], 1680.0 * e, TOL);
    CHECK_NEAR(cost(&a, &add, 16, 1).energy[PART_MAC], 1680.0 * 0.2 * e, TOL);
    CHECK_NEAR(cost(&a, &add, 16, 1).compute_cycles, 10.0, TOL); /* 1680 / 168 */
    /* a separate ReLU reads and writes DRAM and takes ceil(1000 / 168) = 6 cycles */
    accel_layer relu = datapath_layer(LAYER_ACT, "Relu", 1000, 1000, 1000);
    c = cost(&a, &relu, 16, 1);
    CHECK_NEAR(c.compute_cycles, 6.0, TOL);
    CHECK_NEAR(c.accesses[MEM_DRAM][DATA_IFMAP], 1000.0 * 4.0 / 3.0, TOL);
    /* fused into its producer: its operations' energy, no time, no DRAM */
    relu.fused = true;
    c = cost(&a, &relu, 16, 1);
    CHECK_NEAR(c.cycles, 0.0, TOL);
    CHECK_NEAR(c.latency_s, 0.0, TOL);
    CHECK_NEAR(c.dram_bytes, 0.0, TOL);
    CHECK_INT(c.bound, BOUND_NONE);
    CHECK_NEAR(c.energy[PART_MAC], 1000.0 * 0.2 * e, TOL);
    CHECK_NEAR(c.energy[PART_CTRL], 0.15 / 0.85 * (1000.0 * 0.2 * e + 2000.0 * e), TOL);
    /* layout ops cost nothing */
    accel_layer flat = datapath_layer(LAYER_LAYOUT, "Flatten", 0, 1000, 1000);
    CHECK_NEAR(cost(&a, &flat, 16, 1).energy_j, 0.0, 0);
}

TEST(test_wrong_architecture_kind_is_an_error)
{
    accel_arch a;
    fixture_simba(&a);
    accel_layer l = conv64();
    layer_cost c;
    ps_error err = {0};
    CHECK_INT(rowstat_layer_cost(&a, &l, 8, 1, NULL, &c, NULL, &err), PS_ERR_INTERNAL);
    CHECK_STR_CONTAINS(err.msg, "weight-stationary");
}

/* ---- properties over every layer of the zoo ---- */

typedef struct {
    accel_arch arch;
    int layers, failures;
} zoo_ctx;

static int fail(zoo_ctx *z, const char *model, const accel_layer *l, const char *what,
                double before, double after)
{
    fprintf(stderr, "%s %s (%s): %s (%.9g -> %.9g)\n", model, l->name, l->op, what, before,
            after);
    return ++z->failures;
}

static double energy_of(const accel_arch *a, const accel_layer *l, int64_t batch, zoo_ctx *z,
                        double *cycles)
{
    layer_cost c;
    ps_error err = {0};
    if (rowstat_layer_cost(a, l, 16, batch, NULL, &c, NULL, &err)) {
        fprintf(stderr, "%s: %s\n", l->name, err.msg);
        z->failures++;
    }
    double sum = 0;
    for (int p = 0; p < PART_COUNT; p++)
        sum += c.energy[p];
    if (fabs(sum - c.energy_j) > 1e-12 * sum || !(c.energy_j >= 0) || !(c.cycles >= 0))
        z->failures++;
    if (cycles)
        *cycles = c.cycles;
    return c.energy_j;
}

static void monotone_zoo_layer(const char *model, const accel_layer *l0, void *vctx)
{
    zoo_ctx *z = vctx;
    z->layers++;
    const int64_t batches[] = {1, 0};
    for (int b = 0; b < 2; b++) {
        int64_t batch = batches[b];
        accel_layer l = *l0;
        /* lowering the DRAM bandwidth never lowers cycles */
        accel_arch a = z->arch;
        double prev_cycles = 0;
        for (double bw = 8e9; bw >= 0.05e9; bw /= 4) {
            a.dram_bw_bytes_per_s = bw;
            double cycles;
            energy_of(&a, &l, batch, z, &cycles);
            if (cycles < prev_cycles * (1 - 1e-12))
                fail(z, model, &l, "lower bandwidth, fewer cycles", prev_cycles, cycles);
            prev_cycles = cycles;
        }
        /* raising sparsity never raises energy */
        a = z->arch;
        double prev = INFINITY;
        for (double s = 0; s <= 0.91; s += 0.15) {
            l.in_sparsity = l.out_sparsity = s;
            double e = energy_of(&a, &l, batch, z, NULL);
            if (e > prev * (1 + 1e-12))
                fail(z, model, &l, "more sparsity, more energy", prev, e);
            prev = e;
        }
        l = *l0;
        /* dearer DRAM accesses never lower the energy */
        double e200 = energy_of(&a, &l, batch, z, NULL);
        a.e_rel[MEM_DRAM] = 400;
        double e400 = energy_of(&a, &l, batch, z, NULL);
        if (e400 < e200)
            fail(z, model, &l, "dearer DRAM, less energy", e200, e400);
        if ((l.kind == LAYER_CONV || l.kind == LAYER_FC) && !(e400 > e200))
            fail(z, model, &l, "a conv without DRAM energy", e200, e400);
    }
}

TEST(test_zoo_cost_is_monotone_in_bandwidth_sparsity_and_dram_energy)
{
    zoo_ctx z = {0};
    fixture_eyeriss(&z.arch);
    CHECK_INT(zoo_for_each_layer(monotone_zoo_layer, &z), 12);
    CHECK(z.layers > 1000);
    CHECK_INT(z.failures, 0);
}

/* ---- AlexNet (torchvision shapes), 16 bit, batch 4: printed for calibration ---- */

typedef struct {
    accel_arch arch;
    int convs;
    rs_mapping conv1, conv1_rules;
    layer_cost conv1_cost, conv1_rules_cost;
    double total_j, total_cycles;
} alexnet_ctx;

static void alexnet_layer(const char *model, const accel_layer *l, void *vctx)
{
    (void)model;
    alexnet_ctx *x = vctx;
    if (l->kind != LAYER_CONV)
        return;
    layer_cost c;
    rs_mapping m;
    ps_error err = {0};
    CHECK_INT(rowstat_layer_cost(&x->arch, l, 16, 4, NULL, &c, &m, &err), 0);
    if (x->convs++ == 0) {
        x->conv1 = m, x->conv1_cost = c;
        CHECK_INT(rs_mapping_rules(&x->arch, &l->conv, 16, 4, &x->conv1_rules, &err), 0);
        rowstat_conv_cost(&x->arch, l, 16, 4, &x->conv1_rules, &x->conv1_rules_cost);
        CHECK_INT(rs_mapping_check(&x->arch, &l->conv, 16, &m, &err), 0);
    }
    char sum[128];
    rs_mapping_summary(&m, sum, sizeof sum);
    printf("%-8s %-40s cycles %9.0f (compute %9.0f, %s) util %.3f (PE %.3f) "
           "energy %.3f mJ/frame (%.3f without DRAM)\n",
           l->name, sum, c.cycles, c.compute_cycles, cost_bound_name(c.bound), c.utilization,
           c.macs / (c.compute_cycles * 168.0), c.energy_j * 1e3,
           (c.energy_j - c.energy[PART_DRAM]) * 1e3);
    x->total_j += c.energy_j;
    x->total_cycles += c.cycles;
}

TEST(test_alexnet_conv_layers_on_eyeriss_batch_4)
{
    alexnet_ctx x = {0};
    fixture_eyeriss(&x.arch);
    CHECK_INT(zoo_model_layers("alexnet", alexnet_layer, &x), 0);
    CHECK_INT(x.convs, 5);
    /* conv1: 64 filters 11x11 stride 4 on 3 x 227 x 227 (padded), E = 55.
     * S_pass = floor(12 / 11) = 1, C_set = floor(12 / 11) = 1: z_i = 1;
     * f_i = floor(224 / 12) = 18; y_o = 14, y_i = 13 * 4 + 11 = 63.
     * |ifmap| = 2 * 227 * 63 * 1 = 28602 B; |psum| = 2 * 55 * Y_o * 18:
     * Y_o = 55 -> 108900 (too big), 41 -> 81180 (too big), 27 -> 53460;
     * 28602 + 53460 = 82062 <= 102400: N = 1 (CNNergy's rules) */
    CHECK_INT(x.conv1_rules.f_i, 18);
    CHECK_INT(x.conv1_rules.z_i, 1);
    CHECK_INT(x.conv1_rules.y_o, 14);
    CHECK_INT(x.conv1_rules.X_o, 55);
    CHECK_INT(x.conv1_rules.Y_o, 27);
    CHECK_INT(x.conv1_rules.N, 1);
    /* partsim's GLB tile keeps the rules' schedule and takes more filters
     * per ifmap tile (m > f_i), a valid tile with fewer DRAM bytes, the
     * same cycles */
    CHECK_INT(x.conv1.f_i, 18);
    CHECK_INT(x.conv1.z_i, 1);
    CHECK_INT(x.conv1.y_o, 14);
    CHECK(x.conv1.m > x.conv1.f_i);
    CHECK(x.conv1_cost.dram_bytes < x.conv1_rules_cost.dram_bytes);
    CHECK_NEAR(x.conv1_cost.compute_cycles, x.conv1_rules_cost.compute_cycles, 1e-12);
    printf("alexnet conv total: %.0f cycles (%.2f ms at 200 MHz), %.3f mJ/frame\n",
           x.total_cycles, x.total_cycles / 200e6 * 1e3, x.total_j * 1e3);
}

TEST_MAIN(T(test_conv_accesses_follow_eqs_13_to_18), T(test_conv_energies_follow_eqs_16_to_21),
          T(test_conv_cycles_and_bound), T(test_a_glb_bandwidth_bounds_the_cycles),
          T(test_padding_coverage_counts_the_windows_exactly),
          T(test_batch_amortizes_filters_over_n_images),
          T(test_given_mapping_with_more_images_than_frames), T(test_zero_skipping_and_rlc),
          T(test_8_bit_scales_mac_quadratically_and_accesses_linearly),
          T(test_fc_is_a_1x1_conv_on_a_1x1_map_and_dram_bound),
          T(test_depthwise_and_grouped_conv), T(test_tall_filter_loads_each_weight_once),
          T(test_pooling_eltwise_and_activation_on_the_pe_datapath),
          T(test_wrong_architecture_kind_is_an_error),
          T(test_zoo_cost_is_monotone_in_bandwidth_sparsity_and_dram_energy),
          T(test_alexnet_conv_layers_on_eyeriss_batch_4))
