/* Validation and energy helpers of an accelerator architecture. */
#include "accel/arch.h"

#include <math.h>
#include <stddef.h>


const char *arch_kind_name(arch_kind k)
{
    switch (k) {
    case ARCH_ROW_STATIONARY: return "row-stationary";
    case ARCH_WEIGHT_STATIONARY: return "weight-stationary";
    case ARCH_ROOFLINE: return "roofline";
    case ARCH_MEASURED: return "measured";
    }
    return "?";
}

const char *arch_compat_name(arch_compat c)
{
    return c == ARCH_COMPAT_NONE ? "none" : c == ARCH_COMPAT_CNNERGY ? "cnnergy" : "?";
}

const char *arch_mem_level_name(mem_level l)
{
    static const char *const names[MEM_LEVELS] = {"rf", "interpe", "glb", "dram"};
    return l < MEM_LEVELS ? names[l] : "?";
}

double arch_tech_scale(double node_nm, double vdd_v, double ref_node_nm, double ref_vdd_v)
{
    /* NeuPart Sec. V: s = (65/45) * (V_DD,65nm / V_DD,45nm)^2 */
    double v = vdd_v / ref_vdd_v;
    return node_nm / ref_node_nm * v * v;
}

double arch_mac_energy(const accel_arch *a, int bits)
{
    /* NeuPart Sec. VIII-A: multiplication scales quadratically with the bit
     * width, addition linearly. */
    double r = (double)bits / (double)a->ref_bits;
    return a->e_mac_ref_j * (a->mac_mult_share * r * r + (1.0 - a->mac_mult_share) * r);
}

double arch_op_energy(const accel_arch *a, bool multiplies, int bits)
{
    double mac = arch_mac_energy(a, bits);
    return multiplies ? mac : (1.0 - a->mac_mult_share) * mac;
}

double arch_access_energy(const accel_arch *a, mem_level level, int bits)
{
    /* NeuPart Table III, memory accesses scaled linearly with the width */
    return a->e_mac_ref_j * a->e_rel[level] * (double)bits / (double)a->ref_bits;
}

double arch_clock_power(const accel_arch *a)
{
    /* NeuPart eq. (21): P_clk = C_clk * VDD^2 / T_clk + L_clk */
    return a->clock_cap_f * a->vdd_v * a->vdd_v * a->clock_hz + a->clock_leak_w;
}

#define POSITIVE(field, what)                                                                \
    do {                                                                                     \
        if (!(a->field > 0) || !isfinite((double)a->field))                                  \
            return error_set(err, PS_ERR_INPUT, "architecture '%s': %s must be positive",    \
                             a->name, what);                                                 \
    } while (0)

#define NONNEG(field, what)                                                                  \
    do {                                                                                     \
        if (!(a->field >= 0) || !isfinite((double)a->field))                                 \
            return error_set(err, PS_ERR_INPUT, "architecture '%s': %s must be 0 or more",   \
                             a->name, what);                                                 \
    } while (0)

int arch_validate(const accel_arch *a, ps_error *err)
{
    POSITIVE(clock_hz, "clock");
    if (a->bits < 1 || a->bits > 64)
        return error_set(err, PS_ERR_INPUT, "architecture '%s': bits must be 1..64, got %d",
                         a->name, a->bits);
    if (a->psum_bits < a->bits || a->psum_bits > 64)
        return error_set(err, PS_ERR_INPUT,
                         "architecture '%s': psum_bits must be between bits (%d) and 64, got %d",
                         a->name, a->bits, a->psum_bits);
    NONNEG(static_power_w, "static power");
    if (a->compat != ARCH_COMPAT_NONE && a->kind != ARCH_ROW_STATIONARY)
        return error_set(err, PS_ERR_INPUT, "architecture '%s': compat: %s needs a "
                         "row-stationary architecture, this one is %s", a->name,
                         arch_compat_name(a->compat), arch_kind_name(a->kind));
    if (a->compat == ARCH_COMPAT_CNNERGY) {
        /* accel/rs_cnnergy.h: CNNergy's throughput and clock power replace
         * partsim's cycle and clock models; DRAM bandwidth is not used */
        POSITIVE(cnnergy.macs_per_s, "the CNNergy throughput (cnnergy: throughput)");
        NONNEG(cnnergy.clock_power_w, "the CNNergy clock power (cnnergy: clock_power)");
        if (a->bits != 8 && a->bits != 16)
            return error_set(err, PS_ERR_INPUT, "architecture '%s': compat: cnnergy models "
                             "8- and 16-bit data only (CNNergy's bit_flag), got bits: %d",
                             a->name, a->bits);
    }
    if (a->kind == ARCH_ROW_STATIONARY || a->kind == ARCH_WEIGHT_STATIONARY) {
        if (a->compat != ARCH_COMPAT_CNNERGY)
            POSITIVE(dram_bw_bytes_per_s, "DRAM bandwidth");
        POSITIVE(e_mac_ref_j, "MAC energy");
        if (a->ref_bits < 1 || a->ref_bits > 64)
            return error_set(err, PS_ERR_INPUT, "architecture '%s': ref_bits must be 1..64",
                             a->name);
        if (!(a->mac_mult_share >= 0 && a->mac_mult_share <= 1))
            return error_set(err, PS_ERR_INPUT,
                             "architecture '%s': mac_mult_share must be in 0..1", a->name);
        for (int l = 0; l < MEM_LEVELS; l++)
            if (!(a->e_rel[l] >= 0))
                return error_set(err, PS_ERR_INPUT,
                                 "architecture '%s': relative access energies must be 0 or more",
                                 a->name);
        NONNEG(clock_cap_f, "clock capacitance");
        NONNEG(clock_leak_w, "clock leakage");
        if (!(a->other_ctrl_share >= 0 && a->other_ctrl_share < 1))
            return error_set(err, PS_ERR_INPUT,
                             "architecture '%s': other_ctrl_share must be in 0..1", a->name);
        POSITIVE(vdd_v, "VDD");
    }
    switch (a->kind) {
    case ARCH_ROW_STATIONARY: {
        const arch_rowstat *r = &a->u.rs;
        if (r->rows < 1 || r->cols < 1)
            return error_set(err, PS_ERR_INPUT, "architecture '%s': the PE array needs at least "
                             "1 x 1 PEs, got %d x %d", a->name, r->rows, r->cols);
        if (r->filter_rf_words < 1 || r->ifmap_rf_words < 1 || r->psum_rf_words < 1)
            return error_set(err, PS_ERR_INPUT, "architecture '%s': filter, ifmap and psum RFs "
                             "need at least one word each", a->name);
        if (r->rf_word_bits < 1)
            return error_set(err, PS_ERR_INPUT, "architecture '%s': rf_word_bits must be positive",
                             a->name);
        if (!(r->array_efficiency > 0 && r->array_efficiency <= 1))
            return error_set(err, PS_ERR_INPUT, "architecture '%s': array_efficiency must be in "
                             "(0, 1], got %g", a->name, r->array_efficiency);
        if (!(r->glb_bytes_per_cycle >= 0) || !isfinite(r->glb_bytes_per_cycle))
            return error_set(err, PS_ERR_INPUT, "architecture '%s': glb.bytes_per_cycle must "
                             "be a positive number of bytes a cycle (or absent: no GLB bound), "
                             "got %g", a->name, r->glb_bytes_per_cycle);
        if (r->glb_act_bytes < 1 || r->glb_act_bytes > r->glb_bytes)
            return error_set(err, PS_ERR_INPUT, "architecture '%s': the GLB share for ifmap + "
                             "psum must be positive and at most the GLB size", a->name);
        break;
    }
    case ARCH_WEIGHT_STATIONARY: {
        const arch_weightstat *w = &a->u.ws;
        if (w->pes < 1 || w->lanes < 1 || w->vector_width < 1)
            return error_set(err, PS_ERR_INPUT, "architecture '%s': PEs, lanes and vector width "
                             "must be positive", a->name);
        if (w->weight_buf_bytes < 1 || w->input_buf_bytes < 1 || w->accum_buf_bytes < 1 ||
            w->global_buf_bytes < 1)
            return error_set(err, PS_ERR_INPUT, "architecture '%s': every buffer needs a "
                             "positive size", a->name);
        break;
    }
    case ARCH_ROOFLINE:
        POSITIVE(u.roof.peak_macs_per_s, "peak MAC rate");
        POSITIVE(dram_bw_bytes_per_s, "memory bandwidth");
        if (!(a->u.roof.efficiency > 0 && a->u.roof.efficiency <= 1))
            return error_set(err, PS_ERR_INPUT, "architecture '%s': efficiency must be in (0, 1]",
                             a->name);
        NONNEG(u.roof.active_power_w, "active power");
        NONNEG(u.roof.idle_power_w, "idle power");
        if (a->u.roof.active_power_w < a->u.roof.idle_power_w)
            return error_set(err, PS_ERR_INPUT, "architecture '%s': active power (%g W) must be "
                             "at least the idle power (%g W)", a->name,
                             a->u.roof.active_power_w, a->u.roof.idle_power_w);
        break;
    case ARCH_MEASURED:
        if (!a->u.meas.profile_path[0])
            return error_set(err, PS_ERR_INPUT, "architecture '%s': a measured device needs a "
                             "profile CSV", a->name);
        NONNEG(u.meas.idle_power_w, "idle power");
        break;
    }
    return 0;
}
