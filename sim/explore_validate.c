/* Designs of an exploration re-run in the simulator (sim/explore_validate.h). */
#include "sim/explore_validate.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "base/monotonic.h"
#include "sim/pool.h"
#include "sim/run.h"
#include "sim/run_tables.h"

#define SET_SLOT 320 /* one --set value: "pipelines.<i>.stages.<k>.node=<name>" */


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

typedef struct {
    const explore_problem *x;
    const explore_validate_options *o;
    const explore_candidate *const *points;
    explore_sim *out;
    int n, finished;
} validate_run;

/* In the child (pool_options.task): simulate design i. */
static void simulate(void *ctx, int64_t i, void *result)
{
    const validate_run *v = ctx;
    const explore_validate_options *o = v->o;
    explore_sim *sim = result;
    char buf[2 * SCN_MAX_STAGES * SET_SLOT];
    const char **sets = calloc((size_t)o->n_sets + 2 * SCN_MAX_STAGES + 1, sizeof *sets);
    if (!sets) {
        snprintf(sim->error, sizeof sim->error, "out of memory");
        return;
    }
    for (int k = 0; k < o->n_sets; k++)
        sets[k] = o->sets[k];
    int extra = explore_validate_sets(v->x, v->points[i], buf, SET_SLOT, sets + o->n_sets);
    if (extra < 0) {
        snprintf(sim->error, sizeof sim->error, "the design visits %d nodes (relays included), "
                 "the pipeline has %d stages", -extra, explore_stages(v->x));
        free(sets);
        return;
    }
    run_report rep;
    ps_error err = {0};
    double t0 = monotonic_s();
    if (run_quiet(o->scenario_path, sets, o->n_sets + extra, "partsim explore --validate", NULL,
                  &rep, &err)) {
        snprintf(sim->error, sizeof sim->error, "%s", err.msg);
    } else {
        table_value row[RUN_SUMMARY_COLUMNS];
        run_summary_row(&rep, explore_problem_options(v->x)->pipeline, row);
        *sim = (explore_sim){.ok = true,
                             .frames = row[RUN_SUMMARY_FRAMES].i,
                             .completed = row[RUN_SUMMARY_COMPLETED].i,
                             .dropped = row[RUN_SUMMARY_DROPPED].i,
                             .deadline_missed = row[RUN_SUMMARY_DEADLINE_MISSED].i,
                             .throughput_fps = row[RUN_SUMMARY_THROUGHPUT_FPS].f,
                             .latency_p50_s = row[RUN_SUMMARY_LATENCY_P50_S].f,
                             .latency_p95_s = row[RUN_SUMMARY_LATENCY_P95_S].f,
                             .energy_per_frame_j = row[RUN_SUMMARY_ENERGY_PER_FRAME_J].f,
                             .wall_s = monotonic_s() - t0};
        run_report_free(&rep);
    }
    free(sets);
}

/* In the parent (pool_options.done): what design i gave, then progress. */
static void collect(void *ctx, int64_t i, const void *result, bool ok, const char *why)
{
    validate_run *v = ctx;
    explore_sim *s = &v->out[i];
    if (ok) {
        memcpy(s, result, sizeof *s);
    } else {
        *s = (explore_sim){0};
        snprintf(s->error, sizeof s->error, "the simulation %s", why);
    }
    if (v->o->done)
        v->o->done(v->o->ctx, ++v->finished, v->n);
}

int explore_validate(const explore_problem *x, const explore_validate_options *o,
                     const explore_candidate *const *points, int n, explore_sim *out,
                     ps_error *err)
{
    for (int i = 0; i < n; i++) {
        out[i] = (explore_sim){0};
        snprintf(out[i].error, sizeof out[i].error, "not run (interrupted)");
    }
    validate_run v = {.x = x, .o = o, .points = points, .out = out, .n = n};
    pool_options po = {.jobs = o->jobs, .result_size = sizeof(explore_sim), .stop = o->stop,
                       .task = simulate, .done = collect, .ctx = &v};
    return pool_run(&po, n, NULL, err); /* "no child process could be started: ..." */
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
