/* Topology checks, platform XML text and bandwidth profiles (net/topology.h,
 * net/rate_profile.h), without running SimGrid. */
#include <stdio.h>
#include <stdlib.h>

#include "net/topology.h"
#include "net/rate_profile.h"
#include "tests/fixture_files.h"
#include "tests/harness.h"

static char *slurp(const char *path)
{
    FILE *f = fopen(path, "r");
    if (!f)
        return NULL;
    static char buf[65536];
    size_t n = fread(buf, 1, sizeof buf - 1, f);
    buf[n] = '\0';
    fclose(f);
    return buf;
}

static void spit(const char *path, const char *text)
{
    FILE *f = fopen(path, "w");
    fputs(text, f);
    fclose(f);
}

/* h0 - sw - h1, full duplex then half duplex */
static void small_topology(topology *t)
{
    topology_init(t);
    int h0 = topology_add_node(t, "h0", false, 1e9, NULL);
    int s = topology_add_node(t, "sw", true, 0, NULL);
    int h1 = topology_add_node(t, "h1", false, 2e9, NULL);
    topology_add_link(t, "l0", h0, s, 1.25e8, 50e-6, true, NULL);
    topology_add_link(t, "l1", s, h1, 1.25e7, 0.2e-3, false, NULL);
}

TEST(test_check_accepts_a_valid_topology)
{
    topology t;
    ps_error err = {0};
    small_topology(&t);
    CHECK_INT(topology_check(&t, &err), 0);
    CHECK_INT(topology_find_node(&t, "h1"), 2);
    CHECK_INT(topology_find_link(&t, "l1"), 1);
    CHECK_INT(topology_find_link(&t, "nope"), -1);
    topology_free(&t);
}

TEST(test_check_names_duplicate_nodes_and_links)
{
    topology t;
    ps_error err = {0};
    small_topology(&t);
    topology_add_node(&t, "h1", false, 1e9, NULL);
    CHECK_INT(topology_check(&t, &err), PS_ERR_INPUT);
    CHECK_STR_CONTAINS(err.msg, "duplicate name 'h1'");
    topology_free(&t);

    small_topology(&t);
    topology_add_link(&t, "sw", 0, 2, 1e6, 0, false, NULL); /* link named as a switch */
    CHECK_INT(topology_check(&t, &err), PS_ERR_INPUT);
    CHECK_STR_CONTAINS(err.msg, "'sw'");
    CHECK_STR_CONTAINS(err.msg, "switch");
    topology_free(&t);

    /* full-duplex l0 takes l0_UP: a second link of that name clashes */
    small_topology(&t);
    topology_add_link(&t, "l0_UP", 0, 2, 1e6, 0, false, NULL);
    CHECK_INT(topology_check(&t, &err), PS_ERR_INPUT);
    CHECK_STR_CONTAINS(err.msg, "'l0_UP'");
    CHECK_STR_CONTAINS(err.msg, "full-duplex link 'l0'");
    topology_free(&t);
}

TEST(test_check_names_dangling_and_self_links)
{
    topology t;
    ps_error err = {0};
    small_topology(&t);
    topology_add_link(&t, "loose", 0, 7, 1e6, 0, false, NULL);
    CHECK_INT(topology_check(&t, &err), PS_ERR_INPUT);
    CHECK_STR_CONTAINS(err.msg, "link 'loose' is dangling");
    CHECK_STR_CONTAINS(err.msg, "0..2");
    topology_free(&t);

    small_topology(&t);
    topology_add_link(&t, "loop", 1, 1, 1e6, 0, false, NULL);
    CHECK_INT(topology_check(&t, &err), PS_ERR_INPUT);
    CHECK_STR_CONTAINS(err.msg, "link 'loop' joins node 'sw' to itself");
    topology_free(&t);
}

TEST(test_check_names_bad_bandwidth_latency_speed)
{
    topology t;
    ps_error err = {0};
    small_topology(&t);
    t.links[1].bandwidth_Bps = 0;
    CHECK_INT(topology_check(&t, &err), PS_ERR_INPUT);
    CHECK_STR_CONTAINS(err.msg, "link 'l1': bandwidth 0");
    t.links[1].bandwidth_Bps = 1e6;
    t.links[0].latency_s = -1e-6;
    CHECK_INT(topology_check(&t, &err), PS_ERR_INPUT);
    CHECK_STR_CONTAINS(err.msg, "link 'l0': latency -1e-06");
    t.links[0].latency_s = 0;
    t.nodes[2].speed_flops = 0;
    CHECK_INT(topology_check(&t, &err), PS_ERR_INPUT);
    CHECK_STR_CONTAINS(err.msg, "host 'h1': speed 0");
    t.nodes[2].speed_flops = 1;
    snprintf(t.links[0].bw_profile, sizeof t.links[0].bw_profile, "/abs/profile.txt");
    CHECK_INT(topology_check(&t, &err), PS_ERR_INPUT);
    CHECK_STR_CONTAINS(err.msg, "relative");
    topology_free(&t);
}

TEST(test_check_names_disconnected_host)
{
    topology t;
    ps_error err = {0};
    small_topology(&t);
    int h2 = topology_add_node(&t, "h2", false, 1e9, NULL);
    int s2 = topology_add_node(&t, "sw2", true, 0, NULL);
    topology_add_link(&t, "island", h2, s2, 1e6, 0, false, NULL);
    CHECK_INT(topology_check(&t, &err), PS_ERR_INPUT);
    CHECK_STR_CONTAINS(err.msg, "host 'h2' is not connected to host 'h0'");
    topology_free(&t);

    topology_init(&t);
    topology_add_node(&t, "only_switch", true, 0, NULL);
    CHECK_INT(topology_check(&t, &err), PS_ERR_INPUT);
    CHECK_STR_CONTAINS(err.msg, "no host");
    topology_free(&t);
}

TEST(test_add_rejects_long_names)
{
    topology t;
    ps_error err = {0};
    topology_init(&t);
    char name[80];
    memset(name, 'x', sizeof name - 1);
    name[sizeof name - 1] = '\0';
    CHECK_INT(topology_add_node(&t, name, false, 1, &err), -1);
    CHECK_STR_CONTAINS(err.msg, "longer than 63");
    CHECK_INT(t.n_nodes, 0);
    topology_free(&t);
}

TEST(test_write_puts_a_switch_and_its_leaf_hosts_in_one_cluster_zone)
{
    topology t;
    ps_error err = {0};
    small_topology(&t);
    snprintf(t.links[1].bw_profile, sizeof t.links[1].bw_profile, "p&1.txt");
    CHECK_INT(topology_write_platform(&t, fixture_path("net_small.xml"), &err), 0);
    const char *x = slurp(fixture_path("net_small.xml"));
    CHECK_STR_CONTAINS(x, "<platform version=\"4.1\">");
    CHECK_STR_CONTAINS(x, "<zone id=\"partsim\" routing=\"DijkstraCache\">");
    CHECK_STR_CONTAINS(x, "<zone id=\"zone-sw\" routing=\"Cluster\">");
    /* every link is declared first, in a zone of its own, before the zones that use it */
    const char *links = strstr(x, "<zone id=\"links\" routing=\"None\">");
    CHECK(links != NULL && strstr(x, "<link id=\"l1\"") > links &&
          strstr(x, "<link id=\"l1\"") < strstr(x, "zone-sw"));
    CHECK_STR_CONTAINS(x, "<host id=\"h1\" speed=\"2000000000f\"/>");
    CHECK_STR_CONTAINS(x, "<router id=\"sw\"/>");
    CHECK_STR_CONTAINS(x, "<link id=\"l0\" bandwidth=\"125000000Bps\" latency=\"5.0000000000000002e-05s\" "
                          "sharing_policy=\"SPLITDUPLEX\"/>");
    CHECK_STR_CONTAINS(x, "sharing_policy=\"SHARED\" bandwidth_file=\"p&amp;1.txt\"/>");
    /* h0 is l0's end a: it sends on l0_UP; h1 shares l1 both ways */
    CHECK_STR_CONTAINS(x, "<host_link id=\"h0\" up=\"l0_UP\" down=\"l0_DOWN\"/>");
    CHECK_STR_CONTAINS(x, "<host_link id=\"h1\" up=\"l1\" down=\"l1\"/>");
    CHECK(strstr(x, "zoneRoute") == NULL); /* one zone holds everything */
    topology_free(&t);
}

TEST(test_write_routes_links_between_zones_in_the_top_zone)
{
    /* h0 - s0 - s1 - h1, and r linked to s0 and s1 (not a leaf: its own zone);
     * the leaf h1 is l2's end b, so it sends on l2_DOWN */
    topology t;
    ps_error err = {0};
    topology_init(&t);
    int h0 = topology_add_node(&t, "h0", false, 1e9, NULL);
    int s0 = topology_add_node(&t, "s0", true, 0, NULL);
    int s1 = topology_add_node(&t, "s1", true, 0, NULL);
    int h1 = topology_add_node(&t, "h1", false, 1e9, NULL);
    int r = topology_add_node(&t, "r", false, 1e9, NULL);
    topology_add_link(&t, "l0", h0, s0, 1e8, 1e-6, true, NULL);
    topology_add_link(&t, "l1", s0, s1, 1e9, 1e-6, true, NULL);
    topology_add_link(&t, "l2", s1, h1, 1e8, 1e-6, true, NULL);
    topology_add_link(&t, "l3", r, s0, 1e8, 1e-6, true, NULL);
    topology_add_link(&t, "l4", s1, r, 1e8, 1e-6, false, NULL);
    CHECK_INT(topology_write_platform(&t, fixture_path("net_zones.xml"), &err), 0);
    const char *x = slurp(fixture_path("net_zones.xml"));
    CHECK_STR_CONTAINS(x, "<zone id=\"zone-s0\" routing=\"Cluster\">\n      <host id=\"h0\"");
    CHECK_STR_CONTAINS(x, "<host_link id=\"h1\" up=\"l2_DOWN\" down=\"l2_UP\"/>");
    CHECK_STR_CONTAINS(x, "<zone id=\"zone-r\" routing=\"Full\">\n      <host id=\"r\"");
    CHECK_STR_CONTAINS(x, "<zoneRoute src=\"zone-s0\" dst=\"zone-s1\" gw_src=\"s0\" gw_dst=\"s1\" "
                          "symmetrical=\"NO\"><link_ctn id=\"l1\" direction=\"UP\"/></zoneRoute>");
    CHECK_STR_CONTAINS(x, "<zoneRoute src=\"zone-s1\" dst=\"zone-s0\" gw_src=\"s1\" gw_dst=\"s0\" "
                          "symmetrical=\"NO\"><link_ctn id=\"l1\" direction=\"DOWN\"/></zoneRoute>");
    CHECK_STR_CONTAINS(x, "<zoneRoute src=\"zone-r\" dst=\"zone-s0\" gw_src=\"r\" gw_dst=\"s0\" "
                          "symmetrical=\"NO\"><link_ctn id=\"l3\" direction=\"UP\"/></zoneRoute>");
    CHECK_STR_CONTAINS(x, "<zoneRoute src=\"zone-r\" dst=\"zone-s1\" gw_src=\"r\" gw_dst=\"s1\" "
                          "symmetrical=\"NO\"><link_ctn id=\"l4\"/></zoneRoute>");
    /* the leaves' links are private to their clusters, not routed on top */
    CHECK(strstr(x, "link_ctn id=\"l0\"") == NULL && strstr(x, "link_ctn id=\"l2\"") == NULL);
    topology_free(&t);
}

TEST(test_write_refuses_bad_topology_and_leaves_old_file)
{
    topology t;
    ps_error err = {0};
    spit(fixture_path("net_keep.xml"), "old");
    small_topology(&t);
    t.links[0].b = 9;
    CHECK_INT(topology_write_platform(&t, fixture_path("net_keep.xml"), &err), PS_ERR_INPUT);
    CHECK_STR_CONTAINS(err.msg, "net_keep.xml: link 'l0' is dangling");
    CHECK_STR_CONTAINS(slurp(fixture_path("net_keep.xml")), "old");
    CHECK_INT(topology_write_platform(&t, "no/such/dir/p.xml", &err), PS_ERR_INPUT);
    t.links[0].b = 1;
    CHECK_INT(topology_write_platform(&t, "no/such/dir/p.xml", &err), PS_ERR_IO);
    CHECK_STR_CONTAINS(err.msg, "no/such/dir/p.xml");
    topology_free(&t);
}

TEST(test_profile_write_uses_simgrid_format)
{
    ps_error err = {0};
    const double ts[] = {0, 0.5, 2}, rates[] = {1.25e8, 6.25e7, 1e3};
    CHECK_INT(rate_profile_write(fixture_path("net_prof.txt"), ts, rates, 3, 1.5, &err), 0);
    CHECK_STR_CONTAINS(slurp(fixture_path("net_prof.txt")), "0 125000000\n0.5 62500000\n2 1000\nLOOPAFTER 1.5\n");
    CHECK_INT(rate_profile_write(fixture_path("net_prof.txt"), ts, rates, 3, 0, &err), 0);
    CHECK(!strstr(slurp(fixture_path("net_prof.txt")), "LOOPAFTER"));
    const double bad_t[] = {0, 0.5, 0.5};
    CHECK_INT(rate_profile_write(fixture_path("net_prof.txt"), bad_t, rates, 3, 0, &err), PS_ERR_INPUT);
    CHECK_STR_CONTAINS(err.msg, "point 3 has time 0.5 s, expected later than 0.5 s (point 2)");
    const double bad_r[] = {1, 0, 1};
    CHECK_INT(rate_profile_write(fixture_path("net_prof.txt"), ts, bad_r, 3, 0, &err), PS_ERR_INPUT);
    CHECK_STR_CONTAINS(err.msg, "point 2 has rate 0 B/s");
}

TEST(test_profile_csv_reads_bits_per_second)
{
    ps_error err = {0};
    rate_profile p;
    spit(fixture_path("net_prof.csv"), "# link l0\ntime_s,rate_bps\n0,1e9\n\n0.25, 100000000\r\n");
    CHECK_INT(rate_profile_read_csv(fixture_path("net_prof.csv"), &p, &err), 0);
    CHECK_INT(p.n, 2);
    CHECK_NEAR(p.t_s[1], 0.25, 1e-15);
    CHECK_NEAR(p.rate_Bps[0], 1.25e8, 1e-15); /* 1e9 bit/s / 8 */
    CHECK_NEAR(p.rate_Bps[1], 1.25e7, 1e-15);
    rate_profile_free(&p);
}

TEST(test_profile_csv_takes_quotes_column_order_notes_and_a_bom)
{
    ps_error err = {0};
    rate_profile p;
    spit(fixture_path("net_prof.csv"), "\xEF\xBB\xBFrate_bps,note,time_s\n\"8e6\",\"start, slow\",0\n16e6,,1\n");
    CHECK_INT(rate_profile_read_csv(fixture_path("net_prof.csv"), &p, &err), 0);
    CHECK_INT(p.n, 2);
    CHECK_NEAR(p.t_s[1], 1.0, 1e-15);
    CHECK_NEAR(p.rate_Bps[0], 1e6, 1e-15);
    CHECK_NEAR(p.rate_Bps[1], 2e6, 1e-15);
    rate_profile_free(&p);
}

TEST(test_profile_csv_errors_name_file_and_line)
{
    ps_error err = {0};
    rate_profile p;
    spit(fixture_path("net_prof.csv"), "time,rate\n0,1\n");
    CHECK_INT(rate_profile_read_csv(fixture_path("net_prof.csv"), &p, &err), PS_ERR_INPUT);
    CHECK_STR_CONTAINS(err.msg, "net_prof.csv:1:1: unknown column 'time' (did you mean "
                                "'time_s'?); expected 'time_s,rate_bps'");
    spit(fixture_path("net_prof.csv"), "time_s,rate_bps\n0,1e6\n1;2\n");
    CHECK_INT(rate_profile_read_csv(fixture_path("net_prof.csv"), &p, &err), PS_ERR_INPUT);
    CHECK_STR_CONTAINS(err.msg, "net_prof.csv:3: expected");
    CHECK_STR_CONTAINS(err.msg, "1;2");
    spit(fixture_path("net_prof.csv"), "time_s,rate_bps\n0,1e6\n1,abc\n");
    CHECK_INT(rate_profile_read_csv(fixture_path("net_prof.csv"), &p, &err), PS_ERR_INPUT);
    CHECK_STR_CONTAINS(err.msg, "net_prof.csv:3:3: rate_bps: expected a rate in bit/s, got 'abc'");
    spit(fixture_path("net_prof.csv"), "time_s,rate_bps\n0,1e6\n2,1e6\n\n1,1e6\n");
    CHECK_INT(rate_profile_read_csv(fixture_path("net_prof.csv"), &p, &err), PS_ERR_INPUT);
    CHECK_STR_CONTAINS(err.msg, "net_prof.csv:5: time 1 s, expected later than 2 s");
    spit(fixture_path("net_prof.csv"), "time_s,rate_bps\n0,-5\n");
    CHECK_INT(rate_profile_read_csv(fixture_path("net_prof.csv"), &p, &err), PS_ERR_INPUT);
    CHECK_STR_CONTAINS(err.msg, "net_prof.csv:2: rate -5 bit/s");
    spit(fixture_path("net_prof.csv"), "time_s,rate_bps\n");
    CHECK_INT(rate_profile_read_csv(fixture_path("net_prof.csv"), &p, &err), PS_ERR_INPUT);
    CHECK_STR_CONTAINS(err.msg, "no points");
    CHECK_INT(rate_profile_read_csv(fixture_path("net_missing.csv"), &p, &err), PS_ERR_IO);
    CHECK_STR_CONTAINS(err.msg, "net_missing.csv");
}

TEST_MAIN(T(test_check_accepts_a_valid_topology), T(test_check_names_duplicate_nodes_and_links),
          T(test_check_names_dangling_and_self_links),
          T(test_check_names_bad_bandwidth_latency_speed),
          T(test_check_names_disconnected_host), T(test_add_rejects_long_names),
          T(test_write_puts_a_switch_and_its_leaf_hosts_in_one_cluster_zone),
          T(test_write_routes_links_between_zones_in_the_top_zone),
          T(test_write_refuses_bad_topology_and_leaves_old_file),
          T(test_profile_write_uses_simgrid_format), T(test_profile_csv_reads_bits_per_second),
          T(test_profile_csv_takes_quotes_column_order_notes_and_a_bom),
          T(test_profile_csv_errors_name_file_and_line))
