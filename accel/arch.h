/* An accelerator architecture: the hardware description, a validated value
 * built from YAML (platforms/archfile.h) or a preset (platforms/presets/).
 * It is not a mapping (accel/rs_mapping.h) and not a cost (accel/cost.h).
 * Every quantity is in SI units: bytes, hertz, seconds, joules, watts,
 * bytes per second. */
#ifndef PARTSIM_ACCEL_ARCH_H
#define PARTSIM_ACCEL_ARCH_H

#include <stdbool.h>
#include <stdint.h>

#include "base/error.h"

typedef enum {
    ARCH_ROW_STATIONARY,    /* Eyeriss-like: J x K PEs with filter / ifmap / psum RFs */
    ARCH_WEIGHT_STATIONARY, /* Simba-like: PEs x lanes x vector-wide MACs */
    ARCH_ROOFLINE,          /* COTS device: peak MAC/s, bandwidth, efficiency */
    ARCH_MEASURED           /* COTS device: measured per-layer latency / power */
} arch_kind;

/* Compatibility modes of a row-stationary architecture (`compat:` in YAML):
 * ARCH_COMPAT_CNNERGY prices conv / FC layers exactly as the CNNergy MATLAB
 * code does (accel/rs_cnnergy.h) instead of partsim's own model
 * (accel/rowstat.h). */
typedef enum { ARCH_COMPAT_NONE, ARCH_COMPAT_CNNERGY } arch_compat;

/* CNNergy's own constants for what partsim otherwise models (`cnnergy:`):
 * latency = MACs / macs_per_s (NeuPart Sec. V: "#of MAC per layer /
 * Throughput", the throughput of Eyeriss [17]), and a fixed clock power
 * P_clk (NeuPart eq. (21), from CNNergy's H-tree model) instead of
 * C_clk V^2 f + L_clk. */
typedef struct {
    double macs_per_s;
    double clock_power_w;
} arch_cnnergy;

/* Memory levels of the energy table, nn_dataflow style: a cost is indexed
 * by level instead of spelled out in parallel variables. */
typedef enum { MEM_RF, MEM_INTERPE, MEM_GLB, MEM_DRAM, MEM_LEVELS } mem_level;

typedef struct {
    int rows, cols;           /* J x K */
    int filter_rf_words;      /* f_s: filter RF per PE, words of `ref_bits` */
    int ifmap_rf_words;       /* I_s */
    int psum_rf_words;        /* P_s */
    int64_t glb_bytes;        /* whole global buffer */
    int64_t glb_act_bytes;    /* of which ifmap + psum (eq. (11)'s |GLB|) */
    int rf_word_bits;         /* bit width of one RF word (16 on Eyeriss) */
    /* Fraction of the mapped PE-array cycles that do MACs: the stalls the
     * mapping model does not see (NoC delivery, pipeline fill and drain,
     * pass set-up).  1 = ideal; presets say where their value comes from. */
    double array_efficiency;
    /* Bytes the GLB moves to and from the PE array and DRAM a cycle, all
     * its ports together: the GLB bound on the cycles (0: none given, not
     * bounded). */
    double glb_bytes_per_cycle;
} arch_rowstat;

typedef struct {
    int pes, lanes, vector_width;          /* MACs per cycle = pes * lanes * vector_width */
    int64_t weight_buf_bytes;              /* per PE */
    int64_t input_buf_bytes;               /* per PE */
    int64_t accum_buf_bytes;               /* per PE */
    int64_t global_buf_bytes;
} arch_weightstat;

typedef struct {
    double peak_macs_per_s;
    double efficiency;        /* achieved fraction of the peak, 0..1 */
    double active_power_w;
    double idle_power_w;
} arch_roofline;

/* A measured device is described by its profile's path and its idle power;
 * the profile is read by platforms/measuredfile.h and bound to a graph by
 * accel/measured.h, outside the architecture. */
typedef struct {
    char profile_path[1024];  /* CSV: layer,latency_s,power_w (platforms/measuredfile.h) */
    double idle_power_w;
} arch_measured;

typedef struct {
    char name[64];
    arch_kind kind;
    double clock_hz;
    int bits;                 /* ifmap / filter bit width */
    int psum_bits;            /* accumulation bit width */
    double tech_nm;
    double vdd_v;
    /* memory */
    double dram_bw_bytes_per_s;
    /* Energy (NeuPart Table III).  e_mac_ref_j is one MAC at ref_bits (16)
     * in this architecture's technology (already scaled, see
     * arch_tech_scale); e_rel[level] is one access of a ref_bits word at that
     * level as a multiple of it (RF 1, inter-PE 2, GLB 6, DRAM 200).  Other
     * widths scale as NeuPart Sec. VIII-A says: the multiplier quadratically,
     * the adder and every memory access linearly (arch_mac_energy,
     * arch_access_energy). */
    int ref_bits;
    double e_mac_ref_j;
    double mac_mult_share;    /* multiplier's share of e_mac_ref_j, 0..1 */
    double e_rel[MEM_LEVELS];
    /* Control (NeuPart eqs. (20)-(21)): P_clk = C_clk * VDD^2 * f + L_clk,
     * and E_other-ctrl = other_ctrl_share * (E_layer without DRAM). */
    double clock_cap_f;
    double clock_leak_w;
    double other_ctrl_share;  /* NeuPart: 0.15 */
    double static_power_w;    /* leakage outside the clock network */
    arch_compat compat;       /* row-stationary only; ARCH_COMPAT_NONE for every other kind */
    arch_cnnergy cnnergy;     /* with ARCH_COMPAT_CNNERGY */
    union {
        arch_rowstat rs;
        arch_weightstat ws;
        arch_roofline roof;
        arch_measured meas;
    } u;
} accel_arch;

/* Check that every field the kind needs is present and sensible; the
 * message names the architecture and the field. */
int arch_validate(const accel_arch *a, ps_error *err);

/* Energy of one MAC on `bits`-bit operands, joules (NeuPart Sec. VIII-A). */
double arch_mac_energy(const accel_arch *a, int bits);
/* Energy of one non-MAC datapath operation (pooling, element-wise,
 * activation): the whole MAC when it multiplies, else its adder's share. */
double arch_op_energy(const accel_arch *a, bool multiplies, int bits);
/* Energy of one access of a `bits`-bit word at a level, joules. */
double arch_access_energy(const accel_arch *a, mem_level level, int bits);
/* Clock power at the architecture's clock (NeuPart eq. (21)), watts. */
double arch_clock_power(const accel_arch *a);
/* NeuPart Sec. V: s = (node / ref_node) * (vdd / ref_vdd)^2, the factor
 * that scales an energy from a reference technology to this one. */
double arch_tech_scale(double node_nm, double vdd_v, double ref_node_nm, double ref_vdd_v);

const char *arch_kind_name(arch_kind k);
/* "none", "cnnergy" */
const char *arch_compat_name(arch_compat c);
/* "rf", "interpe", "glb", "dram" */
const char *arch_mem_level_name(mem_level l);

#endif
