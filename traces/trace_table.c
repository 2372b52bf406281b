/* Extendible compound tables: columns described at run time, rows packed
 * into a buffer of one chunk (TRACE_BUFFER_ROWS rows unless the table chose
 * another size) and written one chunk at a time
 * (H5Dset_extent + a hyperslab write), so only the buffer is ever held. */
#include "traces/trace_internal.h"

#include <stdlib.h>
#include <string.h>

/* Level 1 unless a table asks for another: on a one-hour adas-8cam trace
 * (864 000 rows) level 4 everywhere made the run 4.5 % slower for a 2.7 %
 * smaller file (docs/PERFORMANCE.md, "Pipeline simulation"). */
#define TABLE_DEFLATE_LEVEL 1

static const char *kind_name(store_kind k)
{
    static const char *names[] = {"int8", "int16", "int32", "int64", "float64", "string"};
    return (unsigned)k <= STORE_STR ? names[k] : "?";
}

/* How a described column is stored (table.h: TABLE_INT in `store` bytes,
 * TABLE_BOOL as int8, TABLE_FLOAT as float64, TABLE_STR in `store` bytes). */
static int column_layout(const char *table, const table_column *c, table_column_store *out,
                         ps_error *err)
{
    switch (c->type) {
    case TABLE_INT:
        out->kind = c->store == 1 ? STORE_I8 : c->store == 2 ? STORE_I16
                  : c->store == 4 ? STORE_I32 : STORE_I64;
        out->bytes = c->store ? (size_t)c->store : 8;
        return 0;
    case TABLE_BOOL:
        out->kind = STORE_I8;
        out->bytes = 1;
        return 0;
    case TABLE_FLOAT:
        out->kind = STORE_F64;
        out->bytes = 8;
        return 0;
    case TABLE_STR:
        out->kind = STORE_STR;
        out->bytes = c->store ? (size_t)c->store : TABLE_STR_STORE;
        if (out->bytes > TRACE_STR_MAX)
            return error_set(err, PS_ERR_INTERNAL, "trace table %s: string column '%s' is %zu "
                             "bytes wide, expected 1..%d", table, c->name, out->bytes,
                             TRACE_STR_MAX);
        return 0;
    }
    return error_set(err, PS_ERR_INTERNAL, "trace table %s: column '%s' has type %d", table,
                     c->name, (int)c->type);
}

/* The HDF5 type of one column; strings are NUL-padded, so a string may fill
 * its whole width (h5py reads them as bytes, dtype 'S<width>'). */
static hid_t column_h5_type(const table_column_store *col)
{
    switch (col->kind) {
    case STORE_I8: return H5Tcopy(H5T_NATIVE_INT8);
    case STORE_I16: return H5Tcopy(H5T_NATIVE_INT16);
    case STORE_I32: return H5Tcopy(H5T_NATIVE_INT32);
    case STORE_I64: return H5Tcopy(H5T_NATIVE_INT64);
    case STORE_F64: return H5Tcopy(H5T_NATIVE_DOUBLE);
    case STORE_STR: {
        hid_t s = H5Tcopy(H5T_C_S1);
        if (s >= 0 && (H5Tset_size(s, col->bytes) < 0 || H5Tset_strpad(s, H5T_STR_NULLPAD) < 0)) {
            H5Tclose(s);
            return -1;
        }
        return s;
    }
    }
    return -1;
}

static hid_t table_h5_type(const trace_table *t)
{
    hid_t type = H5Tcreate(H5T_COMPOUND, t->row_bytes);
    if (type < 0)
        return -1;
    for (int c = 0; c < t->n_columns; c++) {
        hid_t member = column_h5_type(&t->cols[c]);
        herr_t rc = member < 0 ? -1 : H5Tinsert(type, t->cols[c].name, t->cols[c].offset, member);
        if (member >= 0)
            H5Tclose(member);
        if (rc < 0) {
            H5Tclose(type);
            return -1;
        }
    }
    return type;
}

/* The dataset: 1-D, unlimited, chunked by the buffer, shuffle + deflate. */
static hid_t table_h5_dataset(trace_table *t, hid_t h5)
{
    hsize_t dims = 0, maxdims = H5S_UNLIMITED, chunk = t->chunk_rows;
    hid_t space = H5Screate_simple(1, &dims, &maxdims);
    hid_t lcpl = H5Pcreate(H5P_LINK_CREATE);
    hid_t dcpl = H5Pcreate(H5P_DATASET_CREATE);
    hid_t dset = -1;
    if (space >= 0 && lcpl >= 0 && dcpl >= 0 && H5Pset_create_intermediate_group(lcpl, 1) >= 0 &&
        H5Pset_chunk(dcpl, 1, &chunk) >= 0 && H5Pset_shuffle(dcpl) >= 0 &&
        H5Pset_deflate(dcpl, (unsigned)t->deflate_level) >= 0)
        dset = H5Dcreate2(h5, t->name, t->type, space, lcpl, dcpl, H5P_DEFAULT);
    if (dcpl >= 0)
        H5Pclose(dcpl);
    if (lcpl >= 0)
        H5Pclose(lcpl);
    if (space >= 0)
        H5Sclose(space);
    return dset;
}

static int table_write_units(trace_table *t, const table_spec *spec)
{
    for (int c = 0; c < t->n_columns; c++) {
        const table_column *col = &spec->cols[c];
        if (!col->unit || !col->unit[0])
            continue;
        char attr[256];
        snprintf(attr, sizeof attr, "unit_%s", col->name);
        if (trace_h5_attr_str(t->dset, attr, col->unit) < 0)
            return -1;
    }
    return 0;
}

trace_table *trace_table_new(trace_file *f, const char *name, const table_spec *spec,
                            const trace_table_layout *layout, ps_error *err)
{
    int n_columns = spec->n;
    if (n_columns < 1) {
        error_set(err, PS_ERR_INTERNAL, "trace table %s: needs at least one column", name);
        return NULL;
    }
    trace_table *t = calloc(1, sizeof *t);
    if (t) {
        t->file = f;
        t->dset = t->type = -1;
        t->n_columns = n_columns;
        t->chunk_rows = layout->chunk_rows ? (size_t)layout->chunk_rows : TRACE_BUFFER_ROWS;
        t->deflate_level = layout->deflate_level ? layout->deflate_level : TABLE_DEFLATE_LEVEL;
        t->background = layout->background;
    }
    if (!t || !(t->name = strdup(name)) ||
        !(t->cols = calloc((size_t)n_columns, sizeof *t->cols))) {
        trace_table_free(t);
        error_set(err, PS_ERR_NOMEM, "trace table %s: out of memory", name);
        return NULL;
    }
    for (int c = 0; c < n_columns; c++) {
        table_column_store *col = &t->cols[c];
        if (column_layout(name, &spec->cols[c], col, err)) {
            trace_table_free(t);
            return NULL;
        }
        col->offset = t->row_bytes;
        t->row_bytes += col->bytes;
        if (!(col->name = strdup(spec->cols[c].name))) {
            trace_table_free(t);
            error_set(err, PS_ERR_NOMEM, "trace table %s: out of memory", name);
            return NULL;
        }
    }
    if (!(t->buf = malloc(t->row_bytes * t->chunk_rows))) {
        trace_table_free(t);
        error_set(err, PS_ERR_NOMEM, "trace table %s: out of memory for a %zu-byte buffer", name,
                  t->row_bytes * t->chunk_rows);
        return NULL;
    }
    if ((t->type = table_h5_type(t)) < 0 || (t->dset = table_h5_dataset(t, f->h5)) < 0 ||
        table_write_units(t, spec) < 0) {
        char detail[256];
        trace_h5_error_detail(detail, sizeof detail);
        trace_table_free(t);
        error_set(err, PS_ERR_IO, "%s: cannot create trace table %s (%s)", f->partial, name,
                  detail[0] ? detail : "HDF5 error");
        return NULL;
    }
    return t;
}

/* "/a/b" and "a/b" name the same table. */
static int same_table_name(const char *a, const char *b)
{
    return strcmp(a + (a[0] == '/'), b + (b[0] == '/')) == 0;
}

trace_table *trace_table_create(trace_file *f, const char *name, const table_spec *spec,
                                ps_error *err)
{
    return trace_table_create_chunked(f, name, spec, &(trace_table_layout){0}, err);
}

trace_table *trace_table_create_chunked(trace_file *f, const char *name, const table_spec *spec,
                                        const trace_table_layout *layout, ps_error *err)
{
    if (layout->chunk_rows < 0 || layout->chunk_rows > TRACE_CHUNK_ROWS_MAX) {
        error_set(err, PS_ERR_INTERNAL, "trace table %s: %d rows a chunk (1 to %d)", name,
                  layout->chunk_rows, TRACE_CHUNK_ROWS_MAX);
        return NULL;
    }
    if (layout->deflate_level < 0 || layout->deflate_level > 9) {
        error_set(err, PS_ERR_INTERNAL, "trace table %s: deflate level %d (1 to 9)", name,
                  layout->deflate_level);
        return NULL;
    }
    if (!name || !name[0] || strcmp(name, "/") == 0) {
        error_set(err, PS_ERR_INTERNAL, "%s: a trace table needs a name", f->partial);
        return NULL;
    }
    for (int i = 0; i < f->n_tables; i++)
        if (same_table_name(f->tables[i]->name, name)) {
            error_set(err, PS_ERR_INTERNAL, "%s: trace table %s already exists", f->partial, name);
            return NULL;
        }
    trace_table **grown = realloc(f->tables, (size_t)(f->n_tables + 1) * sizeof *grown);
    if (!grown) {
        error_set(err, PS_ERR_NOMEM, "trace table %s: out of memory", name);
        return NULL;
    }
    f->tables = grown;
    trace_table *t = trace_table_new(f, name, spec, layout, err);
    if (t)
        f->tables[f->n_tables++] = t;
    return t;
}

/* Store one integer cell, checking that it fits the column's type. */
static int cell_int(const trace_table *t, int c, unsigned char *cell, int64_t v, ps_error *err)
{
    const table_column_store *col = &t->cols[c];
    int64_t lo = col->kind == STORE_I8 ? INT8_MIN : col->kind == STORE_I16 ? INT16_MIN
               : col->kind == STORE_I32 ? INT32_MIN : INT64_MIN;
    int64_t hi = col->kind == STORE_I8 ? INT8_MAX : col->kind == STORE_I16 ? INT16_MAX
               : col->kind == STORE_I32 ? INT32_MAX : INT64_MAX;
    if (v < lo || v > hi)
        return error_set(err, PS_ERR_INTERNAL, "trace table %s, row %lld: column '%s' is %s, "
                         "value %lld does not fit", t->name, (long long)trace_table_rows(t),
                         col->name, kind_name(col->kind), (long long)v);
    switch (col->kind) {
    case STORE_I8: { int8_t x = (int8_t)v; memcpy(cell, &x, sizeof x); break; }
    case STORE_I16: { int16_t x = (int16_t)v; memcpy(cell, &x, sizeof x); break; }
    case STORE_I32: { int32_t x = (int32_t)v; memcpy(cell, &x, sizeof x); break; }
    default: memcpy(cell, &v, sizeof v); break;
    }
    return 0;
}

int trace_table_append(trace_table *t, const table_value *values, ps_error *err)
{
    if (t->failed)
        return error_set(err, PS_ERR_IO, "%s: trace table %s: an earlier write failed",
                         t->file->partial, t->name);
    unsigned char *row = t->buf + t->buf_rows * t->row_bytes;
    for (int c = 0; c < t->n_columns; c++) {
        const table_column_store *col = &t->cols[c];
        unsigned char *cell = row + col->offset;
        if (col->kind == STORE_F64) {
            memcpy(cell, &values[c].f, sizeof(double));
        } else if (col->kind == STORE_STR) {
            const char *s = values[c].s ? values[c].s : "";
            size_t n = strlen(s);
            if (n > col->bytes)
                return error_set(err, PS_ERR_INTERNAL, "trace table %s, row %lld: column '%s' "
                                 "holds at most %zu bytes, '%s' has %zu", t->name,
                                 (long long)trace_table_rows(t), col->name, col->bytes, s, n);
            memcpy(cell, s, n);
            memset(cell + n, 0, col->bytes - n);
        } else if (cell_int(t, c, cell, values[c].i, err)) {
            return PS_ERR_INTERNAL;
        }
    }
    /* The row counts only once every cell is in: a failed append adds nothing. */
    if (++t->buf_rows == t->chunk_rows)
        return trace_table_flush(t, err);
    return 0;
}

/* A failed write: no further rows, and the message with HDF5's reason. */
static int write_failed(trace_table *t, int64_t first, int64_t last, ps_error *err)
{
    char detail[256];
    trace_h5_error_detail(detail, sizeof detail);
    t->failed = 1;
    return error_set(err, PS_ERR_IO, "%s: cannot write rows %lld..%lld of trace table %s (%s)",
                     t->file->partial, (long long)first, (long long)last, t->name,
                     detail[0] ? detail : "HDF5 write failed; is the disk full?");
}

/* The chunk the worker compressed, written as it is (H5Dwrite_chunk: HDF5's
 * filters are not run again). */
static int write_pending(trace_table *t, ps_error *err)
{
    if (!t->pending)
        return 0;
    t->pending = false;
    const unsigned char *out;
    size_t bytes;
    int64_t first = t->pending_start, last = first + (int64_t)t->chunk_rows - 1;
    if (trace_deflate_wait(t->bg, &out, &bytes)) {
        t->failed = 1;
        return error_set(err, PS_ERR_IO, "%s: cannot compress rows %lld..%lld of trace table %s",
                         t->file->partial, (long long)first, (long long)last, t->name);
    }
    hsize_t size = (hsize_t)last + 1, offset = (hsize_t)first;
    if (H5Dset_extent(t->dset, &size) < 0 ||
        H5Dwrite_chunk(t->dset, H5P_DEFAULT, 0, &offset, bytes, out) < 0)
        return write_failed(t, first, last, err);
    return 0;
}

/* A full chunk to the worker (started at the first), buf free for the next
 * rows; 1 when there is no worker to be had (HDF5 then compresses). */
static int hand_to_worker(trace_table *t, ps_error *err)
{
    if (!t->bg && !(t->spare = malloc(t->row_bytes * t->chunk_rows)))
        return 1;
    if (!t->bg && !(t->bg = trace_deflate_start(t->row_bytes, t->chunk_rows, t->deflate_level))) {
        free(t->spare);
        t->spare = NULL;
        t->background = false;
        return 1;
    }
    if (write_pending(t, err))
        return -1;
    unsigned char *full = t->buf;
    t->buf = t->spare;
    t->spare = full;
    trace_deflate_submit(t->bg, full);
    t->pending = true;
    t->pending_start = t->rows_written;
    t->rows_written += (int64_t)t->chunk_rows;
    t->buf_rows = 0;
    return 0;
}

int trace_table_flush(trace_table *t, ps_error *err)
{
    if (t->failed)
        return error_set(err, PS_ERR_IO, "%s: trace table %s: an earlier write failed",
                         t->file->partial, t->name);
    if (t->background && t->buf_rows == t->chunk_rows) {
        int rc = hand_to_worker(t, err);
        if (rc <= 0)
            return rc ? (int)err->code : 0;
    }
    if (write_pending(t, err))
        return err->code;
    if (t->buf_rows == 0)
        return 0;
    hsize_t start = (hsize_t)t->rows_written, count = t->buf_rows, size = start + count;
    hid_t fspace = -1, mspace = -1;
    herr_t rc = H5Dset_extent(t->dset, &size);
    if (rc >= 0 && (fspace = H5Dget_space(t->dset)) >= 0 &&
        (mspace = H5Screate_simple(1, &count, NULL)) >= 0 &&
        H5Sselect_hyperslab(fspace, H5S_SELECT_SET, &start, NULL, &count, NULL) >= 0)
        rc = H5Dwrite(t->dset, t->type, mspace, fspace, H5P_DEFAULT, t->buf);
    else
        rc = -1;
    if (mspace >= 0)
        H5Sclose(mspace);
    if (fspace >= 0)
        H5Sclose(fspace);
    if (rc < 0)
        return write_failed(t, (int64_t)start, (int64_t)(size - 1), err);
    t->rows_written += (int64_t)count;
    t->buf_rows = 0;
    return 0;
}

void trace_table_free(trace_table *t)
{
    if (!t)
        return;
    trace_deflate_stop(t->bg);
    free(t->spare);
    if (t->dset >= 0)
        H5Dclose(t->dset);
    if (t->type >= 0)
        H5Tclose(t->type);
    if (t->cols)
        for (int c = 0; c < t->n_columns; c++)
            free(t->cols[c].name);
    free(t->cols);
    free(t->buf);
    free(t->name);
    free(t);
}

const char *trace_table_name(const trace_table *t) { return t->name; }
int trace_table_n_columns(const trace_table *t) { return t->n_columns; }
size_t trace_table_row_bytes(const trace_table *t) { return t->row_bytes; }
size_t trace_table_buffer_bytes(const trace_table *t) { return t->row_bytes * t->chunk_rows; }
int64_t trace_table_rows(const trace_table *t) { return t->rows_written + (int64_t)t->buf_rows; }

int trace_table_column_index(const trace_table *t, const char *name)
{
    for (int c = 0; c < t->n_columns; c++)
        if (strcmp(t->cols[c].name, name) == 0)
            return c;
    return -1;
}
