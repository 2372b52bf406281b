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
 * Then NSGA-II (sim/explore_nsga2.h, defaults: population 100, 100
 * generations) on the four-platform chain, along the chain and with the
 * four nodes assigned, for latency, throughput and energy and with the
 * camera's energy and the link bytes added: per seed 1..SEEDS the wall time, the distinct designs
 * evaluated and the front's hypervolume as a fraction of the exact front's;
 * median and worst over the seeds.
 *
 *   build/bench/bench_explore [REPEATS] [EXAMPLES_DIR] [SEEDS]
 *
 * Run from the source tree (the examples and the zoo are found there).
 * Results are recorded in docs/PERFORMANCE.md. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "bench/bench_clock.h"
#include "sim/explore.h"
#include "sim/explore_nsga2.h"
#include "sim/plan.h"

typedef struct {
    scenario s;
    plan p;
    explore_problem *x;
    double setup_s;
} loaded;

static const unsigned three_objectives =
    1u << EXPLORE_LATENCY | 1u << EXPLORE_THROUGHPUT | 1u << EXPLORE_ENERGY;
static const unsigned five_objectives = 1u << EXPLORE_LATENCY | 1u << EXPLORE_THROUGHPUT |
                                        1u << EXPLORE_ENERGY | 1u << EXPLORE_SENSOR_ENERGY |
                                        1u << EXPLORE_LINK_BYTES;

/* The scenario, its plan and the problem: 0, or 1 with a message. */
static int load(const char *dir, const char *file, bool single, int n_platforms,
                unsigned objectives, loaded *l)
{
    char path[1024];
    snprintf(path, sizeof path, "%s/%s", dir, file);
    ps_error err = {0};
    double t0 = now_s();
    l->x = NULL;
    if (scenario_load(path, NULL, 0, &l->s, &err)) {
        fprintf(stderr, "bench_explore: %s\n", err.msg);
        return 1;
    }
    explore_options o = {.pipeline = 0, .single_tensor_only = single, .link_capacity = true,
                         .objectives = objectives, .n_platforms = n_platforms};
    for (int k = 0; k < EXPLORE_N_OBJECTIVES; k++)
        o.weights[k] = 1;
    for (int j = 0; j < n_platforms; j++)
        o.platforms[j] = j;
    if (plan_build(&l->s, &l->p, &err)) {
        fprintf(stderr, "bench_explore: %s\n", err.msg);
        scenario_free(&l->s);
        return 1;
    }
    if (explore_problem_build(&l->s, &l->p, &o, &l->x, &err)) {
        fprintf(stderr, "bench_explore: %s\n", err.msg);
        plan_free(&l->p), scenario_free(&l->s);
        return 1;
    }
    l->setup_s = now_s() - t0;
    return 0;
}

static void unload(loaded *l)
{
    explore_problem_free(l->x);
    plan_free(&l->p);
    scenario_free(&l->s);
}

static int bench_nsga2(const char *dir, const char *file, bool single, int n_platforms,
                       unsigned objectives, int seeds)
{
    loaded l;
    if (load(dir, file, single, n_platforms, objectives, &l))
        return 1;
    ps_error err = {0};
    explore_result exact;
    double t0 = now_s();
    if (explore_exact(l.x, NULL, NULL, &exact, &err)) {
        fprintf(stderr, "bench_explore: %s\n", err.msg);
        unload(&l);
        return 1;
    }
    double exact_s = now_s() - t0;
    double *t = calloc((size_t)seeds, sizeof *t), *hv = calloc((size_t)seeds, sizeof *hv);
    double *designs = calloc((size_t)seeds, sizeof *designs);
    int rc = !t || !hv || !designs;
    for (int k = 0; k < seeds && !rc; k++) {
        explore_nsga2_options o;
        explore_nsga2_defaults(&o);
        o.seed = (uint64_t)k + 1;
        explore_result r;
        double a = now_s();
        if ((rc = explore_nsga2(l.x, &o, NULL, NULL, &r, &err)))
            break;
        t[k] = now_s() - a;
        designs[k] = (double)r.evaluated;
        rc = explore_nsga2_hypervolume_ratio(l.x, r.front, r.n_front, exact.front,
                                             exact.n_front, &hv[k], &err);
        explore_result_free(&r);
    }
    if (rc) {
        fprintf(stderr, "bench_explore: %s\n", err.msg[0] ? err.msg : "out of memory");
    } else {
        qsort(t, (size_t)seeds, sizeof *t, cmp_double);
        qsort(hv, (size_t)seeds, sizeof *hv, cmp_double);
        qsort(designs, (size_t)seeds, sizeof *designs, cmp_double);
        printf("| %s | %s | %s | %d | %.0f | %d | %.1f | %d | %.0f | %.1f | %.1f | %.4f | %.4f |\n",
               l.s.name, n_platforms ? "assigned" : "chain", single ? "block boundaries" : "all",
               objectives == five_objectives ? 5 : 3,
               explore_space_size(l.x), exact.n_front, exact_s * 1e3, seeds,
               designs[seeds / 2], t[seeds / 2] * 1e3, t[seeds - 1] * 1e3, hv[seeds / 2], hv[0]);
    }
    free(t), free(hv), free(designs);
    explore_result_free(&exact);
    unload(&l);
    return rc;
}

static int bench(const char *dir, const char *file, bool single, int repeats)
{
    loaded l;
    if (load(dir, file, single, 0, three_objectives, &l))
        return 1;
    explore_problem *x = l.x;
    ps_error err = {0};
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
        printf("| %s | %d | %s | %lld | %d | %.1f | %.3f | %.3f | %.0f |\n", l.s.name,
               explore_stages(x), single ? "block boundaries" : "all", (long long)n, front,
               l.setup_s * 1e3, t[repeats / 2] * 1e3, t[0] * 1e3, t[0] / (double)n * 1e9);
    }
    free(t);
    unload(&l);
    return 0;
}

int main(int argc, char **argv)
{
    int repeats = argc > 1 ? atoi(argv[1]) : 11;
    const char *dir = argc > 2 ? argv[2] : "platforms/examples";
    int seeds = argc > 3 ? atoi(argv[3]) : 5;
    if (repeats < 1)
        repeats = 1;
    if (seeds < 1)
        seeds = 1;
    printf("| scenario | stages | positions | candidates | front | set-up ms | median ms | "
           "best ms | ns / candidate (best) |\n|---|---|---|---|---|---|---|---|---|\n");
    int rc = bench(dir, "kress-chain.yaml", true, repeats);
    rc |= bench(dir, "kress-chain.yaml", false, repeats);
    rc |= bench(dir, "four-platform-chain.yaml", true, repeats);
    rc |= bench(dir, "four-platform-chain.yaml", false, repeats > 3 ? 3 : repeats);
    printf("\n| scenario | platforms | positions | objectives | space | exact front | exact ms | seeds | "
           "designs (median) | median ms | worst ms | hypervolume ratio (median) | "
           "worst |\n|---|---|---|---|---|---|---|---|---|---|---|---|---|\n");
    const char *four = "four-platform-chain.yaml";
    for (int k = 0; k < 2; k++) {
        unsigned obj = k ? five_objectives : three_objectives;
        rc |= bench_nsga2(dir, four, true, 0, obj, seeds);
        rc |= bench_nsga2(dir, four, false, 0, obj, seeds);
        rc |= bench_nsga2(dir, four, true, 4, obj, seeds);
        rc |= bench_nsga2(dir, four, false, 4, obj, seeds);
    }
    return rc;
}
