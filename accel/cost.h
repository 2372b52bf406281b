/* The cost of running one layer on one accelerator: cycles, latency, the
 * bound that limits it, accesses per memory level and data type, and an
 * energy breakdown.  Produced by the cost models (accel/rowstat.h, ...). */
#ifndef PARTSIM_ACCEL_COST_H
#define PARTSIM_ACCEL_COST_H

#include <stdbool.h>

#include "accel/arch.h"

typedef enum { DATA_IFMAP, DATA_FILTER, DATA_PSUM, DATA_TYPES } data_type;

/* Energy breakdown parts; their names are the CSV / JSON columns
 * energy_<name>_j. */
typedef enum {
    PART_MAC, PART_RF, PART_INTERPE, PART_GLB, PART_DRAM, PART_CLOCK, PART_CTRL, PART_STATIC,
    PART_COUNT
} energy_part;

typedef enum { BOUND_COMPUTE, BOUND_DRAM, BOUND_GLB, BOUND_NONE } cost_bound;

typedef struct {
    double macs;                 /* MACs of the layer (per frame) */
    double macs_executed;        /* after zero skipping */
    double ops;                  /* non-MAC datapath operations (pooling, element-wise) */
    double compute_cycles;       /* what the PE array needs */
    double dram_cycles;          /* what DRAM traffic needs at the DRAM bandwidth */
    double glb_cycles;           /* what GLB traffic needs at the GLB's bandwidth (0: none
                                    given, or no GLB) */
    double cycles;               /* max of the three */
    double latency_s;
    cost_bound bound;
    double utilization;          /* MACs (or ops) / (cycles x PEs) */
    double accesses[MEM_LEVELS][DATA_TYPES]; /* word accesses per level and data type */
    double dram_bytes;           /* bytes moved to and from DRAM */
    double energy[PART_COUNT];   /* joules */
    double energy_j;             /* sum of the parts */
} layer_cost;

const char *cost_part_name(energy_part p);
const char *cost_bound_name(cost_bound b);
const char *cost_data_name(data_type d);
/* energy_j = sum of the parts */
void cost_total(layer_cost *c);
/* a += b (for totals and grouped layers) */
void cost_add(layer_cost *a, const layer_cost *b);
/* Finish a cost whose compute cycles, accesses, dram_bytes and data / MAC
 * energies are set (and glb_cycles, when the model has a GLB bound): DRAM
 * cycles at the DRAM bandwidth, cycles = the largest bound (and which), latency, clock and other-control energy (NeuPart eqs.
 * (20)-(21), Sec. IV-D.3), static energy, and the total.  Shared by the
 * analytic accelerator models. */
void cost_finish(const accel_arch *a, layer_cost *c);
/* Energy without the DRAM part: the chip's, as Eyeriss reports its power. */
double cost_chip_energy_j(const layer_cost *c);
/* Multiply every extensive quantity by k (cycles, energy, accesses, ...). */
void cost_scale(layer_cost *c, double k);

#endif
