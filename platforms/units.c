/* Unit parsing: a number, optional spaces, a unit from the kind's table. */
#include "platforms/units.h"

#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct {
    const char *name;
    double factor; /* to SI */
} unit_def;

#define END {NULL, 0}
static const unit_def BYTES[] = {
    {"B", 1}, {"KB", 1e3}, {"kB", 1e3}, {"MB", 1e6}, {"GB", 1e9}, {"TB", 1e12},
    {"KiB", 1024.0}, {"MiB", 1048576.0}, {"GiB", 1073741824.0}, {"TiB", 1099511627776.0},
    {"bit", 0.125}, {"kbit", 125.0}, {"Kbit", 125.0}, {"Mbit", 125e3}, {"Gbit", 125e6}, END};
static const unit_def HZ[] = {{"Hz", 1}, {"kHz", 1e3}, {"MHz", 1e6}, {"GHz", 1e9}, END};
/* rates in bytes per second */
static const unit_def RATE[] = {
    {"B/s", 1}, {"KB/s", 1e3}, {"kB/s", 1e3}, {"MB/s", 1e6}, {"GB/s", 1e9}, {"TB/s", 1e12},
    {"KiB/s", 1024.0}, {"MiB/s", 1048576.0}, {"GiB/s", 1073741824.0},
    {"bps", 0.125}, {"kbps", 125.0}, {"Kbps", 125.0}, {"Mbps", 125e3}, {"Gbps", 125e6},
    {"b/s", 0.125}, {"kb/s", 125.0}, {"Kb/s", 125.0}, {"Mb/s", 125e3}, {"Gb/s", 125e6},
    {"bit/s", 0.125}, {"kbit/s", 125.0}, {"Mbit/s", 125e3}, {"Gbit/s", 125e6}, END};
static const unit_def SECONDS[] = {{"s", 1},     {"ms", 1e-3}, {"us", 1e-6}, {"\xc2\xb5s", 1e-6},
                                   {"ns", 1e-9}, {"min", 60},  {"h", 3600},  END};
static const unit_def JOULES[] = {{"J", 1},     {"mJ", 1e-3},  {"uJ", 1e-6}, {"\xc2\xb5J", 1e-6},
                                  {"nJ", 1e-9}, {"pJ", 1e-12}, {"fJ", 1e-15}, END};
static const unit_def WATTS[] = {{"W", 1},      {"kW", 1e3},  {"mW", 1e-3}, {"uW", 1e-6},
                                 {"\xc2\xb5W", 1e-6}, {"nW", 1e-9}, END};
static const unit_def METERS[] = {{"m", 1}, {"cm", 1e-2}, {"mm", 1e-3}, {"km", 1e3}, END};
static const unit_def FARADS[] = {{"F", 1}, {"uF", 1e-6}, {"nF", 1e-9}, {"pF", 1e-12},
                                  {"fF", 1e-15}, END};
static const unit_def VOLTS[] = {{"V", 1}, {"mV", 1e-3}, END};
static const unit_def MACS[] = {
    {"MAC/s", 1}, {"kMAC/s", 1e3}, {"MMAC/s", 1e6}, {"GMAC/s", 1e9}, {"TMAC/s", 1e12},
    {"OPS", 0.5}, {"kOPS", 0.5e3}, {"MOPS", 0.5e6}, {"GOPS", 0.5e9}, {"TOPS", 0.5e12},
    {"FLOPS", 0.5}, {"GFLOPS", 0.5e9}, {"TFLOPS", 0.5e12}, END};
static const unit_def FPS[] = {{"fps", 1}, {"Hz", 1}, END};
static const unit_def NM[] = {{"nm", 1}, END};

typedef struct {
    const unit_def *units;
    const char *expected;
} kind_def;

static const kind_def KINDS[UNIT_COUNT_KINDS] = {
    [UNIT_NONE] = {NULL, "a plain number"},
    [UNIT_BYTES] = {BYTES, "a size such as '108 KiB' (B, KB, KiB, MB, MiB, GB, GiB; KB = 1000 B, "
                           "KiB = 1024 B)"},
    [UNIT_HZ] = {HZ, "a frequency such as '200 MHz' (Hz, kHz, MHz, GHz)"},
    [UNIT_BYTES_PER_S] = {RATE, "a rate such as '25.6 GB/s' or '1 Gbps' (B/s, KB/s, MB/s, GB/s, "
                                "GiB/s; bps, kbps, Mbps, Gbps)"},
    [UNIT_BITS_PER_S] = {RATE, "a rate such as '1 Gbps' or '25.6 GB/s' (bps, kbps, Mbps, Gbps; "
                               "B/s, KB/s, MB/s, GB/s)"},
    [UNIT_SECONDS] = {SECONDS, "a time such as '10 ms' (s, ms, us, ns, min, h)"},
    [UNIT_JOULES] = {JOULES, "an energy such as '0.95 pJ' (J, mJ, uJ, nJ, pJ, fJ)"},
    [UNIT_WATTS] = {WATTS, "a power such as '200 mW' (W, mW, uW, nW, kW)"},
    [UNIT_METERS] = {METERS, "a length such as '5 m' (m, cm, mm, km)"},
    [UNIT_FARADS] = {FARADS, "a capacitance such as '500 pF' (F, nF, pF, fF)"},
    [UNIT_VOLTS] = {VOLTS, "a voltage such as '1.0 V' (V, mV)"},
    [UNIT_MACS_PER_S] = {MACS, "a compute rate such as '1.4 TMAC/s' or '21 TOPS' (MAC/s, GMAC/s, "
                               "TMAC/s; OPS, GOPS, TOPS with 2 ops per MAC)"},
    [UNIT_FPS] = {FPS, "a frame rate such as '30 fps'"},
    [UNIT_NANOMETERS] = {NM, "a technology node such as '65 nm'"},
};

const char *units_expected(unit_kind kind)
{
    return kind < UNIT_COUNT_KINDS ? KINDS[kind].expected : "?";
}

int units_parse(const char *text, unit_kind kind, double *out, char *why, size_t why_size)
{
    if (kind >= UNIT_COUNT_KINDS)
        kind = UNIT_NONE;
    const char *p = text;
    while (isspace((unsigned char)*p))
        p++;
    errno = 0;
    char *end;
    double v = strtod(p, &end);
    if (end == p || errno == ERANGE || !isfinite(v)) {
        snprintf(why, why_size, "'%s' is not %s", text, KINDS[kind].expected);
        return -1;
    }
    /* strtod accepts "inf", "nan" and hex floats; a unit never starts that way */
    while (isspace((unsigned char)*end))
        end++;
    size_t len = strlen(end);
    while (len > 0 && isspace((unsigned char)end[len - 1]))
        len--;
    if (len == 0) {
        if (kind == UNIT_NONE) {
            *out = v;
            return 0;
        }
        snprintf(why, why_size, "'%s' has no unit: expected %s", text, KINDS[kind].expected);
        return -1;
    }
    for (const unit_def *u = KINDS[kind].units; u && u->name; u++) {
        if (strlen(u->name) == len && !strncmp(end, u->name, len)) {
            double f = u->factor;
            if (kind == UNIT_BITS_PER_S)
                f *= 8.0; /* the table is in bytes per second */
            *out = v * f;
            return 0;
        }
    }
    snprintf(why, why_size, "'%s': unknown unit '%.*s', expected %s", text, (int)(len > 40 ? 40 : len),
             end, KINDS[kind].expected);
    return -1;
}
