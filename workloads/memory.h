/* Memory needed by a platform that runs schedule positions [first, last]
 * (0-based schedule indices of compute nodes, inclusive), in bytes at a
 * given bit width. */
#ifndef PARTSIM_WORKLOADS_MEMORY_H
#define PARTSIM_WORKLOADS_MEMORY_H

#include <stdint.h>

#include "workloads/cuts.h"
#include "workloads/graph.h"

typedef struct {
    int64_t kress_bytes;      /* Kreß 2024 Def. 3 */
    int64_t autodice_bytes;   /* AutoDiCE 2023 Sec. IV-A.2: coeffs + out + in buffers */
    int64_t params_bytes;     /* parameters alone */
    int64_t peak_live_bytes;  /* parameters + the largest set of live activations */
    int64_t peak_live_act_bytes; /* the largest set of live activations alone */
} memory_estimate;

/* first <= last, both in 0..M-1 of the cut table's schedule. */
memory_estimate memory_estimate_range(const graph *g, const cut_table *ct, int first, int last,
                                      int bits);

/* Kreß 2024 Def. 3 for many ranges: prefix sums of the parameters and a
 * sparse table of the range maximum of a_i = f_in + f_out, so a range
 * [first, last] costs O(1) and equals memory_estimate_range's kress_bytes. */
typedef struct {
    int n;                 /* M: schedule positions */
    int levels;
    int64_t *params_prefix;/* M + 1 */
    int64_t **amax;        /* [level][i]: max of a over [i, i + 2^level) */
} memory_kress_index;

int memory_kress_index_build(const graph *g, const cut_table *ct, memory_kress_index *ix);
void memory_kress_index_free(memory_kress_index *ix);
int64_t memory_kress_bytes(const memory_kress_index *ix, int first, int last, int bits);

#endif
