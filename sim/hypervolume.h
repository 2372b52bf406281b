/* The hypervolume indicator of a point set (all objectives minimised): the
 * measure of the region that some point dominates and that dominates the
 * reference point.  It is the measure NSGA-II's front is compared with the
 * exact front by (docs/EXPLORE.md); a set's hypervolume is largest when it
 * is the whole Pareto front.
 *
 * The algorithm is WFG (While, Bradstreet and Barone, "A Fast Way of
 * Calculating Exact Hypervolumes", IEEE TEC 16(1), 2012): the volume is the
 * sum over the points of each one's exclusive volume, which is its box minus
 * the volume of the later points "limited" by it; a 2-D sweep ends the
 * recursion.  Written here because Debian packages no C hypervolume library
 * (pymoo's and DEAP's are Python extensions, and PyPI is not reachable).
 */
#ifndef PARTSIM_SIM_HYPERVOLUME_H
#define PARTSIM_SIM_HYPERVOLUME_H

#include "base/error.h"

/* Maximum number of objectives. */
#define HYPERVOLUME_MAX_DIMS 8

/* The hypervolume of the n points (row-major, d values each; n may be 0)
 * against ref.  Points that do not dominate ref strictly in every objective
 * add nothing.  0 on success; NaN values or d out of range are errors. */
int hypervolume(const double *points, int n, int d, const double *ref, double *hv,
                ps_error *err);

#endif
