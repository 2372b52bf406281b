/* A resolved network topology and its SimGrid platform.
 *
 * A topology is a plain graph: nodes (hosts that compute, switches that
 * only forward) and links between two nodes, each with a bandwidth in bytes
 * per second, a latency in seconds and a duplex mode.  It knows nothing of
 * link types (Ethernet, wireless, ...): the scenario layer resolves those into
 * bandwidth and latency, then builds this value, checks it and writes it as a
 * SimGrid 4.1 platform file that SimGrid loads (no C API builds a platform).
 *
 * SimGrid is a flow model: a transfer of B bytes over an idle path takes
 * sum(latency) + B / min(bandwidth), once the network model is configured by
 * engine_init() (CM02, no cross-traffic, no TCP window bound).  Switches
 * are not store-and-forward in this model; a per-hop switch delay belongs in
 * the link latency.  See docs/NETWORK.md, section "SimGrid platform". */
#ifndef PARTSIM_NET_TOPOLOGY_H
#define PARTSIM_NET_TOPOLOGY_H

#include <stdbool.h>
#include <stdio.h>

#include "base/error.h"

#define TOPOLOGY_NAME_MAX 64
#define TOPOLOGY_PATH_MAX 256

typedef struct {
    char name[TOPOLOGY_NAME_MAX];
    bool is_switch;     /* switches become SimGrid routers: no compute */
    double speed_flops; /* hosts only; SimGrid needs a positive speed */
} topology_node;

typedef struct {
    char name[TOPOLOGY_NAME_MAX];
    int a, b;             /* node indices */
    double bandwidth_Bps; /* bytes per second */
    double latency_s;
    bool full_duplex;               /* SPLITDUPLEX (NAME_UP / NAME_DOWN) or SHARED */
    char bw_profile[TOPOLOGY_PATH_MAX];  /* optional bandwidth_file, relative to the XML */
} topology_link;

typedef struct {
    int n_nodes, n_links;
    topology_node *nodes;
    topology_link *links;
    int cap_nodes, cap_links;
} topology;

/* --- Building a topology ------------------------------------------------- */

void topology_init(topology *t);
void topology_free(topology *t);

/* Append a node; returns its index (>= 0) or -1 with `err` filled (name too
 * long, out of memory).  Names are checked for uniqueness by
 * topology_check, so that a builder can report every problem at once. */
int topology_add_node(topology *t, const char *name, bool is_switch,
                          double speed_flops, ps_error *err);

/* Append a link between nodes a and b; returns its index or -1. */
int topology_add_link(topology *t, const char *name, int a, int b,
                          double bandwidth_Bps, double latency_s, bool full_duplex,
                          ps_error *err);

/* Index of the node or link with this name, or -1. */
int topology_find_node(const topology *t, const char *name);
int topology_find_link(const topology *t, const char *name);

/* --- Checking and writing ------------------------------------------------ */

/* Unique names (nodes and links share SimGrid's namespaces, and a full-duplex
 * link L also takes L_UP and L_DOWN), links between two distinct existing
 * nodes, positive bandwidth, non-negative latency, positive host speed, at
 * least one host, every host reachable from every other.  The message names
 * the offending node or link. */
int topology_check(const topology *t, ps_error *err);

/* Check `t`, then write it as a SimGrid 4.1 platform to `path` (through a
 * temporary file in the same folder, renamed at the end, so a reader never
 * sees half a file).  Hierarchical netzones: a Cluster zone per switch with
 * the hosts that hang only on it, a zone per other host or switch, and the
 * links between zones routed in a DijkstraCache top zone; a route is found
 * in constant time inside a switch's zone, and the search runs over zones
 * only (docs/NETWORK.md, "Routing"). */
int topology_write_platform(const topology *t, const char *path, ps_error *err);

#endif
