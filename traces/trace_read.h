/* Reading partsim's HDF5 files back (a run's trace, an exploration, a
 * sweep): the tables as they were described when written (base/table.h),
 * a block of rows at a time so that memory stays flat however long a table
 * is.  The reader checks that the file is partsim's, complete, and of
 * TRACE_SCHEMA_VERSION, and says which version it found otherwise. */
#ifndef PARTSIM_TRACES_TRACE_READ_H
#define PARTSIM_TRACES_TRACE_READ_H

#include <stdint.h>

#include "base/error.h"
#include "base/table.h"

typedef struct trace_reader trace_reader;

int trace_read_open(const char *path, trace_reader **out, ps_error *err);
void trace_read_close(trace_reader *r);

/* "run", "explore" or "sweep" (from the tables it holds). */
const char *trace_read_kind(const trace_reader *r);
/* The file's tables (compound datasets), full paths ("/frames",
 * "/sweep/points"), sorted; a sweep's kept runs (/runs/...) left out. */
int trace_read_n_tables(const trace_reader *r);
const char *trace_read_table_name(const trace_reader *r, int i);
/* 1 when the file has table `name`. */
int trace_read_has(const trace_reader *r, const char *name);

/* One table open for reading: its columns (integers as TABLE_INT, floats as
 * TABLE_FLOAT, fixed strings as TABLE_STR, units from unit_<column>) and
 * its rows. */
typedef struct trace_read_table trace_read_table;
int trace_read_table_open(trace_reader *r, const char *name, trace_read_table **out,
                          ps_error *err);
const table_spec *trace_read_table_spec(const trace_read_table *t);
int64_t trace_read_table_rows(const trace_read_table *t);
/* Rows first .. first + n - 1 (n <= TRACE_READ_BLOCK) into rows (n x
 * spec->n values); strings point into the table's block buffer, valid until
 * the next read. */
#define TRACE_READ_BLOCK 4096
int trace_read_table_read(trace_read_table *t, int64_t first, int n, table_value *rows,
                          ps_error *err);
void trace_read_table_close(trace_read_table *t);

#endif
