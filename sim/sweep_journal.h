/* A sweep's journal, `<FILE.h5>.journal`: every finished point's result,
 * appended as the point is reported, so that `partsim sweep --resume` can
 * skip the points an earlier sweep finished, even one killed outright (the
 * HDF5 file is written to a temporary name and exists only once closed).
 *
 * Layout: a header (magic, format version, the size of a result record's
 * fixed part, the partsim version, the sweep spec's text (sweep_spec_describe
 * and the mode) and the scenario text after --set, each length-prefixed),
 * then one record per point: its length, the result without the unused
 * pipelines and energy entries, an FNV-1a checksum.  Reading stops at the
 * first record cut short or failing its checksum (a kill, a power cut); a
 * point recorded twice keeps its first record.  The journal belongs to the
 * partsim version that wrote it (records are the in-memory layout), is
 * locked (flock) while a sweep writes it, never opened through a symbolic
 * link, and deleted when the sweep completes. */
#ifndef PARTSIM_SIM_SWEEP_JOURNAL_H
#define PARTSIM_SIM_SWEEP_JOURNAL_H

#include <stdbool.h>
#include <stdint.h>

#include "base/error.h"
#include "sim/sweep.h"

typedef struct sweep_journal sweep_journal;

/* Start a journal for a new sweep of n_points (replacing one there). */
int sweep_journal_create(const char *path, const char *spec_text, const char *scenario_text,
                         int64_t n_points, sweep_journal **out, ps_error *err);
/* Continue the journal at path: refused (naming what differs) unless it was
 * written for the same spec text and scenario text; indexes the points it
 * holds.  PS_ERR_IO when there is none. */
int sweep_journal_resume(const char *path, const char *spec_text, const char *scenario_text,
                         int64_t n_points, sweep_journal **out, ps_error *err);

bool sweep_journal_has(const sweep_journal *j, int64_t point);
int64_t sweep_journal_count(const sweep_journal *j);
/* The result recorded for point (sweep_journal_has must be true). */
int sweep_journal_read(sweep_journal *j, int64_t point, sweep_result *r, ps_error *err);
/* Record r (written through at once: a kill after this keeps it). */
int sweep_journal_append(sweep_journal *j, const sweep_result *r, ps_error *err);

/* Close; with remove, delete the file too (the sweep completed). */
void sweep_journal_close(sweep_journal *j, bool remove);

#endif
