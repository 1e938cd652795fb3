/* The stage interface.
 *
 * A stage is a small object: a per-record call and an explicit end-of-stream
 * call, around opaque state. A chain is a plain array of stages; the driver
 * pushes each record through it depth-first, in order:
 *
 *   process(self, rec) returns
 *     STAGE_PASS (0)  hand the record to the next stage,
 *     STAGE_DROP (1)  the stage has dealt with it (used it, rejected it,
 *                     skipped a title row): stop here, read the next row,
 *     < 0             a BIDUI_E* error: the run stops (message already given).
 *   end(self) is called once after the last record of an input (a stage that
 *     holds state flushes it); NULL when there is nothing to do.
 *   free(self) releases the stage's own state; NULL when it has none.
 *
 * Records are borrowed, never owned: see record.h.
 * Choose what a stage does per record when it is built (different process
 * functions), not by branching on every record. */
#ifndef BIDUI_STAGE_H
#define BIDUI_STAGE_H
#include "record.h"

enum { STAGE_PASS = 0, STAGE_DROP = 1 };

typedef struct stage stage_t;
struct stage {
    const char *name;
    int  (*process)(stage_t *self, record_t *rec);
    /* optional: start loading what process() will touch for rec (a hash
     * slot), a few records ahead; called by the async stage. NULL: none. */
    void (*prefetch)(stage_t *self, const record_t *rec);
    int  (*end)(stage_t *self);
    void (*free)(stage_t *self);
    void *st;
};

#define CHAIN_MAX 12
typedef struct {
    stage_t *s[CHAIN_MAX];
    int n;
} chain_t;

/* Append a stage (the chain takes ownership and frees it in chain_free).
 * Returns 0, or BIDUI_ENOMEM when s is NULL (a failed constructor) or the
 * chain is full. */
int  chain_add(chain_t *c, stage_t *s);
/* Push one record through; returns 0 or the first stage error (< 0). */
int  chain_push(chain_t *c, record_t *rec);
/* End of stream: every stage's end(), in order; first error returned. */
int  chain_end(chain_t *c);
void chain_free(chain_t *c);

/* Helper for constructors: a stage with zeroed state of st_size bytes;
 * NULL when out of memory. free() then releases the state too. */
stage_t *stage_new(const char *name, size_t st_size);
void     stage_free_default(stage_t *s);
/* Free s with its own free(), or the default when it has none; NULL is
 * fine. Every owner of a stage (chains, wrappers, plans) frees it so. */
void     stage_free(stage_t *s);
/* For stages whose st is borrowed (the run they load into): frees only s. */
void     stage_free_shell(stage_t *s);
/* A stage around borrowed state (st is not freed with it): the shape of
 * every sink that loads into the run. NULL when out of memory. */
stage_t *stage_borrowing(const char *name, void *st, int (*process)(stage_t *, record_t *));

#endif
