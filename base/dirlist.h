/* The names in a folder that end in a suffix ("resnet50" for resnet50.onnx,
 * "eyeriss-v1" for eyeriss-v1.yaml): what the zoo and the preset folders
 * offer, for listings, messages and shell completion. */
#ifndef PARTSIM_BASE_DIRLIST_H
#define PARTSIM_BASE_DIRLIST_H

#include <stddef.h>

#include "base/error.h"

/* names[0..n-1]: allocated, sorted (strcmp), suffix stripped. */
typedef struct {
    char **names;
    size_t n;
} dirlist;

/* The entries of `dir` whose name ends in `suffix` and is longer than it,
 * hidden ones ('.' first) left out.  On failure (the folder cannot be read:
 * PS_ERR_IO; out of memory) *l is empty and err says why. */
int dirlist_read(dirlist *l, const char *dir, const char *suffix, ps_error *err);

void dirlist_free(dirlist *l);

/* The names joined by ", " into buf (size bytes; cut short when full). */
void dirlist_join(const dirlist *l, char *buf, size_t size);

#endif
