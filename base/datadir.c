#include "base/datadir.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static int is_dir(const char *path)
{
    struct stat st;
    return stat(path, &st) == 0 && S_ISDIR(st.st_mode);
}

const char *datadir_choose(const char *env_value, const char *exe_path, const char *sub,
                           const char *built_in, char *buf, size_t size)
{
    if (env_value && *env_value) {
        snprintf(buf, size, "%s", env_value);
        return buf;
    }
    /* <exe dir>/.. by cutting the last two components: /proc/self/exe is a
     * canonical path (no symbolic links, no "..") */
    const char *slash = exe_path ? strrchr(exe_path, '/') : NULL;
    if (slash) {
        const char *up = slash;
        while (up > exe_path && *--up != '/')
            ;
        int n = *up == '/' ? snprintf(buf, size, "%.*s/share/partsim/%s", (int)(up - exe_path),
                                      exe_path, sub)
                           : snprintf(buf, size, "share/partsim/%s", sub);
        if (n > 0 && (size_t)n < size && is_dir(buf))
            return buf;
    }
    snprintf(buf, size, "%s", built_in);
    return buf;
}

const char *datadir_find(const char *env_name, const char *sub, const char *built_in, char *buf,
                         size_t size)
{
    char exe[4096];
    ssize_t n = readlink("/proc/self/exe", exe, sizeof exe - 1);
    if (n > 0)
        exe[n] = '\0';
    return datadir_choose(getenv(env_name), n > 0 ? exe : NULL, sub, built_in, buf, size);
}
