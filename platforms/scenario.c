/* Scenario YAML -> validated scenario (platforms/scenario.h). */
#include "platforms/scenario.h"

#include <libgen.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "accel/accel.h"
#include "base/strmap.h"
#include "base/suggest.h"
#include "net/rate_profile.h"
#include "platforms/archfile.h"
#include "platforms/linkfile.h"
#include "platforms/measuredfile.h"
#include "platforms/ydoc.h"
#include "workloads/workload.h"

const char *scenario_queue_policy_name(queue_policy p)
{
    return p == QUEUE_BLOCK ? "block" : p == QUEUE_DROP_OLDEST ? "drop-oldest" : "drop-newest";
}

int scenario_node(const scenario *s, const char *name)
{
    for (int i = 0; i < s->n_nodes; i++)
        if (!strcmp(s->nodes[i].name, name))
            return i;
    return -1;
}

const char *scenario_endpoint_name(const scenario *s, int e)
{
    return e < s->n_nodes ? s->nodes[e].name : s->switches[e - s->n_nodes];
}

void scenario_free(scenario *s)
{
    if (!s)
        return;
    for (int i = 0; i < s->n_accels; i++)
        measured_binding_free(s->accels[i].measured);
    for (int i = 0; i < s->n_pipelines; i++)
        free(s->pipelines[i].sources);
    free(s->accels);
    free(s->nodes);
    free(s->switches);
    free(s->links);
    free(s->pipelines);
    for (int i = 0; i < s->n_inputs; i++)
        free(s->inputs[i]);
    free(s->inputs);
    free(s->path);
    free(s->text);
    sparsity_free(&s->sparsity);
    if (s->g)
        cuts_free(&s->cuts);
    graph_free(s->g);
    memset(s, 0, sizeof *s);
}

/* ---- helpers ---- */

typedef struct {
    const ydoc *d;
    scenario *s;
    ps_error *err;
    char dir[1024]; /* the scenario's folder, for relative paths */
} loader;

static int name_of(loader *L, const ynode *n, char *out, const char *what)
{
    const char *v;
    if (ydoc_string(L->d, n, &v, L->err))
        return L->err->code;
    if (!*v || strlen(v) >= SCN_NAME)
        return ydoc_error(L->d, n, L->err, "%s must be 1 to %d characters", what, SCN_NAME - 1);
    snprintf(out, SCN_NAME, "%s", v);
    return 0;
}

static int required(loader *L, const ynode *map, const char *key, const char *what,
                    const ynode **out)
{
    *out = ydoc_get(map, key);
    if (!*out)
        return ydoc_error(L->d, map, L->err, "%s needs '%s'", what, key);
    return 0;
}

static int list_of(loader *L, const ynode *n, const char *what)
{
    if (!n || n->kind != YNODE_SEQ)
        return ydoc_error(L->d, n, L->err, "%s must be a list ('- ...' entries)", what);
    return 0;
}

static void path_in_dir(const loader *L, const char *p, char *out, size_t size)
{
    struct stat st;
    if (p[0] == '/' || !L->dir[0])
        snprintf(out, size, "%s", p);
    else {
        snprintf(out, size, "%s/%s", L->dir, p);
        if (stat(out, &st)) /* not next to the scenario: as given (cwd, or a zoo name) */
            snprintf(out, size, "%s", p);
    }
}

/* Remember that the scenario read `path` (only files that exist count). */
static int add_input(loader *L, const char *path)
{
    struct stat st;
    scenario *s = L->s;
    if (stat(path, &st) != 0)
        return 0; /* a preset name, not a file */
    char **grown = realloc(s->inputs, (size_t)(s->n_inputs + 1) * sizeof *grown);
    if (!grown)
        return error_set(L->err, PS_ERR_NOMEM, "out of memory");
    s->inputs = grown;
    if (!(s->inputs[s->n_inputs] = strdup(path)))
        return error_set(L->err, PS_ERR_NOMEM, "out of memory");
    s->n_inputs++;
    return 0;
}

/* ---- workload ---- */

static int load_workload(loader *L, const ynode *w)
{
    static const char *const KEYS[] = {"model", "bits", "sparsity", NULL};
    scenario *s = L->s;
    const ynode *m;
    if (ydoc_check_keys(L->d, w, KEYS, "workload", L->err) ||
        required(L, w, "model", "workload", &m))
        return L->err->code;
    const char *model;
    if (ydoc_string(L->d, m, &model, L->err))
        return L->err->code;
    char path[1024];
    path_in_dir(L, model, path, sizeof path);
    snprintf(s->model, sizeof s->model, "%s", path);
    s->bits = 0; /* each accelerator at its own width */
    const ynode *b = ydoc_get(w, "bits");
    int64_t bits;
    if (b) {
        if (ydoc_int(L->d, b, 1, 64, &bits, L->err))
            return L->err->code;
        s->bits = (int)bits;
    }
    ps_error e = {0};
    char resolved[4096];
    if (workload_resolve(path, resolved, sizeof resolved, &e))
        return ydoc_error(L->d, m, L->err, "%s", e.msg);
    if (add_input(L, resolved))
        return L->err->code;
    if (!(s->g = workload_load(path, &e)))
        return ydoc_error(L->d, m, L->err, "%s", e.msg);
    if (cuts_compute(s->g, &s->cuts, L->err) || sparsity_defaults(s->g, &s->sparsity, L->err))
        return L->err->code;
    const ynode *sp = ydoc_get(w, "sparsity");
    const char *spv = "default";
    if (sp && ydoc_string(L->d, sp, &spv, L->err))
        return L->err->code;
    if (!strcmp(spv, "none")) {
        memset(s->sparsity.by_tensor, 0, sizeof(double) * (size_t)s->sparsity.n);
    } else if (strcmp(spv, "default")) {
        char csv[1024];
        path_in_dir(L, spv, csv, sizeof csv);
        if (sparsity_load_csv(s->g, csv, &s->sparsity, &e))
            return ydoc_error(L->d, sp, L->err, "%s", e.msg);
        if (add_input(L, csv))
            return L->err->code;
    }
    return 0;
}

/* ---- accelerators and nodes ---- */

static int parse_position(loader *L, const ynode *u, bool before, const char *expected,
                          int *pos);

/* `batch: N` (every layer) or `{frames: N, from: LAYER, until: LAYER}`: the
 * layers from `from` through `until` (a layer name or a cut index, as a
 * stage's `until`; by default the first and the last) run N frames together. */
static int load_batch(loader *L, const ynode *b, scn_accel *acc)
{
    static const char *const KEYS[] = {"frames", "from", "until", NULL};
    acc->batch = 1, acc->batch_first = 0, acc->batch_end = L->s->cuts.n_sched;
    if (!b)
        return 0;
    const ynode *n = b, *v;
    if (b->kind == YNODE_MAP &&
        (ydoc_check_keys(L->d, b, KEYS, "batch", L->err) ||
         required(L, b, "frames", "batch ({frames: N, from: LAYER, until: LAYER})", &n)))
        return L->err->code;
    if (ydoc_int(L->d, n, 1, SCN_BATCH_MAX, &acc->batch, L->err))
        return L->err->code;
    const char *layer = "a layer name or a cut index";
    if (((v = ydoc_get(b, "from")) && parse_position(L, v, true, layer, &acc->batch_first)) ||
        ((v = ydoc_get(b, "until")) && parse_position(L, v, false, layer, &acc->batch_end)))
        return L->err->code;
    if (acc->batch_first >= acc->batch_end)
        return ydoc_error(L->d, b, L->err, "batch: no layer from position %d to %d (from "
                          "names the first batched layer, until the last)", acc->batch_first,
                          acc->batch_end);
    if (acc->batch > 1 && acc->arch.kind == ARCH_MEASURED)
        return ydoc_error(L->d, b, L->err, "batch: accelerator '%s' is a measured profile, "
                          "whose times are per frame at batch 1 (batch needs a "
                          "row-stationary, weight-stationary or roofline model)", acc->name);
    return 0;
}

/* An accelerator entry without its `batch` key (the architecture does not
 * know it): *out shares v's nodes, its arrays are malloc'd (free them). */
static int without_batch(const ynode *v, ynode *out)
{
    *out = *v;
    out->keys = malloc(sizeof *out->keys * ((size_t)v->n + 1));
    out->items = malloc(sizeof *out->items * ((size_t)v->n + 1));
    if (!out->keys || !out->items) {
        free(out->keys), free(out->items);
        return -1;
    }
    out->n = 0;
    for (int k = 0; k < v->n; k++)
        if (strcmp(v->keys[k]->value, "batch")) {
            out->keys[out->n] = v->keys[k];
            out->items[out->n++] = v->items[k];
        }
    return 0;
}

static int load_accels(loader *L, const ynode *a)
{
    scenario *s = L->s;
    if (ydoc_expect_map(L->d, a, "accelerators (name: preset or description)", L->err))
        return L->err->code;
    s->accels = calloc((size_t)a->n + 1, sizeof *s->accels);
    if (!s->accels)
        return error_set(L->err, PS_ERR_NOMEM, "out of memory");
    for (int k = 0; k < a->n; k++) {
        scn_accel *acc = &s->accels[s->n_accels];
        if (name_of(L, a->keys[k], acc->name, "an accelerator name"))
            return L->err->code;
        const ynode *v = a->items[k];
        ps_error e = {0};
        if (v->kind == YNODE_SCALAR) { /* a preset name or a file */
            char spec[1024];
            path_in_dir(L, v->value, spec, sizeof spec);
            if (archfile_load(spec, &acc->arch, &e))
                return ydoc_error(L->d, v, L->err, "%s", e.msg);
            if (add_input(L, spec))
                return L->err->code;
        } else {
            ynode arch;
            if (without_batch(v, &arch))
                return error_set(L->err, PS_ERR_NOMEM, "out of memory");
            int rc = archfile_from_yaml(L->d, &arch, L->dir, acc->name, &acc->arch, L->err);
            free(arch.keys), free(arch.items);
            if (rc)
                return rc;
        }
        s->n_accels++;
        if (load_batch(L, ydoc_get(v, "batch"), acc))
            return L->err->code;
        if (acc->arch.kind == ARCH_MEASURED && add_input(L, acc->arch.u.meas.profile_path))
            return L->err->code;
        /* a measured device's profile is read and matched to the model now */
        if (measuredfile_bind(&acc->arch, s->g, &acc->measured, &e))
            return ydoc_error(L->d, v, L->err, "accelerator '%s': %s", acc->name, e.msg);
    }
    return 0;
}

static int find_accel(const scenario *s, const char *name)
{
    for (int i = 0; i < s->n_accels; i++)
        if (!strcmp(s->accels[i].name, name))
            return i;
    return -1;
}

/* A queue's {depth, policy} (either may be left out: *depth and *policy
 * keep their defaults). */
static int load_queue(loader *L, const ynode *q, const char *what, int *depth,
                      queue_policy *policy)
{
    static const char *const QKEYS[] = {"depth", "policy", NULL};
    const ynode *v;
    if (ydoc_check_keys(L->d, q, QKEYS, what, L->err))
        return L->err->code;
    if ((v = ydoc_get(q, "depth"))) {
        int64_t d;
        if (ydoc_int(L->d, v, 1, 1 << 20, &d, L->err))
            return L->err->code;
        *depth = (int)d;
    }
    if ((v = ydoc_get(q, "policy"))) {
        const char *pol;
        if (ydoc_string(L->d, v, &pol, L->err))
            return L->err->code;
        if (!strcmp(pol, "block"))
            *policy = QUEUE_BLOCK;
        else if (!strcmp(pol, "drop-oldest"))
            *policy = QUEUE_DROP_OLDEST;
        else if (!strcmp(pol, "drop-newest"))
            *policy = QUEUE_DROP_NEWEST;
        else
            return ydoc_error(L->d, v, L->err, "%s policy must be block, drop-oldest or "
                              "drop-newest, got '%s'", what, pol);
    }
    return 0;
}

/* Members of the node group, or of the switch group, named `group`. */
static int group_size(const scenario *s, const char *group, const char (*sw_groups)[SCN_NAME],
                      const int *sw_counts, int n_sw_groups)
{
    int n = 0;
    for (int i = 0; i < s->n_nodes; i++)
        n += !strcmp(s->nodes[i].group, group);
    for (int g = 0; g < n_sw_groups; g++)
        if (!strcmp(sw_groups[g], group))
            n += sw_counts[g];
    return n;
}

/* `count: N` or `count: {per: P, of: GROUP}` = ceil(|GROUP| / P), so that a
 * topology rescales with one group's count (GROUP: a node group, or a
 * switch group, defined before). */
static int load_count(loader *L, const ynode *c, const char (*sw_groups)[SCN_NAME],
                      const int *sw_counts, int n_sw_groups, int64_t *count)
{
    enum { COUNT_MAX = 100000 };
    *count = 1;
    if (!c)
        return 0;
    if (c->kind != YNODE_MAP)
        return ydoc_int(L->d, c, 1, COUNT_MAX, count, L->err);
    static const char *const KEYS[] = {"per", "of", NULL};
    const ynode *per, *of;
    const char *group;
    int64_t p;
    if (ydoc_check_keys(L->d, c, KEYS, "a count ({per: P, of: GROUP})", L->err) ||
        required(L, c, "per", "a count", &per) || required(L, c, "of", "a count", &of) ||
        ydoc_int(L->d, per, 1, COUNT_MAX, &p, L->err) || ydoc_string(L->d, of, &group, L->err))
        return L->err->code;
    int n = group_size(L->s, group, sw_groups, sw_counts, n_sw_groups);
    if (!n)
        return ydoc_error(L->d, of, L->err, "no node or switch group '%s' defined before this "
                          "count", group);
    *count = (n + p - 1) / p;
    return 0;
}

/* Node names are unique after expansion ("cam" x 8 and a node "cam3"
 * clash): one pass with a hash index, not a search per node. */
static int check_node_names(loader *L, const ynode *list)
{
    scenario *s = L->s;
    strmap seen = STRMAP_INIT;
    int dup = -1, rc = strmap_reserve(&seen, (size_t)s->n_nodes) < 0;
    for (int i = 0; i < s->n_nodes && !rc && dup < 0; i++) {
        int first = strmap_add(&seen, s->nodes[i].name, i);
        rc = first < 0;
        if (first != i)
            dup = i;
    }
    strmap_free(&seen);
    if (rc)
        return error_set(L->err, PS_ERR_NOMEM, "out of memory");
    if (dup < 0)
        return 0;
    /* the entry that defined the second one: the last entry of its group */
    const ynode *at = list;
    for (int k = 0; k < list->n; k++) {
        const ynode *nm = ydoc_get(list->items[k], "name");
        if (nm && !strcmp(nm->value, s->nodes[dup].group))
            at = nm;
    }
    return ydoc_error(L->d, at, L->err, "node '%s' is defined twice", s->nodes[dup].name);
}

static int load_nodes(loader *L, const ynode *list)
{
    static const char *const KEYS[] = {"name", "count", "accelerator", "static_power",
                                       "send_queue", NULL};
    scenario *s = L->s;
    if (list_of(L, list, "nodes"))
        return L->err->code;
    int cap = 0;
    for (int k = 0; k < list->n; k++) {
        const ynode *n = list->items[k], *nm, *acc;
        char group[SCN_NAME];
        if (ydoc_check_keys(L->d, n, KEYS, "a node", L->err) ||
            required(L, n, "name", "a node", &nm) || name_of(L, nm, group, "a node name") ||
            required(L, n, "accelerator", "a node", &acc))
            return L->err->code;
        int64_t count;
        const ynode *c = ydoc_get(n, "count");
        if (load_count(L, c, NULL, NULL, 0, &count))
            return L->err->code;
        const char *an;
        if (ydoc_string(L->d, acc, &an, L->err))
            return L->err->code;
        int ai = find_accel(s, an);
        if (ai < 0)
            return ydoc_error(L->d, acc, L->err, "no accelerator '%s' (define it under "
                              "'accelerators:')", an);
        double sp = 0;
        const ynode *p = ydoc_get(n, "static_power");
        if (p && ydoc_quantity(L->d, p, UNIT_WATTS, &sp, L->err))
            return L->err->code;
        if (sp < 0)
            return ydoc_error(L->d, p, L->err, "static power must be 0 or more");
        int send_depth = SCN_SEND_DEPTH;
        queue_policy send_policy = QUEUE_DROP_OLDEST;
        const ynode *sq = ydoc_get(n, "send_queue");
        if (sq && load_queue(L, sq, "send_queue", &send_depth, &send_policy))
            return L->err->code;
        for (int64_t m = 0; m < count; m++) {
            if (s->n_nodes == cap) {
                cap = cap ? 2 * cap : 16;
                scn_node *nn = realloc(s->nodes, (size_t)cap * sizeof *nn);
                if (!nn)
                    return error_set(L->err, PS_ERR_NOMEM, "out of memory");
                s->nodes = nn;
            }
            scn_node *node = &s->nodes[s->n_nodes];
            memset(node, 0, sizeof *node);
            snprintf(node->group, sizeof node->group, "%s", group);
            if (c)
                snprintf(node->name, sizeof node->name, "%.50s%lld", group, (long long)m);
            else
                snprintf(node->name, sizeof node->name, "%s", group);
            node->member = (int)m;
            node->accel = ai;
            node->static_power_w = sp;
            node->send_depth = send_depth;
            node->send_policy = send_policy;
            s->n_nodes++;
        }
    }
    if (s->n_nodes == 0)
        return ydoc_error(L->d, list, L->err, "a scenario needs at least one node");
    return check_node_names(L, list);
    return 0;
}

/* Endpoints named by a link end: "cam*" (every member of group cam), a node,
 * a group, or a switch.  Returns the count, fills out[]. */
static int match_endpoints(const scenario *s, const char *pat, int *out, int max)
{
    int n = 0;
    size_t len = strlen(pat);
    bool glob = len > 0 && pat[len - 1] == '*';
    for (int i = 0; i < s->n_nodes && n < max; i++) {
        const scn_node *node = &s->nodes[i];
        if ((glob && !strncmp(node->name, pat, len - 1)) || !strcmp(node->name, pat) ||
            !strcmp(node->group, pat))
            out[n++] = i;
    }
    for (int i = 0; i < s->n_switches && n < max; i++)
        if (!strcmp(s->switches[i], pat) || (glob && !strncmp(s->switches[i], pat, len - 1)))
            out[n++] = s->n_nodes + i;
    return n;
}

/* ---- network ---- */

static int load_link_type(loader *L, const ynode *t, link_type *out)
{
    ps_error e = {0};
    if (t->kind == YNODE_SCALAR) {
        char spec[1024];
        path_in_dir(L, t->value, spec, sizeof spec);
        if (linkfile_load(spec, out, &e))
            return ydoc_error(L->d, t, L->err, "%s", e.msg);
        return add_input(L, spec);
    }
    return linkfile_from_yaml(L->d, t, NULL, out, L->err);
}

/* switches: a list of names, or of {name, count} groups (name0, name1, ...). */
static int load_switches(loader *L, const ynode *sw)
{
    static const char *const KEYS[] = {"name", "count", NULL};
    scenario *s = L->s;
    if (list_of(L, sw, "network switches"))
        return L->err->code;
    char (*groups)[SCN_NAME] = calloc((size_t)sw->n + 1, sizeof *groups);
    int *counts = calloc((size_t)sw->n + 1, sizeof *counts);
    int rc = !groups || !counts ? error_set(L->err, PS_ERR_NOMEM, "out of memory") : 0;
    int cap = 0;
    for (int k = 0; k < sw->n && !rc; k++) {
        const ynode *item = sw->items[k], *nm = item;
        int64_t count = 1;
        bool grouped = item->kind == YNODE_MAP;
        if (grouped && (ydoc_check_keys(L->d, item, KEYS, "a switch group", L->err) ||
                        required(L, item, "name", "a switch group", &nm) ||
                        load_count(L, ydoc_get(item, "count"), (const char(*)[SCN_NAME])groups,
                                   counts, k, &count))) {
            rc = L->err->code;
            break;
        }
        if (name_of(L, nm, groups[k], "a switch name")) {
            rc = L->err->code;
            break;
        }
        counts[k] = (int)count;
        grouped = grouped && ydoc_get(item, "count");
        for (int64_t m = 0; m < count && !rc; m++) {
            if (s->n_switches == cap) {
                cap = cap ? 2 * cap : 16;
                char (*grown)[SCN_NAME] = realloc(s->switches, (size_t)cap * sizeof *grown);
                if (!grown) {
                    rc = error_set(L->err, PS_ERR_NOMEM, "out of memory");
                    break;
                }
                s->switches = grown;
            }
            char *name = s->switches[s->n_switches];
            if (grouped)
                snprintf(name, SCN_NAME, "%.50s%lld", groups[k], (long long)m);
            else
                snprintf(name, SCN_NAME, "%s", groups[k]);
            if (scenario_node(s, name) >= 0)
                rc = ydoc_error(L->d, nm, L->err, "'%s' is already a node", name);
            else
                s->n_switches++;
        }
    }
    free(groups);
    free(counts);
    return rc;
}

static int load_network(loader *L, const ynode *net)
{
    static const char *const KEYS[] = {"switches", "links", NULL};
    static const char *const LKEYS[] = {"from", "to", "type", "length", "framing", "eee",
                                        "ip_udp", "profile", "profile_loop", NULL};
    scenario *s = L->s;
    if (ydoc_check_keys(L->d, net, KEYS, "network", L->err))
        return L->err->code;
    const ynode *sw = ydoc_get(net, "switches");
    if (sw && load_switches(L, sw))
        return L->err->code;
    const ynode *links;
    if (required(L, net, "links", "network", &links) || list_of(L, links, "network links"))
        return L->err->code;
    int cap = 0;
    int *ea = malloc(sizeof(int) * ((size_t)s->n_nodes + (size_t)s->n_switches + 1));
    int *eb = malloc(sizeof(int) * ((size_t)s->n_nodes + (size_t)s->n_switches + 1));
    if (!ea || !eb) {
        free(ea), free(eb);
        return error_set(L->err, PS_ERR_NOMEM, "out of memory");
    }
    int rc = 0;
    for (int k = 0; k < links->n && !rc; k++) {
        const ynode *l = links->items[k], *from, *to, *type;
        const char *fs, *ts;
        if (ydoc_check_keys(L->d, l, LKEYS, "a link", L->err) ||
            required(L, l, "from", "a link", &from) || required(L, l, "to", "a link", &to) ||
            required(L, l, "type", "a link", &type) || ydoc_string(L->d, from, &fs, L->err) ||
            ydoc_string(L->d, to, &ts, L->err)) {
            rc = L->err->code;
            break;
        }
        int max = s->n_nodes + s->n_switches;
        int na = match_endpoints(s, fs, ea, max), nb = match_endpoints(s, ts, eb, max);
        if (!na || !nb) {
            rc = ydoc_error(L->d, na ? to : from, L->err, "no node or switch '%s'",
                            na ? ts : fs);
            break;
        }

        link_type lt;
        link_opts lo = {0};
        const ynode *n;
        if (load_link_type(L, type, &lt)) {
            rc = L->err->code;
            break;
        }
        if (((n = ydoc_get(l, "length")) && ydoc_quantity(L->d, n, UNIT_METERS, &lo.length_m, L->err)) ||
            ((n = ydoc_get(l, "eee")) && ydoc_bool(L->d, n, &lo.eee, L->err)) ||
            ((n = ydoc_get(l, "ip_udp")) && ydoc_bool(L->d, n, &lo.ip_udp, L->err))) {
            rc = L->err->code;
            break;
        }
        if ((n = ydoc_get(l, "framing"))) {
            const char *f;
            if (ydoc_string(L->d, n, &f, L->err)) {
                rc = L->err->code;
                break;
            }
            if (!strcmp(f, "ieee"))
                lo.framing = FRAMING_IEEE;
            else if (!strcmp(f, "cnnparted"))
                lo.framing = FRAMING_CNNPARTED;
            else {
                rc = ydoc_error(L->d, n, L->err, "framing must be ieee or cnnparted, got '%s'", f);
                break;
            }
        }
        if (lo.length_m < 0) {
            rc = ydoc_error(L->d, ydoc_get(l, "length"), L->err, "a length must be 0 or more");
            break;
        }
        char profile[1024] = "";
        bool loop = false;
        if ((n = ydoc_get(l, "profile"))) {
            const char *p;
            if (ydoc_string(L->d, n, &p, L->err)) {
                rc = L->err->code;
                break;
            }
            path_in_dir(L, p, profile, sizeof profile);
            /* read it now, so a bad profile is an error before anything runs */
            rate_profile pr;
            ps_error e = {0};
            if (rate_profile_read_csv(profile, &pr, &e)) {
                rc = ydoc_error(L->d, n, L->err, "%s", e.msg);
                break;
            }
            rate_profile_free(&pr);
            if ((rc = add_input(L, profile)))
                break;
        }
        if ((n = ydoc_get(l, "profile_loop")) && ydoc_bool(L->d, n, &loop, L->err)) {
            rc = L->err->code;
            break;
        }
        /* one to many: a link to each; many to many: the larger end spread
         * over the smaller in consecutive blocks (member i of A to member
         * i * |B| / |A| of B), so cam* over access* fills each switch in turn */
        int n_new = na > nb ? na : nb;
        for (int i = 0; i < n_new; i++) {
            if (s->n_links == cap) {
                cap = cap ? 2 * cap : 16;
                scn_link *nl = realloc(s->links, (size_t)cap * sizeof *nl);
                if (!nl) {
                    rc = error_set(L->err, PS_ERR_NOMEM, "out of memory");
                    break;
                }
                s->links = nl;
            }
            scn_link *link = &s->links[s->n_links++];
            memset(link, 0, sizeof *link);
            link->a = ea[na >= nb ? i : (int)((int64_t)i * na / nb)];
            link->b = eb[nb >= na ? i : (int)((int64_t)i * nb / na)];
            if (link->a == link->b) {
                rc = ydoc_error(L->d, l, L->err, "a link from '%s' to itself",
                                scenario_endpoint_name(s, link->a));
                break;
            }
            snprintf(link->name, sizeof link->name, "%.30s-%.30s",
                     scenario_endpoint_name(s, link->a), scenario_endpoint_name(s, link->b));
            link->type = lt;
            link->opts = lo;
            snprintf(link->profile, sizeof link->profile, "%s", profile);
            link->profile_loop = loop;
        }
    }
    free(ea);
    free(eb);
    return rc;
}

/* ---- pipelines ---- */

/* A boundary between schedule positions, named as a stage's `until`: a cut
 * index 0..M, or a layer name: the boundary after the layer, or with
 * `before` the one before it.  `expected` ends the message for a name the
 * model does not have. */
static int parse_position(loader *L, const ynode *u, bool before, const char *expected,
                          int *pos)
{
    const scenario *s = L->s;
    int M = s->cuts.n_sched;
    const char *v;
    if (ydoc_string(L->d, u, &v, L->err))
        return L->err->code;
    char *end;
    long index = strtol(v, &end, 10);
    if (*v && !*end) {
        if (index < 0 || index > M)
            return ydoc_error(L->d, u, L->err, "cut index %ld is outside 0..%d (the model's "
                              "positions; see `partsim layers`)", index, M);
        *pos = (int)index;
        return 0;
    }
    for (int p = 0; p < M; p++)
        if (!strcmp(s->g->nodes[s->cuts.sched[p]].name, v)) {
            *pos = before ? p : p + 1;
            return 0;
        }
    /* the closest layer name, for the message */
    suggest near;
    suggest_init(&near, v);
    for (int p = 0; p < M; p++)
        suggest_offer(&near, s->g->nodes[s->cuts.sched[p]].name);
    const char *best = suggest_result(&near);
    return ydoc_error(L->d, u, L->err, "no layer '%s' in the model %s%s%s%s (give %s)", v,
                      s->model, best ? ": did you mean '" : "", best ? best : "",
                      best ? "'?" : "", expected);
}

/* A stage's `until:` -> schedule position (exclusive end), or a policy. */
static int parse_until(loader *L, const ynode *u, scn_stage *st)
{
    const scenario *s = L->s;
    int M = s->cuts.n_sched;
    st->policy = CUT_FIXED;
    if (u->kind == YNODE_MAP) { /* {auto: energy|latency, from: X, to: Y, rate: link|recent} */
        static const char *const KEYS[] = {"auto", "from", "to", "rate", NULL};
        const ynode *a;
        if (ydoc_check_keys(L->d, u, KEYS, "until", L->err) ||
            required(L, u, "auto", "until", &a))
            return L->err->code;
        const char *pol;
        if (ydoc_string(L->d, a, &pol, L->err))
            return L->err->code;
        if (!strcmp(pol, "energy"))
            st->policy = CUT_AUTO_ENERGY;
        else if (!strcmp(pol, "latency"))
            st->policy = CUT_AUTO_LATENCY;
        else
            return ydoc_error(L->d, a, L->err, "auto takes energy (NeuPart Alg. 2) or latency, "
                              "got '%s'", pol);
        st->auto_first = 0;
        st->auto_last = M;
        const ynode *rate = ydoc_get(u, "rate");
        if (rate) {
            const char *rs;
            if (ydoc_string(L->d, rate, &rs, L->err))
                return L->err->code;
            if (!strcmp(rs, "recent"))
                st->rate_recent = true;
            else if (strcmp(rs, "link"))
                return ydoc_error(L->d, rate, L->err, "rate takes link (the link's current rate) "
                                  "or recent (what recent transfers achieved), got '%s'", rs);
        }
        const ynode *f = ydoc_get(u, "from"), *t = ydoc_get(u, "to");
        scn_stage tmp;
        if (f) {
            if (parse_until(L, f, &tmp))
                return L->err->code;
            st->auto_first = tmp.end;
        }
        if (t) {
            if (parse_until(L, t, &tmp))
                return L->err->code;
            st->auto_last = tmp.end;
        }
        st->end = st->auto_first;
        return 0;
    }
    const char *v;
    if (ydoc_string(L->d, u, &v, L->err))
        return L->err->code;
    if (!strcmp(v, "auto")) {
        st->policy = CUT_AUTO_ENERGY;
        st->auto_first = 0, st->auto_last = M, st->end = 0;
        return 0;
    }
    return parse_position(L, u, false, "a layer name, a cut index or auto", &st->end);
}

/* phase: aligned | random | <time> (the offset from one camera to the next). */
static int load_phase(loader *L, const ynode *n, scn_pipeline *p)
{
    p->phase = PHASE_ALIGNED;
    if (!n)
        return 0;
    const char *v;
    if (ydoc_string(L->d, n, &v, L->err))
        return L->err->code;
    if (!strcmp(v, "aligned"))
        return 0;
    if (!strcmp(v, "random")) {
        p->phase = PHASE_RANDOM;
        return 0;
    }
    char why[128];
    if (units_parse(v, UNIT_SECONDS, &p->phase_step_s, why, sizeof why) ||
        !(p->phase_step_s >= 0))
        return ydoc_error(L->d, n, L->err, "phase must be aligned, random or a time (the "
                          "offset from one camera to the next, e.g. 1 ms), got '%s'", v);
    p->phase = PHASE_STEP;
    return 0;
}

static int load_source(loader *L, const ynode *src, scn_pipeline *p)
{
    static const char *const KEYS[] = {"nodes", "fps", "jitter", "start", "phase", "frames",
                                       NULL};
    scenario *s = L->s;
    const ynode *nodes, *fps, *n;
    const char *pat;
    if (ydoc_check_keys(L->d, src, KEYS, "a pipeline source", L->err) ||
        required(L, src, "nodes", "a pipeline source", &nodes) ||
        required(L, src, "fps", "a pipeline source", &fps) ||
        ydoc_string(L->d, nodes, &pat, L->err))
        return L->err->code;
    p->fps_max = fps->kind == YNODE_SCALAR && !strcmp(fps->value, "max");
    if (!p->fps_max && ydoc_quantity(L->d, fps, UNIT_FPS, &p->fps, L->err))
        return L->err->code;
    if (!p->fps_max && !(p->fps > 0))
        return ydoc_error(L->d, fps, L->err, "the frame rate must be positive (or max)");
    p->sources = malloc(sizeof(int) * ((size_t)s->n_nodes + (size_t)s->n_switches + 1));
    if (!p->sources)
        return error_set(L->err, PS_ERR_NOMEM, "out of memory");
    p->n_sources = match_endpoints(s, pat, p->sources, s->n_nodes + s->n_switches);
    for (int i = 0; i < p->n_sources; i++)
        if (p->sources[i] >= s->n_nodes)
            return ydoc_error(L->d, nodes, L->err, "'%s' is a switch: cameras are nodes", pat);
    if (!p->n_sources)
        return ydoc_error(L->d, nodes, L->err, "no node '%s' (a node name, a group name, or "
                          "'group*')", pat);
    if (((n = ydoc_get(src, "jitter")) && ydoc_quantity(L->d, n, UNIT_SECONDS, &p->jitter_s, L->err)) ||
        ((n = ydoc_get(src, "start")) && ydoc_quantity(L->d, n, UNIT_SECONDS, &p->start_s, L->err)) ||
        ((n = ydoc_get(src, "frames")) && ydoc_int(L->d, n, 1, INT64_C(1) << 40, &p->frames, L->err)))
        return L->err->code;
    if (p->fps_max && (ydoc_get(src, "jitter") || ydoc_get(src, "phase")))
        return ydoc_error(L->d, ydoc_get(src, "jitter") ? ydoc_get(src, "jitter")
                                                        : ydoc_get(src, "phase"),
                          L->err, "fps: max captures as soon as the previous frame has left "
                          "the camera: it takes neither jitter nor phase");
    if (!p->fps_max && (p->jitter_s < 0 || p->jitter_s >= 1.0 / p->fps))
        return ydoc_error(L->d, ydoc_get(src, "jitter"), L->err, "jitter must be 0 or more and "
                          "less than the frame period (%.6g s)", 1.0 / p->fps);
    if (p->start_s < 0)
        return ydoc_error(L->d, ydoc_get(src, "start"), L->err, "start must be 0 or more");
    if (p->fps_max && !p->frames && s->duration_s <= 0)
        return ydoc_error(L->d, fps, L->err, "fps: max needs an end: the source's 'frames' or "
                          "the scenario's 'duration'");
    return load_phase(L, ydoc_get(src, "phase"), p);
}

int64_t scenario_stage_batch(const scenario *s, int pipeline, int stage, int node)
{
    const scn_pipeline *pl = &s->pipelines[pipeline];
    const scn_stage *st = &pl->stages[stage], *prev = stage ? &pl->stages[stage - 1] : NULL;
    int first = !prev ? 0 : prev->policy == CUT_FIXED ? prev->end : prev->auto_first;
    int end = st->policy == CUT_FIXED ? st->end : st->auto_last;
    return scenario_accel_batch(&s->accels[s->nodes[node].accel], first, end);
}

/* A stage collects its batch in its queue: the queue must hold one. */
static int check_batch_queue(loader *L, const ynode *pipeline, const ynode *queue,
                             const scn_pipeline *p)
{
    const scenario *s = L->s;
    for (int k = 0; k < p->n_stages; k++)
        for (int m = 0; m < p->stages[k].node_group_size; m++) {
            int node = p->stages[k].node_group_first + m;
            int64_t b = scenario_stage_batch(s, (int)(p - s->pipelines), k, node);
            if (b <= p->queue_depth)
                continue;
            const ynode *at = ydoc_get(queue, "depth") ? ydoc_get(queue, "depth")
                              : queue ? queue : pipeline;
            const scn_accel *acc = &s->accels[s->nodes[node].accel];
            return ydoc_error(L->d, at, L->err, "stage %d runs batches of %lld frames on '%s' "
                              "(accelerator '%s'), collected in its queue: the queue depth "
                              "(%d) must be at least %lld", k, (long long)b,
                              s->nodes[node].name, acc->name, p->queue_depth, (long long)b);
        }
    return 0;
}

static const char *const DISPATCH_NAMES[] = {"static", "round-robin", "least-loaded", NULL};

const char *scenario_dispatch_name(scn_dispatch d) { return DISPATCH_NAMES[d]; }

static int load_dispatch(loader *L, const ynode *n, scn_stage *g)
{
    g->dispatch = DISPATCH_STATIC;
    if (!n)
        return 0;
    const char *v;
    if (ydoc_string(L->d, n, &v, L->err))
        return L->err->code;
    for (int i = 0; DISPATCH_NAMES[i]; i++)
        if (!strcmp(v, DISPATCH_NAMES[i])) {
            g->dispatch = (scn_dispatch)i;
            return 0;
        }
    const char *near = suggest_closest(v, DISPATCH_NAMES, SUGGEST_NULL_TERMINATED);
    return ydoc_error(L->d, n, L->err, "dispatch must be static, round-robin or least-loaded, "
                      "got '%s'%s%s%s", v, near ? "; did you mean '" : "", near ? near : "",
                      near ? "'?" : "");
}

static int load_stages(loader *L, const ynode *list, scn_pipeline *p)
{
    static const char *const KEYS[] = {"node", "until", "dispatch", NULL};
    scenario *s = L->s;
    if (list_of(L, list, "stages"))
        return L->err->code;
    if (list->n < 1 || list->n > SCN_MAX_STAGES)
        return ydoc_error(L->d, list, L->err, "a pipeline has 1 to %d stages, got %d",
                          SCN_MAX_STAGES, list->n);
    int prev = 0;
    for (int k = 0; k < list->n; k++) {
        const ynode *st = list->items[k], *node, *until;
        scn_stage *g = &p->stages[k];
        char group[SCN_NAME];
        if (ydoc_check_keys(L->d, st, KEYS, "a stage", L->err) ||
            required(L, st, "node", "a stage", &node) ||
            name_of(L, node, group, "a stage's node"))
            return L->err->code;
        if (load_dispatch(L, ydoc_get(st, "dispatch"), g))
            return L->err->code;
        g->node_group_first = -1;
        for (int i = 0; i < s->n_nodes; i++)
            if (!strcmp(s->nodes[i].group, group) || !strcmp(s->nodes[i].name, group)) {
                if (g->node_group_first < 0)
                    g->node_group_first = i;
                g->node_group_size++;
            }
        if (g->node_group_first < 0)
            return ydoc_error(L->d, node, L->err, "no node or node group '%s'", group);
        snprintf(g->group, sizeof g->group, "%s", group);
        until = ydoc_get(st, "until");
        bool last = k == list->n - 1;
        if (last) {
            if (until)
                return ydoc_error(L->d, until, L->err, "the last stage runs the rest of the "
                                  "model: it takes no 'until'");
            g->end = s->cuts.n_sched;
        } else {
            if (!until)
                return ydoc_error(L->d, st, L->err, "stage %d needs 'until' (a layer name, a "
                                  "cut index, or auto)", k);
            if (parse_until(L, until, g))
                return L->err->code;
            int lo = g->policy == CUT_FIXED ? g->end : g->auto_first;
            if (lo < prev)
                return ydoc_error(L->d, until, L->err, "stage %d ends at position %d, before "
                                  "the previous stage's end (%d)", k, lo, prev);
            prev = g->policy == CUT_FIXED ? g->end : g->auto_last;
        }
    }
    p->n_stages = list->n;
    return 0;
}

static int load_pipeline(loader *L, const ynode *n, scn_pipeline *p)
{
    static const char *const KEYS[] = {"name", "source", "stages", "queue", "deadline",
                                       "result", "compression", NULL};
    const ynode *nm, *src, *stages, *q, *v;
    if (ydoc_check_keys(L->d, n, KEYS, "a pipeline", L->err) ||
        required(L, n, "name", "a pipeline", &nm) || name_of(L, nm, p->name, "a pipeline name") ||
        required(L, n, "source", "a pipeline", &src) || load_source(L, src, p) ||
        required(L, n, "stages", "a pipeline", &stages) || load_stages(L, stages, p))
        return L->err->code;
    p->queue_depth = 4;
    p->policy = QUEUE_DROP_OLDEST;
    if (((q = ydoc_get(n, "queue")) && load_queue(L, q, "queue", &p->queue_depth, &p->policy)) ||
        check_batch_queue(L, n, q, p))
        return L->err->code;
    if (((v = ydoc_get(n, "deadline")) && ydoc_quantity(L->d, v, UNIT_SECONDS, &p->deadline_s, L->err)) ||
        ((v = ydoc_get(n, "result")) && ydoc_quantity(L->d, v, UNIT_BYTES, &p->result_bytes, L->err)))
        return L->err->code;
    p->compress = COMPRESS_RLC; /* NeuPart Sec. IV-D.2: what leaves the accelerator is RLC coded */
    if ((v = ydoc_get(n, "compression"))) {
        const char *c;
        if (ydoc_string(L->d, v, &c, L->err))
            return L->err->code;
        char *end;
        double r = strtod(c, &end);
        if (!strcmp(c, "raw"))
            p->compress = COMPRESS_RAW;
        else if (!strcmp(c, "rlc"))
            p->compress = COMPRESS_RLC;
        else if (end != c && !*end && r >= 1) {
            p->compress = COMPRESS_RATIO;
            p->compress_ratio = r;
        } else
            return ydoc_error(L->d, v, L->err, "compression is raw, rlc or a ratio >= 1 "
                              "(e.g. 4), got '%s'", c);
    }
    return 0;
}

/* ---- the whole file ---- */

static int load_root(loader *L)
{
    static const char *const KEYS[] = {"name", "seed", "duration", "fidelity", "workload",
                                       "accelerators", "nodes", "network", "pipelines",
                                       "trace", NULL};
    const ydoc *d = L->d;
    scenario *s = L->s;
    const ynode *r = d->root, *v;
    if (!r)
        return ydoc_error(d, NULL, L->err, "empty file: expected a scenario (see "
                          "docs/SCENARIOS.md and platforms/examples/)");
    if (ydoc_check_keys(d, r, KEYS, "the scenario", L->err))
        return L->err->code;
    snprintf(s->name, sizeof s->name, "scenario");
    s->trace_frames = true;
    if ((v = ydoc_get(r, "name")) && name_of(L, v, s->name, "the scenario name"))
        return L->err->code;
    int64_t seed = 1;
    if ((v = ydoc_get(r, "seed")) && ydoc_int(d, v, 0, INT64_MAX, &seed, L->err))
        return L->err->code;
    s->seed = (uint64_t)seed;
    if ((v = ydoc_get(r, "duration")) && ydoc_quantity(d, v, UNIT_SECONDS, &s->duration_s, L->err))
        return L->err->code;
    if (v && !(s->duration_s > 0))
        return ydoc_error(d, v, L->err, "duration must be positive");
    if ((v = ydoc_get(r, "fidelity"))) {
        const char *f;
        if (ydoc_string(d, v, &f, L->err))
            return L->err->code;
        if (!strcmp(f, "layer"))
            s->fidelity = FIDELITY_LAYER;
        else if (!strcmp(f, "tile"))
            s->fidelity = FIDELITY_TILE;
        else
            return ydoc_error(d, v, L->err, "fidelity must be layer or tile, got '%s'", f);
    }
    if ((v = ydoc_get(r, "trace"))) {
        static const char *const TKEYS[] = {"path", "events", "frames", NULL};
        const ynode *t;
        if (ydoc_check_keys(d, v, TKEYS, "trace", L->err))
            return L->err->code;
        if ((t = ydoc_get(v, "path"))) {
            const char *p;
            if (ydoc_string(d, t, &p, L->err))
                return L->err->code;
            snprintf(s->trace_path, sizeof s->trace_path, "%s", p);
        }
        if ((t = ydoc_get(v, "events")) && ydoc_bool(d, t, &s->trace_events, L->err))
            return L->err->code;
        if ((t = ydoc_get(v, "frames")) && ydoc_bool(d, t, &s->trace_frames, L->err))
            return L->err->code;
    }
    const ynode *w, *acc, *nodes, *net, *pipes;
    if (required(L, r, "workload", "the scenario", &w) || load_workload(L, w) ||
        required(L, r, "accelerators", "the scenario", &acc) || load_accels(L, acc) ||
        required(L, r, "nodes", "the scenario", &nodes) || load_nodes(L, nodes))
        return L->err->code;
    if ((net = ydoc_get(r, "network")) && load_network(L, net))
        return L->err->code;
    if (required(L, r, "pipelines", "the scenario", &pipes) ||
        list_of(L, pipes, "pipelines"))
        return L->err->code;
    s->pipelines = calloc((size_t)pipes->n + 1, sizeof *s->pipelines);
    if (!s->pipelines)
        return error_set(L->err, PS_ERR_NOMEM, "out of memory");
    for (int k = 0; k < pipes->n; k++) {
        scn_pipeline *p = &s->pipelines[s->n_pipelines++];
        if (load_pipeline(L, pipes->items[k], p))
            return L->err->code;
        for (int j = 0; j < k; j++)
            if (!strcmp(s->pipelines[j].name, p->name))
                return ydoc_error(d, ydoc_get(pipes->items[k], "name"), L->err,
                                  "two pipelines are named '%s'", p->name);
        if (!s->duration_s && !p->frames)
            return ydoc_error(d, pipes->items[k], L->err, "the run needs an end: give the "
                              "scenario a 'duration' or this source a frame count ('frames')");
    }
    if (pipes->n == 0)
        return ydoc_error(d, pipes, L->err, "a scenario needs at least one pipeline");
    return 0;
}

int scenario_load(const char *path, const char *const *sets, int n_sets, scenario *out,
                  ps_error *err)
{
    memset(out, 0, sizeof *out);
    ydoc *d;
    if (ydoc_load_file(path, &d, err))
        return err->code;
    for (int i = 0; i < n_sets; i++)
        if (ydoc_set(d, sets[i], err)) {
            ydoc_free(d);
            return error_prefix(err, "%s", path);
        }
    loader L = {.d = d, .s = out, .err = err};
    char tmp[1024];
    snprintf(tmp, sizeof tmp, "%s", path);
    snprintf(L.dir, sizeof L.dir, "%s", dirname(tmp));
    out->path = strdup(path);
    out->text = ydoc_emit(d);
    int rc = !out->path || !out->text ? error_set(err, PS_ERR_NOMEM, "out of memory")
                                      : add_input(&L, path) ? (int)err->code : load_root(&L);
    ydoc_free(d);
    if (rc)
        scenario_free(out);
    return rc;
}
