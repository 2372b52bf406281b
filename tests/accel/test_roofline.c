/* Roofline model of a COTS device (accel/roofline.h): hand-computed times
 * for a compute-bound and a memory-bound layer, weights amortised over a
 * batch, non-MAC layers at the peak rate, the energy parts and the errors. */
#include <stdio.h>
#include <string.h>

#include "accel/roofline.h"
#include "tests/accel/fixtures.h"
#include "tests/harness.h"

/* A Jetson-class device in round numbers: 1 TMAC/s peak at 50 % efficiency
 * (5e11 MAC/s achieved), 50 GB/s, 16-bit data, 1.3 GHz, 15 W active, 5 W idle. */
static void jetson_like(accel_arch *a)
{
    memset(a, 0, sizeof *a);
    snprintf(a->name, sizeof a->name, "jetson-like");
    a->kind = ARCH_ROOFLINE;
    a->clock_hz = 1.3e9;
    a->bits = 16;
    a->psum_bits = 32;
    a->dram_bw_bytes_per_s = 50e9;
    a->u.roof = (arch_roofline){.peak_macs_per_s = 1e12, .efficiency = 0.5,
                                .active_power_w = 15, .idle_power_w = 5};
}

TEST(test_fixture_is_valid)
{
    accel_arch a;
    ps_error err = {0};
    jetson_like(&a);
    CHECK_INT(arch_validate(&a, &err), 0);
}

TEST(test_compute_bound_conv_takes_macs_over_achieved_peak)
{
    accel_arch a;
    jetson_like(&a);
    /* 3x3 conv, 64 -> 64 channels, 58x58 padded -> 56x56 */
    accel_layer l = fixture_conv(64, 58, 58, 64, 3, 3, 1);
    layer_cost c;
    ps_error err = {0};
    CHECK_INT(roofline_layer_cost(&a, &l, 16, 1, &c, &err), 0);
    /* MACs = 64 * 64 * 9 * 56 * 56 = 36864 * 3136 = 115605504
     * t_compute = 115605504 / (1e12 * 0.5) = 2.31211008e-4 s */
    CHECK_NEAR(c.macs, 115605504.0, 1e-12);
    CHECK_NEAR(c.latency_s, 2.31211008e-4, 1e-12);
    /* bytes = (64*58*58 + 64*56*56 + 64*64*9) * 2 = (215296 + 200704 + 36864) * 2 = 905728
     * t_dram = 905728 / 50e9 = 1.811456e-5 s < t_compute */
    CHECK_NEAR(c.dram_bytes, 905728.0, 1e-12);
    CHECK_NEAR(c.dram_cycles, 1.811456e-5 * 1.3e9, 1e-12);
    CHECK_INT(c.bound, BOUND_COMPUTE);
    /* cycles at the nominal clock: 2.31211008e-4 * 1.3e9 = 300574.3104 */
    CHECK_NEAR(c.cycles, 300574.3104, 1e-12);
    CHECK_NEAR(c.compute_cycles, 300574.3104, 1e-12);
    /* compute bound: achieved = peak x efficiency */
    CHECK_NEAR(c.utilization, 0.5, 1e-12);
    /* DRAM words: 215296 ifmap, 36864 filter, 200704 ofmap */
    CHECK_NEAR(c.accesses[MEM_DRAM][DATA_IFMAP], 215296.0, 1e-12);
    CHECK_NEAR(c.accesses[MEM_DRAM][DATA_FILTER], 36864.0, 1e-12);
    CHECK_NEAR(c.accesses[MEM_DRAM][DATA_PSUM], 200704.0, 1e-12);
    CHECK_NEAR(c.accesses[MEM_GLB][DATA_IFMAP], 0.0, 1e-12);
}

TEST(test_energy_is_dynamic_power_as_mac_and_idle_power_as_static)
{
    accel_arch a;
    jetson_like(&a);
    accel_layer l = fixture_conv(64, 58, 58, 64, 3, 3, 1);
    layer_cost c;
    ps_error err = {0};
    CHECK_INT(roofline_layer_cost(&a, &l, 16, 1, &c, &err), 0);
    /* (15 - 5) W * 2.31211008e-4 s = 2.31211008e-3 J; 5 W * 2.31211008e-4 s = 1.15605504e-3 J */
    CHECK_NEAR(c.energy[PART_MAC], 2.31211008e-3, 1e-12);
    CHECK_NEAR(c.energy[PART_STATIC], 1.15605504e-3, 1e-12);
    CHECK_NEAR(c.energy[PART_DRAM], 0.0, 1e-12);
    CHECK_NEAR(c.energy[PART_CLOCK], 0.0, 1e-12);
    CHECK_NEAR(c.energy_j, 15 * 2.31211008e-4, 1e-12); /* active power x latency */
}

TEST(test_memory_bound_fc_takes_bytes_over_bandwidth)
{
    accel_arch a;
    jetson_like(&a);
    accel_layer l = fixture_fc(4096, 1000);
    layer_cost c;
    ps_error err = {0};
    CHECK_INT(roofline_layer_cost(&a, &l, 16, 1, &c, &err), 0);
    /* t_compute = 4096000 / 5e11 = 8.192e-6 s
     * bytes = (4096 + 1000 + 4096000) * 2 = 8202192; t_dram = 8202192 / 50e9 = 1.6404384e-4 s */
    CHECK_NEAR(c.dram_bytes, 8202192.0, 1e-12);
    CHECK_NEAR(c.latency_s, 1.6404384e-4, 1e-12);
    CHECK_INT(c.bound, BOUND_DRAM);
    CHECK_NEAR(c.compute_cycles, 8.192e-6 * 1.3e9, 1e-12);
    /* achieved 4096000 / 1.6404384e-4 = 2.49689e10 MAC/s of 1e12 */
    CHECK_NEAR(c.utilization, 4096000.0 / 1.6404384e-4 / 1e12, 1e-12);
    CHECK(c.utilization < 0.025 && c.utilization > 0.0249);
    /* 8-bit data halves the traffic: 4101096 / 50e9 = 8.202192e-5 s */
    CHECK_INT(roofline_layer_cost(&a, &l, 8, 1, &c, &err), 0);
    CHECK_NEAR(c.latency_s, 8.202192e-5, 1e-12);
}

TEST(test_batch_reads_weights_once_per_batch)
{
    accel_arch a;
    jetson_like(&a);
    accel_layer l = fixture_fc(4096, 1000);
    layer_cost c1, c0, c8;
    ps_error err = {0};
    CHECK_INT(roofline_layer_cost(&a, &l, 16, 1, &c1, &err), 0);
    CHECK_INT(roofline_layer_cost(&a, &l, 16, 0, &c0, &err), 0); /* auto = 1 */
    CHECK_NEAR(c0.latency_s, c1.latency_s, 1e-15);
    CHECK_INT(roofline_layer_cost(&a, &l, 16, 8, &c8, &err), 0);
    /* per frame: (4096 + 1000 + 4096000 / 8) * 2 = (5096 + 512000) * 2 = 1034192 bytes
     * t_dram = 1034192 / 50e9 = 2.068384e-5 s, still above t_compute 8.192e-6 s */
    CHECK_NEAR(c8.accesses[MEM_DRAM][DATA_FILTER], 512000.0, 1e-12);
    CHECK_NEAR(c8.dram_bytes, 1034192.0, 1e-12);
    CHECK_NEAR(c8.latency_s, 2.068384e-5, 1e-12);
    CHECK_INT(c8.bound, BOUND_DRAM);
    /* batch 128: (5096 + 32000) * 2 = 74192 bytes -> 1.48384e-6 s < 8.192e-6 s: compute bound */
    layer_cost c128;
    CHECK_INT(roofline_layer_cost(&a, &l, 16, 128, &c128, &err), 0);
    CHECK_NEAR(c128.latency_s, 8.192e-6, 1e-12);
    CHECK_INT(c128.bound, BOUND_COMPUTE);
}

TEST(test_pooling_runs_its_operations_at_the_peak_rate)
{
    accel_arch a;
    jetson_like(&a);
    accel_layer l;
    memset(&l, 0, sizeof l);
    l.name = "pool";
    l.op = "MaxPool";
    l.kind = LAYER_POOL;
    l.ops = 1e9;
    l.in_elems = 1000;
    l.out_elems = 1000;
    layer_cost c;
    ps_error err = {0};
    CHECK_INT(roofline_layer_cost(&a, &l, 16, 1, &c, &err), 0);
    /* 1e9 ops / 5e11 = 2e-3 s; bytes (1000 + 1000) * 2 = 4000 -> 8e-8 s */
    CHECK_NEAR(c.latency_s, 2e-3, 1e-12);
    CHECK_NEAR(c.ops, 1e9, 1e-12);
    CHECK_NEAR(c.macs, 0.0, 1e-12);
    CHECK_INT(c.bound, BOUND_COMPUTE);
    CHECK_NEAR(c.utilization, 0.5, 1e-12);
    /* a ReLU over 1e6 elements is memory bound: ops 1e6 / 5e11 = 2e-6 s,
     * bytes (1e6 + 1e6) * 2 = 4e6 -> 8e-5 s */
    l.kind = LAYER_ACT;
    l.op = "Relu";
    l.ops = 1e6;
    l.in_elems = l.out_elems = 1e6;
    CHECK_INT(roofline_layer_cost(&a, &l, 16, 1, &c, &err), 0);
    CHECK_NEAR(c.latency_s, 8e-5, 1e-12);
    CHECK_INT(c.bound, BOUND_DRAM);
}

TEST(test_layout_layers_cost_nothing)
{
    accel_arch a;
    jetson_like(&a);
    accel_layer l;
    memset(&l, 0, sizeof l);
    l.name = "flatten";
    l.op = "Flatten";
    l.kind = LAYER_LAYOUT;
    l.in_elems = l.out_elems = 4096;
    layer_cost c;
    ps_error err = {0};
    CHECK_INT(roofline_layer_cost(&a, &l, 16, 1, &c, &err), 0);
    CHECK_NEAR(c.latency_s, 0.0, 1e-12);
    CHECK_NEAR(c.energy_j, 0.0, 1e-12);
    CHECK_NEAR(c.dram_bytes, 0.0, 1e-12);
    CHECK_INT(c.bound, BOUND_NONE);
}

TEST(test_errors_name_the_layer_and_what_was_expected)
{
    accel_arch a;
    jetson_like(&a);
    accel_layer l = fixture_fc(16, 16);
    layer_cost c;
    ps_error err = {0};
    CHECK_INT(roofline_layer_cost(&a, &l, 16, -1, &c, &err), PS_ERR_INPUT);
    CHECK_STR_CONTAINS(err.msg, "'fc'");
    CHECK_STR_CONTAINS(err.msg, "batch must be 0 (auto) or more, got -1");
    CHECK_INT(roofline_layer_cost(&a, &l, 0, 1, &c, &err), PS_ERR_INPUT);
    CHECK_STR_CONTAINS(err.msg, "bits must be 1..64, got 0");
    fixture_eyeriss(&a);
    CHECK_INT(roofline_layer_cost(&a, &l, 16, 1, &c, &err), PS_ERR_INTERNAL);
    CHECK_STR_CONTAINS(err.msg, "row-stationary");
}

TEST(test_validate_rejects_active_power_below_idle)
{
    accel_arch a;
    ps_error err = {0};
    jetson_like(&a);
    a.u.roof.active_power_w = 4;
    CHECK_INT(arch_validate(&a, &err), PS_ERR_INPUT);
    CHECK_STR_CONTAINS(err.msg, "jetson-like");
    CHECK_STR_CONTAINS(err.msg, "active power (4 W) must be at least the idle power (5 W)");
    jetson_like(&a);
    a.u.roof.efficiency = 1.5;
    CHECK_INT(arch_validate(&a, &err), PS_ERR_INPUT);
    CHECK_STR_CONTAINS(err.msg, "efficiency");
}

TEST_MAIN(T(test_fixture_is_valid), T(test_compute_bound_conv_takes_macs_over_achieved_peak),
          T(test_energy_is_dynamic_power_as_mac_and_idle_power_as_static),
          T(test_memory_bound_fc_takes_bytes_over_bandwidth),
          T(test_batch_reads_weights_once_per_batch),
          T(test_pooling_runs_its_operations_at_the_peak_rate),
          T(test_layout_layers_cost_nothing),
          T(test_errors_name_the_layer_and_what_was_expected),
          T(test_validate_rejects_active_power_below_idle))
