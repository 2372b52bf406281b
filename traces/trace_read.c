/* Reading partsim's HDF5 files back (traces/trace_read.h). */
#include "traces/trace_read.h"

#include <stdlib.h>
#include <string.h>

#include "traces/trace.h"
#include "traces/trace_internal.h"

struct trace_reader {
    char *path;
    hid_t h5;
    char **names;
    int n, cap;
};

typedef struct {
    H5T_class_t cls;
    size_t size;               /* a string column's width */
    hid_t mem;                 /* one-member compound to read this column alone */
} read_col;

struct trace_read_table {
    trace_reader *r;
    char *name;
    hid_t dset;
    int64_t rows;
    table_spec spec;
    read_col *cols;
    unsigned char *block;      /* one column's block at a time */
    char *strings;             /* the strings of the last block, NUL-terminated */
    char **units;
};

static int attr_int(hid_t obj, const char *name, int64_t *v)
{
    if (H5Aexists(obj, name) <= 0)
        return -1;
    hid_t a = H5Aopen(obj, name, H5P_DEFAULT);
    herr_t rc = a >= 0 ? H5Aread(a, H5T_NATIVE_INT64, v) : -1;
    if (a >= 0)
        H5Aclose(a);
    return rc < 0 ? -1 : 0;
}

static herr_t collect(hid_t obj, const char *name, const H5O_info_t *info, void *data)
{
    trace_reader *r = data;
    if (info->type != H5O_TYPE_DATASET || !strncmp(name, "runs/", 5))
        return 0;
    hid_t d = H5Dopen2(obj, name, H5P_DEFAULT);
    hid_t t = d >= 0 ? H5Dget_type(d) : -1;
    bool compound = t >= 0 && H5Tget_class(t) == H5T_COMPOUND;
    if (t >= 0)
        H5Tclose(t);
    if (d >= 0)
        H5Dclose(d);
    if (!compound)
        return 0;
    if (r->n == r->cap) {
        int cap = r->cap ? 2 * r->cap : 16;
        char **g = realloc(r->names, sizeof *g * (size_t)cap);
        if (!g)
            return -1;
        r->names = g, r->cap = cap;
    }
    size_t len = strlen(name) + 2;
    if (!(r->names[r->n] = malloc(len)))
        return -1;
    snprintf(r->names[r->n++], len, "/%s", name);
    return 0;
}

static int by_name(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

int trace_read_open(const char *path, trace_reader **out, ps_error *err)
{
    *out = NULL;
    H5Eset_auto2(H5E_DEFAULT, NULL, NULL);
    trace_reader *r = calloc(1, sizeof *r);
    if (!r || !(r->path = strdup(path))) {
        free(r);
        return error_set(err, PS_ERR_NOMEM, "out of memory");
    }
    int rc = 0;
    int64_t version = 0, completed = 0;
    if ((r->h5 = H5Fopen(path, H5F_ACC_RDONLY, H5P_DEFAULT)) < 0)
        rc = error_set(err, PS_ERR_IO, "%s: cannot open it as an HDF5 file", path);
    else if (attr_int(r->h5, "schema_version", &version))
        rc = error_set(err, PS_ERR_INPUT, "%s: not a partsim file (no schema_version)", path);
    else if (version != TRACE_SCHEMA_VERSION)
        rc = error_set(err, PS_ERR_INPUT, "%s: trace schema version %lld; this partsim reads "
                       "version %d (%s)", path, (long long)version, TRACE_SCHEMA_VERSION,
                       version > TRACE_SCHEMA_VERSION ? "a newer partsim wrote it"
                                                      : "an older partsim wrote it");
    else if (attr_int(r->h5, "completed", &completed) || completed != 1)
        rc = error_set(err, PS_ERR_INPUT, "%s: the file is not complete (its writer stopped "
                       "before closing it)", path);
    else if (H5Ovisit(r->h5, H5_INDEX_NAME, H5_ITER_INC, collect, r) < 0)
        rc = error_set(err, PS_ERR_IO, "%s: cannot list its tables", path);
    if (rc) {
        trace_read_close(r);
        return rc;
    }
    qsort(r->names, (size_t)r->n, sizeof *r->names, by_name);
    *out = r;
    return 0;
}

void trace_read_close(trace_reader *r)
{
    if (!r)
        return;
    if (r->h5 >= 0 && r->h5 != 0)
        H5Fclose(r->h5);
    for (int i = 0; i < r->n; i++)
        free(r->names[i]);
    free(r->names), free(r->path), free(r);
}

int trace_read_has(const trace_reader *r, const char *name)
{
    for (int i = 0; i < r->n; i++)
        if (!strcmp(r->names[i], name))
            return 1;
    return 0;
}

const char *trace_read_kind(const trace_reader *r)
{
    for (int i = 0; i < r->n; i++) {
        if (!strncmp(r->names[i], "/sweep/", 7))
            return "sweep";
        if (!strncmp(r->names[i], "/explore/", 9))
            return "explore";
    }
    return "run";
}

int trace_read_n_tables(const trace_reader *r)
{
    return r->n;
}

const char *trace_read_table_name(const trace_reader *r, int i)
{
    return i >= 0 && i < r->n ? r->names[i] : NULL;
}

int trace_read_table_open(trace_reader *r, const char *name, trace_read_table **out,
                          ps_error *err)
{
    *out = NULL;
    if (!trace_read_has(r, name))
        return error_set(err, PS_ERR_INPUT, "%s has no table %s", r->path, name);
    trace_read_table *t = calloc(1, sizeof *t);
    if (!t)
        return error_set(err, PS_ERR_NOMEM, "out of memory");
    t->r = r;
    t->name = strdup(name);
    t->dset = H5Dopen2(r->h5, name, H5P_DEFAULT);
    hid_t type = t->dset >= 0 ? H5Dget_type(t->dset) : -1;
    hid_t space = t->dset >= 0 ? H5Dget_space(t->dset) : -1;
    hsize_t dims = 0;
    int n = type >= 0 ? H5Tget_nmembers(type) : -1;
    int rc = 0;
    if (!t->name || t->dset < 0 || n < 1 || space < 0 ||
        H5Sget_simple_extent_dims(space, &dims, NULL) != 1)
        rc = error_set(err, PS_ERR_IO, "%s: cannot read table %s", r->path, name);
    t->rows = (int64_t)dims;
    const char *base = strrchr(name, '/');
    if (!rc && table_spec_init(&t->spec, base ? base + 1 : name, err))
        rc = err->code;
    if (!rc && (!(t->cols = calloc((size_t)n, sizeof *t->cols)) ||
                !(t->units = calloc((size_t)n, sizeof *t->units))))
        rc = error_set(err, PS_ERR_NOMEM, "out of memory");
    size_t widest = 8, strings = 0;
    for (int c = 0; !rc && c < n; c++) {
        char *mname = H5Tget_member_name(type, (unsigned)c);
        hid_t mt = H5Tget_member_type(type, (unsigned)c);
        read_col *col = &t->cols[c];
        col->cls = H5Tget_class(mt);
        table_column tc = {mname, TABLE_FLOAT, NULL, NULL, 0, 0};
        hid_t native = -1;
        if (col->cls == H5T_INTEGER) {
            tc.type = TABLE_INT, native = H5Tcopy(H5T_NATIVE_INT64);
        } else if (col->cls == H5T_FLOAT) {
            native = H5Tcopy(H5T_NATIVE_DOUBLE);
        } else if (col->cls == H5T_STRING && H5Tis_variable_str(mt) <= 0) {
            col->size = H5Tget_size(mt);
            tc.type = TABLE_STR, tc.store = (int)col->size;
            native = H5Tcopy(H5T_C_S1);
            H5Tset_size(native, col->size);
            strings += col->size + 1;
        } else {
            rc = error_set(err, PS_ERR_UNSUPPORTED, "%s: table %s, column %s: a kind of column "
                           "partsim does not write", r->path, name, mname ? mname : "?");
        }
        if (!rc) {
            size_t msize = H5Tget_size(native);
            widest = msize > widest ? msize : widest;
            col->mem = H5Tcreate(H5T_COMPOUND, msize);
            H5Tinsert(col->mem, mname, 0, native);
            char attr[300];
            snprintf(attr, sizeof attr, "unit_%s", mname);
            t->units[c] = trace_h5_attr_text(t->dset, attr);
            tc.unit = t->units[c];
            if (table_spec_add(&t->spec, &tc, 1, err))
                rc = err->code;
        }
        if (native >= 0)
            H5Tclose(native);
        H5Tclose(mt);
        H5free_memory(mname);
    }
    if (!rc && (!(t->block = malloc(widest * TRACE_READ_BLOCK)) ||
                !(t->strings = malloc(strings * TRACE_READ_BLOCK + 1))))
        rc = error_set(err, PS_ERR_NOMEM, "out of memory");
    if (type >= 0)
        H5Tclose(type);
    if (space >= 0)
        H5Sclose(space);
    if (rc) {
        trace_read_table_close(t);
        return rc;
    }
    *out = t;
    return 0;
}

const table_spec *trace_read_table_spec(const trace_read_table *t)
{
    return &t->spec;
}

int64_t trace_read_table_rows(const trace_read_table *t)
{
    return t->rows;
}

int trace_read_table_read(trace_read_table *t, int64_t first, int n, table_value *rows,
                          ps_error *err)
{
    if (n <= 0)
        return 0;
    if (n > TRACE_READ_BLOCK || first < 0 || first + n > t->rows)
        return error_set(err, PS_ERR_INTERNAL, "table %s: rows %lld .. %lld of %lld", t->name,
                         (long long)first, (long long)(first + n - 1), (long long)t->rows);
    hsize_t start = (hsize_t)first, count = (hsize_t)n;
    hid_t file_space = H5Dget_space(t->dset);
    hid_t mem_space = H5Screate_simple(1, &count, NULL);
    int rc = file_space < 0 || mem_space < 0 ||
             H5Sselect_hyperslab(file_space, H5S_SELECT_SET, &start, NULL, &count, NULL) < 0;
    char *str = t->strings;
    int cols = t->spec.n;
    for (int c = 0; !rc && c < cols; c++) {
        read_col *col = &t->cols[c];
        if (H5Dread(t->dset, col->mem, mem_space, file_space, H5P_DEFAULT, t->block) < 0) {
            rc = 1;
            break;
        }
        for (int i = 0; i < n; i++) {
            table_value *v = &rows[(size_t)i * (size_t)cols + (size_t)c];
            if (col->cls == H5T_INTEGER) {
                memcpy(&v->i, t->block + (size_t)i * 8, 8);
            } else if (col->cls == H5T_FLOAT) {
                memcpy(&v->f, t->block + (size_t)i * 8, 8);
            } else {
                memcpy(str, t->block + (size_t)i * col->size, col->size);
                str[col->size] = '\0';
                v->s = str;
                str += col->size + 1;
            }
        }
    }
    if (mem_space >= 0)
        H5Sclose(mem_space);
    if (file_space >= 0)
        H5Sclose(file_space);
    return rc ? error_set(err, PS_ERR_IO, "%s: cannot read table %s", t->r->path, t->name) : 0;
}

void trace_read_table_close(trace_read_table *t)
{
    if (!t)
        return;
    for (int c = 0; t->cols && c < t->spec.n; c++)
        if (t->cols[c].mem > 0)
            H5Tclose(t->cols[c].mem);
    for (int c = 0; t->units && c < t->spec.n; c++)
        free(t->units[c]);
    if (t->dset >= 0 && t->dset != 0)
        H5Dclose(t->dset);
    table_spec_free(&t->spec);
    free(t->cols), free(t->units), free(t->block), free(t->strings), free(t->name), free(t);
}
