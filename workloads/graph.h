/* The CNN graph: tensors, nodes, graph inputs / outputs and a deterministic
 * topological order.  Built by an importer (workloads/onnx_import.h), given
 * shapes by shape inference (workloads/shapes.h), then read by everything
 * downstream (cut-sets, memory, accelerator cost models).
 *
 * Ownership: a graph owns every string and array it points to (one arena);
 * graph_free() releases all of it. */
#ifndef PARTSIM_WORKLOADS_GRAPH_H
#define PARTSIM_WORKLOADS_GRAPH_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "base/error.h"
#include "base/strmap.h"

#define GRAPH_MAX_RANK 8

/* Element types use ONNX's TensorProto.DataType codes. */
enum {
    GRAPH_DT_UNDEFINED = 0, GRAPH_DT_FLOAT = 1, GRAPH_DT_UINT8 = 2, GRAPH_DT_INT8 = 3,
    GRAPH_DT_UINT16 = 4, GRAPH_DT_INT16 = 5, GRAPH_DT_INT32 = 6, GRAPH_DT_INT64 = 7,
    GRAPH_DT_STRING = 8, GRAPH_DT_BOOL = 9, GRAPH_DT_FLOAT16 = 10, GRAPH_DT_DOUBLE = 11,
    GRAPH_DT_UINT32 = 12, GRAPH_DT_UINT64 = 13, GRAPH_DT_BFLOAT16 = 16
};

/* A tensor's known contents: shape constants, folded shape arithmetic, small
 * constants.  Integer types keep exact int64 values, floating types doubles. */
typedef struct {
    int64_t n;
    bool is_float;
    int64_t *i; /* n values when !is_float */
    double *f;  /* n values when is_float */
} graph_value;

enum {
    GRAPH_T_INPUT = 1u << 0,       /* a graph input fed at run time */
    GRAPH_T_INITIALIZER = 1u << 1, /* an initializer (weights, constants) */
    GRAPH_T_OUTPUT = 1u << 2       /* a graph output */
};

typedef struct {
    char *name;
    int32_t elem_type;
    int rank; /* -1 while the shape is unknown */
    int64_t dims[GRAPH_MAX_RANK];
    unsigned flags;      /* GRAPH_T_* */
    int producer;        /* index of the producing node, -1 if none */
    int n_consumers;
    int *consumers;      /* node indices, one entry per consuming input slot */
    graph_value *value;  /* known contents, or NULL */
} graph_tensor;

typedef enum {
    GRAPH_ATTR_FLOAT, GRAPH_ATTR_INT, GRAPH_ATTR_STRING, GRAPH_ATTR_TENSOR,
    GRAPH_ATTR_FLOATS, GRAPH_ATTR_INTS, GRAPH_ATTR_STRINGS, GRAPH_ATTR_OTHER
} graph_attr_kind;

typedef struct {
    char *name;
    graph_attr_kind kind;
    double f;
    int64_t i;
    char *s;
    int n;            /* entries in ints / floats */
    int64_t *ints;
    double *floats;
    /* GRAPH_ATTR_TENSOR: type, shape and (if present) contents */
    int32_t t_elem_type;
    int t_rank;
    int64_t t_dims[GRAPH_MAX_RANK];
    graph_value *t_value;
} graph_attr;

typedef struct {
    char *name; /* never empty: "<op>_<index>" when the model has none */
    char *op;
    char *domain;
    int n_inputs;
    int *inputs;  /* tensor indices; -1 for an omitted optional input */
    int n_outputs;
    int *outputs; /* tensor indices; -1 for an omitted optional output */
    int n_attrs;
    graph_attr *attrs;
    /* Filled by shape inference (workloads/shapes.h). */
    bool is_const;     /* only computes constants: not a schedule position */
    int64_t macs;      /* multiply-accumulates */
    int64_t params;    /* parameter elements (weights, biases) it owns */
    int64_t in_elems;  /* activation elements read (non-parameter inputs) */
    int64_t out_elems; /* elements written */
} graph_node;

typedef struct graph_arena graph_arena;

typedef struct {
    char *source;      /* file the graph came from, for messages */
    char *name;
    int64_t opset;     /* default-domain opset version */
    int n_tensors, cap_tensors;
    graph_tensor *tensors;
    int n_nodes, cap_nodes;
    graph_node *nodes;
    int n_inputs;
    int *inputs;       /* runtime graph inputs (initializers excluded) */
    int n_outputs;
    int *outputs;
    int *order;        /* topological order: n_nodes node indices */
    /* private */
    graph_arena *arena;
    strmap names;      /* tensor name -> tensor index (keys: the tensors' names) */
} graph;

/* ---- building ---- */
graph *graph_new(const char *source);
void graph_free(graph *g);
void *graph_alloc(graph *g, size_t bytes);            /* zeroed, owned by g */
char *graph_strdup(graph *g, const char *s);
graph_value *graph_value_new(graph *g, int64_t n, bool is_float);
/* Find a tensor by name; -1 if absent. */
int graph_find(const graph *g, const char *name);
/* Find or create a tensor; -1 only when out of memory. */
int graph_intern(graph *g, const char *name);
/* Append a node; returns its index, or -1 when out of memory. */
int graph_add_node(graph *g, const char *name, const char *op, const char *domain,
                   int n_inputs, int n_outputs, int n_attrs);

/* Check producers (one per tensor), that every input exists, and compute
 * consumers and the topological order.  Ties are broken by the order of the
 * nodes in the file, so the schedule is deterministic.  Errors name the node:
 * dangling input, tensor produced twice, cycle. */
int graph_finalize(graph *g, ps_error *err);

/* ---- reading ---- */
const graph_attr *graph_attr_find(const graph_node *n, const char *name);
int64_t graph_attr_int(const graph_node *n, const char *name, int64_t dflt);
double graph_attr_float(const graph_node *n, const char *name, double dflt);
const char *graph_attr_string(const graph_node *n, const char *name, const char *dflt);

int64_t graph_tensor_elems(const graph_tensor *t); /* -1 if the shape is unknown */
/* "1x64x56x56" (or "?" when unknown) into buf; returns buf. */
char *graph_shape_str(const graph_tensor *t, char *buf, size_t size);
/* Tensor of input slot k of node n, or NULL when absent/omitted. */
graph_tensor *graph_input(const graph *g, const graph_node *n, int k);
graph_tensor *graph_output(const graph *g, const graph_node *n, int k);
/* True for tensors that hold parameters: initializers of a floating type. */
bool graph_tensor_is_param(const graph_tensor *t);
const char *graph_dtype_name(int32_t elem_type);

#endif
