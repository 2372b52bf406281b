/* The hypervolume indicator (sim/hypervolume.h) against values worked by
 * hand and against a count of unit cells on an integer grid (an oracle that
 * shares nothing with WFG or the slice sweep). */
#include <math.h>
#include <stdbool.h>
#include <stdlib.h>

#include "sim/hypervolume.h"
#include "tests/harness.h"

TEST(test_two_objectives_staircase_by_hand)
{
    /* (1,3) (2,2) (3,1) against (4,4): columns of height 1, 2 and 3 */
    double p[] = {1, 3, 2, 2, 3, 1}, ref[] = {4, 4}, hv = -1;
    ps_error err = {0};
    CHECK_INT(hypervolume(p, 3, 2, ref, &hv, &err), 0);
    CHECK_NEAR(hv, 6.0, 1e-12);
}

TEST(test_a_dominated_point_adds_nothing)
{
    double p[] = {1, 1, 1, 2, 2, 2}, ref[] = {3, 3, 3}, hv = -1;
    ps_error err = {0};
    CHECK_INT(hypervolume(p, 2, 3, ref, &hv, &err), 0);
    CHECK_NEAR(hv, 8.0, 1e-12); /* the box of (1,1,1) alone */
}

TEST(test_points_outside_the_reference_add_nothing)
{
    /* the second point is level with ref in one objective, the third beyond */
    double p[] = {0, 0, 0, 0, 1, 0.5, 0.5, 0.5, 0.5, 3, 0, 0, 0, 0},
           ref[] = {1, 1, 1, 1}, hv = -1;
    ps_error err = {0};
    CHECK_INT(hypervolume(p, 3, 4, ref, &hv, &err), 0);
    CHECK_NEAR(hv, 1.0, 1e-12);
}

TEST(test_no_points_no_volume)
{
    double ref[] = {1, 1, 1}, hv = -1;
    ps_error err = {0};
    CHECK_INT(hypervolume(NULL, 0, 3, ref, &hv, &err), 0);
    CHECK_NEAR(hv, 0.0, 1e-12);
}

TEST(test_one_objective_is_the_distance_to_the_reference)
{
    double p[] = {3, 1.5, 2}, ref[] = {4}, hv = -1;
    ps_error err = {0};
    CHECK_INT(hypervolume(p, 3, 1, ref, &hv, &err), 0);
    CHECK_NEAR(hv, 2.5, 1e-12);
}

TEST(test_nan_and_too_many_objectives_are_errors)
{
    double p[] = {NAN, 1}, ref[] = {2, 2}, hv;
    ps_error err = {0};
    CHECK_INT(hypervolume(p, 1, 2, ref, &hv, &err), PS_ERR_INPUT);
    CHECK_STR_CONTAINS(err.msg, "NaN");
    double many[HYPERVOLUME_MAX_DIMS + 1] = {0};
    CHECK_INT(hypervolume(many, 1, HYPERVOLUME_MAX_DIMS + 1, many, &hv, &err), PS_ERR_INPUT);
    CHECK_STR_CONTAINS(err.msg, "objectives");
}

/* Unit cells [c, c + 1)^d of the grid 0..g-1 that some point weakly
 * dominates (p <= c in every objective): the volume against ref = (g, ..). */
static double cells(const double *p, int n, int d, int g)
{
    int c[HYPERVOLUME_MAX_DIMS] = {0};
    double count = 0;
    for (;;) {
        for (int i = 0; i < n; i++) {
            bool dom = true;
            for (int k = 0; k < d && dom; k++)
                dom = p[i * d + k] <= c[k];
            if (dom) {
                count++;
                break;
            }
        }
        int k = 0;
        while (k < d && ++c[k] == g)
            c[k++] = 0;
        if (k == d)
            return count;
    }
}

static void random_sets(int d, int g, int n, int trials, unsigned seed)
{
    srand(seed);
    double p[64 * HYPERVOLUME_MAX_DIMS], ref[HYPERVOLUME_MAX_DIMS];
    for (int k = 0; k < d; k++)
        ref[k] = g;
    for (int t = 0; t < trials; t++) {
        for (int i = 0; i < n * d; i++)
            p[i] = rand() % g;
        double hv = -1;
        ps_error err = {0};
        CHECK_INT(hypervolume(p, n, d, ref, &hv, &err), 0);
        CHECK_NEAR(hv, cells(p, n, d, g), 1e-9);
    }
}

TEST(test_three_objectives_match_the_cell_count)
{
    random_sets(3, 9, 20, 40, 3);
}

TEST(test_four_objectives_match_the_cell_count)
{
    random_sets(4, 7, 24, 30, 4);
}

TEST(test_five_objectives_match_the_cell_count)
{
    random_sets(5, 5, 30, 20, 5);
}

TEST(test_points_on_a_simplex_all_count)
{
    /* every point on x + y + z = 6 is non-dominated: many ties and a front
     * the sweep must not lose any of */
    double p[3 * 28];
    int n = 0;
    for (int x = 0; x <= 6; x++)
        for (int y = 0; x + y <= 6; y++)
            p[3 * n] = x, p[3 * n + 1] = y, p[3 * n + 2] = 6 - x - y, n++;
    double ref[] = {7, 7, 7}, hv = -1;
    ps_error err = {0};
    CHECK_INT(hypervolume(p, n, 3, ref, &hv, &err), 0);
    CHECK_NEAR(hv, cells(p, n, 3, 7), 1e-12);
}

TEST_MAIN(T(test_two_objectives_staircase_by_hand), T(test_a_dominated_point_adds_nothing), T(test_points_outside_the_reference_add_nothing), T(test_no_points_no_volume), T(test_one_objective_is_the_distance_to_the_reference), T(test_nan_and_too_many_objectives_are_errors), T(test_three_objectives_match_the_cell_count), T(test_four_objectives_match_the_cell_count), T(test_five_objectives_match_the_cell_count), T(test_points_on_a_simplex_all_count))
