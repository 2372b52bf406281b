/* A YAML document as a tree whose every node remembers its line and column,
 * so that errors in scenario and architecture files can name the place
 * (file:line:column) and say what was expected.  Built with libyaml's event
 * parser; only what partsim's files use is supported: mappings, sequences,
 * plain / quoted scalars.  Anchors and aliases, tags and several documents
 * in one file are errors; so is a key that appears twice in a mapping.
 *
 * Typical use:
 *     ydoc *d;  if (ydoc_load_file(path, &d, err)) return ...;
 *     static const char *const KEYS[] = {"name", "kind", NULL};
 *     if (ydoc_check_keys(d, d->root, KEYS, "architecture", err)) ...
 *     const ynode *n = ydoc_get(d->root, "clock");
 *     double hz;  if (ydoc_quantity(d, n, UNIT_HZ, &hz, err)) ... */
#ifndef PARTSIM_PLATFORMS_YDOC_H
#define PARTSIM_PLATFORMS_YDOC_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "platforms/units.h"
#include "base/error.h"

typedef enum { YNODE_SCALAR, YNODE_MAP, YNODE_SEQ } ynode_kind;

typedef struct ynode {
    ynode_kind kind;
    int line, col;         /* 1-based position of the node's first character */
    char *value;           /* YNODE_SCALAR: its text */
    bool quoted;           /* the scalar was written in quotes */
    const char *origin;    /* "--set KEY" when an override put it there, else NULL */
    int n;                 /* YNODE_MAP: entries; YNODE_SEQ: items */
    struct ynode **keys;   /* YNODE_MAP: key scalars (for their positions) */
    struct ynode **items;  /* YNODE_MAP: values; YNODE_SEQ: items */
} ynode;

typedef struct ydoc {
    char *path;            /* for messages */
    ynode *root;           /* NULL for an empty document */
    struct ydoc_arena *arena;
} ydoc;

/* Parse a file; `path` also names it in messages. */
int ydoc_load_file(const char *path, ydoc **out, ps_error *err);
/* Parse text in memory; `name` names it in messages. */
int ydoc_load_string(const char *name, const char *text, size_t len, ydoc **out, ps_error *err);
void ydoc_free(ydoc *d);

/* Value of `key` in mapping `map`, or NULL (also when map is not a mapping). */
const ynode *ydoc_get(const ynode *map, const char *key);
/* Key node of `key` (for its position), or NULL. */
const ynode *ydoc_key(const ynode *map, const char *key);

/* Set err to "PATH:LINE:COL: message" about node n (n may be NULL: PATH
 * only).  Returns PS_ERR_INPUT. */
int ydoc_error(const ydoc *d, const ynode *n, ps_error *err, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

/* `map` must be a mapping whose keys are all in `allowed` (NULL-terminated);
 * an unknown key is an error naming it, with "did you mean" the closest
 * allowed key.  `what` names the mapping in the message ("architecture"). */
int ydoc_check_keys(const ydoc *d, const ynode *map, const char *const *allowed,
                    const char *what, ps_error *err);
/* The node must be a mapping (`what` names it in the message). */
int ydoc_expect_map(const ydoc *d, const ynode *n, const char *what, ps_error *err);

/* Typed scalars.  Each fails with a message naming the position and what
 * was expected. */
int ydoc_quantity(const ydoc *d, const ynode *n, unit_kind kind, double *out, ps_error *err);
int ydoc_int(const ydoc *d, const ynode *n, int64_t lo, int64_t hi, int64_t *out,
             ps_error *err);
int ydoc_string(const ydoc *d, const ynode *n, const char **out, ps_error *err);
int ydoc_bool(const ydoc *d, const ynode *n, bool *out, ps_error *err);

/* Apply an override "a.b.c=value": the dotted key walks mappings by key and
 * lists by index or by the `name:` of an item; the last key is replaced or
 * added.  The value is parsed as YAML (a scalar, or a flow [list] / {map}).
 * Errors say which part of the key was not found and what exists there. */
int ydoc_set(ydoc *d, const char *assignment, ps_error *err);

/* The document as YAML text (malloc'd; NULL when out of memory). */
char *ydoc_emit(const ydoc *d);

#endif
