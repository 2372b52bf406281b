/* Mapping search over the row-stationary space (see rs_search.h).
 *
 * What the search relies on, read off rowstat_conv_cost (NeuPart eqs.
 * (13)-(19) and partsim's cycle model) and rs_mapping_check;
 * tests/accel/test_rs_search.c checks the result against plain
 * enumeration, so a change of the model that breaks one of these shows up
 * there:
 *  1. Y_o and N enter the cost only through their product.  The passes of
 *     eq. (16) cancel Y_o (Y_o/y_o x E/Y_o), and filters come from DRAM
 *     once per GLB fill: R S C F (G/X_o)(E/Y_o)/N per frame.  The cycles
 *     hold neither.  The model caps N at the frames, so N never exceeds the
 *     batch here.  So for one X_o only the largest Y_o N that fits the GLB,
 *     eq. (11), is costed.
 *  2. X_o enters through X_i/X_o (ifmap traffic) and 1/(X_o Y_o N) (filter
 *     traffic); no term falls when either rises, so only the X_o on the
 *     Pareto front of the two are costed.
 *  3. group_par enters the cycles through the group rounds
 *     ceil(groups / group_par) only, and the GLB as a factor: groups side by
 *     side each hold their tiles (rs_mapping_glb_bytes), so it trades GLB
 *     room (the Y_o N of point 1) for cycles.  For each number of rounds
 *     only the smallest group_par giving it is tried.
 *  4. f_pe above ceil(F / filter_groups) gives the same f_i = F and the same
 *     cycles as ceil(F / filter_groups): skipped.  Likewise filter groups
 *     above F, channel sets above ceil(C / c_set), and a fold r_fold giving
 *     the same r_pe as a smaller fold (more passes, nothing gained).
 *  5. Every term is non-decreasing in X_i/X_o, y_i/y_o, F/f_i,
 *     1/(X_o Y_o N), the filter steps (at least one per filter tile, and
 *     at least F / filter_groups) and the group rounds.  A "relaxed"
 *     mapping that takes the best value of each over a subtree (it need not
 *     be valid; rowstat_conv_cost does not care) costs no more than any
 *     mapping of the subtree: a lower bound.  Its X_o Y_o N is what the GLB
 *     room for psums allows, N (group_par b_psum X_o Y_o f_i) <= |GLB|, put
 *     into Y_o (which may exceed E) rather than N (which the model caps at
 *     the frames).  A subtree whose bound is no better than the best
 *     mapping found so far is skipped.  The rules' mapping is costed first,
 *     so the bound bites from the start. */
#include "accel/rs_search.h"

#include <stdbool.h>
#include <string.h>

#include "accel/rowstat.h"

static int64_t min64(int64_t a, int64_t b) { return a < b ? a : b; }
static int64_t max64(int64_t a, int64_t b) { return a > b ? a : b; }
static int64_t ceil_div(int64_t a, int64_t b) { return (a + b - 1) / b; }

typedef struct {
    const accel_arch *a;
    const accel_layer *l;
    const conv_shape *s;
    int bits;
    int64_t batch;
    int64_t glb_bits; /* eq. (11)'s |GLB| in bits */
    rs_search_objective obj;
    bool have;
    double best_val;
    rs_mapping best;
    layer_cost best_cost;
    rs_search_stats st;
} search_ctx;

double rs_search_objective_value(rs_search_objective o, const layer_cost *c)
{
    switch (o) {
    case RS_SEARCH_LATENCY:
        return c->latency_s;
    case RS_SEARCH_EDP:
        return c->energy_j * c->latency_s;
    case RS_SEARCH_ENERGY:
    default:
        return c->energy_j;
    }
}

const char *rs_search_objective_name(rs_search_objective o)
{
    return o == RS_SEARCH_LATENCY ? "latency" : o == RS_SEARCH_EDP ? "edp" : "energy";
}

int rs_search_parse_objective(const char *s, rs_search_objective *out)
{
    static const rs_search_objective all[] = {RS_SEARCH_ENERGY, RS_SEARCH_LATENCY, RS_SEARCH_EDP};
    for (size_t i = 0; i < sizeof all / sizeof all[0]; i++)
        if (s && !strcmp(s, rs_search_objective_name(all[i]))) {
            *out = all[i];
            return 0;
        }
    return PS_ERR_INPUT;
}

/* A complete candidate: keep it if the checker accepts it and it beats the best. */
static void consider(search_ctx *x, const rs_mapping *m)
{
    x->st.evaluated++;
    if (rs_mapping_check(x->a, x->s, x->bits, m, NULL))
        return;
    x->st.valid++;
    layer_cost c;
    rowstat_conv_cost(x->a, x->l, x->bits, x->batch, m, &c);
    double v = rs_search_objective_value(x->obj, &c);
    if (!x->have || v < x->best_val) {
        x->have = true;
        x->best_val = v;
        x->best = *m;
        x->best_cost = c;
    }
}

/* Point 5: can the subtree that `relaxed` bounds hold a better mapping? */
static bool pruned(search_ctx *x, const rs_mapping *relaxed)
{
    if (!x->have)
        return false;
    x->st.bounds++;
    layer_cost c;
    rowstat_conv_cost(x->a, x->l, x->bits, x->batch, relaxed, &c);
    return rs_search_objective_value(x->obj, &c) >= x->best_val;
}

/* The relaxed tiles of point 5: an X_o Y_o N of `xyn` (at least 1) with
 * X_o = x_o, put into Y_o with N = 1 (the model does not care that Y_o may
 * exceed E). */
static void relax_product(rs_mapping *r, int64_t x_o, int64_t xyn)
{
    r->X_o = x_o;
    r->N = 1;
    r->Y_o = max64(1, ceil_div(xyn, x_o));
}

/* The largest X_o Y_o N any tile has with f_i >= f_min and `group_par`
 * groups side by side: N group_par (b X_i y_i z_i + b_psum X_o Y_o f_i)
 * <= |GLB| bounds it by the psum room; and by the whole batch. */
static int64_t most_xyn(const search_ctx *x, int64_t f_min, int64_t group_par)
{
    const conv_shape *s = x->s;
    int64_t most = x->glb_bits / (group_par * x->a->psum_bits * f_min);
    if (x->batch > 0)
        most = min64(most, s->G * s->E * x->batch);
    return most;
}

/* Relax the tiles: the smallest X_i/X_o any X_o gives (X_o = 1 or X_o = G)
 * and the largest X_o Y_o N (most_xyn). */
static void relax_tiles(const search_ctx *x, rs_mapping *r, int64_t f_min, int64_t group_par)
{
    const conv_shape *s = x->s;
    relax_product(r, s->G, most_xyn(x, f_min, group_par));
    r->X_i = min64(s->S * s->G, (s->G - 1) * s->Ux + s->S);
}

/* Point 1: the largest Y_o N with N (a + b Y_o) <= `glb` bits, Y_o a
 * multiple of y_o or E, N within the batch.  0 when not even Y_o = y_o,
 * N = 1 fits. */
static int64_t fill_rows_images(const search_ctx *x, int64_t glb, int64_t y_o, int64_t a,
                                int64_t b, int64_t *Y_o, int64_t *N)
{
    const int64_t E = x->s->E;
    int64_t best = 0;
    if (x->batch > 0 && x->batch <= E / y_o + 1) { /* fewer image counts than row counts */
        for (int64_t n = 1; n <= x->batch; n++) {
            int64_t room = glb / n - a;
            if (room < b * y_o)
                break;
            int64_t rows = room / b;
            int64_t y = rows >= E ? E : rows / y_o * y_o;
            if (y * n > best)
                best = y * n, *Y_o = y, *N = n;
        }
        return best;
    }
    for (int64_t y = y_o;; y = min64(E, y + y_o)) {
        int64_t n = glb / (a + b * y);
        if (x->batch > 0)
            n = min64(n, x->batch);
        if (n < 1)
            break;
        if (y * n > best)
            best = y * n, *Y_o = y, *N = n;
        if (y == E)
            break;
    }
    return best;
}

/* Points 1 and 2: X_o in the order in which X_i/X_o rises, costing each X_o
 * whose X_o Y_o N beats every X_o before it. */
static void search_tiles(search_ctx *x, rs_mapping *m)
{
    const conv_shape *s = x->s;
    const int64_t glb = x->glb_bits / m->group_par; /* point 3: each group's share */
    const int64_t a_col = x->bits * m->y_i * m->z_i; /* eq. (9) per ifmap column */
    const int64_t b_cell = x->a->psum_bits * m->f_i; /* eq. (10) per ofmap pixel */
    const bool widest_first = s->S >= s->Ux;         /* X_i/X_o = Ux + (S - Ux)/X_o */
    const int64_t max_xyn = most_xyn(x, m->f_i, m->group_par);
    int64_t best_xyn = 0;
    for (int64_t k = 0; k < s->G; k++) {
        int64_t x_o = widest_first ? s->G - k : 1 + k;
        int64_t x_i = (x_o - 1) * s->Ux + s->S; /* eq. (12) */
        int64_t y_big = 0, n = 0;
        int64_t yn = fill_rows_images(x, glb, m->y_o, a_col * x_i, b_cell * x_o, &y_big, &n);
        if (yn == 0 || x_o * yn <= best_xyn)
            continue;
        /* point 5 along X_o: X_i/X_o only rises from here on, so once the
         * bound with this X_i/X_o and the largest X_o Y_o N of any X_o fails,
         * stop */
        rs_mapping r = *m;
        relax_product(&r, x_o, max_xyn);
        r.X_i = x_i;
        if (pruned(x, &r))
            break;
        best_xyn = x_o * yn;
        m->X_o = x_o;
        m->X_i = x_i;
        m->Y_o = y_big;
        m->Y_i = min64(s->H, (y_big - 1) * s->U + m->r_pe * m->r_fold);
        m->N = n;
        consider(x, m);
    }
}

/* Point 3: group_par is the smallest for its number of group rounds. */
static bool fewest_for_rounds(int64_t groups, int64_t group_par)
{
    return group_par == 1 || ceil_div(groups, group_par - 1) > ceil_div(groups, group_par);
}

static void set_group_par(rs_mapping *m, int64_t group_par)
{
    m->group_par = group_par;
    m->exceptions &= ~(unsigned)RS_EXC_GROUP_PARALLEL;
    if (group_par > 1)
        m->exceptions |= RS_EXC_GROUP_PARALLEL;
}

/* Filters per PE, filter groups and groups side by side for a fixed
 * channel split and y_o. */
static void search_filters(search_ctx *x, rs_mapping *m, int64_t sets)
{
    const rs_rf_capacity rf = rs_mapping_rf_capacity(x->a, x->bits);
    const conv_shape *s = x->s;
    /* rs_mapping_check: the filter RF holds f_pe x c_set x S operands (Sec.
     * IV-C.2, eq. (8)) unless one filter row is wider than it (streamed) */
    int64_t rf_cap = s->S > rf.filter ? rf.psum : rf.filter / (m->c_set * s->S);
    rf_cap = min64(rf_cap, rf.psum);
    for (int64_t fg = 1; fg <= min64(s->F, m->s_pass / sets); fg++) {
        m->filter_groups = fg;
        const int64_t gp_max = min64(s->groups, m->s_pass / (sets * fg));
        const bool gp_choice = gp_max > 1;
        set_group_par(m, gp_max); /* the fewest rounds, for the bounds */
        int64_t f_top = min64(rf_cap, ceil_div(s->F, fg));
        if (f_top < 1)
            continue;
        /* bound over f_pe and group_par: the largest f_i of this fg for
         * F/f_i, and as many filter steps as tiles, ceil(F / f_i), which no
         * f_pe beats (the relaxed filter_groups = f_i does that; it leaves
         * the hops alone); the fewest group rounds, and the GLB room of one
         * group at the smallest f_i */
        rs_mapping r = *m;
        r.f_pe = f_top;
        r.f_i = min64(s->F, f_top * fg);
        r.filter_groups = r.f_i;
        relax_tiles(x, &r, min64(s->F, fg), 1);
        if (pruned(x, &r))
            continue;
        for (int64_t f_pe = f_top; f_pe >= 1; f_pe--) {
            m->f_pe = f_pe;
            m->f_i = min64(s->F, f_pe * fg);
            set_group_par(m, gp_max);
            r = *m;
            relax_tiles(x, &r, m->f_i, 1);
            if (pruned(x, &r))
                continue;
            for (int64_t gp = gp_max; gp >= 1; gp--) {
                if (!fewest_for_rounds(s->groups, gp))
                    continue;
                set_group_par(m, gp);
                if (gp_choice) { /* this group_par's rounds and GLB room */
                    r = *m;
                    relax_tiles(x, &r, m->f_i, gp);
                    if (pruned(x, &r))
                        continue;
                }
                search_tiles(x, m);
            }
        }
    }
}

/* One channel split (c_set channels per set, `sets` sets per filter group). */
static void search_channels(search_ctx *x, rs_mapping *m, int64_t sets)
{
    const conv_shape *s = x->s;
    const int64_t y_max = min64(x->a->u.rs.cols, s->E);
    /* bound over y_o, the filter choices and the tiles: every filter in one
     * tile (F/f_i = 1), as many filter groups and groups side by side as the
     * PE rows allow, the GLB room of one group and one filter, the best
     * y_i/y_o (y_o = 1 or y_o = y_max) */
    rs_mapping r = *m;
    r.f_i = s->F;
    r.f_pe = 1;
    r.filter_groups = min64(s->F, m->s_pass / sets);
    r.group_par = min64(s->groups, m->s_pass / sets);
    r.y_o = y_max;
    r.y_i = min64(y_max * m->r_pe, (y_max - 1) * s->U + m->r_pe);
    relax_tiles(x, &r, 1, 1);
    if (pruned(x, &r))
        return;
    for (int64_t y_o = y_max; y_o >= 1; y_o--) {
        m->y_o = y_o;
        m->y_i = (y_o - 1) * s->U + m->r_pe; /* eq. (6) */
        r.y_o = m->y_o;
        r.y_i = m->y_i;
        if (!pruned(x, &r))
            search_filters(x, m, sets);
    }
}

/* One filter-height fold: every channel split of the S_pass sets. */
static void search_fold(search_ctx *x, int64_t r_fold, int64_t r_pe)
{
    const arch_rowstat *hw = &x->a->u.rs;
    const conv_shape *s = x->s;
    rs_mapping m;
    memset(&m, 0, sizeof m);
    m.r_fold = r_fold;
    m.r_pe = r_pe;
    m.s_pass = hw->rows / r_pe; /* eq. (5) */
    if (r_fold > 1)
        m.exceptions |= RS_EXC_TALL_FILTER;
    const rs_rf_capacity rf = rs_mapping_rf_capacity(x->a, x->bits);
    bool wide = s->S > rf.ifmap;
    if (wide)
        m.exceptions |= RS_EXC_WIDE_FILTER;
    int64_t c_max = wide ? 1 : min64(s->C, rf.ifmap / s->S);
    for (int64_t c_set = c_max; c_set >= 1; c_set--) {
        m.c_set = c_set;
        for (int64_t sets = min64(m.s_pass, ceil_div(s->C, c_set)); sets >= 1; sets--) {
            m.z_i = min64(s->C, c_set * sets); /* eq. (7) */
            search_channels(x, &m, sets);
        }
    }
}

int rs_search(const accel_arch *a, const accel_layer *l, int bits, int64_t batch,
              rs_search_objective obj, rs_mapping *best, layer_cost *best_cost,
              rs_search_stats *st, ps_error *err)
{
    if (a->kind != ARCH_ROW_STATIONARY)
        return error_set(err, PS_ERR_INTERNAL, "rs_search on a %s architecture",
                         arch_kind_name(a->kind));
    if (l->kind != LAYER_CONV && l->kind != LAYER_FC)
        return error_set(err, PS_ERR_INPUT,
                         "layer '%s' (%s): a mapping search needs a convolution or FC layer",
                         l->name, l->op);
    search_ctx x;
    memset(&x, 0, sizeof x);
    x.a = a;
    x.l = l;
    x.s = &l->conv;
    x.bits = bits;
    x.batch = batch;
    x.glb_bits = 8 * a->u.rs.glb_act_bytes;
    x.obj = obj;
    rs_mapping rules;
    if (rs_mapping_rules(a, &l->conv, bits, batch, &rules, err))
        return error_prefix(err, "layer '%s' (%s)", l->name, l->op);
    consider(&x, &rules);
    const int64_t R = l->conv.R, J = a->u.rs.rows;
    int64_t prev_r_pe = 0;
    for (int64_t r_fold = R > J ? ceil_div(R, J) : 1; r_fold <= (R > J ? R : 1); r_fold++) {
        int64_t r_pe = ceil_div(R, r_fold);
        if (r_pe != prev_r_pe) /* point 4 */
            search_fold(&x, r_fold, r_pe);
        prev_r_pe = r_pe;
    }
    if (!x.have)
        return error_set(err, PS_ERR_INTERNAL,
                         "layer '%s' (%s): no mapping passes the capacity check on '%s'",
                         l->name, l->op, a->name);
    *best = x.best;
    if (best_cost)
        *best_cost = x.best_cost;
    if (st)
        *st = x.st;
    return 0;
}
