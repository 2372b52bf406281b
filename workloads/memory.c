/* Memory models: Kreß 2024 Def. 3, AutoDiCE's per-device model, and the
 * peak live-activation memory of the schedule. */
#include "workloads/memory.h"

#include <stdlib.h>

#include "workloads/shapes.h"

/* Elements of the activations node n receives from outside [first, ..]
 * (another device, or the graph input), each received tensor counted once:
 * AutoDiCE's model splitting gives every received tensor one input buffer. */
static int64_t received_elems(const graph *g, const cut_table *ct, const graph_node *n,
                              int first, char *received)
{
    int64_t e = 0;
    for (int k = 0; k < n->n_inputs; k++) {
        int t = n->inputs[k];
        if (t < 0 || !cuts_is_activation(ct, t) || ct->birth[t] >= first || received[t])
            continue;
        received[t] = 1;
        int64_t x = graph_tensor_elems(&g->tensors[t]);
        e += x > 0 ? x : 0;
    }
    return e;
}

memory_estimate memory_estimate_range(const graph *g, const cut_table *ct, int first, int last,
                                      int bits)
{
    memory_estimate m = {0};
    int64_t params = 0, max_a = 0, autodice = 0;
    char *received = calloc((size_t)g->n_tensors + 1, 1);
    for (int s = first; s <= last && received; s++) {
        const graph_node *n = &g->nodes[ct->sched[s]];
        /* Kreß 2024 Def. 3: m = (sum_i s_i + max_i a_i) * b, a_i = f_in + f_out */
        int64_t a = n->in_elems + n->out_elems;
        if (a > max_a)
            max_a = a;
        params += n->params;
        /* AutoDiCE Sec. IV-A.2: M = sum_j (coeffs_j + outbuffs_j + inbuffs_j), where
         * inbuffs_j counts only inputs received from another device. */
        autodice += n->params + n->out_elems + received_elems(g, ct, n, first, received);
    }
    free(received);
    m.kress_bytes = shapes_bytes(params + max_a, bits);
    m.autodice_bytes = shapes_bytes(autodice, bits);
    m.params_bytes = shapes_bytes(params, bits);

    /* Peak live activations: while node s runs, every tensor it reads or
     * writes is live, and so is every tensor born earlier (in this range or
     * received) that a node in [s, last] still reads, or that must be sent
     * on after `last`. */
    int64_t peak = 0;
    for (int s = first; s <= last; s++) {
        int64_t live = 0;
        for (int t = 0; t < g->n_tensors; t++) {
            if (!cuts_is_activation(ct, t))
                continue;
            int b = ct->birth[t], u = ct->last_use[t];
            bool born_here = b >= first && b <= last;
            bool used_here = false;
            if (b < first) { /* received: live until its last use inside the range */
                for (int c = 0; c < g->tensors[t].n_consumers && !used_here; c++) {
                    int pos = ct->sched_pos[g->tensors[t].consumers[c]];
                    used_here = pos >= s && pos <= last;
                }
                if (!used_here)
                    continue;
            } else if (!born_here || b > s) {
                continue;
            } else if (u < s && b != s) {
                continue; /* produced here and already dead */
            }
            int64_t e = graph_tensor_elems(&g->tensors[t]);
            live += e > 0 ? e : 0;
        }
        if (live > peak)
            peak = live;
    }
    m.peak_live_act_bytes = shapes_bytes(peak, bits);
    m.peak_live_bytes = shapes_bytes(params + peak, bits);
    return m;
}

int memory_kress_index_build(const graph *g, const cut_table *ct, memory_kress_index *ix)
{
    int M = ct->n_sched;
    *ix = (memory_kress_index){.n = M, .levels = 1};
    while ((1 << ix->levels) <= M)
        ix->levels++;
    ix->params_prefix = calloc((size_t)M + 1, sizeof *ix->params_prefix);
    ix->amax = calloc((size_t)ix->levels, sizeof *ix->amax);
    if (!ix->params_prefix || !ix->amax)
        return -1;
    for (int l = 0; l < ix->levels; l++)
        if (!(ix->amax[l] = calloc((size_t)M + 1, sizeof **ix->amax)))
            return -1;
    for (int i = 0; i < M; i++) {
        const graph_node *n = &g->nodes[ct->sched[i]];
        ix->params_prefix[i + 1] = ix->params_prefix[i] + n->params;
        ix->amax[0][i] = n->in_elems + n->out_elems;
    }
    for (int l = 1; l < ix->levels; l++)
        for (int i = 0; i + (1 << l) <= M; i++) {
            int64_t a = ix->amax[l - 1][i], b = ix->amax[l - 1][i + (1 << (l - 1))];
            ix->amax[l][i] = a > b ? a : b;
        }
    return 0;
}

void memory_kress_index_free(memory_kress_index *ix)
{
    for (int l = 0; ix->amax && l < ix->levels; l++)
        free(ix->amax[l]);
    free(ix->amax);
    free(ix->params_prefix);
    *ix = (memory_kress_index){0};
}

int64_t memory_kress_bytes(const memory_kress_index *ix, int first, int last, int bits)
{
    /* Kreß 2024 Def. 3: m = (sum_i s_i + max_i a_i) * b_A over [first, last] */
    int len = last - first + 1, l = 0;
    while ((2 << l) <= len)
        l++;
    int64_t m1 = ix->amax[l][first], m2 = ix->amax[l][last + 1 - (1 << l)];
    return shapes_bytes(ix->params_prefix[last + 1] - ix->params_prefix[first] + (m1 > m2 ? m1 : m2),
                        bits);
}
