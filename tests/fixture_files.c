/* Fixture files in a temporary directory (tests/fixture_files.h). */
#include "tests/fixture_files.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static char tmp_dir[64];
static char written[128][128];
static int n_written;

static void remove_fixtures(void)
{
    for (int i = 0; i < n_written; i++)
        remove(written[i]); /* a file, FIFO or empty folder */
    if (tmp_dir[0])
        rmdir(tmp_dir);
}

const char *fixture_path(const char *name)
{
    if (!tmp_dir[0]) {
        snprintf(tmp_dir, sizeof tmp_dir, "/tmp/partsim-test-XXXXXX");
        if (!mkdtemp(tmp_dir)) {
            perror("mkdtemp");
            abort();
        }
        atexit(remove_fixtures);
    }
    char path[128];
    snprintf(path, sizeof path, "%s/%s", tmp_dir, name);
    int slot = -1;
    for (int i = 0; i < n_written; i++)
        if (!strcmp(written[i], path))
            slot = i;
    if (slot < 0) {
        if (n_written == (int)(sizeof written / sizeof written[0])) {
            fprintf(stderr, "fixture_write: too many fixture files\n");
            abort();
        }
        slot = n_written++;
        snprintf(written[slot], sizeof written[slot], "%s", path);
    }
    return written[slot];
}

const char *fixture_write(const char *name, const char *bytes, size_t len)
{
    const char *path = fixture_path(name);
    FILE *f = fopen(path, "wb");
    if (!f || fwrite(bytes, 1, len, f) != len || fclose(f)) {
        perror(path);
        abort();
    }
    return path;
}

const char *fixture_write_text(const char *name, const char *text)
{
    return fixture_write(name, text, strlen(text));
}
