/* Topology value, its checks and its SimGrid 4.1 platform file. */
#include "net/topology.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/atomic_file.h"

/* --- Building ------------------------------------------------------------ */

void topology_init(topology *t)
{
    memset(t, 0, sizeof *t);
}

void topology_free(topology *t)
{
    free(t->nodes);
    free(t->links);
    topology_init(t);
}

static int grow(void **items, int *cap, int need, size_t size)
{
    if (need <= *cap)
        return 0;
    int cap2 = *cap ? 2 * *cap : 16;
    while (cap2 < need)
        cap2 *= 2;
    void *p = realloc(*items, (size_t)cap2 * size);
    if (!p)
        return -1;
    *items = p;
    *cap = cap2;
    return 0;
}

static int copy_name(char dst[TOPOLOGY_NAME_MAX], const char *name, const char *what, ps_error *err)
{
    if (!name || !name[0])
        return error_set(err, PS_ERR_INPUT, "%s has an empty name", what);
    if (strlen(name) >= TOPOLOGY_NAME_MAX)
        return error_set(err, PS_ERR_INPUT, "%s name '%s' is longer than %d characters", what,
                         name, TOPOLOGY_NAME_MAX - 1);
    strcpy(dst, name);
    return 0;
}

int topology_add_node(topology *t, const char *name, bool is_switch,
                          double speed_flops, ps_error *err)
{
    if (grow((void **)&t->nodes, &t->cap_nodes, t->n_nodes + 1, sizeof *t->nodes)) {
        error_set(err, PS_ERR_NOMEM, "out of memory adding node '%s'", name);
        return -1;
    }
    topology_node *n = &t->nodes[t->n_nodes];
    memset(n, 0, sizeof *n);
    if (copy_name(n->name, name, is_switch ? "switch" : "host", err))
        return -1;
    n->is_switch = is_switch;
    n->speed_flops = speed_flops;
    return t->n_nodes++;
}

int topology_add_link(topology *t, const char *name, int a, int b,
                          double bandwidth_Bps, double latency_s, bool full_duplex,
                          ps_error *err)
{
    if (grow((void **)&t->links, &t->cap_links, t->n_links + 1, sizeof *t->links)) {
        error_set(err, PS_ERR_NOMEM, "out of memory adding link '%s'", name);
        return -1;
    }
    topology_link *l = &t->links[t->n_links];
    memset(l, 0, sizeof *l);
    if (copy_name(l->name, name, "link", err))
        return -1;
    l->a = a;
    l->b = b;
    l->bandwidth_Bps = bandwidth_Bps;
    l->latency_s = latency_s;
    l->full_duplex = full_duplex;
    return t->n_links++;
}

int topology_find_node(const topology *t, const char *name)
{
    for (int i = 0; i < t->n_nodes; i++)
        if (!strcmp(t->nodes[i].name, name))
            return i;
    return -1;
}

int topology_find_link(const topology *t, const char *name)
{
    for (int i = 0; i < t->n_links; i++)
        if (!strcmp(t->links[i].name, name))
            return i;
    return -1;
}

/* --- Checking ------------------------------------------------------------ */

/* Every name SimGrid will create, with what owns it, sorted to find clashes
 * in O(n log n): a 1,024-host tree has ~2,000 names. */
typedef struct {
    char name[TOPOLOGY_NAME_MAX + 8];
    const char *kind;
    const char *owner;
} name_entry;

static int name_entry_cmp(const void *x, const void *y)
{
    return strcmp(((const name_entry *)x)->name, ((const name_entry *)y)->name);
}

static int check_unique_names(const topology *t, ps_error *err)
{
    int n = t->n_nodes + 3 * t->n_links, k = 0;
    name_entry *e = calloc((size_t)(n ? n : 1), sizeof *e);
    if (!e)
        return error_set(err, PS_ERR_NOMEM, "out of memory checking names");
    for (int i = 0; i < t->n_nodes; i++, k++) {
        strcpy(e[k].name, t->nodes[i].name);
        e[k].kind = t->nodes[i].is_switch ? "switch" : "host";
        e[k].owner = t->nodes[i].name;
    }
    for (int i = 0; i < t->n_links; i++) {
        const topology_link *l = &t->links[i];
        snprintf(e[k].name, sizeof e[k].name, "%s", l->name);
        e[k].kind = "link";
        e[k++].owner = l->name;
        if (l->full_duplex) { /* SimGrid names the two directions NAME_UP, NAME_DOWN */
            snprintf(e[k].name, sizeof e[k].name, "%s_UP", l->name);
            e[k].kind = "full-duplex link";
            e[k++].owner = l->name;
            snprintf(e[k].name, sizeof e[k].name, "%s_DOWN", l->name);
            e[k].kind = "full-duplex link";
            e[k++].owner = l->name;
        }
    }
    qsort(e, (size_t)k, sizeof *e, name_entry_cmp);
    int rc = 0;
    for (int i = 1; i < k && !rc; i++) {
        if (strcmp(e[i - 1].name, e[i].name))
            continue;
        if (e[i - 1].kind == e[i].kind && !strcmp(e[i].name, e[i].owner))
            rc = error_set(err, PS_ERR_INPUT, "duplicate name '%s': two %ss are called so",
                           e[i].name, e[i].kind);
        else
            rc = error_set(err, PS_ERR_INPUT,
                           "duplicate name '%s': used by %s '%s' and %s '%s' (a full-duplex "
                           "link L also takes the names L_UP and L_DOWN)",
                           e[i].name, e[i - 1].kind, e[i - 1].owner, e[i].kind, e[i].owner);
    }
    free(e);
    return rc;
}

/* Union-find over nodes, to report the first host not connected to the
 * first host. */
static int uf_root(int *parent, int i)
{
    while (parent[i] != i)
        i = parent[i] = parent[parent[i]];
    return i;
}

static int check_connected(const topology *t, ps_error *err)
{
    int *parent = malloc((size_t)t->n_nodes * sizeof *parent);
    if (!parent)
        return error_set(err, PS_ERR_NOMEM, "out of memory checking connectivity");
    for (int i = 0; i < t->n_nodes; i++)
        parent[i] = i;
    for (int i = 0; i < t->n_links; i++)
        parent[uf_root(parent, t->links[i].a)] = uf_root(parent, t->links[i].b);
    int first = -1, rc = 0;
    for (int i = 0; i < t->n_nodes && !rc; i++) {
        if (t->nodes[i].is_switch)
            continue;
        if (first < 0)
            first = i;
        else if (uf_root(parent, i) != uf_root(parent, first))
            rc = error_set(err, PS_ERR_INPUT,
                           "host '%s' is not connected to host '%s': no path of links "
                           "joins them",
                           t->nodes[i].name, t->nodes[first].name);
    }
    free(parent);
    return rc;
}

int topology_check(const topology *t, ps_error *err)
{
    int hosts = 0;
    for (int i = 0; i < t->n_nodes; i++) {
        const topology_node *n = &t->nodes[i];
        if (!n->is_switch) {
            hosts++;
            if (!(n->speed_flops > 0))
                return error_set(err, PS_ERR_INPUT,
                                 "host '%s': speed %g flop/s, expected a positive speed",
                                 n->name, n->speed_flops);
        }
    }
    if (hosts == 0)
        return error_set(err, PS_ERR_INPUT, "topology has no host (only %d switches)",
                         t->n_nodes);
    for (int i = 0; i < t->n_links; i++) {
        const topology_link *l = &t->links[i];
        if (l->a < 0 || l->a >= t->n_nodes || l->b < 0 || l->b >= t->n_nodes)
            return error_set(err, PS_ERR_INPUT,
                             "link '%s' is dangling: it joins nodes %d and %d, expected "
                             "indices of existing nodes (0..%d)",
                             l->name, l->a, l->b, t->n_nodes - 1);
        if (l->a == l->b)
            return error_set(err, PS_ERR_INPUT, "link '%s' joins node '%s' to itself", l->name,
                             t->nodes[l->a].name);
        if (!(l->bandwidth_Bps > 0))
            return error_set(err, PS_ERR_INPUT,
                             "link '%s': bandwidth %g B/s, expected a positive bandwidth",
                             l->name, l->bandwidth_Bps);
        if (!(l->latency_s >= 0))
            return error_set(err, PS_ERR_INPUT,
                             "link '%s': latency %g s, expected a non-negative latency",
                             l->name, l->latency_s);
        if (l->bw_profile[0] == '/')
            return error_set(err, PS_ERR_INPUT,
                             "link '%s': bandwidth profile '%s' must be a path relative to the "
                             "platform file (SimGrid 3.32 rejects absolute paths)",
                             l->name, l->bw_profile);
    }
    int rc = check_unique_names(t, err);
    if (!rc)
        rc = check_connected(t, err);
    return rc;
}

/* --- Writing ------------------------------------------------------------- */

static void put_escaped(FILE *f, const char *s)
{
    for (; *s; s++) {
        switch (*s) {
        case '&': fputs("&amp;", f); break;
        case '<': fputs("&lt;", f); break;
        case '>': fputs("&gt;", f); break;
        case '"': fputs("&quot;", f); break;
        default: fputc(*s, f);
        }
    }
}

/* Values are written with 17 significant digits, in SimGrid's plain units
 * (Bps = bytes per second, s, f = flop/s), so that no rounding separates the
 * analytic model from what SimGrid simulates. */
static void write_platform(FILE *f, const topology *t)
{
    fputs("<?xml version='1.0'?>\n"
          "<!DOCTYPE platform SYSTEM \"https://simgrid.org/simgrid.dtd\">\n"
          "<!-- Generated by partsim (net/topology.c): one zone, Dijkstra routing (each\n"
          "     route computed once, then cached) over one route per link and direction. -->\n"
          "<platform version=\"4.1\">\n"
          "  <zone id=\"partsim\" routing=\"DijkstraCache\">\n",
          f);
    for (int i = 0; i < t->n_nodes; i++) {
        const topology_node *n = &t->nodes[i];
        if (n->is_switch)
            continue;
        fputs("    <host id=\"", f);
        put_escaped(f, n->name);
        fprintf(f, "\" speed=\"%.17gf\"/>\n", n->speed_flops);
    }
    for (int i = 0; i < t->n_nodes; i++) {
        if (!t->nodes[i].is_switch)
            continue;
        fputs("    <router id=\"", f);
        put_escaped(f, t->nodes[i].name);
        fputs("\"/>\n", f);
    }
    for (int i = 0; i < t->n_links; i++) {
        const topology_link *l = &t->links[i];
        fputs("    <link id=\"", f);
        put_escaped(f, l->name);
        fprintf(f, "\" bandwidth=\"%.17gBps\" latency=\"%.17gs\" sharing_policy=\"%s\"",
                l->bandwidth_Bps, l->latency_s, l->full_duplex ? "SPLITDUPLEX" : "SHARED");
        if (l->bw_profile[0]) {
            fputs(" bandwidth_file=\"", f);
            put_escaped(f, l->bw_profile);
            fputs("\"", f);
        }
        fputs("/>\n", f);
    }
    /* Both directions written out: a -> b uses L_UP, b -> a uses L_DOWN. */
    for (int i = 0; i < t->n_links; i++) {
        const topology_link *l = &t->links[i];
        for (int dir = 0; dir < 2; dir++) {
            const char *src = t->nodes[dir ? l->b : l->a].name;
            const char *dst = t->nodes[dir ? l->a : l->b].name;
            fputs("    <route src=\"", f);
            put_escaped(f, src);
            fputs("\" dst=\"", f);
            put_escaped(f, dst);
            fputs("\" symmetrical=\"NO\"><link_ctn id=\"", f);
            put_escaped(f, l->name);
            if (l->full_duplex)
                fprintf(f, "\" direction=\"%s", dir ? "DOWN" : "UP");
            fputs("\"/></route>\n", f);
        }
    }
    fputs("  </zone>\n</platform>\n", f);
}

static void write_platform_cb(FILE *f, const void *ctx) { write_platform(f, ctx); }

int topology_write_platform(const topology *t, const char *path, ps_error *err)
{
    if (topology_check(t, err))
        return error_prefix(err, "platform %s", path);
    return atomic_file_write(path, write_platform_cb, t, err);
}
