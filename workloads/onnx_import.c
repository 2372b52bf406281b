/* ONNX ModelProto -> graph. */
#include "workloads/onnx_import.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "onnx.pb-c.h"
#include "workloads/shapes.h"

/* Values are kept only for tensors small enough to matter for shape
 * arithmetic (shape constants, axes, pads, scales); weights never are. */
#define VALUE_MAX_INT_ELEMS (1 << 16)
#define VALUE_MAX_FLOAT_ELEMS 4096

static bool dtype_is_float(int32_t dt)
{
    return dt == GRAPH_DT_FLOAT || dt == GRAPH_DT_DOUBLE || dt == GRAPH_DT_FLOAT16 ||
           dt == GRAPH_DT_BFLOAT16;
}

static int dtype_bytes(int32_t dt)
{
    switch (dt) {
    case GRAPH_DT_BOOL: case GRAPH_DT_INT8: case GRAPH_DT_UINT8: return 1;
    case GRAPH_DT_INT16: case GRAPH_DT_UINT16: case GRAPH_DT_FLOAT16: case GRAPH_DT_BFLOAT16: return 2;
    case GRAPH_DT_INT32: case GRAPH_DT_UINT32: case GRAPH_DT_FLOAT: return 4;
    case GRAPH_DT_INT64: case GRAPH_DT_UINT64: case GRAPH_DT_DOUBLE: return 8;
    default: return 0;
    }
}

static double half_to_double(uint16_t h, bool bfloat)
{
    if (bfloat) {
        uint32_t bits = (uint32_t)h << 16;
        float f;
        memcpy(&f, &bits, sizeof f);
        return f;
    }
    int sign = (h >> 15) & 1, exp = (h >> 10) & 0x1f, man = h & 0x3ff;
    double v;
    if (exp == 0)
        v = man / 1024.0 / 16384.0;
    else if (exp == 31)
        v = man ? 0.0 / 0.0 : 1.0 / 0.0;
    else {
        v = 1.0 + man / 1024.0;
        for (int e = exp - 15; e > 0; e--)
            v *= 2.0;
        for (int e = exp - 15; e < 0; e++)
            v /= 2.0;
    }
    return sign ? -v : v;
}

/* Read element k of little-endian raw data of type dt. */
static void raw_elem(const uint8_t *p, int32_t dt, int64_t *iv, double *fv)
{
    uint64_t u = 0;
    int nb = dtype_bytes(dt);
    for (int b = nb - 1; b >= 0; b--)
        u = (u << 8) | p[b];
    switch (dt) {
    case GRAPH_DT_FLOAT: { uint32_t w = (uint32_t)u; float f; memcpy(&f, &w, 4); *fv = f; break; }
    case GRAPH_DT_DOUBLE: { double d; memcpy(&d, &u, 8); *fv = d; break; }
    case GRAPH_DT_FLOAT16: *fv = half_to_double((uint16_t)u, false); break;
    case GRAPH_DT_BFLOAT16: *fv = half_to_double((uint16_t)u, true); break;
    case GRAPH_DT_INT8: *iv = (int8_t)u; break;
    case GRAPH_DT_INT16: *iv = (int16_t)u; break;
    case GRAPH_DT_INT32: *iv = (int32_t)u; break;
    case GRAPH_DT_INT64: *iv = (int64_t)u; break;
    default: *iv = (int64_t)u; break; /* unsigned, bool */
    }
}

/* Type, dims and (for small tensors with data) values of a TensorProto. */
static int load_tensor(graph *g, const Onnx__TensorProto *tp, const char *what, int32_t *et,
                       int *rank, int64_t dims[GRAPH_MAX_RANK], graph_value **value,
                       ps_error *err)
{
    *value = NULL;
    *et = tp->has_data_type ? tp->data_type : GRAPH_DT_UNDEFINED;
    if (tp->n_dims > GRAPH_MAX_RANK)
        return error_set(err, PS_ERR_UNSUPPORTED, "%s: %s has rank %zu; partsim supports up to %d",
                         g->source, what, tp->n_dims, GRAPH_MAX_RANK);
    *rank = (int)tp->n_dims;
    int64_t n = 1;
    for (size_t d = 0; d < tp->n_dims; d++) {
        if (tp->dims[d] < 0 || (tp->dims[d] > 0 && n > SHAPES_MAX_ELEMS / tp->dims[d]))
            return error_set(err, PS_ERR_INPUT, "%s: %s has an invalid dimension %lld at axis %zu",
                             g->source, what, (long long)tp->dims[d], d);
        dims[d] = tp->dims[d];
        n *= tp->dims[d];
    }
    if (tp->has_data_location && tp->data_location == ONNX__TENSOR_PROTO__DATA_LOCATION__EXTERNAL)
        return 0; /* data in an external file: dims and type are all partsim needs */
    bool is_float = dtype_is_float(*et);
    if (*et == GRAPH_DT_STRING || *et == GRAPH_DT_UNDEFINED || dtype_bytes(*et) == 0)
        return 0;
    size_t have;
    if (tp->has_raw_data) {
        size_t want = (size_t)n * (size_t)dtype_bytes(*et);
        if (tp->raw_data.len != want && tp->raw_data.len != 0)
            return error_set(err, PS_ERR_INPUT,
                             "%s: %s: raw_data holds %zu bytes but %lld elements of %s need %zu",
                             g->source, what, tp->raw_data.len, (long long)n,
                             graph_dtype_name(*et), want);
        have = tp->raw_data.len ? (size_t)n : 0;
    } else {
        have = tp->n_float_data + tp->n_int32_data + tp->n_int64_data + tp->n_double_data +
               tp->n_uint64_data;
        if (have != 0 && have != (size_t)n)
            return error_set(err, PS_ERR_INPUT, "%s: %s holds %zu values but its dims say %lld",
                             g->source, what, have, (long long)n);
    }
    if (have == 0 && n != 0)
        return 0; /* stripped: dims and type only */
    if (n > (is_float ? VALUE_MAX_FLOAT_ELEMS : VALUE_MAX_INT_ELEMS))
        return 0;
    graph_value *v = graph_value_new(g, n, is_float);
    if (!v)
        return error_set(err, PS_ERR_NOMEM, "out of memory");
    for (int64_t k = 0; k < n; k++) {
        int64_t iv = 0;
        double fv = 0;
        if (tp->has_raw_data)
            raw_elem(tp->raw_data.data + (size_t)k * (size_t)dtype_bytes(*et), *et, &iv, &fv);
        else if (tp->n_float_data)
            fv = tp->float_data[k];
        else if (tp->n_double_data)
            fv = tp->double_data[k];
        else if (tp->n_int64_data)
            iv = tp->int64_data[k];
        else if (tp->n_uint64_data)
            iv = (int64_t)tp->uint64_data[k];
        else if (*et == GRAPH_DT_FLOAT16 || *et == GRAPH_DT_BFLOAT16)
            fv = half_to_double((uint16_t)tp->int32_data[k], *et == GRAPH_DT_BFLOAT16);
        else
            iv = tp->int32_data[k];
        if (is_float)
            v->f[k] = tp->n_int32_data || tp->n_int64_data ? (double)iv : fv;
        else
            v->i[k] = tp->n_float_data || tp->n_double_data ? (int64_t)fv : iv;
    }
    *value = v;
    return 0;
}

static int load_attr(graph *g, const graph_node *node, graph_attr *a,
                     const Onnx__AttributeProto *ap, ps_error *err)
{
    a->name = graph_strdup(g, ap->name ? ap->name : "");
    if (!a->name)
        return error_set(err, PS_ERR_NOMEM, "out of memory");
    int type = ap->has_type ? (int)ap->type : 0;
    /* Very old files omit the type: infer it from the field that is set. */
    if (!type) {
        if (ap->n_ints) type = ONNX__ATTRIBUTE_PROTO__ATTRIBUTE_TYPE__INTS;
        else if (ap->n_floats) type = ONNX__ATTRIBUTE_PROTO__ATTRIBUTE_TYPE__FLOATS;
        else if (ap->n_strings) type = ONNX__ATTRIBUTE_PROTO__ATTRIBUTE_TYPE__STRINGS;
        else if (ap->t) type = ONNX__ATTRIBUTE_PROTO__ATTRIBUTE_TYPE__TENSOR;
        else if (ap->has_s) type = ONNX__ATTRIBUTE_PROTO__ATTRIBUTE_TYPE__STRING;
        else if (ap->has_f) type = ONNX__ATTRIBUTE_PROTO__ATTRIBUTE_TYPE__FLOAT;
        else if (ap->has_i) type = ONNX__ATTRIBUTE_PROTO__ATTRIBUTE_TYPE__INT;
    }
    switch (type) {
    case ONNX__ATTRIBUTE_PROTO__ATTRIBUTE_TYPE__FLOAT:
        a->kind = GRAPH_ATTR_FLOAT;
        a->f = ap->f;
        break;
    case ONNX__ATTRIBUTE_PROTO__ATTRIBUTE_TYPE__INT:
        a->kind = GRAPH_ATTR_INT;
        a->i = ap->i;
        break;
    case ONNX__ATTRIBUTE_PROTO__ATTRIBUTE_TYPE__STRING:
        a->kind = GRAPH_ATTR_STRING;
        a->s = graph_alloc(g, ap->s.len + 1);
        if (!a->s)
            return error_set(err, PS_ERR_NOMEM, "out of memory");
        if (ap->s.len)
            memcpy(a->s, ap->s.data, ap->s.len);
        break;
    case ONNX__ATTRIBUTE_PROTO__ATTRIBUTE_TYPE__INTS:
        a->kind = GRAPH_ATTR_INTS;
        a->n = (int)ap->n_ints;
        a->ints = graph_alloc(g, sizeof(int64_t) * (ap->n_ints + 1));
        if (!a->ints)
            return error_set(err, PS_ERR_NOMEM, "out of memory");
        if (ap->n_ints)
            memcpy(a->ints, ap->ints, sizeof(int64_t) * ap->n_ints);
        break;
    case ONNX__ATTRIBUTE_PROTO__ATTRIBUTE_TYPE__FLOATS:
        a->kind = GRAPH_ATTR_FLOATS;
        a->n = (int)ap->n_floats;
        a->floats = graph_alloc(g, sizeof(double) * (ap->n_floats + 1));
        if (!a->floats)
            return error_set(err, PS_ERR_NOMEM, "out of memory");
        for (size_t k = 0; k < ap->n_floats; k++)
            a->floats[k] = ap->floats[k];
        break;
    case ONNX__ATTRIBUTE_PROTO__ATTRIBUTE_TYPE__STRINGS:
        a->kind = GRAPH_ATTR_STRINGS;
        a->n = (int)ap->n_strings;
        break;
    case ONNX__ATTRIBUTE_PROTO__ATTRIBUTE_TYPE__TENSOR: {
        a->kind = GRAPH_ATTR_TENSOR;
        if (!ap->t)
            return error_set(err, PS_ERR_INPUT, "%s: node '%s' (%s): attribute '%s' has no tensor",
                             g->source, node->name, node->op, a->name);
        char what[256];
        snprintf(what, sizeof what, "node '%s' (%s) attribute '%s'", node->name, node->op, a->name);
        return load_tensor(g, ap->t, what, &a->t_elem_type, &a->t_rank, a->t_dims, &a->t_value, err);
    }
    default:
        a->kind = GRAPH_ATTR_OTHER;
        break;
    }
    return 0;
}

/* Type and shape of a graph input / output declaration. */
static int load_value_info(graph *g, graph_tensor *t, const Onnx__ValueInfoProto *vi,
                           bool is_input, ps_error *err)
{
    if (!vi->type || vi->type->value_case != ONNX__TYPE_PROTO__VALUE_TENSOR_TYPE ||
        !vi->type->tensor_type) {
        if (is_input)
            return error_set(err, PS_ERR_UNSUPPORTED,
                             "%s: graph input '%s' is not a tensor (sequence, map or optional "
                             "inputs are not supported)", g->source, t->name);
        return 0;
    }
    const Onnx__TypeProto__Tensor *tt = vi->type->tensor_type;
    t->elem_type = tt->has_elem_type ? tt->elem_type : GRAPH_DT_UNDEFINED;
    if (!is_input)
        return 0; /* outputs: partsim infers the shape itself */
    if (!tt->shape)
        return error_set(err, PS_ERR_INPUT, "%s: graph input '%s' has no shape; partsim needs a "
                         "fixed input size", g->source, t->name);
    if (tt->shape->n_dim > GRAPH_MAX_RANK)
        return error_set(err, PS_ERR_UNSUPPORTED, "%s: graph input '%s' has rank %zu (max %d)",
                         g->source, t->name, tt->shape->n_dim, GRAPH_MAX_RANK);
    t->rank = (int)tt->shape->n_dim;
    int64_t elems = 1;
    for (int d = 0; d < t->rank; d++) {
        const Onnx__TensorShapeProto__Dimension *dim = tt->shape->dim[d];
        if (dim->value_case == ONNX__TENSOR_SHAPE_PROTO__DIMENSION__VALUE_DIM_VALUE &&
            dim->dim_value >= 0) {
            t->dims[d] = dim->dim_value;
        } else if (d == 0) {
            t->dims[d] = 1; /* a symbolic batch dimension: one frame at a time */
        } else {
            const char *sym = dim->value_case == ONNX__TENSOR_SHAPE_PROTO__DIMENSION__VALUE_DIM_PARAM
                                  ? dim->dim_param : "?";
            return error_set(err, PS_ERR_INPUT,
                             "%s: graph input '%s' has a symbolic dimension '%s' at axis %d; "
                             "export the model with a fixed input size", g->source, t->name,
                             sym, d);
        }
        if (t->dims[d] > 0 && elems > SHAPES_MAX_ELEMS / t->dims[d])
            return error_set(err, PS_ERR_INPUT, "%s: graph input '%s' has more than 2^50 elements",
                             g->source, t->name);
        elems *= t->dims[d];
    }
    return 0;
}

static int64_t find_opset(const Onnx__ModelProto *m)
{
    for (size_t k = 0; k < m->n_opset_import; k++) {
        const Onnx__OperatorSetIdProto *o = m->opset_import[k];
        if (!o->domain || !*o->domain || strcmp(o->domain, "ai.onnx") == 0)
            return o->has_version ? o->version : 1;
    }
    return m->n_opset_import ? 0 : 1; /* IR version 1/2 files predate opset_import */
}

static int build_graph(graph *g, const Onnx__ModelProto *m, ps_error *err)
{
    const Onnx__GraphProto *gp = m->graph;
    g->opset = find_opset(m);
    if (g->opset > ONNX_IMPORT_MAX_OPSET)
        return error_set(err, PS_ERR_UNSUPPORTED,
                         "%s: the model uses opset %lld; partsim knows opsets up to %d",
                         g->source, (long long)g->opset, ONNX_IMPORT_MAX_OPSET);
    g->name = graph_strdup(g, gp->name ? gp->name : "");
    if (gp->n_sparse_initializer)
        return error_set(err, PS_ERR_UNSUPPORTED, "%s: sparse initializers are not supported",
                         g->source);

    for (size_t k = 0; k < gp->n_initializer; k++) {
        const Onnx__TensorProto *tp = gp->initializer[k];
        if (!tp->name || !*tp->name)
            return error_set(err, PS_ERR_INPUT, "%s: initializer #%zu has no name", g->source, k);
        int ti = graph_intern(g, tp->name);
        if (ti < 0)
            return error_set(err, PS_ERR_NOMEM, "out of memory");
        graph_tensor *t = &g->tensors[ti];
        if (t->flags & GRAPH_T_INITIALIZER)
            return error_set(err, PS_ERR_INPUT, "%s: initializer '%s' is defined twice", g->source,
                             tp->name);
        char what[320];
        snprintf(what, sizeof what, "initializer '%s'", tp->name);
        int32_t et;
        int rank;
        int64_t dims[GRAPH_MAX_RANK];
        graph_value *v;
        int rc = load_tensor(g, tp, what, &et, &rank, dims, &v, err);
        if (rc)
            return rc;
        t = &g->tensors[ti];
        t->elem_type = et;
        t->rank = rank;
        memcpy(t->dims, dims, sizeof dims);
        t->value = v;
        t->flags |= GRAPH_T_INITIALIZER;
    }

    g->inputs = graph_alloc(g, sizeof(int) * (gp->n_input + 1));
    g->outputs = graph_alloc(g, sizeof(int) * (gp->n_output + 1));
    if (!g->inputs || !g->outputs)
        return error_set(err, PS_ERR_NOMEM, "out of memory");
    for (size_t k = 0; k < gp->n_input; k++) {
        const Onnx__ValueInfoProto *vi = gp->input[k];
        if (!vi->name || !*vi->name)
            return error_set(err, PS_ERR_INPUT, "%s: graph input #%zu has no name", g->source, k);
        int ti = graph_intern(g, vi->name);
        if (ti < 0)
            return error_set(err, PS_ERR_NOMEM, "out of memory");
        if (g->tensors[ti].flags & GRAPH_T_INITIALIZER)
            continue; /* IR < 4 lists initializers among the inputs */
        if (g->tensors[ti].flags & GRAPH_T_INPUT)
            return error_set(err, PS_ERR_INPUT, "%s: graph input '%s' is declared twice",
                             g->source, vi->name);
        int rc = load_value_info(g, &g->tensors[ti], vi, true, err);
        if (rc)
            return rc;
        g->tensors[ti].flags |= GRAPH_T_INPUT;
        g->inputs[g->n_inputs++] = ti;
    }

    for (size_t k = 0; k < gp->n_node; k++) {
        const Onnx__NodeProto *np = gp->node[k];
        if (!np->op_type || !*np->op_type)
            return error_set(err, PS_ERR_INPUT, "%s: node #%zu ('%s') has no op_type", g->source,
                             k, np->name ? np->name : "");
        int ni = graph_add_node(g, np->name, np->op_type, np->domain, (int)np->n_input,
                                (int)np->n_output, (int)np->n_attribute);
        if (ni < 0)
            return error_set(err, PS_ERR_NOMEM, "out of memory");
        for (size_t i = 0; i < np->n_input; i++) {
            if (!np->input[i] || !*np->input[i])
                continue; /* omitted optional input */
            int ti = graph_intern(g, np->input[i]);
            if (ti < 0)
                return error_set(err, PS_ERR_NOMEM, "out of memory");
            g->nodes[ni].inputs[i] = ti;
        }
        for (size_t i = 0; i < np->n_output; i++) {
            if (!np->output[i] || !*np->output[i])
                continue;
            int ti = graph_intern(g, np->output[i]);
            if (ti < 0)
                return error_set(err, PS_ERR_NOMEM, "out of memory");
            g->nodes[ni].outputs[i] = ti;
        }
        for (size_t i = 0; i < np->n_attribute; i++) {
            int rc = load_attr(g, &g->nodes[ni], &g->nodes[ni].attrs[i], np->attribute[i], err);
            if (rc)
                return rc;
        }
    }

    for (size_t k = 0; k < gp->n_output; k++) {
        const Onnx__ValueInfoProto *vi = gp->output[k];
        if (!vi->name || !*vi->name)
            return error_set(err, PS_ERR_INPUT, "%s: graph output #%zu has no name", g->source, k);
        int ti = graph_find(g, vi->name);
        if (ti < 0)
            return error_set(err, PS_ERR_INPUT,
                             "%s: graph output '%s' is produced by no node", g->source, vi->name);
        int rc = load_value_info(g, &g->tensors[ti], vi, false, err);
        if (rc)
            return rc;
        g->tensors[ti].flags |= GRAPH_T_OUTPUT;
        g->outputs[g->n_outputs++] = ti;
    }
    return graph_finalize(g, err);
}

graph *onnx_import_buffer(const void *data, size_t size, const char *source, ps_error *err)
{
    if (size == 0) {
        error_set(err, PS_ERR_INPUT, "%s: the file is empty; expected an ONNX model", source);
        return NULL;
    }
    Onnx__ModelProto *m = onnx__model_proto__unpack(NULL, size, data);
    if (!m) {
        error_set(err, PS_ERR_INPUT,
                  "%s: not an ONNX model (the protobuf ModelProto does not parse: truncated "
                  "or another kind of file)", source);
        return NULL;
    }
    if (!m->graph || !m->has_ir_version) {
        error_set(err, PS_ERR_INPUT, "%s: not an ONNX model (%s)", source,
                  !m->has_ir_version ? "no ir_version" : "no graph");
        onnx__model_proto__free_unpacked(m, NULL);
        return NULL;
    }
    graph *g = graph_new(source);
    if (!g) {
        error_set(err, PS_ERR_NOMEM, "out of memory");
        onnx__model_proto__free_unpacked(m, NULL);
        return NULL;
    }
    int rc = build_graph(g, m, err);
    onnx__model_proto__free_unpacked(m, NULL);
    if (rc) {
        graph_free(g);
        return NULL;
    }
    return g;
}

static void *read_file(const char *path, size_t *size, ps_error *err)
{
    FILE *f = fopen(path, "rb");
    if (!f) {
        error_set(err, PS_ERR_IO, "%s: cannot open: %s", path, strerror(errno));
        return NULL;
    }
    struct stat st;
    if (fstat(fileno(f), &st) != 0 || !S_ISREG(st.st_mode)) {
        error_set(err, PS_ERR_IO, "%s: not a regular file", path);
        fclose(f);
        return NULL;
    }
    if ((unsigned long long)st.st_size > ONNX_IMPORT_MAX_BYTES) {
        error_set(err, PS_ERR_INPUT, "%s: %lld bytes is larger than an ONNX model can be (2 GB)",
                  path, (long long)st.st_size);
        fclose(f);
        return NULL;
    }
    size_t n = (size_t)st.st_size;
    void *buf = malloc(n ? n : 1);
    if (!buf) {
        error_set(err, PS_ERR_NOMEM, "%s: out of memory reading %zu bytes", path, n);
        fclose(f);
        return NULL;
    }
    if (n && fread(buf, 1, n, f) != n) {
        error_set(err, PS_ERR_IO, "%s: read failed", path);
        free(buf);
        fclose(f);
        return NULL;
    }
    fclose(f);
    *size = n;
    return buf;
}

graph *onnx_import_file(const char *path, ps_error *err)
{
    size_t n;
    void *buf = read_file(path, &n, err);
    if (!buf)
        return NULL;
    graph *g = onnx_import_buffer(buf, n, path, err);
    free(buf);
    return g;
}

int onnx_import_tensor_file(const char *path, graph *g, int32_t *elem_type, int *rank,
                            int64_t dims[GRAPH_MAX_RANK], graph_value **value, ps_error *err)
{
    size_t n;
    void *buf = read_file(path, &n, err);
    if (!buf)
        return err ? (int)err->code : PS_ERR_IO;
    Onnx__TensorProto *tp = onnx__tensor_proto__unpack(NULL, n, buf);
    free(buf);
    if (!tp)
        return error_set(err, PS_ERR_INPUT, "%s: not a serialized ONNX TensorProto", path);
    int rc = load_tensor(g, tp, path, elem_type, rank, dims, value, err);
    onnx__tensor_proto__free_unpacked(tp, NULL);
    return rc;
}
