/* Accelerator architectures from YAML: preset files in platforms/presets/,
 * user files, and inline definitions inside a scenario.  The format is
 * documented in docs/ACCELERATORS.md; every error names the file, line and
 * column and what was expected. */
#ifndef PARTSIM_PLATFORMS_ARCHFILE_H
#define PARTSIM_PLATFORMS_ARCHFILE_H

#include <stddef.h>

#include "accel/arch.h"
#include "platforms/ydoc.h"
#include "base/error.h"

/* Folder of the presets: $PARTSIM_PRESETS if set, else
 * <exe>/../share/partsim/presets when installed, else the source tree's
 * (base/datadir.h). */
const char *archfile_presets_dir(void);

/* Comma-separated names of the presets found, into buf. */
void archfile_preset_names(char *buf, size_t size);

/* `spec` is a preset name ("eyeriss-v1") or a path to a YAML file.  The
 * result is validated (arch_validate); it is a plain value that owns nothing
 * (a measured device's profile is read and bound by platforms/measuredfile.h). */
int archfile_load(const char *spec, accel_arch *out, ps_error *err);

/* An architecture from mapping `n` of document `d` (a file's root, or an
 * entry of a scenario's `accelerators:`).  A `preset:` key starts from that
 * preset and the other keys override it.  Relative paths (a measured
 * profile) are resolved against `base_dir`.  `name` is used when the
 * mapping has no `name:` (may be NULL). */
int archfile_from_yaml(const ydoc *d, const ynode *n, const char *base_dir, const char *name,
                   accel_arch *out, ps_error *err);

#endif
