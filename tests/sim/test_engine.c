/* Generated platforms run in SimGrid (net/topology.h, net/rate_profile.h).
 *
 * SimGrid loads one platform per process, so each test here is one CTest
 * entry that runs this executable with the test's name as its argument.
 * Every test builds a topology, loads it, starts transfers (a sender and a
 * receiver actor per transfer, rendezvous on a mailbox) and compares each
 * completion time with the flow-model time computed by hand:
 * sum(latency) + bytes / bottleneck share. */
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include <simgrid/actor.h>
#include <simgrid/engine.h>
#include <simgrid/host.h>
#include <simgrid/mailbox.h>

#include "net/topology.h"
#include "sim/engine.h"
#include "net/rate_profile.h"
#include "tests/harness.h"

#define MAX_TRANSFERS 8
#define EXACT 1e-9

typedef struct {
    const char *src, *dst;
    long bytes;
    double start_s;
    double done_s; /* filled by the receiver; < 0 until then */
} transfer;

/* The run's transfers: one process runs one test, so a file-level table is
 * the simplest way to hand them to the actors. */
static transfer transfers[MAX_TRANSFERS];
static int n_transfers;
static double payload_sentinel;

static void sender(int argc, char **argv)
{
    (void)argc;
    transfer *x = &transfers[atoi(argv[1])];
    sg_actor_sleep_for(x->start_s);
    sg_mailbox_put(sg_mailbox_by_name(argv[1]), &payload_sentinel, x->bytes);
}

static void receiver(int argc, char **argv)
{
    (void)argc;
    transfer *x = &transfers[atoi(argv[1])];
    sg_mailbox_get(sg_mailbox_by_name(argv[1]));
    x->done_s = simgrid_get_clock();
}

static void add_transfer(const char *src, const char *dst, long bytes, double start_s)
{
    transfers[n_transfers] = (transfer){src, dst, bytes, start_s, -1.0};
    n_transfers++;
}

/* Init SimGrid, load `t` as `xml`, start every transfer, run. */
static int run(const topology *t, const char *xml)
{
    static char arg0[] = "test_platform_sim";
    char *argv[] = {arg0, NULL};
    int argc = 1;
    ps_error err = {0};
    engine_init(&argc, argv);
    if (engine_load_platform(t, xml, &err)) {
        fprintf(stderr, "%s\n", err.msg);
        return -1;
    }
    for (int i = 0; i < n_transfers; i++) {
        char idx[16];
        snprintf(idx, sizeof idx, "%d", i);
        char *args[] = {idx, idx, NULL};
        sg_actor_create("sender", sg_host_by_name(transfers[i].src), sender, 2, args);
        sg_actor_create("receiver", sg_host_by_name(transfers[i].dst), receiver, 2, args);
    }
    simgrid_run();
    for (int i = 0; i < n_transfers; i++)
        CHECK(transfers[i].done_s >= 0); /* a deadlock also ends the run normally */
    return 0;
}

static int host(topology *t, const char *name)
{
    return topology_add_node(t, name, false, 1e9, NULL);
}

static int sw(topology *t, const char *name)
{
    return topology_add_node(t, name, true, 0, NULL);
}

TEST(test_idle_path_takes_latency_sum_plus_bytes_over_bottleneck)
{
    topology t;
    topology_init(&t);
    int h0 = host(&t, "h0"), s = sw(&t, "sw"), h1 = host(&t, "h1");
    topology_add_link(&t, "l0", h0, s, 1.25e8, 50e-6, true, NULL);  /* 1 Gbit/s */
    topology_add_link(&t, "l1", s, h1, 1.25e7, 200e-6, true, NULL); /* 100 Mbit/s */
    add_transfer("h0", "h1", 1000000, 0.0);
    add_transfer("h1", "h0", 200000, 1.0); /* other direction, later */
    CHECK_INT(run(&t, "net_idle_path.xml"), 0);
    /* 50 us + 200 us + 1e6 B / 1.25e7 B/s = 0.00025 + 0.08 */
    CHECK_NEAR(transfers[0].done_s, 0.08025, EXACT);
    /* 1 s + 0.00025 + 2e5 / 1.25e7 = 1 + 0.00025 + 0.016 */
    CHECK_NEAR(transfers[1].done_s, 1.01625, EXACT);
    topology_free(&t);
}

TEST(test_no_window_limit_on_long_fat_link)
{
    /* With SimGrid's default TCP-gamma (4 MiB) this flow would be bounded to
     * 4194304 / (2 * 0.1 s) = 2.1e7 B/s and take 47.8 s. */
    topology t;
    topology_init(&t);
    int h0 = host(&t, "h0"), h1 = host(&t, "h1");
    topology_add_link(&t, "wan", h0, h1, 1.25e9, 0.1, true, NULL); /* 10 Gbit/s */
    add_transfer("h0", "h1", 1000000000, 0.0);
    CHECK_INT(run(&t, "net_no_window_limit.xml"), 0);
    /* 0.1 s + 1e9 / 1.25e9 = 0.1 + 0.8 */
    CHECK_NEAR(transfers[0].done_s, 0.9, EXACT);
    topology_free(&t);
}

TEST(test_shared_uplink_is_shared_fairly)
{
    topology t;
    topology_init(&t);
    int a = host(&t, "a"), b = host(&t, "b"), s = sw(&t, "sw"), c = host(&t, "c");
    topology_add_link(&t, "la", a, s, 1.25e8, 10e-6, true, NULL);
    topology_add_link(&t, "lb", b, s, 1.25e8, 10e-6, true, NULL);
    topology_add_link(&t, "up", s, c, 1.25e7, 20e-6, true, NULL);
    add_transfer("a", "c", 1000000, 0.0);
    add_transfer("b", "c", 500000, 0.0);
    CHECK_INT(run(&t, "net_shared_uplink.xml"), 0);
    /* Both pay 30 us of latency, then share the 1.25e7 B/s uplink: 6.25e6
     * each.  b ends at 30e-6 + 5e5 / 6.25e6 = 0.08003 s; a has 5e5 B left
     * and gets the whole uplink: + 5e5 / 1.25e7 = 0.04 s -> 0.12003 s. */
    CHECK_NEAR(transfers[1].done_s, 0.08003, EXACT);
    CHECK_NEAR(transfers[0].done_s, 0.12003, EXACT);
    topology_free(&t);
}

TEST(test_rtt_weighted_sharing_of_uplink)
{
    /* CM02 shares a bottleneck in proportion to 1 / (latency sum of the
     * flow's route): flows with unequal paths do not get equal shares. */
    topology t;
    topology_init(&t);
    int a = host(&t, "a"), b = host(&t, "b"), s = sw(&t, "sw"), c = host(&t, "c");
    topology_add_link(&t, "la", a, s, 1.25e8, 10e-6, true, NULL);
    topology_add_link(&t, "lb", b, s, 1.25e8, 110e-6, true, NULL);
    topology_add_link(&t, "up", s, c, 1.25e7, 20e-6, true, NULL);
    add_transfer("a", "c", 1000000, 0.0);
    add_transfer("b", "c", 1000000, 0.0);
    CHECK_INT(run(&t, "net_rtt_weighted.xml"), 0);
    /* a pays 30 us, b 130 us.  30..130 us: a alone at 1.25e7 -> 1250 B.
     * Then rate_a : rate_b = 130 : 30 on 1.25e7 B/s: rate_a = 1.015625e7,
     * rate_b = 2.34375e6.  a's 998750 B take 998750 / 1.015625e7 =
     * 0.0983384615385 s -> a ends at 0.0984684615385 s.  The uplink is busy
     * from 30 us on with 2e6 B in all, so b ends at 30e-6 + 0.16 = 0.16003 s. */
    CHECK_NEAR(transfers[0].done_s, 130e-6 + 998750.0 / 1.015625e7, EXACT);
    CHECK_NEAR(transfers[1].done_s, 0.16003, EXACT);
    topology_free(&t);
}

static void duplex_case(bool full_duplex, const char *xml)
{
    topology t;
    topology_init(&t);
    int h0 = host(&t, "h0"), h1 = host(&t, "h1");
    topology_add_link(&t, "l", h0, h1, 1.25e7, 100e-6, full_duplex, NULL);
    add_transfer("h0", "h1", 1000000, 0.0);
    add_transfer("h1", "h0", 1000000, 0.0);
    CHECK_INT(run(&t, xml), 0);
    /* full duplex: each direction alone, 100e-6 + 1e6 / 1.25e7 = 0.0801;
     * half duplex: both share 1.25e7, 100e-6 + 1e6 / 6.25e6 = 0.1601 */
    double expected = full_duplex ? 0.0801 : 0.1601;
    CHECK_NEAR(transfers[0].done_s, expected, EXACT);
    CHECK_NEAR(transfers[1].done_s, expected, EXACT);
    topology_free(&t);
}

TEST(test_duplex_full_directions_are_independent)
{
    duplex_case(true, "net_duplex_full.xml");
}

TEST(test_duplex_half_directions_share)
{
    duplex_case(false, "net_duplex_half.xml");
}

TEST(test_star_of_64_hosts_routes_through_the_switch)
{
    topology t;
    topology_init(&t);
    int s = sw(&t, "sw");
    for (int i = 0; i < 64; i++) {
        char name[16], link[16];
        snprintf(name, sizeof name, "h%d", i);
        snprintf(link, sizeof link, "l%d", i);
        int h = host(&t, name);
        topology_add_link(&t, link, h, s, 1.25e8, (i + 1) * 1e-6, true, NULL);
    }
    add_transfer("h0", "h63", 1000000, 0.0);
    CHECK_INT(run(&t, "net_star_load.xml"), 0);
    /* l0 1 us + l63 64 us + 1e6 / 1.25e8 = 65e-6 + 0.008 */
    CHECK_NEAR(transfers[0].done_s, 0.008065, EXACT);
    topology_free(&t);
}

TEST(test_chain_of_10_hosts_routes_through_hosts)
{
    topology t;
    topology_init(&t);
    for (int i = 0; i < 10; i++) {
        char name[16];
        snprintf(name, sizeof name, "h%d", i);
        host(&t, name);
    }
    for (int i = 0; i < 9; i++) {
        char link[16];
        snprintf(link, sizeof link, "l%d", i);
        topology_add_link(&t, link, i, i + 1, i == 4 ? 1.25e7 : 1.25e8, (i + 1) * 10e-6,
                              i % 2 == 0, NULL);
    }
    add_transfer("h0", "h9", 1000000, 0.0);
    add_transfer("h9", "h0", 1000000, 1.0);
    CHECK_INT(run(&t, "net_chain_load.xml"), 0);
    /* 10 us * (1 + 2 + ... + 9) = 450 us; bottleneck l4 1.25e7: + 0.08 */
    CHECK_NEAR(transfers[0].done_s, 0.08045, EXACT);
    CHECK_NEAR(transfers[1].done_s, 1.08045, EXACT);
    topology_free(&t);
}

TEST(test_tree_1024_hosts_farthest_pair)
{
    struct timespec t0, t1, t2;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    topology t;
    topology_init(&t);
    int root = sw(&t, "root");
    for (int l = 0; l < 32; l++) {
        char name[16], link[16];
        snprintf(name, sizeof name, "leaf%d", l);
        snprintf(link, sizeof link, "up%d", l);
        int leaf = sw(&t, name);
        topology_add_link(&t, link, leaf, root, 1.25e9, 20e-6, true, NULL);
        for (int k = 0; k < 32; k++) {
            snprintf(name, sizeof name, "h%d", 32 * l + k);
            snprintf(link, sizeof link, "l%d", 32 * l + k);
            int h = host(&t, name);
            topology_add_link(&t, link, h, leaf, 1.25e8, 5e-6, true, NULL);
        }
    }
    CHECK_INT(t.n_nodes, 1 + 32 + 1024);
    add_transfer("h0", "h1023", 1000000, 0.0);
    add_transfer("h1", "h2", 1000000, 0.0); /* same leaf: 2 hops */
    static char arg0[] = "test_platform_sim";
    char *argv[] = {arg0, NULL};
    int argc = 1;
    engine_init(&argc, argv);
    ps_error err = {0};
    CHECK_INT(topology_write_platform(&t, "net_tree_1024.xml", &err), 0);
    clock_gettime(CLOCK_MONOTONIC, &t1);
    CHECK_INT(engine_load_platform(&t, "net_tree_1024.xml", &err), 0);
    clock_gettime(CLOCK_MONOTONIC, &t2);
    for (int i = 0; i < n_transfers; i++) {
        char idx[16];
        snprintf(idx, sizeof idx, "%d", i);
        char *args[] = {idx, idx, NULL};
        sg_actor_create("sender", sg_host_by_name(transfers[i].src), sender, 2, args);
        sg_actor_create("receiver", sg_host_by_name(transfers[i].dst), receiver, 2, args);
    }
    simgrid_run();
    /* h0 - leaf0 - root - leaf31 - h1023: 5 + 20 + 20 + 5 = 50 us, + 1e6 / 1.25e8 */
    CHECK_NEAR(transfers[0].done_s, 0.00805, EXACT);
    /* h1 - leaf0 - h2: 10 us + 0.008 */
    CHECK_NEAR(transfers[1].done_s, 0.00801, EXACT);
    printf("tree 1024 hosts: build+check+write %.1f ms, write+load %.1f ms\n",
           ((double)(t1.tv_sec - t0.tv_sec) * 1e3 + (double)(t1.tv_nsec - t0.tv_nsec) / 1e6),
           ((double)(t2.tv_sec - t1.tv_sec) * 1e3 + (double)(t2.tv_nsec - t1.tv_nsec) / 1e6));
    topology_free(&t);
}

TEST(test_profile_halving_rate_mid_transfer)
{
    ps_error err = {0};
    /* 1.25e7 B/s from 0, 6.25e6 B/s from 0.04 s */
    const double ts[] = {0.0, 0.04}, rates[] = {1.25e7, 6.25e6};
    CHECK_INT(rate_profile_write("net_profile_half.txt", ts, rates, 2, 0.0, &err), 0);
    topology t;
    topology_init(&t);
    int h0 = host(&t, "h0"), h1 = host(&t, "h1");
    int l = topology_add_link(&t, "l", h0, h1, 1.25e7, 1e-3, false, NULL);
    snprintf(t.links[l].bw_profile, sizeof t.links[l].bw_profile, "net_profile_half.txt");
    add_transfer("h0", "h1", 1000000, 0.0);
    CHECK_INT(run(&t, "net_profile_half.xml"), 0);
    /* latency until 0.001; 0.039 s * 1.25e7 = 487500 B by 0.04;
     * 512500 B / 6.25e6 = 0.082 s -> 0.122 s */
    CHECK_NEAR(transfers[0].done_s, 0.122, EXACT);
    topology_free(&t);
}

TEST(test_profile_loop_repeats)
{
    ps_error err = {0};
    /* 1.25e7 on [0, 0.04), 6.25e6 on [0.04, 0.08), then again: LOOPAFTER 0.04 */
    const double ts[] = {0.0, 0.04}, rates[] = {1.25e7, 6.25e6};
    CHECK_INT(rate_profile_write("net_profile_loop.txt", ts, rates, 2, 0.04, &err), 0);
    topology t;
    topology_init(&t);
    int h0 = host(&t, "h0"), h1 = host(&t, "h1");
    int l = topology_add_link(&t, "l", h0, h1, 1.25e7, 0.0, true, NULL);
    snprintf(t.links[l].bw_profile, sizeof t.links[l].bw_profile, "net_profile_loop.txt");
    add_transfer("h0", "h1", 2000000, 0.0);
    add_transfer("h1", "h0", 2000000, 0.0); /* the profile drives both directions */
    CHECK_INT(run(&t, "net_profile_loop.xml"), 0);
    /* per 0.08 s period: 0.04 * 1.25e7 + 0.04 * 6.25e6 = 5e5 + 2.5e5 = 7.5e5 B;
     * two periods 1.5e6 by 0.16 s; 5e5 B more at 1.25e7 takes 0.04 -> 0.2 s */
    CHECK_NEAR(transfers[0].done_s, 0.2, EXACT);
    CHECK_NEAR(transfers[1].done_s, 0.2, EXACT);
    topology_free(&t);
}

static void halve_bandwidth(int argc, char **argv)
{
    (void)argc;
    (void)argv;
    ps_error err = {0};
    sg_actor_sleep_for(0.04);
    CHECK_INT(engine_set_link_bandwidth("l", 6.25e6, &err), 0);
    CHECK_INT(engine_set_link_bandwidth("nosuchlink", 6.25e6, &err), PS_ERR_INPUT);
    CHECK_STR_CONTAINS(err.msg, "nosuchlink");
}

TEST(test_set_bandwidth_midrun_reshares_flow)
{
    topology t;
    topology_init(&t);
    int h0 = host(&t, "h0"), h1 = host(&t, "h1");
    topology_add_link(&t, "l", h0, h1, 1.25e7, 0.0, true, NULL);
    add_transfer("h0", "h1", 1000000, 0.0);
    static char arg0[] = "test_platform_sim";
    char *argv[] = {arg0, NULL};
    int argc = 1;
    ps_error err = {0};
    engine_init(&argc, argv);
    CHECK_INT(engine_load_platform(&t, "net_set_bandwidth.xml", &err), 0);
    CHECK_INT(engine_load_platform(&t, "net_set_bandwidth.xml", &err), PS_ERR_UNSUPPORTED);
    char *args[] = {arg0, NULL};
    sg_actor_create("control", sg_host_by_name("h0"), halve_bandwidth, 1, args);
    char *targs[] = {(char *)"0", (char *)"0", NULL};
    sg_actor_create("sender", sg_host_by_name("h0"), sender, 2, targs);
    sg_actor_create("receiver", sg_host_by_name("h1"), receiver, 2, targs);
    simgrid_run();
    /* 0.04 s * 1.25e7 = 5e5 B; 5e5 / 6.25e6 = 0.08 s more -> 0.12 s */
    CHECK_NEAR(transfers[0].done_s, 0.12, EXACT);
    topology_free(&t);
}

int main(int argc, char **argv)
{
    static const test_case tests[] = {
        T(test_idle_path_takes_latency_sum_plus_bytes_over_bottleneck),
        T(test_no_window_limit_on_long_fat_link),
        T(test_shared_uplink_is_shared_fairly),
        T(test_rtt_weighted_sharing_of_uplink),
        T(test_duplex_full_directions_are_independent),
        T(test_duplex_half_directions_share),
        T(test_star_of_64_hosts_routes_through_the_switch),
        T(test_chain_of_10_hosts_routes_through_hosts),
        T(test_tree_1024_hosts_farthest_pair),
        T(test_profile_halving_rate_mid_transfer),
        T(test_profile_loop_repeats),
        T(test_set_bandwidth_midrun_reshares_flow),
    };
    int n = (int)(sizeof tests / sizeof tests[0]);
    /* One platform per process: exactly one test must be selected. */
    int selected = 0;
    for (int i = 0; argc == 2 && i < n; i++)
        selected += strstr(tests[i].name, argv[1]) != NULL;
    if (selected != 1) {
        fprintf(stderr, "usage: %s TEST (one test per process; SimGrid loads one platform)\n",
                argv[0]);
        return 2;
    }
    return harness_run(tests, n, argc, argv);
}
