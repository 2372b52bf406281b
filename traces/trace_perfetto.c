/* A run's /events as Perfetto / Chrome trace-event JSON
 * (traces/trace_perfetto.h). */
#include "traces/trace_perfetto.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "base/json.h"

#define DEFAULT_BINS 500

/* A queue's length changes by d (+1 in, -1 out) at t; queue = node * 2 +
 * (0: stage queue, 1: NIC send queue). */
typedef struct {
    double t;
    int32_t queue, d;
} queue_change;

/* One link's directions: the node sending on it from each end (-1: none
 * yet) and that direction's busy seconds per bin (NULL until used). */
typedef struct {
    int sender[2];
    double *busy[2];
} link_dirs;

typedef struct {
    FILE *out;
    int n_nodes, n_links, n_pipelines;
    char **node_json, **link_json, **pipeline_json; /* names as JSON strings, quoted */
    char **link_names;                              /* sorted copies for lookup ... */
    int *link_order;                                /* ... and their row numbers */
    link_dirs *links;
    queue_change *changes;
    int64_t n_changes, cap_changes;
    double from_s, to_s, bin_s;
    int bins;
    bool first;                                     /* no event written yet */
    trace_perfetto_stats st;
} perfetto;

/* s as a quoted, escaped JSON string, in its own allocation. */
static char *json_text(const char *s)
{
    char *buf = NULL;
    size_t len = 0;
    FILE *m = open_memstream(&buf, &len);
    if (!m)
        return NULL;
    json_write_string(m, s);
    if (fclose(m)) {
        free(buf);
        return NULL;
    }
    return buf;
}

static void free_texts(char **v, int n)
{
    for (int i = 0; v && i < n; i++)
        free(v[i]);
    free(v);
}

/* Every row's column `col` of table `name` as JSON strings (names of nodes,
 * links, pipelines: short tables). */
static int read_names(trace_reader *r, const char *name, const char *col, char ***out, int *n,
                      ps_error *err)
{
    *out = NULL, *n = 0;
    trace_read_table *t;
    if (trace_read_table_open(r, name, &t, err))
        return err->code;
    const table_spec *spec = trace_read_table_spec(t);
    int c = table_spec_find(spec, col);
    int64_t rows = trace_read_table_rows(t);
    int rc = c < 0 ? error_set(err, PS_ERR_INPUT, "%s has no column '%s'", name, col) : 0;
    char **v = rc ? NULL : calloc(rows ? (size_t)rows : 1, sizeof *v);
    table_value *block = rc ? NULL : malloc(sizeof *block * (size_t)spec->n * TRACE_READ_BLOCK);
    if (!rc && (!v || !block))
        rc = error_set(err, PS_ERR_NOMEM, "out of memory");
    for (int64_t first = 0; !rc && first < rows; first += TRACE_READ_BLOCK) {
        int k = rows - first < TRACE_READ_BLOCK ? (int)(rows - first) : TRACE_READ_BLOCK;
        rc = trace_read_table_read(t, first, k, block, err);
        for (int i = 0; !rc && i < k; i++)
            if (!(v[first + i] = json_text(block[(size_t)i * (size_t)spec->n + c].s)))
                rc = error_set(err, PS_ERR_NOMEM, "out of memory");
    }
    free(block);
    trace_read_table_close(t);
    if (rc) {
        free_texts(v, (int)rows);
        return rc;
    }
    *out = v, *n = (int)rows;
    return 0;
}

/* ---- link names: resource strings of /events to link rows --------------- */

static const char *const *sort_names;

static int by_name(const void *a, const void *b)
{
    return strcmp(sort_names[*(const int *)a], sort_names[*(const int *)b]);
}

static int index_links(perfetto *p, ps_error *err)
{
    p->link_order = malloc(sizeof *p->link_order * (size_t)(p->n_links ? p->n_links : 1));
    p->links = calloc(p->n_links ? (size_t)p->n_links : 1, sizeof *p->links);
    if (!p->link_order || !p->links)
        return error_set(err, PS_ERR_NOMEM, "out of memory");
    for (int i = 0; i < p->n_links; i++) {
        p->link_order[i] = i;
        p->links[i].sender[0] = p->links[i].sender[1] = -1;
    }
    sort_names = (const char *const *)p->link_json;
    qsort(p->link_order, (size_t)p->n_links, sizeof *p->link_order, by_name);
    return 0;
}

/* The row of the link whose JSON name is `json`, -1 if none. */
static int link_row(const perfetto *p, const char *json)
{
    int lo = 0, hi = p->n_links - 1;
    while (lo <= hi) {
        int mid = (lo + hi) / 2, c = strcmp(json, p->link_json[p->link_order[mid]]);
        if (!c)
            return p->link_order[mid];
        if (c < 0)
            hi = mid - 1;
        else
            lo = mid + 1;
    }
    return -1;
}

/* The direction of link l that node `sender` sends on into *dir (0 or 1),
 * its bins allocated; an error when the link already has two other senders
 * (cannot happen: a transfer's first link starts at its sender). */
static int link_direction(perfetto *p, int l, int sender, const char *link, int *dir,
                          ps_error *err)
{
    link_dirs *d = &p->links[l];
    for (int k = 0; k < 2; k++) {
        if (d->sender[k] == sender) {
            *dir = k;
            return 0;
        }
        if (d->sender[k] < 0) {
            if (!(d->busy[k] = calloc((size_t)p->bins, sizeof *d->busy[k])))
                return error_set(err, PS_ERR_NOMEM, "out of memory");
            d->sender[k] = sender;
            p->st.tracks++;
            *dir = k;
            return 0;
        }
    }
    return error_set(err, PS_ERR_INPUT, "/events: link %s is sent on from three nodes", link);
}

/* ---- writing -------------------------------------------------------------- */

static void event_begin(perfetto *p)
{
    fputs(p->first ? "\n" : ",\n", p->out);
    p->first = false;
}

/* Process / thread names, once per track. */
static void name_meta(perfetto *p, int pid, int tid, const char *what, const char *json_name)
{
    event_begin(p);
    if (tid)
        fprintf(p->out, "{\"ph\":\"M\",\"pid\":%d,\"tid\":%d,\"name\":\"thread_name\","
                        "\"args\":{\"name\":%s}}", pid, tid, json_name);
    else
        fprintf(p->out, "{\"ph\":\"M\",\"pid\":%d,\"name\":\"process_name\","
                        "\"args\":{\"name\":\"%s %s}}", pid, what, json_name + 1);
    /* json_name + 1: the name without its opening quote; its closing quote
     * ends the combined string */
    if (!tid) {
        event_begin(p);
        fprintf(p->out, "{\"ph\":\"M\",\"pid\":%d,\"name\":\"process_sort_index\","
                        "\"args\":{\"sort_index\":%d}}", pid, pid);
    }
}

/* The fields of one /events row the timeline uses. */
typedef struct {
    double start_s, end_s, queue_in_s, energy_j;
    int node, dest, pipeline, source, cut, layer;
    int64_t frame, bytes;
    bool transfer;
    const char *resource;
} event_row;

/* A JSON number, or null for NaN and infinities (which JSON has not). */
static void number(FILE *out, double v)
{
    if (isfinite(v))
        fprintf(out, "%.9g", v);
    else
        fputs("null", out);
}

/* A slice on track (pid, tid) for event e. */
static void slice(perfetto *p, int pid, int tid, const event_row *e)
{
    event_begin(p);
    const char *cam = e->source >= 0 && e->source < p->n_nodes ? p->node_json[e->source] : "\"?\"";
    int camlen = (int)strlen(cam) - 1; /* the camera's name without its closing quote */
    fprintf(p->out, "{\"ph\":\"X\",\"pid\":%d,\"tid\":%d,\"ts\":%.3f,\"dur\":%.3f,"
                    "\"name\":%.*s #%lld\",\"args\":{\"pipeline\":%s,\"camera\":%s,\"frame\":%lld,"
                    "\"cut\":%d,",
            pid, tid, e->start_s * 1e6, (e->end_s - e->start_s) * 1e6, camlen, cam,
            (long long)e->frame,
            e->pipeline >= 0 && e->pipeline < p->n_pipelines ? p->pipeline_json[e->pipeline]
                                                              : "null",
            cam, (long long)e->frame, e->cut);
    if (e->transfer)
        fprintf(p->out, "\"bytes\":%lld,\"to\":%s,", (long long)e->bytes,
                e->dest >= 0 && e->dest < p->n_nodes ? p->node_json[e->dest] : "null");
    else
        fprintf(p->out, "\"layer\":%d,", e->layer);
    fputs("\"wait_s\":", p->out);
    number(p->out, e->start_s - e->queue_in_s); /* null for a file without queue_in_s */
    fputs(",\"energy_j\":", p->out);
    number(p->out, e->energy_j);
    fputs("}}", p->out);
    p->st.slices++;
}

static int queue_change_add(perfetto *p, double t, int queue, int d, ps_error *err)
{
    if (p->n_changes == p->cap_changes) {
        int64_t cap = p->cap_changes ? 2 * p->cap_changes : 4096;
        queue_change *v = realloc(p->changes, sizeof *v * (size_t)cap);
        if (!v)
            return error_set(err, PS_ERR_NOMEM, "out of memory: %lld queue changes",
                             (long long)p->n_changes);
        p->changes = v, p->cap_changes = cap;
    }
    p->changes[p->n_changes++] = (queue_change){t, queue, d};
    return 0;
}

/* Adds the part of [a, b] inside the window to the bins. */
static void add_busy(const perfetto *p, double *bins, double a, double b)
{
    a = fmax(a, p->from_s), b = fmin(b, p->to_s);
    if (b <= a)
        return;
    int i = (int)((a - p->from_s) / p->bin_s), j = (int)((b - p->from_s) / p->bin_s);
    i = i < p->bins ? i : p->bins - 1, j = j < p->bins ? j : p->bins - 1;
    for (int k = i; k <= j; k++) {
        double lo = fmax(a, p->from_s + k * p->bin_s), hi = fmin(b, p->from_s + (k + 1) * p->bin_s);
        if (hi > lo)
            bins[k] += hi - lo;
    }
}

static int one_event(perfetto *p, const event_row *e, ps_error *err)
{
    if (e->node < 0 || e->node >= p->n_nodes)
        return error_set(err, PS_ERR_INPUT, "/events: node %d is not a row of /nodes", e->node);
    int queue = e->node * 2 + (e->transfer ? 1 : 0);
    if (!isnan(e->queue_in_s) && e->queue_in_s <= p->to_s && e->start_s >= p->from_s &&
        (queue_change_add(p, e->queue_in_s, queue, +1, err) ||
         queue_change_add(p, e->start_s, queue, -1, err)))
        return err->code;
    if (e->end_s < p->from_s || e->start_s > p->to_s)
        return 0;
    slice(p, e->node + 1, e->transfer ? 2 : 1, e);
    if (!e->transfer)
        return 0;
    int l = link_row(p, e->resource);
    if (l < 0)
        return error_set(err, PS_ERR_INPUT, "/events: transfer on link %s, which is not in /links",
                         e->resource);
    int dir = 0;
    if (link_direction(p, l, e->node, e->resource, &dir, err))
        return err->code;
    slice(p, p->n_nodes + l + 1, dir + 1, e);
    add_busy(p, p->links[l].busy[dir], e->start_s, e->end_s);
    return 0;
}

/* Columns of /events by name (an older file without the queue columns
 * still gives its slices). */
enum { C_START, C_END, C_NODE, C_RESOURCE, C_KIND, C_FRAME, C_LAYER, C_BYTES, C_ENERGY, C_DEST,
       C_PIPELINE, C_SOURCE, C_CUT, C_QUEUE_IN, N_COLS };
static const char *const col_names[N_COLS] = {
    "start_s", "end_s", "node", "resource", "kind", "frame", "layer", "bytes", "energy_j",
    "dest", "pipeline", "source", "cut", "queue_in_s"};

/* Reads /events: with span_only the span of its activities into from_s /
 * to_s, else each row to the timeline. */
static int each_event(perfetto *p, trace_reader *r, bool span_only, ps_error *err)
{
    trace_read_table *t;
    if (trace_read_table_open(r, "/events", &t, err))
        return err->code;
    const table_spec *spec = trace_read_table_spec(t);
    int col[N_COLS], rc = 0;
    for (int i = 0; i < N_COLS && !rc; i++)
        if ((col[i] = table_spec_find(spec, col_names[i])) < 0 && i < C_DEST)
            rc = error_set(err, PS_ERR_INPUT, "/events has no column '%s'", col_names[i]);
    int64_t rows = trace_read_table_rows(t);
    size_t w = (size_t)spec->n;
    table_value *block = rc ? NULL : malloc(sizeof *block * w * TRACE_READ_BLOCK);
    if (!rc && !block)
        rc = error_set(err, PS_ERR_NOMEM, "out of memory");
    double lo = INFINITY, hi = -INFINITY;
    for (int64_t first = 0; !rc && first < rows; first += TRACE_READ_BLOCK) {
        int k = rows - first < TRACE_READ_BLOCK ? (int)(rows - first) : TRACE_READ_BLOCK;
        rc = trace_read_table_read(t, first, k, block, err);
        for (int i = 0; !rc && i < k; i++) {
            const table_value *v = block + (size_t)i * w;
            if (span_only) {
                lo = fmin(lo, v[col[C_START]].f), hi = fmax(hi, v[col[C_END]].f);
                continue;
            }
#define OPT_INT(c) (col[c] >= 0 ? (int)v[col[c]].i : -1)
            event_row e = {
                .start_s = v[col[C_START]].f, .end_s = v[col[C_END]].f,
                .queue_in_s = col[C_QUEUE_IN] >= 0 ? v[col[C_QUEUE_IN]].f : NAN,
                .energy_j = v[col[C_ENERGY]].f, .node = (int)v[col[C_NODE]].i,
                .dest = OPT_INT(C_DEST), .pipeline = OPT_INT(C_PIPELINE),
                .source = OPT_INT(C_SOURCE), .cut = OPT_INT(C_CUT),
                .layer = (int)v[col[C_LAYER]].i, .frame = v[col[C_FRAME]].i,
                .bytes = v[col[C_BYTES]].i,
                .transfer = v[col[C_KIND]].s && !strcmp(v[col[C_KIND]].s, "transfer"),
            };
#undef OPT_INT
            char *res = e.transfer ? json_text(v[col[C_RESOURCE]].s) : NULL;
            if (e.transfer && !res)
                rc = error_set(err, PS_ERR_NOMEM, "out of memory");
            e.resource = res;
            rc = rc ? rc : one_event(p, &e, err);
            free(res);
        }
    }
    free(block);
    trace_read_table_close(t);
    if (!rc && span_only) {
        p->from_s = rows ? lo : 0;
        p->to_s = rows ? hi : 0;
    }
    return rc;
}

static int by_time(const void *a, const void *b)
{
    const queue_change *x = a, *y = b;
    if (x->t != y->t)
        return x->t < y->t ? -1 : 1;
    if (x->queue != y->queue)
        return x->queue < y->queue ? -1 : 1;
    return y->d - x->d; /* in before out at the same instant */
}

static const char *const queue_name[2] = {"stage queue", "NIC queue"};

static void queue_counter(perfetto *p, int queue, double t, int len)
{
    event_begin(p);
    fprintf(p->out, "{\"ph\":\"C\",\"pid\":%d,\"ts\":%.3f,\"name\":\"%s\","
                    "\"args\":{\"frames\":%d}}", queue / 2 + 1, t * 1e6, queue_name[queue % 2],
            len);
    p->st.counters++;
}

/* The queue counters: each queue's length after every change inside the
 * window where it differs from the last one written (one value per
 * instant), and, for a queue that changed before the window, its length
 * when the window opens. */
static int queue_counters(perfetto *p, ps_error *err)
{
    qsort(p->changes, (size_t)p->n_changes, sizeof *p->changes, by_time);
    int nq = 2 * p->n_nodes;
    int *len = calloc(nq ? (size_t)nq : 1, sizeof *len);
    int *shown = malloc(sizeof *shown * (size_t)(nq ? nq : 1)); /* last value written */
    bool *before = calloc(nq ? (size_t)nq : 1, sizeof *before);
    if (!len || !shown || !before) {
        free(len), free(shown), free(before);
        return error_set(err, PS_ERR_NOMEM, "out of memory");
    }
    for (int q = 0; q < nq; q++)
        shown[q] = -1;
    bool opened = false;
    for (int64_t i = 0; i <= p->n_changes; i++) {
        const queue_change *c = i < p->n_changes ? &p->changes[i] : NULL;
        if (!opened && (!c || c->t >= p->from_s)) {
            for (int q = 0; q < nq; q++)
                if (before[q])
                    queue_counter(p, q, p->from_s, shown[q] = len[q]);
            opened = true;
        }
        if (!c || c->t > p->to_s)
            break;
        len[c->queue] += c->d;
        if (c->t < p->from_s) {
            before[c->queue] = true;
            continue;
        }
        bool last = i + 1 == p->n_changes || p->changes[i + 1].t != c->t ||
                    p->changes[i + 1].queue != c->queue;
        if (last && len[c->queue] != shown[c->queue])
            queue_counter(p, c->queue, c->t, shown[c->queue] = len[c->queue]);
    }
    free(len), free(shown), free(before);
    return 0;
}

/* Each used link direction's busy fraction per bin. */
static void link_counters(perfetto *p)
{
    for (int l = 0; l < p->n_links; l++)
        for (int k = 0; k < 2; k++) {
            const link_dirs *d = &p->links[l];
            if (d->sender[k] < 0)
                continue;
            for (int b = 0; b <= p->bins; b++) {
                double u = b < p->bins ? d->busy[k][b] / p->bin_s : 0;
                event_begin(p);
                fprintf(p->out, "{\"ph\":\"C\",\"pid\":%d,\"ts\":%.3f,\"name\":\"utilisation "
                                "from %.*s\",\"args\":{\"busy\":%.6f}}",
                        p->n_nodes + l + 1, (p->from_s + b * p->bin_s) * 1e6,
                        (int)strlen(p->node_json[d->sender[k]]) - 2, p->node_json[d->sender[k]] + 1,
                        fmin(u, 1));
                p->st.counters++;
            }
        }
}

static void metadata(perfetto *p)
{
    for (int n = 0; n < p->n_nodes; n++) {
        name_meta(p, n + 1, 0, "node", p->node_json[n]);
        name_meta(p, n + 1, 1, NULL, "\"accelerator\"");
        name_meta(p, n + 1, 2, NULL, "\"NIC\"");
    }
    for (int l = 0; l < p->n_links; l++) {
        name_meta(p, p->n_nodes + l + 1, 0, "link", p->link_json[l]);
        for (int k = 0; k < 2; k++) {
            int s = p->links[l].sender[k];
            if (s < 0)
                continue;
            char *name = NULL;
            size_t len = 0;
            FILE *m = open_memstream(&name, &len);
            if (m) {
                fprintf(m, "\"from %s", p->node_json[s] + 1);
                fclose(m);
                name_meta(p, p->n_nodes + l + 1, k + 1, NULL, name);
            }
            free(name);
        }
    }
}

int trace_perfetto_write(trace_reader *r, FILE *out, const trace_perfetto_options *o,
                         trace_perfetto_stats *stats, ps_error *err)
{
    if (strcmp(trace_read_kind(r), "run"))
        return error_set(err, PS_ERR_INPUT,
                         "a timeline needs a run's trace; this is an %s file (of a sweep with "
                         "--keep-runs, export a point's run by re-running it)",
                         trace_read_kind(r));
    if (!trace_read_has(r, "/events"))
        return error_set(err, PS_ERR_INPUT,
                         "the trace has no /events table: run with --set trace.events=true "
                         "(or `trace: {events: true}` in the scenario) to record every stage "
                         "run and transfer");
    perfetto p = {.out = out, .first = true, .bins = o->bins > 0 ? o->bins : DEFAULT_BINS};
    int rc = read_names(r, "/nodes", "name", &p.node_json, &p.n_nodes, err);
    rc = rc ? rc : read_names(r, "/links", "name", &p.link_json, &p.n_links, err);
    rc = rc ? rc : read_names(r, "/summary", "name", &p.pipeline_json, &p.n_pipelines, err);
    rc = rc ? rc : index_links(&p, err);
    if (!rc && (!isfinite(o->from_s) || !isfinite(o->to_s)))
        rc = each_event(&p, r, true, err); /* the run's span */
    if (!rc) {
        p.from_s = isfinite(o->from_s) ? o->from_s : p.from_s;
        p.to_s = isfinite(o->to_s) ? o->to_s : p.to_s;
        if (p.to_s < p.from_s && !isfinite(o->to_s))
            rc = error_set(err, PS_ERR_INPUT, "--from %g s is after the run's last activity "
                           "(%g s)", p.from_s, p.to_s);
        else if (p.to_s < p.from_s)
            rc = error_set(err, PS_ERR_INPUT, "--to %g s is before the run's first activity "
                           "(%g s)", p.to_s, p.from_s);
    }
    if (!rc) {
        p.bin_s = p.to_s > p.from_s ? (p.to_s - p.from_s) / p.bins : 1e-9;
        fputs("{\"displayTimeUnit\":\"ms\",\"traceEvents\":[", out);
        rc = each_event(&p, r, false, err);
    }
    if (!rc)
        rc = queue_counters(&p, err);
    if (!rc) {
        link_counters(&p);
        metadata(&p);
        fputs("\n]}\n", out);
        p.st.tracks += 2 * p.n_nodes;
    }
    if (stats)
        *stats = p.st;
    free_texts(p.node_json, p.n_nodes);
    free_texts(p.link_json, p.n_links);
    free_texts(p.pipeline_json, p.n_pipelines);
    free(p.link_order);
    for (int l = 0; p.links && l < p.n_links; l++)
        free(p.links[l].busy[0]), free(p.links[l].busy[1]);
    free(p.links);
    free(p.changes);
    return rc;
}
