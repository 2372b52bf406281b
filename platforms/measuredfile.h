/* The measured-device profile file: a CSV of per-layer (or per-partition)
 * latency and power measured on the real device, the way CNNParted
 * measures its edge node (PyTorch benchmark, median of many runs), read
 * into a measured_profile (accel/measured.h), which accel/ binds to a graph
 * and prices layers with.
 *
 * Format (docs/ACCEL-DEVICES.md has an example and a PyTorch recipe):
 *
 *     layer,latency_s,power_w
 *     conv1,0.00125,9.5
 *     relu1..conv2,0.00210,8.7
 *
 * - A header line, then one row per layer or range.  Columns may come in any
 *   order: `layer` and `latency_s` are required, and exactly one of
 *   `power_w` (average device power while the layer runs, watts) or
 *   `energy_j` (energy of the whole row, joules).  Columns named `note` or
 *   `note_<anything>` are free text and ignored; any other column is an
 *   error, so that a wrong unit (`latency_ms`, `power_mw`) is never silently
 *   dropped.
 * - `layer` is an ONNX node name, or `FIRST..LAST` (resolved when the
 *   profile is bound, accel/measured.h).  Two rows with the same `layer`
 *   text are an error.
 * - The syntax is base/csv.h's: fields may be double-quoted ("a,b" with ""
 *   for a quote, line breaks allowed); blanks around fields are ignored;
 *   blank lines and lines starting with '#' are skipped; LF or CRLF line
 *   ends, an optional UTF-8 byte-order mark; a row is at most
 *   MEASUREDFILE_LINE_MAX bytes.
 *
 * Every error names file:line (and :column for a field) and what was
 * expected. */
#ifndef PARTSIM_PLATFORMS_MEASUREDFILE_H
#define PARTSIM_PLATFORMS_MEASUREDFILE_H

#include "accel/measured.h"
#include "base/error.h"

#define MEASUREDFILE_LINE_MAX 4096

/* Read and check the CSV at `path` (header, numbers >= 0, duplicate rows).
 * On error *out is NULL; free the result with measured_profile_free. */
int measuredfile_load(const char *path, measured_profile **out, ps_error *err);

/* For an ARCH_MEASURED architecture: read its profile (a->u.meas.profile_path)
 * and bind it to `g` at its idle power (measured_bind); *out is the binding,
 * which the caller frees with measured_binding_free.  For the analytic kinds
 * *out is NULL and nothing is read.  Returns 0 or a status. */
int measuredfile_bind(const accel_arch *a, const graph *g, measured_binding **out,
                      ps_error *err);

#endif
