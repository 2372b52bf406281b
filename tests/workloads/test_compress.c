/* Feature-map compression (workloads/compress.h): NeuPart eq. (25) at 8 and
 * 16 bit, a fixed ratio, raw, and the argument checks. */
#include "workloads/compress.h"
#include "tests/harness.h"

TEST(test_rlc_overhead_from_the_code_width)
{
    CHECK_NEAR(compress_rlc_delta(16), 1.0 / 3.0, 1e-15);  /* NeuPart Sec. VI-A: 1/3 */
    CHECK_NEAR(compress_rlc_delta(8), 3.0 / 5.0, 1e-15);  /* NeuPart Sec. VI-A: 3/5 */
    CHECK_NEAR(compress_rlc_delta(32), 5.0 / 32.0, 1e-15); /* 5-bit run field */
    CHECK_NEAR(compress_rlc_delta(4), 1.0, 1e-15);         /* 4-bit run field on 4-bit data */
}

TEST(test_rlc_bytes_follow_eq_25)
{
    /* 16 bit: 1000 B * (1 - 0.75) * (1 + 1/3) = 250 * 4/3 = 333.33 B */
    CHECK_NEAR(compress_bytes(COMPRESS_RLC, 1000, 0.75, 16, 0), 1000.0 / 3.0, 1e-12);
    /* 8 bit: 1000 B * 0.25 * 1.6 = 400 B */
    CHECK_NEAR(compress_bytes(COMPRESS_RLC, 1000, 0.75, 8, 0), 400, 1e-12);
    /* no zeros: RLC costs more than raw: 1000 * 1 * 1.6 = 1600 B */
    CHECK_NEAR(compress_bytes(COMPRESS_RLC, 1000, 0, 8, 0), 1600, 1e-12);
    /* all zeros: nothing sent */
    CHECK_NEAR(compress_bytes(COMPRESS_RLC, 1000, 1, 8, 0), 0, 0);
}

TEST(test_raw_and_ratio)
{
    CHECK_NEAR(compress_bytes(COMPRESS_RAW, 1000, 0.9, 8, 7), 1000, 0);
    CHECK_NEAR(compress_bytes(COMPRESS_RATIO, 1000, 0.9, 8, 4), 250, 0); /* 1000 / 4 */
}

TEST(test_bad_arguments_and_names)
{
    ps_error err = {0};
    CHECK_INT(compress_check(COMPRESS_RLC, 1.5, 8, 0, &err), PS_ERR_INPUT);
    CHECK_STR_CONTAINS(err.msg, "sparsity");
    CHECK_INT(compress_check(COMPRESS_RLC, 0.5, 0, 0, &err), PS_ERR_INPUT);
    CHECK_INT(compress_check(COMPRESS_RATIO, 0, 8, 0, &err), PS_ERR_INPUT);
    CHECK_STR_CONTAINS(err.msg, "ratio");
    CHECK_INT(compress_check(COMPRESS_RLC, 0.5, 8, 0, &err), 0);
    compress_kind k;
    CHECK_INT(compress_kind_parse("rlc", &k), 0);
    CHECK_INT(k, COMPRESS_RLC);
    CHECK_INT(compress_kind_parse("zip", &k), -1);
}

TEST_MAIN(T(test_rlc_overhead_from_the_code_width), T(test_rlc_bytes_follow_eq_25),
          T(test_raw_and_ratio), T(test_bad_arguments_and_names))
