/* A sweep over MPI ranks (sim/sweep_mpi.h). */
#include "sim/sweep_mpi.h"

#include <stdlib.h>
#include <string.h>
#include <time.h>

#ifdef PARTSIM_HAVE_MPI

#include <mpi.h>

#include "sim/sweep_order.h"

enum { TAG_RESULT = 1, TAG_DONE = 2, TAG_STOP = 3 };

bool sweep_mpi_built(void)
{
    return true;
}

/* Started by mpirun (OpenMPI) or a PMI / PMIx launcher (srun, hydra). */
static bool launched(void)
{
    return getenv("OMPI_COMM_WORLD_SIZE") || getenv("PMI_SIZE") || getenv("PMIX_RANK");
}

static bool joined;

int sweep_mpi_start(int *argc, char ***argv, int *rank, int *size, ps_error *err)
{
    *rank = 0, *size = 1;
    if (!launched())
        return 0;
    /* every rank forks its points' processes while MPI runs: tell the
     * InfiniBand verbs library to keep its registered memory fork-safe
     * (ibv_fork_init(3)); shared-memory and TCP transports need nothing */
    setenv("RDMAV_FORK_SAFE", "1", 0);
    setenv("IBV_FORK_SAFE", "1", 0);
    if (MPI_Init(argc, argv) != MPI_SUCCESS)
        return error_set(err, PS_ERR_IO, "MPI_Init failed");
    joined = true;
    MPI_Comm_rank(MPI_COMM_WORLD, rank);
    MPI_Comm_size(MPI_COMM_WORLD, size);
    return 0;
}

void sweep_mpi_stop(void)
{
    if (joined)
        MPI_Finalize();
    joined = false;
}

void sweep_mpi_abort(int code)
{
    if (joined)
        MPI_Abort(MPI_COMM_WORLD, code);
}

/* Rank 0: its own results and its peers' go through one ordering. */
typedef struct {
    sweep_order *order;
    int peers_done;           /* peers that sent TAG_DONE */
    int size;
    bool failed;
    volatile sig_atomic_t *stop;
    bool stop_sent;
} root_ctx;

/* Rank 0 stopped (Ctrl-C, or its output failed): the peers start no more
 * points either, so that the file stays a run of whole points. */
static void tell_stop(root_ctx *rc)
{
    if (rc->stop_sent || !rc->stop || !*rc->stop)
        return;
    static int none;
    for (int r = 1; r < rc->size; r++) {
        MPI_Request req;
        MPI_Isend(&none, 1, MPI_INT, r, TAG_STOP, MPI_COMM_WORLD, &req);
        MPI_Request_free(&req);
    }
    rc->stop_sent = true;
}

static sweep_result incoming; /* large: not on the stack */

/* Take every message waiting (without blocking). */
static void receive_waiting(root_ctx *rc)
{
    for (;;) {
        int flag = 0;
        MPI_Status st;
        MPI_Iprobe(MPI_ANY_SOURCE, MPI_ANY_TAG, MPI_COMM_WORLD, &flag, &st);
        if (!flag)
            return;
        if (st.MPI_TAG == TAG_DONE) {
            long long n;
            MPI_Recv(&n, 1, MPI_LONG_LONG, st.MPI_SOURCE, TAG_DONE, MPI_COMM_WORLD,
                     MPI_STATUS_IGNORE);
            rc->peers_done++;
            continue;
        }
        MPI_Recv(&incoming, (int)sizeof incoming, MPI_BYTE, st.MPI_SOURCE, TAG_RESULT,
                 MPI_COMM_WORLD, MPI_STATUS_IGNORE);
        if (sweep_order_push(rc->order, &incoming))
            rc->failed = true;
    }
}

static void root_idle(void *ctx)
{
    receive_waiting(ctx);
    tell_stop(ctx);
}

static int root_own(void *ctx, const sweep_result *r)
{
    root_ctx *rc = ctx;
    return sweep_order_push(rc->order, r);
}

/* A peer: each result goes out without waiting for rank 0 to take it (a
 * result is larger than MPI's eager limit, and a blocking send would hold
 * the peer's pool until rank 0 next looks). */
typedef struct {
    MPI_Request *req;
    sweep_result **buf;
    int n, cap;
    volatile sig_atomic_t *stop;
} peer_ctx;

/* Free the sends rank 0 has taken. */
static void peer_reap(peer_ctx *p)
{
    int w = 0;
    for (int i = 0; i < p->n; i++) {
        int flag = 0;
        MPI_Test(&p->req[i], &flag, MPI_STATUS_IGNORE);
        if (flag) {
            free(p->buf[i]);
        } else {
            p->req[w] = p->req[i], p->buf[w] = p->buf[i];
            w++;
        }
    }
    p->n = w;
}

static int peer_send(void *ctx, const sweep_result *r)
{
    peer_ctx *p = ctx;
    peer_reap(p);
    if (p->n == p->cap) {
        int cap = p->cap ? 2 * p->cap : 16;
        MPI_Request *req = realloc(p->req, sizeof *req * (size_t)cap);
        if (req)
            p->req = req;
        sweep_result **buf = req ? realloc(p->buf, sizeof *buf * (size_t)cap) : NULL;
        if (buf)
            p->buf = buf, p->cap = cap;
    }
    sweep_result *copy = p->n < p->cap ? malloc(sizeof *copy) : NULL;
    if (!copy) { /* no memory for one more in flight: send it the slow way */
        MPI_Send(r, (int)sizeof *r, MPI_BYTE, 0, TAG_RESULT, MPI_COMM_WORLD);
        return 0;
    }
    memcpy(copy, r, sizeof *copy);
    MPI_Isend(copy, (int)sizeof *copy, MPI_BYTE, 0, TAG_RESULT, MPI_COMM_WORLD, &p->req[p->n]);
    p->buf[p->n++] = copy;
    return 0;
}

static void peer_idle(void *ctx)
{
    peer_ctx *p = ctx;
    peer_reap(p);
    int flag = 0;
    MPI_Iprobe(0, TAG_STOP, MPI_COMM_WORLD, &flag, MPI_STATUS_IGNORE);
    if (flag && p->stop) {
        int none;
        MPI_Recv(&none, 1, MPI_INT, 0, TAG_STOP, MPI_COMM_WORLD, MPI_STATUS_IGNORE);
        *p->stop = 1;
    }
}

int sweep_mpi_run(const sweep_options *o, int rank, int size, int64_t *done, ps_error *err)
{
    if (size <= 1)
        return sweep_run(o, done, err);
    /* every rank learns the points to run from rank 0 */
    long long n = rank == 0 ? (long long)(o->todo ? o->n_todo : o->spec->n_points) : 0;
    MPI_Bcast(&n, 1, MPI_LONG_LONG, 0, MPI_COMM_WORLD);
    int64_t *all = malloc(sizeof *all * (size_t)(n ? n : 1));
    int64_t *mine = malloc(sizeof *mine * (size_t)(n / size + 1));
    if (!all || !mine) {
        free(all), free(mine);
        sweep_mpi_abort(PS_ERR_NOMEM);
        return error_set(err, PS_ERR_NOMEM, "out of memory");
    }
    if (rank == 0)
        for (long long i = 0; i < n; i++)
            all[i] = o->todo ? o->todo[i] : i;
    MPI_Bcast(all, (int)n, MPI_INT64_T, 0, MPI_COMM_WORLD);
    int64_t n_mine = 0;
    for (long long i = rank; i < n; i += size)
        mine[n_mine++] = all[i];

    sweep_options share = *o;
    share.todo = mine, share.n_todo = n_mine;
    int rc;
    if (rank != 0) {
        peer_ctx peer = {.stop = o->stop};
        share.point_done = peer_send, share.ctx = &peer;
        share.idle = peer_idle, share.idle_ctx = &peer;
        int64_t ran = 0;
        rc = sweep_run(&share, &ran, err);
        MPI_Waitall(peer.n, peer.req, MPI_STATUSES_IGNORE);
        for (int i = 0; i < peer.n; i++)
            free(peer.buf[i]);
        free(peer.req), free(peer.buf);
        long long count = ran;
        MPI_Send(&count, 1, MPI_LONG_LONG, 0, TAG_DONE, MPI_COMM_WORLD);
        if (done)
            *done = ran;
    } else {
        root_ctx root = {.size = size, .stop = o->stop};
        root.order = sweep_order_new(all, (int64_t)n, o->point_done, o->ctx, err);
        if (!root.order) {
            free(all), free(mine);
            sweep_mpi_abort(PS_ERR_NOMEM);
            return err->code;
        }
        share.point_done = root_own, share.ctx = &root;
        share.idle = root_idle, share.idle_ctx = &root;
        rc = sweep_run(&share, NULL, err);
        /* then the peers' last results: a short sleep between looks, since
         * a blocking MPI receive spins a core */
        while (root.peers_done < size - 1) {
            receive_waiting(&root);
            tell_stop(&root);
            if (root.peers_done < size - 1)
                nanosleep(&(struct timespec){0, 2000000}, NULL);
        }
        int orc = sweep_order_flush(root.order);
        if (done)
            *done = sweep_order_count(root.order);
        sweep_order_free(root.order);
        rc = rc ? rc : orc ? orc : root.failed ? (int)err->code : 0;
    }
    free(all), free(mine);
    return rc;
}

#else /* no MPI in this build: one rank */

bool sweep_mpi_built(void)
{
    return false;
}

int sweep_mpi_start(int *argc, char ***argv, int *rank, int *size, ps_error *err)
{
    (void)argc, (void)argv, (void)err;
    *rank = 0, *size = 1;
    return 0;
}

void sweep_mpi_stop(void)
{
}

void sweep_mpi_abort(int code)
{
    (void)code;
}

int sweep_mpi_run(const sweep_options *o, int rank, int size, int64_t *done, ps_error *err)
{
    (void)rank, (void)size;
    return sweep_run(o, done, err);
}

#endif
