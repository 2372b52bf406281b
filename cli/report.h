/* Output helpers shared by the commands: JSON and CSV quoting. */
#ifndef PARTSIM_CLI_REPORT_H
#define PARTSIM_CLI_REPORT_H

#include <stdio.h>

typedef enum { REPORT_TABLE, REPORT_CSV, REPORT_JSON } report_format;

/* "table", "csv", "json" -> format; returns -1 for anything else. */
int report_parse_format(const char *s, report_format *out);
void report_json_string(FILE *out, const char *s);
/* A CSV field, quoted when it holds a comma, quote or newline. */
void report_csv_field(FILE *out, const char *s);

#endif
