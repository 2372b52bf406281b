/* Results of a sweep's points in, the same results out in point order: the
 * points finish in any order (processes of a pool, ranks of an MPI run),
 * but rows are written in the order of the points to run, so a sweep gives
 * the same file at any -j and any number of ranks.  A result waits (copied)
 * until every earlier point of the list has come out. */
#ifndef PARTSIM_SIM_SWEEP_ORDER_H
#define PARTSIM_SIM_SWEEP_ORDER_H

#include <stdint.h>

#include "base/error.h"
#include "sim/sweep.h"

typedef struct sweep_order sweep_order;

/* Points in the order of todo[0 .. n-1] (ascending; NULL: 0 .. n-1); out
 * receives each result when it is due, returning nonzero to refuse (err
 * filled), after which the rest are dropped. */
sweep_order *sweep_order_new(const int64_t *todo, int64_t n,
                             int (*out)(void *ctx, const sweep_result *r), void *ctx,
                             ps_error *err);
/* Take r (copied) and give out what is due.  Nonzero once out refused or
 * memory ran out. */
int sweep_order_push(sweep_order *q, const sweep_result *r);
/* Give out everything still waiting, in order, over any gaps (points that
 * never came: a stopped sweep).  Returns as push. */
int sweep_order_flush(sweep_order *q);
/* Results given out so far. */
int64_t sweep_order_count(const sweep_order *q);
void sweep_order_free(sweep_order *q);

#endif
