/* Ethernet transfers (net/link.h): bytes on the wire under IEEE and
 * CNNParted framing for small, minimum-size, one-MTU, MTU + 1 and large
 * payloads on every Ethernet type; time (CNNParted eq. (1)); PHY energy with
 * and without 802.3az EEE; feasibility at a frame rate.
 *
 * IEEE framing, MTU 1500: every frame costs 8 (preamble + SFD) + 18 (header
 * + FCS) + 12 (gap) = 38 B besides its payload padded to 46 B; a full frame
 * is 38 + 1500 = 1538 B.  CNNParted framing: N = max(S, 46) + ceil(S/1500) * 26. */
#include <math.h>
#include <string.h>

#include "net/link.h"
#include "tests/harness.h"

static link_type eth(const char *name, double rate, double active_w)
{
    link_type t;
    memset(&t, 0, sizeof t);
    snprintf(t.name, sizeof t.name, "%s", name);
    t.kind = LINK_ETHERNET;
    t.rate_bps = rate;
    t.full_duplex = true;
    t.phy_active_w = active_w;
    t.phy_idle_w = active_w;
    t.phy_lpi_w = active_w / 10;
    t.eee_wake_s = 16.5e-6;
    t.eee_sleep_s = 182e-6;
    t.mtu_bytes = 1500;
    return t;
}

/* The five Ethernet types at the presets' rates and active powers. */
static int ethernet_types(link_type *out)
{
    out[0] = eth("100BASE-TX", 100e6, 0.2);
    out[1] = eth("1000BASE-T", 1e9, 0.6);
    out[2] = eth("10GBASE-T", 10e9, 4.0);
    out[3] = eth("100BASE-T1", 100e6, 0.25);
    out[4] = eth("1000BASE-T1", 1e9, 0.45);
    return 5;
}

static const double PAYLOADS[] = {0, 1, 45, 46, 1499, 1500, 1501, 3000, 1e6};

TEST(test_ieee_framing_wire_bytes_and_time_on_every_type)
{
    /* wire bytes, by hand:
     *   0, 1, 45, 46 B: one frame, payload padded to 46:  38 + 46 = 84
     *   1499 B: 38 + 1499 = 1537;   1500 B: 38 + 1500 = 1538
     *   1501 B: 1538 + (38 + 46, the 1 B padded)    = 1622
     *   3000 B: 2 * 1538                              = 3076
     *   1 MB:   667 frames: 666 * 1538 + 38 + (1e6 - 666 * 1500 = 1000)
     *           = 1024308 + 1038                     = 1025346 */
    static const double WIRE[] = {84, 84, 84, 84, 1537, 1538, 1622, 3076, 1025346};
    static const int64_t FRAMES[] = {1, 1, 1, 1, 1, 1, 2, 2, 667};
    link_type types[5];
    int n = ethernet_types(types);
    for (int k = 0; k < n; k++)
        for (size_t i = 0; i < sizeof PAYLOADS / sizeof PAYLOADS[0]; i++) {
            link_transfer x;
            ps_error err = {0};
            CHECK_INT(link_transfer_cost(&types[k], NULL, PAYLOADS[i], &x, &err), 0);
            CHECK_NEAR(x.wire_bytes, WIRE[i], 1e-12);
            CHECK_NEAR(link_wire_bytes(&types[k], NULL, PAYLOADS[i]), WIRE[i], 1e-12);
            CHECK_INT(x.frames, FRAMES[i]);
            /* time = wire bytes * 8 / rate; energy = P_active * time (no fps) */
            CHECK_NEAR(x.time_s, WIRE[i] * 8 / types[k].rate_bps, 1e-12);
            CHECK_NEAR(x.energy_j, types[k].phy_active_w * WIRE[i] * 8 / types[k].rate_bps,
                       1e-12);
            CHECK(x.feasible);
        }
}

TEST(test_ieee_framing_spot_values)
{
    link_type types[5];
    ethernet_types(types);
    link_transfer x;
    ps_error err = {0};
    /* 1 MB on 100BASE-TX: 1025346 * 8 / 1e8 = 82.02768 ms, * 0.2 W = 16.405536 mJ */
    CHECK_INT(link_transfer_cost(&types[0], NULL, 1e6, &x, &err), 0);
    CHECK_NEAR(x.time_s, 82.02768e-3, 1e-12);
    CHECK_NEAR(x.energy_j, 16.405536e-3, 1e-12);
    CHECK_NEAR(x.power_w, 0.2, 1e-12);
    /* 1500 B on 10GBASE-T, 5 m: 1538 * 8 / 1e10 = 1.2304 us + 5 * 6 ns = 1.2604 us;
     * energy over the sending time only: 4 W * 1.2304 us = 4.9216 uJ */
    link_opts o = {.length_m = 5};
    CHECK_INT(link_transfer_cost(&types[2], &o, 1500, &x, &err), 0);
    CHECK_NEAR(x.time_s, 1.2604e-6, 1e-12);
    CHECK_NEAR(x.wire_delay_s, 30e-9, 1e-12);
    CHECK_NEAR(x.energy_j, 4.9216e-6, 1e-12);
    /* a fractional (compressed) payload is rounded up to whole bytes: 45.2 -> 46 -> 84 */
    CHECK_NEAR(link_wire_bytes(&types[0], NULL, 45.2), 84, 0);
    CHECK_NEAR(link_wire_bytes(&types[0], NULL, 1500.5), 1622, 0); /* 1501 B */
}

TEST(test_ieee_framing_with_ip_udp_headers)
{
    link_type t = eth("1000BASE-T", 1e9, 0.6);
    link_opts o = {.ip_udp = true};
    /* 1472 B of data + 28 B IPv4/UDP = one 1500 B frame: 1538 */
    CHECK_NEAR(link_wire_bytes(&t, &o, 1472), 1538, 0);
    /* 1473 B: 1538 + (38 + max(1 + 28, 46) = 84) = 1622 */
    CHECK_NEAR(link_wire_bytes(&t, &o, 1473), 1622, 0);
    CHECK_INT(link_frames(&t, &o, 1473), 2);
    /* 18 B + 28 B = 46 B: no padding: 84; 19 B -> 38 + 47 = 85 */
    CHECK_NEAR(link_wire_bytes(&t, &o, 18), 84, 0);
    CHECK_NEAR(link_wire_bytes(&t, &o, 19), 85, 0);
    /* 3000 B: frames of 1472: 1472, 1472, 56 -> 2 * 1538 + 38 + 84 = 3198 */
    CHECK_NEAR(link_wire_bytes(&t, &o, 3000), 3198, 0);
}

TEST(test_cnnparted_framing_on_every_type)
{
    /* N = max(S, 46) + ceil(S / 1500) * 26:
     *   0 B: 46 + 0 = 46;  1, 45, 46 B: 46 + 26 = 72;  1499 B: 1525;  1500 B: 1526
     *   1501 B: 1501 + 2 * 26 = 1553;  3000 B: 3000 + 52 = 3052
     *   1 MB: 1e6 + 667 * 26 = 1017342 */
    static const double WIRE[] = {46, 72, 72, 72, 1525, 1526, 1553, 3052, 1017342};
    /* CNNParted's PHY power by rate: 100 Mb/s 0.2 W, 1 Gb/s 0.6 W, 10 Gb/s 4 W
     * (the T1 types take their rate's value) */
    static const double POWER[] = {0.2, 0.6, 4.0, 0.2, 0.6};
    link_type types[5];
    int n = ethernet_types(types);
    link_opts o = {.framing = FRAMING_CNNPARTED};
    for (int k = 0; k < n; k++)
        for (size_t i = 0; i < sizeof PAYLOADS / sizeof PAYLOADS[0]; i++) {
            link_transfer x;
            ps_error err = {0};
            CHECK_INT(link_transfer_cost(&types[k], &o, PAYLOADS[i], &x, &err), 0);
            CHECK_NEAR(x.wire_bytes, WIRE[i], 1e-12);
            CHECK_NEAR(x.time_s, WIRE[i] * 8 / types[k].rate_bps, 1e-12);
            CHECK_NEAR(x.energy_j, POWER[k] * WIRE[i] * 8 / types[k].rate_bps, 1e-12);
            CHECK_NEAR(x.idle_energy_j, 0, 0);
        }
}

TEST(test_cnnparted_framing_by_hand_with_cable)
{
    link_type t = eth("1000BASE-T", 1e9, 0.6);
    link_opts o = {.framing = FRAMING_CNNPARTED, .length_m = 5};
    link_transfer x;
    ps_error err = {0};
    /* S = 100 kB, 5 m: N = 100000 + ceil(66.67) = 67 * 26 = 101742 B
     * -> 813936 bits / 1e9 = 813.936 us, + 5 m * 6 ns = 813.966 us;
     * energy 0.6 W * 813.966 us = 488.3796 uJ (CNNParted charges T_link) */
    CHECK_INT(link_transfer_cost(&t, &o, 100e3, &x, &err), 0);
    CHECK_NEAR(x.wire_bytes, 101742, 0);
    CHECK_INT(x.frames, 67);
    CHECK_NEAR(x.time_s, 813.966e-6, 1e-12);
    CHECK_NEAR(x.energy_j, 488.3796e-6, 1e-12);
    /* 10 MB on 10GBASE-T, 2 m: N = 1e7 + 6667 * 26 = 10173342 B
     * -> 81386736 bits / 1e10 = 8.1386736 ms + 12 ns */
    link_type t10 = eth("10GBASE-T", 10e9, 4);
    o.length_m = 2;
    CHECK_INT(link_transfer_cost(&t10, &o, 1e7, &x, &err), 0);
    CHECK_NEAR(x.time_s, 8.1386736e-3 + 12e-9, 1e-12);
    /* a rate CNNParted has no PHY power for */
    link_type t25 = eth("2.5GBASE-T", 2.5e9, 1);
    CHECK_INT(link_transfer_cost(&t25, &o, 100, &x, &err), PS_ERR_UNSUPPORTED);
    CHECK_STR_CONTAINS(err.msg, "100 Mb/s, 1 Gb/s and 10 Gb/s");
}

TEST(test_feasibility_at_a_frame_rate)
{
    link_type t = eth("100BASE-TX", 100e6, 0.2);
    link_opts o = {.framing = FRAMING_CNNPARTED, .fps = 10};
    link_transfer x;
    ps_error err = {0};
    /* 1 MB: N = 1017342 B -> 8138736 bits / 1e8 = 81.38736 ms; at 10 fps
     * (100 ms) utilization 0.8138736, feasible; average power
     * 0.2 W * 81.38736 ms * 10 /s = 0.16277472 W */
    CHECK_INT(link_transfer_cost(&t, &o, 1e6, &x, &err), 0);
    CHECK_NEAR(x.utilization, 0.8138736, 1e-12);
    CHECK(x.feasible);
    CHECK_NEAR(x.power_w, 0.16277472, 1e-12);
    /* at 15 fps (66.7 ms): 81.38736 ms * 15 = 1.2208104 > 1: infeasible */
    o.fps = 15;
    CHECK_INT(link_transfer_cost(&t, &o, 1e6, &x, &err), 0);
    CHECK_NEAR(x.utilization, 1.2208104, 1e-12);
    CHECK(!x.feasible);
    /* IEEE at 12 fps: 1025346 B -> 82.02768 ms * 12 = 0.98433216: feasible;
     * at 12.5 fps: 1.025346: not */
    o.framing = FRAMING_IEEE;
    o.fps = 12;
    CHECK_INT(link_transfer_cost(&t, &o, 1e6, &x, &err), 0);
    CHECK_NEAR(x.utilization, 0.98433216, 1e-12);
    CHECK(x.feasible);
    o.fps = 12.5;
    CHECK_INT(link_transfer_cost(&t, &o, 1e6, &x, &err), 0);
    CHECK(!x.feasible);
}

TEST(test_eee_energy_with_transitions_versus_without)
{
    /* 1000BASE-T, 100 kB, IEEE: 67 frames: 66 * 1538 + 38 + 1000 = 102546 B
     * -> 820368 bits / 1e9 = 820.368 us on the wire.  100 fps: period 10 ms. */
    link_type t = eth("1000BASE-T", 1e9, 0.6); /* idle 0.6 W, LPI 0.06 W, Tw 16.5 us, Ts 182 us */
    link_opts o = {.fps = 100};
    link_transfer x;
    ps_error err = {0};
    /* without EEE: active 0.6 * 820.368 us = 492.2208 uJ; idle 0.6 * 9179.632 us
     * = 5507.7792 uJ; total 6000 uJ (0.6 W all period long) */
    CHECK_INT(link_transfer_cost(&t, &o, 100e3, &x, &err), 0);
    CHECK_NEAR(x.time_s, 820.368e-6, 1e-12);
    CHECK_NEAR(x.active_energy_j, 492.2208e-6, 1e-12);
    CHECK_NEAR(x.idle_energy_j, 5507.7792e-6, 1e-12);
    CHECK_NEAR(x.energy_j, 6000e-6, 1e-12);
    CHECK_NEAR(x.power_w, 0.6, 1e-12);
    /* with EEE: wake 16.5 + send 820.368 + sleep 182 = 1018.868 us at 0.6 W
     * = 611.3208 uJ; LPI for 10000 - 1018.868 = 8981.132 us at 0.06 W
     * = 538.86792 uJ; total 1150.18872 uJ; power * 100 = 0.115018872 W;
     * the wake time delays the transfer: 820.368 + 16.5 = 836.868 us */
    o.eee = true;
    CHECK_INT(link_transfer_cost(&t, &o, 100e3, &x, &err), 0);
    CHECK_NEAR(x.time_s, 836.868e-6, 1e-12);
    CHECK_NEAR(x.active_energy_j, 611.3208e-6, 1e-12);
    CHECK_NEAR(x.idle_energy_j, 538.86792e-6, 1e-12);
    CHECK_NEAR(x.energy_j, 1150.18872e-6, 1e-12);
    CHECK_NEAR(x.power_w, 0.115018872, 1e-12);
    /* 1000 fps: the 1000 us period leaves 179.632 us < Tw + Ts = 198.5 us:
     * the PHY never sleeps: 0.6 W for the whole 1000 us = 600 uJ, no wake delay */
    o.fps = 1000;
    CHECK_INT(link_transfer_cost(&t, &o, 100e3, &x, &err), 0);
    CHECK_NEAR(x.time_s, 820.368e-6, 1e-12);
    CHECK_NEAR(x.energy_j, 600e-6, 1e-12);
    /* a lone transfer (no fps) with EEE: wake, send, sleep: 611.3208 uJ */
    o.fps = 0;
    CHECK_INT(link_transfer_cost(&t, &o, 100e3, &x, &err), 0);
    CHECK_NEAR(x.energy_j, 611.3208e-6, 1e-12);
    CHECK_NEAR(x.idle_energy_j, 0, 0);
}

TEST(test_bad_options_are_errors)
{
    link_type t = eth("1000BASE-T", 1e9, 0.6);
    link_transfer x;
    ps_error err = {0};
    CHECK_INT(link_transfer_cost(&t, NULL, -1, &x, &err), PS_ERR_INPUT);
    CHECK_STR_CONTAINS(err.msg, "payload");
    link_opts o = {.length_m = -2};
    CHECK_INT(link_transfer_cost(&t, &o, 1, &x, &err), PS_ERR_INPUT);
    CHECK_STR_CONTAINS(err.msg, "cable length");
    o = (link_opts){.eee = true, .framing = FRAMING_CNNPARTED};
    CHECK_INT(link_transfer_cost(&t, &o, 1, &x, &err), PS_ERR_UNSUPPORTED);
    t.eee_wake_s = t.eee_sleep_s = 0;
    o.framing = FRAMING_IEEE;
    CHECK_INT(link_transfer_cost(&t, &o, 1, &x, &err), PS_ERR_UNSUPPORTED);
    CHECK_STR_CONTAINS(err.msg, "no EEE parameters");
    /* validation: idle above active */
    t.phy_idle_w = 1.0;
    CHECK_INT(link_validate(&t, &err), PS_ERR_INPUT);
    CHECK_STR_CONTAINS(err.msg, "phy_idle");
}

TEST_MAIN(T(test_ieee_framing_wire_bytes_and_time_on_every_type), T(test_ieee_framing_spot_values),
          T(test_ieee_framing_with_ip_udp_headers), T(test_cnnparted_framing_on_every_type),
          T(test_cnnparted_framing_by_hand_with_cable), T(test_feasibility_at_a_frame_rate),
          T(test_eee_energy_with_transitions_versus_without), T(test_bad_options_are_errors))
