/* String -> int index (base/strmap.h). */
#include "base/strmap.h"

#include <stdlib.h>
#include <string.h>

static uint32_t hash_of(const char *s)
{
    uint32_t h = 2166136261u; /* FNV-1a, 32 bits */
    for (; *s; s++)
        h = (h ^ (unsigned char)*s) * 16777619u;
    return h;
}

/* The slot of key (hash h) if present, else the empty slot where it goes. */
static strmap_slot *slot_of(const strmap *m, const char *key, uint32_t h)
{
    size_t mask = m->cap - 1;
    for (size_t i = h & mask;; i = (i + 1) & mask) {
        strmap_slot *s = &m->slots[i];
        if (!s->key || (s->hash == h && !strcmp(s->key, key)))
            return s;
    }
}

static int rehash(strmap *m, size_t cap)
{
    strmap_slot *slots = calloc(cap, sizeof *slots);
    if (!slots)
        return -1;
    strmap old = *m;
    m->slots = slots;
    m->cap = cap;
    for (size_t i = 0; i < old.cap; i++)
        if (old.slots[i].key)
            *slot_of(m, old.slots[i].key, old.slots[i].hash) = old.slots[i];
    free(old.slots);
    return 0;
}

int strmap_reserve(strmap *m, size_t n)
{
    size_t cap = m->cap ? m->cap : 16;
    while (cap < 2 * n)
        cap *= 2;
    return cap == m->cap ? 0 : rehash(m, cap);
}

int strmap_add(strmap *m, const char *key, int value)
{
    if (strmap_reserve(m, m->count + 1))
        return -1;
    uint32_t h = hash_of(key);
    strmap_slot *s = slot_of(m, key, h);
    if (s->key)
        return s->value;
    s->key = key;
    s->hash = h;
    s->value = value;
    m->count++;
    return value;
}

int strmap_find(const strmap *m, const char *key)
{
    if (!m->count || !key)
        return -1;
    const strmap_slot *s = slot_of(m, key, hash_of(key));
    return s->key ? s->value : -1;
}

void strmap_free(strmap *m)
{
    free(m->slots);
    m->slots = NULL;
    m->cap = m->count = 0;
}
