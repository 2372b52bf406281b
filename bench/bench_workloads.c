/* Benchmark: import + shape inference + cut-sets for every zoo model.
 *
 *   build/bench/bench_workloads [REPEATS] [MODEL...]
 *
 * Prints, per model, the node count and the median and best wall time of
 * the whole pipeline (file read, protobuf decode, graph build, topological
 * order, shape inference with folding, cut-sets).  Results are recorded in
 * docs/PERFORMANCE.md. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "bench/bench_clock.h"
#include "workloads/cuts.h"
#include "workloads/workload.h"

int main(int argc, char **argv)
{
    static const char *ZOO[] = {"alexnet", "squeezenet1_1", "googlenet", "vgg16", "vgg19",
                                "resnet50", "resnet101", "densenet121", "efficientnet_b0",
                                "regnet_x_400mf", "mobilenet_v2", "fcn_resnet50"};
    int repeats = argc > 1 ? atoi(argv[1]) : 51;
    if (repeats < 1)
        repeats = 1;
    const char **models = argc > 2 ? (const char **)argv + 2 : ZOO;
    int n_models = argc > 2 ? argc - 2 : (int)(sizeof ZOO / sizeof ZOO[0]);
    double *t = malloc(sizeof(double) * (size_t)repeats);
    if (!t)
        return 1;
    printf("%-16s %6s %6s %12s %12s\n", "model", "nodes", "cuts", "median ms", "best ms");
    for (int m = 0; m < n_models; m++) {
        int nodes = 0, cuts = 0;
        for (int r = 0; r < repeats; r++) {
            ps_error err = {0};
            double t0 = now_s();
            graph *g = workload_load(models[m], &err);
            cut_table ct;
            if (!g || cuts_compute(g, &ct, &err)) {
                fprintf(stderr, "bench_workloads: %s\n", err.msg);
                graph_free(g);
                free(t);
                return 1;
            }
            t[r] = now_s() - t0;
            nodes = g->n_nodes;
            cuts = cuts_count_single(&ct);
            cuts_free(&ct);
            graph_free(g);
        }
        qsort(t, (size_t)repeats, sizeof *t, cmp_double);
        printf("%-16s %6d %6d %12.3f %12.3f\n", models[m], nodes, cuts, t[repeats / 2] * 1e3,
               t[0] * 1e3);
    }
    free(t);
    return 0;
}
