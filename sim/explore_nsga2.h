/* NSGA-II over a pipeline's designs (Deb, Pratap, Agarwal and Meyarivan,
 * "A Fast and Elitist Multiobjective Genetic Algorithm: NSGA-II", IEEE TEC
 * 6(2), 2002), the search Kreß 2024 runs (Sec. IV-B, pymoo's NSGA-II) where
 * the exact enumeration (sim/explore.h) would take too long.
 *
 * A genome is the cut points as indices into the admissible positions
 * (kept non-decreasing) and, when platforms are assigned, the platform slot
 * of each stage; explore_canonical turns it into the candidate the exact
 * search meets, so both searches index, evaluate and report designs the same
 * way.  A slot another stage already runs on is moved to the lowest free
 * slot (or, with none free, the stage gives its layers to the stage before);
 * the repaired genome replaces the child (the population holds only designs
 * the space contains).
 *
 * One generation: binary tournaments on (front rank, crowding distance)
 * pick parents; uniform crossover (each gene from either parent, the cuts
 * sorted again) with probability p_crossover; each gene mutates with
 * probability p_mutation (a cut moves a few positions or anywhere, a slot
 * swaps with another stage's or takes any slot); a child the search has met
 * before is mutated again (up to a few times).  Parents and children
 * together are sorted into fronts (Deb's constrained domination: a feasible
 * design beats an infeasible one, fewer violated constraints beat more) and
 * the best `population` survive, the last front cut by crowding distance
 * (Deb 2002, Sec. III-B).  The first population holds the single-platform
 * designs and random ones.
 *
 * The result (explore_result, sim/explore.h) is the front of every distinct
 * design evaluated, not only of the last population; `visit` sees each
 * distinct design once, in the order the search meets it.
 */
#ifndef PARTSIM_SIM_EXPLORE_NSGA2_H
#define PARTSIM_SIM_EXPLORE_NSGA2_H

#include <stdint.h>

#include "base/error.h"
#include "sim/explore.h"

typedef struct {
    int population;     /* individuals per generation (rounded up to even) */
    int generations;    /* after the first population */
    uint64_t seed;      /* the same seed gives the same search */
    double p_crossover; /* per pair of parents */
    double p_mutation;  /* per gene; 0 = 1 / genes */
} explore_nsga2_options;

/* population 100, generations 100, seed 1, p_crossover 0.9, p_mutation 0. */
void explore_nsga2_defaults(explore_nsga2_options *o);

/* The search; r is built as explore_exact builds it (baselines, counts over
 * the distinct designs evaluated, front, pick).  visit returning nonzero
 * stops it (r->interrupted). */
int explore_nsga2(const explore_problem *x, const explore_nsga2_options *o,
                  explore_visit_fn visit, void *ctx, explore_result *r, ps_error *err);

/* The hypervolume of the front `approx` over that of `exact`, both in the
 * problem's objectives normalised by the exact front (0 at its ideal point,
 * 1 at its nadir point, the reference point at 1.1): 1 when approx reaches
 * every part of the exact front.  An objective constant over the exact
 * front is scaled by its value instead (by 1 when that is 0).  *ratio is NaN
 * when the exact front is empty. */
int explore_nsga2_hypervolume_ratio(const explore_problem *x, const explore_candidate *approx,
                                    int n_approx, const explore_candidate *exact, int n_exact,
                                    double *ratio, ps_error *err);

#endif
