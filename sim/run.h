/* One `partsim run`: load the scenario, price it (sim/plan.h), check that
 * it can run, simulate it (sim/pipeline.h) and write the HDF5 trace
 * (traces/).  The trace is written to a temporary name and renamed when
 * complete; a failed run leaves no file under the requested name. */
#ifndef PARTSIM_SIM_RUN_H
#define PARTSIM_SIM_RUN_H

#include <stdbool.h>

#include "platforms/scenario.h"
#include "base/error.h"
#include "base/table.h"
#include "sim/pipeline.h"
#include "sim/plan.h"

typedef struct {
    const char *scenario_path;
    const char *const *sets;   /* "key=value" overrides */
    int n_sets;
    const char *out_path;      /* NULL: the scenario's trace path, else out/<name>.h5 */
    bool no_trace;             /* write no trace at all */
    bool keep_platform;        /* keep the SimGrid XML next to the trace */
    bool progress;
    const char *command_line;
} run_options;

typedef struct {
    scenario s;
    plan p;
    pipeline_result r;
    char trace_path[1024];     /* "" with no_trace */
    char platform_path[1100];
    bool platform_kept;
    double wall_s;             /* simulation wall-clock time */
} run_report;

/* Everything above.  `argc/argv` are handed to SimGrid (--cfg=...).  On
 * failure the report holds nothing to free. */
int run_scenario(const run_options *o, int *argc, char **argv, run_report *rep, ps_error *err);
void run_report_free(run_report *rep);
/* One run of the scenario with `sets` applied, no progress and SimGrid's
 * default configuration, its trace to out_path (NULL: none): a point of a
 * sweep, a design that `explore --validate` simulates. */
int run_quiet(const char *scenario_path, const char *const *sets, int n_sets,
              const char *command_line, const char *out_path, run_report *rep, ps_error *err);

/* Per-pipeline numbers for the summary (from the report). */
double run_throughput_fps(const run_report *rep, int pipeline);

/* Rows of the run's /nodes, /links and /summary tables (sim/run_tables.h),
 * for the trace and for what `partsim run` prints.  Strings point into the
 * report. */
void run_node_row(const run_report *rep, int node, table_value *row);
void run_link_row(const run_report *rep, int link, table_value *row);
void run_summary_row(const run_report *rep, int pipeline, table_value *row);

#endif
