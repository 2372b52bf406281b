/* Bandwidth profiles: SimGrid's bandwidth_file format and users' CSV files. */
#include "net/rate_profile.h"

#include "base/atomic_file.h"
#include "base/csv.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void rate_profile_free(rate_profile *p)
{
    free(p->t_s);
    free(p->rate_Bps);
    memset(p, 0, sizeof *p);
}

int rate_profile_check(const double *t_s, const double *rate_Bps, int n, const char *what,
                      ps_error *err)
{
    if (n < 1)
        return error_set(err, PS_ERR_INPUT, "%s: empty bandwidth profile, expected at least "
                         "one (time, rate) point", what);
    for (int i = 0; i < n; i++) {
        if (!isfinite(t_s[i]) || t_s[i] < 0)
            return error_set(err, PS_ERR_INPUT, "%s: point %d has time %g s, expected >= 0",
                             what, i + 1, t_s[i]);
        if (i > 0 && !(t_s[i] > t_s[i - 1]))
            return error_set(err, PS_ERR_INPUT,
                             "%s: point %d has time %g s, expected later than %g s (point %d)",
                             what, i + 1, t_s[i], t_s[i - 1], i);
        if (!isfinite(rate_Bps[i]) || !(rate_Bps[i] > 0))
            return error_set(err, PS_ERR_INPUT, "%s: point %d has rate %g B/s, expected > 0",
                             what, i + 1, rate_Bps[i]);
    }
    return 0;
}

typedef struct {
    const double *t_s, *rate_Bps;
    int n;
    double loop_after_s;
} profile_points;

static void write_points(FILE *f, const void *ctx)
{
    const profile_points *p = ctx;
    for (int i = 0; i < p->n; i++)
        fprintf(f, "%.17g %.17g\n", p->t_s[i], p->rate_Bps[i]);
    if (p->loop_after_s > 0)
        fprintf(f, "LOOPAFTER %.17g\n", p->loop_after_s);
}

int rate_profile_write(const char *path, const double *t_s, const double *rate_Bps, int n,
                      double loop_after_s, ps_error *err)
{
    int rc = rate_profile_check(t_s, rate_Bps, n, path, err);
    if (rc)
        return rc;
    if (!isfinite(loop_after_s) || loop_after_s < 0)
        return error_set(err, PS_ERR_INPUT, "%s: LOOPAFTER %g s, expected >= 0 (0: no loop)",
                         path, loop_after_s);
    profile_points pts = {t_s, rate_Bps, n, loop_after_s};
    return atomic_file_write(path, write_points, &pts, err);
}

static int append_point(rate_profile *p, int *cap, double t, double r)
{
    if (p->n == *cap) {
        int cap2 = *cap ? 2 * *cap : 64;
        double *t2 = realloc(p->t_s, (size_t)cap2 * sizeof *t2);
        if (!t2)
            return -1;
        p->t_s = t2;
        double *r2 = realloc(p->rate_Bps, (size_t)cap2 * sizeof *r2);
        if (!r2)
            return -1;
        p->rate_Bps = r2;
        *cap = cap2;
    }
    p->t_s[p->n] = t;
    p->rate_Bps[p->n++] = r;
    return 0;
}

/* The checks of rate_profile_check, as each point is read, naming its line. */
static int add_point(const csv_reader *r, const csv_row *row, rate_profile *p, int *cap,
                     double t, double bps, ps_error *err)
{
    char where[300];
    snprintf(where, sizeof where, "%s:%d", csv_path(r), row->line);
    if (p->n > 0 && !(t > p->t_s[p->n - 1]))
        return error_set(err, PS_ERR_INPUT, "%s: time %g s, expected later than %g s", where, t,
                         p->t_s[p->n - 1]);
    if (t < 0)
        return error_set(err, PS_ERR_INPUT, "%s: time %g s, expected >= 0", where, t);
    if (!(bps > 0))
        return error_set(err, PS_ERR_INPUT, "%s: rate %g bit/s, expected > 0", where, bps);
    if (append_point(p, cap, t, bps / 8.0))
        return error_set(err, PS_ERR_NOMEM, "%s: out of memory", where);
    return 0;
}

int rate_profile_read_csv(const char *path, rate_profile *out, ps_error *err)
{
    static const char *const COLUMNS[] = {"time_s", "rate_bps", NULL};
    memset(out, 0, sizeof *out);
    csv_reader *r;
    int rc = csv_open(path, &r, err);
    if (rc)
        return rc;
    int col[2], cap = 0, got = 0;
    rc = csv_header(r, COLUMNS, NULL, "'time_s,rate_bps' (rate in bits per second)", col, err);
    csv_row row;
    while (!rc && (got = csv_next(r, &row, err)) == 1) {
        double t, bps;
        rc = csv_double(r, &row, col[0], "a time in seconds", &t, err);
        if (!rc)
            rc = csv_double(r, &row, col[1], "a rate in bit/s", &bps, err);
        if (!rc)
            rc = add_point(r, &row, out, &cap, t, bps, err);
    }
    if (!rc && got < 0)
        rc = -got;
    if (!rc && out->n == 0)
        rc = csv_error(r, NULL, -1, err, "no points after the header; expected one "
                       "'time_s,rate_bps' row per point");
    csv_close(r);
    if (rc)
        rate_profile_free(out);
    return rc;
}
