/* Architectures from YAML (platforms/archfile.h): the presets load and
 * hold the documented numbers, overrides apply, and bad files get messages
 * with file:line:column. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "platforms/archfile.h"
#include "tests/accel/fixtures.h"
#include "tests/harness.h"

static char tmpdir[64];

static const char *write_file(const char *name, const char *text)
{
    static char path[256];
    snprintf(path, sizeof path, "%s/%s", tmpdir, name);
    FILE *f = fopen(path, "w");
    if (f) {
        fputs(text, f);
        fclose(f);
    }
    return path;
}

TEST(test_eyeriss_preset_matches_the_fixture)
{
    accel_arch a, f;
    ps_error err = {0};
    CHECK_INT(archfile_load("eyeriss-v1", &a, &err), 0);
    fixture_eyeriss(&f);
    CHECK_INT(a.kind, ARCH_ROW_STATIONARY);
    CHECK_INT(a.u.rs.rows, 12);
    CHECK_INT(a.u.rs.cols, 14);
    CHECK_INT(a.u.rs.filter_rf_words, 224);
    CHECK_INT(a.u.rs.ifmap_rf_words, 12);
    CHECK_INT(a.u.rs.psum_rf_words, 24);
    CHECK_INT(a.u.rs.glb_bytes, 108 * 1024);
    CHECK_INT(a.u.rs.glb_act_bytes, 100 * 1024);
    CHECK_NEAR(a.clock_hz, 200e6, 0);
    CHECK_INT(a.bits, 16);
    /* 0.95 pJ * (65/45) * (1.0/0.9)^2 = 0.95 * 1.7833 = 1.6942 pJ */
    CHECK_NEAR(a.e_mac_ref_j, 1.6942e-12, 1e-4);
    CHECK_NEAR(a.e_mac_ref_j, f.e_mac_ref_j, 1e-12);
    for (int l = 0; l < MEM_LEVELS; l++)
        CHECK_NEAR(a.e_rel[l], f.e_rel[l], 0);
    CHECK_NEAR(a.clock_cap_f, f.clock_cap_f, 1e-12);
    CHECK_NEAR(a.dram_bw_bytes_per_s, f.dram_bw_bytes_per_s, 0);
    CHECK_NEAR(a.other_ctrl_share, 0.15, 0);
    CHECK_NEAR(a.u.rs.array_efficiency, 0.877, 0); /* the fixture keeps the ideal array */
    /* the MAC split of the CNNergy code, 0.9 / 0.95 pJ: an 8-bit MAC at 45 nm is
     * 0.9 / 4 + 0.05 / 2 = 0.25 pJ (the fixture keeps 0.8) */
    CHECK_NEAR(a.mac_mult_share, 0.9 / 0.95, 1e-6);
    CHECK_NEAR(arch_mac_energy(&a, 8) / arch_tech_scale(65, 1.0, 45, 0.9), 0.25e-12, 1e-6);
}

TEST(test_simba_preset_matches_the_fixture)
{
    accel_arch a, f;
    ps_error err = {0};
    CHECK_INT(archfile_load("simba-chiplet", &a, &err), 0);
    fixture_simba(&f);
    CHECK_INT(a.kind, ARCH_WEIGHT_STATIONARY);
    CHECK_INT(a.u.ws.pes * a.u.ws.lanes * a.u.ws.vector_width, 1024);
    CHECK_INT(a.u.ws.weight_buf_bytes, f.u.ws.weight_buf_bytes);
    CHECK_INT(a.u.ws.input_buf_bytes, f.u.ws.input_buf_bytes);
    CHECK_INT(a.u.ws.accum_buf_bytes, 3 * 1024);
    CHECK_INT(a.u.ws.global_buf_bytes, 64 * 1024);
    CHECK_INT(a.bits, 8);
    CHECK_INT(a.psum_bits, 24);
    CHECK_NEAR(a.e_mac_ref_j, f.e_mac_ref_j, 1e-12);
    CHECK_NEAR(a.e_rel[MEM_RF], f.e_rel[MEM_RF], 0);
    CHECK_NEAR(a.clock_cap_f, f.clock_cap_f, 1e-12);
}

TEST(test_roofline_presets_load)
{
    accel_arch a;
    ps_error err = {0};
    CHECK_INT(archfile_load("jetson-xavier-nx", &a, &err), 0);
    CHECK_INT(a.kind, ARCH_ROOFLINE);
    CHECK_NEAR(a.u.roof.peak_macs_per_s, 6.76e12, 1e-12);
    CHECK_NEAR(a.dram_bw_bytes_per_s, 51.2e9, 1e-12);
    CHECK_INT(archfile_load("jetson-nano", &a, &err), 0);
    CHECK_NEAR(a.u.roof.peak_macs_per_s, 236e9, 1e-12);
}

TEST(test_a_file_may_start_from_a_preset_and_override)
{
    accel_arch a;
    ps_error err = {0};
    const char *p = write_file("fast.yaml", "preset: eyeriss-v1\nname: eyeriss-250\n"
                                            "clock: 250 MHz\nglb: {size: 216 KiB}\n");
    CHECK_INT(archfile_load(p, &a, &err), 0);
    CHECK_NEAR(a.clock_hz, 250e6, 0);
    CHECK_INT(a.u.rs.glb_bytes, 216 * 1024);
    CHECK_INT(a.u.rs.glb_act_bytes, 100 * 1024); /* kept from the preset */
    CHECK(!strcmp(a.name, "eyeriss-250"));
    CHECK_NEAR(a.u.rs.glb_bytes_per_cycle, 0, 0); /* the preset gives no GLB bound */
    p = write_file("glb.yaml", "preset: eyeriss-v1\nglb: {bytes_per_cycle: 8}\n");
    CHECK_INT(archfile_load(p, &a, &err), 0);
    CHECK_NEAR(a.u.rs.glb_bytes_per_cycle, 8, 0);
    p = write_file("glb-bad.yaml", "preset: eyeriss-v1\nglb: {bytes_per_cycle: -1}\n");
    CHECK_INT(archfile_load(p, &a, &err), PS_ERR_INPUT);
    CHECK_STR_CONTAINS(err.msg, "glb.bytes_per_cycle must be a positive number");
}

TEST(test_absolute_access_energies_become_relative)
{
    accel_arch a;
    ps_error err = {0};
    const char *p = write_file("abs.yaml",
                               "kind: row-stationary\nclock: 100 MHz\nbits: 8\n"
                               "technology: {node: 28 nm, vdd: 0.9 V}\n"
                               "pe_array: {rows: 4, cols: 4}\n"
                               "rf: {filter: 64, ifmap: 8, psum: 8, word_bits: 8}\n"
                               "glb: {size: 32 KiB, activations: 32 KiB}\n"
                               "dram: {bandwidth: 1 GB/s}\n"
                               "energy: {mac: 0.5 pJ, access: {rf: 0.5 pJ, interpe: 1 pJ, "
                               "glb: 3 pJ, dram: 100 pJ}}\n");
    CHECK_INT(archfile_load(p, &a, &err), 0);
    CHECK_NEAR(a.e_mac_ref_j, 0.5e-12, 1e-12);
    CHECK_NEAR(a.e_rel[MEM_GLB], 6, 1e-12);   /* 3 pJ / 0.5 pJ */
    CHECK_NEAR(a.e_rel[MEM_DRAM], 200, 1e-12); /* 100 / 0.5 */
    CHECK_INT(a.psum_bits, 8);                 /* defaults to bits */
}

TEST(test_errors_name_file_line_column_and_expectation)
{
    accel_arch a;
    ps_error err = {0};
    const char *p = write_file("bad1.yaml", "preset: eyeriss-v1\nclock: 200\n");
    CHECK_INT(archfile_load(p, &a, &err), PS_ERR_INPUT);
    CHECK_STR_CONTAINS(err.msg, "bad1.yaml:2:8: '200' has no unit: expected a frequency");
    p = write_file("bad2.yaml", "preset: eyeriss-v1\nglb: {sise: 1 KiB}\n");
    CHECK_INT(archfile_load(p, &a, &err), PS_ERR_INPUT);
    CHECK_STR_CONTAINS(err.msg, "bad2.yaml:2:7: unknown key 'sise' in glb: did you mean 'size'?");
    p = write_file("bad3.yaml", "preset: eyeriss-v1\nbuffers: {weight: 1 KiB}\n");
    CHECK_INT(archfile_load(p, &a, &err), PS_ERR_INPUT);
    CHECK_STR_CONTAINS(err.msg, "'buffers' belongs to a weight-stationary architecture");
    p = write_file("bad4.yaml", "preset: eyeriss-v1\nglb: {activations: 200 KiB}\n");
    CHECK_INT(archfile_load(p, &a, &err), PS_ERR_INPUT);
    CHECK_STR_CONTAINS(err.msg, "bad4.yaml:1:1:");
    CHECK_STR_CONTAINS(err.msg, "GLB share");
    p = write_file("bad5.yaml", "kind: systolic\n");
    CHECK_INT(archfile_load(p, &a, &err), PS_ERR_INPUT);
    CHECK_STR_CONTAINS(err.msg, "bad5.yaml:1:7: unknown kind 'systolic'");
    p = write_file("bad6.yaml", "");
    CHECK_INT(archfile_load(p, &a, &err), PS_ERR_INPUT);
    CHECK_STR_CONTAINS(err.msg, "empty file");
    p = write_file("bad7.yaml", "preset: eyeriss-v2\n");
    CHECK_INT(archfile_load(p, &a, &err), PS_ERR_INPUT);
    CHECK_STR_CONTAINS(err.msg, "no architecture preset 'eyeriss-v2'");
    CHECK_STR_CONTAINS(err.msg, "eyeriss-v1");
    p = write_file("loop.yaml", "preset: loop.yaml\n");
    char cwd[512];
    if (getcwd(cwd, sizeof cwd) && chdir(tmpdir) == 0) {
        CHECK_INT(archfile_load("loop.yaml", &a, &err), PS_ERR_INPUT);
        CHECK_STR_CONTAINS(err.msg, "more than 4 deep");
        CHECK(chdir(cwd) == 0);
    }
    CHECK_INT(archfile_load("/nonexistent/x.yaml", &a, &err), PS_ERR_IO);
    CHECK_STR_CONTAINS(err.msg, "/nonexistent/x.yaml: cannot open");
}

/* The CNNergy compatibility preset holds the constants of the CNNergy code
 * (tests/data/cnnergy/README.md; ../shared/cnnergy/README.md Sec. 1). */
TEST(test_cnnergy_preset_holds_the_codes_constants)
{
    accel_arch a, eyeriss;
    ps_error err = {0};
    CHECK_INT(archfile_load("eyeriss-v1-cnnergy", &a, &err), 0);
    CHECK_INT(archfile_load("eyeriss-v1", &eyeriss, &err), 0);
    CHECK(a.kind == ARCH_ROW_STATIONARY && a.compat == ARCH_COMPAT_CNNERGY && a.bits == 16);
    CHECK(eyeriss.compat == ARCH_COMPAT_NONE);
    /* Eyeriss's 12 x 14 PEs and 224 / 12 / 24-word RFs; a 100 kB GLB, all of it for
     * ifmap + psum */
    const arch_rowstat *rs = &a.u.rs, *ey = &eyeriss.u.rs;
    CHECK(rs->rows == ey->rows && rs->cols == ey->cols &&
          rs->filter_rf_words == ey->filter_rf_words && rs->ifmap_rf_words == ey->ifmap_rf_words &&
          rs->psum_rf_words == ey->psum_rf_words && rs->rf_word_bits == ey->rf_word_bits);
    CHECK(rs->glb_bytes == 100 * 1024 && rs->glb_act_bytes == 100 * 1024);
    /* e_MAC = (0.05 + 0.9) pJ s, s = (65/45)(1/0.9)^2; 8 bit (0.05/2 + 0.9/4) pJ s */
    CHECK_NEAR(arch_mac_energy(&a, 16), 1.6941015089163238e-12, 1e-14);
    CHECK_NEAR(arch_mac_energy(&a, 8), 0.44581618655692734e-12, 1e-14);
    CHECK_NEAR(arch_access_energy(&a, MEM_RF, 8), 0.8470507544581619e-12, 1e-14);
    CHECK_NEAR(arch_access_energy(&a, MEM_INTERPE, 16), 3.3882030178326477e-12, 1e-14);
    CHECK_NEAR(arch_access_energy(&a, MEM_GLB, 16), 10.164609053497943e-12, 1e-14);
    CHECK_NEAR(arch_access_energy(&a, MEM_DRAM, 8), 169.41015089163238e-12, 1e-14);
    CHECK_NEAR(a.cnnergy.macs_per_s, 23.1e9, 1e-15);
    CHECK_NEAR(a.cnnergy.clock_power_w, 0.1063, 1e-15);
    CHECK_NEAR(a.other_ctrl_share, 0.15, 1e-15);
    CHECK(a.static_power_w == 0);
}

TEST(test_compat_errors_name_the_line_and_the_choices)
{
    static const struct {
        const char *file, *text, *message;
    } CASES[] = {
        {"compat1.yaml", "preset: eyeriss-v1\ncompat: cnergy\n",
         "compat1.yaml:2:9: unknown compat 'cnergy' (expected none or cnnergy)"},
        {"compat2.yaml", "preset: jetson-nano\ncompat: cnnergy\n",
         "compat2.yaml:2:1: 'compat' belongs to a row-stationary"},
        {"compat3.yaml", "preset: eyeriss-v1-cnnergy\ncnnergy: {throughput: 0 MAC/s}\n",
         "CNNergy throughput"},
        {"compat4.yaml", "preset: eyeriss-v1-cnnergy\nbits: 4\n", "8- and 16-bit data only"},
        /* back to partsim's model: it needs a DRAM bandwidth again */
        {"compat5.yaml", "preset: eyeriss-v1-cnnergy\ncompat: none\n",
         "DRAM bandwidth must be positive"},
    };
    for (size_t i = 0; i < sizeof CASES / sizeof CASES[0]; i++) {
        accel_arch a;
        ps_error err = {0};
        CHECK_INT(archfile_load(write_file(CASES[i].file, CASES[i].text), &a, &err),
                  PS_ERR_INPUT);
        CHECK_STR_CONTAINS(err.msg, CASES[i].message);
    }
}

static void cleanup(void)
{
    char cmd[128];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", tmpdir);
    if (system(cmd) != 0)
        fprintf(stderr, "could not remove %s\n", tmpdir);
}

static const test_case TESTS[] = {
    T(test_eyeriss_preset_matches_the_fixture), T(test_simba_preset_matches_the_fixture),
    T(test_roofline_presets_load), T(test_a_file_may_start_from_a_preset_and_override),
    T(test_absolute_access_energies_become_relative),
    T(test_errors_name_file_line_column_and_expectation),
    T(test_cnnergy_preset_holds_the_codes_constants),
    T(test_compat_errors_name_the_line_and_the_choices)};

int main(int argc, char **argv)
{
    snprintf(tmpdir, sizeof tmpdir, "/tmp/partsim-arch-XXXXXX");
    if (!mkdtemp(tmpdir))
        return 1;
    atexit(cleanup);
    return harness_run(TESTS, (int)(sizeof TESTS / sizeof TESTS[0]), argc, argv);
}
