#include "base/error.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

int error_set(ps_error *err, ps_status code, const char *fmt, ...)
{
    if (err) {
        va_list ap;
        va_start(ap, fmt);
        vsnprintf(err->msg, sizeof err->msg, fmt, ap);
        va_end(ap);
        err->code = code;
    }
    return (int)code;
}

int error_prefix(ps_error *err, const char *fmt, ...)
{
    if (!err)
        return PS_ERR_INTERNAL;
    char prefix[PS_ERROR_MSG_MAX];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(prefix, sizeof prefix, fmt, ap);
    va_end(ap);
    char joined[PS_ERROR_MSG_MAX];
    snprintf(joined, sizeof joined, "%s: %s", prefix, err->msg);
    memcpy(err->msg, joined, sizeof joined);
    return (int)err->code;
}

void error_clear(ps_error *err)
{
    if (err) {
        err->code = PS_OK;
        err->msg[0] = '\0';
    }
}

const char *error_kind(ps_status code)
{
    switch (code) {
    case PS_OK: return "ok";
    case PS_ERR_INPUT: return "input error";
    case PS_ERR_IO: return "I/O error";
    case PS_ERR_UNSUPPORTED: return "unsupported";
    case PS_ERR_NOMEM: return "out of memory";
    case PS_ERR_INTERNAL: return "internal error";
    }
    return "error";
}
