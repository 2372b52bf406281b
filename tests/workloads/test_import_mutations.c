/* Hostile input: the importer and shape inference must never crash, whatever
 * bytes they are given.  Starting from real zoo models, a fixed-seed
 * generator flips bytes, truncates, duplicates and splices; every result
 * must be either a valid graph or an error with a message naming the file. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tests/harness.h"
#include "workloads/onnx_import.h"
#include "workloads/shapes.h"
#include "workloads/workload.h"

static uint64_t rng_state = 0x9E3779B97F4A7C15ull;

static uint64_t rng(void)
{
    /* xorshift64* */
    rng_state ^= rng_state >> 12;
    rng_state ^= rng_state << 25;
    rng_state ^= rng_state >> 27;
    return rng_state * 0x2545F4914F6CDD1Dull;
}

static unsigned char *read_all(const char *path, size_t *n)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return NULL;
    fseek(f, 0, SEEK_END);
    long len = ftell(f);
    fseek(f, 0, SEEK_SET);
    unsigned char *buf = malloc((size_t)len + 1);
    if (buf && fread(buf, 1, (size_t)len, f) != (size_t)len) {
        free(buf);
        buf = NULL;
    }
    fclose(f);
    *n = (size_t)len;
    return buf;
}

/* Import + infer; returns 1 if a graph came out, 0 for a proper error. */
static int try_bytes(const unsigned char *buf, size_t n, int *bad_messages)
{
    ps_error err = {0};
    graph *g = onnx_import_buffer(buf, n, "mutant.onnx", &err);
    if (g && shapes_infer(g, &err) == 0) {
        graph_free(g);
        return 1;
    }
    graph_free(g);
    if (err.code == PS_OK || !strstr(err.msg, "mutant.onnx"))
        (*bad_messages)++;
    return 0;
}

static void mutate_model(const char *name, int rounds, int *graphs, int *errors, int *bad)
{
    char path[1024];
    snprintf(path, sizeof path, "%s/%s.onnx", workload_zoo_dir(), name);
    size_t n;
    unsigned char *orig = read_all(path, &n);
    CHECK(orig != NULL);
    if (!orig)
        return;
    unsigned char *buf = malloc(n * 2 + 16);
    for (int r = 0; r < rounds; r++) {
        size_t len = n;
        memcpy(buf, orig, n);
        switch (rng() % 5) {
        case 0: /* flip a few bytes */
            for (int k = 0; k < 1 + (int)(rng() % 8); k++)
                buf[rng() % len] ^= (unsigned char)(1u << (rng() % 8));
            break;
        case 1: /* overwrite a byte with an extreme value (lengths, varints) */
            buf[rng() % len] = (rng() & 1) ? 0xff : 0x00;
            break;
        case 2: /* truncate */
            len = (size_t)(rng() % n);
            break;
        case 3: { /* duplicate a chunk (repeated fields, duplicate names) */
            size_t at = rng() % n, sz = rng() % (n - at + 1);
            if (sz > n)
                sz = n;
            memcpy(buf + n, orig + at, sz);
            len = n + sz;
            break;
        }
        default: /* random bytes in a window */
            for (size_t at = rng() % n, k = 0; k < 16 && at + k < len; k++)
                buf[at + k] = (unsigned char)rng();
        }
        if (try_bytes(buf, len, bad))
            (*graphs)++;
        else
            (*errors)++;
    }
    free(buf);
    free(orig);
}

TEST(test_mutated_models_give_a_graph_or_a_named_error_never_a_crash)
{
    const char *models[] = {"squeezenet1_1", "resnet50", "fcn_resnet50", "efficientnet_b0"};
    int graphs = 0, errors = 0, bad = 0;
    for (size_t m = 0; m < sizeof models / sizeof models[0]; m++)
        mutate_model(models[m], 500, &graphs, &errors, &bad);
    printf("mutants: %d imported, %d rejected with an error\n", graphs, errors);
    CHECK_INT(bad, 0);
    CHECK_INT(graphs + errors, 2000);
    CHECK(errors > 100); /* the mutations do break files */
}

TEST(test_random_bytes_are_not_an_onnx_model)
{
    unsigned char buf[4096];
    int bad = 0, graphs = 0;
    for (int r = 0; r < 200; r++) {
        size_t len = 1 + rng() % sizeof buf;
        for (size_t k = 0; k < len; k++)
            buf[k] = (unsigned char)rng();
        graphs += try_bytes(buf, len, &bad);
    }
    CHECK_INT(graphs, 0);
    CHECK_INT(bad, 0);
}

TEST_MAIN(T(test_mutated_models_give_a_graph_or_a_named_error_never_a_crash),
          T(test_random_bytes_are_not_an_onnx_model))
