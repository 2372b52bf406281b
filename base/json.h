/* A small streaming JSON writer: objects, arrays, keys and scalars written
 * in order to a FILE, with commas and indentation handled here, so that no
 * command spells JSON punctuation by hand.
 *
 * Layout: containers nested up to `pretty_depth` deep put each item on its
 * own line (indented two spaces a level); deeper ones are written on one line.
 * With pretty_depth 2, a document {"layers": [{...}, {...}]} has one key per
 * line and one row per line.  Numbers are written with 17 significant digits
 * (they read back exactly); NaN and infinities, which JSON cannot hold, are
 * written as null. */
#ifndef PARTSIM_BASE_JSON_H
#define PARTSIM_BASE_JSON_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#define JSON_MAX_DEPTH 32

typedef struct {
    FILE *out;
    int pretty_depth;
    int depth;
    bool after_key;                   /* a key was written: the value follows on its line */
    bool has_items[JSON_MAX_DEPTH];   /* the container at each depth holds an item already */
} json_writer;

void json_init(json_writer *w, FILE *out, int pretty_depth);

void json_object_begin(json_writer *w);
void json_object_end(json_writer *w);
void json_array_begin(json_writer *w);
void json_array_end(json_writer *w);

/* The key of the next value (inside an object). */
void json_key(json_writer *w, const char *key);

void json_string(json_writer *w, const char *s); /* NULL is written as null */
void json_int(json_writer *w, int64_t v);
void json_number(json_writer *w, double v);
void json_bool(json_writer *w, bool v);
void json_null(json_writer *w);

/* A quoted, escaped JSON string, for callers that write JSON text themselves. */
void json_write_string(FILE *out, const char *s);

#endif
