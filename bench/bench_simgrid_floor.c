/* The floor for `partsim run`: a bare SimGrid program with the actors and
 * SimGrid activities partsim's pipeline (sim/pipeline.c) creates, and nothing
 * else: no cost models, no trace, no energy bookkeeping, no per-frame record.
 * The platform is the XML partsim writes (net/topology.h, hierarchical
 * netzones) and the engine set-up partsim's (sim/engine.c engine_init: CM02,
 * no cross-traffic, TCP-gamma 0, 256 KiB stacks without guard pages,
 * M_MMAP_THRESHOLD pinned at 128 KiB).
 *
 * Actors, as sim/pipeline.c creates them for a two-stage pipeline whose stage
 * 0 runs on the camera node:
 *   nic       one per node (every node, as partsim, also those that never
 *             send): takes the next frame of its send list (depth 64,
 *             drop-oldest: partsim's default send queue), sg_host_sendto of
 *             the wire bytes to the destination host (no mailbox, no matching
 *             receive), then hands the frame to the destination's inbox with
 *             its arrival time: the end of the flow plus the store and forward
 *             of one full 1538 B Ethernet frame per switch it left
 *   camera    one per camera: captures at its rate and queues the frame at
 *             stage 0 on its own node (transfer 0 within a node costs nothing)
 *   stage     one per (stage, node): takes a frame from its bounded queue
 *             (depth 8, drop-oldest: a ring under a mutex and two
 *             conditions), holds the node's accelerator (a mutex) for the
 *             stage's time (a sleep), then hands the frame to its node's NIC
 *             (stage 0) or finishes it (stage 1)
 *   receiver  one per stage queue the network feeds: takes a frame from its
 *             inbox once it has arrived (a timed condition wait until the
 *             arrival time) and queues it at the stage
 *   coordinator  waits until every emitted frame has finished
 * so per completed frame: one sleep_until (camera), two stage sleeps, one
 * sendto, one timed wait (receiver), and the mutex/condition traffic of two
 * queue puts and takes, one NIC list, two accelerator locks and one finish.
 *
 * Two modes:
 *
 *   bench_simgrid_floor [SIMULATED_S]                   default 60
 *     adas-8cam (platforms/examples/adas-8cam.yaml): cam0..7 -1000BASE-T (5 m)-
 *     sw0 -10GBASE-T (2 m)- ecu; 30 fps with 0.5 ms of jitter, phase 0; ResNet-50
 *     cut after /maxpool/MaxPool.  One receiver (the ECU's stage queue).
 *     Constants from a `partsim run` of adas-8cam (its /frames table):
 *       CAM_STAGE_S  mean s0_end_s - s0_start_s  (eyeriss-v1, layers 1..3)
 *       ECU_STAGE_S  mean s1_end_s - s1_start_s  (jetson-xavier-nx, the rest)
 *       WIRE_BYTES   t1_wire_bytes (RLC cut-set + Ethernet framing)
 *     Prints frames, completed, dropped, mean latency (to compare with
 *     partsim's /summary), the wall time of simgrid_run and simulated frames
 *     per second of wall time.
 *
 *   bench_simgrid_floor SIMULATED_S CAMERAS [LOAD]      LOAD default 1
 *     the scenario of bench/bench_scale.py: CAMERAS cameras at 30 * LOAD fps,
 *     random phase (uniform in one period, partsim's splitmix64 stream, seed
 *     1: state = seed * 0x9e3779b97f4a7c15 + pipeline * 1000003 + camera),
 *     on access switches acc<g> of 48 ports (1000BASE-T: 125e6 B/s, 10 m =
 *     60 ns), each acc<g> on one aggregation switch agg over 10GBASE-T
 *     (1.25e9 B/s, 30 m = 180 ns), and per access group of k cameras
 *     max(1, k / 8) edge nodes on agg over 10GBASE-T (5 m = 30 ns).  One
 *     pipeline per group; camera i of a group sends to edge i mod (the
 *     group's edges): static dispatch, as the bench script.  Node, switch and
 *     link names and order as partsim builds them (c<g>x<i>, e<g>x<j>,
 *     c<g>x<i>-acc<g>, acc<g>-agg, e<g>x<j>-agg; host speeds 8e8 and 5.12e10,
 *     the DRAM bandwidths partsim gives its hosts), so the platform XML is
 *     the same file partsim writes (checked with `partsim run
 *     --keep-platform` on 96 cameras: identical).  ResNet-50, 8 bits, cut
 *     after /layer1/layer1.0/relu_2/Relu (cut index 11).  Constants:
 *       SCALE_CAM_STAGE_S  sum of latency_s of layers 1..11 of `partsim accel
 *                          eyeriss-v1 resnet50 --bits 8 --format csv`
 *                          (= mean s0 time of the /frames table of `partsim
 *                          run` of bench_scale.py's scenario(8, 1.0))
 *       SCALE_EDGE_STAGE_S sum of latency_s of layers 12..121 of `partsim
 *                          accel jetson-xavier-nx resnet50 --bits 8`
 *                          (= mean s1 time of the same /frames table)
 *       SCALE_WIRE_BYTES   t1_wire_bytes of that /frames table (802,816 B
 *                          cut-set, RLC at 50 % sparsity, Ethernet framing)
 *       SCALE_SAF_S        store and forward at acc<g> (10GBASE-T out) and
 *                          agg (10GBASE-T out) of one 1538 B frame, as
 *                          plan_saf_delay (t1_end_s - t1_start_s of an
 *                          uncontended frame = 658555 / 125e6 + 270 ns +
 *                          this, checked against that table)
 *     Prints cameras, simulated s, frames, completed, dropped, mean latency,
 *     the wall time of set-up and of simgrid_run, frames per wall second of
 *     simgrid_run and the actors created: 3 per camera (camera, stage 0, NIC)
 *     and 3 per edge (stage 1, receiver, NIC) and the coordinator. */
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <stddef.h>
#include <xbt/base.h>
#include <simgrid/actor.h>
#include <simgrid/cond.h>
#include <simgrid/engine.h>
#include <simgrid/host.h>
#include <simgrid/mutex.h>

#include "bench/bench_clock.h"
#include "base/strmap.h"
#include "net/topology.h"
#include "sim/engine.h"

enum {
    QUEUE_DEPTH = 8, /* stage queues: adas-8cam and bench_scale.py, drop-oldest */
    SEND_DEPTH = 64, /* NIC send queues: partsim's default (SCN_SEND_DEPTH), drop-oldest */
    ADAS_CAMERAS = 8,
    PORTS = 48,        /* bench_scale.py: cameras per access switch */
    CAMS_PER_EDGE = 8, /* bench_scale.py: cameras per edge node */
};

static const double FPS = 30.0;
/* partsim's camera streams start at seed * GOLDEN + pipeline * 1000003 + camera */
static const uint64_t SEED = 1, GOLDEN = 0x9e3779b97f4a7c15u;
static const double WIRE_S_PER_M = 6e-9; /* net/link.c WIRE_DELAY_S_PER_M */
static const double ETH_MAX_FRAME_B = 1538; /* preamble + SFD, header + FCS, 1500 B, gap */

/* adas-8cam */
static const double JITTER_S = 0.5e-3;
static const double CAM_STAGE_S = 0.00843700148148141;  /* eyeriss-v1, up to /maxpool */
static const double ECU_STAGE_S = 0.0030583727669378155; /* jetson-xavier-nx, the rest */
static const double WIRE_BYTES = 164668;                 /* RLC cut-set + Ethernet framing */

/* bench_scale.py's scenario (cut after /layer1/layer1.0/relu_2/Relu) */
static const double SCALE_CAM_STAGE_S = 0.026115489185185185; /* eyeriss-v1, layers 1..11 */
static const double SCALE_EDGE_STAGE_S = 0.002827160894452661; /* jetson-xavier-nx, 12.. */
static const double SCALE_WIRE_BYTES = 658555;
static const double CAM_SPEED = 8e8, EDGE_SPEED = 5.12e10; /* as partsim's XML (unused) */

struct stage_q;

typedef struct frame {
    double capture_s, arrive_s;
    struct stage_q *dest; /* the stage queue its transfer delivers it to */
    struct frame *next;   /* in a NIC's send list or an inbox */
} frame;

/* partsim's inbox: frames in arrival order; only the receiver holds the
 * mutex (inbox_put does not lock: actors switch only at SimGrid calls). */
typedef struct {
    frame *head, *tail;
    sg_mutex_t m;
    sg_cond_t changed;
} inbox;

typedef struct stage_q {
    int node;
    double time_s;          /* the stage's accelerator time */
    struct stage_q *next_q; /* where frames go next (over the network); NULL: last stage */
    frame *buf[QUEUE_DEPTH];
    int head, count;
    sg_mutex_t m;
    sg_cond_t not_empty, not_full;
    inbox *in; /* NULL when nothing reaches it over the network */
} stage_q;

typedef struct {
    sg_host_t host;
    sg_mutex_t accel;
    /* the NIC's send list (the frame on the wire is not in it) */
    frame *head, *tail;
    int count;
    sg_mutex_t m;
    sg_cond_t not_empty, not_full;
} node_rt;

typedef struct {
    stage_q *q; /* stage 0, on the camera's node */
    uint64_t rng;
    double period_s, jitter_s;
    int random_phase;
} camera_rt;

typedef struct {
    int cameras_running;
    long emitted, completed, dropped, outstanding, actors;
    double latency_sum_s, duration_s;
    double wire_bytes, saf_s; /* one kind of transfer per mode */
    sg_mutex_t done_m;
    sg_cond_t done_c;
    node_rt *nodes;
    int n_nodes;
} bench_ctx;

static bench_ctx ctx;

static void frame_finish(bench_ctx *c, frame *f, int dropped)
{
    if (dropped)
        c->dropped++;
    else {
        c->completed++;
        c->latency_sum_s += simgrid_get_clock() - f->capture_s;
    }
    free(f);
    sg_mutex_lock(c->done_m);
    c->outstanding--;
    if (c->outstanding == 0 && c->cameras_running == 0)
        sg_cond_notify_all(c->done_c);
    sg_mutex_unlock(c->done_m);
}

/* ---- stage queues (partsim's queue_put / queue_take, drop-oldest) ---- */

static void queue_init(stage_q *q, int node, double time_s, stage_q *next_q)
{
    memset(q, 0, sizeof *q);
    q->node = node;
    q->time_s = time_s;
    q->next_q = next_q;
    q->m = sg_mutex_init();
    q->not_empty = sg_cond_init();
    q->not_full = sg_cond_init();
}

static void queue_put(bench_ctx *c, stage_q *q, frame *f)
{
    sg_mutex_lock(q->m);
    if (q->count == QUEUE_DEPTH) {
        frame *old = q->buf[q->head];
        q->head = (q->head + 1) % QUEUE_DEPTH;
        q->count--;
        sg_mutex_unlock(q->m);
        frame_finish(c, old, 1);
        sg_mutex_lock(q->m);
        while (q->count == QUEUE_DEPTH)
            sg_cond_wait(q->not_full, q->m);
    }
    q->buf[(q->head + q->count) % QUEUE_DEPTH] = f;
    q->count++;
    sg_cond_notify_one(q->not_empty);
    sg_mutex_unlock(q->m);
}

static frame *queue_take(stage_q *q)
{
    sg_mutex_lock(q->m);
    while (q->count == 0)
        sg_cond_wait(q->not_empty, q->m);
    frame *f = q->buf[q->head];
    q->head = (q->head + 1) % QUEUE_DEPTH;
    q->count--;
    sg_cond_notify_one(q->not_full);
    sg_mutex_unlock(q->m);
    return f;
}

/* ---- inboxes (partsim's inbox_put / inbox_take) ---- */

static inbox *inbox_new(void)
{
    inbox *in = calloc(1, sizeof *in);
    if (in) {
        in->m = sg_mutex_init();
        in->changed = sg_cond_init();
    }
    return in;
}

static void inbox_put(inbox *in, frame *f)
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
        frame *at = in->head;
        while (at->next && at->next->arrive_s <= f->arrive_s)
            at = at->next;
        f->next = at->next;
        at->next = f;
    }
    sg_cond_notify_all(in->changed);
}

static frame *inbox_take(inbox *in)
{
    sg_mutex_lock(in->m);
    for (;;) {
        while (!in->head)
            sg_cond_wait(in->changed, in->m);
        double wait = in->head->arrive_s - simgrid_get_clock();
        if (wait <= 1e-12)
            break;
        sg_cond_wait_for(in->changed, in->m, wait); /* or an earlier arrival */
    }
    frame *f = in->head;
    in->head = f->next;
    if (!in->head)
        in->tail = NULL;
    sg_mutex_unlock(in->m);
    return f;
}

/* ---- NICs ---- */

/* partsim's send_frame: onto the node's send list, drop-oldest when full. */
static void nic_send(bench_ctx *c, node_rt *n, frame *f, stage_q *dest)
{
    f->dest = dest;
    sg_mutex_lock(n->m);
    if (n->count == SEND_DEPTH) {
        frame *old = n->head;
        n->head = old->next;
        if (!n->head)
            n->tail = NULL;
        n->count--;
        sg_mutex_unlock(n->m);
        frame_finish(c, old, 1);
        sg_mutex_lock(n->m);
        while (n->count == SEND_DEPTH)
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

static void nic(int argc, char *argv[])
{
    (void)argc, (void)argv;
    node_rt *n = sg_actor_self_get_data();
    bench_ctx *c = &ctx;
    for (;;) {
        sg_mutex_lock(n->m);
        while (!n->head)
            sg_cond_wait(n->not_empty, n->m);
        frame *f = n->head;
        n->head = f->next;
        if (!n->head)
            n->tail = NULL;
        n->count--;
        sg_cond_notify_one(n->not_full);
        sg_mutex_unlock(n->m);
        sg_host_sendto(n->host, c->nodes[f->dest->node].host, ceil(c->wire_bytes));
        f->arrive_s = simgrid_get_clock() + c->saf_s;
        inbox_put(f->dest->in, f);
    }
}

/* ---- stages, receivers, cameras ---- */

static void stage(int argc, char *argv[])
{
    (void)argc, (void)argv;
    stage_q *q = sg_actor_self_get_data();
    bench_ctx *c = &ctx;
    node_rt *n = &c->nodes[q->node];
    for (;;) {
        frame *f = queue_take(q);
        sg_mutex_lock(n->accel);
        sg_actor_sleep_for(q->time_s);
        sg_mutex_unlock(n->accel);
        if (q->next_q)
            nic_send(c, n, f, q->next_q);
        else
            frame_finish(c, f, 0);
    }
}

static void receiver(int argc, char *argv[])
{
    (void)argc, (void)argv;
    stage_q *q = sg_actor_self_get_data();
    for (;;)
        queue_put(&ctx, q, inbox_take(q->in));
}

/* partsim's camera stream (sim/pipeline.c uniform01): splitmix64 */
static double uniform01(uint64_t *s)
{
    uint64_t z = (*s += GOLDEN);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    z ^= z >> 31;
    return (double)(z >> 11) / 9007199254740992.0;
}

static void camera(int argc, char *argv[])
{
    (void)argc, (void)argv;
    camera_rt *cam = sg_actor_self_get_data();
    bench_ctx *c = &ctx;
    double phase = cam->random_phase ? cam->period_s * uniform01(&cam->rng) : 0;
    for (long k = 0;; k++) {
        /* as partsim: the jitter draw is made even when the jitter is 0 */
        double t = phase + (double)k * cam->period_s + cam->jitter_s * uniform01(&cam->rng);
        if (t >= c->duration_s)
            break;
        if (t > simgrid_get_clock())
            sg_actor_sleep_until(t);
        frame *f = malloc(sizeof *f);
        if (!f)
            break;
        f->capture_s = simgrid_get_clock();
        c->emitted++;
        c->outstanding++;
        queue_put(c, cam->q, f); /* stage 0 runs on the camera */
    }
    sg_mutex_lock(c->done_m);
    c->cameras_running--;
    if (c->outstanding == 0 && c->cameras_running == 0)
        sg_cond_notify_all(c->done_c);
    sg_mutex_unlock(c->done_m);
}

static void coordinator(int argc, char *argv[])
{
    (void)argc, (void)argv;
    bench_ctx *c = sg_actor_self_get_data();
    sg_mutex_lock(c->done_m);
    while (c->outstanding > 0 || c->cameras_running > 0)
        sg_cond_wait(c->done_c, c->done_m);
    sg_mutex_unlock(c->done_m);
}

/* ---- set-up ---- */

static void spawn(const char *name, int node, void (*fn)(int, char **), void *data, int daemon)
{
    sg_actor_t a = sg_actor_init(name, ctx.nodes[node].host);
    sg_actor_set_data(a, data);
    sg_actor_start(a, fn, 0, NULL);
    if (daemon)
        sg_actor_daemonize(a);
    ctx.actors++;
}

/* Load the topology (hosts are nodes 0..n_hosts-1, then the switches), find
 * every host from one listing (lookups by name walk the zone tree, as
 * partsim's find_hosts_and_links avoids), give each node its accelerator
 * mutex and NIC list. */
static int load_nodes(bench_ctx *c, topology *t, int n_hosts, ps_error *err)
{
    char path[64];
    snprintf(path, sizeof path, "/tmp/bench_simgrid_floor-%ld.xml", (long)getpid());
    int rc = err->code ? (int)err->code : engine_load_platform(t, path, err);
    if (getenv("BENCH_FLOOR_KEEP_XML"))
        fprintf(stderr, "bench_simgrid_floor: platform kept at %s\n", path);
    else
        unlink(path);
    if (rc)
        return rc;
    c->n_nodes = n_hosts;
    c->nodes = calloc((size_t)n_hosts, sizeof *c->nodes);
    strmap index = STRMAP_INIT;
    for (int i = 0; c->nodes && i < n_hosts && !rc; i++)
        rc = strmap_add(&index, t->nodes[i].name, i) < 0;
    size_t n = sg_host_count();
    sg_host_t *hosts = sg_host_list();
    for (size_t i = 0; c->nodes && i < n && !rc; i++) {
        int h = strmap_find(&index, sg_host_get_name(hosts[i]));
        if (h >= 0)
            c->nodes[h].host = hosts[i];
    }
    free(hosts);
    strmap_free(&index);
    if (!c->nodes || rc) {
        snprintf(err->msg, sizeof err->msg, "out of memory");
        return 1;
    }
    for (int i = 0; i < n_hosts; i++) {
        if (!c->nodes[i].host) {
            snprintf(err->msg, sizeof err->msg, "host %s not in the platform", t->nodes[i].name);
            return 1;
        }
        c->nodes[i].accel = sg_mutex_init();
        c->nodes[i].m = sg_mutex_init();
        c->nodes[i].not_empty = sg_cond_init();
        c->nodes[i].not_full = sg_cond_init();
    }
    return 0;
}

static void spawn_nics(bench_ctx *c, topology *t)
{
    char name[96];
    for (int i = 0; i < c->n_nodes; i++) {
        snprintf(name, sizeof name, "nic-%s", t->nodes[i].name);
        spawn(name, i, nic, &c->nodes[i], 1);
    }
}

/* adas-8cam: cam0..7 -1000BASE-T (5 m)- sw0 -10GBASE-T (2 m)- ecu, full
 * duplex, latency 6 ns/m.  Nodes 0..7 cameras, 8 the ECU. */
static int setup_adas(bench_ctx *c, ps_error *err)
{
    static stage_q cam_q[ADAS_CAMERAS], ecu_q;
    static camera_rt cams[ADAS_CAMERAS];
    topology t;
    topology_init(&t);
    char name[64];
    for (int i = 0; i < ADAS_CAMERAS; i++) {
        snprintf(name, sizeof name, "cam%d", i);
        topology_add_node(&t, name, false, 1e9, err);
    }
    int ecu = topology_add_node(&t, "ecu", false, 1e9, err);
    int sw = topology_add_node(&t, "sw0", true, 0, err);
    for (int i = 0; i < ADAS_CAMERAS; i++) {
        snprintf(name, sizeof name, "cam%d-sw0", i);
        topology_add_link(&t, name, i, sw, 1e9 / 8, WIRE_S_PER_M * 5, true, err);
    }
    topology_add_link(&t, "sw0-ecu", sw, ecu, 10e9 / 8, WIRE_S_PER_M * 2, true, err);
    int rc = load_nodes(c, &t, ADAS_CAMERAS + 1, err);
    if (rc) {
        topology_free(&t);
        return rc;
    }
    c->wire_bytes = WIRE_BYTES;
    c->saf_s = ETH_MAX_FRAME_B * 8.0 / 10e9; /* sw0 forwards onto 10GBASE-T */
    spawn_nics(c, &t);
    queue_init(&ecu_q, ecu, ECU_STAGE_S, NULL);
    ecu_q.in = inbox_new();
    if (!ecu_q.in) {
        topology_free(&t);
        snprintf(err->msg, sizeof err->msg, "out of memory");
        return 1;
    }
    spawn("detect/1/ecu", ecu, stage, &ecu_q, 1);
    spawn("detect/1/ecu in", ecu, receiver, &ecu_q, 1);
    for (int i = 0; i < ADAS_CAMERAS; i++) {
        queue_init(&cam_q[i], i, CAM_STAGE_S, &ecu_q);
        snprintf(name, sizeof name, "detect/0/cam%d", i);
        spawn(name, i, stage, &cam_q[i], 1);
        cams[i] = (camera_rt){.q = &cam_q[i], .rng = SEED * GOLDEN + (uint64_t)i,
                              .period_s = 1.0 / FPS, .jitter_s = JITTER_S};
        c->cameras_running++;
        snprintf(name, sizeof name, "camera detect/cam%d", i);
        spawn(name, i, camera, &cams[i], 0);
    }
    topology_free(&t);
    return 0;
}

/* bench_scale.py's scenario(n, load): nodes in partsim's order (per group
 * its cameras, then its edges), then the switches acc0.., agg; links per
 * group: cameras to acc<g>, acc<g> to agg, edges to agg. */
static int setup_scale(bench_ctx *c, int n_cams, double load, int *n_edges, ps_error *err)
{
    int groups = (n_cams + PORTS - 1) / PORTS;
    int *first = calloc((size_t)groups, sizeof *first); /* a group's first node */
    int *edges = calloc((size_t)groups, sizeof *edges);
    if (!first || !edges) {
        free(first), free(edges);
        snprintf(err->msg, sizeof err->msg, "out of memory");
        return 1;
    }
    topology t;
    topology_init(&t);
    char name[64];
    int left = n_cams, n_hosts = 0;
    *n_edges = 0;
    for (int g = 0; g < groups; g++) {
        int k = left < PORTS ? left : PORTS;
        left -= k;
        edges[g] = k / CAMS_PER_EDGE > 1 ? k / CAMS_PER_EDGE : 1;
        *n_edges += edges[g];
        first[g] = n_hosts;
        for (int i = 0; i < k; i++) {
            snprintf(name, sizeof name, "c%dx%d", g, i);
            topology_add_node(&t, name, false, CAM_SPEED, err);
        }
        for (int j = 0; j < edges[g]; j++) {
            snprintf(name, sizeof name, "e%dx%d", g, j);
            topology_add_node(&t, name, false, EDGE_SPEED, err);
        }
        n_hosts += k + edges[g];
    }
    for (int g = 0; g < groups; g++) {
        snprintf(name, sizeof name, "acc%d", g);
        topology_add_node(&t, name, true, 0, err);
    }
    int agg = topology_add_node(&t, "agg", true, 0, err);
    for (int g = 0; g < groups; g++) {
        int k = g + 1 < groups ? PORTS : n_cams - PORTS * g, acc = n_hosts + g;
        for (int i = 0; i < k; i++) {
            snprintf(name, sizeof name, "c%dx%d-acc%d", g, i, g);
            topology_add_link(&t, name, first[g] + i, acc, 1e9 / 8.0, 0 + WIRE_S_PER_M * 10.0,
                              true, err);
        }
        snprintf(name, sizeof name, "acc%d-agg", g);
        topology_add_link(&t, name, acc, agg, 10e9 / 8.0, 0 + WIRE_S_PER_M * 30.0, true, err);
        for (int j = 0; j < edges[g]; j++) {
            snprintf(name, sizeof name, "e%dx%d-agg", g, j);
            topology_add_link(&t, name, first[g] + k + j, agg, 10e9 / 8.0,
                              0 + WIRE_S_PER_M * 5.0, true, err);
        }
    }
    int rc = load_nodes(c, &t, n_hosts, err);
    stage_q *qs = rc ? NULL : calloc((size_t)n_hosts, sizeof *qs);
    camera_rt *cams = rc ? NULL : calloc((size_t)n_cams, sizeof *cams);
    if (!rc && (!qs || !cams)) {
        snprintf(err->msg, sizeof err->msg, "out of memory");
        rc = 1;
    }
    if (rc) {
        free(qs), free(cams), free(first), free(edges);
        topology_free(&t);
        return rc;
    }
    c->wire_bytes = SCALE_WIRE_BYTES;
    /* plan_saf_delay: the hops after the first, acc<g>-agg and agg-e<g>x<j> */
    c->saf_s = 0;
    c->saf_s += ETH_MAX_FRAME_B * 8.0 / 10e9;
    c->saf_s += ETH_MAX_FRAME_B * 8.0 / 10e9;
    spawn_nics(c, &t);
    double fps = FPS * load;
    for (int g = 0, cam_i = 0; g < groups; g++) {
        int k = g + 1 < groups ? PORTS : n_cams - PORTS * g;
        for (int j = 0; j < edges[g]; j++) {
            int node = first[g] + k + j;
            stage_q *q = &qs[node];
            queue_init(q, node, SCALE_EDGE_STAGE_S, NULL);
            if (!(q->in = inbox_new())) {
                snprintf(err->msg, sizeof err->msg, "out of memory");
                rc = 1;
                break;
            }
            snprintf(name, sizeof name, "p%d/1/%s", g, t.nodes[node].name);
            spawn(name, node, stage, q, 1);
            snprintf(name, sizeof name, "p%d/1/%s in", g, t.nodes[node].name);
            spawn(name, node, receiver, q, 1);
        }
        for (int i = 0; i < k && !rc; i++, cam_i++) {
            int node = first[g] + i;
            stage_q *q = &qs[node];
            queue_init(q, node, SCALE_CAM_STAGE_S, &qs[first[g] + k + i % edges[g]]);
            snprintf(name, sizeof name, "p%d/0/%s", g, t.nodes[node].name);
            spawn(name, node, stage, q, 1);
            cams[cam_i] = (camera_rt){
                .q = q,
                .rng = SEED * GOLDEN + (uint64_t)g * 1000003u + (uint64_t)i,
                .period_s = 1.0 / fps,
                .random_phase = 1};
            c->cameras_running++;
            snprintf(name, sizeof name, "camera p%d/%s", g, t.nodes[node].name);
            spawn(name, node, camera, &cams[cam_i], 0);
        }
        if (rc)
            break;
    }
    /* qs and cams live until the process ends */
    free(first), free(edges);
    topology_free(&t);
    return rc;
}

int main(int argc, char *argv[])
{
    double t_setup = now_s();
    engine_init(&argc, argv);
    bench_ctx *c = &ctx;
    c->duration_s = argc > 1 ? atof(argv[1]) : 60.0;
    long n_cams = argc > 2 ? strtol(argv[2], NULL, 10) : 0;
    double load = argc > 3 ? atof(argv[3]) : 1.0;
    if (!(c->duration_s > 0) || argc > 4 || (argc > 2 && (n_cams < 1 || n_cams > 1000000)) ||
        !(load > 0)) {
        fprintf(stderr, "usage: bench_simgrid_floor [SIMULATED_S]             (adas-8cam)\n"
                        "       bench_simgrid_floor SIMULATED_S CAMERAS [LOAD] "
                        "(bench/bench_scale.py's scenario)\n");
        return 2;
    }
    ps_error err = {0};
    c->done_m = sg_mutex_init();
    c->done_c = sg_cond_init();
    int n_edges = 0;
    int rc = argc > 2 ? setup_scale(c, (int)n_cams, load, &n_edges, &err) : setup_adas(c, &err);
    if (rc) {
        fprintf(stderr, "bench_simgrid_floor: %s\n", err.msg);
        return 1;
    }
    spawn("coordinator", 0, coordinator, c, 0);
    size_t sg_actors = sg_actor_count();

    double t0 = now_s();
    simgrid_run();
    double wall_s = now_s() - t0;
    double mean_ms = c->completed ? 1e3 * c->latency_sum_s / (double)c->completed : 0.0;
    if (argc > 2)
        printf("floor-scale: %ld cameras (%d edges) x %g fps, %g s simulated (to %.3f s): "
               "%ld frames, %ld completed, %ld dropped, mean latency %.6f ms; set-up %.3f s "
               "wall, simgrid_run %.3f s wall, %.0f frames/s; %ld actors (SimGrid: %zu)\n",
               n_cams, n_edges, FPS * load, c->duration_s, simgrid_get_clock(), c->emitted,
               c->completed, c->dropped, mean_ms, t0 - t_setup, wall_s,
               (double)c->emitted / wall_s, c->actors, sg_actors);
    else
        printf("floor: %d cameras x %.0f fps, %.0f s simulated (to %.3f s): %ld frames, "
               "%ld completed, %ld dropped, mean latency %.6f ms; simgrid_run %.3f s wall, "
               "%.0f frames/s\n",
               ADAS_CAMERAS, FPS, c->duration_s, simgrid_get_clock(), c->emitted, c->completed,
               c->dropped, mean_ms, wall_s, (double)c->emitted / wall_s);
    return c->outstanding ? 1 : 0;
}
