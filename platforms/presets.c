#include "platforms/presets.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "base/dirlist.h"
#include "base/suggest.h"

void presets_list(const char *dir, char *buf, size_t size)
{
    dirlist l;
    dirlist_read(&l, dir, ".yaml", NULL); /* unreadable: no names, "" */
    dirlist_join(&l, buf, size);
    dirlist_free(&l);
}

static bool ends_with(const char *s, const char *tail)
{
    size_t a = strlen(s), b = strlen(tail);
    return a > b && !strcmp(s + a - b, tail);
}

int presets_open(const char *spec, const char *dir, const char *what, ydoc **out, char *path,
                 size_t size, bool *is_file, ps_error *err)
{
    struct stat st;
    *out = NULL;
    *is_file = strchr(spec, '/') || ends_with(spec, ".yaml") || ends_with(spec, ".yml");
    if (*is_file) {
        snprintf(path, size, "%s", spec);
    } else {
        snprintf(path, size, "%s/%s.yaml", dir, spec);
        if (stat(path, &st)) {
            char names[2048];
            dirlist l;
            dirlist_read(&l, dir, ".yaml", NULL); /* unreadable: no names */
            dirlist_join(&l, names, sizeof names);
            const char *near = suggest_closest(spec, (const char *const *)l.names, l.n);
            error_set(err, PS_ERR_INPUT, "no %s preset '%s'%s%s%s (presets: %s; or give a "
                      "path to a YAML file)", what, spec, near ? "; did you mean '" : "",
                      near ? near : "", near ? "'?" : "", names[0] ? names : "none found");
            dirlist_free(&l);
            return err->code;
        }
    }
    ydoc *d;
    if (ydoc_load_file(path, &d, err))
        return err->code;
    if (!d->root) {
        ydoc_free(d);
        return error_set(err, PS_ERR_INPUT, "%s: empty file: expected a%s %s description",
                         path, strchr("aeiou", what[0]) ? "n" : "", what);
    }
    *out = d;
    return 0;
}

int presets_base(const ydoc *d, const ynode *n, int depth, const char **out, ps_error *err)
{
    *out = NULL;
    const ynode *preset = ydoc_get(n, "preset");
    if (!preset)
        return 0;
    if (ydoc_string(d, preset, out, err))
        return err->code;
    if (depth > 4)
        return ydoc_error(d, preset, err, "presets refer to each other more than 4 deep");
    return 0;
}
