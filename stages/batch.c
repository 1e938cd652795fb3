/* See batch.h. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include "batch.h"
#include "err.h"

#define PREFETCH_AHEAD 16

int batch_init(batch_t *b)
{
    memset(b, 0, sizeof *b);
    return (b->rec = malloc(BATCH_ROWS * sizeof *b->rec)) ? 0 : BIDUI_ENOMEM;
}

void batch_free(batch_t *b)
{
    free(b->rec);
    free(b->fields);
    free(b->bytes);
    memset(b, 0, sizeof *b);
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

int batch_add(batch_t *b, const record_t *rec)
{
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
    return b->n == BATCH_ROWS;
}

void batch_seal(batch_t *b)
{
    for (int i = 0; i < b->n; i++) {
        record_t *r = &b->rec[i];
        r->f = b->fields + (uintptr_t)r->f;
        for (int k = 0; k < r->nf; k++)
            r->f[k].s = b->bytes + (uintptr_t)r->f[k].s;
    }
}

int batch_run(batch_t *b, stage_t *in)
{
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
