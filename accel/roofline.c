/* Roofline model of a COTS device (Williams et al., CACM 2009). */
#include "accel/roofline.h"

#include <math.h>
#include <string.h>

int roofline_layer_cost(const accel_arch *a, const accel_layer *l, int bits, int64_t batch,
                        layer_cost *c, ps_error *err)
{
    memset(c, 0, sizeof *c);
    c->bound = BOUND_NONE;
    if (a->kind != ARCH_ROOFLINE)
        return error_set(err, PS_ERR_INTERNAL, "roofline_layer_cost on a %s architecture",
                         arch_kind_name(a->kind));
    if (bits < 1 || bits > 64)
        return error_set(err, PS_ERR_INPUT, "layer '%s' on '%s': bits must be 1..64, got %d",
                         l->name, a->name, bits);
    if (batch < 0)
        return error_set(err, PS_ERR_INPUT,
                         "layer '%s' on '%s': batch must be 0 (auto) or more, got %lld",
                         l->name, a->name, (long long)batch);
    if (l->kind == LAYER_LAYOUT || l->kind == LAYER_OTHER)
        return 0; /* data stays where it is: no work */
    const arch_roofline *r = &a->u.roof;
    double frames = batch > 0 ? (double)batch : 1.0;
    double word_bytes = (double)bits / 8.0;

    c->macs = l->macs;
    c->macs_executed = l->macs; /* dense kernels: no zero skipping */
    c->ops = l->ops;
    /* MACs and non-MAC operations share the datapath at the peak rate */
    double work = l->kind == LAYER_CONV || l->kind == LAYER_FC ? l->macs : l->ops;
    double achieved_rate = r->peak_macs_per_s * r->efficiency;
    double t_compute = work / achieved_rate;

    /* activations in and out every frame, weights once per batch */
    c->accesses[MEM_DRAM][DATA_IFMAP] = l->in_elems;
    c->accesses[MEM_DRAM][DATA_FILTER] = l->param_elems / frames;
    c->accesses[MEM_DRAM][DATA_PSUM] = l->out_elems;
    c->dram_bytes = (l->in_elems + l->out_elems + l->param_elems / frames) * word_bytes;
    double t_dram = c->dram_bytes / a->dram_bw_bytes_per_s;

    /* Roofline (Williams et al., CACM 2009): attainable rate =
     * min(peak, intensity x bandwidth), i.e. time = max(work / peak,
     * bytes / bandwidth) */
    c->latency_s = fmax(t_compute, t_dram);
    c->bound = c->latency_s <= 0 ? BOUND_NONE
               : t_dram > t_compute ? BOUND_DRAM : BOUND_COMPUTE;
    c->compute_cycles = t_compute * a->clock_hz;
    c->dram_cycles = t_dram * a->clock_hz;
    c->cycles = c->latency_s * a->clock_hz;
    c->utilization = c->latency_s > 0 ? work / c->latency_s / r->peak_macs_per_s : 0.0;

    /* no per-level breakdown on a COTS device: dynamic power as "compute",
     * idle power as static, both over the layer's latency */
    c->energy[PART_MAC] = (r->active_power_w - r->idle_power_w) * c->latency_s;
    c->energy[PART_STATIC] = r->idle_power_w * c->latency_s;
    cost_total(c);
    return 0;
}
