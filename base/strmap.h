/* A string -> int index: open addressing with linear probing, FNV-1a
 * hashes, grown (doubled) to stay at most half full.
 *
 * Keys are borrowed: the map stores the pointer, not a copy, so a key must
 * stay valid and unchanged while it is in the map (graph names in the
 * graph's arena, row names owned by their table).  Values are ints >= 0, so
 * that -1 can say "absent".  Adding a key that is already present keeps the
 * first value: callers that must refuse duplicates compare what strmap_add
 * returns with what they added. */
#ifndef PARTSIM_BASE_STRMAP_H
#define PARTSIM_BASE_STRMAP_H

#include <stddef.h>
#include <stdint.h>

typedef struct {
    const char *key; /* NULL: empty slot */
    uint32_t hash;
    int value;
} strmap_slot;

typedef struct {
    strmap_slot *slots;
    size_t cap;   /* a power of two, or 0 before the first add */
    size_t count; /* keys in the map */
} strmap;

#define STRMAP_INIT {NULL, 0, 0}

/* Add key -> value (value >= 0) unless key is present.  Returns the value
 * now stored for key (`value`, or the earlier value of a duplicate key), or
 * -1 when out of memory (the map is then unchanged). */
int strmap_add(strmap *m, const char *key, int value);

/* The value of key, or -1 if it is absent. */
int strmap_find(const strmap *m, const char *key);

/* Make room for `n` keys in all, so that adding them does not grow the map;
 * 0 or -1 when out of memory. */
int strmap_reserve(strmap *m, size_t n);

void strmap_free(strmap *m); /* back to STRMAP_INIT */

#endif
