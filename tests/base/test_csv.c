/* The one CSV reader (base/csv.h): RFC 4180 quoting, line ends, the
 * byte-order mark, comments, the header check and its messages (file, line,
 * column), numbers, and files that are not regular files.  Fixtures are
 * written to a fresh temporary directory and removed at exit. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "base/csv.h"
#include "tests/fixture_files.h"
#include "tests/harness.h"

static csv_reader *open_text(const char *name, const char *text)
{
    ps_error err = {0};
    csv_reader *r = NULL;
    if (csv_open(fixture_write(name, text, strlen(text)), &r, &err))
        fprintf(stderr, "%s\n", err.msg);
    CHECK(r != NULL);
    return r;
}

/* Every row of `text` (no header check), fields joined by '|', rows by ';'. */
static void rows_of(const char *text, char *out, size_t size)
{
    csv_reader *r = open_text("rows.csv", text);
    out[0] = '\0';
    if (!r)
        return;
    csv_row row;
    ps_error err = {0};
    int got;
    size_t used = 0;
    while ((got = csv_next(r, &row, &err)) == 1)
        for (int i = 0; i < row.n; i++)
            used += (size_t)snprintf(out + used, size - used, "%s%s", row.field[i],
                                     i + 1 < row.n ? "|" : ";");
    if (got < 0)
        snprintf(out + used, size - used, "ERROR %s", err.msg);
    csv_close(r);
}

static const char *const AB[] = {"a", "b", NULL};

/* Read `len` bytes as <name> with the header 'a,b' and every row; expect an
 * error whose message holds `fragment`. */
static void expect_error(const char *name, const char *bytes, size_t len, const char *fragment)
{
    ps_error err = {0};
    csv_reader *r = NULL;
    int col[2];
    if (!csv_open(fixture_write(name, bytes, len), &r, &err) &&
        !csv_header(r, AB, NULL, NULL, col, &err)) {
        csv_row row;
        int got;
        while ((got = csv_next(r, &row, &err)) == 1)
            ;
        if (got == 0)
            snprintf(err.msg, sizeof err.msg, "(no error)");
    }
    CHECK_STR_CONTAINS(err.msg, fragment);
    csv_close(r);
}
/* A string literal, NUL bytes included. */
#define EXPECT_ERROR(name, literal, fragment) \
    expect_error(name, literal, sizeof literal - 1, fragment)

/* ---- syntax ---- */

TEST(test_quoted_fields_hold_commas_quotes_and_line_breaks)
{
    char out[512];
    rows_of("a,b\n\"x,y\",\"say \"\"hi\"\"\"\n\"two\nlines\",\"\"\n", out, sizeof out);
    CHECK_STR_CONTAINS(out, "a|b;x,y|say \"hi\";two\nlines|;");
    /* blanks around fields are trimmed, inside quotes kept */
    rows_of("  a , b\t\n \" x \" ,y\n", out, sizeof out);
    CHECK(!strcmp(out, "a|b; x |y;"));
    /* empty fields, and a quote inside an unquoted field is a plain character */
    rows_of(",,\nab\"c,d\n", out, sizeof out);
    CHECK(!strcmp(out, "||;ab\"c|d;"));
}

TEST(test_crlf_bom_missing_final_newline_comments_and_blank_lines)
{
    char out[256];
    rows_of("\xEF\xBB\xBF" "a,b\r\n1,2\r\n\r\n  # note\n\t\n3,\"4\r\n5\"\r\n6,7", out, sizeof out);
    CHECK(!strcmp(out, "a|b;1|2;3|4\r\n5;6|7;"));
    rows_of("", out, sizeof out);
    CHECK(!strcmp(out, ""));
    rows_of("# only\n\n", out, sizeof out);
    CHECK(!strcmp(out, ""));
}

TEST(test_lines_and_columns_of_fields)
{
    csv_reader *r = open_text("where.csv", "\xEF\xBB\xBF" "a, b\n\n\"x\ny\",  z\n");
    csv_row row;
    ps_error err = {0};
    CHECK_INT(csv_next(r, &row, &err), 1);
    CHECK_INT(row.line, 1);
    CHECK_INT(row.col[0], 1); /* after the byte-order mark */
    CHECK_INT(row.col[1], 4);
    CHECK_INT(csv_next(r, &row, &err), 1);
    CHECK_INT(row.line, 3);
    CHECK_INT(row.field_line[0], 3);
    CHECK_INT(row.col[0], 1);
    CHECK_INT(row.field_line[1], 4);
    CHECK_INT(row.col[1], 6);
    CHECK_INT(csv_next(r, &row, &err), 0);
    CHECK_INT(csv_next(r, &row, &err), 0); /* the end stays the end */
    csv_close(r);
}

TEST(test_unterminated_quote_names_where_it_opened)
{
    EXPECT_ERROR("quote.csv", "a,b\n1,\"open\nstill\nopen\n",
                 "quote.csv:2:3: unterminated quoted field; expected a closing '\"'");
    EXPECT_ERROR("after.csv", "a,b\n\"x\" y,2\n",
                 "after.csv:2:5: expected ',' after a quoted field");
    EXPECT_ERROR("nul.csv", "a,b\n1,2\0\n",
                 "nul.csv:2:4: NUL byte; expected text");
    EXPECT_ERROR("nulc.csv", "# x\0\na,b\n",
                 "nulc.csv:1:4: NUL byte");
}

TEST(test_rows_must_have_the_headers_columns)
{
    EXPECT_ERROR("few.csv", "a,b\n1,2\n3\n",
                 "few.csv:3: expected 2 columns as in the header, got 1 ('3')");
    EXPECT_ERROR("many.csv", "a,b\n1,2,3\n",
                 "many.csv:2: expected 2 columns as in the header, got 3 ('1,2,3'); a field "
                 "that holds a comma must be quoted");
}

TEST(test_a_row_limit_names_the_long_line)
{
    csv_reader *r = open_text("long.csv", "a,b\n\"1234\n\",6\n");
    csv_limit_row(r, 9);
    csv_row row;
    ps_error err = {0};
    CHECK_INT(csv_next(r, &row, &err), 1);
    CHECK_INT(row.bytes, 3);
    CHECK_INT(csv_next(r, &row, &err), 1); /* 9 bytes, one of them the quoted line break */
    CHECK_INT(row.bytes, 9);
    csv_close(r);
    r = open_text("long.csv", "a,b\n\"1234\n\",67\n");
    csv_limit_row(r, 9);
    CHECK_INT(csv_next(r, &row, &err), 1);
    CHECK_INT(csv_next(r, &row, &err), -PS_ERR_INPUT);
    CHECK_STR_CONTAINS(err.msg, "long.csv:2: line longer than 9 characters");
    csv_close(r);
}

/* ---- header ---- */

TEST(test_header_maps_columns_in_any_order_and_ignores_notes)
{
    csv_reader *r = open_text("order.csv", "note_run,b,note,a,c\nx,2,y,1,3\n");
    static const char *const OPT[] = {"c", "d", NULL};
    int col[4];
    ps_error err = {0};
    CHECK_INT(csv_header(r, AB, OPT, NULL, col, &err), 0);
    CHECK_INT(col[0], 3);
    CHECK_INT(col[1], 1);
    CHECK_INT(col[2], 4);
    CHECK_INT(col[3], -1);
    csv_row row;
    CHECK_INT(csv_next(r, &row, &err), 1);
    CHECK(!strcmp(row.field[col[0]], "1"));
    csv_close(r);
}

TEST(test_header_errors_name_line_column_and_the_expected_names)
{
    EXPECT_ERROR("unknown.csv", "# comment\na,bb\n",
                 "unknown.csv:2:3: unknown column 'bb' (did you mean 'b'?); "
                            "expected 'a,b'");
    EXPECT_ERROR("far.csv", "a,zzzzz\n",
                 "far.csv:1:3: unknown column 'zzzzz'; expected 'a,b'");
    EXPECT_ERROR("twice.csv", "a, b,a\n",
                 "twice.csv:1:6: column 'a' appears twice");
    EXPECT_ERROR("missing.csv", "\n\nb\n",
                 "missing.csv:3: missing header column 'a'; expected 'a,b'");
    EXPECT_ERROR("empty.csv", "", "empty.csv: empty; expected the header 'a,b'");
    /* the caller's description of a good header */
    ps_error err = {0};
    csv_reader *r;
    CHECK_INT(csv_open(fixture_write("desc.csv", "xyz\n", 4), &r, &err), 0);
    int col[2];
    CHECK_INT(csv_header(r, AB, NULL, "'a,b' (b in seconds)", col, &err), PS_ERR_INPUT);
    CHECK_STR_CONTAINS(err.msg, "desc.csv:1:1: unknown column 'xyz'; expected 'a,b' (b in seconds)");
    csv_close(r);
}

TEST(test_csv_error_points_at_a_field_or_a_row)
{
    csv_reader *r = open_text("err.csv", "a,b\n\n  1,  2\n");
    int col[2];
    ps_error err = {0};
    CHECK_INT(csv_header(r, AB, NULL, NULL, col, &err), 0);
    csv_row row;
    CHECK_INT(csv_next(r, &row, &err), 1);
    CHECK_INT(csv_error(r, &row, 1, &err, "bad %s", "b"), PS_ERR_INPUT);
    CHECK_STR_CONTAINS(err.msg, "err.csv:3:7: bad b");
    CHECK_STR_CONTAINS(csv_path(r), "err.csv");
    csv_error(r, &row, -1, &err, "bad row");
    CHECK_STR_CONTAINS(err.msg, "err.csv:3: bad row");
    csv_error(r, NULL, 1, &err, "bad header");
    CHECK_STR_CONTAINS(err.msg, "err.csv:1:3: bad header");
    csv_close(r);
}

/* ---- numbers ---- */

TEST(test_numbers_reject_empty_garbage_nan_and_infinity)
{
    csv_reader *r = open_text("num.csv", "a,b\n1.5e-3, -2\n,x\n1.5ms,nan\ninf,1e999\n0x10,\" 7\"\n");
    int col[2];
    ps_error err = {0};
    CHECK_INT(csv_header(r, AB, NULL, NULL, col, &err), 0);
    csv_row row;
    double v = 0;
    CHECK_INT(csv_next(r, &row, &err), 1);
    CHECK_INT(csv_double(r, &row, 0, NULL, &v, &err), 0);
    CHECK_NEAR(v, 1.5e-3, 1e-15);
    CHECK_INT(csv_double(r, &row, 1, NULL, &v, &err), 0);
    CHECK_NEAR(v, -2, 1e-15);
    CHECK_INT(csv_next(r, &row, &err), 1);
    CHECK_INT(csv_double(r, &row, 0, "a number of seconds", &v, &err), PS_ERR_INPUT);
    CHECK_STR_CONTAINS(err.msg, "num.csv:3:1: a: expected a number of seconds, got ''");
    CHECK_INT(csv_double(r, &row, 1, NULL, &v, &err), PS_ERR_INPUT);
    CHECK_STR_CONTAINS(err.msg, "num.csv:3:2: b: expected a number, got 'x'");
    CHECK_INT(csv_next(r, &row, &err), 1);
    CHECK_INT(csv_double(r, &row, 0, NULL, &v, &err), PS_ERR_INPUT);
    CHECK_STR_CONTAINS(err.msg, "num.csv:4:1: a: expected a number, got '1.5ms'");
    CHECK_INT(csv_double(r, &row, 1, NULL, &v, &err), PS_ERR_INPUT);
    CHECK_STR_CONTAINS(err.msg, "num.csv:4:7: b: expected a number, got 'nan'");
    CHECK_INT(csv_next(r, &row, &err), 1);
    CHECK_INT(csv_double(r, &row, 0, NULL, &v, &err), PS_ERR_INPUT);
    CHECK_STR_CONTAINS(err.msg, "got 'inf'");
    CHECK_INT(csv_double(r, &row, 1, NULL, &v, &err), PS_ERR_INPUT);
    CHECK_STR_CONTAINS(err.msg, "num.csv:5:5: b: expected a number, got '1e999'");
    CHECK_INT(csv_next(r, &row, &err), 1);
    CHECK_INT(csv_double(r, &row, 0, NULL, &v, &err), 0); /* strtod's hexadecimal form */
    CHECK_NEAR(v, 16, 1e-15);
    csv_close(r);
}

/* ---- what is not a CSV file ---- */

TEST(test_folders_fifos_devices_and_missing_files_are_refused)
{
    ps_error err = {0};
    const char *dir = fixture_path("folder.csv");
    CHECK_INT(mkdir(dir, 0700), 0);
    csv_reader *r = (csv_reader *)&r; /* must be reset to NULL */
    CHECK_INT(csv_open(dir, &r, &err), PS_ERR_INPUT);
    CHECK(r == NULL);
    CHECK_INT(err.code, PS_ERR_INPUT);
    CHECK_STR_CONTAINS(err.msg, "folder.csv: is a folder; expected a CSV file");
    const char *fifo = fixture_path("fifo.csv");
    CHECK_INT(mkfifo(fifo, 0600), 0);
    CHECK_INT(csv_open(fifo, &r, &err), PS_ERR_INPUT); /* and does not wait for a writer */
    CHECK_STR_CONTAINS(err.msg, "fifo.csv: is a FIFO; expected a CSV file");
    CHECK_INT(csv_open("/dev/null", &r, &err), PS_ERR_INPUT);
    CHECK_STR_CONTAINS(err.msg, "/dev/null: is a device");
    CHECK_INT(csv_open("/nonexistent/partsim.csv", &r, &err), PS_ERR_IO);
    CHECK_STR_CONTAINS(err.msg, "/nonexistent/partsim.csv: cannot open");
    csv_close(NULL);
}

TEST(test_random_bytes_never_crash)
{
    unsigned x = 777;
    char junk[700];
    for (int round = 0; round < 200; round++) {
        for (size_t i = 0; i < sizeof junk; i++) {
            x = x * 1103515245u + 12345u;
            junk[i] = "a,\"\n\r #\0x"[(x >> 16) % 9];
        }
        ps_error err = {0};
        csv_reader *r = NULL;
        csv_open(fixture_write("junk.csv", junk, sizeof junk), &r, &err);
        csv_row row;
        int got;
        while (r && (got = csv_next(r, &row, &err)) == 1)
            for (int i = 0; i < row.n; i++)
                CHECK(row.field[i] != NULL);
        csv_close(r);
    }
}

TEST_MAIN(T(test_quoted_fields_hold_commas_quotes_and_line_breaks),
          T(test_crlf_bom_missing_final_newline_comments_and_blank_lines),
          T(test_lines_and_columns_of_fields), T(test_unterminated_quote_names_where_it_opened),
          T(test_rows_must_have_the_headers_columns), T(test_a_row_limit_names_the_long_line),
          T(test_header_maps_columns_in_any_order_and_ignores_notes),
          T(test_header_errors_name_line_column_and_the_expected_names),
          T(test_csv_error_points_at_a_field_or_a_row),
          T(test_numbers_reject_empty_garbage_nan_and_infinity),
          T(test_folders_fifos_devices_and_missing_files_are_refused),
          T(test_random_bytes_never_crash))
