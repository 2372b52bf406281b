/* NSGA-II (sim/explore_nsga2.h) on Kreß 2024's four-platform chain
 * (EfficientNet-B0 on two Eyeriss-like and two Simba-like platforms), over
 * the block boundaries: a space the exact search covers in milliseconds, so
 * every design NSGA-II meets is checked against the exact search's candidate
 * of the same index, and its front against the exact front. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sim/explore.h"
#include "sim/explore_nsga2.h"
#include "tests/harness.h"

typedef struct {
    scenario s;
    plan p;
    explore_problem *x;
    explore_candidate *all; /* the exact search's candidates, by index */
    int64_t n_all;
} fixture;

static int keep_all(void *ctx, const explore_candidate *c)
{
    fixture *f = ctx;
    if (c->index >= 0 && c->index < f->n_all)
        f->all[c->index] = *c;
    return 0;
}

/* assigned: the four nodes as platforms to assign; else the pipeline's chain */
static int setup(fixture *f, bool assigned)
{
    memset(f, 0, sizeof *f);
    const char *src = getenv("PARTSIM_SOURCE_DIR");
    char path[1024];
    snprintf(path, sizeof path, "%s/platforms/examples/four-platform-chain.yaml",
             src ? src : ".");
    ps_error err = {0};
    if (scenario_load(path, NULL, 0, &f->s, &err) || plan_build(&f->s, &f->p, &err)) {
        fprintf(stderr, "%s\n", err.msg);
        return -1;
    }
    explore_options o = {.single_tensor_only = true, .link_capacity = true,
                         .objectives = 1u << EXPLORE_LATENCY | 1u << EXPLORE_THROUGHPUT |
                                       1u << EXPLORE_ENERGY | 1u << EXPLORE_SENSOR_ENERGY |
                                       1u << EXPLORE_LINK_BYTES};
    for (int k = 0; k < EXPLORE_N_OBJECTIVES; k++)
        o.weights[k] = 1;
    if (assigned) {
        o.n_platforms = 4;
        for (int j = 0; j < 4; j++)
            o.platforms[j] = j;
    }
    if (explore_problem_build(&f->s, &f->p, &o, &f->x, &err)) {
        fprintf(stderr, "%s\n", err.msg);
        return -1;
    }
    f->n_all = (int64_t)explore_space_size(f->x);
    f->all = calloc((size_t)f->n_all, sizeof *f->all);
    for (int64_t i = 0; i < f->n_all; i++)
        f->all[i].index = -1;
    explore_each(f->x, keep_all, f);
    return 0;
}

static void teardown(fixture *f)
{
    free(f->all);
    explore_problem_free(f->x);
    plan_free(&f->p);
    scenario_free(&f->s);
}

typedef struct {
    fixture *f;
    int64_t met, mismatched, unknown, repeated, stop_after;
    unsigned char *seen;
} checker;

/* Every design met is the exact search's candidate of its index, met once. */
static int check_met(void *ctx, const explore_candidate *c)
{
    checker *k = ctx;
    k->met++;
    if (c->index < 0 || c->index >= k->f->n_all || k->f->all[c->index].index != c->index) {
        k->unknown++;
        return 0;
    }
    const explore_candidate *e = &k->f->all[c->index];
    k->repeated += k->seen[c->index]++ > 0;
    bool same = c->assign == e->assign && c->violated == e->violated;
    for (int d = 0; d < explore_stages(k->f->x) - 1; d++)
        same &= c->cuts[d] == e->cuts[d];
    same &= fabs(c->latency_s - e->latency_s) <= 1e-12 * e->latency_s;
    same &= fabs(c->period_s - e->period_s) <= 1e-12 * e->period_s;
    same &= fabs(c->energy_j - e->energy_j) <= 1e-12 * e->energy_j;
    k->mismatched += !same;
    return k->stop_after && k->met >= k->stop_after;
}

static void search_checked(bool assigned, const explore_nsga2_options *o, double min_ratio)
{
    fixture f;
    if (setup(&f, assigned)) {
        CHECK(!"four-platform-chain.yaml loads");
        return;
    }
    checker k = {.f = &f, .seen = calloc((size_t)f.n_all, 1)};
    explore_result exact, r;
    ps_error err = {0};
    CHECK_INT(explore_exact(f.x, NULL, NULL, &exact, &err), 0);
    CHECK_INT(explore_nsga2(f.x, o, check_met, &k, &r, &err), 0);
    CHECK_INT(k.unknown, 0);
    CHECK_INT(k.mismatched, 0);
    CHECK_INT(k.repeated, 0);
    CHECK_INT(r.evaluated, k.met);
    CHECK(k.met > 100); /* it searched */
    CHECK(k.met < f.n_all); /* and did not enumerate everything */
    CHECK(!r.interrupted);
    CHECK(r.n_front > 0 && r.pick >= 0);
    double ratio = NAN;
    CHECK_INT(explore_nsga2_hypervolume_ratio(f.x, r.front, r.n_front, exact.front,
                                              exact.n_front, &ratio, &err),
              0);
    printf("  %s: %lld of %lld designs, front %d of %d, hypervolume ratio %.4f\n",
           assigned ? "assigned" : "chain", (long long)k.met, (long long)f.n_all, r.n_front,
           exact.n_front, ratio);
    CHECK(ratio >= min_ratio && ratio <= 1 + 1e-9);
    /* no NSGA-II front member is dominated by an exact front member */
    int dominated = 0;
    for (int i = 0; i < r.n_front; i++)
        for (int j = 0; j < exact.n_front; j++)
            dominated += explore_dominates(f.x, &exact.front[j], &r.front[i]);
    CHECK(dominated == 0 || ratio < 1);
    explore_result_free(&r);
    explore_result_free(&exact);
    free(k.seen);
    teardown(&f);
}

TEST(test_chain_designs_are_the_exact_candidates_and_the_front_covers_the_exact_one)
{
    explore_nsga2_options o;
    explore_nsga2_defaults(&o);
    o.population = 40, o.generations = 40;
    search_checked(false, &o, 0.97);
}

TEST(test_assigned_designs_are_the_exact_candidates_and_the_front_covers_the_exact_one)
{
    explore_nsga2_options o;
    explore_nsga2_defaults(&o);
    search_checked(true, &o, 0.95);
}

static void front_of(fixture *f, uint64_t seed, explore_result *r)
{
    explore_nsga2_options o;
    explore_nsga2_defaults(&o);
    o.population = 20, o.generations = 10, o.seed = seed;
    ps_error err = {0};
    CHECK_INT(explore_nsga2(f->x, &o, NULL, NULL, r, &err), 0);
}

TEST(test_the_same_seed_gives_the_same_search)
{
    fixture f;
    if (setup(&f, true)) {
        CHECK(!"four-platform-chain.yaml loads");
        return;
    }
    explore_result a, b, c;
    front_of(&f, 7, &a);
    front_of(&f, 7, &b);
    front_of(&f, 8, &c);
    CHECK_INT(a.evaluated, b.evaluated);
    CHECK_INT(a.n_front, b.n_front);
    for (int i = 0; i < a.n_front && i < b.n_front; i++)
        CHECK_INT(a.front[i].index, b.front[i].index);
    /* another seed meets other designs */
    bool differs = a.evaluated != c.evaluated || a.n_front != c.n_front;
    for (int i = 0; i < a.n_front && i < c.n_front && !differs; i++)
        differs = a.front[i].index != c.front[i].index;
    CHECK(differs);
    explore_result_free(&a), explore_result_free(&b), explore_result_free(&c);
    teardown(&f);
}

TEST(test_a_visit_that_returns_nonzero_stops_the_search)
{
    fixture f;
    if (setup(&f, false)) {
        CHECK(!"four-platform-chain.yaml loads");
        return;
    }
    checker k = {.f = &f, .seen = calloc((size_t)f.n_all, 1), .stop_after = 25};
    explore_nsga2_options o;
    explore_nsga2_defaults(&o);
    explore_result r;
    ps_error err = {0};
    CHECK_INT(explore_nsga2(f.x, &o, check_met, &k, &r, &err), 0);
    CHECK(r.interrupted);
    CHECK_INT(r.evaluated, 25);
    CHECK_INT(k.met, 25);
    explore_result_free(&r);
    free(k.seen);
    teardown(&f);
}

TEST(test_bad_options_are_refused_with_the_expected_ranges)
{
    fixture f;
    if (setup(&f, false)) {
        CHECK(!"four-platform-chain.yaml loads");
        return;
    }
    explore_nsga2_options o;
    explore_nsga2_defaults(&o);
    o.population = 1;
    explore_result r;
    ps_error err = {0};
    CHECK_INT(explore_nsga2(f.x, &o, NULL, NULL, &r, &err), PS_ERR_INPUT);
    CHECK_STR_CONTAINS(err.msg, "population of 2 to 10000");
    explore_nsga2_defaults(&o);
    o.p_crossover = 1.5;
    CHECK_INT(explore_nsga2(f.x, &o, NULL, NULL, &r, &err), PS_ERR_INPUT);
    CHECK_STR_CONTAINS(err.msg, "probabilities in [0, 1]");
    teardown(&f);
}

TEST(test_the_exact_front_has_ratio_one_and_a_part_of_it_less)
{
    fixture f;
    if (setup(&f, false)) {
        CHECK(!"four-platform-chain.yaml loads");
        return;
    }
    explore_result exact;
    ps_error err = {0};
    CHECK_INT(explore_exact(f.x, NULL, NULL, &exact, &err), 0);
    double one = NAN, part = NAN, none = NAN;
    CHECK_INT(explore_nsga2_hypervolume_ratio(f.x, exact.front, exact.n_front, exact.front,
                                              exact.n_front, &one, &err),
              0);
    CHECK_NEAR(one, 1.0, 1e-12);
    CHECK(exact.n_front >= 3);
    CHECK_INT(explore_nsga2_hypervolume_ratio(f.x, exact.front, exact.n_front / 2, exact.front,
                                              exact.n_front, &part, &err),
              0);
    CHECK(part > 0 && part < 1);
    CHECK_INT(explore_nsga2_hypervolume_ratio(f.x, exact.front, 0, exact.front, exact.n_front,
                                              &none, &err),
              0);
    CHECK_NEAR(none, 0.0, 1e-12);
    explore_result_free(&exact);
    teardown(&f);
}

TEST_MAIN(T(test_chain_designs_are_the_exact_candidates_and_the_front_covers_the_exact_one),
          T(test_assigned_designs_are_the_exact_candidates_and_the_front_covers_the_exact_one),
          T(test_the_same_seed_gives_the_same_search),
          T(test_a_visit_that_returns_nonzero_stops_the_search),
          T(test_bad_options_are_refused_with_the_expected_ranges),
          T(test_the_exact_front_has_ratio_one_and_a_part_of_it_less))
