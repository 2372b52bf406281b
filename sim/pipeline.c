/* Pipeline simulation in SimGrid (sim/pipeline.h).
 *
 * Actors, per pipeline p:
 *   camera    one per source node: emits frames at the pipeline's rate; when
 *             it alone feeds an instance of stage 0 on its own node (static
 *             dispatch), it also runs that stage (camera_stage_actor), which
 *             then has no actor of its own
 *   stage     one per (stage, node of the stage's group): takes frames from
 *             its bounded queue, holds the node's accelerator (a FIFO mutex
 *             shared by every stage on that node), runs, forwards; a batched
 *             stage takes its batch of N frames at once, runs them together
 *             and forwards them all at the end
 *   receiver  one per stage queue that the network can feed: takes frames
 *             from its inbox when they have arrived and queues them
 *             (applying the policy)
 * and per node that sends (started on its first transfer):
 *   nic       takes outgoing transfers in order, wakes the PHY from low-power
 *             idle (802.3az) when it slept, puts the bytes on the route (a
 *             host-to-host communication: no mailbox, no matching receive),
 *             then hands the frame to the destination's inbox with its arrival
 *             time (the end of the flow plus the switches' store and forward);
 *             a result sent back to its camera is finished at its arrival
 *             time, with no actor to receive it
 * and one coordinator that waits until every emitted frame has finished (or
 * waits in a batch that can no longer fill: those are dropped).
 * Every actor but the coordinator and the cameras is a daemon.
 *
 * Actors therefore grow with nodes + stage instances + cameras, never with
 * their products: transfers into one node still flow concurrently (each
 * sending NIC has its own communication) and share the links. */
#include "sim/pipeline.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <stddef.h>
#include <xbt/base.h>
#include <simgrid/actor.h>
#include <simgrid/cond.h>
#include <simgrid/exec.h>
#include <simgrid/engine.h>
#include <simgrid/host.h>
#include <simgrid/link.h>
#include <simgrid/mutex.h>
#include <simgrid/semaphore.h>

#include "base/strmap.h"
#include "net/link.h"
#include "net/rate_profile.h"
#include "net/topology.h"
#include "sim/engine.h"

/* ---- run-time state ---- */


typedef struct frame_rt {
    pipeline_frame rec;
    int stage;                 /* the stage it is at / going to */
    int transfer;              /* the transfer it is on */
    int cam_index;             /* its camera among the pipeline's sources */
    struct frame_rt *next;     /* in a NIC's outgoing list */
    struct stage_rt *dest;     /* where a transfer delivers it (NULL: the result, to its camera) */
    struct stage_rt *assigned; /* the stage instance it is dispatched to and has not left */
    sg_sem_t on_leave;         /* fps: max: released when the frame has left its camera */
    double payload_bytes, wire_bytes;
    double arrive_s;           /* when the transfer's last byte arrives */
    double nic_in_s;           /* when the transfer was handed to its NIC's send queue */
    const plan_route *route;
} frame_rt;

/* Frames on their way into a stage queue, in arrival order; the
 * destination's receiver takes each when it has arrived.  Actors are
 * coroutines that switch only at SimGrid calls, so the list needs no lock
 * around its updates; the mutex exists for the condition variable and only
 * the receiver ever holds it (SimGrid 3.32 loses track of a mutex that is
 * contended when a timed wait times out). */
typedef struct {
    frame_rt *head, *tail;
    sg_mutex_t m;
    sg_cond_t changed;
} inbox_rt;

typedef struct stage_rt {
    struct run_ctx *ctx;
    int pipeline, stage, node;
    frame_rt **buf;            /* ring buffer of `depth` frames */
    int head, count, depth;
    sg_mutex_t m;
    sg_cond_t not_empty, not_full;
    inbox_rt *in;              /* NULL when nothing reaches it over the network */
    int64_t load;              /* frames dispatched here: on their way, queued or running */
    int batch;                 /* frames it runs together (scenario_stage_batch) */
    struct frame_rt **running; /* batch > 1: the batch being run */
    struct stage_job *jobs;    /* batch > 1: what each frame of it runs */
} stage_rt;

typedef struct {
    struct run_ctx *ctx;
    int node;
    frame_rt *head, *tail;     /* the send queue (the transfer on the wire is not in it) */
    int count, depth;
    queue_policy policy;
    sg_mutex_t m;
    sg_cond_t not_empty, not_full;
    sg_actor_t actor;
    double recent_Bps;         /* payload bytes / transfer time, moving average (0: none yet) */
} nic_rt;

typedef struct camera_rt {
    struct run_ctx *ctx;
    int pipeline, index;       /* index among the pipeline's sources */
    int node;
    uint64_t rng;
    sg_sem_t left;             /* fps: max: the previous frame has left the camera */
    double phase;              /* the capture phase within one period */
    int64_t k;                 /* the next frame's number */
    int64_t next_k;            /* the frame whose time next_s is (-1: none yet) */
    double next_s;
    stage_rt *local;           /* stage 0 when the camera runs it (camera_stage_actor) */
    frame_rt *held;            /* a frame a full 'block' queue holds */
} camera_rt;

typedef struct run_ctx {
    const scenario *s;
    plan *p;
    const pipeline_options *o;
    pipeline_result *r;
    ps_error *err;
    sg_mutex_t *accel;         /* per node: its accelerator */
    sg_host_t *hosts;          /* per endpoint (node or switch) */
    nic_rt *nics;              /* per node */
    stage_rt ***stages;        /* [pipeline][stage * group size + member] */
    int64_t *turn;             /* [pipeline * SCN_MAX_STAGES + stage]: round-robin counter */
    camera_rt **cameras;
    sg_link_t *links;          /* per scenario link (the _UP side of a full-duplex link) */
    bool *dram;                /* per node: its accelerator has a DRAM model (fidelity tile) */
    int64_t outstanding;       /* frames emitted and not finished */
    int64_t parked;            /* frames in the queues of batched stages */
    double last_done_s;        /* the latest time a frame finished at */
    int cameras_running;
    bool finished;             /* the coordinator saw everything finish */
    sg_mutex_t done_m;
    sg_cond_t done_c;
    double next_progress_s;
    int failed;
    struct owned_block *owned; /* every run-time object, freed after the run */
} run_ctx;

typedef struct owned_block {
    struct owned_block *next;
    _Alignas(max_align_t) unsigned char data[];
} owned_block;

/* Zeroed memory that lives until the run is over (run_free_all); NULL and
 * c->failed set when out of memory. */
static void *run_alloc(run_ctx *c, size_t n, size_t size)
{
    owned_block *b = calloc(1, sizeof *b + (n ? n : 1) * size);
    if (!b) {
        c->failed = PS_ERR_NOMEM;
        return NULL;
    }
    b->next = c->owned;
    c->owned = b;
    return b->data;
}

static void run_free_all(run_ctx *c)
{
    for (owned_block *b = c->owned, *next; b; b = next) {
        next = b->next;
        free(b);
    }
    c->owned = NULL;
}

/* ---- frames finishing ---- */

/* `frames` frames and `cameras` cameras are done; the coordinator looks
 * again when every camera is done and nothing but frames waiting for a batch
 * is left (with no batched stage: nothing). */
static void run_note_progress(run_ctx *c, int64_t frames, int cameras)
{
    sg_mutex_lock(c->done_m);
    c->outstanding -= frames;
    c->cameras_running -= cameras;
    if (c->outstanding == c->parked && c->cameras_running == 0)
        sg_cond_notify_all(c->done_c);
    sg_mutex_unlock(c->done_m);
}

/* A closed-loop camera (fps: max) captures again once its frame has left. */
static void frame_left_camera(frame_rt *f)
{
    if (f->on_leave) {
        sg_sem_release(f->on_leave);
        f->on_leave = NULL;
    }
}

/* Frame f is done at time `now` (delivered, or dropped at stage or transfer
 * `where`). */
static void frame_finish_at(run_ctx *c, frame_rt *f, bool dropped, int where, double now)
{
    pipeline_frame *rec = &f->rec;
    const scn_pipeline *pl = &c->s->pipelines[rec->pipeline];
    pipeline_total *pt = &c->r->pipelines[rec->pipeline];
    rec->dropped = dropped;
    rec->drop_stage = dropped ? where : -1;
    if (now > c->last_done_s)
        c->last_done_s = now;
    rec->done_s = dropped ? NAN : now;
    rec->latency_s = dropped ? NAN : now - rec->capture_s;
    rec->deadline_met = !dropped && (pl->deadline_s <= 0 || rec->latency_s <= pl->deadline_s);
    double e = 0;
    for (int k = 0; k < rec->n_stages; k++)
        e += isnan(rec->stage_energy_j[k]) ? 0 : rec->stage_energy_j[k];
    for (int k = 0; k < rec->n_transfers; k++)
        e += isnan(rec->t_energy_j[k]) ? 0 : rec->t_energy_j[k];
    pt->energy_j += e;
    if (dropped) {
        pt->dropped++;
        pt->dropped_nic += rec->drop_nic;
    } else {
        /* results are finished at their arrival time, a little ahead */
        if (pt->completed == 0 || now < pt->first_done_s)
            pt->first_done_s = now;
        if (pt->completed == 0 || now > pt->last_done_s)
            pt->last_done_s = now;
        pt->completed++;
        stats_add(&pt->latency, rec->latency_s);
    }
    if (!rec->deadline_met)
        pt->deadline_missed++;
    if (f->assigned)
        f->assigned->load--;
    frame_left_camera(f);
    if (c->o->on_frame)
        c->o->on_frame(c->o->ctx, rec);
    free(f);
    run_note_progress(c, 1, 0);
}

static void frame_finish(run_ctx *c, frame_rt *f, bool dropped, int where)
{
    frame_finish_at(c, f, dropped, where, simgrid_get_clock());
}

/* ---- queues ---- */

/* Queue frame f at stage q, applying the pipeline's policy when it is full. */
static void queue_put(stage_rt *q, frame_rt *f)
{
    run_ctx *c = q->ctx;
    queue_policy pol = c->s->pipelines[q->pipeline].policy;
    f->rec.queue_in_s[q->stage] = simgrid_get_clock();
    f->rec.node[q->stage] = q->node;
    sg_mutex_lock(q->m);
    if (q->count == q->depth) {
        if (pol == QUEUE_DROP_NEWEST) {
            sg_mutex_unlock(q->m);
            frame_finish(c, f, true, q->stage);
            return;
        }
        if (pol == QUEUE_DROP_OLDEST) {
            frame_rt *old = q->buf[q->head];
            q->head = (q->head + 1) % q->depth;
            q->count--;
            c->parked -= q->batch > 1;
            sg_mutex_unlock(q->m);
            frame_finish(c, old, true, q->stage);
            sg_mutex_lock(q->m);
        }
        while (q->count == q->depth) /* block (or another producer refilled it) */
            sg_cond_wait(q->not_full, q->m);
    }
    q->buf[(q->head + q->count) % q->depth] = f;
    q->count++;
    sg_cond_notify_one(q->not_empty);
    sg_mutex_unlock(q->m);
    if (q->batch > 1) { /* it may be the last frame to wait for a batch */
        c->parked++;
        run_note_progress(c, 0, 0);
    }
}

static frame_rt *queue_take(stage_rt *q)
{
    sg_mutex_lock(q->m);
    while (q->count == 0)
        sg_cond_wait(q->not_empty, q->m);
    frame_rt *f = q->buf[q->head];
    q->head = (q->head + 1) % q->depth;
    q->count--;
    sg_cond_notify_one(q->not_full);
    sg_mutex_unlock(q->m);
    return f;
}

/* A batched stage's next batch: the n oldest frames, once there are n. */
static void queue_take_batch(stage_rt *q, frame_rt **out, int n)
{
    sg_mutex_lock(q->m);
    while (q->count < n)
        sg_cond_wait(q->not_empty, q->m);
    for (int i = 0; i < n; i++) {
        out[i] = q->buf[q->head];
        q->head = (q->head + 1) % q->depth;
    }
    q->count -= n;
    q->ctx->parked -= n;
    sg_cond_notify_all(q->not_full);
    sg_mutex_unlock(q->m);
}

/* ---- transfers ---- */

/* Index of stage `stage`'s first actor among its pipeline's stage actors,
 * which are stored stage by stage, one per node of the stage's group
 * (stage = n_stages: how many there are). */
static int stage_actor_index(const scn_pipeline *pl, int stage)
{
    int idx = 0;
    for (int k = 0; k < stage; k++)
        idx += pl->stages[k].node_group_size;
    return idx;
}

static stage_rt *stage_of(run_ctx *c, int pipeline, int stage, int member)
{
    return c->stages[pipeline][stage_actor_index(&c->s->pipelines[pipeline], stage) + member];
}

/* The member of stage k's node group that serves camera index i. */
static int member_for(const scn_stage *st, int camera_index)
{
    return camera_index % st->node_group_size;
}

/* The instance of stage `stage` that takes frame f (from camera index
 * f->cam_index), by the stage's dispatch policy; the frame counts in its load
 * until it leaves the stage. */
static stage_rt *dispatch_to(run_ctx *c, frame_rt *f, int pipeline, int stage)
{
    const scn_stage *st = &c->s->pipelines[pipeline].stages[stage];
    int member = 0, G = st->node_group_size;
    if (st->dispatch == DISPATCH_STATIC) {
        member = member_for(st, f->cam_index);
    } else if (st->dispatch == DISPATCH_ROUND_ROBIN) {
        member = (int)(c->turn[pipeline * SCN_MAX_STAGES + stage]++ % G);
    } else {
        stage_rt **row = c->stages[pipeline] + stage_actor_index(&c->s->pipelines[pipeline], stage);
        for (int m = 1; m < G; m++)
            if (row[m]->load < row[member]->load)
                member = m;
    }
    stage_rt *q = stage_of(c, pipeline, stage, member);
    q->load++;
    f->assigned = q;
    return q;
}

static sg_actor_t spawn(const char *name, int node_or_host, const run_ctx *c,
                        void (*fn)(int, char **), void *data, bool daemon)
{
    sg_actor_t a = sg_actor_init(name, c->hosts[node_or_host]);
    sg_actor_set_data(a, data);
    sg_actor_start(a, fn, 0, NULL);
    if (daemon)
        sg_actor_daemonize(a);
    return a;
}

static void nic_actor(int argc, char *argv[]);

/* Node `node`'s NIC, its actor started on the first transfer (a node that
 * never sends costs no actor). */
static nic_rt *nic_of(run_ctx *c, int node)
{
    nic_rt *n = &c->nics[node];
    if (!n->actor) {
        char name[96];
        snprintf(name, sizeof name, "nic-%s", c->s->nodes[node].name);
        n->actor = spawn(name, node, c, nic_actor, n, true);
    }
    return n;
}

/* Send f from node `from` to stage `dest` (or, when dest is NULL, its
 * result back to its camera), carrying payload bytes as transfer `t`.  A
 * transfer within one node costs nothing. */
static void send_frame(run_ctx *c, frame_rt *f, int from, stage_rt *dest, int t, double payload)
{
    int to = dest ? dest->node : f->rec.source;
    double now = simgrid_get_clock();
    f->transfer = t;
    f->dest = dest;
    f->payload_bytes = payload;
    if (to == from) {
        f->rec.t_start_s[t] = f->rec.t_end_s[t] = now;
        f->rec.t_wire_bytes[t] = 0;
        f->rec.t_energy_j[t] = 0;
        if (dest)
            queue_put(dest, f);
        else
            frame_finish(c, f, false, -1);
        return;
    }
    ps_error e = {0};
    f->route = plan_route_get(c->p, from, to, &e);
    if (!f->route) { /* checked before the run: cannot happen */
        frame_finish(c, f, true, f->stage);
        return;
    }
    f->wire_bytes = plan_wire_bytes(c->p, f->route, payload);
    f->nic_in_s = now;
    nic_rt *n = nic_of(c, from);
    sg_mutex_lock(n->m);
    if (n->count == n->depth) {
        if (n->policy == QUEUE_DROP_NEWEST) {
            sg_mutex_unlock(n->m);
            f->rec.drop_nic = true;
            frame_finish(c, f, true, t);
            return;
        }
        if (n->policy == QUEUE_DROP_OLDEST) {
            frame_rt *old = n->head;
            n->head = old->next;
            if (!n->head)
                n->tail = NULL;
            n->count--;
            old->rec.drop_nic = true;
            sg_mutex_unlock(n->m);
            frame_finish(c, old, true, old->transfer);
            sg_mutex_lock(n->m);
        }
        while (n->count == n->depth) /* block (or another sender refilled it) */
            sg_cond_wait(n->not_full, n->m);
    }
    f->next = NULL;
    if (n->tail)
        n->tail->next = f;
    else
        n->head = f;
    n->tail = f;
    n->count++;
    sg_cond_notify_one(n->not_empty);
    sg_mutex_unlock(n->m);
}

/* Link l carried `bytes` of a transfer that ended at `end`.  A PHY sends at
 * its line rate, so it is busy for d = bytes / rate (a flow model spreads a
 * transfer over the bottleneck's pace; a switch buffers and sends at line
 * rate), placed just before `end`, or after the link's previous burst when
 * they would overlap (one PHY sends one burst at a time).  Returns the
 * active energy of the burst.  The gap before it costs idle power, or with
 * 802.3az the transitions Ts + Tw at active power and low-power idle for the
 * rest (both counted as energy_lpi_j). */
static double link_busy(run_ctx *c, int l, int dir, double end, double bytes, int pipeline)
{
    const scn_link *sl = &c->s->links[l];
    pipeline_link_total *lt = &c->r->links[l];
    const link_type *t = &sl->type;
    double d = link_send_time_s(t, bytes);
    /* a full-duplex link has one transmitter per direction; a shared
     * medium one for both */
    double prev_any = lt->last_end_s;
    double start;
    if (t->full_duplex) {
        double *last = &lt->last_end_dir_s[dir > 0 ? 0 : 1];
        start = fmax(end - d, *last);
        *last = start + d;
    } else {
        start = fmax(end - d, prev_any);
    }
    lt->busy_dir_s[dir > 0 ? 0 : 1] += d;
    lt->busy_s = t->full_duplex ? fmax(lt->busy_dir_s[0], lt->busy_dir_s[1])
                                : lt->busy_dir_s[0] + lt->busy_dir_s[1];
    /* idle power between bursts of either direction: the PHY idles only
     * when neither end sends */
    link_gap_energy(t, &sl->opts, fmax(0, start - prev_any), &lt->energy_idle_j,
                    &lt->energy_lpi_j);
    lt->last_end_s = fmax(prev_any, start + d);
    double e = link_send_energy_j(t, bytes);
    lt->energy_active_j += e;
    lt->bytes += bytes;
    lt->transfers++;
    if (pipeline >= 0)
        c->r->pipelines[pipeline].link_energy_j[l] += e;
    return e;
}

/* Fidelity tile: the node's DRAM is its SimGrid host's CPU, whose speed is
 * the DRAM bandwidth (one "flop" per byte): DRAM transfers are executions on
 * it, so concurrent users (stages, the NIC) share the bandwidth fairly. */
static sg_exec_t dram_start(double bytes)
{
    sg_exec_t e = sg_actor_exec_init(bytes);
    sg_exec_start(e);
    return e;
}

/* SimGrid's numerical accuracy for time (its default precision/timing):
 * a sleep shorter than this is refused with a message, so an event due
 * within it (a capture time a rounding error ahead, after jitter or a random
 * phase) is taken as due now. */
#define SIM_TIME_EPS_S 1e-9
#define SIM_TILES_MAX 64
#define SIM_TILE_FILL_SHARE 0.002

/* Fidelity tile: walk each layer of the stage in tiles.  The first tile's
 * DRAM traffic is loaded first; then tile i computes while tile i + 1's DRAM
 * traffic moves (double buffering in the global buffer), so without other
 * DRAM users a layer takes max(compute, DRAM) + one tile's load, i.e. the
 * analytic time plus min(c, d) / T.  T is the smallest tile count that keeps
 * that fill under SIM_TILE_FILL_SHARE of the layer (at most SIM_TILES_MAX):
 * a balanced layer is cut finely, a layer far from balance coarsely.  Another
 * user of the node's DRAM (another stage, the NIC) takes bandwidth and slows
 * the tiles down. */
static void tile_walk(run_ctx *c, stage_rt *q, int a, int b)
{
    const plan_accel *pa = &c->p->accels[c->s->nodes[q->node].accel];
    double clock = c->s->accels[c->s->nodes[q->node].accel].arch.clock_hz;
    for (int k = a; k < b; k++) {
        const layer_cost *lc = &pa->net.results[k].cost;
        if (lc->latency_s <= 0)
            continue;
        double dram_s = lc->dram_cycles / clock;
        double comp_s = fmax(lc->compute_cycles, lc->glb_cycles) / clock; /* on the chip */
        if (lc->dram_bytes <= 0 || dram_s <= 0) {
            sg_actor_sleep_for(lc->latency_s);
            continue;
        }
        double ratio = fmin(dram_s, comp_s) / fmax(dram_s, comp_s);
        int tiles = (int)ceil(ratio / SIM_TILE_FILL_SHARE);
        tiles = tiles < 1 ? 1 : tiles > SIM_TILES_MAX ? SIM_TILES_MAX : tiles;
        double comp = comp_s / tiles, bytes = lc->dram_bytes / tiles;
        sg_exec_wait(dram_start(bytes));
        for (int i = 0; i < tiles; i++) {
            sg_exec_t e = i + 1 < tiles ? dram_start(bytes) : NULL;
            if (comp > 1e-9)
                sg_actor_sleep_for(comp);
            if (e)
                sg_exec_wait(e);
        }
    }
}

/* Every node's SimGrid host and every link's (its _UP side when full
 * duplex), from one listing each: SimGrid's lookups by name walk the zone
 * tree, which is slow with thousands of zones. */
static int find_hosts_and_links(run_ctx *c)
{
    const scenario *s = c->s;
    strmap index = STRMAP_INIT;
    int rc = 0;
    for (int h = 0; h < s->n_nodes && !rc; h++)
        rc = strmap_add(&index, s->nodes[h].name, h) < 0;
    size_t n = sg_host_count();
    sg_host_t *hosts = sg_host_list();
    for (size_t i = 0; i < n && !rc; i++) {
        int h = strmap_find(&index, sg_host_get_name(hosts[i]));
        if (h >= 0)
            c->hosts[h] = hosts[i];
    }
    free(hosts);
    strmap_free(&index);
    char (*names)[TOPOLOGY_NAME_MAX + 4] = malloc(sizeof *names * ((size_t)s->n_links + 1));
    rc = rc || !names;
    for (int l = 0; l < s->n_links && !rc; l++) {
        snprintf(names[l], sizeof names[l], s->links[l].type.full_duplex ? "%s_UP" : "%s",
                 s->links[l].name);
        rc = strmap_add(&index, names[l], l) < 0;
    }
    n = sg_link_count();
    sg_link_t *links = sg_link_list();
    for (size_t i = 0; i < n && !rc; i++) {
        int l = strmap_find(&index, sg_link_get_name(links[i]));
        if (l >= 0)
            c->links[l] = links[i];
    }
    free(links);
    strmap_free(&index);
    free(names);
    return rc ? PS_ERR_NOMEM : 0;
}

static void inbox_init(inbox_rt *in)
{
    in->m = sg_mutex_init();
    in->changed = sg_cond_init();
}

static void inbox_free_frames(inbox_rt *in)
{
    for (frame_rt *f = in->head, *next; f; f = next) {
        next = f->next;
        free(f);
    }
    in->head = in->tail = NULL;
}

static void inbox_destroy(inbox_rt *in)
{
    sg_mutex_destroy(in->m);
    sg_cond_destroy(in->changed);
}

/* Hand f to an inbox in arrival order (arrivals come nearly in order: the
 * common case appends). */
static void inbox_put(inbox_rt *in, frame_rt *f)
{
    f->next = NULL;
    if (!in->tail || in->tail->arrive_s <= f->arrive_s) {
        if (in->tail)
            in->tail->next = f;
        else
            in->head = f;
        in->tail = f;
    } else if (f->arrive_s < in->head->arrive_s) {
        f->next = in->head;
        in->head = f;
    } else {
        frame_rt *at = in->head;
        while (at->next && at->next->arrive_s <= f->arrive_s)
            at = at->next;
        f->next = at->next;
        at->next = f;
    }
    sg_cond_notify_all(in->changed);
}

static void nic_actor(int argc, char *argv[])
{
    (void)argc, (void)argv;
    nic_rt *n = sg_actor_self_get_data();
    run_ctx *c = n->ctx;
    for (;;) {
        sg_mutex_lock(n->m);
        while (!n->head)
            sg_cond_wait(n->not_empty, n->m);
        frame_rt *f = n->head;
        n->head = f->next;
        if (!n->head)
            n->tail = NULL;
        n->count--;
        sg_cond_notify_one(n->not_full);
        sg_mutex_unlock(n->m);
        const plan_route *r = f->route;
        const scn_link *first = &c->s->links[r->links[0]];
        double t0 = simgrid_get_clock();
        /* 802.3az: a PHY that went to sleep wakes up first (Tw) */
        if (first->opts.eee && t0 - c->r->links[r->links[0]].last_end_s > first->type.eee_sleep_s)
            sg_actor_sleep_for(first->type.eee_wake_s);
        int t = f->transfer;
        f->rec.t_start_s[t] = t0;
        f->rec.t_wire_bytes[t] = f->wire_bytes;
        sg_host_t to = c->hosts[f->dest ? f->dest->node : f->rec.source];
        if (c->s->fidelity == FIDELITY_TILE && c->dram[n->node]) {
            /* the NIC reads the payload from DRAM as it sends */
            sg_exec_t e = dram_start(f->payload_bytes);
            sg_host_sendto(c->hosts[n->node], to, ceil(f->wire_bytes));
            sg_exec_wait(e);
        } else {
            sg_host_sendto(c->hosts[n->node], to, ceil(f->wire_bytes));
        }
        double t1 = simgrid_get_clock();
        if (n->node == f->rec.source)
            frame_left_camera(f);
        double e = 0;
        for (int k = 0; k < r->n_links; k++)
            e += link_busy(c, r->links[k], r->dirs[k], t1, f->wire_bytes, f->rec.pipeline);
        f->rec.t_energy_j[t] = e;
        /* what this NIC's transfers achieve, contention included (for
         * runtime partitioning with rate: recent); an exponential moving
         * average over about the last 4 transfers */
        double achieved = t1 > t0 ? f->wire_bytes / (t1 - t0) : 0;
        if (achieved > 0)
            n->recent_Bps = n->recent_Bps > 0 ? 0.75 * n->recent_Bps + 0.25 * achieved : achieved;
        if (c->o->on_event) {
            pipeline_event ev = {.start_s = t0, .end_s = t1, .node = n->node, .link = r->links[0],
                            .transfer = true, .dest = f->dest ? f->dest->node : f->rec.source,
                            .pipeline = f->rec.pipeline, .source = f->rec.source,
                            .frame = f->rec.frame, .cut = f->rec.cut[0], .first = -1, .end = -1,
                            .queue_in_s = f->nic_in_s, .bytes = f->wire_bytes, .energy_j = e};
            c->o->on_event(c->o->ctx, &ev);
        }
        c->r->events++;
        /* the switches' store and forward of the last frame */
        f->arrive_s = t1 + plan_saf_delay(c->p, r);
        if (f->dest) {
            inbox_put(f->dest->in, f);
        } else { /* a result: done when it arrives (no actor needs to wait for it) */
            f->rec.t_end_s[t] = f->arrive_s;
            frame_finish_at(c, f, false, -1, f->arrive_s);
        }
    }
}

/* The next frame of the inbox once it has arrived (its transfer's end set). */
static frame_rt *inbox_take(inbox_rt *in)
{
    sg_mutex_lock(in->m);
    for (;;) {
        while (!in->head)
            sg_cond_wait(in->changed, in->m);
        double wait = in->head->arrive_s - simgrid_get_clock();
        if (wait <= 1e-12)
            break;
        /* an earlier arrival may be put meanwhile: wake up for it too */
        sg_cond_wait_for(in->changed, in->m, wait);
    }
    frame_rt *f = in->head;
    in->head = f->next;
    if (!in->head)
        in->tail = NULL;
    sg_mutex_unlock(in->m);
    f->rec.t_end_s[f->transfer] = f->arrive_s;
    return f;
}

static void receiver_actor(int argc, char *argv[])
{
    (void)argc, (void)argv;
    stage_rt *q = sg_actor_self_get_data();
    for (;;)
        queue_put(q, inbox_take(q->in));
}

/* ---- stages ---- */

/* The current rate of the route's first link in bytes per second (it
 * follows a bandwidth profile). */
static double route_rate(run_ctx *c, const plan_route *r)
{
    if (!r || !r->n_links)
        return INFINITY;
    return sg_link_get_bandwidth(c->links[r->links[0]]);
}

/* Runtime partitioning: the end of stage k for this frame, among the
 * policy's candidates.  NeuPart Alg. 2 minimises the sensor's energy
 * E_L + P_tx D / B at the current rate B; the latency policy minimises this
 * stage + the transfer + the next stage. */
static int choose_cut(run_ctx *c, const stage_rt *q, const stage_rt *next, int first)
{
    const scn_pipeline *pl = &c->s->pipelines[q->pipeline];
    const scn_stage *st = &pl->stages[q->stage];
    ps_error e = {0};
    const plan_route *r = next->node == q->node ? NULL : plan_route_get(c->p, q->node, next->node, &e);
    double rate = st->rate_recent && c->nics[q->node].recent_Bps > 0 ? c->nics[q->node].recent_Bps
                                                                     : route_rate(c, r);
    const scn_link *first_link = r && r->n_links ? &c->s->links[r->links[0]] : NULL;
    double p_tx = first_link ? link_active_power_w(&first_link->type) : 0;
    int next_end = pl->stages[q->stage + 1].end;
    if (pl->stages[q->stage + 1].policy != CUT_FIXED || q->stage + 1 == pl->n_stages - 1)
        next_end = c->p->M;
    int lo = st->auto_first > first ? st->auto_first : first, hi = st->auto_last;
    if (hi > next_end)
        hi = next_end;
    int best = lo;
    double best_v = INFINITY;
    for (int pos = lo; pos <= hi; pos++) {
        double payload = plan_cut_bytes(c->p, q->pipeline, pos, q->node);
        double wire = r ? plan_wire_bytes(c->p, r, payload) : 0;
        double tx_time = r ? wire / rate : 0;
        double v;
        if (st->policy == CUT_AUTO_ENERGY) /* NeuPart Alg. 2 */
            v = plan_stage_energy(c->p, q->node, first, pos) + p_tx * tx_time;
        else
            v = plan_stage_latency(c->p, q->node, first, pos) + tx_time +
                plan_stage_latency(c->p, next->node, pos, next_end);
        if (v < best_v)
            best_v = v, best = pos;
    }
    return best;
}

/* What stage q runs for one frame: positions [first, end), chosen when
 * the frame starts (the cut may depend on the next stage's member, chosen
 * then too). */
typedef struct stage_job {
    stage_rt *here, *next;     /* next: NULL after the last stage */
    int first, end;
    bool last;
} stage_job;

static void stage_prepare(stage_rt *q, frame_rt *f, stage_job *j)
{
    run_ctx *c = q->ctx;
    const scn_pipeline *pl = &c->s->pipelines[q->pipeline];
    const scn_stage *st = &pl->stages[q->stage];
    j->first = q->stage ? f->rec.cut[q->stage - 1] : 0;
    j->last = q->stage + 1 == pl->n_stages;
    j->here = f->assigned;
    j->next = j->last ? NULL : dispatch_to(c, f, q->pipeline, q->stage + 1);
    j->end = st->policy == CUT_FIXED ? st->end : choose_cut(c, q, j->next, j->first);
    if (q->stage == pl->n_stages - 1)
        j->end = c->p->M;
    if (j->end < j->first)
        j->end = j->first;
    f->rec.cut[q->stage] = j->end;
}

/* Frame f has run job j on stage q (its start and end recorded): count its
 * energy and the node's busy time `busy_s`, then forward it: to the next
 * stage, its result to its camera, or done. */
static void stage_complete(stage_rt *q, frame_rt *f, const stage_job *j, double busy_s)
{
    run_ctx *c = q->ctx;
    const scn_pipeline *pl = &c->s->pipelines[q->pipeline];
    j->here->load--; /* the frame has left this stage */
    if (j->last)
        f->assigned = NULL;
    double e = plan_stage_energy(c->p, q->node, j->first, j->end);
    f->rec.stage_energy_j[q->stage] = e;
    pipeline_node_total *nt = &c->r->nodes[q->node];
    nt->busy_s += busy_s;
    nt->energy_dynamic_j += e;
    nt->frames++;
    c->r->pipelines[q->pipeline].node_energy_j[q->node] += e;
    if (c->o->on_event) {
        pipeline_event ev = {.start_s = f->rec.start_s[q->stage], .end_s = f->rec.end_s[q->stage],
                        .node = q->node, .link = -1, .dest = -1, .pipeline = q->pipeline,
                        .source = f->rec.source, .frame = f->rec.frame, .cut = f->rec.cut[0],
                        .first = j->first, .end = j->end,
                        .queue_in_s = f->rec.queue_in_s[q->stage], .energy_j = e};
        c->o->on_event(c->o->ctx, &ev);
    }
    c->r->events++;
    if (!j->last) {
        f->stage = q->stage + 1;
        send_frame(c, f, q->node, j->next, q->stage + 1,
                   plan_cut_bytes(c->p, q->pipeline, j->end, q->node));
    } else if (pl->result_bytes > 0) {
        send_frame(c, f, q->node, NULL, pl->n_stages, pl->result_bytes);
    } else {
        frame_finish(c, f, false, -1);
    }
}

/* Stage q runs frame f (taken from its queue) on its node's accelerator,
 * then forwards it. */
static void stage_run(stage_rt *q, frame_rt *f)
{
    run_ctx *c = q->ctx;
    stage_job j;
    stage_prepare(q, f, &j);
    double t = plan_stage_latency(c->p, q->node, j.first, j.end);
    sg_mutex_lock(c->accel[q->node]);
    f->rec.start_s[q->stage] = simgrid_get_clock();
    if (c->s->fidelity == FIDELITY_TILE && c->dram[q->node])
        tile_walk(c, q, j.first, j.end);
    else if (t > 0)
        sg_actor_sleep_for(t);
    f->rec.end_s[q->stage] = simgrid_get_clock();
    sg_mutex_unlock(c->accel[q->node]);
    stage_complete(q, f, &j, f->rec.end_s[q->stage] - f->rec.start_s[q->stage]);
}

/* A batched stage takes its next N frames (in arrival order) and runs them
 * together: the accelerator is busy for the sum of their per-frame times
 * (N x the stage's per-frame time when they run the same positions) and
 * every frame leaves at the end, each with its per-frame energy. */
static void stage_run_batch(stage_rt *q)
{
    run_ctx *c = q->ctx;
    int n = q->batch;
    queue_take_batch(q, q->running, n);
    double t = 0;
    for (int i = 0; i < n; i++) {
        stage_prepare(q, q->running[i], &q->jobs[i]);
        t += plan_stage_latency(c->p, q->node, q->jobs[i].first, q->jobs[i].end);
    }
    sg_mutex_lock(c->accel[q->node]);
    double start = simgrid_get_clock();
    if (c->s->fidelity == FIDELITY_TILE && c->dram[q->node])
        for (int i = 0; i < n; i++)
            tile_walk(c, q, q->jobs[i].first, q->jobs[i].end);
    else if (t > 0)
        sg_actor_sleep_for(t);
    double end = simgrid_get_clock();
    sg_mutex_unlock(c->accel[q->node]);
    for (int i = 0; i < n; i++) {
        q->running[i]->rec.start_s[q->stage] = start;
        q->running[i]->rec.end_s[q->stage] = end;
        stage_complete(q, q->running[i], &q->jobs[i], i ? 0 : end - start);
    }
}

static void stage_actor(int argc, char *argv[])
{
    (void)argc, (void)argv;
    stage_rt *q = sg_actor_self_get_data();
    if (q->batch > 1)
        for (;;)
            stage_run_batch(q);
    for (;;)
        stage_run(q, queue_take(q));
}

/* ---- cameras ---- */

static double uniform01(uint64_t *s)
{
    /* splitmix64 */
    uint64_t z = (*s += 0x9e3779b97f4a7c15ULL);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    z ^= z >> 31;
    return (double)(z >> 11) / 9007199254740992.0;
}

/* Camera cam's next frame: its scheduled capture time in *t, false when the
 * camera is done (its frame count or the run's duration reached).  Drawn
 * once per frame: asking again returns the same time (with fps: max, the
 * current time). */
static bool camera_next(camera_rt *cam, double *t)
{
    const run_ctx *c = cam->ctx;
    const scn_pipeline *pl = &c->s->pipelines[cam->pipeline];
    if (pl->fps_max || cam->next_k != cam->k) {
        if (pl->frames && cam->k >= pl->frames)
            return false;
        /* fps: max captures now: the previous frame has left */
        cam->next_s = pl->fps_max ? fmax(pl->start_s, simgrid_get_clock())
                                  : pl->start_s + cam->phase + (double)cam->k * (1.0 / pl->fps) +
                                        pl->jitter_s * uniform01(&cam->rng);
        cam->next_k = cam->k;
    }
    *t = cam->next_s;
    return !(c->s->duration_s > 0 && cam->next_s >= c->s->duration_s);
}

/* Camera cam captures its next frame at time `at` and dispatches it to an
 * instance of stage 0 (NULL and c->failed set when out of memory). */
static frame_rt *camera_capture(camera_rt *cam, double at)
{
    run_ctx *c = cam->ctx;
    const scn_pipeline *pl = &c->s->pipelines[cam->pipeline];
    int ns = pl->n_stages, nt = pl->n_stages + (pl->result_bytes > 0);
    /* the record's arrays follow the frame in one allocation: doubles, then ints */
    frame_rt *f = malloc(sizeof *f + sizeof(double) * (size_t)(4 * ns + 4 * nt) +
                         sizeof(int) * (size_t)(2 * ns));
    if (!f) {
        c->failed = PS_ERR_NOMEM;
        return NULL;
    }
    *f = (frame_rt){0};
    pipeline_frame *rec = &f->rec;
    double *d = (double *)(f + 1);
    for (int i = 0; i < 4 * ns + 4 * nt; i++)
        d[i] = NAN;
    double **per_stage[] = {&rec->queue_in_s, &rec->start_s, &rec->end_s, &rec->stage_energy_j};
    double **per_transfer[] = {&rec->t_start_s, &rec->t_end_s, &rec->t_wire_bytes,
                               &rec->t_energy_j};
    for (int a = 0; a < 4; a++, d += ns)
        *per_stage[a] = d;
    for (int a = 0; a < 4; a++, d += nt)
        *per_transfer[a] = d;
    rec->node = (int *)d;
    rec->cut = rec->node + ns;
    for (int i = 0; i < ns; i++)
        rec->node[i] = rec->cut[i] = -1;
    f->cam_index = cam->index;
    rec->pipeline = cam->pipeline;
    rec->source = cam->node;
    rec->frame = cam->k++;
    rec->capture_s = at;
    rec->n_stages = ns;
    rec->n_transfers = nt;
    c->r->pipelines[cam->pipeline].emitted++;
    c->outstanding++;
    const scenario *s = c->s;
    if (c->o->progress && at >= c->next_progress_s && s->duration_s > 0) {
        fprintf(stderr, "\rpartsim: simulated %.1f of %.1f s", at, s->duration_s);
        c->next_progress_s += s->duration_s / 20;
    }
    f->on_leave = pl->fps_max ? cam->left : NULL;
    dispatch_to(c, f, cam->pipeline, 0);
    return f;
}

static void camera_done(run_ctx *c)
{
    run_note_progress(c, 0, 1);
}

static void camera_actor(int argc, char *argv[])
{
    (void)argc, (void)argv;
    camera_rt *cam = sg_actor_self_get_data();
    run_ctx *c = cam->ctx;
    const scn_pipeline *pl = &c->s->pipelines[cam->pipeline];
    for (double t; camera_next(cam, &t);) {
        if (t - simgrid_get_clock() >= SIM_TIME_EPS_S)
            sg_actor_sleep_until(t);
        frame_rt *f = camera_capture(cam, simgrid_get_clock());
        if (!f)
            break;
        /* transfer 0: the image to stage 0 (nothing when it runs on the camera) */
        send_frame(c, f, cam->node, f->assigned, 0,
                   plan_cut_bytes(c->p, cam->pipeline, 0, cam->node));
        if (pl->fps_max)
            sg_sem_acquire(cam->left);
    }
    camera_done(c);
}

/* A camera that runs stage 0 itself: frame f, captured at `at`, joins the
 * stage's queue by the pipeline's policy; with 'block' a full queue holds
 * it (and the camera) until the stage takes its next frame. */
static void camera_queue(camera_rt *cam, frame_rt *f, double at)
{
    stage_rt *q = cam->local;
    run_ctx *c = cam->ctx;
    queue_policy pol = c->s->pipelines[q->pipeline].policy;
    /* transfer 0 is local, as send_frame records one */
    f->transfer = 0;
    f->rec.t_start_s[0] = f->rec.t_end_s[0] = at;
    f->rec.t_wire_bytes[0] = 0;
    f->rec.t_energy_j[0] = 0;
    f->rec.queue_in_s[0] = at;
    f->rec.node[0] = q->node;
    if (q->count == q->depth) {
        if (pol == QUEUE_DROP_NEWEST) {
            frame_finish_at(c, f, true, 0, at);
            return;
        }
        if (pol != QUEUE_DROP_OLDEST) {
            cam->held = f;
            return;
        }
        frame_rt *old = q->buf[q->head];
        q->head = (q->head + 1) % q->depth;
        q->count--;
        frame_finish_at(c, old, true, 0, at);
    }
    q->buf[(q->head + q->count) % q->depth] = f;
    q->count++;
}

/* A camera and the instance of stage 0 on its own node, as one actor (one
 * actor less per camera).  It behaves as the two would: the frames that
 * fall due while the stage runs are captured at their own times (or, behind
 * a 'block' queue, when the camera is released) and queued by the policy;
 * the stage then takes the head of the queue. */
static void camera_stage_actor(int argc, char *argv[])
{
    (void)argc, (void)argv;
    camera_rt *cam = sg_actor_self_get_data();
    run_ctx *c = cam->ctx;
    stage_rt *q = cam->local;
    const scn_pipeline *pl = &c->s->pipelines[cam->pipeline];
    double last_capture_s = -INFINITY; /* captures are in order */
    for (;;) {
        double t, now = simgrid_get_clock();
        bool more = camera_next(cam, &t);
        /* (fps: max: one frame at a time) */
        while (more && !cam->held && t <= now + SIM_TIME_EPS_S && !(pl->fps_max && q->count) &&
               !c->failed) {
            double at = fmax(t, last_capture_s);
            frame_rt *f = camera_capture(cam, at);
            if (!f)
                break;
            last_capture_s = at;
            camera_queue(cam, f, at);
            more = camera_next(cam, &t);
        }
        if (c->failed)
            break;
        if (q->count == 0) {
            if (!more)
                break;
            sg_actor_sleep_until(t);
            continue;
        }
        frame_rt *f = q->buf[q->head];
        q->head = (q->head + 1) % q->depth;
        q->count--;
        if (cam->held) { /* the camera is released now */
            q->buf[(q->head + q->count) % q->depth] = cam->held;
            q->count++;
            cam->held = NULL;
            last_capture_s = now;
        }
        stage_run(q, f);
        if (pl->fps_max)
            sg_sem_acquire(cam->left);
    }
    camera_done(c);
}

/* Every camera is done and every frame left waits in a batched stage's
 * queue that holds less than a batch: no batch can fill any more. */
static bool batches_stuck(const run_ctx *c)
{
    if (c->cameras_running > 0 || c->parked == 0 || c->outstanding != c->parked)
        return false;
    for (int i = 0; i < c->s->n_pipelines; i++) {
        const scn_pipeline *pl = &c->s->pipelines[i];
        for (int k = 0, total = stage_actor_index(pl, pl->n_stages); k < total; k++)
            if (c->stages[i][k]->count >= c->stages[i][k]->batch)
                return false;
    }
    return true;
}

/* The end of the run: a partial batch is not run; its frames are dropped at
 * their stage. */
static void drop_partial_batches(run_ctx *c)
{
    for (int i = 0; i < c->s->n_pipelines; i++) {
        const scn_pipeline *pl = &c->s->pipelines[i];
        for (int k = 0, total = stage_actor_index(pl, pl->n_stages); k < total; k++) {
            stage_rt *q = c->stages[i][k];
            while (q->batch > 1 && q->count > 0) {
                frame_rt *f = q->buf[q->head];
                q->head = (q->head + 1) % q->depth;
                q->count--;
                c->parked--;
                frame_finish(c, f, true, q->stage);
            }
        }
    }
}

static void coordinator_actor(int argc, char *argv[])
{
    (void)argc, (void)argv;
    run_ctx *c = sg_actor_self_get_data();
    for (;;) {
        sg_mutex_lock(c->done_m);
        while ((c->outstanding > 0 || c->cameras_running > 0) && !batches_stuck(c))
            sg_cond_wait(c->done_c, c->done_m);
        bool stuck = c->outstanding > 0;
        sg_mutex_unlock(c->done_m);
        if (!stuck)
            break;
        drop_partial_batches(c);
    }
    c->finished = true;
}

/* ---- set-up ---- */

/* The topology SimGrid runs: hosts = nodes, routers = switches, one link per
 * scenario link at its line rate and hop latency (net/link.h). */
static int build_topology(const scenario *s, topology *t, ps_error *err)
{
    topology_init(t);
    for (int i = 0; i < s->n_nodes; i++) {
        /* the host's speed is its DRAM bandwidth (fidelity tile; else unused) */
        const accel_arch *a = &s->accels[s->nodes[i].accel].arch;
        double speed = a->kind != ARCH_MEASURED && a->dram_bw_bytes_per_s > 0
                           ? a->dram_bw_bytes_per_s : 1e9;
        if (topology_add_node(t, s->nodes[i].name, false, speed, err) < 0)
            return err->code;
    }
    for (int i = 0; i < s->n_switches; i++)
        if (topology_add_node(t, s->switches[i], true, 0, err) < 0)
            return err->code;
    for (int l = 0; l < s->n_links; l++) {
        const scn_link *sl = &s->links[l];
        int idx = topology_add_link(t, sl->name, sl->a, sl->b, sl->type.rate_bps / 8.0,
                                        link_hop_latency_s(&sl->type, &sl->opts),
                                        sl->type.full_duplex, err);
        if (idx < 0)
            return err->code;
        if (sl->profile[0]) {
            /* the profile file is written next to the platform by pipeline_run */
            snprintf(t->links[idx].bw_profile, sizeof t->links[idx].bw_profile,
                     "%.200s.profile", sl->name);
        }
    }
    return 0;
}

static int write_profiles(const scenario *s, const char *platform_path, ps_error *err)
{
    char dir[1024];
    snprintf(dir, sizeof dir, "%s", platform_path);
    char *slash = strrchr(dir, '/');
    if (slash)
        slash[1] = '\0';
    else
        dir[0] = '\0';
    for (int l = 0; l < s->n_links; l++) {
        const scn_link *sl = &s->links[l];
        if (!sl->profile[0])
            continue;
        rate_profile pr;
        if (rate_profile_read_csv(sl->profile, &pr, err))
            return err->code;
        char path[1400];
        snprintf(path, sizeof path, "%s%s.profile", dir, sl->name);
        double loop = 0;
        if (sl->profile_loop) /* repeat with the period of the profile's last interval */
            loop = pr.n > 1 ? pr.t_s[pr.n - 1] - pr.t_s[pr.n - 2] : 1.0;
        int rc = rate_profile_write(path, pr.t_s, pr.rate_Bps, pr.n, loop, err);
        rate_profile_free(&pr);
        if (rc)
            return rc;
    }
    return 0;
}

static int check_routes(run_ctx *c, ps_error *err)
{
    const scenario *s = c->s;
    for (int i = 0; i < s->n_pipelines; i++) {
        const scn_pipeline *pl = &s->pipelines[i];
        for (int ci = 0; ci < pl->n_sources; ci++) {
            int prev = pl->sources[ci];
            for (int k = 0; k < pl->n_stages; k++) {
                const scn_stage *st = &pl->stages[k];
                int node = st->node_group_first + member_for(st, ci);
                if (node != prev && !plan_route_get(c->p, prev, node, err))
                    return error_prefix(err, "%s: pipeline '%s'", s->path, pl->name);
                prev = node;
            }
            if (pl->result_bytes > 0 && prev != pl->sources[ci] &&
                !plan_route_get(c->p, prev, pl->sources[ci], err))
                return error_prefix(err, "%s: pipeline '%s' (result)", s->path, pl->name);
        }
        /* a dispatched stage may take a frame from any sender: every sender
         * reaches its first member and the first sender every member */
        for (int k = 0; k < pl->n_stages; k++) {
            const scn_stage *st = &pl->stages[k];
            if (st->dispatch == DISPATCH_STATIC)
                continue;
            int n_from = k ? pl->stages[k - 1].node_group_size : pl->n_sources;
            for (int j = 0; j < n_from + st->node_group_size; j++) {
                int from_i = j < n_from ? j : 0, to_i = j < n_from ? 0 : j - n_from;
                int from = k ? pl->stages[k - 1].node_group_first + from_i : pl->sources[from_i];
                int to = st->node_group_first + to_i;
                if (from != to && !plan_route_get(c->p, from, to, err))
                    return error_prefix(err, "%s: pipeline '%s', stage %d", s->path, pl->name, k);
            }
        }
    }
    return 0;
}

/* Frames still queued or waiting at a NIC when the run stops (a deadlock). */
static void free_unfinished(run_ctx *c)
{
    for (int n = 0; n < c->s->n_nodes; n++)
        for (frame_rt *f = c->nics[n].head, *next; f; f = next) {
            next = f->next;
            free(f);
        }
    for (int i = 0; i < c->s->n_pipelines; i++) {
        const scn_pipeline *pl = &c->s->pipelines[i];
        int total = stage_actor_index(pl, pl->n_stages);
        for (int k = 0; k < total; k++) {
            stage_rt *q = c->stages[i][k];
            for (int j = 0; j < q->count; j++)
                free(q->buf[(q->head + j) % q->depth]);
            if (q->in)
                inbox_free_frames(q->in);
        }
        for (int ci = 0; ci < pl->n_sources; ci++)
            free(c->cameras[i][ci].held);
    }
}

/* SimGrid's mutexes and condition variables of the run (after it). */
static void destroy_sync(run_ctx *c)
{
    for (int n = 0; n < c->s->n_nodes; n++) {
        sg_mutex_destroy(c->accel[n]);
        sg_mutex_destroy(c->nics[n].m);
        sg_cond_destroy(c->nics[n].not_empty);
        sg_cond_destroy(c->nics[n].not_full);
    }
    for (int i = 0; i < c->s->n_pipelines; i++) {
        const scn_pipeline *pl = &c->s->pipelines[i];
        int total = stage_actor_index(pl, pl->n_stages);
        for (int k = 0; k < total; k++) {
            stage_rt *q = c->stages[i][k];
            if (q->m) { /* (none when a camera runs the stage) */
                sg_mutex_destroy(q->m);
                sg_cond_destroy(q->not_empty);
                sg_cond_destroy(q->not_full);
            }
            if (q->in)
                inbox_destroy(q->in);
        }
    }
    for (int i = 0; i < c->s->n_pipelines; i++)
        for (int ci = 0; c->s->pipelines[i].fps_max && ci < c->s->pipelines[i].n_sources; ci++)
            sg_sem_destroy(c->cameras[i][ci].left);
    sg_mutex_destroy(c->done_m);
    sg_cond_destroy(c->done_c);
}

/* The camera whose actor runs member m of pipeline i's stage 0 (-1: a
 * stage actor runs it): the one camera the member serves, when the member
 * is its own node (nothing else can feed that queue) and runs one frame at
 * a time. */
static int camera_running_stage0(const scenario *s, int i, int m)
{
    const scn_pipeline *pl = &s->pipelines[i];
    const scn_stage *st = &pl->stages[0];
    if (st->dispatch != DISPATCH_STATIC || m >= pl->n_sources ||
        m + st->node_group_size < pl->n_sources ||
        scenario_stage_batch(s, i, 0, st->node_group_first + m) > 1)
        return -1;
    return pl->sources[m] == st->node_group_first + m ? m : -1;
}

/* An inbox and its receiver actor for stage queue q. */
static int add_receiver(run_ctx *c, stage_rt *q)
{
    if (!(q->in = run_alloc(c, 1, sizeof *q->in)))
        return PS_ERR_NOMEM;
    inbox_init(q->in);
    char name[160];
    snprintf(name, sizeof name, "%s/%d/%s in", c->s->pipelines[q->pipeline].name, q->stage,
             c->s->nodes[q->node].name);
    spawn(name, q->node, c, receiver_actor, q, true);
    return 0;
}

/* Every actor of the run, with its queues, inboxes and locks. */
/* ptr = n zeroed elements of its type that live until the run is over */
#define RUN_ALLOC(ptr, n)                                                                        \
    do {                                                                                         \
        if (!((ptr) = run_alloc(c, (size_t)(n), sizeof *(ptr))))                                 \
            return PS_ERR_NOMEM;                                                                 \
    } while (0)

static int setup_actors(run_ctx *c)
{
    const scenario *s = c->s;
    RUN_ALLOC(c->accel, (size_t)s->n_nodes);
    RUN_ALLOC(c->hosts, (size_t)(s->n_nodes + s->n_switches));
    RUN_ALLOC(c->nics, (size_t)s->n_nodes);
    RUN_ALLOC(c->stages, (size_t)s->n_pipelines);
    RUN_ALLOC(c->cameras, (size_t)s->n_pipelines);
    RUN_ALLOC(c->turn, (size_t)s->n_pipelines * SCN_MAX_STAGES);
    RUN_ALLOC(c->links, (size_t)s->n_links + 1);
    RUN_ALLOC(c->dram, (size_t)s->n_nodes + 1);
    for (int n = 0; n < s->n_nodes; n++) {
        const accel_arch *a = &s->accels[s->nodes[n].accel].arch;
        c->dram[n] = a->kind != ARCH_MEASURED && a->dram_bw_bytes_per_s > 0;
    }
    c->done_m = sg_mutex_init();
    c->done_c = sg_cond_init();
    if (find_hosts_and_links(c))
        return PS_ERR_NOMEM;
    for (int n = 0; n < s->n_nodes; n++) {
        c->accel[n] = sg_mutex_init();
        c->nics[n] = (nic_rt){.ctx = c, .node = n, .depth = s->nodes[n].send_depth,
                              .policy = s->nodes[n].send_policy, .m = sg_mutex_init(),
                              .not_empty = sg_cond_init(), .not_full = sg_cond_init()};
    }
    for (int i = 0; i < s->n_pipelines; i++) {
        const scn_pipeline *pl = &s->pipelines[i];
        int total = stage_actor_index(pl, pl->n_stages);
        RUN_ALLOC(c->stages[i], (size_t)total);
        for (int k = 0, idx = 0; k < pl->n_stages; k++) {
            const scn_stage *st = &pl->stages[k];
            for (int m = 0; m < st->node_group_size; m++, idx++) {
                stage_rt *q;
                RUN_ALLOC(q, 1);
                q->ctx = c, q->pipeline = i, q->stage = k;
                q->node = st->node_group_first + m;
                q->depth = pl->queue_depth;
                q->batch = (int)scenario_stage_batch(s, i, k, q->node);
                RUN_ALLOC(q->buf, (size_t)q->depth);
                if (q->batch > 1) {
                    RUN_ALLOC(q->running, (size_t)q->batch);
                    RUN_ALLOC(q->jobs, (size_t)q->batch);
                }
                c->stages[i][idx] = q;
                if (k == 0 && camera_running_stage0(s, i, m) >= 0)
                    continue; /* its camera's actor runs it */
                q->m = sg_mutex_init();
                q->not_empty = sg_cond_init();
                q->not_full = sg_cond_init();
                char name[160];
                snprintf(name, sizeof name, "%s/%d/%s", pl->name, k, s->nodes[q->node].name);
                spawn(name, q->node, c, stage_actor, q, true);
            }
        }
        /* a receiver for each stage queue that the network feeds: with
         * static dispatch one that some camera's frames reach from another
         * node, otherwise every member */
        for (int k = 0; k < pl->n_stages; k++) {
            const scn_stage *st = &pl->stages[k];
            bool any_sender = st->dispatch != DISPATCH_STATIC ||
                              (k && pl->stages[k - 1].dispatch != DISPATCH_STATIC);
            for (int m = 0; any_sender && m < st->node_group_size; m++)
                if (add_receiver(c, stage_of(c, i, k, m)))
                    return PS_ERR_NOMEM;
            for (int ci = 0; !any_sender && ci < pl->n_sources; ci++) {
                int from = k ? pl->stages[k - 1].node_group_first +
                                   member_for(&pl->stages[k - 1], ci)
                             : pl->sources[ci];
                stage_rt *q = stage_of(c, i, k, member_for(st, ci));
                if (from != q->node && !q->in && add_receiver(c, q))
                    return PS_ERR_NOMEM;
            }
        }
        RUN_ALLOC(c->cameras[i], (size_t)pl->n_sources);
        for (int ci = 0; ci < pl->n_sources; ci++) {
            char name[160];
            camera_rt *cam = &c->cameras[i][ci];
            *cam = (camera_rt){.ctx = c, .pipeline = i, .index = ci, .node = pl->sources[ci],
                               .rng = s->seed * 0x9e3779b97f4a7c15ULL + (uint64_t)i * 1000003u +
                                      (uint64_t)ci,
                               .left = pl->fps_max ? sg_sem_init(0) : NULL, .next_k = -1};
            double period = pl->fps_max ? 0 : 1.0 / pl->fps;
            cam->phase = pl->phase == PHASE_RANDOM ? period * uniform01(&cam->rng)
                         : pl->phase == PHASE_STEP ? fmod((double)ci * pl->phase_step_s, period)
                                                   : 0;
            if (camera_running_stage0(s, i, member_for(&pl->stages[0], ci)) == ci)
                cam->local = stage_of(c, i, 0, member_for(&pl->stages[0], ci));
            c->cameras_running++;
            snprintf(name, sizeof name, "camera %s/%s", pl->name, s->nodes[cam->node].name);
            spawn(name, cam->node, c, cam->local ? camera_stage_actor : camera_actor, cam, false);
        }
    }
    return c->failed;
}

int pipeline_run(const scenario *s, plan *p, const pipeline_options *o, int *argc, char **argv,
            pipeline_result *r, ps_error *err)
{
    memset(r, 0, sizeof *r);
    r->nodes = calloc((size_t)s->n_nodes + 1, sizeof *r->nodes);
    r->links = calloc((size_t)s->n_links + 1, sizeof *r->links);
    r->pipelines = calloc((size_t)s->n_pipelines + 1, sizeof *r->pipelines);
    run_ctx *c = calloc(1, sizeof *c);
    for (int i = 0; r->pipelines && i < s->n_pipelines; i++) {
        r->pipelines[i].node_energy_j = calloc((size_t)s->n_nodes + 1, sizeof(double));
        r->pipelines[i].link_energy_j = calloc((size_t)s->n_links + 1, sizeof(double));
        if (!r->pipelines[i].node_energy_j || !r->pipelines[i].link_energy_j) {
            free(c);
            c = NULL;
        }
    }
    if (!r->nodes || !r->links || !r->pipelines || !c) {
        free(c);
        return error_set(err, PS_ERR_NOMEM, "out of memory");
    }
    *c = (run_ctx){.s = s, .p = p, .o = o, .r = r, .err = err};
    if (check_routes(c, err)) {
        free(c);
        return err->code;
    }
    topology t;
    int rc = build_topology(s, &t, err);
    engine_init(argc, argv);
    if (!rc)
        rc = write_profiles(s, o->platform_path, err);
    if (!rc)
        rc = engine_load_platform(&t, o->platform_path, err);
    topology_free(&t);
    if (rc) {
        free(c);
        return rc;
    }
    if (setup_actors(c)) {
        run_free_all(c);
        free(c);
        return error_set(err, PS_ERR_NOMEM, "out of memory setting up the run");
    }
    spawn("coordinator", 0, c, coordinator_actor, c, false);
    simgrid_run();
    r->end_s = fmax(simgrid_get_clock(), c->last_done_s);
    if (o->progress)
        fprintf(stderr, "\r%60s\r", "");
    /* the idle tail of every link, up to the end */
    for (int l = 0; l < s->n_links; l++)
        if (r->end_s > r->links[l].last_end_s)
            link_busy(c, l, 1, r->end_s, 0, -1), r->links[l].transfers--;
    for (int n = 0; n < s->n_nodes; n++) {
        const accel_arch *a = &s->accels[s->nodes[n].accel].arch;
        double idle = r->end_s - r->nodes[n].busy_s;
        /* the node's own static power all run long; its accelerator's
         * static power while idle (busy time's is in the stage energy) */
        r->nodes[n].energy_static_j = s->nodes[n].static_power_w * r->end_s +
                                      a->static_power_w * (idle > 0 ? idle : 0);
    }
    rc = 0;
    if (c->failed)
        rc = error_set(err, c->failed, "out of memory during the run");
    else if (!c->finished)
        rc = error_set(err, PS_ERR_INPUT, "the run stopped with %lld frame(s) unfinished at "
                       "t = %.6f s: a deadlock (e.g. 'block' queues feeding each other)",
                       (long long)c->outstanding, r->end_s);
    free_unfinished(c);
    destroy_sync(c);
    run_free_all(c);
    free(c);
    return rc;
}

void pipeline_result_free(pipeline_result *r, const scenario *s)
{
    if (r->pipelines)
        for (int i = 0; i < s->n_pipelines; i++) {
            stats_free(&r->pipelines[i].latency);
            free(r->pipelines[i].node_energy_j);
            free(r->pipelines[i].link_energy_j);
        }
    free(r->nodes);
    free(r->links);
    free(r->pipelines);
    memset(r, 0, sizeof *r);
}
