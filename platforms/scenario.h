/* A scenario: everything one simulation run needs, loaded from one YAML file
 * (docs/SCENARIOS.md) and validated before anything runs.  Every error names
 * file:line:column and what was expected; unknown keys are errors with a
 * "did you mean".  `--set key=value` overrides are applied to the YAML tree
 * before it is read (scenario_load's `sets`).
 *
 * Node groups are expanded: `{name: cam, count: 8}` gives nodes cam0..cam7
 * of group "cam"; a link `from: cam*` gives one link per member. */
#ifndef PARTSIM_PLATFORMS_SCENARIO_H
#define PARTSIM_PLATFORMS_SCENARIO_H

#include <stdbool.h>
#include <stdint.h>

#include "accel/arch.h"
#include "accel/measured.h"
#include "workloads/compress.h"
#include "net/link.h"
#include "base/error.h"
#include "workloads/cuts.h"
#include "workloads/graph.h"
#include "workloads/sparsity.h"

#define SCN_NAME 64
#define SCN_MAX_STAGES 8

typedef enum { QUEUE_BLOCK, QUEUE_DROP_OLDEST, QUEUE_DROP_NEWEST } queue_policy;
typedef enum { FIDELITY_LAYER, FIDELITY_TILE } scn_fidelity;
/* How a stage boundary is chosen: fixed, or per frame at run time. */
typedef enum { CUT_FIXED, CUT_AUTO_ENERGY, CUT_AUTO_LATENCY } cut_policy;

/* Which member of a stage's node group takes a frame. */
typedef enum {
    DISPATCH_STATIC,       /* camera i -> member i mod group size (the default) */
    DISPATCH_ROUND_ROBIN,  /* members in turn, over all of the pipeline's frames */
    DISPATCH_LEAST_LOADED  /* the member with the fewest frames queued, on their way or
                              running; ties to the lowest index */
} scn_dispatch;

/* Batching (`batch:` on an accelerator): the layers at schedule positions
 * [batch_first, batch_end) run `batch` frames together (accel_opts.batch), the
 * others one frame at a time.  batch 1 (the default) is the streaming camera. */
#define SCN_BATCH_MAX 4096

typedef struct {
    char name[SCN_NAME];
    accel_arch arch;
    measured_binding *measured; /* ARCH_MEASURED: its profile bound to the model, owned */
    int64_t batch;              /* frames run together over the batched layers (>= 1) */
    int batch_first, batch_end; /* the batched schedule positions [first, end) */
} scn_accel;

/* Default bound of a NIC's send queue: generous enough that a link which
 * keeps up never drops, small enough that a link which does not keeps the
 * run's memory bounded. */
#define SCN_SEND_DEPTH 64

typedef struct {
    char name[SCN_NAME];   /* cam3 */
    char group[SCN_NAME];  /* cam */
    int member;            /* 3 (0 for a single node) */
    int accel;             /* index into accels */
    double static_power_w; /* the node's power outside its accelerator */
    int send_depth;        /* transfers its NIC holds waiting to be sent */
    queue_policy send_policy;
} scn_node;

typedef struct {
    char name[SCN_NAME];
    int a, b;              /* endpoints: node index, or n_nodes + switch index */
    link_type type;
    link_opts opts;        /* framing, length, IP/UDP, EEE */
    char profile[1024];    /* rate profile CSV (time_s,rate_bps), "" for none */
    bool profile_loop;
} scn_link;

typedef struct {
    int node_group_first;  /* nodes of the group the stage runs on */
    int node_group_size;
    char group[SCN_NAME];
    cut_policy policy;
    int end;               /* schedule position the stage ends at (exclusive): it runs
                              [previous end, end); the last stage ends at M */
    int auto_first, auto_last; /* CUT_AUTO_*: the positions the policy may choose among */
    bool rate_recent;      /* CUT_AUTO_*: the bit rate from recent transfers (else the
                              link's current rate, which follows its profile) */
    scn_dispatch dispatch;
} scn_stage;

/* When a pipeline's cameras capture within one frame period. */
typedef enum {
    PHASE_ALIGNED, /* all at start + k / fps (synchronised cameras; the default) */
    PHASE_RANDOM,  /* each camera at its own offset, uniform in one period (seeded) */
    PHASE_STEP     /* camera i at (i * step) mod period */
} scn_phase;

typedef struct {
    char name[SCN_NAME];
    int n_sources;
    int *sources;          /* node indices of the cameras */
    double fps, jitter_s, start_s; /* fps is 0 with fps_max */
    bool fps_max;          /* closed loop: the next capture when the previous frame has
                              left the camera (saturation throughput) */
    scn_phase phase;
    double phase_step_s;   /* PHASE_STEP */
    int64_t frames;        /* per camera; 0 = until the run's duration */
    int n_stages;
    scn_stage stages[SCN_MAX_STAGES];
    int queue_depth;
    queue_policy policy;
    double deadline_s;     /* 0 = none */
    double result_bytes;   /* returned from the last stage to the camera; 0 = none */
    compress_kind compress;
    double compress_ratio;
} scn_pipeline;

typedef struct {
    char *path;            /* the scenario file */
    char *text;            /* the scenario as YAML after --set (for the trace) */
    char name[SCN_NAME];
    uint64_t seed;
    double duration_s;     /* 0 = until every camera's frame count */
    scn_fidelity fidelity;
    bool trace_events;
    bool trace_frames;     /* the /frames table (default true) */
    char trace_path[1024];
    /* workload */
    char model[1024];
    int bits;              /* every platform at this width; 0 = each at its accelerator's */
    graph *g;
    cut_table cuts;
    sparsity_table sparsity;
    /* hardware */
    int n_accels, n_nodes, n_switches, n_links, n_pipelines;
    scn_accel *accels;
    scn_node *nodes;
    char (*switches)[SCN_NAME];
    scn_link *links;
    scn_pipeline *pipelines;
    /* every file the scenario read (itself, the model, sparsity CSV,
     * description files, profiles): what an output must never replace */
    char **inputs;
    int n_inputs;
} scenario;

/* Load and validate `path` with the `n_sets` overrides "key=value" (dotted
 * keys; a list item is addressed by its index or its `name`). */
int scenario_load(const char *path, const char *const *sets, int n_sets, scenario *out,
                  ps_error *err);
void scenario_free(scenario *s);

/* Index of a node / switch by name, -1 if none. */
int scenario_node(const scenario *s, const char *name);
/* Name of endpoint e (node or switch). */
const char *scenario_endpoint_name(const scenario *s, int e);

/* Frames accelerator `a` runs together over positions [first, end): its batch
 * when the range meets its batched layers, else 1.  (Inline: explore prices
 * millions of stages with it.) */
static inline int64_t scenario_accel_batch(const scn_accel *a, int first, int end)
{
    bool meets = first < end && first < a->batch_end && a->batch_first < end;
    return meets ? a->batch : 1;
}
/* Frames stage `stage` of pipeline `pipeline` runs together on node `node`:
 * scenario_accel_batch over every position the stage may run (with runtime
 * partitioning, the widest range its boundaries may take). */
int64_t scenario_stage_batch(const scenario *s, int pipeline, int stage, int node);

const char *scenario_queue_policy_name(queue_policy p);
const char *scenario_dispatch_name(scn_dispatch d);

#endif
