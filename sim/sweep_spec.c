/* The values a sweep varies: --vary texts parsed into axes, the points of
 * their grid or zip, and the spec as one line (sim/sweep_spec.h). */
#include "sim/sweep_spec.h"

#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "platforms/units.h"

/* Relative slack when deciding whether a range reaches STOP: (STOP - START)
 * / STEP computed in doubles is 9.999999999999998 for "0:1:0.1". */
#define REACH_TOL 1e-9

/* The SI unit units_parse converts each kind to. */
static const char *si_unit(unit_kind k)
{
    switch (k) {
    case UNIT_NONE: return "";
    case UNIT_BYTES: return "B";
    case UNIT_HZ: return "Hz";
    case UNIT_BYTES_PER_S: return "B/s";
    case UNIT_BITS_PER_S: return "bit/s";
    case UNIT_SECONDS: return "s";
    case UNIT_JOULES: return "J";
    case UNIT_WATTS: return "W";
    case UNIT_METERS: return "m";
    case UNIT_FARADS: return "F";
    case UNIT_VOLTS: return "V";
    case UNIT_MACS_PER_S: return "MAC/s";
    case UNIT_FPS: return "1/s";
    case UNIT_NANOMETERS: return "nm"; /* units_parse keeps technology nodes in nm */
    case UNIT_COUNT_KINDS: break;
    }
    return NULL;
}

static bool ends_with(const char *s, size_t len, const char *tail)
{
    size_t t = strlen(tail);
    return len >= t && !memcmp(s + len - t, tail, t);
}

/* A number at the start of text (after spaces): its value, the spaces after
 * it and the unit suffix (trailing spaces dropped).  strtod's "inf", "nan"
 * and hex forms are not numbers a user writes in a scenario. */
typedef struct {
    double number;
    const char *sep; /* the spaces between number and suffix */
    size_t sep_len;
    const char *suffix;
    size_t suffix_len;
} quantity_text;

static bool split_quantity(const char *text, quantity_text *q)
{
    const char *p = text;
    while (isspace((unsigned char)*p))
        p++;
    errno = 0;
    char *end;
    q->number = strtod(p, &end);
    if (end == p || errno == ERANGE || !isfinite(q->number))
        return false;
    for (const char *c = p; c < end; c++)
        if (!strchr("0123456789.+-eE", *c))
            return false;
    q->sep = end;
    while (isspace((unsigned char)*end))
        end++;
    q->sep_len = (size_t)(end - q->sep);
    q->suffix = end;
    q->suffix_len = strlen(end);
    while (q->suffix_len > 0 && isspace((unsigned char)end[q->suffix_len - 1]))
        q->suffix_len--;
    if (q->suffix_len == 0)
        q->sep_len = 0;
    return true;
}

/* The kind the unit's spelling names where several kinds accept it: rate
 * units parse as bytes and as bits per second, Hz as frequency and as fps. */
static unit_kind named_kind(const char *text)
{
    quantity_text q;
    if (!split_quantity(text, &q) || q.suffix_len == 0)
        return UNIT_COUNT_KINDS;
    const char *s = q.suffix;
    size_t n = q.suffix_len;
    if (ends_with(s, n, "bps") || ends_with(s, n, "b/s") || ends_with(s, n, "bit/s"))
        return UNIT_BITS_PER_S;
    if (ends_with(s, n, "B/s"))
        return UNIT_BYTES_PER_S;
    if (ends_with(s, n, "Hz"))
        return UNIT_HZ;
    if (ends_with(s, n, "fps"))
        return UNIT_FPS;
    return UNIT_COUNT_KINDS;
}

/* The kinds to try, in order: a plain number first, then the kind the
 * text's unit names, then the rest. */
static int kind_order(const char *text, unit_kind order[UNIT_COUNT_KINDS])
{
    unit_kind named = named_kind(text);
    int n = 0;
    order[n++] = UNIT_NONE;
    if (named != UNIT_COUNT_KINDS && named != UNIT_NONE)
        order[n++] = named;
    for (int k = 1; k < UNIT_COUNT_KINDS; k++)
        if ((unit_kind)k != named)
            order[n++] = (unit_kind)k;
    return n;
}

static bool all_parse(char *const *texts, int n, unit_kind kind, double *si)
{
    char why[256];
    double v;
    for (int i = 0; i < n; i++) {
        if (units_parse(texts[i], kind, si ? &si[i] : &v, why, sizeof why))
            return false;
    }
    return true;
}

/* The growing list of an axis's value texts. */
typedef struct {
    char **v;
    int n, cap;
} text_list;

static void text_list_free(text_list *l)
{
    for (int i = 0; i < l->n; i++)
        free(l->v[i]);
    free(l->v);
    memset(l, 0, sizeof *l);
}

/* Takes ownership of text (freed on failure). */
static bool text_list_push(text_list *l, char *text)
{
    if (!text)
        return false;
    if (l->n == l->cap) {
        int cap = l->cap ? 2 * l->cap : 16;
        char **v = realloc(l->v, (size_t)cap * sizeof *v);
        if (!v) {
            free(text);
            return false;
        }
        l->v = v;
        l->cap = cap;
    }
    l->v[l->n++] = text;
    return true;
}

static char *dup_span(const char *p, size_t len)
{
    char *s = malloc(len + 1);
    if (s) {
        memcpy(s, p, len);
        s[len] = '\0';
    }
    return s;
}

#define NOMEM(err) error_set(err, PS_ERR_NOMEM, "out of memory")

/* The next comma outside {...} and [...] (a value may be a YAML flow
 * mapping or list: "{preset: wifi-n, rate: 5 Mbps}"), NULL when none. */
static const char *top_comma(const char *p)
{
    int depth = 0;
    for (; *p; p++) {
        if (*p == '{' || *p == '[')
            depth++;
        else if ((*p == '}' || *p == ']') && depth > 0)
            depth--;
        else if (*p == ',' && depth == 0)
            return p;
    }
    return NULL;
}

/* "a, b,c": entries trimmed, none empty. */
static int parse_list(const char *vary, const char *spec, text_list *out, ps_error *err)
{
    const char *p = spec;
    for (int entry = 1;; entry++) {
        const char *comma = top_comma(p);
        const char *end = comma ? comma : p + strlen(p);
        while (p < end && isspace((unsigned char)*p))
            p++;
        const char *e = end;
        while (e > p && isspace((unsigned char)e[-1]))
            e--;
        if (e == p)
            return error_set(err, PS_ERR_INPUT,
                             "--vary '%s': value %d is empty; expected KEY=V1,V2,... with no "
                             "empty value",
                             vary, entry);
        if (out->n >= SWEEP_SPEC_MAX_VALUES)
            return error_set(err, PS_ERR_INPUT, "--vary '%s': more than %d values on one axis",
                             vary, SWEEP_SPEC_MAX_VALUES);
        if (!text_list_push(out, dup_span(p, (size_t)(e - p))))
            return NOMEM(err);
        if (!comma)
            return 0;
        p = comma + 1;
    }
}

/* A range value in START's unit: integers without a decimal point, others
 * with 10 significant digits, so that 0.1 steps print as "0.3". */
static char *range_text(double v, const quantity_text *start)
{
    char num[64];
    if (v == floor(v) && fabs(v) < 1e15)
        snprintf(num, sizeof num, "%.0f", v);
    else
        snprintf(num, sizeof num, "%.10g", v);
    size_t n = strlen(num), len = n + start->sep_len + start->suffix_len;
    char *s = malloc(len + 1);
    if (s) {
        memcpy(s, num, n);
        memcpy(s + n, start->sep, start->sep_len);
        memcpy(s + n + start->sep_len, start->suffix, start->suffix_len);
        s[len] = '\0';
    }
    return s;
}

/* The number of values of a range whose last step is k steps from START:
 * STOP counts when reached up to rounding. */
static int64_t range_count(double k)
{
    return (int64_t)floor(k + REACH_TOL * fmax(1.0, k)) + 1;
}

/* "START:STOP:STEP" or "START:STOP:xFACTOR". */
static int parse_range(const char *vary, const char *spec, text_list *out, ps_error *err)
{
    const char *c1 = strchr(spec, ':'), *c2 = c1 ? strchr(c1 + 1, ':') : NULL;
    if (!c1 || !c2 || strchr(c2 + 1, ':'))
        return error_set(err, PS_ERR_INPUT,
                         "--vary '%s': expected KEY=START:STOP:STEP or KEY=START:STOP:xFACTOR "
                         "(three parts), or a list KEY=V1,V2,...",
                         vary);
    char *part[3] = {dup_span(spec, (size_t)(c1 - spec)), dup_span(c1 + 1, (size_t)(c2 - c1 - 1)),
                     strdup(c2 + 1)};
    static const char *const name[3] = {"START", "STOP", "STEP"};
    int rc = 0;
    if (!part[0] || !part[1] || !part[2]) {
        rc = NOMEM(err);
        goto done;
    }
    /* the step as written, spaces dropped, to tell a factor from a step */
    const char *step_text = part[2];
    while (isspace((unsigned char)*step_text))
        step_text++;
    bool geometric = *step_text == 'x';
    quantity_text q[3];
    for (int i = 0; i < 3; i++) {
        const char *t = (i == 2 && geometric) ? step_text + 1 : part[i];
        if (!split_quantity(t, &q[i])) {
            rc = error_set(err, PS_ERR_INPUT,
                           "--vary '%s': %s '%s' is not a number; expected "
                           "KEY=START:STOP:%s with numbers of one kind of quantity",
                           vary, geometric && i == 2 ? "FACTOR" : name[i], t,
                           geometric ? "xFACTOR" : "STEP");
            goto done;
        }
    }

    if (geometric && q[2].suffix_len > 0) {
        rc = error_set(err, PS_ERR_INPUT,
                       "--vary '%s': FACTOR '%s' has a unit; expected a plain number after 'x'",
                       vary, step_text + 1);
        goto done;
    }

    /* the first kind START, STOP and an arithmetic STEP all parse as */
    unit_kind order[UNIT_COUNT_KINDS];
    int n_order = kind_order(part[0], order);
    unit_kind kind = UNIT_COUNT_KINDS;
    double si[3] = {0, 0, 0};
    int n_dim = geometric ? 2 : 3;
    for (int o = 0; o < n_order && kind == UNIT_COUNT_KINDS; o++)
        if (all_parse(part, n_dim, order[o], si))
            kind = order[o];
    if (kind == UNIT_COUNT_KINDS) {
        /* say which part does not match START's kind */
        char why[256];
        unit_kind ks = UNIT_COUNT_KINDS;
        double v;
        for (int o = 0; o < n_order && ks == UNIT_COUNT_KINDS; o++)
            if (!units_parse(part[0], order[o], &v, why, sizeof why))
                ks = order[o];
        int bad = 1;
        if (ks != UNIT_COUNT_KINDS && !units_parse(part[1], ks, &v, why, sizeof why))
            bad = 2;
        if (ks == UNIT_COUNT_KINDS)
            rc = error_set(err, PS_ERR_INPUT,
                           "--vary '%s': START '%s' is not a number or a quantity with a known "
                           "unit; expected KEY=START:STOP:STEP such as 1ms:4ms:1ms",
                           vary, part[0]);
        else
            rc = error_set(err, PS_ERR_INPUT,
                           "--vary '%s': START, STOP and STEP must be numbers of one kind of "
                           "quantity; START is '%s', so %s '%s' should be %s",
                           vary, part[0], name[bad], part[bad], units_expected(ks));
        goto done;
    }
    /* work in START's unit, so that the values print in it */
    double scale = 1.0;
    if (q[0].suffix_len > 0) {
        char one[64], why[256];
        snprintf(one, sizeof one, "1%.*s", (int)q[0].suffix_len, q[0].suffix);
        if (units_parse(one, kind, &scale, why, sizeof why) || !(scale > 0)) {
            rc = error_set(err, PS_ERR_INTERNAL, "--vary '%s': the unit of START: %s", vary, why);
            goto done;
        }
    }
    double start = q[0].number, stop = si[1] / scale;
    double k; /* steps from START to STOP */
    if (geometric) {
        double f = q[2].number;
        if (f <= 0 || f == 1) {
            rc = error_set(err, PS_ERR_INPUT,
                           "--vary '%s': FACTOR %s never reaches STOP; expected xFACTOR with "
                           "FACTOR > 1 (or between 0 and 1 with START > STOP)",
                           vary, step_text + 1);
            goto done;
        }
        if (!(start > 0) || !(stop > 0)) {
            rc = error_set(err, PS_ERR_INPUT,
                           "--vary '%s': a geometric range needs START and STOP greater than 0",
                           vary);
            goto done;
        }
        if ((f > 1 && stop < start) || (f < 1 && stop > start)) {
            rc = error_set(err, PS_ERR_INPUT,
                           "--vary '%s': FACTOR %s goes away from STOP; expected %s", vary,
                           step_text + 1,
                           f > 1 ? "START < STOP with FACTOR > 1, or a FACTOR < 1"
                                 : "START > STOP with FACTOR < 1, or a FACTOR > 1");
            goto done;
        }
        k = start == stop ? 0 : log(stop / start) / log(f);
    } else {
        double step = si[2] / scale;
        if (step == 0) {
            rc = error_set(err, PS_ERR_INPUT,
                           "--vary '%s': STEP is zero; expected a STEP that goes from START to "
                           "STOP",
                           vary);
            goto done;
        }
        if ((stop - start) * step < 0) {
            rc = error_set(err, PS_ERR_INPUT,
                           "--vary '%s': STEP %s goes away from STOP; expected a %s STEP", vary,
                           part[2], stop > start ? "positive" : "negative");
            goto done;
        }
        k = (stop - start) / step;
    }
    if (!isfinite(k) || k >= (double)SWEEP_SPEC_MAX_VALUES) {
        rc = error_set(err, PS_ERR_INPUT,
                       "--vary '%s': more than %d values on one axis; expected a larger %s",
                       vary, SWEEP_SPEC_MAX_VALUES, geometric ? "FACTOR" : "STEP");
        goto done;
    }
    int64_t n = range_count(k);
    if (n == 1 && start != stop) {
        rc = error_set(err, PS_ERR_INPUT,
                       "--vary '%s': the first %s already passes STOP, so the range never "
                       "reaches STOP; expected a %s that fits between START and STOP",
                       vary, geometric ? "FACTOR" : "STEP", geometric ? "FACTOR" : "STEP");
        goto done;
    }

    double step = geometric ? 0 : si[2] / scale;
    for (int64_t i = 0; i < n; i++) {
        double v;
        if (geometric) {
            v = start * pow(q[2].number, (double)i);
            if (fabs(v - stop) <= REACH_TOL * stop)
                v = stop;
        } else {
            v = start + (double)i * step;
            if (fabs(v - stop) <= REACH_TOL * fabs(step) * fmax(1.0, (double)n))
                v = stop;
            if (fabs(v) <= REACH_TOL * fabs(step)) /* -0.3:0.3:0.1 passes 0, not 1e-17 */
                v = 0;
        }
        if (!text_list_push(out, range_text(v, &q[0]))) {
            rc = NOMEM(err);
            goto done;
        }
        if (out->n > 1 && !strcmp(out->v[out->n - 1], out->v[out->n - 2])) {
            rc = error_set(err, PS_ERR_INPUT,
                           "--vary '%s': the %s is too small to print the values apart ('%s' "
                           "twice); expected a larger %s",
                           vary, geometric ? "FACTOR" : "STEP", out->v[out->n - 1],
                           geometric ? "FACTOR" : "STEP");
            goto done;
        }
    }
done:
    for (int i = 0; i < 3; i++)
        free(part[i]);
    return rc;
}

/* The numeric column: the first kind (plain numbers first, then the kind
 * the first value's unit names) that every value parses as. */
static void axis_numeric(sweep_axis *a)
{
    unit_kind order[UNIT_COUNT_KINDS];
    int n_order = kind_order(a->values[0], order);
    for (int o = 0; o < n_order; o++) {
        if (all_parse(a->values, a->n, order[o], a->numeric)) {
            a->unit = si_unit(order[o]);
            return;
        }
    }
    for (int i = 0; i < a->n; i++)
        a->numeric[i] = NAN;
    a->unit = NULL;
}

int sweep_spec_add(sweep_spec *s, const char *vary, ps_error *err)
{
    const char *eq = strchr(vary, '=');
    if (!eq)
        return error_set(err, PS_ERR_INPUT,
                         "--vary '%s': no '='; expected KEY=V1,V2,..., KEY=START:STOP:STEP or "
                         "KEY=START:STOP:xFACTOR",
                         vary);
    if (eq == vary)
        return error_set(err, PS_ERR_INPUT,
                         "--vary '%s': empty key; expected KEY=SPEC with a scenario key such as "
                         "network.links.0.rate",
                         vary);
    size_t key_len = (size_t)(eq - vary);
    for (int i = 0; i < s->n_axes; i++)
        if (strlen(s->axes[i].key) == key_len && !memcmp(s->axes[i].key, vary, key_len))
            return error_set(err, PS_ERR_INPUT,
                             "--vary '%s': the key '%s' is varied twice; expected one --vary "
                             "per key",
                             vary, s->axes[i].key);

    const char *spec = eq + 1;
    text_list values = {0};
    bool range = !top_comma(spec) && strchr(spec, ':') && spec[0] != '{' && spec[0] != '[';
    int rc = range ? parse_range(vary, spec, &values, err) : parse_list(vary, spec, &values, err);
    if (rc) {
        text_list_free(&values);
        return rc;
    }

    sweep_axis a = {.key = dup_span(vary, key_len), .n = values.n, .values = values.v,
                    .numeric = malloc((size_t)values.n * sizeof(double))};
    sweep_axis *axes = realloc(s->axes, (size_t)(s->n_axes + 1) * sizeof *axes);
    if (!a.key || !a.numeric || !axes) {
        if (axes)
            s->axes = axes;
        free(a.key);
        free(a.numeric);
        text_list_free(&values);
        return NOMEM(err);
    }
    axis_numeric(&a);
    s->axes = axes;
    s->axes[s->n_axes++] = a;
    return 0;
}

int sweep_spec_finish(sweep_spec *s, bool zip, int seeds, ps_error *err)
{
    if (s->n_axes == 0)
        return error_set(err, PS_ERR_INPUT,
                         "a sweep needs at least one --vary KEY=SPEC (the values to vary)");
    if (seeds < 1)
        return error_set(err, PS_ERR_INPUT, "--seeds %d: expected a number of seeds >= 1",
                         seeds);
    int64_t combos = 1;
    if (zip) {
        for (int i = 1; i < s->n_axes; i++)
            if (s->axes[i].n != s->axes[0].n)
                return error_set(err, PS_ERR_INPUT,
                                 "--zip pairs the i-th values of every axis, so every --vary "
                                 "needs as many values: '%s' has %d, '%s' has %d",
                                 s->axes[0].key, s->axes[0].n, s->axes[i].key, s->axes[i].n);
        combos = s->axes[0].n;
    } else {
        for (int i = 0; i < s->n_axes; i++) {
            if (combos > SWEEP_SPEC_MAX_POINTS / s->axes[i].n)
                return error_set(err, PS_ERR_INPUT,
                                 "the grid of the --vary options has more than %lld points; "
                                 "expected fewer values (or --zip)",
                                 (long long)SWEEP_SPEC_MAX_POINTS);
            combos *= s->axes[i].n;
        }
    }
    if (combos > SWEEP_SPEC_MAX_POINTS / seeds)
        return error_set(err, PS_ERR_INPUT,
                         "the sweep has %lld combinations x %d seeds, more than %lld points; "
                         "expected fewer values or seeds",
                         (long long)combos, seeds, (long long)SWEEP_SPEC_MAX_POINTS);
    s->zip = zip;
    s->seeds = seeds;
    s->n_combos = combos;
    s->n_points = combos * seeds;
    return 0;
}

void sweep_spec_point(const sweep_spec *s, int64_t p, int *value_index, int *seed)
{
    *seed = (int)(p % s->seeds);
    int64_t c = p / s->seeds;
    if (s->zip) {
        for (int i = 0; i < s->n_axes; i++)
            value_index[i] = (int)c;
        return;
    }
    for (int i = s->n_axes - 1; i >= 0; i--) {
        value_index[i] = (int)(c % s->axes[i].n);
        c /= s->axes[i].n;
    }
}

/* snprintf-style appending: counts what does not fit. */
typedef struct {
    char *buf;
    size_t size, len;
} appender;

static void append(appender *a, const char *text)
{
    size_t n = strlen(text);
    if (a->len + 1 < a->size) {
        size_t room = a->size - 1 - a->len;
        memcpy(a->buf + a->len, text, n < room ? n : room);
    }
    a->len += n;
}

size_t sweep_spec_describe(const sweep_spec *s, char *buf, size_t size)
{
    appender a = {buf, size, 0};
    char seeds[32];
    snprintf(seeds, sizeof seeds, "; seeds %d", s->seeds);
    append(&a, s->zip ? "zip" : "grid");
    append(&a, seeds);
    for (int i = 0; i < s->n_axes; i++) {
        append(&a, "; ");
        append(&a, s->axes[i].key);
        append(&a, "=");
        for (int j = 0; j < s->axes[i].n; j++) {
            if (j)
                append(&a, ",");
            append(&a, s->axes[i].values[j]);
        }
    }
    if (size > 0)
        buf[a.len < size ? a.len : size - 1] = '\0';
    return a.len;
}

void sweep_spec_free(sweep_spec *s)
{
    for (int i = 0; i < s->n_axes; i++) {
        sweep_axis *a = &s->axes[i];
        for (int j = 0; j < a->n; j++)
            free(a->values[j]);
        free(a->values);
        free(a->numeric);
        free(a->key);
    }
    free(s->axes);
    memset(s, 0, sizeof *s);
}
