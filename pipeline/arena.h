/* Arena: a bump allocator for what a run keeps (registry persons' strings,
 * payments' strings, interned names). Everything in an arena is freed at
 * once by arena_free(); nothing in it is freed singly. This is what keeps the
 * hot path free of per-row malloc/free.
 *
 * All allocations of a run are also counted against one memory cap
 * (mem_set_cap, --max-memory): a run that reaches it fails with a clear
 * message instead of being killed by the kernel. */
#ifndef BIDUI_ARENA_H
#define BIDUI_ARENA_H
#include <stddef.h>

typedef struct arena_chunk arena_chunk;
typedef struct {
    arena_chunk *head;
    size_t used;        /* bytes handed out (for the memory report) */
} arena_t;

/* Returns NULL when out of memory or over the cap. */
void *arena_alloc(arena_t *a, size_t n);
/* Copy s[0..n) and a NUL; NULL when out of memory. */
char *arena_strndup(arena_t *a, const char *s, size_t n);
void  arena_free(arena_t *a);

/* The counted allocator under arenas and hash tables. mem_alloc/mem_realloc
 * return NULL past the cap (0 = no cap); mem_free needs the size it freed. */
void   mem_set_cap(size_t bytes);
size_t mem_cap(void);              /* the cap; 0: none */
size_t mem_in_use(void);
size_t mem_peak(void);
void  *mem_alloc(size_t n);
void  *mem_calloc(size_t n, size_t size);
void  *mem_realloc(void *p, size_t old_n, size_t new_n);
void   mem_free(void *p, size_t n);
/* Grow a counted array *v of *cap elements of `elem` bytes so that it holds
 * at least need elements (doubling). 0, or -1 when out of memory. */
int    mem_grow(void **v, size_t *cap, size_t need, size_t elem);
/* The first allocation refused by the cap prints this once per run. */
int    mem_cap_reached(void);
/* A limit given on the command line (--max-field, --max-memory): a whole
 * number from 1 to max, digits only. 0 and *out set, or -1 (the caller
 * says which flag was wrong: a typo must not mean "no limit"). */
int    limit_parse(const char *s, size_t max, size_t *out);

#endif
