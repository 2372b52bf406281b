/* A sweep over the ranks of an MPI job (`mpirun -n R partsim sweep ...`,
 * or `srun`): every rank runs its share of the points (the points to run,
 * dealt round-robin) in child processes of its own (sim/sweep.h), and sends
 * each result to rank 0, which gives them to its caller in point order, so
 * that one file holds the whole sweep and equals a one-process run row for
 * row.  Without MPI support in the build, or in a process mpirun did not
 * start, there is one rank and this is sweep_run.  MPI headers appear only
 * in sweep_mpi.c. */
#ifndef PARTSIM_SIM_SWEEP_MPI_H
#define PARTSIM_SIM_SWEEP_MPI_H

#include <stdbool.h>

#include "base/error.h"
#include "sim/sweep.h"

/* Whether the build has MPI. */
bool sweep_mpi_built(void);

/* Join the MPI job if mpirun / srun started this process (else *size = 1,
 * *rank = 0 and MPI is not touched). */
int sweep_mpi_start(int *argc, char ***argv, int *rank, int *size, ps_error *err);
/* Leave it (after the last sweep_mpi_run). */
void sweep_mpi_stop(void);
/* End every rank of the job at once (rank 0 failed before the sweep). */
void sweep_mpi_abort(int code);

/* The sweep on every rank.  Rank 0 gives o->todo (NULL: every point) and
 * receives every rank's results through o->point_done; the other ranks'
 * o->todo and o->point_done are not used (they send).  *done: on rank 0 the
 * points reported, elsewhere the points this rank ran. */
int sweep_mpi_run(const sweep_options *o, int rank, int size, int64_t *done, ps_error *err);

#endif
