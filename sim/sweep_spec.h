/* The values a `partsim sweep` varies: one axis per `--vary KEY=SPEC`, and
 * the points of their grid (every combination, the first axis slowest) or,
 * with --zip, of their pairing (the i-th value of every axis together), each
 * repeated with `seeds` seeds.  A point is the scenario with `--set
 * KEY=VALUE` for every axis, so each value is kept as the text the scenario
 * takes; the numeric column (SI) is for the sweep's tables and plots.
 *
 * SPEC is one of
 *   V1,V2,...             a list: numbers, quantities ("100 Mbps") or any
 *                         text the key takes (link types, names, YAML flow
 *                         values: commas inside {...} and [...] do not
 *                         split, "{preset: wifi-n, rate: 5 Mbps}");
 *   START:STOP:STEP       arithmetic, STOP included when reached (up to
 *                         rounding): "1ms:4ms:1ms" is 1ms, 2ms, 3ms, 4ms;
 *   START:STOP:xFACTOR    geometric, FACTOR > 1 upwards or < 1 downwards:
 *                         "100Mbps:1Gbps:x2" is 100Mbps ... 800Mbps.
 * A SPEC without a comma but with a colon is a range (a single text value
 * holding a colon is a --set, not a sweep).  Range values are written in
 * START's unit as the user wrote it, so that they read like the command. */
#ifndef PARTSIM_SIM_SWEEP_SPEC_H
#define PARTSIM_SIM_SWEEP_SPEC_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "base/error.h"

/* Past these a sweep is a typo, not an experiment. */
#define SWEEP_SPEC_MAX_POINTS 100000000LL /* n_points of the whole sweep */
#define SWEEP_SPEC_MAX_VALUES 1000000     /* values on one axis */

/* One varied scenario value. */
typedef struct {
    char *key;        /* as given, e.g. "network.links.0.type", "pipelines.0.source.fps" */
    int n;            /* number of values (>= 1) */
    char **values;    /* the texts each point passes as --set key=value */
    double *numeric;  /* each value in SI where every value of the axis parses as one
                         kind of quantity, else NAN for all */
    const char *unit; /* the SI unit of numeric ("bps", "B", "s", "Hz", "fps", "J", "W",
                         "m", ..., "" for plain numbers), NULL for a text axis */
} sweep_axis;

/* Start from a zeroed struct (`sweep_spec s = {0};`). */
typedef struct {
    sweep_axis *axes;
    int n_axes;
    bool zip;         /* pair the axes' values (all the same length) instead of a grid */
    int seeds;        /* each combination repeated with this many seeds (>= 1) */
    int64_t n_combos; /* grid: product of the lengths; zip: the common length */
    int64_t n_points; /* n_combos * seeds */
} sweep_spec;

/* Add one --vary text ("KEY=SPEC", SPEC as above) as the next axis.  Errors
 * (the spec unchanged) name the --vary text and what was expected: no '=',
 * an empty key, a key given before, an empty list entry, a range whose
 * START, STOP and STEP are not numbers of one kind of quantity, a zero or
 * wrongly signed STEP, a FACTOR <= 0 or == 1 or pointing away from STOP, a
 * range whose first step already passes STOP, more than
 * SWEEP_SPEC_MAX_VALUES values. */
int sweep_spec_add(sweep_spec *s, const char *vary, ps_error *err);

/* After the last add: the mode and the seeds; checks that zipped axes have
 * one length and computes the counts.  No axis, seeds < 1 or more than
 * SWEEP_SPEC_MAX_POINTS points are errors. */
int sweep_spec_finish(sweep_spec *s, bool zip, int seeds, ps_error *err);

/* Point p (0 <= p < n_points): the value index on each axis (value_index[0
 * .. n_axes-1]) and the seed index (0 .. seeds-1).  The seed varies fastest,
 * then the last axis, ..., the first axis slowest (nested loops in the order
 * the --vary options were given). */
void sweep_spec_point(const sweep_spec *s, int64_t p, int *value_index, int *seed);

/* The whole spec in one line, every value expanded ("grid; seeds 2;
 * network.links.0.rate=100Mbps,200Mbps; ..."): the sweep file's root
 * attribute, and what a resumed sweep must match.  Writes at most size bytes
 * (NUL included, buf may be NULL when size is 0); returns the length needed. */
size_t sweep_spec_describe(const sweep_spec *s, char *buf, size_t size);

/* Frees the axes and zeroes the struct. */
void sweep_spec_free(sweep_spec *s);

#endif
