/* Partition points and their cut-sets.
 *
 * The schedule is the topological order restricted to compute nodes (nodes
 * that only produce constants are not positions).  Position p (0..M, M
 * compute nodes) places the first p compute nodes on one platform and the
 * rest on the next.  The cut-set of p is every tensor produced at or before p
 * (or a graph input) that a compute node after p consumes; graph outputs
 * count as consumed after the last node.  Position 0 (everything on the
 * next platform: it receives the graph inputs) and position M (everything
 * on this one: it sends the outputs) are the two trivial placements. */
#ifndef PARTSIM_WORKLOADS_CUTS_H
#define PARTSIM_WORKLOADS_CUTS_H

#include <stdbool.h>
#include <stdint.h>

#include "base/error.h"
#include "workloads/graph.h"

typedef struct {
    int position;      /* 0..M */
    int after_node;    /* graph node index the cut follows; -1 for position 0 */
    int n_tensors;
    int *tensors;      /* the cut-set, tensor indices in ascending order */
    int64_t elems;     /* elements in the cut-set */
    bool single_tensor_cut; /* one tensor, strictly inside the graph (0 < p < M) */
} cut_point;

typedef struct {
    int n_sched;       /* M: compute nodes */
    int *sched;        /* their graph node indices, in schedule order */
    int *sched_pos;    /* graph node index -> 0-based schedule index, -1 for constants */
    int n_points;      /* M + 1 */
    cut_point *points;
    /* Per tensor: schedule index of its producer (-1: graph input) and of
     * its last compute consumer (M for graph outputs, -2 if not an activation). */
    int *birth, *last_use;
} cut_table;

int cuts_compute(const graph *g, cut_table *ct, ps_error *err);
void cuts_free(cut_table *ct);
int64_t cuts_bytes(const cut_point *c, int bits);
/* Number of single-tensor cuts. */
int cuts_count_single(const cut_table *ct);
/* Is tensor t an activation (graph input or produced by a compute node)? */
bool cuts_is_activation(const cut_table *ct, int t);

#endif
