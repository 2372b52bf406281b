/* A design as an AutoDiCE mapping specification (sim/explore_export.h). */
#include "sim/explore_export.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/atomic_file.h"
#include "base/json.h"

/* The stage running each graph node (see the header for constant nodes);
 * stage[] has g->n_nodes entries. */
static void stage_of_nodes(const scenario *s, const explore_problem *x,
                           const explore_candidate *c, int *stage)
{
    const graph *g = s->g;
    int S = explore_stages(x), last = 0;
    for (int k = 0; k < S; k++)
        if (explore_candidate_node(x, c, k) >= 0)
            last = k;
    for (int t = g->n_nodes - 1; t >= 0; t--) { /* consumers before producers */
        int n = g->order[t], q = s->cuts.sched_pos[n];
        if (q >= 0) { /* schedule index q runs in the stage whose range holds it */
            int k = 0;
            while (k < S - 1 && c->cuts[k] <= q)
                k++;
            stage[n] = k;
            continue;
        }
        stage[n] = -1;
        for (int o = 0; o < g->nodes[n].n_outputs; o++) {
            int ti = g->nodes[n].outputs[o];
            for (int u = 0; ti >= 0 && u < g->tensors[ti].n_consumers; u++) {
                int k = stage[g->tensors[ti].consumers[u]];
                if (k >= 0 && (stage[n] < 0 || k < stage[n]))
                    stage[n] = k;
            }
        }
        if (stage[n] < 0)
            stage[n] = last;
    }
}

int explore_export_autodice(const scenario *s, const explore_problem *x,
                            const explore_candidate *c, const char *path, ps_error *err)
{
    const graph *g = s->g;
    int S = explore_stages(x);
    int *stage = malloc(sizeof(int) * ((size_t)g->n_nodes + 1));
    if (!stage)
        return error_set(err, PS_ERR_NOMEM, "out of memory");
    stage_of_nodes(s, x, c, stage);
    atomic_file af = {0};
    if (atomic_file_begin(path, (const char *const *)s->inputs, s->n_inputs, &af, err)) {
        free(stage);
        return err->code;
    }
    FILE *out = fopen(af.partial, "w");
    if (!out) {
        atomic_file_abort(&af);
        free(stage);
        return error_set(err, PS_ERR_IO, "%s: cannot write", path);
    }
    json_writer w;
    json_init(&w, out, 2);
    json_object_begin(&w);
    bool done[SCN_MAX_STAGES] = {false};
    for (int k = 0; k < S; k++) {
        int node = explore_candidate_node(x, c, k);
        if (node < 0 || done[k])
            continue;
        char key[2 * SCN_NAME + 2];
        snprintf(key, sizeof key, "%s_%s", s->nodes[node].name,
                 s->accels[s->nodes[node].accel].name);
        json_key(&w, key);
        json_array_begin(&w);
        /* a node running two stages is one key: both ranges, in schedule order */
        for (int j = k; j < S; j++) {
            if (explore_candidate_node(x, c, j) != node)
                continue;
            done[j] = true;
            for (int t = 0; t < g->n_nodes; t++)
                if (stage[g->order[t]] == j)
                    json_string(&w, g->nodes[g->order[t]].name);
        }
        json_array_end(&w);
    }
    json_object_end(&w);
    fputc('\n', out);
    free(stage);
    bool bad = ferror(out);
    if (fclose(out) || bad) {
        atomic_file_abort(&af);
        return error_set(err, PS_ERR_IO, "%s: write failed", path);
    }
    return atomic_file_commit(&af, err);
}
