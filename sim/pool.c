/* A process pool over fork and pipes (sim/pool.h). */
#define _GNU_SOURCE /* sched_getaffinity, CPU_COUNT */
#include "sim/pool.h"

#include <errno.h>
#include <poll.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

typedef struct {
    pid_t pid;
    int fd;                /* read end of its pipe; -1: the slot is free */
    int64_t task;
    size_t got;            /* result bytes read so far */
    unsigned char *result; /* result_size bytes, the slot's own */
} pool_child;

typedef struct {
    const pool_options *o;
    pool_child *slot;      /* jobs of them */
    struct pollfd *pfd;    /* one per running child, rebuilt before each poll */
    int *pfd_slot;         /* which slot pfd[k] watches */
    int jobs, n_run;
} pool;

static bool stopped(const pool_options *o)
{
    return o->stop && *o->stop;
}

static void report(const pool *p, int64_t i, unsigned char *result, bool ok, const char *why)
{
    if (!ok)
        memset(result, 0, p->o->result_size);
    if (p->o->done)
        p->o->done(p->o->ctx, i, result, ok, why);
}

/* write() may take less than asked once the result exceeds what the pipe
 * holds (PIPE_BUF and beyond): the parent drains it while we write. */
static bool write_all(int fd, const unsigned char *buf, size_t size)
{
    while (size > 0) {
        ssize_t w = write(fd, buf, size);
        if (w < 0 && errno == EINTR)
            continue;
        if (w <= 0)
            return false;
        buf += w, size -= (size_t)w;
    }
    return true;
}

/* The child's whole life: task i into slot c's buffer, sent over fd. */
static _Noreturn void child_main(const pool *p, pool_child *c, int64_t i, int fd)
{
    /* Ctrl-C reaches the whole process group: the parent stops starting
     * tasks, and this one finishes, so it leaves nothing half-written */
    signal(SIGINT, SIG_IGN);
    /* the read ends of the other children: should the parent die, a child
     * blocked writing a large result must get EPIPE, not wait for us */
    for (int k = 0; k < p->jobs; k++)
        if (p->slot[k].fd >= 0)
            close(p->slot[k].fd);
    memset(c->result, 0, p->o->result_size);
    p->o->task(p->o->ctx, i, c->result);
    /* _exit, not exit: atexit handlers and stdio buffers are the parent's */
    _exit(write_all(fd, c->result, p->o->result_size) ? 0 : 1);
}

/* Fork task i into the free slot c; on failure why says what failed. */
static int start(pool *p, pool_child *c, int64_t i, char *why, size_t size)
{
    int fds[2];
    if (pipe(fds)) {
        snprintf(why, size, "no pipe: %s", strerror(errno));
        return -1;
    }
    fflush(NULL); /* the child must not write the parent's buffered output again */
    pid_t pid = fork();
    if (pid == 0) {
        close(fds[0]);
        child_main(p, c, i, fds[1]);
    }
    int fork_errno = errno;
    close(fds[1]); /* the parent's copy: EOF then comes when the child is done */
    if (pid < 0) {
        close(fds[0]);
        snprintf(why, size, "cannot fork: %s", strerror(fork_errno));
        return -1;
    }
    *c = (pool_child){.pid = pid, .fd = fds[0], .task = i, .got = 0, .result = c->result};
    p->n_run++;
    return 0;
}

/* The child of slot c closed its pipe: reap it and report its task. */
static void finish(pool *p, pool_child *c)
{
    close(c->fd);
    c->fd = -1;
    p->n_run--;
    int status = 0;
    pid_t w;
    while ((w = waitpid(c->pid, &status, 0)) < 0 && errno == EINTR)
        ;
    size_t size = p->o->result_size;
    char why[160] = "";
    bool ok = false;
    if (w < 0) /* reaped elsewhere (SIGCHLD ignored): the pipe alone decides */
        ok = c->got == size;
    else if (WIFSIGNALED(status))
        snprintf(why, sizeof why, "stopped on signal %d (%s)", WTERMSIG(status),
                 strsignal(WTERMSIG(status)));
    else if (!WIFEXITED(status))
        snprintf(why, sizeof why, "ended with wait status %d", status);
    else if (c->got < size && c->got > 0)
        snprintf(why, sizeof why, "gave %zu of %zu result bytes (exit %d)", c->got, size,
                 WEXITSTATUS(status));
    else if (c->got < size)
        snprintf(why, sizeof why, "gave no result (exit %d)", WEXITSTATUS(status));
    else if (WEXITSTATUS(status) != 0)
        snprintf(why, sizeof why, "gave its result but exited with %d", WEXITSTATUS(status));
    else
        ok = true;
    if (w < 0 && !ok)
        snprintf(why, sizeof why, "gave %zu of %zu result bytes", c->got, size);
    report(p, c->task, c->result, ok, ok ? "" : why);
}

/* Read what child c has ready (poll said it would not block). */
static void drain(pool *p, pool_child *c)
{
    unsigned char extra[256]; /* beyond the result: read only to reach EOF */
    size_t size = p->o->result_size;
    ssize_t r = c->got < size ? read(c->fd, c->result + c->got, size - c->got)
                              : read(c->fd, extra, sizeof extra);
    if (r < 0 && (errno == EINTR || errno == EAGAIN))
        return; /* poll again */
    if (r > 0) {
        if (c->got < size)
            c->got += (size_t)r;
        return;
    }
    finish(p, c); /* EOF, or a read error: nothing more will come */
}

/* Wait until some running child has something to read, and read it;
 * returns how many children ended. */
static int wait_some(pool *p)
{
    int k = 0, before = p->n_run;
    for (int s = 0; s < p->jobs; s++)
        if (p->slot[s].fd >= 0) {
            p->pfd[k] = (struct pollfd){.fd = p->slot[s].fd, .events = POLLIN};
            p->pfd_slot[k++] = s;
        }
    const pool_options *o = p->o;
    int r = poll(p->pfd, (nfds_t)k, o->idle ? (o->idle_ms > 0 ? o->idle_ms : 20) : -1);
    if (o->idle)
        o->idle(o->ctx);
    if (r < 0 && errno == EINTR)
        return 0; /* the caller looks at *stop, then waits again */
    if (r < 0)    /* poll itself failed: a blocking read of one child cannot deadlock */
        p->pfd[0].revents = POLLIN;
    for (int j = 0; j < k; j++)
        if (p->pfd[j].revents)
            drain(p, &p->slot[p->pfd_slot[j]]);
    return before - p->n_run;
}

static void pool_free(pool *p)
{
    if (p->slot)
        free(p->slot[0].result);
    free(p->slot), free(p->pfd), free(p->pfd_slot);
}

int pool_cores(void)
{
    cpu_set_t set;
    if (sched_getaffinity(0, sizeof set, &set) == 0 && CPU_COUNT(&set) > 0)
        return CPU_COUNT(&set);
    long n = sysconf(_SC_NPROCESSORS_ONLN);
    return n > 0 ? (int)n : 1;
}

int pool_run(const pool_options *o, int64_t n, int64_t *started, ps_error *err)
{
    if (started)
        *started = 0;
    if (n <= 0)
        return 0;
    long jobs = o->jobs > 0 ? o->jobs : pool_cores();
    if (jobs < 1)
        jobs = 1;
    if (jobs > n)
        jobs = (long)n;
    pool p = {.o = o, .jobs = (int)jobs};
    p.slot = calloc((size_t)jobs, sizeof *p.slot);
    p.pfd = calloc((size_t)jobs, sizeof *p.pfd);
    p.pfd_slot = calloc((size_t)jobs, sizeof *p.pfd_slot);
    size_t stride = o->result_size > 0 ? o->result_size : 1;
    unsigned char *results = p.slot ? calloc((size_t)jobs, stride) : NULL;
    if (!p.slot || !p.pfd || !p.pfd_slot || !results) {
        free(results);
        pool_free(&p);
        return error_set(err, PS_ERR_NOMEM, "out of memory for %ld child processes", jobs);
    }
    for (int s = 0; s < p.jobs; s++)
        p.slot[s] = (pool_child){.fd = -1, .result = results + (size_t)s * stride};

    int64_t next = 0;
    bool any_started = false;
    bool blocked = false; /* a start failed while others ran: retry once one has ended */
    int rc = 0;
    for (;;) {
        while (!blocked && next < n && p.n_run < p.jobs && !stopped(o)) {
            pool_child *c = p.slot;
            while (c->fd >= 0)
                c++;
            char what[128], why[160];
            if (!start(&p, c, next, what, sizeof what)) {
                any_started = true, next++;
                continue;
            }
            if (p.n_run > 0) { /* likely out of processes for now: wait for ours */
                blocked = true;
                break;
            }
            if (!any_started) {
                rc = error_set(err, PS_ERR_IO, "no child process could be started: %s", what);
                break;
            }
            snprintf(why, sizeof why, "could not be started: %s", what);
            report(&p, next++, c->result, false, why);
        }
        if (rc || p.n_run == 0)
            break; /* all done, stopped, or nothing could start */
        if (wait_some(&p) > 0)
            blocked = false;
    }
    if (started)
        *started = next;
    pool_free(&p);
    return rc;
}
