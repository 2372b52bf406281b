/* The per-layer cost table (cost_table.h). */
#include "accel/cost_table.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

static int widest(int w, const char *s)
{
    int n = s ? (int)strlen(s) + 1 : 1;
    return n > w ? n : w;
}

/* Per-part and per-access columns, named from accel/cost.h's names. */
static int add_parts(table_spec *s, const char *format, ps_error *err)
{
    for (int p = 0; p < PART_COUNT; p++)
        if (table_spec_addf(s, (table_column){.type = TABLE_FLOAT, .unit = "J", .format = format},
                            err, "energy_%s_j", cost_part_name((energy_part)p)))
            return err->code;
    for (int l = 0; l < MEM_LEVELS; l++)
        for (int d = 0; d < DATA_TYPES; d++)
            if (table_spec_addf(s, (table_column){.type = TABLE_FLOAT, .format = "%.0f",
                                                  .flags = TABLE_HIDDEN},
                                err, "acc_%s_%s", arch_mem_level_name((mem_level)l),
                                cost_data_name((data_type)d)))
                return err->code;
    return 0;
}

int cost_table_add_columns(table_spec *s, const graph *g, bool searched, ps_error *err)
{
    int w_name = 16, w_op = 16, w_shape = 16;
    char shape[64];
    for (int k = 0; g && k < g->n_nodes; k++) {
        const graph_node *n = &g->nodes[k];
        w_name = widest(w_name, n->name);
        w_op = widest(w_op, n->op);
        w_shape = widest(w_shape, graph_shape_str(graph_output(g, n, 0), shape, sizeof shape));
    }
    int w_map = (int)sizeof ((accel_result *)0)->mapping;
    const table_column cols[] = {
        {"index", TABLE_INT, NULL, NULL, 4, 0},
        {"name", TABLE_STR, NULL, NULL, w_name, 0},
        {"op", TABLE_STR, NULL, NULL, w_op, 0},
        {"kind", TABLE_STR, NULL, NULL, 8, TABLE_HIDDEN},
        {"output_shape", TABLE_STR, NULL, NULL, w_shape, 0},
        {"macs", TABLE_INT, NULL, NULL, 0, 0},
        {"mapping", TABLE_STR, NULL, NULL, w_map, 0},
        {"batch", TABLE_INT, NULL, NULL, 0, TABLE_HIDDEN},
        {"cycles", TABLE_FLOAT, NULL, "%.0f", 0, 0},
        {"compute_cycles", TABLE_FLOAT, NULL, "%.0f", 0, TABLE_HIDDEN},
        {"dram_cycles", TABLE_FLOAT, NULL, "%.0f", 0, TABLE_HIDDEN},
        {"glb_cycles", TABLE_FLOAT, NULL, "%.0f", 0, TABLE_HIDDEN},
        {"latency_s", TABLE_FLOAT, "s", NULL, 0, 0},
        {"bound", TABLE_STR, NULL, NULL, 8, 0},
        {"utilization", TABLE_FLOAT, "1", "%.3f", 0, 0},
        {"energy_j", TABLE_FLOAT, "J", NULL, 0, 0},
        {"dram_bytes", TABLE_FLOAT, "B", "%.0f", 0, TABLE_HIDDEN},
    };
    if (table_spec_add(s, cols, (int)(sizeof cols / sizeof cols[0]), err) ||
        add_parts(s, "%.4g", err))
        return err->code;
    if (!searched)
        return 0;
    const table_column search[] = {
        {"rules_energy_j", TABLE_FLOAT, "J", NULL, 0, TABLE_HIDDEN},
        {"rules_latency_s", TABLE_FLOAT, "s", NULL, 0, TABLE_HIDDEN},
        {"mappings_evaluated", TABLE_INT, NULL, NULL, 0, TABLE_HIDDEN},
        {"gain", TABLE_FLOAT, "1", "%.4f", 0, 0},
    };
    return table_spec_add(s, search, (int)(sizeof search / sizeof search[0]), err);
}

static void cost_cells(const layer_cost *c, table_value *part, table_value *access)
{
    for (int p = 0; p < PART_COUNT; p++)
        part[p].f = c->energy[p];
    for (int l = 0; l < MEM_LEVELS; l++)
        for (int d = 0; d < DATA_TYPES; d++)
            access[l * DATA_TYPES + d].f = c->accesses[l][d];
}

/* The searched objective's fractional gain over the rules' cost. */
static double search_gain(const accel_result *r, rs_search_objective o)
{
    if (!r->searched)
        return 0;
    double before = rs_search_objective_value(o, &r->rules);
    double after = rs_search_objective_value(o, &r->cost);
    return before > 0 ? (before - after) / before : 0;
}

void cost_table_row(const graph *g, const accel_network *net, int k, bool searched,
                    rs_search_objective objective, table_value *row, char *shape,
                    size_t shape_size)
{
    const accel_layer *l = &net->layers[k];
    const accel_result *r = &net->results[k];
    const layer_cost *c = &r->cost;
    row[COST_TABLE_INDEX].i = k + 1;
    row[COST_TABLE_NAME].s = l->name;
    row[COST_TABLE_OP].s = l->op;
    row[COST_TABLE_KIND].s = layer_kind_name(l->kind);
    row[COST_TABLE_OUTPUT_SHAPE].s =
        graph_shape_str(graph_output(g, &g->nodes[l->node], 0), shape, shape_size);
    row[COST_TABLE_MACS].i = (int64_t)llround(c->macs);
    row[COST_TABLE_MAPPING].s = r->mapping;
    row[COST_TABLE_BATCH].i = r->batch;
    row[COST_TABLE_CYCLES].f = c->cycles;
    row[COST_TABLE_COMPUTE_CYCLES].f = c->compute_cycles;
    row[COST_TABLE_DRAM_CYCLES].f = c->dram_cycles;
    row[COST_TABLE_GLB_CYCLES].f = c->glb_cycles;
    row[COST_TABLE_LATENCY_S].f = c->latency_s;
    row[COST_TABLE_BOUND].s = cost_bound_name(c->bound);
    row[COST_TABLE_UTILIZATION].f = c->utilization;
    row[COST_TABLE_ENERGY_J].f = c->energy_j;
    row[COST_TABLE_DRAM_BYTES].f = c->dram_bytes;
    cost_cells(c, &row[COST_TABLE_ENERGY_PART], &row[COST_TABLE_ACCESS]);
    if (!searched)
        return;
    const layer_cost *rules = r->searched ? &r->rules : c;
    row[COST_TABLE_RULES_ENERGY_J].f = rules->energy_j;
    row[COST_TABLE_RULES_LATENCY_S].f = rules->latency_s;
    row[COST_TABLE_MAPPINGS_EVALUATED].i = r->mappings_evaluated;
    row[COST_TABLE_GAIN].f = search_gain(r, objective);
}

int cost_table_totals_spec(table_spec *s, bool searched, ps_error *err)
{
    const table_column cols[] = {
        {"macs", TABLE_INT, NULL, NULL, 0, 0},
        {"cycles", TABLE_FLOAT, NULL, "%.0f", 0, 0},
        {"compute_cycles", TABLE_FLOAT, NULL, "%.0f", 0, 0},
        {"dram_cycles", TABLE_FLOAT, NULL, "%.0f", 0, 0},
        {"glb_cycles", TABLE_FLOAT, NULL, "%.0f", 0, 0},
        {"latency_s", TABLE_FLOAT, "s", NULL, 0, 0},
        {"energy_j", TABLE_FLOAT, "J", NULL, 0, 0},
        {"dram_bytes", TABLE_FLOAT, "B", "%.0f", 0, 0},
    };
    const table_column rates[] = {
        {"frames_per_s", TABLE_FLOAT, "1/s", NULL, 0, 0},
        {"power_w", TABLE_FLOAT, "W", NULL, 0, 0},
        {"chip_power_w", TABLE_FLOAT, "W", NULL, 0, 0},
    };
    const table_column search[] = {
        {"rules_energy_j", TABLE_FLOAT, "J", NULL, 0, 0},
        {"rules_latency_s", TABLE_FLOAT, "s", NULL, 0, 0},
    };
    if (table_spec_add(s, cols, (int)(sizeof cols / sizeof cols[0]), err) ||
        add_parts(s, NULL, err) ||
        table_spec_add(s, rates, (int)(sizeof rates / sizeof rates[0]), err) ||
        (searched && table_spec_add(s, search, (int)(sizeof search / sizeof search[0]), err)))
        return err->code;
    return 0;
}

void cost_table_totals_row(const accel_network *net, bool searched, table_value *row)
{
    const layer_cost *t = &net->total;
    row[COST_TOTAL_MACS].i = (int64_t)llround(t->macs);
    row[COST_TOTAL_CYCLES].f = t->cycles;
    row[COST_TOTAL_COMPUTE_CYCLES].f = t->compute_cycles;
    row[COST_TOTAL_DRAM_CYCLES].f = t->dram_cycles;
    row[COST_TOTAL_GLB_CYCLES].f = t->glb_cycles;
    row[COST_TOTAL_LATENCY_S].f = t->latency_s;
    row[COST_TOTAL_ENERGY_J].f = t->energy_j;
    row[COST_TOTAL_DRAM_BYTES].f = t->dram_bytes;
    cost_cells(t, &row[COST_TOTAL_ENERGY_PART], &row[COST_TOTAL_ACCESS]);
    double T = t->latency_s;
    row[COST_TOTAL_FRAMES_PER_S].f = T > 0 ? 1.0 / T : 0.0;
    row[COST_TOTAL_POWER_W].f = T > 0 ? t->energy_j / T : 0.0;
    row[COST_TOTAL_CHIP_POWER_W].f = T > 0 ? cost_chip_energy_j(t) / T : 0.0;
    if (searched) {
        row[COST_TOTAL_RULES_ENERGY_J].f = net->rules_total.energy_j;
        row[COST_TOTAL_RULES_LATENCY_S].f = net->rules_total.latency_s;
    }
}
