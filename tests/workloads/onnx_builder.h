/* A test-only builder of ONNX models in memory.
 *
 * Tests describe a small model (graph inputs with shapes, initializers with
 * dims only or small int64 / float contents, nodes with attributes), pack it
 * with protobuf-c into the bytes an .onnx file holds, and feed those bytes
 * to the real importer, so every test exercises onnx_import_buffer() and
 * shapes_infer() exactly as a model file would.
 *
 *     onnx_builder *b = ob_new(13);
 *     ob_input(b, "x", GRAPH_DT_FLOAT, OB_INTS(1, 3, 8, 8));
 *     ob_weight(b, "w", OB_INTS(4, 3, 3, 3));
 *     ob_node(b, "Conv", "conv", "x,w", "y");
 *     ob_attr_ints(b, "pads", OB_INTS(1, 1, 1, 1));
 *     ob_output(b, "y");
 *     graph *g = ob_load(b, &err);   // import + shapes_infer
 *     ob_free(b);
 *
 * Input and output lists are comma-separated tensor names; an empty entry
 * ("x,,scales") is an omitted optional input.  Attributes attach to the
 * node added last.  Running out of memory aborts: this is test code. */
#ifndef PARTSIM_TESTS_WORKLOADS_ONNX_BUILDER_H
#define PARTSIM_TESTS_WORKLOADS_ONNX_BUILDER_H

#include <stddef.h>
#include <stdint.h>

#include "base/error.h"
#include "workloads/cuts.h"
#include "workloads/graph.h"

/* A count and an array from a literal list: OB_INTS(1, 3, 224, 224). */
#define OB_INTS(...)                                                                         \
    (int)(sizeof((int64_t[]){__VA_ARGS__}) / sizeof(int64_t)), (const int64_t[]){__VA_ARGS__}
#define OB_FLOATS(...)                                                                       \
    (int)(sizeof((float[]){__VA_ARGS__}) / sizeof(float)), (const float[]){__VA_ARGS__}

typedef struct onnx_builder onnx_builder;

/* A model importing the default-domain opset `opset`. */
onnx_builder *ob_new(int64_t opset);
void ob_free(onnx_builder *b);

/* Graph inputs and outputs. */
void ob_input(onnx_builder *b, const char *name, int32_t elem_type, int rank,
              const int64_t *dims);
void ob_output(onnx_builder *b, const char *name);

/* Initializers: a float32 weight with dims only (weights stripped), any type
 * with dims only, and 1-D int64 / float32 vectors with their contents. */
void ob_weight(onnx_builder *b, const char *name, int rank, const int64_t *dims);
void ob_init(onnx_builder *b, const char *name, int32_t elem_type, int rank,
             const int64_t *dims);
void ob_init_ints(onnx_builder *b, const char *name, int n, const int64_t *values);
void ob_init_floats(onnx_builder *b, const char *name, int n, const float *values);
/* An int64 scalar (rank 0) initializer. */
void ob_init_scalar(onnx_builder *b, const char *name, int64_t value);

/* A node; `name` may be NULL (the importer then names it "<op>_<index>").
 * `inputs` and `outputs` are comma-separated names, or "|"-separated after a
 * leading "|" ("|x|a,b") for names that hold a comma. */
void ob_node(onnx_builder *b, const char *op, const char *name, const char *inputs,
             const char *outputs);
void ob_attr_int(onnx_builder *b, const char *name, int64_t value);
void ob_attr_ints(onnx_builder *b, const char *name, int n, const int64_t *values);
void ob_attr_float(onnx_builder *b, const char *name, float value);
void ob_attr_floats(onnx_builder *b, const char *name, int n, const float *values);
void ob_attr_string(onnx_builder *b, const char *name, const char *value);
/* A tensor attribute of type elem_type and shape dims; `values` (n of them,
 * converted to the type) may be NULL for dims only. */
void ob_attr_tensor(onnx_builder *b, const char *name, int32_t elem_type, int rank,
                    const int64_t *dims, int n, const int64_t *values);

/* The packed ModelProto: malloc'd bytes the caller frees. */
uint8_t *ob_pack(onnx_builder *b, size_t *size);

/* Pack, import as "<source>" and run shape inference.  NULL and err on
 * failure of either step. */
graph *ob_load_as(onnx_builder *b, const char *source, ps_error *err);
#define ob_load(b, err) ob_load_as((b), "test.onnx", (err))

/* ---- shared fixtures ---- */

/* Load the model `b` describes (b is freed), infer shapes and compute its
 * cut-sets.  0 on success; on failure the error is printed and counted as a
 * failed check. */
int ob_load_cuts(onnx_builder *b, graph **g, cut_table *ct);

/* x 1x3x8x8 -> conv1 (3x3, pads 1, bias) -> a 1x4x8x8 -> relu -> b -> conv2 (1x1) -> c 1x2x8x8 */
onnx_builder *ob_chain_model(void);

#endif
