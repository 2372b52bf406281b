/* The one CSV reader: every CSV file partsim reads (measured-device
 * profiles, bandwidth profiles, sparsity files) goes through it, so that all
 * of them accept the same syntax and report errors the same way.
 *
 * Syntax: RFC 4180, plus what partsim's readers have always accepted:
 * - fields are separated by ','; a field may be double-quoted, and a quoted
 *   field may hold commas, line breaks and quotes (written "");
 * - lines end in LF or CRLF; the last line may lack its line end; a UTF-8
 *   byte-order mark at the start of the file is skipped;
 * - blanks (spaces, tabs) around a field are not part of it (a quoted field
 *   keeps the blanks inside its quotes);
 * - blank lines and comment lines (first non-blank character '#') between
 *   rows are skipped;
 * - the first row is the header (csv_header); every later row must have as
 *   many fields as the header;
 * - a NUL byte is an error; so is a quote left open (the message names the
 *   line and column where it opened) or text after a closing quote.
 *
 * The file must be a regular file of at most CSV_FILE_MAX bytes: a folder,
 * FIFO or device is refused before anything is read from it.  The whole file
 * is read at open and fields are cut out of it in place, so field strings
 * stay valid until csv_close.
 *
 * Every message starts "path:line:column: " (or "path:line: " for a whole
 * row) and says what was expected. */
#ifndef PARTSIM_BASE_CSV_H
#define PARTSIM_BASE_CSV_H

#include <stddef.h>

#include "base/error.h"

#define CSV_FILE_MAX ((size_t)256 << 20) /* 256 MiB */

typedef struct csv_reader csv_reader; /* opaque */

/* One row.  The arrays belong to the reader and are replaced by the next
 * csv_next; the field strings live until csv_close. */
typedef struct {
    int n;                     /* fields */
    const char *const *field;  /* field[i]: the text, unquoted, NUL-terminated */
    const int *col;            /* 1-based column of field i (its opening quote if quoted) */
    const int *field_line;     /* line of field i (a quoted line break moves later fields) */
    int line;                  /* line the row starts on */
    size_t bytes;              /* length of the row's text, line end left out */
} csv_row;

/* Open and read `path` into *out.  Errors: cannot open or read (PS_ERR_IO),
 * not a regular file or too large (PS_ERR_INPUT); *out is then NULL. */
int csv_open(const char *path, csv_reader **out, ps_error *err);
void csv_close(csv_reader *r); /* NULL-safe */

/* Refuse rows longer than `max_bytes` (line ends left out): "path:line: line
 * longer than N characters".  0 (the default): no limit but the file's. */
void csv_limit_row(csv_reader *r, size_t max_bytes);

const char *csv_path(const csv_reader *r);

/* The next row: 1, with *row filled; 0 at the end of the file; a negative
 * status (-PS_ERR_INPUT ...) on error, with err filled. */
int csv_next(csv_reader *r, csv_row *row, ps_error *err);

/* Read the first row as the header and match its names (exactly, case
 * included) against `required` and `optional` (NULL-terminated lists;
 * `optional` may be NULL).  col_of[k] is set to the field index of the k-th
 * name of required followed by optional, or -1 for an absent optional one.
 * Columns named `note` or `note_<anything>` are free text in every file:
 * accepted, any number of times, and not reported.  Errors: an empty file,
 * an unknown column (with the closest known name, base/suggest.h), a column
 * given twice, a required column missing.  `expected` says in messages what
 * a good header looks like ("'time_s,rate_bps'"); NULL: the required names.
 * Returns 0 or a status. */
int csv_header(csv_reader *r, const char *const *required, const char *const *optional,
               const char *expected, int *col_of, ps_error *err);

/* Fill err with PS_ERR_INPUT and "path:line:column: " + the message, for
 * field `field` of `row` (row NULL: the header row; field < 0: the row as a
 * whole, "path:line: "); returns PS_ERR_INPUT. */
int csv_error(const csv_reader *r, const csv_row *row, int field, ps_error *err,
              const char *fmt, ...) __attribute__((format(printf, 5, 6)));

/* Field `field` of `row` as a finite number.  An empty field, trailing
 * text, NaN, infinity or a value out of range is an error "path:line:column:
 * NAME: expected EXPECTED, got 'TEXT'" (NAME: the header's name of the
 * column; EXPECTED: e.g. "a number of seconds", NULL for "a number").
 * Returns 0 or PS_ERR_INPUT. */
int csv_double(const csv_reader *r, const csv_row *row, int field, const char *expected,
               double *out, ps_error *err);

#endif
