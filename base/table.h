/* The one output layer: a table is described once (its columns: name, type,
 * unit, terminal format) and written from that description as a terminal
 * table, CSV or JSON (here) and as an HDF5 dataset (traces/trace.h), so the
 * column names and units are the same in all four.
 *
 *   - Names are the CSV header, the JSON keys and the HDF5 member names.  A
 *     name that carries a quantity ends in its SI unit (`latency_s`,
 *     `energy_j`, `cut_bytes`), and `unit` says the same for tools.
 *   - The terminal table shows the same names as its header and the values in
 *     the same units; `format` only chooses the digits.  Columns are as wide
 *     as their widest value: nothing is truncated, so a layer name can be
 *     pasted back (a stage's `until:`).
 *   - CSV follows RFC 4180 (fields with a comma, quote or line break are
 *     quoted; quotes doubled); booleans are true / false, a NaN is "nan".
 *   - JSON: one object per row, numbers with 17 digits, NaN as null.
 *
 * Rows are arrays of table_value, one per column, in column order. */
#ifndef PARTSIM_BASE_TABLE_H
#define PARTSIM_BASE_TABLE_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "base/error.h"
#include "base/json.h"

typedef enum { TABLE_INT, TABLE_FLOAT, TABLE_STR, TABLE_BOOL } table_type;

/* Column flags. */
enum {
    TABLE_HIDDEN = 1u << 0 /* not in the terminal table (CSV, JSON and HDF5 only) */
};

#define TABLE_STR_STORE 64 /* HDF5 width of a string column that gives none */

typedef struct {
    const char *name;   /* [a-z0-9_]+, unique in the table */
    table_type type;
    const char *unit;   /* SI unit: "s", "J", "W", "B", "bit/s", "Hz", "1/s", "1" (a
                           fraction); NULL when the value has none (a count, a name) */
    const char *format; /* terminal: a printf format for the value ("%.4f"); for
                           TABLE_BOOL "yes-text|no-text" ("*|"); NULL: the type's default */
    int store;          /* HDF5: bytes of an integer (1, 2, 4 or 8; 0 = 8) or of a
                           string (0 = TABLE_STR_STORE); longer strings are an error */
    unsigned flags;     /* TABLE_HIDDEN */
} table_column;

/* One cell: `i` for TABLE_INT and TABLE_BOOL (0 / 1), `f` for TABLE_FLOAT,
 * `s` for TABLE_STR (NULL = ""). */
typedef union {
    int64_t i;
    double f;
    const char *s;
} table_value;

/* A table's description: a name and the columns, copied in (names included),
 * so a caller may add generated columns ("s3_start_s"). */
typedef struct {
    char *name;
    int n, cap;
    table_column *cols;
} table_spec;

int table_spec_init(table_spec *s, const char *name, ps_error *err);
/* Append `n` columns (copied).  PS_ERR_INTERNAL for an empty, malformed or
 * duplicate name, a bad type or store width. */
int table_spec_add(table_spec *s, const table_column *cols, int n, ps_error *err);
/* Append one column named by a format ("s%d_start_s", k). */
int table_spec_addf(table_spec *s, table_column col, ps_error *err, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
/* Column index of `name`, -1 if none. */
int table_spec_find(const table_spec *s, const char *name);
void table_spec_free(table_spec *s);

/* ---- Writing ------------------------------------------------------------ */

typedef enum { TABLE_TEXT, TABLE_CSV, TABLE_JSON } table_format;

/* "table", "csv", "json"; -1 for anything else. */
int table_format_parse(const char *s, table_format *out);

typedef struct table_out table_out;

/* Start writing rows of `s` (which must outlive the writer):
 *   TABLE_TEXT  to `out`, at table_out_end, every column as wide as its
 *               widest cell (rows are kept until then);
 *   TABLE_CSV   to `out`: the header now, each row as it comes;
 *   TABLE_JSON  an array of row objects at the current position of `json`.
 * NULL with err when out of memory. */
table_out *table_out_begin(const table_spec *s, table_format f, FILE *out, json_writer *json,
                           ps_error *err);
int table_out_row(table_out *t, const table_value *row, ps_error *err);
/* Finish (print the terminal table, close the JSON array) and free `t`. */
int table_out_end(table_out *t, ps_error *err);

/* One row as a JSON object at the current position of `json` (a total, the
 * one result of a calculation). */
void table_json_object(json_writer *json, const table_spec *s, const table_value *row);

/* One row as a record on a terminal: one "name  value  unit" line per shown
 * column. */
void table_print_record(FILE *out, const table_spec *s, const table_value *row);

/* A cell as the terminal shows it (the column's format; "-" for an empty
 * string or a NaN), into buf. */
void table_format_cell(const table_column *c, table_value v, char *buf, size_t size);

/* Text of a CSV field, quoted when RFC 4180 asks for it. */
void table_csv_field(FILE *out, const char *s);

#endif
