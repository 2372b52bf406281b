/* CNNergy compatibility mode: the CNNergy MATLAB model, rule by rule and
 * term by term as ../shared/cnnergy/README.md describes it ("README §1" the
 * constants, "§2" the rules and terms), with NeuPart's equation numbers
 * where a term has one.  Everything is real-valued (double) but where the
 * README writes a floor or ceiling. */
#include "accel/rs_cnnergy.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

/* README §2: the rules' fixed numbers for R = 1 layers (rule 3) */
#define RULE3_CHANNELS 72.0
#define RULE3_FEW_FILTERS 18.0
#define RULE3_SOME_FILTERS 36.0
/* a halving loop ends long before a double underflows; this only stops a
 * loop that a NaN would keep going */
#define LOOP_MAX 2000

/* README §1: RLC nonzeros per 64-bit word, rho: 3 at 16 bit, 5 at 8 bit.  A
 * Bw-bit word count x of sparsity s is x (1 - s) 64 / (rho Bw) RLC words
 * (NeuPart eq. (25) with 1 + delta = 64 / (rho Bw)). */
static double rlc_rho(int bits)
{
    return bits == 16 ? 3.0 : 5.0;
}

/* kB (1024 bytes) that `words` Bw-bit words take: words Bw / 8192 (README §2) */
static double kbytes(double words, int bits)
{
    return words * (double)bits / 8192.0;
}

/* The layer as CNNergy sees it (README "Per-layer columns"): conv groups
 * share the schedule (C per group, M all filters); an FC layer on a
 * flattened C x H x H map is an H x H convolution on it (E = 1), an FC on a
 * vector a 1 x 1 convolution on a 1 x 1 map with C = its inputs. */
static int view_layer(const accel_layer *l, rs_cnnergy_result *r, ps_error *err)
{
    const conv_shape *c = &l->conv;
    double Hu, Wu;
    if (l->kind == LAYER_CONV) {
        if (c->R != c->S || c->H != c->W || c->E != c->G || c->U != c->Ux)
            return error_set(err, PS_ERR_UNSUPPORTED, "CNNergy models square layers only "
                             "(R = S, H = W, E = G, one stride); this one has a %lldx%lld filter "
                             "on a %lldx%lld map, stride %lldx%lld",
                             (long long)c->R, (long long)c->S, (long long)c->H,
                             (long long)c->W, (long long)c->U, (long long)c->Ux);
        r->R = (double)c->R, r->C = (double)c->C, r->H = (double)c->H, r->E = (double)c->E;
        r->U = (double)c->U;
        r->M = (double)(c->F * c->groups);
        r->groups = c->groups;
        Hu = l->in_h > 0 ? (double)l->in_h : r->H;
        Wu = l->in_w > 0 ? (double)l->in_w : r->H;
    } else {
        int64_t h = l->in_h > 0 ? l->in_h : 1, w = l->in_w > 0 ? l->in_w : 1;
        int64_t ch = l->in_c > 0 ? l->in_c : c->C;
        if (h != w || c->E != 1 || ch * h * w != c->C)
            return error_set(err, PS_ERR_UNSUPPORTED, "CNNergy maps an FC layer on one input "
                             "vector, flattened from a square map or not; this one has %lld "
                             "rows of %lld inputs (map %lldx%lldx%lld)", (long long)c->E,
                             (long long)c->C, (long long)ch, (long long)h, (long long)w);
        r->R = (double)h, r->C = (double)ch, r->H = (double)h, r->E = 1, r->U = 1;
        r->M = (double)c->F;
        r->groups = 1;
        Hu = Wu = (double)h;
    }
    r->H_unpad = Hu;
    r->macs = r->R * r->R * r->C * r->E * r->E * r->M;
    /* README "Per-layer columns": the model uses the sparsity of the padded
     * ifmap; the padding adds zeros, and the rows and columns a stride skips
     * (H < the unpadded size) are not read. */
    r->s_if_unpadded = l->in_sparsity;
    r->s_of = l->own_out_sparsity; /* the Conv / Gemm output's, as the code takes it */
    if (Hu == r->H && Wu == r->H)
        r->s_if = r->s_if_unpadded;
    else
        r->s_if = 1.0 - (1.0 - r->s_if_unpadded) * (fmin(Hu, r->H) / r->H) *
                            (fmin(Wu, r->H) / r->H);
    r->nz_macs = r->macs * (1.0 - r->s_if);
    /* README §1: RLC on every DRAM ifmap read but the network's first
     * layer's (NeuPart Sec. IV-D.2: "except the input ifmap to the first
     * Conv layer") */
    r->raw_ifmap = l->input_is_network_input;
    return 0;
}

/* 100 / (A_i + A_p) with A_p for X_o x Y x f_i psums: does it fit (>= 1)? */
static bool fits(const rs_cnnergy_result *r, double A_i, double Y, double f_i)
{
    return r->glb_kB / (A_i + kbytes(r->X_o * Y * f_i, r->bits)) >= 1.0;
}

/* README §2 "Scheduling": the sets, rules 1-5, the tile and N, rule 6. */
static int schedule(const accel_arch *a, rs_cnnergy_result *r, ps_error *err)
{
    const double J = (double)a->u.rs.rows, K = (double)a->u.rs.cols;
    const double R = r->R, C = r->C, M = r->M, H = r->H, E = r->E, U = r->U;
    r->S_p = floor(J / R);              /* NeuPart eq. (5) */
    r->z_s = floor(r->Q_i / R);         /* eq. (7)'s C_set = floor(I_s / S) */
    r->F_t = floor(r->Q_f / R);
    if (r->S_p < 1 || r->z_s < 1)
        return error_set(err, PS_ERR_UNSUPPORTED, "CNNergy's rules need R = %g at most the PE "
                         "rows (%g) and the ifmap RF (%g words)", R, J, r->Q_i);
    r->f_s = floor(r->F_t / r->z_s);    /* eq. (8), filling the filter RF */
    double z_s = r->z_s, f_s = r->f_s, f_i, z_i;
    if (z_s >= C) { /* rule 1: every channel in one set */
        r->rules |= RS_CNNERGY_RULE(1);
        z_s = C, z_i = C, r->z_flag = 1;
        f_s = floor(r->F_t / C);
        f_i = f_s * r->S_p;
    } else {        /* eq. (7): z_i = C_set S_pass */
        z_i = z_s * r->S_p, f_i = f_s, r->z_flag = 0;
    }
    if (z_s < C && z_i > C) { /* rule 2: the sets cover C with sets to spare */
        r->rules |= RS_CNNERGY_RULE(2);
        z_i = C;
        double sigma = floor(r->S_p / ceil(C / z_s));
        f_i = f_s * sigma;
        r->z_flag = 1;
    }
    if (R == 1 && E != 1 && r->z_flag == 0) { /* rule 3: 1 x 1 filters (Sec. IV-C.4) */
        r->rules |= RS_CNNERGY_RULE(3);
        z_i = RULE3_CHANNELS;
        double sigma = floor(r->S_p / ceil(RULE3_CHANNELS / z_s));
        if (M <= RULE3_FEW_FILTERS)
            f_s = M, f_i = M;
        else if (M < RULE3_SOME_FILTERS)
            f_s = M / sigma, f_i = f_s * sigma;
        else
            f_i = f_s * sigma;
    }
    if (f_i > M) { /* rule 4: fewer filters than a pass holds (Sec. IV-C.4, F < f_i) */
        r->rules |= RS_CNNERGY_RULE(4);
        f_s = M / r->S_p;
        f_i = f_s * r->S_p;
    }
    if (r->Q_p < f_s) { /* rule 5: the psum RF limits the filters (P_s < f_i) */
        r->rules |= RS_CNNERGY_RULE(5);
        f_s = r->Q_p;
        f_i = r->Q_p * r->S_p;
    }
    r->z_s = z_s, r->f_s = f_s, r->z_i = z_i;
    /* eq. (6) with y_o = K: the rows K columns cover */
    r->X_i = H;
    double y = U * (K - 1.0) + R;
    if (y >= H)
        r->y_i = H, r->y_o = E;
    else
        r->y_i = y, r->y_o = K;
    /* eqs. (9)-(11): ifmap and psum kB of one image, N = GLB / their sum */
    double A_i = kbytes(r->X_i * r->y_i * z_i, r->bits);
    double A_p = kbytes(E * E * f_i, r->bits);
    r->n_max = r->glb_kB / (A_i + A_p);
    r->X_o = E;
    for (int n = 0; A_i >= r->glb_kB && n < LOOP_MAX; n++) { /* X_i halves, eq. (12) */
        r->X_i = r->X_i / 2.0;
        A_i = kbytes(r->X_i * r->y_i * z_i, r->bits);
        r->X_o = (r->X_i - R) / U + 1.0;
        A_p = kbytes(r->X_o * E * f_i, r->bits);
        r->n_max = r->glb_kB / (A_i + A_p);
    }
    r->Y_o = E;
    r->N_first_sim = 1;
    if (r->n_max >= 1) {
        r->N_first_sim = (int64_t)floor(r->n_max);
    } else if (r->z_flag == 0) { /* Y_o halves (at least once) until one image fits */
        int n = 0;
        do
            r->Y_o = r->Y_o / 2.0;
        while (!fits(r, A_i, r->Y_o, f_i) && ++n < LOOP_MAX);
    }
    if (r->Y_o < r->y_o) { /* rule 6: Y_o >= y_o, then fewer filters (Sec. IV-C.4) */
        r->rules |= RS_CNNERGY_RULE(6);
        r->Y_o = r->y_o;
        if (r->z_flag == 0) {
            int n = 0;
            do
                f_i = f_i - 1.0;
            while (!fits(r, A_i, r->y_o, f_i) && ++n < LOOP_MAX);
        }
    }
    r->f_i = f_i;
    if (!(f_i > 0) || !(z_i > 0) || !(r->X_o > 0) || !(r->Y_o > 0) || !isfinite(f_i))
        return error_set(err, PS_ERR_UNSUPPORTED, "CNNergy's rules leave no valid pass "
                         "(f_i = %g, z_i = %g, X_o = %g, Y_o = %g) in a %g kB GLB", f_i, z_i,
                         r->X_o, r->Y_o, r->glb_kB);
    r->A_i_kB = A_i;
    return 0;
}

/* README §2 "Energy", for a batch of N images, per image: the accesses of
 * each kind, then the energies (count x energy per access). */
static void energy(const accel_arch *a, const rs_cnnergy_result *r, double N,
                   rs_cnnergy_energy *e, rs_cnnergy_access *acc)
{
    const double R = r->R, U = r->U, E = r->E, M = r->M;
    const int bits = r->bits;
    /* per pass: filter, ifmap (and the new rows of a later y-pass), psum
     * words, MACs (NeuPart eqs. (13)-(15) per image) */
    double W_f = r->f_i * r->z_i * R * R;
    double W_i = r->X_i * r->y_i * r->z_i;
    double W_i2 = r->X_i * (r->y_i - R + U) * r->z_i;
    double W_p = r->f_i * r->X_o * r->y_o;
    double Mp = R * R * r->X_o * r->y_o * r->f_i * r->z_i;
    double NZ = Mp * (1.0 - r->s_if);
    double T = (r->inter_pe_height - 1.0) * r->X_o * r->f_i * r->y_o; /* psums moved up */
    /* DRAM ifmap words of the first and a later y-pass, RLC coded (eq. (25)) */
    double rlc = r->raw_ifmap ? 1.0 : (1.0 - r->s_if) * 64.0 / (rlc_rho(bits) * (double)bits);
    double D_i = N * W_i * rlc, D_i2 = N * W_i2 * rlc;
    /* eq. (16): a z-step is y_pass passes on one filter load; eq. (17): z_pass
     * z-steps (the first writes the psums, each later one reads and writes
     * them); eq. (18): filter_pass x full_y_pass x x_pass of those */
    double blocks = r->filter_pass * r->full_y_pass * r->x_pass;
    double steps = blocks * r->z_pass / N;                       /* z-steps per image */
    double psum_steps = blocks * (1.0 + 2.0 * (r->z_pass - 1.0)) / N;
    double passes = steps * N * r->y_pass;                       /* per image */
    acc->rf_ifmap = passes * Mp;          /* a zero ifmap is still read */
    acc->rf_filter = passes * NZ;
    acc->rf_psum = passes * (2.0 * NZ - T);
    acc->rf = acc->rf_ifmap + acc->rf_filter + acc->rf_psum;
    acc->interpe = passes * T;
    acc->glb_filter = steps * W_f;        /* filters pass the GLB once per z-step */
    acc->glb_ifmap = passes * W_i;
    acc->glb_psum = psum_steps * N * r->y_pass * W_p;
    acc->dram_filter = steps * W_f;
    acc->dram_ifmap = steps * (D_i + (r->y_pass - 1.0) * D_i2);
    /* eq. (17)'s ofmap write, RLC coded also when s_of = 0 */
    acc->dram_ofmap = E * E * M * (1.0 - r->s_of) * 64.0 / (rlc_rho(bits) * (double)bits);
    /* README §1: e_MAC, then RF 1x, inter-PE 2x, GLB 6x, DRAM 200x e_MAC16,
     * scaled linearly to Bw (NeuPart Table III, Sec. VIII-A) */
    double e_rf = arch_access_energy(a, MEM_RF, bits);
    double e_glb = arch_access_energy(a, MEM_GLB, bits);
    double e_dram = arch_access_energy(a, MEM_DRAM, bits);
    e->comp = arch_mac_energy(a, bits) * passes * NZ;          /* eq. (19), nonzero MACs */
    e->rf = e_rf * acc->rf;
    e->interpe = arch_access_energy(a, MEM_INTERPE, bits) * acc->interpe;
    e->glb_filter = e_glb * acc->glb_filter;
    e->glb_ifmap = e_glb * acc->glb_ifmap;
    e->glb_psum = e_glb * acc->glb_psum;
    e->glb = e->glb_filter + e->glb_ifmap + e->glb_psum;
    e->dram_filter = e_dram * acc->dram_filter;
    e->dram_ifmap = e_dram * acc->dram_ifmap;
    e->dram_ofmap = e_dram * acc->dram_ofmap;
    e->dram = e->dram_filter + e->dram_ifmap + e->dram_ofmap;
    /* eqs. (20)-(21): E_ctrl = P_clk latency + E_other, E_other = c of the
     * layer's energy without DRAM, itself included: c / (1 - c) (the rest) */
    e->clock = a->cnnergy.clock_power_w * r->latency_s;
    double onchip = e->comp + e->rf + e->interpe + e->glb;
    double c = a->other_ctrl_share;
    e->ctrl_other = c / (1.0 - c) * (onchip + e->clock);
    e->ctrl = e->clock + e->ctrl_other;
    e->total_noctrl = onchip + e->dram;
    e->total = e->total_noctrl + e->ctrl;
}

int rs_cnnergy_layer(const accel_arch *a, const accel_layer *l, int bits, int64_t batch,
                     rs_cnnergy_result *r, ps_error *err)
{
    memset(r, 0, sizeof *r);
    int rc = 0;
    if (a->kind != ARCH_ROW_STATIONARY || a->compat != ARCH_COMPAT_CNNERGY)
        rc = error_set(err, PS_ERR_INTERNAL, "rs_cnnergy_layer on an architecture without "
                       "compat: cnnergy");
    else if (l->kind != LAYER_CONV && l->kind != LAYER_FC)
        rc = error_set(err, PS_ERR_INTERNAL, "CNNergy models conv and FC layers only");
    else if (bits != 8 && bits != 16)
        rc = error_set(err, PS_ERR_UNSUPPORTED, "CNNergy models 8- and 16-bit data only "
                       "(its bit_flag), not %d-bit", bits);
    else if (batch < 0)
        rc = error_set(err, PS_ERR_INPUT, "batch must be 0 (auto) or more, got %lld",
                       (long long)batch);
    if (!rc)
        rc = view_layer(l, r, err);
    if (rc)
        return error_prefix(err, "layer '%s' (%s)", l->name, l->op);
    /* README §1: RF capacities hold the same bytes at every width */
    const arch_rowstat *hw = &a->u.rs;
    r->bits = bits;
    r->Q_f = floor((double)hw->filter_rf_words * hw->rf_word_bits / bits);
    r->Q_i = floor((double)hw->ifmap_rf_words * hw->rf_word_bits / bits);
    r->Q_p = floor((double)hw->psum_rf_words * hw->rf_word_bits / bits);
    r->glb_kB = (double)hw->glb_act_bytes / 1024.0;
    if (schedule(a, r, err))
        return error_prefix(err, "layer '%s' (%s)", l->name, l->op);
    /* README §2: the real-valued pass counts */
    r->y_pass = r->Y_o / r->y_o;
    r->z_pass = r->C / r->z_i;
    r->filter_pass = r->M / r->f_i;
    r->full_y_pass = r->E / r->Y_o;
    r->x_pass = r->E / r->X_o;
    r->inter_pe_height = ceil(r->R * r->z_i / r->z_s);
    /* README §1, NeuPart Sec. V: latency = all MACs / throughput */
    r->latency_s = r->macs / a->cnnergy.macs_per_s;
    /* README §2: --batch N is N; auto, the first simulation's N */
    r->N = batch > 0 ? batch : r->N_first_sim;
    rs_cnnergy_access first;
    rs_cnnergy_energy e_first;
    energy(a, r, (double)r->N_first_sim, &e_first, &first);
    r->e_total_first_sim = e_first.total;
    energy(a, r, (double)r->N, &r->e, &r->acc);
    /* README §2: the GLB storage reported (never checked against the GLB) */
    double N = (double)r->N;
    r->glb_ifmap_kB = N * r->A_i_kB;
    if (r->z_flag == 0)
        r->glb_psum_kB = N * kbytes(r->X_o * r->Y_o * r->f_i, bits);
    else
        r->glb_psum_kB = r->glb_kB - (r->n_max < 1 ? r->A_i_kB : N * r->A_i_kB);
    r->d_rlc_bits = r->E * r->E * r->M * (1.0 - r->s_of) * 64.0 / rlc_rho(bits);
    /* README: the code's rf_MB = (MACs + 3 NZ MACs) Bw (RF and inter-PE),
     * glb_MB and dram_MB the sums of their accesses */
    double word = (double)bits / 8.0;
    r->rf_bytes = (r->macs + 3.0 * r->nz_macs) * word;
    r->glb_bytes = (r->acc.glb_filter + r->acc.glb_ifmap + r->acc.glb_psum) * word;
    r->dram_bytes = (r->acc.dram_filter + r->acc.dram_ifmap + r->acc.dram_ofmap) * word;
    return 0;
}

int rs_cnnergy_layer_cost(const accel_arch *a, const accel_layer *l, int bits, int64_t batch,
                          layer_cost *c, rs_cnnergy_result *r, ps_error *err)
{
    rs_cnnergy_result local;
    if (!r)
        r = &local;
    memset(c, 0, sizeof *c);
    memset(r, 0, sizeof *r);
    if (l->kind != LAYER_CONV && l->kind != LAYER_FC)
        return 0; /* CNNergy models no pooling, ReLU, LRN, ...: they cost nothing */
    if (rs_cnnergy_layer(a, l, bits, batch, r, err))
        return err->code;
    const rs_cnnergy_access *acc = &r->acc;
    c->macs = r->macs;
    c->macs_executed = r->nz_macs;
    c->accesses[MEM_RF][DATA_IFMAP] = acc->rf_ifmap;
    c->accesses[MEM_RF][DATA_FILTER] = acc->rf_filter;
    c->accesses[MEM_RF][DATA_PSUM] = acc->rf_psum;
    c->accesses[MEM_INTERPE][DATA_PSUM] = acc->interpe;
    c->accesses[MEM_GLB][DATA_IFMAP] = acc->glb_ifmap;
    c->accesses[MEM_GLB][DATA_FILTER] = acc->glb_filter;
    c->accesses[MEM_GLB][DATA_PSUM] = acc->glb_psum;
    c->accesses[MEM_DRAM][DATA_IFMAP] = acc->dram_ifmap;
    c->accesses[MEM_DRAM][DATA_FILTER] = acc->dram_filter;
    c->accesses[MEM_DRAM][DATA_PSUM] = acc->dram_ofmap; /* the ofmap written, as rowstat.h */
    c->dram_bytes = r->dram_bytes;
    c->energy[PART_MAC] = r->e.comp;
    c->energy[PART_RF] = r->e.rf;
    c->energy[PART_INTERPE] = r->e.interpe;
    c->energy[PART_GLB] = r->e.glb;
    c->energy[PART_DRAM] = r->e.dram;
    c->energy[PART_CLOCK] = r->e.clock;
    c->energy[PART_CTRL] = r->e.ctrl_other;
    /* CNNergy's latency; the clock only converts it to cycles.  No DRAM
     * bandwidth in the model: every layer is compute-bound. */
    c->latency_s = r->latency_s;
    c->cycles = c->compute_cycles = r->latency_s * a->clock_hz;
    c->bound = c->cycles > 0 ? BOUND_COMPUTE : BOUND_NONE;
    double pes = (double)(a->u.rs.rows * a->u.rs.cols);
    c->utilization = c->cycles > 0 ? r->macs / (c->cycles * pes) : 0.0;
    /* partsim's static power (0 in the preset, so energy_j is CNNergy's E_total) */
    c->energy[PART_STATIC] = a->static_power_w * c->latency_s;
    cost_total(c);
    return 0;
}

void rs_cnnergy_summary(const rs_cnnergy_result *r, char *buf, size_t size)
{
    snprintf(buf, size, "f_i=%g z_i=%g y_o=%g X_o=%g Y_o=%g N=%lld", r->f_i, r->z_i, r->y_o,
             r->X_o, r->Y_o, (long long)r->N);
}
