/* "Did you mean" (base/suggest.h): one distance, one cut-off for every message. */
#include "base/suggest.h"
#include "tests/harness.h"

TEST(test_distance_counts_edits_and_adjacent_swaps_as_one)
{
    CHECK_INT(suggest_distance("run", "run"), 0);
    CHECK_INT(suggest_distance("rn", "run"), 1);           /* insertion */
    CHECK_INT(suggest_distance("rxn", "run"), 1);          /* substitution */
    CHECK_INT(suggest_distance("--lenght", "--length"), 1); /* swap */
    CHECK_INT(suggest_distance("kitten", "sitting"), 3);
    CHECK_INT(suggest_distance("", "abc"), 3);
    CHECK_INT(suggest_distance("ABC", "abc"), 0);           /* case does not count */
}

TEST(test_closest_offers_typos_and_prefixes_within_the_cut_off)
{
    static const char *const COMMANDS[] = {"layers", "accel", "link", "run", "zoo", "help", NULL};
    CHECK_STR_CONTAINS(suggest_closest("rn", COMMANDS, SUGGEST_NULL_TERMINATED), "run");
    CHECK_STR_CONTAINS(suggest_closest("layres", COMMANDS, SUGGEST_NULL_TERMINATED), "layers");
    CHECK(suggest_closest("explore", COMMANDS, SUGGEST_NULL_TERMINATED) == NULL);
    static const char *const PRESETS[] = {"simba-chiplet", "eyeriss-v1", "jetson-xavier-nx"};
    CHECK_STR_CONTAINS(suggest_closest("eyeriss", PRESETS, 3), "eyeriss-v1");
    CHECK_STR_CONTAINS(suggest_closest("simba", PRESETS, 3), "simba-chiplet");
    CHECK(suggest_closest("tpu", PRESETS, 3) == NULL);
    /* another case is a suggestion; an exact match is not */
    CHECK_STR_CONTAINS(suggest_closest("RUN", COMMANDS, SUGGEST_NULL_TERMINATED), "run");
    CHECK(suggest_closest("run", COMMANDS, SUGGEST_NULL_TERMINATED) == NULL);
}

TEST(test_closer_typo_beats_longer_prefix_match)
{
    suggest s;
    suggest_init(&s, "resnet5");
    suggest_offer(&s, "resnet50-something-long");
    suggest_offer(&s, "resnet50");
    suggest_offer(&s, "resnet18");
    CHECK_STR_CONTAINS(suggest_result(&s), "resnet50");
    CHECK_INT((int)strlen(suggest_result(&s)), 8);
}

TEST(test_long_names_are_compared_without_overflow)
{
    char a[400], b[400];
    memset(a, 'x', sizeof a - 1);
    a[sizeof a - 1] = '\0';
    memcpy(b, a, sizeof b);
    b[3] = 'y';
    CHECK_INT(suggest_distance(a, b), 1);
    CHECK(suggest_closest(a, (const char *const[]){b}, 1) != NULL);
}

TEST_MAIN(T(test_distance_counts_edits_and_adjacent_swaps_as_one),
          T(test_closest_offers_typos_and_prefixes_within_the_cut_off),
          T(test_closer_typo_beats_longer_prefix_match),
          T(test_long_names_are_compared_without_overflow))
