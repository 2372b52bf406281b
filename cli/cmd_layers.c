/* `partsim layers MODEL`: the per-layer table of a workload and its
 * partition points, written through the output layer (base/table.h). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/json.h"
#include "base/table.h"
#include "cli/cli.h"
#include "workloads/cuts.h"
#include "workloads/graph.h"
#include "workloads/memory.h"
#include "workloads/shapes.h"
#include "workloads/workload.h"

typedef struct {
    const char *model;
    int bits;
    table_format format;
    bool cuts_only;
    bool memory;
    bool tensors;
} layers_args;

/* Columns of one row per schedule position 1..M (docs/WORKLOADS.md). */
enum {
    COL_INDEX, COL_NAME, COL_OP, COL_OUTPUT_SHAPE, COL_MACS, COL_PARAMS, COL_INPUT_ELEMS,
    COL_OUTPUT_ELEMS, COL_OUTPUT_BYTES, COL_CUT_BYTES, COL_SINGLE, COL_CUT_TENSORS,
    COL_FIXED,
    /* with --memory: the platform before the cut (a) and after it (b) */
    COL_MEM = COL_FIXED, /* + side * MEM_KINDS + kind */
    COL_ALL = COL_MEM + 2 * 4
};
enum { MEM_KRESS, MEM_AUTODICE, MEM_PARAMS, MEM_PEAK, MEM_KINDS };

/* Memory of the two sides of every cut: A runs positions [0, p), B runs [p, M). */
typedef struct {
    memory_estimate side[2];
} cut_memory;

static int parse_args(const cli_command *self, int argc, char **argv, layers_args *a)
{
    *a = (layers_args){.bits = 16, .format = TABLE_TEXT};
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
            return cli_unknown_option(self, argv[i]);
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

static int layers_spec(table_spec *s, const graph *g, bool memory, ps_error *err)
{
    int w_name = 16, w_op = 16;
    for (int k = 0; k < g->n_nodes; k++) {
        int ln = (int)strlen(g->nodes[k].name) + 1, lo = (int)strlen(g->nodes[k].op) + 1;
        w_name = ln > w_name ? ln : w_name;
        w_op = lo > w_op ? lo : w_op;
    }
    const table_column cols[COL_FIXED] = {
        {"index", TABLE_INT, NULL, NULL, 4, 0},
        {"name", TABLE_STR, NULL, NULL, w_name, 0},
        {"op", TABLE_STR, NULL, NULL, w_op, 0},
        {"output_shape", TABLE_STR, NULL, NULL, 64, 0},
        {"macs", TABLE_INT, NULL, NULL, 0, 0},
        {"params", TABLE_INT, NULL, NULL, 0, 0},
        {"input_elems", TABLE_INT, NULL, NULL, 0, TABLE_HIDDEN},
        {"output_elems", TABLE_INT, NULL, NULL, 0, TABLE_HIDDEN},
        {"output_bytes", TABLE_INT, "B", NULL, 0, 0},
        {"cut_bytes", TABLE_INT, "B", NULL, 0, 0},
        {"single_tensor_cut", TABLE_BOOL, NULL, "*|", 0, 0},
        {"cut_tensors", TABLE_STR, NULL, NULL, 4096, TABLE_HIDDEN},
    };
    if (table_spec_init(s, "layers", err) || table_spec_add(s, cols, COL_FIXED, err))
        return err->code;
    static const char *const kind[MEM_KINDS] = {"kress", "autodice", "params", "peak"};
    for (int side = 0; memory && side < 2; side++)
        for (int k = 0; k < MEM_KINDS; k++) {
            table_column c = {NULL, TABLE_INT, "B", NULL, 0,
                              k == MEM_KRESS || k == MEM_PEAK ? 0u : TABLE_HIDDEN};
            if (table_spec_addf(s, c, err, "mem_%c_%s_bytes", side ? 'b' : 'a', kind[k]))
                return err->code;
        }
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
            cm[p].side[0] = memory_estimate_range(g, ct, 0, p - 1, bits);
        if (p < m)
            cm[p].side[1] = memory_estimate_range(g, ct, p, m - 1, bits);
    }
    return cm;
}

/* "a;b;c": the cut-set's tensor names (malloc'ed). */
static char *cut_tensor_names(const graph *g, const cut_point *c)
{
    size_t len = 1;
    for (int k = 0; k < c->n_tensors; k++)
        len += strlen(g->tensors[c->tensors[k]].name) + 1;
    char *s = malloc(len), *w = s;
    if (!s)
        return NULL;
    *w = '\0';
    for (int k = 0; k < c->n_tensors; k++)
        w += sprintf(w, k ? ";%s" : "%s", g->tensors[c->tensors[k]].name);
    return s;
}

static void fill_row(const graph *g, const cut_point *c, const cut_memory *cm, int bits,
                     table_value *v, char *shape, size_t shape_size, char *names)
{
    const graph_node *n = &g->nodes[c->after_node];
    v[COL_INDEX].i = c->position;
    v[COL_NAME].s = n->name;
    v[COL_OP].s = n->op;
    v[COL_OUTPUT_SHAPE].s = graph_shape_str(graph_output(g, n, 0), shape, shape_size);
    v[COL_MACS].i = n->macs;
    v[COL_PARAMS].i = n->params;
    v[COL_INPUT_ELEMS].i = n->in_elems;
    v[COL_OUTPUT_ELEMS].i = n->out_elems;
    v[COL_OUTPUT_BYTES].i = shapes_bytes(n->out_elems, bits);
    v[COL_CUT_BYTES].i = cuts_bytes(c, bits);
    v[COL_SINGLE].i = c->single_tensor_cut;
    v[COL_CUT_TENSORS].s = names;
    for (int side = 0; cm && side < 2; side++) {
        const memory_estimate *m = &cm[c->position].side[side];
        table_value *mv = &v[COL_MEM + side * MEM_KINDS];
        mv[MEM_KRESS].i = m->kress_bytes;
        mv[MEM_AUTODICE].i = m->autodice_bytes;
        mv[MEM_PARAMS].i = m->params_bytes;
        mv[MEM_PEAK].i = m->peak_live_bytes;
    }
}

static int write_rows(const graph *g, const cut_table *ct, const cut_memory *cm,
                      const layers_args *a, table_out *out, ps_error *err)
{
    table_value v[COL_ALL];
    char shape[64];
    for (int p = 1; p <= ct->n_sched; p++) {
        const cut_point *c = &ct->points[p];
        if (a->cuts_only && !c->single_tensor_cut)
            continue;
        char *names = cut_tensor_names(g, c);
        if (!names)
            return error_set(err, PS_ERR_NOMEM, "out of memory");
        fill_row(g, c, cm, a->bits, v, shape, sizeof shape, names);
        int rc = table_out_row(out, v, err);
        free(names);
        if (rc)
            return rc;
    }
    return 0;
}

static void json_shape(json_writer *w, const graph_tensor *t)
{
    json_array_begin(w);
    for (int d = 0; t && d < t->rank; d++)
        json_int(w, t->dims[d]);
    json_array_end(w);
}

static void json_head(json_writer *w, const graph *g, const layers_args *a, const char *path)
{
    json_key(w, "model"), json_string(w, a->model);
    json_key(w, "graph"), json_string(w, g->name);
    json_key(w, "source"), json_string(w, path);
    json_key(w, "opset"), json_int(w, g->opset);
    json_key(w, "bits"), json_int(w, a->bits);
    json_key(w, "inputs");
    json_array_begin(w);
    for (int k = 0; k < g->n_inputs; k++) {
        json_object_begin(w);
        json_key(w, "name"), json_string(w, g->tensors[g->inputs[k]].name);
        json_key(w, "shape"), json_shape(w, &g->tensors[g->inputs[k]]);
        json_object_end(w);
    }
    json_array_end(w);
}

static void json_tail(json_writer *w, const graph *g, const cut_table *ct, const layers_args *a)
{
    int m = ct->n_sched;
    if (a->tensors) {
        json_key(w, "tensors");
        json_array_begin(w);
        for (int t = 0; t < g->n_tensors; t++) {
            const graph_tensor *ten = &g->tensors[t];
            json_object_begin(w);
            json_key(w, "name"), json_string(w, ten->name);
            json_key(w, "elem_type"), json_string(w, graph_dtype_name(ten->elem_type));
            json_key(w, "shape"), json_shape(w, ten);
            json_key(w, "known"), json_bool(w, ten->rank >= 0);
            json_object_end(w);
        }
        json_array_end(w);
    }
    int64_t macs = 0, params = 0;
    for (int s = 0; s < m; s++) {
        macs += g->nodes[ct->sched[s]].macs;
        params += g->nodes[ct->sched[s]].params;
    }
    json_key(w, "placements");
    json_object_begin(w);
    json_key(w, "all_next");
    json_object_begin(w);
    json_key(w, "cut_bytes"), json_int(w, cuts_bytes(&ct->points[0], a->bits));
    json_object_end(w);
    json_key(w, "all_here");
    json_object_begin(w);
    json_key(w, "cut_bytes"), json_int(w, cuts_bytes(&ct->points[m], a->bits));
    json_object_end(w);
    json_object_end(w);
    json_key(w, "totals");
    json_object_begin(w);
    json_key(w, "macs"), json_int(w, macs);
    json_key(w, "params"), json_int(w, params);
    json_key(w, "compute_nodes"), json_int(w, m);
    json_key(w, "nodes"), json_int(w, g->n_nodes);
    json_key(w, "single_tensor_cuts"), json_int(w, cuts_count_single(ct));
    json_object_end(w);
}

static void text_head(const graph *g, const cut_table *ct, const layers_args *a,
                      const char *path)
{
    int m = ct->n_sched;
    printf("model %s (%s), opset %lld, %d nodes of which %d compute, %d-bit\n", a->model, path,
           (long long)g->opset, g->n_nodes, m, a->bits);
    printf("cut at index 0 (everything on the next platform) sends the input, %lld B; "
           "index %d (everything here) the output, %lld B\n",
           (long long)cuts_bytes(&ct->points[0], a->bits), m,
           (long long)cuts_bytes(&ct->points[m], a->bits));
}

static void text_tail(const graph *g, const cut_table *ct)
{
    int64_t macs = 0, params = 0;
    for (int s = 0; s < ct->n_sched; s++) {
        macs += g->nodes[ct->sched[s]].macs;
        params += g->nodes[ct->sched[s]].params;
    }
    printf("total: %lld MACs, %lld parameters, %d compute nodes, %d single-tensor cuts "
           "(marked *)\n",
           (long long)macs, (long long)params, ct->n_sched, cuts_count_single(ct));
}

static int print_layers(const graph *g, const cut_table *ct, const cut_memory *cm,
                        const layers_args *a, const char *path, ps_error *err)
{
    table_spec spec;
    if (layers_spec(&spec, g, cm != NULL, err)) {
        table_spec_free(&spec);
        return err->code;
    }
    json_writer w;
    json_init(&w, stdout, 2);
    if (a->format == TABLE_TEXT)
        text_head(g, ct, a, path);
    if (a->format == TABLE_JSON) {
        json_object_begin(&w);
        json_head(&w, g, a, path);
        json_key(&w, "layers");
    }
    table_out *out = table_out_begin(&spec, a->format, stdout, &w, err);
    int rc = out ? write_rows(g, ct, cm, a, out, err) : (int)err->code;
    if (out && table_out_end(out, err) && !rc)
        rc = err->code;
    if (a->format == TABLE_JSON) {
        json_tail(&w, g, ct, a);
        json_object_end(&w);
    }
    if (a->format == TABLE_TEXT)
        text_tail(g, ct);
    table_spec_free(&spec);
    return rc;
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
    if (a.memory && !cm)
        rc = error_set(&err, PS_ERR_NOMEM, "out of memory");
    else
        rc = print_layers(g, &ct, cm, &a, path, &err);
    free(cm);
    cuts_free(&ct);
    graph_free(g);
    return rc ? cli_fail(&err) : CLI_EXIT_OK;
}
