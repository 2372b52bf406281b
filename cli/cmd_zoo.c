/* `partsim zoo`: the models of the zoo with their size at a glance. */
#include <stdio.h>
#include <string.h>

#include "cli/cli.h"
#include "workloads/cuts.h"
#include "workloads/workload.h"

int cmd_zoo(const cli_command *self, int argc, char **argv)
{
    if (argc > 1)
        return cli_usage_error(self, "takes no arguments ('%s')", argv[1]);
    char names[2048];
    workload_zoo_names(names, sizeof names);
    if (!*names) {
        ps_error err;
        error_set(&err, PS_ERR_IO, "no models found in the zoo folder %s (set PARTSIM_ZOO?)",
                  workload_zoo_dir());
        return cli_fail(&err);
    }
    printf("zoo: %s\n", workload_zoo_dir());
    printf("%-16s %-14s %6s %10s %12s %6s\n", "model", "input", "nodes", "GMACs", "params",
           "cuts");
    for (char *name = strtok(names, ", "); name; name = strtok(NULL, ", ")) {
        ps_error err = {0};
        graph *g = workload_load(name, &err);
        cut_table ct;
        if (!g || cuts_compute(g, &ct, &err)) {
            graph_free(g);
            printf("%-16s (cannot load: %s)\n", name, err.msg);
            continue;
        }
        int64_t macs = 0, params = 0;
        for (int i = 0; i < g->n_nodes; i++) {
            macs += g->nodes[i].macs;
            params += g->nodes[i].params;
        }
        char shape[64] = "-";
        if (g->n_inputs)
            graph_shape_str(&g->tensors[g->inputs[0]], shape, sizeof shape);
        printf("%-16s %-14s %6d %10.3f %12lld %6d\n", name, shape, g->n_nodes, (double)macs / 1e9,
               (long long)params, cuts_count_single(&ct));
        cuts_free(&ct);
        graph_free(g);
    }
    return CLI_EXIT_OK;
}
