/* Cut-sets by interval stabbing: tensor t is in the cut-set of position p
 * exactly when birth(t) < p <= last_use(t). */
#include "workloads/cuts.h"

#include <stdlib.h>
#include <string.h>

#include "workloads/shapes.h"

void cuts_free(cut_table *ct)
{
    if (!ct)
        return;
    for (int p = 0; p < ct->n_points; p++)
        free(ct->points[p].tensors);
    free(ct->points);
    free(ct->sched);
    free(ct->sched_pos);
    free(ct->birth);
    free(ct->last_use);
    memset(ct, 0, sizeof *ct);
}

bool cuts_is_activation(const cut_table *ct, int t) { return ct->last_use[t] != -2; }

int cuts_compute(const graph *g, cut_table *ct, ps_error *err)
{
    memset(ct, 0, sizeof *ct);
    int nt = g->n_tensors;
    ct->sched = malloc(sizeof(int) * ((size_t)g->n_nodes + 1));
    ct->sched_pos = malloc(sizeof(int) * ((size_t)g->n_nodes + 1));
    ct->birth = malloc(sizeof(int) * ((size_t)nt + 1));
    ct->last_use = malloc(sizeof(int) * ((size_t)nt + 1));
    if (!ct->sched || !ct->sched_pos || !ct->birth || !ct->last_use)
        goto nomem;
    for (int i = 0; i < g->n_nodes; i++) {
        int ni = g->order[i];
        ct->sched_pos[ni] = -1;
        if (!g->nodes[ni].is_const) {
            ct->sched_pos[ni] = ct->n_sched;
            ct->sched[ct->n_sched++] = ni;
        }
    }
    int m = ct->n_sched;
    for (int t = 0; t < nt; t++) {
        const graph_tensor *ten = &g->tensors[t];
        ct->last_use[t] = -2;
        ct->birth[t] = -2;
        if (ten->flags & GRAPH_T_INPUT)
            ct->birth[t] = -1;
        else if (ten->producer >= 0 && ct->sched_pos[ten->producer] >= 0)
            ct->birth[t] = ct->sched_pos[ten->producer];
        if (ct->birth[t] == -2)
            continue; /* initializer or folded constant: never sent */
        int last = -2;
        for (int c = 0; c < ten->n_consumers; c++) {
            int pos = ct->sched_pos[ten->consumers[c]];
            if (pos > last)
                last = pos;
        }
        if (ten->flags & GRAPH_T_OUTPUT)
            last = m;
        ct->last_use[t] = last < ct->birth[t] ? ct->birth[t] : last; /* unused: never sent */
    }
    ct->n_points = m + 1;
    ct->points = calloc((size_t)m + 1, sizeof *ct->points);
    if (!ct->points)
        goto nomem;
    /* Count first, then fill: cut-sets are small next to M * T. */
    for (int p = 0; p <= m; p++) {
        cut_point *c = &ct->points[p];
        c->position = p;
        c->after_node = p ? ct->sched[p - 1] : -1;
        int cnt = 0;
        for (int t = 0; t < nt; t++)
            if (ct->birth[t] >= -1 && ct->birth[t] < p && p <= ct->last_use[t])
                cnt++;
        c->tensors = malloc(sizeof(int) * ((size_t)cnt + 1));
        if (!c->tensors)
            goto nomem;
        for (int t = 0; t < nt; t++)
            if (ct->birth[t] >= -1 && ct->birth[t] < p && p <= ct->last_use[t]) {
                c->tensors[c->n_tensors++] = t;
                int64_t e = graph_tensor_elems(&g->tensors[t]);
                c->elems += e > 0 ? e : 0;
            }
        c->single_tensor_cut = p > 0 && p < m && c->n_tensors == 1;
    }
    return 0;
nomem:
    cuts_free(ct);
    return error_set(err, PS_ERR_NOMEM, "out of memory computing cut-sets");
}

int64_t cuts_bytes(const cut_point *c, int bits) { return shapes_bytes(c->elems, bits); }

int cuts_count_single(const cut_table *ct)
{
    int n = 0;
    for (int p = 0; p < ct->n_points; p++)
        n += ct->points[p].single_tensor_cut;
    return n;
}
