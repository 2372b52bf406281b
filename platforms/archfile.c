/* YAML -> accel_arch.  Each section of the format has its own small parser;
 * a key that is absent leaves the value as it was (the preset's, or 0), and
 * arch_validate() then checks the whole. */
#include "platforms/archfile.h"

#include "base/datadir.h"
#include "platforms/presets.h"

#include <libgen.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#ifndef PARTSIM_PRESETS_DIR
#define PARTSIM_PRESETS_DIR "platforms/presets"
#endif

const char *archfile_presets_dir(void)
{
    static char dir[4096];
    return datadir_find("PARTSIM_PRESETS", "presets", PARTSIM_PRESETS_DIR, dir, sizeof dir);
}

void archfile_preset_names(char *buf, size_t size)
{
    presets_list(archfile_presets_dir(), buf, size);
}

/* ---- small typed readers: each sets *out only when the key is present ---- */

typedef struct {
    const ydoc *d;
    ps_error *err;
} reader;

static int get_q(reader *r, const ynode *map, const char *key, unit_kind kind, double *out)
{
    const ynode *n = ydoc_get(map, key);
    return n ? ydoc_quantity(r->d, n, kind, out, r->err) : 0;
}

static int get_i(reader *r, const ynode *map, const char *key, int64_t lo, int64_t hi, int *out)
{
    const ynode *n = ydoc_get(map, key);
    int64_t v;
    if (!n)
        return 0;
    if (ydoc_int(r->d, n, lo, hi, &v, r->err))
        return r->err->code;
    *out = (int)v;
    return 0;
}

static int get_bytes(reader *r, const ynode *map, const char *key, int64_t *out)
{
    double v;
    const ynode *n = ydoc_get(map, key);
    if (!n)
        return 0;
    if (ydoc_quantity(r->d, n, UNIT_BYTES, &v, r->err))
        return r->err->code;
    if (v < 1 || v > 1e15)
        return ydoc_error(r->d, n, r->err, "'%s' is not a size from 1 B to 1 PB", n->value);
    *out = (int64_t)(v + 0.5);
    return 0;
}

/* A section (a nested mapping) with its allowed keys; NULL when absent. */
static int section(reader *r, const ynode *map, const char *key, const char *const *keys,
                   const char *what, const ynode **out)
{
    *out = ydoc_get(map, key);
    return *out ? ydoc_check_keys(r->d, *out, keys, what, r->err) : 0;
}

/* Key `key` of `map`, a string that must be one of `names` (NULL-terminated):
 * its index into *out (left as it is when the key is absent), or an error
 * "unknown KEY 'x' (expected a, b or c)". */
static int get_choice(reader *r, const ynode *map, const char *key, const char *const *names,
                      int *out)
{
    const ynode *n = ydoc_get(map, key);
    const char *s;
    if (!n)
        return 0;
    if (ydoc_string(r->d, n, &s, r->err))
        return r->err->code;
    char expected[256] = "";
    size_t len = 0;
    for (int k = 0; names[k]; k++) {
        if (!strcmp(s, names[k])) {
            *out = k;
            return 0;
        }
        const char *sep = k == 0 ? "" : names[k + 1] ? ", " : " or ";
        int w = snprintf(expected + len, sizeof expected - len, "%s%s", sep, names[k]);
        len += w > 0 && (size_t)w < sizeof expected - len ? (size_t)w : 0;
    }
    return ydoc_error(r->d, n, r->err, "unknown %s '%s' (expected %s)", key, s, expected);
}

/* cnnergy: {throughput: 23.1 GMAC/s, clock_power: 0.1063 W} (compat: cnnergy) */
static int parse_cnnergy(reader *r, const ynode *map, arch_cnnergy *c)
{
    static const char *const KEYS[] = {"throughput", "clock_power", NULL};
    const ynode *n;
    return section(r, map, "cnnergy", KEYS, "cnnergy (throughput, clock_power)", &n) ||
           get_q(r, n, "throughput", UNIT_MACS_PER_S, &c->macs_per_s) ||
           get_q(r, n, "clock_power", UNIT_WATTS, &c->clock_power_w);
}

/* technology: {node: 65 nm, vdd: 1.0 V} */
static int parse_tech(reader *r, const ynode *map, const char *what, double *node, double *vdd)
{
    static const char *const KEYS[] = {"node", "vdd", NULL};
    const ynode *t;
    int rc = section(r, map, "technology", KEYS, what, &t);
    if (rc || !t)
        return rc;
    return get_q(r, t, "node", UNIT_NANOMETERS, node) || get_q(r, t, "vdd", UNIT_VOLTS, vdd);
}

/* energy: {mac, reference: {node, vdd}, reference_bits, mult_share,
 *          relative: {rf, interpe, glb, dram} | access: {rf, interpe, glb, dram}} */
static int parse_energy(reader *r, const ynode *map, accel_arch *a)
{
    static const char *const KEYS[] = {"mac", "reference", "reference_bits", "mult_share",
                                       "relative", "access", NULL};
    static const char *const LEVELS[] = {"rf", "interpe", "glb", "dram", NULL};
    const ynode *e;
    int rc = section(r, map, "energy", KEYS, "energy", &e);
    if (rc || !e)
        return rc;
    int64_t ref_bits = a->ref_bits;
    const ynode *rb = ydoc_get(e, "reference_bits");
    if (rb && ydoc_int(r->d, rb, 1, 64, &ref_bits, r->err))
        return r->err->code;
    a->ref_bits = (int)ref_bits;
    double mac = 0;
    const ynode *mac_node = ydoc_get(e, "mac");
    if (mac_node) {
        if (ydoc_quantity(r->d, mac_node, UNIT_JOULES, &mac, r->err))
            return r->err->code;
        /* NeuPart Sec. V: the MAC energy is given in a reference technology
         * and scaled by s = (node / ref node) (VDD / ref VDD)^2 */
        const ynode *ref = ydoc_get(e, "reference");
        double scale = 1.0;
        if (ref) {
            static const char *const RKEYS[] = {"node", "vdd", NULL};
            double rn = 0, rv = 0;
            if (ydoc_check_keys(r->d, ref, RKEYS, "energy reference", r->err) ||
                get_q(r, ref, "node", UNIT_NANOMETERS, &rn) || get_q(r, ref, "vdd", UNIT_VOLTS, &rv))
                return r->err->code;
            if (!(rn > 0 && rv > 0 && a->tech_nm > 0 && a->vdd_v > 0))
                return ydoc_error(r->d, ref, r->err, "scaling the MAC energy needs a positive "
                                  "reference node and vdd, and the architecture's technology "
                                  "(technology: {node, vdd})");
            scale = arch_tech_scale(a->tech_nm, a->vdd_v, rn, rv);
        }
        a->e_mac_ref_j = mac * scale;
    }
    if (get_q(r, e, "mult_share", UNIT_NONE, &a->mac_mult_share))
        return r->err->code;
    const ynode *rel, *abs;
    if (section(r, e, "relative", LEVELS, "energy relative", &rel) ||
        section(r, e, "access", LEVELS, "energy access", &abs))
        return r->err->code;
    if (rel && abs)
        return ydoc_error(r->d, abs, r->err, "give either 'relative' (multiples of a MAC) or "
                          "'access' (energies per access), not both");
    for (int l = 0; l < MEM_LEVELS; l++) {
        if (rel && get_q(r, rel, LEVELS[l], UNIT_NONE, &a->e_rel[l]))
            return r->err->code;
        double j;
        const ynode *n = abs ? ydoc_get(abs, LEVELS[l]) : NULL;
        if (n) {
            if (ydoc_quantity(r->d, n, UNIT_JOULES, &j, r->err))
                return r->err->code;
            if (!(a->e_mac_ref_j > 0))
                return ydoc_error(r->d, n, r->err, "access energies need the MAC energy "
                                  "(energy: mac) first");
            a->e_rel[l] = j / a->e_mac_ref_j;
        }
    }
    return 0;
}

static int parse_rowstat(reader *r, const ynode *map, arch_rowstat *rs)
{
    static const char *const PE[] = {"rows", "cols", "array_efficiency", NULL};
    static const char *const RF[] = {"filter", "ifmap", "psum", "word_bits", NULL};
    static const char *const GLB[] = {"size", "activations", "bytes_per_cycle", NULL};
    const ynode *pe, *rf, *glb;
    if (section(r, map, "pe_array", PE, "pe_array (row-stationary: rows, cols)", &pe) ||
        section(r, map, "rf", RF, "rf (words per PE)", &rf) ||
        section(r, map, "glb", GLB, "glb", &glb))
        return r->err->code;
    return get_i(r, pe, "rows", 1, 4096, &rs->rows) || get_i(r, pe, "cols", 1, 4096, &rs->cols) ||
           get_q(r, pe, "array_efficiency", UNIT_NONE, &rs->array_efficiency) ||
           get_i(r, rf, "filter", 1, 1 << 20, &rs->filter_rf_words) ||
           get_i(r, rf, "ifmap", 1, 1 << 20, &rs->ifmap_rf_words) ||
           get_i(r, rf, "psum", 1, 1 << 20, &rs->psum_rf_words) ||
           get_i(r, rf, "word_bits", 1, 64, &rs->rf_word_bits) ||
           get_bytes(r, glb, "size", &rs->glb_bytes) ||
           get_bytes(r, glb, "activations", &rs->glb_act_bytes) ||
           get_q(r, glb, "bytes_per_cycle", UNIT_NONE, &rs->glb_bytes_per_cycle);
}

static int parse_weightstat(reader *r, const ynode *map, arch_weightstat *ws)
{
    static const char *const PE[] = {"pes", "lanes", "vector_width", NULL};
    static const char *const BUF[] = {"weight", "input", "accumulation", "global", NULL};
    const ynode *pe, *buf;
    if (section(r, map, "pe_array", PE, "pe_array (weight-stationary: pes, lanes, vector_width)",
                &pe) ||
        section(r, map, "buffers", BUF, "buffers", &buf))
        return r->err->code;
    return get_i(r, pe, "pes", 1, 1 << 20, &ws->pes) ||
           get_i(r, pe, "lanes", 1, 4096, &ws->lanes) ||
           get_i(r, pe, "vector_width", 1, 4096, &ws->vector_width) ||
           get_bytes(r, buf, "weight", &ws->weight_buf_bytes) ||
           get_bytes(r, buf, "input", &ws->input_buf_bytes) ||
           get_bytes(r, buf, "accumulation", &ws->accum_buf_bytes) ||
           get_bytes(r, buf, "global", &ws->global_buf_bytes);
}

static int parse_profile(reader *r, const ynode *map, const char *base_dir, arch_measured *m)
{
    const ynode *n = ydoc_get(map, "profile");
    const char *p;
    if (!n)
        return 0;
    if (ydoc_string(r->d, n, &p, r->err))
        return r->err->code;
    int len = p[0] == '/' || !base_dir || !*base_dir
                  ? snprintf(m->profile_path, sizeof m->profile_path, "%s", p)
                  : snprintf(m->profile_path, sizeof m->profile_path, "%s/%s", base_dir, p);
    if (len < 0 || (size_t)len >= sizeof m->profile_path)
        return ydoc_error(r->d, n, r->err, "the profile path is too long");
    return 0;
}

/* Keys every kind may have, then the kind's own. */
static const char *const KEYS_COMMON[] = {"name", "kind", "preset", "clock", "bits", "psum_bits",
                                          "technology", "dram", "energy", "clock_network",
                                          "other_ctrl_share", "static_power", "pe_array", "rf",
                                          "glb", "buffers", "peak", "efficiency",
                                          "active_power", "idle_power", "profile", "source",
                                          "compat", "cnnergy", NULL};

static int parse_fields(reader *r, const ynode *n, const char *base_dir, accel_arch *a)
{
    static const char *const DRAM[] = {"bandwidth", NULL};
    static const char *const CLK[] = {"capacitance", "leakage", NULL};
    /* arch_kind and arch_compat, in their enums' order */
    static const char *const KINDS[] = {"row-stationary", "weight-stationary", "roofline",
                                        "measured", NULL};
    static const char *const COMPATS[] = {"none", "cnnergy", NULL};
    int kind = (int)a->kind, compat = (int)a->compat;
    if (get_choice(r, n, "kind", KINDS, &kind) || get_choice(r, n, "compat", COMPATS, &compat))
        return r->err->code;
    a->kind = (arch_kind)kind, a->compat = (arch_compat)compat;
    const ynode *dram, *clk;
    if (get_q(r, n, "clock", UNIT_HZ, &a->clock_hz) ||
        get_i(r, n, "bits", 1, 64, &a->bits) || get_i(r, n, "psum_bits", 1, 64, &a->psum_bits) ||
        parse_tech(r, n, "technology", &a->tech_nm, &a->vdd_v) ||
        section(r, n, "dram", DRAM, "dram", &dram) ||
        get_q(r, dram, "bandwidth", UNIT_BYTES_PER_S, &a->dram_bw_bytes_per_s) ||
        parse_energy(r, n, a) || section(r, n, "clock_network", CLK, "clock_network", &clk) ||
        get_q(r, clk, "capacitance", UNIT_FARADS, &a->clock_cap_f) ||
        get_q(r, clk, "leakage", UNIT_WATTS, &a->clock_leak_w) ||
        get_q(r, n, "other_ctrl_share", UNIT_NONE, &a->other_ctrl_share) ||
        get_q(r, n, "static_power", UNIT_WATTS, &a->static_power_w))
        return r->err->code;
    /* sections that belong to one kind only */
    static const struct {
        const char *key;
        arch_kind kind;
    } OWN[] = {{"rf", ARCH_ROW_STATIONARY},  {"glb", ARCH_ROW_STATIONARY},
               {"compat", ARCH_ROW_STATIONARY}, {"cnnergy", ARCH_ROW_STATIONARY},
               {"buffers", ARCH_WEIGHT_STATIONARY}, {"peak", ARCH_ROOFLINE},
               {"efficiency", ARCH_ROOFLINE}, {"active_power", ARCH_ROOFLINE},
               {"profile", ARCH_MEASURED}};
    for (size_t i = 0; i < sizeof OWN / sizeof OWN[0]; i++) {
        const ynode *key = ydoc_key(n, OWN[i].key);
        if (key && a->kind != OWN[i].kind)
            return ydoc_error(r->d, key, r->err, "'%s' belongs to a %s architecture, this one "
                              "is %s", OWN[i].key, arch_kind_name(OWN[i].kind),
                              arch_kind_name(a->kind));
    }
    if (parse_cnnergy(r, n, &a->cnnergy))
        return r->err->code;
    const ynode *cn = ydoc_key(n, "cnnergy");
    if (cn && a->compat != ARCH_COMPAT_CNNERGY)
        return ydoc_error(r->d, cn, r->err, "'cnnergy' holds the constants of compat: cnnergy; "
                          "this architecture is compat: %s", arch_compat_name(a->compat));
    switch (a->kind) {
    case ARCH_ROW_STATIONARY: return parse_rowstat(r, n, &a->u.rs);
    case ARCH_WEIGHT_STATIONARY: return parse_weightstat(r, n, &a->u.ws);
    case ARCH_ROOFLINE:
        return get_q(r, n, "peak", UNIT_MACS_PER_S, &a->u.roof.peak_macs_per_s) ||
               get_q(r, n, "efficiency", UNIT_NONE, &a->u.roof.efficiency) ||
               get_q(r, n, "active_power", UNIT_WATTS, &a->u.roof.active_power_w) ||
               get_q(r, n, "idle_power", UNIT_WATTS, &a->u.roof.idle_power_w);
    case ARCH_MEASURED:
        return parse_profile(r, n, base_dir, &a->u.meas) ||
               get_q(r, n, "idle_power", UNIT_WATTS, &a->u.meas.idle_power_w);
    }
    return 0;
}

/* Defaults every architecture starts from (before a preset or the file). */
static void arch_defaults(accel_arch *a)
{
    memset(a, 0, sizeof *a);
    a->bits = 16;
    a->ref_bits = 16;
    a->mac_mult_share = 0.8;
    a->other_ctrl_share = 0.15; /* NeuPart Sec. IV-D.3 */
    a->e_rel[MEM_RF] = 1, a->e_rel[MEM_INTERPE] = 2, a->e_rel[MEM_GLB] = 6;
    a->e_rel[MEM_DRAM] = 200;   /* NeuPart Table III */
    a->u.rs.array_efficiency = 1.0;
}

static int load_depth(const char *spec, accel_arch *out, int depth, ps_error *err);

static int arch_from_yaml_depth(const ydoc *d, const ynode *n, const char *base_dir,
                                const char *name, accel_arch *out, int depth, ps_error *err)
{
    reader r = {d, err};
    if (ydoc_check_keys(d, n, KEYS_COMMON, "architecture", err))
        return err->code;
    const char *preset;
    if (presets_base(d, n, depth, &preset, err))
        return err->code;
    if (preset) {
        if (load_depth(preset, out, depth + 1, err))
            return ydoc_error(d, ydoc_get(n, "preset"), err, "preset '%s': %s", preset,
                              err->msg);
    } else {
        arch_defaults(out);
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
    if (parse_fields(&r, n, base_dir, out))
        return err->code;
    if (!ydoc_get(n, "psum_bits") && !preset)
        out->psum_bits = out->bits;
    /* a COTS device's clock only converts its latency to cycles: 1 GHz nominal */
    if ((out->kind == ARCH_ROOFLINE || out->kind == ARCH_MEASURED) && out->clock_hz == 0)
        out->clock_hz = 1e9;
    if (out->kind == ARCH_ROW_STATIONARY && out->u.rs.array_efficiency == 0)
        out->u.rs.array_efficiency = 1.0; /* a preset of another kind left it unset */
    if (out->kind != ARCH_ROW_STATIONARY)
        out->compat = ARCH_COMPAT_NONE;   /* a row-stationary preset's, not this kind's */
    if (arch_validate(out, err))
        return ydoc_error(d, n, err, "%s", err->msg);
    return 0;
}

int archfile_from_yaml(const ydoc *d, const ynode *n, const char *base_dir, const char *name,
                   accel_arch *out, ps_error *err)
{
    return arch_from_yaml_depth(d, n, base_dir, name, out, 0, err);
}

static int load_depth(const char *spec, accel_arch *out, int depth, ps_error *err)
{
    char path[4096], dir[4096];
    bool is_file;
    ydoc *d;
    if (presets_open(spec, archfile_presets_dir(), "architecture", &d, path, sizeof path, &is_file,
                     err))
        return err->code;
    snprintf(dir, sizeof dir, "%s", path);
    int rc = arch_from_yaml_depth(d, d->root, dirname(dir), NULL, out, depth, err);
    ydoc_free(d);
    return rc;
}

int archfile_load(const char *spec, accel_arch *out, ps_error *err)
{
    return load_depth(spec, out, 0, err);
}
