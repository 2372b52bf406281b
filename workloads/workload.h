/* A workload: a model file or zoo name, imported and shape-inferred.
 * The one entry point the commands use to get a graph. */
#ifndef PARTSIM_WORKLOADS_WORKLOAD_H
#define PARTSIM_WORKLOADS_WORKLOAD_H

#include <stddef.h>

#include "base/error.h"
#include "workloads/graph.h"

/* Folder of the model zoo: $PARTSIM_ZOO if set, else <exe>/../share/partsim/zoo
 * when installed, else the source tree's (base/datadir.h). */
const char *workload_zoo_dir(void);

/* Resolve `spec` to a file: an existing path as given, else a zoo name
 * ("resnet50" -> <zoo>/resnet50.onnx).  Writes the path into buf. */
int workload_resolve(const char *spec, char *buf, size_t size, ps_error *err);

/* Resolve, import and infer shapes.  NULL and err on failure. */
graph *workload_load(const char *spec, ps_error *err);

/* Comma-separated names of the zoo models found, into buf. */
void workload_zoo_names(char *buf, size_t size);

#endif
