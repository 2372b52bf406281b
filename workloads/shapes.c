/* Shape rules for the supported ONNX operators (semantics as in the ONNX
 * operator specification, opsets 1-18), constant folding of shape chains,
 * and per-node MACs / parameters / element counts. */
#include "workloads/shapes.h"

#include <math.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "workloads/fold.h"

/* ---- helpers ---- */

static int node_error(ps_error *err, const graph *g, const graph_node *n, ps_status code,
                      const char *fmt, ...) __attribute__((format(printf, 5, 6)));

static int node_error(ps_error *err, const graph *g, const graph_node *n, ps_status code,
                      const char *fmt, ...)
{
    char msg[PS_ERROR_MSG_MAX];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    return error_set(err, code, "%s: node '%s' (%s): %s", g->source, n->name,
                     n->op, msg);
}

#define FAIL(...) return node_error(err, g, n, PS_ERR_INPUT, __VA_ARGS__)

static graph_tensor *IN(graph *g, graph_node *n, int k) { return graph_input(g, n, k); }
static graph_tensor *OUT(graph *g, graph_node *n, int k) { return graph_output(g, n, k); }

static void set_shape(graph_tensor *t, int32_t et, int rank, const int64_t *dims)
{
    if (!t)
        return;
    t->elem_type = et;
    t->rank = rank;
    for (int d = 0; d < rank; d++)
        t->dims[d] = dims[d];
}

static void copy_shape(graph_tensor *dst, const graph_tensor *src)
{
    set_shape(dst, src->elem_type, src->rank, src->dims);
}

/* Input k must be present with a known shape (and, if min_rank >= 0, rank >= min_rank). */
static int need(graph *g, graph_node *n, ps_error *err, int k, int min_rank)
{
    graph_tensor *t = IN(g, n, k);
    if (!t)
        FAIL("input #%d is missing", k);
    if (t->rank < 0)
        FAIL("the shape of input '%s' is unknown", t->name);
    if (min_rank >= 0 && t->rank < min_rank)
        FAIL("input '%s' has rank %d; expected at least %d", t->name, t->rank, min_rank);
    return 0;
}

static int norm_axis(graph *g, graph_node *n, ps_error *err, int64_t axis, int rank, int *out)
{
    if (axis < -rank || axis >= rank)
        FAIL("axis %lld is out of range for rank %d", (long long)axis, rank);
    *out = (int)(axis < 0 ? axis + rank : axis);
    return 0;
}

/* Integer values of input k: must be known (an initializer with data or a
 * folded chain).  `what` names the input in the message. */
static int const_ints(graph *g, graph_node *n, ps_error *err, int k, const char *what, const int64_t **vals,
                      int64_t *count)
{
    graph_tensor *t = IN(g, n, k);
    if (!t)
        FAIL("input #%d (%s) is missing", k, what);
    if (!t->value)
        FAIL("input '%s' (%s) must be a constant (an initializer with data, a Constant or a "
             "foldable shape chain) for partsim to infer the output shape", t->name, what);
    if (t->value->is_float) {
        /* Rare but legal in old exports (e.g. float shape): convert. */
        int64_t *iv = graph_alloc(g, sizeof(int64_t) * (size_t)(t->value->n + 1));
        if (!iv)
            return error_set(err, PS_ERR_NOMEM, "out of memory");
        for (int64_t i = 0; i < t->value->n; i++)
            iv[i] = (int64_t)t->value->f[i];
        *vals = iv;
    } else {
        *vals = t->value->i;
    }
    *count = t->value->n;
    return 0;
}

static int const_floats(graph *g, graph_node *n, ps_error *err, int k, const char *what, double *out, int max,
                        int *count)
{
    graph_tensor *t = IN(g, n, k);
    if (!t || !t->value)
        FAIL("input '%s' (%s) must be a constant for partsim to infer the output shape",
             t ? t->name : "?", what);
    if (t->value->n > max)
        FAIL("input '%s' (%s) has %lld values; expected at most %d", t->name, what,
             (long long)t->value->n, max);
    for (int64_t i = 0; i < t->value->n; i++)
        out[i] = t->value->is_float ? t->value->f[i] : (double)t->value->i[i];
    *count = (int)t->value->n;
    return 0;
}

/* Ints from attribute `name`, or NULL/0 if absent. */
static const int64_t *attr_ints(const graph_node *n, const char *name, int *count)
{
    const graph_attr *a = graph_attr_find(n, name);
    if (!a || a->kind != GRAPH_ATTR_INTS) {
        *count = 0;
        return NULL;
    }
    *count = a->n;
    return a->ints;
}

static bool has_input(const graph_node *n, int k) { return k < n->n_inputs && n->inputs[k] >= 0; }

/* a·b for a, b >= 0, or -1 when either is negative or the product exceeds
 * SHAPES_MAX_ELEMS: values from a file must not overflow int64 arithmetic. */
static int64_t mul_capped(int64_t a, int64_t b)
{
    if (a < 0 || b < 0 || (b > 0 && a > SHAPES_MAX_ELEMS / b))
        return -1;
    return a * b;
}

/* floor(v) as a dimension, or -1 when that is not a finite size up to 2^50. */
static int64_t dim_from_double(double v)
{
    v = floor(v);
    return v >= 0 && v <= (double)SHAPES_MAX_ELEMS ? (int64_t)v : -1;
}

/* numpy multidirectional broadcasting of a and b into out */
static int broadcast2(graph *g, graph_node *n, ps_error *err, const graph_tensor *a, int rb, const int64_t *db,
                      int *rank, int64_t *dims)
{
    int ra = a->rank;
    int r = ra > rb ? ra : rb;
    if (r > GRAPH_MAX_RANK)
        FAIL("broadcast rank %d exceeds %d", r, GRAPH_MAX_RANK);
    for (int i = 0; i < r; i++) {
        int ia = i - (r - ra), ib = i - (r - rb);
        int64_t x = ia >= 0 ? a->dims[ia] : 1;
        int64_t y = ib >= 0 ? db[ib] : 1;
        if (x != y && x != 1 && y != 1)
            FAIL("shapes cannot be broadcast: dimension %lld against %lld at output axis %d",
                 (long long)x, (long long)y, i);
        dims[i] = x == 1 ? y : x;
    }
    *rank = r;
    return 0;
}

/* ---- element-wise and shape-preserving ---- */

static int infer_same(graph *g, graph_node *n, ps_error *err)
{
    int rc = need(g, n, err, 0, -1);
    if (rc)
        return rc;
    for (int k = 0; k < n->n_outputs; k++)
        copy_shape(OUT(g, n, k), IN(g, n, 0));
    return 0;
}

static int broadcast_inputs(graph *g, graph_node *n, ps_error *err, int *rank, int64_t *dims)
{
    int rc = need(g, n, err, 0, -1);
    if (rc)
        return rc;
    graph_tensor *a = IN(g, n, 0);
    *rank = a->rank;
    memcpy(dims, a->dims, sizeof(int64_t) * (size_t)a->rank);
    for (int k = 1; k < n->n_inputs; k++) {
        if (!has_input(n, k))
            continue;
        if ((rc = need(g, n, err, k, -1)))
            return rc;
        graph_tensor acc = {0};
        acc.rank = *rank;
        memcpy(acc.dims, dims, sizeof(int64_t) * (size_t)*rank);
        graph_tensor *b = IN(g, n, k);
        if ((rc = broadcast2(g, n, err, &acc, b->rank, b->dims, rank, dims)))
            return rc;
    }
    return 0;
}

static int infer_broadcast(graph *g, graph_node *n, ps_error *err)
{
    int rank;
    int64_t dims[GRAPH_MAX_RANK];
    int rc = broadcast_inputs(g, n, err, &rank, dims);
    if (rc)
        return rc;
    /* Where's type comes from its value inputs, not from the condition. */
    int32_t et = strcmp(n->op, "Where") == 0 && IN(g, n, 1) ? IN(g, n, 1)->elem_type
                                                            : IN(g, n, 0)->elem_type;
    set_shape(OUT(g, n, 0), et, rank, dims);
    return 0;
}

static int infer_compare(graph *g, graph_node *n, ps_error *err)
{
    int rank;
    int64_t dims[GRAPH_MAX_RANK];
    int rc = broadcast_inputs(g, n, err, &rank, dims);
    if (rc)
        return rc;
    set_shape(OUT(g, n, 0), GRAPH_DT_BOOL, rank, dims);
    return 0;
}

static int infer_prelu(graph *g, graph_node *n, ps_error *err)
{
    int rc = need(g, n, err, 0, -1);
    if (!rc)
        rc = need(g, n, err, 1, -1);
    if (rc)
        return rc;
    int rank;
    int64_t dims[GRAPH_MAX_RANK];
    graph_tensor *x = IN(g, n, 0), *s = IN(g, n, 1);
    /* Before opset 7 a 1-D slope of C channels applies along axis 1. */
    if (s->rank == 1 && x->rank >= 2 && s->dims[0] == x->dims[1] && x->rank > 2 &&
        s->dims[0] != x->dims[x->rank - 1]) {
        copy_shape(OUT(g, n, 0), x);
        return 0;
    }
    if ((rc = broadcast2(g, n, err, x, s->rank, s->dims, &rank, dims)))
        return rc;
    if (rank != x->rank || memcmp(dims, x->dims, sizeof(int64_t) * (size_t)rank) != 0)
        FAIL("slope '%s' does not broadcast to the input's shape", s->name);
    copy_shape(OUT(g, n, 0), x);
    return 0;
}

static int infer_batchnorm(graph *g, graph_node *n, ps_error *err)
{
    int rc = need(g, n, err, 0, 2);
    if (rc)
        return rc;
    graph_tensor *x = IN(g, n, 0);
    for (int k = 1; k < n->n_inputs && k < 5; k++) {
        graph_tensor *p = IN(g, n, k);
        if (p && p->rank == 1 && p->dims[0] != x->dims[1])
            FAIL("input '%s' has %lld entries but the input has %lld channels", p->name,
                 (long long)p->dims[0], (long long)x->dims[1]);
    }
    copy_shape(OUT(g, n, 0), x);
    int64_t c = x->dims[1];
    for (int k = 1; k < n->n_outputs; k++)
        set_shape(OUT(g, n, k), x->elem_type, 1, &c);
    return 0;
}

static int infer_dropout(graph *g, graph_node *n, ps_error *err)
{
    int rc = need(g, n, err, 0, -1);
    if (rc)
        return rc;
    copy_shape(OUT(g, n, 0), IN(g, n, 0));
    /* The mask has the input's type in Dropout-7 and is bool since Dropout-10. */
    if (OUT(g, n, 1))
        set_shape(OUT(g, n, 1), g->opset >= 10 ? GRAPH_DT_BOOL : IN(g, n, 0)->elem_type,
                  IN(g, n, 0)->rank, IN(g, n, 0)->dims);
    return 0;
}

/* ---- convolution and pooling ---- */

typedef struct {
    int k;                         /* spatial rank */
    int64_t kernel[GRAPH_MAX_RANK];
    int64_t stride[GRAPH_MAX_RANK];
    int64_t dilation[GRAPH_MAX_RANK];
    int64_t pad_begin[GRAPH_MAX_RANK], pad_end[GRAPH_MAX_RANK];
    const char *auto_pad;
} window;

static int read_window(graph *g, graph_node *n, ps_error *err, int k, const int64_t *kernel, window *w)
{
    w->k = k;
    int cnt;
    const int64_t *v;
    for (int i = 0; i < k; i++) {
        w->kernel[i] = kernel[i];
        w->stride[i] = w->dilation[i] = 1;
        w->pad_begin[i] = w->pad_end[i] = 0;
    }
    if ((v = attr_ints(n, "strides", &cnt))) {
        if (cnt != k)
            FAIL("strides has %d entries; expected %d", cnt, k);
        memcpy(w->stride, v, sizeof(int64_t) * (size_t)k);
    }
    if ((v = attr_ints(n, "dilations", &cnt))) {
        if (cnt != k)
            FAIL("dilations has %d entries; expected %d", cnt, k);
        memcpy(w->dilation, v, sizeof(int64_t) * (size_t)k);
    }
    if ((v = attr_ints(n, "pads", &cnt))) {
        if (cnt != 2 * k)
            FAIL("pads has %d entries; expected %d (begin and end per spatial axis)", cnt, 2 * k);
        for (int i = 0; i < k; i++) {
            w->pad_begin[i] = v[i];
            w->pad_end[i] = v[i + k];
        }
    }
    for (int i = 0; i < k; i++) {
        if (w->kernel[i] <= 0 || w->stride[i] <= 0 || w->dilation[i] <= 0)
            FAIL("kernel, strides and dilations must be positive (axis %d: %lld, %lld, %lld)", i,
                 (long long)w->kernel[i], (long long)w->stride[i], (long long)w->dilation[i]);
        if (w->pad_begin[i] < 0 || w->pad_end[i] < 0)
            FAIL("negative pads are not supported");
        if (w->stride[i] > SHAPES_MAX_ELEMS || w->pad_begin[i] > SHAPES_MAX_ELEMS ||
            w->pad_end[i] > SHAPES_MAX_ELEMS || mul_capped(w->kernel[i] - 1, w->dilation[i]) < 0)
            FAIL("kernel, strides, dilations or pads at axis %d exceed 2^50", i);
    }
    w->auto_pad = graph_attr_string(n, "auto_pad", "NOTSET");
    if (strcmp(w->auto_pad, "NOTSET") && strcmp(w->auto_pad, "VALID") &&
        strcmp(w->auto_pad, "SAME_UPPER") && strcmp(w->auto_pad, "SAME_LOWER"))
        FAIL("unknown auto_pad '%s'; expected NOTSET, VALID, SAME_UPPER or SAME_LOWER",
             w->auto_pad);
    return 0;
}

/* Output spatial size of a sliding window (Conv, pools), as the ONNX spec
 * defines it for each auto_pad mode. */
static int window_out(graph *g, graph_node *n, ps_error *err, const window *w, const int64_t *in, bool ceil_mode,
                      int64_t *out)
{
    for (int i = 0; i < w->k; i++) {
        int64_t eff = (w->kernel[i] - 1) * w->dilation[i] + 1;
        int64_t s = w->stride[i];
        int64_t o;
        if (!strcmp(w->auto_pad, "SAME_UPPER") || !strcmp(w->auto_pad, "SAME_LOWER")) {
            o = (in[i] + s - 1) / s;
        } else {
            int64_t span = in[i] - eff;
            if (!strcmp(w->auto_pad, "NOTSET"))
                span += w->pad_begin[i] + w->pad_end[i];
            if (span < 0)
                FAIL("the window (%lld with dilation) is larger than the padded input (%lld) at "
                     "spatial axis %d", (long long)eff,
                     (long long)(span + eff), i);
            o = (ceil_mode ? (span + s - 1) / s : span / s) + 1;
        }
        if (o <= 0)
            FAIL("output size %lld at spatial axis %d is not positive", (long long)o, i);
        out[i] = o;
    }
    return 0;
}

static int infer_conv(graph *g, graph_node *n, ps_error *err)
{
    int rc = need(g, n, err, 0, 3);
    if (!rc)
        rc = need(g, n, err, 1, 3);
    if (rc)
        return rc;
    graph_tensor *x = IN(g, n, 0), *wt = IN(g, n, 1);
    int k = x->rank - 2;
    if (wt->rank != x->rank)
        FAIL("weights '%s' have rank %d but the input has rank %d", wt->name, wt->rank, x->rank);
    int64_t group = graph_attr_int(n, "group", 1);
    if (group <= 0)
        FAIL("group must be positive, got %lld", (long long)group);
    if (mul_capped(wt->dims[1], group) != x->dims[1])
        FAIL("input has %lld channels but weights '%s' expect %lld x group %lld", (long long)x->dims[1],
             wt->name, (long long)wt->dims[1], (long long)group);
    if (wt->dims[0] % group)
        FAIL("%lld output channels do not divide into %lld groups", (long long)wt->dims[0],
             (long long)group);
    int cnt;
    const int64_t *ks = attr_ints(n, "kernel_shape", &cnt);
    if (ks && cnt != k)
        FAIL("kernel_shape has %d entries; expected %d", cnt, k);
    if (ks && memcmp(ks, wt->dims + 2, sizeof(int64_t) * (size_t)k) != 0)
        FAIL("kernel_shape does not match the weights' shape");
    window w;
    if ((rc = read_window(g, n, err, k, wt->dims + 2, &w)))
        return rc;
    graph_tensor *b = IN(g, n, 2);
    if (b && (b->rank != 1 || b->dims[0] != wt->dims[0]))
        FAIL("bias '%s' must be a vector of %lld", b->name, (long long)wt->dims[0]);
    int64_t dims[GRAPH_MAX_RANK] = {x->dims[0], wt->dims[0]};
    if ((rc = window_out(g, n, err, &w, x->dims + 2, false, dims + 2)))
        return rc;
    set_shape(OUT(g, n, 0), x->elem_type, x->rank, dims);
    return 0;
}

static int infer_conv_transpose(graph *g, graph_node *n, ps_error *err)
{
    int rc = need(g, n, err, 0, 3);
    if (!rc)
        rc = need(g, n, err, 1, 3);
    if (rc)
        return rc;
    graph_tensor *x = IN(g, n, 0), *wt = IN(g, n, 1);
    int k = x->rank - 2;
    if (wt->rank != x->rank)
        FAIL("weights '%s' have rank %d but the input has rank %d", wt->name, wt->rank, x->rank);
    int64_t group = graph_attr_int(n, "group", 1);
    if (group <= 0 || wt->dims[0] != x->dims[1])
        FAIL("input has %lld channels but weights '%s' have %lld input channels",
             (long long)x->dims[1], wt->name, (long long)wt->dims[0]);
    window w;
    int cnt;
    const int64_t *ks = attr_ints(n, "kernel_shape", &cnt);
    if (ks && cnt != k)
        FAIL("kernel_shape has %d entries; expected %d", cnt, k);
    if ((rc = read_window(g, n, err, k, ks ? ks : wt->dims + 2, &w)))
        return rc;
    int64_t dims[GRAPH_MAX_RANK] = {x->dims[0], mul_capped(wt->dims[1], group)};
    if (dims[1] < 0)
        FAIL("group %lld is too large", (long long)group);
    const int64_t *op = attr_ints(n, "output_padding", &cnt);
    if (op && cnt != k)
        FAIL("output_padding has %d entries; expected %d", cnt, k);
    const int64_t *os = attr_ints(n, "output_shape", &cnt);
    if (os) {
        if (cnt != k && cnt != k + 2)
            FAIL("output_shape has %d entries; expected %d", cnt, k);
        for (int i = 0; i < k; i++)
            dims[2 + i] = os[cnt - k + i];
    } else {
        for (int i = 0; i < k; i++) {
            int64_t eff = (w.kernel[i] - 1) * w.dilation[i] + 1;
            bool same = !strcmp(w.auto_pad, "SAME_UPPER") || !strcmp(w.auto_pad, "SAME_LOWER");
            if (op && (op[i] < 0 || op[i] > SHAPES_MAX_ELEMS))
                FAIL("output_padding %lld at spatial axis %d is out of range", (long long)op[i], i);
            int64_t o = same ? mul_capped(x->dims[2 + i], w.stride[i])
                             : mul_capped(w.stride[i], x->dims[2 + i] - 1);
            if (o < 0)
                FAIL("input size %lld and stride %lld at spatial axis %d give no valid output size",
                     (long long)x->dims[2 + i], (long long)w.stride[i], i);
            if (!same) {
                o += (op ? op[i] : 0) + eff;
                if (!strcmp(w.auto_pad, "NOTSET"))
                    o -= w.pad_begin[i] + w.pad_end[i];
            }
            if (o <= 0)
                FAIL("output size %lld at spatial axis %d is not positive", (long long)o, i);
            dims[2 + i] = o;
        }
    }
    set_shape(OUT(g, n, 0), x->elem_type, x->rank, dims);
    return 0;
}

static int infer_pool(graph *g, graph_node *n, ps_error *err)
{
    int rc = need(g, n, err, 0, 3);
    if (rc)
        return rc;
    graph_tensor *x = IN(g, n, 0);
    int k = x->rank - 2, cnt;
    const int64_t *ks = attr_ints(n, "kernel_shape", &cnt);
    if (!ks)
        FAIL("attribute kernel_shape is required");
    if (cnt != k)
        FAIL("kernel_shape has %d entries; the input has %d spatial axes", cnt, k);
    window w;
    if ((rc = read_window(g, n, err, k, ks, &w)))
        return rc;
    int64_t dims[GRAPH_MAX_RANK] = {x->dims[0], x->dims[1]};
    bool ceil_mode = graph_attr_int(n, "ceil_mode", 0) != 0;
    if ((rc = window_out(g, n, err, &w, x->dims + 2, ceil_mode, dims + 2)))
        return rc;
    set_shape(OUT(g, n, 0), x->elem_type, x->rank, dims);
    set_shape(OUT(g, n, 1), GRAPH_DT_INT64, x->rank, dims); /* MaxPool indices */
    return 0;
}

static int infer_global_pool(graph *g, graph_node *n, ps_error *err)
{
    int rc = need(g, n, err, 0, 2);
    if (rc)
        return rc;
    graph_tensor *x = IN(g, n, 0);
    int64_t dims[GRAPH_MAX_RANK];
    for (int d = 0; d < x->rank; d++)
        dims[d] = d < 2 ? x->dims[d] : 1;
    set_shape(OUT(g, n, 0), x->elem_type, x->rank, dims);
    return 0;
}

/* ---- linear algebra ---- */

static int infer_gemm(graph *g, graph_node *n, ps_error *err)
{
    int rc = need(g, n, err, 0, 2);
    if (!rc)
        rc = need(g, n, err, 1, 2);
    if (rc)
        return rc;
    graph_tensor *a = IN(g, n, 0), *b = IN(g, n, 1);
    if (a->rank != 2 || b->rank != 2)
        FAIL("Gemm needs 2-D inputs; got ranks %d and %d", a->rank, b->rank);
    bool ta = graph_attr_int(n, "transA", 0) != 0, tb = graph_attr_int(n, "transB", 0) != 0;
    int64_t m = ta ? a->dims[1] : a->dims[0], ka = ta ? a->dims[0] : a->dims[1];
    int64_t kb = tb ? b->dims[1] : b->dims[0], nn = tb ? b->dims[0] : b->dims[1];
    if (ka != kb)
        FAIL("inner dimensions differ: A gives K=%lld, B gives K=%lld", (long long)ka,
             (long long)kb);
    int64_t dims[2] = {m, nn};
    graph_tensor *c = IN(g, n, 2);
    if (c && c->rank >= 0) {
        graph_tensor y = {0};
        y.rank = 2;
        y.dims[0] = m;
        y.dims[1] = nn;
        int r;
        int64_t bd[GRAPH_MAX_RANK];
        if ((rc = broadcast2(g, n, err, &y, c->rank, c->dims, &r, bd)))
            return rc;
        if (r != 2 || bd[0] != m || bd[1] != nn)
            FAIL("C '%s' does not broadcast to %lldx%lld", c->name, (long long)m, (long long)nn);
    }
    set_shape(OUT(g, n, 0), a->elem_type, 2, dims);
    return 0;
}

static int infer_matmul(graph *g, graph_node *n, ps_error *err)
{
    int rc = need(g, n, err, 0, 1);
    if (!rc)
        rc = need(g, n, err, 1, 1);
    if (rc)
        return rc;
    graph_tensor a = *IN(g, n, 0), b = *IN(g, n, 1);
    bool a1 = a.rank == 1, b1 = b.rank == 1;
    if (a1) { a.rank = 2; a.dims[1] = a.dims[0]; a.dims[0] = 1; }
    if (b1) { b.rank = 2; b.dims[1] = 1; }
    if (a.dims[a.rank - 1] != b.dims[b.rank - 2])
        FAIL("inner dimensions differ: %lld vs %lld", (long long)a.dims[a.rank - 1],
             (long long)b.dims[b.rank - 2]);
    graph_tensor ab = a;
    ab.rank = a.rank - 2;
    int r;
    int64_t dims[GRAPH_MAX_RANK];
    if ((rc = broadcast2(g, n, err, &ab, b.rank - 2, b.dims, &r, dims)))
        return rc;
    if (!a1)
        dims[r++] = a.dims[a.rank - 2];
    if (!b1)
        dims[r++] = b.dims[b.rank - 1];
    set_shape(OUT(g, n, 0), IN(g, n, 0)->elem_type, r, dims);
    return 0;
}

/* ---- layout ---- */

static int infer_concat(graph *g, graph_node *n, ps_error *err)
{
    int rc = need(g, n, err, 0, 1);
    if (rc)
        return rc;
    graph_tensor *x = IN(g, n, 0);
    int axis = 0;
    if (!graph_attr_find(n, "axis") && g->opset >= 4)
        FAIL("attribute axis is required");
    if ((rc = norm_axis(g, n, err, graph_attr_int(n, "axis", 1), x->rank, &axis)))
        return rc;
    int64_t dims[GRAPH_MAX_RANK];
    memcpy(dims, x->dims, sizeof dims);
    dims[axis] = 0;
    for (int k = 0; k < n->n_inputs; k++) {
        if (!has_input(n, k))
            continue;
        if ((rc = need(g, n, err, k, -1)))
            return rc;
        graph_tensor *t = IN(g, n, k);
        if (t->rank != x->rank)
            FAIL("input '%s' has rank %d; input '%s' has rank %d", t->name, t->rank, x->name,
                 x->rank);
        for (int d = 0; d < x->rank; d++)
            if (d != axis && t->dims[d] != x->dims[d])
                FAIL("inconsistent shapes: input '%s' has %lld at axis %d, input '%s' has %lld",
                     t->name, (long long)t->dims[d], d, x->name, (long long)x->dims[d]);
        dims[axis] += t->dims[axis];
    }
    set_shape(OUT(g, n, 0), x->elem_type, x->rank, dims);
    return 0;
}

static int infer_split(graph *g, graph_node *n, ps_error *err)
{
    int rc = need(g, n, err, 0, 1);
    if (rc)
        return rc;
    graph_tensor *x = IN(g, n, 0);
    int axis = 0;
    if ((rc = norm_axis(g, n, err, graph_attr_int(n, "axis", 0), x->rank, &axis)))
        return rc;
    int64_t parts[64];
    int np = n->n_outputs, cnt;
    if (np > 64)
        FAIL("%d outputs; at most 64 are supported", np);
    const int64_t *sv = NULL;
    int64_t scount = 0;
    if (has_input(n, 1)) {
        if ((rc = const_ints(g, n, err, 1, "split", &sv, &scount)))
            return rc;
    } else if ((sv = attr_ints(n, "split", &cnt))) {
        scount = cnt;
    }
    int64_t total = x->dims[axis];
    if (sv) {
        if (scount != np)
            FAIL("split has %lld entries for %d outputs", (long long)scount, np);
        int64_t sum = 0;
        for (int i = 0; i < np; i++) {
            if (sv[i] < 0 || sv[i] > total)
                FAIL("split size %lld is outside 0..%lld", (long long)sv[i], (long long)total);
            sum += parts[i] = sv[i];
        }
        if (sum != total)
            FAIL("split sizes add up to %lld; axis %d has %lld", (long long)sum, axis,
                 (long long)total);
    } else {
        int64_t num = graph_attr_int(n, "num_outputs", np);
        if (num != np)
            FAIL("num_outputs is %lld but the node has %d outputs", (long long)num, np);
        int64_t chunk = (total + np - 1) / np;
        if (!graph_attr_find(n, "num_outputs") && total % np)
            FAIL("axis %d of size %lld does not split evenly into %d outputs", axis,
                 (long long)total, np);
        for (int i = 0; i < np; i++) {
            int64_t left = total - chunk * i;
            parts[i] = left < chunk ? (left > 0 ? left : 0) : chunk;
        }
    }
    for (int i = 0; i < np; i++) {
        int64_t dims[GRAPH_MAX_RANK];
        memcpy(dims, x->dims, sizeof dims);
        dims[axis] = parts[i];
        set_shape(OUT(g, n, i), x->elem_type, x->rank, dims);
    }
    return 0;
}

static int infer_flatten(graph *g, graph_node *n, ps_error *err)
{
    int rc = need(g, n, err, 0, -1);
    if (rc)
        return rc;
    graph_tensor *x = IN(g, n, 0);
    int64_t axis = graph_attr_int(n, "axis", 1);
    if (axis < -x->rank || axis > x->rank)
        FAIL("axis %lld is out of range for rank %d", (long long)axis, x->rank);
    if (axis < 0)
        axis += x->rank;
    int64_t dims[2] = {1, 1};
    for (int d = 0; d < x->rank; d++)
        dims[d < axis ? 0 : 1] *= x->dims[d];
    set_shape(OUT(g, n, 0), x->elem_type, 2, dims);
    return 0;
}

static int infer_reshape(graph *g, graph_node *n, ps_error *err)
{
    int rc = need(g, n, err, 0, -1);
    if (rc)
        return rc;
    graph_tensor *x = IN(g, n, 0);
    const int64_t *sv;
    int64_t cnt;
    int acnt;
    if (has_input(n, 1)) {
        if ((rc = const_ints(g, n, err, 1, "shape", &sv, &cnt)))
            return rc;
    } else if ((sv = attr_ints(n, "shape", &acnt))) {
        cnt = acnt; /* opset < 5 */
    } else {
        FAIL("no target shape (input #1)");
    }
    if (cnt > GRAPH_MAX_RANK)
        FAIL("target rank %lld exceeds %d", (long long)cnt, GRAPH_MAX_RANK);
    bool allowzero = graph_attr_int(n, "allowzero", 0) != 0;
    int64_t dims[GRAPH_MAX_RANK], known = 1, in_elems = graph_tensor_elems(x);
    int infer_at = -1;
    for (int d = 0; d < cnt; d++) {
        int64_t v = sv[d];
        if (v == 0 && !allowzero) {
            if (d >= x->rank)
                FAIL("target shape copies axis %d (0) but the input has rank %d", d, x->rank);
            v = x->dims[d];
        }
        if (v == -1) {
            if (infer_at >= 0)
                FAIL("target shape has more than one -1");
            infer_at = d;
            dims[d] = 1;
            continue;
        }
        if (v < 0)
            FAIL("target shape has invalid dimension %lld", (long long)v);
        if (v > 0 && known > SHAPES_MAX_ELEMS / v)
            FAIL("inconsistent shape: the input has %lld elements, the target shape more than "
                 "2^50", (long long)in_elems);
        dims[d] = v;
        known *= v;
    }
    if (infer_at >= 0) {
        if (known == 0 || in_elems % known)
            FAIL("cannot reshape %lld elements: the known dimensions give %lld",
                 (long long)in_elems, (long long)known);
        dims[infer_at] = in_elems / known;
    } else if (known != in_elems) {
        FAIL("inconsistent shape: the input has %lld elements, the target shape %lld",
             (long long)in_elems, (long long)known);
    }
    set_shape(OUT(g, n, 0), x->elem_type, (int)cnt, dims);
    return 0;
}

static int infer_transpose(graph *g, graph_node *n, ps_error *err)
{
    int rc = need(g, n, err, 0, -1);
    if (rc)
        return rc;
    graph_tensor *x = IN(g, n, 0);
    int cnt;
    const int64_t *perm = attr_ints(n, "perm", &cnt);
    int64_t dims[GRAPH_MAX_RANK];
    bool used[GRAPH_MAX_RANK] = {false};
    if (perm && cnt != x->rank)
        FAIL("perm has %d entries for rank %d", cnt, x->rank);
    for (int d = 0; d < x->rank; d++) {
        int64_t p = perm ? perm[d] : x->rank - 1 - d;
        if (p < 0 || p >= x->rank || used[p])
            FAIL("perm is not a permutation of 0..%d", x->rank - 1);
        used[p] = true;
        dims[d] = x->dims[p];
    }
    set_shape(OUT(g, n, 0), x->elem_type, x->rank, dims);
    return 0;
}

/* Axes from attribute `axes` (old opsets) or input #1 (opset 13+). */
static int read_axes(graph *g, graph_node *n, ps_error *err, int in_k, const int64_t **axes, int64_t *cnt)
{
    int acnt;
    *axes = NULL;
    *cnt = 0;
    if (has_input(n, in_k))
        return const_ints(g, n, err, in_k, "axes", axes, cnt);
    if ((*axes = attr_ints(n, "axes", &acnt)))
        *cnt = acnt;
    return 0;
}

static int infer_squeeze(graph *g, graph_node *n, ps_error *err)
{
    int rc = need(g, n, err, 0, -1);
    if (rc)
        return rc;
    graph_tensor *x = IN(g, n, 0);
    const int64_t *axes;
    int64_t cnt;
    if ((rc = read_axes(g, n, err, 1, &axes, &cnt)))
        return rc;
    bool drop[GRAPH_MAX_RANK] = {false};
    for (int64_t i = 0; i < cnt; i++) {
        int a = 0;
        if ((rc = norm_axis(g, n, err, axes[i], x->rank, &a)))
            return rc;
        if (x->dims[a] != 1)
            FAIL("cannot squeeze axis %d of size %lld", a, (long long)x->dims[a]);
        drop[a] = true;
    }
    int64_t dims[GRAPH_MAX_RANK];
    int r = 0;
    for (int d = 0; d < x->rank; d++)
        if (!(cnt ? drop[d] : x->dims[d] == 1))
            dims[r++] = x->dims[d];
    set_shape(OUT(g, n, 0), x->elem_type, r, dims);
    return 0;
}

static int infer_unsqueeze(graph *g, graph_node *n, ps_error *err)
{
    int rc = need(g, n, err, 0, -1);
    if (rc)
        return rc;
    graph_tensor *x = IN(g, n, 0);
    const int64_t *axes;
    int64_t cnt;
    if ((rc = read_axes(g, n, err, 1, &axes, &cnt)))
        return rc;
    if (!axes)
        FAIL("axes are required");
    int r = x->rank + (int)cnt;
    if (r > GRAPH_MAX_RANK)
        FAIL("output rank %d exceeds %d", r, GRAPH_MAX_RANK);
    bool ins[GRAPH_MAX_RANK] = {false};
    for (int64_t i = 0; i < cnt; i++) {
        int a = 0;
        if ((rc = norm_axis(g, n, err, axes[i], r, &a)))
            return rc;
        if (ins[a])
            FAIL("axis %d is listed twice", a);
        ins[a] = true;
    }
    int64_t dims[GRAPH_MAX_RANK];
    for (int d = 0, s = 0; d < r; d++)
        dims[d] = ins[d] ? 1 : x->dims[s++];
    set_shape(OUT(g, n, 0), x->elem_type, r, dims);
    return 0;
}

static int infer_pad(graph *g, graph_node *n, ps_error *err)
{
    int rc = need(g, n, err, 0, -1);
    if (rc)
        return rc;
    graph_tensor *x = IN(g, n, 0);
    const int64_t *pads, *axes = NULL;
    int64_t cnt, n_axes = 0;
    int acnt;
    if (has_input(n, 1)) {
        if ((rc = const_ints(g, n, err, 1, "pads", &pads, &cnt)))
            return rc;
    } else if ((pads = attr_ints(n, "pads", &acnt)) || (pads = attr_ints(n, "paddings", &acnt))) {
        cnt = acnt;
    } else {
        FAIL("no pads given");
    }
    if (has_input(n, 3) && (rc = const_ints(g, n, err, 3, "axes", &axes, &n_axes)))
        return rc;
    int na = axes ? (int)n_axes : x->rank;
    if (cnt != 2 * na)
        FAIL("pads has %lld entries; expected %d", (long long)cnt, 2 * na);
    int64_t dims[GRAPH_MAX_RANK];
    memcpy(dims, x->dims, sizeof dims);
    for (int i = 0; i < na; i++) {
        int a = i;
        if (axes && (rc = norm_axis(g, n, err, axes[i], x->rank, &a)))
            return rc;
        for (int side = 0; side < 2; side++)
            if (pads[i + side * na] < -SHAPES_MAX_ELEMS || pads[i + side * na] > SHAPES_MAX_ELEMS)
                FAIL("pad %lld at axis %d exceeds 2^50", (long long)pads[i + side * na], a);
        dims[a] += pads[i] + pads[i + na];
        if (dims[a] < 0)
            FAIL("padding makes axis %d negative", a);
    }
    set_shape(OUT(g, n, 0), x->elem_type, x->rank, dims);
    return 0;
}

static int infer_resize(graph *g, graph_node *n, ps_error *err)
{
    int rc = need(g, n, err, 0, 1);
    if (rc)
        return rc;
    graph_tensor *x = IN(g, n, 0);
    bool upsample = strcmp(n->op, "Upsample") == 0;
    /* Resize-10 and Upsample-9: (X, scales); Resize-11+: (X, roi, scales, sizes). */
    int scales_k = upsample || g->opset < 11 ? 1 : 2, sizes_k = scales_k == 2 ? 3 : -1;
    int cnt_ax;
    const int64_t *axes = attr_ints(n, "axes", &cnt_ax);
    int na = axes ? cnt_ax : x->rank;
    if (na > x->rank)
        FAIL("axes has %d entries for rank %d", na, x->rank);
    int map[GRAPH_MAX_RANK];
    for (int i = 0; i < na; i++) {
        int a = i;
        if (axes && (rc = norm_axis(g, n, err, axes[i], x->rank, &a)))
            return rc;
        map[i] = a;
    }
    int64_t dims[GRAPH_MAX_RANK];
    memcpy(dims, x->dims, sizeof dims);
    graph_tensor *st = has_input(n, scales_k) ? IN(g, n, scales_k) : NULL;
    const char *policy = graph_attr_string(n, "keep_aspect_ratio_policy", "stretch");
    if (sizes_k >= 0 && has_input(n, sizes_k) && !(st && graph_tensor_elems(st) > 0)) {
        const int64_t *sv;
        int64_t cnt;
        if ((rc = const_ints(g, n, err, sizes_k, "sizes", &sv, &cnt)))
            return rc;
        if (cnt != na)
            FAIL("sizes has %lld entries; expected %d", (long long)cnt, na);
        if (strcmp(policy, "stretch") != 0) {
            double scale = strcmp(policy, "not_larger") == 0 ? INFINITY : 0.0;
            for (int i = 0; i < na; i++) {
                double s = (double)sv[i] / (double)x->dims[map[i]];
                scale = strcmp(policy, "not_larger") == 0 ? fmin(scale, s) : fmax(scale, s);
            }
            for (int i = 0; i < na; i++)
                if ((dims[map[i]] = dim_from_double((double)x->dims[map[i]] * scale + 0.5)) < 0)
                    FAIL("sizes give no valid output size at axis %d", map[i]);
        } else {
            for (int i = 0; i < na; i++)
                dims[map[i]] = sv[i];
        }
    } else {
        double sc[GRAPH_MAX_RANK];
        int cnt = 0;
        if (st) {
            if ((rc = const_floats(g, n, err, scales_k, "scales", sc, GRAPH_MAX_RANK, &cnt)))
                return rc;
        } else {
            const graph_attr *a = graph_attr_find(n, "scales");
            if (!a || a->kind != GRAPH_ATTR_FLOATS)
                FAIL("neither scales nor sizes are given");
            cnt = a->n;
            for (int i = 0; i < cnt && i < GRAPH_MAX_RANK; i++)
                sc[i] = a->floats[i];
        }
        if (cnt != na)
            FAIL("scales has %d entries; expected %d", cnt, na);
        for (int i = 0; i < na; i++) {
            if (!(sc[i] > 0))
                FAIL("scale %g at axis %d is not positive", sc[i], map[i]);
            /* float32 product as the ONNX reference computes it */
            dims[map[i]] = dim_from_double((double)((float)x->dims[map[i]] * (float)sc[i]));
            if (dims[map[i]] < 0)
                FAIL("scale %g makes axis %d larger than 2^50", sc[i], map[i]);
        }
    }
    set_shape(OUT(g, n, 0), x->elem_type, x->rank, dims);
    return 0;
}

static int infer_reduce(graph *g, graph_node *n, ps_error *err)
{
    int rc = need(g, n, err, 0, -1);
    if (rc)
        return rc;
    graph_tensor *x = IN(g, n, 0);
    const int64_t *axes;
    int64_t cnt;
    bool argminmax = !strcmp(n->op, "ArgMax") || !strcmp(n->op, "ArgMin");
    int64_t one_axis;
    if (argminmax) {
        one_axis = graph_attr_int(n, "axis", 0);
        axes = &one_axis;
        cnt = 1;
    } else if ((rc = read_axes(g, n, err, 1, &axes, &cnt))) {
        return rc;
    }
    bool keep = graph_attr_int(n, "keepdims", 1) != 0;
    bool noop = graph_attr_int(n, "noop_with_empty_axes", 0) != 0;
    bool red[GRAPH_MAX_RANK] = {false};
    for (int64_t i = 0; i < cnt; i++) {
        int a = 0;
        if ((rc = norm_axis(g, n, err, axes[i], x->rank, &a)))
            return rc;
        red[a] = true;
    }
    if (cnt == 0 && !noop)
        for (int d = 0; d < x->rank; d++)
            red[d] = true;
    int64_t dims[GRAPH_MAX_RANK];
    int r = 0;
    for (int d = 0; d < x->rank; d++) {
        if (!red[d])
            dims[r++] = x->dims[d];
        else if (keep)
            dims[r++] = 1;
    }
    set_shape(OUT(g, n, 0), argminmax ? GRAPH_DT_INT64 : x->elem_type, r, dims);
    return 0;
}

/* ---- shape-chain ops (usually folded) ---- */

static int infer_shape_op(graph *g, graph_node *n, ps_error *err)
{
    int rc = need(g, n, err, 0, -1);
    if (rc)
        return rc;
    int r = IN(g, n, 0)->rank;
    int64_t start = graph_attr_int(n, "start", 0), end = graph_attr_int(n, "end", r);
    if (start < 0) start += r;
    if (end < 0) end += r;
    start = start < 0 ? 0 : start > r ? r : start;
    end = end < 0 ? 0 : end > r ? r : end;
    int64_t len = end > start ? end - start : 0;
    set_shape(OUT(g, n, 0), GRAPH_DT_INT64, 1, &len);
    return 0;
}

static int infer_gather(graph *g, graph_node *n, ps_error *err)
{
    int rc = need(g, n, err, 0, 1);
    if (!rc)
        rc = need(g, n, err, 1, -1);
    if (rc)
        return rc;
    graph_tensor *x = IN(g, n, 0), *idx = IN(g, n, 1);
    int axis = 0;
    if ((rc = norm_axis(g, n, err, graph_attr_int(n, "axis", 0), x->rank, &axis)))
        return rc;
    int r = x->rank - 1 + idx->rank;
    if (r > GRAPH_MAX_RANK)
        FAIL("output rank %d exceeds %d", r, GRAPH_MAX_RANK);
    int64_t dims[GRAPH_MAX_RANK];
    int o = 0;
    for (int d = 0; d < axis; d++)
        dims[o++] = x->dims[d];
    for (int d = 0; d < idx->rank; d++)
        dims[o++] = idx->dims[d];
    for (int d = axis + 1; d < x->rank; d++)
        dims[o++] = x->dims[d];
    set_shape(OUT(g, n, 0), x->elem_type, r, dims);
    return 0;
}

static int infer_cast(graph *g, graph_node *n, ps_error *err)
{
    int rc = need(g, n, err, 0, -1);
    if (rc)
        return rc;
    graph_tensor *x = IN(g, n, 0);
    int32_t to = (int32_t)graph_attr_int(n, "to", x->elem_type);
    set_shape(OUT(g, n, 0), to, x->rank, x->dims);
    return 0;
}

static int infer_constant(graph *g, graph_node *n, ps_error *err)
{
    graph_tensor *y = OUT(g, n, 0);
    if (!y)
        FAIL("no output");
    const graph_attr *a = NULL;
    for (int k = 0; k < n->n_attrs && !a; k++)
        if (!strncmp(n->attrs[k].name, "value", 5))
            a = &n->attrs[k];
    if (!a)
        FAIL("no value attribute");
    int64_t one = 1;
    if (a->kind == GRAPH_ATTR_TENSOR) {
        set_shape(y, a->t_elem_type, a->t_rank, a->t_dims);
        y->value = a->t_value;
    } else if (a->kind == GRAPH_ATTR_FLOAT || a->kind == GRAPH_ATTR_INT) {
        bool f = a->kind == GRAPH_ATTR_FLOAT;
        set_shape(y, f ? GRAPH_DT_FLOAT : GRAPH_DT_INT64, 0, NULL);
        y->value = graph_value_new(g, 1, f);
        if (!y->value)
            return error_set(err, PS_ERR_NOMEM, "out of memory");
        if (f) y->value->f[0] = a->f; else y->value->i[0] = a->i;
    } else if (a->kind == GRAPH_ATTR_FLOATS || a->kind == GRAPH_ATTR_INTS) {
        bool f = a->kind == GRAPH_ATTR_FLOATS;
        one = a->n;
        set_shape(y, f ? GRAPH_DT_FLOAT : GRAPH_DT_INT64, 1, &one);
        y->value = graph_value_new(g, a->n, f);
        if (!y->value)
            return error_set(err, PS_ERR_NOMEM, "out of memory");
        for (int i = 0; i < a->n; i++) {
            if (f) y->value->f[i] = a->floats[i]; else y->value->i[i] = a->ints[i];
        }
    } else if (a->kind == GRAPH_ATTR_STRING) {
        set_shape(y, GRAPH_DT_STRING, 0, NULL);
    } else if (a->kind == GRAPH_ATTR_STRINGS) {
        one = a->n;
        set_shape(y, GRAPH_DT_STRING, 1, &one);
    } else {
        FAIL("unsupported value attribute '%s' (sparse tensors are not supported)", a->name);
    }
    return 0;
}

static int infer_constant_of_shape(graph *g, graph_node *n, ps_error *err)
{
    const int64_t *sv;
    int64_t cnt;
    int rc = const_ints(g, n, err, 0, "shape", &sv, &cnt);
    if (rc)
        return rc;
    if (cnt > GRAPH_MAX_RANK)
        FAIL("rank %lld exceeds %d", (long long)cnt, GRAPH_MAX_RANK);
    for (int64_t i = 0; i < cnt; i++)
        if (sv[i] < 0)
            FAIL("negative dimension %lld", (long long)sv[i]);
    const graph_attr *a = graph_attr_find(n, "value");
    int32_t et = a && a->kind == GRAPH_ATTR_TENSOR ? a->t_elem_type : GRAPH_DT_FLOAT;
    set_shape(OUT(g, n, 0), et, (int)cnt, sv);
    return 0;
}

int shapes_slice_range(int64_t dim, int64_t start, int64_t end, int64_t step, int64_t *first,
                       int64_t *len)
{
    if (step == 0)
        return -1;
    if (start < 0) start += dim;
    if (end < 0) end += dim;
    if (step > 0) {
        start = start < 0 ? 0 : start > dim ? dim : start;
        end = end < 0 ? 0 : end > dim ? dim : end;
        *len = end > start ? (end - start - 1) / step + 1 : 0; /* ceil, without overflow */
    } else {
        start = start < 0 ? 0 : start > dim - 1 ? dim - 1 : start;
        end = end < -1 ? -1 : end > dim - 1 ? dim - 1 : end;
        int64_t mag = step == INT64_MIN ? INT64_MAX : -step;
        *len = start > end ? (start - end - 1) / mag + 1 : 0;
    }
    *first = start;
    return 0;
}

int shapes_slice_params(graph *g, graph_node *n, ps_error *err, int64_t first[GRAPH_MAX_RANK],
                        int64_t step_out[GRAPH_MAX_RANK], int64_t dims[GRAPH_MAX_RANK])
{
    int rc = need(g, n, err, 0, 1);
    if (rc)
        return rc;
    graph_tensor *x = IN(g, n, 0);
    const int64_t *starts, *ends, *axes = NULL, *steps = NULL;
    int64_t ns, ne, na = 0, nst = 0;
    int c1, c2, c3;
    if (n->n_inputs >= 3) {
        if ((rc = const_ints(g, n, err, 1, "starts", &starts, &ns)) ||
            (rc = const_ints(g, n, err, 2, "ends", &ends, &ne)))
            return rc;
        if (has_input(n, 3) && (rc = const_ints(g, n, err, 3, "axes", &axes, &na)))
            return rc;
        if (has_input(n, 4) && (rc = const_ints(g, n, err, 4, "steps", &steps, &nst)))
            return rc;
    } else {
        starts = attr_ints(n, "starts", &c1);
        ends = attr_ints(n, "ends", &c2);
        axes = attr_ints(n, "axes", &c3);
        if (!starts || !ends)
            FAIL("starts and ends are required");
        ns = c1; ne = c2; na = axes ? c3 : 0;
    }
    if (ns != ne || (axes && na != ns) || (steps && nst != ns))
        FAIL("starts, ends, axes and steps must have the same length");
    for (int d = 0; d < x->rank; d++) {
        first[d] = 0;
        step_out[d] = 1;
        dims[d] = x->dims[d];
    }
    for (int64_t i = 0; i < ns; i++) {
        int a = (int)i;
        if (axes && (rc = norm_axis(g, n, err, axes[i], x->rank, &a)))
            return rc;
        if (!axes && i >= x->rank)
            FAIL("more starts than input axes");
        int64_t st = steps ? steps[i] : 1, len;
        if (shapes_slice_range(x->dims[a], starts[i], ends[i], st, &first[a], &len))
            FAIL("step 0 at axis %d", a);
        step_out[a] = st;
        dims[a] = len;
    }
    return 0;
}

static int infer_slice(graph *g, graph_node *n, ps_error *err)
{
    int64_t first[GRAPH_MAX_RANK], step[GRAPH_MAX_RANK], dims[GRAPH_MAX_RANK];
    int rc = shapes_slice_params(g, n, err, first, step, dims);
    if (rc)
        return rc;
    set_shape(OUT(g, n, 0), IN(g, n, 0)->elem_type, IN(g, n, 0)->rank, dims);
    return 0;
}

static int infer_range(graph *g, graph_node *n, ps_error *err)
{
    double v[3];
    for (int k = 0; k < 3; k++) {
        int cnt, rc = const_floats(g, n, err, k, k == 0 ? "start" : k == 1 ? "limit" : "delta", &v[k],
                                   1, &cnt);
        if (rc)
            return rc;
    }
    if (v[2] == 0)
        FAIL("delta is 0");
    double c = ceil((v[1] - v[0]) / v[2]);
    if (!(c <= (double)SHAPES_MAX_ELEMS))
        FAIL("start %g, limit %g and delta %g give more than 2^50 elements", v[0], v[1], v[2]);
    int64_t len = c > 0 ? (int64_t)c : 0;
    set_shape(OUT(g, n, 0), IN(g, n, 0)->elem_type, 1, &len);
    return 0;
}

static int infer_expand(graph *g, graph_node *n, ps_error *err)
{
    int rc = need(g, n, err, 0, -1);
    if (rc)
        return rc;
    const int64_t *sv;
    int64_t cnt;
    if ((rc = const_ints(g, n, err, 1, "shape", &sv, &cnt)))
        return rc;
    if (cnt > GRAPH_MAX_RANK)
        FAIL("rank %lld exceeds %d", (long long)cnt, GRAPH_MAX_RANK);
    int r;
    int64_t dims[GRAPH_MAX_RANK];
    if ((rc = broadcast2(g, n, err, IN(g, n, 0), (int)cnt, sv, &r, dims)))
        return rc;
    set_shape(OUT(g, n, 0), IN(g, n, 0)->elem_type, r, dims);
    return 0;
}

static int infer_tile(graph *g, graph_node *n, ps_error *err)
{
    int rc = need(g, n, err, 0, -1);
    if (rc)
        return rc;
    graph_tensor *x = IN(g, n, 0);
    const int64_t *rv;
    int64_t cnt;
    if ((rc = const_ints(g, n, err, 1, "repeats", &rv, &cnt)))
        return rc;
    if (cnt != x->rank)
        FAIL("repeats has %lld entries for rank %d", (long long)cnt, x->rank);
    int64_t dims[GRAPH_MAX_RANK];
    for (int d = 0; d < x->rank; d++) {
        if (rv[d] < 0)
            FAIL("negative repeat");
        if ((dims[d] = mul_capped(x->dims[d], rv[d])) < 0)
            FAIL("repeat %lld makes axis %d larger than 2^50", (long long)rv[d], d);
    }
    set_shape(OUT(g, n, 0), x->elem_type, x->rank, dims);
    return 0;
}

static int infer_depth_space(graph *g, graph_node *n, ps_error *err)
{
    int rc = need(g, n, err, 0, 4);
    if (rc)
        return rc;
    graph_tensor *x = IN(g, n, 0);
    int64_t b = graph_attr_int(n, "blocksize", 0);
    if (b <= 0 || x->rank != 4)
        FAIL("needs a 4-D input and a positive blocksize");
    int64_t dims[4] = {x->dims[0], x->dims[1], x->dims[2], x->dims[3]};
    int64_t bb = mul_capped(b, b);
    if (bb < 0)
        FAIL("blocksize %lld is too large", (long long)b);
    if (!strcmp(n->op, "DepthToSpace")) {
        if (dims[1] % bb)
            FAIL("channels %lld not divisible by blocksize^2", (long long)dims[1]);
        dims[1] /= bb; dims[2] = mul_capped(dims[2], b); dims[3] = mul_capped(dims[3], b);
    } else {
        if (dims[2] % b || dims[3] % b)
            FAIL("spatial size not divisible by blocksize");
        dims[1] = mul_capped(dims[1], bb); dims[2] /= b; dims[3] /= b;
    }
    if (dims[1] < 0 || dims[2] < 0 || dims[3] < 0)
        FAIL("blocksize %lld makes the output larger than 2^50", (long long)b);
    set_shape(OUT(g, n, 0), x->elem_type, 4, dims);
    return 0;
}

/* ---- the rule table ---- */

typedef int (*infer_fn)(graph *g, graph_node *n, ps_error *err);

typedef struct {
    const char *op;
    infer_fn infer;
} op_rule;

static const op_rule RULES[] = {
    /* convolution, pooling, normalisation */
    {"Conv", infer_conv}, {"ConvTranspose", infer_conv_transpose},
    {"MaxPool", infer_pool}, {"AveragePool", infer_pool}, {"LpPool", infer_pool},
    {"GlobalAveragePool", infer_global_pool}, {"GlobalMaxPool", infer_global_pool},
    {"GlobalLpPool", infer_global_pool},
    {"BatchNormalization", infer_batchnorm}, {"InstanceNormalization", infer_same},
    {"LRN", infer_same}, {"MeanVarianceNormalization", infer_same},
    {"Gemm", infer_gemm}, {"MatMul", infer_matmul},
    /* activations and other unary element-wise ops */
    {"Relu", infer_same}, {"LeakyRelu", infer_same}, {"Clip", infer_same},
    {"Sigmoid", infer_same}, {"HardSigmoid", infer_same}, {"HardSwish", infer_same},
    {"Tanh", infer_same}, {"Elu", infer_same}, {"Selu", infer_same}, {"Celu", infer_same},
    {"Softplus", infer_same}, {"Softsign", infer_same}, {"ThresholdedRelu", infer_same},
    {"Mish", infer_same}, {"Exp", infer_same}, {"Log", infer_same}, {"Sqrt", infer_same},
    {"Neg", infer_same}, {"Abs", infer_same}, {"Reciprocal", infer_same},
    {"Floor", infer_same}, {"Ceil", infer_same}, {"Round", infer_same}, {"Erf", infer_same},
    {"Sign", infer_same}, {"Sin", infer_same}, {"Cos", infer_same}, {"Not", infer_same},
    {"Identity", infer_same}, {"Softmax", infer_same}, {"LogSoftmax", infer_same},
    {"Hardmax", infer_same}, {"Shrink", infer_same}, {"Dropout", infer_dropout},
    {"PRelu", infer_prelu},
    /* broadcasting element-wise ops */
    {"Add", infer_broadcast}, {"Sub", infer_broadcast}, {"Mul", infer_broadcast},
    {"Div", infer_broadcast}, {"Pow", infer_broadcast}, {"Max", infer_broadcast},
    {"Min", infer_broadcast}, {"Sum", infer_broadcast}, {"Mean", infer_broadcast},
    {"Where", infer_broadcast}, {"Mod", infer_broadcast},
    {"Equal", infer_compare}, {"Greater", infer_compare}, {"Less", infer_compare},
    {"GreaterOrEqual", infer_compare}, {"LessOrEqual", infer_compare},
    {"And", infer_compare}, {"Or", infer_compare}, {"Xor", infer_compare},
    /* layout */
    {"Concat", infer_concat}, {"Split", infer_split}, {"Flatten", infer_flatten},
    {"Reshape", infer_reshape}, {"Transpose", infer_transpose}, {"Squeeze", infer_squeeze},
    {"Unsqueeze", infer_unsqueeze}, {"Pad", infer_pad}, {"Resize", infer_resize},
    {"Upsample", infer_resize}, {"Expand", infer_expand}, {"Tile", infer_tile},
    {"DepthToSpace", infer_depth_space}, {"SpaceToDepth", infer_depth_space},
    /* reductions */
    {"ReduceMean", infer_reduce}, {"ReduceSum", infer_reduce}, {"ReduceMax", infer_reduce},
    {"ReduceMin", infer_reduce}, {"ReduceProd", infer_reduce}, {"ReduceL1", infer_reduce},
    {"ReduceL2", infer_reduce}, {"ReduceSumSquare", infer_reduce},
    {"ReduceLogSum", infer_reduce}, {"ReduceLogSumExp", infer_reduce},
    {"ArgMax", infer_reduce}, {"ArgMin", infer_reduce},
    /* shape chains */
    {"Shape", infer_shape_op}, {"Gather", infer_gather}, {"Constant", infer_constant},
    {"Cast", infer_cast}, {"Slice", infer_slice}, {"ConstantOfShape", infer_constant_of_shape},
    {"Range", infer_range},
};

static const op_rule *find_rule(const char *domain, const char *op)
{
    if (domain && *domain && strcmp(domain, "ai.onnx") != 0)
        return NULL;
    for (size_t i = 0; i < sizeof RULES / sizeof RULES[0]; i++)
        if (!strcmp(RULES[i].op, op))
            return &RULES[i];
    return NULL;
}

bool shapes_op_supported(const char *domain, const char *op) { return find_rule(domain, op) != NULL; }

int64_t shapes_bytes(int64_t elems, int bits)
{
    return (elems * bits + 7) / 8;
}

/* ---- per-node quantities ---- */

static int64_t prod(const int64_t *d, int n)
{
    int64_t p = 1;
    for (int i = 0; i < n; i++)
        p *= d[i];
    return p;
}

/* -1 when the count would exceed SHAPES_MAX_ELEMS (only in crafted files). */
static int64_t node_macs(const graph *g, const graph_node *n)
{
    graph_tensor *y = graph_output(g, n, 0);
    if (!y || y->rank < 0)
        return 0;
    if (!strcmp(n->op, "Conv")) {
        /* K * C/groups * R*S * P*Q per image */
        graph_tensor *w = graph_input(g, n, 1);
        return mul_capped(graph_tensor_elems(y), prod(w->dims + 1, w->rank - 1));
    }
    if (!strcmp(n->op, "ConvTranspose")) {
        /* every input pixel scatters C_in x (K/groups) x R*S products */
        graph_tensor *x = graph_input(g, n, 0), *w = graph_input(g, n, 1);
        return mul_capped(graph_tensor_elems(x), prod(w->dims + 1, w->rank - 1));
    }
    if (!strcmp(n->op, "Gemm")) {
        graph_tensor *a = graph_input(g, n, 0);
        int64_t k = graph_attr_int(n, "transA", 0) ? a->dims[0] : a->dims[1];
        return mul_capped(graph_tensor_elems(y), k);
    }
    if (!strcmp(n->op, "MatMul")) {
        graph_tensor *a = graph_input(g, n, 0);
        return mul_capped(graph_tensor_elems(y), a->dims[a->rank - 1]);
    }
    return 0;
}

static void node_quantities(graph *g, graph_node *n, char *param_seen)
{
    n->macs = n->is_const ? 0 : node_macs(g, n);
    n->params = n->in_elems = n->out_elems = 0;
    for (int k = 0; k < n->n_inputs; k++) {
        int ti = n->inputs[k];
        if (ti < 0)
            continue;
        graph_tensor *t = &g->tensors[ti];
        int64_t e = graph_tensor_elems(t);
        if (e < 0)
            continue;
        if (graph_tensor_is_param(t)) {
            if (!param_seen[ti]) {   /* a shared weight counts once, at its first user */
                n->params += e;
                param_seen[ti] = 1;
            }
        } else if (!t->value && !(t->flags & GRAPH_T_INITIALIZER)) {
            n->in_elems += e;
        }
    }
    for (int k = 0; k < n->n_outputs; k++) {
        graph_tensor *t = graph_output(g, n, k);
        if (t && t->rank >= 0)
            n->out_elems += graph_tensor_elems(t);
    }
}

/* ---- driver ---- */

int shapes_infer(graph *g, ps_error *err)
{
    char *param_seen = calloc((size_t)g->n_tensors + 1, 1);
    if (!param_seen)
        return error_set(err, PS_ERR_NOMEM, "out of memory");
    int rc = 0;
    for (int i = 0; i < g->n_nodes && !rc; i++) {
        graph_node *n = &g->nodes[g->order[i]];
        const op_rule *r = find_rule(n->domain, n->op);
        if (!r) {
            rc = error_set(err, PS_ERR_UNSUPPORTED,
                           "%s: node '%s': operator %s%s%s is not supported by partsim's shape "
                           "inference (see docs/WORKLOADS.md for the supported set)",
                           g->source, n->name, *n->domain ? n->domain : "", *n->domain ? "." : "",
                           n->op);
            break;
        }
        rc = r->infer(g, n, err);
        if (rc)
            break;
        for (int k = 0; k < n->n_outputs && !rc; k++) {
            graph_tensor *t = graph_output(g, n, k);
            if (!t)
                continue;
            if (t->rank < 0)
                rc = node_error(err, g, n, PS_ERR_INTERNAL, "output '%s' got no shape", t->name);
            int64_t elems = 1;
            for (int d = 0; d < t->rank && !rc; d++) {
                if (t->dims[d] < 0)
                    rc = node_error(err, g, n, PS_ERR_INPUT, "output '%s' would have a negative "
                                    "dimension at axis %d", t->name, d);
                else if (t->dims[d] > 0 && elems > SHAPES_MAX_ELEMS / t->dims[d])
                    rc = node_error(err, g, n, PS_ERR_INPUT, "output '%s' would have more than "
                                    "2^50 elements", t->name);
                else
                    elems *= t->dims[d];
            }
        }
        if (!rc)
            rc = fold_node(g, n, err);
        if (!rc)
            node_quantities(g, n, param_seen);
        if (!rc && n->macs < 0)
            rc = node_error(err, g, n, PS_ERR_INPUT, "more than 2^50 multiply-accumulates");
    }
    free(param_seen);
    return rc;
}
