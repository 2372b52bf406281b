/* Wall-clock time for measuring how long work takes: seconds on the
 * monotonic clock (never steps back when the system time is set). */
#ifndef PARTSIM_BASE_MONOTONIC_H
#define PARTSIM_BASE_MONOTONIC_H

double monotonic_s(void);

#endif
