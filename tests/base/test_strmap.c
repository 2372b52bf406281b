/* The string -> int index (base/strmap.h): insert, find, miss, growth past
 * many thousands of keys, duplicate keys keep their first value, keys are
 * borrowed. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/strmap.h"
#include "tests/harness.h"

TEST(test_added_keys_are_found_and_others_miss)
{
    strmap m = STRMAP_INIT;
    CHECK_INT(strmap_find(&m, "conv1"), -1); /* empty map */
    CHECK_INT(strmap_add(&m, "conv1", 0), 0);
    CHECK_INT(strmap_add(&m, "relu1", 7), 7);
    CHECK_INT(strmap_add(&m, "", 3), 3); /* the empty name is a key like any other */
    CHECK_INT(strmap_find(&m, "conv1"), 0);
    CHECK_INT(strmap_find(&m, "relu1"), 7);
    CHECK_INT(strmap_find(&m, ""), 3);
    CHECK_INT(strmap_find(&m, "conv"), -1);
    CHECK_INT(strmap_find(&m, "conv1 "), -1);
    CHECK_INT(strmap_find(&m, NULL), -1);
    CHECK_INT((long long)m.count, 3);
    strmap_free(&m);
    CHECK(m.slots == NULL && m.count == 0);
    CHECK_INT(strmap_find(&m, "conv1"), -1);
    strmap_free(&m); /* twice is harmless */
}

TEST(test_a_duplicate_key_keeps_its_first_value)
{
    strmap m = STRMAP_INIT;
    CHECK_INT(strmap_add(&m, "fc", 1), 1);
    char copy[] = "fc"; /* an equal key at another address */
    CHECK_INT(strmap_add(&m, copy, 2), 1);
    CHECK_INT(strmap_find(&m, "fc"), 1);
    CHECK_INT((long long)m.count, 1);
    strmap_free(&m);
}

TEST(test_the_map_grows_past_many_thousands_of_keys)
{
    enum { N = 50000 };
    char (*names)[16] = malloc(N * sizeof *names);
    CHECK(names != NULL);
    if (!names)
        return;
    strmap m = STRMAP_INIT;
    for (int i = 0; i < N; i++) {
        snprintf(names[i], sizeof names[i], "t%d", i);
        CHECK_INT(strmap_add(&m, names[i], i), i);
        if (i % 1000 == 0) /* the keys added before any growth are all still there */
            for (int j = 0; j <= i; j += 97)
                CHECK_INT(strmap_find(&m, names[j]), j);
    }
    CHECK_INT((long long)m.count, N);
    CHECK(m.cap >= 2 * (size_t)N && (m.cap & (m.cap - 1)) == 0); /* at most half full */
    int wrong = 0;
    for (int i = 0; i < N; i++) {
        char key[16];
        snprintf(key, sizeof key, "t%d", i);
        wrong += strmap_find(&m, key) != i;
    }
    CHECK_INT(wrong, 0);
    CHECK_INT(strmap_find(&m, "t50000"), -1);
    CHECK_INT(strmap_find(&m, "t-1"), -1);
    strmap_free(&m);
    free(names);
}

TEST(test_reserve_makes_room_without_changing_contents)
{
    strmap m = STRMAP_INIT;
    CHECK_INT(strmap_add(&m, "a", 1), 1);
    CHECK_INT(strmap_reserve(&m, 1000), 0);
    size_t cap = m.cap;
    CHECK(cap >= 2000);
    char names[1000][8];
    for (int i = 0; i < 999; i++) {
        snprintf(names[i], sizeof names[i], "n%d", i);
        strmap_add(&m, names[i], i);
    }
    CHECK(m.cap == cap); /* no growth within the reservation */
    CHECK_INT(strmap_find(&m, "a"), 1);
    CHECK_INT(strmap_find(&m, "n998"), 998);
    strmap_free(&m);
}

TEST_MAIN(T(test_added_keys_are_found_and_others_miss),
          T(test_a_duplicate_key_keeps_its_first_value),
          T(test_the_map_grows_past_many_thousands_of_keys),
          T(test_reserve_makes_room_without_changing_contents))
