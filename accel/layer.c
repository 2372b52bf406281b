#include "accel/layer.h"

#include <string.h>

const char *layer_kind_name(layer_kind k)
{
    static const char *names[] = {"conv", "fc", "pool", "eltwise", "act", "layout", "other"};
    return k <= LAYER_OTHER ? names[k] : "?";
}

bool layer_uses_multiplier(const accel_layer *l)
{
    return l->kind == LAYER_ELTWISE && strcmp(l->op, "Add") && strcmp(l->op, "Sub") &&
           strcmp(l->op, "Sum") && strcmp(l->op, "Max") && strcmp(l->op, "Min");
}

static bool op_in(const char *op, const char *const *list)
{
    for (; *list; list++)
        if (!strcmp(op, *list))
            return true;
    return false;
}

static const char *const ACT[] = {"Relu", "LeakyRelu", "Clip", "Sigmoid", "HardSigmoid",
                                  "HardSwish", "Tanh", "Elu", "Selu", "Celu", "Softplus",
                                  "Softsign", "PRelu", "ThresholdedRelu", "Mish", NULL};
static const char *const POOL[] = {"MaxPool", "AveragePool", "LpPool", "GlobalAveragePool",
                                   "GlobalMaxPool", "GlobalLpPool", NULL};
static const char *const LAYOUT[] = {"Flatten", "Reshape", "Concat", "Identity", "Dropout",
                                     "Squeeze", "Unsqueeze", "Transpose", "Split", "Pad",
                                     "Cast", "Shape", "Gather", "Constant", "Slice",
                                     "ConstantOfShape", "Expand", "Tile", NULL};
/* activation ops cost per element: a few datapath operations each */
static double act_ops_per_elem(const char *op)
{
    if (!strcmp(op, "Relu") || !strcmp(op, "Clip") || !strcmp(op, "LeakyRelu") ||
        !strcmp(op, "PRelu") || !strcmp(op, "ThresholdedRelu"))
        return 1.0; /* compare (and scale) */
    if (!strcmp(op, "HardSigmoid") || !strcmp(op, "HardSwish"))
        return 3.0; /* multiply-add, clamp (and multiply) */
    return 4.0;     /* transcendental: piecewise / lookup approximation */
}

/* Is tensor t a graph input? */
static bool is_graph_input(const graph *g, int t)
{
    return t >= 0 && (g->tensors[t].flags & GRAPH_T_INPUT);
}

/* The sparsity of what a conv / fc layer writes back: its output's, or,
 * when its one consumer is an activation fused on the write-back (the
 * activation's own cost model says when), that activation's output's. */
static double written_sparsity(const graph *g, const sparsity_table *sp, int t)
{
    if (t < 0 || g->tensors[t].n_consumers != 1)
        return sparsity_of(sp, t);
    const graph_node *c = &g->nodes[g->tensors[t].consumers[0]];
    if (op_in(c->op, ACT) && c->n_outputs > 0)
        return sparsity_of(sp, c->outputs[0]);
    return sparsity_of(sp, t);
}

static void conv_from_node(const graph *g, const graph_node *n, conv_shape *c)
{
    const graph_tensor *x = graph_input(g, n, 0), *w = graph_input(g, n, 1),
                       *y = graph_output(g, n, 0);
    int rank = x->rank;
    c->groups = graph_attr_int(n, "group", 1);
    c->C = w->dims[1];
    c->F = w->dims[0] / c->groups;
    c->R = rank >= 4 ? w->dims[2] : 1;
    c->S = rank >= 4 ? w->dims[3] : (rank == 3 ? w->dims[2] : 1);
    c->E = rank >= 4 ? y->dims[2] : 1;
    c->G = rank >= 4 ? y->dims[3] : (rank == 3 ? y->dims[2] : 1);
    /* further spatial axes (3-D convs) are folded into the ofmap height */
    for (int d = 4; d < rank; d++) {
        c->E *= y->dims[d];
        c->R *= w->dims[d];
    }
    int cnt = 0;
    const graph_attr *st = graph_attr_find(n, "strides");
    if (st && st->kind == GRAPH_ATTR_INTS)
        cnt = st->n;
    c->U = cnt >= 1 ? st->ints[0] : 1;
    c->Ux = cnt >= 2 ? st->ints[1] : c->U;
    /* padded ifmap size that the output implies (covers auto_pad and dilation) */
    const graph_attr *dl = graph_attr_find(n, "dilations");
    int64_t dy = dl && dl->kind == GRAPH_ATTR_INTS && dl->n >= 1 ? dl->ints[0] : 1;
    int64_t dx = dl && dl->kind == GRAPH_ATTR_INTS && dl->n >= 2 ? dl->ints[1] : dy;
    c->H = (c->E - 1) * c->U + (c->R - 1) * dy + 1;
    c->W = (c->G - 1) * c->Ux + (c->S - 1) * dx + 1;
    c->dil_y = dy, c->dil_x = dx;
    c->Hu = rank >= 4 ? x->dims[2] : 1;
    c->Wu = rank >= 4 ? x->dims[3] : (rank == 3 ? x->dims[2] : 1);
    for (int d = 4; d < rank; d++)
        c->Hu *= x->dims[d];
    /* the leading pads: `pads` when given, else half the padding the shape
     * implies (auto_pad SAME_*) */
    const graph_attr *pd = graph_attr_find(n, "pads");
    int spatial = rank - 2;
    if (pd && pd->kind == GRAPH_ATTR_INTS && pd->n >= 2 * spatial && spatial >= 2 && rank == 4) {
        c->pad_t = pd->ints[0];
        c->pad_l = pd->ints[1];
    } else if (pd && pd->kind == GRAPH_ATTR_INTS && pd->n >= 2 && spatial == 1) {
        c->pad_t = 0;
        c->pad_l = pd->ints[0];
    } else {
        c->pad_t = c->H > c->Hu ? (c->H - c->Hu) / 2 : 0;
        c->pad_l = c->W > c->Wu ? (c->W - c->Wu) / 2 : 0;
    }
    if (rank > 4) /* folded axes: padding counted as if only on the height */
        c->pad_t = c->H > c->Hu ? (c->H - c->Hu) / 2 : 0;
}

/* Pairs (output index e < E, tap r < R) with e U + r d - pad inside [0, n). */
static double covered(int64_t E, int64_t R, int64_t U, int64_t d, int64_t pad, int64_t n)
{
    double pairs = 0;
    for (int64_t r = 0; r < R; r++) {
        /* 0 <= e U + r d - pad < n  <=>  lo <= e <= hi */
        int64_t off = r * d - pad;
        int64_t lo = off >= 0 ? 0 : (-off + U - 1) / U;
        int64_t hi = n - 1 - off < 0 ? -1 : (n - 1 - off) / U;
        if (hi > E - 1)
            hi = E - 1;
        if (hi >= lo)
            pairs += (double)(hi - lo + 1);
    }
    return pairs;
}

double layer_conv_coverage(const conv_shape *c)
{
    /* counted even when Hu >= H: a stride's unused last rows can hide the
     * padding the first rows read */
    if (c->Hu <= 0 || c->Wu <= 0 || c->E <= 0 || c->G <= 0 || c->R <= 0 || c->S <= 0)
        return 1.0;
    double rows = covered(c->E, c->R, c->U, c->dil_y ? c->dil_y : 1, c->pad_t, c->Hu);
    double cols = covered(c->G, c->S, c->Ux, c->dil_x ? c->dil_x : 1, c->pad_l, c->Wu);
    return rows * cols / ((double)(c->E * c->R) * (double)(c->G * c->S));
}

/* The part of [0, n) the real map [pad, pad + real) covers. */
static int64_t overlap(int64_t pad, int64_t real, int64_t n)
{
    int64_t lo = pad > 0 ? pad : 0, hi = pad + real < n ? pad + real : n;
    return hi > lo ? hi - lo : 0;
}

double layer_conv_unpadded_fraction(const conv_shape *c)
{
    if (c->Hu <= 0 || c->Wu <= 0 || c->H <= 0 || c->W <= 0)
        return 1.0;
    return (double)overlap(c->pad_t, c->Hu, c->H) * (double)overlap(c->pad_l, c->Wu, c->W) /
           ((double)c->H * (double)c->W);
}

static void fc_from_node(const graph *g, const graph_node *n, conv_shape *c)
{
    const graph_tensor *a = graph_input(g, n, 0), *y = graph_output(g, n, 0);
    int64_t k = !strcmp(n->op, "Gemm") && graph_attr_int(n, "transA", 0) ? a->dims[0]
                                                                          : a->dims[a->rank - 1];
    int64_t out = y->dims[y->rank - 1];
    int64_t rows = graph_tensor_elems(y) / (out ? out : 1);
    /* NeuPart treats an FC layer as a convolution producing a 1-D ofmap:
     * C = inputs, F = outputs, R = S = 1, and one ofmap pixel per row of A. */
    *c = (conv_shape){.R = 1, .S = 1, .H = rows, .W = 1, .E = rows, .G = 1, .C = k, .F = out,
                      .U = 1, .Ux = 1, .groups = 1, .Hu = rows, .Wu = 1, .dil_y = 1, .dil_x = 1};
}

/* The map a layer reads (accel_layer.in_c / in_h / in_w): a conv's input as
 * it is; an FC's input followed back through Flatten / Reshape to an
 * N x C x H x W tensor of as many elements per row, else a C x 1 x 1 vector. */
static void input_map(const graph *g, const graph_node *n, const conv_shape *c, accel_layer *out)
{
    const graph_tensor *x = graph_input(g, n, 0);
    if (!x || x->rank < 2)
        return;
    if (out->kind == LAYER_CONV) {
        out->in_c = x->dims[1];
        out->in_h = x->rank >= 3 ? x->dims[2] : 1;
        out->in_w = x->rank >= 4 ? x->dims[3] : 1;
        return;
    }
    out->in_c = c->C, out->in_h = 1, out->in_w = 1;
    for (int hops = 0; hops < 16 && x->rank != 4; hops++) {
        if (x->producer < 0)
            return;
        const graph_node *p = &g->nodes[x->producer];
        if (strcmp(p->op, "Flatten") && strcmp(p->op, "Reshape"))
            return;
        x = graph_input(g, p, 0);
        if (!x || x->rank < 0)
            return;
    }
    if (x->rank == 4 && x->dims[1] * x->dims[2] * x->dims[3] == c->C)
        out->in_c = x->dims[1], out->in_h = x->dims[2], out->in_w = x->dims[3];
}

int layer_from_node(const graph *g, int node, const sparsity_table *sp,
                          accel_layer *out, ps_error *err)
{
    (void)err;
    const graph_node *n = &g->nodes[node];
    memset(out, 0, sizeof *out);
    out->node = node;
    out->name = n->name;
    out->op = n->op;
    out->macs = (double)n->macs;
    out->in_elems = (double)n->in_elems;
    out->out_elems = (double)n->out_elems;
    out->param_elems = (double)n->params;
    int in0 = n->n_inputs > 0 ? n->inputs[0] : -1;
    int out0 = n->n_outputs > 0 ? n->outputs[0] : -1;
    out->in_sparsity = sparsity_of(sp, in0);
    out->out_sparsity = out->own_out_sparsity = sparsity_of(sp, out0);
    out->input_is_network_input = is_graph_input(g, in0);
    if (n->is_const) {
        out->kind = LAYER_LAYOUT;
    } else if (!strcmp(n->op, "Conv")) {
        out->kind = LAYER_CONV;
        conv_from_node(g, n, &out->conv);
        out->out_sparsity = written_sparsity(g, sp, out0);
        input_map(g, n, &out->conv, out);
    } else if (!strcmp(n->op, "Gemm") || !strcmp(n->op, "MatMul")) {
        out->kind = LAYER_FC;
        fc_from_node(g, n, &out->conv);
        out->out_sparsity = written_sparsity(g, sp, out0);
        input_map(g, n, &out->conv, out);
    } else if (op_in(n->op, POOL)) {
        out->kind = LAYER_POOL;
        /* one compare / add per window element per output */
        const graph_tensor *x = graph_input(g, n, 0);
        double window = 1;
        const graph_attr *k = graph_attr_find(n, "kernel_shape");
        if (k && k->kind == GRAPH_ATTR_INTS)
            for (int d = 0; d < k->n; d++)
                window *= (double)k->ints[d];
        else if (x->rank > 2) /* global pool: the whole map */
            for (int d = 2; d < x->rank; d++)
                window *= (double)x->dims[d];
        out->ops = out->out_elems * window;
    } else if (op_in(n->op, ACT)) {
        out->kind = LAYER_ACT;
        out->ops = out->out_elems * act_ops_per_elem(n->op);
        /* fused when it reads the only output of a conv / fc / pool whose
         * output nothing else reads: the PE applies it on write-back */
        if (in0 >= 0 && g->tensors[in0].producer >= 0 && g->tensors[in0].n_consumers == 1) {
            const char *p = g->nodes[g->tensors[in0].producer].op;
            out->fused = !strcmp(p, "Conv") || !strcmp(p, "Gemm") || !strcmp(p, "MatMul") ||
                         op_in(p, POOL) || !strcmp(p, "Add") || !strcmp(p, "BatchNormalization");
        }
    } else if (op_in(n->op, LAYOUT)) {
        out->kind = LAYER_LAYOUT;
    } else if (!strcmp(n->op, "BatchNormalization") || !strcmp(n->op, "InstanceNormalization")) {
        out->kind = LAYER_ELTWISE;
        out->ops = out->out_elems * 2; /* scale and shift */
    } else if (!strcmp(n->op, "LRN")) {
        out->kind = LAYER_ELTWISE;
        int64_t size = graph_attr_int(n, "size", 5);
        out->ops = out->out_elems * ((double)size + 4); /* window sum of squares, pow, divide */
    } else if (!strcmp(n->op, "Softmax") || !strcmp(n->op, "LogSoftmax")) {
        out->kind = LAYER_ELTWISE;
        out->ops = out->out_elems * 4; /* max, exp, sum, divide */
    } else if (!strcmp(n->op, "Add") || !strcmp(n->op, "Sub") || !strcmp(n->op, "Mul") ||
               !strcmp(n->op, "Div") || !strcmp(n->op, "Sum") || !strcmp(n->op, "Max") ||
               !strcmp(n->op, "Min") || !strcmp(n->op, "Mean") || !strcmp(n->op, "Pow") ||
               !strcmp(n->op, "Where")) {
        out->kind = LAYER_ELTWISE;
        out->ops = out->out_elems * (double)(n->n_inputs > 1 ? n->n_inputs - 1 : 1);
    } else if (!strncmp(n->op, "Reduce", 6)) {
        out->kind = LAYER_POOL;
        out->ops = out->in_elems;
    } else {
        out->kind = LAYER_ELTWISE;
        out->ops = out->out_elems; /* other element-wise math: one op per element */
    }
    return 0;
}
