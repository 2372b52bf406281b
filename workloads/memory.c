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
