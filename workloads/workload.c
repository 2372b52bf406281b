#include "workloads/workload.h"

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "workloads/onnx_import.h"
#include "workloads/shapes.h"

#ifndef PARTSIM_ZOO_DIR
#define PARTSIM_ZOO_DIR "workloads/zoo"
#endif

const char *workload_zoo_dir(void)
{
    const char *env = getenv("PARTSIM_ZOO");
    return env && *env ? env : PARTSIM_ZOO_DIR;
}

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

void workload_zoo_names(char *buf, size_t size)
{
    if (!size)
        return;
    buf[0] = '\0';
    DIR *d = opendir(workload_zoo_dir());
    if (!d)
        return;
    char *names[256];
    int n = 0;
    struct dirent *e;
    while ((e = readdir(d)) && n < 256) {
        size_t len = strlen(e->d_name);
        if (len > 5 && !strcmp(e->d_name + len - 5, ".onnx")) {
            names[n] = malloc(len - 4);
            if (!names[n])
                break;
            memcpy(names[n], e->d_name, len - 5);
            names[n++][len - 5] = '\0';
        }
    }
    closedir(d);
    qsort(names, (size_t)n, sizeof names[0], cmp_str);
    size_t used = 0;
    for (int i = 0; i < n; i++) {
        if (used < size)
            used += (size_t)snprintf(buf + used, size - used, i ? ", %s" : "%s", names[i]);
        free(names[i]);
    }
}

int workload_resolve(const char *spec, char *buf, size_t size, ps_error *err)
{
    struct stat st;
    if (stat(spec, &st) == 0) {
        snprintf(buf, size, "%s", spec);
        return 0;
    }
    if (!strchr(spec, '/') && strlen(spec) < 128) {
        snprintf(buf, size, "%s/%s.onnx", workload_zoo_dir(), spec);
        if (stat(buf, &st) == 0)
            return 0;
    }
    char names[1024];
    workload_zoo_names(names, sizeof names);
    return error_set(err, PS_ERR_INPUT,
                     "%s: no such file, and not a zoo model (zoo in %s: %s)", spec,
                     workload_zoo_dir(), *names ? names : "none found");
}

graph *workload_load(const char *spec, ps_error *err)
{
    char path[4096];
    if (workload_resolve(spec, path, sizeof path, err))
        return NULL;
    graph *g = onnx_import_file(path, err);
    if (!g)
        return NULL;
    if (shapes_infer(g, err)) {
        graph_free(g);
        return NULL;
    }
    return g;
}
