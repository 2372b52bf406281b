/* Graph storage, name lookup and topological order. */
#include "workloads/graph.h"

#include <stdlib.h>
#include <string.h>

/* ---- arena: every string and small array of a graph lives here ---- */

#define ARENA_BLOCK (64 * 1024)

struct graph_arena {
    struct graph_arena *next;
    size_t used, size;
    _Alignas(16) unsigned char data[];
};

void *graph_alloc(graph *g, size_t bytes)
{
    bytes = (bytes + 15u) & ~(size_t)15u;
    graph_arena *a = g->arena;
    if (!a || a->size - a->used < bytes) {
        size_t size = bytes > ARENA_BLOCK ? bytes : ARENA_BLOCK;
        graph_arena *b = malloc(sizeof *b + size);
        if (!b)
            return NULL;
        b->size = size;
        b->used = 0;
        /* A big one-off block goes behind the current one, which keeps its space. */
        if (a && bytes > ARENA_BLOCK) {
            b->next = a->next;
            a->next = b;
        } else {
            b->next = a;
            g->arena = b;
        }
        a = b;
    }
    void *p = a->data + a->used;
    a->used += bytes;
    memset(p, 0, bytes);
    return p;
}

char *graph_strdup(graph *g, const char *s)
{
    size_t n = strlen(s ? s : "");
    char *d = graph_alloc(g, n + 1);
    if (d && n)
        memcpy(d, s, n);
    return d;
}

graph_value *graph_value_new(graph *g, int64_t n, bool is_float)
{
    if (n < 0)
        return NULL;
    graph_value *v = graph_alloc(g, sizeof *v);
    if (!v)
        return NULL;
    v->n = n;
    v->is_float = is_float;
    size_t bytes = (size_t)(n > 0 ? n : 1) * 8u;
    if (is_float)
        v->f = graph_alloc(g, bytes);
    else
        v->i = graph_alloc(g, bytes);
    if (is_float ? !v->f : !v->i)
        return NULL;
    return v;
}

graph *graph_new(const char *source)
{
    graph *g = calloc(1, sizeof *g);
    if (!g)
        return NULL;
    g->source = graph_strdup(g, source ? source : "<memory>");
    g->name = graph_strdup(g, "");
    if (!g->source || !g->name) {
        graph_free(g);
        return NULL;
    }
    return g;
}

void graph_free(graph *g)
{
    if (!g)
        return;
    graph_arena *a = g->arena;
    while (a) {
        graph_arena *next = a->next;
        free(a);
        a = next;
    }
    free(g->tensors);
    free(g->nodes);
    strmap_free(&g->names);
    free(g);
}

int graph_find(const graph *g, const char *name) { return strmap_find(&g->names, name); }

int graph_intern(graph *g, const char *name)
{
    int found = graph_find(g, name);
    if (found >= 0)
        return found;
    if (g->n_tensors == g->cap_tensors) {
        int cap = g->cap_tensors ? g->cap_tensors * 2 : 64;
        graph_tensor *t = realloc(g->tensors, (size_t)cap * sizeof *t);
        if (!t)
            return -1;
        g->tensors = t;
        g->cap_tensors = cap;
    }
    graph_tensor *t = &g->tensors[g->n_tensors];
    memset(t, 0, sizeof *t);
    t->name = graph_strdup(g, name);
    if (!t->name)
        return -1;
    t->rank = -1;
    t->producer = -1;
    if (strmap_add(&g->names, t->name, g->n_tensors) < 0)
        return -1;
    return g->n_tensors++;
}

int graph_add_node(graph *g, const char *name, const char *op, const char *domain,
                   int n_inputs, int n_outputs, int n_attrs)
{
    if (g->n_nodes == g->cap_nodes) {
        int cap = g->cap_nodes ? g->cap_nodes * 2 : 64;
        graph_node *n = realloc(g->nodes, (size_t)cap * sizeof *n);
        if (!n)
            return -1;
        g->nodes = n;
        g->cap_nodes = cap;
    }
    int idx = g->n_nodes;
    graph_node *n = &g->nodes[idx];
    memset(n, 0, sizeof *n);
    char fallback[64];
    if (!name || !*name) {
        snprintf(fallback, sizeof fallback, "%s_%d", op, idx);
        name = fallback;
    }
    n->name = graph_strdup(g, name);
    n->op = graph_strdup(g, op);
    n->domain = graph_strdup(g, domain ? domain : "");
    n->n_inputs = n_inputs;
    n->n_outputs = n_outputs;
    n->n_attrs = n_attrs;
    n->inputs = graph_alloc(g, sizeof(int) * (size_t)(n_inputs + 1));
    n->outputs = graph_alloc(g, sizeof(int) * (size_t)(n_outputs + 1));
    n->attrs = graph_alloc(g, sizeof(graph_attr) * (size_t)(n_attrs + 1));
    if (!n->name || !n->op || !n->domain || !n->inputs || !n->outputs || !n->attrs)
        return -1;
    for (int k = 0; k < n_inputs; k++)
        n->inputs[k] = -1;
    for (int k = 0; k < n_outputs; k++)
        n->outputs[k] = -1;
    g->n_nodes++;
    return idx;
}

/* ---- finalize: producers, consumers, topological order ---- */

/* Binary min-heap of node indices: ready nodes leave in file order. */
static void heap_push(int *h, int *n, int v)
{
    int i = (*n)++;
    while (i > 0 && h[(i - 1) / 2] > v) {
        h[i] = h[(i - 1) / 2];
        i = (i - 1) / 2;
    }
    h[i] = v;
}

static int heap_pop(int *h, int *n)
{
    int top = h[0], v = h[--*n], i = 0;
    for (;;) {
        int c = 2 * i + 1;
        if (c >= *n)
            break;
        if (c + 1 < *n && h[c + 1] < h[c])
            c++;
        if (h[c] >= v)
            break;
        h[i] = h[c];
        i = c;
    }
    h[i] = v;
    return top;
}

static int set_producers(graph *g, ps_error *err)
{
    for (int t = 0; t < g->n_tensors; t++)
        g->tensors[t].producer = -1;
    for (int i = 0; i < g->n_nodes; i++) {
        const graph_node *n = &g->nodes[i];
        for (int k = 0; k < n->n_outputs; k++) {
            int t = n->outputs[k];
            if (t < 0)
                continue;
            graph_tensor *ten = &g->tensors[t];
            if (ten->producer >= 0)
                return error_set(err, PS_ERR_INPUT,
                                 "%s: node '%s' (%s): output '%s' is already produced by node '%s'",
                                 g->source, n->name, n->op, ten->name,
                                 g->nodes[ten->producer].name);
            if (ten->flags & (GRAPH_T_INPUT | GRAPH_T_INITIALIZER))
                return error_set(err, PS_ERR_INPUT,
                                 "%s: node '%s' (%s): output '%s' is also a graph input or initializer",
                                 g->source, n->name, n->op, ten->name);
            ten->producer = i;
        }
    }
    return 0;
}

static int set_consumers(graph *g, ps_error *err)
{
    int *count = calloc((size_t)g->n_tensors + 1, sizeof *count);
    if (!count)
        return error_set(err, PS_ERR_NOMEM, "out of memory");
    for (int i = 0; i < g->n_nodes; i++) {
        const graph_node *n = &g->nodes[i];
        for (int k = 0; k < n->n_inputs; k++) {
            int t = n->inputs[k];
            if (t < 0)
                continue;
            const graph_tensor *ten = &g->tensors[t];
            if (ten->producer < 0 && !(ten->flags & (GRAPH_T_INPUT | GRAPH_T_INITIALIZER))) {
                free(count);
                return error_set(err, PS_ERR_INPUT,
                                 "%s: node '%s' (%s): input '%s' is produced by no node and is "
                                 "neither a graph input nor an initializer",
                                 g->source, n->name, n->op, ten->name);
            }
            count[t]++;
        }
    }
    for (int t = 0; t < g->n_tensors; t++) {
        graph_tensor *ten = &g->tensors[t];
        ten->n_consumers = 0;
        ten->consumers = graph_alloc(g, sizeof(int) * (size_t)(count[t] + 1));
        if (!ten->consumers) {
            free(count);
            return error_set(err, PS_ERR_NOMEM, "out of memory");
        }
    }
    free(count);
    for (int i = 0; i < g->n_nodes; i++) {
        const graph_node *n = &g->nodes[i];
        for (int k = 0; k < n->n_inputs; k++)
            if (n->inputs[k] >= 0) {
                graph_tensor *ten = &g->tensors[n->inputs[k]];
                ten->consumers[ten->n_consumers++] = i;
            }
    }
    return 0;
}

static int topo_sort(graph *g, ps_error *err)
{
    int n = g->n_nodes;
    int *pending = calloc((size_t)n + 1, sizeof *pending);
    int *heap = malloc(((size_t)n + 1) * sizeof *heap);
    g->order = graph_alloc(g, sizeof(int) * (size_t)(n + 1));
    if (!pending || !heap || !g->order) {
        free(pending);
        free(heap);
        return error_set(err, PS_ERR_NOMEM, "out of memory");
    }
    for (int i = 0; i < n; i++) {
        const graph_node *nd = &g->nodes[i];
        for (int k = 0; k < nd->n_inputs; k++)
            if (nd->inputs[k] >= 0 && g->tensors[nd->inputs[k]].producer >= 0)
                pending[i]++;
    }
    int hn = 0, done = 0;
    for (int i = 0; i < n; i++)
        if (pending[i] == 0)
            heap_push(heap, &hn, i);
    while (hn > 0) {
        int i = heap_pop(heap, &hn);
        g->order[done++] = i;
        const graph_node *nd = &g->nodes[i];
        for (int k = 0; k < nd->n_outputs; k++) {
            if (nd->outputs[k] < 0)
                continue;
            const graph_tensor *t = &g->tensors[nd->outputs[k]];
            for (int c = 0; c < t->n_consumers; c++)
                if (--pending[t->consumers[c]] == 0)
                    heap_push(heap, &hn, t->consumers[c]);
        }
    }
    int rc = 0;
    if (done < n) {
        /* Name a node on the cycle: follow unscheduled producers until one repeats. */
        int cur = -1;
        for (int i = 0; i < n && cur < 0; i++)
            if (pending[i] > 0)
                cur = i;
        char *seen = calloc((size_t)n, 1);
        while (seen && !seen[cur]) {
            seen[cur] = 1;
            const graph_node *nd = &g->nodes[cur];
            int next = -1;
            for (int k = 0; k < nd->n_inputs && next < 0; k++) {
                int t = nd->inputs[k];
                if (t >= 0 && g->tensors[t].producer >= 0 && pending[g->tensors[t].producer] > 0)
                    next = g->tensors[t].producer;
            }
            if (next < 0)
                break;
            cur = next;
        }
        free(seen);
        rc = error_set(err, PS_ERR_INPUT,
                       "%s: the graph has a cycle: node '%s' (%s) depends on its own output "
                       "(%d of %d nodes cannot be scheduled)",
                       g->source, g->nodes[cur].name, g->nodes[cur].op, n - done, n);
    }
    free(pending);
    free(heap);
    return rc;
}

int graph_finalize(graph *g, ps_error *err)
{
    int rc = set_producers(g, err);
    if (!rc)
        rc = set_consumers(g, err);
    if (!rc)
        rc = topo_sort(g, err);
    if (rc)
        return rc;
    for (int k = 0; k < g->n_outputs; k++) {
        const graph_tensor *t = &g->tensors[g->outputs[k]];
        if (t->producer < 0 && !(t->flags & (GRAPH_T_INPUT | GRAPH_T_INITIALIZER)))
            return error_set(err, PS_ERR_INPUT, "%s: graph output '%s' is produced by no node",
                             g->source, t->name);
    }
    return 0;
}

/* ---- reading ---- */

const graph_attr *graph_attr_find(const graph_node *n, const char *name)
{
    for (int k = 0; k < n->n_attrs; k++)
        if (strcmp(n->attrs[k].name, name) == 0)
            return &n->attrs[k];
    return NULL;
}

int64_t graph_attr_int(const graph_node *n, const char *name, int64_t dflt)
{
    const graph_attr *a = graph_attr_find(n, name);
    return a && a->kind == GRAPH_ATTR_INT ? a->i : dflt;
}

double graph_attr_float(const graph_node *n, const char *name, double dflt)
{
    const graph_attr *a = graph_attr_find(n, name);
    if (!a)
        return dflt;
    if (a->kind == GRAPH_ATTR_FLOAT)
        return a->f;
    if (a->kind == GRAPH_ATTR_INT)
        return (double)a->i;
    return dflt;
}

const char *graph_attr_string(const graph_node *n, const char *name, const char *dflt)
{
    const graph_attr *a = graph_attr_find(n, name);
    return a && a->kind == GRAPH_ATTR_STRING ? a->s : dflt;
}

int64_t graph_tensor_elems(const graph_tensor *t)
{
    if (t->rank < 0)
        return -1;
    int64_t e = 1;
    for (int d = 0; d < t->rank; d++)
        e *= t->dims[d];
    return e;
}

char *graph_shape_str(const graph_tensor *t, char *buf, size_t size)
{
    if (!size)
        return buf;
    buf[0] = '\0';
    if (t->rank < 0) {
        snprintf(buf, size, "?");
        return buf;
    }
    if (t->rank == 0) {
        snprintf(buf, size, "scalar");
        return buf;
    }
    size_t used = 0;
    for (int d = 0; d < t->rank && used < size; d++)
        used += (size_t)snprintf(buf + used, size - used, d ? "x%lld" : "%lld",
                                 (long long)t->dims[d]);
    return buf;
}

graph_tensor *graph_input(const graph *g, const graph_node *n, int k)
{
    if (k < 0 || k >= n->n_inputs || n->inputs[k] < 0)
        return NULL;
    return &g->tensors[n->inputs[k]];
}

graph_tensor *graph_output(const graph *g, const graph_node *n, int k)
{
    if (k < 0 || k >= n->n_outputs || n->outputs[k] < 0)
        return NULL;
    return &g->tensors[n->outputs[k]];
}

bool graph_tensor_is_param(const graph_tensor *t)
{
    if (!(t->flags & GRAPH_T_INITIALIZER))
        return false;
    switch (t->elem_type) {
    case GRAPH_DT_FLOAT: case GRAPH_DT_FLOAT16: case GRAPH_DT_BFLOAT16: case GRAPH_DT_DOUBLE:
        return true;
    case GRAPH_DT_INT8: case GRAPH_DT_UINT8:
        return true; /* quantized weights */
    default:
        return false;
    }
}

const char *graph_dtype_name(int32_t elem_type)
{
    switch (elem_type) {
    case GRAPH_DT_FLOAT: return "float32";
    case GRAPH_DT_UINT8: return "uint8";
    case GRAPH_DT_INT8: return "int8";
    case GRAPH_DT_UINT16: return "uint16";
    case GRAPH_DT_INT16: return "int16";
    case GRAPH_DT_INT32: return "int32";
    case GRAPH_DT_INT64: return "int64";
    case GRAPH_DT_STRING: return "string";
    case GRAPH_DT_BOOL: return "bool";
    case GRAPH_DT_FLOAT16: return "float16";
    case GRAPH_DT_DOUBLE: return "float64";
    case GRAPH_DT_UINT32: return "uint32";
    case GRAPH_DT_UINT64: return "uint64";
    case GRAPH_DT_BFLOAT16: return "bfloat16";
    default: return "undefined";
    }
}
