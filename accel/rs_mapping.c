/* CNNergy's mapping rules (NeuPart Sec. IV-C). */
#include "accel/rs_mapping.h"

#include <stdio.h>
#include <string.h>

static int64_t min64(int64_t a, int64_t b) { return a < b ? a : b; }
static int64_t max64(int64_t a, int64_t b) { return a > b ? a : b; }
static int64_t ceil_div(int64_t a, int64_t b) { return (a + b - 1) / b; }

rs_rf_capacity rs_mapping_rf_capacity(const accel_arch *a, int bits)
{
    const arch_rowstat *hw = &a->u.rs;
    int64_t wb = hw->rf_word_bits;
    int pb = a->psum_bits > 0 ? a->psum_bits : bits;
    return (rs_rf_capacity){
        .filter = max64(1, hw->filter_rf_words * wb / bits),
        .ifmap = max64(1, hw->ifmap_rf_words * wb / bits),
        .psum = max64(1, hw->psum_rf_words * wb / pb),
    };
}

double rs_mapping_glb_bytes(const accel_arch *a, int bits, const rs_mapping *m)
{
    /* eq. (9): |ifmap| = b_w X_i y_i z_i;  eq. (10): |psum| = b_w X_o Y_o f_i.
     * partsim: groups of a grouped conv that run side by side each hold
     * their own ifmap channels and psums. */
    double ifmap_bits = (double)bits * (double)(m->X_i * m->y_i * m->z_i);
    double psum_bits = (double)a->psum_bits * (double)(m->X_o * m->Y_o * rs_mapping_glb_filters(m));
    return (double)m->N * (double)m->group_par * (ifmap_bits + psum_bits) / 8.0;
}

int64_t rs_mapping_glb_filters(const rs_mapping *m)
{
    return m->m > m->f_i ? m->m : m->f_i;
}

/* eq. (11): N = floor(|GLB| / (|ifmap| + |psum|)) for one image */
static int64_t glb_images(const accel_arch *a, int bits, rs_mapping *m)
{
    rs_mapping one_image = *m;
    one_image.N = 1;
    double one = rs_mapping_glb_bytes(a, bits, &one_image);
    return (int64_t)((double)a->u.rs.glb_act_bytes / one);
}

/* eq. (12): X_o = (X_i - S)/U + 1, Y_i from Y_o = (Y_i - R)/U + 1 */
static void set_x_o(const conv_shape *l, rs_mapping *m, int64_t x_o)
{
    m->X_o = x_o;
    m->X_i = (x_o - 1) * l->Ux + l->S;
}

static void set_y_o(const conv_shape *l, rs_mapping *m, int64_t y_big)
{
    m->Y_o = y_big;
    m->Y_i = (y_big - 1) * l->U + m->r_pe * m->r_fold;
    if (m->Y_i > l->H)
        m->Y_i = l->H;
}

/* f_i from filters per PE and filter groups, capped by F */
static void set_filters(const conv_shape *l, rs_mapping *m)
{
    m->f_i = min64(l->F, m->f_pe * m->filter_groups);
}

/* partsim: Eyeriss's m, and the tile that goes with it.  With the psums
 * of m filters in the GLB the ifmap tile comes from DRAM once per m
 * filters, X_i Y_i C (G/X_o)(E/Y_o) F/m words a frame, but a larger m leaves
 * room for a smaller X_o Y_o and fewer images N sharing a GLB fill and its
 * filters, R S C F (G/X_o)(E/Y_o) ceil(batch/N)/batch words a frame.  Of X_o = G, G/2, ...
 * G/8, Y_o = y_o, 2 y_o, ... E and m = f_i, 2 f_i, ... F, the tile with the
 * fewest DRAM words a frame that fits the GLB (the first found on a tie:
 * the rules' own tile comes first).  The PE array's cycles do not depend on
 * the tile. */
typedef struct {
    const accel_arch *a;
    const conv_shape *l;
    int bits;
    int64_t batch;
    double ifmap_share;
    rs_mapping best;
    double best_words; /* < 0: none yet */
} tile_search;

/* Tile X_o x Y_o of the mapping `m` with every m = f_i, 2 f_i, ... F that
 * fits the GLB: keep the one with the fewest DRAM words a frame. */
static void try_tile(tile_search *ts, const rs_mapping *m, int64_t x_o, int64_t y_o)
{
    const conv_shape *l = ts->l;
    rs_mapping t = *m;
    set_x_o(l, &t, x_o);
    set_y_o(l, &t, y_o);
    double tiles = (double)l->G / (double)t.X_o * (double)l->E / (double)t.Y_o;
    /* the rows a Y_o block reads, as accel/rowstat.c charges them: y_i, then
     * y_o U new rows a y-pass; r_fold times for a folded filter */
    double rows = ((double)t.y_i + ((double)t.Y_o / (double)t.y_o - 1.0) * (double)(t.y_o * l->U)) *
                  (double)t.r_fold;
    double ifmap = (double)t.X_i * rows * (double)l->C * tiles * (double)l->F * ts->ifmap_share;
    double filter = (double)(l->R * l->S) * (double)l->C * (double)l->F * tiles;
    for (int64_t k = 1; k <= ceil_div(l->F, m->f_i); k++) {
        t.m = min64(l->F, k * m->f_i);
        int64_t n = glb_images(ts->a, ts->bits, &t);
        if (n < 1)
            return; /* a larger m fits even less */
        t.N = n;
        /* fills of n images for the batch: filter loads a frame */
        double loads = ts->batch > 0 ? (double)ceil_div(ts->batch, n) / (double)ts->batch
                                     : 1.0 / (double)n;
        double words = ifmap / (double)t.m + filter * loads;
        if (ts->best_words < 0 || words < ts->best_words * (1 - 1e-12))
            ts->best_words = words, ts->best = t;
    }
}

void rs_mapping_tile(const accel_arch *a, const conv_shape *l, int bits, int64_t batch,
                     double ifmap_share, rs_mapping *m)
{
    tile_search ts = {a, l, bits, batch, ifmap_share, *m, -1};
    try_tile(&ts, m, m->X_o, m->Y_o); /* the rules' own tile wins ties */
    for (int64_t xk = 1, prev = 0; xk <= 8; xk++) {
        int64_t x_o = ceil_div(l->G, xk);
        if (x_o == prev)
            continue;
        prev = x_o;
        for (int64_t y = m->y_o; y < l->E; y += m->y_o)
            try_tile(&ts, m, x_o, y);
        try_tile(&ts, m, x_o, l->E);
    }
    rs_mapping best = ts.best;
    if (best.m <= best.f_i)
        best.m = 0;
    if (batch > 0 && best.N > batch)
        best.N = batch;
    *m = best;
}

int rs_mapping_tiled(const accel_arch *a, const conv_shape *l, int bits, int64_t batch,
                     double ifmap_dram_share, rs_mapping *m, ps_error *err)
{
    int rc = rs_mapping_rules(a, l, bits, 0, m, err);
    if (!rc)
        rs_mapping_tile(a, l, bits, batch, ifmap_dram_share, m);
    return rc;
}

int rs_mapping_rules(const accel_arch *a, const conv_shape *l, int bits, int64_t batch,
                 rs_mapping *m, ps_error *err)
{
    const arch_rowstat *hw = &a->u.rs;
    const int64_t J = hw->rows, K = hw->cols;
    const rs_rf_capacity rf = rs_mapping_rf_capacity(a, bits);
    const int64_t f_s = rf.filter, I_s = rf.ifmap, P_s = rf.psum;
    memset(m, 0, sizeof *m);
    m->r_fold = 1;
    m->r_pe = l->R;
    if (l->R > J) { /* partsim: fold the filter height over several passes */
        m->r_fold = ceil_div(l->R, J);
        m->r_pe = ceil_div(l->R, m->r_fold);
        m->exceptions |= RS_EXC_TALL_FILTER;
    }
    /* eq. (5): S_pass = floor(J / R) sets per pass */
    m->s_pass = J / m->r_pe;
    /* eq. (6): y_o = min(K, E);  y_i = (y_o - 1) U + R */
    m->y_o = min64(K, l->E);
    m->y_i = (m->y_o - 1) * l->U + m->r_pe;
    /* Sec. IV-C.2: C_set = floor(I_s / S) filter rows fit an ifmap RF */
    m->c_set = I_s / l->S;
    if (m->c_set == 0) { /* partsim: an ifmap row wider than the RF is streamed */
        m->c_set = 1;
        m->exceptions |= RS_EXC_WIDE_FILTER;
    }
    /* eq. (8): f_i = floor(f_s / I_s) filters share the filter RF */
    m->f_pe = max64(1, f_s / I_s);
    if (m->exceptions & RS_EXC_WIDE_FILTER) /* the filter rows must still fit the filter RF */
        m->f_pe = max64(1, f_s / l->S);
    m->filter_groups = 1;
    if (l->R == 1 && l->S == 1) {
        /* Sec. IV-C.4, 1x1 filters: "a reduced z_i and suitably increased
         * f_i".  partsim's rule: as many filters as the psum RF holds, and
         * the channels the filter RF then has room for. */
        m->f_pe = min64(P_s, f_s);
        m->c_set = max64(1, min64(I_s, f_s / m->f_pe));
        m->exceptions |= RS_EXC_POINTWISE;
    }
    /* eq. (7): z_i = C_set x S_pass */
    m->z_i = m->c_set * m->s_pass;
    if (l->C < m->z_i) {
        /* Sec. IV-C.4: all channels in a pass, more filters in the free sets */
        m->exceptions |= RS_EXC_FEW_CHANNELS;
        if (l->C < m->c_set) {
            m->c_set = l->C;
            m->f_pe = max64(m->f_pe, min64(P_s, f_s / (m->c_set * l->S))); /* room in the filter RF */
        }
        int64_t sets_needed = ceil_div(l->C, m->c_set);
        m->filter_groups = max64(1, m->s_pass / sets_needed);
        m->z_i = l->C;
    }
    if (P_s < m->f_pe) { /* Sec. IV-C.4: P_s < f_i reduces f_i */
        m->f_pe = P_s;
        m->exceptions |= RS_EXC_PSUM_RF;
    }
    if (l->F < m->f_pe * m->filter_groups) { /* Sec. IV-C.4: F < f_i reduces f_i */
        m->exceptions |= RS_EXC_FEW_FILTERS;
        m->f_pe = min64(m->f_pe, l->F);
        m->filter_groups = min64(m->filter_groups, ceil_div(l->F, m->f_pe));
    }
    set_filters(l, m);
    /* partsim: sets left idle by a small grouped conv run its other groups */
    int64_t sets_used = ceil_div(m->z_i, m->c_set) * m->filter_groups;
    m->group_par = 1;
    if (l->groups > 1 && sets_used < m->s_pass) {
        m->group_par = min64(l->groups, m->s_pass / sets_used);
        if (m->group_par > 1)
            m->exceptions |= RS_EXC_GROUP_PARALLEL;
    }
    /* Sec. IV-C.3: X_i = W, Y_o = E, then shrink until N >= 1 */
    set_x_o(l, m, l->G);
    set_y_o(l, m, l->E);
    m->N = glb_images(a, bits, m);
    while (m->N < 1) {
        m->exceptions |= RS_EXC_GLB_SHRINK;
        if (m->group_par > 1) /* partsim's own parallelism first: it costs time, not energy */
            m->group_par = max64(1, m->group_par / 2);
        else if (m->Y_o > m->y_o) /* Y_o in steps of y_o (Sec. IV-C.4: never below y_o) */
            set_y_o(l, m, max64(m->y_o, m->Y_o - m->y_o));
        else if (m->X_o > 1)
            set_x_o(l, m, max64(1, m->X_o / 2));
        else if (m->f_pe > 1) { /* Sec. IV-C.4: "f_i is reduced so that the data fits" */
            m->f_pe = max64(1, m->f_pe / 2);
            set_filters(l, m);
        } else if (m->filter_groups > 1) {
            m->filter_groups = max64(1, m->filter_groups / 2);
            set_filters(l, m);
        } else if (m->c_set > 1) {
            m->c_set = max64(1, m->c_set / 2);
            m->z_i = min64(l->C, m->c_set * m->s_pass);
        } else {
            return error_set(err, PS_ERR_INPUT,
                             "architecture '%s': the GLB (%lld B for activations) cannot hold "
                             "even one ifmap row and psum of this layer (R=%lld S=%lld C=%lld "
                             "F=%lld)", a->name, (long long)a->u.rs.glb_act_bytes,
                             (long long)l->R, (long long)l->S, (long long)l->C,
                             (long long)l->F);
        }
        m->N = glb_images(a, bits, m);
    }
    if (batch > 0)
        m->N = min64(m->N, batch);
    return 0;
}

int rs_mapping_check(const accel_arch *a, const conv_shape *l, int bits, const rs_mapping *m,
                     ps_error *err)
{
    const arch_rowstat *hw = &a->u.rs;
    const rs_rf_capacity rf = rs_mapping_rf_capacity(a, bits);
    if (m->c_set < 1 || m->z_i < 1 || m->f_i < 1 || m->f_pe < 1 || m->y_o < 1 || m->X_o < 1 ||
        m->Y_o < 1 || m->r_pe < 1 || m->r_fold < 1 || m->filter_groups < 1 || m->group_par < 1)
        return error_set(err, PS_ERR_INPUT, "mapping: every parameter must be at least 1");
    if (m->r_pe * m->r_fold < l->R || m->r_pe > hw->rows)
        return error_set(err, PS_ERR_INTERNAL, "mapping: %lld PE rows per set cannot hold R=%lld",
                         (long long)m->r_pe, (long long)l->R);
    int64_t sets = (m->z_i + m->c_set - 1) / m->c_set * m->filter_groups * m->group_par;
    if (sets * m->r_pe > hw->rows)
        return error_set(err, PS_ERR_INTERNAL, "mapping: %lld sets of %lld rows exceed %d PE rows",
                         (long long)sets, (long long)m->r_pe, hw->rows);
    if (m->y_o > hw->cols)
        return error_set(err, PS_ERR_INTERNAL, "mapping: y_o=%lld exceeds %d PE columns",
                         (long long)m->y_o, hw->cols);
    if (!(m->exceptions & RS_EXC_WIDE_FILTER) && m->c_set * l->S > rf.ifmap)
        return error_set(err, PS_ERR_INTERNAL, "mapping: ifmap RF holds %lld operands, needs %lld",
                         (long long)rf.ifmap, (long long)(m->c_set * l->S));
    if (m->f_pe * m->c_set * l->S > rf.filter && l->S <= rf.filter)
        return error_set(err, PS_ERR_INTERNAL, "mapping: filter RF holds %lld operands, needs %lld",
                         (long long)rf.filter, (long long)(m->f_pe * m->c_set * l->S));
    if (m->f_pe > rf.psum)
        return error_set(err, PS_ERR_INTERNAL, "mapping: psum RF holds %lld psums, needs %lld",
                         (long long)rf.psum, (long long)m->f_pe);
    if (m->N < 1 || rs_mapping_glb_bytes(a, bits, m) > (double)hw->glb_act_bytes)
        return error_set(err, PS_ERR_INTERNAL, "mapping: needs %.0f GLB bytes, has %lld",
                         rs_mapping_glb_bytes(a, bits, m), (long long)hw->glb_act_bytes);
    /* eqs. (6), (12): the ifmap tile must cover the ofmap tile */
    if (m->y_i < (m->y_o - 1) * l->U + m->r_pe || m->X_i < (m->X_o - 1) * l->Ux + l->S)
        return error_set(err, PS_ERR_INTERNAL,
                         "mapping: ifmap tile y_i=%lld X_i=%lld is smaller than eqs. (6), (12) "
                         "give for y_o=%lld X_o=%lld", (long long)m->y_i, (long long)m->X_i,
                         (long long)m->y_o, (long long)m->X_o);
    if (m->m && (m->m < m->f_i || m->m > l->F))
        return error_set(err, PS_ERR_INTERNAL, "mapping: m=%lld filters in the GLB, expected "
                         "f_i=%lld to F=%lld", (long long)m->m, (long long)m->f_i,
                         (long long)l->F);
    if (m->f_i > l->F || m->z_i > l->C || m->X_o > l->G || m->Y_o > l->E)
        return error_set(err, PS_ERR_INTERNAL, "mapping: a tile exceeds the layer");
    return 0;
}

void rs_mapping_summary(const rs_mapping *m, char *buf, size_t size)
{
    int n = snprintf(buf, size, "f_i=%lld z_i=%lld y_o=%lld X_o=%lld Y_o=%lld N=%lld",
                     (long long)m->f_i, (long long)m->z_i, (long long)m->y_o, (long long)m->X_o,
                     (long long)m->Y_o, (long long)m->N);
    if (m->m > m->f_i && n > 0 && (size_t)n < size)
        snprintf(buf + n, size - (size_t)n, " m=%lld", (long long)m->m);
}
