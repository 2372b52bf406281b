#include "sim/stats.h"

#include <math.h>
#include <stdlib.h>

/* bin k holds values in [LO * R^k, LO * R^(k+1)), R = 1.001 */
#define STATS_LO 1e-9
#define STATS_LOG_R 0.00099950033308353
#define STATS_BINS 34550 /* ln(1e15) / ln(1.001) */

static int bin_of(double v)
{
    if (!(v > STATS_LO))
        return 0;
    double k = log(v / STATS_LO) / STATS_LOG_R;
    return k >= STATS_BINS - 1 ? STATS_BINS - 1 : (int)k;
}

void stats_add(stats_hist *h, double v)
{
    if (isnan(v))
        return;
    if (!h->bins && !(h->bins = calloc(STATS_BINS, sizeof *h->bins)))
        return;
    if (h->n == 0 || v < h->min)
        h->min = v;
    if (h->n == 0 || v > h->max)
        h->max = v;
    h->n++;
    h->sum += v;
    h->bins[bin_of(v)]++;
}

double stats_quantile(const stats_hist *h, double q)
{
    if (h->n == 0 || !h->bins)
        return NAN;
    if (q <= 0)
        return h->min;
    if (q >= 1)
        return h->max;
    /* the value of rank ceil(q n) (nearest-rank definition) */
    int64_t rank = (int64_t)ceil(q * (double)h->n), seen = 0;
    for (int k = 0; k < STATS_BINS; k++) {
        seen += h->bins[k];
        if (seen >= rank) {
            double mid = STATS_LO * exp(((double)k + 0.5) * STATS_LOG_R);
            return fmin(fmax(mid, h->min), h->max);
        }
    }
    return h->max;
}

void stats_free(stats_hist *h)
{
    free(h->bins);
    h->bins = NULL;
}
