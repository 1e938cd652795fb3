/* async: runs a sink on the second core.
 *
 * The source, decode, gate and id stages run on the main thread; this
 * stage copies each record it gets into a batch (the record is borrowed:
 * see record.h) and hands full batches to a worker thread that runs the
 * inner sink on them, while the main thread parses the next batch. The
 * sink's table probes (cache misses, mostly) then overlap the parsing.
 * Before running a batch the worker asks the sink to prefetch what the
 * records ahead will touch (stage_t.prefetch), so that its misses overlap
 * each other too.
 *
 * Two batches alternate: the main thread fills one while the worker runs
 * the other. end() hands over the last batch, waits for the worker and
 * calls the sink's end() on the main thread. The first error of the sink
 * stops the run at the next hand-over.
 *
 * What the inner sink may touch from the worker: the run's tables, its
 * arena and its input's rows_used (only sinks write those, and only one
 * sink runs at a time); rejects only through rejects_add, which locks. */
#include <pthread.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include "err.h"
#include "input.h"
#include "batch.h"
#include "stages.h"

typedef struct {
    stage_t *inner;
    batch_t b[2];
    int fill;                 /* the batch the main thread fills */
    pthread_t th;
    int started;
    pthread_mutex_t mu;
    pthread_cond_t cv;
    int pending;              /* a batch is handed over and not done */
    int quit;
    int err;                  /* the sink's first error */
} async_st;

static void *worker(void *arg)
{
    async_st *st = arg;
    pthread_mutex_lock(&st->mu);
    for (;;) {
        while (!st->pending && !st->quit)
            pthread_cond_wait(&st->cv, &st->mu);
        if (!st->pending && st->quit)
            break;
        batch_t *b = &st->b[st->fill ^ 1];
        pthread_mutex_unlock(&st->mu);
        int rc = st->err ? 0 : batch_run(b, st->inner);
        pthread_mutex_lock(&st->mu);
        if (rc < 0 && !st->err)
            st->err = rc;
        st->pending = 0;
        pthread_cond_broadcast(&st->cv);
    }
    pthread_mutex_unlock(&st->mu);
    return NULL;
}

/* Hand the filled batch to the worker (waiting for it to finish the other
 * one first) and switch to the other batch. */
static int hand_over(async_st *st)
{
    batch_seal(&st->b[st->fill]);
    if (!st->started) {
        if (pthread_create(&st->th, NULL, worker, st) != 0) {
            /* no thread: run it here, the result is the same */
            int rc = batch_run(&st->b[st->fill], st->inner);
            return rc;
        }
        st->started = 1;
    }
    pthread_mutex_lock(&st->mu);
    while (st->pending)
        pthread_cond_wait(&st->cv, &st->mu);
    int err = st->err;
    st->fill ^= 1;
    st->pending = 1;
    pthread_cond_broadcast(&st->cv);
    pthread_mutex_unlock(&st->mu);
    return err;
}

static int async_process(stage_t *self, record_t *rec)
{
    async_st *st = self->st;
    int full = batch_add(&st->b[st->fill], rec);
    if (full <= 0)
        return full < 0 ? full : STAGE_DROP;
    int rc = hand_over(st);
    return rc < 0 ? rc : STAGE_DROP;
}

static int async_end(stage_t *self)
{
    async_st *st = self->st;
    int rc = 0;
    if (st->b[st->fill].n)
        rc = hand_over(st);
    if (st->started) {
        pthread_mutex_lock(&st->mu);
        while (st->pending)
            pthread_cond_wait(&st->cv, &st->mu);
        st->quit = 1;
        pthread_cond_broadcast(&st->cv);
        if (!rc)
            rc = st->err;
        pthread_mutex_unlock(&st->mu);
        pthread_join(st->th, NULL);
        st->started = 0;
    }
    if (rc < 0)
        return rc;
    return st->inner->end ? st->inner->end(st->inner) : 0;
}

static void async_free(stage_t *self)
{
    async_st *st = self->st;
    if (st->started) {   /* a run that failed before end(): stop the worker */
        pthread_mutex_lock(&st->mu);
        while (st->pending)
            pthread_cond_wait(&st->cv, &st->mu);
        st->quit = 1;
        pthread_cond_broadcast(&st->cv);
        pthread_mutex_unlock(&st->mu);
        pthread_join(st->th, NULL);
    }
    batch_free(&st->b[0]);
    batch_free(&st->b[1]);
    pthread_mutex_destroy(&st->mu);
    pthread_cond_destroy(&st->cv);
    stage_free(st->inner);
    stage_free_default(self);
}

stage_t *stage_async_new(stage_t *inner)
{
    if (!inner)
        return NULL;
    stage_t *s = stage_new("async", sizeof(async_st));
    async_st *st = s ? s->st : NULL;
    if (!s || batch_init(&st->b[0]) < 0 || batch_init(&st->b[1]) < 0) {
        if (st) {
            batch_free(&st->b[0]);
            batch_free(&st->b[1]);
        }
        stage_free_default(s);
        stage_free(inner);
        return NULL;
    }
    st->inner = inner;
    pthread_mutex_init(&st->mu, NULL);
    pthread_cond_init(&st->cv, NULL);
    s->process = async_process;
    s->end = async_end;
    s->free = async_free;
    return s;
}
