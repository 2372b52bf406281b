/* Whole-or-nothing output files (base/atomic_file.h): a writer that fails
 * leaves neither the target nor a temporary file, one that succeeds leaves
 * exactly its bytes, and an input is never a target. */
#include "base/atomic_file.h"
#include "tests/harness.h"

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static char tmp[64];

static int entries(void)
{
    DIR *d = opendir(tmp);
    int n = 0;
    for (struct dirent *e; d && (e = readdir(d));)
        n += e->d_name[0] != '.';
    if (d)
        closedir(d);
    return n;
}

static int write_half_then_fail(FILE *out, void *ctx, ps_error *err)
{
    (void)ctx;
    fputs("{\"half\":", out);
    return error_set(err, PS_ERR_INPUT, "the input ran out");
}

static int write_hello(FILE *out, void *ctx, ps_error *err)
{
    (void)err;
    fputs((const char *)ctx, out);
    return 0;
}

TEST(test_a_failing_writer_leaves_nothing_and_a_good_one_its_bytes)
{
    snprintf(tmp, sizeof tmp, "/tmp/partsim-atomic-XXXXXX");
    CHECK(mkdtemp(tmp) != NULL);
    char path[128];
    snprintf(path, sizeof path, "%s/out.json", tmp);
    ps_error err = {0};
    CHECK_INT(atomic_file_write_checked(path, NULL, 0, write_half_then_fail, NULL, &err),
              PS_ERR_INPUT);
    CHECK_STR_CONTAINS(err.msg, "the input ran out");
    CHECK_INT(entries(), 0);
    char hello[] = "hello\n";
    CHECK_INT(atomic_file_write_checked(path, NULL, 0, write_hello, hello, &err), 0);
    CHECK_INT(entries(), 1);
    FILE *f = fopen(path, "r");
    char buf[16] = "";
    CHECK(f && fgets(buf, sizeof buf, f));
    CHECK(strcmp(buf, hello) == 0);
    if (f)
        fclose(f);
    /* an existing target stays as it was when the writer fails */
    CHECK_INT(atomic_file_write_checked(path, NULL, 0, write_half_then_fail, NULL, &err),
              PS_ERR_INPUT);
    f = fopen(path, "r");
    CHECK(f && fgets(buf, sizeof buf, f) && strcmp(buf, hello) == 0);
    if (f)
        fclose(f);
    CHECK_INT(entries(), 1);
    /* the target is one of the inputs: refused before anything is written */
    const char *inputs[] = {path};
    CHECK(atomic_file_write_checked(path, inputs, 1, write_hello, hello, &err) != 0);
    CHECK_INT(entries(), 1);
    remove(path);
    remove(tmp);
}

TEST_MAIN(T(test_a_failing_writer_leaves_nothing_and_a_good_one_its_bytes))
