#include "accel/cost.h"

#include <math.h>

const char *cost_part_name(energy_part p)
{
    static const char *names[PART_COUNT] = {"mac", "rf", "interpe", "glb", "dram",
                                            "clock", "ctrl", "static"};
    return p < PART_COUNT ? names[p] : "?";
}

const char *cost_bound_name(cost_bound b)
{
    return b == BOUND_COMPUTE ? "compute" : b == BOUND_DRAM ? "dram" : b == BOUND_GLB ? "glb"
                                                                                     : "-";
}

const char *cost_data_name(data_type d)
{
    return d == DATA_IFMAP ? "ifmap" : d == DATA_FILTER ? "filter" : "psum";
}

void cost_total(layer_cost *c)
{
    c->energy_j = 0;
    for (int p = 0; p < PART_COUNT; p++)
        c->energy_j += c->energy[p];
}

void cost_add(layer_cost *a, const layer_cost *b)
{
    a->macs += b->macs;
    a->macs_executed += b->macs_executed;
    a->ops += b->ops;
    a->compute_cycles += b->compute_cycles;
    a->dram_cycles += b->dram_cycles;
    a->glb_cycles += b->glb_cycles;
    a->cycles += b->cycles;
    a->latency_s += b->latency_s;
    for (int l = 0; l < MEM_LEVELS; l++)
        for (int d = 0; d < DATA_TYPES; d++)
            a->accesses[l][d] += b->accesses[l][d];
    a->dram_bytes += b->dram_bytes;
    for (int p = 0; p < PART_COUNT; p++)
        a->energy[p] += b->energy[p];
    cost_total(a);
}

void cost_scale(layer_cost *c, double k)
{
    c->macs *= k;
    c->macs_executed *= k;
    c->ops *= k;
    c->compute_cycles *= k;
    c->dram_cycles *= k;
    c->glb_cycles *= k;
    c->cycles *= k;
    c->latency_s *= k;
    for (int l = 0; l < MEM_LEVELS; l++)
        for (int d = 0; d < DATA_TYPES; d++)
            c->accesses[l][d] *= k;
    c->dram_bytes *= k;
    for (int p = 0; p < PART_COUNT; p++)
        c->energy[p] *= k;
    cost_total(c);
}

void cost_finish(const accel_arch *a, layer_cost *c)
{
    c->dram_cycles = c->dram_bytes / a->dram_bw_bytes_per_s * a->clock_hz;
    c->cycles = fmax(c->compute_cycles, fmax(c->dram_cycles, c->glb_cycles));
    c->bound = c->cycles <= 0                                  ? BOUND_NONE
               : c->dram_cycles >= c->cycles && c->dram_cycles > c->compute_cycles ? BOUND_DRAM
               : c->glb_cycles > c->compute_cycles                                ? BOUND_GLB
                                                                                  : BOUND_COMPUTE;
    c->latency_s = c->cycles / a->clock_hz;
    /* NeuPart eq. (20): E_ctrl = P_clk * latency + E_other-ctrl, with
     * E_other-ctrl = 15 % of E_layer excluding E_DRAM (Sec. IV-D.3); E_layer
     * contains E_other-ctrl itself, so x = s / (1 - s) * (the rest without DRAM) */
    c->energy[PART_CLOCK] = arch_clock_power(a) * c->latency_s; /* eq. (21) */
    double on_chip = c->energy[PART_MAC] + c->energy[PART_RF] + c->energy[PART_INTERPE] +
                     c->energy[PART_GLB] + c->energy[PART_CLOCK];
    c->energy[PART_CTRL] = a->other_ctrl_share / (1.0 - a->other_ctrl_share) * on_chip;
    /* partsim: leakage outside the clock network, over the layer's latency */
    c->energy[PART_STATIC] = a->static_power_w * c->latency_s;
    cost_total(c);
}

double cost_chip_energy_j(const layer_cost *c)
{
    return c->energy_j - c->energy[PART_DRAM];
}
