#include "workloads/workload.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "base/datadir.h"
#include "base/dirlist.h"
#include "base/suggest.h"
#include "workloads/onnx_import.h"
#include "workloads/shapes.h"

#ifndef PARTSIM_ZOO_DIR
#define PARTSIM_ZOO_DIR "workloads/zoo"
#endif

const char *workload_zoo_dir(void)
{
    static char dir[4096];
    return datadir_find("PARTSIM_ZOO", "zoo", PARTSIM_ZOO_DIR, dir, sizeof dir);
}

void workload_zoo_names(char *buf, size_t size)
{
    dirlist l;
    dirlist_read(&l, workload_zoo_dir(), ".onnx", NULL); /* unreadable: no names, "" */
    dirlist_join(&l, buf, size);
    dirlist_free(&l);
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
    dirlist l;
    dirlist_read(&l, workload_zoo_dir(), ".onnx", NULL); /* unreadable: no names */
    dirlist_join(&l, names, sizeof names);
    const char *near = strchr(spec, '/') ? NULL
                                         : suggest_closest(spec, (const char *const *)l.names, l.n);
    error_set(err, PS_ERR_INPUT, "%s: no such file, and not a zoo model%s%s%s (zoo in %s: %s)",
              spec, near ? "; did you mean '" : "", near ? near : "", near ? "'?" : "",
              workload_zoo_dir(), *names ? names : "none found");
    dirlist_free(&l);
    return err->code;
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
