/* `partsim sweep SCENARIO --vary KEY=VALUES ...`: the scenario simulated at
 * every point of a grid (or a zip) of scenario values, in parallel
 * processes, into one table and one HDF5 file (sim/sweep.h). */
#include <dirent.h>
#include <errno.h>
#include <math.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <sys/stat.h>
#include <unistd.h>

#include "base/atomic_file.h"
#include "base/json.h"
#include "base/monotonic.h"
#include "base/table.h"
#include "cli/cli.h"
#include "cli/cmd_explore.h"
#include "sim/pool.h"
#include "sim/sweep.h"
#include "sim/sweep_file.h"
#include "sim/sweep_journal.h"
#include "sim/sweep_mpi.h"
#include "sim/sweep_spec.h"
#include "sim/sweep_tables.h"

static volatile sig_atomic_t interrupted;

static void on_signal(int sig)
{
    (void)sig;
    interrupted = 1;
}


typedef struct {
    const char *scenario_path;
    const char **sets, **varies;
    int n_sets, n_varies;
    bool zip, quiet, resume, explore, keep_runs;
    explore_options eo;           /* --explore: --objectives, --weights */
    int seeds, jobs;
    const char *out_path;
    table_format format;
    const char *command_line;
} sweep_args;

static int parse_args(const cli_command *self, int argc, char **argv, sweep_args *a)
{
    for (int i = 1; i < argc; i++) {
        const char *v = NULL;
        bool missing = false;
        int shared = cli_shared_option(self, argc, argv, &i, NULL, &a->format);
        if (shared == 1)
            continue;
        if (shared)
            return shared;
        if (cli_option(argc, argv, &i, "--vary", &v, &missing)) {
            if (missing || !strchr(v, '='))
                return cli_usage_error(self, "--vary takes KEY=V1,V2,... or KEY=START:STOP:STEP "
                                       "or KEY=START:STOP:xFACTOR");
            a->varies[a->n_varies++] = v;
        } else if (cli_option(argc, argv, &i, "--set", &v, &missing)) {
            if (missing || !strchr(v, '='))
                return cli_usage_error(self, "--set takes KEY=VALUE");
            a->sets[a->n_sets++] = v;
        } else if (cli_option(argc, argv, &i, "--seeds", &v, &missing)) {
            long n;
            if (missing || !cli_parse_int(v, 1, 1000000, &n))
                return cli_usage_error(self, "--seeds takes a whole number from 1");
            a->seeds = (int)n;
        } else if (cli_option(argc, argv, &i, "--jobs", &v, &missing) ||
                   cli_option(argc, argv, &i, "-j", &v, &missing)) {
            long n;
            if (missing || !cli_parse_int(v, 1, 4096, &n))
                return cli_usage_error(self, "--jobs takes a whole number from 1");
            a->jobs = (int)n;
        } else if (cli_option(argc, argv, &i, "-o", &v, &missing) ||
                   cli_option(argc, argv, &i, "--output", &v, &missing)) {
            if (missing)
                return cli_usage_error(self, "-o takes the HDF5 file to write");
            a->out_path = v;
        } else if (cli_option(argc, argv, &i, "--objectives", &v, &missing)) {
            if (missing)
                return cli_usage_error(self, "--objectives takes a list such as latency,energy");
            if (cmd_explore_parse_objectives(self, v, &a->eo))
                return CLI_EXIT_USAGE;
        } else if (cli_option(argc, argv, &i, "--weights", &v, &missing)) {
            if (missing)
                return cli_usage_error(self, "--weights takes OBJECTIVE=W,...");
            if (cmd_explore_parse_weights(self, v, &a->eo))
                return CLI_EXIT_USAGE;
        } else if (!strcmp(argv[i], "--keep-runs")) {
            a->keep_runs = true;
        } else if (!strcmp(argv[i], "--explore")) {
            a->explore = true;
        } else if (!strcmp(argv[i], "--resume")) {
            a->resume = true;
        } else if (!strcmp(argv[i], "--zip")) {
            a->zip = true;
        } else if (!strcmp(argv[i], "--quiet") || !strcmp(argv[i], "-q")) {
            a->quiet = true;
        } else if (argv[i][0] == '-' && argv[i][1]) {
            return cli_unknown_option(self, argv[i]);
        } else if (!a->scenario_path) {
            a->scenario_path = argv[i];
        } else {
            return cli_usage_error(self, "one SCENARIO only ('%s' is extra)", argv[i]);
        }
    }
    if (!a->scenario_path)
        return cli_usage_error(self, "SCENARIO is missing");
    if (!a->n_varies)
        return cli_usage_error(self, "nothing to sweep: give --vary KEY=VALUES (one or more)");
    if (!a->explore && (a->eo.objectives != (1u << EXPLORE_LATENCY | 1u << EXPLORE_THROUGHPUT |
                                             1u << EXPLORE_ENERGY)))
        return cli_usage_error(self, "--objectives and --weights go with --explore");
    if (a->eo.objectives & (1u << EXPLORE_ACCURACY))
        return cli_usage_error(self, "--objectives accuracy needs an accuracy table: use "
                               "partsim explore --accuracy FILE");
    if (a->keep_runs && (!a->out_path || a->explore))
        return cli_usage_error(self, "--keep-runs keeps each point's run in -o FILE: give the "
                               "file (and no --explore: an exploration has no run)");
    if (a->resume && !a->out_path)
        return cli_usage_error(self, "--resume continues the sweep of -o FILE: give the file");
    if (a->n_varies > SWEEP_MAX_AXES)
        return cli_usage_error(self, "at most %d --vary options", SWEEP_MAX_AXES);
    return 0;
}

/* A key that no value of its axis makes a loadable scenario of is a typo
 * or a value of the wrong kind throughout: refused before anything runs.
 * (A single impossible value is a failed point, and the sweep goes on.) */
static int check_axes(const sweep_args *a, const sweep_spec *sp, ps_error *err)
{
    const char **sets = calloc((size_t)a->n_sets + 2, sizeof *sets);
    if (!sets)
        return error_set(err, PS_ERR_NOMEM, "out of memory");
    memcpy(sets, a->sets, sizeof *sets * (size_t)a->n_sets);
    int rc = 0;
    for (int k = 0; k < sp->n_axes && !rc; k++) {
        const sweep_axis *ax = &sp->axes[k];
        char set[SWEEP_SET_MAX];
        for (int v = 0; v < ax->n; v++) {
            snprintf(set, sizeof set, "%s=%s", ax->key, ax->values[v]);
            sets[a->n_sets] = set;
            scenario s;
            error_clear(err);
            if (!scenario_load(a->scenario_path, sets, a->n_sets + 1, &s, err)) {
                scenario_free(&s);
                rc = 0;
                break;
            }
            rc = err->code;
        }
        if (rc)
            error_prefix(err, "--vary %s: no value of it gives a scenario that loads; with "
                         "%s", ax->key, set);
    }
    free(sets);
    return rc;
}

typedef struct {
    const sweep_args *a;
    const sweep_spec *sp;
    table_spec spec;
    table_value *rows;
    table_out *out;
    sweep_file *file;
    sweep_journal *journal;
    const char *runs_dir;       /* --keep-runs: the folder of the points' traces */
    /* --seeds N: the spread over each combination's seeds */
    table_spec spread_spec;
    table_value *spread_rows;
    sweep_spread acc;
    sweep_spread *kept;         /* for the table and JSON printed at the end */
    int64_t n_kept, cap_kept;
    int64_t next_old;           /* the next point to look for in a resumed journal */
    int64_t done, failed, fresh; /* fresh: run by this sweep (not read back) */
    double t0, next_s;
    bool progress, shown;
    /* the first failures, for the report */
    int n_shown_failures;
    int64_t failure_point[10];
    char failure[10][512];
    ps_error *err;
} sweep_ctx;

static void progress_line(sweep_ctx *c)
{
    if (!c->progress)
        return;
    double t = monotonic_s() - c->t0;
    if (t < c->next_s && c->done < c->sp->n_points)
        return;
    double left = c->fresh ? t / (double)c->fresh * (double)(c->sp->n_points - c->done) : NAN;
    fprintf(stderr, "\rpartsim sweep: %lld of %lld points (%.0f %%), %lld failed, %.0f s",
            (long long)c->done, (long long)c->sp->n_points,
            100.0 * (double)c->done / (double)c->sp->n_points, (long long)c->failed, t);
    if (!isnan(left))
        fprintf(stderr, ", about %.0f s left ", left);
    c->next_s = t + 0.5;
    c->shown = true;
}

static void progress_clear(sweep_ctx *c)
{
    if (c->shown)
        fprintf(stderr, "\r\033[K");
    c->shown = false;
}

/* The spread of the combination just finished: into the file, and kept
 * for what is printed at the end. */
static int spread_done(sweep_ctx *c)
{
    int n = sweep_tables_spread_rows(&c->spread_spec, c->sp, &c->acc, c->spread_rows);
    if (n && c->file && sweep_file_spread(c->file, &c->spread_spec, c->spread_rows, n, c->err))
        return c->err->code;
    if (n && c->a->format != TABLE_CSV) {
        if (c->n_kept == c->cap_kept) {
            int64_t cap = c->cap_kept ? 2 * c->cap_kept : 64;
            sweep_spread *k = realloc(c->kept, sizeof *k * (size_t)cap);
            if (!k)
                return error_set(c->err, PS_ERR_NOMEM, "out of memory");
            c->kept = k, c->cap_kept = cap;
        }
        c->kept[c->n_kept++] = c->acc;
    }
    return 0;
}

/* --seeds: point r into its combination's spread (seeds are consecutive
 * points: a new combination closes the one before). */
static int spread_add(sweep_ctx *c, const sweep_result *r)
{
    int64_t combo = r->point / c->sp->seeds;
    if (combo != c->acc.combo) {
        if (c->acc.combo >= 0 && spread_done(c))
            return c->err->code;
        sweep_tables_spread_start(&c->acc, combo);
    }
    sweep_tables_spread_add(&c->acc, r);
    return 0;
}

/* The spread table, printed at the end (terminal or JSON). */
static int print_spread(sweep_ctx *c, json_writer *jw)
{
    table_out *t = table_out_begin(&c->spread_spec, c->a->format, stdout, jw, c->err);
    if (!t)
        return c->err->code;
    int rc = 0;
    for (int64_t k = 0; k < c->n_kept && !rc; k++) {
        int n = sweep_tables_spread_rows(&c->spread_spec, c->sp, &c->kept[k], c->spread_rows);
        for (int i = 0; i < n && !rc; i++)
            rc = table_out_row(t, c->spread_rows + (size_t)i * (size_t)c->spread_spec.n, c->err);
    }
    table_out_end(t, c->err);
    return rc;
}

/* One point's rows: into the file, the printed table, the counts. */
static int emit(sweep_ctx *c, const sweep_result *r)
{
    if (c->spread_rows && spread_add(c, r))
        return c->err->code;
    c->done++;
    if (!r->ok) {
        c->failed++;
        if (c->n_shown_failures < 10) {
            c->failure_point[c->n_shown_failures] = r->point;
            snprintf(c->failure[c->n_shown_failures], sizeof c->failure[0], "%s", r->error);
            c->n_shown_failures++;
        }
    }
    char trace[1100];
    if (c->runs_dir && r->ok)
        sweep_run_trace_path(c->runs_dir, r->point, trace, sizeof trace);
    if (c->file && sweep_file_point(c->file, r, c->runs_dir && r->ok ? trace : NULL, c->err))
        return c->err->code;
    int n = sweep_tables_points_rows(&c->spec, c->sp, r, c->rows);
    for (int i = 0; c->out && i < n; i++)
        if (table_out_row(c->out, c->rows + (size_t)i * (size_t)c->spec.n, c->err))
            return c->err->code;
    if (c->a->format == TABLE_CSV)
        fflush(stdout); /* a row per point as it comes, for a pipe */
    progress_line(c);
    return 0;
}

/* The points a resumed journal holds before point `end`, in order. */
static int emit_old(sweep_ctx *c, int64_t end)
{
    if (!c->a->resume)
        return 0;
    static sweep_result old; /* large: not on the stack */
    for (; c->next_old < end; c->next_old++) {
        if (!sweep_journal_has(c->journal, c->next_old))
            continue;
        if (sweep_journal_read(c->journal, c->next_old, &old, c->err) || emit(c, &old))
            return c->err->code;
    }
    return 0;
}

static int point_done(void *ctx, const sweep_result *r)
{
    sweep_ctx *c = ctx;
    c->fresh++;
    if (c->journal && !r->retry && sweep_journal_append(c->journal, r, c->err))
        return c->err->code;
    if (emit_old(c, r->point))
        return c->err->code;
    c->next_old = r->point + 1;
    return emit(c, r);
}

/* --keep-runs: the folder of the points' traces, FILE.runs: emptied for a
 * new sweep, kept for --resume (what was reported is there). */
static int runs_folder(const char *dir, bool keep, ps_error *err)
{
    DIR *d = opendir(dir);
    if (d) {
        for (struct dirent *e; !keep && (e = readdir(d));) {
            if (strncmp(e->d_name, "point-", 6))
                continue; /* only what partsim put there */
            char path[2200];
            snprintf(path, sizeof path, "%s/%s", dir, e->d_name);
            unlink(path);
        }
        closedir(d);
        return 0;
    }
    if (mkdir(dir, 0755) && errno != EEXIST)
        return error_set(err, PS_ERR_IO, "%s: cannot create the folder for --keep-runs: %s",
                         dir, strerror(errno));
    return 0;
}

/* What a sweep killed outright left: <FILE>.partial-<pid> of a process that
 * is gone.  (A Ctrl-C'd or finished sweep leaves none.) */
static void remove_stale_partials(const char *out)
{
    const char *slash = strrchr(out, '/');
    char dir[1024];
    snprintf(dir, sizeof dir, "%.*s", slash ? (int)(slash - out) : 1, slash ? out : ".");
    DIR *d = opendir(dir[0] ? dir : "/");
    if (!d)
        return;
    const char *base = slash ? slash + 1 : out;
    size_t nb = strlen(base);
    for (struct dirent *e; (e = readdir(d));) {
        if (strncmp(e->d_name, base, nb) || strncmp(e->d_name + nb, ".partial-", 9))
            continue;
        char *end = NULL;
        long pid = strtol(e->d_name + nb + 9, &end, 10);
        if (end == e->d_name + nb + 9 || *end || pid <= 0)
            continue;
        if (kill((pid_t)pid, 0) == 0 || errno != ESRCH)
            continue; /* its writer still runs (or is another user's) */
        char path[2200];
        snprintf(path, sizeof path, "%s/%s", dir[0] ? dir : "", e->d_name);
        unlink(path);
    }
    closedir(d);
}

/* The --set texts of point p, for a message ("network.links.0.rate=10Mbps, seed=2"). */
static void point_text(const sweep_options *o, int64_t p, char *out, size_t size)
{
    static char buf[(SWEEP_MAX_AXES + 1) * SWEEP_SET_MAX];
    const char *sets[SWEEP_MAX_AXES + 1];
    int n = sweep_point_sets(o, p, buf, SWEEP_SET_MAX, sets);
    size_t len = 0;
    out[0] = '\0';
    for (int i = 0; i < n && len < size; i++)
        len += (size_t)snprintf(out + len, size - len, "%s%s", i ? ", " : "", sets[i]);
}

int cmd_sweep(const cli_command *self, int argc, char **argv)
{
    sweep_args a = {.format = TABLE_TEXT, .seeds = 1};
    a.eo.link_capacity = true; /* as partsim explore's defaults */
    a.eo.objectives = 1u << EXPLORE_LATENCY | 1u << EXPLORE_THROUGHPUT | 1u << EXPLORE_ENERGY;
    for (int o = 0; o < EXPLORE_N_OBJECTIVES; o++)
        a.eo.weights[o] = 1;
    a.sets = calloc((size_t)argc + 1, sizeof *a.sets);
    a.varies = calloc((size_t)argc + 1, sizeof *a.varies);
    char cmdline[4096];
    a.command_line = cli_command_line(argc, argv, cmdline, sizeof cmdline);
    int rc = a.sets && a.varies ? parse_args(self, argc, argv, &a)
                                : cli_usage_error(self, "out of memory");
    sweep_spec sp = {0};
    int64_t *todo = NULL, n_todo = 0;
    ps_error err = {0};
    sweep_ctx c = {.a = &a, .sp = &sp, .err = &err};
    scenario s;
    bool loaded = false;
    struct sigaction sa = {0}, old_int, old_term;
    bool handlers = false;
    int rank = 0, size = 1; /* MPI ranks (mpirun partsim sweep) */
    bool peers_wait = true; /* until rank 0 has run the sweep with them */
    if (!rc && sweep_mpi_start(NULL, NULL, &rank, &size, &err))
        rc = cli_fail(&err);
    if (rc)
        goto done;
    if (size > 1) {
        a.jobs = a.jobs ? a.jobs : 1; /* a rank per core, unless -j says otherwise */
        a.quiet |= rank != 0;         /* rank 0 reports */
    }
    /* Ctrl-C / SIGTERM on any rank: start no more points (rank 0 tells the
     * others, sim/sweep_mpi.c); blocked writes restart */
    sa.sa_handler = on_signal;
    sa.sa_flags = SA_RESTART;
    sigaction(SIGINT, &sa, &old_int);
    sigaction(SIGTERM, &sa, &old_term);
    handlers = true;
    for (int i = 0; i < a.n_varies && !rc; i++)
        rc = sweep_spec_add(&sp, a.varies[i], &err);
    rc = rc ? rc : sweep_spec_finish(&sp, a.zip, a.seeds, &err);
    for (int k = 0; !rc && k < sp.n_axes; k++)
        for (int v = 0; !rc && v < sp.axes[k].n; v++)
            if (strlen(sp.axes[k].key) + strlen(sp.axes[k].values[v]) + 2 > SWEEP_SET_MAX)
                rc = error_set(&err, PS_ERR_INPUT, "--vary %s: value %d is %zu characters "
                               "(at most %zu with its key)", sp.axes[k].key, v + 1,
                               strlen(sp.axes[k].values[v]),
                               (size_t)SWEEP_SET_MAX - 2 - strlen(sp.axes[k].key));
    if (!rc && a.seeds > 1 && a.explore)
        rc = error_set(&err, PS_ERR_INPUT, "--seeds with --explore: an exploration draws no "
                       "random numbers, every seed gives the same");
    for (int k = 0; !rc && a.seeds > 1 && k < sp.n_axes; k++)
        if (!strcmp(sp.axes[k].key, "seed"))
            rc = error_set(&err, PS_ERR_INPUT, "--seeds %d and --vary seed=...: give one or "
                           "the other", a.seeds);
    if (!rc && !(rc = scenario_load(a.scenario_path, a.sets, a.n_sets, &s, &err)))
        loaded = true;
    rc = rc ? rc : check_axes(&a, &sp, &err);
    if (rank != 0) { /* a peer: its share of the points, sent to rank 0 */
        char runs_dir[1100]; /* --keep-runs: rank 0 makes it before the points start */
        snprintf(runs_dir, sizeof runs_dir, "%s.runs", a.out_path ? a.out_path : "");
        if (!rc) {
            sweep_options so = {.scenario_path = a.scenario_path, .sets = a.sets,
                                .n_sets = a.n_sets, .spec = &sp, .base_seed = (int64_t)s.seed,
                                .jobs = a.jobs, .stop = &interrupted,
                                .explore = a.explore ? &a.eo : NULL,
                                .runs_dir = a.keep_runs ? runs_dir : NULL};
            rc = sweep_mpi_run(&so, rank, size, NULL, &err);
            peers_wait = false;
        }
        goto done; /* rank 0 says what went wrong (the same checks fail there) */
    }
    rc = rc ? rc : sweep_tables_points(&c.spec, &sp, &s, a.explore, &err);
    if (!rc && sp.seeds > 1) {
        sweep_tables_spread_start(&c.acc, -1);
        rc = sweep_tables_spread(&c.spread_spec, &sp, &err);
        if (!rc && !(c.spread_rows = calloc((size_t)c.spread_spec.n * SWEEP_MAX_PIPELINES,
                                            sizeof *c.spread_rows)))
            rc = error_set(&err, PS_ERR_NOMEM, "out of memory");
    }
    if (!rc && !(c.rows = calloc((size_t)c.spec.n * SWEEP_MAX_PIPELINES, sizeof *c.rows)))
        rc = error_set(&err, PS_ERR_NOMEM, "out of memory");
    /* -o: refused before its journal or runs folder exist (never over an input) */
    if (!rc && a.out_path && (strlen(a.out_path) > 1000 ||
                              atomic_file_check_target(a.out_path,
                                                       (const char *const *)s.inputs,
                                                       s.n_inputs, &err)))
        rc = strlen(a.out_path) > 1000
                 ? error_set(&err, PS_ERR_INPUT, "-o: the path is over 1000 characters")
                 : (int)err.code;
    if (!rc && a.out_path) {
        /* the journal beside the file: a new one, or the one --resume continues */
        char jpath[1100], *spec_text = NULL;
        snprintf(jpath, sizeof jpath, "%s.journal", a.out_path);
        /* what a resumed sweep must match: the points, and what is done at each */
        const char *mode = a.explore ? "explore; " : a.keep_runs ? "keep-runs; " : "";
        size_t need = strlen(mode) + sweep_spec_describe(&sp, NULL, 0) + 1;
        if (!(spec_text = malloc(need)))
            rc = error_set(&err, PS_ERR_NOMEM, "out of memory");
        else
            sweep_spec_describe(&sp, spec_text + strlen(strcpy(spec_text, mode)),
                                need - strlen(mode));
        remove_stale_partials(a.out_path);
        bool fresh_start = !a.resume;
        if (!rc && a.resume && access(jpath, F_OK) && access(a.out_path, F_OK)) {
            fresh_start = true; /* nothing to resume yet: a batch job's first run */
            if (!a.quiet)
                fprintf(stderr, "partsim sweep: --resume: no %s yet: starting the sweep\n",
                        a.out_path);
        }
        if (!rc && !fresh_start) {
            rc = sweep_journal_resume(jpath, spec_text, s.text, sp.n_points, &c.journal, &err);
            if (rc == PS_ERR_IO)
                rc = error_set(&err, PS_ERR_INPUT, "--resume: there is no journal %s: the "
                               "sweep of %s completed (nothing to resume)", jpath, a.out_path);
        } else if (!rc) {
            rc = sweep_journal_create(jpath, spec_text, s.text, sp.n_points, &c.journal, &err);
        }
        free(spec_text);
        static char runs_dir[1100];
        if (!rc && a.keep_runs) {
            snprintf(runs_dir, sizeof runs_dir, "%s.runs", a.out_path);
            rc = runs_folder(runs_dir, !fresh_start, &err);
            c.runs_dir = runs_dir;
        }
        if (!rc && !(todo = malloc(sizeof *todo * (size_t)sp.n_points)))
            rc = error_set(&err, PS_ERR_NOMEM, "out of memory");
        for (int64_t p = 0; !rc && p < sp.n_points; p++)
            if (!sweep_journal_has(c.journal, p))
                todo[n_todo++] = p;
        if (!rc && !fresh_start && !a.quiet)
            fprintf(stderr, "partsim sweep: resuming %s: %lld of %lld point(s) done, %lld to "
                    "run\n", a.out_path, (long long)sweep_journal_count(c.journal),
                    (long long)sp.n_points, (long long)n_todo);
    }
    if (!rc && a.out_path)
        rc = sweep_file_open(a.out_path, &s, &sp, a.explore, a.command_line, &c.file, &err);
    if (rc) {
        rc = cli_fail(&err);
        goto done;
    }
    json_writer jw;
    json_init(&jw, stdout, 2);
    if (a.format == TABLE_JSON) {
        json_object_begin(&jw);
        json_key(&jw, "scenario"), json_string(&jw, s.name);
        json_key(&jw, "points_total"), json_int(&jw, sp.n_points);
        json_key(&jw, "points");
    }
    if (a.format == TABLE_TEXT && !a.quiet)
        fprintf(stderr, "partsim sweep: %s, %lld point(s) (%s%s), %d at once%s\n", s.name,
                (long long)sp.n_points, sp.zip ? "zip" : "grid",
                sp.seeds > 1 ? ", several seeds" : "",
                (a.jobs ? a.jobs : pool_cores()) * size,
                size > 1 ? " over MPI ranks" : "");
    c.out = table_out_begin(&c.spec, a.format, stdout, &jw, &err);
    if (!c.out) {
        rc = cli_fail(&err);
        goto done;
    }
    c.t0 = monotonic_s(), c.next_s = 1, c.progress = !a.quiet && isatty(2);
    sweep_options so = {.scenario_path = a.scenario_path, .sets = a.sets, .n_sets = a.n_sets,
                        .spec = &sp, .base_seed = (int64_t)s.seed, .jobs = a.jobs,
                        .explore = a.explore ? &a.eo : NULL, .runs_dir = c.runs_dir,
                        .stop = &interrupted, .point_done = point_done, .ctx = &c,
                        .todo = todo, .n_todo = n_todo};
    int run_rc = sweep_mpi_run(&so, rank, size, NULL, &err);
    peers_wait = false;
    /* the journal's points after the last one run (all of them when
     * nothing was left to run, those after a gap when interrupted) */
    if (!run_rc)
        run_rc = emit_old(&c, sp.n_points);
    if (!run_rc && c.spread_rows && c.acc.combo >= 0) /* the last combination */
        run_rc = spread_done(&c) ? (int)err.code : 0;
    progress_clear(&c);
    double wall = monotonic_s() - c.t0;
    bool stopped = c.done < sp.n_points;
    table_out_end(c.out, &err);
    c.out = NULL;
    if (run_rc) {
        if (a.format == TABLE_JSON) { /* what was printed stays a whole JSON object */
            json_key(&jw, "error"), json_string(&jw, err.msg);
            json_object_end(&jw);
            printf("\n");
        }
        rc = cli_fail(&err);
        goto done;
    }
    if (c.spread_rows && a.format == TABLE_TEXT) {
        printf("\nspread over %d seeds (mean and sample standard deviation; min and max in "
               "JSON and the file):\n", sp.seeds);
        if (print_spread(&c, NULL)) {
            rc = cli_fail(&err);
            goto done;
        }
    }
    if (a.format == TABLE_JSON) {
        if (c.spread_rows) {
            json_key(&jw, "spread");
            if (print_spread(&c, &jw)) {
                rc = cli_fail(&err);
                goto done;
            }
        }
        json_key(&jw, "done"), json_int(&jw, c.done);
        json_key(&jw, "failed"), json_int(&jw, c.failed);
        json_key(&jw, "interrupted"), json_bool(&jw, stopped);
        json_key(&jw, "wall_s"), json_number(&jw, wall);
        json_key(&jw, "file");
        json_string(&jw, c.file ? sweep_file_path(c.file) : NULL);
        json_object_end(&jw);
        printf("\n");
    }
    if (c.file) {
        const char *path = sweep_file_path(c.file);
        char keep[1024];
        snprintf(keep, sizeof keep, "%s", path);
        int frc = sweep_file_close(c.file, c.done, sp.n_points, &err);
        c.file = NULL;
        if (frc) {
            rc = cli_fail(&err);
            goto done;
        }
        if (!a.quiet)
            fprintf(stderr, "partsim sweep: wrote %s%s\n", keep,
                    stopped ? " (--resume runs the rest)" : "");
    }
    sweep_journal_close(c.journal, !stopped); /* kept for --resume until the sweep completes */
    c.journal = NULL;
    if (c.runs_dir && !stopped) { /* every trace is in the file now */
        runs_folder(c.runs_dir, false, &err);
        rmdir(c.runs_dir);
    }
    for (int i = 0; i < c.n_shown_failures && !a.quiet; i++) {
        char what[2048];
        point_text(&so, c.failure_point[i], what, sizeof what);
        fprintf(stderr, "partsim sweep: point %lld (%s) failed: %s\n",
                (long long)c.failure_point[i], what, c.failure[i]);
    }
    if (!a.quiet && (c.failed > c.n_shown_failures || stopped || c.failed))
        fprintf(stderr, "partsim sweep: %lld of %lld point(s) done in %.1f s, %lld failed%s\n",
                (long long)c.done, (long long)sp.n_points, wall, (long long)c.failed,
                stopped ? "; interrupted: the rest did not run" : "");
    rc = c.done > 0 && c.failed == c.done ? CLI_EXIT_INPUT : CLI_EXIT_OK;
done:
    if (rc && size > 1 && peers_wait)
        sweep_mpi_abort(rc); /* the other ranks wait for this one: end the job */
    sweep_mpi_stop();
    if (handlers) {
        sigaction(SIGINT, &old_int, NULL);
        sigaction(SIGTERM, &old_term, NULL);
    }
    if (c.out)
        table_out_end(c.out, &err);
    sweep_file_abort(c.file);
    sweep_journal_close(c.journal, false);
    free(todo);
    free(c.rows), free(c.spread_rows), free(c.kept);
    table_spec_free(&c.spread_spec);
    table_spec_free(&c.spec);
    if (loaded)
        scenario_free(&s);
    sweep_spec_free(&sp);
    free(a.sets), free(a.varies);
    return rc;
}
