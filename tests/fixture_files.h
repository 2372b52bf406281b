/* Fixture files for tests that read files: written to one fresh temporary
 * directory per test process (mkdtemp), removed with it at exit. */
#ifndef PARTSIM_TESTS_FIXTURE_FILES_H
#define PARTSIM_TESTS_FIXTURE_FILES_H

#include <stddef.h>

/* The path <tmp>/<name>, removed at exit (a file, FIFO or empty folder the
 * test makes there); static storage, valid until exit. */
const char *fixture_path(const char *name);

/* Write `len` bytes to <tmp>/<name> (replacing an earlier one of that name);
 * returns the path (static storage, valid until exit).  Aborts on failure. */
const char *fixture_write(const char *name, const char *bytes, size_t len);

/* The same for a NUL-terminated text. */
const char *fixture_write_text(const char *name, const char *text);

#endif
