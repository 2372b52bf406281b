/* Analytic exploration of partition points (sim/explore.h). */
#include "sim/explore.h"

#include <math.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include "net/link.h"
#include "workloads/memory.h"

/* One transfer's prices: payload bytes, time over the idle route, the PHY's
 * active energy over every hop, and the bits per second it needs at the
 * frame rate; link_ok: the route carries that rate (and exists). */
typedef struct {
    double bytes, time_s, energy_j, bps;
    double period_s;           /* what it adds to Def. 4's max: its time, or over a
                                  relay the slower hop (the hops overlap in a pipeline) */
    double sender_energy_j;    /* the sender's own PHY: the route's first hop */
    bool link_ok;
    int8_t via;                /* the endpoint relaying it, -1: a route of its own */
} xfer;

/* The largest memory table kept per stage for the models that are not O(1)
 * (AutoDiCE, peak live): (M + 1)^2 entries. */
#define MEMO_MAX_ENTRIES (1 << 22)

/* The stages a candidate places: stage k (k < L) runs on platform slot
 * slot[k]; the stages from L on run nothing.  Its candidates are the
 * tuples of its D = L - 1 free cut points (the rest are M): non-decreasing
 * over every admissible position along the pipeline's own chain, strictly
 * increasing over the inner positions when platforms are assigned (so that
 * every design is met once). */
typedef struct {
    int L, slot[SCN_MAX_STAGES];
    int64_t first;             /* index of its first candidate */
    int64_t size;
} assignment;

struct explore_problem {
    const scenario *s;
    plan *p;
    explore_options o;
    int S, M, camera;
    double fps;                /* the pipeline's frame rate, 0 for fps: max */
    int N;                     /* platform slots: the stages' nodes, or o.platforms */
    int node[EXPLORE_MAX_PLATFORMS];
    int bits[EXPLORE_MAX_PLATFORMS];
    const plan_accel *acc[EXPLORE_MAX_PLATFORMS];
    bool assigning;            /* o.n_platforms > 0 */
    int n_assign;
    assignment *assign;
    int64_t space;             /* candidates over every assignment */
    int n_pos;
    int *pos;
    int vlo, vhi;              /* the position indices the free cuts take */
    /* endpoints: 0 = the camera, j + 1 = slot j; tr[(from * (N + 1) + to) * (M + 1) + q] */
    xfer *tr;
    xfer result[EXPLORE_MAX_PLATFORMS + 1]; /* from each endpoint back to the camera */
    memory_kress_index kress;  /* Kreß 2024 Def. 3 in O(1) per range */
    /* other models: per bit width, per (a, b), NAN until computed */
    int n_memo, memo_bits[EXPLORE_MAX_PLATFORMS], slot_memo[EXPLORE_MAX_PLATFORMS];
    double *memo[EXPLORE_MAX_PLATFORMS];
};

/* fmax without the libm call (no NaN reaches it here) */
static inline double max2(double a, double b)
{
    return a > b ? a : b;
}

static const char *const objective_names[EXPLORE_N_OBJECTIVES] = {
    "latency", "throughput", "energy", "sensor_energy", "memory", "link_bytes", "accuracy"};

const char *explore_objective_name(explore_objective o)
{
    return o < EXPLORE_N_OBJECTIVES ? objective_names[o] : "?";
}

int explore_objective_parse(const char *name)
{
    for (int i = 0; i < EXPLORE_N_OBJECTIVES; i++)
        if (!strcmp(name, objective_names[i]))
            return i;
    return -1;
}

const char *explore_memory_model_name(explore_memory_model m)
{
    return m == EXPLORE_MEM_AUTODICE ? "autodice" : m == EXPLORE_MEM_PEAK ? "peak" : "kress";
}

const char *explore_constraint_name(explore_constraint c)
{
    static const char *const names[EXPLORE_N_CONSTRAINTS] = {"memory", "link", "latency",
                                                             "energy"};
    return c < EXPLORE_N_CONSTRAINTS ? names[c] : "?";
}

int explore_stages(const explore_problem *x)
{
    return x->S;
}

const explore_options *explore_problem_options(const explore_problem *x)
{
    return &x->o;
}

const scenario *explore_problem_scenario(const explore_problem *x)
{
    return x->s;
}

int explore_platforms(const explore_problem *x)
{
    return x->N;
}

int explore_platform_node(const explore_problem *x, int j)
{
    return x->node[j];
}

int explore_candidate_node(const explore_problem *x, const explore_candidate *c, int k)
{
    const assignment *a = &x->assign[c->assign];
    int from = k ? c->cuts[k - 1] : 0;
    return k < a->L && from < c->cuts[k] ? x->node[a->slot[k]] : -1;
}

int explore_positions(const explore_problem *x, const int **pos)
{
    *pos = x->pos;
    return x->n_pos;
}

int explore_assignments(const explore_problem *x)
{
    return x->n_assign;
}

/* Non-decreasing n-tuples over v values: C(v + n - 1, n). */
static double multisets(int v, int n)
{
    double c = 1;
    for (int k = 1; k <= n; k++)
        c = c * (v + k - 1) / k;
    return c;
}

/* Strictly increasing n-tuples over v values: C(v, n). */
static double combinations(int v, int n)
{
    if (n > v)
        return 0;
    double c = 1;
    for (int k = 1; k <= n; k++)
        c = c * (v - n + k) / k;
    return c;
}

/* Tuples of `rem` more cuts after a cut at value index v. */
static double tails(const explore_problem *x, int v, int rem)
{
    return x->assigning ? combinations(x->vhi - v, rem) : multisets(x->vhi - v + 1, rem);
}

int64_t explore_rank(const explore_problem *x, int assign, const int *cuts)
{
    if (assign < 0 || assign >= x->n_assign)
        return -1;
    const assignment *a = &x->assign[assign];
    int D = a->L - 1, lo = x->vlo;
    double rank = 0;
    for (int d = 0; d < D; d++) {
        int i = lo; /* the position's index in pos[] (ascending) */
        while (i <= x->vhi && x->pos[i] < cuts[d])
            i++;
        if (i > x->vhi || x->pos[i] != cuts[d])
            return -1;
        for (int v = lo; v < i; v++) /* tuples with a smaller value here */
            rank += tails(x, v, D - d - 1);
        lo = x->assigning ? i + 1 : i;
    }
    for (int d = D; d < x->S - 1; d++)
        if (cuts[d] != x->M)
            return -1;
    return a->first + (int64_t)rank;
}

/* Ordered selections of n of v: v! / (v - n)!. */
static double arrangements(int v, int n)
{
    double a = 1;
    for (int k = 0; k < n; k++)
        a *= v - k;
    return a;
}

int explore_canonical(const explore_problem *x, const int *slots, const int *cuts, int *assign,
                      int *out)
{
    int S = x->S, L = 0, used[SCN_MAX_STAGES];
    if (!x->assigning) {
        *assign = 0;
        for (int k = 0; k < S - 1; k++)
            out[k] = cuts[k];
        return 0;
    }
    unsigned seen = 0;
    for (int k = 0; k < S; k++) {
        int a = k ? cuts[k - 1] : 0, b = k < S - 1 ? cuts[k] : x->M;
        if (a == b)
            continue;
        if (slots[k] < 0 || slots[k] >= x->N || (seen & (1u << slots[k])))
            return -1;
        seen |= 1u << slots[k];
        used[L] = slots[k];
        if (L < S - 1)
            out[L] = b;
        L++;
    }
    for (int d = L - 1; d < S - 1; d++)
        if (d >= 0)
            out[d] = x->M;
    /* assignments: by L, then the selections in lexicographic order */
    double index = 0;
    for (int l = 1; l < L; l++)
        index += arrangements(x->N, l);
    unsigned taken = 0;
    for (int i = 0; i < L; i++) {
        int smaller = 0;
        for (int j = 0; j < used[i]; j++)
            smaller += !(taken & (1u << j));
        index += smaller * arrangements(x->N - i - 1, L - i - 1);
        taken |= 1u << used[i];
    }
    if (L == 0 || index >= x->n_assign)
        return -1;
    *assign = (int)index;
    return 0;
}

double explore_space_size(const explore_problem *x)
{
    return (double)x->space;
}

/* ---- building ---- */

static int endpoint_node(const explore_problem *x, int endpoint)
{
    return endpoint == 0 ? x->camera : x->node[endpoint - 1];
}

static void price_transfer(explore_problem *x, int from, int to, double payload, double fps,
                           xfer *out)
{
    *out = (xfer){.link_ok = true, .via = -1};
    if (from == to)
        return;
    ps_error e = {0};
    const plan_route *r = plan_route_get(x->p, from, to, &e);
    if (!r) {
        *out = (xfer){.bytes = payload, .time_s = INFINITY, .period_s = INFINITY,
                      .energy_j = INFINITY, .bps = INFINITY, .sender_energy_j = INFINITY,
                      .link_ok = false, .via = -1};
        return;
    }
    double wire = plan_wire_bytes(x->p, r, payload), rate = INFINITY, e_j = 0;
    for (int k = 0; k < r->n_links; k++) {
        const link_type *t = &x->s->links[r->links[k]].type;
        rate = fmin(rate, t->rate_bps);
        e_j += link_send_energy_j(t, wire); /* as the simulator charges each hop */
        if (k == 0)
            out->sender_energy_j = e_j;
    }
    out->bytes = payload;
    out->time_s = plan_transfer_time(x->p, r, payload);
    out->period_s = out->time_s;
    out->energy_j = e_j;
    out->bps = fps > 0 ? wire * 8 * fps : 0;
    out->link_ok = out->bps <= rate * (1 + 1e-12);
}

static xfer *tr_at(const explore_problem *x, int from, int to, int q)
{
    size_t E = (size_t)x->N + 1;
    return &x->tr[((size_t)from * E + (size_t)to) * (size_t)(x->M + 1) + (size_t)q];
}

/* a then b through the node between them (a relay: the hops overlap in a
 * pipeline, so the period is the slower hop's) */
static xfer relayed(const xfer *a, const xfer *b, bool first_hop_local, int via)
{
    return (xfer){.bytes = a->bytes + b->bytes, .time_s = a->time_s + b->time_s,
                  .period_s = max2(a->period_s, b->period_s),
                  .energy_j = a->energy_j + b->energy_j, .bps = fmax(a->bps, b->bps),
                  /* the sender's own PHY: b's when a stays on its node */
                  .sender_energy_j = first_hop_local ? b->sender_energy_j : a->sender_energy_j,
                  .link_ok = a->link_ok && b->link_ok, .via = (int8_t)via};
}

/* Every pair of endpoints at every position.  Nodes do not forward, so
 * where no route joins two endpoints the frame is relayed by the endpoints
 * between them: along the chain, the skipped stages' nodes (as a pipeline
 * whose middle stage runs nothing passes the frame on); with platforms
 * assigned, the fastest relay over the other platforms. */
static int build_transfers(explore_problem *x, ps_error *err)
{
    int E = x->N + 1, P = x->M + 1;
    const scn_pipeline *pl = &x->s->pipelines[x->o.pipeline];
    double fps = pl->fps_max ? 0 : pl->fps;
    x->tr = calloc((size_t)E * (size_t)E * (size_t)P, sizeof *x->tr);
    if (!x->tr)
        return error_set(err, PS_ERR_NOMEM, "out of memory");
    for (int i = 0; i < E; i++)
        for (int j = 0; j < E; j++)
            for (int q = 0; q < P; q++) {
                int from = endpoint_node(x, i);
                price_transfer(x, from, endpoint_node(x, j),
                               plan_cut_bytes(x->p, x->o.pipeline, q, from), fps, tr_at(x, i, j, q));
            }
    if (!x->assigning) {
        for (int d = 2; d < E; d++) /* shorter relays first: they make the longer ones */
            for (int i = 0; i + d < E; i++)
                for (int q = 0; q < P; q++) {
                    int j = i + d;
                    xfer *t = tr_at(x, i, j, q);
                    if (isinf(t->time_s))
                        *t = relayed(tr_at(x, i, i + 1, q), tr_at(x, i + 1, j, q),
                                     endpoint_node(x, i) == endpoint_node(x, i + 1), i + 1);
                }
    } else {
        for (int round = 0; round < E; round++) { /* a relay over more relays */
            bool changed = false;
            for (int i = 0; i < E; i++)
                for (int j = 0; j < E; j++)
                    for (int q = 0; q < P; q++) {
                        xfer *t = tr_at(x, i, j, q);
                        if (i == j || !isinf(t->time_s))
                            continue;
                        int best = -1;
                        double best_t = INFINITY;
                        for (int w = 0; w < E; w++) {
                            double tw = tr_at(x, i, w, q)->time_s + tr_at(x, w, j, q)->time_s;
                            if (w != i && w != j && tw < best_t)
                                best = w, best_t = tw;
                        }
                        if (best >= 0) {
                            *t = relayed(tr_at(x, i, best, q), tr_at(x, best, j, q),
                                         endpoint_node(x, i) == endpoint_node(x, best), best);
                            changed = true;
                        }
                    }
            if (!changed)
                break;
        }
    }
    for (int i = 0; i < E; i++) {
        int from = endpoint_node(x, i);
        if (pl->result_bytes > 0)
            price_transfer(x, from, x->camera, pl->result_bytes, fps, &x->result[i]);
        else
            x->result[i] = (xfer){.link_ok = true};
    }
    return 0;
}

static int build_memory(explore_problem *x, ps_error *err)
{
    int M = x->M;
    if (memory_kress_index_build(x->s->g, &x->s->cuts, &x->kress))
        return error_set(err, PS_ERR_NOMEM, "out of memory");
    bool memo = x->o.memory != EXPLORE_MEM_KRESS && (double)(M + 1) * (M + 1) <= MEMO_MAX_ENTRIES;
    for (int j = 0; j < x->N; j++) { /* one table per bit width */
        int m = 0;
        while (m < x->n_memo && x->memo_bits[m] != x->bits[j])
            m++;
        x->slot_memo[j] = m;
        if (m < x->n_memo || !memo)
            continue;
        size_t n = (size_t)(M + 1) * (size_t)(M + 1);
        x->memo_bits[x->n_memo++] = x->bits[j];
        if (!(x->memo[m] = malloc(n * sizeof(double))))
            return error_set(err, PS_ERR_NOMEM, "out of memory");
        for (size_t i = 0; i < n; i++)
            x->memo[m][i] = NAN;
    }
    return 0;
}

/* The admissible positions: every one, or the single-tensor cuts and the
 * two trivial placements. */
static int build_positions(explore_problem *x, ps_error *err)
{
    x->pos = malloc(sizeof(int) * ((size_t)x->M + 1));
    if (!x->pos)
        return error_set(err, PS_ERR_NOMEM, "out of memory");
    for (int q = 0; q <= x->M; q++)
        if (!x->o.single_tensor_only || q == 0 || q == x->M ||
            x->s->cuts.points[q].single_tensor_cut)
            x->pos[x->n_pos++] = q;
    /* along the chain every position (a stage may run nothing); assigned,
     * the inner ones (a used platform runs something) */
    x->vlo = x->assigning ? 1 : 0;
    x->vhi = x->assigning ? x->n_pos - 2 : x->n_pos - 1;
    return 0;
}

/* Too many to enumerate: a sign the platform list should be shorter. */
#define MAX_ASSIGNMENTS 1000000

/* Ordered selections of L distinct slots, L = 1 .. S, lexicographic. */
static int add_selections(explore_problem *x, assignment *cur, int L, unsigned used, int *cap)
{
    if (cur->L == L) {
        assignment a = *cur;
        int V = x->vhi - x->vlo + 1;
        a.size = (int64_t)combinations(V, L - 1);
        if (a.size == 0)
            return 0; /* more cuts than inner positions */
        if (x->n_assign == *cap) {
            if (x->n_assign >= MAX_ASSIGNMENTS)
                return -1;
            *cap = *cap ? 2 * *cap : 64;
            assignment *n = realloc(x->assign, sizeof *n * (size_t)*cap);
            if (!n)
                return -2;
            x->assign = n;
        }
        a.first = x->space;
        x->space += a.size;
        x->assign[x->n_assign++] = a;
        return 0;
    }
    for (int j = 0; j < x->N; j++) {
        if (used & (1u << j))
            continue;
        cur->slot[cur->L++] = j;
        int rc = add_selections(x, cur, L, used | 1u << j, cap);
        cur->L--;
        if (rc)
            return rc;
    }
    return 0;
}

static int build_assignments(explore_problem *x, ps_error *err)
{
    if (!x->assigning) {
        if (!(x->assign = calloc(1, sizeof *x->assign)))
            return error_set(err, PS_ERR_NOMEM, "out of memory");
        x->assign[0].L = x->S;
        for (int k = 0; k < x->S; k++)
            x->assign[0].slot[k] = k;
        x->assign[0].size = (int64_t)multisets(x->n_pos, x->S - 1);
        x->space = x->assign[0].size;
        x->n_assign = 1;
        return 0;
    }
    int cap = 0;
    assignment cur = {0};
    for (int L = 1; L <= x->S; L++) {
        int rc = add_selections(x, &cur, L, 0, &cap);
        if (rc == -1)
            return error_set(err, PS_ERR_INPUT, "%d platforms for %d stages give more than %d "
                             "assignments: name fewer platforms or use fewer stages", x->N, x->S,
                             MAX_ASSIGNMENTS);
        if (rc)
            return error_set(err, PS_ERR_NOMEM, "out of memory");
    }
    return 0;
}

int explore_problem_build(const scenario *s, plan *p, const explore_options *o,
                          explore_problem **out, ps_error *err)
{
    *out = NULL;
    if (o->pipeline < 0 || o->pipeline >= s->n_pipelines)
        return error_set(err, PS_ERR_INTERNAL, "no pipeline %d", o->pipeline);
    if (o->n_platforms < 0 || o->n_platforms > EXPLORE_MAX_PLATFORMS)
        return error_set(err, PS_ERR_INPUT, "at most %d platforms can be assigned",
                         EXPLORE_MAX_PLATFORMS);
    const scn_pipeline *pl = &s->pipelines[o->pipeline];
    explore_problem *x = calloc(1, sizeof *x);
    if (!x)
        return error_set(err, PS_ERR_NOMEM, "out of memory");
    x->s = s, x->p = p, x->o = *o;
    x->S = pl->n_stages;
    x->M = s->cuts.n_sched;
    x->camera = pl->sources[0];
    x->fps = pl->fps_max ? 0 : pl->fps;
    x->assigning = o->n_platforms > 0;
    x->N = x->assigning ? o->n_platforms : x->S;
    for (int j = 0; j < x->N; j++) {
        /* along the chain, camera 0's member of each stage's group */
        x->node[j] = x->assigning ? o->platforms[j] : pl->stages[j].node_group_first;
        if (x->node[j] < 0 || x->node[j] >= s->n_nodes) {
            int node = x->node[j];
            free(x);
            return error_set(err, PS_ERR_INTERNAL, "no node %d", node);
        }
        x->bits[j] = plan_node_bits(p, x->node[j]);
        x->acc[j] = &p->accels[s->nodes[x->node[j]].accel];
    }
    int rc = build_positions(x, err);
    rc = rc ? rc : build_assignments(x, err);
    rc = rc ? rc : build_transfers(x, err);
    rc = rc ? rc : build_memory(x, err);
    if (rc) {
        explore_problem_free(x);
        return rc;
    }
    *out = x;
    return 0;
}

void explore_problem_free(explore_problem *x)
{
    if (!x)
        return;
    free(x->pos);
    free(x->tr);
    free(x->assign);
    memory_kress_index_free(&x->kress);
    for (int m = 0; m < x->n_memo; m++)
        free(x->memo[m]);
    free(x);
}

/* ---- evaluation ---- */

/* Memory of platform slot j running positions [a, b) (b > a), in bytes. */
static double stage_memory(const explore_problem *x, int j, int a, int b)
{
    if (x->o.memory == EXPLORE_MEM_KRESS)
        return (double)memory_kress_bytes(&x->kress, a, b - 1, x->bits[j]);
    double *memo = x->slot_memo[j] < x->n_memo ? x->memo[x->slot_memo[j]] : NULL;
    double *slot = memo ? &memo[(size_t)a * (size_t)(x->M + 1) + (size_t)b] : NULL;
    if (slot && !isnan(*slot))
        return *slot;
    memory_estimate m = memory_estimate_range(x->s->g, &x->s->cuts, a, b - 1, x->bits[j]);
    double v = (double)(x->o.memory == EXPLORE_MEM_AUTODICE ? m.autodice_bytes : m.peak_live_bytes);
    if (slot)
        *slot = v;
    return v;
}

static void add_transfer(const explore_problem *x, explore_candidate *c, int k, const xfer *t,
                         int from_node)
{
    if (c->detail) {
        c->t_bytes[k] = t->bytes;
        c->t_time_s[k] = t->time_s;
        c->t_energy_j[k] = t->energy_j;
        c->t_bps[k] = t->bps;
    }
    c->latency_s += t->time_s;
    c->period_s = max2(c->period_s, t->period_s); /* Kreß 2024 Def. 4: d_Link */
    c->energy_j += t->energy_j;
    c->link_bytes += t->bytes;
    if (from_node == x->camera)
        c->sensor_energy_j += t->sender_energy_j;
    /* no route at all is always a violation; a route too slow for the
     * frame rate only when the link capacity is checked */
    if (!t->link_ok && (x->o.link_capacity || isinf(t->time_s)))
        c->violated |= 1u << EXPLORE_C_LINK;
}

/* Evaluation in three steps, so that the enumeration can keep the state
 * after the first stages and redo only the stages whose cuts changed. */
static void eval_clear(const explore_problem *x, explore_candidate *c, bool detail)
{
    /* only what S stages use is cleared: this runs millions of times */
    c->latency_s = c->period_s = c->energy_j = c->sensor_energy_j = 0;
    c->link_bytes = c->memory_bytes = 0;
    c->violated = 0;
    c->accuracy = INFINITY; /* the smallest over the cuts (eval_finish) */
    c->detail = detail;
    for (int k = 0; detail && k < x->S; k++)
        c->stage_latency_s[k] = c->stage_energy_j[k] = c->stage_memory_bytes[k] = 0;
    for (int k = 0; detail && k <= x->S; k++)
        c->t_bytes[k] = c->t_time_s[k] = c->t_energy_j[k] = c->t_bps[k] = 0;
}

/* Stage k, positions [c->cuts[k-1], c->cuts[k]), on platform slot j of
 * the candidate's assignment; *prev: the endpoint the frame is at (0: the
 * camera; j + 1 after slot j ran something). */
static void eval_stage(const explore_problem *x, explore_candidate *c, int k, int *prev)
{
    int a = k ? c->cuts[k - 1] : 0, b = c->cuts[k];
    if (a == b)
        return; /* a skipped stage: the frame goes on to the next one */
    int j = x->assign[c->assign].slot[k];
    add_transfer(x, c, k, tr_at(x, *prev, j + 1, a), endpoint_node(x, *prev));
    int64_t batch;
    double lat, period, e; /* a batched stage: its latency counts the batch (sim/plan.h) */
    plan_stage_price(x->acc[j], a, b, x->fps, &batch, &lat, &period, &e);
    double mem = stage_memory(x, j, a, b);
    if (c->detail) {
        c->stage_latency_s[k] = lat;
        c->stage_energy_j[k] = e;
        c->stage_memory_bytes[k] = mem;
    }
    c->latency_s += lat;
    c->period_s = max2(c->period_s, period); /* Kreß 2024 Def. 4: d_A, d_B, ... */
    c->energy_j += e;
    if (x->node[j] == x->camera)
        c->sensor_energy_j += e;
    c->memory_bytes = max2(c->memory_bytes, mem);
    if (x->o.max_memory_bytes[j] > 0 && mem > x->o.max_memory_bytes[j])
        c->violated |= 1u << EXPLORE_C_MEMORY;
    *prev = j + 1;
}

static void eval_finish(const explore_problem *x, explore_candidate *c, int prev)
{
    if (x->result[prev].time_s > 0 || x->result[prev].bytes > 0)
        add_transfer(x, c, x->S, &x->result[prev], endpoint_node(x, prev));
    /* the smallest accuracy the table gives over the candidate's cut points
     * (0 and M included: the table may say what a single platform reaches) */
    for (int k = 0; x->o.accuracy && k < x->S - 1; k++) {
        double v = x->o.accuracy[c->cuts[k]];
        if (!isnan(v) && v < c->accuracy)
            c->accuracy = v;
    }
    if (!x->o.accuracy || isinf(c->accuracy))
        c->accuracy = NAN;
    if (x->o.max_latency_s > 0 && c->latency_s > x->o.max_latency_s)
        c->violated |= 1u << EXPLORE_C_LATENCY;
    if (x->o.max_energy_j > 0 && c->energy_j > x->o.max_energy_j)
        c->violated |= 1u << EXPLORE_C_ENERGY;
}

void explore_evaluate(const explore_problem *x, int assign, const int *cuts,
                      explore_candidate *c)
{
    int S = x->S;
    eval_clear(x, c, true);
    c->assign = assign;
    for (int k = 0; k < S - 1; k++)
        c->cuts[k] = cuts[k];
    c->cuts[S - 1] = x->M;
    int prev = 0;
    for (int k = 0; k < S; k++)
        eval_stage(x, c, k, &prev);
    eval_finish(x, c, prev);
}

/* The endpoints relaying the transfer from endpoint i to j at position q,
 * in order, appended to hops (at most max). */
static int relays(const explore_problem *x, int i, int j, int q, int *hops, int n, int max)
{
    int via = tr_at(x, i, j, q)->via;
    if (via < 0 || i == j)
        return n;
    n = relays(x, i, via, q, hops, n, max);
    if (n < max)
        hops[n] = via;
    n++;
    return relays(x, via, j, q, hops, n, max);
}

int explore_candidate_route(const explore_problem *x, const explore_candidate *c,
                            explore_hop *hops, int max)
{
    int n = 0, prev = 0, relay[2 * EXPLORE_MAX_PLATFORMS + 2];
    for (int k = 0; k < x->S; k++) {
        int a = k ? c->cuts[k - 1] : 0, b = c->cuts[k];
        if (a == b)
            continue;
        int to = x->assign[c->assign].slot[k] + 1;
        int r = relays(x, prev, to, a, relay, 0, (int)(sizeof relay / sizeof *relay));
        for (int i = 0; i < r; i++, n++)
            if (n < max)
                hops[n] = (explore_hop){endpoint_node(x, relay[i]), a, a};
        if (n < max)
            hops[n] = (explore_hop){x->node[to - 1], a, b};
        n++;
        prev = to;
    }
    return n;
}

double explore_objective_value(const explore_candidate *c, explore_objective o)
{
    switch (o) {
    case EXPLORE_LATENCY: return c->latency_s;
    case EXPLORE_THROUGHPUT: return c->period_s;
    case EXPLORE_ENERGY: return c->energy_j;
    case EXPLORE_SENSOR_ENERGY: return c->sensor_energy_j;
    case EXPLORE_MEMORY: return c->memory_bytes;
    case EXPLORE_LINK_BYTES: return c->link_bytes;
    case EXPLORE_ACCURACY: return isnan(c->accuracy) ? INFINITY : -c->accuracy;
    default: return NAN;
    }
}

bool explore_dominates(const explore_problem *x, const explore_candidate *a,
                       const explore_candidate *b)
{
    bool better = false;
    for (int o = 0; o < EXPLORE_N_OBJECTIVES; o++) {
        if (!(x->o.objectives & (1u << o)))
            continue;
        double va = explore_objective_value(a, (explore_objective)o);
        double vb = explore_objective_value(b, (explore_objective)o);
        if (va > vb)
            return false;
        better |= va < vb;
    }
    return better;
}

/* Offer c to the front: kept unless a member dominates it; members it
 * dominates leave.  Candidates with equal objectives are all kept (two
 * cuts around a layer that costs nothing are both optimal). */
static bool same_design(const explore_problem *x, const explore_candidate *a,
                        const explore_candidate *b)
{
    if (a->assign != b->assign)
        return false;
    for (int k = 0; k < x->S - 1; k++)
        if (a->cuts[k] != b->cuts[k])
            return false;
    return true;
}

static int front_offer(const explore_problem *x, explore_result *r, const explore_candidate *c)
{
    for (int i = 0; i < r->n_front; i++)
        if (explore_dominates(x, &r->front[i], c))
            return 0;
    /* a search that meets a design twice (NSGA-II) keeps it once; only
     * candidates with equal objectives can be the same design */
    for (int i = 0; i < r->n_front; i++)
        if (!explore_dominates(x, c, &r->front[i]) && same_design(x, c, &r->front[i]))
            return 0;
    int n = 0;
    for (int i = 0; i < r->n_front; i++)
        if (!explore_dominates(x, c, &r->front[i]))
            r->front[n++] = r->front[i];
    r->n_front = n;
    if (r->n_front == r->cap_front) {
        int cap = r->cap_front ? 2 * r->cap_front : 64;
        explore_candidate *f = realloc(r->front, sizeof *f * (size_t)cap);
        if (!f)
            return -1;
        r->front = f, r->cap_front = cap;
    }
    r->front[r->n_front++] = *c;
    return 0;
}

static int by_index(const void *a, const void *b)
{
    int64_t x = ((const explore_candidate *)a)->index, y = ((const explore_candidate *)b)->index;
    return (x > y) - (x < y);
}

double explore_gain_pct(const explore_candidate *c, const explore_candidate *b,
                        explore_objective o)
{
    if (o == EXPLORE_THROUGHPUT) /* (th_c - th_b) / th_b with th = 1 / period */
        return 100 * (b->period_s / c->period_s - 1);
    if (o == EXPLORE_ACCURACY)
        return 100 * (c->accuracy - b->accuracy) / b->accuracy;
    double vb = explore_objective_value(b, o), vc = explore_objective_value(c, o);
    return 100 * (vb - vc) / vb;
}

/* Kreß 2024 Def. 2: minimise sum_i c_i * theta_i; each theta_i is taken
 * relative to the best single platform's value in it (so the weights need
 * no units and 1 means "as good as the best single platform"). */
static double weighted_score(const explore_problem *x, const explore_result *r,
                             const explore_candidate *c)
{
    double score = 0;
    for (int o = 0; o < EXPLORE_N_OBJECTIVES; o++) {
        if (!(x->o.objectives & (1u << o)) || x->o.weights[o] == 0)
            continue;
        double ref = fabs(explore_objective_value(&r->single[r->best_single[o]],
                                                  (explore_objective)o));
        double v = explore_objective_value(c, (explore_objective)o);
        score += x->o.weights[o] * v / (ref > 0 && isfinite(ref) ? ref : 1);
    }
    return score;
}

/* Everything on platform slot j: along the chain, the cuts 0 before stage
 * j and M from it on; assigned, the one-platform assignment of j (the first
 * N assignments, in slot order). */
static void baselines(const explore_problem *x, explore_result *r)
{
    int cuts[SCN_MAX_STAGES];
    for (int j = 0; j < x->N; j++) {
        for (int k = 0; k < x->S - 1; k++)
            cuts[k] = k < j && !x->assigning ? 0 : x->M;
        int assign = x->assigning ? j : 0;
        explore_evaluate(x, assign, cuts, &r->single[j]);
        r->single[j].index = explore_rank(x, assign, cuts);
    }
    for (int o = 0; o < EXPLORE_N_OBJECTIVES; o++) {
        int best = 0;
        for (int k = 1; k < x->N; k++) {
            const explore_candidate *a = &r->single[k], *b = &r->single[best];
            /* a feasible platform before an infeasible one, then the better value */
            if ((!a->violated && b->violated) ||
                (!a->violated == !b->violated &&
                 explore_objective_value(a, (explore_objective)o) <
                     explore_objective_value(b, (explore_objective)o)))
                best = k;
        }
        r->best_single[o] = best;
    }
}

/* The bytes of a candidate before its detail arrays. */
#define TOTALS offsetof(explore_candidate, stage_latency_s)

/* The candidates of assignment `ai` in enumeration order, to `visit`. */
static int each_of(const explore_problem *x, int ai, explore_visit_fn visit, void *ctx)
{
    /* part[d]: the state after stages 0..d, kept while their cuts stay
     * (lexicographic order: most steps change only the last cut, so a
     * candidate mostly costs its last two stages) */
    const assignment *as = &x->assign[ai];
    int S = x->S, D = as->L - 1, idx[SCN_MAX_STAGES], prev[SCN_MAX_STAGES];
    bool strict = x->assigning;
    explore_candidate part[SCN_MAX_STAGES], c;
    for (int d = 0; d < D; d++)
        idx[d] = x->vlo + (strict ? d : 0);
    int from = 0; /* the first depth whose cut changed */
    for (int64_t n = as->first;; n++) {
        for (int d = from; d < D; d++) {
            if (d == 0) {
                eval_clear(x, &part[0], false);
                part[0].assign = ai;
                prev[0] = 0;
            } else {
                memcpy(&part[d], &part[d - 1], TOTALS);
                prev[d] = prev[d - 1];
            }
            part[d].cuts[d] = x->pos[idx[d]];
            eval_stage(x, &part[d], d, &prev[d]);
        }
        int last = 0;
        if (D > 0) {
            memcpy(&c, &part[D - 1], TOTALS);
            last = prev[D - 1];
        } else {
            eval_clear(x, &c, false);
            c.assign = ai;
        }
        for (int k = D; k < S; k++) /* the last used stage ends at M; the rest run nothing */
            c.cuts[k] = x->M;
        eval_stage(x, &c, D, &last);
        eval_finish(x, &c, last);
        c.index = n;
        int rc = visit(ctx, &c);
        if (rc)
            return rc;
        /* the next tuple of position indices: non-decreasing, or increasing */
        int d = D - 1;
        while (d >= 0 && idx[d] == x->vhi - (strict ? D - 1 - d : 0))
            d--;
        if (d < 0)
            return 0;
        idx[d]++;
        for (int e = d + 1; e < D; e++)
            idx[e] = idx[e - 1] + (strict ? 1 : 0);
        from = d;
    }
}

int explore_each(const explore_problem *x, explore_visit_fn visit, void *ctx)
{
    for (int a = 0; a < x->n_assign; a++) {
        int rc = each_of(x, a, visit, ctx);
        if (rc)
            return rc;
    }
    return 0;
}

int explore_result_init(const explore_problem *x, explore_result *r, ps_error *err)
{
    memset(r, 0, sizeof *r);
    r->pick = -1;
    r->single = calloc((size_t)x->N, sizeof *r->single);
    if (!r->single)
        return error_set(err, PS_ERR_NOMEM, "out of memory");
    baselines(x, r);
    return 0;
}

int explore_result_offer(const explore_problem *x, explore_result *r, const explore_candidate *c)
{
    r->evaluated++;
    for (int k = 0; k < EXPLORE_N_CONSTRAINTS; k++)
        r->removed[k] += (c->violated >> k) & 1u;
    if (c->violated)
        return 0;
    r->feasible++;
    return front_offer(x, r, c);
}

void explore_result_finish(const explore_problem *x, explore_result *r)
{
    qsort(r->front, (size_t)r->n_front, sizeof *r->front, by_index);
    for (int i = 0; i < r->n_front; i++) { /* the front with its detail */
        int64_t index = r->front[i].index;
        explore_evaluate(x, r->front[i].assign, r->front[i].cuts, &r->front[i]);
        r->front[i].index = index;
    }
    double best = INFINITY;
    r->pick = -1;
    for (int i = 0; i < r->n_front; i++) {
        double sc = weighted_score(x, r, &r->front[i]);
        if (sc < best || r->pick < 0) /* (every score infinite: the first) */
            best = sc, r->pick = i;
    }
}

typedef struct {
    const explore_problem *x;
    explore_result *r;
    explore_visit_fn visit;
    void *ctx;
    bool nomem;
} exact_ctx;

static int exact_visit(void *ctx, const explore_candidate *c)
{
    exact_ctx *e = ctx;
    if (explore_result_offer(e->x, e->r, c)) {
        e->nomem = true;
        return -1;
    }
    return e->visit ? e->visit(e->ctx, c) : 0;
}

int explore_exact(const explore_problem *x, explore_visit_fn visit, void *ctx,
                  explore_result *r, ps_error *err)
{
    if (explore_result_init(x, r, err))
        return err->code;
    exact_ctx e = {x, r, visit, ctx, false};
    r->interrupted = explore_each(x, exact_visit, &e) != 0;
    if (e.nomem)
        return error_set(err, PS_ERR_NOMEM, "out of memory");
    explore_result_finish(x, r);
    return 0;
}

double explore_score(const explore_problem *x, const explore_result *r,
                     const explore_candidate *c)
{
    return weighted_score(x, r, c);
}

void explore_result_free(explore_result *r)
{
    free(r->front);
    free(r->single);
    memset(r, 0, sizeof *r);
    r->pick = -1;
}
