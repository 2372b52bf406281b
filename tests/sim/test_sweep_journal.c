/* A sweep's journal (sim/sweep_journal.h): records read back as written,
 * a record cut short by a kill dropped, another sweep's journal refused. */
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "sim/sweep_journal.h"
#include "tests/fixture_files.h"
#include "tests/harness.h"

static void result_of(int64_t p, sweep_result *r)
{
    memset(r, 0, sizeof *r);
    r->point = p, r->seed = 10 + p, r->ok = p % 3 != 0;
    snprintf(r->error, sizeof r->error, "error of %lld", (long long)p);
    snprintf(r->busiest_node, sizeof r->busiest_node, "cam%lld", (long long)p);
    r->busiest_link_utilization = 0.5 + (double)p;
    r->wall_s = 0.25 * (double)p;
    r->n_pipelines = (int)(p % 3);
    for (int i = 0; i < r->n_pipelines; i++) {
        sweep_pipeline *q = &r->pipelines[i];
        snprintf(q->name, sizeof q->name, "pipe%d", i);
        q->completed = 100 * p + i;
        q->latency_p99_s = 1e-3 * (double)(p + i);
        q->n_energy = i + 1;
        for (int k = 0; k < q->n_energy; k++) {
            snprintf(q->energy[k].resource, sizeof q->energy[k].resource, "g%d", k);
            q->energy[k].link = k == 1;
            q->energy[k].energy_per_frame_j = (double)(p * 10 + k);
        }
    }
}

static void check_same(const sweep_result *a, const sweep_result *b)
{
    CHECK_INT(a->point, b->point);
    CHECK_INT(a->seed, b->seed);
    CHECK_INT(a->ok, b->ok);
    CHECK(!strcmp(a->error, b->error));
    CHECK(!strcmp(a->busiest_node, b->busiest_node));
    CHECK_NEAR(a->busiest_link_utilization, b->busiest_link_utilization, 0);
    CHECK_NEAR(a->wall_s, b->wall_s, 0);
    CHECK_INT(a->n_pipelines, b->n_pipelines);
    for (int i = 0; i < a->n_pipelines && i < b->n_pipelines; i++) {
        CHECK(!strcmp(a->pipelines[i].name, b->pipelines[i].name));
        CHECK_INT(a->pipelines[i].completed, b->pipelines[i].completed);
        CHECK_NEAR(a->pipelines[i].latency_p99_s, b->pipelines[i].latency_p99_s, 0);
        CHECK_INT(a->pipelines[i].n_energy, b->pipelines[i].n_energy);
        for (int k = 0; k < a->pipelines[i].n_energy; k++) {
            CHECK(!strcmp(a->pipelines[i].energy[k].resource,
                          b->pipelines[i].energy[k].resource));
            CHECK_INT(a->pipelines[i].energy[k].link, b->pipelines[i].energy[k].link);
            CHECK_NEAR(a->pipelines[i].energy[k].energy_per_frame_j,
                       b->pipelines[i].energy[k].energy_per_frame_j, 0);
        }
    }
}

static sweep_result a, b; /* large */

TEST(test_records_read_back_as_written_in_any_order)
{
    const char *path = fixture_path("j1.journal");
    sweep_journal *j;
    ps_error err = {0};
    CHECK_INT(sweep_journal_create(path, "grid; x=1,2", "scenario text", 10, &j, &err), 0);
    int64_t order[] = {3, 0, 7, 1, 2};
    for (int i = 0; i < 5; i++) {
        result_of(order[i], &a);
        CHECK_INT(sweep_journal_append(j, &a, &err), 0);
    }
    sweep_journal_close(j, false);
    CHECK_INT(sweep_journal_resume(path, "grid; x=1,2", "scenario text", 10, &j, &err), 0);
    CHECK_INT(sweep_journal_count(j), 5);
    for (int64_t p = 0; p < 10; p++) {
        bool has = p == 0 || p == 1 || p == 2 || p == 3 || p == 7;
        CHECK_INT(sweep_journal_has(j, p), has);
        if (!has)
            continue;
        result_of(p, &a);
        CHECK_INT(sweep_journal_read(j, p, &b, &err), 0);
        check_same(&a, &b);
    }
    /* appended after a resume, read back too; then removed at the end */
    result_of(9, &a);
    CHECK_INT(sweep_journal_append(j, &a, &err), 0);
    CHECK_INT(sweep_journal_read(j, 9, &b, &err), 0);
    check_same(&a, &b);
    CHECK_INT(sweep_journal_count(j), 6);
    sweep_journal_close(j, true);
    CHECK(access(path, F_OK) != 0);
}

TEST(test_a_record_cut_short_by_a_kill_is_dropped_and_overwritten)
{
    const char *path = fixture_path("j2.journal");
    sweep_journal *j;
    ps_error err = {0};
    CHECK_INT(sweep_journal_create(path, "s", "t", 4, &j, &err), 0);
    result_of(1, &a);
    CHECK_INT(sweep_journal_append(j, &a, &err), 0);
    result_of(2, &a);
    CHECK_INT(sweep_journal_append(j, &a, &err), 0);
    sweep_journal_close(j, false);
    struct stat st;
    CHECK_INT(stat(path, &st), 0);
    CHECK_INT(truncate(path, st.st_size - 7), 0); /* the second record loses its tail */
    CHECK_INT(sweep_journal_resume(path, "s", "t", 4, &j, &err), 0);
    CHECK_INT(sweep_journal_count(j), 1);
    CHECK(sweep_journal_has(j, 1) && !sweep_journal_has(j, 2));
    result_of(3, &a);
    CHECK_INT(sweep_journal_append(j, &a, &err), 0);
    sweep_journal_close(j, false);
    CHECK_INT(sweep_journal_resume(path, "s", "t", 4, &j, &err), 0);
    CHECK_INT(sweep_journal_count(j), 2);
    CHECK_INT(sweep_journal_read(j, 3, &b, &err), 0);
    check_same(&a, &b);
    sweep_journal_close(j, true);
}

TEST(test_another_sweeps_or_scenarios_journal_is_refused)
{
    const char *path = fixture_path("j3.journal");
    sweep_journal *j;
    ps_error err = {0};
    CHECK_INT(sweep_journal_create(path, "grid; x=1,2", "text A", 4, &j, &err), 0);
    sweep_journal_close(j, false);
    CHECK_INT(sweep_journal_resume(path, "grid; x=1,3", "text A", 4, &j, &err), PS_ERR_INPUT);
    CHECK_STR_CONTAINS(err.msg, "differ at character 11: it has 'grid; x=1,2', this sweep "
                                "'grid; x=1,3'");
    CHECK_INT(sweep_journal_resume(path, "grid; x=1,2", "text B", 4, &j, &err), PS_ERR_INPUT);
    CHECK_STR_CONTAINS(err.msg, "another scenario");
    const char *junk = fixture_write_text("junk.journal", "not a journal at all, not at all");
    CHECK_INT(sweep_journal_resume(junk, "s", "t", 4, &j, &err), PS_ERR_INPUT);
    CHECK_STR_CONTAINS(err.msg, "is not a partsim sweep journal");
    CHECK_INT(sweep_journal_resume(fixture_path("none.journal"), "s", "t", 4, &j, &err),
              PS_ERR_IO);
}

TEST(test_a_zero_filled_record_is_not_a_result)
{
    /* a power cut can leave a length prefix and zeros behind: the checksum
     * refuses it, so point 0 is not replaced by an empty result */
    const char *path = fixture_path("j4.journal");
    sweep_journal *j;
    ps_error err = {0};
    CHECK_INT(sweep_journal_create(path, "s", "t", 4, &j, &err), 0);
    result_of(2, &a);
    CHECK_INT(sweep_journal_append(j, &a, &err), 0);
    sweep_journal_close(j, false);
    int fd = open(path, O_WRONLY | O_APPEND);
    uint64_t n = 200;
    char zeros[216] = {0};
    CHECK(write(fd, &n, sizeof n) == (ssize_t)sizeof n);
    CHECK(write(fd, zeros, sizeof zeros) == (ssize_t)sizeof zeros);
    close(fd);
    CHECK_INT(sweep_journal_resume(path, "s", "t", 4, &j, &err), 0);
    CHECK_INT(sweep_journal_count(j), 1);
    CHECK(!sweep_journal_has(j, 0) && sweep_journal_has(j, 2));
    sweep_journal_close(j, true);
}

TEST(test_a_journal_another_sweep_holds_or_a_symbolic_link_is_refused)
{
    const char *path = fixture_path("j5.journal");
    sweep_journal *j, *k;
    ps_error err = {0};
    CHECK_INT(sweep_journal_create(path, "s", "t", 4, &j, &err), 0);
    CHECK_INT(sweep_journal_resume(path, "s", "t", 4, &k, &err), PS_ERR_INPUT);
    CHECK_STR_CONTAINS(err.msg, "another sweep is writing");
    CHECK_INT(sweep_journal_create(path, "s", "t", 4, &k, &err), PS_ERR_INPUT);
    sweep_journal_close(j, false);
    const char *victim = fixture_write_text("victim.txt", "not partsim's");
    const char *link = fixture_path("link.journal");
    CHECK_INT(symlink(victim, link), 0);
    CHECK(sweep_journal_create(link, "s", "t", 4, &k, &err) != 0);
    struct stat st;
    CHECK_INT(stat(victim, &st), 0);
    CHECK_INT(st.st_size, 13); /* left as it was */
    unlink(link);
}

TEST_MAIN(T(test_records_read_back_as_written_in_any_order),
          T(test_a_record_cut_short_by_a_kill_is_dropped_and_overwritten),
          T(test_another_sweeps_or_scenarios_journal_is_refused),
          T(test_a_zero_filled_record_is_not_a_result),
          T(test_a_journal_another_sweep_holds_or_a_symbolic_link_is_refused))
