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

/* Run-length coding overhead delta of NeuPart eq. (25) for `bits`-bit data:
 * 1/3 with 5-bit runs on 16-bit data, 3/5 with 4-bit runs on 8-bit data
 * (NeuPart Sec. VI-A); other widths: run bits / data bits with a run field
 * of 5 bits (>= 16-bit data) or 4 bits. */
double rowstat_rlc_delta(int bits);

/* Cost of layer `l` per frame, processing `batch` frames together (0 =
 * auto: N from eq. (11)).  `m` is the mapping to use for a convolution or
 * FC layer, or NULL for CNNergy's rules (the mapping used is written to
 * `used` when it is not NULL). */
int rowstat_layer_cost(const accel_arch *a, const accel_layer *l, int bits, int64_t batch,
                       const rs_mapping *m, layer_cost *c, rs_mapping *used, ps_error *err);

/* The convolution part alone, for a given mapping (used by the mapping search). */
void rowstat_conv_cost(const accel_arch *a, const accel_layer *l, int bits, int64_t batch,
                       const rs_mapping *m, layer_cost *c);

#endif
