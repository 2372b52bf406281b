#include "base/dirlist.h"

#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Append `name` without its last `cut` characters; 0, or -1 out of memory. */
static int push(dirlist *l, size_t *cap, const char *name, size_t cut)
{
    if (l->n == *cap) {
        size_t grown = *cap ? 2 * *cap : 16;
        char **names = realloc(l->names, grown * sizeof *names);
        if (!names)
            return -1;
        l->names = names;
        *cap = grown;
    }
    char *copy = strndup(name, strlen(name) - cut);
    if (!copy)
        return -1;
    l->names[l->n++] = copy;
    return 0;
}

int dirlist_read(dirlist *l, const char *dir, const char *suffix, ps_error *err)
{
    l->names = NULL;
    l->n = 0;
    DIR *d = opendir(dir);
    if (!d)
        return error_set(err, PS_ERR_IO, "%s: cannot list the folder: %s", dir, strerror(errno));
    size_t cap = 0, tail = strlen(suffix);
    const struct dirent *e;
    while ((e = readdir(d))) {
        size_t len = strlen(e->d_name);
        if (e->d_name[0] == '.' || len <= tail || strcmp(e->d_name + len - tail, suffix))
            continue;
        if (push(l, &cap, e->d_name, tail)) {
            closedir(d);
            dirlist_free(l);
            return error_set(err, PS_ERR_NOMEM, "%s: out of memory listing the folder", dir);
        }
    }
    closedir(d);
    if (l->n)
        qsort(l->names, l->n, sizeof *l->names, cmp_str);
    return 0;
}

void dirlist_free(dirlist *l)
{
    for (size_t i = 0; i < l->n; i++)
        free(l->names[i]);
    free(l->names);
    l->names = NULL;
    l->n = 0;
}

void dirlist_join(const dirlist *l, char *buf, size_t size)
{
    if (!size)
        return;
    buf[0] = '\0';
    size_t used = 0;
    for (size_t i = 0; i < l->n && used < size; i++)
        used += (size_t)snprintf(buf + used, size - used, "%s%s", i ? ", " : "", l->names[i]);
}
