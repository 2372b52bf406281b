/* libyaml event stream -> ynode tree with positions. */
#include "platforms/ydoc.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <yaml.h>

#include "base/suggest.h"

/* A simple bump arena: every node and string of a document lives here. */
typedef struct ydoc_arena {
    struct ydoc_arena *next;
    size_t used, cap;
    _Alignas(max_align_t) unsigned char data[];
} ydoc_arena;

static void *arena_alloc(ydoc *d, size_t bytes)
{
    bytes = (bytes + 15) & ~(size_t)15;
    ydoc_arena *a = d->arena;
    if (!a || a->used + bytes > a->cap) {
        size_t cap = bytes > 65536 ? bytes : 65536;
        ydoc_arena *n = malloc(sizeof *n + cap);
        if (!n)
            return NULL;
        n->next = a, n->used = 0, n->cap = cap;
        d->arena = a = n;
    }
    void *p = a->data + a->used;
    a->used += bytes;
    memset(p, 0, bytes);
    return p;
}

static char *arena_strdup(ydoc *d, const char *s, size_t len)
{
    char *p = arena_alloc(d, len + 1);
    if (p)
        memcpy(p, s, len), p[len] = '\0';
    return p;
}

void ydoc_free(ydoc *d)
{
    if (!d)
        return;
    for (ydoc_arena *a = d->arena, *next; a; a = next) {
        next = a->next;
        free(a);
    }
    free(d->path);
    free(d);
}

int ydoc_error(const ydoc *d, const ynode *n, ps_error *err, const char *fmt, ...)
{
    char msg[PS_ERROR_MSG_MAX];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    if (n && n->origin)
        return error_set(err, PS_ERR_INPUT, "%s: %s: %s", d->path, n->origin, msg);
    if (n)
        return error_set(err, PS_ERR_INPUT, "%s:%d:%d: %s", d->path, n->line, n->col, msg);
    return error_set(err, PS_ERR_INPUT, "%s: %s", d->path, msg);
}

/* ---- building the tree ---- */

typedef struct {
    ydoc *d;
    yaml_parser_t parser;
    ps_error *err;
    int depth;
} builder;

#define MAX_DEPTH 64

static int parse_error(builder *b)
{
    const yaml_parser_t *p = &b->parser;
    const char *what = p->problem ? p->problem : "malformed YAML";
    if (p->context)
        return error_set(b->err, PS_ERR_INPUT, "%s:%zu:%zu: %s %s (%s at line %zu, column %zu)",
                         b->d->path, p->problem_mark.line + 1, p->problem_mark.column + 1, what,
                         "", p->context, p->context_mark.line + 1, p->context_mark.column + 1);
    return error_set(b->err, PS_ERR_INPUT, "%s:%zu:%zu: %s", b->d->path,
                     p->problem_mark.line + 1, p->problem_mark.column + 1, what);
}

static int next_event(builder *b, yaml_event_t *ev)
{
    if (!yaml_parser_parse(&b->parser, ev))
        return parse_error(b);
    return 0;
}

static ynode *new_node(builder *b, ynode_kind kind, const yaml_event_t *ev)
{
    ynode *n = arena_alloc(b->d, sizeof *n);
    if (!n)
        return NULL;
    n->kind = kind;
    n->line = (int)ev->start_mark.line + 1;
    n->col = (int)ev->start_mark.column + 1;
    return n;
}

static int oom(builder *b) { return error_set(b->err, PS_ERR_NOMEM, "%s: out of memory", b->d->path); }

/* Append to a growable array that lives in the arena (doubling). */
static int push(builder *b, ynode ***arr, int n, int *cap, ynode *item)
{
    if (n == *cap) {
        int nc = *cap ? *cap * 2 : 8;
        ynode **na = arena_alloc(b->d, (size_t)nc * sizeof *na);
        if (!na)
            return oom(b);
        if (n)
            memcpy(na, *arr, (size_t)n * sizeof *na);
        *arr = na;
        *cap = nc;
    }
    (*arr)[n] = item;
    return 0;
}

static int build_node(builder *b, yaml_event_t *ev, ynode **out);

static int build_collection(builder *b, ynode *n, yaml_event_type_t end)
{
    int cap_items = 0, cap_keys = 0;
    for (;;) {
        yaml_event_t ev;
        if (next_event(b, &ev))
            return b->err->code;
        if (ev.type == end) {
            yaml_event_delete(&ev);
            return 0;
        }
        ynode *child;
        int rc = build_node(b, &ev, &child);
        yaml_event_delete(&ev);
        if (rc)
            return rc;
        if (n->kind == YNODE_SEQ) {
            if (push(b, &n->items, n->n, &cap_items, child))
                return b->err->code;
            n->n++;
            continue;
        }
        /* a mapping: child is the key, then the value */
        if (child->kind != YNODE_SCALAR)
            return ydoc_error(b->d, child, b->err, "a mapping key must be a plain name");
        for (int k = 0; k < n->n; k++)
            if (!strcmp(n->keys[k]->value, child->value))
                return ydoc_error(b->d, child, b->err,
                                  "key '%s' appears twice in this mapping (first at line %d)",
                                  child->value, n->keys[k]->line);
        yaml_event_t vev;
        if (next_event(b, &vev))
            return b->err->code;
        ynode *value;
        rc = build_node(b, &vev, &value);
        yaml_event_delete(&vev);
        if (rc)
            return rc;
        if (push(b, &n->keys, n->n, &cap_keys, child) || push(b, &n->items, n->n, &cap_items, value))
            return b->err->code;
        n->n++;
    }
}

static int build_node(builder *b, yaml_event_t *ev, ynode **out)
{
    switch (ev->type) {
    case YAML_SCALAR_EVENT: {
        ynode *n = new_node(b, YNODE_SCALAR, ev);
        if (!n || !(n->value = arena_strdup(b->d, (const char *)ev->data.scalar.value,
                                            ev->data.scalar.length)))
            return oom(b);
        if (strlen(n->value) != ev->data.scalar.length)
            return ydoc_error(b->d, n, b->err, "a value holds a NUL character");
        n->quoted = ev->data.scalar.style == YAML_SINGLE_QUOTED_SCALAR_STYLE ||
                    ev->data.scalar.style == YAML_DOUBLE_QUOTED_SCALAR_STYLE;
        if (ev->data.scalar.anchor)
            return ydoc_error(b->d, n, b->err, "anchors (&name) are not supported");
        *out = n;
        return 0;
    }
    case YAML_SEQUENCE_START_EVENT:
    case YAML_MAPPING_START_EVENT: {
        bool seq = ev->type == YAML_SEQUENCE_START_EVENT;
        ynode *n = new_node(b, seq ? YNODE_SEQ : YNODE_MAP, ev);
        if (!n)
            return oom(b);
        const yaml_char_t *anchor = seq ? ev->data.sequence_start.anchor
                                        : ev->data.mapping_start.anchor;
        if (anchor)
            return ydoc_error(b->d, n, b->err, "anchors (&name) are not supported");
        if (++b->depth > MAX_DEPTH)
            return ydoc_error(b->d, n, b->err, "nesting deeper than %d levels", MAX_DEPTH);
        int rc = build_collection(b, n, seq ? YAML_SEQUENCE_END_EVENT : YAML_MAPPING_END_EVENT);
        b->depth--;
        *out = n;
        return rc;
    }
    case YAML_ALIAS_EVENT: {
        ynode *n = new_node(b, YNODE_SCALAR, ev);
        if (!n)
            return oom(b);
        return ydoc_error(b->d, n, b->err, "aliases (*name) are not supported: write the value out");
    }
    default:
        return error_set(b->err, PS_ERR_INPUT, "%s:%zu:%zu: unexpected YAML structure",
                         b->d->path, ev->start_mark.line + 1, ev->start_mark.column + 1);
    }
}

int ydoc_load_string(const char *name, const char *text, size_t len, ydoc **out, ps_error *err)
{
    *out = NULL;
    ydoc *d = calloc(1, sizeof *d);
    if (!d || !(d->path = strdup(name))) {
        free(d);
        return error_set(err, PS_ERR_NOMEM, "%s: out of memory", name);
    }
    builder b = {.d = d, .err = err};
    if (!yaml_parser_initialize(&b.parser)) {
        ydoc_free(d);
        return error_set(err, PS_ERR_NOMEM, "%s: cannot initialise the YAML parser", name);
    }
    yaml_parser_set_input_string(&b.parser, (const unsigned char *)text, len);
    int rc = 0;
    bool in_doc = false, seen_doc = false;
    for (;;) {
        yaml_event_t ev;
        if ((rc = next_event(&b, &ev)))
            break;
        yaml_event_type_t t = ev.type;
        if (t == YAML_STREAM_END_EVENT) {
            yaml_event_delete(&ev);
            break;
        }
        if (t == YAML_DOCUMENT_START_EVENT) {
            if (seen_doc) {
                rc = error_set(err, PS_ERR_INPUT, "%s:%zu:%zu: more than one YAML document "
                               "(a second '---'); put one description per file", name,
                               ev.start_mark.line + 1, ev.start_mark.column + 1);
                yaml_event_delete(&ev);
                break;
            }
            in_doc = seen_doc = true;
        } else if (t == YAML_DOCUMENT_END_EVENT) {
            in_doc = false;
        } else if (in_doc && (t == YAML_SCALAR_EVENT || t == YAML_MAPPING_START_EVENT ||
                              t == YAML_SEQUENCE_START_EVENT || t == YAML_ALIAS_EVENT)) {
            rc = build_node(&b, &ev, &d->root);
            if (rc) {
                yaml_event_delete(&ev);
                break;
            }
        }
        yaml_event_delete(&ev);
    }
    yaml_parser_delete(&b.parser);
    if (rc) {
        ydoc_free(d);
        return rc;
    }
    *out = d;
    return 0;
}

int ydoc_load_file(const char *path, ydoc **out, ps_error *err)
{
    *out = NULL;
    FILE *f = fopen(path, "rb");
    if (!f)
        return error_set(err, PS_ERR_IO, "%s: cannot open: %s", path, strerror(errno));
    char *buf = NULL;
    size_t len = 0, cap = 0;
    for (;;) {
        if (len == cap) {
            cap = cap ? cap * 2 : 8192;
            if (cap > (64u << 20)) {
                free(buf);
                fclose(f);
                return error_set(err, PS_ERR_INPUT, "%s: larger than 64 MiB: not a description "
                                 "file", path);
            }
            char *nb = realloc(buf, cap);
            if (!nb) {
                free(buf);
                fclose(f);
                return error_set(err, PS_ERR_NOMEM, "%s: out of memory", path);
            }
            buf = nb;
        }
        size_t got = fread(buf + len, 1, cap - len, f);
        len += got;
        if (got == 0)
            break;
    }
    bool failed = ferror(f);
    fclose(f);
    if (failed) {
        free(buf);
        return error_set(err, PS_ERR_IO, "%s: read error", path);
    }
    int rc = ydoc_load_string(path, buf ? buf : "", len, out, err);
    free(buf);
    return rc;
}

/* ---- reading ---- */

const ynode *ydoc_key(const ynode *map, const char *key)
{
    if (!map || map->kind != YNODE_MAP)
        return NULL;
    for (int k = 0; k < map->n; k++)
        if (!strcmp(map->keys[k]->value, key))
            return map->keys[k];
    return NULL;
}

const ynode *ydoc_get(const ynode *map, const char *key)
{
    if (!map || map->kind != YNODE_MAP)
        return NULL;
    for (int k = 0; k < map->n; k++)
        if (!strcmp(map->keys[k]->value, key))
            return map->items[k];
    return NULL;
}

int ydoc_expect_map(const ydoc *d, const ynode *n, const char *what, ps_error *err)
{
    if (!n || n->kind != YNODE_MAP)
        return ydoc_error(d, n, err, "%s must be a mapping of 'key: value' entries", what);
    return 0;
}

int ydoc_check_keys(const ydoc *d, const ynode *map, const char *const *allowed,
                    const char *what, ps_error *err)
{
    if (ydoc_expect_map(d, map, what, err))
        return err->code;
    for (int k = 0; k < map->n; k++) {
        const char *key = map->keys[k]->value;
        bool known = false;
        for (const char *const *a = allowed; *a && !known; a++)
            known = !strcmp(*a, key);
        if (known)
            continue;
        const char *best = suggest_closest(key, allowed, SUGGEST_NULL_TERMINATED);
        char list[512];
        size_t used = 0;
        list[0] = '\0';
        for (const char *const *a = allowed; *a && used < sizeof list; a++)
            used += (size_t)snprintf(list + used, sizeof list - used, "%s%s",
                                     a == allowed ? "" : ", ", *a);
        if (best)
            return ydoc_error(d, map->keys[k], err, "unknown key '%s' in %s: did you mean '%s'? "
                              "(expected one of: %s)", key, what, best, list);
        return ydoc_error(d, map->keys[k], err, "unknown key '%s' in %s (expected one of: %s)",
                          key, what, list);
    }
    return 0;
}

static int expect_scalar(const ydoc *d, const ynode *n, const char *what, ps_error *err)
{
    if (!n || n->kind != YNODE_SCALAR)
        return ydoc_error(d, n, err, "expected %s, found a %s", what,
                          !n ? "missing value" : n->kind == YNODE_MAP ? "mapping" : "list");
    return 0;
}

int ydoc_quantity(const ydoc *d, const ynode *n, unit_kind kind, double *out, ps_error *err)
{
    if (expect_scalar(d, n, units_expected(kind), err))
        return err->code;
    char why[512];
    if (units_parse(n->value, kind, out, why, sizeof why))
        return ydoc_error(d, n, err, "%s", why);
    return 0;
}

int ydoc_int(const ydoc *d, const ynode *n, int64_t lo, int64_t hi, int64_t *out, ps_error *err)
{
    if (expect_scalar(d, n, "a whole number", err))
        return err->code;
    errno = 0;
    char *end;
    long long v = strtoll(n->value, &end, 10);
    if (end == n->value || *end || errno == ERANGE || v < lo || v > hi)
        return ydoc_error(d, n, err, "'%s' is not a whole number from %lld to %lld", n->value,
                          (long long)lo, (long long)hi);
    *out = v;
    return 0;
}

int ydoc_string(const ydoc *d, const ynode *n, const char **out, ps_error *err)
{
    if (expect_scalar(d, n, "a name", err))
        return err->code;
    *out = n->value;
    return 0;
}

int ydoc_bool(const ydoc *d, const ynode *n, bool *out, ps_error *err)
{
    if (expect_scalar(d, n, "true or false", err))
        return err->code;
    if (!strcmp(n->value, "true") || !strcmp(n->value, "yes") || !strcmp(n->value, "on"))
        *out = true;
    else if (!strcmp(n->value, "false") || !strcmp(n->value, "no") || !strcmp(n->value, "off"))
        *out = false;
    else
        return ydoc_error(d, n, err, "'%s' is not true or false", n->value);
    return 0;
}

/* ---- overrides ---- */

/* Copy tree n into d's arena, marking every node with `origin`. */
static ynode *copy_tree(ydoc *d, const ynode *n, const char *origin)
{
    ynode *c = arena_alloc(d, sizeof *c);
    if (!c)
        return NULL;
    *c = *n;
    c->origin = origin;
    if (n->value && !(c->value = arena_strdup(d, n->value, strlen(n->value))))
        return NULL;
    if (n->n) {
        c->items = arena_alloc(d, (size_t)n->n * sizeof *c->items);
        if (!c->items)
            return NULL;
        if (n->keys && !(c->keys = arena_alloc(d, (size_t)n->n * sizeof *c->keys)))
            return NULL;
        for (int k = 0; k < n->n; k++) {
            if (!(c->items[k] = copy_tree(d, n->items[k], origin)))
                return NULL;
            if (n->keys && !(c->keys[k] = copy_tree(d, n->keys[k], origin)))
                return NULL;
        }
    }
    return c;
}

/* The child of `n` named `seg`: a key of a mapping, or an index / item
 * name of a list; -1 when absent. */
static int child_index(const ynode *n, const char *seg)
{
    if (n->kind == YNODE_MAP) {
        for (int k = 0; k < n->n; k++)
            if (!strcmp(n->keys[k]->value, seg))
                return k;
    } else if (n->kind == YNODE_SEQ) {
        char *end;
        long i = strtol(seg, &end, 10);
        if (*seg && !*end)
            return i >= 0 && i < n->n ? (int)i : -1;
        for (int k = 0; k < n->n; k++) {
            const ynode *nm = ydoc_get(n->items[k], "name");
            if (nm && nm->kind == YNODE_SCALAR && !strcmp(nm->value, seg))
                return k;
        }
    }
    return -1;
}

int ydoc_set(ydoc *d, const char *assignment, ps_error *err)
{
    const char *eq = strchr(assignment, '=');
    if (!eq || eq == assignment)
        return error_set(err, PS_ERR_INPUT, "--set '%s': expected KEY=VALUE (e.g. "
                         "pipelines.detect.source.fps=60fps)", assignment);
    size_t klen = (size_t)(eq - assignment);
    char *origin = arena_alloc(d, klen + 8);
    char *key = arena_alloc(d, klen + 1);
    if (!origin || !key)
        return error_set(err, PS_ERR_NOMEM, "out of memory");
    memcpy(key, assignment, klen);
    key[klen] = '\0';
    snprintf(origin, klen + 8, "--set %s", key);
    ydoc *v;
    const char *value = eq + 1;
    if (ydoc_load_string(origin, value, strlen(value), &v, err))
        return err->code;
    ynode empty = {.kind = YNODE_SCALAR, .value = ""};
    ynode *copy = copy_tree(d, v->root ? v->root : &empty, origin);
    ydoc_free(v);
    if (!copy)
        return error_set(err, PS_ERR_NOMEM, "out of memory");
    if (!d->root) {
        ynode *root = arena_alloc(d, sizeof *root);
        if (!root)
            return error_set(err, PS_ERR_NOMEM, "out of memory");
        root->kind = YNODE_MAP;
        d->root = root;
    }
    ynode *n = d->root;
    for (char *seg = key, *next; seg; seg = next) {
        next = strchr(seg, '.');
        if (next)
            *next++ = '\0';
        if (!*seg)
            return error_set(err, PS_ERR_INPUT, "--set %.*s: empty part in the key", (int)klen,
                             assignment);
        int k = child_index(n, seg);
        if (next) { /* walk on */
            if (k < 0)
                return error_set(err, PS_ERR_INPUT, "--set %.*s: '%s' not found (%s)",
                                 (int)klen, assignment, seg,
                                 n->kind == YNODE_SEQ ? "a list: give an index or an item's name"
                                 : n->kind == YNODE_MAP ? "no such key" : "not a mapping");
            n = n->items[k];
            continue;
        }
        if (k >= 0) { /* replace */
            n->items[k] = copy;
            return 0;
        }
        if (n->kind != YNODE_MAP)
            return error_set(err, PS_ERR_INPUT, "--set %.*s: '%s' is not an item of this list",
                             (int)klen, assignment, seg);
        /* add a key to the mapping */
        ynode **keys = arena_alloc(d, (size_t)(n->n + 1) * sizeof *keys);
        ynode **items = arena_alloc(d, (size_t)(n->n + 1) * sizeof *items);
        ynode *kn = arena_alloc(d, sizeof *kn);
        if (!keys || !items || !kn || !(kn->value = arena_strdup(d, seg, strlen(seg))))
            return error_set(err, PS_ERR_NOMEM, "out of memory");
        kn->kind = YNODE_SCALAR;
        kn->origin = origin;
        if (n->n) {
            memcpy(keys, n->keys, (size_t)n->n * sizeof *keys);
            memcpy(items, n->items, (size_t)n->n * sizeof *items);
        }
        keys[n->n] = kn;
        items[n->n] = copy;
        n->keys = keys, n->items = items;
        n->n++;
    }
    return 0;
}

/* ---- emitting ---- */

typedef struct {
    char *buf;
    size_t len, cap;
    bool failed;
} sbuf;

static void put(sbuf *b, const char *s, size_t n)
{
    if (b->failed)
        return;
    if (b->len + n + 1 > b->cap) {
        size_t cap = b->cap ? b->cap * 2 : 4096;
        while (cap < b->len + n + 1)
            cap *= 2;
        char *nb = realloc(b->buf, cap);
        if (!nb) {
            b->failed = true;
            return;
        }
        b->buf = nb, b->cap = cap;
    }
    memcpy(b->buf + b->len, s, n);
    b->len += n;
    b->buf[b->len] = '\0';
}

static void puts_(sbuf *b, const char *s) { put(b, s, strlen(s)); }

static void indent(sbuf *b, int depth)
{
    for (int i = 0; i < depth; i++)
        puts_(b, "  ");
}

static void emit_scalar(sbuf *b, const ynode *n)
{
    const char *v = n->value ? n->value : "";
    bool plain = *v && !n->quoted && !strpbrk(v, ":#{}[],&*!|>'\"%@`\n\t") && v[0] != ' ' &&
                 v[0] != '-' && v[0] != '?' && v[strlen(v) - 1] != ' ';
    if (plain) {
        puts_(b, v);
        return;
    }
    puts_(b, "\"");
    for (const char *p = v; *p; p++) {
        char esc[8];
        if (*p == '"' || *p == '\\')
            snprintf(esc, sizeof esc, "\\%c", *p);
        else if (*p == '\n')
            snprintf(esc, sizeof esc, "\\n");
        else if ((unsigned char)*p < 0x20)
            snprintf(esc, sizeof esc, "\\x%02x", (unsigned char)*p);
        else
            esc[0] = *p, esc[1] = '\0';
        puts_(b, esc);
    }
    puts_(b, "\"");
}

static void emit_node(sbuf *b, const ynode *n, int depth);

static void emit_flow_or_block(sbuf *b, const ynode *v, int depth)
{
    if (v->kind == YNODE_SCALAR) {
        puts_(b, " ");
        emit_scalar(b, v);
        puts_(b, "\n");
    } else if (v->n == 0) {
        puts_(b, v->kind == YNODE_MAP ? " {}\n" : " []\n");
    } else {
        puts_(b, "\n");
        emit_node(b, v, depth + 1);
    }
}

static void emit_node(sbuf *b, const ynode *n, int depth)
{
    if (n->kind == YNODE_SCALAR) {
        indent(b, depth);
        emit_scalar(b, n);
        puts_(b, "\n");
        return;
    }
    for (int k = 0; k < n->n; k++) {
        indent(b, depth);
        if (n->kind == YNODE_MAP) {
            emit_scalar(b, n->keys[k]);
            puts_(b, ":");
            emit_flow_or_block(b, n->items[k], depth);
        } else {
            puts_(b, "-");
            emit_flow_or_block(b, n->items[k], depth);
        }
    }
}

char *ydoc_emit(const ydoc *d)
{
    sbuf b = {0};
    if (d->root)
        emit_node(&b, d->root, 0);
    else
        puts_(&b, "");
    if (b.failed) {
        free(b.buf);
        return NULL;
    }
    return b.buf;
}
