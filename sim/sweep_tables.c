/* The tables of a sweep (sim/sweep_tables.h). */
#include "sim/sweep_tables.h"

#include <ctype.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

/* The columns after the axes. */
static const table_column result_cols[] = {
    {"pipeline", TABLE_INT, NULL, NULL, 4, TABLE_HIDDEN},
    {"pipeline_name", TABLE_STR, NULL, NULL, SCN_NAME, 0},
    {"ok", TABLE_BOOL, NULL, "yes|FAILED", 1, 0},
    {"error", TABLE_STR, NULL, NULL, 512, TABLE_HIDDEN},
    {"frames", TABLE_INT, NULL, NULL, 0, TABLE_HIDDEN},
    {"completed", TABLE_INT, NULL, NULL, 0, 0},
    {"dropped", TABLE_INT, NULL, NULL, 0, 0},
    {"deadline_missed", TABLE_INT, NULL, NULL, 0, 0},
    {"throughput_fps", TABLE_FLOAT, "1/s", "%.2f", 0, 0},
    {"latency_p50_s", TABLE_FLOAT, "s", "%.6f", 0, 0},
    {"latency_p95_s", TABLE_FLOAT, "s", "%.6f", 0, TABLE_HIDDEN},
    {"latency_p99_s", TABLE_FLOAT, "s", "%.6f", 0, 0},
    {"latency_max_s", TABLE_FLOAT, "s", "%.6f", 0, TABLE_HIDDEN},
    {"energy_per_frame_j", TABLE_FLOAT, "J", "%.6g", 0, 0},
    {"busiest_node", TABLE_STR, NULL, NULL, SCN_NAME, 0},
    {"busiest_node_utilization", TABLE_FLOAT, "1", "%.3f", 0, 0},
    {"busiest_link", TABLE_STR, NULL, NULL, SCN_NAME, TABLE_HIDDEN},
    {"busiest_link_utilization", TABLE_FLOAT, "1", "%.3f", 0, 0},
    {"events", TABLE_INT, NULL, NULL, 0, TABLE_HIDDEN},
    {"simulated_s", TABLE_FLOAT, "s", "%.3f", 0, TABLE_HIDDEN},
    {"wall_s", TABLE_FLOAT, "s", "%.3f", 0, TABLE_HIDDEN},
};
#define N_RESULT_COLS ((int)(sizeof result_cols / sizeof *result_cols))

/* --explore: the columns after the axes; the pick's own are partsim
 * explore's (sim/explore_tables.h), taken from its table by name. */
static const table_column explore_cols[] = {
    {"ok", TABLE_BOOL, NULL, "yes|FAILED", 1, 0},
    {"error", TABLE_STR, NULL, NULL, 512, TABLE_HIDDEN},
    {"search", TABLE_STR, NULL, NULL, 8, TABLE_HIDDEN},
    {"evaluated", TABLE_INT, NULL, NULL, 0, TABLE_HIDDEN},
    {"feasible", TABLE_INT, NULL, NULL, 0, 0},
    {"front_size", TABLE_INT, NULL, NULL, 0, 0},
};
#define N_EXPLORE_COLS ((int)(sizeof explore_cols / sizeof *explore_cols))
static const char *const pick_cols[] = {"cuts", "cut_layers", "platforms", "latency_s",
                                        "throughput_fps", "energy_j", "sensor_energy_j",
                                        "link_bytes", "memory_bytes"};
#define N_PICK_COLS ((int)(sizeof pick_cols / sizeof *pick_cols))

static int add_pick_cols(table_spec *s, ps_error *err)
{
    table_spec cand;
    if (explore_tables_candidates(&cand, 1, EXPLORE_COL_CUT_LAYERS, err))
        return err->code;
    int rc = 0;
    for (int k = 0; k < N_PICK_COLS && !rc; k++) {
        int c = table_spec_find(&cand, pick_cols[k]);
        rc = c < 0 ? error_set(err, PS_ERR_INTERNAL, "no column %s", pick_cols[k])
                   : table_spec_add(s, &cand.cols[c], 1, err);
    }
    static const table_column wall = {"wall_s", TABLE_FLOAT, "s", "%.3f", 0, TABLE_HIDDEN};
    rc = rc ? rc : table_spec_add(s, &wall, 1, err);
    table_spec_free(&cand);
    return rc;
}

/* A name as part of a column name: [a-z0-9_], other characters as '_'. */
static void sanitize(const char *name, char *out, size_t size)
{
    size_t n = 0;
    for (const char *k = name; *k && n + 1 < size; k++)
        out[n++] = isalnum((unsigned char)*k) ? (char)tolower((unsigned char)*k) : '_';
    out[n] = '\0';
}

/* The energy column of a node group or the network. */
static void energy_column(const char *resource, char *out, size_t size)
{
    char base[SCN_NAME + 1];
    sanitize(resource, base, sizeof base);
    snprintf(out, size, "energy_per_frame_%s_j", base);
}

/* A key as a column name (sanitized); "set_" in front when that would be a
 * name the table has already. */
static void column_name(const table_spec *s, const char *key, const char *suffix, char *out,
                        size_t size)
{
    char base[200];
    sanitize(key, base, sizeof base);
    bool fixed = !strcmp(base, "point") || !strcmp(base, "seed");
    for (int c = 0; c < N_RESULT_COLS; c++)
        fixed |= !strcmp(base, result_cols[c].name);
    for (int c = 0; c < N_EXPLORE_COLS; c++)
        fixed |= !strcmp(base, explore_cols[c].name);
    for (int c = 0; c < N_PICK_COLS; c++)
        fixed |= !strcmp(base, pick_cols[c]);
    snprintf(out, size, "%s%s%s", fixed ? "set_" : "", base, suffix);
    for (int k = 2; table_spec_find(s, out) >= 0; k++)
        snprintf(out, size, "%s%s_%d%s", fixed ? "set_" : "", base, k, suffix);
}

static size_t longest(const sweep_axis *a)
{
    size_t m = 1;
    for (int v = 0; v < a->n; v++)
        m = strlen(a->values[v]) > m ? strlen(a->values[v]) : m;
    return m;
}

/* The axes' columns as /sweep/points has them (after point and seed). */
static int add_axis_cols(table_spec *s, const sweep_spec *sp, ps_error *err)
{
    for (int a = 0; a < sp->n_axes; a++) {
        const sweep_axis *ax = &sp->axes[a];
        char name[256];
        int store = (int)longest(ax);
        column_name(s, ax->key, "", name, sizeof name);
        if (ax->unit) {
            table_column c = {NULL, TABLE_FLOAT, ax->unit[0] ? ax->unit : NULL, "%.6g", 0, 0};
            table_column t = {NULL, TABLE_STR, NULL, NULL, store, TABLE_HIDDEN};
            if (table_spec_addf(s, c, err, "%s", name) ||
                table_spec_addf(s, t, err, "%s_text", name))
                return err->code;
        } else {
            table_column t = {NULL, TABLE_STR, NULL, NULL, store, 0};
            if (table_spec_addf(s, t, err, "%s", name))
                return err->code;
        }
    }
    return 0;
}

/* The axes' values of point idx[] from v[*c] on. */
static void fill_axes(const sweep_spec *sp, const int *idx, table_value *v, int *c)
{
    for (int a = 0; a < sp->n_axes; a++) {
        const sweep_axis *ax = &sp->axes[a];
        if (ax->unit)
            v[(*c)++].f = ax->numeric[idx[a]];
        v[(*c)++].s = ax->values[idx[a]];
    }
}

int sweep_tables_points(table_spec *s, const sweep_spec *sp, const scenario *base, bool explore,
                        ps_error *err)
{
    static const table_column head[] = {
        {"point", TABLE_INT, NULL, NULL, 0, 0},
        {"seed", TABLE_INT, NULL, NULL, 0, 0},
    };
    if (table_spec_init(s, "points", err) || table_spec_add(s, head, 2, err))
        return err->code;
    if (add_axis_cols(s, sp, err))
        return err->code;
    if (!explore) {
        if (table_spec_add(s, result_cols, N_RESULT_COLS, err))
            return err->code;
        for (int k = 0; base && k <= base->n_nodes; k++) {
            char name[128];
            energy_column(k < base->n_nodes ? base->nodes[k].group : "network", name,
                          sizeof name);
            table_column col = {NULL, TABLE_FLOAT, "J", "%.6g", 0, TABLE_HIDDEN};
            if (table_spec_find(s, name) < 0 && table_spec_addf(s, col, err, "%s", name))
                return err->code;
        }
        return 0;
    }
    if (table_spec_add(s, explore_cols, N_EXPLORE_COLS, err))
        return err->code;
    return add_pick_cols(s, err);
}

int sweep_tables_points_rows(const table_spec *spec, const sweep_spec *sp, const sweep_result *r,
                             table_value *rows)
{
    int idx[SWEEP_MAX_AXES], seed;
    sweep_spec_point(sp, r->point, idx, &seed);
    bool explore = table_spec_find(spec, "front_size") >= 0;
    int n = r->ok && !explore ? r->n_pipelines : 1;
    for (int i = 0; i < n; i++) {
        table_value *v = rows + (size_t)i * (size_t)spec->n;
        int c = 0;
        v[c++].i = r->point;
        v[c++].i = r->seed;
        fill_axes(sp, idx, v, &c);
        if (table_spec_find(spec, "front_size") >= 0) { /* --explore */
            const sweep_explore *e = &r->explore;
            bool pick = r->ok && e->has_pick;
            v[c++].i = r->ok;
            v[c++].s = r->ok ? "" : r->error;
            v[c++].s = e->search;
            v[c++].i = e->evaluated;
            v[c++].i = e->feasible;
            v[c++].i = e->n_front;
            v[c++].s = pick ? e->text.cuts : "";
            v[c++].s = pick ? e->text.cut_layers : "";
            v[c++].s = pick ? e->text.platforms : "";
            v[c++].f = pick ? e->latency_s : NAN;
            v[c++].f = pick ? e->throughput_fps : NAN;
            v[c++].f = pick ? e->energy_j : NAN;
            v[c++].f = pick ? e->sensor_energy_j : NAN;
            v[c++].f = pick ? e->link_bytes : NAN;
            v[c++].f = pick ? e->memory_bytes : NAN;
            v[c++].f = r->wall_s;
            return 1;
        }
        const sweep_pipeline *p = r->ok ? &r->pipelines[i] : NULL;
        v[c++].i = p ? i : -1;
        v[c++].s = p ? p->name : "";
        v[c++].i = r->ok;
        v[c++].s = r->ok ? "" : r->error;
        v[c++].i = p ? p->frames : 0;
        v[c++].i = p ? p->completed : 0;
        v[c++].i = p ? p->dropped : 0;
        v[c++].i = p ? p->deadline_missed : 0;
        v[c++].f = p ? p->throughput_fps : NAN;
        v[c++].f = p ? p->latency_p50_s : NAN;
        v[c++].f = p ? p->latency_p95_s : NAN;
        v[c++].f = p ? p->latency_p99_s : NAN;
        v[c++].f = p ? p->latency_max_s : NAN;
        v[c++].f = p ? p->energy_per_frame_j : NAN;
        v[c++].s = r->busiest_node;
        v[c++].f = r->ok ? r->busiest_node_utilization : NAN;
        v[c++].s = r->busiest_link;
        v[c++].f = r->ok ? r->busiest_link_utilization : NAN;
        v[c++].i = r->events;
        v[c++].f = r->ok ? r->simulated_s : NAN;
        v[c++].f = r->wall_s;
        for (int k = c; k < spec->n; k++) /* the groups' energy columns */
            v[k].f = p ? 0 : NAN;
        for (int k = 0; p && k < p->n_energy; k++) {
            char name[128];
            energy_column(p->energy[k].resource, name, sizeof name);
            int col = table_spec_find(spec, name);
            if (col >= c) /* groups whose names differ only in case or punctuation share
                             a column: their sum */
                v[col].f += p->energy[k].energy_per_frame_j;
        }
    }
    return n;
}

int sweep_tables_energy(table_spec *s, ps_error *err)
{
    static const table_column cols[] = {
        {"point", TABLE_INT, NULL, NULL, 0, 0},
        {"pipeline", TABLE_INT, NULL, NULL, 4, 0},
        {"resource", TABLE_STR, NULL, NULL, SCN_NAME, 0},
        {"kind", TABLE_STR, NULL, NULL, 8, 0},
        {"energy_per_frame_j", TABLE_FLOAT, "J", "%.6g", 0, 0},
    };
    if (table_spec_init(s, "energy", err))
        return err->code;
    return table_spec_add(s, cols, 5, err);
}

/* ---- the spread over seeds ---- */

static const char *const spread_metrics[SWEEP_SPREAD_METRICS] = {
    "throughput_fps", "latency_p50_s", "latency_p99_s", "energy_per_frame_j", "dropped",
    "deadline_missed"};

int sweep_tables_spread(table_spec *s, const sweep_spec *sp, ps_error *err)
{
    static const table_column head = {"combo", TABLE_INT, NULL, NULL, 0, 0};
    static const table_column tail[] = {
        {"pipeline", TABLE_INT, NULL, NULL, 4, TABLE_HIDDEN},
        {"pipeline_name", TABLE_STR, NULL, NULL, SCN_NAME, 0},
        {"seeds", TABLE_INT, NULL, NULL, 4, 0},
    };
    if (table_spec_init(s, "spread", err) || table_spec_add(s, &head, 1, err) ||
        add_axis_cols(s, sp, err) || table_spec_add(s, tail, 3, err))
        return err->code;
    static const char *const stat[] = {"mean", "std", "min", "max"};
    for (int m = 0; m < SWEEP_SPREAD_METRICS; m++) {
        int c = -1;
        for (int k = 0; k < N_RESULT_COLS && c < 0; k++)
            if (!strcmp(result_cols[k].name, spread_metrics[m]))
                c = k;
        for (int k = 0; k < 4; k++) {
            /* the metric's unit and format; counts become means: floats */
            table_column col = {NULL, TABLE_FLOAT, result_cols[c].unit,
                                result_cols[c].type == TABLE_FLOAT ? result_cols[c].format
                                                                   : "%.2f",
                                0, k == 0 || k == 1 ? 0u : TABLE_HIDDEN};
            if (table_spec_addf(s, col, err, "%s_%s", spread_metrics[m], stat[k]))
                return err->code;
        }
    }
    return 0;
}

void sweep_tables_spread_start(sweep_spread *a, int64_t combo)
{
    memset(a, 0, sizeof *a);
    a->combo = combo;
}

void sweep_tables_spread_add(sweep_spread *a, const sweep_result *r)
{
    if (!r->ok)
        return;
    if (r->n_pipelines > a->n_pipelines)
        a->n_pipelines = r->n_pipelines;
    for (int i = 0; i < r->n_pipelines; i++) {
        const sweep_pipeline *p = &r->pipelines[i];
        double v[SWEEP_SPREAD_METRICS] = {p->throughput_fps, p->latency_p50_s, p->latency_p99_s,
                                          p->energy_per_frame_j, (double)p->dropped,
                                          (double)p->deadline_missed};
        snprintf(a->name[i], sizeof a->name[i], "%s", p->name);
        int n = ++a->n[i];
        for (int m = 0; m < SWEEP_SPREAD_METRICS; m++) {
            double d = v[m] - a->mean[i][m];
            a->mean[i][m] += d / n;
            a->m2[i][m] += d * (v[m] - a->mean[i][m]);
            a->min[i][m] = n > 1 ? fmin(a->min[i][m], v[m]) : v[m];
            a->max[i][m] = n > 1 ? fmax(a->max[i][m], v[m]) : v[m];
        }
    }
}

int sweep_tables_spread_rows(const table_spec *spec, const sweep_spec *sp, const sweep_spread *a,
                             table_value *rows)
{
    int idx[SWEEP_MAX_AXES], seed, out = 0;
    sweep_spec_point(sp, a->combo * sp->seeds, idx, &seed);
    for (int i = 0; i < a->n_pipelines; i++) {
        if (!a->n[i])
            continue;
        table_value *v = rows + (size_t)out++ * (size_t)spec->n;
        int c = 0;
        v[c++].i = a->combo;
        fill_axes(sp, idx, v, &c);
        v[c++].i = i;
        v[c++].s = a->name[i];
        v[c++].i = a->n[i];
        double n = a->n[i];
        for (int m = 0; m < SWEEP_SPREAD_METRICS; m++) {
            v[c++].f = a->mean[i][m];
            v[c++].f = n > 1 ? sqrt(a->m2[i][m] / (n - 1)) : NAN;
            v[c++].f = a->min[i][m];
            v[c++].f = a->max[i][m];
        }
    }
    return out;
}
