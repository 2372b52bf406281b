/* Finding the data folders (base/datadir.h): environment, then beside the
 * installed executable, then the compiled-in source path. */
#include "base/datadir.h"
#include "tests/harness.h"

#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>

static char prefix[64];

/* <prefix>/bin and, when `with_share`, <prefix>/share/partsim/zoo. */
static void make_prefix(int with_share)
{
    snprintf(prefix, sizeof prefix, "/tmp/partsim-datadir-XXXXXX");
    CHECK(mkdtemp(prefix) != NULL);
    static const char *const ALL[] = {"bin", "share", "share/partsim", "share/partsim/zoo"};
    for (int i = 0; i < (with_share ? 4 : 1); i++) {
        char path[128];
        snprintf(path, sizeof path, "%s/%s", prefix, ALL[i]);
        CHECK_INT(mkdir(path, 0700), 0);
    }
}

static void remove_prefix(void)
{
    char cmd[128];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", prefix);
    CHECK_INT(system(cmd), 0);
}

TEST(test_environment_wins_even_over_an_installation)
{
    make_prefix(1);
    char exe[128], buf[256];
    snprintf(exe, sizeof exe, "%s/bin/partsim", prefix);
    CHECK(!strcmp(datadir_choose("/my/zoo", exe, "zoo", "/src/zoo", buf, sizeof buf), "/my/zoo"));
    remove_prefix();
}

TEST(test_installed_folder_beside_the_executable_wins_over_the_source_tree)
{
    make_prefix(1);
    char exe[128], want[256], buf[256];
    snprintf(exe, sizeof exe, "%s/bin/partsim", prefix);
    snprintf(want, sizeof want, "%s/share/partsim/zoo", prefix); /* bin/.. resolved */
    CHECK(!strcmp(datadir_choose(NULL, exe, "zoo", "/src/zoo", buf, sizeof buf), want));
    CHECK(!strcmp(datadir_choose("", exe, "zoo", "/src/zoo", buf, sizeof buf), want));
    /* another sub-folder that is not installed: the source tree */
    CHECK(!strcmp(datadir_choose(NULL, exe, "presets", "/src/presets", buf, sizeof buf),
                  "/src/presets"));
    remove_prefix();
}

TEST(test_without_installation_the_compiled_in_path_is_used)
{
    make_prefix(0);
    char exe[128], buf[256];
    snprintf(exe, sizeof exe, "%s/bin/partsim", prefix);
    CHECK(!strcmp(datadir_choose(NULL, exe, "zoo", "/src/zoo", buf, sizeof buf), "/src/zoo"));
    CHECK(!strcmp(datadir_choose(NULL, NULL, "zoo", "/src/zoo", buf, sizeof buf), "/src/zoo"));
    CHECK(!strcmp(datadir_choose(NULL, "partsim", "zoo", "/src/zoo", buf, sizeof buf),
                  "/src/zoo"));
    remove_prefix();
}

TEST(test_find_reads_the_environment_variable)
{
    char buf[256];
    setenv("PARTSIM_TEST_DATADIR", "/from/env", 1);
    CHECK(!strcmp(datadir_find("PARTSIM_TEST_DATADIR", "zoo", "/src", buf, sizeof buf),
                  "/from/env"));
    unsetenv("PARTSIM_TEST_DATADIR");
    /* the test executable has no share/partsim beside it */
    CHECK(!strcmp(datadir_find("PARTSIM_TEST_DATADIR", "zoo", "/src", buf, sizeof buf), "/src"));
}

TEST_MAIN(T(test_environment_wins_even_over_an_installation),
          T(test_installed_folder_beside_the_executable_wins_over_the_source_tree),
          T(test_without_installation_the_compiled_in_path_is_used),
          T(test_find_reads_the_environment_variable))
