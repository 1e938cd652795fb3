#include <string.h>
#include "arena.h"
#include "idmap.h"

static inline size_t slot_of(uint64_t key, size_t mask)
{
    /* Fibonacci hashing: the multiply spreads the low digits of an ID
     * (sequence and check) over the high bits, which the shift keeps. */
    return (size_t)((key * 0x9E3779B97F4A7C15ull) >> 20) & mask;
}

uint64_t *idmap_get(const idmap_t *m, uint64_t key)
{
    if (!m->cap)
        return NULL;
    size_t mask = m->cap - 1, i = slot_of(key, mask);
    for (;;) {
        uint64_t k = m->keys[i];
        if (k == key)
            return &m->vals[i];
        if (k == 0)
            return NULL;
        i = (i + 1) & mask;
    }
}

static int rehash(idmap_t *m, size_t ncap)
{
    uint64_t *nk = mem_calloc(ncap, sizeof *nk);
    uint64_t *nv = mem_alloc(ncap * sizeof *nv);
    if (!nk || !nv) {
        mem_free(nk, ncap * sizeof *nk);
        mem_free(nv, ncap * sizeof *nv);
        return -1;
    }
    size_t mask = ncap - 1;
    for (size_t j = 0; j < m->cap; j++) {
        uint64_t k = m->keys[j];
        if (!k)
            continue;
        size_t i = slot_of(k, mask);
        while (nk[i])
            i = (i + 1) & mask;
        nk[i] = k;
        nv[i] = m->vals[j];
    }
    mem_free(m->keys, m->cap * sizeof *m->keys);
    mem_free(m->vals, m->cap * sizeof *m->vals);
    m->keys = nk;
    m->vals = nv;
    m->cap = ncap;
    return 0;
}

int idmap_reserve(idmap_t *m, size_t n)
{
    size_t want = 64;
    while (want < 2 * n)
        want *= 2;
    return want > m->cap ? rehash(m, want) : 0;
}

uint64_t *idmap_put(idmap_t *m, uint64_t key, uint64_t init, int *added)
{
    if (2 * (m->n + 1) > m->cap && rehash(m, m->cap ? m->cap * 2 : 64) < 0)
        return NULL;
    size_t mask = m->cap - 1, i = slot_of(key, mask);
    for (;;) {
        uint64_t k = m->keys[i];
        if (k == key) {
            *added = 0;
            return &m->vals[i];
        }
        if (k == 0)
            break;
        i = (i + 1) & mask;
    }
    m->keys[i] = key;
    m->vals[i] = init;
    m->n++;
    *added = 1;
    return &m->vals[i];
}

void idmap_free(idmap_t *m)
{
    mem_free(m->keys, m->cap * sizeof *m->keys);
    mem_free(m->vals, m->cap * sizeof *m->vals);
    memset(m, 0, sizeof *m);
}

size_t idmap_bytes(const idmap_t *m) { return m->cap * 16; }
