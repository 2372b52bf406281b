/* Constant folding: compute the values of a node's outputs when all its
 * inputs are known (shape chains: Shape -> Gather -> Unsqueeze -> Concat ->
 * Reshape, Cast, Slice, ConstantOfShape, integer arithmetic, ...).  A folded
 * node is marked `is_const`: it only produces constants and is not a
 * schedule position. */
#ifndef PARTSIM_WORKLOADS_FOLD_H
#define PARTSIM_WORKLOADS_FOLD_H

#include "base/error.h"
#include "workloads/graph.h"

/* Called by shapes_infer() after the node's output shapes are set.  Folds it
 * if it can; leaves it alone (not const) otherwise.  Fails only on a value
 * that makes the node invalid (e.g. a Gather index out of range). */
int fold_node(graph *g, graph_node *n, ps_error *err);

/* Largest tensor (elements) folding produces. */
#define FOLD_MAX_ELEMS (1 << 16)

#endif
