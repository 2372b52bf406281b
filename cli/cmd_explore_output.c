/* What `partsim explore` prints and writes (cli/cmd_explore.h). */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/json.h"
#include "base/monotonic.h"
#include "cli/cmd_explore.h"
#include "sim/explore_tables.h"

/* The optional columns of what is printed. */
static unsigned explore_w_cols(const explore_args *a)
{
    return EXPLORE_COL_CUT_LAYERS | (a->eo.accuracy ? EXPLORE_COL_ACCURACY : 0u);
}

typedef struct {
    const scenario *s;
    const explore_problem *x;
    const explore_result *r;
    table_out *out;
    table_value *row;
    explore_row_text text;
    int next_front;      /* the next front member, by index, to flag */
    bool front_only;
    unsigned cols;       /* EXPLORE_COL_* */
    ps_error *err;
    int rc;
} row_writer;

static int write_row(row_writer *w, const explore_candidate *c, bool front)
{
    explore_tables_row(w->s, w->x, w->r, c, front, w->cols, &w->text, w->row);
    w->rc = table_out_row(w->out, w->row, w->err);
    return w->rc;
}

/* The designs the search evaluated, in index order, to visit (totals only
 * along the enumeration; a visit evaluates the detail it needs). */
typedef struct {
    const explore_result *r;
    explore_visit_fn visit;
    void *ctx;
} met_walk;

static int visit_evaluated(void *ctx, const explore_candidate *c)
{
    met_walk *m = ctx;
    if (c->index >= m->r->evaluated)
        return 1; /* the search was interrupted here: the rest was not evaluated */
    return m->visit(m->ctx, c);
}

static int each_met(const explore_problem *x, const explore_result *r, const explore_met *met,
                    explore_visit_fn visit, void *ctx)
{
    if (!met->recorded) {
        met_walk m = {r, visit, ctx};
        return explore_each(x, visit_evaluated, &m);
    }
    for (int64_t i = 0; i < met->n; i++) {
        explore_candidate c;
        explore_evaluate(x, met->d[i].assign, met->d[i].cuts, &c);
        c.index = met->d[i].index;
        int rc = visit(ctx, &c);
        if (rc)
            return rc;
    }
    return 0;
}

static int visit_write(void *ctx, const explore_candidate *c)
{
    row_writer *w = ctx;
    bool front = w->next_front < w->r->n_front && w->r->front[w->next_front].index == c->index;
    if (front)
        w->next_front++;
    if (w->front_only && !front)
        return 0;
    explore_candidate full; /* the search gives totals: the row shows the detail too */
    explore_evaluate(w->x, c->assign, c->cuts, &full);
    full.index = c->index;
    return write_row(w, &full, front) ? -1 : 0;
}



void cmd_explore_output_progress_tick(search_progress *sp, int64_t every)
{
    if (++sp->seen % every || !sp->progress)
        return;
    double t = monotonic_s() - sp->t0;
    if (t < sp->next_s)
        return;
    double left = t / (double)sp->seen * (sp->total - (double)sp->seen);
    fprintf(stderr, "\rpartsim explore: %.0f of %.0f %s (%.0f %%), %.0f s, about %.0f s left ",
            (double)sp->seen, sp->total, sp->what, 100 * (double)sp->seen / sp->total, t, left);
    sp->next_s = t + 0.5;
    sp->shown = true;
}

void cmd_explore_output_progress_clear(search_progress *sp)
{
    if (sp->shown)
        fprintf(stderr, "\r\033[K");
    sp->shown = false;
}


/* -o FILE: every evaluated candidate with its detail, then the front, the
 * baselines and the counts (sim/explore_file.h). */
typedef struct {
    explore_file *f;
    const explore_problem *x;
    const explore_result *r;
    int next_front;
    bool front_only;
    search_progress *sp;
    ps_error *err;
} file_writer;

static int visit_file(void *ctx, const explore_candidate *c)
{
    file_writer *w = ctx;
    if (cmd_explore_interrupted)
        return -2; /* Ctrl-C while writing: no file */
    cmd_explore_output_progress_tick(w->sp, 4096);
    bool front = w->next_front < w->r->n_front && w->r->front[w->next_front].index == c->index;
    if (front)
        w->next_front++;
    if (w->front_only && !front)
        return 0;
    explore_candidate full;
    explore_evaluate(w->x, c->assign, c->cuts, &full);
    full.index = c->index;
    return explore_file_candidate(w->f, w->r, &full, front, w->err) ? -1 : 0;
}

/* The rows of the validation table (n x spec columns); texts[] holds their strings. */
static table_value *validation_rows(const scenario *s, const explore_problem *x,
                                    const explore_validation *v, const table_spec *spec,
                                    explore_row_text **texts)
{
    table_value *rows = calloc((size_t)v->n * (size_t)spec->n + 1, sizeof *rows);
    *texts = calloc((size_t)v->n + 1, sizeof **texts);
    if (!rows || !*texts) {
        free(rows), free(*texts);
        *texts = NULL;
        return NULL;
    }
    for (int i = 0; i < v->n; i++)
        explore_tables_validation_row(s, x, &v->points[i], &v->sims[i], v->analytic_rank[i],
                                      v->simulated_rank[i], v->analytic_score[i],
                                      v->simulated_score[i], &(*texts)[i],
                                      rows + (size_t)i * (size_t)spec->n);
    return rows;
}

static int write_validation(explore_file *f, const explore_problem *x,
                            const explore_validation *v, ps_error *err)
{
    table_spec spec;
    if (explore_tables_validation(&spec, err))
        return err->code;
    explore_row_text *texts;
    table_value *rows = validation_rows(explore_problem_scenario(x), x, v, &spec, &texts);
    int rc = rows ? explore_file_rows(f, "validation", &spec, rows, v->n, err)
                  : error_set(err, PS_ERR_NOMEM, "out of memory");
    free(rows), free(texts);
    table_spec_free(&spec);
    return rc;
}

int cmd_explore_output_write_file(explore_file *f, const explore_args *a,
                                  const explore_problem *x, const explore_result *r,
                                  const explore_outcome *out, const explore_validation *v,
                                  bool progress, ps_error *err)
{
    search_progress sp = {.what = "candidates written", .t0 = monotonic_s(), .next_s = 1,
                          .total = (double)r->evaluated, .progress = progress};
    file_writer w = {f, x, r, 0, a->front_only, &sp, err};
    bool nsga2 = out->search == SEARCH_NSGA2;
    explore_file_summary sum = {.search = nsga2 ? "nsga2" : "exact",
                                .evaluation_s = out->eval_s,
                                .seed = nsga2 ? (int64_t)a->nsga2.seed : 0,
                                .population = nsga2 ? a->nsga2.population : 0,
                                .generations = nsga2 ? a->nsga2.generations : 0,
                                .hypervolume_ratio = out->hypervolume_ratio};
    int rc = each_met(x, r, out->met, visit_file, &w);
    cmd_explore_output_progress_clear(&sp);
    int *order = rc == -1 || rc == -2 ? NULL : cmd_explore_output_front_order(x, r);
    if (rc == -2)
        error_set(err, PS_ERR_INPUT, "interrupted while writing %s: no file written",
                  explore_file_path(f));
    else if (rc != -1 && !order)
        error_set(err, PS_ERR_NOMEM, "out of memory");
    if (!order) {
        explore_file_abort(f);
        return err->code;
    }
    if (v && write_validation(f, x, v, err)) {
        free(order);
        explore_file_abort(f);
        return err->code;
    }
    rc = explore_file_close(f, r, order, &sum, err);
    free(order);
    return rc;
}

/* The front, best weighted sum first. */
int *cmd_explore_output_front_order(const explore_problem *x, const explore_result *r)
{
    int *order = malloc(sizeof(int) * ((size_t)r->n_front + 1));
    double *score = malloc(sizeof(double) * ((size_t)r->n_front + 1));
    if (!order || !score) {
        free(order), free(score);
        return NULL;
    }
    for (int i = 0; i < r->n_front; i++)
        order[i] = i, score[i] = explore_score(x, r, &r->front[i]);
    for (int i = 1; i < r->n_front; i++) /* insertion sort: fronts are small */
        for (int j = i; j > 0 && score[order[j]] < score[order[j - 1]]; j--) {
            int t = order[j];
            order[j] = order[j - 1], order[j - 1] = t;
        }
    free(score);
    return order;
}

static bool in_front(const explore_result *r, const explore_candidate *c)
{
    for (int i = 0; i < r->n_front; i++)
        if (r->front[i].index == c->index)
            return true;
    return false;
}

static int print_rows(row_writer *w, const table_spec *spec, table_format f, json_writer *json,
                      const explore_candidate *const *rows, int n)
{
    w->out = table_out_begin(spec, f, stdout, json, w->err);
    if (!w->out)
        return w->err->code;
    for (int i = 0; i < n && !w->rc; i++)
        write_row(w, rows[i], in_front(w->r, rows[i]));
    table_out_end(w->out, w->err);
    return w->rc;
}

static void print_header(const explore_args *a, const scenario *s, const scn_pipeline *pl,
                         const explore_problem *x, const explore_result *r,
                         const explore_outcome *out)
{
    const int *pos;
    int P = explore_positions(x, &pos), S = explore_stages(x);
    int N = explore_platforms(x);
    printf("scenario %s, pipeline %s: %d stage(s) ", s->name, pl->name, S);
    if (a->eo.n_platforms)
        printf("assigned among %d platform(s) {", N);
    else
        printf("(");
    for (int j = 0; j < N; j++)
        printf("%s%s", j ? a->eo.n_platforms ? ", " : " -> " : "",
               s->nodes[explore_platform_node(x, j)].name);
    printf("%s, %d position(s)%s, ", a->eo.n_platforms ? "}" : ")", P,
           a->eo.single_tensor_only ? " (single-tensor cuts)" : "");
    if (out->search == SEARCH_NSGA2)
        printf("%.0f design(s); NSGA-II (seed %llu, population %d, generations %d) evaluated "
               "%lld distinct one(s) in %.3g ms%s\n", explore_space_size(x),
               (unsigned long long)a->nsga2.seed, a->nsga2.population, a->nsga2.generations,
               (long long)r->evaluated, 1e3 * out->eval_s,
               r->interrupted ? " (interrupted)" : "");
    else
        printf("%lld candidate(s) in %.3g ms%s\n", (long long)r->evaluated, 1e3 * out->eval_s,
               r->interrupted ? " (interrupted: the rest was not evaluated)" : "");
    if (out->search == SEARCH_NSGA2 && !isnan(out->hypervolume_ratio))
        printf("hypervolume: %.4f of the exact front's (%d point(s); the exact search took "
               "%.3g ms)\n", out->hypervolume_ratio, out->exact_front, 1e3 * out->exact_s);
    else if (out->search == SEARCH_NSGA2)
        printf("hypervolume: not compared with the exact front (%s)\n",
               explore_space_size(x) > EXPLORE_AUTO_EXACT_MAX
                   ? "over 1e8 candidates: too many to enumerate"
                   : "interrupted");
    printf("constraints:");
    int shown = 0;
    for (int k = 0; k < EXPLORE_N_CONSTRAINTS; k++)
        if (r->removed[k])
            printf("%s %s removed %lld", shown++ ? "," : "", explore_constraint_name(k),
                   (long long)r->removed[k]);
    printf("%s; %lld feasible\n", shown ? "" : " none removed anything", (long long)r->feasible);
    printf("objectives:");
    for (int o = 0; o < EXPLORE_N_OBJECTIVES; o++)
        if (a->eo.objectives & (1u << o))
            printf(" %s (weight %g)", explore_objective_name(o), a->eo.weights[o]);
    printf("; memory model %s\n", explore_memory_model_name(a->eo.memory));
}

/* --validate: the table, then how the two rankings differ. */
static int print_validation(const scenario *s, const explore_problem *x,
                            const explore_validation *v, table_format f, json_writer *json,
                            ps_error *err)
{
    table_spec spec;
    if (explore_tables_validation(&spec, err))
        return err->code;
    explore_row_text *texts;
    table_value *rows = validation_rows(s, x, v, &spec, &texts);
    int rc = rows ? 0 : error_set(err, PS_ERR_NOMEM, "out of memory");
    int moved = 0, ok = 0, best_sim = -1;
    for (int i = 0; i < v->n; i++) {
        ok += v->sims[i].ok;
        moved += v->sims[i].ok && v->simulated_rank[i] != v->analytic_rank[i];
        if (v->sims[i].ok && (best_sim < 0 || v->simulated_rank[i] < v->simulated_rank[best_sim]))
            best_sim = i;
    }
    if (!rc && f == TABLE_JSON) {
        json_key(json, "validation");
        json_object_begin(json);
        json_key(json, "simulated"), json_int(json, ok);
        json_key(json, "rank_changes"), json_int(json, moved);
        json_key(json, "kendall_tau"), json_number(json, v->kendall_tau);
        json_key(json, "points");
    } else if (!rc) {
        const scn_pipeline *pl = &s->pipelines[explore_problem_options(x)->pipeline];
        char span[64];
        if (s->duration_s > 0)
            snprintf(span, sizeof span, "%g s simulated", s->duration_s);
        else
            snprintf(span, sizeof span, "%lld frame(s) per camera", (long long)pl->frames);
        printf("\nvalidation in the simulator (%d camera(s), %s; ranks by the weighted sum, "
               "1 = best):\n", pl->n_sources, span);
    }
    if (!rc) {
        table_out *t = table_out_begin(&spec, f, stdout, json, err);
        for (int i = 0; t && !rc && i < v->n; i++)
            rc = table_out_row(t, rows + (size_t)i * (size_t)spec.n, err);
        rc = t ? rc : (int)err->code;
        if (t)
            table_out_end(t, err);
    }
    if (!rc && f == TABLE_JSON) {
        json_object_end(json);
    } else if (!rc) {
        for (int i = 0; i < v->n; i++)
            if (!v->sims[i].ok)
                printf("design %d (cuts %s): %s\n", v->analytic_rank[i], texts[i].cuts,
                       v->sims[i].error);
        if (ok < 2)
            printf("ranking: fewer than two designs simulated, nothing to compare\n");
        else if (moved == 0)
            printf("ranking: the simulation keeps the analytic order (Kendall tau %.3f)\n",
                   v->kendall_tau);
        else
            printf("ranking: %d of %d design(s) change rank in the simulation (Kendall tau %.3f);"
                   " the simulated best is analytic #%d (cuts %s on %s)\n", moved, ok,
                   v->kendall_tau, v->analytic_rank[best_sim], texts[best_sim].cuts,
                   texts[best_sim].platforms);
    }
    free(rows), free(texts);
    table_spec_free(&spec);
    return rc;
}

int cmd_explore_output_report(const explore_args *a, const scenario *s, const scn_pipeline *pl,
                              const explore_problem *x, explore_result *r,
                              const explore_outcome *out, const explore_validation *v,
                              ps_error *err)
{
    table_spec spec;
    int S = explore_stages(x), N = explore_platforms(x);
    if (explore_tables_candidates(&spec, S, explore_w_cols(a), err))
        return err->code;
    table_value *row = calloc((size_t)spec.n, sizeof *row);
    row_writer w = {.s = s, .x = x, .r = r, .row = row, .front_only = a->front_only,
                    .cols = explore_w_cols(a), .err = err};
    int *order = cmd_explore_output_front_order(x, r);
    const explore_candidate **rows = malloc(sizeof *rows * ((size_t)r->n_front + (size_t)N + 1));
    int rc = row && order && rows ? 0 : error_set(err, PS_ERR_NOMEM, "out of memory");
    if (!rc && a->format == TABLE_CSV) {
        w.out = table_out_begin(&spec, TABLE_CSV, stdout, NULL, err);
        rc = w.out ? each_met(x, r, out->met, visit_write, &w) : (int)err->code;
        rc = w.rc ? w.rc : rc > 0 ? 0 : rc; /* an interrupt keeps what was written */
        table_out_end(w.out, err);
    } else if (!rc && a->format == TABLE_JSON) {
        json_writer jw;
        json_init(&jw, stdout, 2);
        json_object_begin(&jw);
        json_key(&jw, "scenario"), json_string(&jw, s->name);
        json_key(&jw, "pipeline"), json_string(&jw, pl->name);
        json_key(&jw, "evaluated"), json_int(&jw, r->evaluated);
        json_key(&jw, "feasible"), json_int(&jw, r->feasible);
        json_key(&jw, "interrupted"), json_bool(&jw, r->interrupted);
        json_key(&jw, "evaluation_s"), json_number(&jw, out->eval_s);
        json_key(&jw, "space"), json_number(&jw, explore_space_size(x));
        json_key(&jw, "search");
        json_object_begin(&jw);
        bool nsga2 = out->search == SEARCH_NSGA2;
        json_key(&jw, "method"), json_string(&jw, nsga2 ? "nsga2" : "exact");
        if (nsga2) {
            json_key(&jw, "seed"), json_int(&jw, (int64_t)a->nsga2.seed);
            json_key(&jw, "population"), json_int(&jw, a->nsga2.population);
            json_key(&jw, "generations"), json_int(&jw, a->nsga2.generations);
            json_key(&jw, "hypervolume_ratio");
            if (isnan(out->hypervolume_ratio))
                json_null(&jw);
            else
                json_number(&jw, out->hypervolume_ratio);
            json_key(&jw, "exact_front"), json_int(&jw, out->exact_front);
        }
        json_object_end(&jw);
        json_key(&jw, "constraints");
        json_object_begin(&jw);
        for (int k = 0; k < EXPLORE_N_CONSTRAINTS; k++)
            json_key(&jw, explore_constraint_name(k)), json_int(&jw, r->removed[k]);
        json_object_end(&jw);
        json_key(&jw, "baselines");
        for (int j = 0; j < N; j++)
            rows[j] = &r->single[j];
        rc = print_rows(&w, &spec, TABLE_JSON, &jw, rows, N);
        json_key(&jw, "front");
        for (int i = 0; i < r->n_front; i++)
            rows[i] = &r->front[order[i]];
        rc = rc ? rc : print_rows(&w, &spec, TABLE_JSON, &jw, rows, r->n_front);
        json_key(&jw, "pick");
        if (!rc && r->pick >= 0) {
            explore_tables_row(s, x, r, &r->front[r->pick], true, w.cols, &w.text, row);
            table_json_object(&jw, &spec, row);
        } else {
            json_null(&jw);
        }
        if (!rc && v)
            rc = print_validation(s, x, v, TABLE_JSON, &jw, err);
        json_key(&jw, "candidates");
        if (!rc) {
            w.out = table_out_begin(&spec, TABLE_JSON, stdout, &jw, err);
            rc = w.out ? each_met(x, r, out->met, visit_write, &w) : (int)err->code;
            rc = w.rc ? w.rc : rc > 0 ? 0 : rc;
            table_out_end(w.out, err);
        }
        json_object_end(&jw);
        printf("\n");
    } else if (!rc) {
        print_header(a, s, pl, x, r, out);
        printf("\nbaselines (everything on one platform):\n");
        for (int j = 0; j < N; j++)
            rows[j] = &r->single[j];
        rc = print_rows(&w, &spec, TABLE_TEXT, NULL, rows, N);
        int n = r->n_front < a->top ? r->n_front : a->top;
        printf("\nPareto front: %d point(s), best weighted sum first%s (gains over the best "
               "single platform in each objective):\n", r->n_front,
               n < r->n_front ? "; --top shows more" : "");
        for (int i = 0; i < n; i++)
            rows[i] = &r->front[order[i]];
        rc = rc ? rc : print_rows(&w, &spec, TABLE_TEXT, NULL, rows, n);
        if (!rc && r->pick >= 0) {
            explore_tables_row(s, x, r, &r->front[r->pick], true, w.cols, &w.text, row);
            if (S > 1)
                printf("\npick (weighted sum): cuts %s (after %s) on %s\n", w.text.cuts,
                       w.text.cut_layers, w.text.platforms);
            else
                printf("\npick: the one design, everything on %s\n", w.text.platforms);
        } else if (!rc && r->n_front == 0) {
            printf("\nno feasible candidate: relax a constraint\n");
        }
        if (!rc && v)
            rc = print_validation(s, x, v, TABLE_TEXT, NULL, err);
    }
    free(rows), free(order), free(row);
    table_spec_free(&spec);
    return rc;
}
