/* The HDF5 file of a sweep (sim/sweep_file.h). */
#include "sim/sweep_file.h"

#include <stdlib.h>
#include <string.h>

#include "base/atomic_file.h"
#include "sim/sweep_tables.h"
#include "traces/trace.h"

#ifndef PARTSIM_VERSION
#define PARTSIM_VERSION "0.0.0"
#endif

struct sweep_file {
    trace_file *tf;
    const sweep_spec *sp;
    table_spec points_spec, energy_spec;
    trace_table *points, *energy, *spread;
    table_value *rows;
};

int sweep_file_open(const char *path, const scenario *s, const sweep_spec *sp, bool explore,
                    const char *command_line, sweep_file **out, ps_error *err)
{
    *out = NULL;
    if (atomic_file_check_target(path, (const char *const *)s->inputs, s->n_inputs, err))
        return err->code;
    sweep_file *f = calloc(1, sizeof *f);
    if (!f)
        return error_set(err, PS_ERR_NOMEM, "out of memory");
    f->sp = sp;
    trace_meta meta = {.partsim_version = PARTSIM_VERSION, .scenario = s->text,
                       .seed = (int64_t)s->seed, .command_line = command_line};
    size_t need = sweep_spec_describe(sp, NULL, 0) + 1;
    char *desc = malloc(need);
    int rc = desc ? 0 : error_set(err, PS_ERR_NOMEM, "out of memory");
    if (desc)
        sweep_spec_describe(sp, desc, need);
    rc = rc ? rc : trace_open(path, &meta, &f->tf, err);
    rc = rc ? rc : trace_set_attribute(f->tf, "sweep_spec", desc, err);
    free(desc);
    rc = rc ? rc : sweep_tables_points(&f->points_spec, sp, s, explore, err);
    rc = rc ? rc : sweep_tables_energy(&f->energy_spec, err);
    if (!rc && !(f->rows = calloc((size_t)f->points_spec.n * SWEEP_MAX_PIPELINES,
                                  sizeof *f->rows)))
        rc = error_set(err, PS_ERR_NOMEM, "out of memory");
    if (!rc && !(f->points = trace_table_create(f->tf, "/sweep/points", &f->points_spec, err)))
        rc = err->code;
    if (!rc && !(f->energy = trace_table_create(f->tf, "/sweep/energy", &f->energy_spec, err)))
        rc = err->code;
    if (rc) {
        sweep_file_abort(f);
        return rc;
    }
    *out = f;
    return 0;
}

int sweep_file_point(sweep_file *f, const sweep_result *r, const char *run_trace,
                     ps_error *err)
{
    if (run_trace) {
        char group[64];
        snprintf(group, sizeof group, "/runs/%lld", (long long)r->point);
        if (trace_copy_tables(f->tf, run_trace, group, err))
            return err->code;
    }
    int n = sweep_tables_points_rows(&f->points_spec, f->sp, r, f->rows);
    for (int i = 0; i < n; i++)
        if (trace_table_append(f->points, f->rows + (size_t)i * (size_t)f->points_spec.n, err))
            return err->code;
    for (int i = 0; r->ok && i < r->n_pipelines; i++)
        for (int k = 0; k < r->pipelines[i].n_energy; k++) {
            const sweep_energy *e = &r->pipelines[i].energy[k];
            table_value v[5] = {{.i = r->point}, {.i = i}, {.s = e->resource},
                                {.s = e->link ? "link" : "node"}, {.f = e->energy_per_frame_j}};
            if (trace_table_append(f->energy, v, err))
                return err->code;
        }
    return 0;
}

int sweep_file_spread(sweep_file *f, const table_spec *spec, const table_value *rows, int n,
                      ps_error *err)
{
    if (!f->spread && !(f->spread = trace_table_create(f->tf, "/sweep/spread", spec, err)))
        return err->code;
    for (int i = 0; i < n; i++)
        if (trace_table_append(f->spread, rows + (size_t)i * (size_t)spec->n, err))
            return err->code;
    return 0;
}

const char *sweep_file_path(const sweep_file *f)
{
    return trace_file_path(f->tf);
}

int sweep_file_close(sweep_file *f, int64_t points_done, int64_t points_total, ps_error *err)
{
    int rc = trace_set_attribute_int(f->tf, "points_done", points_done, err);
    rc = rc ? rc : trace_set_attribute_int(f->tf, "points_total", points_total, err);
    rc = rc ? rc : trace_set_attribute_int(f->tf, "interrupted", points_done < points_total, err);
    if (rc) {
        sweep_file_abort(f);
        return rc;
    }
    rc = trace_close(f->tf, err);
    f->tf = NULL;
    sweep_file_abort(f);
    return rc;
}

void sweep_file_abort(sweep_file *f)
{
    if (!f)
        return;
    trace_abort(f->tf);
    table_spec_free(&f->points_spec);
    table_spec_free(&f->energy_spec);
    free(f->rows);
    free(f);
}
