/* Quantities with units, as users write them in YAML and on the command
 * line ("108 KiB", "200 MHz", "25.6 GB/s", "1 Gbps", "0.95 pJ", "5 m").
 * Parsed only at the edges: everything inside partsim is SI (bytes, hertz,
 * bytes per second, bits per second, seconds, joules, watts, metres).
 *
 * Byte prefixes follow IEC / SI strictly: KiB = 1024 B, KB = 1000 B (the
 * same for Mi/M, Gi/G, Ti/T).  Rates: "B/s" forms are bytes per second,
 * "bps" and "b/s" forms bits per second; both convert to the quantity asked
 * for (UNIT_BYTES_PER_S or UNIT_BITS_PER_S).  A bare number is accepted only
 * for UNIT_NONE: a dimensioned value without its unit is an error that says
 * which units are expected. */
#ifndef PARTSIM_PLATFORMS_UNITS_H
#define PARTSIM_PLATFORMS_UNITS_H

#include <stddef.h>

typedef enum {
    UNIT_NONE,         /* a plain number */
    UNIT_BYTES,        /* B, KB, KiB, MB, MiB, GB, GiB; also bit, kbit, Mbit (/8) */
    UNIT_HZ,           /* Hz, kHz, MHz, GHz */
    UNIT_BYTES_PER_S,  /* B/s, KB/s, MB/s, GB/s, GiB/s, ...; bps, kbps, Mbps, Gbps, b/s (/8) */
    UNIT_BITS_PER_S,   /* the same units, expressed in bits per second */
    UNIT_SECONDS,      /* s, ms, us, ns, min, h */
    UNIT_JOULES,       /* J, mJ, uJ, nJ, pJ, fJ */
    UNIT_WATTS,        /* W, mW, uW, nW, kW */
    UNIT_METERS,       /* m, cm, mm, km */
    UNIT_FARADS,       /* F, nF, pF, fF */
    UNIT_VOLTS,        /* V, mV */
    UNIT_MACS_PER_S,   /* MAC/s, kMAC/s, GMAC/s, TMAC/s; OPS, GOPS, TOPS count 2 ops per MAC */
    UNIT_FPS,          /* fps, Hz */
    UNIT_NANOMETERS,   /* technology node: nm */
    UNIT_COUNT_KINDS
} unit_kind;

/* Parse `text` as a quantity of `kind` into SI.  On failure returns -1 and
 * writes into `why` what was expected ("a size such as '108 KiB' (units: B,
 * KB, KiB, ...)"). */
int units_parse(const char *text, unit_kind kind, double *out, char *why, size_t why_size);

/* What a quantity of `kind` looks like, for messages: "a size such as '108 KiB'". */
const char *units_expected(unit_kind kind);

#endif
