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
#include "base/monotonic.h"
#include "base/suggest.h"
#include "base/table.h"
#include "cli/cli.h"
#include "cli/cmd_explore.h"
#include "platforms/units.h"
#include "sim/explore.h"
#include "sim/explore_export.h"
#include "sim/explore_tables.h"
#include "sim/plan.h"

volatile sig_atomic_t cmd_explore_interrupted;

static void on_signal(int sig)
{
    (void)sig;
    cmd_explore_interrupted = 1;
}


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

int cmd_explore_parse_objectives(const cli_command *self, const char *v, explore_options *o)
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

int cmd_explore_parse_weights(const cli_command *self, const char *v, explore_options *o)
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
            if (cmd_explore_parse_objectives(self, v, &a->eo))
                return CLI_EXIT_USAGE;
        } else if (VALUE("--weights")) {
            NEED("--weights takes OBJECTIVE=W,...");
            if (cmd_explore_parse_weights(self, v, &a->eo))
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
        } else if (VALUE("--validate")) {
            long n;
            if (!missing && !strcmp(v, "front"))
                a->validate_front = true;
            else if (missing || !cli_parse_int(v, 1, 10000, &n))
                return cli_usage_error(self, "--validate takes a number of designs (1 to 10000) "
                                       "or front");
            else
                a->validate_k = (int)n;
        } else if (VALUE("--jobs") || VALUE("-j")) {
            long n;
            if (missing || !cli_parse_int(v, 1, 4096, &n))
                return cli_usage_error(self, "--jobs takes a whole number from 1");
            a->jobs = (int)n;
        } else if (VALUE("--search")) {
            NEED("--search takes exact, nsga2 or auto");
            if (!strcmp(v, "exact"))
                a->search = SEARCH_EXACT;
            else if (!strcmp(v, "nsga2"))
                a->search = SEARCH_NSGA2;
            else if (!strcmp(v, "auto"))
                a->search = SEARCH_AUTO;
            else
                return cli_usage_error(self, "--search takes exact, nsga2 or auto, not '%s'", v);
        } else if (VALUE("--seed")) {
            long n;
            if (missing || !cli_parse_int(v, 0, 2147483647L, &n))
                return cli_usage_error(self, "--seed takes a whole number from 0");
            a->nsga2.seed = (uint64_t)n;
        } else if (VALUE("--population")) {
            long n;
            if (missing || !cli_parse_int(v, 2, 10000, &n))
                return cli_usage_error(self, "--population takes a whole number from 2 to 10000");
            a->nsga2.population = (int)n;
        } else if (VALUE("--generations")) {
            long n;
            if (missing || !cli_parse_int(v, 0, 1000000, &n))
                return cli_usage_error(self, "--generations takes a whole number from 0");
            a->nsga2.generations = (int)n;
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

/* --validate K: the K feasible candidates of the best weighted sum seen so
 * far (totals only), worst replaced first. */
typedef struct {
    const explore_problem *x;
    const explore_result *r;
    int k, n, worst;
    explore_candidate *c;
    double *score;
} top_k;

static void top_offer(top_k *t, const explore_candidate *c)
{
    if (c->violated || t->k == 0)
        return;
    double sc = explore_score(t->x, t->r, c);
    if (t->n == t->k && !(sc < t->score[t->worst]))
        return;
    int i = t->n < t->k ? t->n++ : t->worst;
    t->c[i] = *c, t->score[i] = sc;
    t->worst = 0;
    for (int j = 1; j < t->n; j++)
        if (t->score[j] > t->score[t->worst])
            t->worst = j;
}

typedef struct {
    search_progress sp;
    int64_t every;     /* candidates between progress updates */
    top_k top;
    explore_met met;   /* NSGA-II: the designs met */
    bool nomem;
} search_ctx;

static int visit_search(void *ctx, const explore_candidate *c)
{
    search_ctx *sc = ctx;
    cmd_explore_output_progress_tick(&sc->sp, sc->every);
    top_offer(&sc->top, c);
    explore_met *m = &sc->met;
    if (m->recorded) {
        if (m->n == m->cap) {
            int64_t cap = m->cap ? 2 * m->cap : 4096;
            explore_met_design *d = realloc(m->d, sizeof *d * (size_t)cap);
            if (!d) {
                sc->nomem = true;
                return 1;
            }
            m->d = d, m->cap = cap;
        }
        explore_met_design *d = &m->d[m->n++];
        d->index = c->index, d->assign = c->assign;
        memcpy(d->cuts, c->cuts, sizeof d->cuts);
    }
    return cmd_explore_interrupted;
}

static int by_met_index(const void *a, const void *b)
{
    int64_t x = ((const explore_met_design *)a)->index, y = ((const explore_met_design *)b)->index;
    return (x > y) - (x < y);
}

static int visit_progress(void *ctx, const explore_candidate *c)
{
    (void)c;
    cmd_explore_output_progress_tick(ctx, 65536);
    return cmd_explore_interrupted;
}

/* --search: the search that runs, and for NSGA-II its front against the
 * exact one where the exact search fits (Kreß 2024 and AutoDiCE report no
 * such measure; it tells how far NSGA-II's front is from the true one). */
static int run_search(const explore_args *a, const explore_problem *x, search_ctx *sc,
                      explore_result *r, explore_outcome *out, ps_error *err)
{
    double space = explore_space_size(x), t0 = monotonic_s();
    bool fits = space <= EXPLORE_AUTO_EXACT_MAX;
    out->search = a->search == SEARCH_AUTO ? (fits ? SEARCH_EXACT : SEARCH_NSGA2) : a->search;
    out->hypervolume_ratio = NAN;
    if (a->search == SEARCH_AUTO && !fits && !a->quiet)
        fprintf(stderr, "partsim explore: %.3g candidates: searching with NSGA-II (--search "
                "exact enumerates them all, at ~100 ns each)\n", space);
    int rc;
    if (out->search == SEARCH_EXACT) {
        sc->every = 65536;
        rc = explore_exact(x, visit_search, sc, r, err);
    } else {
        sc->met.recorded = true;
        sc->every = 256;
        sc->sp.what = "designs (NSGA-II)";
        double bound = (double)a->nsga2.population * (a->nsga2.generations + 1);
        sc->sp.total = bound < space ? bound : space;
        rc = explore_nsga2(x, &a->nsga2, visit_search, sc, r, err);
        if (!rc && sc->nomem)
            rc = error_set(err, PS_ERR_NOMEM, "out of memory");
    }
    cmd_explore_output_progress_clear(&sc->sp);
    out->eval_s = monotonic_s() - t0;
    out->met = &sc->met;
    if (rc)
        return rc;
    if (sc->met.recorded)
        qsort(sc->met.d, (size_t)sc->met.n, sizeof *sc->met.d, by_met_index);
    if (out->search == SEARCH_NSGA2 && fits && !r->interrupted) {
        explore_result ex;
        double t1 = monotonic_s();
        search_progress sp = {.what = "candidates (the exact front, for the hypervolume)",
                              .t0 = t1, .next_s = 1, .total = space,
                              .progress = sc->sp.progress};
        rc = explore_exact(x, visit_progress, &sp, &ex, err);
        cmd_explore_output_progress_clear(&sp);
        if (rc)
            return rc;
        if (!ex.interrupted) {
            out->exact_front = ex.n_front;
            out->exact_s = monotonic_s() - t1;
            rc = explore_nsga2_hypervolume_ratio(x, r->front, r->n_front, ex.front, ex.n_front,
                                                 &out->hypervolume_ratio, err);
        }
        explore_result_free(&ex);
    }
    return rc;
}

/* ---- the command ---- */

/* --validate: progress while the designs are simulated. */
static void validate_done(void *ctx, int finished, int total)
{
    search_progress *sp = ctx;
    sp->total = total;
    cmd_explore_output_progress_tick(sp, 1);
    (void)finished;
}

typedef struct {
    double score;
    int i;
} scored;

static int by_score(const void *a, const void *b)
{
    const scored *x = a, *y = b;
    return (x->score > y->score) - (x->score < y->score) + (x->score == y->score) * (x->i - y->i);
}

/* Ranks 1.. by score (equal scores share one); 0 for NAN. */
static void ranks(const double *score, int n, int *rank)
{
    for (int i = 0; i < n; i++) {
        rank[i] = 0;
        if (isnan(score[i]))
            continue;
        rank[i] = 1;
        for (int j = 0; j < n; j++)
            rank[i] += !isnan(score[j]) && score[j] < score[i];
    }
}

static void validation_free(explore_validation *v)
{
    free(v->points), free(v->sims), free(v->analytic_score), free(v->simulated_score);
    free(v->analytic_rank), free(v->simulated_rank);
    memset(v, 0, sizeof *v);
}

/* The designs to simulate (the K best feasible ones, or the front, best
 * first), simulated, scored and ranked. */
static int run_validation(const explore_args *a, const explore_problem *x,
                          const explore_result *r, top_k *top, explore_validation *v,
                          ps_error *err)
{
    int n = a->validate_front ? r->n_front : top->n;
    memset(v, 0, sizeof *v);
    v->n = n;
    v->points = calloc((size_t)n + 1, sizeof *v->points);
    v->sims = calloc((size_t)n + 1, sizeof *v->sims);
    v->analytic_score = calloc((size_t)n + 1, sizeof(double));
    v->simulated_score = calloc((size_t)n + 1, sizeof(double));
    v->analytic_rank = calloc((size_t)n + 1, sizeof(int));
    v->simulated_rank = calloc((size_t)n + 1, sizeof(int));
    int *order = a->validate_front ? cmd_explore_output_front_order(x, r) : calloc((size_t)n + 1, sizeof(int));
    const explore_candidate **ptr = calloc((size_t)n + 1, sizeof *ptr);
    int rc = 0;
    if (!v->points || !v->sims || !v->analytic_score || !v->simulated_score ||
        !v->analytic_rank || !v->simulated_rank || !order || !ptr)
        rc = error_set(err, PS_ERR_NOMEM, "out of memory");
    if (!rc && !a->validate_front) {
        scored *sc = malloc(sizeof *sc * ((size_t)n + 1));
        if (!sc)
            rc = error_set(err, PS_ERR_NOMEM, "out of memory");
        for (int i = 0; sc && i < n; i++)
            sc[i] = (scored){top->score[i], i};
        if (sc)
            qsort(sc, (size_t)n, sizeof *sc, by_score);
        for (int i = 0; sc && i < n; i++)
            order[i] = sc[i].i;
        free(sc);
    }
    for (int i = 0; !rc && i < n; i++) {
        const explore_candidate *c = a->validate_front ? &r->front[order[i]] : &top->c[order[i]];
        explore_evaluate(x, c->assign, c->cuts, &v->points[i]); /* with its detail */
        v->points[i].index = c->index;
        ptr[i] = &v->points[i];
    }
    search_progress sp = {.what = "designs simulated", .t0 = monotonic_s(),
                          .progress = !a->quiet && isatty(2)};
    explore_validate_options vo = {.scenario_path = a->scenario_path, .sets = a->sets,
                                   .n_sets = a->n_sets, .jobs = a->jobs,
                                   .stop = &cmd_explore_interrupted, .done = validate_done,
                                   .ctx = &sp};
    rc = rc ? rc : explore_validate(x, &vo, ptr, n, v->sims, err);
    cmd_explore_output_progress_clear(&sp);
    if (!rc) {
        explore_validate_scores(x, r, ptr, v->sims, n, v->analytic_score, v->simulated_score);
        ranks(v->analytic_score, n, v->analytic_rank);
        ranks(v->simulated_score, n, v->simulated_rank);
        v->kendall_tau = explore_validate_kendall_tau(v->analytic_score, v->simulated_score, n);
    }
    free(order), free(ptr);
    return rc;
}

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
    explore_nsga2_defaults(&a.nsga2);
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
    explore_validation val = {0};
    search_ctx sc = {0};
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
    sc = (search_ctx){.sp = {.what = "candidates", .t0 = monotonic_s(), .next_s = 1,
                             .total = explore_space_size(x),
                             .progress = !a.quiet && isatty(2)},
                      .top = {.x = x, .r = &r, .k = a.validate_k}};
    sc.top.c = calloc((size_t)a.validate_k + 1, sizeof *sc.top.c);
    sc.top.score = calloc((size_t)a.validate_k + 1, sizeof *sc.top.score);
    if (!sc.top.c || !sc.top.score) {
        rc = cli_fail(&(ps_error){.code = PS_ERR_NOMEM, .msg = "out of memory"});
        goto restore;
    }
    explore_outcome out = {0};
    if (run_search(&a, x, &sc, &r, &out, &err)) {
        rc = cli_fail(&err);
        goto restore;
    }
    bool validate = a.validate_k > 0 || a.validate_front;
    if (validate) {
        cmd_explore_interrupted = 0; /* a Ctrl-C that stopped the search still validates */
        if (run_validation(&a, x, &r, &sc.top, &val, &err)) {
            rc = cli_fail(&err);
            goto restore;
        }
    }
    if (file) {
        cmd_explore_interrupted = 0; /* a Ctrl-C that stopped the search keeps its candidates */
        int wrc = cmd_explore_output_write_file(file, &a, x, &r, &out, validate ? &val : NULL,
                                                sc.sp.progress, &err);
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
    rc = cmd_explore_output_report(&a, &s, pl, x, &r, &out, validate ? &val : NULL, &err)
             ? cli_fail(&err)
             : CLI_EXIT_OK;
    goto done;
restore:
    explore_file_abort(file);
    sigaction(SIGINT, &old_int, NULL);
    sigaction(SIGTERM, &old_term, NULL);
done:
    free(sc.top.c), free(sc.top.score), free(sc.met.d);
    validation_free(&val);
    explore_result_free(&r);
    explore_problem_free(x);
    plan_free(&p);
    scenario_free(&s);
    free((double *)a.eo.accuracy);
    free(a.sets);
    return rc;
}
