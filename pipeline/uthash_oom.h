/* uthash as bidui uses it: include this instead of <uthash.h>.
 *
 * uthash's default on out of memory is exit(-1): no message, no cleanup of
 * the run's temporary folder, and a --max-memory cap it knows nothing of.
 * Here its tables are allocated through the counted allocator (arena.h:
 * they count against --max-memory), and running out is not fatal
 * (HASH_NONFATAL_OOM): the element is simply not added and
 * uthash_oom_take() says so once. Every HASH_ADD* must be followed by
 *
 *     if (uthash_oom_take()) { free the element; return BIDUI_ENOMEM; }
 *
 * so that it ends like every other allocation that fails: mem_alloc has
 * already printed "memory limit of N MiB reached" when the cap was the
 * cause, and the error goes up to main(). */
#ifndef BIDUI_UTHASH_OOM_H
#define BIDUI_UTHASH_OOM_H
#include "arena.h"

extern _Thread_local int uthash_oom_hit;

#define HASH_NONFATAL_OOM 1
#define uthash_malloc(sz) mem_alloc(sz)
#define uthash_free(ptr, sz) mem_free((ptr), (sz))
#define uthash_nonfatal_oom(elt) ((void)(elt), uthash_oom_hit = 1)
#define uthash_fatal(msg) BUG("uthash: %s", msg)   /* unreachable with HASH_NONFATAL_OOM */
#include <uthash.h>

/* 1 when the last HASH_ADD* could not add its element (out of memory);
 * resets the mark. */
static inline int uthash_oom_take(void)
{
    int hit = uthash_oom_hit;
    uthash_oom_hit = 0;
    return hit;
}

#endif
