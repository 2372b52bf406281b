/* NSGA-II over a pipeline's designs (sim/explore_nsga2.h). */
#include "sim/explore_nsga2.h"

#include <math.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "sim/hypervolume.h"

/* Attempts at a child the search has not met before. */
#define FRESH_TRIES 8

void explore_nsga2_defaults(explore_nsga2_options *o)
{
    *o = (explore_nsga2_options){
        .population = 100, .generations = 100, .seed = 1, .p_crossover = 0.9, .p_mutation = 0};
}

/* ---- random numbers: xoshiro256** seeded by splitmix64 (Blackman and
 * Vigna), so that a seed gives the same search on every machine and libc ---- */

typedef struct {
    uint64_t s[4];
} rng;

static uint64_t splitmix(uint64_t *z)
{
    uint64_t v = (*z += 0x9e3779b97f4a7c15u);
    v = (v ^ (v >> 30)) * 0xbf58476d1ce4e5b9u;
    v = (v ^ (v >> 27)) * 0x94d049bb133111ebu;
    return v ^ (v >> 31);
}

static uint64_t rotl(uint64_t v, int k)
{
    return (v << k) | (v >> (64 - k));
}

static uint64_t rng_next(rng *g)
{
    uint64_t *s = g->s, out = rotl(s[1] * 5, 7) * 9, t = s[1] << 17;
    s[2] ^= s[0], s[3] ^= s[1], s[1] ^= s[2], s[0] ^= s[3];
    s[2] ^= t, s[3] = rotl(s[3], 45);
    return out;
}

static double rng_unit(rng *g) /* [0, 1) */
{
    return (double)(rng_next(g) >> 11) * 0x1.0p-53;
}

static int rng_below(rng *g, int n) /* 0 .. n-1 */
{
    return n > 1 ? (int)(rng_unit(g) * n) : 0;
}

/* ---- the set of designs met, by index (open addressing) ---- */

typedef struct {
    int64_t *slot; /* -1: empty */
    size_t cap, n;
} index_set;

static int set_grow(index_set *h)
{
    size_t cap = h->cap ? 2 * h->cap : 1024;
    int64_t *t = malloc(sizeof *t * cap);
    if (!t)
        return -1;
    for (size_t i = 0; i < cap; i++)
        t[i] = -1;
    for (size_t i = 0; i < h->cap; i++)
        if (h->slot[i] >= 0) {
            size_t j = (size_t)((uint64_t)h->slot[i] * 0x9e3779b97f4a7c15u) & (cap - 1);
            while (t[j] >= 0)
                j = (j + 1) & (cap - 1);
            t[j] = h->slot[i];
        }
    free(h->slot);
    h->slot = t, h->cap = cap;
    return 0;
}

/* 1: v was there; 0: added; -1: out of memory */
static int set_add(index_set *h, int64_t v)
{
    if (2 * (h->n + 1) > h->cap && set_grow(h))
        return -1;
    size_t j = (size_t)((uint64_t)v * 0x9e3779b97f4a7c15u) & (h->cap - 1);
    while (h->slot[j] >= 0) {
        if (h->slot[j] == v)
            return 1;
        j = (j + 1) & (h->cap - 1);
    }
    h->slot[j] = v;
    h->n++;
    return 0;
}

static bool set_has(const index_set *h, int64_t v)
{
    if (!h->cap)
        return false;
    size_t j = (size_t)((uint64_t)v * 0x9e3779b97f4a7c15u) & (h->cap - 1);
    while (h->slot[j] >= 0) {
        if (h->slot[j] == v)
            return true;
        j = (j + 1) & (h->cap - 1);
    }
    return false;
}

/* ---- individuals ---- */

typedef struct {
    int cut[SCN_MAX_STAGES];  /* indices into the positions, non-decreasing */
    int slot[SCN_MAX_STAGES]; /* platform slot per stage (assigned platforms) */
    int64_t index;            /* the design's index in the exact enumeration */
    explore_candidate c;
    double f[EXPLORE_N_OBJECTIVES]; /* the chosen objectives, minimised */
    int rank;
    double crowd;
} individual;

typedef struct {
    const explore_problem *x;
    const explore_nsga2_options *o;
    rng g;
    int S, D, n_pos, N, n_obj, obj[EXPLORE_N_OBJECTIVES];
    bool assigning;
    const int *pos;
    double p_mut;
    index_set met;
    explore_result *r;
    explore_visit_fn visit;
    void *ctx;
    /* scratch for ranking 2 * population individuals */
    int *count, *order;
    individual **front;
    struct keyed {
        double key;
        individual *v;
    } *keyed;
    bool stop;
    ps_status fail; /* PS_OK, PS_ERR_NOMEM or PS_ERR_INTERNAL */
} search;

static void sort_cuts(int *cut, int n)
{
    for (int i = 1; i < n; i++)
        for (int j = i; j > 0 && cut[j - 1] > cut[j]; j--) {
            int t = cut[j];
            cut[j] = cut[j - 1], cut[j - 1] = t;
        }
}

/* The cut values of a genome, its slots repaired so that no two stages that
 * run something share one (written back: the genome becomes the design). */
static void repair(search *s, individual *v, int *cuts)
{
    for (int k = 0; k < s->D; k++)
        cuts[k] = s->pos[v->cut[k]];
    if (!s->assigning)
        return;
    unsigned used = 0;
    int last = -1; /* the last stage that runs something */
    for (int k = 0; k < s->S; k++) {
        int a = k ? cuts[k - 1] : 0, b = k < s->D ? cuts[k] : s->pos[s->n_pos - 1];
        if (a == b)
            continue;
        int sl = v->slot[k];
        if (sl < 0 || sl >= s->N || (used & (1u << sl))) {
            sl = 0;
            while (sl < s->N && (used & (1u << sl)))
                sl++;
        }
        if (sl < s->N) {
            v->slot[k] = sl;
            used |= 1u << sl;
            last = k;
            continue;
        }
        /* no free platform: the stage's layers go to the last stage that
         * runs something (stage 0 always does, so last >= 0) */
        for (int j = last; j < k; j++) {
            cuts[j] = b;
            v->cut[j] = k < s->D ? v->cut[k] : s->n_pos - 1;
        }
    }
}

/* Decode v: its design's index (-1 when explore_canonical refuses it,
 * which a repaired genome should not be). */
static int64_t decode(search *s, individual *v, int *assign, int *cuts)
{
    int raw[SCN_MAX_STAGES];
    repair(s, v, raw);
    if (explore_canonical(s->x, v->slot, raw, assign, cuts))
        return -1;
    return explore_rank(s->x, *assign, cuts);
}

/* Evaluate v; offer its design to the result the first time it is met. */
static int evaluate(search *s, individual *v)
{
    int assign, cuts[SCN_MAX_STAGES];
    v->index = decode(s, v, &assign, cuts);
    if (v->index < 0) { /* a repaired genome is always a design of the space */
        s->fail = PS_ERR_INTERNAL;
        return -1;
    }
    explore_evaluate(s->x, assign, cuts, &v->c);
    v->c.index = v->index;
    for (int m = 0; m < s->n_obj; m++)
        v->f[m] = explore_objective_value(&v->c, (explore_objective)s->obj[m]);
    int seen = set_add(&s->met, v->index);
    if (seen < 0 || (seen == 0 && explore_result_offer(s->x, s->r, &v->c))) {
        s->fail = PS_ERR_NOMEM;
        return -1;
    }
    if (seen == 0 && s->visit && s->visit(s->ctx, &v->c))
        s->stop = true;
    return 0;
}

static void random_genome(search *s, individual *v)
{
    for (int k = 0; k < s->D; k++)
        v->cut[k] = rng_below(&s->g, s->n_pos);
    sort_cuts(v->cut, s->D);
    int perm[EXPLORE_MAX_PLATFORMS]; /* Fisher-Yates: distinct slots while they last */
    for (int j = 0; j < s->N; j++)
        perm[j] = j;
    for (int j = s->N - 1; j > 0; j--) {
        int i = rng_below(&s->g, j + 1), t = perm[i];
        perm[i] = perm[j], perm[j] = t;
    }
    for (int k = 0; k < s->S; k++)
        v->slot[k] = k < s->N ? perm[k] : rng_below(&s->g, s->N);
}

/* Everything on platform slot j: along the chain the cuts 0 before stage j
 * and M from it on; assigned, stage 0 on slot j runs everything. */
static void single_genome(search *s, individual *v, int j)
{
    for (int k = 0; k < s->D; k++)
        v->cut[k] = !s->assigning && k < j ? 0 : s->n_pos - 1;
    for (int k = 0; k < s->S; k++)
        v->slot[k] = (j + k) % s->N;
}

/* ---- Deb 2002: constrained domination, fronts, crowding ---- */

static int popcount(unsigned v)
{
    int n = 0;
    for (; v; v &= v - 1)
        n++;
    return n;
}

static bool beats(const search *s, const individual *a, const individual *b)
{
    int va = popcount(a->c.violated), vb = popcount(b->c.violated);
    if (va || vb)
        return va < vb;
    bool better = false;
    for (int m = 0; m < s->n_obj; m++) {
        if (a->f[m] > b->f[m])
            return false;
        better |= a->f[m] < b->f[m];
    }
    return better;
}

static int by_key(const void *a, const void *b)
{
    double x = ((const struct keyed *)a)->key, y = ((const struct keyed *)b)->key;
    return (x > y) - (x < y);
}

/* Crowding distance over one front (Deb 2002, Sec. III-B): per objective,
 * the ends infinite, the others the normalised gap between neighbours. */
static void crowding(const search *s, individual **f, int n)
{
    struct keyed *k = s->keyed;
    for (int i = 0; i < n; i++)
        f[i]->crowd = 0;
    for (int m = 0; m < s->n_obj; m++) {
        for (int i = 0; i < n; i++)
            k[i] = (struct keyed){f[i]->f[m], f[i]};
        qsort(k, (size_t)n, sizeof *k, by_key);
        double lo = k[0].key, hi = k[n - 1].key;
        k[0].v->crowd = k[n - 1].v->crowd = INFINITY;
        if (!(hi > lo) || !isfinite(hi - lo))
            continue;
        for (int i = 1; i < n - 1; i++)
            k[i].v->crowd += (k[i + 1].key - k[i - 1].key) / (hi - lo);
    }
}

static int by_rank_then_crowd(const void *a, const void *b)
{
    const individual *x = *(individual *const *)a, *y = *(individual *const *)b;
    if (x->rank != y->rank)
        return x->rank - y->rank;
    return (x->crowd < y->crowd) - (x->crowd > y->crowd);
}

/* Rank the n individuals into fronts (Deb 2002's fast non-dominated sort:
 * count[i] designs beat i; a front is those no design left beats), give
 * each its crowding distance in its front, then order them best first. */
static void rank_all(search *s, individual **v, int n)
{
    int *count = s->count, *order = s->order;
    for (int i = 0; i < n; i++) {
        count[i] = 0;
        for (int j = 0; j < n; j++)
            count[i] += j != i && beats(s, v[j], v[i]);
    }
    for (int done = 0, rank = 0; done < n; rank++) {
        int m = 0;
        for (int i = 0; i < n; i++)
            if (count[i] == 0) {
                order[m++] = i;
                count[i] = -1;
                v[i]->rank = rank;
            }
        for (int a = 0; a < m; a++)
            for (int j = 0; j < n; j++)
                if (count[j] > 0 && beats(s, v[order[a]], v[j]))
                    count[j]--;
        for (int a = 0; a < m; a++)
            s->front[a] = v[order[a]];
        crowding(s, s->front, m);
        done += m;
    }
    qsort(v, (size_t)n, sizeof *v, by_rank_then_crowd);
}

/* ---- variation ---- */

static const individual *tournament(search *s, individual **pop, int n)
{
    const individual *a = pop[rng_below(&s->g, n)], *b = pop[rng_below(&s->g, n)];
    if (a->rank != b->rank)
        return a->rank < b->rank ? a : b;
    return a->crowd >= b->crowd ? a : b;
}

static void mutate(search *s, individual *v)
{
    for (int k = 0; k < s->D; k++)
        if (rng_unit(&s->g) < s->p_mut) {
            if (rng_unit(&s->g) < 0.5) { /* a few positions either way */
                int step = 1 + rng_below(&s->g, 3), c = v->cut[k];
                c += rng_unit(&s->g) < 0.5 ? -step : step;
                v->cut[k] = c < 0 ? 0 : c >= s->n_pos ? s->n_pos - 1 : c;
            } else {
                v->cut[k] = rng_below(&s->g, s->n_pos);
            }
        }
    sort_cuts(v->cut, s->D);
    if (!s->assigning)
        return;
    for (int k = 0; k < s->S; k++)
        if (rng_unit(&s->g) < s->p_mut) {
            if (s->S > 1 && rng_unit(&s->g) < 0.5) {
                int j = rng_below(&s->g, s->S), t = v->slot[j];
                v->slot[j] = v->slot[k], v->slot[k] = t;
            } else {
                v->slot[k] = rng_below(&s->g, s->N);
            }
        }
}

static void cross(search *s, const individual *a, const individual *b, individual *c,
                  individual *d)
{
    memcpy(c->cut, a->cut, sizeof c->cut), memcpy(c->slot, a->slot, sizeof c->slot);
    memcpy(d->cut, b->cut, sizeof d->cut), memcpy(d->slot, b->slot, sizeof d->slot);
    if (rng_unit(&s->g) >= s->o->p_crossover)
        return;
    for (int k = 0; k < s->D; k++)
        if (rng_unit(&s->g) < 0.5)
            c->cut[k] = b->cut[k], d->cut[k] = a->cut[k];
    sort_cuts(c->cut, s->D), sort_cuts(d->cut, s->D);
    if (s->assigning)
        for (int k = 0; k < s->S; k++)
            if (rng_unit(&s->g) < 0.5)
                c->slot[k] = b->slot[k], d->slot[k] = a->slot[k];
}

/* Mutate v until it is a design the search has not met (a few tries), then
 * evaluate it. */
static int fresh(search *s, individual *v)
{
    mutate(s, v);
    for (int t = 0; t < FRESH_TRIES; t++) {
        int assign, cuts[SCN_MAX_STAGES];
        individual probe = *v;
        int64_t idx = decode(s, &probe, &assign, cuts);
        if (idx < 0 || !set_has(&s->met, idx))
            break;
        double keep = s->p_mut;
        s->p_mut = keep > 0.5 ? keep : 0.5; /* a stronger push away from the met */
        mutate(s, v);
        s->p_mut = keep;
    }
    return evaluate(s, v);
}

static int objectives_of(const explore_problem *x, int *obj)
{
    int n = 0;
    for (int o = 0; o < EXPLORE_N_OBJECTIVES; o++)
        if (explore_problem_options(x)->objectives & (1u << o))
            obj[n++] = o;
    return n;
}

int explore_nsga2(const explore_problem *x, const explore_nsga2_options *o,
                  explore_visit_fn visit, void *ctx, explore_result *r, ps_error *err)
{
    if (o->population < 2 || o->population > 10000 || o->generations < 0 ||
        o->p_crossover < 0 || o->p_crossover > 1 || o->p_mutation < 0 || o->p_mutation > 1)
        return error_set(err, PS_ERR_INPUT,
                         "NSGA-II: population %d, generations %d, crossover %g, mutation %g "
                         "(expected a population of 2 to 10000, generations >= 0, "
                         "probabilities in [0, 1])",
                         o->population, o->generations, o->p_crossover, o->p_mutation);
    if (explore_result_init(x, r, err))
        return err->code;
    search s = {.x = x, .o = o, .S = explore_stages(x), .N = explore_platforms(x),
                .assigning = explore_problem_options(x)->n_platforms > 0, .r = r,
                .visit = visit, .ctx = ctx};
    s.D = s.S - 1;
    s.n_pos = explore_positions(x, &s.pos);
    s.n_obj = objectives_of(x, s.obj);
    int genes = s.D + (s.assigning ? s.S : 0);
    s.p_mut = o->p_mutation > 0 ? o->p_mutation : 1.0 / (genes > 0 ? genes : 1);
    uint64_t z = o->seed;
    for (int i = 0; i < 4; i++)
        s.g.s[i] = splitmix(&z);

    int n = o->population + (o->population & 1);
    individual *all = malloc(sizeof *all * 2 * (size_t)n);
    individual **pop = malloc(sizeof *pop * 2 * (size_t)n);
    s.count = malloc(sizeof *s.count * 2 * (size_t)n);
    s.order = malloc(sizeof *s.order * 2 * (size_t)n);
    s.front = malloc(sizeof *s.front * 2 * (size_t)n);
    s.keyed = malloc(sizeof *s.keyed * 2 * (size_t)n);
    if (!all || !pop || !s.count || !s.order || !s.front || !s.keyed)
        s.fail = PS_ERR_NOMEM;
    for (int i = 0; i < 2 * n && !s.fail; i++)
        pop[i] = &all[i];
    for (int i = 0; i < n && !s.stop && !s.fail; i++) {
        if (i < s.N)
            single_genome(&s, pop[i], i);
        else
            random_genome(&s, pop[i]);
        evaluate(&s, pop[i]);
    }
    if (!s.stop && !s.fail)
        rank_all(&s, pop, n);
    for (int gen = 0; gen < o->generations && !s.stop && !s.fail; gen++) {
        for (int i = 0; i < n && !s.stop && !s.fail; i += 2) {
            const individual *a = tournament(&s, pop, n), *b = tournament(&s, pop, n);
            individual *c = pop[n + i], *d = pop[n + i + 1];
            cross(&s, a, b, c, d);
            if (fresh(&s, c) == 0 && !s.stop)
                fresh(&s, d);
        }
        if (!s.stop && !s.fail)
            rank_all(&s, pop, 2 * n); /* the best n lead: the next population */
    }
    free(all), free(pop), free(s.count), free(s.order), free(s.front), free(s.keyed);
    free(s.met.slot);
    if (s.fail) {
        explore_result_free(r);
        return error_set(err, s.fail, s.fail == PS_ERR_NOMEM
                                          ? "NSGA-II: out of memory"
                                          : "NSGA-II: a genome decoded to no design (a bug)");
    }
    r->interrupted = s.stop;
    explore_result_finish(x, r);
    return 0;
}

int explore_nsga2_hypervolume_ratio(const explore_problem *x, const explore_candidate *approx,
                                    int n_approx, const explore_candidate *exact, int n_exact,
                                    double *ratio, ps_error *err)
{
    *ratio = NAN;
    if (n_exact == 0)
        return 0;
    int obj[EXPLORE_N_OBJECTIVES], d = objectives_of(x, obj);
    double lo[EXPLORE_N_OBJECTIVES], scale[EXPLORE_N_OBJECTIVES], ref[EXPLORE_N_OBJECTIVES];
    for (int m = 0; m < d; m++) {
        double a = INFINITY, b = -INFINITY;
        for (int i = 0; i < n_exact; i++) {
            double v = explore_objective_value(&exact[i], (explore_objective)obj[m]);
            if (isfinite(v))
                a = v < a ? v : a, b = v > b ? v : b;
        }
        if (!isfinite(a)) /* no finite value (accuracy unknown everywhere) */
            a = b = 0;
        lo[m] = a;
        scale[m] = b > a ? b - a : (fabs(a) > 0 ? fabs(a) : 1);
        ref[m] = 1.1;
    }
    int n_max = n_approx > n_exact ? n_approx : n_exact;
    double *p = malloc(sizeof *p * (size_t)d * (size_t)(n_max ? n_max : 1));
    if (!p)
        return error_set(err, PS_ERR_NOMEM, "out of memory");
    double hv[2];
    const explore_candidate *set[2] = {approx, exact};
    int size[2] = {n_approx, n_exact};
    for (int w = 0; w < 2; w++) {
        for (int i = 0; i < size[w]; i++)
            for (int m = 0; m < d; m++) {
                double v = explore_objective_value(&set[w][i], (explore_objective)obj[m]);
                p[(size_t)i * (size_t)d + (size_t)m] = (v - lo[m]) / scale[m];
            }
        if (hypervolume(p, size[w], d, ref, &hv[w], err)) {
            free(p);
            return err->code;
        }
    }
    free(p);
    *ratio = hv[1] > 0 ? hv[0] / hv[1] : NAN;
    return 0;
}
