/* A sweep's journal (sim/sweep_journal.h). */
#include "sim/sweep_journal.h"

#include <errno.h>
#include <fcntl.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#define MAGIC "partsim-sweep-journal"
#define VERSION 2u
#ifndef PARTSIM_VERSION
#define PARTSIM_VERSION "0.0.0"
#endif

/* FNV-1a over a record: a record a power cut left zero-filled or half
 * written does not pass for a result. */
static uint64_t checksum(const void *buf, size_t n)
{
    const unsigned char *p = buf;
    uint64_t h = 0xcbf29ce484222325u;
    for (size_t i = 0; i < n; i++)
        h = (h ^ p[i]) * 0x100000001b3u;
    return h;
}

struct sweep_journal {
    int fd;
    char *path;
    int64_t n_points, count;
    int64_t *offset;           /* per point: where its record starts, -1: none */
};

/* A record: the result up to its pipelines (they come last in the struct),
 * then each pipeline up to its energy entries (last in theirs), then those
 * entries. */
_Static_assert(offsetof(sweep_result, pipelines) + sizeof(((sweep_result *)0)->pipelines) ==
                   sizeof(sweep_result),
               "the pipelines end a sweep_result");
_Static_assert(offsetof(sweep_pipeline, energy) + sizeof(((sweep_pipeline *)0)->energy) ==
                   sizeof(sweep_pipeline),
               "the energy entries end a sweep_pipeline");
#define HEAD_BYTES offsetof(sweep_result, pipelines)
#define PIPE_BYTES offsetof(sweep_pipeline, energy)

static size_t record_bytes(const sweep_result *r)
{
    size_t n = HEAD_BYTES;
    for (int i = 0; i < r->n_pipelines; i++)
        n += PIPE_BYTES + (size_t)r->pipelines[i].n_energy * sizeof(sweep_energy);
    return n;
}

static int write_all(int fd, const void *buf, size_t n)
{
    const char *p = buf;
    while (n) {
        ssize_t w = write(fd, p, n);
        if (w < 0 && errno == EINTR)
            continue;
        if (w <= 0)
            return -1;
        p += w, n -= (size_t)w;
    }
    return 0;
}

/* 1: read n bytes; 0: end of file (or a short tail); -1: error */
static int read_all(int fd, void *buf, size_t n)
{
    char *p = buf;
    while (n) {
        ssize_t r = read(fd, p, n);
        if (r < 0 && errno == EINTR)
            continue;
        if (r < 0)
            return -1;
        if (r == 0)
            return 0;
        p += r, n -= (size_t)r;
    }
    return 1;
}

static int write_text(int fd, const char *s)
{
    uint64_t n = strlen(s);
    return write_all(fd, &n, sizeof n) || write_all(fd, s, (size_t)n) ? -1 : 0;
}

static char *read_text(int fd)
{
    uint64_t n;
    if (read_all(fd, &n, sizeof n) != 1 || n > ((uint64_t)1 << 32))
        return NULL;
    char *s = malloc((size_t)n + 1);
    if (!s || read_all(fd, s, (size_t)n) != 1) {
        free(s);
        return NULL;
    }
    s[n] = '\0';
    return s;
}

static sweep_journal *journal_new(const char *path, int64_t n_points)
{
    sweep_journal *j = calloc(1, sizeof *j);
    if (!j)
        return NULL;
    j->fd = -1;
    j->n_points = n_points;
    j->path = strdup(path);
    j->offset = malloc(sizeof *j->offset * (size_t)(n_points ? n_points : 1));
    if (!j->path || !j->offset) {
        free(j->path), free(j->offset), free(j);
        return NULL;
    }
    for (int64_t p = 0; p < n_points; p++)
        j->offset[p] = -1;
    return j;
}

int sweep_journal_create(const char *path, const char *spec_text, const char *scenario_text,
                         int64_t n_points, sweep_journal **out, ps_error *err)
{
    *out = NULL;
    sweep_journal *j = journal_new(path, n_points);
    if (!j)
        return error_set(err, PS_ERR_NOMEM, "out of memory");
    /* never through a symbolic link; not while another sweep writes it */
    j->fd = open(path, O_RDWR | O_CREAT | O_NOFOLLOW | O_CLOEXEC, 0644);
    if (j->fd >= 0 && flock(j->fd, LOCK_EX | LOCK_NB)) {
        error_set(err, PS_ERR_INPUT, "%s: another sweep is writing this file's journal", path);
        sweep_journal_close(j, false);
        return err->code;
    }
    uint32_t head[2] = {VERSION, (uint32_t)(HEAD_BYTES + PIPE_BYTES)};
    if (j->fd < 0 || ftruncate(j->fd, 0) || write_all(j->fd, MAGIC, sizeof MAGIC) ||
        write_all(j->fd, head, sizeof head) || write_text(j->fd, PARTSIM_VERSION) ||
        write_text(j->fd, spec_text) || write_text(j->fd, scenario_text)) {
        error_set(err, PS_ERR_IO, "%s: cannot write the sweep's journal: %s", path,
                  strerror(errno));
        sweep_journal_close(j, j->fd >= 0);
        return err->code;
    }
    *out = j;
    return 0;
}

int sweep_journal_resume(const char *path, const char *spec_text, const char *scenario_text,
                         int64_t n_points, sweep_journal **out, ps_error *err)
{
    *out = NULL;
    sweep_journal *j = journal_new(path, n_points);
    if (!j)
        return error_set(err, PS_ERR_NOMEM, "out of memory");
    j->fd = open(path, O_RDWR | O_NOFOLLOW | O_CLOEXEC);
    if (j->fd < 0) {
        error_set(err, PS_ERR_IO, "%s: %s", path, strerror(errno));
        sweep_journal_close(j, false);
        return err->code;
    }
    if (flock(j->fd, LOCK_EX | LOCK_NB)) {
        error_set(err, PS_ERR_INPUT, "%s: another sweep is writing this file's journal", path);
        sweep_journal_close(j, false);
        return err->code;
    }
    char magic[sizeof MAGIC];
    uint32_t head[2];
    char *version = NULL, *spec = NULL, *scn = NULL;
    int rc = 0;
    if (read_all(j->fd, magic, sizeof magic) != 1 || memcmp(magic, MAGIC, sizeof magic) ||
        read_all(j->fd, head, sizeof head) != 1)
        rc = error_set(err, PS_ERR_INPUT, "%s is not a partsim sweep journal", path);
    else if (head[0] != VERSION || head[1] != (uint32_t)(HEAD_BYTES + PIPE_BYTES) ||
             !(version = read_text(j->fd)) || strcmp(version, PARTSIM_VERSION))
        rc = error_set(err, PS_ERR_INPUT, "%s was written by another version of partsim (%s): "
                       "it cannot be resumed (run the sweep again without --resume)", path,
                       version ? version : "older");
    else if (!(spec = read_text(j->fd)) || !(scn = read_text(j->fd)))
        rc = error_set(err, PS_ERR_INPUT, "%s: the journal's header is cut short", path);
    else if (strcmp(spec, spec_text)) {
        /* where the two differ, with a little before it (a spec lists every value) */
        size_t k = 0;
        while (spec[k] && spec[k] == spec_text[k])
            k++;
        size_t from = k > 30 ? k - 30 : 0;
        rc = error_set(err, PS_ERR_INPUT, "--resume: %s is another sweep's; they differ at "
                       "character %zu: it has '%s%.60s', this sweep '%s%.60s'", path, k + 1,
                       from ? "..." : "", spec + from, from ? "..." : "", spec_text + from);
    }
    else if (strcmp(scn, scenario_text))
        rc = error_set(err, PS_ERR_INPUT, "--resume: %s was made from another scenario (the "
                       "scenario file or a --set differs)", path);
    free(version), free(spec), free(scn);
    /* the records: keep the offset of each whole one; a tail cut short by a
     * kill is dropped (and overwritten by the next record) */
    off_t at = rc ? 0 : lseek(j->fd, 0, SEEK_CUR);
    static sweep_result r; /* large: not on the stack */
    while (!rc) {
        uint64_t n, sum;
        if (read_all(j->fd, &n, sizeof n) != 1 || n < HEAD_BYTES || n > sizeof r ||
            read_all(j->fd, &r, (size_t)n) != 1 || read_all(j->fd, &sum, sizeof sum) != 1 ||
            sum != checksum(&r, (size_t)n))
            break;
        if (r.point >= 0 && r.point < n_points && j->offset[r.point] < 0) {
            j->count++; /* a point recorded twice keeps its first record */
            j->offset[r.point] = (int64_t)at;
        }
        at += (off_t)(sizeof n + n + sizeof sum);
    }
    if (!rc && (lseek(j->fd, at, SEEK_SET) < 0 || ftruncate(j->fd, at) < 0))
        rc = error_set(err, PS_ERR_IO, "%s: %s", path, strerror(errno));
    if (rc) {
        sweep_journal_close(j, false);
        return rc;
    }
    *out = j;
    return 0;
}

bool sweep_journal_has(const sweep_journal *j, int64_t point)
{
    return point >= 0 && point < j->n_points && j->offset[point] >= 0;
}

int64_t sweep_journal_count(const sweep_journal *j)
{
    return j->count;
}

int sweep_journal_read(sweep_journal *j, int64_t point, sweep_result *r, ps_error *err)
{
    uint64_t n;
    memset(r, 0, sizeof *r);
    if (!sweep_journal_has(j, point) ||
        pread(j->fd, &n, sizeof n, (off_t)j->offset[point]) != (ssize_t)sizeof n ||
        n > sizeof *r)
        return error_set(err, PS_ERR_IO, "%s: point %lld cannot be read back", j->path,
                         (long long)point);
    char *buf = malloc((size_t)n);
    if (!buf)
        return error_set(err, PS_ERR_NOMEM, "out of memory");
    if (pread(j->fd, buf, (size_t)n, (off_t)j->offset[point] + (off_t)sizeof n) !=
        (ssize_t)n) {
        free(buf);
        return error_set(err, PS_ERR_IO, "%s: point %lld cannot be read back", j->path,
                         (long long)point);
    }
    /* the fixed part, then each pipeline's fixed part and its entries */
    size_t at = HEAD_BYTES;
    memcpy(r, buf, HEAD_BYTES);
    int np = r->n_pipelines < 0 ? 0 : r->n_pipelines > SWEEP_MAX_PIPELINES ? 0 : r->n_pipelines;
    r->n_pipelines = np;
    for (int i = 0; i < np && at + PIPE_BYTES <= n; i++) {
        sweep_pipeline *p = &r->pipelines[i];
        memcpy(p, buf + at, PIPE_BYTES);
        at += PIPE_BYTES;
        int ne = p->n_energy < 0 || p->n_energy > SWEEP_MAX_ENERGY ? 0 : p->n_energy;
        size_t e = (size_t)ne * sizeof(sweep_energy);
        if (at + e > n)
            ne = 0, e = 0;
        memcpy(p->energy, buf + at, e);
        p->n_energy = ne;
        at += e;
    }
    free(buf);
    return 0;
}

int sweep_journal_append(sweep_journal *j, const sweep_result *r, ps_error *err)
{
    uint64_t n = record_bytes(r);
    char *buf = malloc(sizeof n + (size_t)n + sizeof(uint64_t));
    if (!buf)
        return error_set(err, PS_ERR_NOMEM, "out of memory");
    memcpy(buf, &n, sizeof n);
    size_t at = sizeof n;
    memcpy(buf + at, r, HEAD_BYTES), at += HEAD_BYTES;
    for (int i = 0; i < r->n_pipelines; i++) {
        const sweep_pipeline *p = &r->pipelines[i];
        memcpy(buf + at, p, PIPE_BYTES), at += PIPE_BYTES;
        memcpy(buf + at, p->energy, (size_t)p->n_energy * sizeof *p->energy);
        at += (size_t)p->n_energy * sizeof *p->energy;
    }
    uint64_t sum = checksum(buf + sizeof n, (size_t)n);
    memcpy(buf + at, &sum, sizeof sum), at += sizeof sum;
    off_t where = lseek(j->fd, 0, SEEK_END);
    int rc = where < 0 || write_all(j->fd, buf, at) ? -1 : 0;
    free(buf);
    if (rc)
        return error_set(err, PS_ERR_IO, "%s: cannot write the sweep's journal: %s", j->path,
                         strerror(errno));
    if (r->point >= 0 && r->point < j->n_points && j->offset[r->point] < 0) {
        j->count++;
        j->offset[r->point] = (int64_t)where;
    }
    return 0;
}

void sweep_journal_close(sweep_journal *j, bool remove)
{
    if (!j)
        return;
    if (j->fd >= 0)
        close(j->fd);
    if (remove)
        unlink(j->path);
    free(j->path), free(j->offset), free(j);
}
