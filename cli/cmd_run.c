/* `partsim run SCENARIO`: simulate a scenario, write its trace, print a
 * short summary. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "base/json.h"
#include "base/table.h"
#include "cli/cli.h"
#include "sim/run.h"
#include "sim/run_tables.h"

/* Rows of one of the run's tables (`make` describes it, `row` fills row i). */
static int print_table(table_spec *spec, int made, int n, const run_report *rep,
                       void (*row)(const run_report *, int, table_value *), table_format f,
                       json_writer *w, ps_error *err)
{
    if (made)
        return made;
    table_out *out = table_out_begin(spec, f, stdout, w, err);
    int rc = out ? 0 : (int)err->code;
    table_value v[RUN_SUMMARY_COLUMNS];
    for (int i = 0; !rc && i < n; i++) {
        row(rep, i, v);
        rc = table_out_row(out, v, err);
    }
    table_out_end(out, err);
    table_spec_free(spec);
    return rc;
}

static int print_summary(const run_report *rep, table_format f, ps_error *err)
{
    const scenario *s = &rep->s;
    const pipeline_result *r = &rep->r;
    table_spec spec;
    json_writer w;
    json_init(&w, stdout, 2);
    if (f == TABLE_CSV)
        return print_table(&spec, run_tables_summary(&spec, err), s->n_pipelines, rep,
                           run_summary_row, f, NULL, err);
    if (f == TABLE_JSON) {
        json_object_begin(&w);
        json_key(&w, "scenario"), json_string(&w, s->name);
        json_key(&w, "path"), json_string(&w, s->path);
        json_key(&w, "simulated_s"), json_number(&w, r->end_s);
        json_key(&w, "wall_s"), json_number(&w, rep->wall_s);
        json_key(&w, "trace");
        json_string(&w, rep->trace_path[0] ? rep->trace_path : NULL);
        json_key(&w, "summary");
        int rc = print_table(&spec, run_tables_summary(&spec, err), s->n_pipelines, rep,
                             run_summary_row, f, &w, err);
        json_key(&w, "nodes");
        rc = rc ? rc : print_table(&spec, run_tables_nodes(&spec, err), s->n_nodes, rep,
                                   run_node_row, f, &w, err);
        json_key(&w, "links");
        rc = rc ? rc : print_table(&spec, run_tables_links(&spec, err), s->n_links, rep,
                                   run_link_row, f, &w, err);
        json_object_end(&w);
        return rc;
    }
    printf("scenario %s: %d node(s), %d link(s), %d pipeline(s), %.3f s simulated in %.2f s "
           "wall\n", s->name, s->n_nodes, s->n_links, s->n_pipelines, r->end_s, rep->wall_s);
    int rc = print_table(&spec, run_tables_summary(&spec, err), s->n_pipelines, rep,
                         run_summary_row, f, NULL, err);
    if (rc)
        return rc;
    int bn = 0, bl = -1;
    for (int n = 1; n < s->n_nodes; n++)
        if (r->nodes[n].busy_s > r->nodes[bn].busy_s)
            bn = n;
    for (int l = 0; l < s->n_links; l++)
        if (bl < 0 || r->links[l].busy_s > r->links[bl].busy_s)
            bl = l;
    double T = r->end_s > 0 ? r->end_s : 1;
    printf("busiest node: %s, %.1f %% busy, %.4g J; ", s->nodes[bn].name,
           100 * r->nodes[bn].busy_s / T,
           r->nodes[bn].energy_dynamic_j + r->nodes[bn].energy_static_j);
    if (bl >= 0)
        printf("busiest link: %s, %.1f %% busy, %.4g MB\n", s->links[bl].name,
               100 * r->links[bl].busy_s / T, r->links[bl].bytes / 1e6);
    else
        printf("no links\n");
    if (rep->trace_path[0])
        printf("trace: %s\n", rep->trace_path);
    else
        printf("trace: none (--no-trace)\n");
    if (rep->platform_kept)
        printf("SimGrid platform: %s\n", rep->platform_path);
    return 0;
}

int cmd_run(const cli_command *self, int argc, char **argv)
{
    run_options o = {.progress = isatty(2)};
    const char **sets = calloc((size_t)argc + 1, sizeof *sets);
    char **sg_argv = calloc((size_t)argc + 2, sizeof *sg_argv);
    int sg_argc = 1;
    if (!sets || !sg_argv) {
        free(sets), free(sg_argv);
        return cli_usage_error(self, "out of memory");
    }
    sg_argv[0] = "partsim";
    int rc = 0;
    table_format format = TABLE_TEXT;
    for (int i = 1; i < argc && !rc; i++) {
        const char *v = NULL;
        bool missing = false;
        int shared = cli_shared_option(self, argc, argv, &i, NULL, &format);
        if (shared == 1)
            continue;
        if (shared) {
            rc = shared;
        } else if (cli_option(argc, argv, &i, "--set", &v, &missing)) {
            if (missing || !strchr(v, '='))
                rc = cli_usage_error(self, "--set takes KEY=VALUE");
            else
                sets[o.n_sets++] = v;
        } else if (cli_option(argc, argv, &i, "-o", &v, &missing) ||
                   cli_option(argc, argv, &i, "--output", &v, &missing)) {
            if (missing)
                rc = cli_usage_error(self, "-o takes the trace path (out.h5)");
            o.out_path = v;
        } else if (!strcmp(argv[i], "--no-trace")) {
            o.no_trace = true;
        } else if (!strcmp(argv[i], "--keep-platform")) {
            o.keep_platform = true;
        } else if (!strcmp(argv[i], "--quiet") || !strcmp(argv[i], "-q")) {
            o.progress = false;
        } else if (!strncmp(argv[i], "--cfg=", 6) || !strncmp(argv[i], "--log=", 6)) {
            sg_argv[sg_argc++] = argv[i]; /* for SimGrid */
        } else if (argv[i][0] == '-' && argv[i][1]) {
            rc = cli_unknown_option(self, argv[i]);
        } else if (!o.scenario_path) {
            o.scenario_path = argv[i];
        } else {
            rc = cli_usage_error(self, "one SCENARIO only ('%s' is extra)", argv[i]);
        }
    }
    if (!rc && !o.scenario_path)
        rc = cli_usage_error(self, "SCENARIO is missing");
    if (!rc && o.no_trace && (o.out_path || o.keep_platform))
        rc = cli_usage_error(self, "--no-trace writes no trace: it takes neither -o nor "
                             "--keep-platform (the platform is kept next to the trace)");
    if (rc) {
        free(sets), free(sg_argv);
        return rc;
    }
    o.sets = sets;
    char cmdline[4096];
    o.command_line = cli_command_line(argc, argv, cmdline, sizeof cmdline);
    ps_error err = {0};
    run_report rep;
    if (run_scenario(&o, &sg_argc, sg_argv, &rep, &err)) {
        free(sets), free(sg_argv);
        return cli_fail(&err);
    }
    rc = print_summary(&rep, format, &err) ? cli_fail(&err) : CLI_EXIT_OK;
    run_report_free(&rep);
    free(sets), free(sg_argv);
    return rc;
}
