/* The hypervolume indicator: WFG down to three objectives, a slice sweep in
 * three, a staircase in two (sim/hypervolume.h). */
#include "sim/hypervolume.h"

#include <math.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

typedef struct {
    int d;
    const double *ref;
} hv_ctx;

/* Two objectives: the points sorted by the first, a staircase down. */
static int by_first(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

static double staircase(const double *xy, int n, int stride, const double *ref)
{
    double area = 0, low = ref[1];
    for (int i = 0; i < n; i++) { /* ascending in the first objective */
        const double *p = xy + (size_t)i * (size_t)stride;
        if (p[1] < low) {
            area += (ref[0] - p[0]) * (low - p[1]);
            low = p[1];
        }
    }
    return area;
}

static int by_third(const void *a, const void *b)
{
    double x = ((const double *)a)[2], y = ((const double *)b)[2];
    return (x > y) - (x < y);
}

/* Three objectives: slices between successive values of the third, each the
 * area of the points below it; the points kept sorted by the first as they
 * join (insertion), so the whole sweep is O(n^2).  Sorts pts in place. */
static int slices(double *pts, int n, const double *ref, double *out)
{
    qsort(pts, (size_t)n, 3 * sizeof *pts, by_third);
    double *xy = malloc(sizeof *xy * 2 * (size_t)(n ? n : 1));
    if (!xy)
        return -1;
    double vol = 0;
    for (int i = 0; i < n; i++) {
        const double *p = pts + 3 * (size_t)i;
        int at = i;
        while (at > 0 && xy[2 * (at - 1)] > p[0]) {
            xy[2 * at] = xy[2 * (at - 1)], xy[2 * at + 1] = xy[2 * (at - 1) + 1];
            at--;
        }
        xy[2 * at] = p[0], xy[2 * at + 1] = p[1];
        double top = i + 1 < n ? pts[3 * (size_t)(i + 1) + 2] : ref[2];
        if (top > p[2])
            vol += staircase(xy, i + 1, 2, ref) * (top - p[2]);
    }
    free(xy);
    *out = vol;
    return 0;
}

static bool weakly_dominates(const double *a, const double *b, int d)
{
    for (int k = 0; k < d; k++)
        if (a[k] > b[k])
            return false;
    return true;
}

static double box(const double *p, const hv_ctx *c)
{
    double v = 1;
    for (int k = 0; k < c->d; k++)
        v *= c->ref[k] - p[k];
    return v;
}

static int volume(double *pts, int n, const hv_ctx *c, double *out);

/* WFG: the sum of exclusive volumes.  Point i's is its box minus the volume
 * of the later points each limited to i's box (componentwise max), with the
 * limited points that others dominate dropped. */
static int wfg(double *pts, int n, const hv_ctx *c, double *out)
{
    int d = c->d;
    /* descending in the first objective: the later points, limited by an
     * earlier one, collapse onto few non-dominated ones */
    qsort(pts, (size_t)n, (size_t)d * sizeof *pts, by_first);
    for (int i = 0; i < n / 2; i++)
        for (int k = 0; k < d; k++) {
            double t = pts[(size_t)i * (size_t)d + (size_t)k];
            pts[(size_t)i * (size_t)d + (size_t)k] = pts[(size_t)(n - 1 - i) * (size_t)d + (size_t)k];
            pts[(size_t)(n - 1 - i) * (size_t)d + (size_t)k] = t;
        }
    double *lim = malloc(sizeof *lim * (size_t)d * (size_t)(n ? n : 1));
    if (!lim)
        return -1;
    double total = 0;
    for (int i = 0; i < n; i++) {
        const double *p = pts + (size_t)i * (size_t)d;
        int m = 0;
        for (int j = i + 1; j < n; j++) {
            double q[HYPERVOLUME_MAX_DIMS];
            for (int k = 0; k < d; k++) {
                double v = pts[(size_t)j * (size_t)d + (size_t)k];
                q[k] = v > p[k] ? v : p[k];
            }
            /* keep q unless a kept point weakly dominates it; drop the kept
             * points q dominates */
            bool keep = true;
            for (int a = 0; a < m && keep; a++)
                keep = !weakly_dominates(lim + (size_t)a * (size_t)d, q, d);
            if (!keep)
                continue;
            int w = 0;
            for (int a = 0; a < m; a++)
                if (!weakly_dominates(q, lim + (size_t)a * (size_t)d, d)) {
                    if (w != a)
                        memcpy(lim + (size_t)w * (size_t)d, lim + (size_t)a * (size_t)d,
                               sizeof *lim * (size_t)d);
                    w++;
                }
            m = w;
            memcpy(lim + (size_t)m * (size_t)d, q, sizeof q[0] * (size_t)d);
            m++;
        }
        double inner = 0;
        if (m && volume(lim, m, c, &inner)) {
            free(lim);
            return -1;
        }
        total += box(p, c) - inner;
    }
    free(lim);
    *out = total;
    return 0;
}

static int volume(double *pts, int n, const hv_ctx *c, double *out)
{
    if (n == 0) {
        *out = 0;
        return 0;
    }
    if (c->d == 1) {
        double lo = pts[0];
        for (int i = 1; i < n; i++)
            lo = pts[i] < lo ? pts[i] : lo;
        *out = c->ref[0] - lo;
        return 0;
    }
    if (c->d == 2) {
        qsort(pts, (size_t)n, 2 * sizeof *pts, by_first);
        *out = staircase(pts, n, 2, c->ref);
        return 0;
    }
    if (c->d == 3)
        return slices(pts, n, c->ref, out);
    /* the WFG recursion copies the limited points; at this depth a copy of
     * pts is needed because wfg reorders its input */
    double *own = malloc(sizeof *own * (size_t)c->d * (size_t)n);
    if (!own)
        return -1;
    memcpy(own, pts, sizeof *own * (size_t)c->d * (size_t)n);
    int rc = wfg(own, n, c, out);
    free(own);
    return rc;
}

int hypervolume(const double *points, int n, int d, const double *ref, double *hv,
                ps_error *err)
{
    if (d < 1 || d > HYPERVOLUME_MAX_DIMS)
        return error_set(err, PS_ERR_INPUT, "hypervolume: %d objectives (1 to %d supported)", d,
                         HYPERVOLUME_MAX_DIMS);
    if (n < 0)
        return error_set(err, PS_ERR_INPUT, "hypervolume: %d points", n);
    for (int k = 0; k < d; k++)
        if (!isfinite(ref[k]))
            return error_set(err, PS_ERR_INPUT,
                             "hypervolume: reference value %d is %g (expected a finite number)",
                             k, ref[k]);
    double *pts = malloc(sizeof *pts * (size_t)d * (size_t)(n ? n : 1));
    if (!pts)
        return error_set(err, PS_ERR_NOMEM, "out of memory");
    int m = 0;
    for (int i = 0; i < n; i++) {
        const double *p = points + (size_t)i * (size_t)d;
        bool inside = true;
        for (int k = 0; k < d; k++) {
            if (isnan(p[k])) {
                free(pts);
                return error_set(err, PS_ERR_INPUT, "hypervolume: point %d, value %d is NaN", i,
                                 k);
            }
            inside &= p[k] < ref[k];
        }
        if (inside)
            memcpy(pts + (size_t)m++ * (size_t)d, p, sizeof *pts * (size_t)d);
    }
    hv_ctx c = {d, ref};
    int rc = volume(pts, m, &c, hv);
    free(pts);
    return rc ? error_set(err, PS_ERR_NOMEM, "out of memory") : 0;
}
