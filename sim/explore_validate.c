/* Designs of an exploration re-run in the simulator (sim/explore_validate.h). */
#include "sim/explore_validate.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "sim/run.h"
#include "sim/run_tables.h"

#define SET_SLOT 320 /* one --set value: "pipelines.<i>.stages.<k>.node=<name>" */

static double now_s(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + 1e-9 * (double)t.tv_nsec;
}

int explore_validate_sets(const explore_problem *x, const explore_candidate *c, char *buf,
                          size_t size, const char **sets)
{
    const explore_options *o = explore_problem_options(x);
    const scenario *s = explore_problem_scenario(x);
    int S = explore_stages(x), n = 0;
    if (o->n_platforms == 0) { /* along the chain: the stages keep their nodes (and groups) */
        for (int k = 0; k < S - 1; k++, n++) {
            snprintf(buf + (size_t)n * size, size, "pipelines.%d.stages.%d.until=%d",
                     o->pipeline, k, c->cuts[k]);
            sets[n] = buf + (size_t)n * size;
        }
        return n;
    }
    /* assigned: one stage per node the frame visits, relays included; the
     * stages left over stay on the last node with nothing to run */
    explore_hop hop[SCN_MAX_STAGES];
    int h = explore_candidate_route(x, c, hop, SCN_MAX_STAGES);
    if (h > S)
        return -h;
    for (int k = 0; k < S; k++) {
        const explore_hop *e = &hop[k < h ? k : h - 1];
        snprintf(buf + (size_t)n * size, size, "pipelines.%d.stages.%d.node=%s", o->pipeline, k,
                 s->nodes[e->node].name);
        sets[n] = buf + (size_t)n * size, n++;
        if (k == S - 1)
            break;
        snprintf(buf + (size_t)n * size, size, "pipelines.%d.stages.%d.until=%d", o->pipeline, k,
                 e->end);
        sets[n] = buf + (size_t)n * size, n++;
    }
    return n;
}

/* In the child: simulate design c and write what it gave to fd. */
static void run_child(const explore_problem *x, const explore_validate_options *o,
                      const explore_candidate *c, int fd)
{
    signal(SIGINT, SIG_IGN); /* finish the run: it then leaves nothing behind */
    explore_sim sim = {0};
    char buf[2 * SCN_MAX_STAGES * SET_SLOT];
    const char **sets = calloc((size_t)o->n_sets + 2 * SCN_MAX_STAGES + 1, sizeof *sets);
    if (!sets) {
        snprintf(sim.error, sizeof sim.error, "out of memory");
    } else {
        for (int i = 0; i < o->n_sets; i++)
            sets[i] = o->sets[i];
        int extra = explore_validate_sets(x, c, buf, SET_SLOT, sets + o->n_sets);
        if (extra < 0) {
            snprintf(sim.error, sizeof sim.error, "the design visits %d nodes (relays included), "
                     "the pipeline has %d stages", -extra, explore_stages(x));
            ssize_t w = write(fd, &sim, sizeof sim);
            _exit(w == (ssize_t)sizeof sim ? 0 : 1);
        }
        int n = o->n_sets + extra;
        run_options ro = {.scenario_path = o->scenario_path, .sets = sets, .n_sets = n,
                          .no_trace = true, .command_line = "partsim explore --validate"};
        char arg0[] = "partsim";
        char *argv[] = {arg0, NULL};
        int argc = 1;
        run_report rep;
        ps_error err = {0};
        double t0 = now_s();
        if (run_scenario(&ro, &argc, argv, &rep, &err)) {
            snprintf(sim.error, sizeof sim.error, "%s", err.msg);
        } else {
            table_value row[RUN_SUMMARY_COLUMNS];
            run_summary_row(&rep, explore_problem_options(x)->pipeline, row);
            sim = (explore_sim){.ok = true,
                                .frames = row[RUN_SUMMARY_FRAMES].i,
                                .completed = row[RUN_SUMMARY_COMPLETED].i,
                                .dropped = row[RUN_SUMMARY_DROPPED].i,
                                .deadline_missed = row[RUN_SUMMARY_DEADLINE_MISSED].i,
                                .throughput_fps = row[RUN_SUMMARY_THROUGHPUT_FPS].f,
                                .latency_p50_s = row[RUN_SUMMARY_LATENCY_P50_S].f,
                                .latency_p95_s = row[RUN_SUMMARY_LATENCY_P95_S].f,
                                .energy_per_frame_j = row[RUN_SUMMARY_ENERGY_PER_FRAME_J].f,
                                .wall_s = now_s() - t0};
            run_report_free(&rep);
        }
    }
    free(sets);
    ssize_t w = write(fd, &sim, sizeof sim); /* below PIPE_BUF: one write */
    _exit(w == (ssize_t)sizeof sim ? 0 : 1);
}

typedef struct {
    pid_t pid;
    int fd, point;
} child;

/* Wait for one child, read what it wrote into out[]. */
static void reap(child *run, int *n_run, explore_sim *out)
{
    int status;
    pid_t pid;
    while ((pid = waitpid(-1, &status, 0)) < 0 && errno == EINTR)
        ;
    for (int i = 0; i < *n_run; i++) {
        if (run[i].pid != pid)
            continue;
        explore_sim *s = &out[run[i].point];
        ssize_t got = read(run[i].fd, s, sizeof *s);
        close(run[i].fd);
        if (got != (ssize_t)sizeof *s) {
            memset(s, 0, sizeof *s);
            if (WIFSIGNALED(status))
                snprintf(s->error, sizeof s->error, "the simulation stopped on signal %d",
                         WTERMSIG(status));
            else
                snprintf(s->error, sizeof s->error, "the simulation gave no result (exit %d)",
                         WIFEXITED(status) ? WEXITSTATUS(status) : -1);
        }
        run[i] = run[--*n_run];
        return;
    }
}

int explore_validate(const explore_problem *x, const explore_validate_options *o,
                     const explore_candidate *const *points, int n, explore_sim *out,
                     ps_error *err)
{
    int jobs = o->jobs > 0 ? o->jobs : (int)sysconf(_SC_NPROCESSORS_ONLN);
    if (jobs < 1)
        jobs = 1;
    child *run = calloc((size_t)jobs, sizeof *run);
    if (!run)
        return error_set(err, PS_ERR_NOMEM, "out of memory");
    for (int i = 0; i < n; i++) {
        out[i] = (explore_sim){0};
        snprintf(out[i].error, sizeof out[i].error, "not run (interrupted)");
    }
    int n_run = 0, started = 0, finished = 0;
    for (int i = 0; i < n || n_run > 0;) {
        if (i < n && n_run < jobs && !(o->stop && *o->stop)) {
            int fds[2];
            fflush(NULL); /* the child must not write the parent's buffers again */
            if (pipe(fds)) {
                snprintf(out[i++].error, sizeof out->error, "no pipe: %s", strerror(errno));
                continue;
            }
            pid_t pid = fork();
            if (pid == 0) {
                close(fds[0]);
                run_child(x, o, points[i], fds[1]);
            }
            close(fds[1]);
            if (pid < 0) {
                close(fds[0]);
                snprintf(out[i++].error, sizeof out->error, "cannot fork: %s",
                         strerror(errno));
                continue;
            }
            run[n_run++] = (child){pid, fds[0], i++};
            started++;
            continue;
        }
        if (n_run == 0)
            break; /* stopped: the rest stay "not run" */
        reap(run, &n_run, out);
        if (o->done)
            o->done(o->ctx, ++finished, n);
    }
    free(run);
    if (n > 0 && started == 0 && !(o->stop && *o->stop))
        return error_set(err, PS_ERR_IO, "no simulation could be started: %s", out[0].error);
    return 0;
}

void explore_validate_scores(const explore_problem *x, const explore_result *r,
                             const explore_candidate *const *points, const explore_sim *sims,
                             int n, double *analytic, double *simulated)
{
    for (int i = 0; i < n; i++) {
        analytic[i] = explore_score(x, r, points[i]);
        simulated[i] = NAN;
        if (!sims[i].ok)
            continue;
        explore_candidate c = *points[i];
        c.latency_s = sims[i].latency_p50_s;
        c.period_s = sims[i].throughput_fps > 0 ? 1 / sims[i].throughput_fps : INFINITY;
        c.energy_j = sims[i].energy_per_frame_j;
        simulated[i] = explore_score(x, r, &c);
    }
}

double explore_validate_kendall_tau(const double *a, const double *b, int n)
{
    double conc = 0, disc = 0, ties_a = 0, ties_b = 0;
    for (int i = 0; i < n; i++)
        for (int j = i + 1; j < n; j++) {
            if (isnan(a[i]) || isnan(a[j]) || isnan(b[i]) || isnan(b[j]))
                continue;
            double da = a[i] - a[j], db = b[i] - b[j];
            if (da == 0 && db == 0)
                continue;
            if (da == 0)
                ties_a++;
            else if (db == 0)
                ties_b++;
            else if ((da > 0) == (db > 0))
                conc++;
            else
                disc++;
        }
    double d = sqrt((conc + disc + ties_a) * (conc + disc + ties_b));
    return d > 0 ? (conc - disc) / d : NAN;
}
