/* Benchmark: the analytic exploration (sim/explore.h) in-process, on the
 * example scenarios Kreß 2024 describes:
 *   - kress-chain.yaml (ResNet-50, Eyeriss-like -> GbE -> Simba-like): every
 *     single cut, over all schedule positions and over the block boundaries;
 *   - four-platform-chain.yaml (EfficientNet-B0, 2 Eyeriss-like + 2
 *     Simba-like over GbE): three cuts over the block boundaries, and over
 *     every position (2,332,880 candidates: Kreß's Table II space).
 * Per case: the set-up (scenario + plan + problem: the per-layer cost models
 * run here) once, then median and best wall time of the exact search (every
 * candidate evaluated, front kept) and nanoseconds per candidate.
 *
 *   build/bench/bench_explore [REPEATS] [EXAMPLES_DIR]
 *
 * Run from the source tree (the examples and the zoo are found there).
 * Results are recorded in docs/PERFORMANCE.md. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "bench/bench_clock.h"
#include "sim/explore.h"
#include "sim/plan.h"

static int bench(const char *dir, const char *file, bool single, int repeats)
{
    char path[1024];
    snprintf(path, sizeof path, "%s/%s", dir, file);
    ps_error err = {0};
    scenario s;
    plan p;
    double t0 = now_s();
    if (scenario_load(path, NULL, 0, &s, &err)) {
        fprintf(stderr, "bench_explore: %s\n", err.msg);
        return 1;
    }
    if (plan_build(&s, &p, &err)) {
        fprintf(stderr, "bench_explore: %s\n", err.msg);
        scenario_free(&s);
        return 1;
    }
    explore_options o = {.pipeline = 0, .single_tensor_only = single, .link_capacity = true,
                         .objectives = 1u << EXPLORE_LATENCY | 1u << EXPLORE_THROUGHPUT |
                                       1u << EXPLORE_ENERGY};
    for (int k = 0; k < EXPLORE_N_OBJECTIVES; k++)
        o.weights[k] = 1;
    explore_problem *x;
    if (explore_problem_build(&s, &p, &o, &x, &err)) {
        fprintf(stderr, "bench_explore: %s\n", err.msg);
        plan_free(&p), scenario_free(&s);
        return 1;
    }
    double setup = now_s() - t0;
    double *t = malloc(sizeof(double) * (size_t)repeats);
    int64_t n = 0;
    int front = 0;
    for (int r = 0; r < repeats && t; r++) {
        explore_result res;
        double a = now_s();
        if (explore_exact(x, NULL, NULL, &res, &err)) {
            fprintf(stderr, "bench_explore: %s\n", err.msg);
            break;
        }
        t[r] = now_s() - a;
        n = res.evaluated, front = res.n_front;
        explore_result_free(&res);
    }
    if (t) {
        qsort(t, (size_t)repeats, sizeof *t, cmp_double);
        printf("| %s | %d | %s | %lld | %d | %.1f | %.3f | %.3f | %.0f |\n", s.name,
               explore_stages(x), single ? "block boundaries" : "all", (long long)n, front,
               setup * 1e3, t[repeats / 2] * 1e3, t[0] * 1e3, t[0] / (double)n * 1e9);
    }
    free(t);
    explore_problem_free(x);
    plan_free(&p);
    scenario_free(&s);
    return 0;
}

int main(int argc, char **argv)
{
    int repeats = argc > 1 ? atoi(argv[1]) : 11;
    const char *dir = argc > 2 ? argv[2] : "platforms/examples";
    if (repeats < 1)
        repeats = 1;
    printf("| scenario | stages | positions | candidates | front | set-up ms | median ms | "
           "best ms | ns / candidate (best) |\n|---|---|---|---|---|---|---|---|---|\n");
    int rc = bench(dir, "kress-chain.yaml", true, repeats);
    rc |= bench(dir, "kress-chain.yaml", false, repeats);
    rc |= bench(dir, "four-platform-chain.yaml", true, repeats);
    rc |= bench(dir, "four-platform-chain.yaml", false, repeats > 3 ? 3 : repeats);
    return rc;
}
