/* Streaming JSON writer (json.h). */
#include "base/json.h"

#include <math.h>

void json_init(json_writer *w, FILE *out, int pretty_depth)
{
    *w = (json_writer){.out = out, .pretty_depth = pretty_depth};
}

static void indent(json_writer *w, int depth)
{
    fputc('\n', w->out);
    for (int i = 0; i < depth; i++)
        fputs("  ", w->out);
}

/* Commas, line breaks and indentation before an item of the current container. */
static void item_start(json_writer *w)
{
    if (w->after_key) {
        w->after_key = false;
        return;
    }
    if (w->depth == 0)
        return;
    bool more = w->has_items[w->depth];
    if (more)
        fputc(',', w->out);
    if (w->depth <= w->pretty_depth)
        indent(w, w->depth);
    else if (more)
        fputc(' ', w->out);
    w->has_items[w->depth] = true;
}

static void container_open(json_writer *w, char c)
{
    item_start(w);
    fputc(c, w->out);
    if (w->depth + 1 < JSON_MAX_DEPTH)
        w->depth++;
    w->has_items[w->depth] = false;
}

static void container_close(json_writer *w, char c)
{
    bool items = w->has_items[w->depth];
    int inner = w->depth;
    if (w->depth > 0)
        w->depth--;
    if (items && inner <= w->pretty_depth)
        indent(w, w->depth);
    fputc(c, w->out);
    if (w->depth == 0)
        fputc('\n', w->out);
}

void json_object_begin(json_writer *w) { container_open(w, '{'); }
void json_object_end(json_writer *w) { container_close(w, '}'); }
void json_array_begin(json_writer *w) { container_open(w, '['); }
void json_array_end(json_writer *w) { container_close(w, ']'); }

void json_write_string(FILE *out, const char *s)
{
    fputc('"', out);
    for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
        switch (*p) {
        case '"': fputs("\\\"", out); break;
        case '\\': fputs("\\\\", out); break;
        case '\n': fputs("\\n", out); break;
        case '\r': fputs("\\r", out); break;
        case '\t': fputs("\\t", out); break;
        default:
            if (*p < 0x20)
                fprintf(out, "\\u%04x", *p);
            else
                fputc(*p, out);
        }
    }
    fputc('"', out);
}

void json_key(json_writer *w, const char *key)
{
    item_start(w);
    json_write_string(w->out, key);
    fputs(": ", w->out);
    w->after_key = true;
}

void json_string(json_writer *w, const char *s)
{
    if (!s) {
        json_null(w);
        return;
    }
    item_start(w);
    json_write_string(w->out, s);
}

void json_int(json_writer *w, int64_t v)
{
    item_start(w);
    fprintf(w->out, "%lld", (long long)v);
}

void json_number(json_writer *w, double v)
{
    if (!isfinite(v)) {
        json_null(w);
        return;
    }
    item_start(w);
    fprintf(w->out, "%.17g", v);
}

void json_bool(json_writer *w, bool v)
{
    item_start(w);
    fputs(v ? "true" : "false", w->out);
}

void json_null(json_writer *w)
{
    item_start(w);
    fputs("null", w->out);
}
