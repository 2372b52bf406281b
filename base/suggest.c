/* "Did you mean" (see suggest.h). */
#include "base/suggest.h"

#include <ctype.h>
#include <string.h>

static size_t capped_len(const char *s)
{
    size_t n = strlen(s);
    return n > SUGGEST_MAX_LEN ? SUGGEST_MAX_LEN : n;
}

static int same(char a, char b)
{
    return tolower((unsigned char)a) == tolower((unsigned char)b);
}

static int min3(int a, int b, int c)
{
    int m = a < b ? a : b;
    return m < c ? m : c;
}

int suggest_distance(const char *a, const char *b)
{
    /* Three rows of the dynamic programme: the transposition looks two back. */
    int rows[3][SUGGEST_MAX_LEN + 1];
    size_t la = capped_len(a), lb = capped_len(b);
    int *back2 = rows[0], *back1 = rows[1], *cur = rows[2];
    for (size_t j = 0; j <= lb; j++)
        back1[j] = (int)j;
    for (size_t i = 1; i <= la; i++) {
        cur[0] = (int)i;
        for (size_t j = 1; j <= lb; j++) {
            int cost = !same(a[i - 1], b[j - 1]);
            cur[j] = min3(back1[j] + 1, cur[j - 1] + 1, back1[j - 1] + cost);
            if (i > 1 && j > 1 && same(a[i - 1], b[j - 2]) && same(a[i - 2], b[j - 1])
                && back2[j - 2] + 1 < cur[j])
                cur[j] = back2[j - 2] + 1;
        }
        int *t = back2;
        back2 = back1;
        back1 = cur;
        cur = t;
    }
    return back1[lb];
}

/* word is the start of candidate, with at least 3 characters besides
 * leading dashes ("--cuts" of "--cuts-only", not "--" of every option) */
static int is_prefix(const char *word, const char *candidate)
{
    size_t n = strlen(word), dashes = strspn(word, "-");
    if (n < dashes + 3 || strlen(candidate) <= n)
        return 0;
    for (size_t i = 0; i < n; i++)
        if (!same(word[i], candidate[i]))
            return 0;
    return 1;
}

void suggest_init(suggest *s, const char *word)
{
    s->word = word;
    s->best = NULL;
    s->best_score = 0;
    s->best_d = 0;
}

void suggest_offer(suggest *s, const char *candidate)
{
    if (!candidate || !*candidate || !s->word)
        return;
    int d = suggest_distance(s->word, candidate);
    int cut = 1 + (int)capped_len(s->word) / 3;
    if (!strcmp(s->word, candidate))
        return; /* the word itself is known: nothing to suggest */
    /* a prefix counts as one edit; ties go to the smaller distance, then to
     * the first offered */
    int score;
    if (is_prefix(s->word, candidate))
        score = 1;
    else if (d <= cut)
        score = d;
    else
        return;
    if (!s->best || score < s->best_score || (score == s->best_score && d < s->best_d)) {
        s->best = candidate;
        s->best_score = score;
        s->best_d = d;
    }
}

const char *suggest_result(const suggest *s) { return s->best; }

const char *suggest_closest(const char *word, const char *const *candidates, size_t n)
{
    suggest s;
    suggest_init(&s, word);
    for (size_t i = 0; candidates && (n == SUGGEST_NULL_TERMINATED ? candidates[i] != NULL : i < n);
         i++)
        suggest_offer(&s, candidates[i]);
    return suggest_result(&s);
}
