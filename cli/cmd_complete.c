/* `partsim __complete WORDS...`: the candidates for shell completion, one
 * per line (hidden: not in `partsim --help`).  WORDS are the words after
 * `partsim`, the last being the one under the cursor (possibly "").
 *
 * Everything comes from what the binary already knows, so completion cannot
 * drift from it: the commands from the command table, a command's options
 * from its help text (the "  -o, --output PATH" lines), an option's values
 * from its usage line ("[--format table|csv|json]"), preset names from the
 * preset folders and model names from the zoo.  Nothing is printed where a
 * file name is wanted: the shell falls back to completing files
 * (cli/completion.bash). */
#include <ctype.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "base/dirlist.h"
#include "cli/cli.h"
#include "platforms/archfile.h"
#include "platforms/linkfile.h"
#include "workloads/workload.h"

enum { MAX_OPTIONS = 64, NAME_MAX_LEN = CLI_OPTION_MAX };

typedef cli_option_name option;

/* Print prefix + candidate when it begins with `cur`. */
static void offer(const char *prefix, const char *candidate, const char *cur)
{
    char full[2 * NAME_MAX_LEN + 256];
    snprintf(full, sizeof full, "%s%s", prefix, candidate);
    if (!strncmp(full, cur, strlen(cur)))
        printf("%s\n", full);
}

static int read_options(const cli_command *c, option *out)
{
    return cli_command_options(c, out, MAX_OPTIONS);
}

static const option *find_option(const option *opts, int n, const char *word, size_t len)
{
    for (int i = 0; i < n; i++)
        if (strlen(opts[i].name) == len && !strncmp(opts[i].name, word, len))
            return &opts[i];
    return NULL;
}

/* The values of `name` that its usage line spells out ("--format
 * table|csv|json" -> table, csv, json; metavariables such as FILE or N are
 * not values), each offered after `prefix`. */
static void offer_values(const cli_command *c, const char *name, const char *prefix,
                         const char *cur)
{
    char key[NAME_MAX_LEN + 1];
    snprintf(key, sizeof key, "%s ", name);
    const char *p = strstr(c->args, key);
    if (!p || (p > c->args && p[-1] != '[' && p[-1] != ' '))
        return;
    p += strlen(key);
    while (*p && *p != ']' && *p != ' ') {
        size_t len = strcspn(p, "|] ");
        bool word = len > 0;
        for (size_t i = 0; i < len; i++)
            word = word && (islower((unsigned char)p[i]) || isdigit((unsigned char)p[i]) ||
                            p[i] == '-');
        if (word) {
            char v[NAME_MAX_LEN];
            snprintf(v, sizeof v, "%.*s", (int)len, p);
            offer(prefix, v, cur);
        }
        p += len;
        if (*p == '|')
            p++;
    }
}

static void offer_folder(const char *dir, const char *suffix, const char *cur)
{
    dirlist l;
    dirlist_read(&l, dir, suffix, NULL); /* unreadable: nothing to offer */
    for (size_t i = 0; i < l.n; i++)
        offer("", l.names[i], cur);
    dirlist_free(&l);
}

/* The positional argument number `pos` of `c`, by its name in the usage
 * line: MODEL (zoo names), ARCH (architecture presets), TYPE (link presets);
 * others (SCENARIO) are files. */
static void offer_positional(const cli_command *c, int pos, const char *cur)
{
    const char *p = c->args;
    for (int i = 0; i < pos && *p && *p != '[' && *p != '-'; i++)
        p += strcspn(p, " ") + (p[strcspn(p, " ")] == ' ');
    if (!*p || *p == '[' || *p == '-')
        return;
    size_t len = strcspn(p, " ");
    if (len == 5 && !strncmp(p, "MODEL", 5))
        offer_folder(workload_zoo_dir(), ".onnx", cur);
    else if (len == 4 && !strncmp(p, "ARCH", 4))
        offer_folder(archfile_presets_dir(), ".yaml", cur);
    else if (len == 4 && !strncmp(p, "TYPE", 4))
        offer_folder(linkfile_presets_dir(), ".yaml", cur);
}

static void complete_command_words(const cli_command *c, int n, char **words)
{
    option opts[MAX_OPTIONS];
    int n_opts = read_options(c, opts);
    const char *cur = words[n - 1];
    int pos = 0;
    const option *pending = NULL; /* the option whose value comes next */
    for (int i = 1; i < n - 1; i++) {
        if (pending)
            pending = NULL;
        else if (words[i][0] == '-') {
            const option *o = find_option(opts, n_opts, words[i], strlen(words[i]));
            pending = o && o->takes_value ? o : NULL;
        } else
            pos++;
    }
    const char *eq = cur[0] == '-' ? strchr(cur, '=') : NULL;
    if (pending) {
        offer_values(c, pending->name, "", cur);
    } else if (eq) {
        const option *o = find_option(opts, n_opts, cur, (size_t)(eq - cur) + 1);
        o = o ? o : find_option(opts, n_opts, cur, (size_t)(eq - cur));
        if (o && o->takes_value) {
            char prefix[NAME_MAX_LEN + 1];
            snprintf(prefix, sizeof prefix, "%s=", o->name);
            offer_values(c, o->name, prefix, cur);
        }
    } else if (cur[0] == '-') {
        for (int i = 0; i < n_opts; i++)
            offer("", opts[i].name, cur);
    } else {
        offer_positional(c, pos, cur);
    }
}

int cmd_complete(int argc, char **argv)
{
    char empty[] = "";
    char *none[] = {empty};
    char **words = argc > 0 ? argv : none;
    int n = argc > 0 ? argc : 1;
    int n_commands;
    const cli_command *commands = cli_commands(&n_commands);
    if (n == 1 || (n == 2 && !strcmp(words[0], "help"))) {
        const char *cur = words[n - 1];
        if (n == 1 && cur[0] == '-') {
            offer("", "--help", cur);
            offer("", "--version", cur);
            return CLI_EXIT_OK;
        }
        for (int i = 0; i < n_commands; i++)
            offer("", commands[i].name, cur); /* help is one of them */
        return CLI_EXIT_OK;
    }
    for (int i = 0; i < n_commands; i++)
        if (!strcmp(commands[i].name, words[0]))
            complete_command_words(&commands[i], n, words);
    return CLI_EXIT_OK;
}
