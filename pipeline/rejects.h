/* The rejects list: every row that cannot be used, with its file, line,
 * reason and raw value. A rejected row goes here and nowhere else; adding
 * it also counts it in its input's account (rows_rejected).
 * The list owns copies of everything it is given. */
#ifndef BIDUI_REJECTS_H
#define BIDUI_REJECTS_H
#include <pthread.h>
#include <stddef.h>
#include "arena.h"
#include "record.h"

/* Row-level reasons (ID reasons come from id.h). */
typedef enum {
    RJ_ID = 0,             /* the ID failed: see id_reason */
    RJ_BAD_ENCODING,       /* bytes that do not decode in the file's encoding */
    RJ_FIELD_COUNT,        /* more fields than the header */
    RJ_UNTERMINATED_QUOTE, /* a quote opened and never closed before end of file */
    RJ_REPEATED_HEADER,    /* the header row again in the middle of the file */
    RJ_BLANK_ROW,          /* a row with no value at all */
    RJ_BAD_AMOUNT,         /* an aid payment whose amount is no number of yuan */
    RJ_NUL_BYTE,           /* NUL bytes in the row */
    RJ_UNKNOWN_CASE,       /* a resolution that matches no exception of the previous run */
    RJ_BAD_LIST,           /* a tracking row whose 名单代码 is no list */
    RJ__N
} reject_reason;

typedef struct reject {
    const char *file;      /* input path (not copied: inputs outlive the list) */
    long line;
    const char *code;      /* stable English code */
    const char *zh;        /* Chinese reason */
    char *raw;             /* raw value, copied */
    int  input_index;
    int  is_id;            /* raw is (meant to be) an ID: masked with --mask */
} reject_t;

typedef struct {
    reject_t *v;
    size_t n, cap;
    arena_t arena;
    /* rejects_add locks it: a sink on the async stage's worker thread may
     * reject (bad amounts) while the main thread's gate and id stages do.
     * A zeroed mutex is a valid default one on glibc, so rejects_t = {0}
     * still works. */
    pthread_mutex_t mu;
} rejects_t;

const char *reject_code(reject_reason r);
const char *reject_zh(reject_reason r);

/* Record that row `line` of `in` is rejected. For RJ_ID, idr is the ID reason
 * and raw the ID field; otherwise raw is a short excerpt of the row (the
 * list escapes bytes that are not UTF-8). Counts in->rows_rejected.
 * Returns 0, or BIDUI_ENOMEM. */
int rejects_add(rejects_t *rj, struct input *in, long line, reject_reason r,
                id_reason idr, const char *raw, size_t rawlen);
/* The same for a whole record: raw is the row's fields joined by commas. */
int rejects_add_row(rejects_t *rj, record_t *rec, reject_reason r);
void rejects_free(rejects_t *rj);
/* Order by input, then line: the order of the lists whatever thread added
 * which reject first. */
void rejects_sort(rejects_t *rj);

#endif
