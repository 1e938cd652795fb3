/* decode: every field to UTF-8.
 * UTF-8 inputs are checked, GB18030 ones converted; a field that does not
 * decode marks the row (rec->flaw) for the gate to reject, so that the row
 * is counted and reported with its line rather than failing the file.
 * Converted fields live in this stage's row buffer until the next record. */
#include <stdlib.h>
#include <string.h>
#include "encoding.h"
#include "err.h"
#include "input.h"
#include "stages.h"

typedef struct {
    gbconv_t *gb;
    char *buf;          /* converted fields of the current row */
    size_t cap;
    size_t *off, *len;  /* where each converted field is in buf, and its length */
    int offcap;
} decode_st;

static int check_utf8(stage_t *self, record_t *rec)
{
    (void)self;
    if (rec->flaw || rec->nf == 0)
        return STAGE_PASS;
    /* The fields of a row usually lie one after the other in the source's
     * buffer, each ended by a NUL: then the row is checked in one call (a
     * NUL is valid UTF-8, and a sequence cut by a field's end still fails,
     * since NUL is no continuation byte). Otherwise field by field. */
    const char *end = rec->f[0].s;
    for (int i = 0; i < rec->nf && end; i++)
        end = rec->f[i].s == end ? end + rec->f[i].n + 1 : NULL;
    if (end) {
        const unsigned char *p = (const unsigned char *)rec->f[0].s;
        size_t n = (size_t)(end - rec->f[0].s) - 1;
        if (utf8_valid_prefix(p, n, 0) != n)
            rec->flaw = RJ_BAD_ENCODING;
        return STAGE_PASS;
    }
    for (int i = 0; i < rec->nf; i++) {
        const unsigned char *p = (const unsigned char *)rec->f[i].s;
        size_t n = rec->f[i].n;
        /* utf8_valid_prefix skips ASCII runs itself: no ascii_only first */
        if (utf8_valid_prefix(p, n, 0) != n) {
            rec->flaw = RJ_BAD_ENCODING;
            break;
        }
    }
    return STAGE_PASS;
}

static int convert_gb(stage_t *self, record_t *rec)
{
    decode_st *st = self->st;
    if (rec->flaw)
        return STAGE_PASS;
    if (rec->nf > st->offcap) {
        size_t *o = realloc(st->off, rec->nf * sizeof *o);
        if (o)
            st->off = o;
        size_t *l = o ? realloc(st->len, rec->nf * sizeof *l) : NULL;
        if (!l)
            return BIDUI_ENOMEM;
        st->len = l;
        st->offcap = rec->nf;
    }
    size_t used = 0;
    int any = 0;
    for (int i = 0; i < rec->nf; i++) {
        st->off[i] = (size_t)-1;
        if (ascii_only((const unsigned char *)rec->f[i].s, rec->f[i].n))
            continue;
        if (looks_utf8_text((const unsigned char *)rec->f[i].s, rec->f[i].n)) {
            rec->flaw = RJ_BAD_ENCODING;   /* a UTF-8 row in a GBK file */
            return STAGE_PASS;
        }
        char *out;
        long n = gbconv_run(st->gb, rec->f[i].s, rec->f[i].n, &out);
        if (n < 0) {
            rec->flaw = RJ_BAD_ENCODING;
            return STAGE_PASS;
        }
        if (used + (size_t)n + 1 > st->cap) {
            size_t nc = st->cap ? st->cap : 4096;
            while (nc < used + (size_t)n + 1)
                nc *= 2;
            char *b = realloc(st->buf, nc);
            if (!b)
                return BIDUI_ENOMEM;
            st->buf = b;
            st->cap = nc;
        }
        memcpy(st->buf + used, out, (size_t)n + 1);
        st->off[i] = used;
        st->len[i] = (size_t)n;
        used += (size_t)n + 1;
        any = 1;
    }
    /* Point the fields at the buffer only now, all together: it may have
     * moved while growing, and a row that fails half way keeps its own
     * bytes (a field's length must never be its converted length while it
     * still points at the original: found by fuzz_read). */
    for (int i = 0; any && i < rec->nf; i++)
        if (st->off[i] != (size_t)-1) {
            rec->f[i].s = st->buf + st->off[i];
            rec->f[i].n = st->len[i];
        }
    return STAGE_PASS;
}

/* The encoding is known only once the source has read the first bytes, so
 * the first record chooses the per-record function for all the others. */
static int first(stage_t *self, record_t *rec)
{
    decode_st *st = self->st;
    if (rec->in->encoding == ENC_GB18030) {
        if (!st->gb && !(st->gb = gbconv_new())) {
            log_error("%s: this system's iconv cannot convert GB18030", rec->in->path);
            return BIDUI_EDATA;
        }
        self->process = convert_gb;
    } else {
        self->process = check_utf8;
    }
    return self->process(self, rec);
}

static void decode_free(stage_t *self)
{
    decode_st *st = self->st;
    gbconv_free(st->gb);
    free(st->buf);
    free(st->off);
    free(st->len);
    stage_free_default(self);
}

stage_t *stage_decode_new(void)
{
    stage_t *s = stage_new("decode", sizeof(decode_st));
    if (s) {
        s->process = first;
        s->free = decode_free;
    }
    return s;
}
