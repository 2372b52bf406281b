/* `partsim run SCENARIO`: simulate a scenario, write its trace, print a
 * short summary. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli/cli.h"
#include "sim/run.h"

static void print_summary(const run_report *rep)
{
    const scenario *s = &rep->s;
    const pipeline_result *r = &rep->r;
    printf("scenario %s: %d node(s), %d link(s), %d pipeline(s), %.3f s simulated in %.2f s "
           "wall\n", s->name, s->n_nodes, s->n_links, s->n_pipelines, r->end_s, rep->wall_s);
    printf("%-14s %8s %9s %8s %10s %10s %10s %10s %10s %12s\n", "pipeline", "frames", "completed",
           "dropped", "fps", "p50 ms", "p95 ms", "p99 ms", "max ms", "mJ/frame");
    for (int i = 0; i < s->n_pipelines; i++) {
        const pipeline_total *pt = &r->pipelines[i];
        printf("%-14.14s %8lld %9lld %8lld %10.2f %10.3f %10.3f %10.3f %10.3f %12.4f\n",
               s->pipelines[i].name, (long long)pt->emitted, (long long)pt->completed,
               (long long)pt->dropped, run_throughput_fps(rep, i),
               1e3 * stats_quantile(&pt->latency, 0.5), 1e3 * stats_quantile(&pt->latency, 0.95),
               1e3 * stats_quantile(&pt->latency, 0.99),
               pt->latency.n ? 1e3 * pt->latency.max : NAN,
               pt->completed ? 1e3 * pt->energy_j / (double)pt->completed : NAN);
        if (s->pipelines[i].deadline_s > 0)
            printf("%14s deadline %.3g ms missed by %lld frame(s)\n", "",
                   1e3 * s->pipelines[i].deadline_s, (long long)pt->deadline_missed);
    }
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
    printf("trace: %s\n", rep->trace_path);
    if (rep->platform_kept)
        printf("SimGrid platform: %s\n", rep->platform_path);
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
    for (int i = 1; i < argc && !rc; i++) {
        const char *v = NULL;
        bool missing = false;
        if (cli_option(argc, argv, &i, "--set", &v, &missing)) {
            if (missing || !strchr(v, '='))
                rc = cli_usage_error(self, "--set takes KEY=VALUE");
            else
                sets[o.n_sets++] = v;
        } else if (cli_option(argc, argv, &i, "-o", &v, &missing) ||
                   cli_option(argc, argv, &i, "--output", &v, &missing)) {
            if (missing)
                rc = cli_usage_error(self, "-o takes the trace path (out.h5)");
            o.out_path = v;
        } else if (!strcmp(argv[i], "--keep-platform")) {
            o.keep_platform = true;
        } else if (!strcmp(argv[i], "--quiet") || !strcmp(argv[i], "-q")) {
            o.progress = false;
        } else if (!strncmp(argv[i], "--cfg=", 6) || !strncmp(argv[i], "--log=", 6)) {
            sg_argv[sg_argc++] = argv[i]; /* for SimGrid */
        } else if (argv[i][0] == '-' && argv[i][1]) {
            rc = cli_usage_error(self, "unknown option '%s'", argv[i]);
        } else if (!o.scenario_path) {
            o.scenario_path = argv[i];
        } else {
            rc = cli_usage_error(self, "one SCENARIO only ('%s' is extra)", argv[i]);
        }
    }
    if (!rc && !o.scenario_path)
        rc = cli_usage_error(self, "SCENARIO is missing");
    if (rc) {
        free(sets), free(sg_argv);
        return rc;
    }
    o.sets = sets;
    char cmdline[4096];
    size_t used = (size_t)snprintf(cmdline, sizeof cmdline, "partsim");
    for (int i = 0; i < argc && used < sizeof cmdline; i++)
        used += (size_t)snprintf(cmdline + used, sizeof cmdline - used, " %s", argv[i]);
    o.command_line = cmdline;
    ps_error err = {0};
    run_report rep;
    if (run_scenario(&o, &sg_argc, sg_argv, &rep, &err)) {
        free(sets), free(sg_argv);
        return cli_fail(&err);
    }
    print_summary(&rep);
    run_report_free(&rep);
    free(sets), free(sg_argv);
    return CLI_EXIT_OK;
}
