/* A sweep: the scenario simulated at every point of a sweep_spec
 * (sim/sweep_spec.h), each point in its own child process (SimGrid loads one
 * platform per process; sim/pool.h), up to `jobs` at once.  A point is the
 * scenario with the user's --set values, then KEY=VALUE for every axis, then
 * (with several seeds) seed=<the scenario's seed + the seed index>.  No
 * trace is written per point; what a point gives is its run summary
 * (sim/run.h), its busiest node and link, and the energy per frame of each
 * node group.  Results reach the caller in point order, whatever order the
 * processes finish in, so a sweep gives the same rows at any -j. */
#ifndef PARTSIM_SIM_SWEEP_H
#define PARTSIM_SIM_SWEEP_H

#include <signal.h>
#include <stdbool.h>
#include <stdint.h>

#include "base/error.h"
#include "platforms/scenario.h"
#include "sim/explore.h"
#include "sim/explore_tables.h"
#include "sim/sweep_spec.h"

#define SWEEP_MAX_AXES 64       /* --vary options */
#define SWEEP_SET_MAX 1024      /* a point's KEY=VALUE text, NUL included */
#define SWEEP_MAX_PIPELINES 8
#define SWEEP_MAX_ENERGY 32     /* energy entries (node groups, then the network) per pipeline */

typedef struct {
    char resource[SCN_NAME];    /* a node group ("cam"), or "network" for every link */
    bool link;
    double energy_per_frame_j;  /* what one completed frame cost there (drops' work included) */
} sweep_energy;

typedef struct {
    char name[SCN_NAME];
    int64_t frames, completed, dropped, deadline_missed;
    double throughput_fps, latency_p50_s, latency_p95_s, latency_p99_s, latency_max_s;
    double energy_per_frame_j;
    int n_energy;
    sweep_energy energy[SWEEP_MAX_ENERGY];
} sweep_pipeline;

/* --explore: what the exploration of a point's scenario chose (the
 * weighted-sum pick, docs/EXPLORE.md). */
typedef struct {
    char search[8];             /* "exact" or "nsga2" */
    int64_t evaluated, feasible;
    int n_front;
    bool has_pick;              /* false: no feasible design */
    explore_row_text text;      /* the pick's cuts, cut_layers, platforms */
    double latency_s, throughput_fps, energy_j, sensor_energy_j, link_bytes, memory_bytes;
} sweep_explore;

/* What one point gave. */
typedef struct {
    int64_t point;
    int64_t seed;               /* the seed it ran with */
    bool ok;
    bool retry;                 /* !ok because the point's process died or could not start
                                   (not the point's fault: --resume runs it again) */
    char error[512];            /* when !ok: why (an impossible value, a failed run) */
    char busiest_node[SCN_NAME], busiest_link[SCN_NAME]; /* "" when none */
    double busiest_node_utilization, busiest_link_utilization;
    int64_t events;             /* activities simulated */
    double simulated_s, wall_s;
    sweep_explore explore;      /* --explore (then no pipelines) */
    int n_pipelines;            /* the first SWEEP_MAX_PIPELINES pipelines are reported */
    sweep_pipeline pipelines[SWEEP_MAX_PIPELINES]; /* last: a journal record stops early */
} sweep_result;

typedef struct {
    const char *scenario_path;
    const char *const *sets;    /* the user's --set values, applied to every point first */
    int n_sets;
    const sweep_spec *spec;
    int64_t base_seed;          /* the scenario's seed */
    int jobs;                   /* processes at once; 0 = one per core */
    /* --explore: explore each point with these options instead of
     * simulating it (NULL: simulate) */
    const explore_options *explore;
    /* --keep-runs: each point's trace into this folder (NULL: none) */
    const char *runs_dir;
    volatile sig_atomic_t *stop; /* nonzero: start no more points (may be NULL) */
    /* the points to run, ascending (a resumed sweep's rest); NULL: all */
    const int64_t *todo;
    int64_t n_todo;
    /* called at least every 20 ms while points run (may be NULL): an MPI
     * rank's other work */
    void (*idle)(void *ctx);
    void *idle_ctx;
    /* each point's result, in point order (may be NULL) */
    int (*point_done)(void *ctx, const sweep_result *r);
    void *ctx;
} sweep_options;

/* Run every point, or those of o->todo (a spec of more than SWEEP_MAX_AXES
 * axes is refused).  *done counts the points reported (fewer than asked
 * when stopped).  A failing point is reported with ok = false and the sweep
 * goes on; nonzero only when no point could start, memory ran out, or
 * point_done returned nonzero (its error in err). */
int sweep_run(const sweep_options *o, int64_t *done, ps_error *err);

/* Where --keep-runs puts point p's trace: <runs_dir>/point-<p>.h5. */
void sweep_run_trace_path(const char *runs_dir, int64_t p, char *out, size_t size);

/* The --set texts of point p, after the user's: one per axis, then the
 * seed's when the spec has several seeds; each in its own `size`-byte slot
 * of buf, pointers in sets[] (room for n_axes + 1).  Returns how many. */
int sweep_point_sets(const sweep_options *o, int64_t p, char *buf, size_t size,
                     const char **sets);

#endif
