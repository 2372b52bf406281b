/* Units (platforms/units.h) and the positioned YAML tree
 * (platforms/ydoc.h): values, and the messages bad input gets. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "platforms/units.h"
#include "platforms/ydoc.h"
#include "tests/harness.h"

static double parse(const char *s, unit_kind k)
{
    double v = NAN;
    char why[256];
    if (units_parse(s, k, &v, why, sizeof why))
        return NAN;
    return v;
}

TEST(test_sizes_use_iec_and_si_prefixes_strictly)
{
    CHECK_NEAR(parse("108 KiB", UNIT_BYTES), 110592, 0); /* 108 * 1024 */
    CHECK_NEAR(parse("108 KB", UNIT_BYTES), 108000, 0);
    CHECK_NEAR(parse("3KiB", UNIT_BYTES), 3072, 0);
    CHECK_NEAR(parse("8 Mbit", UNIT_BYTES), 1e6, 1e-15);
}

TEST(test_rates_convert_between_bits_and_bytes)
{
    CHECK_NEAR(parse("25.6 GB/s", UNIT_BYTES_PER_S), 25.6e9, 1e-15);
    CHECK_NEAR(parse("1 Gbps", UNIT_BYTES_PER_S), 1.25e8, 1e-15); /* 1e9 / 8 */
    CHECK_NEAR(parse("1 Gbps", UNIT_BITS_PER_S), 1e9, 1e-15);
    CHECK_NEAR(parse("100 MB/s", UNIT_BITS_PER_S), 8e8, 1e-15);
}

TEST(test_other_quantities_reach_si)
{
    CHECK_NEAR(parse("200 MHz", UNIT_HZ), 2e8, 1e-15);
    CHECK_NEAR(parse("0.95 pJ", UNIT_JOULES), 0.95e-12, 1e-12);
    CHECK_NEAR(parse("200 mW", UNIT_WATTS), 0.2, 1e-15);
    CHECK_NEAR(parse("10 ms", UNIT_SECONDS), 0.01, 1e-15);
    CHECK_NEAR(parse("5 m", UNIT_METERS), 5, 0);
    CHECK_NEAR(parse("460 pF", UNIT_FARADS), 460e-12, 1e-12);
    CHECK_NEAR(parse("21 TOPS", UNIT_MACS_PER_S), 10.5e12, 1e-15); /* 2 ops per MAC */
    CHECK_NEAR(parse("30 fps", UNIT_FPS), 30, 0);
    CHECK_NEAR(parse("0.5", UNIT_NONE), 0.5, 0);
}

TEST(test_missing_or_wrong_units_are_explained)
{
    double v;
    char why[256];
    CHECK(units_parse("200", UNIT_HZ, &v, why, sizeof why) == -1);
    CHECK_STR_CONTAINS(why, "no unit");
    CHECK_STR_CONTAINS(why, "MHz");
    CHECK(units_parse("200 MBq", UNIT_HZ, &v, why, sizeof why) == -1);
    CHECK_STR_CONTAINS(why, "unknown unit 'MBq'");
    CHECK(units_parse("fast", UNIT_HZ, &v, why, sizeof why) == -1);
    CHECK_STR_CONTAINS(why, "'fast' is not a frequency");
    CHECK(units_parse("1e999 Hz", UNIT_HZ, &v, why, sizeof why) == -1);
    CHECK(units_parse("nan Hz", UNIT_HZ, &v, why, sizeof why) == -1);
}

static ydoc *load(const char *text, ps_error *err)
{
    ydoc *d = NULL;
    if (ydoc_load_string("t.yaml", text, strlen(text), &d, err))
        return NULL;
    return d;
}

TEST(test_tree_keeps_positions_of_values)
{
    ps_error err = {0};
    ydoc *d = load("a: 1\nb:\n  c: [x, y]\n  d: {e: 5 m}\n", &err);
    CHECK(d != NULL);
    if (!d)
        return;
    const ynode *b = ydoc_get(d->root, "b");
    CHECK(b && b->kind == YNODE_MAP);
    const ynode *c = ydoc_get(b, "c");
    CHECK(c && c->kind == YNODE_SEQ && c->n == 2);
    CHECK_INT(c->line, 3);
    CHECK_INT(c->col, 6);
    const ynode *e = ydoc_get(ydoc_get(b, "d"), "e");
    double m;
    CHECK_INT(ydoc_quantity(d, e, UNIT_METERS, &m, &err), 0);
    CHECK_NEAR(m, 5, 0);
    CHECK_INT(ydoc_quantity(d, ydoc_get(d->root, "a"), UNIT_METERS, &m, &err), PS_ERR_INPUT);
    CHECK_STR_CONTAINS(err.msg, "t.yaml:1:4: '1' has no unit");
    ydoc_free(d);
}

TEST(test_unknown_key_suggests_the_closest)
{
    ps_error err = {0};
    ydoc *d = load("name: x\nclok: 1 MHz\n", &err);
    static const char *const KEYS[] = {"name", "clock", "bits", NULL};
    CHECK_INT(ydoc_check_keys(d, d->root, KEYS, "architecture", &err), PS_ERR_INPUT);
    CHECK_STR_CONTAINS(err.msg, "t.yaml:2:1: unknown key 'clok' in architecture: did you mean "
                                "'clock'?");
    ydoc_free(d);
}

TEST(test_malformed_yaml_names_line_and_column)
{
    ps_error err = {0};
    CHECK(load("a: [1, 2\nb: 3\n", &err) == NULL);
    CHECK_STR_CONTAINS(err.msg, "t.yaml:");
    CHECK(load("a: 1\na: 2\n", &err) == NULL);
    CHECK_STR_CONTAINS(err.msg, "t.yaml:2:1: key 'a' appears twice in this mapping (first at "
                                "line 1)");
    CHECK(load("a: &x 1\nb: *x\n", &err) == NULL);
    CHECK_STR_CONTAINS(err.msg, "anchors");
    CHECK(load("a: 1\n---\nb: 2\n", &err) == NULL);
    CHECK_STR_CONTAINS(err.msg, "more than one YAML document");
    char deep[400];
    memset(deep, '[', 200);
    deep[200] = '\0';
    CHECK(load(deep, &err) == NULL);
    CHECK_STR_CONTAINS(err.msg, "t.yaml:");
}

TEST(test_integers_and_booleans_are_checked)
{
    ps_error err = {0};
    ydoc *d = load("n: 12\nbad: 1.5\nbig: 99999999999999999999\nf: no\n", &err);
    int64_t v;
    bool b = true;
    CHECK_INT(ydoc_int(d, ydoc_get(d->root, "n"), 1, 100, &v, &err), 0);
    CHECK_INT(v, 12);
    CHECK_INT(ydoc_int(d, ydoc_get(d->root, "n"), 1, 10, &v, &err), PS_ERR_INPUT);
    CHECK_STR_CONTAINS(err.msg, "'12' is not a whole number from 1 to 10");
    CHECK_INT(ydoc_int(d, ydoc_get(d->root, "bad"), 1, 10, &v, &err), PS_ERR_INPUT);
    CHECK_INT(ydoc_int(d, ydoc_get(d->root, "big"), 1, 10, &v, &err), PS_ERR_INPUT);
    CHECK_INT(ydoc_bool(d, ydoc_get(d->root, "f"), &b, &err), 0);
    CHECK(!b);
    ydoc_free(d);
}

TEST(test_set_overrides_walk_maps_and_named_list_items)
{
    ps_error err = {0};
    ydoc *d = load("pipelines:\n  - name: a\n    fps: 30 fps\n  - name: b\n    fps: 10 fps\n", &err);
    CHECK_INT(ydoc_set(d, "pipelines.b.fps=60 fps", &err), 0);
    CHECK_INT(ydoc_set(d, "pipelines.0.deadline=50 ms", &err), 0);
    CHECK_INT(ydoc_set(d, "seed=7", &err), 0);
    const ynode *p = ydoc_get(d->root, "pipelines");
    double v;
    CHECK_INT(ydoc_quantity(d, ydoc_get(p->items[1], "fps"), UNIT_FPS, &v, &err), 0);
    CHECK_NEAR(v, 60, 0);
    CHECK_INT(ydoc_quantity(d, ydoc_get(p->items[0], "deadline"), UNIT_SECONDS, &v, &err), 0);
    CHECK_NEAR(v, 0.05, 1e-15);
    /* an overridden value that is wrong names the override, not a line */
    CHECK_INT(ydoc_set(d, "pipelines.a.fps=fast", &err), 0);
    CHECK_INT(ydoc_quantity(d, ydoc_get(p->items[0], "fps"), UNIT_FPS, &v, &err), PS_ERR_INPUT);
    CHECK_STR_CONTAINS(err.msg, "t.yaml: --set pipelines.a.fps: 'fast' is not a frame rate");
    CHECK_INT(ydoc_set(d, "pipelines.c.fps=1 fps", &err), PS_ERR_INPUT);
    CHECK_STR_CONTAINS(err.msg, "'c' not found (a list: give an index or an item's name)");
    CHECK_INT(ydoc_set(d, "nodes.cam.count=4", &err), PS_ERR_INPUT);
    CHECK_STR_CONTAINS(err.msg, "'nodes' not found");
    CHECK_INT(ydoc_set(d, "fps", &err), PS_ERR_INPUT);
    CHECK_STR_CONTAINS(err.msg, "expected KEY=VALUE");
    /* the emitted text parses back to the same values */
    char *text = ydoc_emit(d);
    ydoc *e = load(text, &err);
    CHECK(e != NULL);
    if (e) {
        const ynode *q = ydoc_get(e->root, "pipelines");
        CHECK(q && q->n == 2);
        CHECK_STR_CONTAINS(ydoc_get(q->items[1], "fps")->value, "60 fps");
        CHECK_STR_CONTAINS(ydoc_get(e->root, "seed")->value, "7");
        ydoc_free(e);
    }
    free(text);
    ydoc_free(d);
}

TEST(test_emit_quotes_what_plain_yaml_cannot_hold)
{
    ps_error err = {0};
    ydoc *d = load("a: \"x: y\"\nb: \"\"\nc: [\"#1\", \"- z\"]\nd: {}\n", &err);
    char *text = ydoc_emit(d);
    ydoc *e = load(text, &err);
    CHECK(e != NULL);
    if (e) {
        CHECK(!strcmp(ydoc_get(e->root, "a")->value, "x: y"));
        CHECK(!strcmp(ydoc_get(e->root, "b")->value, ""));
        CHECK(!strcmp(ydoc_get(e->root, "c")->items[0]->value, "#1"));
        CHECK(!strcmp(ydoc_get(e->root, "c")->items[1]->value, "- z"));
        CHECK(ydoc_get(e->root, "d")->kind == YNODE_MAP);
        ydoc_free(e);
    }
    free(text);
    ydoc_free(d);
}

TEST_MAIN(T(test_set_overrides_walk_maps_and_named_list_items),
          T(test_emit_quotes_what_plain_yaml_cannot_hold),
          T(test_sizes_use_iec_and_si_prefixes_strictly),
          T(test_rates_convert_between_bits_and_bytes), T(test_other_quantities_reach_si),
          T(test_missing_or_wrong_units_are_explained), T(test_tree_keeps_positions_of_values),
          T(test_unknown_key_suggests_the_closest), T(test_malformed_yaml_names_line_and_column),
          T(test_integers_and_booleans_are_checked))
