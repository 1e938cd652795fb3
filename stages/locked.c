/* locked: one sink shared by several parsing threads.
 *
 * The rosters are read two files at a time, one per core: each thread runs
 * its own source, decode, gate and id stages, and ends its chain with this
 * stage around its own sink object over the one shared run. Records are
 * copied into a batch (they are borrowed: record.h); a full batch is run
 * through the sink while holding the run's lock, so that the sink's table
 * updates never overlap, while the other thread goes on parsing. Batching
 * keeps the lock cheap (taken once per BATCH_ROWS rows) and lets the sink
 * prefetch its table slots as in async.c.
 *
 * The order in which the two threads' batches reach the tables is not
 * fixed: a sink used so must give the same result in any order (see
 * probe_roster.c). */
#include <pthread.h>
#include "batch.h"
#include "err.h"
#include "stages.h"

typedef struct {
    stage_t *inner;
    pthread_mutex_t *mu;
    batch_t b;
} locked_st;

static int flush(locked_st *st)
{
    batch_seal(&st->b);
    pthread_mutex_lock(st->mu);
    int rc = batch_run(&st->b, st->inner);
    pthread_mutex_unlock(st->mu);
    return rc;
}

static int locked_process(stage_t *self, record_t *rec)
{
    locked_st *st = self->st;
    int full = batch_add(&st->b, rec);
    if (full <= 0)
        return full < 0 ? full : STAGE_DROP;
    int rc = flush(st);
    return rc < 0 ? rc : STAGE_DROP;
}

static int locked_end(stage_t *self)
{
    locked_st *st = self->st;
    int rc = st->b.n ? flush(st) : 0;
    if (rc == 0 && st->inner->end) {
        pthread_mutex_lock(st->mu);
        rc = st->inner->end(st->inner);
        pthread_mutex_unlock(st->mu);
    }
    return rc;
}

static void locked_free(stage_t *self)
{
    locked_st *st = self->st;
    batch_free(&st->b);
    stage_free(st->inner);
    stage_free_default(self);
}

stage_t *stage_locked_new(stage_t *inner, pthread_mutex_t *mu)
{
    if (!inner)
        return NULL;
    stage_t *s = stage_new("locked", sizeof(locked_st));
    locked_st *st = s ? s->st : NULL;
    if (!s || batch_init(&st->b) < 0) {
        if (st)
            batch_free(&st->b);
        stage_free_default(s);
        stage_free(inner);
        return NULL;
    }
    st->inner = inner;
    st->mu = mu;
    s->process = locked_process;
    s->end = locked_end;
    s->free = locked_free;
    return s;
}
