/* idmap: an open-addressing hash table from ID keys (idnum_t.key, non-zero,
 * < 2^57) to 64-bit values, for the tables the comparison probes once per
 * roster row (registry persons, payments, the roster's own ID set).
 *
 * Why not uthash here (it serves the small tables): its handle costs 56
 * bytes per entry and every probe chases pointers; measured on this machine
 * 10 M uthash lookups take 2.8 s, cache misses dominating
 * (../shared/MEASURED.md). A slot here is 16 bytes in one flat array, kept at
 * most half full, so a miss (most roster IDs are in no registry) usually
 * touches one cache line. Keys are already spread by a multiplicative hash.
 *
 * Memory: 16 bytes x capacity, capacity = next power of two >= 2 x entries.
 * The table owns its slot array; values are the caller's to interpret. */
#ifndef BIDUI_IDMAP_H
#define BIDUI_IDMAP_H
#include <stddef.h>
#include <stdint.h>

typedef struct {
    uint64_t *keys;     /* 0 = empty slot */
    uint64_t *vals;
    size_t cap, n;      /* cap a power of two */
} idmap_t;

/* Pointer to the value of key, or NULL when absent. Valid until the next put. */
uint64_t *idmap_get(const idmap_t *m, uint64_t key);
/* Pointer to the value of key, inserting it with value `init` when absent
 * (*added = 1 then). NULL when out of memory (over --max-memory). */
uint64_t *idmap_put(idmap_t *m, uint64_t key, uint64_t init, int *added);
/* Make room for n entries in all (avoids rehashing while loading). 0 or -1. */
int  idmap_reserve(idmap_t *m, size_t n);
void idmap_free(idmap_t *m);
/* Bytes held by the table. */
size_t idmap_bytes(const idmap_t *m);

#endif
