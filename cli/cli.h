/* The partsim command line: one table of subcommands (cli.c), each command
 * in its own file (cmd_<name>.c).  Exit status: 0 success, 1 input error
 * (bad file, impossible value), 2 usage error (unknown command or option). */
#ifndef PARTSIM_CLI_CLI_H
#define PARTSIM_CLI_CLI_H

#include <stdbool.h>

#include "base/error.h"
#include "base/table.h"

enum { CLI_EXIT_OK = 0, CLI_EXIT_INPUT = 1, CLI_EXIT_USAGE = 2 };

typedef struct cli_command {
    const char *name;
    const char *args;    /* "MODEL [options]" */
    const char *summary; /* one line for `partsim --help` */
    const char *help;    /* the full text for `partsim help NAME` */
    int (*run)(const struct cli_command *self, int argc, char **argv); /* argv[0] = name */
} cli_command;

int cli_main(int argc, char **argv);

/* The options of command c as its help text lists them ("-o", "--output",
 * "--cfg=" for "--cfg=...", then "--help"), whether each takes a value; into
 * out, returns how many (at most max).  Suggestions and completion both read
 * them, so neither can drift from the help. */
enum { CLI_OPTION_MAX = 48 };
typedef struct {
    char name[CLI_OPTION_MAX];
    bool takes_value;
} cli_option_name;
int cli_command_options(const cli_command *c, cli_option_name *out, int max);

/* Print "partsim NAME: message" and the command's usage line to stderr; returns 2. */
int cli_usage_error(const cli_command *c, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* An option the command does not take: a usage error naming it. */
int cli_unknown_option(const cli_command *c, const char *arg);
/* Print "partsim: error: message" to stderr; returns 1 (or 2 for internal errors). */
int cli_fail(const ps_error *err);

/* If argv[*i] is option `name` ("--bits 8" or "--bits=8"), store its value,
 * advance *i past it and return true.  A missing value sets *missing. */
bool cli_option(int argc, char **argv, int *i, const char *name, const char **value,
                bool *missing);
/* The options several commands share: `--bits N` (1..64) into *bits and
 * `--format table|csv|json` into *format (pass NULL for one a command does not
 * take).  Returns 1 when argv[*i] was one of them (and advances *i), 0 when it
 * was not, or CLI_EXIT_USAGE after printing what was wrong. */
int cli_shared_option(const cli_command *self, int argc, char **argv, int *i, int *bits,
                      table_format *format);

/* Parse a whole decimal integer in [lo, hi]. */
/* "partsim CMD ARGS..." for a file's command_line attribute (cut at size). */
const char *cli_command_line(int argc, char **argv, char *buf, size_t size);
bool cli_parse_int(const char *s, long lo, long hi, long *out);

/* The command table (cli.c), `n` entries, `help` last. */
const cli_command *cli_commands(int *n);

/* The commands (each defined in its own cmd_*.c). */
int cmd_layers(const cli_command *self, int argc, char **argv);
int cmd_accel(const cli_command *self, int argc, char **argv);
int cmd_link(const cli_command *self, int argc, char **argv);
int cmd_run(const cli_command *self, int argc, char **argv);
int cmd_explore(const cli_command *self, int argc, char **argv);
int cmd_sweep(const cli_command *self, int argc, char **argv);
int cmd_trace(const cli_command *self, int argc, char **argv);
int cmd_zoo(const cli_command *self, int argc, char **argv);
/* Hidden `partsim __complete WORDS...`: shell completion candidates. */
int cmd_complete(int argc, char **argv);

#endif
