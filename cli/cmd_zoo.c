/* `partsim zoo`: the models of the zoo with their size at a glance. */
#include <stdio.h>
#include <string.h>

#include "base/json.h"
#include "base/table.h"
#include "cli/cli.h"
#include "workloads/cuts.h"
#include "workloads/workload.h"

enum { ZOO_NAME, ZOO_INPUT_SHAPE, ZOO_NODES, ZOO_MACS, ZOO_PARAMS, ZOO_CUTS, ZOO_COLUMNS };

static const table_column ZOO_COLS[ZOO_COLUMNS] = {
    {"name", TABLE_STR, NULL, NULL, 64, 0},
    {"input_shape", TABLE_STR, NULL, NULL, 64, 0},
    {"nodes", TABLE_INT, NULL, NULL, 0, 0},
    {"macs", TABLE_INT, NULL, NULL, 0, 0},
    {"params", TABLE_INT, NULL, NULL, 0, 0},
    {"single_tensor_cuts", TABLE_INT, NULL, NULL, 0, 0},
};

/* One row per model; a model that does not load is reported on stderr. */
static int write_models(char *names, table_out *out, ps_error *err)
{
    for (char *name = strtok(names, ", "); name; name = strtok(NULL, ", ")) {
        ps_error e = {0};
        graph *g = workload_load(name, &e);
        cut_table ct;
        if (!g || cuts_compute(g, &ct, &e)) {
            graph_free(g);
            fprintf(stderr, "partsim: warning: zoo model %s cannot be loaded: %s\n", name,
                    e.msg);
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
        table_value row[ZOO_COLUMNS] = {{.s = name}, {.s = shape}, {.i = g->n_nodes},
                                        {.i = macs}, {.i = params},
                                        {.i = cuts_count_single(&ct)}};
        int rc = table_out_row(out, row, err);
        cuts_free(&ct);
        graph_free(g);
        if (rc)
            return rc;
    }
    return 0;
}

int cmd_zoo(const cli_command *self, int argc, char **argv)
{
    table_format format = TABLE_TEXT;
    for (int i = 1; i < argc; i++) {
        int shared = cli_shared_option(self, argc, argv, &i, NULL, &format);
        if (shared == 1)
            continue;
        if (shared)
            return shared;
        if (argv[i][0] == '-' && argv[i][1])
            return cli_unknown_option(self, argv[i]);
        return cli_usage_error(self, "takes no arguments ('%s')", argv[i]);
    }
    char names[8192];
    workload_zoo_names(names, sizeof names);
    ps_error err = {0};
    if (!*names) {
        error_set(&err, PS_ERR_IO, "no models found in the zoo folder %s (set PARTSIM_ZOO?)",
                  workload_zoo_dir());
        return cli_fail(&err);
    }
    table_spec spec;
    if (table_spec_init(&spec, "zoo", &err) ||
        table_spec_add(&spec, ZOO_COLS, ZOO_COLUMNS, &err)) {
        table_spec_free(&spec);
        return cli_fail(&err);
    }
    json_writer w;
    json_init(&w, stdout, 2);
    if (format == TABLE_TEXT)
        printf("zoo: %s\n", workload_zoo_dir());
    if (format == TABLE_JSON) {
        json_object_begin(&w);
        json_key(&w, "zoo"), json_string(&w, workload_zoo_dir());
        json_key(&w, "models");
    }
    table_out *out = table_out_begin(&spec, format, stdout, &w, &err);
    int rc = out ? write_models(names, out, &err) : (int)err.code;
    table_out_end(out, &err);
    if (format == TABLE_JSON)
        json_object_end(&w);
    table_spec_free(&spec);
    return rc ? cli_fail(&err) : CLI_EXIT_OK;
}
