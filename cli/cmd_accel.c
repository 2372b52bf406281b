/* `partsim accel ARCH MODEL`: the per-layer cost table of a model on one
 * accelerator (cycles, latency, the bound that holds, energy and its
 * breakdown), with totals. */
#include <math.h>
#include <stdio.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "accel/accel.h"
#include "accel/cost_table.h"
#include "base/json.h"
#include "base/table.h"
#include "platforms/archfile.h"
#include "platforms/batchfile.h"
#include "platforms/measuredfile.h"
#include "platforms/units.h"
#include "cli/cli.h"
#include "workloads/graph.h"
#include "workloads/sparsity.h"
#include "workloads/workload.h"

typedef struct {
    const char *arch, *model, *sparsity;
    table_format format;
    accel_opts opts;
    /* --batch per layer: a list (one value per conv / FC layer) or a CSV file */
    const char *batch_spec;  /* as given; NULL for --batch N|auto */
    const char *batch_file;
    int64_t *batch_list;
    int n_batch_list;
    double clock_hz; /* 0: the architecture's */
    bool all;        /* also layers with no cost (layout ops) */
} accel_args;

/* "1,2,6,6": whole numbers from 1, comma-separated (blanks around them allowed). */
static int parse_batch_list(const cli_command *self, const char *v, accel_args *a)
{
    size_t values = 1;
    for (const char *c = v; *c; c++)
        values += *c == ',';
    a->batch_list = malloc(sizeof *a->batch_list * values);
    char *copy = strdup(v);
    if (!a->batch_list || !copy) {
        free(copy);
        return cli_usage_error(self, "out of memory");
    }
    int rc = 0;
    for (char *tok = copy, *next; tok && !rc; tok = next) {
        if ((next = strchr(tok, ',')))
            *next++ = '\0';
        while (*tok == ' ' || *tok == '\t')
            tok++;
        for (size_t n = strlen(tok); n && (tok[n - 1] == ' ' || tok[n - 1] == '\t'); n--)
            tok[n - 1] = '\0';
        long n;
        if (!cli_parse_int(tok, LONG_MIN, LONG_MAX, &n))
            rc = cli_usage_error(self, "--batch: value %d of the list '%s' is not a whole "
                                 "number", a->n_batch_list + 1, v);
        else if (n < 1 || n > 1 << 20)
            rc = cli_usage_error(self, "--batch: value %d of the list '%s' is %ld: a batch "
                                 "is a whole number from 1 to %d", a->n_batch_list + 1, v, n,
                                 1 << 20);
        else
            a->batch_list[a->n_batch_list++] = n;
    }
    free(copy);
    return rc;
}

/* --batch N | auto | N1,N2,... | FILE.csv */
static int parse_batch(const cli_command *self, const char *v, accel_args *a)
{
    long n;
    a->batch_spec = NULL, a->batch_file = NULL, a->n_batch_list = 0;
    free(a->batch_list);
    a->batch_list = NULL;
    if (!strcmp(v, "auto")) {
        a->opts.batch = 0;
        return 0;
    }
    if (cli_parse_int(v, 1, 1 << 20, &n)) {
        a->opts.batch = n;
        return 0;
    }
    a->opts.batch = 1; /* the layers a list or file leaves out */
    a->batch_spec = v;
    if (access(v, F_OK) == 0) {
        a->batch_file = v;
        return 0;
    }
    if (strchr(v, ','))
        return parse_batch_list(self, v, a);
    if (cli_parse_int(v, LONG_MIN, LONG_MAX, &n)) /* a number out of range */
        return cli_usage_error(self, "--batch %s: a batch is a whole number from 1 to %d", v,
                               1 << 20);
    /* a word that names no file is a mistyped N or auto, not a missing file */
    return cli_usage_error(self, "--batch takes a whole number from 1, 'auto', a list "
                           "N1,N2,... (one per conv / FC layer) or a CSV file node,batch; "
                           "'%s' is none of them (no such file)", v);
}

static int parse_args(const cli_command *self, int argc, char **argv, accel_args *a)
{
    *a = (accel_args){.format = TABLE_TEXT, .opts = {.batch = 1}, .sparsity = "default"};
    for (int i = 1; i < argc; i++) {
        const char *v = NULL;
        bool missing = false;
        int shared = cli_shared_option(self, argc, argv, &i, &a->opts.bits, &a->format);
        if (shared == 1)
            continue;
        if (shared)
            return shared;
        if (cli_option(argc, argv, &i, "--batch", &v, &missing)) {
            if (missing)
                return cli_usage_error(self, "--batch takes a whole number from 1, 'auto', a "
                                       "list N1,N2,... or a CSV file node,batch");
            int rc = parse_batch(self, v, a);
            if (rc)
                return rc;
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
            return cli_unknown_option(self, argv[i]);
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

static void text_head(const accel_args *a, const accel_arch *arch, const char *path, int bits)
{
    char desc[160];
    describe_arch(arch, desc, sizeof desc);
    printf("accelerator %s (%s, %.4g MHz, %d-bit), model %s (%s)\n", arch->name, desc,
           arch->clock_hz / 1e6, bits, a->model, path);
    char batch[160];
    bool cnnergy = arch->compat == ARCH_COMPAT_CNNERGY;
    if (a->batch_spec)
        snprintf(batch, sizeof batch, "per layer (%.120s)", a->batch_spec);
    else if (a->opts.batch)
        snprintf(batch, sizeof batch, "%lld", (long long)a->opts.batch);
    else
        snprintf(batch, sizeof batch, "auto (%s)",
                 cnnergy ? "CNNergy's first-simulation N" : "NeuPart eq. 11");
    printf("batch %s, sparsity %s%s%s\n", batch, a->sparsity,
           a->opts.search ? ", mapping search: " : "",
           a->opts.search ? rs_search_objective_name(a->opts.objective) : "");
    if (cnnergy)
        printf("compat cnnergy: the CNNergy code's model (conv and FC layers only: pooling, "
               "ReLU, LRN cost 0), latency = MACs / %.4g GMAC/s\n",
               arch->cnnergy.macs_per_s / 1e9);
}

static void text_tail(const accel_args *a, const accel_network *net)
{
    const layer_cost *t = &net->total;
    double fps = t->latency_s > 0 ? 1.0 / t->latency_s : 0;
    printf("total: %.0f MACs, %.0f cycles, %.4f ms per frame (%.2f frames/s), %.3f uJ per frame "
           "(%.1f mW average, %.1f mW chip without DRAM), %.0f DRAM bytes per frame\n",
           t->macs, t->cycles, t->latency_s * 1e3, fps, t->energy_j * 1e6,
           t->latency_s > 0 ? t->energy_j / t->latency_s * 1e3 : 0.0,
           t->latency_s > 0 ? cost_chip_energy_j(t) / t->latency_s * 1e3 : 0.0, t->dram_bytes);
    printf("energy per frame by part (uJ):");
    for (int p = 0; p < PART_COUNT; p++)
        printf(" %s %.3f", cost_part_name(p), t->energy[p] * 1e6);
    printf("\n");
    if (a->opts.search) {
        const layer_cost *rt = &net->rules_total;
        printf("mapping search (%s) vs CNNergy's rules: energy %.3f -> %.3f uJ (%.2f %% less), "
               "latency %.4f -> %.4f ms (%.2f %% less)\n",
               rs_search_objective_name(a->opts.objective), rt->energy_j * 1e6,
               t->energy_j * 1e6,
               rt->energy_j > 0 ? 100 * (rt->energy_j - t->energy_j) / rt->energy_j : 0.0,
               rt->latency_s * 1e3, t->latency_s * 1e3,
               rt->latency_s > 0 ? 100 * (rt->latency_s - t->latency_s) / rt->latency_s : 0.0);
    }
}

static void json_head(json_writer *w, const accel_args *a, const accel_arch *arch,
                      const char *path, int bits)
{
    json_key(w, "arch"), json_string(w, arch->name);
    json_key(w, "kind"), json_string(w, arch_kind_name(arch->kind));
    json_key(w, "clock_hz"), json_number(w, arch->clock_hz);
    json_key(w, "bits"), json_int(w, bits);
    json_key(w, "model"), json_string(w, a->model);
    json_key(w, "source"), json_string(w, path);
    json_key(w, "compat"), json_string(w, arch_compat_name(arch->compat));
    json_key(w, "batch");
    if (a->batch_spec)
        json_string(w, a->batch_spec);
    else if (a->opts.batch)
        json_int(w, a->opts.batch);
    else
        json_string(w, "auto");
    json_key(w, "sparsity"), json_string(w, a->sparsity);
    json_key(w, "search");
    if (a->opts.search)
        json_string(w, rs_search_objective_name(a->opts.objective));
    else
        json_null(w);
}

static int write_layers(const accel_args *a, const graph *g, const accel_network *net,
                        table_out *out, ps_error *err)
{
    table_value v[COST_TABLE_SEARCH_COLUMNS];
    char shape[64];
    for (int k = 0; k < net->n; k++) {
        if (!shown(a, net, k))
            continue;
        cost_table_row(g, net, k, a->opts.search, a->opts.objective, v, shape, sizeof shape);
        if (table_out_row(out, v, err))
            return err->code;
    }
    return 0;
}

static int print_costs(const accel_args *a, const accel_arch *arch, const graph *g,
                       const accel_network *net, const char *path, int bits, ps_error *err)
{
    table_spec spec = {0}, totals = {0};
    int rc = table_spec_init(&spec, "layers", err) ||
             cost_table_add_columns(&spec, g, a->opts.search, err) ||
             table_spec_init(&totals, "totals", err) ||
             cost_table_totals_spec(&totals, a->opts.search, err);
    json_writer w;
    json_init(&w, stdout, 2);
    if (!rc && a->format == TABLE_TEXT)
        text_head(a, arch, path, bits);
    if (!rc && a->format == TABLE_JSON) {
        json_object_begin(&w);
        json_head(&w, a, arch, path, bits);
        json_key(&w, "layers");
    }
    table_out *out = rc ? NULL : table_out_begin(&spec, a->format, stdout, &w, err);
    if (out) {
        rc = write_layers(a, g, net, out, err);
        table_out_end(out, err);
    } else {
        rc = err->code;
    }
    if (!rc && a->format == TABLE_JSON) {
        table_value t[COST_TOTAL_SEARCH_COLUMNS];
        cost_table_totals_row(net, a->opts.search, t);
        json_key(&w, "totals");
        table_json_object(&w, &totals, t);
        json_object_end(&w);
    }
    if (!rc && a->format == TABLE_TEXT)
        text_tail(a, net);
    table_spec_free(&spec);
    table_spec_free(&totals);
    return rc;
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

/* --batch per layer: the list or file resolved to the graph's nodes */
static int load_batches(accel_args *a, const graph *g, int64_t **node_batch, ps_error *err)
{
    *node_batch = NULL;
    if (!a->batch_spec)
        return 0;
    *node_batch = calloc((size_t)g->n_nodes + 1, sizeof **node_batch);
    if (!*node_batch)
        return error_set(err, PS_ERR_NOMEM, "out of memory");
    a->opts.node_batch = *node_batch;
    if (a->batch_file)
        return batchfile_load(g, a->batch_file, *node_batch, err);
    if (accel_batch_from_list(g, a->batch_list, a->n_batch_list, *node_batch, err))
        return error_prefix(err, "--batch %s", a->batch_spec);
    return 0;
}

int cmd_accel(const cli_command *self, int argc, char **argv)
{
    accel_args a;
    int rc = parse_args(self, argc, argv, &a);
    if (rc) {
        free(a.batch_list);
        return rc;
    }
    ps_error err = {0};
    accel_arch arch;
    if (archfile_load(a.arch, &arch, &err)) {
        free(a.batch_list);
        return cli_fail(&err);
    }
    if (a.clock_hz > 0)
        arch.clock_hz = a.clock_hz;
    char path[4096];
    graph *g = NULL;
    sparsity_table sp = {0};
    accel_network net = {0};
    measured_binding *measured = NULL;
    int64_t *node_batch = NULL;
    if (workload_resolve(a.model, path, sizeof path, &err) || !(g = workload_load(path, &err)) ||
        load_sparsity(&a, g, &sp, &err) || load_batches(&a, g, &node_batch, &err) ||
        measuredfile_bind(&arch, g, &measured, &err) ||
        accel_network_cost(&arch, measured, g, &sp, &a.opts, &net, &err)) {
        rc = cli_fail(&err);
    } else {
        int bits = a.opts.bits > 0 ? a.opts.bits : arch.bits;
        rc = print_costs(&a, &arch, g, &net, path, bits, &err) ? cli_fail(&err) : CLI_EXIT_OK;
    }
    accel_network_free(&net);
    sparsity_free(&sp);
    free(node_batch);
    free(a.batch_list);
    measured_binding_free(measured);
    graph_free(g);
    return rc;
}
