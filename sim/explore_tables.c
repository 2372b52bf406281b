/* The table of explored candidates (explore_tables.h). */
#include "sim/explore_tables.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

enum { FIXED = 15, PER_STAGE = 3, PER_TRANSFER = 4 };

int explore_tables_candidates(table_spec *s, int n_stages, unsigned cols, ps_error *err)
{
    static const table_column fixed[FIXED] = {
        {"cuts", TABLE_STR, NULL, NULL, EXPLORE_CUTS_TEXT, 0},
        {"cut_layers", TABLE_STR, NULL, NULL, EXPLORE_CUT_LAYERS_TEXT, TABLE_HIDDEN},
        {"platforms", TABLE_STR, NULL, NULL, EXPLORE_PLATFORMS_TEXT, 0},
        {"latency_s", TABLE_FLOAT, "s", "%.6f", 0, 0},
        {"throughput_fps", TABLE_FLOAT, "1/s", "%.2f", 0, 0},
        {"energy_j", TABLE_FLOAT, "J", "%.6g", 0, 0},
        {"sensor_energy_j", TABLE_FLOAT, "J", "%.6g", 0, 0},
        {"link_bytes", TABLE_FLOAT, "B", "%.0f", 0, 0},
        {"memory_bytes", TABLE_FLOAT, "B", "%.0f", 0, 0},
        {"accuracy", TABLE_FLOAT, "1", "%.4f", 0, 0},
        {"feasible", TABLE_BOOL, NULL, "yes|no", 0, TABLE_HIDDEN},
        {"front", TABLE_BOOL, NULL, "*|", 0, TABLE_HIDDEN},
        {"latency_gain_pct", TABLE_FLOAT, NULL, "%+.1f", 0, 0},
        {"throughput_gain_pct", TABLE_FLOAT, NULL, "%+.1f", 0, 0},
        {"energy_gain_pct", TABLE_FLOAT, NULL, "%+.1f", 0, 0},
    };
    if (n_stages < 1 || n_stages > SCN_MAX_STAGES)
        return error_set(err, PS_ERR_INTERNAL, "explore table: %d stages", n_stages);
    if (table_spec_init(s, "candidates", err))
        return err->code;
    int rc = 0;
    for (int i = 0; i < FIXED && !rc; i++)
        if ((cols & EXPLORE_COL_ACCURACY || strcmp(fixed[i].name, "accuracy")) &&
            (cols & EXPLORE_COL_CUT_LAYERS || strcmp(fixed[i].name, "cut_layers")))
            rc = table_spec_add(s, &fixed[i], 1, err);
    static const char *const stage_field[PER_STAGE] = {"latency_s", "energy_j", "memory_bytes"};
    static const char *const stage_unit[PER_STAGE] = {"s", "J", "B"};
    for (int k = 0; k < n_stages && !rc; k++)
        for (int f = 0; f < PER_STAGE && !rc; f++)
            rc = table_spec_addf(s, (table_column){NULL, TABLE_FLOAT, stage_unit[f], NULL, 0,
                                                   TABLE_HIDDEN},
                                 err, "s%d_%s", k, stage_field[f]);
    static const char *const t_field[PER_TRANSFER] = {"bytes", "time_s", "energy_j", "bps"};
    static const char *const t_unit[PER_TRANSFER] = {"B", "s", "J", "bit/s"};
    for (int k = 0; k <= n_stages && !rc; k++)
        for (int f = 0; f < PER_TRANSFER && !rc; f++)
            rc = table_spec_addf(s, (table_column){NULL, TABLE_FLOAT, t_unit[f], NULL, 0,
                                                   TABLE_HIDDEN},
                                 err, "t%d_%s", k, t_field[f]);
    if (rc)
        table_spec_free(s);
    return rc;
}

static void texts(const scenario *s, const explore_problem *x, const explore_candidate *c,
                  unsigned cols, explore_row_text *t)
{
    int S = explore_stages(x);
    size_t nc = 0, nl = 0, np = 0;
    t->cuts[0] = t->cut_layers[0] = t->platforms[0] = '\0';
    for (int k = 0; k < S - 1; k++) {
        int q = c->cuts[k];
        const char *layer = q == 0 ? "input" : s->g->nodes[s->cuts.sched[q - 1]].name;
        nc += (size_t)snprintf(t->cuts + nc, sizeof t->cuts - nc, "%s%d", k ? ";" : "", q);
        if (cols & EXPLORE_COL_CUT_LAYERS && nl < sizeof t->cut_layers)
            nl += (size_t)snprintf(t->cut_layers + nl, sizeof t->cut_layers - nl, "%s%s",
                                   k ? ";" : "", layer);
    }
    for (int k = 0; k < S && np < sizeof t->platforms; k++) {
        int node = explore_candidate_node(x, c, k);
        if (node >= 0)
            np += (size_t)snprintf(t->platforms + np, sizeof t->platforms - np, "%s%s",
                                   np ? ";" : "", s->nodes[node].name);
    }
}

void explore_tables_row(const scenario *s, const explore_problem *x, const explore_result *r,
                        const explore_candidate *c, bool front, unsigned cols,
                        explore_row_text *text, table_value *row)
{
    texts(s, x, c, cols, text);
    int i = 0;
    row[i++].s = text->cuts;
    if (cols & EXPLORE_COL_CUT_LAYERS)
        row[i++].s = text->cut_layers;
    row[i++].s = text->platforms;
    row[i++].f = c->latency_s;
    row[i++].f = c->period_s > 0 ? 1 / c->period_s : INFINITY;
    row[i++].f = c->energy_j;
    row[i++].f = c->sensor_energy_j;
    row[i++].f = c->link_bytes;
    row[i++].f = c->memory_bytes;
    if (cols & EXPLORE_COL_ACCURACY)
        row[i++].f = c->accuracy;
    row[i++].i = !c->violated;
    row[i++].i = front;
    static const explore_objective gains[3] = {EXPLORE_LATENCY, EXPLORE_THROUGHPUT,
                                               EXPLORE_ENERGY};
    for (int g = 0; g < 3; g++)
        row[i++].f = explore_gain_pct(c, &r->single[r->best_single[gains[g]]], gains[g]);
    int S = explore_stages(x);
    for (int k = 0; k < S; k++) {
        row[i++].f = c->stage_latency_s[k];
        row[i++].f = c->stage_energy_j[k];
        row[i++].f = c->stage_memory_bytes[k];
    }
    for (int k = 0; k <= S; k++) {
        row[i++].f = c->t_bytes[k];
        row[i++].f = c->t_time_s[k];
        row[i++].f = c->t_energy_j[k];
        row[i++].f = c->t_bps[k];
    }
}

static int spec_of(table_spec *s, const char *name, const table_column *cols, int n,
                   ps_error *err)
{
    if (table_spec_init(s, name, err))
        return err->code;
    if (table_spec_add(s, cols, n, err)) {
        table_spec_free(s);
        return err->code;
    }
    return 0;
}

int explore_tables_positions(table_spec *s, ps_error *err)
{
    static const table_column cols[] = {
        {"position", TABLE_INT, NULL, NULL, 4, 0},
        {"layer", TABLE_STR, NULL, NULL, 256, 0},
        {"single_tensor_cut", TABLE_BOOL, NULL, NULL, 0, 0},
    };
    return spec_of(s, "positions", cols, 3, err);
}

int explore_tables_constraints(table_spec *s, ps_error *err)
{
    static const table_column cols[] = {
        {"constraint", TABLE_STR, NULL, NULL, 16, 0},
        {"removed", TABLE_INT, NULL, NULL, 0, 0},
    };
    return spec_of(s, "constraints", cols, 2, err);
}

int explore_tables_summary(table_spec *s, ps_error *err)
{
    static const table_column cols[] = {
        {"scenario", TABLE_STR, NULL, NULL, SCN_NAME, 0},
        {"pipeline", TABLE_STR, NULL, NULL, SCN_NAME, 0},
        {"search", TABLE_STR, NULL, NULL, 16, 0},
        {"evaluated", TABLE_INT, NULL, NULL, 0, 0},
        {"feasible", TABLE_INT, NULL, NULL, 0, 0},
        {"space", TABLE_FLOAT, NULL, "%.0f", 0, 0},
        {"interrupted", TABLE_BOOL, NULL, NULL, 0, 0},
        {"evaluation_s", TABLE_FLOAT, "s", NULL, 0, 0},
        {"seed", TABLE_INT, NULL, NULL, 0, 0},
        {"population", TABLE_INT, NULL, NULL, 0, 0},
        {"generations", TABLE_INT, NULL, NULL, 0, 0},
        {"hypervolume_ratio", TABLE_FLOAT, "1", NULL, 0, 0},
    };
    return spec_of(s, "summary", cols, 12, err);
}

int explore_tables_validation(table_spec *s, ps_error *err)
{
    static const table_column cols[] = {
        {"analytic_rank", TABLE_INT, NULL, NULL, 4, 0},
        {"simulated_rank", TABLE_INT, NULL, NULL, 4, 0},
        {"cuts", TABLE_STR, NULL, NULL, EXPLORE_CUTS_TEXT, 0},
        {"platforms", TABLE_STR, NULL, NULL, EXPLORE_PLATFORMS_TEXT, 0},
        {"latency_s", TABLE_FLOAT, "s", "%.6f", 0, 0},
        {"throughput_fps", TABLE_FLOAT, "1/s", "%.2f", 0, 0},
        {"energy_j", TABLE_FLOAT, "J", "%.6g", 0, 0},
        {"sim_latency_p50_s", TABLE_FLOAT, "s", "%.6f", 0, 0},
        {"sim_latency_p95_s", TABLE_FLOAT, "s", "%.6f", 0, TABLE_HIDDEN},
        {"sim_throughput_fps", TABLE_FLOAT, "1/s", "%.2f", 0, 0},
        {"sim_energy_per_frame_j", TABLE_FLOAT, "J", "%.6g", 0, 0},
        {"sim_frames", TABLE_INT, NULL, NULL, 0, TABLE_HIDDEN},
        {"sim_completed", TABLE_INT, NULL, NULL, 0, TABLE_HIDDEN},
        {"sim_dropped", TABLE_INT, NULL, NULL, 0, 0},
        {"sim_deadline_missed", TABLE_INT, NULL, NULL, 0, TABLE_HIDDEN},
        {"analytic_score", TABLE_FLOAT, NULL, "%.4f", 0, TABLE_HIDDEN},
        {"simulated_score", TABLE_FLOAT, NULL, "%.4f", 0, TABLE_HIDDEN},
        {"error", TABLE_STR, NULL, NULL, 256, TABLE_HIDDEN},
    };
    return spec_of(s, "validation", cols, (int)(sizeof cols / sizeof *cols), err);
}

void explore_tables_validation_row(const scenario *s, const explore_problem *x,
                                   const explore_candidate *c, const explore_sim *sim,
                                   int analytic_rank, int simulated_rank, double analytic_score,
                                   double simulated_score, explore_row_text *text,
                                   table_value *row)
{
    texts(s, x, c, 0, text);
    bool ok = sim->ok;
    int i = 0;
    row[i++].i = analytic_rank;
    row[i++].i = simulated_rank;
    row[i++].s = text->cuts;
    row[i++].s = text->platforms;
    row[i++].f = c->latency_s;
    row[i++].f = c->period_s > 0 ? 1 / c->period_s : INFINITY;
    row[i++].f = c->energy_j;
    row[i++].f = ok ? sim->latency_p50_s : NAN;
    row[i++].f = ok ? sim->latency_p95_s : NAN;
    row[i++].f = ok ? sim->throughput_fps : NAN;
    row[i++].f = ok ? sim->energy_per_frame_j : NAN;
    row[i++].i = sim->frames;
    row[i++].i = sim->completed;
    row[i++].i = sim->dropped;
    row[i++].i = sim->deadline_missed;
    row[i++].f = analytic_score;
    row[i++].f = simulated_score;
    row[i++].s = ok ? "" : sim->error;
}
