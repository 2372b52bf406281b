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

static void put_host(FILE *f, const topology_node *n)
{
    fputs("      <host id=\"", f);
    put_escaped(f, n->name);
    fprintf(f, "\" speed=\"%.17gf\"/>\n", n->speed_flops);
}

/* Values are written with 17 significant digits, in SimGrid's plain units
 * (Bps = bytes per second, s, f = flop/s), so that no rounding separates the
 * analytic model from what SimGrid simulates. */
static void put_link(FILE *f, const topology_link *l, const char *indent)
{
    fprintf(f, "%s<link id=\"", indent);
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

/* <link_ctn> for link l crossed from its end `from` (a -> b is L_UP). */
static void put_link_ctn(FILE *f, const topology_link *l, int from)
{
    fputs("<link_ctn id=\"", f);
    put_escaped(f, l->name);
    if (l->full_duplex)
        fprintf(f, "\" direction=\"%s", from == l->a ? "UP" : "DOWN");
    fputs("\"/>", f);
}

/* The zone layout: a host whose only link goes to a switch is a leaf of that
 * switch and lives in the switch's zone; every other host has a zone of its
 * own.  leaf_link[h] is the leaf's link (-1 for other hosts), zone_of[n] the
 * node whose zone holds n. */
static int zone_layout(const topology *t, int *leaf_link, int *zone_of, int *first_leaf,
                       int *next_leaf)
{
    int *degree = calloc((size_t)t->n_nodes + 1, sizeof *degree);
    if (!degree)
        return -1;
    for (int i = 0; i < t->n_links; i++)
        degree[t->links[i].a]++, degree[t->links[i].b]++;
    for (int n = 0; n < t->n_nodes; n++)
        leaf_link[n] = -1, zone_of[n] = n;
    for (int i = 0; i < t->n_links; i++) {
        const topology_link *l = &t->links[i];
        for (int end = 0; end < 2; end++) {
            int h = end ? l->b : l->a, sw = end ? l->a : l->b;
            if (!t->nodes[h].is_switch && t->nodes[sw].is_switch && degree[h] == 1) {
                leaf_link[h] = i;
                zone_of[h] = sw;
            }
        }
    }
    /* each zone's leaves, in node order */
    for (int n = 0; n < t->n_nodes; n++)
        first_leaf[n] = next_leaf[n] = -1;
    for (int h = t->n_nodes - 1; h >= 0; h--)
        if (zone_of[h] != h) {
            next_leaf[h] = first_leaf[zone_of[h]];
            first_leaf[zone_of[h]] = h;
        }
    free(degree);
    return 0;
}

/* Hierarchical netzones: SimGrid resolves a route inside a zone locally
 * and searches (Dijkstra, cached) only over the graph of zones, so a switch
 * with thousands of cameras costs no search at all.
 *   - one Cluster zone per switch with leaves: the switch is its router and
 *     each leaf host's link is its private link (<host_link>): a route
 *     between two leaves is the sender's up link and the receiver's down
 *     link, a route out of the zone starts with the sender's up link;
 *   - one zone per switch without leaves and per other host (a gateway);
 *   - the top zone declares every link (first: see below) and holds one
 *     zoneRoute per link between zones and direction.
 * The links of every route are the same as in one flat zone. */
static void write_platform(FILE *f, const topology *t, const int *leaf_link, const int *zone_of,
                           const int *first_leaf, const int *next_leaf)
{
    fputs("<?xml version='1.0'?>\n"
          "<!DOCTYPE platform SYSTEM \"https://simgrid.org/simgrid.dtd\">\n"
          "<!-- Generated by partsim (net/topology.c): a Cluster zone per switch with the\n"
          "     hosts that hang only on it, a zone per other host or switch, and the links\n"
          "     between zones routed (Dijkstra, cached) in the top zone. -->\n"
          "<platform version=\"4.1\">\n"
          "  <zone id=\"partsim\" routing=\"DijkstraCache\">\n",
          f);
    /* every link first, in a zone of their own: SimGrid resolves a link's
     * name from the top zone down through the children in order, so a link
     * declared inside one of thousands of zones costs a walk over them at
     * every reference (16,384 cameras: 8.7 s of set-up instead of 0.9 s) */
    fputs("    <zone id=\"links\" routing=\"None\">\n", f);
    for (int i = 0; i < t->n_links; i++)
        put_link(f, &t->links[i], "      ");
    fputs("    </zone>\n", f);
    for (int z = 0; z < t->n_nodes; z++) {
        if (zone_of[z] != z)
            continue;
        const topology_node *zn = &t->nodes[z];
        bool cluster = first_leaf[z] >= 0;
        fputs("    <zone id=\"zone-", f);
        put_escaped(f, zn->name);
        fprintf(f, "\" routing=\"%s\">\n", cluster ? "Cluster" : "Full");
        if (!zn->is_switch)
            put_host(f, zn);
        for (int h = first_leaf[z]; h >= 0; h = next_leaf[h])
            put_host(f, &t->nodes[h]);
        if (zn->is_switch) {
            fputs("      <router id=\"", f);
            put_escaped(f, zn->name);
            fputs("\"/>\n", f);
        }
        for (int h = first_leaf[z]; h >= 0; h = next_leaf[h]) {
            const topology_link *l = &t->links[leaf_link[h]];
            bool up_is_a = l->a == h; /* the host sends from its end of the link */
            fputs("      <host_link id=\"", f);
            put_escaped(f, t->nodes[h].name);
            fputs("\" up=\"", f);
            put_escaped(f, l->name);
            if (l->full_duplex)
                fputs(up_is_a ? "_UP" : "_DOWN", f);
            fputs("\" down=\"", f);
            put_escaped(f, l->name);
            if (l->full_duplex)
                fputs(up_is_a ? "_DOWN" : "_UP", f);
            fputs("\"/>\n", f);
        }
        fputs("    </zone>\n", f);
    }
    for (int i = 0; i < t->n_links; i++) {
        const topology_link *l = &t->links[i];
        if (leaf_link[l->a] == i || leaf_link[l->b] == i)
            continue;
        for (int dir = 0; dir < 2; dir++) {
            int src = dir ? l->b : l->a, dst = dir ? l->a : l->b;
            fputs("    <zoneRoute src=\"zone-", f);
            put_escaped(f, t->nodes[zone_of[src]].name);
            fputs("\" dst=\"zone-", f);
            put_escaped(f, t->nodes[zone_of[dst]].name);
            fputs("\" gw_src=\"", f);
            put_escaped(f, t->nodes[src].name);
            fputs("\" gw_dst=\"", f);
            put_escaped(f, t->nodes[dst].name);
            fputs("\" symmetrical=\"NO\">", f);
            put_link_ctn(f, l, src);
            fputs("</zoneRoute>\n", f);
        }
    }
    fputs("  </zone>\n</platform>\n", f);
}

typedef struct {
    const topology *t;
    const int *leaf_link, *zone_of, *first_leaf, *next_leaf;
} platform_layout;

static void write_platform_cb(FILE *f, const void *ctx)
{
    const platform_layout *pl = ctx;
    write_platform(f, pl->t, pl->leaf_link, pl->zone_of, pl->first_leaf, pl->next_leaf);
}

int topology_write_platform(const topology *t, const char *path, ps_error *err)
{
    if (topology_check(t, err))
        return error_prefix(err, "platform %s", path);
    size_t n = (size_t)t->n_nodes + 1;
    int *leaf_link = malloc(sizeof(int) * n), *zone_of = malloc(sizeof(int) * n);
    int *first_leaf = malloc(sizeof(int) * n), *next_leaf = malloc(sizeof(int) * n);
    int rc = !leaf_link || !zone_of || !first_leaf || !next_leaf ||
                     zone_layout(t, leaf_link, zone_of, first_leaf, next_leaf)
                 ? error_set(err, PS_ERR_NOMEM, "out of memory")
                 : 0;
    platform_layout pl = {t, leaf_link, zone_of, first_leaf, next_leaf};
    if (!rc)
        rc = atomic_file_write(path, write_platform_cb, &pl, err);
    free(first_leaf);
    free(next_leaf);
    free(leaf_link);
    free(zone_of);
    return rc;
}
