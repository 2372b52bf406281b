/* A design of the exploration as another tool's input.
 *
 * AutoDiCE (Kreß's and NeuPart's peers: /work/shared/papers/autodice-...txt,
 * Sec. III-A, Fig. 2) deploys a CNN over devices from a Mapping
 * Specification: a JSON object whose keys are "<host>_<device>" and whose
 * values are the lists of the ONNX model's node names that device runs
 * (vertical partitioning: each node under one key).  Here the host is the
 * scenario's node and the device its accelerator's name, so the candidate
 * whose stages run on eyr0 and smb0 gives {"eyr0_eyr": [...], "smb0_smb":
 * [...]}, keys in the order the frame visits them.  Every node of the model
 * is listed: a compute node under the platform running its schedule
 * position, a node that only computes constants (partsim does not schedule
 * it) under the first platform that uses its output.  Node names are the
 * model's own ("<op>_<index>" where the model gives none, which AutoDiCE
 * would not find). */
#ifndef PARTSIM_SIM_EXPLORE_EXPORT_H
#define PARTSIM_SIM_EXPLORE_EXPORT_H

#include "sim/explore.h"

/* Write candidate c as an AutoDiCE mapping to `path` (atomically; never over
 * one of the scenario's inputs). */
int explore_export_autodice(const scenario *s, const explore_problem *x,
                            const explore_candidate *c, const char *path, ps_error *err);

#endif
