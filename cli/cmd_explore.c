/* `partsim explore SCENARIO`: every placement of a pipeline's cut points,
 * evaluated analytically (sim/explore.h), with constraints, baselines, the
 * Pareto front and a weighted-sum pick. */
#include <math.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "base/csv.h"
#include "base/json.h"
#include "base/suggest.h"
#include "base/table.h"
#include "cli/cli.h"
#include "platforms/units.h"
#include "sim/explore.h"
#include "sim/explore_export.h"
#include "sim/explore_file.h"
#include "sim/explore_tables.h"
#include "sim/plan.h"

static volatile sig_atomic_t interrupted;

static void on_signal(int sig)
{
    (void)sig;
    interrupted = 1;
}

static double now_s(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + 1e-9 * (double)t.tv_nsec;
}

typedef struct {
    const char *scenario_path;
    const char **sets;
    int n_sets;
    const char *pipeline;
    const char *accuracy_path;
    table_format format;
    bool front_only, quiet;
    int top;
    explore_options eo;
    const char *max_memory[EXPLORE_MAX_PLATFORMS * 2 + 1]; /* as given: SIZE or NODE=SIZE */
    int n_max_memory;
    const char *platforms;        /* --platforms NODE,... as given */
    const char *out_path;         /* -o FILE: the HDF5 file */
    const char *mapping_path;     /* --export-mapping autodice FILE */
    const char *command_line;
} explore_args;

/* ---- options ---- */

static int parse_quantity(const cli_command *self, const char *opt, const char *v,
                          unit_kind kind, double *out)
{
    char why[256];
    if (units_parse(v, kind, out, why, sizeof why) || !(*out > 0))
        return cli_usage_error(self, "%s '%s': expected %s, above 0", opt, v,
                               units_expected(kind));
    return 0;
}

static int parse_objectives(const cli_command *self, const char *v, explore_options *o)
{
    o->objectives = 0;
    char buf[256];
    snprintf(buf, sizeof buf, "%s", v);
    for (char *save = NULL, *t = strtok_r(buf, ",", &save); t; t = strtok_r(NULL, ",", &save)) {
        int k = explore_objective_parse(t);
        if (k < 0)
            return cli_usage_error(self, "--objectives: unknown objective '%s' (expected "
                                   "latency, throughput, energy, sensor_energy, memory, "
                                   "link_bytes, accuracy)", t);
        o->objectives |= 1u << k;
    }
    if (!o->objectives)
        return cli_usage_error(self, "--objectives takes a comma-separated list");
    return 0;
}

static int parse_weights(const cli_command *self, const char *v, explore_options *o)
{
    char buf[256];
    snprintf(buf, sizeof buf, "%s", v);
    for (char *save = NULL, *t = strtok_r(buf, ",", &save); t; t = strtok_r(NULL, ",", &save)) {
        char *eq = strchr(t, '=');
        char *end = NULL;
        if (eq)
            *eq = '\0';
        int k = explore_objective_parse(t);
        double w = eq ? strtod(eq + 1, &end) : NAN;
        if (k < 0 || !eq || end == eq + 1 || *end || !(w >= 0) || isinf(w))
            return cli_usage_error(self, "--weights takes OBJECTIVE=W,... with W >= 0 "
                                   "(e.g. latency=1,energy=2); '%s' is not one", t);
        o->weights[k] = w;
    }
    return 0;
}

static int parse_args(const cli_command *self, int argc, char **argv, explore_args *a)
{
    for (int i = 1; i < argc; i++) {
        const char *v = NULL;
        bool missing = false;
        int shared = cli_shared_option(self, argc, argv, &i, NULL, &a->format);
        if (shared == 1)
            continue;
        if (shared)
            return shared;
#define VALUE(name) (cli_option(argc, argv, &i, name, &v, &missing))
#define NEED(msg)                                                                        \
    do {                                                                                 \
        if (missing)                                                                     \
            return cli_usage_error(self, msg);                                           \
    } while (0)
        if (VALUE("--set")) {
            NEED("--set takes KEY=VALUE");
            if (!strchr(v, '='))
                return cli_usage_error(self, "--set takes KEY=VALUE");
            a->sets[a->n_sets++] = v;
        } else if (VALUE("--accuracy")) {
            NEED("--accuracy takes a CSV file (cut,accuracy)");
            a->accuracy_path = v;
        } else if (VALUE("-o") || VALUE("--output")) {
            NEED("-o takes the HDF5 file to write");
            a->out_path = v;
        } else if (VALUE("--platforms")) {
            NEED("--platforms takes NODE,NODE,... (nodes or node groups)");
            a->platforms = v;
        } else if (VALUE("--pipeline")) {
            NEED("--pipeline takes a pipeline name");
            a->pipeline = v;
        } else if (VALUE("--objectives")) {
            NEED("--objectives takes a list such as latency,energy");
            if (parse_objectives(self, v, &a->eo))
                return CLI_EXIT_USAGE;
        } else if (VALUE("--weights")) {
            NEED("--weights takes OBJECTIVE=W,...");
            if (parse_weights(self, v, &a->eo))
                return CLI_EXIT_USAGE;
        } else if (VALUE("--positions")) {
            NEED("--positions takes all or single");
            if (strcmp(v, "all") && strcmp(v, "single"))
                return cli_usage_error(self, "--positions takes all or single, not '%s'", v);
            a->eo.single_tensor_only = !strcmp(v, "single");
        } else if (VALUE("--memory-model")) {
            NEED("--memory-model takes kress, autodice or peak");
            if (!strcmp(v, "kress"))
                a->eo.memory = EXPLORE_MEM_KRESS;
            else if (!strcmp(v, "autodice"))
                a->eo.memory = EXPLORE_MEM_AUTODICE;
            else if (!strcmp(v, "peak"))
                a->eo.memory = EXPLORE_MEM_PEAK;
            else
                return cli_usage_error(self, "--memory-model takes kress, autodice or peak, "
                                       "not '%s'", v);
        } else if (VALUE("--max-memory")) {
            NEED("--max-memory takes SIZE or NODE=SIZE");
            if (a->n_max_memory == (int)(sizeof a->max_memory / sizeof *a->max_memory))
                return cli_usage_error(self, "--max-memory given too many times");
            a->max_memory[a->n_max_memory++] = v;
        } else if (VALUE("--max-latency")) {
            NEED("--max-latency takes a time such as 50ms");
            if (parse_quantity(self, "--max-latency", v, UNIT_SECONDS, &a->eo.max_latency_s))
                return CLI_EXIT_USAGE;
        } else if (VALUE("--max-energy")) {
            NEED("--max-energy takes an energy such as 5mJ");
            if (parse_quantity(self, "--max-energy", v, UNIT_JOULES, &a->eo.max_energy_j))
                return CLI_EXIT_USAGE;
        } else if (VALUE("--top")) {
            long n;
            if (missing || !cli_parse_int(v, 1, 1000000, &n))
                return cli_usage_error(self, "--top takes a whole number from 1");
            a->top = (int)n;
        } else if (!strcmp(argv[i], "--export-mapping")) {
            if (i + 2 >= argc || argv[i + 1][0] == '-')
                return cli_usage_error(self, "--export-mapping takes a format and a file "
                                       "(--export-mapping autodice mapping.json)");
            if (strcmp(argv[i + 1], "autodice"))
                return cli_usage_error(self, "--export-mapping: unknown format '%s' (expected "
                                       "autodice)", argv[i + 1]);
            a->mapping_path = argv[i + 2];
            i += 2;
        } else if (!strcmp(argv[i], "--no-link-check")) {
            a->eo.link_capacity = false;
        } else if (!strcmp(argv[i], "--front-only")) {
            a->front_only = true;
        } else if (!strcmp(argv[i], "--quiet") || !strcmp(argv[i], "-q")) {
            a->quiet = true;
        } else if (argv[i][0] == '-' && argv[i][1]) {
            return cli_unknown_option(self, argv[i]);
        } else if (!a->scenario_path) {
            a->scenario_path = argv[i];
        } else {
            return cli_usage_error(self, "one SCENARIO only ('%s' is extra)", argv[i]);
        }
#undef VALUE
#undef NEED
    }
    if (!a->scenario_path)
        return cli_usage_error(self, "SCENARIO is missing");
    if ((a->eo.objectives & (1u << EXPLORE_ACCURACY)) && !a->accuracy_path)
        return cli_usage_error(self, "--objectives accuracy needs --accuracy FILE");
    return 0;
}

/* --accuracy FILE: the header cut,accuracy; a cut is a schedule position
 * (0..M) or the name of the layer it follows ("input" for 0); accuracy is a
 * fraction in [0, 1].  Positions the file does not list are unknown (NaN). */
static double *read_accuracy(const char *path, const scenario *s, ps_error *err)
{
    int M = s->cuts.n_sched;
    double *acc = malloc(sizeof(double) * ((size_t)M + 1));
    csv_reader *r = NULL;
    if (!acc) {
        error_set(err, PS_ERR_NOMEM, "out of memory");
        return NULL;
    }
    for (int q = 0; q <= M; q++)
        acc[q] = NAN;
    static const char *const required[] = {"cut", "accuracy", NULL};
    int col[2];
    int rc = csv_open(path, &r, err);
    rc = rc ? rc : csv_header(r, required, NULL, "'cut,accuracy'", col, err);
    csv_row row;
    int got;
    while (!rc && (got = csv_next(r, &row, err)) > 0) {
        const char *cut = row.field[col[0]];
        char *end = NULL;
        long q = strtol(cut, &end, 10);
        if (end == cut || *end) { /* a layer name */
            q = !strcmp(cut, "input") ? 0 : -1;
            for (int i = 0; q < 0 && i < M; i++)
                if (!strcmp(s->g->nodes[s->cuts.sched[i]].name, cut))
                    q = i + 1;
        }
        double v;
        if (q < 0 || q > M)
            rc = csv_error(r, &row, col[0], err, "cut: expected a position 0..%d or a layer "
                           "name of the model, got '%s'", M, cut);
        else if (!(rc = csv_double(r, &row, col[1], "a fraction from 0 to 1", &v, err)) &&
                 (v < 0 || v > 1))
            rc = csv_error(r, &row, col[1], err, "accuracy: expected a fraction from 0 to 1, "
                           "got %g", v);
        if (!rc)
            acc[q] = v;
    }
    if (!rc && got < 0)
        rc = -got;
    csv_close(r);
    if (rc) {
        free(acc);
        return NULL;
    }
    return acc;
}

/* --platforms NODE,GROUP,...: the nodes a platform assignment chooses among
 * (a group stands for all its members), each once, each with an
 * accelerator. */
static int apply_platforms(const cli_command *self, const explore_args *a, const scenario *s,
                           explore_options *o)
{
    char buf[1024];
    if (snprintf(buf, sizeof buf, "%s", a->platforms) >= (int)sizeof buf)
        return cli_usage_error(self, "--platforms: the list is too long");
    for (char *save = NULL, *t = strtok_r(buf, ",", &save); t; t = strtok_r(NULL, ",", &save)) {
        bool found = false;
        for (int n = 0; n < s->n_nodes; n++) {
            if (strcmp(s->nodes[n].name, t) && strcmp(s->nodes[n].group, t))
                continue;
            found = true;
            for (int j = 0; j < o->n_platforms; j++)
                if (o->platforms[j] == n)
                    return cli_usage_error(self, "--platforms: %s is named twice", t);
            if (o->n_platforms == EXPLORE_MAX_PLATFORMS)
                return cli_usage_error(self, "--platforms: at most %d nodes",
                                       EXPLORE_MAX_PLATFORMS);
            o->platforms[o->n_platforms++] = n;
        }
        if (!found) {
            suggest sg;
            suggest_init(&sg, t);
            for (int n = 0; n < s->n_nodes; n++)
                suggest_offer(&sg, s->nodes[n].name), suggest_offer(&sg, s->nodes[n].group);
            const char *near = suggest_result(&sg);
            return cli_usage_error(self, "--platforms: %s has no node or group '%s'%s%s%s",
                                   s->path, t, near ? " (did you mean '" : "", near ? near : "",
                                   near ? "'?)" : "");
        }
    }
    if (!o->n_platforms)
        return cli_usage_error(self, "--platforms takes NODE,NODE,...");
    return 0;
}

/* --max-memory SIZE (every platform) or NODE=SIZE (the platform slot on that
 * node or group: along the chain the stage, assigned the listed node). */
static int apply_max_memory(const cli_command *self, const explore_args *a, const scenario *s,
                            const scn_pipeline *pl, explore_options *o)
{
    int N = o->n_platforms ? o->n_platforms : pl->n_stages;
    for (int i = 0; i < a->n_max_memory; i++) {
        const char *v = a->max_memory[i], *eq = strchr(v, '=');
        double bytes;
        if (parse_quantity(self, "--max-memory", eq ? eq + 1 : v, UNIT_BYTES, &bytes))
            return CLI_EXIT_USAGE;
        bool found = !eq;
        for (int j = 0; j < N; j++) {
            int n_id = o->n_platforms ? o->platforms[j] : pl->stages[j].node_group_first;
            const char *node = s->nodes[n_id].name;
            const char *group = o->n_platforms ? s->nodes[n_id].group : pl->stages[j].group;
            size_t n = eq ? (size_t)(eq - v) : 0;
            bool match = !eq || (strlen(node) == n && !strncmp(node, v, n)) ||
                         (strlen(group) == n && !strncmp(group, v, n));
            if (match)
                o->max_memory_bytes[j] = bytes, found = true;
        }
        if (!found)
            return cli_usage_error(self, "--max-memory %s: no platform of pipeline '%s' is that "
                                   "node or group", v, pl->name);
    }
    return 0;
}

/* ---- output ---- */

/* The optional columns of what is printed. */
static unsigned w_cols(const explore_args *a)
{
    return EXPLORE_COL_CUT_LAYERS | (a->eo.accuracy ? EXPLORE_COL_ACCURACY : 0u);
}

typedef struct {
    const scenario *s;
    const explore_problem *x;
    const explore_result *r;
    table_out *out;
    table_value *row;
    explore_row_text text;
    int next_front;      /* the next front member, by index, to flag */
    bool front_only;
    unsigned cols;       /* EXPLORE_COL_* */
    ps_error *err;
    int rc;
} row_writer;

static int write_row(row_writer *w, const explore_candidate *c, bool front)
{
    explore_tables_row(w->s, w->x, w->r, c, front, w->cols, &w->text, w->row);
    w->rc = table_out_row(w->out, w->row, w->err);
    return w->rc;
}

static int visit_write(void *ctx, const explore_candidate *c)
{
    row_writer *w = ctx;
    if (c->index >= w->r->evaluated)
        return 1; /* the search was interrupted here: the rest was not evaluated */
    bool front = w->next_front < w->r->n_front && w->r->front[w->next_front].index == c->index;
    if (front)
        w->next_front++;
    if (w->front_only && !front)
        return 0;
    explore_candidate full; /* the search gives totals: the row shows the detail too */
    explore_evaluate(w->x, c->assign, c->cuts, &full);
    full.index = c->index;
    return write_row(w, &full, front) ? -1 : 0;
}

/* Ctrl-C stops the search (what was evaluated is reported); on a terminal,
 * a progress line with the time left once the work has run a second. */
typedef struct {
    const char *what;  /* "candidates", "candidates written" */
    double t0, next_s, total;
    int64_t seen;
    bool progress, shown;
} search_progress;

static void progress_tick(search_progress *sp, int64_t every)
{
    if (++sp->seen % every || !sp->progress)
        return;
    double t = now_s() - sp->t0;
    if (t < sp->next_s)
        return;
    double left = t / (double)sp->seen * (sp->total - (double)sp->seen);
    fprintf(stderr, "\rpartsim explore: %.0f of %.0f %s (%.0f %%), %.0f s, about %.0f s left ",
            (double)sp->seen, sp->total, sp->what, 100 * (double)sp->seen / sp->total, t, left);
    sp->next_s = t + 0.5;
    sp->shown = true;
}

static void progress_clear(search_progress *sp)
{
    if (sp->shown)
        fprintf(stderr, "\r\033[K");
    sp->shown = false;
}

static int visit_search(void *ctx, const explore_candidate *c)
{
    (void)c;
    progress_tick(ctx, 65536);
    return interrupted;
}

/* -o FILE: every evaluated candidate with its detail, then the front, the
 * baselines and the counts (sim/explore_file.h). */
typedef struct {
    explore_file *f;
    const explore_problem *x;
    const explore_result *r;
    int next_front;
    bool front_only;
    search_progress *sp;
    ps_error *err;
} file_writer;

static int visit_file(void *ctx, const explore_candidate *c)
{
    file_writer *w = ctx;
    if (c->index >= w->r->evaluated)
        return 1; /* the search was interrupted here */
    if (interrupted)
        return -2; /* Ctrl-C while writing: no file */
    progress_tick(w->sp, 4096);
    bool front = w->next_front < w->r->n_front && w->r->front[w->next_front].index == c->index;
    if (front)
        w->next_front++;
    if (w->front_only && !front)
        return 0;
    explore_candidate full;
    explore_evaluate(w->x, c->assign, c->cuts, &full);
    full.index = c->index;
    return explore_file_candidate(w->f, w->r, &full, front, w->err) ? -1 : 0;
}

static int *front_order(const explore_problem *x, const explore_result *r);

static int write_file(explore_file *f, const explore_problem *x, const explore_result *r,
                      const explore_file_summary *sum, bool progress, bool front_only,
                      ps_error *err)
{
    search_progress sp = {.what = "candidates written", .t0 = now_s(), .next_s = 1,
                          .total = (double)r->evaluated, .progress = progress};
    file_writer w = {f, x, r, 0, front_only, &sp, err};
    int rc = explore_each(x, visit_file, &w);
    progress_clear(&sp);
    int *order = rc == -1 || rc == -2 ? NULL : front_order(x, r);
    if (rc == -2)
        error_set(err, PS_ERR_INPUT, "interrupted while writing %s: no file written",
                  explore_file_path(f));
    else if (rc != -1 && !order)
        error_set(err, PS_ERR_NOMEM, "out of memory");
    if (!order) {
        explore_file_abort(f);
        return err->code;
    }
    rc = explore_file_close(f, r, order, sum, err);
    free(order);
    return rc;
}

/* The front, best weighted sum first. */
static int *front_order(const explore_problem *x, const explore_result *r)
{
    int *order = malloc(sizeof(int) * ((size_t)r->n_front + 1));
    double *score = malloc(sizeof(double) * ((size_t)r->n_front + 1));
    if (!order || !score) {
        free(order), free(score);
        return NULL;
    }
    for (int i = 0; i < r->n_front; i++)
        order[i] = i, score[i] = explore_score(x, r, &r->front[i]);
    for (int i = 1; i < r->n_front; i++) /* insertion sort: fronts are small */
        for (int j = i; j > 0 && score[order[j]] < score[order[j - 1]]; j--) {
            int t = order[j];
            order[j] = order[j - 1], order[j - 1] = t;
        }
    free(score);
    return order;
}

static bool in_front(const explore_result *r, const explore_candidate *c)
{
    for (int i = 0; i < r->n_front; i++)
        if (r->front[i].index == c->index)
            return true;
    return false;
}

static int print_rows(row_writer *w, const table_spec *spec, table_format f, json_writer *json,
                      const explore_candidate *const *rows, int n)
{
    w->out = table_out_begin(spec, f, stdout, json, w->err);
    if (!w->out)
        return w->err->code;
    for (int i = 0; i < n && !w->rc; i++)
        write_row(w, rows[i], in_front(w->r, rows[i]));
    table_out_end(w->out, w->err);
    return w->rc;
}

static void print_header(const explore_args *a, const scenario *s, const scn_pipeline *pl,
                         const explore_problem *x, const explore_result *r, double eval_s)
{
    const int *pos;
    int P = explore_positions(x, &pos), S = explore_stages(x);
    int N = explore_platforms(x);
    printf("scenario %s, pipeline %s: %d stage(s) ", s->name, pl->name, S);
    if (a->eo.n_platforms)
        printf("assigned among %d platform(s) {", N);
    else
        printf("(");
    for (int j = 0; j < N; j++)
        printf("%s%s", j ? a->eo.n_platforms ? ", " : " -> " : "",
               s->nodes[explore_platform_node(x, j)].name);
    printf("%s, %d position(s)%s, %lld candidate(s) in %.3g ms%s\n",
           a->eo.n_platforms ? "}" : ")", P,
           a->eo.single_tensor_only ? " (single-tensor cuts)" : "", (long long)r->evaluated,
           1e3 * eval_s, r->interrupted ? " (interrupted: the rest was not evaluated)" : "");
    printf("constraints:");
    int shown = 0;
    for (int k = 0; k < EXPLORE_N_CONSTRAINTS; k++)
        if (r->removed[k])
            printf("%s %s removed %lld", shown++ ? "," : "", explore_constraint_name(k),
                   (long long)r->removed[k]);
    printf("%s; %lld feasible\n", shown ? "" : " none removed anything", (long long)r->feasible);
    printf("objectives:");
    for (int o = 0; o < EXPLORE_N_OBJECTIVES; o++)
        if (a->eo.objectives & (1u << o))
            printf(" %s (weight %g)", explore_objective_name(o), a->eo.weights[o]);
    printf("; memory model %s\n", explore_memory_model_name(a->eo.memory));
}

static int report(const explore_args *a, const scenario *s, const scn_pipeline *pl,
                  const explore_problem *x, explore_result *r, double eval_s, ps_error *err)
{
    table_spec spec;
    int S = explore_stages(x), N = explore_platforms(x);
    if (explore_tables_candidates(&spec, S, w_cols(a), err))
        return err->code;
    table_value *row = calloc((size_t)spec.n, sizeof *row);
    row_writer w = {.s = s, .x = x, .r = r, .row = row, .front_only = a->front_only,
                    .cols = w_cols(a), .err = err};
    int *order = front_order(x, r);
    const explore_candidate **rows = malloc(sizeof *rows * ((size_t)r->n_front + (size_t)N + 1));
    int rc = row && order && rows ? 0 : error_set(err, PS_ERR_NOMEM, "out of memory");
    if (!rc && a->format == TABLE_CSV) {
        w.out = table_out_begin(&spec, TABLE_CSV, stdout, NULL, err);
        rc = w.out ? explore_each(x, visit_write, &w) : (int)err->code;
        rc = w.rc ? w.rc : rc > 0 ? 0 : rc; /* an interrupt keeps what was written */
        table_out_end(w.out, err);
    } else if (!rc && a->format == TABLE_JSON) {
        json_writer jw;
        json_init(&jw, stdout, 2);
        json_object_begin(&jw);
        json_key(&jw, "scenario"), json_string(&jw, s->name);
        json_key(&jw, "pipeline"), json_string(&jw, pl->name);
        json_key(&jw, "evaluated"), json_int(&jw, r->evaluated);
        json_key(&jw, "feasible"), json_int(&jw, r->feasible);
        json_key(&jw, "interrupted"), json_bool(&jw, r->interrupted);
        json_key(&jw, "evaluation_s"), json_number(&jw, eval_s);
        json_key(&jw, "constraints");
        json_object_begin(&jw);
        for (int k = 0; k < EXPLORE_N_CONSTRAINTS; k++)
            json_key(&jw, explore_constraint_name(k)), json_int(&jw, r->removed[k]);
        json_object_end(&jw);
        json_key(&jw, "baselines");
        for (int j = 0; j < N; j++)
            rows[j] = &r->single[j];
        rc = print_rows(&w, &spec, TABLE_JSON, &jw, rows, N);
        json_key(&jw, "front");
        for (int i = 0; i < r->n_front; i++)
            rows[i] = &r->front[order[i]];
        rc = rc ? rc : print_rows(&w, &spec, TABLE_JSON, &jw, rows, r->n_front);
        json_key(&jw, "pick");
        if (!rc && r->pick >= 0) {
            explore_tables_row(s, x, r, &r->front[r->pick], true, w.cols, &w.text, row);
            table_json_object(&jw, &spec, row);
        } else {
            json_null(&jw);
        }
        json_key(&jw, "candidates");
        if (!rc) {
            w.out = table_out_begin(&spec, TABLE_JSON, stdout, &jw, err);
            rc = w.out ? explore_each(x, visit_write, &w) : (int)err->code;
            rc = w.rc ? w.rc : rc > 0 ? 0 : rc;
            table_out_end(w.out, err);
        }
        json_object_end(&jw);
        printf("\n");
    } else if (!rc) {
        print_header(a, s, pl, x, r, eval_s);
        printf("\nbaselines (everything on one platform):\n");
        for (int j = 0; j < N; j++)
            rows[j] = &r->single[j];
        rc = print_rows(&w, &spec, TABLE_TEXT, NULL, rows, N);
        int n = r->n_front < a->top ? r->n_front : a->top;
        printf("\nPareto front: %d point(s), best weighted sum first%s (gains over the best "
               "single platform in each objective):\n", r->n_front,
               n < r->n_front ? "; --top shows more" : "");
        for (int i = 0; i < n; i++)
            rows[i] = &r->front[order[i]];
        rc = rc ? rc : print_rows(&w, &spec, TABLE_TEXT, NULL, rows, n);
        if (!rc && r->pick >= 0) {
            explore_tables_row(s, x, r, &r->front[r->pick], true, w.cols, &w.text, row);
            if (S > 1)
                printf("\npick (weighted sum): cuts %s (after %s) on %s\n", w.text.cuts,
                       w.text.cut_layers, w.text.platforms);
            else
                printf("\npick: the one design, everything on %s\n", w.text.platforms);
        } else if (!rc && r->n_front == 0) {
            printf("\nno feasible candidate: relax a constraint\n");
        }
    }
    free(rows), free(order), free(row);
    table_spec_free(&spec);
    return rc;
}

/* ---- the command ---- */

static int pipeline_index(const cli_command *self, const scenario *s, const char *name)
{
    if (!name) {
        if (s->n_pipelines > 1)
            fprintf(stderr, "partsim explore: %s has %d pipelines; exploring the first, '%s' "
                    "(--pipeline NAME chooses)\n", s->path, s->n_pipelines, s->pipelines[0].name);
        return 0;
    }
    for (int i = 0; i < s->n_pipelines; i++)
        if (!strcmp(s->pipelines[i].name, name))
            return i;
    fprintf(stderr, "partsim explore: %s has no pipeline '%s'; it has:", s->path, name);
    for (int i = 0; i < s->n_pipelines; i++)
        fprintf(stderr, " %s", s->pipelines[i].name);
    fprintf(stderr, "\n");
    (void)self;
    return -1;
}

int cmd_explore(const cli_command *self, int argc, char **argv)
{
    explore_args a = {.format = TABLE_TEXT, .top = 20};
    a.eo.link_capacity = true;
    a.eo.objectives = 1u << EXPLORE_LATENCY | 1u << EXPLORE_THROUGHPUT | 1u << EXPLORE_ENERGY;
    for (int o = 0; o < EXPLORE_N_OBJECTIVES; o++)
        a.eo.weights[o] = 1;
    a.sets = calloc((size_t)argc + 1, sizeof *a.sets);
    if (!a.sets)
        return cli_usage_error(self, "out of memory");
    char cmdline[4096];
    a.command_line = cli_command_line(argc, argv, cmdline, sizeof cmdline);
    int rc = parse_args(self, argc, argv, &a);
    if (rc) {
        free(a.sets);
        return rc;
    }
    ps_error err = {0};
    scenario s;
    plan p;
    memset(&p, 0, sizeof p);
    if (scenario_load(a.scenario_path, a.sets, a.n_sets, &s, &err)) {
        free(a.sets);
        return cli_fail(&err);
    }
    explore_problem *x = NULL;
    explore_result r = {0};
    int pi = pipeline_index(self, &s, a.pipeline);
    if (pi < 0) {
        rc = CLI_EXIT_INPUT;
        goto done;
    }
    a.eo.pipeline = pi;
    double *accuracy = NULL;
    if (a.accuracy_path && !(accuracy = read_accuracy(a.accuracy_path, &s, &err))) {
        rc = cli_fail(&err);
        goto done;
    }
    a.eo.accuracy = accuracy;
    const scn_pipeline *pl = &s.pipelines[pi];
    if ((a.platforms && (rc = apply_platforms(self, &a, &s, &a.eo))) ||
        (rc = apply_max_memory(self, &a, &s, pl, &a.eo)))
        goto done;
    if (plan_build(&s, &p, &err) || explore_problem_build(&s, &p, &a.eo, &x, &err)) {
        rc = cli_fail(&err);
        goto done;
    }
    explore_file *file = NULL;
    if (a.out_path && explore_file_open(a.out_path, &s, x, accuracy != NULL, a.command_line,
                                        &file, &err)) {
        rc = cli_fail(&err);
        goto done;
    }
    struct sigaction sa = {0}, old_int, old_term;
    sa.sa_handler = on_signal;
    sigaction(SIGINT, &sa, &old_int);
    sigaction(SIGTERM, &sa, &old_term);
    double t0 = now_s();
    search_progress sp = {.what = "candidates", .t0 = t0, .next_s = 1,
                          .total = explore_space_size(x),
                          .progress = !a.quiet && isatty(2)};
    rc = explore_exact(x, visit_search, &sp, &r, &err);
    progress_clear(&sp);
    if (rc) {
        rc = cli_fail(&err);
        goto restore;
    }
    double eval_s = now_s() - t0;
    if (file) {
        interrupted = 0; /* a Ctrl-C that stopped the search keeps its candidates */
        explore_file_summary sum = {.search = "exact", .evaluation_s = eval_s,
                                    .hypervolume_ratio = NAN};
        int wrc = write_file(file, x, &r, &sum, sp.progress, a.front_only, &err);
        file = NULL;
        if (wrc) {
            rc = cli_fail(&err);
            goto restore;
        }
    }
    if (a.mapping_path) {
        if (r.pick < 0) {
            fprintf(stderr, "partsim explore: no feasible candidate: no mapping written to %s\n",
                    a.mapping_path);
            rc = CLI_EXIT_INPUT;
            goto restore;
        }
        if (explore_export_autodice(&s, x, &r.front[r.pick], a.mapping_path, &err)) {
            rc = cli_fail(&err);
            goto restore;
        }
    }
    /* the report runs with the default handlers: a second Ctrl-C stops it */
    sigaction(SIGINT, &old_int, NULL);
    sigaction(SIGTERM, &old_term, NULL);
    rc = report(&a, &s, pl, x, &r, eval_s, &err) ? cli_fail(&err) : CLI_EXIT_OK;
    goto done;
restore:
    explore_file_abort(file);
    sigaction(SIGINT, &old_int, NULL);
    sigaction(SIGTERM, &old_term, NULL);
done:
    explore_result_free(&r);
    explore_problem_free(x);
    plan_free(&p);
    scenario_free(&s);
    free((double *)a.eo.accuracy);
    free(a.sets);
    return rc;
}
