/* Trace files (traces/trace.h): root attributes, the temporary name and the
 * rename at close, abort, and errors that name the path. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "tests/harness.h"
#include "tests/traces/h5_read.h"
#include "traces/trace.h"

static const table_column one_column[] = {{"x", TABLE_INT, NULL, NULL, 8, 0}};

static int append_rows(trace_table *t, int n)
{
    ps_error err = {0};
    for (int i = 0; i < n; i++) {
        table_value v[1] = {{.i = i}};
        if (trace_table_append(t, v, &err))
            return -1;
    }
    return 0;
}

TEST(test_root_attributes_are_written_and_completed_is_set_at_close)
{
    const char *dir = h5r_tmpdir();
    const char *path = h5r_join(dir, "run.h5");
    /* A scenario far beyond HDF5's 64 KiB compact attribute limit. */
    size_t scenario_len = 100000;
    char *scenario = malloc(scenario_len + 1);
    for (size_t i = 0; i < scenario_len; i++)
        scenario[i] = (i % 61 == 60) ? '\n' : (char)('a' + i % 26);
    scenario[scenario_len] = '\0';
    trace_meta meta = {"0.1.0", scenario, 1234567890123LL, "partsim run x.yaml --set seed=7"};
    trace_file *f = NULL;
    ps_error err = {0};
    CHECK_INT(trace_open(path, &meta, &f, &err), 0);
    CHECK_INT(trace_close(f, &err), 0);

    hid_t h5 = H5Fopen(path, H5F_ACC_RDONLY, H5P_DEFAULT);
    CHECK(h5 >= 0);
    char s[128];
    int64_t v = 0;
    CHECK_INT(h5r_attr_str(h5, "partsim_version", s, sizeof s), 0);
    CHECK(strcmp(s, "0.1.0") == 0);
    CHECK_INT(h5r_attr_int64(h5, "schema_version", &v), 0);
    CHECK_INT(v, 1);
    CHECK_INT(h5r_attr_int64(h5, "seed", &v), 0);
    CHECK_INT(v, 1234567890123LL);
    CHECK_INT(h5r_attr_str(h5, "command_line", s, sizeof s), 0);
    CHECK(strcmp(s, "partsim run x.yaml --set seed=7") == 0);
    CHECK_INT(h5r_attr_int64(h5, "completed", &v), 0);
    CHECK_INT(v, 1);
    /* created_at: "YYYY-MM-DDTHH:MM:SSZ" is 20 characters */
    CHECK_INT(h5r_attr_str(h5, "created_at", s, sizeof s), 0);
    CHECK_INT(strlen(s), 20);
    CHECK(s[4] == '-' && s[10] == 'T' && s[13] == ':' && s[19] == 'Z');
    char *back = malloc(scenario_len + 2);
    CHECK_INT(h5r_attr_str(h5, "scenario", back, scenario_len + 2), 0);
    CHECK_INT(strlen(back), scenario_len);
    CHECK(strcmp(back, scenario) == 0);
    H5Fclose(h5);
    free(back);
    free(scenario);
    unlink(path);
    rmdir(dir);
}

TEST(test_final_path_appears_only_after_close)
{
    const char *dir = h5r_tmpdir();
    const char *path = h5r_join(dir, "run.h5");
    char expected_partial[600];
    snprintf(expected_partial, sizeof expected_partial, "%s.partial-%ld", path, (long)getpid());
    trace_meta meta = {"0.1.0", "s: 1", 7, "partsim run"};
    trace_file *f = NULL;
    ps_error err = {0};
    CHECK_INT(trace_open(path, &meta, &f, &err), 0);
    CHECK(strcmp(trace_file_partial_path(f), expected_partial) == 0);
    CHECK(strcmp(trace_file_path(f), path) == 0);
    trace_table *t = h5r_table(f, "/t", 1, one_column, &err);
    CHECK(t != NULL);
    CHECK_INT(append_rows(t, 5000), 0); /* one chunk written, 904 rows buffered */
    CHECK(!h5r_exists(path));
    CHECK(h5r_exists(expected_partial));
    CHECK_INT(trace_close(f, &err), 0);
    CHECK(h5r_exists(path));
    CHECK(!h5r_exists(expected_partial));
    hid_t h5 = H5Fopen(path, H5F_ACC_RDONLY, H5P_DEFAULT);
    CHECK_INT(h5r_rows(h5, "/t"), 5000);
    H5Fclose(h5);
    unlink(path);
    rmdir(dir);
}

TEST(test_existing_file_is_replaced_only_at_close)
{
    const char *dir = h5r_tmpdir();
    const char *path = h5r_join(dir, "run.h5");
    FILE *old = fopen(path, "w");
    fputs("old results", old);
    fclose(old);
    trace_file *f = NULL;
    ps_error err = {0};
    CHECK_INT(trace_open(path, NULL, &f, &err), 0);
    CHECK_INT(H5Fis_hdf5(path), 0); /* still the old text file */
    CHECK_INT(trace_close(f, &err), 0);
    CHECK(H5Fis_hdf5(path) > 0);
    unlink(path);
    rmdir(dir);
}

TEST(test_abort_leaves_nothing_behind)
{
    const char *dir = h5r_tmpdir();
    const char *path = h5r_join(dir, "run.h5");
    trace_file *f = NULL;
    ps_error err = {0};
    CHECK_INT(trace_open(path, NULL, &f, &err), 0);
    trace_table *t = h5r_table(f, "/t", 1, one_column, &err);
    CHECK_INT(append_rows(t, 10000), 0);
    trace_abort(f);
    CHECK(!h5r_exists(path));
    /* rmdir succeeds only on an empty folder: no partial file is left */
    CHECK_INT(rmdir(dir), 0);
    trace_abort(NULL);
}

TEST(test_missing_folders_are_created)
{
    const char *dir = h5r_tmpdir();
    const char *path = h5r_join(dir, "a/b/run.h5");
    trace_file *f = NULL;
    ps_error err = {0};
    CHECK_INT(trace_open(path, NULL, &f, &err), 0);
    CHECK_INT(trace_close(f, &err), 0);
    CHECK(h5r_exists(path));
    unlink(path);
    rmdir(h5r_join(dir, "a/b"));
    rmdir(h5r_join(dir, "a"));
    rmdir(dir);
}

TEST(test_unwritable_path_gives_an_error_naming_it)
{
    const char *dir = h5r_tmpdir();
    /* A regular file where a folder should be: fails even for root. */
    const char *blocker = h5r_join(dir, "blocker");
    FILE *b = fopen(blocker, "w");
    fclose(b);
    const char *path = h5r_join(dir, "blocker/sub/run.h5");
    static int sentinel;
    trace_file *f = (trace_file *)&sentinel;
    ps_error err = {0};
    CHECK_INT(trace_open(path, NULL, &f, &err), PS_ERR_IO);
    CHECK(f == NULL);
    CHECK_STR_CONTAINS(err.msg, "blocker/sub/run.h5");
    CHECK_STR_CONTAINS(err.msg, "blocker");
    /* The folder exists but the file cannot be created: a name over NAME_MAX (255). */
    char name[300];
    memset(name, 'n', 280);
    strcpy(name + 280, ".h5");
    const char *path2 = h5r_join(dir, name);
    CHECK_INT(trace_open(path2, NULL, &f, &err), PS_ERR_IO);
    CHECK(f == NULL);
    CHECK_STR_CONTAINS(err.msg, path2);
    CHECK_STR_CONTAINS(err.msg, "too long");
    CHECK_INT(trace_open("", NULL, &f, &err), PS_ERR_INPUT);
    unlink(blocker);
    rmdir(dir);
}

TEST(test_a_folder_or_device_as_target_is_refused_before_anything_is_written)
{
    const char *dir = h5r_tmpdir();
    const char *path = h5r_join(dir, "out");
    mkdir(path, 0777);
    trace_file *f = NULL;
    ps_error err = {0};
    CHECK_INT(trace_open(path, NULL, &f, &err), PS_ERR_INPUT);
    CHECK(f == NULL);
    CHECK_STR_CONTAINS(err.msg, "a folder");
    const char *fifo = h5r_join(dir, "fifo");
    CHECK_INT(mkfifo(fifo, 0600), 0);
    CHECK_INT(trace_open(fifo, NULL, &f, &err), PS_ERR_INPUT);
    CHECK_STR_CONTAINS(err.msg, "FIFO");
    struct stat st;
    CHECK_INT(lstat(fifo, &st), 0);
    CHECK(S_ISFIFO(st.st_mode)); /* still the FIFO */
    unlink(fifo);
    rmdir(path);
    CHECK_INT(rmdir(dir), 0); /* nothing else was left behind */
}

TEST(test_rename_failure_keeps_the_complete_trace_and_names_both_paths)
{
    const char *dir = h5r_tmpdir();
    const char *path = h5r_join(dir, "out");
    trace_file *f = NULL;
    ps_error err = {0};
    CHECK_INT(trace_open(path, NULL, &f, &err), 0);
    /* While the trace is written, a folder appears at the requested path:
     * it must not be replaced. */
    mkdir(path, 0777);
    const char *inside = h5r_join(path, "keep");
    FILE *k = fopen(inside, "w");
    fclose(k);
    char partial[600];
    snprintf(partial, sizeof partial, "%s", trace_file_partial_path(f));
    CHECK(trace_close(f, &err) != 0);
    CHECK_STR_CONTAINS(err.msg, partial);
    CHECK_STR_CONTAINS(err.msg, "kept");
    CHECK(H5Fis_hdf5(partial) > 0);
    CHECK(h5r_exists(inside));
    unlink(partial);
    unlink(inside);
    rmdir(path);
    rmdir(dir);
}

TEST_MAIN(T(test_root_attributes_are_written_and_completed_is_set_at_close),
          T(test_final_path_appears_only_after_close),
          T(test_existing_file_is_replaced_only_at_close),
          T(test_abort_leaves_nothing_behind),
          T(test_missing_folders_are_created),
          T(test_unwritable_path_gives_an_error_naming_it),
          T(test_a_folder_or_device_as_target_is_refused_before_anything_is_written),
          T(test_rename_failure_keeps_the_complete_trace_and_names_both_paths))
