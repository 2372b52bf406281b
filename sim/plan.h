/* The analytic side of a scenario: what every stage and transfer costs, from
 * the same cost functions `partsim accel` and `partsim link` use.
 *
 *  - per accelerator: the cost of every schedule position (accel_network_cost
 *    at the scenario's bit width, batch 1; the layers of the accelerator's
 *    `batch:` range at its batch N, accel_opts.batch = N) and prefix sums of
 *    the per-frame costs, so that a stage running positions [a, b) costs
 *    latency[b] - latency[a] per frame;
 *  - per cut position: the bytes of the cut-set after compression (NeuPart
 *    eq. (25) per tensor with its sparsity; the raw network input is never
 *    RLC coded);
 *  - per pair of endpoints that exchanges frames: the route (fewest hops)
 *    through the scenario's links, found when first asked for and kept in an
 *    index of the pairs used, so memory grows with the transfers' pairs, not
 *    with the square of the endpoints.  Only switches forward, so a route is
 *    the sender's link to a switch, a path between switches, and the link
 *    from a switch to the receiver (or one direct link): one breadth-first
 *    search per source switch over the switches alone, kept, gives every
 *    path between switches.
 * The simulation (sim/pipeline.h) runs in time what this plan prices. */
#ifndef PARTSIM_SIM_PLAN_H
#define PARTSIM_SIM_PLAN_H

#include "accel/accel.h"
#include "platforms/scenario.h"
#include "base/error.h"
#include "base/strmap.h"

/* Batching (docs/SIMULATION.md, "Batching"): a stage whose positions meet the
 * accelerator's batched range collects `batch` frames and runs them together.
 * The prefix sums are per frame: a batched layer's time and energy are its
 * cost at batch N divided by N (its weights are read once per batch). */
typedef struct {
    int n;                 /* M + 1 prefix entries */
    double *latency_s;     /* prefix sums over schedule positions, per frame */
    double *energy_j;      /* dynamic energy (everything but static), per frame */
    double *static_j;      /* the accelerator's static part (static_power x latency) */
    accel_network net;     /* per-layer results, per frame (for the /layers table) */
    const scn_accel *spec; /* the scenario's accelerator: its batch and batched range */
} plan_accel;

typedef struct {
    int n_links;           /* hops */
    int *links;            /* scenario link indices, in order from source to destination */
    int *dirs;             /* +1 when the hop goes from link.a to link.b, -1 otherwise */
    char key[24];          /* "from:to", its key in the plan's route index */
} plan_route;

typedef struct {
    const scenario *s;
    int M;                 /* schedule positions */
    plan_accel *accels;    /* one per scenario accelerator */
    double ***cut_bytes;   /* [pipeline][bits][position 0..M], filled on demand */
    int n_endpoints;
    int *adj_first;        /* [endpoint .. endpoint + 1): its links in adj_link */
    int *adj_link;
    int **sw_prev;         /* [source switch]: per switch, the link it was reached by
                              (-1: the source, -2: unreachable); NULL until needed */
    int **sw_dist;         /* [source switch]: hops to each switch */
    plan_route **routes;   /* the routes found so far */
    int n_routes, cap_routes;
    strmap route_index;    /* "from:to" -> index in routes */
    plan_route self_route; /* from an endpoint to itself: no hop */
} plan;

int plan_build(const scenario *s, plan *p, ps_error *err);
void plan_free(plan *p);

/* Bit width node `node` computes and sends at: the scenario's, else its
 * accelerator's (Kreß 2024: a bit width per platform). */
int plan_node_bits(const plan *p, int node);

/* Bytes of the cut-set at position `pos` of pipeline `pipeline` when node
 * `sender` sends it (at its bit width, after the pipeline's compression). */
double plan_cut_bytes(plan *p, int pipeline, int pos, int sender);

/* Cost of running positions [a, b) on node `node`'s accelerator, per frame
 * (at the accelerator's batch over its batched layers). */
double plan_stage_latency(const plan *p, int node, int a, int b);
double plan_stage_energy(const plan *p, int node, int a, int b);

/* What a stage running positions [a, b) on accelerator pa costs a frame:
 *   *batch_out  frames it runs together: the accelerator's batch N when [a, b)
 *               meets the batched range, else 1;
 *   *period_s   its per-frame busy time, sum of the per-frame latencies (what
 *               limits throughput: Kreß 2024 Def. 4's d);
 *   *latency_s  what a frame spends there: its batch computed together,
 *               N x period, plus, at a finite frame rate (fps > 0; 0 for
 *               fps: max), the mean wait for the batch to fill, (N - 1) /
 *               (2 fps) (the simulator measures the real wait);
 *   *energy_j   dynamic + static energy per frame.
 * With batch 1: latency = period = latency[b] - latency[a]. */
static inline void plan_stage_price(const plan_accel *pa, int a, int b, double fps,
                                    int64_t *batch_out, double *latency_s, double *period_s,
                                    double *energy_j)
{
    /* inline: explore prices millions of stages (bench/bench_explore) */
    double d = pa->latency_s[b] - pa->latency_s[a];
    int64_t n = scenario_accel_batch(pa->spec, a, b);
    *batch_out = n;
    *period_s = d;
    *latency_s = n == 1 ? d : (double)n * d + (fps > 0 ? (double)(n - 1) / (2.0 * fps) : 0.0);
    *energy_j = pa->energy_j[b] - pa->energy_j[a] + pa->static_j[b] - pa->static_j[a];
}

/* The route between two endpoints (node or switch indices); NULL with err
 * when they are not connected. */
const plan_route *plan_route_get(plan *p, int from, int to, ps_error *err);

/* Payload bytes -> bytes on the wire of the route's first link (framing of
 * the sending end), and the analytic transfer time over the idle route:
 * wire bytes / bottleneck rate + every hop's latency and wire delay. */
double plan_wire_bytes(const plan *p, const plan_route *r, double payload_bytes);
double plan_transfer_time(const plan *p, const plan_route *r, double payload_bytes);
/* Store-and-forward delay of a route: at every switch the last frame has to
 * be received whole before it leaves, one full frame at the egress link's
 * rate per switch (SimGrid's flow model is cut-through; the receiver adds
 * this). */
double plan_saf_delay(const plan *p, const plan_route *r);

#endif
