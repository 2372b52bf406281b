/* Sparsity files (workloads/sparsity.h) read with base/csv: quoted tensor
 * names holding commas, column order and notes, values flowing on through
 * data-movement ops, and the messages of bad files (file:line:column). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "tests/harness.h"
#include "tests/workloads/onnx_builder.h"
#include "workloads/sparsity.h"

static char tmp_path[64];

static void remove_fixture(void)
{
    if (tmp_path[0])
        unlink(tmp_path);
}

/* Write `text` to one temporary file (replaced by each call); returns its path. */
static const char *write_csv(const char *text)
{
    if (!tmp_path[0]) {
        snprintf(tmp_path, sizeof tmp_path, "/tmp/partsim-sparsity-XXXXXX");
        int fd = mkstemp(tmp_path);
        if (fd < 0) {
            perror("mkstemp");
            abort();
        }
        close(fd);
        atexit(remove_fixture);
    }
    FILE *f = fopen(tmp_path, "wb");
    if (!f || fputs(text, f) < 0 || fclose(f)) {
        perror(tmp_path);
        abort();
    }
    return tmp_path;
}

/* x -> Conv "conv" -> "act,0" -> Relu -> "relu,out" -> MaxPool -> "pooled" */
static graph *comma_model(void)
{
    ps_error err = {0};
    onnx_builder *b = ob_new(13);
    ob_input(b, "x", GRAPH_DT_FLOAT, OB_INTS(1, 3, 8, 8));
    ob_weight(b, "w", OB_INTS(4, 3, 1, 1));
    ob_node(b, "Conv", "conv", "x,w", "|act,0"); /* '|': the names hold commas */
    ob_node(b, "Relu", "relu", "|act,0", "|relu,out");
    ob_node(b, "MaxPool", "pool", "|relu,out", "pooled");
    ob_attr_ints(b, "kernel_shape", OB_INTS(2, 2));
    ob_output(b, "pooled");
    graph *g = ob_load(b, &err);
    ob_free(b);
    if (!g) {
        fprintf(stderr, "comma_model: %s\n", err.msg);
        abort();
    }
    return g;
}

/* Load `text` over the defaults; the status, with err filled. */
static int load(const graph *g, const char *text, sparsity_table *t, ps_error *err)
{
    int rc = sparsity_defaults(g, t, err);
    return rc ? rc : sparsity_load_csv(g, write_csv(text), t, err);
}

TEST(test_a_quoted_tensor_name_may_hold_a_comma)
{
    graph *g = comma_model();
    sparsity_table t = {0};
    ps_error err = {0};
    int rc = load(g, "\xEF\xBB\xBFtensor,sparsity\r\n# measured\r\n\"relu,out\",0.75\r\n"
                     "\"act,0\", 0.25\r\n", &t, &err);
    if (rc)
        fprintf(stderr, "%s\n", err.msg);
    CHECK_INT(rc, 0);
    CHECK_NEAR(sparsity_of(&t, graph_find(g, "relu,out")), 0.75, 1e-15);
    CHECK_NEAR(sparsity_of(&t, graph_find(g, "act,0")), 0.25, 1e-15);
    /* the given value flows on through the MaxPool */
    CHECK_NEAR(sparsity_of(&t, graph_find(g, "pooled")), 0.75, 1e-15);
    sparsity_free(&t);
    graph_free(g);
}

TEST(test_columns_in_any_order_with_notes)
{
    graph *g = comma_model();
    sparsity_table t = {0};
    ps_error err = {0};
    CHECK_INT(load(g, "sparsity,note,tensor\n0.5,from eyeriss,pooled\n", &t, &err), 0);
    CHECK_NEAR(sparsity_of(&t, graph_find(g, "pooled")), 0.5, 1e-15);
    CHECK_NEAR(sparsity_of(&t, graph_find(g, "relu,out")), 0.5, 1e-15); /* the default */
    sparsity_free(&t);
    graph_free(g);
}

/* Loading `text` fails with each fragment in the message. */
static void expect_error(const graph *g, const char *text, const char *const *fragments)
{
    sparsity_table t = {0};
    ps_error err = {0};
    CHECK_INT(load(g, text, &t, &err), PS_ERR_INPUT);
    for (; *fragments; fragments++)
        CHECK_STR_CONTAINS(err.msg, *fragments);
    sparsity_free(&t);
}

#define EXPECT_ERROR(g, text, ...) expect_error(g, text, (const char *const[]){__VA_ARGS__, NULL})

TEST(test_bad_files_name_file_line_and_column)
{
    graph *g = comma_model();
    EXPECT_ERROR(g, "tensor,sparsity\nrelu,out,0.5\n",
                 ":2: expected 2 columns as in the header, got 3", "must be quoted");
    EXPECT_ERROR(g, "tensor,sparsity\n\"relu,ot\",0.5\n",
                 ":2:1: tensor 'relu,ot' is not in the model test.onnx; did you mean 'relu,out'?");
    EXPECT_ERROR(g, "tensor,sparsity\npooled,1.5\n",
                 ":2:8: sparsity of 'pooled' must be a number from 0 to 1");
    EXPECT_ERROR(g, "tensor,sparsity\npooled,half\n",
                 ":2:8: sparsity: expected a fraction of zeros from 0 to 1, got 'half'");
    EXPECT_ERROR(g, "tensor,sparsty\n", ":1:8: unknown column 'sparsty' (did you mean 'sparsity'?)");
    EXPECT_ERROR(g, "", ": empty; expected the header 'tensor,sparsity'");
    graph_free(g);
}

TEST_MAIN(T(test_a_quoted_tensor_name_may_hold_a_comma), T(test_columns_in_any_order_with_notes),
          T(test_bad_files_name_file_line_and_column))
