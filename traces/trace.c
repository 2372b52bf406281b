/* Trace files: written under `<path>.partial-<pid>`, root attributes first,
 * renamed to `<path>` only when complete (see trace.h). */
#include "traces/trace_internal.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

int trace_h5_attr_str(hid_t obj, const char *name, const char *value)
{
    hid_t type = H5Tcopy(H5T_C_S1);
    hid_t space = H5Screate(H5S_SCALAR);
    hid_t attr = -1;
    herr_t rc = -1;
    if (type >= 0 && space >= 0 && H5Tset_size(type, H5T_VARIABLE) >= 0 &&
        H5Tset_cset(type, H5T_CSET_UTF8) >= 0 &&
        (attr = H5Acreate2(obj, name, type, space, H5P_DEFAULT, H5P_DEFAULT)) >= 0) {
        const char *v = value ? value : "";
        rc = H5Awrite(attr, type, &v);
    }
    if (attr >= 0)
        H5Aclose(attr);
    if (space >= 0)
        H5Sclose(space);
    if (type >= 0)
        H5Tclose(type);
    return rc < 0 ? -1 : 0;
}

static int attr_int(hid_t obj, const char *name, hid_t type, const void *value)
{
    hid_t space = H5Screate(H5S_SCALAR);
    hid_t attr = space < 0 ? -1 : H5Acreate2(obj, name, type, space, H5P_DEFAULT, H5P_DEFAULT);
    herr_t rc = attr < 0 ? -1 : H5Awrite(attr, type, value);
    if (attr >= 0)
        H5Aclose(attr);
    if (space >= 0)
        H5Sclose(space);
    return rc < 0 ? -1 : 0;
}

static herr_t error_first(unsigned n, const H5E_error2_t *e, void *data)
{
    if (n == 0 && e->desc)
        snprintf(data, 256, "%s", e->desc);
    return 0;
}

void trace_h5_error_detail(char *buf, size_t size)
{
    char desc[256] = "";
    /* Upward: the most specific error (the one the file driver saw) first. */
    H5Ewalk2(H5E_DEFAULT, H5E_WALK_UPWARD, error_first, desc);
    /* The sec2 driver puts strerror() in "error message = '...'"; keep just that. */
    const char *m = strstr(desc, "error message = '");
    if (m) {
        m += strlen("error message = '");
        const char *end = strchr(m, '\'');
        int n = end ? (int)(end - m) : (int)strlen(m);
        snprintf(buf, size, "%.*s", n, m);
    } else {
        snprintf(buf, size, "%s", desc);
    }
}

static void iso8601_utc_now(char *buf, size_t size)
{
    time_t now = time(NULL);
    struct tm tm;
    gmtime_r(&now, &tm);
    strftime(buf, size, "%Y-%m-%dT%H:%M:%SZ", &tm);
}

static int write_root_attributes(hid_t h5, const trace_meta *meta)
{
    char created[32];
    iso8601_utc_now(created, sizeof created);
    int32_t schema = TRACE_SCHEMA_VERSION, completed = 0;
    int64_t seed = meta ? meta->seed : 0;
    if (trace_h5_attr_str(h5, "partsim_version", meta ? meta->partsim_version : NULL) < 0 ||
        attr_int(h5, "schema_version", H5T_NATIVE_INT32, &schema) < 0 ||
        trace_h5_attr_str(h5, "scenario", meta ? meta->scenario : NULL) < 0 ||
        attr_int(h5, "seed", H5T_NATIVE_INT64, &seed) < 0 ||
        trace_h5_attr_str(h5, "command_line", meta ? meta->command_line : NULL) < 0 ||
        trace_h5_attr_str(h5, "created_at", created) < 0 ||
        attr_int(h5, "completed", H5T_NATIVE_INT32, &completed) < 0)
        return -1;
    return 0;
}

char *trace_h5_attr_text(hid_t obj, const char *name)
{
    if (H5Aexists(obj, name) <= 0)
        return NULL;
    hid_t a = H5Aopen(obj, name, H5P_DEFAULT);
    hid_t t = a >= 0 ? H5Aget_type(a) : -1;
    char *out = NULL;
    if (t >= 0 && H5Tis_variable_str(t) > 0) {
        char *s = NULL;
        if (H5Aread(a, t, &s) >= 0 && s)
            out = strdup(s);
        H5free_memory(s);
    }
    if (t >= 0)
        H5Tclose(t);
    if (a >= 0)
        H5Aclose(a);
    return out;
}

int trace_set_attribute(trace_file *f, const char *name, const char *value, ps_error *err)
{
    if (H5Aexists(f->h5, name) > 0 && H5Adelete(f->h5, name) < 0)
        return error_set(err, PS_ERR_IO, "%s: could not replace the attribute %s", f->partial,
                         name);
    if (trace_h5_attr_str(f->h5, name, value) < 0)
        return error_set(err, PS_ERR_IO, "%s: could not write the attribute %s", f->partial,
                         name);
    return 0;
}

int trace_set_attribute_int(trace_file *f, const char *name, int64_t value, ps_error *err)
{
    if (H5Aexists(f->h5, name) > 0 && H5Adelete(f->h5, name) < 0)
        return error_set(err, PS_ERR_IO, "%s: could not replace the attribute %s", f->partial,
                         name);
    if (attr_int(f->h5, name, H5T_NATIVE_INT64, &value) < 0)
        return error_set(err, PS_ERR_IO, "%s: could not write the attribute %s", f->partial,
                         name);
    return 0;
}

/* H5Literate: copy one root object of the source (a run's traces hold
 * datasets only) into the group. */
typedef struct {
    hid_t dst;
    int rc;
} copy_ctx;

static herr_t copy_one(hid_t src, const char *name, const H5L_info_t *info, void *data)
{
    (void)info;
    copy_ctx *c = data;
    if (H5Ocopy(src, name, c->dst, name, H5P_DEFAULT, H5P_DEFAULT) < 0)
        return c->rc = -1;
    return 0;
}

int trace_copy_tables(trace_file *f, const char *src, const char *group, ps_error *err)
{
    hid_t in = H5Fopen(src, H5F_ACC_RDONLY, H5P_DEFAULT);
    if (in < 0)
        return error_set(err, PS_ERR_IO, "%s: cannot open it to copy its tables", src);
    hid_t lcpl = H5Pcreate(H5P_LINK_CREATE);
    hid_t g = -1;
    if (lcpl >= 0 && H5Pset_create_intermediate_group(lcpl, 1) >= 0)
        g = H5Gcreate2(f->h5, group, lcpl, H5P_DEFAULT, H5P_DEFAULT);
    copy_ctx c = {g, 0};
    int rc = g < 0 ? -1 : 0;
    if (!rc && (H5Literate(in, H5_INDEX_NAME, H5_ITER_INC, NULL, copy_one, &c) < 0 || c.rc))
        rc = -1;
    /* the point's scenario text, as the run's trace holds it */
    char *text = rc ? NULL : trace_h5_attr_text(in, "scenario");
    if (text) {
        rc = trace_h5_attr_str(g, "scenario", text);
        free(text);
    }
    if (g >= 0)
        H5Gclose(g);
    if (lcpl >= 0)
        H5Pclose(lcpl);
    H5Fclose(in);
    return rc ? error_set(err, PS_ERR_IO, "%s: cannot copy the tables of %s into %s",
                          f->partial, src, group)
              : 0;
}

static void file_free(trace_file *f)
{
    for (int i = 0; i < f->n_tables; i++)
        trace_table_free(f->tables[i]);
    free(f->tables);
    if (f->h5 >= 0)
        H5Fclose(f->h5);
    free(f);
}

int trace_open(const char *path, const trace_meta *meta, trace_file **out, ps_error *err)
{
    *out = NULL;
    if (!path || !path[0])
        return error_set(err, PS_ERR_INPUT, "trace: empty output path");
    H5Eset_auto2(H5E_DEFAULT, NULL, NULL); /* errors reach the user once, via ps_error */
    if (atomic_file_make_parents(path, err))
        return err ? (int)err->code : PS_ERR_IO;
    trace_file *f = calloc(1, sizeof *f);
    if (!f)
        return error_set(err, PS_ERR_NOMEM, "trace '%s': out of memory", path);
    f->h5 = -1;
    /* The OS's reason (permission, no space, a device in the way) is clearer than HDF5's. */
    int rc = atomic_file_begin(path, NULL, 0, &f->af, err);
    if (rc) {
        free(f);
        return rc;
    }
    f->path = f->af.path;
    f->partial = f->af.partial;
    f->h5 = H5Fcreate(f->partial, H5F_ACC_TRUNC, H5P_DEFAULT, H5P_DEFAULT);
    if (f->h5 < 0 || write_root_attributes(f->h5, meta) < 0) {
        char detail[256];
        trace_h5_error_detail(detail, sizeof detail);
        rc = error_set(err, PS_ERR_IO, "cannot create trace file '%s' (for '%s'): %s",
                       f->partial, path, detail[0] ? detail : "HDF5 error");
        trace_abort(f);
        return rc;
    }
    *out = f;
    return 0;
}

static int set_completed(trace_file *f)
{
    int32_t one = 1;
    hid_t attr = H5Aopen(f->h5, "completed", H5P_DEFAULT);
    herr_t rc = attr < 0 ? -1 : H5Awrite(attr, H5T_NATIVE_INT32, &one);
    if (attr >= 0)
        H5Aclose(attr);
    return rc < 0 ? -1 : 0;
}

int trace_close(trace_file *f, ps_error *err)
{
    for (int i = 0; i < f->n_tables; i++)
        if (trace_table_flush(f->tables[i], err)) {
            trace_abort(f);
            return PS_ERR_IO;
        }
    for (int i = 0; i < f->n_tables; i++)
        trace_table_free(f->tables[i]);
    f->n_tables = 0;
    int rc = set_completed(f);
    /* H5Fclose writes the cached metadata: it can fail on a full disk too. */
    if (H5Fclose(f->h5) < 0)
        rc = -1;
    f->h5 = -1;
    if (rc < 0) {
        char detail[256];
        trace_h5_error_detail(detail, sizeof detail);
        error_set(err, PS_ERR_IO, "%s: cannot finish the trace (%s)", f->partial,
                  detail[0] ? detail : "HDF5 error; is the disk full?");
        trace_abort(f);
        return PS_ERR_IO;
    }
    rc = atomic_file_commit(&f->af, err);
    file_free(f);
    return rc;
}

void trace_abort(trace_file *f)
{
    if (!f)
        return;
    for (int i = 0; i < f->n_tables; i++)
        trace_table_free(f->tables[i]);
    f->n_tables = 0;
    if (f->h5 >= 0)
        H5Fclose(f->h5);
    f->h5 = -1;
    atomic_file_abort(&f->af);
    file_free(f);
}

const char *trace_file_path(const trace_file *f) { return f->path; }
const char *trace_file_partial_path(const trace_file *f) { return f->partial; }
