/* The per-layer cost table of a model on one accelerator, described once
 * (base/table.h) for `partsim accel` (terminal, CSV, JSON) and the /layers
 * table of a run's trace: one row per layer with its mapping, cycles,
 * latency, the bound that holds, energy and its breakdown, and the word
 * accesses per memory level and data type. */
#ifndef PARTSIM_ACCEL_COST_TABLE_H
#define PARTSIM_ACCEL_COST_TABLE_H

#include <stdbool.h>
#include <stddef.h>

#include "accel/accel.h"
#include "base/table.h"

/* Columns, in order (names: docs/ACCELERATORS.md, "Output"). */
enum {
    COST_TABLE_INDEX, COST_TABLE_NAME, COST_TABLE_OP, COST_TABLE_KIND, COST_TABLE_OUTPUT_SHAPE,
    COST_TABLE_MACS, COST_TABLE_MAPPING, COST_TABLE_BATCH, COST_TABLE_CYCLES,
    COST_TABLE_COMPUTE_CYCLES, COST_TABLE_DRAM_CYCLES, COST_TABLE_GLB_CYCLES,
    COST_TABLE_LATENCY_S, COST_TABLE_BOUND,
    COST_TABLE_UTILIZATION, COST_TABLE_ENERGY_J, COST_TABLE_DRAM_BYTES,
    COST_TABLE_ENERGY_PART,                                /* + p: energy_<part p>_j */
    COST_TABLE_ACCESS = COST_TABLE_ENERGY_PART + PART_COUNT, /* + l * DATA_TYPES + d: acc_<l>_<d> */
    COST_TABLE_COLUMNS = COST_TABLE_ACCESS + MEM_LEVELS * DATA_TYPES,
    /* with a mapping search (cost_table_add_columns(..., searched = true)) */
    COST_TABLE_RULES_ENERGY_J = COST_TABLE_COLUMNS, COST_TABLE_RULES_LATENCY_S,
    COST_TABLE_MAPPINGS_EVALUATED, COST_TABLE_GAIN, COST_TABLE_SEARCH_COLUMNS
};

/* Append the columns above to `s` (COST_TABLE_COLUMNS of them, or
 * COST_TABLE_SEARCH_COLUMNS when `searched`).  String widths for HDF5 fit
 * the longest node name, op and shape of graph `g` and any mapping. */
int cost_table_add_columns(table_spec *s, const graph *g, bool searched, ps_error *err);

/* Row cells of layer k of `net` from row[0] on.  Strings point into `net`,
 * `g` and `shape` (a buffer the caller keeps while the row is used).  With
 * `searched`, the gain is the fractional improvement of `objective` over
 * CNNergy's rules. */
void cost_table_row(const graph *g, const accel_network *net, int k, bool searched,
                    rs_search_objective objective, table_value *row, char *shape,
                    size_t shape_size);

/* The totals of a network as one record: the extensive quantities of
 * layer_cost (macs, cycles, latency_s, energy_j and its parts, dram_bytes,
 * accesses), then frames_per_s, power_w, chip_power_w (without DRAM, as
 * Eyeriss reports it) and, when searched, rules_energy_j and
 * rules_latency_s. */
enum {
    COST_TOTAL_MACS, COST_TOTAL_CYCLES, COST_TOTAL_COMPUTE_CYCLES, COST_TOTAL_DRAM_CYCLES,
    COST_TOTAL_GLB_CYCLES,
    COST_TOTAL_LATENCY_S, COST_TOTAL_ENERGY_J, COST_TOTAL_DRAM_BYTES,
    COST_TOTAL_ENERGY_PART,
    COST_TOTAL_ACCESS = COST_TOTAL_ENERGY_PART + PART_COUNT,
    COST_TOTAL_FRAMES_PER_S = COST_TOTAL_ACCESS + MEM_LEVELS * DATA_TYPES,
    COST_TOTAL_POWER_W, COST_TOTAL_CHIP_POWER_W, COST_TOTAL_COLUMNS,
    COST_TOTAL_RULES_ENERGY_J = COST_TOTAL_COLUMNS, COST_TOTAL_RULES_LATENCY_S,
    COST_TOTAL_SEARCH_COLUMNS
};
int cost_table_totals_spec(table_spec *s, bool searched, ps_error *err);
void cost_table_totals_row(const accel_network *net, bool searched, table_value *row);

#endif
