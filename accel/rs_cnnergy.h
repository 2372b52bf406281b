/* CNNergy compatibility mode (`compat: cnnergy` on a row-stationary
 * architecture): conv and FC layers priced exactly as the CNNergy MATLAB
 * model of NeuPart's authors computes them (github manasiumn37/CNNergy,
 * commit 96f56ef), so that partsim reproduces the published tool's numbers.
 *
 * The model is the one ../shared/cnnergy/README.md describes rule by rule
 * (cited below as "README §1" for the constants, "§2" for the rules and
 * terms); docs/ACCELERATORS.md ("CNNergy compatibility mode") restates it.
 * It is a separate code path on purpose: it keeps the code's own choices,
 * which partsim's model (accel/rs_mapping.h, accel/rowstat.h) does not share:
 * real-valued pass counts (Y_o = 27.5), the padded-volume sparsity, CNNergy's
 * FC mapping (an FC on a flattened C x H x W map is an H x H convolution),
 * its inter-PE term, a GLB access per filter word, psums at the data width,
 * latency = MACs / throughput and a fixed clock power, and its batch N.
 *
 * CNNergy models conv and FC layers only: pooling, ReLU, LRN and every other
 * layer cost nothing in this mode (rs_cnnergy_layer_cost gives a zero cost).
 * It models square layers only (R = S, H = W, E = G, one stride); other
 * layers are an error. */
#ifndef PARTSIM_ACCEL_RS_CNNERGY_H
#define PARTSIM_ACCEL_RS_CNNERGY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "accel/arch.h"
#include "accel/cost.h"
#include "accel/layer.h"
#include "base/error.h"

/* The exception rules of README §2 that fired (the CSVs' `rules`). */
#define RS_CNNERGY_RULE(k) (1u << ((k) - 1)) /* k = 1..6 */

/* Energies per image in joules, README §2 "Breakdown columns" (the CSVs'
 * e_*_pJ columns, there in picojoules). */
typedef struct {
    double comp;                                 /* e_MAC x nonzero MACs */
    double rf, interpe;
    double glb_filter, glb_ifmap, glb_psum, glb; /* glb = the three */
    double dram_filter, dram_ifmap, dram_ofmap, dram;
    double clock;                                /* P_clk x latency */
    double ctrl_other;                           /* c / (1 - c) (E_onchip + E_clock) */
    double ctrl;                                 /* clock + ctrl_other */
    double total_noctrl;                         /* everything but ctrl */
    double total;
} rs_cnnergy_energy;

/* Accesses per image in Bw-bit words (the CSVs' acc_* columns); DRAM ifmap
 * and ofmap counts are RLC-coded words.  The RF count is README §2's
 * 3 NZ + (NZ - T) + (Mp - NZ), split by data type as partsim reads it: an
 * ifmap read per MAC (Mp), a filter read per nonzero MAC (NZ), a psum read
 * per nonzero MAC and a write but for the T psums handed to the PE above
 * (2 NZ - T). */
typedef struct {
    double rf_ifmap, rf_filter, rf_psum, rf; /* rf = the three */
    double interpe;
    double glb_filter, glb_ifmap, glb_psum;
    double dram_filter, dram_ifmap, dram_ofmap;
} rs_cnnergy_access;

/* One conv / FC layer under CNNergy's model: the layer as the model sees it,
 * the schedule, the pass counts, latency, energies and accesses, i.e. every
 * column of the reference CSVs but the derived running sum E_L_cum. */
typedef struct {
    /* the layer (README: "Per-layer columns"); C per group, M all filters */
    double R, C, M, H, H_unpad, E, U;
    int64_t groups;
    int bits;                  /* Bw */
    double macs;               /* R^2 C E^2 M */
    double nz_macs;            /* macs (1 - s_if) */
    double s_if;               /* sparsity of the padded ifmap: what the model uses */
    double s_if_unpadded, s_of;
    bool raw_ifmap;            /* the network's first layer: DRAM ifmap not RLC coded */
    /* hardware at Bw (README §1) */
    double Q_f, Q_i, Q_p;      /* RF words per PE: filter, ifmap, psum */
    double glb_kB;             /* GLB for ifmap + psum, kB (1024 bytes) */
    /* batch */
    double n_max;              /* GLB / (A_i + A_p) */
    int64_t N_first_sim;       /* floor(n_max), or 1 when n_max < 1 */
    int64_t N;                 /* the N the energies use */
    unsigned rules;            /* RS_CNNERGY_RULE(k) */
    /* schedule (README §2 "Scheduling") */
    double S_p;                /* sets per pass */
    double z_s;                /* channels per set */
    double F_t;                /* filter rows per set the filter RF holds */
    double f_s;                /* filters per set */
    double z_i, f_i;           /* channels and filters per pass */
    int z_flag;                /* all channels in one pass */
    double X_i, y_i, y_o, X_o, Y_o;
    double A_i_kB;             /* one image's ifmap tile, eq. (9) */
    double glb_ifmap_kB, glb_psum_kB; /* reported storage (does not feed the energy) */
    /* pass counts (README §2 "Energy") */
    double y_pass, z_pass, filter_pass, full_y_pass, x_pass;
    double inter_pe_height;    /* h = ceil(R z_i / z_s) */
    double latency_s;          /* macs / throughput */
    rs_cnnergy_energy e;       /* with N */
    double e_total_first_sim;  /* e.total with N_first_sim */
    rs_cnnergy_access acc;
    double d_rlc_bits;         /* the RLC-coded ofmap per image, bits */
    /* the code's own access outputs, in bytes (its rf_MB, glb_MB, dram_MB x 2^20) */
    double rf_bytes, glb_bytes, dram_bytes;
} rs_cnnergy_result;

/* CNNergy's model of conv or FC layer `l` on architecture `a` (compat:
 * cnnergy) at `bits` (8 or 16), with `batch` images per GLB fill (0 = auto:
 * the model's first-simulation choice, N_first_sim).  Errors name the layer:
 * not conv / FC, not square, bits not 8 or 16, a shape the rules cannot map
 * (R above the PE rows or the ifmap RF, no filter left in the GLB). */
int rs_cnnergy_layer(const accel_arch *a, const accel_layer *l, int bits, int64_t batch,
                     rs_cnnergy_result *r, ps_error *err);

/* The cost of any layer in this mode: a conv / FC layer's from
 * rs_cnnergy_layer (`r`, may be NULL, receives the details; it is zeroed for
 * other layers), every other layer's zero.  Energy parts: mac, rf, interpe,
 * glb, dram, clock (P_clk x latency), ctrl (the other control), static
 * (static_power x latency, 0 in the preset); cycles = latency x clock,
 * all compute-bound (CNNergy has no DRAM bandwidth). */
int rs_cnnergy_layer_cost(const accel_arch *a, const accel_layer *l, int bits, int64_t batch,
                          layer_cost *c, rs_cnnergy_result *r, ps_error *err);

/* "f_i=20 z_i=1 y_o=14 X_o=55 Y_o=27.5 N=1": fractional values as they are. */
void rs_cnnergy_summary(const rs_cnnergy_result *r, char *buf, size_t size);

#endif
