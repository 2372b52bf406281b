/* HDF5 trace writer: one file per run, tables of rows appended one at a time.
 *
 * A trace file is written under a temporary name `<path>.partial-<pid>` in
 * the same folder and renamed to `<path>` by trace_close() once everything is
 * flushed and the root attribute `completed` is 1; trace_abort() deletes the
 * temporary file instead.  So a file under the requested name is always
 * complete, and an existing file there is replaced only at that moment.
 *
 * A table is an extendible one-dimensional HDF5 dataset of a compound type
 * whose columns are described at run time (so `/frames` can have one group of
 * columns per pipeline stage).  Rows are packed into an in-memory buffer of
 * one HDF5 chunk (TRACE_BUFFER_ROWS rows unless the table asks for another
 * size) and written one chunk at a time (shuffle + deflate, level 1 unless
 * the table asks for another; a long table's chunks compressed on a second
 * thread, trace_deflate.c); memory stays flat however many rows a run
 * appends.  Units are stored as one string attribute `unit_<column>` on the
 * dataset for every column that has a unit.  docs/TRACES.md describes the
 * format; sim/run_tables.h the tables of a run.
 *
 * This module is the only place in partsim that calls HDF5.  Opening a trace
 * turns off HDF5's own printing of its error stack (process-wide): errors are
 * reported once, through ps_error, naming the file. */
#ifndef PARTSIM_TRACES_TRACE_H
#define PARTSIM_TRACES_TRACE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "base/error.h"
#include "base/table.h"

#define TRACE_SCHEMA_VERSION 1
/* Rows per buffer = rows per HDF5 chunk, unless a table asks for another
 * size (docs/PERFORMANCE.md, "Trace size": deflate looks 32 KiB back, so the
 * chunk that compresses best depends on how alike a table's rows are). */
#define TRACE_BUFFER_ROWS 1024
#define TRACE_CHUNK_ROWS_MAX 65536
#define TRACE_STR_MAX 4096     /* widest fixed-length string column, bytes */

/* ---- Tables ------------------------------------------------------------ */

/* A table's columns come from its description (base/table.h), the same one
 * the terminal, CSV and JSON outputs use: TABLE_INT is stored as a signed
 * integer of `store` bytes (default 8), TABLE_BOOL as int8 0 / 1,
 * TABLE_FLOAT as float64, TABLE_STR as a NUL-padded string of `store` bytes
 * (default TABLE_STR_STORE; h5py reads it as bytes, dtype S<n>); a column's
 * unit becomes the string attribute `unit_<column>` of the dataset. */
typedef struct trace_table trace_table;

/* ---- Files ------------------------------------------------------------- */

/* Root attributes of a trace (schema_version, created_at and completed are
 * written by the module itself). */
typedef struct {
    const char *partsim_version;
    const char *scenario;      /* the scenario text after --set, any length */
    int64_t seed;
    const char *command_line;
} trace_meta;

typedef struct trace_file trace_file;

/* Create `<path>.partial-<pid>` (creating missing parent folders) and write
 * the root attributes, `completed` = 0.  On failure *out is NULL and nothing
 * is left behind except folders it created. */
int trace_open(const char *path, const trace_meta *meta, trace_file **out, ps_error *err);

/* Add (or replace) a string attribute of the file's root, beside those of
 * trace_meta (a sweep's `sweep_spec`). */
int trace_set_attribute(trace_file *f, const char *name, const char *value, ps_error *err);
/* The same for a 64-bit integer attribute. */
int trace_set_attribute_int(trace_file *f, const char *name, int64_t value, ps_error *err);

/* Copy every object at the root of the trace file `src` (a run's /frames,
 * /nodes, ...), and its `scenario` attribute, into the group `group` of f
 * (created, with its parents: "/runs/17"). */
int trace_copy_tables(trace_file *f, const char *src, const char *group, ps_error *err);

/* Create the table `name` ("/frames", or "/sweep/points": intermediate groups
 * are created) with the columns of `spec` (copied: it need not outlive the
 * call).  Returns NULL (and fills err) for a duplicate table, no columns, a
 * string width over TRACE_STR_MAX.  The table belongs to the file: it stays
 * valid until trace_close() / trace_abort(). */
trace_table *trace_table_create(trace_file *f, const char *name, const table_spec *spec,
                                ps_error *err);
/* How a table is stored; zero for the defaults. */
typedef struct {
    /* rows per chunk and buffer (1 .. TRACE_CHUNK_ROWS_MAX; 0: TRACE_BUFFER_ROWS):
     * a table's own length when it is known and short, fewer rows for rows
     * that deflate finds little to share between */
    int chunk_rows;
    int deflate_level;   /* 1 .. 9; 0: 1 */
    /* compress full chunks on a second thread while the caller goes on (a
     * long table of a run: /frames, /events); the file is the same */
    bool background;
} trace_table_layout;

/* The same with a layout of its own. */
trace_table *trace_table_create_chunked(trace_file *f, const char *name, const table_spec *spec,
                                        const trace_table_layout *layout, ps_error *err);

/* Append one row: values[c] for column c, c = 0 .. n_columns - 1.  Fails
 * (without appending anything) on an integer outside its column's type, a
 * string wider than its column, or a failed chunk write (the message names the
 * file; the table then refuses further rows and the run should abort). */
int trace_table_append(trace_table *t, const table_value *values, ps_error *err);

/* Flush every table, set `completed` = 1, close the file and rename it to the
 * requested path.  Frees `f` in every case.  If only the rename fails, the
 * complete file is kept under its temporary name and the message says where. */
int trace_close(trace_file *f, ps_error *err);

/* Close and delete the temporary file, free `f` (NULL is allowed). */
void trace_abort(trace_file *f);

/* ---- Introspection (tests, benchmarks, messages) ----------------------- */

const char *trace_file_path(const trace_file *f);         /* the final path */
const char *trace_file_partial_path(const trace_file *f); /* where it is written now */
const char *trace_table_name(const trace_table *t);
int trace_table_n_columns(const trace_table *t);
int trace_table_column_index(const trace_table *t, const char *name); /* -1 if none */
size_t trace_table_row_bytes(const trace_table *t);    /* packed row size */
size_t trace_table_buffer_bytes(const trace_table *t); /* memory held for rows */
int64_t trace_table_rows(const trace_table *t);         /* rows appended so far */

#endif
