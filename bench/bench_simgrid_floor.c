/* The floor for `partsim run`: a bare SimGrid program with the actors and
 * messages partsim's pipeline (sim/pipeline.c) uses for the adas-8cam example
 * (platforms/examples/adas-8cam.yaml), and nothing else: no cost models, no
 * trace, no energy bookkeeping.  Per camera node:
 *   camera    30 fps with 0.5 ms of jitter (partsim's splitmix64 stream, seed 1),
 *             puts each frame into its stage's queue
 *   stage     takes a frame, sleeps the camera stage's time, hands it to the NIC
 *   nic       takes the frame from its list, sg_mailbox_put of the wire bytes
 * and on the ECU:
 *   receiver  one per camera (as partsim: one per sending node): takes arriving
 *             frames from its mailbox into the ECU stage's queue
 *   stage     takes a frame, holds the ECU's accelerator (a mutex) for the ECU
 *             stage's time, finishes the frame
 * plus a coordinator that waits until every emitted frame has finished.
 * Queues are bounded (depth 4, drop-oldest) rings under a mutex and two
 * conditions, as in partsim.  The platform is the XML partsim writes for this
 * scenario (net/topology.h), the network model partsim's (CM02).
 *
 *   bench_simgrid_floor [SIMULATED_S]      default 60
 *
 * The constants come from a `partsim run` of adas-8cam (its /frames table):
 * stage times and the wire bytes of the cut-set after /maxpool/MaxPool.
 * Prints frames, completed, dropped, mean latency (to compare with partsim's
 * /summary), the wall time of simgrid_run and simulated frames per second of
 * wall time. */
#include <stdio.h>
#include <stdlib.h>
#include <time.h>
#include <unistd.h>

#include <stddef.h>
#include <xbt/base.h>
#include <simgrid/actor.h>
#include <simgrid/cond.h>
#include <simgrid/engine.h>
#include <simgrid/host.h>
#include <simgrid/mailbox.h>
#include <simgrid/mutex.h>

#include "net/topology.h"
#include "sim/engine.h"

enum { CAMERAS = 8, QUEUE_DEPTH = 8 }; /* adas-8cam: queue depth 8 */

static const double FPS = 30.0;
static const double JITTER_S = 0.5e-3;
/* one full 1538 B Ethernet frame at 10 Gb/s: sw0 stores and forwards it */
static const double SAF_S = 1538.0 * 8 / 10e9;
static const double CAM_STAGE_S = 0.00843700148148141;  /* eyeriss-v1, up to /maxpool */
static const double ECU_STAGE_S = 0.0030583727669378155; /* jetson-xavier-nx, the rest */
static const long WIRE_BYTES = 164668;                   /* RLC cut-set + Ethernet framing */

typedef struct frame {
    int camera;
    double capture_s;
    struct frame *next; /* in a NIC's list */
} frame;

typedef struct queue {
    frame *buf[QUEUE_DEPTH];
    int head, count;
    sg_mutex_t m;
    sg_cond_t not_empty, not_full;
} queue;

typedef struct {
    frame *head, *tail;
    sg_mutex_t m;
    sg_cond_t not_empty;
} nic_list;

typedef struct {
    int cameras_running;
    long emitted, completed, dropped, outstanding;
    double latency_sum_s, duration_s;
    sg_mutex_t done_m;
    sg_cond_t done_c;
    queue cam_q[CAMERAS], ecu_q;
    nic_list nic[CAMERAS];
    sg_mutex_t ecu_accel;
    sg_mailbox_t ecu_mbox[CAMERAS];
} bench_ctx;

typedef struct {
    bench_ctx *ctx;
    int index;
} camera_arg;

static bench_ctx ctx;
static camera_arg cam_args[CAMERAS];

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

static void queue_init(queue *q)
{
    q->head = q->count = 0;
    q->m = sg_mutex_init();
    q->not_empty = sg_cond_init();
    q->not_full = sg_cond_init();
}

/* drop-oldest, as partsim's queue_put */
static void queue_put(bench_ctx *c, queue *q, frame *f)
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

static frame *queue_take(queue *q)
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

/* partsim's camera jitter stream (sim/pipeline.c uniform01) */
static double uniform01(uint64_t *s)
{
    uint64_t z = (*s += 0x9e3779b97f4a7c15ULL);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    z ^= z >> 31;
    return (double)(z >> 11) / 9007199254740992.0;
}

static void camera(int argc, char *argv[])
{
    (void)argc, (void)argv;
    camera_arg *a = sg_actor_self_get_data();
    bench_ctx *c = a->ctx;
    uint64_t rng = 1 * 0x9e3779b97f4a7c15ULL + (uint64_t)a->index; /* seed 1, pipeline 0 */
    for (long k = 0;; k++) {
        double t = (double)k / FPS + JITTER_S * uniform01(&rng);
        if (t >= c->duration_s)
            break;
        if (t > simgrid_get_clock())
            sg_actor_sleep_until(t);
        frame *f = malloc(sizeof *f);
        if (!f)
            break;
        f->camera = a->index;
        f->capture_s = simgrid_get_clock();
        c->emitted++;
        c->outstanding++;
        queue_put(c, &c->cam_q[a->index], f); /* stage 0 runs on the camera */
    }
    sg_mutex_lock(c->done_m);
    c->cameras_running--;
    if (c->outstanding == 0 && c->cameras_running == 0)
        sg_cond_notify_all(c->done_c);
    sg_mutex_unlock(c->done_m);
}

static void camera_stage(int argc, char *argv[])
{
    (void)argc, (void)argv;
    camera_arg *a = sg_actor_self_get_data();
    bench_ctx *c = a->ctx;
    nic_list *n = &c->nic[a->index];
    for (;;) {
        frame *f = queue_take(&c->cam_q[a->index]);
        sg_actor_sleep_for(CAM_STAGE_S);
        sg_mutex_lock(n->m);
        f->next = NULL;
        if (n->tail)
            n->tail->next = f;
        else
            n->head = f;
        n->tail = f;
        sg_cond_notify_one(n->not_empty);
        sg_mutex_unlock(n->m);
    }
}

static void nic(int argc, char *argv[])
{
    (void)argc, (void)argv;
    camera_arg *a = sg_actor_self_get_data();
    bench_ctx *c = a->ctx;
    nic_list *n = &c->nic[a->index];
    for (;;) {
        sg_mutex_lock(n->m);
        while (!n->head)
            sg_cond_wait(n->not_empty, n->m);
        frame *f = n->head;
        n->head = f->next;
        if (!n->head)
            n->tail = NULL;
        sg_mutex_unlock(n->m);
        sg_mailbox_put(c->ecu_mbox[a->index], f, WIRE_BYTES);
    }
}

static void receiver(int argc, char *argv[])
{
    (void)argc, (void)argv;
    camera_arg *a = sg_actor_self_get_data();
    bench_ctx *c = a->ctx;
    for (;;) {
        frame *f = sg_mailbox_get(c->ecu_mbox[a->index]);
        sg_actor_sleep_for(SAF_S); /* the switch's store and forward, as partsim */
        queue_put(c, &c->ecu_q, f);
    }
}

static void ecu_stage(int argc, char *argv[])
{
    (void)argc, (void)argv;
    bench_ctx *c = sg_actor_self_get_data();
    for (;;) {
        frame *f = queue_take(&c->ecu_q);
        sg_mutex_lock(c->ecu_accel);
        sg_actor_sleep_for(ECU_STAGE_S);
        sg_mutex_unlock(c->ecu_accel);
        frame_finish(c, f, 0);
    }
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

static void spawn(const char *name, const char *host, void (*fn)(int, char **), void *data,
                  int daemon)
{
    sg_actor_t a = sg_actor_init(name, sg_host_by_name(host));
    sg_actor_set_data(a, data);
    sg_actor_start(a, fn, 0, NULL);
    if (daemon)
        sg_actor_daemonize(a);
}

/* The platform partsim writes for adas-8cam: cam0..7 -1000BASE-T (5 m)- sw0
 * -10GBASE-T (2 m)- ecu, full duplex, latency 6 ns/m. */
static int platform_load(const char *path, ps_error *err)
{
    topology t;
    topology_init(&t);
    char name[32];
    for (int i = 0; i < CAMERAS; i++) {
        snprintf(name, sizeof name, "cam%d", i);
        topology_add_node(&t, name, false, 1e9, err);
    }
    int ecu = topology_add_node(&t, "ecu", false, 1e9, err);
    int sw = topology_add_node(&t, "sw0", true, 0, err);
    for (int i = 0; i < CAMERAS; i++) {
        snprintf(name, sizeof name, "cam%d-sw0", i);
        topology_add_link(&t, name, i, sw, 1e9 / 8, 6e-9 * 5, true, err);
    }
    topology_add_link(&t, "sw0-ecu", sw, ecu, 10e9 / 8, 6e-9 * 2, true, err);
    int rc = err->code ? (int)err->code : engine_load_platform(&t, path, err);
    topology_free(&t);
    return rc;
}

static double now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

int main(int argc, char *argv[])
{
    engine_init(&argc, argv);
    ctx.duration_s = argc > 1 ? atof(argv[1]) : 60.0;
    if (!(ctx.duration_s > 0)) {
        fprintf(stderr, "usage: bench_simgrid_floor [SIMULATED_S]\n");
        return 2;
    }
    ps_error err = {0};
    char path[64];
    snprintf(path, sizeof path, "/tmp/bench_simgrid_floor-%ld.xml", (long)getpid());
    int rc = platform_load(path, &err);
    unlink(path);
    if (rc) {
        fprintf(stderr, "bench_simgrid_floor: %s\n", err.msg);
        return 1;
    }

    bench_ctx *c = &ctx;
    c->done_m = sg_mutex_init();
    c->done_c = sg_cond_init();
    c->ecu_accel = sg_mutex_init();
    queue_init(&c->ecu_q);
    spawn("detect/1/ecu", "ecu", ecu_stage, c, 1);
    for (int i = 0; i < CAMERAS; i++) {
        char host[16], name[64];
        snprintf(host, sizeof host, "cam%d", i);
        cam_args[i] = (camera_arg){c, i};
        char mb[64];
        snprintf(mb, sizeof mb, "detect/1/ecu from %s", host);
        c->ecu_mbox[i] = sg_mailbox_by_name(mb);
        spawn(mb, "ecu", receiver, &cam_args[i], 1);
        queue_init(&c->cam_q[i]);
        c->nic[i] = (nic_list){.m = sg_mutex_init(), .not_empty = sg_cond_init()};
        snprintf(name, sizeof name, "nic-%s", host);
        spawn(name, host, nic, &cam_args[i], 1);
        snprintf(name, sizeof name, "detect/0/%s", host);
        spawn(name, host, camera_stage, &cam_args[i], 1);
        snprintf(name, sizeof name, "camera detect/%s", host);
        c->cameras_running++;
        spawn(name, host, camera, &cam_args[i], 0);
    }
    spawn("coordinator", "cam0", coordinator, c, 0);

    double t0 = now_s();
    simgrid_run();
    double wall_s = now_s() - t0;
    printf("floor: %d cameras x %.0f fps, %.0f s simulated (to %.3f s): %ld frames, "
           "%ld completed, %ld dropped, mean latency %.6f ms; simgrid_run %.3f s wall, "
           "%.0f frames/s\n",
           CAMERAS, FPS, c->duration_s, simgrid_get_clock(), c->emitted, c->completed,
           c->dropped, c->completed ? 1e3 * c->latency_sum_s / (double)c->completed : 0.0,
           wall_s, (double)c->emitted / wall_s);
    return c->outstanding ? 1 : 0;
}
