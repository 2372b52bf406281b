/* What trace.c (files, attributes) and trace_table.c (tables) share; not for
 * callers outside traces/. */
#ifndef PARTSIM_TRACES_TRACE_INTERNAL_H
#define PARTSIM_TRACES_TRACE_INTERNAL_H

#include <hdf5.h>

#include "base/atomic_file.h"
#include "traces/trace.h"

/* How a column is stored in the packed row and the HDF5 compound type. */
typedef enum { STORE_I8, STORE_I16, STORE_I32, STORE_I64, STORE_F64, STORE_STR } store_kind;

typedef struct {
    char *name;
    store_kind kind;
    size_t offset; /* in the packed row */
    size_t bytes;
} table_column_store;

typedef struct trace_deflate trace_deflate; /* trace_deflate.c, below */

struct trace_table {
    trace_file *file;
    char *name;
    hid_t dset;
    hid_t type;          /* packed compound: memory and file layout alike */
    int n_columns;
    table_column_store *cols;
    size_t row_bytes;
    size_t chunk_rows;   /* rows per HDF5 chunk = rows the buffer holds */
    int deflate_level;   /* 1..9, 0: TABLE_DEFLATE_LEVEL */
    bool background;     /* full chunks compressed on a second thread */
    trace_deflate *bg;   /* that thread, started at the first full chunk */
    unsigned char *spare;/* the chunk the thread compresses while buf fills */
    bool pending;        /* spare holds a chunk being compressed, rows pending_start.. */
    int64_t pending_start;
    unsigned char *buf;  /* chunk_rows packed rows */
    size_t buf_rows;     /* rows waiting in buf */
    int64_t rows_written;
    int failed;          /* a chunk write failed: refuse further rows */
};

struct trace_file {
    atomic_file af;      /* the temporary file and the final path */
    const char *path;    /* af.path, af.partial (for messages) */
    const char *partial;
    hid_t h5;
    trace_table **tables;
    int n_tables;
};

/* Write (create) a variable-length UTF-8 string attribute; h5py reads it as
 * str.  Returns 0 or -1 (HDF5 failed). */
int trace_h5_attr_str(hid_t obj, const char *name, const char *value);
/* A variable-length string attribute, malloc'd; NULL when there is none. */
char *trace_h5_attr_text(hid_t obj, const char *name);

/* ---- Background compression (trace_deflate.c) ----------------------------
 * One worker thread per table that asks for it: HDF5's shuffle and deflate
 * of one full chunk of n_elems elements of elem_bytes each, while the
 * simulation fills the next; the caller writes the result with
 * H5Dwrite_chunk (HDF5 itself is called from the caller's thread only). */
/* NULL when a thread or memory is not to be had (the caller then lets HDF5
 * compress). */
trace_deflate *trace_deflate_start(size_t elem_bytes, size_t n_elems, int level);
/* Compress raw (elem_bytes * n_elems bytes, untouched until the wait). */
void trace_deflate_submit(trace_deflate *d, const unsigned char *raw);
/* Wait for the submitted chunk: the compressed bytes (valid until the next
 * submit); -1 when zlib failed. */
int trace_deflate_wait(trace_deflate *d, const unsigned char **out, size_t *bytes);
/* Join the thread and free (a chunk still being compressed is dropped). */
void trace_deflate_stop(trace_deflate *d);

/* The innermost message of HDF5's current error stack ("No space left on
 * device", ...), or "" when there is none. */
void trace_h5_error_detail(char *buf, size_t size);

/* trace_table.c: create the dataset; flush the buffered rows; close and free. */
trace_table *trace_table_new(trace_file *f, const char *name, const table_spec *spec,
                            const trace_table_layout *layout, ps_error *err);
int trace_table_flush(trace_table *t, ps_error *err);
void trace_table_free(trace_table *t);

#endif
