/* Analytic exploration of a pipeline's partition points (docs/EXPLORE.md).
 *
 * A pipeline's stages form a chain of platforms (the first member of each
 * stage's node group; camera 0 of the pipeline is the source).  A candidate
 * places the S - 1 cut points 0 <= c_0 <= ... <= c_{S-2} <= M: stage k runs
 * schedule positions [c_{k-1}, c_k) (c_{-1} = 0, c_{S-1} = M).  A stage with
 * no positions is skipped: the previous platform sends straight to the next
 * one that runs something, so "everything on platform k" is the candidate
 * with c_j = 0 for j < k and M for j >= k, and the baselines are candidates.
 *
 * Every price comes from the plan (sim/plan.h), the functions the simulator
 * prices stages and transfers with; a candidate costs a few table look-ups
 * (no SimGrid, no allocation):
 *   latency     sum of the stage latencies and transfer times (transfer time:
 *               wire bytes / bottleneck rate + hop latencies + store and
 *               forward, plan_transfer_time)
 *   throughput  Kreß 2024 Def. 4: 1 / max(d_stage, d_link) over the chain
 *               (the asynchronous pipeline)
 *   energy      stage energies (dynamic + static over the stage's latency) +
 *               the PHY's active energy of every hop of every transfer
 *   sensor      what the camera node spends: its stages and its PHY's sends
 *               (the first hop of its transfers; NeuPart's and CNNParted's
 *               objective)
 *   memory      the largest platform's, by Kreß 2024 Def. 3, AutoDiCE's
 *               model or the peak live memory (workloads/memory.h)
 *   link bytes  payload bytes sent per frame (after the pipeline's
 *               compression), over every transfer
 *   accuracy    the smallest over the candidate's cut points of a per-position
 *               table the caller gives (partsim does not train); NAN where
 *               the table says nothing
 */
#ifndef PARTSIM_SIM_EXPLORE_H
#define PARTSIM_SIM_EXPLORE_H

#include <stdbool.h>
#include <stdint.h>

#include "base/error.h"
#include "platforms/scenario.h"
#include "sim/plan.h"

/* Objectives, all minimised (throughput as its period, accuracy as its loss). */
typedef enum {
    EXPLORE_LATENCY,
    EXPLORE_THROUGHPUT,
    EXPLORE_ENERGY,
    EXPLORE_SENSOR_ENERGY,
    EXPLORE_MEMORY,
    EXPLORE_LINK_BYTES,
    EXPLORE_ACCURACY,
    EXPLORE_N_OBJECTIVES
} explore_objective;

/* "latency", "throughput", ...: the names the command line takes. */
const char *explore_objective_name(explore_objective o);
int explore_objective_parse(const char *name);

/* Nodes a platform assignment chooses among. */
#define EXPLORE_MAX_PLATFORMS 16

typedef enum { EXPLORE_MEM_KRESS, EXPLORE_MEM_AUTODICE, EXPLORE_MEM_PEAK } explore_memory_model;
const char *explore_memory_model_name(explore_memory_model m);

/* Constraints (Kreß 2024 Fig. 1: filtering comes first).  0 = none. */
typedef enum {
    EXPLORE_C_MEMORY,      /* a platform's memory over its bound */
    EXPLORE_C_LINK,        /* a transfer's bits per second at the frame rate over its
                              route's bottleneck rate */
    EXPLORE_C_LATENCY,
    EXPLORE_C_ENERGY,
    EXPLORE_N_CONSTRAINTS
} explore_constraint;
const char *explore_constraint_name(explore_constraint c);

typedef struct {
    int pipeline;
    bool single_tensor_only;      /* positions: single-tensor cuts (and 0, M) only */
    explore_memory_model memory;
    unsigned objectives;          /* bit set of 1u << explore_objective */
    double weights[EXPLORE_N_OBJECTIVES]; /* weighted sum (Kreß 2024 Def. 2) */
    /* Platform assignment: n_platforms > 0 searches which of these nodes
     * runs which stage (each at most one stage); 0 = the pipeline's chain. */
    int platforms[EXPLORE_MAX_PLATFORMS], n_platforms;
    double max_memory_bytes[EXPLORE_MAX_PLATFORMS]; /* per platform slot (along the
                                                       chain: per stage); 0 = none */
    bool link_capacity;           /* check EXPLORE_C_LINK (needs the pipeline's fps) */
    double max_latency_s, max_energy_j;
    const double *accuracy;       /* per position 0..M, NAN where unknown; NULL = none */
} explore_options;

/* One evaluated design: its totals, then (when `detail`) per stage and per
 * transfer.  The search fills the totals only (the detail costs more to
 * copy than the totals cost to compute); explore_evaluate fills both. */
typedef struct {
    int64_t index;                /* in enumeration order */
    int cuts[SCN_MAX_STAGES];     /* c_0 .. c_{S-2}; cuts[S-1] = M */
    double latency_s, period_s, energy_j, sensor_energy_j, link_bytes, memory_bytes;
    double accuracy;              /* NAN without an accuracy table */
    unsigned violated;            /* bit set of 1u << explore_constraint */
    int assign;                   /* the platform assignment (0 along the chain) */
    bool detail;                  /* the arrays below are filled */
    double stage_latency_s[SCN_MAX_STAGES], stage_energy_j[SCN_MAX_STAGES];
    double stage_memory_bytes[SCN_MAX_STAGES];
    /* transfer into stage k (k = S: the result back to the camera): 0 when none */
    double t_bytes[SCN_MAX_STAGES + 1], t_time_s[SCN_MAX_STAGES + 1];
    double t_energy_j[SCN_MAX_STAGES + 1], t_bps[SCN_MAX_STAGES + 1];
} explore_candidate;

/* The precomputed problem: per stage the accelerator's prefix sums, per
 * pair of chain endpoints and position the transfer's prices. */
typedef struct explore_problem explore_problem;

int explore_problem_build(const scenario *s, plan *p, const explore_options *o,
                          explore_problem **out, ps_error *err);
void explore_problem_free(explore_problem *x);

int explore_stages(const explore_problem *x);
const explore_options *explore_problem_options(const explore_problem *x);
const scenario *explore_problem_scenario(const explore_problem *x);
/* Platform slots: along the chain the stages (slot k = stage k, the node of
 * camera 0's member of its group), assigned the nodes of o.platforms. */
int explore_platforms(const explore_problem *x);
int explore_platform_node(const explore_problem *x, int j);
/* The node running stage k of c, -1 when the stage runs nothing. */
int explore_candidate_node(const explore_problem *x, const explore_candidate *c, int k);
/* Assignments searched: 1 along the chain; assigned, every ordered choice of
 * L = 1 .. S distinct platforms (stage k < L on the k-th; the stages from L
 * on run nothing; every used platform runs something, so each design is
 * met once). */
int explore_assignments(const explore_problem *x);
/* The admissible positions, ascending (0 and M always among them). */
int explore_positions(const explore_problem *x, const int **pos);
/* Candidates the exact enumeration visits: along the chain C(P + S - 2, S - 1)
 * (non-decreasing cuts over P positions); assigned, over every assignment of
 * L platforms, C(P - 2, L - 1) (increasing cuts over the inner positions). */
double explore_space_size(const explore_problem *x);
/* Spaces up to this many candidates are enumerated by the automatic choice
 * of search (explore --search auto, sweep --explore), larger ones searched
 * with NSGA-II: about 10 s at ~100 ns a candidate. */
#define EXPLORE_AUTO_EXACT_MAX 1e8

/* The index explore_each gives the candidate of assignment `assign` with cut
 * points cuts[0 .. S-2] (assignments in order, then lexicographic in the
 * cuts); -1 when it is not one the enumeration visits. */
int64_t explore_rank(const explore_problem *x, int assign, const int *cuts);

/* The candidate the exact search meets for "stage k on platform slot
 * slots[k] (ignored along the chain), cut points cuts[0 .. S-2]
 * (non-decreasing)": its assignment and its cuts (out[0 .. S-2]); the
 * stages that run nothing drop out.  -1 when two stages that run
 * something share a slot, or the design is not in the space. */
int explore_canonical(const explore_problem *x, const int *slots, const int *cuts, int *assign,
                      int *out);

/* Evaluate the candidate of assignment `assign` (0 along the chain) with cut
 * points cuts[0 .. S-2], detail included. */
void explore_evaluate(const explore_problem *x, int assign, const int *cuts,
                      explore_candidate *c);

/* The nodes a frame of c visits after the camera, in order, each with the
 * positions [first, end) it runs there: the stages that run something and,
 * before one, the nodes relaying the transfer into it where no route joins
 * the two (first = end: they run nothing).  Returns how many (may exceed
 * max; only max are written).  With platforms assigned, this is the stage
 * list that reproduces c in the simulator. */
typedef struct {
    int node, first, end;
} explore_hop;
int explore_candidate_route(const explore_problem *x, const explore_candidate *c,
                            explore_hop *hops, int max);

/* Objective vector of c under the problem's objectives (minimised). */
double explore_objective_value(const explore_candidate *c, explore_objective o);
/* a dominates b: no worse in every chosen objective, better in one. */
bool explore_dominates(const explore_problem *x, const explore_candidate *a,
                       const explore_candidate *b);

/* Exact search: every candidate in enumeration order (lexicographic in the
 * cut points).  `visit` (may be NULL) sees each; returning nonzero stops the
 * search (interrupt).  The front, the baselines and the counts are kept. */
typedef int (*explore_visit_fn)(void *ctx, const explore_candidate *c);

typedef struct {
    int64_t evaluated, feasible;
    int64_t removed[EXPLORE_N_CONSTRAINTS]; /* candidates each constraint removes (one
                                              candidate may count under several) */
    explore_candidate *front;     /* non-dominated feasible candidates, by index */
    int n_front, cap_front;
    /* baselines: everything on platform slot j (explore_platforms of them) */
    explore_candidate *single;
    int best_single[EXPLORE_N_OBJECTIVES]; /* the single platform best in each objective */
    int pick;                     /* the weighted-sum choice among the front, -1: none */
    bool interrupted;
} explore_result;

int explore_exact(const explore_problem *x, explore_visit_fn visit, void *ctx,
                  explore_result *r, ps_error *err);

/* Building a result from any search (explore_exact is these three around
 * explore_each): init evaluates the baselines; offer counts c (evaluated,
 * feasible, removed per constraint) and, when feasible, offers it to the
 * front (a design already there is kept once; -1: out of memory); finish
 * sorts the front by index, evaluates its detail and makes the pick. */
int explore_result_init(const explore_problem *x, explore_result *r, ps_error *err);
int explore_result_offer(const explore_problem *x, explore_result *r, const explore_candidate *c);
void explore_result_finish(const explore_problem *x, explore_result *r);
/* Every candidate in enumeration order, evaluated (totals only: detail
 * false), to `visit` (no front kept); returns what a visit returned to stop
 * it, else 0. */
int explore_each(const explore_problem *x, explore_visit_fn visit, void *ctx);
/* The weighted sum of c (Kreß 2024 Def. 2, each objective relative to the
 * best single platform's value in it); the pick minimises it. */
double explore_score(const explore_problem *x, const explore_result *r,
                     const explore_candidate *c);
void explore_result_free(explore_result *r);

/* Gain of c over baseline b in objective o, in percent (positive = better):
 * a smaller latency / energy / memory / bytes, a higher throughput / accuracy. */
double explore_gain_pct(const explore_candidate *c, const explore_candidate *b,
                        explore_objective o);

#endif
