/* TEMPORARY: replaced by branch `search` */
#include "accel/rs_search.h"
#include <string.h>
int rs_search(const accel_arch *a, const accel_layer *l, int bits, int64_t batch,
              search_objective obj, rs_mapping *best, layer_cost *best_cost,
              rs_search_stats *st, ps_error *err)
{ (void)obj; st->evaluated = 1; return rowstat_layer_cost(a, l, bits, batch, NULL, best_cost, best, err); }
int search_parse_objective(const char *s, search_objective *out)
{ if (!strcmp(s, "energy")) *out = SEARCH_ENERGY; else if (!strcmp(s, "latency")) *out = SEARCH_LATENCY; else if (!strcmp(s, "edp")) *out = SEARCH_EDP; else return -1; return 0; }
const char *search_objective_name(search_objective o) { return o == SEARCH_ENERGY ? "energy" : o == SEARCH_LATENCY ? "latency" : "edp"; }
