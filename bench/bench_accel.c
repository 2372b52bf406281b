/* Benchmark: row-stationary cost evaluation with CNNergy's rules, and the
 * mapping search (accel/rs_search.h) for each objective, on every Conv /
 * Gemm layer of zoo models, on Eyeriss v1 (16-bit): the eyeriss-v1 preset
 * (platforms/presets/eyeriss-v1.yaml: array efficiency 0.81, DRAM 800 MB/s).
 *
 *   build/bench/bench_accel [-v] [-b BATCH] [REPEATS] [MODEL...]
 *
 * Per model: median and best wall time of one layer's rules evaluation
 * (rs_mapping_rules + rowstat_conv_cost, timed over 1000 calls per sample) and
 * of one layer's search per objective, summed over the layers, and the
 * median / best of whole-network passes; candidates costed per network;
 * what the search gains over the rules (whole network, and the best layer).
 * -v prints every layer.  Results are recorded in docs/PERFORMANCE.md. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "bench/bench_clock.h"
#include "accel/layer.h"
#include "accel/rowstat.h"
#include "accel/rs_search.h"
#include "platforms/archfile.h"
#include "workloads/workload.h"

#define RULES_CALLS 1000
#define OBJECTIVES 3

/* median and best of n samples (sorts them) */
static void summarize(double *t, int n, double *median, double *best)
{
    qsort(t, (size_t)n, sizeof *t, cmp_double);
    *median = t[n / 2];
    *best = t[0];
}

typedef struct {
    accel_arch arch;
    int bits;
    int64_t batch;
    int repeats;
    int verbose;
} bench;

static int rules_cost(const bench *b, const accel_layer *l, layer_cost *c, ps_error *err)
{
    rs_mapping m;
    if (rs_mapping_rules(&b->arch, &l->conv, b->bits, b->batch, &m, err))
        return 1;
    rowstat_conv_cost(&b->arch, l, b->bits, b->batch, &m, c);
    return 0;
}

/* The default model's mapping: the rules, then partsim's GLB tile. */
static int tiled_cost(const bench *b, const accel_layer *l, layer_cost *c, ps_error *err)
{
    rs_mapping m;
    if (rs_mapping_tiled(&b->arch, &l->conv, b->bits, b->batch,
                         rowstat_ifmap_dram_share(l, b->bits), &m, err))
        return 1;
    rowstat_conv_cost(&b->arch, l, b->bits, b->batch, &m, c);
    return 0;
}

static int bench_model(const bench *b, const char *model)
{
    ps_error err = {0};
    graph *g = workload_load(model, &err);
    if (!g) {
        fprintf(stderr, "bench_accel: %s\n", err.msg);
        return 1;
    }
    int n = 0;
    accel_layer *layers = calloc((size_t)g->n_nodes, sizeof *layers);
    double *t = malloc(sizeof(double) * (size_t)b->repeats);
    if (!layers || !t)
        goto fail;
    for (int i = 0; i < g->n_nodes; i++) {
        accel_layer l;
        if (layer_from_node(g, g->order[i], NULL, &l, &err))
            goto fail;
        if (l.kind == LAYER_CONV || l.kind == LAYER_FC)
            layers[n++] = l;
    }
    double rules_med = 0, rules_best = 0, tiled_med = 0, search_med[OBJECTIVES] = {0},
           search_best[OBJECTIVES] = {0}, rules_val[OBJECTIVES] = {0},
           found_val[OBJECTIVES] = {0}, top_gain = 0, slowest = 0;
    long evaluated[OBJECTIVES] = {0}, bounds[OBJECTIVES] = {0};
    const char *top_layer = "-";
    if (b->verbose)
        printf("%-28s %9s %9s %9s %9s %7s %8s %8s %8s\n", "layer", "rules us", "energy us",
               "lat. us", "edp us", "evals", "gain E%", "gain L%", "gainEDP%");
    for (int i = 0; i < n; i++) {
        const accel_layer *l = &layers[i];
        layer_cost rc, sc;
        double med, best, layer_search_us = 0;
        for (int r = 0; r < b->repeats; r++) {
            double t0 = now_s();
            for (int k = 0; k < RULES_CALLS; k++)
                if (rules_cost(b, l, &rc, &err))
                    goto fail;
            t[r] = (now_s() - t0) / RULES_CALLS;
        }
        summarize(t, b->repeats, &med, &best);
        rules_med += med, rules_best += best;
        for (int r = 0; r < b->repeats; r++) {
            double t0 = now_s();
            for (int k = 0; k < RULES_CALLS; k++)
                if (tiled_cost(b, l, &rc, &err))
                    goto fail;
            t[r] = (now_s() - t0) / RULES_CALLS;
        }
        double tmed, tbest;
        summarize(t, b->repeats, &tmed, &tbest);
        tiled_med += tmed;
        double rules_us = med * 1e6, gain[OBJECTIVES] = {0};
        long layer_evals = 0;
        for (int o = 0; o < OBJECTIVES; o++) {
            rs_mapping m;
            rs_search_stats st;
            for (int r = 0; r < b->repeats; r++) {
                double t0 = now_s();
                if (rs_search(&b->arch, l, b->bits, b->batch, (rs_search_objective)o, &m, &sc, &st,
                              &err))
                    goto fail;
                t[r] = now_s() - t0;
            }
            summarize(t, b->repeats, &med, &best);
            search_med[o] += med, search_best[o] += best;
            if (o == RS_SEARCH_ENERGY)
                layer_search_us = med * 1e6, layer_evals = st.evaluated;
            if (med > slowest)
                slowest = med;
            evaluated[o] += st.evaluated;
            bounds[o] += st.bounds;
            double rv = rs_search_objective_value((rs_search_objective)o, &rc);
            double sv = rs_search_objective_value((rs_search_objective)o, &sc);
            rules_val[o] += rv;
            found_val[o] += sv;
            gain[o] = 1.0 - sv / rv;
            if (o == RS_SEARCH_ENERGY) {
                if (gain[o] > top_gain)
                    top_gain = gain[o], top_layer = l->name;
                if (b->verbose)
                    printf("%-28s %9.2f %9.1f", l->name, rules_us, layer_search_us);
            } else if (b->verbose) {
                printf(" %9.1f", med * 1e6);
            }
        }
        if (b->verbose)
            printf(" %7ld %8.2f %8.2f %8.2f\n", layer_evals, 100 * gain[RS_SEARCH_ENERGY],
                   100 * gain[RS_SEARCH_LATENCY], 100 * gain[RS_SEARCH_EDP]);
    }
    /* whole-network passes, search for energy */
    for (int r = 0; r < b->repeats; r++) {
        double t0 = now_s();
        for (int i = 0; i < n; i++) {
            rs_mapping m;
            if (rs_search(&b->arch, &layers[i], b->bits, b->batch, RS_SEARCH_ENERGY, &m, NULL, NULL,
                          &err))
                goto fail;
        }
        t[r] = now_s() - t0;
    }
    double net_med, net_best;
    summarize(t, b->repeats, &net_med, &net_best);
    printf("%-12s %6d %10.2f %10.2f %10.2f %10.2f %10.2f %10.2f %7.2f %7.2f %7.2f  %s %.1f%%\n",
           model, n, rules_med * 1e6, search_med[0] * 1e3, search_med[1] * 1e3,
           search_med[2] * 1e3, net_med * 1e3, slowest * 1e3,
           100 * (1 - found_val[0] / rules_val[0]), 100 * (1 - found_val[1] / rules_val[1]),
           100 * (1 - found_val[2] / rules_val[2]), top_layer, 100 * top_gain);
    printf("%-12s best: rules %.1f us (with partsim's GLB tile: %.1f us, median), search "
           "%.2f / %.2f / %.2f ms, network %.2f ms; "
           "costed %ld / %ld / %ld candidates + %ld / %ld / %ld bounds\n",
           model, rules_best * 1e6, tiled_med * 1e6, search_best[0] * 1e3, search_best[1] * 1e3,
           search_best[2] * 1e3, net_best * 1e3, evaluated[0], evaluated[1], evaluated[2],
           bounds[0], bounds[1], bounds[2]);
    free(t);
    free(layers);
    graph_free(g);
    return 0;
fail:
    fprintf(stderr, "bench_accel: %s: %s\n", model, err.msg[0] ? err.msg : "out of memory");
    free(t);
    free(layers);
    graph_free(g);
    return 1;
}

int main(int argc, char **argv)
{
    static const char *MODELS[] = {"alexnet", "resnet50", "densenet121"};
    bench b = {.bits = 16, .batch = 1, .repeats = 11};
    int i = 1;
    for (; i < argc && argv[i][0] == '-'; i++) {
        if (!strcmp(argv[i], "-v"))
            b.verbose = 1;
        else if (!strcmp(argv[i], "-b") && i + 1 < argc)
            b.batch = atoi(argv[++i]);
        else {
            fprintf(stderr, "usage: bench_accel [-v] [-b BATCH] [REPEATS] [MODEL...]\n");
            return 2;
        }
    }
    if (i < argc)
        b.repeats = atoi(argv[i++]);
    if (b.repeats < 1)
        b.repeats = 1;
    const char **models = i < argc ? (const char **)argv + i : MODELS;
    int n_models = i < argc ? argc - i : (int)(sizeof MODELS / sizeof MODELS[0]);
    ps_error err = {0};
    if (archfile_load("eyeriss-v1", &b.arch, &err)) {
        fprintf(stderr, "bench_accel: %s\n", err.msg);
        return 1;
    }
    printf("%s (preset), %d-bit, batch %lld, %d runs; times are per network (sum of per-layer "
           "medians) in ms, rules in us; gains are search vs rules over the network\n",
           b.arch.name, b.bits, (long long)b.batch, b.repeats);
    printf("%-12s %6s %10s %10s %10s %10s %10s %10s %7s %7s %7s  %s\n", "model", "layers",
           "rules us", "s.energy", "s.latency", "s.edp", "net pass", "max layer", "gainE%",
           "gainL%", "gainEDP%", "best layer (energy)");
    int rc = 0;
    for (int m = 0; m < n_models && !rc; m++)
        rc = bench_model(&b, models[m]);
    return rc;
}
