#include <stdatomic.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include "arena.h"
#include "err.h"

/* Counted allocations. The counters are updated from the reader thread and
 * the main thread alike, so they are atomic. */
static _Atomic size_t in_use, peak;
static size_t mem_cap_bytes;
static _Atomic int refused;
/* uthash_oom.h: the last HASH_ADD* of this thread could not add. */
_Thread_local int uthash_oom_hit;

void mem_set_cap(size_t bytes) { mem_cap_bytes = bytes; }
size_t mem_cap(void) { return mem_cap_bytes; }
size_t mem_in_use(void) { return in_use; }
size_t mem_peak(void) { return peak; }
int mem_cap_reached(void) { return refused != 0; }

static int take(size_t n)
{
    size_t now = atomic_fetch_add(&in_use, n) + n;
    if (mem_cap_bytes && now > mem_cap_bytes) {
        in_use -= n;
        if (refused++ == 0)
            log_error("memory limit of %zu MiB reached (--max-memory); "
                      "give a larger limit or split the input", mem_cap_bytes >> 20);
        return -1;
    }
    size_t p = peak;
    while (now > p && !atomic_compare_exchange_weak(&peak, &p, now))
        ;
    return 0;
}

/* Big blocks (the ID tables, the person and payment arrays) are probed at
 * random: with 4 KiB pages nearly every probe of a 256 MiB table is also a
 * TLB miss and a page walk. Ask for 2 MiB pages there (the machines run
 * transparent huge pages in "madvise" mode); where the kernel says no,
 * nothing changes but the speed. */
#define HUGE_MIN (8u << 20)
#define HUGE_PAGE ((uintptr_t)2 << 20)

static void want_huge(void *p, size_t n)
{
#ifdef MADV_HUGEPAGE
    if (!p || n < HUGE_MIN)
        return;
    uintptr_t a = ((uintptr_t)p + HUGE_PAGE - 1) & ~(HUGE_PAGE - 1);
    uintptr_t e = ((uintptr_t)p + n) & ~(HUGE_PAGE - 1);
    if (e > a)
        madvise((void *)a, e - a, MADV_HUGEPAGE);
#else
    (void)p;
    (void)n;
#endif
}

void *mem_alloc(size_t n)
{
    if (take(n) < 0)
        return NULL;
    void *p = malloc(n ? n : 1);
    if (!p)
        in_use -= n;
    want_huge(p, n);
    return p;
}

void *mem_calloc(size_t n, size_t size)
{
    if (size && n > SIZE_MAX / size)
        return NULL;
    if (take(n * size) < 0)
        return NULL;
    /* calloc: a big block comes zeroed from the kernel, untouched, so the
     * huge-page advice still applies to its first touch */
    void *p = calloc(n ? n : 1, size ? size : 1);
    if (!p)
        in_use -= n * size;
    want_huge(p, n * size);
    return p;
}

void *mem_realloc(void *p, size_t old_n, size_t new_n)
{
    if (new_n > old_n && take(new_n - old_n) < 0)
        return NULL;
    void *q = realloc(p, new_n ? new_n : 1);
    if (!q) {
        if (new_n > old_n)
            in_use -= new_n - old_n;
        return NULL;
    }
    if (new_n < old_n)
        in_use -= old_n - new_n;
    want_huge(q, new_n);
    return q;
}

void mem_free(void *p, size_t n)
{
    if (!p)
        return;
    in_use -= n;
    free(p);
}

int limit_parse(const char *s, size_t max, size_t *out)
{
    size_t v = 0;
    if (!*s || strspn(s, "0123456789") != strlen(s))
        return -1;
    for (; *s; s++) {
        if (v > (max - (size_t)(*s - '0')) / 10)
            return -1;
        v = v * 10 + (size_t)(*s - '0');
    }
    if (v == 0)
        return -1;
    *out = v;
    return 0;
}

int mem_grow(void **v, size_t *cap, size_t need, size_t elem)
{
    if (need <= *cap)
        return 0;
    size_t nc = *cap ? *cap : 64;
    while (nc < need)
        nc *= 2;
    void *p = mem_realloc(*v, *cap * elem, nc * elem);
    if (!p)
        return -1;
    *v = p;
    *cap = nc;
    return 0;
}

struct arena_chunk {
    arena_chunk *next;
    size_t size, pos;
    _Alignas(max_align_t) unsigned char data[];
};

#define CHUNK (1u << 20)

void *arena_alloc(arena_t *a, size_t n)
{
    n = (n + 7) & ~(size_t)7;
    arena_chunk *c = a->head;
    if (!c || c->size - c->pos < n) {
        size_t sz = n > CHUNK / 4 ? n : CHUNK;
        c = mem_alloc(sizeof *c + sz);
        if (!c)
            return NULL;
        c->size = sz;
        c->pos = 0;
        /* A big block goes behind the current chunk so its free space is kept. */
        if (a->head && sz != CHUNK) {
            c->next = a->head->next;
            a->head->next = c;
        } else {
            c->next = a->head;
            a->head = c;
        }
    }
    void *p = c->data + c->pos;
    c->pos += n;
    a->used += n;
    return p;
}

char *arena_strndup(arena_t *a, const char *s, size_t n)
{
    char *p = arena_alloc(a, n + 1);
    if (p) {
        memcpy(p, s, n);
        p[n] = 0;
    }
    return p;
}

void arena_free(arena_t *a)
{
    arena_chunk *c = a->head;
    while (c) {
        arena_chunk *n = c->next;
        mem_free(c, sizeof *c + c->size);
        c = n;
    }
    a->head = NULL;
    a->used = 0;
}
