/* ONNX import: parse a ModelProto (protobuf-c code generated at build time
 * from Debian's onnx.proto) into a graph.
 *
 * Initializers may carry data or only dims and type (weights stripped);
 * external data files are never read.  Shapes are not inferred here: call
 * shapes_infer() (workloads/shapes.h) on the result, or use
 * workload_load() (workloads/workload.h) which does both. */
#ifndef PARTSIM_WORKLOADS_ONNX_IMPORT_H
#define PARTSIM_WORKLOADS_ONNX_IMPORT_H

#include <stddef.h>

#include "base/error.h"
#include "workloads/graph.h"

/* Newest default-domain opset whose operators partsim knows. */
#define ONNX_IMPORT_MAX_OPSET 18
/* Largest model file accepted (protobuf's own limit is 2 GiB). */
#define ONNX_IMPORT_MAX_BYTES ((size_t)2000 * 1024 * 1024)

/* Read `path` and build its graph (finalized: producers, consumers, order).
 * On failure returns NULL and fills err naming the file and what is wrong. */
graph *onnx_import_file(const char *path, ps_error *err);

/* Same from bytes in memory; `source` names them in messages. */
graph *onnx_import_buffer(const void *data, size_t size, const char *source, ps_error *err);

/* Decode a serialized TensorProto (as in ONNX's test_data_set_*.pb) into its
 * type, dims and, when present, values.  Returns 0 or an error. */
int onnx_import_tensor_file(const char *path, graph *g, int32_t *elem_type, int *rank,
                            int64_t dims[GRAPH_MAX_RANK], graph_value **value, ps_error *err);

#endif
