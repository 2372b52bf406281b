/* The project's one error type.
 *
 * A function that can fail takes a `ps_error *err` as its last argument,
 * returns a status (0 on success, a ps_status code otherwise) and, on failure,
 * fills `err` with a message that says what was wrong, where (file, line,
 * column, node name) and what was expected.  The caller that decides to stop
 * prints it once.  Nothing below main() exits the process. */
#ifndef PARTSIM_BASE_ERROR_H
#define PARTSIM_BASE_ERROR_H

#include <stddef.h>

typedef enum {
    PS_OK = 0,
    PS_ERR_INPUT = 1,       /* bad user input: malformed file, impossible value */
    PS_ERR_IO = 2,          /* a file could not be read or written */
    PS_ERR_UNSUPPORTED = 3, /* valid input that partsim does not model (yet) */
    PS_ERR_NOMEM = 4,       /* out of memory */
    PS_ERR_INTERNAL = 5     /* a partsim bug: an invariant did not hold */
} ps_status;

#define PS_ERROR_MSG_MAX 1024

typedef struct {
    ps_status code;
    char msg[PS_ERROR_MSG_MAX];
} ps_error;

/* Fill `err` (may be NULL) and return `code`, so that a failing function can
 * `return error_set(err, PS_ERR_INPUT, "...", ...);`. */
int error_set(ps_error *err, ps_status code, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* Put "context: " in front of the message already in `err`; returns its code. */
int error_prefix(ps_error *err, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

void error_clear(ps_error *err);

/* Short name of a status ("input error", "I/O error", ...). */
const char *error_kind(ps_status code);

#endif
