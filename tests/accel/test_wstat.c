/* Weight-stationary vector-MAC (Simba-like) cost model (accel/wstat.h):
 * cycles and utilisation losses, tiling into the PE buffers, accesses per
 * level, DRAM bound, batch amortisation of weights, non-convolution layers
 * and the energy breakdown.  Every expected number is worked out by hand
 * next to it, on the Simba chiplet fixture: 16 PEs x 8 lanes x 8-wide =
 * 1024 MACs per cycle, 32 KiB / 8 KiB / 3 KiB weight / input / accumulation
 * buffer per PE, 64 KiB global buffer, 1 GHz, 25.6 GB/s DRAM. */
#include "accel/wstat.h"
#include "tests/accel/fixtures.h"
#include "tests/harness.h"

static layer_cost cost_of(const accel_arch *a, accel_layer l, int bits, int64_t batch,
                          ws_mapping *m)
{
    layer_cost c;
    ps_error err = {0};
    int rc = wstat_layer_cost(a, &l, bits, batch, &c, m, &err);
    if (rc)
        fprintf(stderr, "unexpected error: %s\n", err.msg);
    CHECK_INT(rc, 0);
    return c;
}

TEST(test_layer_filling_the_lanes_takes_macs_over_1024_cycles)
{
    accel_arch a;
    fixture_simba(&a);
    ws_mapping m;
    /* C=64, K=128, 3x3, 16x16 padded input -> 14x14 output */
    layer_cost c = cost_of(&a, fixture_conv(64, 16, 16, 128, 3, 3, 1), 8, 1, &m);
    /* K=128 = 16 lane groups of 8 -> one per PE; C=64 = 8 input vectors */
    CHECK_INT(m.pes_on_k, 16);
    CHECK_INT(m.k_per_lane, 1);
    CHECK_INT(m.c_vectors, 8);
    /* MACs = 64*128*9*196 = 14,450,688; / 1024 = 14,112 cycles */
    CHECK_NEAR(c.macs, 14450688.0, 1e-12);
    CHECK_NEAR(c.compute_cycles, 14112.0, 1e-12);
    CHECK_NEAR(c.cycles, 14112.0, 1e-12);
    CHECK_NEAR(c.utilization, 1.0, 1e-12);
    CHECK_INT(c.bound, BOUND_COMPUTE);
    CHECK_NEAR(c.latency_s, 14112e-9, 1e-12);
    /* DRAM: weights 128*64*9 = 73,728 + input 64*16*16 = 16,384 + output
     * 128*196 = 25,088 = 115,200 B; /25.6 B per cycle = 4,500 cycles */
    CHECK_NEAR(c.dram_bytes, 115200.0, 1e-12);
    CHECK_NEAR(c.dram_cycles, 4500.0, 1e-12);
}

TEST(test_accesses_per_level_and_data_type)
{
    accel_arch a;
    fixture_simba(&a);
    ws_mapping m;
    layer_cost c = cost_of(&a, fixture_conv(64, 16, 16, 128, 3, 3, 1), 8, 1, &m);
    /* pixel tile: accumulation buffer 3072 B / (8 lanes * 3 B) = 128 pixels;
     * input buffer 8192 B / 64 channels = 128 pixels per channel, and
     * 6 output rows read (6-1+3) * 16 = 128 -> p_tile = 6 * 14 = 84 */
    CHECK_INT(m.p_tile, 84);
    CHECK_INT(m.k_tile, 8);
    CHECK_INT(m.c_tile, 64);
    /* input fills: 196 pixels as 84 + 84 + 28, reading 128 + 128 + (2-1+3)*16
     * = 320 pixels per channel; * 64 channels = 20,480 words */
    CHECK_NEAR(c.accesses[MEM_GLB][DATA_IFMAP], 16384.0 + 20480.0, 1e-12);
    CHECK_NEAR(c.accesses[MEM_INTERPE][DATA_IFMAP], 20480.0 * 16, 1e-12); /* to 16 PEs */
    /* input buffer: 327,680 writes + 196*9*64*16 lane groups = 1,806,336 reads */
    CHECK_NEAR(c.accesses[MEM_RF][DATA_IFMAP], 327680.0 + 1806336.0, 1e-12);
    /* weights: DRAM and NoC once (73,728), weight buffer write + one read per MAC */
    CHECK_NEAR(c.accesses[MEM_DRAM][DATA_FILTER], 73728.0, 1e-12);
    CHECK_NEAR(c.accesses[MEM_INTERPE][DATA_FILTER], 73728.0, 1e-12);
    CHECK_NEAR(c.accesses[MEM_RF][DATA_FILTER], 73728.0 + 14450688.0, 1e-12);
    CHECK_NEAR(c.accesses[MEM_GLB][DATA_FILTER], 0.0, 1e-12);
    /* psums: read + write per lane per input vector: 2 * 25,088 * 9 * 8 */
    CHECK_NEAR(c.accesses[MEM_RF][DATA_PSUM], 3612672.0, 1e-12);
    /* outputs: PE -> GLB (25,088), GLB write + read (50,176), DRAM 25,088 */
    CHECK_NEAR(c.accesses[MEM_INTERPE][DATA_PSUM], 25088.0, 1e-12);
    CHECK_NEAR(c.accesses[MEM_GLB][DATA_PSUM], 50176.0, 1e-12);
    CHECK_NEAR(c.accesses[MEM_DRAM][DATA_PSUM], 25088.0, 1e-12);
}

TEST(test_three_input_channels_use_three_of_eight_vector_slots)
{
    accel_arch a;
    fixture_simba(&a);
    ws_mapping m;
    /* first layer: C=3, K=64, 226x226 padded -> 224x224 output */
    layer_cost c = cost_of(&a, fixture_conv(3, 226, 226, 64, 3, 3, 1), 8, 1, &m);
    /* K=64 = 8 lane groups -> 8 PEs; the other 2x split the output rows */
    CHECK_INT(m.pes_on_k, 8);
    CHECK_INT(m.pes_on_p, 2);
    CHECK_INT(m.rows_pe, 112);
    /* cycles = 112 rows * 224 * 9 taps * 1 vector * 1 = 225,792;
     * MACs = 3*64*9*50,176 = 86,704,128; util = 86,704,128 / (225,792 * 1024)
     * = 0.375 = 3/8 */
    CHECK_NEAR(c.compute_cycles, 225792.0, 1e-12);
    CHECK_NEAR(c.utilization, 0.375, 1e-12);
    /* DRAM: 1,728 + 3*226*226 = 153,228 + 64*50,176 = 3,211,264 -> 3,366,220 B,
     * 131,493 cycles < 225,792: compute bound */
    CHECK_NEAR(c.dram_bytes, 3366220.0, 1e-12);
    CHECK_INT(c.bound, BOUND_COMPUTE);
}

TEST(test_k_not_a_multiple_of_lanes_times_pes_loses_lanes)
{
    accel_arch a;
    fixture_simba(&a);
    ws_mapping m;
    layer_cost c = cost_of(&a, fixture_conv(64, 16, 16, 200, 3, 3, 1), 8, 1, &m);
    /* K=200 = 25 lane groups over 16 PEs: 2 per lane (13 PEs busy);
     * cycles = 196 * 9 * 8 vectors * 2 = 28,224; MACs = 64*200*9*196 =
     * 22,579,200; util = 22,579,200 / (28,224 * 1024) = 200/256 = 0.78125 */
    CHECK_INT(m.k_per_lane, 2);
    CHECK_INT(m.pes_on_k, 13);
    CHECK_NEAR(c.compute_cycles, 28224.0, 1e-12);
    CHECK_NEAR(c.utilization, 0.78125, 1e-12);
}

TEST(test_depthwise_conv_uses_one_mac_of_64_per_pe)
{
    accel_arch a;
    fixture_simba(&a);
    ws_mapping m;
    /* 32 groups of one channel, 3x3, 114x114 padded -> 112x112 */
    layer_cost c = cost_of(&a, fixture_grouped_conv(32, 1, 114, 114, 1, 3, 3, 1), 8, 1, &m);
    /* one group per PE, 32 / 16 = 2 rounds; cycles = 2 * 12,544 * 9 = 225,792;
     * MACs = 32 * 9 * 12,544 = 3,612,672; util = 3,612,672 / (225,792 * 1024)
     * = 1/64 = 0.015625 */
    CHECK_INT(m.pes_on_g, 16);
    CHECK_NEAR(c.compute_cycles, 225792.0, 1e-12);
    CHECK_NEAR(c.macs, 3612672.0, 1e-12);
    CHECK_NEAR(c.utilization, 1.0 / 64.0, 1e-12);
    /* DRAM: 288 + 32*114*114 = 415,872 + 32*12,544 = 401,408 -> 817,568 B */
    CHECK_NEAR(c.dram_bytes, 817568.0, 1e-12);
}

TEST(test_fc_layer_at_batch_one_is_dram_bound_by_its_weights)
{
    accel_arch a;
    fixture_simba(&a);
    ws_mapping m;
    layer_cost c = cost_of(&a, fixture_fc(1024, 1000), 8, 1, &m);
    /* 125 lane groups over 16 PEs: 8 per lane; 1024 / 8 = 128 input vectors;
     * compute = 1 pixel * 128 * 8 = 1,024 cycles */
    CHECK_INT(m.k_per_lane, 8);
    CHECK_INT(m.c_vectors, 128);
    CHECK_NEAR(c.compute_cycles, 1024.0, 1e-12);
    /* 64 x 1024 weights per PE = 64 KiB > 32 KiB: two tiles of 32 channels */
    CHECK_INT(m.k_tile, 32);
    CHECK_INT(m.weight_tiles, 2);
    /* DRAM: 1,024,000 + 1,024 + 1,000 = 1,026,024 B / 25.6 = 40,079.0625 cycles */
    CHECK_NEAR(c.dram_bytes, 1026024.0, 1e-12);
    CHECK_NEAR(c.cycles, 40079.0625, 1e-12);
    CHECK_INT(c.bound, BOUND_DRAM);
    /* util = 1,024,000 / (40,079.0625 * 1024) */
    CHECK_NEAR(c.utilization, 1024000.0 / (40079.0625 * 1024.0), 1e-12);
}

TEST(test_small_fc_splits_input_channels_over_pes)
{
    accel_arch a;
    fixture_simba(&a);
    ws_mapping m;
    /* K=16: 2 lane groups -> 2 PEs on K; the other 8 PEs split C=512 (64
     * vectors) 8 ways: 8 vectors each; cycles = 8; psums of 7 PEs are
     * forwarded: 16 outputs * 7 = 112 NoC psum words + 16 outputs */
    layer_cost c = cost_of(&a, fixture_fc(512, 16), 8, 1, &m);
    CHECK_INT(m.pes_on_k, 2);
    CHECK_INT(m.pes_on_c, 8);
    CHECK_NEAR(c.compute_cycles, 8.0, 1e-12);
    CHECK_NEAR(c.accesses[MEM_INTERPE][DATA_PSUM], 112.0 + 16.0, 1e-12);
}

TEST(test_tiling_never_exceeds_a_buffer)
{
    accel_layer shapes[] = {
        fixture_conv(3, 226, 226, 64, 3, 3, 1),          /* VGG conv1_1 */
        fixture_conv(64, 226, 226, 64, 3, 3, 1),         /* VGG conv1_2 */
        fixture_conv(256, 58, 58, 256, 3, 3, 1),         /* VGG conv3 */
        fixture_conv(512, 16, 16, 512, 3, 3, 1),         /* VGG conv5 */
        fixture_fc(25088, 4096),                         /* VGG fc6 */
        fixture_fc(4096, 4096),                          /* VGG fc7 */
        fixture_conv(3, 227, 227, 96, 11, 11, 4),        /* AlexNet conv1 */
        fixture_grouped_conv(2, 48, 31, 31, 128, 5, 5, 1), /* AlexNet conv2 */
        fixture_grouped_conv(32, 1, 114, 114, 1, 3, 3, 1), /* depthwise */
        fixture_conv(32, 112, 112, 64, 1, 1, 1),         /* pointwise */
        fixture_conv(2048, 7, 7, 512, 1, 1, 1),          /* ResNet bottleneck */
    };
    accel_arch a;
    fixture_simba(&a);
    const arch_weightstat *hw = &a.u.ws;
    for (size_t i = 0; i < sizeof shapes / sizeof shapes[0]; i++)
        for (int bits = 8; bits <= 16; bits += 8)
            for (int64_t batch = 0; batch <= 4; batch += 4) {
                const conv_shape *s = &shapes[i].conv;
                ws_mapping m;
                ps_error err = {0};
                CHECK_INT(wstat_map(&a, &shapes[i], bits, batch, &m, &err), 0);
                CHECK_INT(wstat_mapping_check(&a, &shapes[i], bits, &m, &err), 0);
                /* the same bounds, spelled out here */
                CHECK(m.pes_on_k * m.pes_on_g * m.pes_on_p * m.pes_on_c <= hw->pes);
                CHECK((double)(m.k_tile * m.c_tile * s->R * s->S) * bits / 8 <=
                      (double)hw->weight_buf_bytes);
                CHECK((double)(m.p_tile * (m.k_pe < 8 ? m.k_pe : 8)) * 3 <=
                      (double)hw->accum_buf_bytes);
                CHECK((double)(m.c_tile * s->R * s->S) * bits / 8 <= (double)hw->input_buf_bytes);
            }
    /* the check catches a tile that does not fit */
    ws_mapping m;
    ps_error err = {0};
    accel_layer l = fixture_conv(64, 16, 16, 128, 3, 3, 1);
    CHECK_INT(wstat_map(&a, &l, 8, 1, &m, &err), 0);
    m.p_tile = 129; /* 129 * 8 lanes * 3 B = 3096 B > 3072 B (and 196 pixels exist) */
    CHECK(wstat_mapping_check(&a, &l, 8, &m, &err) != 0);
    CHECK_STR_CONTAINS(err.msg, "buffer");
    CHECK_INT(wstat_map(&a, &l, 8, 1, &m, &err), 0);
    m.pes_on_p = 2; /* 16 * 2 PEs > 16 */
    CHECK(wstat_mapping_check(&a, &l, 8, &m, &err) != 0);
    CHECK_STR_CONTAINS(err.msg, "PEs");
}

TEST(test_untileable_layer_names_layer_and_buffer)
{
    accel_arch a;
    fixture_simba(&a);
    layer_cost c;
    ps_error err = {0};
    /* 40x40 filters: 8 lanes x 8 channels x 1600 taps = 102,400 B > 32 KiB */
    accel_layer l = fixture_conv(8, 40, 40, 8, 40, 40, 1);
    l.name = "huge_filter";
    CHECK_INT(wstat_layer_cost(&a, &l, 8, 1, &c, NULL, &err), PS_ERR_INPUT);
    CHECK_STR_CONTAINS(err.msg, "huge_filter");
    CHECK_STR_CONTAINS(err.msg, "weight buffer");
    /* 8 channels x 3x3 = 72 B of inputs per pixel > a 64 B input buffer */
    a.u.ws.input_buf_bytes = 64;
    l = fixture_conv(8, 16, 16, 8, 3, 3, 1);
    CHECK_INT(wstat_layer_cost(&a, &l, 8, 1, &c, NULL, &err), PS_ERR_INPUT);
    CHECK_STR_CONTAINS(err.msg, "input buffer");
    /* 8 lanes x 3 B = 24 B > a 16 B accumulation buffer */
    fixture_simba(&a);
    a.u.ws.accum_buf_bytes = 16;
    CHECK_INT(wstat_layer_cost(&a, &l, 8, 1, &c, NULL, &err), PS_ERR_INPUT);
    CHECK_STR_CONTAINS(err.msg, "accumulation buffer");
}

TEST(test_tiny_dram_bandwidth_makes_the_layer_dram_bound)
{
    accel_arch a;
    fixture_simba(&a);
    a.dram_bw_bytes_per_s = 1e9;
    layer_cost c = cost_of(&a, fixture_conv(64, 16, 16, 128, 3, 3, 1), 8, 1, NULL);
    /* 115,200 B / 1 GB/s * 1 GHz = 115,200 cycles > 14,112 compute cycles */
    CHECK_INT(c.bound, BOUND_DRAM);
    CHECK_NEAR(c.cycles, 115200.0, 1e-12);
    CHECK_NEAR(c.latency_s, 115.2e-6, 1e-12);
    /* util = 14,450,688 / (115,200 * 1024) */
    CHECK_NEAR(c.utilization, 14450688.0 / (115200.0 * 1024.0), 1e-12);
}

TEST(test_16_bit_data_costs_more_mac_and_twice_the_dram_energy)
{
    accel_arch a;
    fixture_simba(&a);
    accel_layer l = fixture_conv(64, 16, 16, 128, 3, 3, 1);
    layer_cost c8 = cost_of(&a, l, 8, 1, NULL), c16 = cost_of(&a, l, 16, 1, NULL);
    /* MAC: 8 bit is 0.8/4 + 0.2/2 = 0.3 of the 16-bit MAC */
    CHECK_NEAR(c16.energy[PART_MAC] / c8.energy[PART_MAC], 1.0 / 0.3, 1e-12);
    /* DRAM: the same 115,200 words (no psum spills), each twice as wide */
    CHECK_NEAR(c16.energy[PART_DRAM] / c8.energy[PART_DRAM], 2.0, 1e-12);
    CHECK_NEAR(c16.dram_bytes, 2 * 115200.0, 1e-12);
    CHECK(c16.energy_j > c8.energy_j);
    /* memory accesses grow at most 2x (24-bit psums not at all), the MAC
     * 1/0.3 = 3.33x, so the total grows by less than the MAC */
    CHECK(c16.energy_j / c8.energy_j < 1.0 / 0.3);
    CHECK(c16.energy[PART_RF] / c8.energy[PART_RF] < 2.0);
}

TEST(test_weight_dram_traffic_per_frame_halves_from_batch_1_to_2)
{
    accel_arch a;
    fixture_simba(&a);
    layer_cost c1 = cost_of(&a, fixture_fc(1024, 1000), 8, 1, NULL);
    layer_cost c2 = cost_of(&a, fixture_fc(1024, 1000), 8, 2, NULL);
    CHECK_NEAR(c1.accesses[MEM_DRAM][DATA_FILTER], 1024000.0, 1e-12);
    CHECK_NEAR(c2.accesses[MEM_DRAM][DATA_FILTER], 512000.0, 1e-12);
    /* activations per frame do not change: 1024 in, 1000 out */
    CHECK_NEAR(c2.accesses[MEM_DRAM][DATA_IFMAP], 1024.0, 1e-12);
    CHECK_NEAR(c2.accesses[MEM_DRAM][DATA_PSUM], 1000.0, 1e-12);
    /* auto batch: (1024 + 1000) B per frame in half the GLB (32,768 B):
     * 16 frames (the cap); 1,024,000 / 16 = 64,000 weights per frame */
    ws_mapping m;
    layer_cost ca = cost_of(&a, fixture_fc(1024, 1000), 8, 0, &m);
    CHECK_INT(m.n, 16);
    CHECK_NEAR(ca.accesses[MEM_DRAM][DATA_FILTER], 64000.0, 1e-12);
}

static accel_layer datapath_layer(layer_kind kind, const char *op, double in, double out,
                                  double ops)
{
    accel_layer l;
    memset(&l, 0, sizeof l);
    l.name = op;
    l.op = op;
    l.kind = kind;
    l.in_elems = in;
    l.out_elems = out;
    l.ops = ops;
    return l;
}

TEST(test_pooling_and_eltwise_run_on_the_post_processing_path)
{
    accel_arch a;
    fixture_simba(&a);
    double e8 = arch_mac_energy(&a, 8);
    /* 2x2 max pool 64x112x112 -> 64x56x56: 200,704 outputs * 4 = 802,816 ops
     * at 16 PEs * 8 lanes = 128 per cycle: 6,272 cycles; DRAM 802,816 +
     * 200,704 = 1,003,520 B / 25.6 = 39,200 cycles: DRAM bound */
    layer_cost p = cost_of(&a, datapath_layer(LAYER_POOL, "MaxPool", 802816, 200704, 802816),
                           8, 1, NULL);
    CHECK_NEAR(p.compute_cycles, 6272.0, 1e-12);
    CHECK_NEAR(p.dram_bytes, 1003520.0, 1e-12);
    CHECK_NEAR(p.cycles, 39200.0, 1e-12);
    CHECK_INT(p.bound, BOUND_DRAM);
    CHECK_NEAR(p.energy[PART_MAC], 802816 * 0.2 * e8, 1e-12); /* compare: adder only */
    /* Add of two 1000-element tensors: 1000 ops -> ceil(1000/128) = 8 cycles;
     * Mul uses the multiplier too */
    layer_cost add = cost_of(&a, datapath_layer(LAYER_ELTWISE, "Add", 2000, 1000, 1000), 8, 1,
                             NULL);
    layer_cost mul = cost_of(&a, datapath_layer(LAYER_ELTWISE, "Mul", 2000, 1000, 1000), 8, 1,
                             NULL);
    CHECK_NEAR(add.compute_cycles, 8.0, 1e-12);
    CHECK_NEAR(add.energy[PART_MAC], 1000 * 0.2 * e8, 1e-12);
    CHECK_NEAR(mul.energy[PART_MAC], 1000 * e8, 1e-12);
    /* a fused ReLU: its ops' energy, no time, no DRAM */
    accel_layer relu = datapath_layer(LAYER_ACT, "Relu", 1000, 1000, 1000);
    relu.fused = true;
    layer_cost r = cost_of(&a, relu, 8, 1, NULL);
    CHECK_NEAR(r.cycles, 0.0, 1e-12);
    CHECK_NEAR(r.dram_bytes, 0.0, 1e-12);
    CHECK_NEAR(r.energy[PART_MAC], 1000 * 0.2 * e8, 1e-12);
    /* layout layers cost nothing */
    layer_cost z = cost_of(&a, datapath_layer(LAYER_LAYOUT, "Flatten", 1000, 1000, 0), 8, 1,
                           NULL);
    CHECK_NEAR(z.energy_j, 0.0, 1e-12);
    CHECK_NEAR(z.cycles, 0.0, 1e-12);
}

TEST(test_energy_parts_sum_to_total_with_clock_ctrl_and_static)
{
    accel_arch a;
    fixture_simba(&a);
    a.static_power_w = 0.1;
    a.clock_cap_f = 100e-12; /* P_clk = 100 pF * 0.72^2 V^2 * 1 GHz = 0.05184 W */
    layer_cost c = cost_of(&a, fixture_conv(64, 16, 16, 128, 3, 3, 1), 8, 1, NULL);
    double sum = 0;
    for (int p = 0; p < PART_COUNT; p++)
        sum += c.energy[p];
    CHECK_NEAR(c.energy_j, sum, 1e-12);
    CHECK_NEAR(c.energy[PART_MAC], 14450688.0 * arch_mac_energy(&a, 8), 1e-12);
    /* every DRAM word is 8 bit here: 115,200 words */
    CHECK_NEAR(c.energy[PART_DRAM], 115200.0 * arch_access_energy(&a, MEM_DRAM, 8), 1e-12);
    CHECK_NEAR(c.energy[PART_STATIC], 0.1 * 14112e-9, 1e-12);
    CHECK_NEAR(c.energy[PART_CLOCK], 0.05184 * 14112e-9, 1e-9);
    /* other control: 0.15 / 0.85 of everything on chip (not DRAM, not static) */
    double on_chip = c.energy[PART_MAC] + c.energy[PART_RF] + c.energy[PART_INTERPE] +
                     c.energy[PART_GLB] + c.energy[PART_CLOCK];
    CHECK_NEAR(c.energy[PART_CTRL], 0.15 / 0.85 * on_chip, 1e-12);
}

TEST(test_more_dram_traffic_never_costs_less)
{
    accel_arch small, big;
    fixture_simba(&small);
    fixture_simba(&big);
    big.u.ws.global_buf_bytes = 4 << 20;
    /* VGG conv5: 32 x 512 x 9 weights per PE do not fit: K tiles of 8 (4 of
     * them) and C tiles of 448 (2); the 131,072 B input does not fit half of
     * a 64 KiB GLB, so it is read from DRAM once per K tile (4 times) */
    accel_layer l = fixture_conv(512, 16, 16, 512, 3, 3, 1);
    ws_mapping ms, mb;
    layer_cost cs = cost_of(&small, l, 8, 1, &ms), cb = cost_of(&big, l, 8, 1, &mb);
    CHECK_INT(ms.input_passes, 4);
    CHECK_INT(mb.input_passes, 1);
    CHECK_NEAR(cs.accesses[MEM_DRAM][DATA_IFMAP], 4 * 131072.0, 1e-12);
    CHECK(cs.dram_bytes > cb.dram_bytes);
    CHECK(cs.energy_j > cb.energy_j);
    CHECK(cs.cycles >= cb.cycles);
    /* less bandwidth, same traffic: never fewer cycles */
    double prev = 0;
    for (double bw = 51.2e9; bw >= 0.1e9; bw /= 2) {
        big.dram_bw_bytes_per_s = bw;
        layer_cost c = cost_of(&big, fixture_fc(4096, 4096), 8, 1, NULL);
        CHECK(c.cycles >= prev);
        prev = c.cycles;
    }
}

TEST(test_rejects_other_architecture_kinds)
{
    accel_arch a;
    fixture_eyeriss(&a);
    layer_cost c;
    ps_error err = {0};
    accel_layer l = fixture_conv(64, 16, 16, 128, 3, 3, 1);
    CHECK_INT(wstat_layer_cost(&a, &l, 8, 1, &c, NULL, &err), PS_ERR_INTERNAL);
    CHECK_STR_CONTAINS(err.msg, "row-stationary");
}

TEST(test_summary_names_the_tiles)
{
    accel_arch a;
    fixture_simba(&a);
    ws_mapping m;
    cost_of(&a, fixture_conv(64, 16, 16, 128, 3, 3, 1), 8, 1, &m);
    char buf[160];
    wstat_mapping_summary(&m, buf, sizeof buf);
    CHECK_STR_CONTAINS(buf, "pe k16 g1 p1 c1");
    CHECK_STR_CONTAINS(buf, "tile k8 c64 p84");
}

TEST_MAIN(T(test_layer_filling_the_lanes_takes_macs_over_1024_cycles),
          T(test_accesses_per_level_and_data_type),
          T(test_three_input_channels_use_three_of_eight_vector_slots),
          T(test_k_not_a_multiple_of_lanes_times_pes_loses_lanes),
          T(test_depthwise_conv_uses_one_mac_of_64_per_pe),
          T(test_fc_layer_at_batch_one_is_dram_bound_by_its_weights),
          T(test_small_fc_splits_input_channels_over_pes),
          T(test_tiling_never_exceeds_a_buffer),
          T(test_untileable_layer_names_layer_and_buffer),
          T(test_tiny_dram_bandwidth_makes_the_layer_dram_bound),
          T(test_16_bit_data_costs_more_mac_and_twice_the_dram_energy),
          T(test_weight_dram_traffic_per_frame_halves_from_batch_1_to_2),
          T(test_pooling_and_eltwise_run_on_the_post_processing_path),
          T(test_energy_parts_sum_to_total_with_clock_ctrl_and_static),
          T(test_more_dram_traffic_never_costs_less),
          T(test_rejects_other_architecture_kinds),
          T(test_summary_names_the_tiles))
