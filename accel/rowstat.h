/* Row-stationary (Eyeriss-like) cost model: NeuPart / CNNergy Sec. IV,
 * equation by equation, plus what partsim adds (cycles, inter-PE psum
 * traffic, static power, non-convolution layers, grouped convolutions).
 * See docs/ACCELERATORS.md for the full derivation. */
#ifndef PARTSIM_ACCEL_ROWSTAT_H
#define PARTSIM_ACCEL_ROWSTAT_H

#include "accel/arch.h"
#include "accel/cost.h"
#include "accel/layer.h"
#include "accel/rs_mapping.h"

/* Cost of layer `l` per frame, processing `batch` frames together (0 =
 * auto: N from eq. (11)).  `m` is the mapping to use for a convolution or
 * FC layer, or NULL for CNNergy's rules (the mapping used is written to
 * `used` when it is not NULL). */
int rowstat_layer_cost(const accel_arch *a, const accel_layer *l, int bits, int64_t batch,
                       const rs_mapping *m, layer_cost *c, rs_mapping *used, ps_error *err);

/* The share of a conv / fc layer's ifmap words that DRAM moves: its real
 * (unpadded) part, run-length compressed unless it is the network's input. */
double rowstat_ifmap_dram_share(const accel_layer *l, int bits);

/* The convolution part alone, for a given mapping (used by the mapping search). */
void rowstat_conv_cost(const accel_arch *a, const accel_layer *l, int bits, int64_t batch,
                       const rs_mapping *m, layer_cost *c);

#endif
