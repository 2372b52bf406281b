/* `partsim trace summary FILE` and `partsim trace export FILE --csv DIR |
 * --perfetto OUT.json`: a run's, an exploration's or a sweep's HDF5 file
 * read back (traces/trace_read.h, traces/trace_perfetto.h). */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "base/atomic_file.h"
#include "base/json.h"
#include "base/table.h"
#include "cli/cli.h"
#include "platforms/units.h"
#include "traces/trace_perfetto.h"
#include "traces/trace_read.h"

/* Every row of table `name` to out (a terminal table, CSV or JSON array). */
static int print_table(trace_reader *r, const char *name, table_format f, FILE *out,
                       json_writer *jw, ps_error *err)
{
    trace_read_table *t;
    if (trace_read_table_open(r, name, &t, err))
        return err->code;
    const table_spec *spec = trace_read_table_spec(t);
    table_value *rows = malloc(sizeof *rows * (size_t)spec->n * TRACE_READ_BLOCK);
    table_out *o = rows ? table_out_begin(spec, f, out, jw, err) : NULL;
    int rc = rows ? (o ? 0 : (int)err->code) : error_set(err, PS_ERR_NOMEM, "out of memory");
    int64_t n = trace_read_table_rows(t);
    for (int64_t first = 0; !rc && first < n; first += TRACE_READ_BLOCK) {
        int k = n - first < TRACE_READ_BLOCK ? (int)(n - first) : TRACE_READ_BLOCK;
        rc = trace_read_table_read(t, first, k, rows, err);
        for (int i = 0; !rc && i < k; i++)
            rc = table_out_row(o, rows + (size_t)i * (size_t)spec->n, err);
    }
    if (o)
        table_out_end(o, err);
    free(rows);
    trace_read_table_close(t);
    return rc;
}

/* The tables `summary` shows of each kind of file, in order. */
static const char *const run_tables[] = {"/summary", "/nodes", "/links", NULL};
static const char *const explore_tables[] = {"/explore/summary", "/explore/pick",
                                             "/explore/front", "/explore/baselines", NULL};
static const char *const sweep_tables[] = {"/sweep/points", "/sweep/spread", NULL};

static int summary(trace_reader *r, table_format f, ps_error *err)
{
    const char *kind = trace_read_kind(r);
    const char *const *tables = !strcmp(kind, "sweep")     ? sweep_tables
                                : !strcmp(kind, "explore") ? explore_tables
                                                           : run_tables;
    json_writer jw;
    json_init(&jw, stdout, 2);
    if (f == TABLE_JSON) {
        json_object_begin(&jw);
        json_key(&jw, "kind"), json_string(&jw, kind);
    }
    int rc = 0, shown = 0;
    for (int i = 0; !rc && tables[i]; i++) {
        if (!trace_read_has(r, tables[i]))
            continue;
        if (f == TABLE_JSON)
            json_key(&jw, tables[i] + 1);
        else if (f == TABLE_TEXT)
            printf("%s%s:\n", shown ? "\n" : "", tables[i] + 1);
        else if (shown)
            break; /* CSV: one table, the first */
        rc = print_table(r, tables[i], f, stdout, f == TABLE_JSON ? &jw : NULL, err);
        shown++;
    }
    if (f == TABLE_JSON) {
        json_object_end(&jw);
        printf("\n");
    }
    return rc;
}

/* One table as a CSV file (atomic_file_write_checked: whole or not at all). */
typedef struct {
    trace_reader *r;
    const char *name;
} csv_job;

static int write_csv(FILE *out, void *ctx, ps_error *err)
{
    const csv_job *j = ctx;
    return print_table(j->r, j->name, TABLE_CSV, out, NULL, err);
}

/* --csv DIR: every table as DIR/<path with '/' as '_'>.csv. */
static int export_csv(trace_reader *r, const char *dir, const char *src, ps_error *err)
{
    if (mkdir(dir, 0755) && errno != EEXIST)
        return error_set(err, PS_ERR_IO, "--csv %s: cannot create the folder: %s", dir,
                         strerror(errno));
    for (int i = 0; i < trace_read_n_tables(r); i++) {
        const char *name = trace_read_table_name(r, i);
        char path[2048], base[512];
        snprintf(base, sizeof base, "%s", name + 1);
        for (char *c = base; *c; c++)
            if (*c == '/')
                *c = '_';
        snprintf(path, sizeof path, "%s/%s.csv", dir, base);
        const char *inputs[] = {src};
        csv_job job = {r, name};
        if (atomic_file_write_checked(path, inputs, 1, write_csv, &job, err))
            return err->code;
        fprintf(stderr, "partsim trace: wrote %s\n", path);
    }
    return 0;
}

/* --perfetto OUT: the run's timeline as trace-event JSON, whole or not at
 * all. */
typedef struct {
    trace_reader *r;
    const trace_perfetto_options *o;
    trace_perfetto_stats st;
} perfetto_job;

static int write_perfetto(FILE *out, void *ctx, ps_error *err)
{
    perfetto_job *j = ctx;
    return trace_perfetto_write(j->r, out, j->o, &j->st, err);
}

static int export_perfetto(trace_reader *r, const char *path, const char *src,
                           const trace_perfetto_options *o, ps_error *err)
{
    const char *inputs[] = {src};
    perfetto_job job = {.r = r, .o = o};
    if (atomic_file_write_checked(path, inputs, 1, write_perfetto, &job, err))
        return err->code;
    fprintf(stderr, "partsim trace: wrote %s: %lld slices on %d tracks, %lld counter values "
                    "(open it in https://ui.perfetto.dev)\n",
            path, (long long)job.st.slices, job.st.tracks, (long long)job.st.counters);
    return 0;
}

/* A time option's value ("2.5 s", "300 ms") into *out. */
static int time_option(const cli_command *self, const char *name, const char *v, bool missing,
                       double *out)
{
    char why[256];
    if (missing || units_parse(v, UNIT_SECONDS, out, why, sizeof why) || !isfinite(*out) ||
        *out < 0)
        return cli_usage_error(self, "%s takes a time of the run such as '2 s' or '150 ms'%s%s",
                               name, missing ? "" : ", not ", missing ? "" : v);
    return 0;
}

int cmd_trace(const cli_command *self, int argc, char **argv)
{
    table_format format = TABLE_TEXT;
    const char *verb = NULL, *file = NULL, *csv_dir = NULL, *perfetto = NULL;
    trace_perfetto_options po = {.from_s = -INFINITY, .to_s = INFINITY};
    bool windowed = false;
    for (int i = 1; i < argc; i++) {
        const char *v = NULL;
        bool missing = false;
        int shared = cli_shared_option(self, argc, argv, &i, NULL, &format);
        if (shared == 1)
            continue;
        if (shared)
            return shared;
        if (cli_option(argc, argv, &i, "--csv", &v, &missing)) {
            if (missing)
                return cli_usage_error(self, "--csv takes the folder to write the tables to");
            csv_dir = v;
        } else if (cli_option(argc, argv, &i, "--perfetto", &v, &missing)) {
            if (missing)
                return cli_usage_error(self, "--perfetto takes the JSON file to write");
            perfetto = v;
        } else if (cli_option(argc, argv, &i, "--from", &v, &missing)) {
            if (time_option(self, "--from", v, missing, &po.from_s))
                return CLI_EXIT_USAGE;
            windowed = true;
        } else if (cli_option(argc, argv, &i, "--to", &v, &missing)) {
            if (time_option(self, "--to", v, missing, &po.to_s))
                return CLI_EXIT_USAGE;
            windowed = true;
        } else if (cli_option(argc, argv, &i, "--bins", &v, &missing)) {
            long n;
            if (missing || !cli_parse_int(v, 1, 1000000, &n))
                return cli_usage_error(self, "--bins takes a number of time bins, 1 to 1000000");
            po.bins = (int)n;
        } else if (argv[i][0] == '-' && argv[i][1]) {
            return cli_unknown_option(self, argv[i]);
        } else if (!verb) {
            verb = argv[i];
        } else if (!file) {
            file = argv[i];
        } else {
            return cli_usage_error(self, "one FILE only ('%s' is extra)", argv[i]);
        }
    }
    if (!verb || (strcmp(verb, "summary") && strcmp(verb, "export")))
        return cli_usage_error(self,
                               "trace takes summary FILE or export FILE --csv DIR | --perfetto "
                               "OUT.json%s%s%s",
                               verb ? " (not '" : "", verb ? verb : "", verb ? "')" : "");
    if (!file)
        return cli_usage_error(self, "FILE is missing");
    if (!strcmp(verb, "export") && !csv_dir && !perfetto)
        return cli_usage_error(self, "export needs --csv DIR or --perfetto OUT.json");
    if (!strcmp(verb, "summary") && (csv_dir || perfetto))
        return cli_usage_error(self, "%s goes with export", csv_dir ? "--csv" : "--perfetto");
    if ((windowed || po.bins) && !perfetto)
        return cli_usage_error(self, "--from, --to and --bins go with --perfetto");
    if (po.to_s <= po.from_s)
        return cli_usage_error(self, "--to must be later than --from");
    ps_error err = {0};
    trace_reader *r;
    if (trace_read_open(file, &r, &err))
        return cli_fail(&err);
    int rc = 0;
    if (!strcmp(verb, "summary"))
        rc = summary(r, format, &err);
    if (!rc && csv_dir)
        rc = export_csv(r, csv_dir, file, &err);
    if (!rc && perfetto)
        rc = export_perfetto(r, perfetto, file, &po, &err);
    trace_read_close(r);
    return rc ? cli_fail(&err) : CLI_EXIT_OK;
}
