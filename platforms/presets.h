/* The preset folders (platforms/presets/ for accelerators and devices,
 * platforms/presets/links/ for link types) and listing them for messages. */
#ifndef PARTSIM_PLATFORMS_PRESETS_H
#define PARTSIM_PLATFORMS_PRESETS_H

#include <stdbool.h>
#include <stddef.h>

#include "platforms/ydoc.h"
#include "base/error.h"

/* Comma-separated, sorted names of the `*.yaml` files in `dir` (without the
 * extension), into buf ("" when the folder cannot be read). */
void presets_list(const char *dir, char *buf, size_t size);

/* Open a description: `spec` is a path (it has a '/' or ends in .yaml /
 * .yml) or the name of a preset in `dir`.  `what` names the kind in
 * messages ("architecture", "link").  An unknown preset lists the presets;
 * an empty file is an error.  The path opened goes to `path` (size bytes)
 * and *is_file says whether spec was a path. */
int presets_open(const char *spec, const char *dir, const char *what, ydoc **out, char *path,
                 size_t size, bool *is_file, ps_error *err);

/* The `preset:` of description mapping `n`, or NULL when it has none (*out
 * NULL, return 0).  A preset chain deeper than 4 (`depth` counts the
 * presets already followed) or a non-string value is an error at the key. */
int presets_base(const ydoc *d, const ynode *n, int depth, const char **out, ps_error *err);

#endif
