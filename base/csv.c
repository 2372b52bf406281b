/* The one CSV reader (base/csv.h): the file is read whole, rows are cut out
 * of the buffer in place. */
#include "base/csv.h"

#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "base/suggest.h"

struct csv_reader {
    char *path;
    char *buf;         /* the file, with a NUL after its last byte */
    size_t size, pos;  /* bytes in buf; where the next row starts */
    int line;          /* line of buf[pos] */
    size_t row_max;    /* csv_limit_row; 0: none */
    size_t line_start; /* offset of that line's first byte */
    /* the current row */
    int n, cap;
    const char **field;
    int *col, *field_line;
    /* the header (csv_header); header_n == 0 until it is read */
    int header_n, header_line;
    const char **header_name;
    int *header_col;
};

/* ---- opening ---- */

static const char *file_kind(mode_t mode)
{
    if (S_ISDIR(mode))
        return "a folder";
    if (S_ISFIFO(mode))
        return "a FIFO";
    if (S_ISCHR(mode) || S_ISBLK(mode))
        return "a device";
    if (S_ISSOCK(mode))
        return "a socket";
    return "not a regular file";
}

/* Read all of fd (a regular file of `size` bytes, checked by the caller) into r->buf. */
static int read_all(csv_reader *r, int fd, size_t size, ps_error *err)
{
    r->buf = malloc(size + 1);
    if (!r->buf)
        return error_set(err, PS_ERR_NOMEM, "%s: out of memory for %zu bytes", r->path, size);
    size_t got = 0;
    while (got < size) {
        ssize_t k = read(fd, r->buf + got, size - got);
        if (k < 0 && errno == EINTR)
            continue;
        if (k < 0)
            return error_set(err, PS_ERR_IO, "%s: read error: %s", r->path, strerror(errno));
        if (k == 0)
            break; /* the file shrank while we read it: take what is there */
        got += (size_t)k;
    }
    r->size = got;
    r->buf[got] = '\0';
    return 0;
}

static int open_file(csv_reader *r, ps_error *err)
{
    /* O_NONBLOCK: opening a FIFO must not wait for a writer */
    int fd = open(r->path, O_RDONLY | O_NONBLOCK | O_CLOEXEC);
    if (fd < 0)
        return error_set(err, PS_ERR_IO, "%s: cannot open: %s", r->path, strerror(errno));
    struct stat st;
    int rc = 0;
    if (fstat(fd, &st))
        rc = error_set(err, PS_ERR_IO, "%s: cannot stat: %s", r->path, strerror(errno));
    else if (!S_ISREG(st.st_mode))
        rc = error_set(err, PS_ERR_INPUT, "%s: is %s; expected a CSV file", r->path,
                       file_kind(st.st_mode));
    else if ((unsigned long long)st.st_size > (unsigned long long)CSV_FILE_MAX)
        rc = error_set(err, PS_ERR_INPUT, "%s: %lld bytes; expected a CSV file of at most %zu "
                       "MiB", r->path, (long long)st.st_size, CSV_FILE_MAX >> 20);
    else
        rc = read_all(r, fd, (size_t)st.st_size, err);
    close(fd);
    return rc;
}

int csv_open(const char *path, csv_reader **out, ps_error *err)
{
    *out = NULL;
    csv_reader *r = calloc(1, sizeof *r);
    if (!r || !(r->path = strdup(path))) {
        free(r);
        return error_set(err, PS_ERR_NOMEM, "out of memory");
    }
    int rc = open_file(r, err);
    if (rc) {
        csv_close(r);
        return rc;
    }
    r->line = 1;
    if (r->size >= 3 && !memcmp(r->buf, "\xEF\xBB\xBF", 3))
        r->pos = r->line_start = 3; /* UTF-8 byte-order mark; columns count after it */
    *out = r;
    return 0;
}

void csv_limit_row(csv_reader *r, size_t max_bytes) { r->row_max = max_bytes; }

void csv_close(csv_reader *r)
{
    if (!r)
        return;
    free(r->path);
    free(r->buf);
    free(r->field);
    free(r->col);
    free(r->field_line);
    free(r->header_name);
    free(r->header_col);
    free(r);
}

const char *csv_path(const csv_reader *r) { return r->path; }

/* ---- messages ---- */

static int vreport(const csv_reader *r, int line, int col, ps_error *err, const char *fmt,
                   va_list ap)
{
    char msg[PS_ERROR_MSG_MAX];
    vsnprintf(msg, sizeof msg, fmt, ap);
    if (col > 0)
        return error_set(err, PS_ERR_INPUT, "%s:%d:%d: %s", r->path, line, col, msg);
    return error_set(err, PS_ERR_INPUT, "%s:%d: %s", r->path, line, msg);
}

/* An error at line:col (col 0: the line). */
static int __attribute__((format(printf, 5, 6)))
report(const csv_reader *r, int line, int col, ps_error *err, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int rc = vreport(r, line, col, err, fmt, ap);
    va_end(ap);
    return rc;
}

int csv_error(const csv_reader *r, const csv_row *row, int field, ps_error *err,
              const char *fmt, ...)
{
    int line = row ? row->line : r->header_line, col = 0;
    if (field >= 0 && row && field < row->n) {
        line = row->field_line[field];
        col = row->col[field];
    } else if (field >= 0 && !row && field < r->header_n) {
        col = r->header_col[field];
    }
    va_list ap;
    va_start(ap, fmt);
    int rc = vreport(r, line, col, err, fmt, ap);
    va_end(ap);
    return rc;
}

/* ---- rows ---- */

static bool is_blank(char c) { return c == ' ' || c == '\t'; }

static int column(const csv_reader *r, size_t at) { return (int)(at - r->line_start) + 1; }

/* A line end at `at`: its length (1 for LF, 2 for CRLF), else 0. */
static size_t line_end(const csv_reader *r, size_t at)
{
    if (at < r->size && r->buf[at] == '\n')
        return 1;
    if (at + 1 < r->size && r->buf[at] == '\r' && r->buf[at + 1] == '\n')
        return 2;
    return 0;
}

static void new_line(csv_reader *r, size_t next)
{
    r->line++;
    r->line_start = next;
}

/* Skip blank and comment lines; false at the end of the file. */
static bool skip_to_row(csv_reader *r, ps_error *err, int *rc)
{
    for (;;) {
        size_t p = r->pos;
        while (p < r->size && is_blank(r->buf[p]))
            p++;
        if (p >= r->size) {
            r->pos = p;
            return false;
        }
        size_t eol = line_end(r, p);
        if (!eol && r->buf[p] != '#')
            return true;
        while (!eol && p < r->size) { /* a comment: to the end of its line */
            if (r->buf[p] == '\0') {
                *rc = report(r, r->line, column(r, p), err, "NUL byte; expected text");
                return false;
            }
            eol = line_end(r, ++p);
        }
        r->pos = p + eol;
        if (eol)
            new_line(r, r->pos);
    }
}

static int grow_row(csv_reader *r, ps_error *err)
{
    int cap = r->cap ? 2 * r->cap : 16;
    const char **field = realloc(r->field, (size_t)cap * sizeof *field);
    if (field)
        r->field = field;
    int *col = realloc(r->col, (size_t)cap * sizeof *col);
    if (col)
        r->col = col;
    int *line = realloc(r->field_line, (size_t)cap * sizeof *line);
    if (line)
        r->field_line = line;
    if (!field || !col || !line)
        return error_set(err, PS_ERR_NOMEM, "%s: out of memory", r->path);
    r->cap = cap;
    return 0;
}

/* A quoted field from the opening quote at r->pos: unquote it in place
 * ("" is a quote); r->pos ends after the closing quote. */
static int quoted_field(csv_reader *r, ps_error *err)
{
    int open_line = r->line, open_col = column(r, r->pos);
    size_t p = r->pos + 1, w = p;
    r->field[r->n] = r->buf + w;
    for (;;) {
        if (p >= r->size)
            return report(r, open_line, open_col, err, "unterminated quoted field; expected a "
                          "closing '\"'");
        char c = r->buf[p];
        if (c == '\0')
            return report(r, r->line, column(r, p), err, "NUL byte; expected text");
        if (c == '"' && p + 1 < r->size && r->buf[p + 1] == '"') {
            r->buf[w++] = '"';
            p += 2;
            continue;
        }
        if (c == '"')
            break;
        r->buf[w++] = c;
        p++;
        if (c == '\n')
            new_line(r, p);
    }
    r->buf[w] = '\0'; /* w <= p: the closing quote is not needed any more */
    p++;
    while (p < r->size && is_blank(r->buf[p]))
        p++;
    if (p < r->size && r->buf[p] != ',' && !line_end(r, p))
        return report(r, r->line, column(r, p), err, "expected ',' after a quoted field");
    r->pos = p;
    return 0;
}

/* An unquoted field from r->pos to the next ',' or line end; *text_end is
 * where its text ends, blanks trimmed. */
static int plain_field(csv_reader *r, size_t *text_end, ps_error *err)
{
    size_t p = r->pos;
    while (p < r->size && r->buf[p] != ',' && !line_end(r, p)) {
        if (r->buf[p] == '\0')
            return report(r, r->line, column(r, p), err, "NUL byte; expected text");
        p++;
    }
    size_t end = p;
    while (end > r->pos && is_blank(r->buf[end - 1]))
        end--;
    r->field[r->n] = r->buf + r->pos;
    *text_end = end;
    r->pos = p;
    return 0;
}

/* Parse the fields of the row at r->pos; r->pos ends past its line end. */
static int parse_row(csv_reader *r, csv_row *row, ps_error *err)
{
    size_t start = r->pos;
    row->line = r->line;
    r->n = 0;
    for (;;) {
        int rc = r->n == r->cap ? grow_row(r, err) : 0;
        if (rc)
            return rc;
        while (r->pos < r->size && is_blank(r->buf[r->pos]))
            r->pos++;
        r->col[r->n] = column(r, r->pos);
        r->field_line[r->n] = r->line;
        bool quoted = r->pos < r->size && r->buf[r->pos] == '"';
        size_t text_end = 0;
        rc = quoted ? quoted_field(r, err) : plain_field(r, &text_end, err);
        if (rc)
            return rc;
        /* the terminator, read before a plain field's NUL may overwrite it */
        size_t at = r->pos, eol = line_end(r, at);
        bool more = at < r->size && r->buf[at] == ',';
        if (!quoted)
            r->buf[text_end] = '\0';
        r->n++;
        if (more) {
            r->pos = at + 1;
            continue;
        }
        row->bytes = at - start;
        r->pos = at + eol;
        if (eol)
            new_line(r, r->pos);
        return 0;
    }
}

/* A row with more or fewer fields than the header, shown as it was read. */
static int column_count_error(const csv_reader *r, const csv_row *row, ps_error *err)
{
    char text[80];
    size_t used = 0;
    for (int i = 0; i < row->n && used < sizeof text; i++)
        used += (size_t)snprintf(text + used, sizeof text - used, "%s%s", i ? "," : "",
                                 row->field[i]);
    return report(r, row->line, 0, err, "expected %d columns as in the header, got %d ('%s%s')%s",
                  r->header_n, row->n, text, used >= sizeof text ? "..." : "",
                  row->n > r->header_n ? "; a field that holds a comma must be quoted (\"a,b\")"
                                       : "");
}

int csv_next(csv_reader *r, csv_row *row, ps_error *err)
{
    int rc = 0;
    if (!skip_to_row(r, err, &rc))
        return rc ? -rc : 0;
    if ((rc = parse_row(r, row, err)))
        return -rc;
    row->n = r->n;
    row->field = r->field;
    row->col = r->col;
    row->field_line = r->field_line;
    if (r->row_max && row->bytes > r->row_max)
        return -report(r, row->line, 0, err, "line longer than %zu characters", r->row_max);
    if (r->header_n && row->n != r->header_n)
        return -column_count_error(r, row, err);
    return 1;
}

/* ---- header ---- */

static bool is_note(const char *name) { return !strcmp(name, "note") || !strncmp(name, "note_", 5); }

static int count(const char *const *list)
{
    int n = 0;
    while (list && list[n])
        n++;
    return n;
}

/* "'a,b,c'" from the required names, for messages. */
static void default_expected(const char *const *required, char *buf, size_t size)
{
    size_t used = (size_t)snprintf(buf, size, "'");
    for (int i = 0; required[i] && used < size; i++)
        used += (size_t)snprintf(buf + used, size - used, "%s%s", i ? "," : "", required[i]);
    if (used < size)
        snprintf(buf + used, size - used, "'");
}

/* Index of `name` in required followed by optional, or -1. */
static int known_index(const char *name, const char *const *required, int n_req,
                       const char *const *optional, int n_opt)
{
    for (int k = 0; k < n_req; k++)
        if (!strcmp(name, required[k]))
            return k;
    for (int k = 0; k < n_opt; k++)
        if (!strcmp(name, optional[k]))
            return n_req + k;
    return -1;
}

static int unknown_column(const csv_reader *r, const csv_row *h, int i,
                          const char *const *required, int n_req, const char *const *optional,
                          int n_opt, const char *expected, ps_error *err)
{
    const char *names[64];
    int n = 0;
    for (int k = 0; k < n_req && n < 64; k++)
        names[n++] = required[k];
    for (int k = 0; k < n_opt && n < 64; k++)
        names[n++] = optional[k];
    const char *near = suggest_closest(h->field[i], names, (size_t)n);
    return report(r, h->field_line[i], h->col[i], err, "unknown column '%s'%s%s%s; expected %s",
                  h->field[i], near ? " (did you mean '" : "", near ? near : "",
                  near ? "'?)" : "", expected);
}

static int keep_header(csv_reader *r, const csv_row *h, ps_error *err)
{
    r->header_name = malloc((size_t)h->n * sizeof *r->header_name);
    r->header_col = malloc((size_t)h->n * sizeof *r->header_col);
    if (!r->header_name || !r->header_col)
        return error_set(err, PS_ERR_NOMEM, "%s: out of memory", r->path);
    for (int i = 0; i < h->n; i++) {
        r->header_name[i] = h->field[i];
        r->header_col[i] = h->col[i];
    }
    r->header_line = h->line;
    r->header_n = h->n;
    return 0;
}

int csv_header(csv_reader *r, const char *const *required, const char *const *optional,
               const char *expected, int *col_of, ps_error *err)
{
    char generated[256];
    if (!expected) {
        default_expected(required, generated, sizeof generated);
        expected = generated;
    }
    int n_req = count(required), n_opt = count(optional);
    for (int k = 0; k < n_req + n_opt; k++)
        col_of[k] = -1;
    csv_row h;
    int got = csv_next(r, &h, err);
    if (got < 0)
        return -got;
    if (got == 0)
        return error_set(err, PS_ERR_INPUT, "%s: empty; expected the header %s", r->path,
                         expected);
    for (int i = 0; i < h.n; i++) {
        if (is_note(h.field[i]))
            continue;
        int k = known_index(h.field[i], required, n_req, optional, n_opt);
        if (k < 0)
            return unknown_column(r, &h, i, required, n_req, optional, n_opt, expected, err);
        if (col_of[k] >= 0)
            return report(r, h.field_line[i], h.col[i], err, "column '%s' appears twice",
                          h.field[i]);
        col_of[k] = i;
    }
    for (int k = 0; k < n_req; k++)
        if (col_of[k] < 0)
            return report(r, h.line, 0, err, "missing header column '%s'; expected %s",
                          required[k], expected);
    return keep_header(r, &h, err);
}

/* ---- numbers ---- */

int csv_double(const csv_reader *r, const csv_row *row, int field, const char *expected,
               double *out, ps_error *err)
{
    const char *s = row->field[field], *name = NULL;
    if (r->header_n && field < r->header_n)
        name = r->header_name[field];
    char *end;
    errno = 0;
    double x = strtod(s, &end);
    if (!*s || end == s || *end || errno == ERANGE || !isfinite(x))
        return csv_error(r, row, field, err, "%s%sexpected %s, got '%s'", name ? name : "",
                         name ? ": " : "", expected ? expected : "a number", s);
    *out = x;
    return 0;
}
