/* The `partsim explore` command's own parts (not a library interface):
 * cmd_explore.c parses the options and runs the search, validation and
 * export; cmd_explore_output.c prints and writes what came of it. */
#ifndef PARTSIM_CLI_CMD_EXPLORE_H
#define PARTSIM_CLI_CMD_EXPLORE_H

#include <signal.h>
#include <stdbool.h>

#include "base/table.h"
#include "platforms/scenario.h"
#include "sim/explore.h"
#include "sim/explore_file.h"
#include "sim/explore_nsga2.h"
#include "sim/explore_validate.h"
#include "cli/cli.h"

/* --search: exact enumeration, NSGA-II, or exact when the space is at most
 * EXPLORE_AUTO_EXACT_MAX candidates (sim/explore.h). */
typedef enum { SEARCH_AUTO, SEARCH_EXACT, SEARCH_NSGA2 } explore_search;

typedef struct {
    const char *scenario_path;
    const char **sets;
    int n_sets;
    const char *pipeline;
    const char *accuracy_path;
    table_format format;
    bool front_only, quiet;
    int top;
    explore_options eo;
    const char *max_memory[EXPLORE_MAX_PLATFORMS * 2 + 1]; /* as given: SIZE or NODE=SIZE */
    int n_max_memory;
    const char *platforms;        /* --platforms NODE,... as given */
    const char *out_path;         /* -o FILE: the HDF5 file */
    const char *mapping_path;     /* --export-mapping autodice FILE */
    const char *command_line;
    int validate_k;               /* --validate K: the K best feasible designs */
    bool validate_front;          /* --validate front */
    int jobs;                     /* --jobs N: simulations at once (0: one per core) */
    explore_search search;        /* --search */
    explore_nsga2_options nsga2;  /* --seed, --population, --generations */
} explore_args;

/* The designs a search evaluated, for the writers: the exact search's are
 * the enumeration's first r->evaluated; NSGA-II's are recorded here (sorted
 * by index once the search ends). */
typedef struct {
    int64_t index;
    int assign;
    int cuts[SCN_MAX_STAGES];
} explore_met_design;

typedef struct {
    bool recorded;
    explore_met_design *d;
    int64_t n, cap;
} explore_met;

/* How the search went, for the report and the file. */
typedef struct {
    explore_search search;        /* SEARCH_EXACT or SEARCH_NSGA2 */
    double eval_s;
    const explore_met *met;
    /* NSGA-II measured against the exact front where the exact search fits */
    double hypervolume_ratio;     /* NAN: not measured */
    int exact_front;
    double exact_s;
} explore_outcome;

/* --objectives LIST and --weights OBJ=W,... into o (usage errors printed;
 * `partsim sweep --explore` takes them too). */
int cmd_explore_parse_objectives(const cli_command *self, const char *v, explore_options *o);
int cmd_explore_parse_weights(const cli_command *self, const char *v, explore_options *o);

/* Set by SIGINT / SIGTERM while the search, the validation or the file
 * writing runs. */
extern volatile sig_atomic_t cmd_explore_interrupted;

/* Ctrl-C stops the search (what was evaluated is reported); on a terminal,
 * a progress line with the time left once the work has run a second. */
typedef struct {
    const char *what;  /* "candidates", "candidates written" */
    double t0, next_s, total;
    int64_t seen;
    bool progress, shown;
} search_progress;

void cmd_explore_output_progress_tick(search_progress *sp, int64_t every);
void cmd_explore_output_progress_clear(search_progress *sp);

/* --validate: the designs simulated again and how they rank. */
typedef struct {
    int n;
    explore_candidate *points;    /* n designs, with their detail */
    explore_sim *sims;
    double *analytic_score, *simulated_score;
    int *analytic_rank, *simulated_rank;
    double kendall_tau;
} explore_validation;

/* The front, best weighted sum first (indices into r->front); NULL: no memory. */
int *cmd_explore_output_front_order(const explore_problem *x, const explore_result *r);

/* -o FILE: every evaluated candidate, then the other tables; frees f. */
int cmd_explore_output_write_file(explore_file *f, const explore_args *a,
                                  const explore_problem *x, const explore_result *r,
                                  const explore_outcome *out, const explore_validation *v,
                                  bool progress, ps_error *err);

/* What is printed: terminal table, CSV or JSON. */
int cmd_explore_output_report(const explore_args *a, const scenario *s, const scn_pipeline *pl,
                              const explore_problem *x, explore_result *r,
                              const explore_outcome *out, const explore_validation *v,
                              ps_error *err);

#endif
