/* Architecture helpers (accel/arch.h): technology scaling, bit-width
 * scaling of MAC and access energies (NeuPart Sec. V, VIII-A), clock power
 * (eq. (21)) and validation messages. */
#include "accel/arch.h"
#include "tests/accel/fixtures.h"
#include "tests/harness.h"

TEST(test_tech_scale_is_node_ratio_times_vdd_ratio_squared)
{
    /* s = 65/45 * (1.0/1.1)^2 = 1.4444 * 0.826446 = 1.193756 */
    CHECK_NEAR(arch_tech_scale(65, 1.0, 45, 1.1), 65.0 / 45.0 / 1.21, 1e-12);
    CHECK_NEAR(arch_tech_scale(45, 1.1, 45, 1.1), 1.0, 1e-12);
}

TEST(test_mac_energy_scales_multiplier_quadratically_adder_linearly)
{
    accel_arch a;
    fixture_eyeriss(&a);
    double e16 = arch_mac_energy(&a, 16);
    CHECK_NEAR(e16, a.e_mac_ref_j, 1e-12);
    /* 8 bit: 0.8 * (1/2)^2 + 0.2 * (1/2) = 0.2 + 0.1 = 0.3 of the 16-bit MAC */
    CHECK_NEAR(arch_mac_energy(&a, 8), 0.3 * e16, 1e-12);
}

TEST(test_access_energy_is_table3_multiple_scaled_linearly)
{
    accel_arch a;
    fixture_eyeriss(&a);
    double e = a.e_mac_ref_j;
    CHECK_NEAR(arch_access_energy(&a, MEM_RF, 16), 1 * e, 1e-12);
    CHECK_NEAR(arch_access_energy(&a, MEM_INTERPE, 16), 2 * e, 1e-12);
    CHECK_NEAR(arch_access_energy(&a, MEM_GLB, 16), 6 * e, 1e-12);
    CHECK_NEAR(arch_access_energy(&a, MEM_DRAM, 16), 200 * e, 1e-12);
    CHECK_NEAR(arch_access_energy(&a, MEM_DRAM, 8), 100 * e, 1e-12);
}

TEST(test_clock_power_is_c_vdd_squared_f_plus_leakage)
{
    accel_arch a;
    fixture_eyeriss(&a);
    a.clock_leak_w = 0.002;
    /* 460 pF * 1 V^2 * 200 MHz + 2 mW = 0.092 W + 0.002 W */
    CHECK_NEAR(arch_clock_power(&a), 0.094, 1e-12);
}

TEST(test_validate_accepts_fixtures_and_names_bad_fields)
{
    accel_arch a;
    ps_error err = {0};
    fixture_eyeriss(&a);
    CHECK_INT(arch_validate(&a, &err), 0);
    fixture_simba(&a);
    CHECK_INT(arch_validate(&a, &err), 0);
    fixture_eyeriss(&a);
    a.u.rs.glb_act_bytes = a.u.rs.glb_bytes + 1;
    CHECK_INT(arch_validate(&a, &err), PS_ERR_INPUT);
    CHECK_STR_CONTAINS(err.msg, "eyeriss-v1");
    CHECK_STR_CONTAINS(err.msg, "GLB");
    fixture_eyeriss(&a);
    a.clock_hz = 0;
    CHECK_INT(arch_validate(&a, &err), PS_ERR_INPUT);
    CHECK_STR_CONTAINS(err.msg, "clock");
}

TEST_MAIN(T(test_tech_scale_is_node_ratio_times_vdd_ratio_squared),
          T(test_mac_energy_scales_multiplier_quadratically_adder_linearly),
          T(test_access_energy_is_table3_multiple_scaled_linearly),
          T(test_clock_power_is_c_vdd_squared_f_plus_leakage),
          T(test_validate_accepts_fixtures_and_names_bad_fields))
