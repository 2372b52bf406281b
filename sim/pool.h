/* A process pool: tasks that must not share a process (SimGrid loads one
 * platform per process, SIMGRID-NOTES.md) each run in a child of their own.
 *
 * A child ignores Ctrl-C (SIGINT) and finishes its task, so it leaves no
 * temporary file behind; the parent's handler raises *stop and the pool
 * starts no new task.  Whatever a task leaves in stdio buffers is dropped:
 * the child ends with _exit, and the parent flushes its own buffers before
 * each fork so that the child cannot write them a second time. */
#ifndef PARTSIM_SIM_POOL_H
#define PARTSIM_SIM_POOL_H

#include <signal.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "base/error.h"

/* Tasks run in child processes (fork), up to `jobs` at once; each child
 * computes one fixed-size result and sends it to the parent over a pipe. */
typedef struct {
    int jobs;                     /* processes at once; 0 = pool_cores() */
    size_t result_size;           /* bytes of one result (any size: may exceed PIPE_BUF) */
    volatile sig_atomic_t *stop;  /* nonzero: start no more tasks (may be NULL) */
    /* In the child: compute task i into result (result_size bytes, zeroed before). */
    void (*task)(void *ctx, int64_t i, void *result);
    /* In the parent, as each task ends (in completion order): its index and
     * result; ok = false when the child died or exited without a whole
     * result, with why, a predicate for the caller to put its subject in
     * front of ("stopped on signal 11 (Segmentation fault)", "gave no result
     * (exit 3)", "could not be started: cannot fork: ..."); result is then
     * zeroed.  done may raise *stop. */
    void (*done)(void *ctx, int64_t i, const void *result, bool ok, const char *why);
    /* In the parent, at least every idle_ms (default 20) while children run
     * (may be NULL): other work the parent does meanwhile (an MPI rank
     * receiving its peers' results). */
    void (*idle)(void *ctx);
    int idle_ms;
    void *ctx;
} pool_options;

/* The cores this process may run on (its CPU affinity: what a batch
 * system such as Slurm gave it), the default for jobs. */
int pool_cores(void);

/* Run tasks 0 .. n-1 (in index order of starting).  *started (may be NULL)
 * says how many were started (less than n when stop was raised); each of
 * tasks 0 .. *started - 1 is reported through done exactly once.  Returns
 * nonzero (err filled) only when no child could be started at all or memory
 * ran out; a failing task is reported through done. */
int pool_run(const pool_options *o, int64_t n, int64_t *started, ps_error *err);

#endif
