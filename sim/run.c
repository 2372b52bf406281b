/* `partsim run` glue: scenario -> plan -> checks -> SimGrid -> trace. */
#include "sim/run.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "accel/cost_table.h"
#include "base/atomic_file.h"
#include "net/link.h"
#include "sim/run_tables.h"
#include "traces/trace.h"

#ifndef PARTSIM_VERSION
#define PARTSIM_VERSION "0.0.0"
#endif

/* ---- checks before the run ---- */

/* Warnings before the run: a stage slower than the frame period, a link
 * that cannot carry one camera's transfers at the frame rate on its own.
 * Both are overload, which the run simulates (queues fill, frames drop);
 * only a missing route is an error. */
static int check_feasible(run_report *rep, ps_error *err)
{
    const scenario *s = &rep->s;
    plan *p = &rep->p;
    for (int i = 0; i < s->n_pipelines; i++) {
        const scn_pipeline *pl = &s->pipelines[i];
        if (pl->fps_max)
            continue; /* closed loop: it cannot overload the camera's link */
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
                    fprintf(stderr,
                            "partsim: warning: %s: pipeline '%s': the link %s (%s, %.4g Mb/s) "
                            "cannot carry the frame rate: %.0f B per frame take %.4g s, the "
                            "frame period is %.4g s (%.4g fps); its send queue will fill and "
                            "drop (cut elsewhere, compress, or use a faster link)\n",
                            s->path, pl->name, l->name, l->type.name, l->type.rate_bps / 1e6,
                            plan_wire_bytes(p, r, payload), t, period, pl->fps);
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
    table_value *row;
    ps_error err;
    int failed;
} frame_writer;

static void on_frame(void *ctx, const pipeline_frame *f)
{
    frame_writer *w = ctx;
    if (!w->frames || w->failed)
        return;
    table_value *v = w->row;
    run_tables_frames_row_clear(v, w->n_stages, w->n_transfers);
    v[RUN_FRAMES_PIPELINE].i = f->pipeline;
    v[RUN_FRAMES_SOURCE].i = f->source;
    v[RUN_FRAMES_FRAME].i = f->frame;
    v[RUN_FRAMES_CAPTURE_S].f = f->capture_s;
    v[RUN_FRAMES_CUT].i = f->cut[0];
    v[RUN_FRAMES_DROPPED].i = f->dropped;
    v[RUN_FRAMES_DROP_STAGE].i = f->drop_stage;
    v[RUN_FRAMES_DROP_NIC].i = f->drop_nic;
    v[RUN_FRAMES_DEADLINE_MET].i = f->deadline_met;
    v[RUN_FRAMES_LATENCY_S].f = f->latency_s;
    for (int k = 0; k < f->n_stages; k++) {
        v[run_tables_frames_stage_col(k, RUN_STAGE_NODE)].i = f->node[k];
        v[run_tables_frames_stage_col(k, RUN_STAGE_QUEUE_IN_S)].f = f->queue_in_s[k];
        v[run_tables_frames_stage_col(k, RUN_STAGE_START_S)].f = f->start_s[k];
        v[run_tables_frames_stage_col(k, RUN_STAGE_END_S)].f = f->end_s[k];
        v[run_tables_frames_stage_col(k, RUN_STAGE_ENERGY_J)].f = f->stage_energy_j[k];
    }
    for (int k = 0; k < f->n_transfers; k++) {
        int n = w->n_stages;
        v[run_tables_frames_transfer_col(n, k, RUN_TRANSFER_START_S)].f = f->t_start_s[k];
        v[run_tables_frames_transfer_col(n, k, RUN_TRANSFER_END_S)].f = f->t_end_s[k];
        v[run_tables_frames_transfer_col(n, k, RUN_TRANSFER_WIRE_BYTES)].i =
            isnan(f->t_wire_bytes[k]) ? -1 : (int64_t)ceil(f->t_wire_bytes[k]);
        v[run_tables_frames_transfer_col(n, k, RUN_TRANSFER_ENERGY_J)].f = f->t_energy_j[k];
    }
    if (trace_table_append(w->frames, v, &w->err))
        w->failed = w->err.code;
}

static void on_event(void *ctx, const pipeline_event *e)
{
    frame_writer *w = ctx;
    if (!w->events || w->failed)
        return;
    table_value v[RUN_EVENTS_COLUMNS];
    v[RUN_EVENTS_START_S].f = e->start_s;
    v[RUN_EVENTS_END_S].f = e->end_s;
    v[RUN_EVENTS_NODE].i = e->node;
    v[RUN_EVENTS_RESOURCE].s = e->transfer ? w->s->links[e->link].name : w->s->nodes[e->node].name;
    v[RUN_EVENTS_KIND].s = e->transfer ? "transfer" : "stage";
    v[RUN_EVENTS_FRAME].i = e->frame;
    v[RUN_EVENTS_LAYER].i = e->transfer ? -1 : e->first;
    v[RUN_EVENTS_BYTES].i = (int64_t)ceil(e->bytes);
    v[RUN_EVENTS_ENERGY_J].f = e->energy_j;
    v[RUN_EVENTS_DEST].i = e->dest;
    v[RUN_EVENTS_PIPELINE].i = e->pipeline;
    v[RUN_EVENTS_SOURCE].i = e->source;
    v[RUN_EVENTS_CUT].i = e->cut;
    v[RUN_EVENTS_QUEUE_IN_S].f = e->queue_in_s;
    if (trace_table_append(w->events, v, &w->err))
        w->failed = w->err.code;
}

/* Rows of /frames per HDF5 chunk, and its deflate level.  A frame row is
 * some twenty times that differ from row to row; deflate (32 KiB window,
 * after the shuffle filter) finds the most to share at chunks of 45-70 KB:
 * 384 rows of the demo's 177 B at level 8 give 31.9 B a frame, 256 rows at
 * level 1 33.5 B, 4096 rows 67 B (docs/PERFORMANCE.md, "Trace size").  The
 * compression runs on a second thread (trace_table_layout.background);
 * level 9 is slower than that thread keeps up with. */
#define FRAMES_CHUNK_ROWS 384
#define FRAMES_DEFLATE_LEVEL 8

/* A chunk for a table of n rows known in advance: n itself when short. */
static int rows_for(int64_t n)
{
    return n >= 1 && n < TRACE_BUFFER_ROWS ? (int)n : 0;
}

/* Create table `name` of trace `tf` from a description the call fills, in
 * chunks of chunk_rows (0: the default); a long table (`background`) is
 * compressed on a second thread. */
static trace_table *create_table(trace_file *tf, table_spec *spec, int chunk_rows,
                                 int deflate_level, bool background, ps_error *err)
{
    trace_table_layout lo = {chunk_rows, deflate_level, background};
    trace_table *t = trace_table_create_chunked(tf, spec->name, spec, &lo, err);
    table_spec_free(spec);
    return t;
}

/* /layers: the per-layer costs of every node's accelerator that ran frames. */
static int write_layers(const run_report *rep, trace_file *tf, ps_error *err)
{
    const scenario *s = &rep->s;
    table_spec spec;
    const table_column node = {"node", TABLE_INT, NULL, NULL, 4, 0};
    if (table_spec_init(&spec, "/layers", err) || table_spec_add(&spec, &node, 1, err) ||
        cost_table_add_columns(&spec, s->g, false, err)) {
        table_spec_free(&spec);
        return err->code;
    }
    trace_table *layers = create_table(tf, &spec, 0, 0, false, err);
    if (!layers)
        return err->code;
    table_value v[1 + COST_TABLE_COLUMNS];
    char shape[64];
    for (int n = 0; n < s->n_nodes; n++) {
        const plan_accel *pa = &rep->p.accels[s->nodes[n].accel];
        if (!rep->r.nodes[n].frames)
            continue;
        for (int k = 0; k < pa->net.n; k++) {
            v[0].i = n;
            cost_table_row(s->g, &pa->net, k, false, RS_SEARCH_ENERGY, v + 1, shape,
                           sizeof shape);
            if (trace_table_append(layers, v, err))
                return err->code;
        }
    }
    return 0;
}

void run_node_row(const run_report *rep, int n, table_value *v)
{
    const pipeline_node_total *t = &rep->r.nodes[n];
    double T = rep->r.end_s > 0 ? rep->r.end_s : 1;
    v[RUN_NODES_NAME].s = rep->s.nodes[n].name;
    v[RUN_NODES_BUSY_S].f = t->busy_s;
    v[RUN_NODES_UTILIZATION].f = t->busy_s / T;
    v[RUN_NODES_ENERGY_DYNAMIC_J].f = t->energy_dynamic_j;
    v[RUN_NODES_ENERGY_STATIC_J].f = t->energy_static_j;
    v[RUN_NODES_ENERGY_J].f = t->energy_dynamic_j + t->energy_static_j;
    v[RUN_NODES_FRAMES].i = t->frames;
}

void run_link_row(const run_report *rep, int l, table_value *v)
{
    const pipeline_link_total *t = &rep->r.links[l];
    double T = rep->r.end_s > 0 ? rep->r.end_s : 1;
    v[RUN_LINKS_NAME].s = rep->s.links[l].name;
    v[RUN_LINKS_BUSY_S].f = t->busy_s;
    v[RUN_LINKS_UTILIZATION].f = t->busy_s / T;
    v[RUN_LINKS_BUSY_AB_S].f = t->busy_dir_s[0];
    v[RUN_LINKS_BUSY_BA_S].f = t->busy_dir_s[1];
    v[RUN_LINKS_UTILIZATION_AB].f = t->busy_dir_s[0] / T;
    v[RUN_LINKS_UTILIZATION_BA].f = t->busy_dir_s[1] / T;
    v[RUN_LINKS_BYTES].i = (int64_t)t->bytes;
    v[RUN_LINKS_ENERGY_ACTIVE_J].f = t->energy_active_j;
    v[RUN_LINKS_ENERGY_IDLE_J].f = t->energy_idle_j;
    v[RUN_LINKS_ENERGY_LPI_J].f = t->energy_lpi_j;
    v[RUN_LINKS_ENERGY_J].f = t->energy_active_j + t->energy_idle_j + t->energy_lpi_j;
}

void run_summary_row(const run_report *rep, int i, table_value *v)
{
    const pipeline_total *pt = &rep->r.pipelines[i];
    v[RUN_SUMMARY_PIPELINE].i = i;
    v[RUN_SUMMARY_NAME].s = rep->s.pipelines[i].name;
    v[RUN_SUMMARY_FRAMES].i = pt->emitted;
    v[RUN_SUMMARY_COMPLETED].i = pt->completed;
    v[RUN_SUMMARY_DROPPED].i = pt->dropped;
    v[RUN_SUMMARY_DROPPED_NIC].i = pt->dropped_nic;
    double deadline = rep->s.pipelines[i].deadline_s;
    v[RUN_SUMMARY_DEADLINE_S].f = deadline > 0 ? deadline : NAN;
    v[RUN_SUMMARY_DEADLINE_MISSED].i = pt->deadline_missed;
    v[RUN_SUMMARY_THROUGHPUT_FPS].f = run_throughput_fps(rep, i);
    v[RUN_SUMMARY_LATENCY_P50_S].f = stats_quantile(&pt->latency, 0.50);
    v[RUN_SUMMARY_LATENCY_P95_S].f = stats_quantile(&pt->latency, 0.95);
    v[RUN_SUMMARY_LATENCY_P99_S].f = stats_quantile(&pt->latency, 0.99);
    v[RUN_SUMMARY_LATENCY_MAX_S].f = pt->latency.n ? pt->latency.max : NAN;
    v[RUN_SUMMARY_ENERGY_PER_FRAME_J].f =
        pt->completed ? pt->energy_j / (double)pt->completed : NAN;
}

static int write_tables(const run_report *rep, trace_file *tf, ps_error *err)
{
    const scenario *s = &rep->s;
    const pipeline_result *r = &rep->r;
    if (write_layers(rep, tf, err))
        return err->code;
    table_spec spec;
    int64_t n_energy = (int64_t)s->n_pipelines * (s->n_nodes + s->n_links);
    trace_table *nodes = run_tables_nodes(&spec, err)
                             ? NULL : create_table(tf, &spec, rows_for(s->n_nodes), 0, false, err);
    trace_table *links = !nodes || run_tables_links(&spec, err)
                             ? NULL : create_table(tf, &spec, rows_for(s->n_links), 0, false, err);
    trace_table *sum = !links || run_tables_summary(&spec, err)
                           ? NULL : create_table(tf, &spec, rows_for(s->n_pipelines), 0, false, err);
    trace_table *se = !sum || run_tables_summary_energy(&spec, err)
                          ? NULL : create_table(tf, &spec, rows_for(n_energy), 0, false, err);
    if (!se)
        return err->code;
    table_value v[RUN_SUMMARY_COLUMNS];
    for (int n = 0; n < s->n_nodes; n++) {
        run_node_row(rep, n, v);
        if (trace_table_append(nodes, v, err))
            return err->code;
    }
    for (int l = 0; l < s->n_links; l++) {
        run_link_row(rep, l, v);
        if (trace_table_append(links, v, err))
            return err->code;
    }
    for (int i = 0; i < s->n_pipelines; i++) {
        run_summary_row(rep, i, v);
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
            v[RUN_SUMMARY_ENERGY_PIPELINE].i = i;
            v[RUN_SUMMARY_ENERGY_RESOURCE].s = node ? s->nodes[k].name
                                                    : s->links[k - s->n_nodes].name;
            v[RUN_SUMMARY_ENERGY_KIND].s = node ? "node" : "link";
            v[RUN_SUMMARY_ENERGY_ENERGY_PER_FRAME_J].f = e * per;
            if (trace_table_append(se, v, err))
                return err->code;
        }
    }
    return 0;
}

int run_quiet(const char *scenario_path, const char *const *sets, int n_sets,
              const char *command_line, const char *out_path, run_report *rep, ps_error *err)
{
    run_options ro = {.scenario_path = scenario_path, .sets = sets, .n_sets = n_sets,
                      .out_path = out_path, .no_trace = !out_path,
                      .command_line = command_line};
    char arg0[] = "partsim";
    char *argv[] = {arg0, NULL};
    int argc = 1;
    return run_scenario(&ro, &argc, argv, rep, err);
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

/* Files the run reads, which its outputs must never replace. */
/* The trace file and its /events and /frames tables (none with --no-trace). */
static int open_trace(run_report *rep, const run_options *o, trace_file **tf, frame_writer *w,
                      ps_error *err)
{
    *tf = NULL;
    if (o->no_trace) {
        rep->trace_path[0] = '\0';
        return 0;
    }
    default_out(&rep->s, o, rep->trace_path, sizeof rep->trace_path);
    if (atomic_file_check_target(rep->trace_path, (const char *const *)rep->s.inputs,
                                 rep->s.n_inputs, err)) {
        size_t len = strlen(err->msg);
        snprintf(err->msg + len, sizeof err->msg - len, " (or --no-trace: run without one)");
        return err->code;
    }
    trace_meta meta = {.partsim_version = PARTSIM_VERSION, .scenario = rep->s.text,
                       .seed = (int64_t)rep->s.seed, .command_line = o->command_line};
    if (trace_open(rep->trace_path, &meta, tf, err))
        return err->code;
    table_spec spec;
    if (rep->s.trace_events &&
        (run_tables_events(&spec, err) || !(w->events = create_table(*tf, &spec, 0, 0, true, err))))
        return err->code;
    if (rep->s.trace_frames &&
        (run_tables_frames(&spec, w->n_stages, w->n_transfers, err) ||
         !(w->frames = create_table(*tf, &spec, FRAMES_CHUNK_ROWS, FRAMES_DEFLATE_LEVEL, true,
                                        err))))
        return err->code;
    return 0;
}

/* Where the SimGrid platform (and the rate profiles beside it) are written:
 * next to the trace when kept, else beside the trace's temporary file, or
 * in a temporary folder of its own (*tmpdir) without a trace. */
static int platform_location(run_report *rep, const run_options *o, const trace_file *tf,
                             char *tmpdir, size_t size, ps_error *err)
{
    tmpdir[0] = '\0';
    if (o->keep_platform) {
        snprintf(rep->platform_path, sizeof rep->platform_path, "%s.platform.xml",
                 rep->trace_path);
        rep->platform_kept = true;
    } else if (tf) {
        snprintf(rep->platform_path, sizeof rep->platform_path, "%s.platform-%ld.xml",
                 trace_file_partial_path(tf), (long)getpid());
    } else {
        const char *base = getenv("TMPDIR");
        snprintf(tmpdir, size, "%s/partsim-XXXXXX", base && *base ? base : "/tmp");
        if (!mkdtemp(tmpdir))
            return error_set(err, PS_ERR_IO, "cannot create a temporary folder %s for the "
                             "SimGrid platform: %s", tmpdir, strerror(errno));
        snprintf(rep->platform_path, sizeof rep->platform_path, "%s/platform.xml", tmpdir);
    }
    return 0;
}

/* Delete the platform and the profiles written next to it, unless kept. */
static void remove_platform(const run_report *rep, const char *tmpdir)
{
    if (rep->platform_kept)
        return;
    unlink(rep->platform_path);
    char dir[1100];
    snprintf(dir, sizeof dir, "%s", rep->platform_path);
    char *slash = strrchr(dir, '/');
    if (slash)
        slash[1] = '\0';
    else
        dir[0] = '\0';
    for (int l = 0; l < rep->s.n_links; l++)
        if (rep->s.links[l].profile[0]) {
            char path[1400];
            snprintf(path, sizeof path, "%s%s.profile", dir, rep->s.links[l].name);
            unlink(path);
        }
    if (tmpdir[0])
        rmdir(tmpdir);
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
    trace_file *tf = NULL;
    char tmpdir[1024] = "";
    int rc = open_trace(rep, o, &tf, &w, err);
    if (!rc && !(w.row = calloc((size_t)run_tables_frames_n_columns(max_stages, max_transfers),
                                sizeof *w.row)))
        rc = error_set(err, PS_ERR_NOMEM, "out of memory");
    if (!rc)
        rc = platform_location(rep, o, tf, tmpdir, sizeof tmpdir, err);
    if (rc) {
        free(w.row);
        trace_abort(tf);
        run_report_free(rep);
        return rc;
    }
    pipeline_options so = {.platform_path = rep->platform_path, .on_frame = on_frame,
                           .on_event = w.events ? on_event : NULL, .ctx = &w,
                           .progress = o->progress};
    struct timespec t0, t1;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    rc = pipeline_run(&rep->s, &rep->p, &so, argc, argv, &rep->r, err);
    clock_gettime(CLOCK_MONOTONIC, &t1);
    rep->wall_s = (double)(t1.tv_sec - t0.tv_sec) + 1e-9 * (double)(t1.tv_nsec - t0.tv_nsec);
    if (!rc && w.failed)
        rc = error_set(err, w.err.code, "%s", w.err.msg);
    if (!rc && tf)
        rc = write_tables(rep, tf, err);
    free(w.row);
    remove_platform(rep, tmpdir);
    if (rc) {
        trace_abort(tf);
        run_report_free(rep);
        return rc;
    }
    if (tf && trace_close(tf, err)) {
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
