/* Weight-stationary vector-MAC (Simba-like) cost model.
 *
 * The structure is Simba's chiplet (Shao et al., "Simba: Scaling
 * Deep-Learning Inference with Multi-Chip-Module-Based Architecture",
 * MICRO 2019, Sec. 3): `pes` PEs and a global buffer on a NoC; each PE has
 * `lanes` vector-MAC units, each `vector_width` MACs wide, a weight buffer,
 * an input buffer and an accumulation buffer.  In one cycle a PE reads one
 * input vector (vector_width input channels of one input pixel) from its
 * input buffer and broadcasts it to all lanes; each lane multiplies it with
 * the weights of its own output channel and adds the dot product to that
 * channel's partial sum in the accumulation buffer.
 *
 * Energy levels of accel_arch's table, as this model uses them:
 *   MEM_RF      per-PE buffers: weight, input and accumulation buffer
 *   MEM_INTERPE NoC transfers between the global buffer and a PE, and
 *               PE-to-PE partial-sum forwarding
 *   MEM_GLB     the global buffer
 *   MEM_DRAM    DRAM
 * Data types: DATA_IFMAP input activations, DATA_FILTER weights, DATA_PSUM
 * partial sums (psum_bits wide) and finished outputs (bits wide).
 *
 * Assumptions, formulas and what the model leaves out: docs/ACCEL-WEIGHT-STATIONARY.md. */
#ifndef PARTSIM_ACCEL_WSTAT_H
#define PARTSIM_ACCEL_WSTAT_H

#include <stddef.h>
#include <stdint.h>

#include "accel/arch.h"
#include "accel/cost.h"
#include "accel/layer.h"
#include "base/error.h"

/* The schedule of one convolution / FC layer (all values per group). */
typedef struct {
    /* spatial: how the PEs are shared out; product <= pes */
    int64_t pes_on_k;    /* PEs on different output channels */
    int64_t pes_on_g;    /* PEs on different groups of a grouped conv */
    int64_t pes_on_p;    /* PEs on different output rows (weights replicated) */
    int64_t pes_on_c;    /* PEs on different input channels (psums forwarded PE to PE) */
    /* per PE */
    int64_t k_per_lane;  /* output channels each lane works through in turn */
    int64_t c_vectors;   /* input vectors per filter tap (ceil(channels per PE / vector width)) */
    int64_t k_pe, c_pe;  /* output / input channels a PE holds weights for */
    int64_t rows_pe;     /* output rows a PE computes */
    /* temporal tiles (buffer capacities) */
    int64_t k_tile;      /* output channels in the weight buffer at once */
    int64_t c_tile;      /* input channels in the weight / input buffer at once */
    int64_t p_tile;      /* output pixels per accumulation-buffer fill */
    int64_t n;           /* frames per weight load */
    int64_t weight_tiles;   /* ceil(k_pe / k_tile) * ceil(c_pe / c_tile) */
    int64_t input_passes;   /* DRAM reads of the input per batch: 1 if it stays in the GLB */
    int psum_spill_dram;    /* psums spilled between channel tiles go to DRAM (else GLB) */
} ws_mapping;

/* Cost of layer `l` per frame at `bits`-bit data, processing `batch`
 * frames per weight load (0 = auto: as many frames, up to 16, as fit their
 * input and output activations in half the global buffer; at least 1).
 * LAYER_LAYOUT / LAYER_OTHER cost nothing.  `used` may be NULL.  Errors:
 * PS_ERR_INPUT when a layer cannot be tiled into a PE buffer even at the
 * smallest tile (the message names the layer and the buffer). */
int wstat_layer_cost(const accel_arch *a, const accel_layer *l, int bits, int64_t batch,
                     layer_cost *c, ws_mapping *used, ps_error *err);

/* The schedule alone (convolution / FC layers). */
int wstat_map(const accel_arch *a, const accel_layer *l, int bits, int64_t batch, ws_mapping *m,
              ps_error *err);

/* Capacity check: the PEs a mapping uses, and the weight, input and
 * accumulation buffer bytes its tiles need; 0 or an error naming the limit. */
int wstat_mapping_check(const accel_arch *a, const accel_layer *l, int bits, const ws_mapping *m,
                     ps_error *err);

/* "pe k16 g1 p1 c1 | k/lane 1 cvec 8 | tile k8 c64 p84 | n1 wt1 in1" */
void wstat_mapping_summary(const ws_mapping *m, char *buf, size_t size);

#endif
