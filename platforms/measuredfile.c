/* Measured-device profiles: the CSV file -> a measured_profile value. */
#include "platforms/measuredfile.h"

#include <stdlib.h>
#include <string.h>

#include "base/csv.h"
#include "base/strmap.h"

enum { COL_LAYER, COL_LATENCY, COL_POWER, COL_ENERGY, COL_KINDS };
static const char *const REQUIRED[] = {"layer", "latency_s", NULL};
static const char *const OPTIONAL[] = {"power_w", "energy_j", NULL};
static const char EXPECTED[] = "'layer,latency_s,power_w' (or energy_j instead of power_w; "
                               "columns named note or note_* are ignored)";

static int parse_header(csv_reader *r, int *col, ps_error *err)
{
    int rc = csv_header(r, REQUIRED, OPTIONAL, EXPECTED, col, err);
    if (rc)
        return rc;
    if (col[COL_POWER] < 0 && col[COL_ENERGY] < 0)
        return csv_error(r, NULL, -1, err, "missing header column 'power_w' (or 'energy_j'); "
                         "expected %s", EXPECTED);
    if (col[COL_POWER] >= 0 && col[COL_ENERGY] >= 0)
        return csv_error(r, NULL, -1, err, "both 'power_w' and 'energy_j' given; expected one "
                         "of them");
    return 0;
}

/* A number of `unit` (e.g. "a number of seconds") in column `name`, 0 or more. */
static int parse_number(const csv_reader *r, const csv_row *row, int field, const char *name,
                        const char *unit, double *v, ps_error *err)
{
    int rc = csv_double(r, row, field, unit, v, err);
    if (!rc && *v < 0)
        rc = csv_error(r, row, field, err, "%s must be 0 or more, got %s", name,
                       row->field[field]);
    return rc;
}

static int parse_row(const csv_reader *r, const csv_row *f, const int *col, measured_row *row,
                     ps_error *err)
{
    const char *name = f->field[col[COL_LAYER]];
    if (!name[0])
        return csv_error(r, f, col[COL_LAYER], err, "empty layer name; expected an ONNX node "
                         "name or FIRST..LAST");
    int rc = parse_number(r, f, col[COL_LATENCY], "latency_s", "a number of seconds",
                          &row->latency_s, err);
    if (rc)
        return rc;
    row->from_power = col[COL_POWER] >= 0;
    if (row->from_power) {
        rc = parse_number(r, f, col[COL_POWER], "power_w", "a number of watts", &row->power_w,
                          err);
        row->energy_j = row->power_w * row->latency_s;
    } else {
        rc = parse_number(r, f, col[COL_ENERGY], "energy_j", "a number of joules",
                          &row->energy_j, err);
        row->power_w = row->latency_s > 0 ? row->energy_j / row->latency_s : 0.0;
    }
    if (rc)
        return rc;
    row->line = f->line;
    row->layer = strdup(name);
    if (!row->layer)
        return error_set(err, PS_ERR_NOMEM, "out of memory");
    return 0;
}

static int append_row(measured_profile *p, int *cap, const measured_row *row)
{
    if (p->n_rows == *cap) {
        int n = *cap ? 2 * *cap : 32;
        measured_row *rows = realloc(p->rows, (size_t)n * sizeof *rows);
        if (!rows)
            return -1;
        p->rows = rows;
        *cap = n;
    }
    p->rows[p->n_rows++] = *row;
    return 0;
}

/* Duplicate rows: the same `layer` text twice. */
static int check_duplicates(const measured_profile *p, ps_error *err)
{
    strmap seen = STRMAP_INIT;
    int rc = 0;
    for (int i = 0; i < p->n_rows && !rc; i++) {
        int j = strmap_add(&seen, p->rows[i].layer, i);
        if (j < 0)
            rc = error_set(err, PS_ERR_NOMEM, "out of memory");
        else if (j != i)
            rc = error_set(err, PS_ERR_INPUT, "%s:%d: duplicate row for '%s' (first at line %d); "
                           "expected one row per layer or range", p->path, p->rows[i].line,
                           p->rows[i].layer, p->rows[j].line);
    }
    strmap_free(&seen);
    return rc;
}

static int load_rows(csv_reader *r, measured_profile *p, ps_error *err)
{
    int col[COL_KINDS];
    int rc = parse_header(r, col, err);
    if (rc)
        return rc;
    csv_row f;
    int got, cap = 0;
    while ((got = csv_next(r, &f, err)) == 1) {
        measured_row row = {0};
        if ((rc = parse_row(r, &f, col, &row, err)))
            return rc;
        if (append_row(p, &cap, &row)) {
            free(row.layer);
            return error_set(err, PS_ERR_NOMEM, "out of memory");
        }
    }
    if (got < 0)
        return -got;
    if (!p->n_rows)
        return csv_error(r, NULL, -1, err, "no rows after the header; expected one row per "
                         "layer or range");
    return check_duplicates(p, err);
}

int measuredfile_load(const char *path, measured_profile **out, ps_error *err)
{
    *out = NULL;
    measured_profile *p = calloc(1, sizeof *p);
    if (!p || !(p->path = strdup(path))) {
        measured_profile_free(p);
        return error_set(err, PS_ERR_NOMEM, "out of memory");
    }
    csv_reader *r;
    int rc = csv_open(path, &r, err);
    if (!rc) {
        csv_limit_row(r, MEASUREDFILE_LINE_MAX);
        rc = load_rows(r, p, err);
    }
    csv_close(r);
    if (rc) {
        measured_profile_free(p);
        return rc;
    }
    *out = p;
    return 0;
}

int measuredfile_bind(const accel_arch *a, const graph *g, measured_binding **out,
                      ps_error *err)
{
    *out = NULL;
    if (a->kind != ARCH_MEASURED)
        return 0;
    measured_profile *p;
    int rc = measuredfile_load(a->u.meas.profile_path, &p, err);
    if (!rc)
        rc = measured_bind(p, g, a->u.meas.idle_power_w, out, err);
    measured_profile_free(p);
    return rc;
}
