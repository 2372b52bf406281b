/* The process pool (sim/pool.h): results arrive once and whole (beyond the
 * pipe's buffer too), a child that dies is reported and the others go on,
 * stop ends the starting, and jobs bounds how many children run at once. */
#include <signal.h>
#include <stdbool.h>
#include <stdlib.h>
#include <sys/resource.h>
#include <time.h>
#include <unistd.h>

#include "sim/pool.h"
#include "tests/harness.h"

#define N_MAX 64
#define WORDS 16

/* What the parent saw, filled by done(). */
typedef struct {
    int calls[N_MAX];
    bool ok[N_MAX];
    char why[N_MAX][160];
    int64_t word[N_MAX][WORDS];
    int n_done;
    int stop_after;             /* raise stop at this many completions (0: never) */
    volatile sig_atomic_t stop;
} seen;

static int64_t f(int64_t i, int k)
{
    return i * 1000003 + k * 7919 + 17;
}

static void words_task(void *ctx, int64_t i, void *result)
{
    (void)ctx;
    int64_t *w = result;
    for (int k = 0; k < WORDS; k++)
        w[k] = f(i, k);
}

static void words_done(void *ctx, int64_t i, const void *result, bool ok, const char *why)
{
    seen *s = ctx;
    if (i < 0 || i >= N_MAX)
        return;
    s->calls[i]++;
    s->ok[i] = ok;
    snprintf(s->why[i], sizeof s->why[i], "%s", why ? why : "(null)");
    memcpy(s->word[i], result, sizeof s->word[i]);
    if (++s->n_done == s->stop_after)
        s->stop = 1;
}

static pool_options words_pool(seen *s, int jobs)
{
    return (pool_options){.jobs = jobs, .result_size = sizeof(int64_t) * WORDS,
                          .stop = &s->stop, .task = words_task, .done = words_done, .ctx = s};
}

TEST(test_every_result_arrives_once_with_its_content)
{
    static seen s;
    memset(&s, 0, sizeof s);
    pool_options o = words_pool(&s, 3);
    int64_t started = -1;
    ps_error err = {0};
    CHECK_INT(pool_run(&o, 50, &started, &err), 0);
    CHECK_INT(started, 50);
    CHECK_INT(s.n_done, 50);
    int wrong = 0;
    for (int i = 0; i < 50; i++) {
        CHECK_INT(s.calls[i], 1);
        CHECK(s.ok[i]);
        for (int k = 0; k < WORDS; k++)
            wrong += s.word[i][k] != f(i, k);
    }
    CHECK_INT(wrong, 0);
    CHECK_INT(s.calls[50], 0);
}

/* Larger than a pipe holds (64 KiB): a parent that waited for the child
 * before reading would wait forever on a child blocked in write. */
#define BIG (200 * 1024)

typedef struct {
    int calls[4], intact[4];
} big_seen;

static unsigned char big_byte(int64_t i, size_t k)
{
    return (unsigned char)((size_t)i * 31 + k * 7 + k / 4096);
}

static void big_task(void *ctx, int64_t i, void *result)
{
    (void)ctx;
    unsigned char *b = result;
    for (size_t k = 0; k < BIG; k++)
        b[k] = big_byte(i, k);
}

static void big_done(void *ctx, int64_t i, const void *result, bool ok, const char *why)
{
    big_seen *s = ctx;
    const unsigned char *b = result;
    (void)why;
    s->calls[i]++;
    size_t k = 0;
    while (k < BIG && b[k] == big_byte(i, k))
        k++;
    s->intact[i] = ok && k == BIG;
}

TEST(test_a_result_larger_than_the_pipe_buffer_arrives_intact)
{
    big_seen s = {{0}, {0}};
    pool_options o = {.jobs = 2, .result_size = BIG, .task = big_task, .done = big_done,
                      .ctx = &s};
    ps_error err = {0};
    alarm(60); /* a deadlock fails the test instead of hanging it */
    CHECK_INT(pool_run(&o, 4, NULL, &err), 0);
    alarm(0);
    for (int i = 0; i < 4; i++) {
        CHECK_INT(s.calls[i], 1);
        CHECK_INT(s.intact[i], 1);
    }
}

static void dying_task(void *ctx, int64_t i, void *result)
{
    if (i == 7) {
        struct rlimit no_core = {0, 0};
        setrlimit(RLIMIT_CORE, &no_core); /* no core file from the test */
        abort();
    }
    if (i == 12)
        _exit(3);
    words_task(ctx, i, result);
}

TEST(test_a_child_that_dies_is_reported_and_the_others_complete)
{
    static seen s;
    memset(&s, 0, sizeof s);
    pool_options o = words_pool(&s, 3);
    o.task = dying_task;
    int64_t started = -1;
    ps_error err = {0};
    CHECK_INT(pool_run(&o, 20, &started, &err), 0);
    CHECK_INT(started, 20);
    CHECK_INT(s.n_done, 20);
    CHECK(!s.ok[7]);
    CHECK_STR_CONTAINS(s.why[7], "signal 6");
    CHECK(!s.ok[12]);
    CHECK_STR_CONTAINS(s.why[12], "exit 3");
    CHECK_INT(s.word[7][0], 0); /* zeroed, not a stale result */
    CHECK_INT(s.word[12][0], 0);
    int wrong = 0;
    for (int i = 0; i < 20; i++) {
        CHECK_INT(s.calls[i], 1);
        if (i == 7 || i == 12)
            continue;
        wrong += !s.ok[i];
        for (int k = 0; k < WORDS; k++)
            wrong += s.word[i][k] != f(i, k);
    }
    CHECK_INT(wrong, 0);
}

TEST(test_stop_raised_in_done_starts_no_more_tasks)
{
    static seen s;
    memset(&s, 0, sizeof s);
    s.stop_after = 5;
    pool_options o = words_pool(&s, 3);
    int64_t started = -1;
    ps_error err = {0};
    CHECK_INT(pool_run(&o, 50, &started, &err), 0);
    /* at the 5th completion at most jobs - 1 = 2 others were running */
    CHECK(started >= 5 && started <= 7);
    CHECK_INT(s.n_done, started);
    int wrong = 0;
    for (int i = 0; i < 50; i++)
        wrong += s.calls[i] != (i < started ? 1 : 0);
    CHECK_INT(wrong, 0);
}

/* When each child ran, by the monotonic clock (the same in every process). */
typedef struct {
    double t0, t1;
    pid_t pid;
} span;

static double now_s(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + 1e-9 * (double)t.tv_nsec;
}

static void span_task(void *ctx, int64_t i, void *result)
{
    (void)ctx, (void)i;
    span *sp = result;
    sp->pid = getpid();
    sp->t0 = now_s();
    struct timespec pause = {0, 30 * 1000 * 1000};
    while (nanosleep(&pause, &pause))
        ;
    sp->t1 = now_s();
}

typedef struct {
    span s[8];
    int n;
} spans;

static void span_done(void *ctx, int64_t i, const void *result, bool ok, const char *why)
{
    spans *v = ctx;
    (void)why;
    if (ok)
        memcpy(&v->s[i], result, sizeof v->s[i]), v->n++;
}

/* Pairs of tasks whose runs overlap in time. */
static int overlaps(int jobs, int n, int *distinct_pids)
{
    spans v = {.n = 0};
    pool_options o = {.jobs = jobs, .result_size = sizeof(span), .task = span_task,
                      .done = span_done, .ctx = &v};
    ps_error err = {0};
    CHECK_INT(pool_run(&o, n, NULL, &err), 0);
    CHECK_INT(v.n, n);
    int count = 0;
    *distinct_pids = 0;
    for (int i = 0; i < n; i++) {
        bool fresh = v.s[i].pid != 0 && v.s[i].pid != getpid();
        for (int j = 0; j < n; j++) {
            if (j == i)
                continue;
            fresh = fresh && v.s[j].pid != v.s[i].pid;
            count += j > i && v.s[i].t0 < v.s[j].t1 && v.s[j].t0 < v.s[i].t1;
        }
        *distinct_pids += fresh;
    }
    return count;
}

TEST(test_one_job_runs_the_tasks_one_at_a_time)
{
    int pids = 0;
    CHECK_INT(overlaps(1, 5, &pids), 0);
    CHECK_INT(pids, 5); /* each in a child of its own */
    /* the check sees overlap where there is some: three jobs run together */
    CHECK(overlaps(3, 6, &pids) > 0);
    CHECK_INT(pids, 6);
}

static void never_called(void *ctx, int64_t i, const void *result, bool ok, const char *why)
{
    (void)i, (void)result, (void)ok, (void)why;
    ++*(int *)ctx;
}

TEST(test_no_tasks_is_nothing_to_do)
{
    int calls = 0;
    pool_options o = {.jobs = 0, .result_size = 8, .task = words_task, .done = never_called,
                      .ctx = &calls};
    int64_t started = -1;
    ps_error err = {0};
    CHECK_INT(pool_run(&o, 0, &started, &err), 0);
    CHECK_INT(started, 0);
    CHECK_INT(calls, 0);
}

TEST_MAIN(T(test_every_result_arrives_once_with_its_content),
          T(test_a_result_larger_than_the_pipe_buffer_arrives_intact),
          T(test_a_child_that_dies_is_reported_and_the_others_complete),
          T(test_stop_raised_in_done_starts_no_more_tasks),
          T(test_one_job_runs_the_tasks_one_at_a_time),
          T(test_no_tasks_is_nothing_to_do))
