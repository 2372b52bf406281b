/* YAML -> link_type.  A key that is absent leaves the value as it was (the
 * preset's, or the default), and link_validate() then checks the whole.
 *
 *   name: 1000BASE-T          kind: ethernet | wireless | c2c
 *   preset: NAME              source: free text (ignored)
 *   rate: 1 Gbps              full_duplex: true     latency: 0 s
 *   ethernet: power: {active, idle, lpi}   eee: {wake, sleep}   mtu: 1500 B
 *   wireless: tx_power, rx_power
 *   c2c:      lanes, lane_rate, energy_per_bit   (rate = lanes * lane_rate) */
#include "platforms/linkfile.h"

#include "platforms/presets.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "platforms/archfile.h"

const char *linkfile_presets_dir(void)
{
    static char dir[4096];
    snprintf(dir, sizeof dir, "%s/links", archfile_presets_dir());
    return dir;
}

void linkfile_preset_names(char *buf, size_t size)
{
    presets_list(linkfile_presets_dir(), buf, size);
}

/* A quantity >= 0 under `key` of `map`, set only when present. */
static int get_q(const ydoc *d, const ynode *map, const char *key, unit_kind kind, double *out,
                 ps_error *err)
{
    const ynode *n = ydoc_get(map, key);
    double v;
    if (!n)
        return 0;
    if (ydoc_quantity(d, n, kind, &v, err))
        return err->code;
    if (v < 0)
        return ydoc_error(d, n, err, "'%s' is negative: %s must be >= 0", n->value, key);
    *out = v;
    return 0;
}

static int get_section(const ydoc *d, const ynode *map, const char *key,
                       const char *const *keys, const ynode **out, ps_error *err)
{
    *out = ydoc_get(map, key);
    return *out ? ydoc_check_keys(d, *out, keys, key, err) : 0;
}

static int parse_kind(const ydoc *d, const ynode *n, link_kind *out, ps_error *err)
{
    static const char *const NAMES[] = {"ethernet", "wireless", "c2c", NULL};
    const char *s;
    if (ydoc_string(d, n, &s, err))
        return err->code;
    for (int k = 0; NAMES[k]; k++)
        if (!strcmp(s, NAMES[k])) {
            *out = (link_kind)k;
            return 0;
        }
    return ydoc_error(d, n, err, "unknown link kind '%s' (expected ethernet, wireless or c2c)",
                      s);
}

static const char *const KEYS[] = {"name", "kind", "preset", "source", "rate", "full_duplex",
                                   "latency", "power", "eee", "mtu", "tx_power", "rx_power",
                                   "lanes", "lane_rate", "energy_per_bit", NULL};

/* Keys that belong to one kind only. */
static const struct {
    const char *key;
    link_kind kind;
} OWN[] = {{"power", LINK_ETHERNET},   {"eee", LINK_ETHERNET},     {"mtu", LINK_ETHERNET},
           {"tx_power", LINK_WIRELESS}, {"rx_power", LINK_WIRELESS}, {"lanes", LINK_C2C},
           {"lane_rate", LINK_C2C},     {"energy_per_bit", LINK_C2C}};

static int parse_ethernet(const ydoc *d, const ynode *n, link_type *t, ps_error *err)
{
    static const char *const POWER[] = {"active", "idle", "lpi", NULL};
    static const char *const EEE[] = {"wake", "sleep", NULL};
    const ynode *p, *e, *mtu = ydoc_get(n, "mtu");
    if (get_section(d, n, "power", POWER, &p, err) || get_section(d, n, "eee", EEE, &e, err) ||
        get_q(d, p, "active", UNIT_WATTS, &t->phy_active_w, err) ||
        get_q(d, p, "idle", UNIT_WATTS, &t->phy_idle_w, err) ||
        get_q(d, p, "lpi", UNIT_WATTS, &t->phy_lpi_w, err) ||
        get_q(d, e, "wake", UNIT_SECONDS, &t->eee_wake_s, err) ||
        get_q(d, e, "sleep", UNIT_SECONDS, &t->eee_sleep_s, err))
        return err->code;
    if (p && ydoc_get(p, "active") && !ydoc_get(p, "idle"))
        t->phy_idle_w = t->phy_active_w; /* legacy PHYs send idle symbols at full power */
    if (mtu) {
        double b;
        if (ydoc_quantity(d, mtu, UNIT_BYTES, &b, err))
            return err->code;
        if (b < 46 || b > 9216)
            return ydoc_error(d, mtu, err, "mtu '%s' is not from 46 B to 9216 B", mtu->value);
        t->mtu_bytes = (int)(b + 0.5);
    }
    return 0;
}

static int parse_c2c(const ydoc *d, const ynode *n, link_type *t, ps_error *err)
{
    const ynode *lanes = ydoc_get(n, "lanes");
    if (lanes) {
        int64_t v;
        if (ydoc_int(d, lanes, 1, 4096, &v, err))
            return err->code;
        t->lanes = (int)v;
    }
    if (get_q(d, n, "lane_rate", UNIT_BITS_PER_S, &t->lane_rate_bps, err) ||
        get_q(d, n, "energy_per_bit", UNIT_JOULES, &t->energy_per_bit_j, err))
        return err->code;
    t->rate_bps = t->lanes * t->lane_rate_bps;
    return 0;
}

static int parse_fields(const ydoc *d, const ynode *n, link_type *t, ps_error *err)
{
    const ynode *k = ydoc_get(n, "kind"), *fd = ydoc_get(n, "full_duplex");
    if (k && parse_kind(d, k, &t->kind, err))
        return err->code;
    for (size_t i = 0; i < sizeof OWN / sizeof OWN[0]; i++) {
        const ynode *key = ydoc_key(n, OWN[i].key);
        if (key && t->kind != OWN[i].kind)
            return ydoc_error(d, key, err, "'%s' belongs to a %s link, this one is %s",
                              OWN[i].key, link_kind_name(OWN[i].kind), link_kind_name(t->kind));
    }
    if (fd && ydoc_bool(d, fd, &t->full_duplex, err))
        return err->code;
    const ynode *rate = ydoc_key(n, "rate");
    if (rate && t->kind == LINK_C2C)
        return ydoc_error(d, rate, err, "a c2c link's rate is lanes * lane_rate: give those "
                          "instead of 'rate'");
    if (get_q(d, n, "rate", UNIT_BITS_PER_S, &t->rate_bps, err) ||
        get_q(d, n, "latency", UNIT_SECONDS, &t->latency_s, err))
        return err->code;
    switch (t->kind) {
    case LINK_ETHERNET: return parse_ethernet(d, n, t, err);
    case LINK_WIRELESS:
        return get_q(d, n, "tx_power", UNIT_WATTS, &t->tx_power_w, err) ||
               get_q(d, n, "rx_power", UNIT_WATTS, &t->rx_power_w, err);
    case LINK_C2C: return parse_c2c(d, n, t, err);
    }
    return 0;
}

static int load_depth(const char *spec, link_type *out, int depth, ps_error *err);

static int from_yaml_depth(const ydoc *d, const ynode *n, const char *name, link_type *out,
                           int depth, ps_error *err)
{
    if (ydoc_expect_map(d, n, "link type", err) || ydoc_check_keys(d, n, KEYS, "link type", err))
        return err->code;
    const char *preset;
    if (presets_base(d, n, depth, &preset, err))
        return err->code;
    if (preset) {
        if (load_depth(preset, out, depth + 1, err))
            return ydoc_error(d, ydoc_get(n, "preset"), err, "preset '%s': %s", preset,
                              err->msg);
    } else {
        const ynode *k = ydoc_get(n, "kind");
        if (!k)
            return ydoc_error(d, n, err, "a link type needs 'kind' (ethernet, wireless or c2c) "
                              "or 'preset'");
        memset(out, 0, sizeof *out);
        out->mtu_bytes = 1500; /* IEEE 802.3 Clause 3: largest untagged MAC client data */
        if (parse_kind(d, k, &out->kind, err))
            return err->code;
        out->full_duplex = out->kind != LINK_WIRELESS;
    }
    if (name)
        snprintf(out->name, sizeof out->name, "%s", name);
    const ynode *nm = ydoc_get(n, "name");
    if (nm) {
        const char *s;
        if (ydoc_string(d, nm, &s, err))
            return err->code;
        snprintf(out->name, sizeof out->name, "%s", s);
    }
    if (!out->name[0])
        snprintf(out->name, sizeof out->name, "%s", d->path);
    if (parse_fields(d, n, out, err))
        return err->code;
    if (out->rate_bps == 0 && out->kind != LINK_C2C)
        return ydoc_error(d, n, err, "link type '%s' is missing 'rate' (its line rate, e.g. "
                          "'1 Gbps')", out->name);
    if (link_validate(out, err))
        return ydoc_error(d, n, err, "%s", err->msg);
    return 0;
}

int linkfile_from_yaml(const ydoc *d, const ynode *n, const char *name, link_type *out,
                        ps_error *err)
{
    return from_yaml_depth(d, n, name, out, 0, err);
}

static int load_depth(const char *spec, link_type *out, int depth, ps_error *err)
{
    char path[4096];
    bool is_file;
    ydoc *d;
    if (presets_open(spec, linkfile_presets_dir(), "link", &d, path, sizeof path, &is_file, err))
        return err->code;
    int rc = from_yaml_depth(d, d->root, is_file ? NULL : spec, out, depth, err);
    ydoc_free(d);
    return rc;
}

int linkfile_load(const char *spec, link_type *out, ps_error *err)
{
    return load_depth(spec, out, 0, err);
}
