/* The measured-device profile file (platforms/measuredfile.h): rows as read
 * (layer text, numbers, line), the header rules, every error with its
 * message (file, line, column), and hostile files.  Binding a profile to a
 * graph is tested in tests/accel/test_measured.c. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "platforms/measuredfile.h"
#include "tests/fixture_files.h"
#include "tests/harness.h"

/* Load `text` as <name>; NULL (and the message printed) on failure. */
static measured_profile *load_text(const char *name, const char *text)
{
    measured_profile *p = NULL;
    ps_error err = {0};
    if (measuredfile_load(fixture_write_text(name, text), &p, &err))
        fprintf(stderr, "%s\n", err.msg);
    CHECK(p != NULL);
    return p;
}

TEST(test_rows_keep_layer_text_numbers_and_lines)
{
    measured_profile *p = load_text("rows.csv", "# measured\nlayer,latency_s,power_w\n"
                                                "conv1,0.004,6\n\nrelu1..fc, 0.002 ,4\n");
    if (!p)
        return;
    CHECK_INT(p->n_rows, 2);
    CHECK(!strcmp(p->rows[0].layer, "conv1"));
    CHECK_INT(p->rows[0].line, 3);
    CHECK_NEAR(p->rows[0].latency_s, 0.004, 1e-15);
    CHECK_NEAR(p->rows[0].power_w, 6, 1e-15);
    CHECK_NEAR(p->rows[0].energy_j, 0.024, 1e-15); /* power x latency */
    CHECK(p->rows[0].from_power);
    CHECK(!strcmp(p->rows[1].layer, "relu1..fc"));
    CHECK_INT(p->rows[1].line, 5);
    CHECK_STR_CONTAINS(p->path, "rows.csv");
    measured_profile_free(p);
    measured_profile_free(NULL);
}

TEST(test_energy_column_notes_and_column_order)
{
    measured_profile *p = load_text("energy.csv",
                                    "note,energy_j, layer ,latency_s\n"
                                    "\"first conv, \"\"fused\"\" with bias\",0.024,conv1,0.004\n"
                                    "rest,0.03, relu1..fc ,0.006\n");
    if (!p)
        return;
    CHECK_INT(p->n_rows, 2);
    CHECK(!p->rows[0].from_power);
    CHECK_NEAR(p->rows[0].energy_j, 0.024, 1e-15);
    CHECK_NEAR(p->rows[0].power_w, 6, 1e-12); /* energy / latency */
    CHECK(!strcmp(p->rows[1].layer, "relu1..fc"));
    measured_profile_free(p);
}

TEST(test_a_quoted_layer_name_holds_commas_quotes_and_line_breaks)
{
    measured_profile *p = load_text("quoted.csv", "layer,latency_s,power_w\n"
                                                  "\"stem,conv\",0.001,5\n"
                                                  "\"block \"\"2\"\"\",0.001,5\n"
                                                  "\"two\nlines\",0.001,5\n"
                                                  "last,0.001,5\n");
    if (!p)
        return;
    CHECK_INT(p->n_rows, 4);
    CHECK(!strcmp(p->rows[0].layer, "stem,conv"));
    CHECK(!strcmp(p->rows[1].layer, "block \"2\""));
    CHECK(!strcmp(p->rows[2].layer, "two\nlines"));
    CHECK_INT(p->rows[3].line, 6); /* the quoted line break counts */
    measured_profile_free(p);
}

TEST(test_crlf_bom_and_missing_final_newline_are_accepted)
{
    measured_profile *p = load_text("crlf.csv", "\xEF\xBB\xBFlayer,latency_s,power_w\r\n"
                                                "conv1..conv2,0.007552,6\r\nflatten..fc,0.001,4");
    if (!p)
        return;
    CHECK_INT(p->n_rows, 2);
    CHECK(!strcmp(p->rows[1].layer, "flatten..fc"));
    CHECK_NEAR(p->rows[1].power_w, 4, 1e-15);
    measured_profile_free(p);
}


/* Load `text`; expect failure with each fragment in the message. */
static void expect_load_error(const char *name, const char *bytes, size_t len,
                              const char *const *fragments)
{
    measured_profile *p = (measured_profile *)&p; /* must be reset to NULL */
    ps_error err = {0};
    CHECK_INT(measuredfile_load(fixture_write(name, bytes, len), &p, &err), PS_ERR_INPUT);
    CHECK(p == NULL);
    for (; *fragments; fragments++)
        CHECK_STR_CONTAINS(err.msg, *fragments);
}
#define EXPECT_LOAD_ERROR(name, text, ...)                                                   \
    expect_load_error(name, text, strlen(text), (const char *const[]){__VA_ARGS__, NULL})

TEST(test_numbers_are_checked_with_line_and_column)
{
    EXPECT_LOAD_ERROR("nan.csv", "layer,latency_s,power_w\nconv1,abc,6\n",
                      "nan.csv:2:7: latency_s: expected a number of seconds, got 'abc'");
    EXPECT_LOAD_ERROR("nan2.csv", "layer,latency_s,power_w\nconv1,0.001,nan\n",
                      "nan2.csv:2:13: power_w: expected a number of watts, got 'nan'");
    EXPECT_LOAD_ERROR("empty_num.csv", "layer,latency_s,power_w\nconv1,,6\n",
                      "empty_num.csv:2:7: latency_s: expected a number of seconds, got ''");
    EXPECT_LOAD_ERROR("unit.csv", "layer,latency_s,power_w\nconv1,1.5ms,6\n",
                      "unit.csv:2:7: latency_s: expected a number of seconds, got '1.5ms'");
    EXPECT_LOAD_ERROR("negative.csv", "layer,latency_s,power_w\nconv1,-0.001,6\n",
                      "negative.csv:2:7: latency_s must be 0 or more, got -0.001");
    EXPECT_LOAD_ERROR("columns.csv", "layer,latency_s,power_w\nconv1,0.001\n",
                      "columns.csv:2: expected 3 columns as in the header, got 2");
    EXPECT_LOAD_ERROR("noname.csv", "layer,latency_s,power_w\n,0.001,3\n",
                      "noname.csv:2:1: empty layer name");
}

TEST(test_header_is_checked)
{
    EXPECT_LOAD_ERROR("no_power.csv", "layer,latency_s\nconv1,0.001\n",
                      "no_power.csv:1: missing header column 'power_w' (or 'energy_j')");
    EXPECT_LOAD_ERROR("no_latency.csv", "layer,power_w\nconv1,3\n",
                      "no_latency.csv:1: missing header column 'latency_s'");
    EXPECT_LOAD_ERROR("ms.csv", "layer,latency_ms,power_w\nconv1,1,3\n",
                      "ms.csv:1:7: unknown column 'latency_ms'", "expected 'layer,latency_s,power_w'");
    EXPECT_LOAD_ERROR("both.csv", "layer,latency_s,power_w,energy_j\nconv1,1,3,3\n",
                      "both.csv:1: both 'power_w' and 'energy_j' given");
    EXPECT_LOAD_ERROR("twice_col.csv", "layer,latency_s,layer,power_w\n",
                      "twice_col.csv:1:17: column 'layer' appears twice");
}

TEST(test_empty_file_header_only_and_duplicate_rows)
{
    EXPECT_LOAD_ERROR("empty.csv", "", "empty.csv: empty; expected the header");
    EXPECT_LOAD_ERROR("blank.csv", "\n  \n# only a comment\n", "blank.csv: empty");
    EXPECT_LOAD_ERROR("header_only.csv", "layer,latency_s,power_w\n",
                      "header_only.csv:1: no rows after the header");
    EXPECT_LOAD_ERROR("duplicate.csv",
                      "layer,latency_s,power_w\nconv1,0.001,3\nfc,0.001,3\nconv1,0.002,3\n",
                      "duplicate.csv:4: duplicate row for 'conv1' (first at line 2)");
    ps_error err = {0};
    measured_profile *p = NULL;
    CHECK_INT(measuredfile_load("/nonexistent/partsim/profile.csv", &p, &err), PS_ERR_IO);
    CHECK_STR_CONTAINS(err.msg, "/nonexistent/partsim/profile.csv: cannot open");
}

/* ---- hostile input ---- */

TEST(test_long_lines_nul_bytes_and_bad_quotes_are_errors)
{
    static char big[MEASUREDFILE_LINE_MAX * 3];
    int n = snprintf(big, sizeof big, "layer,latency_s,power_w\n");
    memset(big + n, 'a', sizeof big - (size_t)n - 1);
    expect_load_error("long.csv", big, sizeof big - 1,
                      (const char *const[]){"long.csv:2: line longer than 4096 characters", NULL});
    static const char nul[] = "layer,latency_s,power_w\nconv1,0.0\0" "01,6\n";
    expect_load_error("nul.csv", nul, sizeof nul - 1,
                      (const char *const[]){"nul.csv:2:10: NUL byte", NULL});
    EXPECT_LOAD_ERROR("quote.csv", "layer,latency_s,power_w\n\"conv1,0.001,6\n",
                      "quote.csv:2:1: unterminated quoted field");
    EXPECT_LOAD_ERROR("after_quote.csv", "layer,latency_s,power_w\n\"conv1\"x,0.001,6\n",
                      "after_quote.csv:2:8: expected ',' after a quoted field");
}

TEST(test_every_prefix_and_garbage_fail_cleanly)
{
    static const char good[] = "layer,latency_s,power_w\r\n\"conv1..pool\",0.003,5\n"
                               "# partition 2\nconv2..fc,0.001,4\n";
    for (size_t len = 0; len <= sizeof good - 1; len++) {
        measured_profile *p = NULL;
        ps_error err = {0};
        int rc = measuredfile_load(fixture_write("prefix.csv", good, len), &p, &err);
        CHECK(rc == 0 ? p != NULL : p == NULL && err.msg[0] != '\0');
        /* the whole file, with or without its final newline, has both rows intact */
        if (len >= sizeof good - 2) {
            CHECK_INT(rc, 0);
            CHECK_INT(p ? p->n_rows : 0, 2);
            CHECK(p && p->n_rows == 2 && !strcmp(p->rows[1].layer, "conv2..fc") &&
                  p->rows[1].power_w == 4);
        }
        measured_profile_free(p);
    }
    /* random bytes, NULs and all: an error, never a crash */
    unsigned x = 12345;
    char junk[512];
    for (int round = 0; round < 100; round++) {
        for (size_t i = 0; i < sizeof junk; i++) {
            x = x * 1103515245u + 12345u;
            junk[i] = (char)(x >> 16);
        }
        measured_profile *p = NULL;
        ps_error err = {0};
        int rc = measuredfile_load(fixture_write("junk.csv", junk, sizeof junk), &p, &err);
        CHECK(rc != 0 && p == NULL && err.msg[0]);
        measured_profile_free(p);
    }
}

TEST(test_bind_reads_the_architectures_profile)
{
    accel_arch a;
    memset(&a, 0, sizeof a);
    a.kind = ARCH_ROOFLINE;
    measured_binding *b = (measured_binding *)&b;
    ps_error err = {0};
    CHECK_INT(measuredfile_bind(&a, NULL, &b, &err), 0); /* analytic: nothing to read */
    CHECK(b == NULL);
    a.kind = ARCH_MEASURED;
    snprintf(a.u.meas.profile_path, sizeof a.u.meas.profile_path, "/nonexistent/prof.csv");
    CHECK_INT(measuredfile_bind(&a, NULL, &b, &err), PS_ERR_IO);
    CHECK(b == NULL);
    CHECK_STR_CONTAINS(err.msg, "/nonexistent/prof.csv: cannot open");
}

TEST_MAIN(T(test_rows_keep_layer_text_numbers_and_lines),
          T(test_energy_column_notes_and_column_order),
          T(test_a_quoted_layer_name_holds_commas_quotes_and_line_breaks),
          T(test_crlf_bom_and_missing_final_newline_are_accepted),
          T(test_numbers_are_checked_with_line_and_column), T(test_header_is_checked),
          T(test_empty_file_header_only_and_duplicate_rows),
          T(test_long_lines_nul_bytes_and_bad_quotes_are_errors),
          T(test_every_prefix_and_garbage_fail_cleanly),
          T(test_bind_reads_the_architectures_profile))
