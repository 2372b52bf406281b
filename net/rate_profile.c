/* Bandwidth profiles: SimGrid's bandwidth_file format and users' CSV files. */
#include "net/rate_profile.h"

#include "base/atomic_file.h"

#include <errno.h>
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

/* Parse one number field ending at ',' or end of line; returns the end or NULL. */
static char *parse_field(char *s, double *v)
{
    char *end;
    errno = 0;
    *v = strtod(s, &end);
    if (end == s || errno)
        return NULL;
    while (*end == ' ' || *end == '\t' || *end == '\r' || *end == '\n')
        end++;
    return end;
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

int rate_profile_read_csv(const char *path, rate_profile *out, ps_error *err)
{
    memset(out, 0, sizeof *out);
    FILE *f = fopen(path, "r");
    if (!f)
        return error_set(err, PS_ERR_IO, "cannot open bandwidth profile %s: %s", path,
                         strerror(errno));
    char line[512];
    int lineno = 0, cap = 0, rc = 0, header = 0;
    while (!rc && fgets(line, sizeof line, f)) {
        lineno++;
        char *s = line;
        while (*s == ' ' || *s == '\t')
            s++;
        if (*s == '\0' || *s == '\n' || *s == '\r' || *s == '#')
            continue;
        if (!header) {
            if (strncmp(s, "time_s,rate_bps", 15) != 0)
                rc = error_set(err, PS_ERR_INPUT,
                               "%s:%d: expected the header \"time_s,rate_bps\"", path, lineno);
            header = 1;
            continue;
        }
        double t, r;
        char *e = parse_field(s, &t);
        if (!e || *e != ',') {
            rc = error_set(err, PS_ERR_INPUT, "%s:%d: expected \"time_s,rate_bps\" numbers, "
                           "got \"%.*s\"", path, lineno, (int)strcspn(s, "\r\n"), s);
            break;
        }
        e = parse_field(e + 1, &r);
        if (!e || *e != '\0') {
            rc = error_set(err, PS_ERR_INPUT, "%s:%d: expected a rate in bit/s after the "
                           "comma, got \"%.*s\"", path, lineno, (int)strcspn(s, "\r\n"), s);
            break;
        }
        char where[300];
        snprintf(where, sizeof where, "%s:%d", path, lineno);
        double rate_Bps = r / 8.0;
        if (out->n > 0 && !(t > out->t_s[out->n - 1]))
            rc = error_set(err, PS_ERR_INPUT, "%s: time %g s, expected later than %g s", where,
                           t, out->t_s[out->n - 1]);
        else if (!isfinite(t) || t < 0)
            rc = error_set(err, PS_ERR_INPUT, "%s: time %g s, expected >= 0", where, t);
        else if (!isfinite(r) || !(r > 0))
            rc = error_set(err, PS_ERR_INPUT, "%s: rate %g bit/s, expected > 0", where, r);
        else if (append_point(out, &cap, t, rate_Bps))
            rc = error_set(err, PS_ERR_NOMEM, "%s: out of memory", where);
    }
    fclose(f);
    if (!rc && !header)
        rc = error_set(err, PS_ERR_INPUT, "%s: empty file, expected the header "
                       "\"time_s,rate_bps\" and at least one point", path);
    else if (!rc && out->n == 0)
        rc = error_set(err, PS_ERR_INPUT, "%s:%d: no points after the header", path, lineno);
    if (rc)
        rate_profile_free(out);
    return rc;
}
