/* The second level of an exploration (AutoDiCE's two-level DSE, with the
 * discrete-event simulator in place of on-board measurement): chosen
 * designs are re-run with `partsim run`'s machinery, the scenario's cameras,
 * queues and contention included, and ranked again on what was simulated.
 *
 * SimGrid loads one platform per process (SIMGRID-NOTES.md), so each design
 * runs in a child process (fork; the parent never initialises SimGrid), up
 * to `jobs` at once.  A design is the scenario with its pipeline's `until`
 * (and, with platforms assigned, `node`) values set; stages an assigned
 * design leaves empty stay on its last platform with nothing to run.  No
 * trace is written.  A child ignores Ctrl-C and finishes its run (so it
 * leaves no temporary file); the parent starts no new one after it. */
#ifndef PARTSIM_SIM_EXPLORE_VALIDATE_H
#define PARTSIM_SIM_EXPLORE_VALIDATE_H

#include <signal.h>

#include "sim/explore.h"

/* What the simulation of one design gave (the pipeline's /summary row). */
typedef struct {
    bool ok;
    char error[256];           /* when !ok */
    int64_t frames, completed, dropped, deadline_missed;
    double throughput_fps, latency_p50_s, latency_p95_s, energy_per_frame_j;
    double wall_s;
} explore_sim;

typedef struct {
    const char *scenario_path;
    const char *const *sets;   /* the user's --set values, applied first */
    int n_sets;
    int jobs;                  /* processes at once; 0 = one per core */
    volatile sig_atomic_t *stop; /* nonzero: start no more (may be NULL) */
    /* called as each design finishes (progress), may be NULL */
    void (*done)(void *ctx, int finished, int total);
    void *ctx;
} explore_validate_options;

/* Simulate the n designs (with their cuts and assignments); out[i] for
 * points[i].  Returns nonzero only when no child could be started at all;
 * a design that fails is out[i].ok = false with its message. */
int explore_validate(const explore_problem *x, const explore_validate_options *o,
                     const explore_candidate *const *points, int n, explore_sim *out,
                     ps_error *err);

/* The --set values that make design c out of the scenario (at most
 * 2 * SCN_MAX_STAGES, each in its own `size`-byte slot of buf); returns
 * how many, or minus the stages it would need when the frame of an
 * assigned design visits more nodes (relays included) than the pipeline
 * has stages. */
int explore_validate_sets(const explore_problem *x, const explore_candidate *c, char *buf,
                          size_t size, const char **sets);

/* Scores for ranking, both the exploration's weighted sum (explore_score,
 * each objective relative to the best single platform's analytic value):
 * analytic[i] of the candidate, simulated[i] of the candidate with its
 * latency, throughput and energy replaced by the simulated p50 latency,
 * throughput and energy per frame (the other objectives are not measured
 * differently; NAN for a failed run).  Equal values give equal scores. */
void explore_validate_scores(const explore_problem *x, const explore_result *r,
                             const explore_candidate *const *points, const explore_sim *sims,
                             int n, double *analytic, double *simulated);

/* Kendall's tau-b between two score lists (NAN entries left out): 1 the
 * same order, -1 reversed. */
double explore_validate_kendall_tau(const double *a, const double *b, int n);

#endif
