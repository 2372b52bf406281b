/* Reading trace files back with the HDF5 C API, for the trace tests: the
 * tests check the file HDF5 sees, not what the writer believes it wrote. */
#ifndef PARTSIM_TESTS_TRACES_H5_READ_H
#define PARTSIM_TESTS_TRACES_H5_READ_H

#include <hdf5.h>
#include <stddef.h>
#include <stdint.h>

#include "traces/trace.h"

/* A fresh folder under /tmp (static buffer, valid until the next call). */
const char *h5r_tmpdir(void);

/* "<dir>/<name>" in a static buffer of its own (one of four, round robin). */
const char *h5r_join(const char *dir, const char *name);

int h5r_exists(const char *path);

/* Attributes of the object `obj` at path "." relative to it; return 0 on success. */
int h5r_attr_str(hid_t obj, const char *name, char *buf, size_t size);
int h5r_attr_int64(hid_t obj, const char *name, int64_t *value);

/* Rows of a table (-1 if it does not exist). */
long long h5r_rows(hid_t file, const char *table);

/* One column, converted by HDF5 to int64 / double / fixed strings of `width`
 * bytes (NUL-padded, so give width + 1 to get terminated strings): returns a
 * malloc'ed array of h5r_rows() entries, or NULL if the column is missing. */
int64_t *h5r_column_int64(hid_t file, const char *table, const char *column);
double *h5r_column_f64(hid_t file, const char *table, const char *column);
char *h5r_column_str(hid_t file, const char *table, const char *column, size_t width);

/* trace_table_create with the columns of a static array (through a table_spec). */
trace_table *h5r_table(trace_file *f, const char *name, int n, const table_column *cols,
                       ps_error *err);

/* Resident memory of this process, bytes (from /proc/self/statm). */
long long h5r_rss_bytes(void);

#endif
