#include "tests/traces/h5_read.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

const char *h5r_tmpdir(void)
{
    static char dir[64];
    snprintf(dir, sizeof dir, "/tmp/partsim-trace-test-XXXXXX");
    return mkdtemp(dir);
}

const char *h5r_join(const char *dir, const char *name)
{
    static char bufs[4][512];
    static int next;
    char *b = bufs[next++ % 4];
    snprintf(b, sizeof bufs[0], "%s/%s", dir, name);
    return b;
}

int h5r_exists(const char *path)
{
    return access(path, F_OK) == 0;
}

int h5r_attr_str(hid_t obj, const char *name, char *buf, size_t size)
{
    hid_t attr = H5Aopen(obj, name, H5P_DEFAULT);
    if (attr < 0)
        return -1;
    hid_t type = H5Aget_type(attr);
    int rc = -1;
    if (H5Tis_variable_str(type) > 0) {
        char *s = NULL;
        hid_t mem = H5Tcopy(H5T_C_S1);
        H5Tset_size(mem, H5T_VARIABLE);
        H5Tset_cset(mem, H5T_CSET_UTF8);
        if (H5Aread(attr, mem, &s) >= 0 && s) {
            snprintf(buf, size, "%s", s);
            rc = 0;
        }
        H5free_memory(s);
        H5Tclose(mem);
    }
    H5Tclose(type);
    H5Aclose(attr);
    return rc;
}

int h5r_attr_int64(hid_t obj, const char *name, int64_t *value)
{
    hid_t attr = H5Aopen(obj, name, H5P_DEFAULT);
    if (attr < 0)
        return -1;
    herr_t rc = H5Aread(attr, H5T_NATIVE_INT64, value);
    H5Aclose(attr);
    return rc < 0 ? -1 : 0;
}

long long h5r_rows(hid_t file, const char *table)
{
    hid_t d = H5Dopen2(file, table, H5P_DEFAULT);
    if (d < 0)
        return -1;
    hid_t space = H5Dget_space(d);
    hsize_t dims = 0;
    H5Sget_simple_extent_dims(space, &dims, NULL);
    H5Sclose(space);
    H5Dclose(d);
    return (long long)dims;
}

/* Read one member of the compound by name: HDF5 converts it to `mem_type`. */
static void *read_column(hid_t file, const char *table, const char *column, hid_t mem_type,
                         size_t bytes)
{
    long long n = h5r_rows(file, table);
    if (n < 0)
        return NULL;
    hid_t d = H5Dopen2(file, table, H5P_DEFAULT);
    hid_t type = H5Tcreate(H5T_COMPOUND, bytes);
    H5Tinsert(type, column, 0, mem_type);
    void *out = calloc((size_t)n + 1, bytes);
    if (H5Dread(d, type, H5S_ALL, H5S_ALL, H5P_DEFAULT, out) < 0) {
        free(out);
        out = NULL;
    }
    H5Tclose(type);
    H5Dclose(d);
    return out;
}

int64_t *h5r_column_int64(hid_t file, const char *table, const char *column)
{
    return read_column(file, table, column, H5T_NATIVE_INT64, sizeof(int64_t));
}

double *h5r_column_f64(hid_t file, const char *table, const char *column)
{
    return read_column(file, table, column, H5T_NATIVE_DOUBLE, sizeof(double));
}

char *h5r_column_str(hid_t file, const char *table, const char *column, size_t width)
{
    hid_t s = H5Tcopy(H5T_C_S1);
    H5Tset_size(s, width);
    H5Tset_strpad(s, H5T_STR_NULLTERM);
    char *out = read_column(file, table, column, s, width);
    H5Tclose(s);
    return out;
}

long long h5r_rss_bytes(void)
{
    FILE *f = fopen("/proc/self/statm", "r");
    long long size = 0, resident = 0;
    if (!f)
        return -1;
    if (fscanf(f, "%lld %lld", &size, &resident) != 2)
        resident = -1;
    fclose(f);
    return resident * sysconf(_SC_PAGESIZE);
}

trace_table *h5r_table(trace_file *f, const char *name, int n, const table_column *cols,
                       ps_error *err)
{
    table_spec spec;
    trace_table *t = NULL;
    if (!table_spec_init(&spec, name, err) && !table_spec_add(&spec, cols, n, err))
        t = trace_table_create(f, name, &spec, err);
    table_spec_free(&spec);
    return t;
}
