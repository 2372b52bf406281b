/* Time-varying link rate: a bandwidth profile.
 *
 * A profile is a list of (time, rate) points: from t_s[i] on, the link runs
 * at rate_Bps[i] bytes per second, until the next point.  Two ways to apply
 * one in a SimGrid run:
 *  - before the run, write it with rate_profile_write() in SimGrid's
 *    bandwidth_file format and name it in topology_link.bw_profile (a path
 *    relative to the platform file: SimGrid 3.32 takes relative paths only);
 *  - during the run, from an actor, call engine_set_link_bandwidth()
 *    (net/topology.h) at the right times; flows in flight are re-shared at
 *    once.
 * Users give profiles as CSV files with a header "time_s,rate_bps" (rate in
 * bits per second, as link rates are usually quoted). */
#ifndef PARTSIM_NET_RATE_PROFILE_H
#define PARTSIM_NET_RATE_PROFILE_H

#include "base/error.h"

typedef struct {
    int n;
    double *t_s;      /* strictly increasing, t_s[0] >= 0 */
    double *rate_Bps; /* bytes per second, > 0 */
} rate_profile;

void rate_profile_free(rate_profile *p);

/* Check the points (increasing times from 0 on, positive rates); the message
 * names `what` (a file:line or a link) and the point. */
int rate_profile_check(const double *t_s, const double *rate_Bps, int n, const char *what,
                      ps_error *err);

/* Write SimGrid's bandwidth_file format: one "TIME BYTES_PER_S" line per
 * point and, when loop_after_s > 0, a last line "LOOPAFTER D": the profile
 * restarts D seconds after its last point (period = t_s[n-1] + D when it
 * starts at 0).  Written through a temporary file and renamed. */
int rate_profile_write(const char *path, const double *t_s, const double *rate_Bps, int n,
                      double loop_after_s, ps_error *err);

/* Read a user's CSV profile (base/csv.h syntax): a header "time_s,rate_bps"
 * (columns in any order; note or note_* columns are ignored), then one row
 * per point (rate in bits per second, converted to bytes per second); blank
 * lines and lines starting with '#' are skipped.  Errors name
 * file:line:column. */
int rate_profile_read_csv(const char *path, rate_profile *out, ps_error *err);

#endif
