/* A sweep's points, each simulated in a child process (sim/sweep.h). */
#include "sim/sweep.h"

#include <math.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "base/monotonic.h"
#include "sim/explore_nsga2.h"
#include "sim/pool.h"
#include "sim/sweep_order.h"
#include "sim/run.h"
#include "sim/run_tables.h"

/* Room for one KEY=VALUE text. */
#define SET_SLOT SWEEP_SET_MAX


void sweep_run_trace_path(const char *runs_dir, int64_t p, char *out, size_t size)
{
    snprintf(out, size, "%s/point-%lld.h5", runs_dir, (long long)p);
}

int sweep_point_sets(const sweep_options *o, int64_t p, char *buf, size_t size,
                     const char **sets)
{
    const sweep_spec *sp = o->spec;
    int idx[SWEEP_MAX_AXES], seed, n = 0;
    sweep_spec_point(sp, p, idx, &seed);
    for (int a = 0; a < sp->n_axes; a++, n++) {
        char *slot = buf + (size_t)n * size;
        snprintf(slot, size, "%s=%s", sp->axes[a].key, sp->axes[a].values[idx[a]]);
        sets[n] = slot;
    }
    if (sp->seeds > 1) {
        char *slot = buf + (size_t)n * size;
        snprintf(slot, size, "seed=%lld", (long long)(o->base_seed + seed));
        sets[n++] = slot;
    }
    return n;
}

/* Energy per completed frame of pipeline i, per node group and for the
 * network (every link): the run's /summary_energy rows summed by group. */
static void energy_of(const run_report *rep, int i, sweep_pipeline *out)
{
    const scenario *s = &rep->s;
    const pipeline_total *pt = &rep->r.pipelines[i];
    double per = pt->completed ? 1.0 / (double)pt->completed : NAN;
    out->n_energy = 0;
    for (int k = 0; k <= s->n_nodes; k++) {
        bool link = k == s->n_nodes;
        double e = 0;
        if (link)
            for (int l = 0; l < s->n_links; l++)
                e += pt->link_energy_j[l];
        else
            e = pt->node_energy_j[k];
        if (e <= 0)
            continue;
        const char *name = link ? "network" : s->nodes[k].group;
        int j = 0;
        while (j < out->n_energy && (out->energy[j].link != link ||
                                     strcmp(out->energy[j].resource, name)))
            j++;
        if (j == out->n_energy) {
            if (j == SWEEP_MAX_ENERGY)
                continue; /* more groups than kept: the rest are left out */
            snprintf(out->energy[j].resource, sizeof out->energy[j].resource, "%s", name);
            out->energy[j].link = link;
            out->energy[j].energy_per_frame_j = 0;
            out->n_energy++;
        }
        out->energy[j].energy_per_frame_j += e * per;
    }
}

static void fill(const run_report *rep, sweep_result *r)
{
    const scenario *s = &rep->s;
    r->n_pipelines = s->n_pipelines < SWEEP_MAX_PIPELINES ? s->n_pipelines : SWEEP_MAX_PIPELINES;
    table_value row[(int)RUN_SUMMARY_COLUMNS + (int)RUN_LINKS_COLUMNS]; /* room for either */
    for (int i = 0; i < r->n_pipelines; i++) {
        sweep_pipeline *p = &r->pipelines[i];
        run_summary_row(rep, i, row);
        snprintf(p->name, sizeof p->name, "%s", row[RUN_SUMMARY_NAME].s);
        p->frames = row[RUN_SUMMARY_FRAMES].i;
        p->completed = row[RUN_SUMMARY_COMPLETED].i;
        p->dropped = row[RUN_SUMMARY_DROPPED].i;
        p->deadline_missed = row[RUN_SUMMARY_DEADLINE_MISSED].i;
        p->throughput_fps = row[RUN_SUMMARY_THROUGHPUT_FPS].f;
        p->latency_p50_s = row[RUN_SUMMARY_LATENCY_P50_S].f;
        p->latency_p95_s = row[RUN_SUMMARY_LATENCY_P95_S].f;
        p->latency_p99_s = row[RUN_SUMMARY_LATENCY_P99_S].f;
        p->latency_max_s = row[RUN_SUMMARY_LATENCY_MAX_S].f;
        p->energy_per_frame_j = row[RUN_SUMMARY_ENERGY_PER_FRAME_J].f;
        energy_of(rep, i, p);
    }
    r->busiest_node_utilization = r->busiest_link_utilization = NAN;
    for (int k = 0; k < s->n_nodes; k++) {
        table_value v[RUN_NODES_COLUMNS];
        run_node_row(rep, k, v);
        double u = v[RUN_NODES_UTILIZATION].f;
        if (!(u <= r->busiest_node_utilization)) { /* the first, then any busier */
            r->busiest_node_utilization = u;
            snprintf(r->busiest_node, sizeof r->busiest_node, "%s", v[RUN_NODES_NAME].s);
        }
    }
    for (int k = 0; k < s->n_links; k++) {
        run_link_row(rep, k, row);
        double u = row[RUN_LINKS_UTILIZATION].f;
        if (!(u <= r->busiest_link_utilization)) {
            r->busiest_link_utilization = u;
            snprintf(r->busiest_link, sizeof r->busiest_link, "%s", row[RUN_LINKS_NAME].s);
        }
    }
    r->events = rep->r.events;
    r->simulated_s = rep->r.end_s;
}

/* The pool's context: the options (read by the child's task) and, in the
 * parent, the results put in point order. */
typedef struct {
    const sweep_options *o;
    sweep_order *order;
    ps_error *err;
} collector;

/* --explore: the exploration of the point's scenario, its pick. */
static int explore_point(const sweep_options *o, const char *const *sets, int n, sweep_result *r,
                         ps_error *err)
{
    scenario s;
    plan p;
    explore_problem *x = NULL;
    explore_result er = {0};
    if (scenario_load(o->scenario_path, sets, n, &s, err))
        return err->code;
    int rc = plan_build(&s, &p, err);
    bool planned = !rc;
    rc = rc ? rc : explore_problem_build(&s, &p, o->explore, &x, err);
    sweep_explore *e = &r->explore;
    if (!rc) {
        bool exact = explore_space_size(x) <= EXPLORE_AUTO_EXACT_MAX;
        snprintf(e->search, sizeof e->search, "%s", exact ? "exact" : "nsga2");
        explore_nsga2_options no;
        explore_nsga2_defaults(&no);
        rc = exact ? explore_exact(x, NULL, NULL, &er, err)
                   : explore_nsga2(x, &no, NULL, NULL, &er, err);
    }
    if (!rc) {
        e->evaluated = er.evaluated, e->feasible = er.feasible, e->n_front = er.n_front;
        e->has_pick = er.pick >= 0;
        if (e->has_pick) {
            const explore_candidate *c = &er.front[er.pick];
            table_spec spec;
            table_value *row = NULL;
            if (!explore_tables_candidates(&spec, explore_stages(x), EXPLORE_COL_CUT_LAYERS, err)) {
                row = calloc((size_t)spec.n, sizeof *row);
                if (row)
                    explore_tables_row(&s, x, &er, c, true, EXPLORE_COL_CUT_LAYERS, &e->text, row);
                free(row);
                table_spec_free(&spec);
            }
            e->latency_s = c->latency_s, e->throughput_fps = 1 / c->period_s;
            e->energy_j = c->energy_j, e->sensor_energy_j = c->sensor_energy_j;
            e->link_bytes = c->link_bytes, e->memory_bytes = c->memory_bytes;
        }
    }
    explore_result_free(&er);
    explore_problem_free(x);
    if (planned)
        plan_free(&p);
    scenario_free(&s);
    return rc;
}

/* In the child: simulate point i. */
/* The seed point p runs with: the scenario's plus the seed index, or the
 * value of a varied `seed`. */
static int64_t seed_of(const sweep_options *o, int64_t p)
{
    const sweep_spec *sp = o->spec;
    int idx[SWEEP_MAX_AXES], seed;
    sweep_spec_point(sp, p, idx, &seed);
    if (sp->seeds == 1)
        for (int a = 0; a < sp->n_axes; a++)
            if (!strcmp(sp->axes[a].key, "seed") && isfinite(sp->axes[a].numeric[idx[a]]))
                return (int64_t)sp->axes[a].numeric[idx[a]];
    return o->base_seed + seed;
}

/* Task i's point. */
static int64_t point_of(const sweep_options *o, int64_t i)
{
    return o->todo ? o->todo[i] : i;
}

static void point_task(void *ctx, int64_t i, void *out)
{
    const sweep_options *o = ((const collector *)ctx)->o;
    i = point_of(o, i);
    sweep_result *r = out;
    r->point = i;
    r->seed = seed_of(o, i);
    char trace_buf[1100], *trace = NULL; /* --keep-runs: the point's own trace */
    if (o->runs_dir) {
        sweep_run_trace_path(o->runs_dir, i, trace_buf, sizeof trace_buf);
        trace = trace_buf;
    }
    int n_extra = o->spec->n_axes + 1;
    char *buf = malloc((size_t)n_extra * SET_SLOT);
    const char **sets = calloc((size_t)(o->n_sets + n_extra), sizeof *sets);
    if (!buf || !sets) {
        snprintf(r->error, sizeof r->error, "out of memory");
        free(buf), free(sets);
        return;
    }
    for (int k = 0; k < o->n_sets; k++)
        sets[k] = o->sets[k];
    int n = o->n_sets + sweep_point_sets(o, i, buf, SET_SLOT, sets + o->n_sets);
    run_report rep;
    ps_error err = {0};
    double t0 = monotonic_s();
    if (o->explore) {
        if (explore_point(o, sets, n, r, &err))
            snprintf(r->error, sizeof r->error, "%s", err.msg);
        else
            r->ok = true;
    } else if (run_quiet(o->scenario_path, sets, n, "partsim sweep", trace, &rep, &err)) {
        snprintf(r->error, sizeof r->error, "%s", err.msg);
    } else {
        r->ok = true;
        fill(&rep, r);
        run_report_free(&rep);
    }
    r->wall_s = monotonic_s() - t0;
    free(buf), free(sets);
}

static void point_done(void *ctx, int64_t i, const void *result, bool ok, const char *why)
{
    collector *c = ctx;
    static sweep_result failed; /* large: not on the stack */
    const sweep_result *r = result;
    if (!ok) {
        memset(&failed, 0, sizeof failed);
        failed.point = point_of(c->o, i);
        failed.seed = seed_of(c->o, failed.point);
        snprintf(failed.error, sizeof failed.error, "the simulation %s", why ? why : "failed");
        failed.retry = true;
        r = &failed;
    }
    if (sweep_order_push(c->order, r) && c->o->stop)
        *c->o->stop = 1; /* point_done refused, or no memory: start no more */
}

static void idle(void *ctx)
{
    const collector *c = ctx;
    if (c->o->idle)
        c->o->idle(c->o->idle_ctx);
}

int sweep_run(const sweep_options *o, int64_t *done, ps_error *err)
{
    error_clear(err);
    if (done)
        *done = 0;
    if (o->spec->n_axes > SWEEP_MAX_AXES)
        return error_set(err, PS_ERR_INPUT, "a sweep varies at most %d keys (%d given)",
                         SWEEP_MAX_AXES, o->spec->n_axes);
    int64_t n = o->todo ? o->n_todo : o->spec->n_points;
    collector c = {.o = o, .err = err};
    if (!(c.order = sweep_order_new(o->todo, n, o->point_done, o->ctx, err)))
        return err->code;
    /* one context for both ends: the child's task reads the options through
     * it, the parent's callback collects into it */
    pool_options po = {.jobs = o->jobs, .result_size = sizeof(sweep_result), .stop = o->stop,
                       .task = point_task, .done = point_done,
                       .idle = o->idle ? idle : NULL, .ctx = &c};
    int rc = pool_run(&po, n, NULL, err);
    int orc = sweep_order_flush(c.order); /* what waits: only after a gap when stopped */
    if (done)
        *done = sweep_order_count(c.order);
    sweep_order_free(c.order);
    return rc ? rc : orc;
}
