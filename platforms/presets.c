#include "platforms/presets.h"

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

void presets_list(const char *dir, char *buf, size_t size)
{
    if (!size)
        return;
    buf[0] = '\0';
    DIR *d = opendir(dir);
    if (!d)
        return;
    char *names[256];
    int n = 0;
    struct dirent *e;
    while ((e = readdir(d)) && n < 256) {
        size_t len = strlen(e->d_name);
        if (len > 5 && !strcmp(e->d_name + len - 5, ".yaml") && (names[n] = strndup(e->d_name, len - 5)))
            n++;
    }
    closedir(d);
    qsort(names, (size_t)n, sizeof *names, cmp_str);
    size_t used = 0;
    for (int i = 0; i < n; i++) {
        if (used < size)
            used += (size_t)snprintf(buf + used, size - used, "%s%s", used ? ", " : "", names[i]);
        free(names[i]);
    }
}
