#include <stdio.h>
#include <errno.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include "readahead.h"

#define SLOTS 4   /* one held by the parser, up to three read ahead */

struct readahead {
    gzFile gz;
    unsigned chunk;
    unsigned char *buf[SLOTS];
    int len[SLOTS];
    uint64_t off[SLOTS];
    int head, count;          /* ring: count filled slots from head */
    int held;                 /* the parser holds slot head - 1 */
    int done;                 /* the thread has read its last chunk */
    int stop;
    int direct;
    int zerr;
    char msg[256];
    pthread_t th;
    pthread_mutex_t mu;
    pthread_cond_t cv;
};

static void *reader(void *arg)
{
    readahead_t *r = arg;
    int first = 1;
    pthread_mutex_lock(&r->mu);
    for (;;) {
        while (!r->stop && r->count + r->held >= SLOTS)
            pthread_cond_wait(&r->cv, &r->mu);
        if (r->stop)
            break;
        int slot = (r->head + r->count) % SLOTS;
        pthread_mutex_unlock(&r->mu);
        int n = gzread(r->gz, r->buf[slot], r->chunk);
        int direct = first ? gzdirect(r->gz) : 0;
        uint64_t off = (uint64_t)gzoffset(r->gz);
        int zerr = Z_OK;
        const char *msg = n <= 0 ? gzerror(r->gz, &zerr) : NULL;
        if (n <= 0 && zerr == Z_ERRNO)   /* errno is this thread's: say it here */
            msg = strerror(errno);
        pthread_mutex_lock(&r->mu);
        if (first) {
            r->direct = direct;
            first = 0;
        }
        r->len[slot] = n;
        r->off[slot] = off;
        r->count++;
        if (n <= 0) {
            r->zerr = zerr;
            snprintf(r->msg, sizeof r->msg, "%s", msg ? msg : "");
            r->done = 1;
            pthread_cond_broadcast(&r->cv);
            break;
        }
        pthread_cond_broadcast(&r->cv);
    }
    pthread_mutex_unlock(&r->mu);
    return NULL;
}

readahead_t *readahead_start(gzFile gz, unsigned chunk)
{
    readahead_t *r = calloc(1, sizeof *r);
    if (!r)
        return NULL;
    r->gz = gz;
    r->chunk = chunk;
    for (int i = 0; i < SLOTS; i++)
        if (!(r->buf[i] = malloc(chunk))) {
            for (int k = 0; k < i; k++)
                free(r->buf[k]);
            free(r);
            return NULL;
        }
    pthread_mutex_init(&r->mu, NULL);
    pthread_cond_init(&r->cv, NULL);
    if (pthread_create(&r->th, NULL, reader, r) != 0) {
        pthread_mutex_destroy(&r->mu);
        pthread_cond_destroy(&r->cv);
        for (int i = 0; i < SLOTS; i++)
            free(r->buf[i]);
        free(r);
        return NULL;
    }
    return r;
}

int readahead_next(readahead_t *r, unsigned char **buf, int *direct, uint64_t *offset,
                   int *zerr, const char **msg)
{
    pthread_mutex_lock(&r->mu);
    if (r->held) {   /* the parser is done with the chunk it held */
        r->held = 0;
        pthread_cond_broadcast(&r->cv);
    }
    while (r->count == 0)
        pthread_cond_wait(&r->cv, &r->mu);
    int slot = r->head;
    int n = r->len[slot];
    *buf = r->buf[slot];
    *direct = r->direct;
    *offset = r->off[slot];
    *zerr = r->zerr;
    *msg = r->msg;
    if (n > 0) {
        r->head = (r->head + 1) % SLOTS;
        r->count--;
        r->held = 1;
    }
    pthread_mutex_unlock(&r->mu);
    return n < 0 ? -1 : n;
}

void readahead_stop(readahead_t *r)
{
    if (!r)
        return;
    pthread_mutex_lock(&r->mu);
    r->stop = 1;
    pthread_cond_broadcast(&r->cv);
    pthread_mutex_unlock(&r->mu);
    pthread_join(r->th, NULL);
    pthread_mutex_destroy(&r->mu);
    pthread_cond_destroy(&r->cv);
    for (int i = 0; i < SLOTS; i++)
        free(r->buf[i]);
    free(r);
}
