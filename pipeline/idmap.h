/* idmap: an open-addressing hash table from ID keys (idnum_t.key, non-zero,
 * < 2^57) to 64-bit values, for the tables the comparison probes once per
 * roster row (registry persons, payments, the roster's own ID set).
 *
 * Why not uthash here (it serves the small tables): its handle costs 56
 * bytes per entry and every probe chases pointers; measured on this machine
 * 10 M uthash lookups take 2.8 s, cache misses dominating
 * (../shared/MEASURED.md). A slot here is 16 bytes, key and value side by
 * side in one flat array, so a probe costs one cache line, and a miss (most
 * roster IDs are in no registry) usually stops at the first empty slot.
 * Keys are spread by a multiplicative hash; probing is linear.
 *
 * Memory: 16 bytes x capacity, capacity a power of two kept above
 * entries / max load: at most half full by default (fast misses, for the
 * tables probed by every roster row), or fuller where the table is mostly
 * inserted into (the roster's ID set: idmap_set_max_load).
 * The table owns its slot array; values are the caller's to interpret. */
#ifndef BIDUI_IDMAP_H
#define BIDUI_IDMAP_H
#include <stddef.h>
#include <stdint.h>

typedef struct {
    uint64_t key;       /* 0 = empty slot */
    uint64_t val;
} idslot_t;

typedef struct {
    idslot_t *slots;
    size_t cap, n;      /* cap a power of two */
    unsigned max_load;  /* percent; 0 means 50 */
} idmap_t;

/* Allow the table to fill to pct percent (50..90) before it doubles. */
void idmap_set_max_load(idmap_t *m, unsigned pct);
/* Pointer to the value of key, or NULL when absent. Valid until the next put. */
uint64_t *idmap_get(const idmap_t *m, uint64_t key);
/* Pointer to the value of key, inserting it with value `init` when absent
 * (*added = 1 then). NULL when out of memory (over --max-memory). */
uint64_t *idmap_put(idmap_t *m, uint64_t key, uint64_t init, int *added);

static inline size_t idmap_slot_of(uint64_t key, size_t mask)
{
    /* Fibonacci hashing: the multiply spreads the low digits of an ID
     * (sequence and check) over the high bits, which the shift keeps. */
    return (size_t)((key * 0x9E3779B97F4A7C15ull) >> 20) & mask;
}

/* Start loading the slot of key into the cache (a probe a few records
 * ahead, so that their cache misses overlap). */
static inline void idmap_prefetch(const idmap_t *m, uint64_t key)
{
    if (m->cap)
        __builtin_prefetch(&m->slots[idmap_slot_of(key, m->cap - 1)]);
}
/* Make room for n entries in all (avoids rehashing while loading). 0 or -1. */
int  idmap_reserve(idmap_t *m, size_t n);
void idmap_free(idmap_t *m);
/* Bytes held by the table. */
size_t idmap_bytes(const idmap_t *m);

#endif
