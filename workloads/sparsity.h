/* Sparsity (fraction of zeros, 0..1) of every tensor of a graph: defaults
 * per op type, overridden by a CSV file with the header `tensor,sparsity`
 * (tensor = ONNX tensor name, columns in any order). */
#ifndef PARTSIM_WORKLOADS_SPARSITY_H
#define PARTSIM_WORKLOADS_SPARSITY_H

#include "base/error.h"
#include "workloads/graph.h"

/* Default sparsity of a ReLU output: an assumption (NeuPart and Eyeriss
 * report 40-75 % zeros in AlexNet's ReLU outputs); give measured values per
 * tensor with a sparsity file. */
#define SPARSITY_DEFAULT_RELU 0.5

typedef struct {
    int n;
    double *by_tensor; /* indexed by tensor index */
} sparsity_table;

/* Defaults: graph inputs and parameters 0; outputs of Relu (and LeakyRelu /
 * Clip at 0) SPARSITY_DEFAULT_RELU; ops that only move or select data
 * (MaxPool, Concat, Flatten, Reshape, Pad, Dropout, Identity, Split,
 * Transpose, Squeeze, Unsqueeze) inherit their data input's sparsity; every
 * other op 0.  Requires shapes_infer() to have run. */
int sparsity_defaults(const graph *g, sparsity_table *t, ps_error *err);

/* Read `path` (base/csv.h syntax: a name holding a comma is quoted,
 * "a,b"; '#' comment lines; note or note_* columns ignored) over the
 * defaults: the file's values replace the defaults of their tensors, and
 * flow on through data-movement ops (a given ReLU output sparsity also holds
 * for the MaxPool after it) unless the file gives those too.  A tensor not
 * in the model (with the closest tensor name), a value outside 0..1 or a
 * malformed line is an error naming the file, line and column. */
int sparsity_load_csv(const graph *g, const char *path, sparsity_table *t, ps_error *err);

void sparsity_free(sparsity_table *t);

static inline double sparsity_of(const sparsity_table *t, int tensor)
{
    return t && t->by_tensor && tensor >= 0 && tensor < t->n ? t->by_tensor[tensor] : 0.0;
}

#endif
