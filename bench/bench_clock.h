/* What every benchmark here times with: a monotonic clock in seconds, and
 * the comparison to sort samples for their median and best. */
#ifndef PARTSIM_BENCH_CLOCK_H
#define PARTSIM_BENCH_CLOCK_H

#include <time.h>

static inline double now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

static inline int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

#endif
