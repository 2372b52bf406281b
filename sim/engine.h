/* The SimGrid engine of one process: start-up and network-model
 * configuration, loading the platform partsim generated (net/topology.h), and
 * changing a link's bandwidth while the simulation runs.  The only code
 * besides the pipeline actors (sim/pipeline.c) that calls SimGrid. */
#ifndef PARTSIM_SIM_ENGINE_H
#define PARTSIM_SIM_ENGINE_H

#include "base/error.h"
#include "net/topology.h"

/* Silence SimGrid's configuration log lines, call simgrid_init (which eats
 * --cfg= and --log= arguments from argv) and configure the network model so
 * that one transfer on an idle path takes exactly latency + bytes/bandwidth:
 * network/model CM02 (latency and bandwidth factors 1, weight-S 0),
 * network/crosstraffic 0 (no 5 % reverse traffic), network/TCP-gamma 0 (no
 * window bound gamma / (2 latency)).  Call once per process, before loading. */
void engine_init(int *argc, char **argv);

/* Write `t` to `path` and load it into SimGrid.  SimGrid allows one platform
 * per process: a second call fails with PS_ERR_UNSUPPORTED.  SimGrid itself
 * aborts on a file it cannot parse; a checked topology always parses. */
int engine_load_platform(const topology *t, const char *path, ps_error *err);

/* Set the bandwidth of link `name` (both directions of a full-duplex link)
 * while the simulation runs; flows in flight are re-shared at once. */
int engine_set_link_bandwidth(const char *name, double bandwidth_Bps, ps_error *err);

#endif
