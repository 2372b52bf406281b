#include "tests/accel/zoo_layers.h"

#include <stdio.h>
#include <string.h>

#include "workloads/sparsity.h"
#include "workloads/workload.h"

int zoo_model_layers(const char *model, zoo_layer_fn fn, void *ctx)
{
    ps_error err = {0};
    graph *g = workload_load(model, &err);
    if (!g) {
        fprintf(stderr, "zoo model %s: %s\n", model, err.msg);
        return err.code ? (int)err.code : PS_ERR_IO;
    }
    sparsity_table sp = {0};
    int rc = sparsity_defaults(g, &sp, &err);
    for (int i = 0; !rc && i < g->n_nodes; i++) {
        accel_layer l;
        rc = layer_from_node(g, g->order[i], &sp, &l, &err);
        if (!rc)
            fn(model, &l, ctx);
    }
    if (rc)
        fprintf(stderr, "zoo model %s: %s\n", model, err.msg);
    sparsity_free(&sp);
    graph_free(g);
    return rc;
}

int zoo_for_each_layer(zoo_layer_fn fn, void *ctx)
{
    char names[4096];
    workload_zoo_names(names, sizeof names);
    int models = 0;
    for (char *name = strtok(names, ", "); name; name = strtok(NULL, ", "))
        if (!zoo_model_layers(name, fn, ctx))
            models++;
    return models;
}
