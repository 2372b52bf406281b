/* The output layer (base/table.h, base/json.h): one description written as a
 * terminal table, CSV and JSON with the same names; nothing truncated. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/json.h"
#include "base/table.h"
#include "tests/harness.h"

static const table_column COLS[] = {
    {"index", TABLE_INT, NULL, NULL, 4, 0},
    {"name", TABLE_STR, NULL, NULL, 0, 0},
    {"latency_s", TABLE_FLOAT, "s", "%.3f", 0, 0},
    {"cut", TABLE_BOOL, NULL, "*|", 0, 0},
    {"note", TABLE_STR, NULL, NULL, 0, TABLE_HIDDEN},
};
enum { N_COLS = 5 };

static const char *LONG_NAME = "/layer4/layer4.2/a_name_much_longer_than_any_default_width/Relu";

/* The rows of the tests, written through `t`. */
static void write_rows(table_out *t, ps_error *err)
{
    table_value rows[3][N_COLS] = {
        {{.i = 1}, {.s = "conv1"}, {.f = 0.0125}, {.i = 1}, {.s = "a, \"quoted\" note"}},
        {{.i = 22}, {.s = LONG_NAME}, {.f = NAN}, {.i = 0}, {.s = "line\nbreak"}},
        {{.i = 333}, {.s = ""}, {.f = 2.5}, {.i = 1}, {.s = NULL}},
    };
    for (int r = 0; r < 3; r++)
        CHECK_INT(table_out_row(t, rows[r], err), 0);
}

/* Everything `fmt` writes for the test table, as a malloc'ed string. */
static char *render(table_format fmt)
{
    char *buf = NULL;
    size_t len = 0;
    FILE *out = open_memstream(&buf, &len);
    table_spec spec;
    ps_error err = {0};
    CHECK_INT(table_spec_init(&spec, "t", &err), 0);
    CHECK_INT(table_spec_add(&spec, COLS, N_COLS, &err), 0);
    json_writer w;
    json_init(&w, out, 2);
    if (fmt == TABLE_JSON) {
        json_object_begin(&w);
        json_key(&w, "rows");
    }
    table_out *t = table_out_begin(&spec, fmt, out, &w, &err);
    CHECK(t != NULL);
    write_rows(t, &err);
    CHECK_INT(table_out_end(t, &err), 0);
    if (fmt == TABLE_JSON)
        json_object_end(&w);
    fclose(out);
    table_spec_free(&spec);
    return buf;
}

TEST(test_text_table_widens_to_the_longest_value_and_hides_hidden_columns)
{
    char *s = render(TABLE_TEXT);
    const char *expected_header = "index  name";
    CHECK(strncmp(s, expected_header, strlen(expected_header)) == 0);
    CHECK_STR_CONTAINS(s, LONG_NAME);                 /* whole, not cut */
    CHECK(strstr(s, "note") == NULL);                 /* hidden in the terminal */
    CHECK_STR_CONTAINS(s, "0.013");                   /* the column's format */
    /* three rows + header, every line as long as the header (trailing bool
     * column padded to its header "cut") */
    char *line = s;
    int lines = 0;
    size_t width = strcspn(s, "\n");
    for (char *nl; (nl = strchr(line, '\n')); line = nl + 1, lines++)
        CHECK_INT((long)(nl - line) <= (long)width, 1);
    CHECK_INT(lines, 4);
    /* the header's name column is as wide as the long name */
    CHECK(width >= strlen("index  ") + strlen(LONG_NAME) + strlen("  latency_s  cut"));
    /* NaN and an empty string show as "-", true as "*" */
    char *row2 = strchr(strchr(s, '\n') + 1, '\n') + 1;
    CHECK_STR_CONTAINS(row2, "   22  /layer4");
    CHECK(strstr(row2, "-") != NULL);
    free(s);
}

TEST(test_csv_has_the_same_names_and_rfc4180_quoting)
{
    char *s = render(TABLE_CSV);
    const char *expected =
        "index,name,latency_s,cut,note\n"
        "1,conv1,0.012500000000000001,true,\"a, \"\"quoted\"\" note\"\n"
        "22,/layer4/layer4.2/a_name_much_longer_than_any_default_width/Relu,nan,false,"
        "\"line\nbreak\"\n"
        "333,,2.5,true,\n";
    CHECK(strcmp(s, expected) == 0);
    if (strcmp(s, expected))
        fprintf(stderr, "got:\n%s", s);
    free(s);
}

TEST(test_json_rows_are_objects_with_nan_as_null_and_escaped_strings)
{
    char *s = render(TABLE_JSON);
    const char *expected =
        "{\n"
        "  \"rows\": [\n"
        "    {\"index\": 1, \"name\": \"conv1\", \"latency_s\": 0.012500000000000001, "
        "\"cut\": true, \"note\": \"a, \\\"quoted\\\" note\"},\n"
        "    {\"index\": 22, \"name\": \"/layer4/layer4.2/a_name_much_longer_than_any_default_"
        "width/Relu\", \"latency_s\": null, \"cut\": false, \"note\": \"line\\nbreak\"},\n"
        "    {\"index\": 333, \"name\": \"\", \"latency_s\": 2.5, \"cut\": true, "
        "\"note\": \"\"}\n"
        "  ]\n"
        "}\n";
    CHECK(strcmp(s, expected) == 0);
    if (strcmp(s, expected))
        fprintf(stderr, "got:\n%s", s);
    free(s);
}

TEST(test_record_lists_name_value_and_unit)
{
    char *buf = NULL;
    size_t len = 0;
    FILE *out = open_memstream(&buf, &len);
    table_spec spec;
    ps_error err = {0};
    CHECK_INT(table_spec_init(&spec, "r", &err), 0);
    CHECK_INT(table_spec_add(&spec, COLS, N_COLS, &err), 0);
    table_value row[N_COLS] = {{.i = 7}, {.s = "x"}, {.f = 0.5}, {.i = 0}, {.s = "n"}};
    table_print_record(out, &spec, row);
    fclose(out);
    CHECK(strcmp(buf, "index      7\nname       x\nlatency_s  0.500 s\ncut        \n") == 0);
    free(buf);
    table_spec_free(&spec);
}

TEST(test_bad_descriptions_are_refused)
{
    table_spec spec;
    ps_error err = {0};
    CHECK_INT(table_spec_init(&spec, "bad", &err), 0);
    table_column upper = {"Latency", TABLE_FLOAT, NULL, NULL, 0, 0};
    CHECK_INT(table_spec_add(&spec, &upper, 1, &err), PS_ERR_INTERNAL);
    CHECK_STR_CONTAINS(err.msg, "'Latency'");
    table_column odd = {"x", TABLE_INT, NULL, NULL, 3, 0};
    CHECK_INT(table_spec_add(&spec, &odd, 1, &err), PS_ERR_INTERNAL);
    CHECK_STR_CONTAINS(err.msg, "stored in 3 bytes");
    CHECK_INT(table_spec_add(&spec, COLS, 2, &err), 0);
    CHECK_INT(table_spec_add(&spec, COLS + 1, 1, &err), PS_ERR_INTERNAL);
    CHECK_STR_CONTAINS(err.msg, "'name' appears twice");
    CHECK_INT(table_spec_addf(&spec, COLS[2], &err, "s%d_start_s", 3), 0);
    CHECK_INT(table_spec_find(&spec, "s3_start_s"), 2);
    CHECK_INT(table_spec_find(&spec, "nope"), -1);
    table_format f;
    CHECK_INT(table_format_parse("csv", &f), 0);
    CHECK_INT(f, TABLE_CSV);
    CHECK_INT(table_format_parse("xml", &f), -1);
    table_spec_free(&spec);
}

TEST_MAIN(T(test_text_table_widens_to_the_longest_value_and_hides_hidden_columns),
          T(test_csv_has_the_same_names_and_rfc4180_quoting),
          T(test_json_rows_are_objects_with_nan_as_null_and_escaped_strings),
          T(test_record_lists_name_value_and_unit),
          T(test_bad_descriptions_are_refused))
