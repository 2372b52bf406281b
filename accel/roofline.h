/* Roofline cost model of a COTS edge device (Jetson-class GPU, CPU): a
 * layer takes as long as the slower of its arithmetic at the achieved peak
 * rate and its DRAM traffic at the memory bandwidth (Williams, Waterman,
 * Patterson, "Roofline", CACM 2009).  A COTS device has no per-level energy
 * breakdown: its energy is (active - idle) power plus idle power over the
 * layer's latency.  See docs/ACCEL-DEVICES.md. */
#ifndef PARTSIM_ACCEL_ROOFLINE_H
#define PARTSIM_ACCEL_ROOFLINE_H

#include <stdint.h>

#include "accel/arch.h"
#include "accel/cost.h"
#include "accel/layer.h"

/* Cost of layer `l` per frame on an ARCH_ROOFLINE device, with `bits`-bit
 * activations and weights (1..64), processing `batch` frames together
 * (0 = auto = 1): the weights are read from DRAM once per batch.
 *
 *   t_compute = work / (peak_macs_per_s * efficiency)
 *               work = MACs (conv, FC) or operations (pool, element-wise,
 *               activation: l->ops, run at the same peak rate)
 *   t_dram    = ((in + out) * bits/8 + params * bits/8 / batch) / dram_bw
 *   latency   = max(t_compute, t_dram)
 *   energy[PART_MAC]    = (active - idle) power * latency  ("compute": the
 *                         device's dynamic power, DRAM included)
 *   energy[PART_STATIC] = idle power * latency
 *
 * Layout and unmodelled layers (LAYER_LAYOUT, LAYER_OTHER) cost nothing.
 * Cycles are latency x clock_hz at the nominal clock.  Activations are
 * never fused into their producer (PyTorch eager execution) and sparsity
 * is ignored (dense kernels). */
int roofline_layer_cost(const accel_arch *a, const accel_layer *l, int bits, int64_t batch,
                        layer_cost *c, ps_error *err);

#endif
