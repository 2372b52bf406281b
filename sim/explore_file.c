/* The HDF5 file of an exploration (sim/explore_file.h). */
#include "sim/explore_file.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "base/atomic_file.h"
#include "sim/explore_tables.h"
#include "traces/trace.h"

#ifndef PARTSIM_VERSION
#define PARTSIM_VERSION "0.0.0"
#endif

struct explore_file {
    trace_file *tf;
    const scenario *s;
    const explore_problem *x;
    unsigned cols;
    table_spec spec;           /* the candidates' columns */
    trace_table *candidates;
    table_value *row;
    explore_row_text text;
};

static trace_table *table_of(explore_file *f, const char *name, const table_spec *spec,
                             ps_error *err)
{
    char path[64];
    snprintf(path, sizeof path, "/explore/%s", name);
    return trace_table_create(f->tf, path, spec, err);
}

int explore_file_open(const char *path, const scenario *s, const explore_problem *x,
                      bool accuracy, const char *command_line, explore_file **out,
                      ps_error *err)
{
    *out = NULL;
    if (atomic_file_check_target(path, (const char *const *)s->inputs, s->n_inputs, err))
        return err->code;
    explore_file *f = calloc(1, sizeof *f);
    if (!f)
        return error_set(err, PS_ERR_NOMEM, "out of memory");
    f->s = s, f->x = x;
    f->cols = accuracy ? EXPLORE_COL_ACCURACY : 0u;
    trace_meta meta = {.partsim_version = PARTSIM_VERSION, .scenario = s->text,
                       .seed = (int64_t)s->seed, .command_line = command_line};
    int rc = trace_open(path, &meta, &f->tf, err);
    /* the objectives the front is over, as the command line names them */
    char objectives[256] = "";
    size_t used = 0;
    for (int o = 0; o < EXPLORE_N_OBJECTIVES; o++)
        if (explore_problem_options(x)->objectives & (1u << o) && used < sizeof objectives)
            used += (size_t)snprintf(objectives + used, sizeof objectives - used, "%s%s",
                                     used ? "," : "",
                                     explore_objective_name((explore_objective)o));
    rc = rc ? rc : trace_set_attribute(f->tf, "objectives", objectives, err);
    rc = rc ? rc : explore_tables_candidates(&f->spec, explore_stages(x), f->cols, err);
    if (!rc && !(f->row = calloc((size_t)f->spec.n, sizeof *f->row)))
        rc = error_set(err, PS_ERR_NOMEM, "out of memory");
    if (!rc && !(f->candidates = table_of(f, "candidates", &f->spec, err)))
        rc = err->code;
    if (rc) {
        explore_file_abort(f);
        return rc;
    }
    *out = f;
    return 0;
}

const char *explore_file_path(const explore_file *f)
{
    return trace_file_path(f->tf);
}

static int append(explore_file *f, trace_table *t, const explore_result *r,
                  const explore_candidate *c, bool front, ps_error *err)
{
    explore_tables_row(f->s, f->x, r, c, front, f->cols, &f->text, f->row);
    return trace_table_append(t, f->row, err);
}

int explore_file_candidate(explore_file *f, const explore_result *r, const explore_candidate *c,
                           bool front, ps_error *err)
{
    return append(f, f->candidates, r, c, front, err);
}

int explore_file_rows(explore_file *f, const char *name, const table_spec *spec,
                      const table_value *rows, int n, ps_error *err)
{
    trace_table *t = table_of(f, name, spec, err);
    if (!t)
        return err->code;
    for (int i = 0; i < n; i++)
        if (trace_table_append(t, rows + (size_t)i * (size_t)spec->n, err))
            return err->code;
    return 0;
}

static bool on_front(const explore_result *r, const explore_candidate *c)
{
    for (int i = 0; i < r->n_front; i++)
        if (r->front[i].index == c->index)
            return true;
    return false;
}

/* /explore/front, /explore/baselines, /explore/pick: the candidates' columns. */
static int write_designs(explore_file *f, const explore_result *r, const int *order,
                         ps_error *err)
{
    trace_table *front = table_of(f, "front", &f->spec, err);
    trace_table *base = front ? table_of(f, "baselines", &f->spec, err) : NULL;
    trace_table *pick = base ? table_of(f, "pick", &f->spec, err) : NULL;
    if (!pick)
        return err->code;
    for (int i = 0; i < r->n_front; i++)
        if (append(f, front, r, &r->front[order ? order[i] : i], true, err))
            return err->code;
    for (int j = 0; j < explore_platforms(f->x); j++)
        if (append(f, base, r, &r->single[j], on_front(r, &r->single[j]), err))
            return err->code;
    if (r->pick >= 0 && append(f, pick, r, &r->front[r->pick], true, err))
        return err->code;
    return 0;
}

static int write_positions(explore_file *f, ps_error *err)
{
    table_spec spec;
    if (explore_tables_positions(&spec, err))
        return err->code;
    trace_table *t = table_of(f, "positions", &spec, err);
    table_spec_free(&spec);
    if (!t)
        return err->code;
    const int *pos;
    int n = explore_positions(f->x, &pos);
    for (int i = 0; i < n; i++) {
        int q = pos[i];
        table_value v[3] = {{.i = q},
                            {.s = q == 0 ? "input" : f->s->g->nodes[f->s->cuts.sched[q - 1]].name},
                            {.i = f->s->cuts.points[q].single_tensor_cut}};
        if (trace_table_append(t, v, err))
            return err->code;
    }
    return 0;
}

static int write_counts(explore_file *f, const explore_result *r, const explore_file_summary *sum,
                        ps_error *err)
{
    table_spec spec;
    if (explore_tables_constraints(&spec, err))
        return err->code;
    trace_table *t = table_of(f, "constraints", &spec, err);
    table_spec_free(&spec);
    if (!t)
        return err->code;
    for (int k = 0; k < EXPLORE_N_CONSTRAINTS; k++) {
        table_value v[2] = {{.s = explore_constraint_name(k)}, {.i = r->removed[k]}};
        if (trace_table_append(t, v, err))
            return err->code;
    }
    if (explore_tables_summary(&spec, err))
        return err->code;
    t = table_of(f, "summary", &spec, err);
    table_spec_free(&spec);
    if (!t)
        return err->code;
    const explore_options *o = explore_problem_options(f->x);
    table_value v[12] = {
        {.s = f->s->name}, {.s = f->s->pipelines[o->pipeline].name}, {.s = sum->search},
        {.i = r->evaluated}, {.i = r->feasible}, {.f = explore_space_size(f->x)},
        {.i = r->interrupted}, {.f = sum->evaluation_s}, {.i = sum->seed},
        {.i = sum->population}, {.i = sum->generations}, {.f = sum->hypervolume_ratio}};
    return trace_table_append(t, v, err) ? err->code : 0;
}

int explore_file_close(explore_file *f, const explore_result *r, const int *order,
                       const explore_file_summary *sum, ps_error *err)
{
    int rc = write_designs(f, r, order, err);
    rc = rc ? rc : write_positions(f, err);
    rc = rc ? rc : write_counts(f, r, sum, err);
    if (rc) {
        explore_file_abort(f);
        return rc;
    }
    rc = trace_close(f->tf, err);
    f->tf = NULL;
    explore_file_abort(f);
    return rc;
}

void explore_file_abort(explore_file *f)
{
    if (!f)
        return;
    trace_abort(f->tf);
    table_spec_free(&f->spec);
    free(f->row);
    free(f);
}
