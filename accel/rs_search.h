/* TEMPORARY contract copy (helper branch `search` brings the real one) */
#ifndef PARTSIM_ACCEL_RS_SEARCH_H
#define PARTSIM_ACCEL_RS_SEARCH_H
#include "accel/rowstat.h"
typedef enum { SEARCH_ENERGY, SEARCH_LATENCY, SEARCH_EDP } search_objective;
typedef struct { long evaluated; long valid; } rs_search_stats;
int rs_search(const accel_arch *a, const accel_layer *l, int bits, int64_t batch,
              search_objective obj, rs_mapping *best, layer_cost *best_cost,
              rs_search_stats *st, ps_error *err);
int search_parse_objective(const char *s, search_objective *out);
const char *search_objective_name(search_objective o);
#endif
