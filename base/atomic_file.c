/* Temporary file + rename, with the target checked first (atomic_file.h). */
#include "base/atomic_file.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static const char *kind_of(mode_t m)
{
    if (S_ISDIR(m)) return "a folder";
    if (S_ISCHR(m)) return "a character device";
    if (S_ISBLK(m)) return "a block device";
    if (S_ISFIFO(m)) return "a FIFO (named pipe)";
    if (S_ISSOCK(m)) return "a socket";
    if (S_ISLNK(m)) return "a symbolic link";
    return "not a regular file";
}

int atomic_file_check_target(const char *path, const char *const *inputs, int n_inputs,
                             ps_error *err)
{
    if (!path || !path[0])
        return error_set(err, PS_ERR_INPUT, "empty output path");
    struct stat st;
    if (lstat(path, &st) != 0) {
        if (errno == ENOENT)
            return 0;
        return error_set(err, PS_ERR_IO, "%s: cannot check the output path: %s", path,
                         strerror(errno));
    }
    if (!S_ISREG(st.st_mode))
        return error_set(err, PS_ERR_INPUT, "%s is %s: partsim writes a new file and renames "
                         "it over the output path, which would replace it; expected the path "
                         "of a regular file (or of one that does not exist yet)", path,
                         kind_of(st.st_mode));
    for (int i = 0; i < n_inputs; i++) {
        struct stat in;
        if (inputs[i] && stat(inputs[i], &in) == 0 && in.st_dev == st.st_dev &&
            in.st_ino == st.st_ino)
            return error_set(err, PS_ERR_INPUT, "%s is one of this command's inputs (%s): "
                             "writing the output there would destroy it; expected another "
                             "output path", path, inputs[i]);
    }
    return 0;
}

/* mkdir -p of the folder holding `path`. */
int atomic_file_make_parents(const char *path, ps_error *err)
{
    char *dir = strdup(path);
    if (!dir)
        return error_set(err, PS_ERR_NOMEM, "%s: out of memory", path);
    char *slash = strrchr(dir, '/');
    int rc = 0;
    if (slash && slash != dir) {
        *slash = '\0';
        for (char *p = dir + 1; !rc; p++) {
            if (*p != '/' && *p != '\0')
                continue;
            char c = *p;
            *p = '\0';
            struct stat st;
            if (stat(dir, &st) == 0) {
                if (!S_ISDIR(st.st_mode))
                    rc = error_set(err, PS_ERR_IO, "cannot create the folder '%s' for '%s': a "
                                   "file of that name exists", dir, path);
            } else if (mkdir(dir, 0777) != 0 && errno != EEXIST) {
                rc = error_set(err, PS_ERR_IO, "cannot create the folder '%s' for '%s': %s",
                               dir, path, strerror(errno));
            }
            *p = c;
            if (c == '\0')
                break;
        }
    }
    free(dir);
    return rc;
}

static void release(atomic_file *f)
{
    free(f->path);
    free(f->partial);
    f->path = f->partial = NULL;
}

int atomic_file_begin(const char *path, const char *const *inputs, int n_inputs,
                      atomic_file *f, ps_error *err)
{
    f->path = f->partial = NULL;
    if (atomic_file_check_target(path, inputs, n_inputs, err))
        return err ? (int)err->code : PS_ERR_INPUT;
    size_t n = strlen(path) + 32;
    if (!(f->path = strdup(path)) || !(f->partial = malloc(n))) {
        release(f);
        return error_set(err, PS_ERR_NOMEM, "%s: out of memory", path);
    }
    snprintf(f->partial, n, "%s.partial-%ld", path, (long)getpid());
    /* O_NOFOLLOW and the check below: the temporary name must be a plain file
     * of ours, since it is renamed over the target at the end */
    int fd = open(f->partial, O_WRONLY | O_CREAT | O_TRUNC | O_NOFOLLOW, 0600);
    struct stat st;
    if (fd < 0 || fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
        int rc = error_set(err, PS_ERR_IO, "cannot create the file '%s' (for '%s'): %s",
                           f->partial, path, fd < 0 ? strerror(errno) : "not a regular file");
        if (fd >= 0)
            close(fd);
        release(f);
        return rc;
    }
    close(fd);
    return 0;
}

int atomic_file_commit(atomic_file *f, ps_error *err)
{
    int rc = atomic_file_check_target(f->path, NULL, 0, err);
    if (rc)
        error_prefix(err, "the complete file is kept as '%s'", f->partial);
    else if (chmod(f->partial, 0644) != 0 || rename(f->partial, f->path) != 0)
        rc = error_set(err, PS_ERR_IO, "cannot rename '%s' to '%s': %s (the complete file is "
                       "kept under the first name)", f->partial, f->path, strerror(errno));
    release(f);
    return rc;
}

void atomic_file_abort(atomic_file *f)
{
    if (f->partial)
        unlink(f->partial);
    release(f);
}

int atomic_file_write_checked(const char *path, const char *const *inputs, int n_inputs,
                              int (*write)(FILE *out, void *ctx, ps_error *err), void *ctx,
                              ps_error *err)
{
    atomic_file af;
    int rc = atomic_file_begin(path, inputs, n_inputs, &af, err);
    if (rc)
        return rc;
    FILE *out = fopen(af.partial, "w");
    if (!out) {
        rc = error_set(err, PS_ERR_IO, "cannot write '%s': %s", af.partial, strerror(errno));
        atomic_file_abort(&af);
        return rc;
    }
    rc = write(out, ctx, err);
    int bad = ferror(out);
    if (fclose(out) != 0 || bad) {
        if (!rc)
            rc = error_set(err, PS_ERR_IO, "cannot write '%s': %s", af.partial,
                           errno ? strerror(errno) : "write error");
    }
    if (rc) {
        atomic_file_abort(&af);
        return rc;
    }
    return atomic_file_commit(&af, err);
}

typedef struct {
    void (*write)(FILE *out, const void *ctx);
    const void *ctx;
} unfailing_writer;

static int write_unfailing(FILE *out, void *ctx, ps_error *err)
{
    (void)err;
    const unfailing_writer *w = ctx;
    w->write(out, w->ctx);
    return 0;
}

int atomic_file_write(const char *path, void (*write)(FILE *out, const void *ctx),
                      const void *ctx, ps_error *err)
{
    unfailing_writer w = {write, ctx};
    return atomic_file_write_checked(path, NULL, 0, write_unfailing, &w, err);
}
