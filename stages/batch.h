/* batch: copies of records, for the stages that run a sink later than the
 * record's process() call (async.c: on a worker thread; locked.c: under a
 * lock shared by several parsing threads). A record is borrowed (record.h):
 * these are its copies, fields and bytes, in arrays the batch owns.
 *
 * While a batch fills, its arrays may move, so the copies hold offsets;
 * batch_seal() turns them into pointers once it is full. batch_run() runs
 * a sink over the sealed batch (prefetching a few records ahead) and
 * empties it. */
#ifndef BIDUI_BATCH_H
#define BIDUI_BATCH_H
#include <stddef.h>
#include "stage.h"

#define BATCH_ROWS 512

typedef struct {
    record_t *rec;            /* BATCH_ROWS records */
    field_t *fields;          /* their fields */
    size_t nfields, capfields;
    char *bytes;              /* their bytes */
    size_t nbytes, capbytes;
    int n;
} batch_t;

/* 0, or BIDUI_ENOMEM. */
int  batch_init(batch_t *b);
void batch_free(batch_t *b);
/* Copy rec in: 1 when the batch is now full, 0 when not, BIDUI_ENOMEM. */
int  batch_add(batch_t *b, const record_t *rec);
void batch_seal(batch_t *b);
/* Run sink over the records; the first error (< 0) or 0. The batch is
 * empty afterwards either way. */
int  batch_run(batch_t *b, stage_t *sink);

#endif
