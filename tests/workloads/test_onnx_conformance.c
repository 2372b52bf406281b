/* Conformance of the importer and shape inference with ONNX's own backend
 * test models (Debian package libonnx-testdata): for every model whose ops
 * are all supported, the inferred shape of each graph output must equal
 * the dims of the expected output in test_data_set_0/output_K.pb.
 *
 * Inputs of the test data set are bound as known values when they are small
 * (that is how shape-determining inputs such as Reshape's shape or Resize's
 * sizes reach shape inference in single-node tests). */
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "tests/harness.h"
#include "workloads/graph.h"
#include "workloads/onnx_import.h"
#include "workloads/shapes.h"

#define TESTDATA "/usr/share/libonnx-testdata/data"

typedef struct {
    int models, checked, matched, skipped_ops, skipped_other;
} tally;

static bool file_exists(const char *p)
{
    struct stat st;
    return stat(p, &st) == 0;
}

/* Returns 1 matched, 0 mismatched, -1 skipped (unsupported op or input). */
static int check_model(const char *dir, char *why, size_t why_size)
{
    char path[1024];
    snprintf(path, sizeof path, "%s/model.onnx", dir);
    ps_error err = {0};
    graph *g = onnx_import_file(path, &err);
    if (!g) {
        snprintf(why, why_size, "%s", err.msg);
        return err.code == PS_ERR_UNSUPPORTED ? -1 : 0;
    }
    for (int i = 0; i < g->n_nodes; i++)
        if (!shapes_op_supported(g->nodes[i].domain, g->nodes[i].op)) {
            snprintf(why, why_size, "op %s", g->nodes[i].op);
            graph_free(g);
            return -1;
        }
    /* Bind the inputs' values (and the exact input shapes of the data set). */
    for (int k = 0; k < g->n_inputs; k++) {
        snprintf(path, sizeof path, "%s/test_data_set_0/input_%d.pb", dir, k);
        if (!file_exists(path))
            continue;
        graph_tensor *t = &g->tensors[g->inputs[k]];
        int32_t et;
        int rank;
        int64_t dims[GRAPH_MAX_RANK];
        graph_value *v;
        if (onnx_import_tensor_file(path, g, &et, &rank, dims, &v, &err)) {
            snprintf(why, why_size, "input %d: %s", k, err.msg);
            graph_free(g);
            return -1; /* sequence / optional inputs are not TensorProtos */
        }
        t->rank = rank;
        memcpy(t->dims, dims, sizeof dims);
        if (v && v->n <= 64)
            t->value = v;
    }
    if (shapes_infer(g, &err)) {
        snprintf(why, why_size, "%s", err.msg);
        graph_free(g);
        return 0;
    }
    int ok = 1;
    for (int k = 0; k < g->n_outputs && ok; k++) {
        snprintf(path, sizeof path, "%s/test_data_set_0/output_%d.pb", dir, k);
        if (!file_exists(path))
            continue;
        const graph_tensor *t = &g->tensors[g->outputs[k]];
        int32_t et;
        int rank;
        int64_t dims[GRAPH_MAX_RANK];
        graph_value *v;
        if (onnx_import_tensor_file(path, g, &et, &rank, dims, &v, &err)) {
            snprintf(why, why_size, "output %d: %s", k, err.msg);
            ok = -1;
            break;
        }
        char got[128], want[128];
        graph_tensor expect = {.rank = rank};
        memcpy(expect.dims, dims, sizeof dims);
        if (t->rank != rank || memcmp(t->dims, dims, sizeof(int64_t) * (size_t)rank) != 0) {
            snprintf(why, why_size, "output '%s': inferred %s, expected %s", t->name,
                     graph_shape_str(t, got, sizeof got),
                     graph_shape_str(&expect, want, sizeof want));
            ok = 0;
        }
    }
    graph_free(g);
    return ok;
}

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

static void run_suite(const char *suite, tally *t, bool verbose)
{
    char root[512];
    snprintf(root, sizeof root, "%s/%s", TESTDATA, suite);
    DIR *d = opendir(root);
    if (!d)
        return;
    char **names = NULL;
    int n = 0, cap = 0;
    struct dirent *e;
    while ((e = readdir(d))) {
        if (e->d_name[0] == '.')
            continue;
        if (n == cap) {
            cap = cap ? cap * 2 : 256;
            names = realloc(names, sizeof *names * (size_t)cap);
        }
        names[n++] = strdup(e->d_name);
    }
    closedir(d);
    qsort(names, (size_t)n, sizeof *names, cmp_str);
    for (int i = 0; i < n; i++) {
        char dir[1024], model[1100], why[PS_ERROR_MSG_MAX + 64] = "";
        snprintf(dir, sizeof dir, "%s/%s", root, names[i]);
        snprintf(model, sizeof model, "%s/model.onnx", dir);
        if (file_exists(model)) {
            t->models++;
            int r = check_model(dir, why, sizeof why);
            if (r < 0) {
                if (!strncmp(why, "op ", 3))
                    t->skipped_ops++;
                else
                    t->skipped_other++;
                if (verbose)
                    printf("skip %s/%s: %s\n", suite, names[i], why);
            } else {
                t->checked++;
                t->matched += r;
                if (!r) {
                    fprintf(stderr, "MISMATCH %s/%s: %s\n", suite, names[i], why);
                    harness_failed_checks++;
                } else if (verbose) {
                    printf("ok   %s/%s\n", suite, names[i]);
                }
            }
        }
        free(names[i]);
    }
    free(names);
}

TEST(test_backend_models_output_shapes_match_expected)
{
    if (!file_exists(TESTDATA)) {
        fprintf(stderr, "%s is missing: install libonnx-testdata (scripts/install-deps.sh)\n",
                TESTDATA);
        harness_failed_checks++;
        return;
    }
    const char *suites[] = {"node", "pytorch-converted", "pytorch-operator", "simple"};
    bool verbose = getenv("CONFORMANCE_VERBOSE") != NULL;
    tally all = {0};
    for (size_t s = 0; s < sizeof suites / sizeof suites[0]; s++) {
        tally t = {0};
        run_suite(suites[s], &t, verbose);
        printf("%-18s %4d models: %4d checked, %4d matched, %4d skipped (unsupported op), "
               "%3d skipped (other)\n", suites[s], t.models, t.checked, t.matched,
               t.skipped_ops, t.skipped_other);
        all.models += t.models;
        all.checked += t.checked;
        all.matched += t.matched;
        all.skipped_ops += t.skipped_ops;
        all.skipped_other += t.skipped_other;
    }
    printf("%-18s %4d models: %4d checked, %4d matched, %4d skipped (unsupported op), "
           "%3d skipped (other)\n", "all", all.models, all.checked, all.matched,
           all.skipped_ops, all.skipped_other);
    CHECK_INT(all.matched, all.checked);
    CHECK(all.checked > 300); /* the suite must not silently shrink */
}

TEST_MAIN(T(test_backend_models_output_shapes_match_expected))
