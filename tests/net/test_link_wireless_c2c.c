/* Wireless (NeuPart eq. (24)) and chip-to-chip transfers (net/link.h),
 * with a payload compressed by RLC first (NeuPart eq. (25)). */
#include <string.h>

#include "workloads/compress.h"
#include "net/link.h"
#include "tests/harness.h"

static link_type wireless(double rate, double tx_w, double latency_s)
{
    link_type t;
    memset(&t, 0, sizeof t);
    snprintf(t.name, sizeof t.name, "wifi");
    t.kind = LINK_WIRELESS;
    t.rate_bps = rate;
    t.tx_power_w = tx_w;
    t.latency_s = latency_s;
    return t;
}

TEST(test_wireless_follows_neupart_eq_24)
{
    /* NeuPart Table IV's operating point: B = 60 Mb/s, P_Tx = 0.5 W */
    link_type t = wireless(60e6, 0.5, 0);
    link_transfer x;
    ps_error err = {0};
    CHECK_INT(link_validate(&t, &err), 0);
    /* 1 MB = 8e6 bits: t = 8e6 / 6e7 = 0.1333... s; E = 0.5 * 0.1333 = 0.0666... J */
    CHECK_INT(link_transfer_cost(&t, NULL, 1e6, &x, &err), 0);
    CHECK_NEAR(x.wire_bytes, 1e6, 0); /* no framing */
    CHECK_INT(x.frames, 0);
    CHECK_NEAR(x.time_s, 8e6 / 60e6, 1e-12);
    CHECK_NEAR(x.energy_j, 0.5 * 8e6 / 60e6, 1e-12);
    CHECK_NEAR(x.power_w, 0.5, 1e-12);
    /* an RLC-coded 8-bit tensor: 100 kB raw at 80 % zeros:
     * 100000 * 0.2 * (1 + 3/5) = 32000 B = 256000 bits -> 4.2666... ms, 2.1333... mJ */
    double sent = compress_bytes(COMPRESS_RLC, 100e3, 0.8, 8, 0);
    CHECK_NEAR(sent, 32000, 1e-12);
    CHECK_INT(link_transfer_cost(&t, NULL, sent, &x, &err), 0);
    CHECK_NEAR(x.time_s, 256000 / 60e6, 1e-12);
    CHECK_NEAR(x.energy_j, 0.5 * 256000 / 60e6, 1e-12);
    /* fractional bytes are kept (NeuPart's D_RLC is an average) */
    CHECK_INT(link_transfer_cost(&t, NULL, 0.5, &x, &err), 0);
    CHECK_NEAR(x.time_s, 4 / 60e6, 1e-12);
}

TEST(test_wireless_latency_rx_power_and_frame_rate)
{
    /* 100 Mb/s, P_Tx 1 W, P_Rx 0.3 W, 2 ms latency; 500 kB = 4e6 bits:
     * t = 40 ms + 2 ms = 42 ms; E = (1 + 0.3) * 40 ms = 52 mJ.
     * At 20 fps: utilization 0.042 * 20 = 0.84, power 52 mJ * 20 = 1.04 W */
    link_type t = wireless(100e6, 1.0, 2e-3);
    t.rx_power_w = 0.3;
    link_opts o = {.fps = 20};
    link_transfer x;
    ps_error err = {0};
    CHECK_INT(link_transfer_cost(&t, &o, 500e3, &x, &err), 0);
    CHECK_NEAR(x.time_s, 42e-3, 1e-12);
    CHECK_NEAR(x.energy_j, 52e-3, 1e-12);
    CHECK_NEAR(x.utilization, 0.84, 1e-12);
    CHECK(x.feasible);
    CHECK_NEAR(x.power_w, 1.04, 1e-12);
    /* at 25 fps: 0.042 * 25 = 1.05: infeasible */
    o.fps = 25;
    CHECK_INT(link_transfer_cost(&t, &o, 500e3, &x, &err), 0);
    CHECK(!x.feasible);
    /* EEE is an Ethernet option */
    o.eee = true;
    CHECK_INT(link_transfer_cost(&t, &o, 1, &x, &err), PS_ERR_UNSUPPORTED);
    CHECK_STR_CONTAINS(err.msg, "EEE");
}

TEST(test_chip_to_chip_lanes_and_energy_per_bit)
{
    /* 8 lanes x 25 Gb/s = 200 Gb/s, 1.17 pJ/bit, 20 ns:
     * 1 MB = 8e6 bits: t = 8e6 / 2e11 = 40 us + 20 ns = 40.02 us;
     * E = 1.17e-12 * 8e6 = 9.36 uJ */
    link_type t;
    memset(&t, 0, sizeof t);
    snprintf(t.name, sizeof t.name, "grs");
    t.kind = LINK_C2C;
    t.lanes = 8;
    t.lane_rate_bps = 25e9;
    t.rate_bps = 200e9;
    t.energy_per_bit_j = 1.17e-12;
    t.latency_s = 20e-9;
    link_transfer x;
    ps_error err = {0};
    CHECK_INT(link_validate(&t, &err), 0);
    CHECK_INT(link_transfer_cost(&t, NULL, 1e6, &x, &err), 0);
    CHECK_NEAR(x.time_s, 40.02e-6, 1e-12);
    CHECK_NEAR(x.energy_j, 9.36e-6, 1e-12);
    CHECK_NEAR(x.wire_bytes, 1e6, 0);
    /* a rate that is not lanes * lane_rate is rejected */
    t.rate_bps = 100e9;
    CHECK_INT(link_validate(&t, &err), PS_ERR_INPUT);
    CHECK_STR_CONTAINS(err.msg, "lanes * lane_rate");
}

TEST_MAIN(T(test_wireless_follows_neupart_eq_24), T(test_wireless_latency_rx_power_and_frame_rate),
          T(test_chip_to_chip_lanes_and_energy_per_bit))
