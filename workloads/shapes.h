/* Shape inference, constant folding and per-node quantities.
 *
 * shapes_infer() walks the graph in topological order and, for every node,
 * (1) infers each output's element type and shape from the input shapes and
 * the attributes, (2) folds the node when its result is a known constant
 * (Constant, Shape, and the Gather / Cast / Slice / Concat / Unsqueeze /
 * ConstantOfShape / arithmetic chains that PyTorch exports emit around
 * Reshape and Resize), marking it `is_const`, and (3) fills macs, params,
 * in_elems and out_elems.  Errors name the node, its op and what is wrong. */
#ifndef PARTSIM_WORKLOADS_SHAPES_H
#define PARTSIM_WORKLOADS_SHAPES_H

#include <stdbool.h>

#include "base/error.h"
#include "workloads/graph.h"

int shapes_infer(graph *g, ps_error *err);

/* Largest tensor partsim accepts (elements): far above any CNN, low enough
 * that element counts times bit widths never overflow int64. */
#define SHAPES_MAX_ELEMS ((int64_t)1 << 50)

/* True when partsim has a shape rule for this (default-domain) op. */
bool shapes_op_supported(const char *domain, const char *op);

/* Bytes of `elems` elements at `bits` bits each, rounded up to whole bytes. */
int64_t shapes_bytes(int64_t elems, int bits);

/* Slice helpers shared with constant folding (workloads/fold.c). */
/* ONNX Slice semantics for one axis: clamp start/end, count the steps. */
int shapes_slice_range(int64_t dim, int64_t start, int64_t end, int64_t step, int64_t *first,
                       int64_t *len);
/* Per-axis first index, step and output size of a Slice node (starts/ends
 * from inputs since opset 10, from attributes before). */
int shapes_slice_params(graph *g, graph_node *n, ps_error *err, int64_t first[GRAPH_MAX_RANK],
                        int64_t step[GRAPH_MAX_RANK], int64_t dims[GRAPH_MAX_RANK]);

#endif
