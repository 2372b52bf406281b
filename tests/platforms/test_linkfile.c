/* Link types from YAML (platforms/linkfile.h): every preset loads and holds
 * its documented numbers, `preset:` + overrides, files by path, and bad
 * input gets messages with file:line:column. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "platforms/linkfile.h"
#include "tests/harness.h"

/* Parse `text` as a document named "scenario.yaml" and read its root. */
static int from_text(const char *text, link_type *t, ps_error *err)
{
    ydoc *d;
    if (ydoc_load_string("scenario.yaml", text, strlen(text), &d, err))
        return err->code;
    int rc = linkfile_from_yaml(d, d->root, NULL, t, err);
    ydoc_free(d);
    return rc;
}

TEST(test_every_ethernet_preset_loads_with_its_numbers)
{
    static const struct {
        const char *name;
        double rate, active, lpi, wake, sleep;
    } P[] = {
        {"100BASE-TX", 100e6, 0.2, 0.02, 30.5e-6, 200e-6},
        {"1000BASE-T", 1e9, 0.6, 0.06, 16.5e-6, 182e-6},
        {"10GBASE-T", 10e9, 4.0, 0.4, 4.48e-6, 2.88e-6},
        {"100BASE-T1", 100e6, 0.25, 0.025, 30.5e-6, 200e-6},
        {"1000BASE-T1", 1e9, 0.45, 0.045, 16.5e-6, 182e-6},
    };
    for (size_t i = 0; i < sizeof P / sizeof P[0]; i++) {
        link_type t;
        ps_error err = {0};
        CHECK_INT(linkfile_load(P[i].name, &t, &err), 0);
        if (err.code)
            fprintf(stderr, "%s\n", err.msg);
        CHECK_STR_CONTAINS(t.name, P[i].name);
        CHECK_INT(t.kind, LINK_ETHERNET);
        CHECK_NEAR(t.rate_bps, P[i].rate, 1e-15);
        CHECK_NEAR(t.phy_active_w, P[i].active, 1e-12);
        CHECK_NEAR(t.phy_idle_w, P[i].active, 1e-12); /* legacy idle = active */
        CHECK_NEAR(t.phy_lpi_w, P[i].lpi, 1e-12);
        CHECK_NEAR(t.eee_wake_s, P[i].wake, 1e-12);
        CHECK_NEAR(t.eee_sleep_s, P[i].sleep, 1e-12);
        CHECK_INT(t.mtu_bytes, 1500);
        CHECK(t.full_duplex);
        CHECK(link_has_eee(&t));
    }
}

TEST(test_wireless_and_c2c_presets_load)
{
    link_type t;
    ps_error err = {0};
    CHECK_INT(linkfile_load("wifi-n", &t, &err), 0);
    CHECK_INT(t.kind, LINK_WIRELESS);
    CHECK_NEAR(t.rate_bps, 60e6, 1e-15);  /* NeuPart Table IV */
    CHECK_NEAR(t.tx_power_w, 0.5, 1e-15); /* NeuPart Table IV */
    CHECK(!t.full_duplex);
    CHECK_INT(linkfile_load("grs-simba", &t, &err), 0);
    CHECK_INT(t.kind, LINK_C2C);
    CHECK_INT(t.lanes, 8);
    CHECK_NEAR(t.rate_bps, 200e9, 1e-15); /* 8 x 25 Gb/s */
    CHECK_NEAR(t.energy_per_bit_j, 1.17e-12, 1e-12);
    CHECK_NEAR(t.latency_s, 20e-9, 1e-12);
    /* the names list every preset */
    char names[1024];
    linkfile_preset_names(names, sizeof names);
    CHECK_STR_CONTAINS(names, "1000BASE-T1");
    CHECK_STR_CONTAINS(names, "grs-simba");
}

TEST(test_preset_with_overrides_inline)
{
    link_type t;
    ps_error err = {0};
    CHECK_INT(from_text("preset: 1000BASE-T\n"
                        "name: cheap-gbe\n"
                        "power: {active: 300 mW, lpi: 10 mW}\n"
                        "mtu: 9000 B\n",
                        &t, &err), 0);
    CHECK_STR_CONTAINS(t.name, "cheap-gbe");
    CHECK_NEAR(t.rate_bps, 1e9, 0);
    CHECK_NEAR(t.phy_active_w, 0.3, 1e-12);
    CHECK_NEAR(t.phy_idle_w, 0.3, 1e-12); /* idle follows a new active power */
    CHECK_NEAR(t.phy_lpi_w, 0.01, 1e-12);
    CHECK_NEAR(t.eee_wake_s, 16.5e-6, 1e-12); /* kept from the preset */
    CHECK_INT(t.mtu_bytes, 9000);
    /* without a name the preset's stays */
    CHECK_INT(from_text("preset: 100BASE-T1\nlatency: 1 us\n", &t, &err), 0);
    CHECK_STR_CONTAINS(t.name, "100BASE-T1");
    CHECK_NEAR(t.latency_s, 1e-6, 1e-12);
    /* a complete definition without a preset */
    CHECK_INT(from_text("name: lora\nkind: wireless\nrate: 5.47 kbps\ntx_power: 100 mW\n", &t,
                        &err), 0);
    CHECK_NEAR(t.rate_bps, 5470, 1e-12);
    CHECK_NEAR(t.tx_power_w, 0.1, 1e-12);
}

TEST(test_a_file_by_path)
{
    char dir[] = "/tmp/partsim-link-XXXXXX";
    if (!mkdtemp(dir)) {
        CHECK(0);
        return;
    }
    char path[128];
    snprintf(path, sizeof path, "%s/ucie.yaml", dir);
    FILE *f = fopen(path, "w");
    CHECK(f != NULL);
    if (!f)
        return;
    fputs("kind: c2c\nlanes: 16\nlane_rate: 16 Gbps\nenergy_per_bit: 0.5 pJ\n", f);
    fclose(f);
    link_type t;
    ps_error err = {0};
    CHECK_INT(linkfile_load(path, &t, &err), 0);
    CHECK_NEAR(t.rate_bps, 256e9, 1e-15); /* 16 x 16 Gb/s */
    CHECK_STR_CONTAINS(t.name, "ucie.yaml");
    remove(path);
    rmdir(dir);
}

TEST(test_errors_name_the_place)
{
    link_type t;
    ps_error err = {0};
    /* a rate in hertz is not a bit rate */
    CHECK_INT(from_text("kind: ethernet\nrate: 1 GHz\n", &t, &err), PS_ERR_INPUT);
    CHECK_STR_CONTAINS(err.msg, "scenario.yaml:2:7");
    /* an unknown key, with a suggestion */
    CHECK_INT(from_text("kind: wireless\nrate: 1 Mbps\ntx_powr: 1 W\n", &t, &err),
              PS_ERR_INPUT);
    CHECK_STR_CONTAINS(err.msg, "scenario.yaml:3:1");
    CHECK_STR_CONTAINS(err.msg, "did you mean 'tx_power'");
    /* inside a section too */
    CHECK_INT(from_text("preset: 10GBASE-T\neee: {wake: 1 us, slep: 2 us}\n", &t, &err),
              PS_ERR_INPUT);
    CHECK_STR_CONTAINS(err.msg, "did you mean 'sleep'");
    /* no rate */
    CHECK_INT(from_text("kind: ethernet\npower: {active: 1 W}\n", &t, &err), PS_ERR_INPUT);
    CHECK_STR_CONTAINS(err.msg, "scenario.yaml:1:1");
    CHECK_STR_CONTAINS(err.msg, "missing 'rate'");
    /* a negative power */
    CHECK_INT(from_text("preset: 1000BASE-T\npower:\n  active: -1 W\n", &t, &err),
              PS_ERR_INPUT);
    CHECK_STR_CONTAINS(err.msg, "scenario.yaml:3:11");
    CHECK_STR_CONTAINS(err.msg, "negative");
    /* a key of another kind */
    CHECK_INT(from_text("preset: wifi-n\nmtu: 1500 B\n", &t, &err), PS_ERR_INPUT);
    CHECK_STR_CONTAINS(err.msg, "'mtu' belongs to a ethernet link");
    /* no kind and no preset; an unknown kind; an unknown preset */
    CHECK_INT(from_text("rate: 1 Gbps\n", &t, &err), PS_ERR_INPUT);
    CHECK_STR_CONTAINS(err.msg, "needs 'kind'");
    CHECK_INT(from_text("kind: optical\nrate: 1 Gbps\n", &t, &err), PS_ERR_INPUT);
    CHECK_STR_CONTAINS(err.msg, "unknown link kind 'optical'");
    CHECK_INT(from_text("preset: 1000BASE-X\n", &t, &err), PS_ERR_INPUT);
    CHECK_STR_CONTAINS(err.msg, "no link preset '1000BASE-X'");
    CHECK_STR_CONTAINS(err.msg, "1000BASE-T");
    /* a c2c rate given directly; idle above active (link_validate) */
    CHECK_INT(from_text("preset: grs-simba\nrate: 1000 Gbps\n", &t, &err), PS_ERR_INPUT);
    CHECK_STR_CONTAINS(err.msg, "lanes * lane_rate");
    CHECK_INT(from_text("preset: 1000BASE-T\npower: {active: 1 W, idle: 2 W}\n", &t, &err),
              PS_ERR_INPUT);
    CHECK_STR_CONTAINS(err.msg, "phy_idle");
}

TEST_MAIN(T(test_every_ethernet_preset_loads_with_its_numbers), T(test_wireless_and_c2c_presets_load),
          T(test_preset_with_overrides_inline), T(test_a_file_by_path), T(test_errors_name_the_place))
