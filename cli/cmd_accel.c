/* `partsim accel ARCH MODEL`: the per-layer cost table of a model on one
 * accelerator (cycles, latency, the bound that holds, energy and its
 * breakdown), with totals. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "accel/accel.h"
#include "platforms/archfile.h"
#include "platforms/units.h"
#include "cli/cli.h"
#include "cli/report.h"
#include "workloads/graph.h"
#include "workloads/sparsity.h"
#include "workloads/workload.h"

typedef struct {
    const char *arch, *model, *sparsity;
    report_format format;
    accel_opts opts;
    double clock_hz; /* 0: the architecture's */
    bool all;        /* also layers with no cost (layout ops) */
} accel_args;

static int parse_args(const cli_command *self, int argc, char **argv, accel_args *a)
{
    *a = (accel_args){.format = REPORT_TABLE, .opts = {.batch = 1}, .sparsity = "default"};
    for (int i = 1; i < argc; i++) {
        const char *v = NULL;
        bool missing = false;
        int shared = cli_shared_option(self, argc, argv, &i, &a->opts.bits, &a->format);
        if (shared == 1)
            continue;
        if (shared)
            return shared;
        if (cli_option(argc, argv, &i, "--batch", &v, &missing)) {
            long n;
            if (!missing && !strcmp(v, "auto"))
                a->opts.batch = 0;
            else if (missing || !cli_parse_int(v, 1, 1 << 20, &n))
                return cli_usage_error(self, "--batch takes a whole number from 1 or 'auto'");
            else
                a->opts.batch = n;
        } else if (cli_option(argc, argv, &i, "--clock", &v, &missing)) {
            char why[256];
            if (missing || units_parse(v, UNIT_HZ, &a->clock_hz, why, sizeof why) ||
                !(a->clock_hz > 0))
                return cli_usage_error(self, "--clock takes %s", units_expected(UNIT_HZ));
        } else if (cli_option(argc, argv, &i, "--sparsity", &v, &missing)) {
            if (missing)
                return cli_usage_error(self, "--sparsity takes a CSV file, 'default' or 'none'");
            a->sparsity = v;
        } else if (cli_option(argc, argv, &i, "--search", &v, &missing)) {
            if (missing || rs_search_parse_objective(v, &a->opts.objective))
                return cli_usage_error(self, "--search takes energy, latency or edp");
            a->opts.search = true;
        } else if (!strcmp(argv[i], "--all")) {
            a->all = true;
        } else if (argv[i][0] == '-' && argv[i][1]) {
            return cli_usage_error(self, "unknown option '%s'", argv[i]);
        } else if (!a->arch) {
            a->arch = argv[i];
        } else if (!a->model) {
            a->model = argv[i];
        } else {
            return cli_usage_error(self, "ARCH and MODEL only ('%s' is extra)", argv[i]);
        }
    }
    if (!a->arch || !a->model)
        return cli_usage_error(self, "%s is missing", a->arch ? "MODEL" : "ARCH");
    return 0;
}

/* A layer is listed when it costs something (or with --all). */
static bool shown(const accel_args *a, const accel_network *net, int k)
{
    return a->all || net->results[k].cost.cycles > 0 || net->results[k].cost.energy_j > 0;
}

static const char *output_shape(const graph *g, const accel_layer *l, char *buf, size_t size)
{
    return graph_shape_str(graph_output(g, &g->nodes[l->node], 0), buf, size);
}

static void describe_arch(const accel_arch *a, char *buf, size_t size)
{
    switch (a->kind) {
    case ARCH_ROW_STATIONARY:
        snprintf(buf, size, "row-stationary, %dx%d PEs", a->u.rs.rows, a->u.rs.cols);
        break;
    case ARCH_WEIGHT_STATIONARY:
        snprintf(buf, size, "weight-stationary, %d PEs x %d lanes x %d", a->u.ws.pes,
                 a->u.ws.lanes, a->u.ws.vector_width);
        break;
    case ARCH_ROOFLINE:
        snprintf(buf, size, "roofline, %.3g TMAC/s x %.2f", a->u.roof.peak_macs_per_s / 1e12,
                 a->u.roof.efficiency);
        break;
    case ARCH_MEASURED:
        snprintf(buf, size, "measured, %s", a->u.meas.profile_path);
        break;
    }
}

/* Chip power excludes DRAM (as Eyeriss reports it). */
static double chip_energy(const layer_cost *c) { return c->energy_j - c->energy[PART_DRAM]; }

static void print_table(const accel_args *a, const accel_arch *arch, const graph *g,
                        const accel_network *net, const char *path, int bits)
{
    char desc[160];
    describe_arch(arch, desc, sizeof desc);
    printf("accelerator %s (%s, %.4g MHz, %d-bit), model %s (%s)\n", arch->name, desc,
           arch->clock_hz / 1e6, bits, a->model, path);
    char batch[32];
    if (a->opts.batch)
        snprintf(batch, sizeof batch, "%lld", (long long)a->opts.batch);
    else
        snprintf(batch, sizeof batch, "auto (NeuPart eq. 11)");
    printf("batch %s, sparsity %s%s%s\n", batch, a->sparsity,
           a->opts.search ? ", mapping search: " : "",
           a->opts.search ? rs_search_objective_name(a->opts.objective) : "");
    int wname = 5;
    for (int k = 0; k < net->n; k++)
        if (shown(a, net, k) && (int)strlen(net->layers[k].name) > wname)
            wname = (int)strlen(net->layers[k].name);
    if (wname > 32)
        wname = 32;
    printf("%4s  %-*s %-17s %-15s %12s %-42s %11s %9s %-7s %5s %10s", "#", wname, "layer", "op",
           "output", "MACs", "mapping", "cycles", "ms", "bound", "util", "energy uJ");
    for (int p = 0; p < PART_COUNT; p++)
        printf(" %8s", cost_part_name(p));
    if (a->opts.search)
        printf(" %8s", "gain %");
    printf("\n");
    for (int k = 0; k < net->n; k++) {
        if (!shown(a, net, k))
            continue;
        const accel_layer *l = &net->layers[k];
        const accel_result *r = &net->results[k];
        const layer_cost *c = &r->cost;
        char shape[48];
        printf("%4d  %-*.*s %-17.17s %-15.15s %12.0f %-42.42s %11.0f %9.4f %-7s %5.2f %10.3f",
               k + 1, wname, wname, l->name, l->op, output_shape(g, l, shape, sizeof shape),
               c->macs, r->mapping[0] ? r->mapping : "-", c->cycles, c->latency_s * 1e3,
               cost_bound_name(c->bound), c->utilization, c->energy_j * 1e6);
        for (int p = 0; p < PART_COUNT; p++)
            printf(" %8.3f", c->energy[p] * 1e6);
        if (a->opts.search) {
            double before = r->searched ? r->rules.energy_j : c->energy_j;
            if (a->opts.objective == RS_SEARCH_LATENCY)
                before = r->searched ? r->rules.latency_s : c->latency_s;
            double after = a->opts.objective == RS_SEARCH_LATENCY ? c->latency_s : c->energy_j;
            if (a->opts.objective == RS_SEARCH_EDP && r->searched) {
                before = r->rules.energy_j * r->rules.latency_s;
                after = c->energy_j * c->latency_s;
            }
            printf(" %8.2f", before > 0 ? 100.0 * (before - after) / before : 0.0);
        }
        printf("\n");
    }
    const layer_cost *t = &net->total;
    double fps = t->latency_s > 0 ? 1.0 / t->latency_s : 0;
    printf("total: %.0f MACs, %.0f cycles, %.4f ms per frame (%.2f frames/s), %.3f uJ per frame "
           "(%.1f mW average, %.1f mW chip without DRAM), %.0f DRAM bytes per frame\n",
           t->macs, t->cycles, t->latency_s * 1e3, fps, t->energy_j * 1e6,
           t->latency_s > 0 ? t->energy_j / t->latency_s * 1e3 : 0.0,
           t->latency_s > 0 ? chip_energy(t) / t->latency_s * 1e3 : 0.0, t->dram_bytes);
    printf("energy per frame by part (uJ):");
    for (int p = 0; p < PART_COUNT; p++)
        printf(" %s %.3f", cost_part_name(p), t->energy[p] * 1e6);
    printf("\n");
    if (a->opts.search) {
        const layer_cost *rt = &net->rules_total;
        printf("mapping search (%s) vs CNNergy's rules: energy %.3f -> %.3f uJ (%.2f %% less), "
               "latency %.4f -> %.4f ms (%.2f %% less)\n",
               rs_search_objective_name(a->opts.objective), rt->energy_j * 1e6, t->energy_j * 1e6,
               rt->energy_j > 0 ? 100 * (rt->energy_j - t->energy_j) / rt->energy_j : 0.0,
               rt->latency_s * 1e3, t->latency_s * 1e3,
               rt->latency_s > 0 ? 100 * (rt->latency_s - t->latency_s) / rt->latency_s : 0.0);
    }
}

static void print_csv(const accel_args *a, const graph *g, const accel_network *net)
{
    printf("index,node,op,kind,output_shape,macs,mapping,batch,cycles,compute_cycles,dram_cycles,"
           "latency_s,bound,utilization,energy_j,dram_bytes");
    for (int p = 0; p < PART_COUNT; p++)
        printf(",energy_%s_j", cost_part_name(p));
    for (int l = 0; l < MEM_LEVELS; l++)
        for (int d = 0; d < DATA_TYPES; d++)
            printf(",acc_%s_%s", arch_mem_level_name((mem_level)l), cost_data_name((data_type)d));
    if (a->opts.search)
        printf(",rules_energy_j,rules_latency_s,mappings_evaluated");
    printf("\n");
    for (int k = 0; k < net->n; k++) {
        if (!shown(a, net, k))
            continue;
        const accel_layer *l = &net->layers[k];
        const accel_result *r = &net->results[k];
        const layer_cost *c = &r->cost;
        char shape[64];
        printf("%d,", k + 1);
        report_csv_field(stdout, l->name);
        printf(",%s,%s,%s,%.0f,", l->op, layer_kind_name(l->kind),
               output_shape(g, l, shape, sizeof shape), c->macs);
        report_csv_field(stdout, r->mapping);
        printf(",%lld,%.17g,%.17g,%.17g,%.17g,%s,%.17g,%.17g,%.17g", (long long)r->batch,
               c->cycles, c->compute_cycles, c->dram_cycles, c->latency_s,
               cost_bound_name(c->bound), c->utilization, c->energy_j, c->dram_bytes);
        for (int p = 0; p < PART_COUNT; p++)
            printf(",%.17g", c->energy[p]);
        for (int lv = 0; lv < MEM_LEVELS; lv++)
            for (int d = 0; d < DATA_TYPES; d++)
                printf(",%.17g", c->accesses[lv][d]);
        if (a->opts.search) {
            const layer_cost *rc = r->searched ? &r->rules : c;
            printf(",%.17g,%.17g,%ld", rc->energy_j, rc->latency_s, r->mappings_evaluated);
        }
        printf("\n");
    }
}

static void json_cost(const layer_cost *c)
{
    printf("\"macs\": %.17g, \"cycles\": %.17g, \"compute_cycles\": %.17g, \"dram_cycles\": "
           "%.17g, \"latency_s\": %.17g, \"bound\": \"%s\", \"utilization\": %.17g, "
           "\"energy_j\": %.17g, \"dram_bytes\": %.17g",
           c->macs, c->cycles, c->compute_cycles, c->dram_cycles, c->latency_s,
           cost_bound_name(c->bound), c->utilization, c->energy_j, c->dram_bytes);
    for (int p = 0; p < PART_COUNT; p++)
        printf(", \"energy_%s_j\": %.17g", cost_part_name(p), c->energy[p]);
    printf(", \"accesses\": {");
    for (int l = 0; l < MEM_LEVELS; l++) {
        printf(l ? ", \"%s\": {" : "\"%s\": {", arch_mem_level_name((mem_level)l));
        for (int d = 0; d < DATA_TYPES; d++)
            printf(d ? ", \"%s\": %.17g" : "\"%s\": %.17g", cost_data_name((data_type)d),
                   c->accesses[l][d]);
        printf("}");
    }
    printf("}");
}

static void print_json(const accel_args *a, const accel_arch *arch, const graph *g,
                       const accel_network *net, const char *path, int bits)
{
    printf("{\n  \"arch\": ");
    report_json_string(stdout, arch->name);
    printf(", \"kind\": \"%s\", \"clock_hz\": %.17g, \"bits\": %d,\n  \"model\": ",
           arch_kind_name(arch->kind), arch->clock_hz, bits);
    report_json_string(stdout, a->model);
    printf(", \"source\": ");
    report_json_string(stdout, path);
    printf(", \"batch\": ");
    if (a->opts.batch)
        printf("%lld", (long long)a->opts.batch);
    else
        printf("\"auto\"");
    printf(", \"sparsity\": ");
    report_json_string(stdout, a->sparsity);
    printf(", \"search\": ");
    if (a->opts.search)
        printf("\"%s\"", rs_search_objective_name(a->opts.objective));
    else
        printf("null");
    printf(",\n  \"layers\": [");
    bool first = true;
    for (int k = 0; k < net->n; k++) {
        if (!shown(a, net, k))
            continue;
        const accel_layer *l = &net->layers[k];
        const accel_result *r = &net->results[k];
        char shape[64];
        printf(first ? "\n    {" : ",\n    {");
        first = false;
        printf("\"index\": %d, \"node\": ", k + 1);
        report_json_string(stdout, l->name);
        printf(", \"op\": ");
        report_json_string(stdout, l->op);
        printf(", \"kind\": \"%s\", \"output_shape\": \"%s\", \"mapping\": ",
               layer_kind_name(l->kind), output_shape(g, l, shape, sizeof shape));
        report_json_string(stdout, r->mapping);
        printf(", \"batch\": %lld, ", (long long)r->batch);
        json_cost(&r->cost);
        if (r->searched) {
            printf(", \"rules\": {");
            json_cost(&r->rules);
            printf("}, \"mappings_evaluated\": %ld", r->mappings_evaluated);
        }
        printf("}");
    }
    const layer_cost *t = &net->total;
    printf("\n  ],\n  \"totals\": {");
    json_cost(t);
    printf(", \"frames_per_s\": %.17g, \"power_w\": %.17g, \"chip_power_w\": %.17g",
           t->latency_s > 0 ? 1.0 / t->latency_s : 0.0,
           t->latency_s > 0 ? t->energy_j / t->latency_s : 0.0,
           t->latency_s > 0 ? chip_energy(t) / t->latency_s : 0.0);
    if (a->opts.search) {
        printf(", \"rules\": {");
        json_cost(&net->rules_total);
        printf("}");
    }
    printf("}\n}\n");
}

static int load_sparsity(const accel_args *a, const graph *g, sparsity_table *sp, ps_error *err)
{
    memset(sp, 0, sizeof *sp);
    if (!strcmp(a->sparsity, "none"))
        return 0;
    if (sparsity_defaults(g, sp, err))
        return err->code;
    if (!strcmp(a->sparsity, "default"))
        return 0;
    return sparsity_load_csv(g, a->sparsity, sp, err);
}

int cmd_accel(const cli_command *self, int argc, char **argv)
{
    accel_args a;
    int rc = parse_args(self, argc, argv, &a);
    if (rc)
        return rc;
    ps_error err = {0};
    accel_arch arch;
    if (archfile_load(a.arch, &arch, &err))
        return cli_fail(&err);
    if (a.clock_hz > 0)
        arch.clock_hz = a.clock_hz;
    char path[4096];
    graph *g = NULL;
    sparsity_table sp = {0};
    accel_network net = {0};
    if (workload_resolve(a.model, path, sizeof path, &err) || !(g = workload_load(path, &err)) ||
        load_sparsity(&a, g, &sp, &err) || accel_bind_graph(&arch, g, &err) ||
        accel_network_cost(&arch, g, &sp, &a.opts, &net, &err)) {
        rc = cli_fail(&err);
    } else {
        int bits = a.opts.bits > 0 ? a.opts.bits : arch.bits;
        switch (a.format) {
        case REPORT_TABLE: print_table(&a, &arch, g, &net, path, bits); break;
        case REPORT_CSV: print_csv(&a, g, &net); break;
        case REPORT_JSON: print_json(&a, &arch, g, &net, path, bits); break;
        }
        rc = CLI_EXIT_OK;
    }
    accel_network_free(&net);
    sparsity_free(&sp);
    graph_free(g);
    arch_release(&arch);
    return rc;
}
