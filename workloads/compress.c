/* Feature-map compression: NeuPart Sec. VI-A, eq. (25). */
#include "workloads/compress.h"

#include <string.h>

double compress_rlc_delta(int bits)
{
    if (bits == 16)
        return 1.0 / 3.0; /* NeuPart Sec. VI-A: 5-bit RLC for 16-bit data */
    if (bits == 8)
        return 3.0 / 5.0; /* NeuPart Sec. VI-A: 4-bit RLC for 8-bit data */
    return (bits >= 16 ? 5.0 : 4.0) / (double)bits;
}

double compress_bytes(compress_kind k, double raw_bytes, double sparsity, int bits, double ratio)
{
    switch (k) {
    case COMPRESS_RAW: return raw_bytes;
    case COMPRESS_RLC:
        /* NeuPart eq. (25): D_RLC = D_raw (1 - Sparsity)(1 + delta) */
        return raw_bytes * (1.0 - sparsity) * (1.0 + compress_rlc_delta(bits));
    case COMPRESS_RATIO: return raw_bytes / ratio;
    }
    return raw_bytes;
}

int compress_check(compress_kind k, double sparsity, int bits, double ratio, ps_error *err)
{
    if (k == COMPRESS_RLC && !(sparsity >= 0 && sparsity <= 1))
        return error_set(err, PS_ERR_INPUT, "RLC compression: sparsity %g is not a fraction "
                         "of zeros from 0 to 1", sparsity);
    if (k == COMPRESS_RLC && (bits < 1 || bits > 64))
        return error_set(err, PS_ERR_INPUT, "RLC compression: %d-bit data (expected 1 to 64 "
                         "bits)", bits);
    if (k == COMPRESS_RATIO && !(ratio > 0))
        return error_set(err, PS_ERR_INPUT, "compression ratio %g must be positive (raw "
                         "bytes / bytes sent, e.g. 4 for 4:1)", ratio);
    return 0;
}

static const char *const NAMES[] = {"raw", "rlc", "ratio"};

const char *compress_kind_name(compress_kind k)
{
    return (unsigned)k < 3 ? NAMES[k] : "?";
}

int compress_kind_parse(const char *name, compress_kind *out)
{
    for (int k = 0; k < 3; k++)
        if (!strcmp(name, NAMES[k])) {
            *out = (compress_kind)k;
            return 0;
        }
    return -1;
}
