/* The preset folders (platforms/presets/ for accelerators and devices,
 * platforms/presets/links/ for link types) and listing them for messages. */
#ifndef PARTSIM_PLATFORMS_PRESETS_H
#define PARTSIM_PLATFORMS_PRESETS_H

#include <stddef.h>

/* Comma-separated, sorted names of the `*.yaml` files in `dir` (without the
 * extension), into buf ("" when the folder cannot be read). */
void presets_list(const char *dir, char *buf, size_t size);

#endif
