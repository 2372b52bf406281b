/* Feature-map compression for transfers: how many bytes a tensor takes on a
 * link when it is sent raw, run-length coded (NeuPart eq. (25)) or with a
 * fixed ratio the user gives.  The sparsity of a tensor comes from
 * workloads/sparsity.h (sparsity_of). */
#ifndef PARTSIM_WORKLOADS_COMPRESS_H
#define PARTSIM_WORKLOADS_COMPRESS_H

#include "base/error.h"

typedef enum { COMPRESS_RAW, COMPRESS_RLC, COMPRESS_RATIO } compress_kind;

/* Run-length coding overhead delta of NeuPart eq. (25) for `bits`-bit data:
 * 1/3 with 5-bit runs on 16-bit data, 3/5 with 4-bit runs on 8-bit data
 * (NeuPart Sec. VI-A); other widths: run bits / data bits with a run field
 * of 5 bits (>= 16-bit data) or 4 bits (narrower data). */
double compress_rlc_delta(int bits);

/* Bytes sent for a tensor of `raw_bytes`:
 *   COMPRESS_RAW   raw_bytes
 *   COMPRESS_RLC   raw_bytes * (1 - sparsity) * (1 + delta(bits))  (NeuPart eq. (25))
 *   COMPRESS_RATIO raw_bytes / ratio
 * Arguments the kind does not use are ignored.  Check user-given values with
 * compress_check first: this function assumes they are in range. */
double compress_bytes(compress_kind k, double raw_bytes, double sparsity, int bits, double ratio);

/* sparsity in [0, 1] and bits in 1..64 for RLC, ratio > 0 for RATIO;
 * otherwise PS_ERR_INPUT with a message saying what was expected. */
int compress_check(compress_kind k, double sparsity, int bits, double ratio, ps_error *err);

/* "raw", "rlc", "ratio" <-> the enum; parse returns -1 for another name. */
const char *compress_kind_name(compress_kind k);
int compress_kind_parse(const char *name, compress_kind *out);

#endif
