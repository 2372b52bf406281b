/* The values a sweep varies (sim/sweep_spec.h): lists and ranges expanded
 * into the texts each point passes as --set, their numeric column, the
 * order of the points, zip, the refusals and the one-line description. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "sim/sweep_spec.h"
#include "tests/harness.h"

#define CHECK_STR_EQ(actual, expected)                                                       \
    do {                                                                                     \
        const char *a_ = (actual), *e_ = (expected);                                         \
        if (!a_ || strcmp(a_, e_)) {                                                         \
            fprintf(stderr, "%s:%d: %s is \"%s\", expected \"%s\"\n", __FILE__, __LINE__,    \
                    #actual, a_ ? a_ : "(null)", e_);                                        \
            harness_failed_checks++;                                                         \
        }                                                                                    \
    } while (0)

/* The axis's values joined with '|', to compare a whole axis at once. */
static const char *joined(const sweep_axis *a)
{
    static char buf[4096];
    buf[0] = '\0';
    for (int i = 0; i < a->n; i++) {
        if (i)
            strncat(buf, "|", sizeof buf - strlen(buf) - 1);
        strncat(buf, a->values[i], sizeof buf - strlen(buf) - 1);
    }
    return buf;
}

/* One --vary into a fresh spec; the caller frees it. */
static const sweep_axis *one_axis(sweep_spec *s, const char *vary)
{
    ps_error err = {0};
    memset(s, 0, sizeof *s);
    int rc = sweep_spec_add(s, vary, &err);
    CHECK_INT(rc, 0);
    if (rc) {
        fprintf(stderr, "  %s\n", err.msg);
        return NULL;
    }
    CHECK_INT(s->n_axes, 1);
    return &s->axes[0];
}

/* The message of a refused --vary, which must name the --vary text. */
static void check_refused(const char *vary, const char *says)
{
    sweep_spec s = {0};
    ps_error err = {0};
    CHECK_INT(sweep_spec_add(&s, vary, &err), PS_ERR_INPUT);
    CHECK_INT(s.n_axes, 0);
    char quoted[256];
    snprintf(quoted, sizeof quoted, "--vary '%s'", vary);
    CHECK_STR_CONTAINS(err.msg, quoted);
    CHECK_STR_CONTAINS(err.msg, says);
    sweep_spec_free(&s);
}

TEST(test_list_keeps_each_text_as_written_with_its_unit)
{
    sweep_spec s;
    const sweep_axis *a = one_axis(&s, "network.links.0.rate=100 Mbps, 1Gbps,250kbps");
    if (!a)
        return;
    CHECK_STR_EQ(a->key, "network.links.0.rate");
    CHECK_INT(a->n, 3);
    CHECK_STR_EQ(joined(a), "100 Mbps|1Gbps|250kbps");
    CHECK_STR_EQ(a->unit, "bit/s");
    CHECK_NEAR(a->numeric[0], 100e6, 1e-12);
    CHECK_NEAR(a->numeric[1], 1e9, 1e-12);
    CHECK_NEAR(a->numeric[2], 250e3, 1e-12);
    sweep_spec_free(&s);
}

TEST(test_list_of_link_types_is_a_text_axis_without_numbers)
{
    sweep_spec s;
    const sweep_axis *a = one_axis(&s, "network.links.0.type=1000BASE-T,100BASE-TX,wifi");
    if (!a)
        return;
    CHECK_STR_EQ(joined(a), "1000BASE-T|100BASE-TX|wifi");
    CHECK(a->unit == NULL);
    for (int i = 0; i < a->n; i++)
        CHECK(isnan(a->numeric[i]));
    sweep_spec_free(&s);
}

TEST(test_list_values_may_be_yaml_flow_mappings_with_commas_inside)
{
    sweep_spec s;
    const sweep_axis *a = one_axis(&s, "network.links.0.type={preset: wifi-n, rate: 5 Mbps},"
                                       " {preset: wifi-n, rate: [1, 2]},1000BASE-T");
    if (!a)
        return;
    CHECK_STR_EQ(joined(a), "{preset: wifi-n, rate: 5 Mbps}|{preset: wifi-n, rate: [1, 2]}|"
                            "1000BASE-T");
    CHECK(a->unit == NULL);
    sweep_spec_free(&s);
    /* one mapping holds colons but is a value, not a range */
    a = one_axis(&s, "network.links.0.type={preset: wifi-n, rate: 5 Mbps}");
    if (!a)
        return;
    CHECK_INT(a->n, 1);
    CHECK_STR_EQ(a->values[0], "{preset: wifi-n, rate: 5 Mbps}");
    sweep_spec_free(&s);
}

TEST(test_list_of_one_value_is_an_axis_of_one)
{
    sweep_spec s;
    const sweep_axis *a = one_axis(&s, "pipelines.0.source.fps=30fps");
    if (!a)
        return;
    CHECK_INT(a->n, 1);
    CHECK_STR_EQ(a->values[0], "30fps");
    CHECK_STR_EQ(a->unit, "1/s");
    CHECK_NEAR(a->numeric[0], 30, 1e-12);
    sweep_spec_free(&s);
}

TEST(test_a_number_and_a_text_make_a_text_axis)
{
    sweep_spec s;
    const sweep_axis *a = one_axis(&s, "nodes.0.platform=1,eyeriss");
    if (!a)
        return;
    CHECK(a->unit == NULL);
    CHECK(isnan(a->numeric[0]) && isnan(a->numeric[1]));
    sweep_spec_free(&s);
}

TEST(test_arithmetic_range_of_integers_prints_no_decimal_point)
{
    sweep_spec s;
    const sweep_axis *a = one_axis(&s, "pipelines.0.batch=1:8:1");
    if (!a)
        return;
    CHECK_STR_EQ(joined(a), "1|2|3|4|5|6|7|8");
    CHECK_STR_EQ(a->unit, "");
    CHECK_NEAR(a->numeric[7], 8, 1e-12);
    sweep_spec_free(&s);
}

TEST(test_arithmetic_range_of_decimals_shows_no_rounding_noise)
{
    sweep_spec s;
    const sweep_axis *a = one_axis(&s, "x=0.5:2:0.5");
    if (a)
        CHECK_STR_EQ(joined(a), "0.5|1|1.5|2");
    sweep_spec_free(&s);
    /* 0.1 * 3 is 0.30000000000000004 and (1 - 0) / 0.1 is not 10 in doubles */
    a = one_axis(&s, "x=0:1:0.1");
    if (a)
        CHECK_STR_EQ(joined(a), "0|0.1|0.2|0.3|0.4|0.5|0.6|0.7|0.8|0.9|1");
    sweep_spec_free(&s);
    /* passing zero gives "0", not 5.5e-17 */
    a = one_axis(&s, "x=-0.3:0.3:0.1");
    if (a)
        CHECK_STR_EQ(joined(a), "-0.3|-0.2|-0.1|0|0.1|0.2|0.3");
    sweep_spec_free(&s);
    a = one_axis(&s, "x=0.7:0.1:-0.2");
    if (a)
        CHECK_STR_EQ(joined(a), "0.7|0.5|0.3|0.1");
    sweep_spec_free(&s);
}

TEST(test_arithmetic_range_stops_at_the_last_value_before_stop)
{
    sweep_spec s;
    const sweep_axis *a = one_axis(&s, "x=1:10:4");
    if (a)
        CHECK_STR_EQ(joined(a), "1|5|9");
    sweep_spec_free(&s);
    a = one_axis(&s, "x=10:1:-3");
    if (a)
        CHECK_STR_EQ(joined(a), "10|7|4|1");
    sweep_spec_free(&s);
    a = one_axis(&s, "x=3:3:1");
    if (a)
        CHECK_STR_EQ(joined(a), "3");
    sweep_spec_free(&s);
}

TEST(test_arithmetic_range_with_units_writes_starts_unit)
{
    sweep_spec s;
    const sweep_axis *a = one_axis(&s, "network.links.0.latency=1ms:4ms:1ms");
    if (a) {
        CHECK_STR_EQ(joined(a), "1ms|2ms|3ms|4ms");
        CHECK_STR_EQ(a->unit, "s");
        CHECK_NEAR(a->numeric[0], 1e-3, 1e-12);
        CHECK_NEAR(a->numeric[3], 4e-3, 1e-12);
    }
    sweep_spec_free(&s);
    /* STOP and STEP in other units of the same kind; START's spacing kept */
    a = one_axis(&s, "network.links.0.rate=250 Mbps:1Gbps:250000kbps");
    if (a) {
        CHECK_STR_EQ(joined(a), "250 Mbps|500 Mbps|750 Mbps|1000 Mbps");
        CHECK_STR_EQ(a->unit, "bit/s");
        CHECK_NEAR(a->numeric[3], 1e9, 1e-12);
    }
    sweep_spec_free(&s);
    a = one_axis(&s, "t=0.5s:2000ms:500ms");
    if (a)
        CHECK_STR_EQ(joined(a), "0.5s|1s|1.5s|2s");
    sweep_spec_free(&s);
}

TEST(test_geometric_range_up_stops_before_stop)
{
    sweep_spec s;
    const sweep_axis *a = one_axis(&s, "network.links.0.rate=100Mbps:1Gbps:x2");
    if (a) {
        CHECK_STR_EQ(joined(a), "100Mbps|200Mbps|400Mbps|800Mbps");
        CHECK_STR_EQ(a->unit, "bit/s");
        CHECK_NEAR(a->numeric[0], 100e6, 1e-12);
        CHECK_NEAR(a->numeric[3], 800e6, 1e-12);
    }
    sweep_spec_free(&s);
    a = one_axis(&s, "x=1:1000:x10");
    if (a)
        CHECK_STR_EQ(joined(a), "1|10|100|1000");
    sweep_spec_free(&s);
}

TEST(test_geometric_range_down_with_a_factor_below_one)
{
    sweep_spec s;
    const sweep_axis *a = one_axis(&s, "x=8:1:x0.5");
    if (a)
        CHECK_STR_EQ(joined(a), "8|4|2|1");
    sweep_spec_free(&s);
    /* 0.1^3 is 0.0010000000000000002 in doubles */
    a = one_axis(&s, "t=1s:1ms:x0.1");
    if (a) {
        CHECK_STR_EQ(joined(a), "1s|0.1s|0.01s|0.001s");
        CHECK_STR_EQ(a->unit, "s");
        CHECK_NEAR(a->numeric[3], 1e-3, 1e-12);
    }
    sweep_spec_free(&s);
}

TEST(test_grid_points_vary_the_seed_fastest_then_the_last_axis)
{
    sweep_spec s = {0};
    ps_error err = {0};
    CHECK_INT(sweep_spec_add(&s, "a=1,2", &err), 0);
    CHECK_INT(sweep_spec_add(&s, "b=x,y,z", &err), 0);
    CHECK_INT(sweep_spec_finish(&s, false, 2, &err), 0);
    CHECK_INT(s.n_combos, 6);
    CHECK_INT(s.n_points, 12);
    /* p -> (a, b, seed) */
    static const int want[12][3] = {{0, 0, 0}, {0, 0, 1}, {0, 1, 0}, {0, 1, 1},
                                    {0, 2, 0}, {0, 2, 1}, {1, 0, 0}, {1, 0, 1},
                                    {1, 1, 0}, {1, 1, 1}, {1, 2, 0}, {1, 2, 1}};
    for (int p = 0; p < 12; p++) {
        int idx[2] = {-1, -1}, seed = -1;
        sweep_spec_point(&s, p, idx, &seed);
        CHECK_INT(idx[0], want[p][0]);
        CHECK_INT(idx[1], want[p][1]);
        CHECK_INT(seed, want[p][2]);
    }
    sweep_spec_free(&s);
}

TEST(test_zip_pairs_the_ith_values)
{
    sweep_spec s = {0};
    ps_error err = {0};
    CHECK_INT(sweep_spec_add(&s, "a=1:3:1", &err), 0);
    CHECK_INT(sweep_spec_add(&s, "b=x,y,z", &err), 0);
    CHECK_INT(sweep_spec_finish(&s, true, 2, &err), 0);
    CHECK(s.zip);
    CHECK_INT(s.n_combos, 3);
    CHECK_INT(s.n_points, 6);
    for (int p = 0; p < 6; p++) {
        int idx[2] = {-1, -1}, seed = -1;
        sweep_spec_point(&s, p, idx, &seed);
        CHECK_INT(idx[0], p / 2);
        CHECK_INT(idx[1], p / 2);
        CHECK_INT(seed, p % 2);
    }
    sweep_spec_free(&s);
}

TEST(test_zip_refuses_axes_of_different_lengths)
{
    sweep_spec s = {0};
    ps_error err = {0};
    CHECK_INT(sweep_spec_add(&s, "a=1,2,3", &err), 0);
    CHECK_INT(sweep_spec_add(&s, "b=1,2,3", &err), 0);
    CHECK_INT(sweep_spec_add(&s, "c=1:4:1", &err), 0);
    CHECK_INT(sweep_spec_finish(&s, true, 1, &err), PS_ERR_INPUT);
    CHECK_STR_CONTAINS(err.msg, "'a' has 3");
    CHECK_STR_CONTAINS(err.msg, "'c' has 4");
    CHECK_INT(s.n_points, 0);
    /* the same axes make a grid */
    CHECK_INT(sweep_spec_finish(&s, false, 1, &err), 0);
    CHECK_INT(s.n_points, 36);
    sweep_spec_free(&s);
}

TEST(test_range_refuses_zero_wrongly_signed_and_overshooting_steps)
{
    check_refused("x=1:8:0", "STEP is zero");
    check_refused("x=1:8:-1", "expected a positive STEP");
    check_refused("x=8:1:1", "expected a negative STEP");
    check_refused("x=1ms:8ms:-1ms", "expected a positive STEP");
    check_refused("x=1:2:5", "never reaches STOP");
    check_refused("x=1:8", "three parts");
    check_refused("x=1:8:1:2", "three parts");
}

TEST(test_range_refuses_bad_factors)
{
    check_refused("x=1:8:x1", "FACTOR 1 never reaches STOP");
    check_refused("x=1:8:x0", "FACTOR 0 never reaches STOP");
    check_refused("x=1:8:x-2", "FACTOR -2 never reaches STOP");
    check_refused("x=1:8:x0.5", "START > STOP with FACTOR < 1");
    check_refused("x=8:1:x2", "START < STOP with FACTOR > 1");
    check_refused("x=1:8:xabc", "FACTOR 'abc' is not a number");
    check_refused("x=1:8:x2ms", "FACTOR '2ms' has a unit");
    check_refused("x=0:8:x2", "greater than 0");
    check_refused("x=1:1.5:x2", "never reaches STOP");
}

TEST(test_range_refuses_more_than_a_million_values)
{
    check_refused("x=0:1:0.000001", "more than 1000000 values");
    check_refused("x=1:1e9:x1.00001", "more than 1000000 values");
    /* a million exactly is allowed */
    sweep_spec s;
    const sweep_axis *a = one_axis(&s, "x=1:1000000:1");
    if (a) {
        CHECK_INT(a->n, 1000000);
        CHECK_STR_EQ(a->values[999999], "1000000");
    }
    sweep_spec_free(&s);
}

TEST(test_range_refuses_mixed_kinds_and_non_numbers)
{
    check_refused("x=1ms:8:1ms", "STOP '8' should be a time");
    check_refused("x=1ms:8ms:1Mbps", "STEP '1Mbps' should be a time");
    check_refused("x=1:8:1ms", "STEP '1ms' should be a plain number");
    check_refused("x=a:b:c", "START 'a' is not a number");
    check_refused("x=1:b:1", "STOP 'b' is not a number");
    check_refused("x=1furlong:8furlong:1furlong", "START '1furlong' is not a number or a quantity");
}

TEST(test_range_of_hz_and_fps_finds_the_kind_all_three_share)
{
    sweep_spec s;
    const sweep_axis *a = one_axis(&s, "pipelines.0.source.fps=10Hz:30fps:10fps");
    if (a) {
        CHECK_STR_EQ(joined(a), "10Hz|20Hz|30Hz");
        CHECK_STR_EQ(a->unit, "Hz"); /* the values' own unit names Hz */
    }
    sweep_spec_free(&s);
}

TEST(test_refuses_empty_entries_keys_and_repeated_keys)
{
    check_refused("x=a,,b", "value 2 is empty");
    check_refused("x=,a", "value 1 is empty");
    check_refused("x=a, ", "value 2 is empty");
    check_refused("x=", "value 1 is empty");
    check_refused("network.links.0.rate", "no '='");
    check_refused("=1,2", "empty key");

    sweep_spec s = {0};
    ps_error err = {0};
    CHECK_INT(sweep_spec_add(&s, "a=1,2", &err), 0);
    CHECK_INT(sweep_spec_add(&s, "a=3:4:1", &err), PS_ERR_INPUT);
    CHECK_STR_CONTAINS(err.msg, "--vary 'a=3:4:1'");
    CHECK_STR_CONTAINS(err.msg, "'a' is varied twice");
    CHECK_INT(s.n_axes, 1);
    /* a key that only starts like another is another key */
    CHECK_INT(sweep_spec_add(&s, "ab=1", &err), 0);
    CHECK_INT(s.n_axes, 2);
    sweep_spec_free(&s);
}

TEST(test_finish_refuses_no_axis_bad_seeds_and_too_many_points)
{
    sweep_spec s = {0};
    ps_error err = {0};
    CHECK_INT(sweep_spec_finish(&s, false, 1, &err), PS_ERR_INPUT);
    CHECK_STR_CONTAINS(err.msg, "at least one --vary");
    CHECK_INT(sweep_spec_add(&s, "a=1:10000:1", &err), 0);
    CHECK_INT(sweep_spec_finish(&s, false, 0, &err), PS_ERR_INPUT);
    CHECK_STR_CONTAINS(err.msg, "--seeds 0");
    CHECK_INT(sweep_spec_add(&s, "b=1:10000:1", &err), 0);
    /* 10^8 points exactly is allowed, twice that with two seeds is not */
    CHECK_INT(sweep_spec_finish(&s, false, 1, &err), 0);
    CHECK_INT(s.n_points, 100000000);
    CHECK_INT(sweep_spec_finish(&s, false, 2, &err), PS_ERR_INPUT);
    CHECK_STR_CONTAINS(err.msg, "100000000 combinations x 2 seeds");
    CHECK_INT(sweep_spec_add(&s, "c=1,2", &err), 0);
    CHECK_INT(sweep_spec_finish(&s, false, 1, &err), PS_ERR_INPUT);
    CHECK_STR_CONTAINS(err.msg, "more than 100000000 points");
    sweep_spec_free(&s);
}

TEST(test_numeric_column_of_rates_in_bytes_and_bits)
{
    sweep_spec s;
    const sweep_axis *a = one_axis(&s, "accel.dram_bw=10MB/s,1GB/s,2GiB/s");
    if (a) {
        CHECK_STR_EQ(a->unit, "B/s");
        CHECK_NEAR(a->numeric[0], 10e6, 1e-12);
        CHECK_NEAR(a->numeric[1], 1e9, 1e-12);
        CHECK_NEAR(a->numeric[2], 2147483648.0, 1e-12);
    }
    sweep_spec_free(&s);
    /* the first value's unit decides between the two rate kinds */
    a = one_axis(&s, "r=100Mbps,10MB/s");
    if (a) {
        CHECK_STR_EQ(a->unit, "bit/s");
        CHECK_NEAR(a->numeric[1], 80e6, 1e-12);
    }
    sweep_spec_free(&s);
    a = one_axis(&s, "r=10 Mb/s,1 Gbit/s");
    if (a) {
        CHECK_STR_EQ(a->unit, "bit/s");
        CHECK_NEAR(a->numeric[1], 1e9, 1e-12);
    }
    sweep_spec_free(&s);
}

TEST(test_numeric_column_of_times_frequencies_sizes_and_plain_numbers)
{
    sweep_spec s;
    const sweep_axis *a = one_axis(&s, "t=5 ms,1s,250us");
    if (a) {
        CHECK_STR_EQ(a->unit, "s");
        CHECK_NEAR(a->numeric[0], 5e-3, 1e-12);
        CHECK_NEAR(a->numeric[2], 250e-6, 1e-12);
    }
    sweep_spec_free(&s);
    a = one_axis(&s, "f=200MHz,1GHz");
    if (a) {
        CHECK_STR_EQ(a->unit, "Hz");
        CHECK_NEAR(a->numeric[1], 1e9, 1e-12);
    }
    sweep_spec_free(&s);
    /* Hz is also a frame rate: the first value's fps names the kind */
    a = one_axis(&s, "fps=30fps,60Hz");
    if (a) {
        CHECK_STR_EQ(a->unit, "1/s");
        CHECK_NEAR(a->numeric[1], 60, 1e-12);
    }
    sweep_spec_free(&s);
    a = one_axis(&s, "glb=108KiB,1MB");
    if (a) {
        CHECK_STR_EQ(a->unit, "B");
        CHECK_NEAR(a->numeric[0], 110592, 1e-12);
    }
    sweep_spec_free(&s);
    a = one_axis(&s, "n=1,2.5,-3e2");
    if (a) {
        CHECK_STR_EQ(a->unit, "");
        CHECK_NEAR(a->numeric[1], 2.5, 1e-12);
        CHECK_NEAR(a->numeric[2], -300, 1e-12);
    }
    sweep_spec_free(&s);
}

TEST(test_describe_lists_mode_seeds_and_every_expanded_value)
{
    sweep_spec s = {0};
    ps_error err = {0};
    CHECK_INT(sweep_spec_add(&s, "network.links.0.rate=100Mbps:400Mbps:x2", &err), 0);
    CHECK_INT(sweep_spec_add(&s, "network.links.0.type=1000BASE-T,wifi", &err), 0);
    CHECK_INT(sweep_spec_finish(&s, true, 2, &err), PS_ERR_INPUT); /* 3 and 2 values */
    CHECK_INT(sweep_spec_finish(&s, false, 2, &err), 0);
    const char *want = "grid; seeds 2; network.links.0.rate=100Mbps,200Mbps,400Mbps; "
                       "network.links.0.type=1000BASE-T,wifi";
    char buf[256];
    size_t n = sweep_spec_describe(&s, buf, sizeof buf);
    CHECK_STR_EQ(buf, want);
    CHECK_INT(n, strlen(want));
    /* too small a buffer: cut and terminated, the length needed returned */
    char small[10];
    CHECK_INT(sweep_spec_describe(&s, small, sizeof small), strlen(want));
    CHECK_STR_EQ(small, "grid; see");
    CHECK_INT(sweep_spec_describe(&s, NULL, 0), strlen(want));
    sweep_spec_free(&s);
    CHECK_INT(s.n_axes, 0);
    CHECK(s.axes == NULL);

    CHECK_INT(sweep_spec_add(&s, "a=1,2", &err), 0);
    CHECK_INT(sweep_spec_finish(&s, true, 1, &err), 0);
    sweep_spec_describe(&s, buf, sizeof buf);
    CHECK_STR_EQ(buf, "zip; seeds 1; a=1,2");
    sweep_spec_free(&s);
}

TEST_MAIN(T(test_list_keeps_each_text_as_written_with_its_unit),
          T(test_list_of_link_types_is_a_text_axis_without_numbers),
          T(test_list_of_one_value_is_an_axis_of_one),
          T(test_a_number_and_a_text_make_a_text_axis),
          T(test_arithmetic_range_of_integers_prints_no_decimal_point),
          T(test_arithmetic_range_of_decimals_shows_no_rounding_noise),
          T(test_arithmetic_range_stops_at_the_last_value_before_stop),
          T(test_arithmetic_range_with_units_writes_starts_unit),
          T(test_geometric_range_up_stops_before_stop),
          T(test_geometric_range_down_with_a_factor_below_one),
          T(test_grid_points_vary_the_seed_fastest_then_the_last_axis),
          T(test_zip_pairs_the_ith_values),
          T(test_zip_refuses_axes_of_different_lengths),
          T(test_range_refuses_zero_wrongly_signed_and_overshooting_steps),
          T(test_range_refuses_bad_factors),
          T(test_range_refuses_more_than_a_million_values),
          T(test_range_refuses_mixed_kinds_and_non_numbers),
          T(test_range_of_hz_and_fps_finds_the_kind_all_three_share),
          T(test_refuses_empty_entries_keys_and_repeated_keys),
          T(test_finish_refuses_no_axis_bad_seeds_and_too_many_points),
          T(test_numeric_column_of_rates_in_bytes_and_bits),
          T(test_numeric_column_of_times_frequencies_sizes_and_plain_numbers),
          T(test_describe_lists_mode_seeds_and_every_expanded_value),
          T(test_list_values_may_be_yaml_flow_mappings_with_commas_inside))
