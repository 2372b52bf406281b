/* The HDF5 file of a sweep (`partsim sweep -o FILE.h5`), written through
 * traces/ like a run's trace: under a temporary name, renamed when closed,
 * never over the scenario or another of its inputs.  Root attributes as in a
 * trace (scenario text, command line, partsim version) and `sweep_spec`
 * (sweep_spec_describe: every varied key and value, the mode and seeds).
 * Tables: /sweep/points and /sweep/energy (sim/sweep_tables.h), rows in
 * point order; with --keep-runs, each point's run tables under /runs/<point>
 * (/runs/3/frames, /runs/3/summary, ...). */
#ifndef PARTSIM_SIM_SWEEP_FILE_H
#define PARTSIM_SIM_SWEEP_FILE_H

#include "base/error.h"
#include "platforms/scenario.h"
#include "sim/sweep.h"
#include "sim/sweep_spec.h"

typedef struct sweep_file sweep_file;

/* explore: the columns of an exploration per point (sweep --explore). */
int sweep_file_open(const char *path, const scenario *s, const sweep_spec *sp, bool explore,
                    const char *command_line, sweep_file **out, ps_error *err);
/* Append what point r gave; with run_trace (--keep-runs: the point's own
 * trace file), its tables as /runs/<point>/. */
int sweep_file_point(sweep_file *f, const sweep_result *r, const char *run_trace,
                     ps_error *err);
/* --seeds: rows of /sweep/spread (sim/sweep_tables.h), n of them. */
int sweep_file_spread(sweep_file *f, const table_spec *spec, const table_value *rows, int n,
                      ps_error *err);
const char *sweep_file_path(const sweep_file *f);
/* Record how many points the file holds of how many (root attributes
 * points_done, points_total, interrupted = done < total), flush, mark
 * complete, rename; frees f in every case. */
int sweep_file_close(sweep_file *f, int64_t points_done, int64_t points_total, ps_error *err);
/* Delete the temporary file (NULL is allowed). */
void sweep_file_abort(sweep_file *f);

#endif
