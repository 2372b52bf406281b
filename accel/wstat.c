/* Weight-stationary vector-MAC (Simba-like) cost model: the schedule, the
 * cycles and the accesses per memory level.  docs/ACCEL-WEIGHT-STATIONARY.md derives
 * every count below. */
#include "accel/wstat.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

/* partsim's cap on the automatic batch (frames per weight load) */
#define WS_AUTO_BATCH_MAX 16

static int64_t ceil_div(int64_t a, int64_t b) { return (a + b - 1) / b; }
static int64_t min64(int64_t a, int64_t b) { return a < b ? a : b; }
static int64_t max64(int64_t a, int64_t b) { return a > b ? a : b; }

/* Input pixels per channel that `p` consecutive output pixels of a PE's
 * row band read: a strip of one output row, or whole input rows. */
static double in_footprint(const conv_shape *s, int64_t p)
{
    if (p <= s->G)
        return (double)(s->R * min64(s->W, (p - 1) * s->Ux + s->S));
    int64_t rows = ceil_div(p, s->G);
    return (double)(min64(s->H, (rows - 1) * s->U + s->R) * s->W);
}

/* Input pixels per channel an input-buffer sweep over `rows` output rows
 * reads, `p_tile` output pixels at a time (halos are read again). */
static double band_footprint(const conv_shape *s, int64_t rows, int64_t p_tile)
{
    int64_t pixels = rows * s->G;
    int64_t tiles = ceil_div(pixels, p_tile);
    return (double)(tiles - 1) * in_footprint(s, p_tile) +
           in_footprint(s, pixels - (tiles - 1) * p_tile);
}

static double weight_buf_need(const conv_shape *s, int bits, int64_t k, int64_t c)
{
    return (double)(k * c * s->R * s->S) * bits / 8.0;
}

static double input_buf_need(const conv_shape *s, int bits, int64_t c, int64_t p)
{
    return (double)c * in_footprint(s, p) * bits / 8.0;
}

static double accum_buf_need(const accel_arch *a, const ws_mapping *m, int64_t p)
{
    /* one psum per pixel for each lane's current output channel */
    return (double)(p * min64(m->k_pe, a->u.ws.lanes)) * a->psum_bits / 8.0;
}

static int64_t auto_batch(const accel_arch *a, const accel_layer *l, int bits)
{
    double frame_bytes = (l->in_elems + l->out_elems) * bits / 8.0;
    double half_glb = (double)a->u.ws.global_buf_bytes / 2.0;
    if (frame_bytes <= 0)
        return 1;
    return max64(1, min64(WS_AUTO_BATCH_MAX, (int64_t)floor(half_glb / frame_bytes)));
}

/* Spatial: output channels over lanes, then over PEs; what PEs are left go
 * to other groups, then to output rows, then to input channels.  Each count
 * is then trimmed to the PEs that actually get work. */
static void map_spatial(const arch_weightstat *hw, const conv_shape *s, ws_mapping *m)
{
    int64_t lane_groups = ceil_div(s->F, hw->lanes), c_vecs = ceil_div(s->C, hw->vector_width);
    int64_t left = hw->pes;
    m->pes_on_k = min64(left, lane_groups);
    left /= m->pes_on_k;
    m->pes_on_g = min64(left, s->groups);
    left /= m->pes_on_g;
    m->pes_on_p = min64(left, s->E);
    left /= m->pes_on_p;
    m->pes_on_c = min64(left, c_vecs);
    m->k_per_lane = ceil_div(lane_groups, m->pes_on_k);
    m->pes_on_k = ceil_div(lane_groups, m->k_per_lane);
    m->c_vectors = ceil_div(c_vecs, m->pes_on_c);
    m->pes_on_c = ceil_div(c_vecs, m->c_vectors);
    m->rows_pe = ceil_div(s->E, m->pes_on_p);
    m->pes_on_p = ceil_div(s->E, m->rows_pe);
    m->k_pe = min64(s->F, m->k_per_lane * hw->lanes);
    m->c_pe = min64(s->C, m->c_vectors * hw->vector_width);
}

int wstat_map(const accel_arch *a, const accel_layer *l, int bits, int64_t batch, ws_mapping *m,
              ps_error *err)
{
    const arch_weightstat *hw = &a->u.ws;
    const conv_shape *s = &l->conv;
    memset(m, 0, sizeof *m);
    map_spatial(hw, s, m);
    /* Temporal, per PE: the whole weight share if it fits the weight
     * buffer; else fewer output channels (whole lane groups: inputs are
     * read again per tile), then fewer input channels (whole vectors:
     * psums are spilled between tiles). */
    int64_t min_k = min64(m->k_pe, hw->lanes), min_c = min64(m->c_pe, hw->vector_width);
    double wb = (double)hw->weight_buf_bytes, ib = (double)hw->input_buf_bytes;
    m->k_tile = m->k_pe;
    m->c_tile = m->c_pe;
    if (weight_buf_need(s, bits, m->k_tile, m->c_tile) > wb) {
        int64_t k_fit = (int64_t)(wb / weight_buf_need(s, bits, 1, m->c_tile));
        m->k_tile = max64(min_k, k_fit / hw->lanes * hw->lanes);
    }
    if (weight_buf_need(s, bits, m->k_tile, m->c_tile) > wb) {
        int64_t c_fit = (int64_t)(wb / weight_buf_need(s, bits, m->k_tile, 1));
        m->c_tile = c_fit / hw->vector_width * hw->vector_width;
    }
    if (m->c_tile < min_c)
        return error_set(err, PS_ERR_INPUT,
                         "layer '%s' (%s): the weight buffer (%lld B per PE) cannot hold the "
                         "smallest weight tile (%lld output x %lld input channels x %lldx%lld "
                         "taps = %.0f B)", l->name, l->op, (long long)hw->weight_buf_bytes,
                         (long long)min_k, (long long)min_c, (long long)s->R, (long long)s->S,
                         weight_buf_need(s, bits, min_k, min_c));
    if (input_buf_need(s, bits, m->c_tile, 1) > ib) {
        int64_t c_fit = (int64_t)(ib / input_buf_need(s, bits, 1, 1));
        m->c_tile = c_fit / hw->vector_width * hw->vector_width;
        if (m->c_tile < min_c)
            return error_set(err, PS_ERR_INPUT,
                             "layer '%s' (%s): the input buffer (%lld B per PE) cannot hold "
                             "the inputs of one output pixel (%lld channels x %lldx%lld = %.0f B)",
                             l->name, l->op, (long long)hw->input_buf_bytes, (long long)min_c,
                             (long long)s->R, (long long)s->S, input_buf_need(s, bits, min_c, 1));
    }
    if (accum_buf_need(a, m, 1) > (double)hw->accum_buf_bytes)
        return error_set(err, PS_ERR_INPUT,
                         "layer '%s' (%s): the accumulation buffer (%lld B per PE) cannot hold "
                         "one %d-bit psum per lane", l->name, l->op,
                         (long long)hw->accum_buf_bytes, a->psum_bits);
    /* the largest pixel tile that both the accumulation and input buffer hold */
    int64_t lo = 1, hi = m->rows_pe * s->G;
    while (lo < hi) {
        int64_t mid = lo + (hi - lo + 1) / 2;
        if (accum_buf_need(a, m, mid) <= (double)hw->accum_buf_bytes &&
            input_buf_need(s, bits, m->c_tile, mid) <= ib)
            lo = mid;
        else
            hi = mid - 1;
    }
    m->p_tile = lo;
    /* Batch and global buffer: half holds the input activations of the
     * batch (then they are read from DRAM once, not once per K tile), half
     * the psums spilled between input-channel tiles. */
    m->n = batch > 0 ? batch : auto_batch(a, l, bits);
    int64_t k_tiles = ceil_div(m->k_pe, m->k_tile), c_tiles = ceil_div(m->c_pe, m->c_tile);
    m->weight_tiles = k_tiles * c_tiles;
    double half_glb = (double)hw->global_buf_bytes / 2.0;
    m->input_passes = (double)m->n * l->in_elems * bits / 8.0 <= half_glb ? 1 : k_tiles;
    double spill_bytes = (double)(m->n * s->E * s->G * m->k_tile * m->pes_on_k * m->pes_on_c *
                                  m->pes_on_g) * a->psum_bits / 8.0;
    m->psum_spill_dram = c_tiles > 1 && spill_bytes > half_glb;
    return 0;
}

int wstat_mapping_check(const accel_arch *a, const accel_layer *l, int bits, const ws_mapping *m,
                     ps_error *err)
{
    const arch_weightstat *hw = &a->u.ws;
    const conv_shape *s = &l->conv;
    if (m->pes_on_k < 1 || m->pes_on_g < 1 || m->pes_on_p < 1 || m->pes_on_c < 1 ||
        m->k_tile < 1 || m->c_tile < 1 || m->p_tile < 1 || m->n < 1)
        return error_set(err, PS_ERR_INPUT, "ws mapping: every parameter must be at least 1");
    int64_t used = m->pes_on_k * m->pes_on_g * m->pes_on_p * m->pes_on_c;
    if (used > hw->pes)
        return error_set(err, PS_ERR_INTERNAL, "ws mapping: uses %lld PEs, has %d",
                         (long long)used, hw->pes);
    if (m->k_per_lane * hw->lanes * m->pes_on_k < s->F ||
        m->c_vectors * hw->vector_width * m->pes_on_c < s->C || m->rows_pe * m->pes_on_p < s->E)
        return error_set(err, PS_ERR_INTERNAL, "ws mapping: the PEs do not cover the layer");
    if (m->k_tile > m->k_pe || m->c_tile > m->c_pe || m->p_tile > m->rows_pe * s->G)
        return error_set(err, PS_ERR_INTERNAL, "ws mapping: a tile exceeds a PE's share");
    double w = weight_buf_need(s, bits, m->k_tile, m->c_tile);
    if (w > (double)hw->weight_buf_bytes)
        return error_set(err, PS_ERR_INTERNAL, "ws mapping: needs %.0f weight buffer bytes, has %lld",
                         w, (long long)hw->weight_buf_bytes);
    double in = input_buf_need(s, bits, m->c_tile, m->p_tile);
    if (in > (double)hw->input_buf_bytes)
        return error_set(err, PS_ERR_INTERNAL, "ws mapping: needs %.0f input buffer bytes, has %lld",
                         in, (long long)hw->input_buf_bytes);
    double acc = accum_buf_need(a, m, m->p_tile);
    if (acc > (double)hw->accum_buf_bytes)
        return error_set(err, PS_ERR_INTERNAL,
                         "ws mapping: needs %.0f accumulation buffer bytes, has %lld", acc,
                         (long long)hw->accum_buf_bytes);
    return 0;
}

void wstat_mapping_summary(const ws_mapping *m, char *buf, size_t size)
{
    snprintf(buf, size, "pe k%lld g%lld p%lld c%lld | k/lane %lld cvec %lld | tile k%lld c%lld "
             "p%lld | n%lld wt%lld in%lld%s",
             (long long)m->pes_on_k, (long long)m->pes_on_g, (long long)m->pes_on_p,
             (long long)m->pes_on_c, (long long)m->k_per_lane, (long long)m->c_vectors,
             (long long)m->k_tile, (long long)m->c_tile, (long long)m->p_tile, (long long)m->n,
             (long long)m->weight_tiles, (long long)m->input_passes,
             m->psum_spill_dram ? " spill-dram" : "");
}

/* Count `words` accesses of `word_bits` bits at a level and charge their
 * energy to the level's part (and their bytes to dram_bytes). */
static void count(const accel_arch *a, layer_cost *c, mem_level level, data_type d, double words,
                  int word_bits)
{
    static const energy_part part[MEM_LEVELS] = {PART_RF, PART_INTERPE, PART_GLB, PART_DRAM};
    c->accesses[level][d] += words;
    c->energy[part[level]] += words * arch_access_energy(a, level, word_bits);
    if (level == MEM_DRAM)
        c->dram_bytes += words * word_bits / 8.0;
}

/* Cycles, latency and control energy (accel/cost.h), then utilisation:
 * work done / (cycles x work the PEs could do per cycle). */
static void finish(const accel_arch *a, double work, double work_per_cycle, layer_cost *c)
{
    cost_finish(a, c);
    c->utilization = c->cycles > 0 ? work / (c->cycles * work_per_cycle) : 0.0;
}

/* A convolution / FC layer for the batch of m->n frames; docs/ACCEL-WEIGHT-STATIONARY.md
 * has the loop nest these counts come from. */
static void conv_cost(const accel_arch *a, const accel_layer *l, int bits, const ws_mapping *m,
                      layer_cost *c)
{
    const arch_weightstat *hw = &a->u.ws;
    const conv_shape *s = &l->conv;
    int pb = a->psum_bits;
    double n = (double)m->n, groups = (double)s->groups;
    double K = (double)s->F, C = (double)s->C, taps = (double)(s->R * s->S);
    double P = (double)(s->E * s->G);
    memset(c, 0, sizeof *c);
    /* Simba Sec. 3: a PE takes one input vector per cycle and every lane
     * does vector_width MACs with it; a PE's turn over its output rows
     * takes pixels x taps x input vectors x output channels per lane. */
    double group_rounds = (double)ceil_div(s->groups, m->pes_on_g);
    c->compute_cycles = n * group_rounds * (double)(m->rows_pe * s->G) * taps *
                        (double)(m->c_vectors * m->k_per_lane);
    c->macs = n * groups * K * C * taps * P;
    c->macs_executed = c->macs; /* no zero skipping */
    c->energy[PART_MAC] = c->macs * arch_mac_energy(a, bits);
    /* weights: DRAM once per batch, multicast over the NoC to each row band's
     * PEs, written once into and read once per MAC from the weight buffer */
    double weights = groups * K * C * taps;
    count(a, c, MEM_DRAM, DATA_FILTER, weights, bits);
    count(a, c, MEM_INTERPE, DATA_FILTER, weights * (double)m->pes_on_p, bits);
    count(a, c, MEM_RF, DATA_FILTER, weights * (double)m->pes_on_p + c->macs, bits);
    /* inputs: DRAM -> GLB input_passes times; GLB -> input buffers once per
     * K tile, halos included, one read multicast to the pes_on_k PEs */
    int64_t k_tiles = ceil_div(m->k_pe, m->k_tile);
    int64_t bands = ceil_div(s->E, m->rows_pe), last_rows = s->E - (bands - 1) * m->rows_pe;
    double band_px = (double)(bands - 1) * band_footprint(s, m->rows_pe, m->p_tile) +
                     band_footprint(s, last_rows, m->p_tile);
    double fills = n * groups * (double)k_tiles * C * band_px;
    double dram_in = n * l->in_elems * (double)m->input_passes;
    count(a, c, MEM_DRAM, DATA_IFMAP, dram_in, bits);
    count(a, c, MEM_GLB, DATA_IFMAP, dram_in + fills, bits);
    count(a, c, MEM_INTERPE, DATA_IFMAP, fills * (double)m->pes_on_k, bits);
    /* each input word is read once per lane group that uses it */
    double lane_groups = (double)ceil_div(s->F, hw->lanes);
    count(a, c, MEM_RF, DATA_IFMAP, fills * (double)m->pes_on_k + n * groups * P * taps * C *
                                        lane_groups, bits);
    /* psums: one accumulation-buffer read + write per lane per input vector */
    double outputs = n * groups * K * P;
    double vectors = (double)ceil_div(s->C, hw->vector_width);
    count(a, c, MEM_RF, DATA_PSUM, 2.0 * outputs * taps * vectors, pb);
    /* input channels split over PEs: psums forwarded PE to PE, added there */
    double forwarded = outputs * (double)(m->pes_on_c - 1);
    count(a, c, MEM_INTERPE, DATA_PSUM, forwarded, pb);
    count(a, c, MEM_RF, DATA_PSUM, 2.0 * forwarded, pb);
    /* input-channel tiles: psums leave and come back between tiles */
    double spilled = outputs * (double)m->pes_on_c * (double)(ceil_div(m->c_pe, m->c_tile) - 1);
    count(a, c, MEM_INTERPE, DATA_PSUM, 2.0 * spilled, pb);
    count(a, c, m->psum_spill_dram ? MEM_DRAM : MEM_GLB, DATA_PSUM, 2.0 * spilled, pb);
    /* finished outputs at `bits`: PE -> GLB -> DRAM */
    count(a, c, MEM_INTERPE, DATA_PSUM, outputs, bits);
    count(a, c, MEM_GLB, DATA_PSUM, 2.0 * outputs, bits);
    count(a, c, MEM_DRAM, DATA_PSUM, outputs, bits);
    finish(a, c->macs, (double)(hw->pes * hw->lanes * hw->vector_width), c);
}

/* Pooling, element-wise and activation layers run on each PE's
 * post-processing path behind the accumulation buffer (Simba Sec. 3 applies
 * quantisation, ReLU and pooling there): `lanes` operations per PE per
 * cycle.  Operands come from DRAM through the GLB and the NoC into the
 * input buffer; results go back the same way.  A fused activation costs its
 * operations' energy and no time (it is applied on its producer's
 * write-back). */
static void datapath_cost(const accel_arch *a, const accel_layer *l, int bits, layer_cost *c)
{
    const arch_weightstat *hw = &a->u.ws;
    double rate = (double)(hw->pes * hw->lanes);
    memset(c, 0, sizeof *c);
    c->ops = l->ops;
    c->energy[PART_MAC] = l->ops * arch_op_energy(a, layer_uses_multiplier(l), bits);
    count(a, c, MEM_RF, DATA_IFMAP, l->ops, bits); /* operand */
    count(a, c, MEM_RF, DATA_PSUM, l->ops, a->psum_bits); /* running result */
    if (!l->fused) {
        count(a, c, MEM_DRAM, DATA_IFMAP, l->in_elems, bits);
        count(a, c, MEM_GLB, DATA_IFMAP, 2.0 * l->in_elems, bits);
        count(a, c, MEM_INTERPE, DATA_IFMAP, l->in_elems, bits);
        count(a, c, MEM_RF, DATA_IFMAP, l->in_elems, bits); /* input buffer write */
        count(a, c, MEM_INTERPE, DATA_PSUM, l->out_elems, bits);
        count(a, c, MEM_GLB, DATA_PSUM, 2.0 * l->out_elems, bits);
        count(a, c, MEM_DRAM, DATA_PSUM, l->out_elems, bits);
        c->compute_cycles = ceil(l->ops / rate);
    }
    finish(a, l->ops, rate, c);
}

int wstat_layer_cost(const accel_arch *a, const accel_layer *l, int bits, int64_t batch,
                     layer_cost *c, ws_mapping *used, ps_error *err)
{
    memset(c, 0, sizeof *c);
    if (used)
        memset(used, 0, sizeof *used);
    if (a->kind != ARCH_WEIGHT_STATIONARY)
        return error_set(err, PS_ERR_INTERNAL, "wstat_layer_cost on a %s architecture",
                         arch_kind_name(a->kind));
    if (l->kind == LAYER_CONV || l->kind == LAYER_FC) {
        ws_mapping m;
        int rc = wstat_map(a, l, bits, batch, &m, err);
        if (rc)
            return rc;
        if (used)
            *used = m;
        conv_cost(a, l, bits, &m, c);
        cost_scale(c, 1.0 / (double)m.n); /* per frame; utilisation is a ratio */
        return 0;
    }
    if (l->kind == LAYER_LAYOUT || l->kind == LAYER_OTHER)
        return 0; /* data stays where it is: no work */
    datapath_cost(a, l, bits, c);
    return 0;
}
