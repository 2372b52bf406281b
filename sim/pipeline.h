/* The discrete-event run of a scenario in SimGrid: cameras emit frames,
 * stages take them from bounded queues, hold their node's accelerator for
 * the stage's time, and send the cut-set over the generated route to the
 * next stage (docs/SIMULATION.md).  What happens to every frame is reported
 * through a callback as the frame finishes, so memory stays flat however
 * long the run; the totals come back in a pipeline_result.
 *
 * SimGrid allows one platform per process: call pipeline_run once per process. */
#ifndef PARTSIM_SIM_PIPELINE_H
#define PARTSIM_SIM_PIPELINE_H

#include <stdbool.h>
#include <stdint.h>

#include "platforms/scenario.h"
#include "base/error.h"
#include "sim/plan.h"
#include "sim/stats.h"

#define PIPELINE_MAX_TRANSFERS (SCN_MAX_STAGES + 1)

/* One frame of one pipeline, as it ended (completed or dropped).  Stage k
 * ran positions [k ? cut[k-1] : 0, cut[k]) on node[k]; transfer 0 carries the
 * image from the camera to stage 0 (0 bytes when stage 0 runs on the camera
 * node), transfer k (1..n-1) stage k-1's cut-set to stage k, and transfer n,
 * when the pipeline returns a result, the result to the camera.  Times are
 * NaN for what did not happen.  The per-stage arrays hold n_stages entries,
 * the per-transfer arrays n_transfers (they are sized to the pipeline: a
 * frame waiting in a queue costs its own stages, not SCN_MAX_STAGES). */
typedef struct {
    int pipeline, source;       /* source = the camera's node index */
    int64_t frame;              /* per camera, from 0 */
    double capture_s;
    double done_s;              /* completion time (result received, or last stage end) */
    double latency_s;           /* done - capture; NaN when dropped */
    int n_stages, n_transfers;
    int drop_stage;             /* queue of the stage it was dropped at (or, with drop_nic,
                                   was being sent to), -1 */
    bool dropped;
    bool drop_nic;              /* dropped from a full NIC send queue, not a stage queue */
    bool deadline_met;
    int *node, *cut;            /* per stage */
    double *queue_in_s, *start_s, *end_s, *stage_energy_j;
    double *t_start_s, *t_end_s, *t_wire_bytes, *t_energy_j; /* per transfer */
} pipeline_frame;

typedef struct {
    double busy_s, energy_dynamic_j, energy_static_j;
    int64_t frames;             /* stage runs */
} pipeline_node_total;

typedef struct {
    double busy_s;              /* full duplex: the busier direction; shared: both */
    double busy_dir_s[2];       /* from the link's end a to b, and from b to a */
    double bytes, energy_active_j, energy_idle_j, energy_lpi_j;
    int64_t transfers;
    double last_end_s;          /* private: end of the last burst, either direction */
    double last_end_dir_s[2];   /* private: per direction */
} pipeline_link_total;

typedef struct {
    int64_t emitted, completed, dropped, deadline_missed;
    int64_t dropped_nic;        /* of dropped: from full NIC send queues */
    stats_hist latency;
    double energy_j;            /* sum of per-frame energies */
    double first_done_s, last_done_s; /* first and last completion */
    double *node_energy_j;      /* per node: this pipeline's stage energies there */
    double *link_energy_j;      /* per link: this pipeline's transfer energies on it */
} pipeline_total;

typedef struct {
    double end_s;               /* simulated time at the end */
    pipeline_node_total *nodes;      /* per scenario node */
    pipeline_link_total *links;      /* per scenario link */
    pipeline_total *pipelines;
    int64_t events;             /* activities simulated (stages + transfers) */
} pipeline_result;

typedef void (*pipeline_frame_fn)(void *ctx, const pipeline_frame *f);

/* One activity: a stage run on a node's accelerator or a transfer. */
typedef struct {
    double start_s, end_s;
    int node;                   /* the node running the stage / sending */
    int link;                   /* the transfer's first link, -1 for a stage */
    bool transfer;
    int dest;                   /* a transfer's receiving node, -1 for a stage */
    int pipeline, source;       /* source = the frame's camera node */
    int64_t frame;
    int cut;                    /* the frame's first cut (pipeline_frame.cut[0]; -1 before
                                   stage 0 has ended) */
    int first, end;             /* a stage's schedule positions [first, end) */
    double queue_in_s;          /* when the frame entered the stage's queue / the NIC's
                                   send queue */
    double bytes, energy_j;
} pipeline_event;

typedef void (*pipeline_event_fn)(void *ctx, const pipeline_event *e);

typedef struct {
    const char *platform_path;  /* where to write the SimGrid XML */
    pipeline_frame_fn on_frame;      /* may be NULL */
    pipeline_event_fn on_event;      /* may be NULL: every stage run and transfer */
    void *ctx;
    bool progress;              /* print progress on stderr */
} pipeline_options;

/* Run the scenario.  `argc/argv` go to simgrid_init (it eats --cfg=...).
 * Errors: a topology or route problem, a deadlock (frames that never
 * finished), anything SimGrid refuses. */
int pipeline_run(const scenario *s, plan *p, const pipeline_options *o, int *argc, char **argv,
            pipeline_result *r, ps_error *err);
void pipeline_result_free(pipeline_result *r, const scenario *s);

#endif
