/* Constant folding of small tensors (values from graph.h's graph_value). */
#include "workloads/fold.h"

#include <math.h>
#include <string.h>

#include "workloads/shapes.h"

/* A folder returns this when it cannot fold (too large, a case it does not
 * compute): the node then stays a compute node. */
#define FOLD_SKIP (-1)

static bool is_float_type(int32_t et)
{
    return et == GRAPH_DT_FLOAT || et == GRAPH_DT_DOUBLE || et == GRAPH_DT_FLOAT16 ||
           et == GRAPH_DT_BFLOAT16;
}

/* double -> int64 saturating (NaN -> 0): C leaves out-of-range conversions undefined. */
static int64_t to_int(double f)
{
    if (f != f)
        return 0;
    if (f >= 9223372036854775807.0)
        return INT64_MAX;
    if (f <= -9223372036854775808.0)
        return INT64_MIN;
    return (int64_t)f;
}

static double vf(const graph_value *v, int64_t k) { return v->is_float ? v->f[k] : (double)v->i[k]; }
static int64_t vi(const graph_value *v, int64_t k) { return v->is_float ? to_int(v->f[k]) : v->i[k]; }

/* A fresh value for output k, typed by the output's element type. */
static graph_value *new_out(graph *g, graph_node *n, int k)
{
    graph_tensor *t = graph_output(g, n, k);
    if (!t)
        return NULL;
    int64_t e = graph_tensor_elems(t);
    if (e < 0 || e > FOLD_MAX_ELEMS)
        return NULL;
    t->value = graph_value_new(g, e, is_float_type(t->elem_type));
    return t->value;
}

static void put(graph_value *o, int64_t k, double f, int64_t i, bool from_float)
{
    if (o->is_float)
        o->f[k] = from_float ? f : (double)i;
    else
        o->i[k] = from_float ? to_int(f) : i;
}

/* Copy input 0's values unchanged (reshapes, Identity, Dropout). */
static int fold_copy(graph *g, graph_node *n, ps_error *err)
{
    (void)err;
    const graph_value *x = graph_input(g, n, 0)->value;
    graph_value *o = new_out(g, n, 0);
    if (!o || o->n != x->n)
        return FOLD_SKIP;
    for (int64_t k = 0; k < x->n; k++)
        put(o, k, x->is_float ? x->f[k] : 0, x->is_float ? 0 : x->i[k], x->is_float);
    return 0;
}

/* Offset into a broadcast input for output element k. */
static int64_t bcast_offset(const graph_tensor *out, const graph_tensor *in, int64_t k)
{
    int64_t off = 0, stride = 1;
    for (int d = out->rank - 1, di = in->rank - 1; d >= 0; d--, di--) {
        int64_t idx = k % out->dims[d];
        k /= out->dims[d];
        if (di >= 0) {
            if (in->dims[di] != 1)
                off += idx * stride;
            stride *= in->dims[di];
        }
    }
    return off;
}

static int fold_binary(graph *g, graph_node *n, ps_error *err)
{
    (void)err;
    graph_tensor *y = graph_output(g, n, 0);
    const char *op = n->op;
    graph_value *o = new_out(g, n, 0);
    if (!o)
        return FOLD_SKIP;
    bool where = !strcmp(op, "Where");
    graph_tensor *a = graph_input(g, n, where ? 1 : 0), *b = graph_input(g, n, where ? 2 : 1);
    graph_tensor *c = where ? graph_input(g, n, 0) : NULL;
    bool fl = a->value->is_float || b->value->is_float;
    for (int64_t k = 0; k < o->n; k++) {
        int64_t ia = bcast_offset(y, a, k), ib = bcast_offset(y, b, k);
        if (where) {
            bool cond = vi(c->value, bcast_offset(y, c, k)) != 0;
            const graph_value *src = cond ? a->value : b->value;
            int64_t at = cond ? ia : ib;
            put(o, k, vf(src, at), vi(src, at), src->is_float);
            continue;
        }
        if (fl) {
            double x = vf(a->value, ia), z = vf(b->value, ib), r;
            if (!strcmp(op, "Add")) r = x + z;
            else if (!strcmp(op, "Sub")) r = x - z;
            else if (!strcmp(op, "Mul")) r = x * z;
            else if (!strcmp(op, "Div")) r = x / z;
            else if (!strcmp(op, "Pow")) r = pow(x, z);
            else if (!strcmp(op, "Min")) r = fmin(x, z);
            else if (!strcmp(op, "Max")) r = fmax(x, z);
            else if (!strcmp(op, "Equal")) r = x == z;
            else if (!strcmp(op, "Less")) r = x < z;
            else if (!strcmp(op, "Greater")) r = x > z;
            else return FOLD_SKIP;
            put(o, k, r, 0, true);
        } else {
            int64_t x = vi(a->value, ia), z = vi(b->value, ib), r;
            /* a result int64 cannot hold is not folded (C leaves it undefined) */
            bool bad_div = !z || (x == INT64_MIN && z == -1);
            if (!strcmp(op, "Add")) { if (__builtin_add_overflow(x, z, &r)) return FOLD_SKIP; }
            else if (!strcmp(op, "Sub")) { if (__builtin_sub_overflow(x, z, &r)) return FOLD_SKIP; }
            else if (!strcmp(op, "Mul")) { if (__builtin_mul_overflow(x, z, &r)) return FOLD_SKIP; }
            else if (!strcmp(op, "Div")) { if (bad_div) return FOLD_SKIP; r = x / z; }
            else if (!strcmp(op, "Mod")) { if (bad_div) return FOLD_SKIP; r = x % z; }
            else if (!strcmp(op, "Min")) r = x < z ? x : z;
            else if (!strcmp(op, "Max")) r = x > z ? x : z;
            else if (!strcmp(op, "Equal")) r = x == z;
            else if (!strcmp(op, "Less")) r = x < z;
            else if (!strcmp(op, "Greater")) r = x > z;
            else return FOLD_SKIP;
            put(o, k, 0, r, false);
        }
    }
    return 0;
}

static int fold_unary(graph *g, graph_node *n, ps_error *err)
{
    (void)err;
    const graph_value *x = graph_input(g, n, 0)->value;
    graph_value *o = new_out(g, n, 0);
    if (!o)
        return FOLD_SKIP;
    const char *op = n->op;
    for (int64_t k = 0; k < x->n; k++) {
        double f = vf(x, k);
        int64_t i = vi(x, k);
        if ((!strcmp(op, "Neg") || !strcmp(op, "Abs")) && i == INT64_MIN)
            return FOLD_SKIP; /* -INT64_MIN does not fit */
        if (!strcmp(op, "Neg")) { f = -f; i = -i; }
        else if (!strcmp(op, "Abs")) { f = fabs(f); i = i < 0 ? -i : i; }
        else if (!strcmp(op, "Floor")) f = floor(f);
        else if (!strcmp(op, "Ceil")) f = ceil(f);
        else if (!strcmp(op, "Sqrt")) f = sqrt(f);
        else if (!strcmp(op, "Not")) i = !i;
        else if (!strcmp(op, "Cast")) { /* conversion happens in put() */ }
        else return FOLD_SKIP;
        put(o, k, f, i, x->is_float && strcmp(op, "Not") != 0);
    }
    return 0;
}

static int fold_shape(graph *g, graph_node *n, ps_error *err)
{
    (void)err;
    const graph_tensor *x = graph_input(g, n, 0);
    graph_value *o = new_out(g, n, 0);
    if (!o)
        return FOLD_SKIP;
    int64_t start = graph_attr_int(n, "start", 0);
    if (start < 0) start += x->rank;
    if (start < 0) start = 0;
    for (int64_t k = 0; k < o->n; k++)
        o->i[k] = x->dims[start + k];
    return 0;
}

static int fold_gather(graph *g, graph_node *n, ps_error *err)
{
    const graph_tensor *x = graph_input(g, n, 0), *ix = graph_input(g, n, 1);
    int64_t axis = graph_attr_int(n, "axis", 0);
    if (axis < 0)
        axis += x->rank;
    int64_t outer = 1, inner = 1, len = x->dims[axis];
    for (int d = 0; d < axis; d++)
        outer *= x->dims[d];
    for (int d = (int)axis + 1; d < x->rank; d++)
        inner *= x->dims[d];
    graph_value *o = new_out(g, n, 0);
    if (!o)
        return FOLD_SKIP;
    int64_t k = 0;
    for (int64_t a = 0; a < outer; a++)
        for (int64_t j = 0; j < ix->value->n; j++) {
            int64_t idx = vi(ix->value, j);
            if (idx < 0)
                idx += len;
            if (idx < 0 || idx >= len)
                return error_set(err, PS_ERR_INPUT, "%s: node '%s' (Gather): index %lld is out "
                                 "of range for axis %lld of size %lld", g->source, n->name,
                                 (long long)vi(ix->value, j), (long long)axis, (long long)len);
            for (int64_t i = 0; i < inner; i++, k++) {
                int64_t src = (a * len + idx) * inner + i;
                put(o, k, vf(x->value, src), vi(x->value, src), x->value->is_float);
            }
        }
    return 0;
}

static int fold_slice(graph *g, graph_node *n, ps_error *err)
{
    const graph_tensor *x = graph_input(g, n, 0);
    int64_t first[GRAPH_MAX_RANK], step[GRAPH_MAX_RANK], dims[GRAPH_MAX_RANK];
    int rc = shapes_slice_params(g, n, err, first, step, dims);
    if (rc)
        return rc;
    graph_value *o = new_out(g, n, 0);
    if (!o)
        return FOLD_SKIP;
    for (int64_t k = 0; k < o->n; k++) {
        int64_t rem = k, src = 0, stride = 1;
        for (int d = x->rank - 1; d >= 0; d--) {
            int64_t idx = rem % dims[d];
            rem /= dims[d];
            src += (first[d] + idx * step[d]) * stride;
            stride *= x->dims[d];
        }
        put(o, k, vf(x->value, src), vi(x->value, src), x->value->is_float);
    }
    return 0;
}

static int fold_concat(graph *g, graph_node *n, ps_error *err)
{
    (void)err;
    graph_tensor *y = graph_output(g, n, 0);
    int64_t axis = graph_attr_int(n, "axis", 1);
    if (axis < 0)
        axis += y->rank;
    int64_t outer = 1, inner = 1;
    for (int d = 0; d < axis; d++)
        outer *= y->dims[d];
    for (int d = (int)axis + 1; d < y->rank; d++)
        inner *= y->dims[d];
    graph_value *o = new_out(g, n, 0);
    if (!o)
        return FOLD_SKIP;
    int64_t k = 0;
    for (int64_t a = 0; a < outer; a++)
        for (int in = 0; in < n->n_inputs; in++) {
            const graph_tensor *t = graph_input(g, n, in);
            if (!t)
                continue;
            int64_t chunk = t->dims[axis] * inner;
            for (int64_t i = 0; i < chunk; i++, k++)
                put(o, k, vf(t->value, a * chunk + i), vi(t->value, a * chunk + i),
                    t->value->is_float);
        }
    return 0;
}

static int fold_constant_of_shape(graph *g, graph_node *n, ps_error *err)
{
    (void)err;
    const graph_attr *a = graph_attr_find(n, "value");
    graph_value *o = new_out(g, n, 0);
    if (!o)
        return FOLD_SKIP;
    const graph_value *fill = a && a->kind == GRAPH_ATTR_TENSOR ? a->t_value : NULL;
    for (int64_t k = 0; k < o->n; k++)
        put(o, k, fill ? vf(fill, 0) : 0.0, fill ? vi(fill, 0) : 0, fill && fill->is_float);
    return 0;
}

static int fold_range(graph *g, graph_node *n, ps_error *err)
{
    (void)err;
    const graph_value *s = graph_input(g, n, 0)->value, *d = graph_input(g, n, 2)->value;
    graph_value *o = new_out(g, n, 0);
    if (!o)
        return FOLD_SKIP;
    for (int64_t k = 0; k < o->n; k++) {
        int64_t i = 0;
        if (!s->is_float && (__builtin_mul_overflow(k, vi(d, 0), &i) ||
                             __builtin_add_overflow(i, vi(s, 0), &i)))
            return FOLD_SKIP;
        put(o, k, vf(s, 0) + (double)k * vf(d, 0), s->is_float ? 0 : i, s->is_float);
    }
    return 0;
}

static int fold_expand(graph *g, graph_node *n, ps_error *err)
{
    (void)err;
    graph_tensor *y = graph_output(g, n, 0), *x = graph_input(g, n, 0);
    graph_value *o = new_out(g, n, 0);
    if (!o)
        return FOLD_SKIP;
    for (int64_t k = 0; k < o->n; k++) {
        int64_t src = bcast_offset(y, x, k);
        put(o, k, vf(x->value, src), vi(x->value, src), x->value->is_float);
    }
    return 0;
}

typedef int (*fold_fn)(graph *g, graph_node *n, ps_error *err);

static const struct {
    const char *op;
    fold_fn fold;
} FOLDS[] = {
    {"Identity", fold_copy}, {"Reshape", fold_copy}, {"Flatten", fold_copy},
    {"Squeeze", fold_copy}, {"Unsqueeze", fold_copy}, {"Dropout", fold_copy},
    {"Cast", fold_unary}, {"Neg", fold_unary}, {"Abs", fold_unary}, {"Floor", fold_unary},
    {"Ceil", fold_unary}, {"Sqrt", fold_unary}, {"Not", fold_unary},
    {"Add", fold_binary}, {"Sub", fold_binary}, {"Mul", fold_binary}, {"Div", fold_binary},
    {"Mod", fold_binary}, {"Pow", fold_binary}, {"Min", fold_binary}, {"Max", fold_binary},
    {"Equal", fold_binary}, {"Less", fold_binary}, {"Greater", fold_binary},
    {"Where", fold_binary},
    {"Gather", fold_gather}, {"Slice", fold_slice}, {"Concat", fold_concat},
    {"ConstantOfShape", fold_constant_of_shape}, {"Range", fold_range},
    {"Expand", fold_expand},
};

static fold_fn find_fold(const graph_node *n)
{
    if (*n->domain && strcmp(n->domain, "ai.onnx") != 0)
        return NULL;
    for (size_t i = 0; i < sizeof FOLDS / sizeof FOLDS[0]; i++)
        if (!strcmp(FOLDS[i].op, n->op))
            return FOLDS[i].fold;
    return NULL;
}

int fold_node(graph *g, graph_node *n, ps_error *err)
{
    if (!strcmp(n->op, "Constant")) {
        n->is_const = true; /* its value (if any) was set with its shape */
        return 0;
    }
    if (!strcmp(n->op, "Shape")) {
        n->is_const = fold_shape(g, n, err) == 0;
        return 0;
    }
    fold_fn f = find_fold(n);
    if (!f)
        return 0;
    /* Only the inputs that carry data must be known; a binary op with
     * variadic inputs (Min/Max with more than two) is not folded. */
    int present = 0;
    for (int k = 0; k < n->n_inputs; k++) {
        const graph_tensor *t = graph_input(g, n, k);
        if (!t)
            continue;
        if (!t->value)
            return 0;
        present++;
    }
    if (present == 0 && strcmp(n->op, "ConstantOfShape") != 0)
        return 0;
    if (f == fold_binary && present != (strcmp(n->op, "Where") ? 2 : 3))
        return 0;
    int rc = f(g, n, err);
    if (rc == FOLD_SKIP) {
        /* could not fold (too large, unsupported case): drop partial values */
        for (int k = 0; k < n->n_outputs; k++) {
            graph_tensor *t = graph_output(g, n, k);
            if (t)
                t->value = NULL;
        }
        return 0;
    }
    if (rc)
        return rc;
    n->is_const = true;
    return 0;
}
