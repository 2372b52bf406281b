/* Table descriptions and their terminal, CSV and JSON writers (table.h). */
#include "base/table.h"

#include <math.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

/* ---- Descriptions ------------------------------------------------------- */

int table_spec_init(table_spec *s, const char *name, ps_error *err)
{
    *s = (table_spec){0};
    if (!(s->name = strdup(name ? name : "")))
        return error_set(err, PS_ERR_NOMEM, "out of memory");
    return 0;
}

static bool valid_name(const char *n)
{
    if (!n || !*n)
        return false;
    for (; *n; n++)
        if (!((*n >= 'a' && *n <= 'z') || (*n >= '0' && *n <= '9') || *n == '_'))
            return false;
    return true;
}

static int check_column(const table_spec *s, const table_column *c, ps_error *err)
{
    if (!valid_name(c->name))
        return error_set(err, PS_ERR_INTERNAL, "table %s: column name '%s' is not [a-z0-9_]+",
                         s->name, c->name ? c->name : "(null)");
    if ((unsigned)c->type > TABLE_BOOL)
        return error_set(err, PS_ERR_INTERNAL, "table %s: column '%s' has type %d", s->name,
                         c->name, (int)c->type);
    if (c->type == TABLE_INT && c->store != 0 && c->store != 1 && c->store != 2 &&
        c->store != 4 && c->store != 8)
        return error_set(err, PS_ERR_INTERNAL, "table %s: integer column '%s' stored in %d "
                         "bytes, expected 1, 2, 4 or 8", s->name, c->name, c->store);
    if (c->store < 0)
        return error_set(err, PS_ERR_INTERNAL, "table %s: column '%s' stored in %d bytes",
                         s->name, c->name, c->store);
    if (table_spec_find(s, c->name) >= 0)
        return error_set(err, PS_ERR_INTERNAL, "table %s: column '%s' appears twice", s->name,
                         c->name);
    return 0;
}

int table_spec_add(table_spec *s, const table_column *cols, int n, ps_error *err)
{
    for (int k = 0; k < n; k++) {
        if (check_column(s, &cols[k], err))
            return PS_ERR_INTERNAL;
        if (s->n == s->cap) {
            int cap = s->cap ? 2 * s->cap : 32;
            table_column *grown = realloc(s->cols, (size_t)cap * sizeof *grown);
            if (!grown)
                return error_set(err, PS_ERR_NOMEM, "out of memory");
            s->cols = grown;
            s->cap = cap;
        }
        table_column c = cols[k];
        if (!(c.name = strdup(cols[k].name)))
            return error_set(err, PS_ERR_NOMEM, "out of memory");
        s->cols[s->n++] = c;
    }
    return 0;
}

int table_spec_addf(table_spec *s, table_column col, ps_error *err, const char *fmt, ...)
{
    char name[128];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(name, sizeof name, fmt, ap);
    va_end(ap);
    col.name = name;
    return table_spec_add(s, &col, 1, err);
}

int table_spec_find(const table_spec *s, const char *name)
{
    for (int c = 0; c < s->n; c++)
        if (!strcmp(s->cols[c].name, name))
            return c;
    return -1;
}

void table_spec_free(table_spec *s)
{
    for (int c = 0; c < s->n; c++)
        free((char *)s->cols[c].name);
    free(s->cols);
    free(s->name);
    *s = (table_spec){0};
}

/* ---- Cells -------------------------------------------------------------- */

int table_format_parse(const char *s, table_format *out)
{
    if (!strcmp(s, "table")) *out = TABLE_TEXT;
    else if (!strcmp(s, "csv")) *out = TABLE_CSV;
    else if (!strcmp(s, "json")) *out = TABLE_JSON;
    else return -1;
    return 0;
}

/* "yes|no" -> the text for v. */
static void bool_text(const char *format, bool v, char *buf, size_t size)
{
    const char *f = format ? format : "true|false";
    const char *bar = strchr(f, '|');
    if (!bar) {
        snprintf(buf, size, "%s", v ? f : "");
        return;
    }
    if (v)
        snprintf(buf, size, "%.*s", (int)(bar - f), f);
    else
        snprintf(buf, size, "%s", bar + 1);
}

void table_format_cell(const table_column *c, table_value v, char *buf, size_t size)
{
    switch (c->type) {
    case TABLE_INT:
        snprintf(buf, size, c->format ? c->format : "%lld", (long long)v.i);
        break;
    case TABLE_FLOAT:
        if (isnan(v.f))
            snprintf(buf, size, "-");
        else
            snprintf(buf, size, c->format ? c->format : "%.6g", v.f);
        break;
    case TABLE_STR:
        snprintf(buf, size, "%s", v.s && v.s[0] ? v.s : "-");
        break;
    case TABLE_BOOL:
        bool_text(c->format, v.i != 0, buf, size);
        break;
    }
}

void table_csv_field(FILE *out, const char *s)
{
    if (!strpbrk(s, ",\"\n\r")) {
        fputs(s, out);
        return;
    }
    fputc('"', out);
    for (; *s; s++) {
        if (*s == '"')
            fputc('"', out);
        fputc(*s, out);
    }
    fputc('"', out);
}

static void csv_cell(FILE *out, const table_column *c, table_value v)
{
    switch (c->type) {
    case TABLE_INT: fprintf(out, "%lld", (long long)v.i); break;
    case TABLE_FLOAT:
        if (isnan(v.f))
            fputs("nan", out);
        else
            fprintf(out, "%.17g", v.f);
        break;
    case TABLE_STR: table_csv_field(out, v.s ? v.s : ""); break;
    case TABLE_BOOL: fputs(v.i ? "true" : "false", out); break;
    }
}

static void json_cell(json_writer *w, const table_column *c, table_value v)
{
    switch (c->type) {
    case TABLE_INT: json_int(w, v.i); break;
    case TABLE_FLOAT: json_number(w, v.f); break;
    case TABLE_STR: json_string(w, v.s ? v.s : ""); break;
    case TABLE_BOOL: json_bool(w, v.i != 0); break;
    }
}

void table_json_object(json_writer *json, const table_spec *s, const table_value *row)
{
    json_object_begin(json);
    for (int c = 0; c < s->n; c++) {
        json_key(json, s->cols[c].name);
        json_cell(json, &s->cols[c], row[c]);
    }
    json_object_end(json);
}

void table_print_record(FILE *out, const table_spec *s, const table_value *row)
{
    int width = 0;
    for (int c = 0; c < s->n; c++) {
        int len = (int)strlen(s->cols[c].name);
        if (!(s->cols[c].flags & TABLE_HIDDEN) && len > width)
            width = len;
    }
    for (int c = 0; c < s->n; c++) {
        const table_column *col = &s->cols[c];
        if (col->flags & TABLE_HIDDEN)
            continue;
        char cell[1024];
        table_format_cell(col, row[c], cell, sizeof cell);
        /* a fraction ("1") needs no unit after its value */
        bool unit = col->unit && strcmp(col->unit, "1") != 0;
        fprintf(out, "%-*s  %s%s%s\n", width, col->name, cell, unit ? " " : "",
                unit ? col->unit : "");
    }
}

/* ---- Writers ------------------------------------------------------------ */

struct table_out {
    const table_spec *spec;
    table_format format;
    FILE *out;
    json_writer *json;
    /* TABLE_TEXT: the formatted cells of the shown columns, row by row */
    int *shown, n_shown;
    char **cells;
    size_t n_cells, cap_cells;
};

table_out *table_out_begin(const table_spec *s, table_format f, FILE *out, json_writer *json,
                           ps_error *err)
{
    table_out *t = calloc(1, sizeof *t);
    int *shown = f == TABLE_TEXT ? malloc(((size_t)s->n + 1) * sizeof *shown) : NULL;
    if (!t || (f == TABLE_TEXT && !shown)) {
        free(t);
        free(shown);
        error_set(err, PS_ERR_NOMEM, "out of memory");
        return NULL;
    }
    *t = (table_out){.spec = s, .format = f, .out = out, .json = json, .shown = shown};
    switch (f) {
    case TABLE_TEXT:
        for (int c = 0; c < s->n; c++)
            if (!(s->cols[c].flags & TABLE_HIDDEN))
                t->shown[t->n_shown++] = c;
        break;
    case TABLE_CSV:
        for (int c = 0; c < s->n; c++) {
            if (c)
                fputc(',', out);
            fputs(s->cols[c].name, out);
        }
        fputc('\n', out);
        break;
    case TABLE_JSON:
        json_array_begin(json);
        break;
    }
    return t;
}

static int keep_cell(table_out *t, const char *text, ps_error *err)
{
    if (t->n_cells == t->cap_cells) {
        size_t cap = t->cap_cells ? 2 * t->cap_cells : 256;
        char **grown = realloc(t->cells, cap * sizeof *grown);
        if (!grown)
            return error_set(err, PS_ERR_NOMEM, "out of memory");
        t->cells = grown;
        t->cap_cells = cap;
    }
    if (!(t->cells[t->n_cells] = strdup(text)))
        return error_set(err, PS_ERR_NOMEM, "out of memory");
    t->n_cells++;
    return 0;
}

int table_out_row(table_out *t, const table_value *row, ps_error *err)
{
    const table_spec *s = t->spec;
    switch (t->format) {
    case TABLE_TEXT:
        for (int k = 0; k < t->n_shown; k++) {
            char cell[4096];
            table_format_cell(&s->cols[t->shown[k]], row[t->shown[k]], cell, sizeof cell);
            if (keep_cell(t, cell, err))
                return err ? (int)err->code : PS_ERR_NOMEM;
        }
        break;
    case TABLE_CSV:
        for (int c = 0; c < s->n; c++) {
            if (c)
                fputc(',', t->out);
            csv_cell(t->out, &s->cols[c], row[c]);
        }
        fputc('\n', t->out);
        break;
    case TABLE_JSON:
        table_json_object(t->json, s, row);
        break;
    }
    return 0;
}

static bool right_aligned(const table_column *c)
{
    return c->type == TABLE_INT || c->type == TABLE_FLOAT;
}

static void print_text(const table_out *t)
{
    const table_spec *s = t->spec;
    int n = t->n_shown;
    size_t rows = n ? t->n_cells / (size_t)n : 0;
    int *width = calloc((size_t)n + 1, sizeof *width);
    if (!width)
        return;
    for (int k = 0; k < n; k++) {
        width[k] = (int)strlen(s->cols[t->shown[k]].name);
        for (size_t r = 0; r < rows; r++) {
            int len = (int)strlen(t->cells[r * (size_t)n + (size_t)k]);
            if (len > width[k])
                width[k] = len;
        }
    }
    for (size_t r = 0; r <= rows; r++) {
        for (int k = 0; k < n; k++) {
            const table_column *c = &s->cols[t->shown[k]];
            const char *text = r == 0 ? c->name : t->cells[(r - 1) * (size_t)n + (size_t)k];
            bool last = k == n - 1;
            if (right_aligned(c))
                fprintf(t->out, "%s%*s", k ? "  " : "", width[k], text);
            else if (last)
                fprintf(t->out, "%s%s", k ? "  " : "", text);
            else
                fprintf(t->out, "%s%-*s", k ? "  " : "", width[k], text);
        }
        fputc('\n', t->out);
    }
    free(width);
}

int table_out_end(table_out *t, ps_error *err)
{
    (void)err;
    if (!t)
        return 0;
    if (t->format == TABLE_TEXT)
        print_text(t);
    else if (t->format == TABLE_JSON)
        json_array_end(t->json);
    for (size_t i = 0; i < t->n_cells; i++)
        free(t->cells[i]);
    free(t->cells);
    free(t->shown);
    free(t);
    return 0;
}
