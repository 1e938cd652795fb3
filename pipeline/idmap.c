#include <string.h>
#include "arena.h"
#include "idmap.h"

void idmap_set_max_load(idmap_t *m, unsigned pct)
{
    m->max_load = pct < 50 ? 50 : pct > 90 ? 90 : pct;
}

static size_t limit(const idmap_t *m, size_t cap)
{
    return cap / 100 * (m->max_load ? m->max_load : 50);
}

uint64_t *idmap_get(const idmap_t *m, uint64_t key)
{
    if (!m->cap)
        return NULL;
    size_t mask = m->cap - 1, i = idmap_slot_of(key, mask);
    for (;;) {
        idslot_t *s = &m->slots[i];
        if (s->key == key)
            return &s->val;
        if (s->key == 0)
            return NULL;
        i = (i + 1) & mask;
    }
}

static int rehash(idmap_t *m, size_t ncap)
{
    idslot_t *ns = mem_calloc(ncap, sizeof *ns);
    if (!ns)
        return -1;
    size_t mask = ncap - 1;
    for (size_t j = 0; j < m->cap; j++) {
        if (!m->slots[j].key)
            continue;
        size_t i = idmap_slot_of(m->slots[j].key, mask);
        while (ns[i].key)
            i = (i + 1) & mask;
        ns[i] = m->slots[j];
    }
    mem_free(m->slots, m->cap * sizeof *m->slots);
    m->slots = ns;
    m->cap = ncap;
    return 0;
}

int idmap_reserve(idmap_t *m, size_t n)
{
    size_t want = 128;
    while (limit(m, want) < n)
        want *= 2;
    return want > m->cap ? rehash(m, want) : 0;
}

uint64_t *idmap_put(idmap_t *m, uint64_t key, uint64_t init, int *added)
{
    if ((!m->cap || m->n + 1 > limit(m, m->cap)) && rehash(m, m->cap ? m->cap * 2 : 128) < 0)
        return NULL;
    size_t mask = m->cap - 1, i = idmap_slot_of(key, mask);
    for (;;) {
        idslot_t *s = &m->slots[i];
        if (s->key == key) {
            *added = 0;
            return &s->val;
        }
        if (s->key == 0)
            break;
        i = (i + 1) & mask;
    }
    m->slots[i].key = key;
    m->slots[i].val = init;
    m->n++;
    *added = 1;
    return &m->slots[i].val;
}

void idmap_free(idmap_t *m)
{
    mem_free(m->slots, m->cap * sizeof *m->slots);
    memset(m, 0, sizeof *m);
}

size_t idmap_bytes(const idmap_t *m) { return m->cap * sizeof(idslot_t); }
