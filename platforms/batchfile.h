/* The per-layer batch file of `partsim accel --batch FILE.csv`: how many
 * frames each layer processes together (accel_opts.node_batch).
 *
 *     node,batch
 *     conv1,1
 *     conv2,2
 *
 * - `node` is an ONNX node name, `batch` a whole number from 1 to
 *   BATCHFILE_MAX; columns in any order, `note` / `note_*` columns ignored,
 *   the syntax base/csv.h's (quoted fields, '#' comment lines, CRLF, BOM).
 * - Nodes the file does not name keep the default batch (the caller's
 *   accel_opts.batch).  A node that is not in the model (with the closest
 *   name), one that computes only constants, a node given twice or a batch
 *   that is not a whole number from 1 is an error naming file:line:column. */
#ifndef PARTSIM_PLATFORMS_BATCHFILE_H
#define PARTSIM_PLATFORMS_BATCHFILE_H

#include <stdint.h>

#include "base/error.h"
#include "workloads/graph.h"

#define BATCHFILE_MAX (1 << 20)

/* Read `path` into node_batch (g->n_nodes entries: the file's batch of each
 * node it names, 0 for the others).  Returns 0 or a status. */
int batchfile_load(const graph *g, const char *path, int64_t *node_batch, ps_error *err);

#endif
