/* A sweep's results in point order (sim/sweep_order.h): a binary min-heap
 * on the point index. */
#include "sim/sweep_order.h"

#include <stdlib.h>
#include <string.h>

struct sweep_order {
    const int64_t *todo;
    int64_t n_todo, next;      /* the position in todo of the next point due */
    sweep_result **heap;
    int64_t n, cap, given;
    int (*out)(void *ctx, const sweep_result *r);
    void *ctx;
    int rc;
    ps_error *err;
};

sweep_order *sweep_order_new(const int64_t *todo, int64_t n,
                             int (*out)(void *ctx, const sweep_result *r), void *ctx,
                             ps_error *err)
{
    sweep_order *q = calloc(1, sizeof *q);
    if (!q) {
        error_set(err, PS_ERR_NOMEM, "out of memory");
        return NULL;
    }
    *q = (sweep_order){.todo = todo, .n_todo = n, .out = out, .ctx = ctx, .err = err};
    return q;
}

static int64_t due(const sweep_order *q)
{
    return q->todo ? (q->next < q->n_todo ? q->todo[q->next] : -1) : q->next;
}

static void swap(sweep_order *q, int64_t a, int64_t b)
{
    sweep_result *t = q->heap[a];
    q->heap[a] = q->heap[b], q->heap[b] = t;
}

static sweep_result *pop(sweep_order *q)
{
    sweep_result *top = q->heap[0];
    q->heap[0] = q->heap[--q->n];
    for (int64_t i = 0;;) {
        int64_t l = 2 * i + 1, r = l + 1, m = i;
        if (l < q->n && q->heap[l]->point < q->heap[m]->point)
            m = l;
        if (r < q->n && q->heap[r]->point < q->heap[m]->point)
            m = r;
        if (m == i)
            break;
        swap(q, i, m);
        i = m;
    }
    return top;
}

static void give(sweep_order *q, bool all)
{
    while (q->n && (all || q->heap[0]->point == due(q))) {
        sweep_result *r = pop(q);
        /* the next point due after r (over gaps when flushing) */
        while (q->todo && q->next < q->n_todo && q->todo[q->next] <= r->point)
            q->next++;
        if (!q->todo)
            q->next = r->point + 1;
        if (!q->rc && q->out && q->out(q->ctx, r))
            q->rc = q->err->code ? (int)q->err->code : PS_ERR_IO;
        q->given++;
        free(r);
    }
}

int sweep_order_push(sweep_order *q, const sweep_result *r)
{
    if (q->rc)
        return q->rc;
    if (q->n == q->cap) {
        int64_t cap = q->cap ? 2 * q->cap : 64;
        sweep_result **h = realloc(q->heap, sizeof *h * (size_t)cap);
        if (!h)
            return q->rc = error_set(q->err, PS_ERR_NOMEM, "out of memory");
        q->heap = h, q->cap = cap;
    }
    sweep_result *copy = malloc(sizeof *copy);
    if (!copy)
        return q->rc = error_set(q->err, PS_ERR_NOMEM, "out of memory");
    memcpy(copy, r, sizeof *copy);
    int64_t i = q->n++;
    q->heap[i] = copy;
    while (i > 0 && q->heap[(i - 1) / 2]->point > q->heap[i]->point) {
        swap(q, i, (i - 1) / 2);
        i = (i - 1) / 2;
    }
    give(q, false);
    return q->rc;
}

int sweep_order_flush(sweep_order *q)
{
    give(q, true);
    return q->rc;
}

int64_t sweep_order_count(const sweep_order *q)
{
    return q->given;
}

void sweep_order_free(sweep_order *q)
{
    if (!q)
        return;
    for (int64_t k = 0; k < q->n; k++)
        free(q->heap[k]);
    free(q->heap);
    free(q);
}
