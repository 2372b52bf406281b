/* NeuPart / CNNergy energy model (Sec. IV-D) with partsim's cycle model. */
#include "accel/rowstat.h"

#include <math.h>
#include <string.h>

#include "workloads/compress.h"

static int64_t ceil_div(int64_t a, int64_t b) { return (a + b - 1) / b; }

/* Energy of the data accesses counted in c->accesses (joules per part). */
static void access_energy(const accel_arch *a, int bits, layer_cost *c)
{
    int pb = a->psum_bits;
    c->energy[PART_RF] = (c->accesses[MEM_RF][DATA_IFMAP] + c->accesses[MEM_RF][DATA_FILTER]) *
                             arch_access_energy(a, MEM_RF, bits) +
                         c->accesses[MEM_RF][DATA_PSUM] * arch_access_energy(a, MEM_RF, pb);
    c->energy[PART_INTERPE] = c->accesses[MEM_INTERPE][DATA_PSUM] *
                                  arch_access_energy(a, MEM_INTERPE, pb) +
                              (c->accesses[MEM_INTERPE][DATA_IFMAP] +
                               c->accesses[MEM_INTERPE][DATA_FILTER]) *
                                  arch_access_energy(a, MEM_INTERPE, bits);
    c->energy[PART_GLB] = (c->accesses[MEM_GLB][DATA_IFMAP] + c->accesses[MEM_GLB][DATA_FILTER]) *
                              arch_access_energy(a, MEM_GLB, bits) +
                          c->accesses[MEM_GLB][DATA_PSUM] * arch_access_energy(a, MEM_GLB, pb);
    double dram_words = c->accesses[MEM_DRAM][DATA_IFMAP] + c->accesses[MEM_DRAM][DATA_FILTER] +
                        c->accesses[MEM_DRAM][DATA_PSUM];
    c->energy[PART_DRAM] = dram_words * arch_access_energy(a, MEM_DRAM, bits);
    c->dram_bytes = dram_words * (double)bits / 8.0;
}

/* The GLB bound: every GLB access counted in c at its width, over the GLB's
 * bandwidth (none given: no bound). */
static void glb_cycles(const accel_arch *a, int bits, layer_cost *c)
{
    double bytes = ((c->accesses[MEM_GLB][DATA_IFMAP] + c->accesses[MEM_GLB][DATA_FILTER]) *
                        (double)bits +
                    c->accesses[MEM_GLB][DATA_PSUM] * (double)a->psum_bits) / 8.0;
    double bw = a->u.rs.glb_bytes_per_cycle;
    c->glb_cycles = bw > 0 ? bytes / bw : 0.0;
}

double rowstat_ifmap_dram_share(const accel_layer *l, int bits)
{
    double rlc = l->input_is_network_input
                     ? 1.0 : (1.0 - l->in_sparsity) * (1.0 + compress_rlc_delta(bits));
    return layer_conv_unpadded_fraction(&l->conv) * rlc;
}

void rowstat_conv_cost(const accel_arch *a, const accel_layer *ly, int bits, int64_t batch,
                       const rs_mapping *m, layer_cost *c)
{
    const conv_shape *l = &ly->conv;
    memset(c, 0, sizeof *c);
    double frames = batch > 0 ? (double)batch : (double)m->N;
    /* a given mapping may allow more images per GLB fill than there are frames */
    double N = fmin((double)m->N, frames);
    double delta = compress_rlc_delta(bits);
    /* NeuPart eqs. (13)-(15): per pass, for f_i filters and N images */
    double I_pass = N * (double)(m->X_i * m->y_i * m->z_i);
    double P_pass = N * (double)(m->X_o * m->y_o * m->f_i);
    double F_pass = (double)(m->f_i * l->R * l->S * m->z_i);
    /* the multipliers of eqs. (16)-(18), and GLB fills to cover the frames */
    double per_y = (double)m->Y_o / (double)m->y_o;            /* eq. (16) */
    double per_c = (double)l->C / (double)m->z_i;               /* eq. (17) */
    double iters = (double)l->G / (double)m->X_o * (double)l->E / (double)m->Y_o *
                   (double)l->F / (double)m->f_i;               /* eq. (18) */
    double fills = frames / N;
    /* a folded filter (R > J) takes r_fold passes, each on R / r_fold rows */
    double passes = per_y * per_c * iters * fills * (double)m->r_fold;
    double groups = (double)l->groups;
    /* Sec. IV-D.2: DRAM ifmap reads (but the network input) and ofmap
     * writes are run-length compressed, NeuPart eq. (25) */
    double s_in = ly->in_sparsity, s_out = ly->out_sparsity;
    double rlc_in = ly->input_is_network_input ? 1.0 : (1.0 - s_in) * (1.0 + delta);
    double rlc_out = (1.0 - s_out) * (1.0 + delta);
    /* eq. (19): MACs = N (R S C)(E G F); zero ifmaps skip the MAC (Sec.
     * IV-D.2).  partsim counts the zeros exactly: the MACs whose ifmap is
     * padding (window coverage of the real map, layer_conv_coverage), and of
     * the rest the real map's zeros (s_in is the sparsity of the unpadded
     * tensor). */
    double macs = frames * (double)(l->R * l->S * l->C) * (double)(l->E * l->G * l->F) * groups;
    double executed = macs * layer_conv_coverage(l) * (1.0 - s_in);
    c->macs = macs;
    c->macs_executed = executed;
    /* eq. (16): the ifmap from DRAM into the GLB.  partsim: only the real
     * map is read (the padding is made on chip: s_in and the compression
     * apply to the unpadded part), and the R - U halo rows a y-pass shares
     * with the next stay in the GLB: a Y_o block reads y_i rows, then y_o U
     * new rows a pass (NeuPart's eq. (16) re-reads y_i each pass). */
    double rows_block = (double)m->y_i + (per_y - 1.0) * (double)(m->y_o * l->U);
    double rows_passes = per_y * (double)m->y_i;
    double dram_ifmap = I_pass * passes * rows_block / rows_passes * groups *
                        layer_conv_unpadded_fraction(l) *
                        (double)m->f_i / (double)rs_mapping_glb_filters(m);
    c->accesses[MEM_DRAM][DATA_IFMAP] = dram_ifmap * rlc_in;
    /* the GLB: every pass reads its ifmap tile, and what DRAM sent is written
     * into it first (decompressed); psums are read and written back each
     * z-step but the first (which only writes), and read once more for the
     * ofmap's write to DRAM */
    c->accesses[MEM_GLB][DATA_IFMAP] = I_pass * passes * groups + dram_ifmap;
    double ofmap = frames * (double)(l->E * l->G * l->F) * groups;
    double chain = per_c * (double)m->r_fold; /* passes that add into one psum tile */
    c->accesses[MEM_GLB][DATA_PSUM] = P_pass * passes / chain * (2.0 * chain - 1.0) * groups +
                                      ofmap;
    /* four RF accesses per MAC; a zero ifmap is still read, but its filter
     * read and psum read / write are skipped (Sec. IV-D.2) */
    c->accesses[MEM_RF][DATA_IFMAP] = macs;
    c->accesses[MEM_RF][DATA_FILTER] = executed;
    c->accesses[MEM_RF][DATA_PSUM] = 2.0 * executed;
    /* eq. (16): filters from DRAM once per Y_o/y_o passes (F_pass holds all
     * R rows, so a folded filter is not loaded r_fold times) */
    /* partsim: a batch of 4 in fills of 3 images takes two fills, and loads
     * its filters twice (NeuPart's frames / N counts 4/3) */
    double filter_fills = batch > 0 ? ceil(frames / N) : fills;
    c->accesses[MEM_DRAM][DATA_FILTER] = F_pass * per_c * iters * filter_fills * groups;
    /* partsim: filters pass through the GLB's filter part (Eyeriss: 8 of its
     * 108 kB, the other 100 kB hold ifmaps and psums, [JSSC17] Sec. III):
     * written once and read once per word from DRAM (NeuPart's eq. (16) has
     * no GLB filter term) */
    c->accesses[MEM_GLB][DATA_FILTER] = 2.0 * c->accesses[MEM_DRAM][DATA_FILTER];
    /* eq. (17): the finished ofmap is written to DRAM once */
    c->accesses[MEM_DRAM][DATA_PSUM] = ofmap * rlc_out;
    /* partsim: Table III's inter-PE cost, for the vertical psum accumulation
     * within a pass: every psum of the pass hops over (rows used - 1) PEs. */
    int64_t sets_used = ceil_div(m->z_i, m->c_set) * m->filter_groups;
    double rows_used = (double)(sets_used * m->r_pe);
    double hops = rows_used / (double)m->filter_groups - 1.0; /* per accumulation chain */
    c->accesses[MEM_INTERPE][DATA_PSUM] = hops * P_pass * passes * groups;
    /* energies */
    c->energy[PART_MAC] = executed * arch_mac_energy(a, bits);
    access_energy(a, bits, c);
    glb_cycles(a, bits, c);
    /* partsim's cycles: a PE does one MAC per cycle, S per ofmap pixel per
     * channel and filter; a pass takes X_o * S * C_set * (filters per PE) * N
     * cycles.  Passes along Y (y_o rows each) and Z (z_i channels) take full
     * time even when partial; along X and F a partial tile is shorter. */
    int64_t full_f = l->F / m->f_i, rem_f = l->F - full_f * m->f_i;
    double f_steps = (double)full_f * (double)ceil_div(m->f_i, m->filter_groups) +
                     (rem_f ? (double)ceil_div(rem_f, m->filter_groups) : 0.0);
    double per_frame = (double)l->G * (double)l->S * (double)m->c_set *
                       (double)ceil_div(l->E, m->y_o) * (double)ceil_div(l->C, m->z_i) * f_steps *
                       (double)m->r_fold;
    double group_rounds = (double)ceil_div(l->groups, m->group_par);
    c->compute_cycles = frames * per_frame * group_rounds / a->u.rs.array_efficiency;
    const arch_rowstat *hw = &a->u.rs;
    cost_finish(a, c);
    cost_scale(c, 1.0 / frames);
    /* accel/cost.h: MACs / (cycles x PEs), so a DRAM-bound layer shows the
     * PE array waiting */
    c->utilization = macs / frames / (c->cycles * (double)(hw->rows * hw->cols));
}

/* Pooling, element-wise and activation layers run on the PE array's
 * datapath: one operation per PE per cycle on all J x K PEs; operands come
 * from and go to DRAM through the GLB (RLC compressed like convolution
 * data), unless the activation is fused into its producer's write-back. */
static void datapath_cost(const accel_arch *a, const accel_layer *l, int bits, layer_cost *c)
{
    memset(c, 0, sizeof *c);
    const arch_rowstat *hw = &a->u.rs;
    double pes = (double)(hw->rows * hw->cols);
    double delta = compress_rlc_delta(bits);
    c->ops = l->ops;
    c->energy[PART_MAC] = l->ops * arch_op_energy(a, layer_uses_multiplier(l), bits);
    c->accesses[MEM_RF][DATA_IFMAP] = l->ops;   /* operand */
    c->accesses[MEM_RF][DATA_PSUM] = l->ops;    /* running result */
    if (!l->fused) {
        double rlc_in = l->input_is_network_input ? 1.0 : (1.0 - l->in_sparsity) * (1.0 + delta);
        double rlc_out = (1.0 - l->out_sparsity) * (1.0 + delta);
        c->accesses[MEM_DRAM][DATA_IFMAP] = l->in_elems * rlc_in;
        c->accesses[MEM_DRAM][DATA_PSUM] = l->out_elems * rlc_out;
        c->accesses[MEM_GLB][DATA_IFMAP] = l->in_elems;
        c->accesses[MEM_GLB][DATA_PSUM] = l->out_elems;
        c->compute_cycles = ceil(l->ops / pes);
    }
    /* a fused activation is applied while its producer writes its output:
     * it costs its operations' energy, no extra time */
    access_energy(a, bits, c);
    glb_cycles(a, bits, c);
    cost_finish(a, c);
    c->utilization = c->cycles > 0 ? l->ops / (c->cycles * pes) : 0.0;
}

int rowstat_layer_cost(const accel_arch *a, const accel_layer *l, int bits, int64_t batch,
                       const rs_mapping *m, layer_cost *c, rs_mapping *used, ps_error *err)
{
    memset(c, 0, sizeof *c);
    if (a->kind != ARCH_ROW_STATIONARY)
        return error_set(err, PS_ERR_INTERNAL, "rowstat_layer_cost on a %s architecture",
                         arch_kind_name(a->kind));
    if (l->kind == LAYER_CONV || l->kind == LAYER_FC) {
        rs_mapping rules;
        if (!m) {
            int rc = rs_mapping_tiled(a, &l->conv, bits, batch,
                                             rowstat_ifmap_dram_share(l, bits), &rules, err);
            if (rc)
                return error_prefix(err, "layer '%s' (%s)", l->name, l->op);
            m = &rules;
        }
        if (used)
            *used = *m;
        rowstat_conv_cost(a, l, bits, batch, m, c);
        return 0;
    }
    if (used)
        memset(used, 0, sizeof *used);
    if (l->kind == LAYER_LAYOUT || l->kind == LAYER_OTHER)
        return 0; /* data stays where it is: no work */
    datapath_cost(a, l, bits, c);
    return 0;
}
