/* A run's /events as a timeline for the Perfetto UI (ui.perfetto.dev) and
 * chrome://tracing: the Trace Event Format's JSON object form
 * ({"traceEvents": [...]}), times in microseconds.
 *
 * Tracks: one process per node with the threads "accelerator" (a slice per
 * stage run) and "NIC" (a slice per transfer it sends), one process per link
 * with a thread per direction ("from <sender>": a slice per transfer whose
 * first link it is, sent from that end).  Slices are named "<camera>
 * #<frame>" and carry pipeline, camera, frame, cut, layer or bytes and
 * energy in their arguments.  Counters: each node's stage queue and NIC send
 * queue (frames waiting; frames later dropped from a queue are not counted,
 * since /events holds only what ran), and each link direction's utilisation
 * per time bin (busy fraction, 0..1). */
#ifndef PARTSIM_TRACES_TRACE_PERFETTO_H
#define PARTSIM_TRACES_TRACE_PERFETTO_H

#include <stdint.h>
#include <stdio.h>

#include "base/error.h"
#include "traces/trace_read.h"

typedef struct {
    double from_s, to_s;        /* the window: activities overlapping it (-INFINITY /
                                   INFINITY: from the run's first / to its last activity) */
    int bins;                   /* link utilisation bins over the window (0: 500) */
} trace_perfetto_options;

typedef struct {
    int64_t slices, counters;   /* events written */
    int tracks;                 /* slice tracks (threads) */
} trace_perfetto_stats;

/* Writes the timeline of run file r to out.  Fails (nothing meaningful in
 * out) when r is not a run or has no /events. */
int trace_perfetto_write(trace_reader *r, FILE *out, const trace_perfetto_options *o,
                         trace_perfetto_stats *stats, ps_error *err);

#endif
