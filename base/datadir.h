/* Where partsim's data folders (the presets, the model zoo) are.
 *
 * The same binary runs from its build tree and from an installation
 * (`make install PREFIX=...`: <prefix>/bin/partsim beside
 * <prefix>/share/partsim/<sub>), so a folder is looked up in this order:
 *
 *   1. the environment variable (PARTSIM_PRESETS, PARTSIM_ZOO) when set and
 *      not empty, as given (even when it does not exist: the user asked);
 *   2. <folder of the running executable>/../share/partsim/<sub>, when that
 *      is a folder (the executable is /proc/self/exe, symbolic links
 *      resolved: <prefix>/bin/partsim gives <prefix>/share/partsim/<sub>);
 *   3. the folder compiled in (the source tree, for running from the build
 *      tree). */
#ifndef PARTSIM_BASE_DATADIR_H
#define PARTSIM_BASE_DATADIR_H

#include <stddef.h>

/* The folder for `sub` ("presets", "zoo"), found as above with the
 * environment variable `env_name` and the compiled-in `built_in`; written
 * into buf (size bytes), which is returned. */
const char *datadir_find(const char *env_name, const char *sub, const char *built_in, char *buf,
                         size_t size);

/* The same choice with the inputs given: `env_value` (NULL or "" when
 * unset) and `exe_path` (NULL when unknown) instead of the process's own. */
const char *datadir_choose(const char *env_value, const char *exe_path, const char *sub,
                           const char *built_in, char *buf, size_t size);

#endif
