/* Trace tables (traces/trace.h): every column type across several chunks,
 * the dataset's layout, units, nested groups, column and append errors, and
 * memory that stays flat with the number of rows. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "tests/harness.h"
#include "tests/traces/h5_read.h"
#include "traces/trace.h"

static const table_column all_types[] = {
    {"i8", TABLE_INT, NULL, NULL, 1, 0},  {"i16", TABLE_INT, NULL, NULL, 2, 0},
    {"i32", TABLE_INT, NULL, NULL, 4, 0}, {"i64", TABLE_INT, "B", NULL, 8, 0},
    {"f64", TABLE_FLOAT, "s", NULL, 0, 0}, {"str", TABLE_STR, NULL, NULL, 12, 0},
};

/* Row i of the all_types table. */
static void all_types_row(int i, table_value v[6], char *s, size_t size)
{
    snprintf(s, size, "row%d", i);
    v[0].i = i % 100 - 50;              /* -50 .. 49 */
    v[1].i = i - 5000;                  /* -5000 .. 4999 */
    v[2].i = (int64_t)i * 1000;         /* up to 9 999 000 */
    v[3].i = (int64_t)i * 10000000000LL; /* beyond 32 bits from i = 1 */
    v[4].f = i * 0.5 + 0.25;
    v[5].s = s;
}

static trace_file *open_tmp(const char **dir, const char **path)
{
    *dir = h5r_tmpdir();
    *path = h5r_join(*dir, "t.h5");
    trace_file *f = NULL;
    ps_error err = {0};
    CHECK_INT(trace_open(*path, NULL, &f, &err), 0);
    return f;
}

static void remove_tmp(const char *dir, const char *path)
{
    unlink(path);
    rmdir(dir);
}

TEST(test_rows_across_three_chunks_read_back_exactly)
{
    const char *dir, *path;
    trace_file *f = open_tmp(&dir, &path);
    ps_error err = {0};
    trace_table *t = h5r_table(f, "/all", 6, all_types, &err);
    CHECK(t != NULL);
    /* packed: 1 + 2 + 4 + 8 + 8 + 12 = 35 bytes */
    CHECK_INT(trace_table_row_bytes(t), 35);
    /* 10000 rows = 9 x 1024 + 784: nine full chunks, one partial at close */
    for (int i = 0; i < 10000; i++) {
        table_value v[6];
        char s[16];
        all_types_row(i, v, s, sizeof s);
        CHECK_INT(trace_table_append(t, v, &err), 0);
    }
    CHECK_INT(trace_table_rows(t), 10000);
    CHECK_INT(trace_close(f, &err), 0);

    hid_t h5 = H5Fopen(path, H5F_ACC_RDONLY, H5P_DEFAULT);
    CHECK_INT(h5r_rows(h5, "/all"), 10000);
    int64_t *i8 = h5r_column_int64(h5, "/all", "i8");
    int64_t *i16 = h5r_column_int64(h5, "/all", "i16");
    int64_t *i32 = h5r_column_int64(h5, "/all", "i32");
    int64_t *i64 = h5r_column_int64(h5, "/all", "i64");
    double *f64 = h5r_column_f64(h5, "/all", "f64");
    char *str = h5r_column_str(h5, "/all", "str", 13);
    CHECK(i8 && i16 && i32 && i64 && f64 && str);
    int bad = 0;
    for (int i = 0; i < 10000 && i8 && i16 && i32 && i64 && f64 && str; i++) {
        table_value v[6];
        char s[16];
        all_types_row(i, v, s, sizeof s);
        bad += i8[i] != v[0].i || i16[i] != v[1].i || i32[i] != v[2].i || i64[i] != v[3].i ||
               f64[i] != v[4].f || strcmp(str + 13 * i, s) != 0;
    }
    CHECK_INT(bad, 0);
    /* spot values by hand: row 9999 */
    if (i8 && i64 && f64 && str) {
        CHECK_INT(i8[9999], 49);                       /* 9999 % 100 - 50 */
        CHECK_INT(i64[9999], 99990000000000LL);        /* 9999 * 1e10 */
        CHECK_NEAR(f64[9999], 4999.75, 0);             /* 9999 * 0.5 + 0.25 */
        CHECK(strcmp(str + 13 * 1024, "row1024") == 0); /* first row of chunk 2 */
    }
    free(i8), free(i16), free(i32), free(i64), free(f64), free(str);

    /* layout: chunks of TRACE_BUFFER_ROWS (1024) rows, shuffle then deflate level 1,
     * unlimited */
    hid_t d = H5Dopen2(h5, "/all", H5P_DEFAULT);
    hid_t dcpl = H5Dget_create_plist(d);
    hsize_t chunk = 0, maxdims = 0, dims = 0;
    CHECK_INT(H5Pget_chunk(dcpl, 1, &chunk), 1);
    CHECK_INT(chunk, 1024);
    CHECK_INT(H5Pget_nfilters(dcpl), 2);
    unsigned flags, cd[4];
    size_t ncd = 4;
    CHECK_INT(H5Pget_filter2(dcpl, 0, &flags, &ncd, cd, 0, NULL, NULL), H5Z_FILTER_SHUFFLE);
    ncd = 4;
    CHECK_INT(H5Pget_filter2(dcpl, 1, &flags, &ncd, cd, 0, NULL, NULL), H5Z_FILTER_DEFLATE);
    CHECK_INT(cd[0], 1);
    hid_t space = H5Dget_space(d);
    H5Sget_simple_extent_dims(space, &dims, &maxdims);
    CHECK(maxdims == H5S_UNLIMITED);
    /* units: unit_<column> where one was given, nothing otherwise */
    char unit[16];
    CHECK_INT(h5r_attr_str(d, "unit_f64", unit, sizeof unit), 0);
    CHECK(strcmp(unit, "s") == 0);
    CHECK_INT(h5r_attr_str(d, "unit_i64", unit, sizeof unit), 0);
    CHECK(strcmp(unit, "B") == 0);
    CHECK_INT(H5Aexists(d, "unit_i8"), 0);
    H5Sclose(space);
    H5Pclose(dcpl);
    H5Dclose(d);
    H5Fclose(h5);
    remove_tmp(dir, path);
}

TEST(test_nested_table_creates_its_groups)
{
    const char *dir, *path;
    trace_file *f = open_tmp(&dir, &path);
    ps_error err = {0};
    table_column cols[] = {{"x", TABLE_FLOAT, NULL, NULL, 0, 0}};
    trace_table *t = h5r_table(f, "/sweep/points", 1, cols, &err);
    CHECK(t != NULL);
    table_value v = {.f = 2.5};
    CHECK_INT(trace_table_append(t, &v, &err), 0);
    CHECK(h5r_table(f, "sweep/points", 1, cols, &err) == NULL); /* same table */
    CHECK_STR_CONTAINS(err.msg, "already exists");
    CHECK_INT(trace_close(f, &err), 0);
    hid_t h5 = H5Fopen(path, H5F_ACC_RDONLY, H5P_DEFAULT);
    H5O_info_t info;
    CHECK(H5Oget_info_by_name(h5, "/sweep", &info, H5P_DEFAULT) >= 0);
    CHECK(info.type == H5O_TYPE_GROUP);
    double *x = h5r_column_f64(h5, "/sweep/points", "x");
    CHECK(x && x[0] == 2.5);
    free(x);
    H5Fclose(h5);
    remove_tmp(dir, path);
}

TEST(test_bad_column_lists_are_refused_with_the_column_named)
{
    const char *dir, *path;
    trace_file *f = open_tmp(&dir, &path);
    ps_error err = {0};
    table_column dup[] = {{"a_s", TABLE_FLOAT, NULL, NULL, 0, 0},
                          {"a_s", TABLE_INT, NULL, NULL, 4, 0}};
    CHECK(h5r_table(f, "/dup", 2, dup, &err) == NULL);
    CHECK_STR_CONTAINS(err.msg, "'a_s' appears twice");
    table_column empty[] = {{"a", TABLE_FLOAT, NULL, NULL, 0, 0},
                            {"", TABLE_INT, NULL, NULL, 4, 0}};
    CHECK(h5r_table(f, "/empty", 2, empty, &err) == NULL);
    CHECK_STR_CONTAINS(err.msg, "column name '' is not [a-z0-9_]+");
    table_column wide[] = {{"name", TABLE_STR, NULL, NULL, TRACE_STR_MAX + 1, 0}};
    CHECK(h5r_table(f, "/wide", 1, wide, &err) == NULL);
    CHECK_STR_CONTAINS(err.msg, "'name' is 4097 bytes wide, expected 1..4096");
    CHECK(h5r_table(f, "/none", 0, wide, &err) == NULL);
    CHECK_STR_CONTAINS(err.msg, "/none");
    CHECK(h5r_table(f, "", 1, wide, &err) == NULL);
    /* a refused table leaves no dataset behind */
    CHECK_INT(trace_close(f, &err), 0);
    hid_t h5 = H5Fopen(path, H5F_ACC_RDONLY, H5P_DEFAULT);
    CHECK_INT(h5r_rows(h5, "/dup"), -1);
    H5Fclose(h5);
    remove_tmp(dir, path);
}

TEST(test_a_refused_row_is_not_appended)
{
    const char *dir, *path;
    trace_file *f = open_tmp(&dir, &path);
    ps_error err = {0};
    trace_table *t = h5r_table(f, "/all", 6, all_types, &err);
    table_value v[6];
    char s[16];
    all_types_row(1, v, s, sizeof s);
    CHECK_INT(trace_table_append(t, v, &err), 0);
    v[0].i = 128; /* int8 holds -128 .. 127 */
    CHECK_INT(trace_table_append(t, v, &err), PS_ERR_INTERNAL);
    CHECK_STR_CONTAINS(err.msg, "column 'i8' is int8, value 128 does not fit");
    v[0].i = 0;
    v[5].s = "thirteen byte"; /* 13 > 12 */
    CHECK_INT(trace_table_append(t, v, &err), PS_ERR_INTERNAL);
    CHECK_STR_CONTAINS(err.msg, "'str' holds at most 12 bytes");
    v[5].s = "twelve bytes"; /* exactly the width: kept whole */
    CHECK_INT(trace_table_append(t, v, &err), 0);
    CHECK_INT(trace_table_rows(t), 2);
    CHECK_INT(trace_close(f, &err), 0);
    hid_t h5 = H5Fopen(path, H5F_ACC_RDONLY, H5P_DEFAULT);
    CHECK_INT(h5r_rows(h5, "/all"), 2);
    char *str = h5r_column_str(h5, "/all", "str", 13);
    CHECK(str && strcmp(str, "row1") == 0 && strcmp(str + 13, "twelve bytes") == 0);
    free(str);
    H5Fclose(h5);
    remove_tmp(dir, path);
}

TEST(test_memory_stays_flat_over_a_million_rows)
{
    const char *dir, *path;
    trace_file *f = open_tmp(&dir, &path);
    ps_error err = {0};
    table_column cols[6] = {{"frame", TABLE_INT, NULL, NULL, 8, 0}};
    const char *names[] = {"a_s", "b_s", "c_s", "d_s", "e_j"};
    for (int c = 1; c < 6; c++)
        cols[c] = (table_column){names[c - 1], TABLE_FLOAT, "s", NULL, 0, 0};
    trace_table *t = h5r_table(f, "/big", 6, cols, &err);
    /* 6 x 8 = 48 bytes a row, 1024 rows buffered: 49152 bytes, whatever the row count */
    CHECK_INT(trace_table_buffer_bytes(t), 49152);
    long long rss_before = 0;
    const int n = 1000000;
    for (int i = 0; i < n; i++) {
        table_value v[6] = {{.i = i}, {.f = i * 1e-3}, {.f = 1.0}, {.f = 2.0}, {.f = 3.0},
                            {.f = i * 2e-3}};
        if (trace_table_append(t, v, &err)) {
            CHECK(0);
            break;
        }
        if (i == 100000)
            rss_before = h5r_rss_bytes();
    }
    CHECK_INT(trace_table_buffer_bytes(t), 49152);
    CHECK_INT(trace_table_rows(t), n);
    /* Holding the 900 000 later rows would take 900000 x 48 = 43.2 MB; allow
     * 8 MB for HDF5's chunk index and allocator slack. */
    long long grown = h5r_rss_bytes() - rss_before;
    CHECK(grown < 8LL * 1024 * 1024);
    CHECK_INT(trace_close(f, &err), 0);
    hid_t h5 = H5Fopen(path, H5F_ACC_RDONLY, H5P_DEFAULT);
    CHECK_INT(h5r_rows(h5, "/big"), n);
    int64_t *frame = h5r_column_int64(h5, "/big", "frame");
    double *e = h5r_column_f64(h5, "/big", "e_j");
    CHECK(frame && e);
    if (frame && e) {
        CHECK_INT(frame[999999], 999999);
        CHECK_NEAR(e[500000], 1000.0, 1e-15); /* 500000 x 2e-3 */
    }
    free(frame);
    free(e);
    H5Fclose(h5);
    remove_tmp(dir, path);
}

TEST(test_a_table_may_choose_its_chunk_rows)
{
    const char *dir, *path;
    trace_file *f = open_tmp(&dir, &path);
    ps_error err = {0};
    table_spec spec;
    CHECK_INT(table_spec_init(&spec, "seven", &err), 0);
    CHECK_INT(table_spec_add(&spec, all_types, 6, &err), 0);
    trace_table *t = trace_table_create_chunked(f, "/seven", &spec, &(trace_table_layout){7, 6, false}, &err);
    CHECK(t != NULL);
    CHECK_INT(trace_table_buffer_bytes(t), 7 * 35);
    for (int i = 0; t && i < 20; i++) { /* 7 + 7 + 6 */
        table_value v[6];
        char s[16];
        all_types_row(i, v, s, sizeof s);
        CHECK_INT(trace_table_append(t, v, &err), 0);
    }
    CHECK(trace_table_create_chunked(f, "/bad", &spec, &(trace_table_layout){.chunk_rows = -1}, &err) == NULL);
    CHECK_STR_CONTAINS(err.msg, "rows a chunk");
    CHECK(trace_table_create_chunked(f, "/bad", &spec,
                                     &(trace_table_layout){TRACE_CHUNK_ROWS_MAX + 1, 0, false}, &err) == NULL);
    CHECK(trace_table_create_chunked(f, "/bad", &spec, &(trace_table_layout){7, 10, false}, &err) == NULL);
    CHECK_STR_CONTAINS(err.msg, "deflate level 10");
    table_spec_free(&spec);
    CHECK_INT(trace_close(f, &err), 0);
    hid_t h5 = H5Fopen(path, H5F_ACC_RDONLY, H5P_DEFAULT);
    CHECK_INT(h5r_rows(h5, "/seven"), 20);
    int64_t *i32 = h5r_column_int64(h5, "/seven", "i32");
    CHECK(i32 && i32[19] == 19000 && i32[7] == 7000);
    free(i32);
    hid_t d = H5Dopen2(h5, "/seven", H5P_DEFAULT);
    hid_t dcpl = H5Dget_create_plist(d);
    hsize_t chunk = 0;
    CHECK_INT(H5Pget_chunk(dcpl, 1, &chunk), 1);
    CHECK_INT(chunk, 7);
    unsigned flags = 0, level[1] = {0};
    size_t n_level = 1;
    CHECK(H5Pget_filter_by_id2(dcpl, H5Z_FILTER_DEFLATE, &flags, &n_level, level, 0, NULL,
                               NULL) >= 0);
    CHECK_INT(level[0], 6);
    H5Pclose(dcpl);
    H5Dclose(d);
    H5Fclose(h5);
    remove_tmp(dir, path);
}

/* The same rows in a table compressed by HDF5 and in one compressed on the
 * worker thread (then written with H5Dwrite_chunk): the same values back,
 * and the same bytes on disk (the worker's shuffle + deflate are HDF5's). */
TEST(test_background_compression_writes_what_hdf5_would)
{
    const char *dir, *path;
    trace_file *f = open_tmp(&dir, &path);
    ps_error err = {0};
    table_spec spec;
    CHECK_INT(table_spec_init(&spec, "t", &err), 0);
    CHECK_INT(table_spec_add(&spec, all_types, 6, &err), 0);
    trace_table *fg = trace_table_create_chunked(f, "/hdf5", &spec,
                                                 &(trace_table_layout){7, 6, false}, &err);
    trace_table *bg = trace_table_create_chunked(f, "/worker", &spec,
                                                 &(trace_table_layout){7, 6, true}, &err);
    table_spec_free(&spec);
    CHECK(fg && bg);
    for (int i = 0; fg && bg && i < 100; i++) { /* 14 full chunks and 2 rows */
        table_value v[6];
        char s[16];
        all_types_row(i, v, s, sizeof s);
        CHECK_INT(trace_table_append(fg, v, &err), 0);
        CHECK_INT(trace_table_append(bg, v, &err), 0);
        CHECK_INT(trace_table_rows(bg), i + 1);
    }
    CHECK_INT(trace_close(f, &err), 0);
    hid_t h5 = H5Fopen(path, H5F_ACC_RDONLY, H5P_DEFAULT);
    CHECK_INT(h5r_rows(h5, "/worker"), 100);
    int64_t *a = h5r_column_int64(h5, "/hdf5", "i64"), *b = h5r_column_int64(h5, "/worker", "i64");
    double *x = h5r_column_f64(h5, "/hdf5", "f64"), *y = h5r_column_f64(h5, "/worker", "f64");
    char *s = h5r_column_str(h5, "/worker", "str", 13);
    CHECK(a && b && x && y && s);
    int bad = 0;
    for (int i = 0; a && b && x && y && s && i < 100; i++) {
        char want[16];
        snprintf(want, sizeof want, "row%d", i);
        bad += a[i] != b[i] || b[i] != (int64_t)i * 10000000000LL || x[i] != y[i] ||
               y[i] != i * 0.5 + 0.25 || strcmp(s + 13 * i, want) != 0;
    }
    CHECK_INT(bad, 0);
    free(a), free(b), free(x), free(y), free(s);
    hid_t d1 = H5Dopen2(h5, "/hdf5", H5P_DEFAULT), d2 = H5Dopen2(h5, "/worker", H5P_DEFAULT);
    CHECK(H5Dget_storage_size(d2) > 0);
    CHECK_INT(H5Dget_storage_size(d2), H5Dget_storage_size(d1));
    H5Dclose(d1), H5Dclose(d2);
    H5Fclose(h5);
    remove_tmp(dir, path);
}

TEST_MAIN(T(test_rows_across_three_chunks_read_back_exactly), T(test_a_table_may_choose_its_chunk_rows),
          T(test_background_compression_writes_what_hdf5_would),
          T(test_nested_table_creates_its_groups),
          T(test_bad_column_lists_are_refused_with_the_column_named),
          T(test_a_refused_row_is_not_appended),
          T(test_memory_stays_flat_over_a_million_rows))
