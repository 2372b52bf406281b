/* The HDF5 file of an exploration (`partsim explore -o FILE`), written
 * through the project's one output layer (traces/): under a temporary name,
 * renamed when complete (traces/trace.h), never over one of the scenario's
 * inputs.  Tables (columns: sim/explore_tables.h; units as attributes):
 *
 *   /explore/candidates   every evaluated candidate, in index order, its
 *                         per-stage and per-transfer detail included (no
 *                         cut_layers: /explore/positions names them)
 *   /explore/front        the Pareto front, best weighted sum first
 *   /explore/baselines    everything on each platform
 *   /explore/pick         the weighted-sum choice (no row when none)
 *   /explore/constraints  constraint, removed
 *   /explore/positions    position, layer, single_tensor_cut
 *   /explore/summary      one row: the search and its counts
 *   /explore/validation   (with --validate) the designs simulated again
 *
 * Root attributes as a run's trace (schema_version, partsim_version,
 * scenario text, seed, command line, completed). */
#ifndef PARTSIM_SIM_EXPLORE_FILE_H
#define PARTSIM_SIM_EXPLORE_FILE_H

#include "base/table.h"
#include "sim/explore.h"

typedef struct explore_file explore_file;

/* What /explore/summary says of the search. */
typedef struct {
    const char *search;        /* "exact", "nsga2" */
    double evaluation_s;
    int64_t seed, population, generations; /* 0 for the exact search */
    double hypervolume_ratio;  /* NAN when not measured */
} explore_file_summary;

/* Open `path` for the problem's candidates (refused when it names one of the
 * scenario's inputs or something that is not a regular file). */
int explore_file_open(const char *path, const scenario *s, const explore_problem *x,
                      bool accuracy, const char *command_line, explore_file **out,
                      ps_error *err);
/* Append candidate c (with its detail) to /explore/candidates. */
int explore_file_candidate(explore_file *f, const explore_result *r, const explore_candidate *c,
                           bool front, ps_error *err);
/* Another table under /explore/<name>: n rows of spec->n values each
 * (row-major), e.g. /explore/validation. */
int explore_file_rows(explore_file *f, const char *name, const table_spec *spec,
                      const table_value *rows, int n, ps_error *err);
/* Write the other tables (the front in `order`, indices into r->front) and
 * close: the file appears under its name.  Frees f in every case. */
int explore_file_close(explore_file *f, const explore_result *r, const int *order,
                       const explore_file_summary *sum, ps_error *err);
/* Delete what was written; NULL is allowed. */
void explore_file_abort(explore_file *f);
const char *explore_file_path(const explore_file *f);

#endif
