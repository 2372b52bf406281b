/* Writing a file so that a reader never sees half of it, and so that partsim
 * never destroys a file it did not mean to write.
 *
 * Every output partsim writes (traces, SimGrid platforms, bandwidth
 * profiles) is written under a temporary name in the target's folder and
 * renamed over the target once complete.  rename() replaces whatever is at
 * the target, so the target is checked first: it may be absent or a regular
 * file, never a device (/dev/null), FIFO, socket, folder or symbolic link,
 * and never one of the files the command reads (its scenario, its model).
 * As root, renaming over /dev/null would replace the device node itself. */
#ifndef PARTSIM_BASE_ATOMIC_FILE_H
#define PARTSIM_BASE_ATOMIC_FILE_H

#include <stdio.h>

#include "base/error.h"

/* May `path` be replaced by a new file?  Yes when nothing exists there, or a
 * regular file that is none of `inputs` (compared by device and inode, so
 * "./s.yaml" and "s.yaml" are the same file; inputs that do not exist are
 * skipped).  Otherwise PS_ERR_INPUT with a message naming the path and why. */
int atomic_file_check_target(const char *path, const char *const *inputs, int n_inputs,
                             ps_error *err);

/* A file being written: `partial` is where the bytes go until
 * atomic_file_commit renames it to `path`. */
typedef struct {
    char *path;
    char *partial; /* "<path>.partial-<pid>-XXXXXX", created empty with mode 0600 */
} atomic_file;

/* Create the missing parent folders of `path` (mkdir -p of its folder). */
int atomic_file_make_parents(const char *path, ps_error *err);

/* Check the target (atomic_file_check_target with `inputs`) and create an
 * empty temporary file beside it.  On failure nothing is left behind and *f
 * holds nothing to release. */
int atomic_file_begin(const char *path, const char *const *inputs, int n_inputs,
                      atomic_file *f, ps_error *err);

/* Make the file readable like any other (0644), check the target again (it
 * may have changed while the file was written) and rename the temporary file
 * to the target.  On failure the complete file stays under its temporary
 * name and the message says where.  Releases `f` in every case. */
int atomic_file_commit(atomic_file *f, ps_error *err);

/* Delete the temporary file and release `f` (safe on a zeroed value). */
void atomic_file_abort(atomic_file *f);

/* The whole sequence for a file written through stdio: `write(out, ctx)`
 * fills the temporary file, which is then committed.  The message names the
 * path on any failure. */
int atomic_file_write(const char *path, void (*write)(FILE *out, const void *ctx),
                      const void *ctx, ps_error *err);

/* The same for a writer that can fail (it returns an error code and sets
 * err: nothing is committed then) and a target that must not be one of
 * `inputs`. */
int atomic_file_write_checked(const char *path, const char *const *inputs, int n_inputs,
                              int (*write)(FILE *out, void *ctx, ps_error *err), void *ctx,
                              ps_error *err);

#endif
