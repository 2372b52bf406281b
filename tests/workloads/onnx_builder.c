/* Test-only ONNX model builder on the protobuf-c generated API. */
#include "tests/workloads/onnx_builder.h"

#include "tests/harness.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "onnx.pb-c.h"
#include "workloads/onnx_import.h"
#include "workloads/shapes.h"

/* Enough for every hand-built test model. */
#define OB_MAX_ITEMS 64
#define OB_MAX_ATTRS 16

struct onnx_builder {
    Onnx__ModelProto model;
    Onnx__GraphProto graph;
    Onnx__OperatorSetIdProto opset;
    Onnx__OperatorSetIdProto *opsets[1];
    Onnx__NodeProto *last; /* attributes go here */
    /* Every allocation, freed together by ob_free(). */
    void **allocs;
    size_t n_allocs, cap_allocs;
};

static void *ob_alloc(onnx_builder *b, size_t size)
{
    if (b->n_allocs == b->cap_allocs) {
        b->cap_allocs = b->cap_allocs ? 2 * b->cap_allocs : 64;
        b->allocs = realloc(b->allocs, b->cap_allocs * sizeof *b->allocs);
        if (!b->allocs)
            abort();
    }
    void *p = calloc(1, size ? size : 1);
    if (!p)
        abort();
    return b->allocs[b->n_allocs++] = p;
}

static char *ob_strdup(onnx_builder *b, const char *s)
{
    char *d = ob_alloc(b, strlen(s) + 1);
    memcpy(d, s, strlen(s));
    return d;
}

/* Append to a pointer array of capacity OB_MAX_ITEMS (allocated on first use). */
#define OB_APPEND(b, n, arr, item)                                                           \
    do {                                                                                     \
        if (!(arr))                                                                          \
            (arr) = ob_alloc((b), OB_MAX_ITEMS * sizeof *(arr));                             \
        if ((n) == OB_MAX_ITEMS)                                                             \
            abort();                                                                         \
        (arr)[(n)++] = (item);                                                               \
    } while (0)

onnx_builder *ob_new(int64_t opset)
{
    onnx_builder *b = calloc(1, sizeof *b);
    if (!b)
        abort();
    onnx__model_proto__init(&b->model);
    onnx__graph_proto__init(&b->graph);
    onnx__operator_set_id_proto__init(&b->opset);
    b->opset.domain = "";
    b->opset.has_version = 1;
    b->opset.version = opset;
    b->opsets[0] = &b->opset;
    b->model.has_ir_version = 1;
    b->model.ir_version = 8;
    b->model.n_opset_import = 1;
    b->model.opset_import = b->opsets;
    b->model.producer_name = "partsim-tests";
    b->graph.name = "test_graph";
    b->model.graph = &b->graph;
    return b;
}

void ob_free(onnx_builder *b)
{
    if (!b)
        return;
    for (size_t i = 0; i < b->n_allocs; i++)
        free(b->allocs[i]);
    free(b->allocs);
    free(b);
}

static Onnx__ValueInfoProto *value_info(onnx_builder *b, const char *name)
{
    Onnx__ValueInfoProto *vi = ob_alloc(b, sizeof *vi);
    onnx__value_info_proto__init(vi);
    vi->name = ob_strdup(b, name);
    return vi;
}

void ob_input(onnx_builder *b, const char *name, int32_t elem_type, int rank,
              const int64_t *dims)
{
    Onnx__TensorShapeProto *shape = ob_alloc(b, sizeof *shape);
    onnx__tensor_shape_proto__init(shape);
    shape->n_dim = (size_t)rank;
    shape->dim = ob_alloc(b, (size_t)rank * sizeof *shape->dim);
    for (int d = 0; d < rank; d++) {
        Onnx__TensorShapeProto__Dimension *dim = ob_alloc(b, sizeof *dim);
        onnx__tensor_shape_proto__dimension__init(dim);
        dim->value_case = ONNX__TENSOR_SHAPE_PROTO__DIMENSION__VALUE_DIM_VALUE;
        dim->dim_value = dims[d];
        shape->dim[d] = dim;
    }
    Onnx__TypeProto__Tensor *tt = ob_alloc(b, sizeof *tt);
    onnx__type_proto__tensor__init(tt);
    tt->has_elem_type = 1;
    tt->elem_type = elem_type;
    tt->shape = shape;
    Onnx__TypeProto *type = ob_alloc(b, sizeof *type);
    onnx__type_proto__init(type);
    type->value_case = ONNX__TYPE_PROTO__VALUE_TENSOR_TYPE;
    type->tensor_type = tt;
    Onnx__ValueInfoProto *vi = value_info(b, name);
    vi->type = type;
    OB_APPEND(b, b->graph.n_input, b->graph.input, vi);
}

void ob_output(onnx_builder *b, const char *name)
{
    OB_APPEND(b, b->graph.n_output, b->graph.output, value_info(b, name));
}

/* A TensorProto of the given type and dims; n values (or none) stored in the
 * field the type uses. */
static Onnx__TensorProto *tensor(onnx_builder *b, const char *name, int32_t elem_type, int rank,
                                 const int64_t *dims, int n, const int64_t *ints,
                                 const float *floats)
{
    Onnx__TensorProto *t = ob_alloc(b, sizeof *t);
    onnx__tensor_proto__init(t);
    if (name)
        t->name = ob_strdup(b, name);
    t->has_data_type = 1;
    t->data_type = elem_type;
    t->n_dims = (size_t)rank;
    t->dims = ob_alloc(b, (size_t)rank * sizeof *t->dims);
    if (rank)
        memcpy(t->dims, dims, (size_t)rank * sizeof *t->dims);
    if (n && elem_type == GRAPH_DT_FLOAT) {
        t->n_float_data = (size_t)n;
        t->float_data = ob_alloc(b, (size_t)n * sizeof *t->float_data);
        for (int i = 0; i < n; i++)
            t->float_data[i] = floats ? floats[i] : (float)ints[i];
    } else if (n) {
        t->n_int64_data = (size_t)n;
        t->int64_data = ob_alloc(b, (size_t)n * sizeof *t->int64_data);
        memcpy(t->int64_data, ints, (size_t)n * sizeof *t->int64_data);
    }
    return t;
}

void ob_init(onnx_builder *b, const char *name, int32_t elem_type, int rank,
             const int64_t *dims)
{
    Onnx__TensorProto *t = tensor(b, name, elem_type, rank, dims, 0, NULL, NULL);
    OB_APPEND(b, b->graph.n_initializer, b->graph.initializer, t);
}

void ob_weight(onnx_builder *b, const char *name, int rank, const int64_t *dims)
{
    ob_init(b, name, GRAPH_DT_FLOAT, rank, dims);
}

void ob_init_ints(onnx_builder *b, const char *name, int n, const int64_t *values)
{
    int64_t len = n;
    Onnx__TensorProto *t = tensor(b, name, GRAPH_DT_INT64, 1, &len, n, values, NULL);
    OB_APPEND(b, b->graph.n_initializer, b->graph.initializer, t);
}

void ob_init_floats(onnx_builder *b, const char *name, int n, const float *values)
{
    int64_t len = n;
    Onnx__TensorProto *t = tensor(b, name, GRAPH_DT_FLOAT, 1, &len, n, NULL, values);
    OB_APPEND(b, b->graph.n_initializer, b->graph.initializer, t);
}

void ob_init_scalar(onnx_builder *b, const char *name, int64_t value)
{
    Onnx__TensorProto *t = tensor(b, name, GRAPH_DT_INT64, 0, NULL, 1, &value, NULL);
    OB_APPEND(b, b->graph.n_initializer, b->graph.initializer, t);
}

/* Split "a,,b" into {"a", "", "b"}; "" gives no names at all.  A list that
 * starts with '|' is split at '|' instead, for names that hold a comma
 * ("|x|a,b" is {"x", "a,b"}). */
static char **split_names(onnx_builder *b, const char *list, size_t *count)
{
    *count = 0;
    if (!list || !*list)
        return NULL;
    char sep = ',';
    if (*list == '|')
        sep = *list++;
    size_t n = 1;
    for (const char *p = list; *p; p++)
        n += *p == sep;
    char **names = ob_alloc(b, n * sizeof *names);
    const char *start = list;
    for (size_t i = 0; i < n; i++) {
        const char *end = strchr(start, sep);
        size_t len = end ? (size_t)(end - start) : strlen(start);
        names[i] = ob_alloc(b, len + 1);
        memcpy(names[i], start, len);
        start += len + 1;
    }
    *count = n;
    return names;
}

void ob_node(onnx_builder *b, const char *op, const char *name, const char *inputs,
             const char *outputs)
{
    Onnx__NodeProto *n = ob_alloc(b, sizeof *n);
    onnx__node_proto__init(n);
    n->op_type = ob_strdup(b, op);
    if (name)
        n->name = ob_strdup(b, name);
    n->input = split_names(b, inputs, &n->n_input);
    n->output = split_names(b, outputs, &n->n_output);
    n->attribute = ob_alloc(b, OB_MAX_ATTRS * sizeof *n->attribute);
    OB_APPEND(b, b->graph.n_node, b->graph.node, n);
    b->last = n;
}

static Onnx__AttributeProto *attr(onnx_builder *b, const char *name,
                                  Onnx__AttributeProto__AttributeType type)
{
    if (!b->last || b->last->n_attribute == OB_MAX_ATTRS)
        abort(); /* an attribute needs a node, and a bounded number of them */
    Onnx__AttributeProto *a = ob_alloc(b, sizeof *a);
    onnx__attribute_proto__init(a);
    a->name = ob_strdup(b, name);
    a->has_type = 1;
    a->type = type;
    b->last->attribute[b->last->n_attribute++] = a;
    return a;
}

void ob_attr_int(onnx_builder *b, const char *name, int64_t value)
{
    Onnx__AttributeProto *a = attr(b, name, ONNX__ATTRIBUTE_PROTO__ATTRIBUTE_TYPE__INT);
    a->has_i = 1;
    a->i = value;
}

void ob_attr_ints(onnx_builder *b, const char *name, int n, const int64_t *values)
{
    Onnx__AttributeProto *a = attr(b, name, ONNX__ATTRIBUTE_PROTO__ATTRIBUTE_TYPE__INTS);
    a->n_ints = (size_t)n;
    a->ints = ob_alloc(b, (size_t)n * sizeof *a->ints);
    memcpy(a->ints, values, (size_t)n * sizeof *a->ints);
}

void ob_attr_float(onnx_builder *b, const char *name, float value)
{
    Onnx__AttributeProto *a = attr(b, name, ONNX__ATTRIBUTE_PROTO__ATTRIBUTE_TYPE__FLOAT);
    a->has_f = 1;
    a->f = value;
}

void ob_attr_floats(onnx_builder *b, const char *name, int n, const float *values)
{
    Onnx__AttributeProto *a = attr(b, name, ONNX__ATTRIBUTE_PROTO__ATTRIBUTE_TYPE__FLOATS);
    a->n_floats = (size_t)n;
    a->floats = ob_alloc(b, (size_t)n * sizeof *a->floats);
    memcpy(a->floats, values, (size_t)n * sizeof *a->floats);
}

void ob_attr_string(onnx_builder *b, const char *name, const char *value)
{
    Onnx__AttributeProto *a = attr(b, name, ONNX__ATTRIBUTE_PROTO__ATTRIBUTE_TYPE__STRING);
    a->has_s = 1;
    a->s.len = strlen(value);
    a->s.data = (uint8_t *)ob_strdup(b, value);
}

void ob_attr_tensor(onnx_builder *b, const char *name, int32_t elem_type, int rank,
                    const int64_t *dims, int n, const int64_t *values)
{
    Onnx__AttributeProto *a = attr(b, name, ONNX__ATTRIBUTE_PROTO__ATTRIBUTE_TYPE__TENSOR);
    a->t = tensor(b, NULL, elem_type, rank, dims, values ? n : 0, values, NULL);
}

uint8_t *ob_pack(onnx_builder *b, size_t *size)
{
    *size = onnx__model_proto__get_packed_size(&b->model);
    uint8_t *bytes = malloc(*size ? *size : 1);
    if (!bytes)
        abort();
    onnx__model_proto__pack(&b->model, bytes);
    return bytes;
}

graph *ob_load_as(onnx_builder *b, const char *source, ps_error *err)
{
    size_t size;
    uint8_t *bytes = ob_pack(b, &size);
    graph *g = onnx_import_buffer(bytes, size, source, err);
    free(bytes);
    if (g && shapes_infer(g, err) != 0) {
        graph_free(g);
        return NULL;
    }
    return g;
}

/* ---- shared fixtures ---- */

/* Import, infer and cut the model `b` describes (b is freed).  0 on success;
 * a failure is a failed check. */
int ob_load_cuts(onnx_builder *b, graph **g, cut_table *ct)
{
    ps_error err = {0};
    *g = ob_load(b, &err);
    ob_free(b);
    if (*g && cuts_compute(*g, ct, &err) == 0)
        return 0;
    fprintf(stderr, "model did not load or cut: %s\n", err.msg);
    harness_failed_checks++;
    graph_free(*g);
    return -1;
}

/* Schedule 0 conv1, 1 relu, 2 conv2:
 *   x 1x3x8x8 = 192 -> conv1 (w 4x3x3x3 = 108, bias 4) -> a 1x4x8x8 = 256
 *   -> relu -> b 256 -> conv2 (w 2x4x1x1 = 8) -> c 1x2x8x8 = 128
 * params: conv1 112, relu 0, conv2 8
 * f_in + f_out: conv1 192+256 = 448, relu 256+256 = 512, conv2 256+128 = 384 */
onnx_builder *ob_chain_model(void)
{
    onnx_builder *b = ob_new(13);
    ob_input(b, "x", GRAPH_DT_FLOAT, OB_INTS(1, 3, 8, 8));
    ob_weight(b, "w1", OB_INTS(4, 3, 3, 3));
    ob_weight(b, "b1", OB_INTS(4));
    ob_weight(b, "w2", OB_INTS(2, 4, 1, 1));
    ob_node(b, "Conv", "conv1", "x,w1,b1", "a");
    ob_attr_ints(b, "pads", OB_INTS(1, 1, 1, 1));
    ob_node(b, "Relu", "relu", "a", "b");
    ob_node(b, "Conv", "conv2", "b,w2", "c");
    ob_output(b, "c");
    return b;
}

