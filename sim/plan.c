/* Prices of stages and transfers for a scenario (sim/plan.h). */
#include "sim/plan.h"

#include <limits.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "workloads/compress.h"
#include "net/link.h"

static int build_accel(const scenario *s, const scn_accel *a, plan_accel *pa, ps_error *err)
{
    accel_opts o = {.bits = s->bits, .batch = 1};
    if (accel_network_cost(&a->arch, a->measured, s->g, &s->sparsity, &o, &pa->net, err))
        return err->code;
    pa->spec = a;
    if (a->batch > 1) { /* the batched layers again, at their batch (per frame) */
        accel_opts ob = {.bits = s->bits, .batch = a->batch};
        memset(&pa->net.total, 0, sizeof pa->net.total);
        for (int k = 0; k < pa->net.n; k++) {
            accel_result *r = &pa->net.results[k];
            if (k >= a->batch_first && k < a->batch_end &&
                accel_layer_cost(&a->arch, a->measured, &pa->net.layers[k], &ob, r, err))
                return err->code;
            cost_add(&pa->net.total, &r->cost);
        }
        pa->net.rules_total = pa->net.total;
    }
    pa->n = pa->net.n + 1;
    pa->latency_s = calloc((size_t)pa->n, sizeof(double));
    pa->energy_j = calloc((size_t)pa->n, sizeof(double));
    pa->static_j = calloc((size_t)pa->n, sizeof(double));
    if (!pa->latency_s || !pa->energy_j || !pa->static_j)
        return error_set(err, PS_ERR_NOMEM, "out of memory");
    for (int k = 0; k < pa->net.n; k++) {
        const layer_cost *c = &pa->net.results[k].cost;
        pa->latency_s[k + 1] = pa->latency_s[k] + c->latency_s;
        pa->static_j[k + 1] = pa->static_j[k] + c->energy[PART_STATIC];
        pa->energy_j[k + 1] = pa->energy_j[k] + c->energy_j - c->energy[PART_STATIC];
    }
    return 0;
}

/* Bytes of the cut-set at position q after the pipeline's compression. */
static double cut_payload(const scenario *s, const scn_pipeline *pl, int q, int bits)
{
    const cut_point *c = &s->cuts.points[q];
    double bytes = 0;
    for (int k = 0; k < c->n_tensors; k++) {
        int t = c->tensors[k];
        double raw = (double)graph_tensor_elems(&s->g->tensors[t]) * bits / 8.0;
        bool input = s->g->tensors[t].flags & GRAPH_T_INPUT;
        /* NeuPart Sec. IV-D.2: the raw image is not run-length coded */
        compress_kind kind = input && pl->compress == COMPRESS_RLC ? COMPRESS_RAW : pl->compress;
        bytes += compress_bytes(kind, raw, sparsity_of(&s->sparsity, t), bits,
                                pl->compress_ratio);
    }
    return bytes;
}

/* Adjacency lists of the endpoints (CSR): each link is listed at both ends. */
static int build_adjacency(const scenario *s, plan *p)
{
    int E = p->n_endpoints;
    p->adj_first = calloc((size_t)E + 1, sizeof *p->adj_first);
    p->adj_link = malloc(sizeof *p->adj_link * (2 * (size_t)s->n_links + 1));
    if (!p->adj_first || !p->adj_link)
        return -1;
    for (int l = 0; l < s->n_links; l++)
        p->adj_first[s->links[l].a + 1]++, p->adj_first[s->links[l].b + 1]++;
    for (int e = 0; e < E; e++)
        p->adj_first[e + 1] += p->adj_first[e];
    int *fill = malloc(sizeof *fill * ((size_t)E + 1));
    if (!fill)
        return -1;
    memcpy(fill, p->adj_first, sizeof *fill * (size_t)E);
    for (int l = 0; l < s->n_links; l++) {
        p->adj_link[fill[s->links[l].a]++] = l;
        p->adj_link[fill[s->links[l].b]++] = l;
    }
    free(fill);
    return 0;
}

int plan_build(const scenario *s, plan *p, ps_error *err)
{
    memset(p, 0, sizeof *p);
    p->s = s;
    p->M = s->cuts.n_sched;
    p->n_endpoints = s->n_nodes + s->n_switches;
    p->accels = calloc((size_t)s->n_accels + 1, sizeof *p->accels);
    p->cut_bytes = calloc((size_t)s->n_pipelines + 1, sizeof *p->cut_bytes);
    p->sw_prev = calloc((size_t)s->n_switches + 1, sizeof *p->sw_prev);
    p->sw_dist = calloc((size_t)s->n_switches + 1, sizeof *p->sw_dist);
    if (!p->accels || !p->cut_bytes || !p->sw_prev || !p->sw_dist || build_adjacency(s, p))
        return error_set(err, PS_ERR_NOMEM, "out of memory");
    for (int i = 0; i < s->n_accels; i++) {
        bool used = false;
        for (int n = 0; n < s->n_nodes && !used; n++)
            used = s->nodes[n].accel == i;
        if (used && build_accel(s, &s->accels[i], &p->accels[i], err))
            return error_prefix(err, "accelerator '%s'", s->accels[i].name);
    }
    for (int i = 0; i < s->n_pipelines; i++) {
        p->cut_bytes[i] = calloc(65, sizeof(double *));
        if (!p->cut_bytes[i])
            return error_set(err, PS_ERR_NOMEM, "out of memory");
        /* every width a node of the scenario uses, so nothing allocates later */
        for (int n = 0; n < s->n_nodes; n++) {
            int bits = plan_node_bits(p, n);
            if (p->cut_bytes[i][bits])
                continue;
            p->cut_bytes[i][bits] = calloc((size_t)p->M + 1, sizeof(double));
            if (!p->cut_bytes[i][bits])
                return error_set(err, PS_ERR_NOMEM, "out of memory");
            for (int q = 0; q <= p->M; q++)
                p->cut_bytes[i][bits][q] = cut_payload(s, &s->pipelines[i], q, bits);
        }
    }
    return 0;
}

int plan_node_bits(const plan *p, int node)
{
    int b = p->s->bits ? p->s->bits : p->s->accels[p->s->nodes[node].accel].arch.bits;
    return b < 1 ? 1 : b > 64 ? 64 : b;
}

double plan_cut_bytes(plan *p, int pipeline, int pos, int sender)
{
    return p->cut_bytes[pipeline][plan_node_bits(p, sender)][pos];
}

void plan_free(plan *p)
{
    if (p->accels && p->s)
        for (int i = 0; i < p->s->n_accels; i++) {
            free(p->accels[i].latency_s);
            free(p->accels[i].energy_j);
            free(p->accels[i].static_j);
            accel_network_free(&p->accels[i].net);
        }
    if (p->cut_bytes && p->s)
        for (int i = 0; i < p->s->n_pipelines; i++) {
            for (int b = 0; p->cut_bytes[i] && b <= 64; b++)
                free(p->cut_bytes[i][b]);
            free(p->cut_bytes[i]);
        }
    for (int i = 0; i < p->n_routes; i++) {
        free(p->routes[i]->links);
        free(p->routes[i]->dirs);
        free(p->routes[i]);
    }
    free(p->routes);
    strmap_free(&p->route_index);
    free(p->adj_first);
    free(p->adj_link);
    for (int i = 0; p->s && p->sw_prev && i < p->s->n_switches; i++) {
        free(p->sw_prev[i]);
        free(p->sw_dist[i]);
    }
    free(p->sw_prev);
    free(p->sw_dist);
    free(p->accels);
    free(p->cut_bytes);
    memset(p, 0, sizeof *p);
}

double plan_stage_latency(const plan *p, int node, int a, int b)
{
    const plan_accel *pa = &p->accels[p->s->nodes[node].accel];
    return pa->latency_s[b] - pa->latency_s[a];
}

double plan_stage_energy(const plan *p, int node, int a, int b)
{
    const plan_accel *pa = &p->accels[p->s->nodes[node].accel];
    return pa->energy_j[b] - pa->energy_j[a] + pa->static_j[b] - pa->static_j[a];
}

/* The other end of link l from endpoint e. */
static int other_end(const scenario *s, int l, int e)
{
    return s->links[l].a == e ? s->links[l].b : s->links[l].a;
}

/* Breadth-first search from switch `src` over switches only (they forward;
 * nodes do not): the link each switch was reached by and its hops. */
static int switch_tree(plan *p, int src)
{
    const scenario *s = p->s;
    int S = s->n_switches, k = src - s->n_nodes;
    if (p->sw_prev[k])
        return 0;
    int *prev = malloc(sizeof(int) * (size_t)S), *dist = malloc(sizeof(int) * (size_t)S);
    int *queue = malloc(sizeof(int) * (size_t)S);
    if (!prev || !dist || !queue) {
        free(prev), free(dist), free(queue);
        return -1;
    }
    for (int i = 0; i < S; i++)
        prev[i] = -2, dist[i] = -1;
    prev[k] = -1, dist[k] = 0;
    int head = 0, tail = 0;
    queue[tail++] = src;
    while (head < tail) {
        int u = queue[head++];
        for (int j = p->adj_first[u]; j < p->adj_first[u + 1]; j++) {
            int l = p->adj_link[j], v = other_end(s, l, u);
            if (v < s->n_nodes || prev[v - s->n_nodes] != -2)
                continue;
            prev[v - s->n_nodes] = l;
            dist[v - s->n_nodes] = dist[u - s->n_nodes] + 1;
            queue[tail++] = v;
        }
    }
    free(queue);
    p->sw_prev[k] = prev;
    p->sw_dist[k] = dist;
    return 0;
}

/* Fewest hops from `from` to `to` into r: a direct link, or a link from
 * `from` to a switch a (a itself when `from` is a switch), the switches'
 * path from a to b, and a link from b to `to`.  Ties go to the lower link
 * index.  -1 with err when they are not connected or out of memory. */
static int find_route(plan *p, int from, int to, plan_route *r, ps_error *err)
{
    const scenario *s = p->s;
    int best = INT_MAX, best_first = -1, best_last = -1, best_a = -1, best_b = -1;
    /* the ends' ways onto the switches: (switch, link), link -1 for a switch end */
    for (int i = p->adj_first[from] - (from >= s->n_nodes);
         i < p->adj_first[from + 1]; i++) {
        int la = i < p->adj_first[from] ? -1 : p->adj_link[i];
        int a = la < 0 ? from : other_end(s, la, from);
        if (la >= 0 && a == to && best > 1) { /* a direct link */
            best = 1, best_first = la, best_a = -1;
            continue;
        }
        if (a < s->n_nodes)
            continue;
        if (switch_tree(p, a))
            return error_set(err, PS_ERR_NOMEM, "out of memory");
        const int *dist = p->sw_dist[a - s->n_nodes];
        for (int j = p->adj_first[to] - (to >= s->n_nodes); j < p->adj_first[to + 1]; j++) {
            int lb = j < p->adj_first[to] ? -1 : p->adj_link[j];
            int b = lb < 0 ? to : other_end(s, lb, to);
            if (b < s->n_nodes || dist[b - s->n_nodes] < 0)
                continue;
            int hops = (la >= 0) + dist[b - s->n_nodes] + (lb >= 0);
            if (hops < best)
                best = hops, best_first = la, best_last = lb, best_a = a, best_b = b;
        }
    }
    if (best == INT_MAX)
        return error_set(err, PS_ERR_INPUT, "no route from '%s' to '%s': connect them under "
                         "network: links", scenario_endpoint_name(s, from),
                         scenario_endpoint_name(s, to));
    r->links = malloc(sizeof(int) * (size_t)best);
    r->dirs = malloc(sizeof(int) * (size_t)best);
    if (!r->links || !r->dirs)
        return error_set(err, PS_ERR_NOMEM, "out of memory");
    r->n_links = best;
    int k = best - 1, at = to;
    if (best_a < 0) { /* the direct link */
        r->links[0] = best_first;
        r->dirs[0] = s->links[best_first].b == to ? 1 : -1;
        return 0;
    }
    if (best_last >= 0) {
        r->links[k] = best_last;
        r->dirs[k--] = s->links[best_last].b == to ? 1 : -1;
        at = best_b;
    }
    const int *prev = p->sw_prev[best_a - s->n_nodes];
    while (at != best_a) {
        int l = prev[at - s->n_nodes];
        r->links[k] = l;
        r->dirs[k--] = s->links[l].b == at ? 1 : -1;
        at = other_end(s, l, at);
    }
    if (best_first >= 0) {
        r->links[k] = best_first;
        r->dirs[k] = s->links[best_first].b == best_a ? 1 : -1;
    }
    return 0;
}

const plan_route *plan_route_get(plan *p, int from, int to, ps_error *err)
{
    if (from == to)
        return &p->self_route;
    char key[sizeof p->routes[0]->key];
    snprintf(key, sizeof key, "%d:%d", from, to);
    int at = strmap_find(&p->route_index, key);
    if (at >= 0)
        return p->routes[at];
    if (p->n_routes == p->cap_routes) {
        int cap = p->cap_routes ? 2 * p->cap_routes : 64;
        plan_route **grown = realloc(p->routes, sizeof *grown * (size_t)cap);
        if (!grown) {
            error_set(err, PS_ERR_NOMEM, "out of memory");
            return NULL;
        }
        p->routes = grown;
        p->cap_routes = cap;
    }
    plan_route *r = calloc(1, sizeof *r);
    if (!r) {
        error_set(err, PS_ERR_NOMEM, "out of memory");
        return NULL;
    }
    if (find_route(p, from, to, r, err)) {
        free(r->links), free(r->dirs), free(r);
        return NULL;
    }
    memcpy(r->key, key, sizeof key);
    if (strmap_add(&p->route_index, r->key, p->n_routes) < 0) {
        free(r->links), free(r->dirs), free(r);
        error_set(err, PS_ERR_NOMEM, "out of memory");
        return NULL;
    }
    p->routes[p->n_routes++] = r;
    return r;
}

double plan_wire_bytes(const plan *p, const plan_route *r, double payload_bytes)
{
    if (!r->n_links)
        return 0;
    const scn_link *l = &p->s->links[r->links[0]];
    return link_wire_bytes(&l->type, &l->opts, payload_bytes);
}

double plan_transfer_time(const plan *p, const plan_route *r, double payload_bytes)
{
    if (!r->n_links)
        return 0;
    double wire = plan_wire_bytes(p, r, payload_bytes), rate = INFINITY, lat = 0;
    for (int k = 0; k < r->n_links; k++) {
        const scn_link *l = &p->s->links[r->links[k]];
        rate = fmin(rate, l->type.rate_bps / 8.0);
        lat += link_hop_latency_s(&l->type, &l->opts);
    }
    return wire / rate + lat + plan_saf_delay(p, r);
}

double plan_saf_delay(const plan *p, const plan_route *r)
{
    /* hops after the first leave a switch (nodes do not forward) */
    double d = 0;
    for (int k = 1; k < r->n_links; k++) {
        const scn_link *l = &p->s->links[r->links[k]];
        d += link_saf_delay_s(&l->type, &l->opts);
    }
    return d;
}
