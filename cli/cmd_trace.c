/* `partsim trace summary FILE` and `partsim trace export FILE --csv DIR`:
 * a run's, an exploration's or a sweep's HDF5 file read back
 * (traces/trace_read.h). */
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

/* One table as a CSV file: written under a temporary name, renamed when
 * whole (nothing left under `path` when reading or writing fails). */
static int csv_file(trace_reader *r, const char *name, const char *path, ps_error *err)
{
    atomic_file af;
    if (atomic_file_begin(path, NULL, 0, &af, err))
        return err->code;
    FILE *out = fopen(af.partial, "w");
    int rc = out ? print_table(r, name, TABLE_CSV, out, NULL, err)
                 : error_set(err, PS_ERR_IO, "%s: cannot write it", af.partial);
    if (out && (fclose(out) || rc)) {
        rc = rc ? rc : error_set(err, PS_ERR_IO, "%s: cannot write it", path);
    }
    if (rc) {
        atomic_file_abort(&af);
        return rc;
    }
    return atomic_file_commit(&af, err);
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
        if (atomic_file_check_target(path, inputs, 1, err) || csv_file(r, name, path, err))
            return err->code;
        fprintf(stderr, "partsim trace: wrote %s\n", path);
    }
    return 0;
}

int cmd_trace(const cli_command *self, int argc, char **argv)
{
    table_format format = TABLE_TEXT;
    const char *verb = NULL, *file = NULL, *csv_dir = NULL;
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
        return cli_usage_error(self, "trace takes summary FILE or export FILE --csv DIR%s%s%s",
                               verb ? " (not '" : "", verb ? verb : "", verb ? "')" : "");
    if (!file)
        return cli_usage_error(self, "FILE is missing");
    if (!strcmp(verb, "export") && !csv_dir)
        return cli_usage_error(self, "export needs --csv DIR");
    if (!strcmp(verb, "summary") && csv_dir)
        return cli_usage_error(self, "--csv goes with export");
    ps_error err = {0};
    trace_reader *r;
    if (trace_read_open(file, &r, &err))
        return cli_fail(&err);
    int rc = !strcmp(verb, "summary") ? summary(r, format, &err)
                                      : export_csv(r, csv_dir, file, &err);
    trace_read_close(r);
    return rc ? cli_fail(&err) : CLI_EXIT_OK;
}
