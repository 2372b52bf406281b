/* `partsim layers MODEL`: the per-layer table of a workload and its
 * partition points. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "cli/report.h"
#include "workloads/cuts.h"
#include "workloads/graph.h"
#include "workloads/memory.h"
#include "workloads/shapes.h"
#include "workloads/workload.h"

typedef struct {
    const char *model;
    int bits;
    report_format format;
    bool cuts_only;
    bool memory;
    bool tensors;
} layers_args;

/* Memory of the two sides of every cut: A runs positions [0, p), B runs [p, M). */
typedef struct {
    memory_estimate a, b;
} cut_memory;

static int parse_args(const cli_command *self, int argc, char **argv, layers_args *a)
{
    *a = (layers_args){.bits = 16, .format = REPORT_TABLE};
    for (int i = 1; i < argc; i++) {
        int shared = cli_shared_option(self, argc, argv, &i, &a->bits, &a->format);
        if (shared == 1)
            continue;
        if (shared)
            return shared;
        if (!strcmp(argv[i], "--cuts-only")) {
            a->cuts_only = true;
        } else if (!strcmp(argv[i], "--memory")) {
            a->memory = true;
        } else if (!strcmp(argv[i], "--tensors")) {
            a->tensors = true;
        } else if (argv[i][0] == '-' && argv[i][1]) {
            return cli_usage_error(self, "unknown option '%s'", argv[i]);
        } else if (!a->model) {
            a->model = argv[i];
        } else {
            return cli_usage_error(self, "one MODEL only ('%s' is extra)", argv[i]);
        }
    }
    if (!a->model)
        return cli_usage_error(self, "MODEL is missing");
    return 0;
}

static cut_memory *memory_per_cut(const graph *g, const cut_table *ct, int bits)
{
    int m = ct->n_sched;
    cut_memory *cm = calloc((size_t)m + 1, sizeof *cm);
    if (!cm)
        return NULL;
    for (int p = 0; p <= m; p++) {
        if (p > 0)
            cm[p].a = memory_estimate_range(g, ct, 0, p - 1, bits);
        if (p < m)
            cm[p].b = memory_estimate_range(g, ct, p, m - 1, bits);
    }
    return cm;
}

static int64_t out_bytes(const graph_node *n, int bits) { return shapes_bytes(n->out_elems, bits); }

static bool row_shown(const layers_args *a, const cut_point *c, int m)
{
    return !a->cuts_only || c->single_tensor_cut || c->position == 0 || c->position == m;
}

static void print_table(const graph *g, const cut_table *ct, const cut_memory *cm,
                        const layers_args *a, const char *path)
{
    int m = ct->n_sched;
    int wname = 8, wop = 4;
    for (int s = 0; s < m; s++) {
        const graph_node *n = &g->nodes[ct->sched[s]];
        int ln = (int)strlen(n->name), lo = (int)strlen(n->op);
        wname = ln > wname ? ln : wname;
        wop = lo > wop ? lo : wop;
    }
    if (wname > 40)
        wname = 40;
    int64_t macs = 0, params = 0;
    for (int s = 0; s < m; s++) {
        macs += g->nodes[ct->sched[s]].macs;
        params += g->nodes[ct->sched[s]].params;
    }
    printf("model %s (%s), opset %lld, %d nodes of which %d compute, %d-bit\n", a->model, path,
           (long long)g->opset, g->n_nodes, m, a->bits);
    printf("%4s  %-*s  %-*s  %-16s %14s %11s %12s %12s %s", "#", wname, "name", wop, "op",
           "output shape", "MACs", "params", "out bytes", "cut bytes", "cut");
    if (cm)
        printf(" %12s %12s %12s %12s", "memA Def.3", "memB Def.3", "memA peak", "memB peak");
    printf("\n");
    for (int p = 0; p <= m; p++) {
        const cut_point *c = &ct->points[p];
        if (!row_shown(a, c, m))
            continue;
        if (p == 0) {
            printf("%4d  %-*s  %-*s  %-16s %14s %11s %12s %12lld %s", 0, wname, "(input)", wop,
                   "-", "-", "-", "-", "-", (long long)cuts_bytes(c, a->bits), "all next");
        } else {
            const graph_node *n = &g->nodes[c->after_node];
            char shape[64];
            graph_shape_str(graph_output(g, n, 0), shape, sizeof shape);
            printf("%4d  %-*.*s  %-*s  %-16s %14lld %11lld %12lld %12lld %s", p, wname, wname,
                   n->name, wop, n->op, shape, (long long)n->macs, (long long)n->params,
                   (long long)out_bytes(n, a->bits), (long long)cuts_bytes(c, a->bits),
                   p == m ? "all here" : c->single_tensor_cut ? "*" : "");
        }
        if (cm)
            printf(" %12lld %12lld %12lld %12lld", (long long)cm[p].a.kress_bytes,
                   (long long)cm[p].b.kress_bytes, (long long)cm[p].a.peak_live_bytes,
                   (long long)cm[p].b.peak_live_bytes);
        printf("\n");
    }
    printf("total: %lld MACs, %lld parameters, %d compute nodes, %d single-tensor cuts\n",
           (long long)macs, (long long)params, m, cuts_count_single(ct));
}

static void print_csv(const graph *g, const cut_table *ct, const cut_memory *cm,
                      const layers_args *a)
{
    printf("index,name,op,output_shape,macs,params,output_bytes,cut_bytes,single_tensor_cut,"
           "cut_tensors");
    if (cm)
        printf(",mem_kress_a,mem_kress_b,mem_autodice_a,mem_autodice_b,mem_peak_a,mem_peak_b");
    printf("\n");
    for (int p = 1; p <= ct->n_sched; p++) {
        const cut_point *c = &ct->points[p];
        if (a->cuts_only && !c->single_tensor_cut)
            continue;
        const graph_node *n = &g->nodes[c->after_node];
        char shape[64];
        graph_shape_str(graph_output(g, n, 0), shape, sizeof shape);
        printf("%d,", p);
        report_csv_field(stdout, n->name);
        printf(",%s,%s,%lld,%lld,%lld,%lld,%s,", n->op, shape, (long long)n->macs,
               (long long)n->params, (long long)out_bytes(n, a->bits),
               (long long)cuts_bytes(c, a->bits), c->single_tensor_cut ? "true" : "false");
        char names[4096];
        size_t used = 0;
        names[0] = '\0';
        for (int k = 0; k < c->n_tensors && used < sizeof names; k++)
            used += (size_t)snprintf(names + used, sizeof names - used, k ? ";%s" : "%s",
                                     g->tensors[c->tensors[k]].name);
        report_csv_field(stdout, names);
        if (cm)
            printf(",%lld,%lld,%lld,%lld,%lld,%lld", (long long)cm[p].a.kress_bytes,
                   (long long)cm[p].b.kress_bytes, (long long)cm[p].a.autodice_bytes,
                   (long long)cm[p].b.autodice_bytes, (long long)cm[p].a.peak_live_bytes,
                   (long long)cm[p].b.peak_live_bytes);
        printf("\n");
    }
}

static void json_shape(const graph_tensor *t)
{
    printf("[");
    for (int d = 0; t && d < t->rank; d++)
        printf(d ? ", %lld" : "%lld", (long long)t->dims[d]);
    printf("]");
}

static void json_memory(const memory_estimate *m)
{
    printf("{\"kress_bytes\": %lld, \"autodice_bytes\": %lld, \"params_bytes\": %lld, "
           "\"peak_live_bytes\": %lld}",
           (long long)m->kress_bytes, (long long)m->autodice_bytes, (long long)m->params_bytes,
           (long long)m->peak_live_bytes);
}

static void print_json(const graph *g, const cut_table *ct, const cut_memory *cm,
                       const layers_args *a, const char *path)
{
    int m = ct->n_sched;
    printf("{\n  \"model\": ");
    report_json_string(stdout, a->model);
    printf(",\n  \"graph\": ");
    report_json_string(stdout, g->name);
    printf(",\n  \"source\": ");
    report_json_string(stdout, path);
    printf(",\n  \"opset\": %lld,\n  \"bits\": %d,\n  \"inputs\": [", (long long)g->opset, a->bits);
    for (int k = 0; k < g->n_inputs; k++) {
        printf(k ? ", {\"name\": " : "{\"name\": ");
        report_json_string(stdout, g->tensors[g->inputs[k]].name);
        printf(", \"shape\": ");
        json_shape(&g->tensors[g->inputs[k]]);
        printf("}");
    }
    printf("],\n  \"layers\": [");
    bool first = true;
    int64_t macs = 0, params = 0;
    for (int p = 1; p <= m; p++) {
        const cut_point *c = &ct->points[p];
        const graph_node *n = &g->nodes[c->after_node];
        macs += n->macs;
        params += n->params;
        if (a->cuts_only && !c->single_tensor_cut)
            continue;
        printf(first ? "\n    {" : ",\n    {");
        first = false;
        printf("\"index\": %d, \"name\": ", p);
        report_json_string(stdout, n->name);
        printf(", \"op\": ");
        report_json_string(stdout, n->op);
        printf(", \"output_shape\": ");
        json_shape(graph_output(g, n, 0));
        printf(", \"outputs\": [");
        for (int k = 0; k < n->n_outputs; k++) {
            const graph_tensor *t = graph_output(g, n, k);
            if (!t)
                continue;
            printf(k ? ", {\"name\": " : "{\"name\": ");
            report_json_string(stdout, t->name);
            printf(", \"shape\": ");
            json_shape(t);
            printf("}");
        }
        printf("], \"macs\": %lld, \"params\": %lld, \"input_elems\": %lld, "
               "\"output_elems\": %lld, \"output_bytes\": %lld, \"cut_bytes\": %lld, "
               "\"single_tensor_cut\": %s, \"cut_tensors\": [",
               (long long)n->macs, (long long)n->params, (long long)n->in_elems,
               (long long)n->out_elems, (long long)out_bytes(n, a->bits),
               (long long)cuts_bytes(c, a->bits), c->single_tensor_cut ? "true" : "false");
        for (int k = 0; k < c->n_tensors; k++) {
            if (k)
                printf(", ");
            report_json_string(stdout, g->tensors[c->tensors[k]].name);
        }
        printf("]");
        if (cm) {
            printf(", \"memory_a\": ");
            json_memory(&cm[p].a);
            printf(", \"memory_b\": ");
            json_memory(&cm[p].b);
        }
        printf("}");
    }
    printf("\n  ],\n");
    if (a->tensors) {
        printf("  \"tensors\": [");
        for (int t = 0; t < g->n_tensors; t++) {
            const graph_tensor *ten = &g->tensors[t];
            printf(t ? ",\n    {\"name\": " : "\n    {\"name\": ");
            report_json_string(stdout, ten->name);
            printf(", \"elem_type\": \"%s\", \"shape\": ", graph_dtype_name(ten->elem_type));
            json_shape(ten);
            printf(", \"known\": %s}", ten->rank >= 0 ? "true" : "false");
        }
        printf("\n  ],\n");
    }
    printf("  \"placements\": {\"all_next\": {\"cut_bytes\": %lld}, "
           "\"all_here\": {\"cut_bytes\": %lld}},\n",
           (long long)cuts_bytes(&ct->points[0], a->bits),
           (long long)cuts_bytes(&ct->points[m], a->bits));
    printf("  \"totals\": {\"macs\": %lld, \"params\": %lld, \"compute_nodes\": %d, "
           "\"nodes\": %d, \"single_tensor_cuts\": %d}\n}\n",
           (long long)macs, (long long)params, m, g->n_nodes, cuts_count_single(ct));
}

int cmd_layers(const cli_command *self, int argc, char **argv)
{
    layers_args a;
    int rc = parse_args(self, argc, argv, &a);
    if (rc)
        return rc;
    ps_error err = {0};
    char path[4096];
    if (workload_resolve(a.model, path, sizeof path, &err))
        return cli_fail(&err);
    graph *g = workload_load(path, &err);
    if (!g)
        return cli_fail(&err);
    cut_table ct;
    if (cuts_compute(g, &ct, &err)) {
        graph_free(g);
        return cli_fail(&err);
    }
    cut_memory *cm = a.memory ? memory_per_cut(g, &ct, a.bits) : NULL;
    if (a.memory && !cm) {
        error_set(&err, PS_ERR_NOMEM, "out of memory");
        cuts_free(&ct);
        graph_free(g);
        return cli_fail(&err);
    }
    switch (a.format) {
    case REPORT_TABLE: print_table(g, &ct, cm, &a, path); break;
    case REPORT_CSV: print_csv(g, &ct, cm, &a); break;
    case REPORT_JSON: print_json(g, &ct, cm, &a, path); break;
    }
    free(cm);
    cuts_free(&ct);
    graph_free(g);
    return CLI_EXIT_OK;
}
