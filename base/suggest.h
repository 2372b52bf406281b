/* "Did you mean": the known name closest to a mistyped one.
 *
 * Every place that rejects a name (a YAML key, a command, an option, a
 * preset, a zoo model, a layer) offers the closest known name through this
 * module, so that every message uses the same distance and the same cut-off.
 *
 * Distance: optimal string alignment (Levenshtein plus swapping two adjacent
 * characters, so "--lenght" is one edit from "--length"), compared without
 * regard to case.  A candidate is offered only when it is close enough to be
 * a typo: distance <= 1 + len/3 of the typed word, or the typed word (3 or
 * more characters besides leading dashes) is a prefix of it ("eyeriss" ->
 * "eyeriss-v1", "--cuts" -> "--cuts-only"); a prefix ranks as one edit.  Names longer than
 * SUGGEST_MAX_LEN are compared on their first SUGGEST_MAX_LEN characters. */
#ifndef PARTSIM_BASE_SUGGEST_H
#define PARTSIM_BASE_SUGGEST_H

#include <stddef.h>

#define SUGGEST_MAX_LEN 128

/* Edit distance between a and b (see above). */
int suggest_distance(const char *a, const char *b);

/* Running search for the closest candidate, for names that are not in an
 * array (graph nodes, folder entries).  `word` must outlive the search; the
 * result points at the offered candidate, which must outlive its use. */
typedef struct {
    const char *word;
    const char *best;
    int best_score; /* 1 for a prefix, else the distance */
    int best_d;
} suggest;

void suggest_init(suggest *s, const char *word);
void suggest_offer(suggest *s, const char *candidate);
/* The closest candidate within the cut-off, or NULL. */
const char *suggest_result(const suggest *s);

/* The closest of n candidates (or of a NULL-terminated list when n is
 * SUGGEST_NULL_TERMINATED) within the cut-off, or NULL. */
#define SUGGEST_NULL_TERMINATED ((size_t)-1)
const char *suggest_closest(const char *word, const char *const *candidates, size_t n);

#endif
