/* Shuffle + deflate of a table's chunks on a second thread (trace_internal.h,
 * "Background compression").  The result is byte for byte what HDF5's own
 * shuffle and deflate filters produce from the same chunk, so the chunk is
 * written with H5Dwrite_chunk and read back through the dataset's filters
 * like any other. */
#include "traces/trace_internal.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>

struct trace_deflate {
    pthread_t thread;
    pthread_mutex_t m;
    pthread_cond_t changed;
    size_t elem_bytes, n_elems;
    int level;
    const unsigned char *raw; /* the chunk being compressed, NULL when none */
    unsigned char *shuffled;  /* byte j of every element together: HDF5's shuffle */
    unsigned char *out;       /* the deflated chunk (zlib stream, as compress2 writes it) */
    size_t out_bytes;
    bool busy, failed, stop;
};

static void shuffle(const unsigned char *in, unsigned char *out, size_t elem, size_t n)
{
    for (size_t j = 0; j < elem; j++) {
        unsigned char *o = out + j * n;
        const unsigned char *p = in + j;
        for (size_t i = 0; i < n; i++, p += elem)
            o[i] = *p;
    }
}

static void *worker(void *arg)
{
    trace_deflate *d = arg;
    pthread_mutex_lock(&d->m);
    for (;;) {
        while (!d->stop && !(d->busy && d->raw))
            pthread_cond_wait(&d->changed, &d->m);
        if (d->stop)
            break;
        const unsigned char *raw = d->raw;
        pthread_mutex_unlock(&d->m);
        size_t bytes = d->elem_bytes * d->n_elems;
        shuffle(raw, d->shuffled, d->elem_bytes, d->n_elems);
        uLongf len = compressBound((uLong)bytes);
        int zrc = compress2(d->out, &len, d->shuffled, (uLong)bytes, d->level);
        pthread_mutex_lock(&d->m);
        d->out_bytes = (size_t)len;
        d->failed = zrc != Z_OK;
        d->raw = NULL;
        d->busy = false;
        pthread_cond_broadcast(&d->changed);
    }
    pthread_mutex_unlock(&d->m);
    return NULL;
}

trace_deflate *trace_deflate_start(size_t elem_bytes, size_t n_elems, int level)
{
    trace_deflate *d = calloc(1, sizeof *d);
    size_t bytes = elem_bytes * n_elems;
    if (!d)
        return NULL;
    d->elem_bytes = elem_bytes, d->n_elems = n_elems, d->level = level;
    d->shuffled = malloc(bytes);
    d->out = malloc(compressBound((uLong)bytes));
    if (!d->shuffled || !d->out || pthread_mutex_init(&d->m, NULL)) {
        free(d->shuffled), free(d->out), free(d);
        return NULL;
    }
    if (pthread_cond_init(&d->changed, NULL)) {
        pthread_mutex_destroy(&d->m);
        free(d->shuffled), free(d->out), free(d);
        return NULL;
    }
    if (pthread_create(&d->thread, NULL, worker, d)) {
        pthread_cond_destroy(&d->changed);
        pthread_mutex_destroy(&d->m);
        free(d->shuffled), free(d->out), free(d);
        return NULL;
    }
    return d;
}

void trace_deflate_submit(trace_deflate *d, const unsigned char *raw)
{
    pthread_mutex_lock(&d->m);
    d->raw = raw;
    d->busy = true;
    pthread_cond_broadcast(&d->changed);
    pthread_mutex_unlock(&d->m);
}

int trace_deflate_wait(trace_deflate *d, const unsigned char **out, size_t *bytes)
{
    pthread_mutex_lock(&d->m);
    while (d->busy)
        pthread_cond_wait(&d->changed, &d->m);
    bool failed = d->failed;
    pthread_mutex_unlock(&d->m);
    *out = d->out;
    *bytes = d->out_bytes;
    return failed ? -1 : 0;
}

void trace_deflate_stop(trace_deflate *d)
{
    if (!d)
        return;
    pthread_mutex_lock(&d->m);
    d->stop = true;
    pthread_cond_broadcast(&d->changed);
    pthread_mutex_unlock(&d->m);
    pthread_join(d->thread, NULL);
    pthread_cond_destroy(&d->changed);
    pthread_mutex_destroy(&d->m);
    free(d->shuffled);
    free(d->out);
    free(d);
}
