#include "tests/accel/fixtures.h"

#include <stdio.h>
#include <string.h>

void fixture_eyeriss(accel_arch *a)
{
    memset(a, 0, sizeof *a);
    snprintf(a->name, sizeof a->name, "eyeriss-v1");
    a->kind = ARCH_ROW_STATIONARY;
    a->clock_hz = 200e6;
    a->bits = 16;
    a->psum_bits = 16;
    a->tech_nm = 65;
    a->vdd_v = 1.0;
    a->dram_bw_bytes_per_s = 0.8e9; /* assumed: 64-bit off-chip bus at 100 MHz */
    a->ref_bits = 16;
    /* NeuPart Table III, scaled from 45 nm (0.9 V, Horowitz) to 65 nm (1.0 V) */
    a->e_mac_ref_j = 0.95e-12 * arch_tech_scale(65, 1.0, 45, 0.9);
    a->mac_mult_share = 0.8;
    a->e_rel[MEM_RF] = 1;
    a->e_rel[MEM_INTERPE] = 2;
    a->e_rel[MEM_GLB] = 6;
    a->e_rel[MEM_DRAM] = 200;
    a->clock_cap_f = 460e-12;
    a->clock_leak_w = 0;
    a->other_ctrl_share = 0.15;
    a->static_power_w = 0;
    a->u.rs = (arch_rowstat){.rows = 12, .cols = 14, .filter_rf_words = 224,
                             .ifmap_rf_words = 12, .psum_rf_words = 24,
                             .glb_bytes = 108 * 1024, .glb_act_bytes = 100 * 1024,
                             .rf_word_bits = 16, .array_efficiency = 1.0};
}

void fixture_simba(accel_arch *a)
{
    memset(a, 0, sizeof *a);
    snprintf(a->name, sizeof a->name, "simba-chiplet");
    a->kind = ARCH_WEIGHT_STATIONARY;
    a->clock_hz = 1e9; /* Simba runs 0.48-1.8 GHz */
    a->bits = 8;
    a->psum_bits = 24;
    a->tech_nm = 16;
    a->vdd_v = 0.72;
    a->dram_bw_bytes_per_s = 25.6e9;
    a->ref_bits = 16;
    a->e_mac_ref_j = 0.95e-12 * arch_tech_scale(16, 0.72, 45, 0.9);
    a->mac_mult_share = 0.8;
    a->e_rel[MEM_RF] = 2;
    a->e_rel[MEM_INTERPE] = 2;
    a->e_rel[MEM_GLB] = 6;
    a->e_rel[MEM_DRAM] = 200;
    a->clock_cap_f = 90e-12;
    a->other_ctrl_share = 0.15;
    a->u.ws = (arch_weightstat){.pes = 16, .lanes = 8, .vector_width = 8,
                                .weight_buf_bytes = 32 * 1024, .input_buf_bytes = 8 * 1024,
                                .accum_buf_bytes = 3 * 1024, .global_buf_bytes = 64 * 1024};
}

accel_layer fixture_grouped_conv(int64_t groups, int64_t C, int64_t H, int64_t W, int64_t F,
                                 int64_t R, int64_t S, int64_t U)
{
    accel_layer l;
    memset(&l, 0, sizeof l);
    l.node = 0;
    l.name = "conv";
    l.op = "Conv";
    l.kind = LAYER_CONV;
    conv_shape *c = &l.conv;
    c->R = R, c->S = S, c->H = H, c->W = W, c->C = C, c->F = F, c->U = U, c->Ux = U;
    c->E = (H - R) / U + 1;
    c->G = (W - S) / U + 1;
    c->groups = groups;
    l.macs = (double)(groups * R * S * C * c->E * c->G * F);
    l.in_elems = (double)(groups * C * H * W);
    l.out_elems = (double)(groups * F * c->E * c->G);
    l.param_elems = (double)(groups * F * C * R * S);
    return l;
}

accel_layer fixture_conv(int64_t C, int64_t H, int64_t W, int64_t F, int64_t R, int64_t S,
                         int64_t U)
{
    return fixture_grouped_conv(1, C, H, W, F, R, S, U);
}

accel_layer fixture_fc(int64_t in, int64_t out)
{
    accel_layer l = fixture_conv(in, 1, 1, out, 1, 1, 1);
    l.name = "fc";
    l.op = "Gemm";
    l.kind = LAYER_FC;
    return l;
}
