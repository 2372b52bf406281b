/* A minimal test harness: each test file defines test functions, lists them
 * with TEST_LIST, and the harness runs them and prints "N passed, N failed".
 * A check that fails prints file:line, the expression and both values. */
#ifndef PARTSIM_TESTS_HARNESS_H
#define PARTSIM_TESTS_HARNESS_H

#include <stdint.h>
#include <stdio.h>
#include <string.h>

typedef struct {
    const char *name;
    void (*fn)(void);
} test_case;

extern int harness_failed_checks;

#define CHECK(cond)                                                                          \
    do {                                                                                     \
        if (!(cond)) {                                                                       \
            fprintf(stderr, "%s:%d: CHECK(%s) failed\n", __FILE__, __LINE__, #cond);         \
            harness_failed_checks++;                                                         \
        }                                                                                    \
    } while (0)

#define CHECK_INT(actual, expected)                                                          \
    do {                                                                                     \
        long long a_ = (long long)(actual), e_ = (long long)(expected);                      \
        if (a_ != e_) {                                                                      \
            fprintf(stderr, "%s:%d: %s is %lld, expected %lld\n", __FILE__, __LINE__,        \
                    #actual, a_, e_);                                                        \
            harness_failed_checks++;                                                         \
        }                                                                                    \
    } while (0)

#define CHECK_NEAR(actual, expected, rel)                                                    \
    do {                                                                                     \
        double a_ = (double)(actual), e_ = (double)(expected);                               \
        double d_ = a_ > e_ ? a_ - e_ : e_ - a_, m_ = e_ > 0 ? e_ : -e_;                     \
        if (d_ > (rel) * (m_ > 0 ? m_ : 1.0)) {                                              \
            fprintf(stderr, "%s:%d: %s is %.12g, expected %.12g (rel. tol. %g)\n", __FILE__,  \
                    __LINE__, #actual, a_, e_, (double)(rel));                               \
            harness_failed_checks++;                                                         \
        }                                                                                    \
    } while (0)

#define CHECK_STR_CONTAINS(haystack, needle)                                                 \
    do {                                                                                     \
        const char *h_ = (haystack), *n_ = (needle);                                         \
        if (!h_ || !strstr(h_, n_)) {                                                        \
            fprintf(stderr, "%s:%d: \"%s\" does not contain \"%s\"\n", __FILE__, __LINE__,   \
                    h_ ? h_ : "(null)", n_);                                                 \
            harness_failed_checks++;                                                         \
        }                                                                                    \
    } while (0)

/* Run the tests; returns the process exit status. */
int harness_run(const test_case *tests, int n, int argc, char **argv);

#define TEST(name) static void name(void)
#define TEST_MAIN(...)                                                                       \
    int main(int argc, char **argv)                                                          \
    {                                                                                        \
        static const test_case tests_[] = {__VA_ARGS__};                                     \
        return harness_run(tests_, (int)(sizeof tests_ / sizeof tests_[0]), argc, argv);     \
    }
#define T(fn) {#fn, fn}

#endif
