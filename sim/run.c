/* `partsim run` glue: scenario -> plan -> checks -> SimGrid -> trace. */
#include "sim/run.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "net/link.h"
#include "traces/schema.h"
#include "traces/trace.h"

#ifndef PARTSIM_VERSION
#define PARTSIM_VERSION "0.0.0"
#endif

/* ---- checks before the run ---- */

/* A link must carry one camera's transfers at the frame rate on its own;
 * many cameras over-subscribing a link is contention, which the run
 * simulates (queues, drops). */
static int check_feasible(run_report *rep, ps_error *err)
{
    const scenario *s = &rep->s;
    plan *p = &rep->p;
    for (int i = 0; i < s->n_pipelines; i++) {
        const scn_pipeline *pl = &s->pipelines[i];
        double period = 1.0 / pl->fps;
        int prev = pl->sources[0];
        for (int k = 0; k < pl->n_stages; k++) {
            const scn_stage *st = &pl->stages[k];
            int node = st->node_group_first;
            int start = k ? pl->stages[k - 1].end : 0;
            double t_stage = st->policy == CUT_FIXED && (k == 0 || pl->stages[k - 1].policy == CUT_FIXED)
                                 ? plan_stage_latency(p, node, start, st->end) : 0;
            if (t_stage > period * st->node_group_size * 1.0 &&
                pl->n_sources <= st->node_group_size && pl->policy == QUEUE_BLOCK)
                fprintf(stderr, "partsim: warning: pipeline '%s' stage %d takes %.3g s per "
                        "frame on %s, longer than the frame period %.3g s: frames will queue\n",
                        pl->name, k, t_stage, s->nodes[node].name, period);
            if (node != prev && (k == 0 || pl->stages[k - 1].policy == CUT_FIXED)) {
                const plan_route *r = plan_route_get(p, prev, node, err);
                if (!r)
                    return error_prefix(err, "%s: pipeline '%s'", s->path, pl->name);
                double payload = plan_cut_bytes(p, i, start, prev);
                double t = plan_transfer_time(p, r, payload);
                if (t > period) {
                    const scn_link *l = &s->links[r->links[0]];
                    return error_set(err, PS_ERR_INPUT,
                                     "%s: pipeline '%s': the link %s (%s, %.4g Mb/s) cannot "
                                     "carry the frame rate: %.0f B per frame take %.4g s, the "
                                     "frame period is %.4g s (%.4g fps); cut elsewhere, compress, "
                                     "or use a faster link",
                                     s->path, pl->name, l->name, l->type.name,
                                     l->type.rate_bps / 1e6, plan_wire_bytes(p, r, payload), t,
                                     period, pl->fps);
                }
            }
            prev = node;
        }
    }
    return 0;
}

/* ---- the trace ---- */

typedef struct {
    trace_table *frames, *events;
    const scenario *s;
    int n_stages, n_transfers;
    trace_value *row;
    ps_error err;
    int failed;
} frame_writer;

static void on_frame(void *ctx, const pipeline_frame *f)
{
    frame_writer *w = ctx;
    if (!w->frames || w->failed)
        return;
    trace_value *v = w->row;
    trace_frames_row_clear(v, w->n_stages, w->n_transfers);
    v[TRACE_FRAMES_PIPELINE].i = f->pipeline;
    v[TRACE_FRAMES_SOURCE].i = f->source;
    v[TRACE_FRAMES_FRAME].i = f->frame;
    v[TRACE_FRAMES_CAPTURE_S].f = f->capture_s;
    v[TRACE_FRAMES_CUT].i = f->cut[0];
    v[TRACE_FRAMES_DROPPED].i = f->dropped;
    v[TRACE_FRAMES_DROP_STAGE].i = f->drop_stage;
    v[TRACE_FRAMES_DEADLINE_MET].i = f->deadline_met;
    v[TRACE_FRAMES_LATENCY_S].f = f->latency_s;
    for (int k = 0; k < f->n_stages; k++) {
        v[trace_frames_stage_col(k, TRACE_STAGE_NODE)].i = f->node[k];
        v[trace_frames_stage_col(k, TRACE_STAGE_QUEUE_IN_S)].f = f->queue_in_s[k];
        v[trace_frames_stage_col(k, TRACE_STAGE_START_S)].f = f->start_s[k];
        v[trace_frames_stage_col(k, TRACE_STAGE_END_S)].f = f->end_s[k];
        v[trace_frames_stage_col(k, TRACE_STAGE_ENERGY_J)].f = f->stage_energy_j[k];
    }
    for (int k = 0; k < f->n_transfers; k++) {
        int n = w->n_stages;
        v[trace_frames_transfer_col(n, k, TRACE_TRANSFER_START_S)].f = f->t_start_s[k];
        v[trace_frames_transfer_col(n, k, TRACE_TRANSFER_END_S)].f = f->t_end_s[k];
        v[trace_frames_transfer_col(n, k, TRACE_TRANSFER_WIRE_BYTES)].i =
            isnan(f->t_wire_bytes[k]) ? -1 : (int64_t)ceil(f->t_wire_bytes[k]);
        v[trace_frames_transfer_col(n, k, TRACE_TRANSFER_ENERGY_J)].f = f->t_energy_j[k];
    }
    if (trace_table_append(w->frames, v, &w->err))
        w->failed = w->err.code;
}

static void on_event(void *ctx, const pipeline_event *e)
{
    frame_writer *w = ctx;
    if (!w->events || w->failed)
        return;
    trace_value v[TRACE_EVENTS_COLUMNS];
    v[TRACE_EVENTS_START_S].f = e->start_s;
    v[TRACE_EVENTS_END_S].f = e->end_s;
    v[TRACE_EVENTS_NODE].i = e->node;
    v[TRACE_EVENTS_RESOURCE].s = e->transfer ? w->s->links[e->link].name : w->s->nodes[e->node].name;
    v[TRACE_EVENTS_KIND].s = e->transfer ? "transfer" : "stage";
    v[TRACE_EVENTS_FRAME].i = e->frame;
    v[TRACE_EVENTS_LAYER].i = e->transfer ? -1 : e->first;
    v[TRACE_EVENTS_BYTES].i = (int64_t)ceil(e->bytes);
    v[TRACE_EVENTS_ENERGY_J].f = e->energy_j;
    if (trace_table_append(w->events, v, &w->err))
        w->failed = w->err.code;
}

static int write_tables(const run_report *rep, trace_file *tf, ps_error *err)
{
    const scenario *s = &rep->s;
    const pipeline_result *r = &rep->r;
    double T = r->end_s > 0 ? r->end_s : 1;
    trace_table *layers = trace_layers_table_create(tf, err);
    trace_table *nodes = layers ? trace_nodes_table_create(tf, err) : NULL;
    trace_table *links = nodes ? trace_links_table_create(tf, err) : NULL;
    trace_table *sum = links ? trace_summary_table_create(tf, err) : NULL;
    trace_table *se = sum ? trace_summary_energy_table_create(tf, err) : NULL;
    if (!se)
        return err->code;
    trace_value v[64];
    /* /layers: the per-layer costs of every node's accelerator */
    for (int n = 0; n < s->n_nodes; n++) {
        const plan_accel *pa = &rep->p.accels[s->nodes[n].accel];
        if (!r->nodes[n].frames)
            continue;
        for (int k = 0; k < pa->net.n; k++) {
            const layer_cost *c = &pa->net.results[k].cost;
            memset(v, 0, sizeof v);
            v[TRACE_LAYERS_NODE].i = n;
            v[TRACE_LAYERS_INDEX].i = k + 1;
            v[TRACE_LAYERS_NAME].s = pa->net.layers[k].name;
            v[TRACE_LAYERS_OP].s = pa->net.layers[k].op;
            v[TRACE_LAYERS_MACS].i = (int64_t)c->macs;
            v[TRACE_LAYERS_CYCLES].f = c->cycles;
            v[TRACE_LAYERS_LATENCY_S].f = c->latency_s;
            v[TRACE_LAYERS_ENERGY_J].f = c->energy_j;
            v[TRACE_LAYERS_DRAM_BYTES].f = c->dram_bytes;
            for (int part = 0; part < PART_COUNT; part++)
                v[TRACE_LAYERS_ENERGY_MAC_J + part].f = c->energy[part];
            char name[64], op[32];
            snprintf(name, sizeof name, "%s", pa->net.layers[k].name);
            snprintf(op, sizeof op, "%s", pa->net.layers[k].op);
            v[TRACE_LAYERS_NAME].s = name;
            v[TRACE_LAYERS_OP].s = op;
            if (trace_table_append(layers, v, err))
                return err->code;
        }
    }
    for (int n = 0; n < s->n_nodes; n++) {
        const pipeline_node_total *t = &r->nodes[n];
        memset(v, 0, sizeof v);
        v[TRACE_NODES_NAME].s = s->nodes[n].name;
        v[TRACE_NODES_BUSY_S].f = t->busy_s;
        v[TRACE_NODES_UTILIZATION].f = t->busy_s / T;
        v[TRACE_NODES_ENERGY_DYNAMIC_J].f = t->energy_dynamic_j;
        v[TRACE_NODES_ENERGY_STATIC_J].f = t->energy_static_j;
        v[TRACE_NODES_ENERGY_J].f = t->energy_dynamic_j + t->energy_static_j;
        v[TRACE_NODES_FRAMES].i = t->frames;
        if (trace_table_append(nodes, v, err))
            return err->code;
    }
    for (int l = 0; l < s->n_links; l++) {
        const pipeline_link_total *t = &r->links[l];
        memset(v, 0, sizeof v);
        v[TRACE_LINKS_NAME].s = s->links[l].name;
        v[TRACE_LINKS_BUSY_S].f = t->busy_s;
        v[TRACE_LINKS_UTILIZATION].f = t->busy_s / T;
        v[TRACE_LINKS_BYTES].i = (int64_t)t->bytes;
        v[TRACE_LINKS_ENERGY_ACTIVE_J].f = t->energy_active_j;
        v[TRACE_LINKS_ENERGY_IDLE_J].f = t->energy_idle_j;
        v[TRACE_LINKS_ENERGY_LPI_J].f = t->energy_lpi_j;
        v[TRACE_LINKS_ENERGY_J].f = t->energy_active_j + t->energy_idle_j + t->energy_lpi_j;
        if (trace_table_append(links, v, err))
            return err->code;
    }
    for (int i = 0; i < s->n_pipelines; i++) {
        const pipeline_total *pt = &r->pipelines[i];
        memset(v, 0, sizeof v);
        v[TRACE_SUMMARY_PIPELINE].i = i;
        v[TRACE_SUMMARY_NAME].s = s->pipelines[i].name;
        v[TRACE_SUMMARY_FRAMES].i = pt->emitted;
        v[TRACE_SUMMARY_COMPLETED].i = pt->completed;
        v[TRACE_SUMMARY_DROPPED].i = pt->dropped;
        v[TRACE_SUMMARY_THROUGHPUT_FPS].f = run_throughput_fps(rep, i);
        v[TRACE_SUMMARY_LATENCY_P50_S].f = stats_quantile(&pt->latency, 0.50);
        v[TRACE_SUMMARY_LATENCY_P95_S].f = stats_quantile(&pt->latency, 0.95);
        v[TRACE_SUMMARY_LATENCY_P99_S].f = stats_quantile(&pt->latency, 0.99);
        v[TRACE_SUMMARY_LATENCY_MAX_S].f = pt->latency.n ? pt->latency.max : NAN;
        v[TRACE_SUMMARY_ENERGY_PER_FRAME_J].f =
            pt->completed ? pt->energy_j / (double)pt->completed : NAN;
        if (trace_table_append(sum, v, err))
            return err->code;
    }
    /* /summary_energy: what one completed frame of each pipeline cost each
     * node and link it used (its dropped frames' work included) */
    for (int i = 0; i < s->n_pipelines; i++) {
        const pipeline_total *pt = &r->pipelines[i];
        double per = pt->completed ? 1.0 / (double)pt->completed : NAN;
        for (int k = 0; k < s->n_nodes + s->n_links; k++) {
            bool node = k < s->n_nodes;
            double e = node ? pt->node_energy_j[k] : pt->link_energy_j[k - s->n_nodes];
            if (e <= 0)
                continue;
            memset(v, 0, sizeof v);
            v[TRACE_SUMMARY_ENERGY_PIPELINE].i = i;
            v[TRACE_SUMMARY_ENERGY_RESOURCE].s = node ? s->nodes[k].name
                                                      : s->links[k - s->n_nodes].name;
            v[TRACE_SUMMARY_ENERGY_KIND].s = node ? "node" : "link";
            v[TRACE_SUMMARY_ENERGY_ENERGY_PER_FRAME_J].f = e * per;
            if (trace_table_append(se, v, err))
                return err->code;
        }
    }
    return 0;
}

double run_throughput_fps(const run_report *rep, int pipeline)
{
    const pipeline_total *pt = &rep->r.pipelines[pipeline];
    const scn_pipeline *pl = &rep->s.pipelines[pipeline];
    /* the rate results come out at: completions between the first and the
     * last one; with fewer than two, completed / run time */
    if (pt->completed >= 2 && pt->last_done_s > pt->first_done_s)
        return (double)(pt->completed - 1) / (pt->last_done_s - pt->first_done_s);
    double span = rep->r.end_s - pl->start_s;
    return span > 0 ? (double)pt->completed / span : 0;
}

static void default_out(const scenario *s, const run_options *o, char *out, size_t size)
{
    if (o->out_path)
        snprintf(out, size, "%s", o->out_path);
    else if (s->trace_path[0])
        snprintf(out, size, "%s", s->trace_path);
    else
        snprintf(out, size, "out/%s.h5", s->name);
}

int run_scenario(const run_options *o, int *argc, char **argv, run_report *rep, ps_error *err)
{
    memset(rep, 0, sizeof *rep);
    if (scenario_load(o->scenario_path, o->sets, o->n_sets, &rep->s, err))
        return err->code;
    if (plan_build(&rep->s, &rep->p, err))
        error_prefix(err, "%s", rep->s.path);
    if (err->code || check_feasible(rep, err)) {
        run_report_free(rep);
        return err->code;
    }
    default_out(&rep->s, o, rep->trace_path, sizeof rep->trace_path);
    trace_meta meta = {.partsim_version = PARTSIM_VERSION, .scenario = rep->s.text,
                       .seed = (int64_t)rep->s.seed, .command_line = o->command_line};
    trace_file *tf;
    if (trace_open(rep->trace_path, &meta, &tf, err)) {
        run_report_free(rep);
        return err->code;
    }
    int max_stages = 1, max_transfers = 0;
    for (int i = 0; i < rep->s.n_pipelines; i++) {
        const scn_pipeline *pl = &rep->s.pipelines[i];
        if (pl->n_stages > max_stages)
            max_stages = pl->n_stages;
        int nt = pl->n_stages + (pl->result_bytes > 0);
        if (nt > max_transfers)
            max_transfers = nt;
    }
    frame_writer w = {.n_stages = max_stages, .n_transfers = max_transfers, .s = &rep->s};
    if (rep->s.trace_events && !(w.events = trace_events_table_create(tf, err))) {
        trace_abort(tf);
        run_report_free(rep);
        return err->code;
    }
    w.frames = rep->s.trace_frames ? trace_frames_table_create(tf, max_stages, max_transfers, err)
                                   : NULL;
    w.row = calloc((size_t)trace_frames_n_columns(max_stages, max_transfers), sizeof *w.row);
    if ((rep->s.trace_frames && !w.frames) || !w.row) {
        if (w.frames || !rep->s.trace_frames)
            error_set(err, PS_ERR_NOMEM, "out of memory");
        free(w.row);
        trace_abort(tf);
        run_report_free(rep);
        return err->code;
    }
    /* the platform: next to the trace when kept, else a temporary file */
    if (o->keep_platform) {
        snprintf(rep->platform_path, sizeof rep->platform_path, "%s.platform.xml",
                 rep->trace_path);
        rep->platform_kept = true;
    } else {
        snprintf(rep->platform_path, sizeof rep->platform_path, "%s.platform-%ld.xml",
                 trace_file_partial_path(tf), (long)getpid());
    }
    pipeline_options so = {.platform_path = rep->platform_path, .on_frame = on_frame,
                      .on_event = rep->s.trace_events ? on_event : NULL, .ctx = &w,
                      .progress = o->progress};
    struct timespec t0, t1;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    int rc = pipeline_run(&rep->s, &rep->p, &so, argc, argv, &rep->r, err);
    clock_gettime(CLOCK_MONOTONIC, &t1);
    rep->wall_s = (double)(t1.tv_sec - t0.tv_sec) + 1e-9 * (double)(t1.tv_nsec - t0.tv_nsec);
    if (!rc && w.failed)
        rc = error_set(err, w.err.code, "%s", w.err.msg);
    if (!rc)
        rc = write_tables(rep, tf, err);
    free(w.row);
    if (!rep->platform_kept) {
        unlink(rep->platform_path);
        /* profile files written next to the platform */
        for (int l = 0; l < rep->s.n_links; l++)
            if (rep->s.links[l].profile[0]) {
                char path[1400], dir[1100];
                snprintf(dir, sizeof dir, "%s", rep->platform_path);
                char *slash = strrchr(dir, '/');
                if (slash)
                    slash[1] = '\0';
                else
                    dir[0] = '\0';
                snprintf(path, sizeof path, "%s%s.profile", dir, rep->s.links[l].name);
                unlink(path);
            }
    }
    if (rc) {
        trace_abort(tf);
        run_report_free(rep);
        return rc;
    }
    if (trace_close(tf, err)) {
        run_report_free(rep);
        return err->code;
    }
    return 0;
}

void run_report_free(run_report *rep)
{
    pipeline_result_free(&rep->r, &rep->s);
    plan_free(&rep->p);
    scenario_free(&rep->s);
}
