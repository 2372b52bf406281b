/* A resolved network topology and its SimGrid platform.
 *
 * A net_topology is a plain graph: nodes (hosts that compute, switches that
 * only forward) and links between two nodes, each with a bandwidth in bytes
 * per second, a latency in seconds and a duplex mode.  It knows nothing of
 * link types (Ethernet, wireless, ...): the scenario layer resolves those into
 * bandwidth and latency, then builds this value, checks it and writes it as a
 * SimGrid 4.1 platform file that SimGrid loads (no C API builds a platform).
 *
 * SimGrid is a flow model: a transfer of B bytes over an idle path takes
 * sum(latency) + B / min(bandwidth), once the network model is configured by
 * net_sim_configure() (CM02, no cross-traffic, no TCP window bound).  Switches
 * are not store-and-forward in this model; a per-hop switch delay belongs in
 * the link latency.  See docs/NETWORK.md, section "SimGrid platform". */
#ifndef PARTSIM_NET_PLATFORM_H
#define PARTSIM_NET_PLATFORM_H

#include <stdbool.h>
#include <stdio.h>

#include "sim/error.h"

#define NET_NAME_MAX 64
#define NET_PATH_MAX 256

typedef struct {
    char name[NET_NAME_MAX];
    bool is_switch;     /* switches become SimGrid routers: no compute */
    double speed_flops; /* hosts only; SimGrid needs a positive speed */
} net_node;

typedef struct {
    char name[NET_NAME_MAX];
    int a, b;             /* node indices */
    double bandwidth_Bps; /* bytes per second */
    double latency_s;
    bool full_duplex;               /* SPLITDUPLEX (NAME_UP / NAME_DOWN) or SHARED */
    char bw_profile[NET_PATH_MAX];  /* optional bandwidth_file, relative to the XML */
} net_link;

typedef struct {
    int n_nodes, n_links;
    net_node *nodes;
    net_link *links;
    int cap_nodes, cap_links;
} net_topology;

/* --- Building a topology ------------------------------------------------- */

void net_topology_init(net_topology *t);
void net_topology_free(net_topology *t);

/* Append a node; returns its index (>= 0) or -1 with `err` filled (name too
 * long, out of memory).  Names are checked for uniqueness by
 * net_platform_check, so that a builder can report every problem at once. */
int net_topology_add_node(net_topology *t, const char *name, bool is_switch,
                          double speed_flops, ps_error *err);

/* Append a link between nodes a and b; returns its index or -1. */
int net_topology_add_link(net_topology *t, const char *name, int a, int b,
                          double bandwidth_Bps, double latency_s, bool full_duplex,
                          ps_error *err);

/* Index of the node or link with this name, or -1. */
int net_topology_find_node(const net_topology *t, const char *name);
int net_topology_find_link(const net_topology *t, const char *name);

/* --- Checking and writing ------------------------------------------------ */

/* Unique names (nodes and links share SimGrid's namespaces, and a full-duplex
 * link L also takes L_UP and L_DOWN), links between two distinct existing
 * nodes, positive bandwidth, non-negative latency, positive host speed, at
 * least one host, every host reachable from every other.  The message names
 * the offending node or link. */
int net_platform_check(const net_topology *t, ps_error *err);

/* Write a file so that a reader never sees half of it: `write(f, ctx)` fills
 * a temporary file in the same folder, which is then renamed to `path`
 * (mode 0644).  On any failure nothing is left behind and the message names
 * the path.  Used for platforms and bandwidth profiles. */
int net_file_write_atomic(const char *path, void (*write)(FILE *f, const void *ctx),
                          const void *ctx, ps_error *err);

/* Check `t`, then write it as a SimGrid 4.1 platform to `path` (through a
 * temporary file in the same folder, renamed at the end, so a reader never
 * sees half a file).  One zone with routing="DijkstraCache" (plain Dijkstra
 * searches again on every transfer); one route per link and direction, so
 * stars, chains and trees cost O(links), not O(hosts^2). */
int net_platform_write(const net_topology *t, const char *path, ps_error *err);

/* --- Running SimGrid ----------------------------------------------------- */

/* Silence SimGrid's configuration log lines, call simgrid_init (which eats
 * --cfg= and --log= arguments from argv) and configure the network model so
 * that one transfer on an idle path takes exactly latency + bytes/bandwidth:
 * network/model CM02 (latency and bandwidth factors 1, weight-S 0),
 * network/crosstraffic 0 (no 5 % reverse traffic), network/TCP-gamma 0 (no
 * window bound gamma / (2 latency)).  Call once per process, before loading. */
void net_sim_init(int *argc, char **argv);

/* Write `t` to `path` and load it into SimGrid.  SimGrid allows one platform
 * per process: a second call fails with PS_ERR_UNSUPPORTED.  SimGrid itself
 * aborts on a file it cannot parse; a checked topology always parses. */
int net_platform_load(const net_topology *t, const char *path, ps_error *err);

/* Set the bandwidth of link `name` (both directions of a full-duplex link)
 * while the simulation runs; flows in flight are re-shared at once. */
int net_link_set_bandwidth(const char *name, double bandwidth_Bps, ps_error *err);

#endif
