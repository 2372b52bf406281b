/* Link types from YAML: preset files in platforms/presets/links/, user
 * files, and inline definitions inside a scenario (`preset:` + overrides).
 * The format is documented in docs/NETWORK.md; every error names the file,
 * line and column and what was expected. */
#ifndef PARTSIM_PLATFORMS_LINKFILE_H
#define PARTSIM_PLATFORMS_LINKFILE_H

#include <stddef.h>

#include "net/link.h"
#include "platforms/ydoc.h"
#include "base/error.h"

/* Folder of the link presets: archfile_presets_dir() + "/links". */
const char *linkfile_presets_dir(void);

/* Comma-separated names of the link presets found, into buf. */
void linkfile_preset_names(char *buf, size_t size);

/* `spec` is a preset name ("1000BASE-T") or a path to a YAML file (it
 * contains '/' or ends in .yaml / .yml).  The result is validated. */
int linkfile_load(const char *spec, link_type *out, ps_error *err);

/* A link type from mapping `n` of document `d` (a file's root, or an entry
 * of a scenario's links).  A `preset:` key starts from that preset and the
 * other keys override it.  `name` is used when the mapping has no `name:`
 * (may be NULL: then the preset's name, else the file's path). */
int linkfile_from_yaml(const ydoc *d, const ynode *n, const char *name, link_type *out,
                        ps_error *err);

#endif
