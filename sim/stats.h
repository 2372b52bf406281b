/* Streaming statistics with flat memory: a log-spaced histogram for
 * latency percentiles (relative resolution 0.1 %, 1 ns .. 1e6 s), with the
 * exact minimum, maximum, count and sum. */
#ifndef PARTSIM_SIM_STATS_H
#define PARTSIM_SIM_STATS_H

#include <stdint.h>

typedef struct {
    int64_t n;
    double sum, min, max;
    uint32_t *bins;   /* STATS_BINS counters, allocated on first add */
} stats_hist;

void stats_add(stats_hist *h, double v);
/* The q-quantile (0..1), within 0.1 % of the exact one; NaN when empty. */
double stats_quantile(const stats_hist *h, double q);
void stats_free(stats_hist *h);

#endif
