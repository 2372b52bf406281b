/* Shared fixtures of the accelerator tests: the preset architectures built
 * in code (the same numbers as the platforms/presets files, which a test
 * compares), and layers described directly in NeuPart's notation, so a test
 * can state a shape without building an ONNX model. */
#ifndef PARTSIM_TESTS_ACCEL_FIXTURES_H
#define PARTSIM_TESTS_ACCEL_FIXTURES_H

#include "accel/arch.h"
#include "accel/layer.h"

/* Eyeriss v1 (JSSC 2017): 12 x 14 PEs, RF 224 / 12 / 24 16-bit words,
 * 108 KiB GLB of which 100 KiB ifmap + psum, 65 nm, 200 MHz.  Unlike the
 * preset, the array is ideal (array_efficiency 1), so that hand-computed
 * cycle counts stay simple. */
void fixture_eyeriss(accel_arch *a);

/* Simba chiplet (MICRO 2019): 16 PEs x 8 lanes x 8-wide MACs, 32 KiB weight,
 * 8 KiB input, 3 KiB accumulation buffer per PE, 64 KiB global buffer,
 * 8-bit data, 24-bit accumulation. */
void fixture_simba(accel_arch *a);

/* A convolution layer of one group: C channels of H x W (already padded),
 * F filters of R x S, stride U; E and G follow.  No sparsity. */
accel_layer fixture_conv(int64_t C, int64_t H, int64_t W, int64_t F, int64_t R, int64_t S,
                         int64_t U);
/* The same with `groups` groups (C and F per group). */
accel_layer fixture_grouped_conv(int64_t groups, int64_t C, int64_t H, int64_t W, int64_t F,
                                 int64_t R, int64_t S, int64_t U);
/* A fully connected layer with `in` inputs and `out` outputs (one row). */
accel_layer fixture_fc(int64_t in, int64_t out);

#endif
