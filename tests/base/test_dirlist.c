/* Folder listings (base/dirlist.h): sorted names with the suffix stripped. */
#include "base/dirlist.h"
#include "tests/harness.h"

#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

static char tmp[64];

static void touch(const char *name)
{
    char path[256];
    snprintf(path, sizeof path, "%s/%s", tmp, name);
    FILE *f = fopen(path, "w");
    CHECK(f != NULL);
    if (f)
        fclose(f);
}

static void remove_tree(void)
{
    char cmd[128];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", tmp);
    CHECK_INT(system(cmd), 0);
}

static void make_tmp(void)
{
    snprintf(tmp, sizeof tmp, "/tmp/partsim-dirlist-XXXXXX");
    CHECK(mkdtemp(tmp) != NULL);
}

TEST(test_lists_matching_names_sorted_without_the_suffix)
{
    make_tmp();
    touch("vgg16.onnx");
    touch("alexnet.onnx");
    touch("resnet50.onnx");
    touch("README.md");
    touch("reference.csv");
    touch("notes.onnx.txt");
    dirlist l;
    ps_error err = {0};
    CHECK_INT(dirlist_read(&l, tmp, ".onnx", &err), 0);
    CHECK_INT(l.n, 3);
    if (l.n == 3) {
        CHECK_STR_CONTAINS(l.names[0], "alexnet");
        CHECK_INT(strlen(l.names[0]), 7);
        CHECK(!strcmp(l.names[1], "resnet50"));
        CHECK(!strcmp(l.names[2], "vgg16"));
    }
    char buf[64];
    dirlist_join(&l, buf, sizeof buf);
    CHECK(!strcmp(buf, "alexnet, resnet50, vgg16"));
    dirlist_free(&l);
    CHECK_INT(l.n, 0);
    remove_tree();
}

TEST(test_bare_suffix_hidden_files_and_folders_named_otherwise_are_left_out)
{
    make_tmp();
    touch(".yaml");
    touch(".hidden.yaml");
    touch("eyeriss-v1.yaml");
    touch("eyeriss-v1.yaml~");
    char sub[128];
    snprintf(sub, sizeof sub, "%s/links", tmp);
    CHECK_INT(mkdir(sub, 0700), 0);
    dirlist l;
    CHECK_INT(dirlist_read(&l, tmp, ".yaml", NULL), 0);
    CHECK_INT(l.n, 1);
    if (l.n == 1)
        CHECK(!strcmp(l.names[0], "eyeriss-v1"));
    dirlist_free(&l);
    remove_tree();
}

TEST(test_many_entries_are_all_listed)
{
    make_tmp();
    for (int i = 0; i < 300; i++) {
        char name[32];
        snprintf(name, sizeof name, "m%03d.onnx", i);
        touch(name);
    }
    dirlist l;
    CHECK_INT(dirlist_read(&l, tmp, ".onnx", NULL), 0);
    CHECK_INT(l.n, 300);
    if (l.n == 300) {
        CHECK(!strcmp(l.names[0], "m000"));
        CHECK(!strcmp(l.names[299], "m299"));
    }
    char buf[16];
    dirlist_join(&l, buf, sizeof buf); /* cut short, still terminated */
    CHECK_INT(strlen(buf), sizeof buf - 1);
    dirlist_free(&l);
    remove_tree();
}

TEST(test_empty_and_missing_folders)
{
    make_tmp();
    dirlist l;
    CHECK_INT(dirlist_read(&l, tmp, ".onnx", NULL), 0);
    CHECK_INT(l.n, 0);
    char buf[8] = "junk";
    dirlist_join(&l, buf, sizeof buf);
    CHECK_INT(strlen(buf), 0);
    dirlist_free(&l);
    remove_tree();

    ps_error err = {0};
    CHECK_INT(dirlist_read(&l, tmp, ".onnx", &err), PS_ERR_IO);
    CHECK_INT(l.n, 0);
    CHECK(l.names == NULL);
    CHECK_STR_CONTAINS(err.msg, tmp);
    CHECK_STR_CONTAINS(err.msg, "cannot list");
}

TEST_MAIN(T(test_lists_matching_names_sorted_without_the_suffix),
          T(test_bare_suffix_hidden_files_and_folders_named_otherwise_are_left_out),
          T(test_many_entries_are_all_listed), T(test_empty_and_missing_folders))
