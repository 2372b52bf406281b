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

#endif
