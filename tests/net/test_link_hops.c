/* The per-hop link quantities the simulation uses (net/link.h): hop latency,
 * send time and energy at line rate, store-and-forward delay, gap energy. */
#include "net/link.h"
#include "platforms/linkfile.h"
#include "tests/harness.h"

static link_type gbe(void)
{
    link_type t;
    ps_error err = {0};
    CHECK_INT(linkfile_load("1000BASE-T", &t, &err), 0);
    return t;
}

TEST(test_hop_latency_is_fixed_latency_plus_6ns_per_metre)
{
    link_type t = gbe();
    link_opts o = {.length_m = 5};
    /* CNNParted eq. (1): 5 m x 6 ns/m = 30 ns, plus the type's latency */
    CHECK_NEAR(link_hop_latency_s(&t, &o), t.latency_s + 30e-9, 1e-12);
    CHECK_NEAR(link_hop_latency_s(&t, NULL), t.latency_s, 1e-12);
}

TEST(test_send_time_and_energy_at_line_rate)
{
    link_type t = gbe();
    /* 125 000 B x 8 / 1 Gb/s = 1 ms, at the PHY's active power */
    CHECK_NEAR(link_send_time_s(&t, 125000), 1e-3, 1e-12);
    CHECK_NEAR(link_send_energy_j(&t, 125000), 1e-3 * t.phy_active_w, 1e-12);
}

TEST(test_store_and_forward_is_one_full_frame)
{
    link_type t = gbe();
    link_opts ieee = {0}, cnn = {.framing = FRAMING_CNNPARTED};
    /* IEEE: 8 + 18 + 12 + 1500 = 1538 B -> 12.304 us; CNNParted: 1526 B -> 12.208 us */
    CHECK_NEAR(link_saf_delay_s(&t, &ieee), 1538 * 8 / 1e9, 1e-12);
    CHECK_NEAR(link_saf_delay_s(&t, &cnn), 1526 * 8 / 1e9, 1e-12);
}

TEST(test_gap_energy_idles_or_sleeps)
{
    link_type t = gbe();
    link_opts plain = {0}, eee = {.eee = true};
    double idle = 0, lpi = 0;
    link_gap_energy(&t, &plain, 0.01, &idle, &lpi);
    CHECK_NEAR(idle, 0.01 * t.phy_idle_w, 1e-12);
    CHECK_NEAR(lpi, 0, 0);
    /* with EEE a long gap: Ts + Tw at active power, the rest in LPI */
    double tr = t.eee_sleep_s + t.eee_wake_s;
    idle = lpi = 0;
    link_gap_energy(&t, &eee, 0.01, &idle, &lpi);
    CHECK_NEAR(idle, 0, 0);
    CHECK_NEAR(lpi, tr * t.phy_active_w + (0.01 - tr) * t.phy_lpi_w, 1e-12);
    /* a gap shorter than the transitions stays idle */
    idle = lpi = 0;
    link_gap_energy(&t, &eee, tr / 2, &idle, &lpi);
    CHECK_NEAR(idle, tr / 2 * t.phy_idle_w, 1e-12);
    CHECK_NEAR(lpi, 0, 0);
}

TEST_MAIN(T(test_hop_latency_is_fixed_latency_plus_6ns_per_metre),
          T(test_send_time_and_energy_at_line_rate), T(test_store_and_forward_is_one_full_frame),
          T(test_gap_energy_idles_or_sleeps))
