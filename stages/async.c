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
#include "stages.h"

#define BATCH_ROWS 512
#define PREFETCH_AHEAD 16

typedef struct {
    record_t *rec;            /* BATCH_ROWS records */
    field_t *fields;          /* their fields */
    size_t nfields, capfields;
    char *bytes;              /* their bytes */
    size_t nbytes, capbytes;
    int n;
} batch_t;

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

static int run_batch(async_st *st, batch_t *b)
{
    stage_t *in = st->inner;
    int rc = 0;
    if (in->prefetch)
        for (int i = 0; i < b->n && i < PREFETCH_AHEAD; i++)
            in->prefetch(in, &b->rec[i]);
    for (int i = 0; i < b->n && rc >= 0; i++) {
        if (in->prefetch && i + PREFETCH_AHEAD < b->n)
            in->prefetch(in, &b->rec[i + PREFETCH_AHEAD]);
        rc = in->process(in, &b->rec[i]);
    }
    b->n = 0;
    b->nfields = b->nbytes = 0;
    return rc < 0 ? rc : 0;
}

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
        int rc = st->err ? 0 : run_batch(st, b);
        pthread_mutex_lock(&st->mu);
        if (rc < 0 && !st->err)
            st->err = rc;
        st->pending = 0;
        pthread_cond_broadcast(&st->cv);
    }
    pthread_mutex_unlock(&st->mu);
    return NULL;
}

/* Turn the filled batch's offsets into pointers: its arrays stop moving. */
static void seal(batch_t *b)
{
    for (int i = 0; i < b->n; i++) {
        record_t *r = &b->rec[i];
        r->f = b->fields + (uintptr_t)r->f;
        for (int k = 0; k < r->nf; k++)
            r->f[k].s = b->bytes + (uintptr_t)r->f[k].s;
    }
}

/* Hand the filled batch to the worker (waiting for it to finish the other
 * one first) and switch to the other batch. */
static int hand_over(async_st *st)
{
    seal(&st->b[st->fill]);
    if (!st->started) {
        if (pthread_create(&st->th, NULL, worker, st) != 0) {
            /* no thread: run it here, the result is the same */
            int rc = run_batch(st, &st->b[st->fill]);
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

static int grow(void **p, size_t *cap, size_t need, size_t elem)
{
    if (need <= *cap)
        return 0;
    size_t nc = *cap ? *cap : 4096;
    while (nc < need)
        nc *= 2;
    void *q = realloc(*p, nc * elem);
    if (!q)
        return -1;
    *p = q;
    *cap = nc;
    return 0;
}

static int async_process(stage_t *self, record_t *rec)
{
    async_st *st = self->st;
    batch_t *b = &st->b[st->fill];
    if (grow((void **)&b->fields, &b->capfields, b->nfields + rec->nf, sizeof *b->fields) < 0)
        return BIDUI_ENOMEM;
    /* The copies keep offsets until the batch is complete: the arrays may
     * still move while it fills. The fields of a row lie one after the
     * other in the source's buffer, NUL-terminated, so a row usually
     * copies in one piece; where they do not (a decoded field), field by
     * field. */
    record_t *r = &b->rec[b->n++];
    *r = *rec;
    r->f = (field_t *)(uintptr_t)b->nfields;
    const char *first = rec->nf ? rec->f[0].s : NULL;
    const char *end = first;
    for (int i = 0; i < rec->nf && end; i++)
        end = rec->f[i].s == end ? end + rec->f[i].n + 1 : NULL;
    if (end) {
        size_t len = (size_t)(end - first);
        if (grow((void **)&b->bytes, &b->capbytes, b->nbytes + len, 1) < 0)
            return BIDUI_ENOMEM;
        memcpy(b->bytes + b->nbytes, first, len);
        for (int i = 0; i < rec->nf; i++) {
            field_t *f = &b->fields[b->nfields++];
            f->s = (char *)(uintptr_t)(b->nbytes + (size_t)(rec->f[i].s - first));
            f->n = rec->f[i].n;
        }
        b->nbytes += len;
    } else {
        for (int i = 0; i < rec->nf; i++) {
            if (grow((void **)&b->bytes, &b->capbytes, b->nbytes + rec->f[i].n + 1, 1) < 0)
                return BIDUI_ENOMEM;
            field_t *f = &b->fields[b->nfields++];
            memcpy(b->bytes + b->nbytes, rec->f[i].s, rec->f[i].n + 1);
            f->s = (char *)(uintptr_t)b->nbytes;
            f->n = rec->f[i].n;
            b->nbytes += rec->f[i].n + 1;
        }
    }
    if (b->n < BATCH_ROWS)
        return STAGE_DROP;
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
    for (int i = 0; i < 2; i++) {
        free(st->b[i].rec);
        free(st->b[i].fields);
        free(st->b[i].bytes);
    }
    pthread_mutex_destroy(&st->mu);
    pthread_cond_destroy(&st->cv);
    if (st->inner->free)
        st->inner->free(st->inner);
    else
        stage_free_default(st->inner);
    stage_free_default(self);
}

stage_t *stage_async_new(stage_t *inner)
{
    if (!inner)
        return NULL;
    stage_t *s = stage_new("async", sizeof(async_st));
    async_st *st = s ? s->st : NULL;
    if (!s || !(st->b[0].rec = malloc(BATCH_ROWS * sizeof *st->b[0].rec))
        || !(st->b[1].rec = malloc(BATCH_ROWS * sizeof *st->b[1].rec))) {
        if (st) {
            free(st->b[0].rec);
            free(st->b[1].rec);
        }
        stage_free_default(s);
        if (inner->free)
            inner->free(inner);
        else
            stage_free_default(inner);
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
