/* load_resolutions: lists sent back by schools and townships with 处理结果
 * filled in (--resolutions). A row finds its exception of the previous run
 * by 编号 (which survives masked IDs), else by full ID (and 名单代码 when the
 * file has it: without it, every exception of that ID). A row with an empty
 * 处理结果 is a row nobody answered: used, nothing to do. A row that finds
 * nothing is rejected, so a reply is never lost silently. */
#include <stdio.h>
#include <string.h>
#include "err.h"
#include "input.h"
#include "stages.h"
#include "track.h"

typedef struct {
    track_t *t;
    rejects_t *rj;
} res_st;

static int apply(track_t *t, exc_t *e, const record_t *rec)
{
    const field_t *r = rec_col(rec, COL_RESULT), *d = rec_col(rec, COL_RESULT_DATE);
    char src[600];
    snprintf(src, sizeof src, "%s:%ld", rec->in->path, rec->line);
    e->result = arena_strndup(&t->arena, r->s, r->n);
    e->rdate = arena_strndup(&t->arena, d->s, d->n);
    e->rsrc = arena_strndup(&t->arena, src, strlen(src));
    e->resolved_now = 1;
    return e->result && e->rdate && e->rsrc ? 0 : BIDUI_ENOMEM;
}

static int res_process(stage_t *self, record_t *rec)
{
    res_st *st = self->st;
    track_t *t = st->t;
    int rc = 0, found = 0;
    const field_t *result = rec_col(rec, COL_RESULT);
    size_t content = 0;
    for (size_t i = 0; i < result->n; i++)
        content += result->s[i] != ' ' && result->s[i] != '\t';
    if (content == 0) {
        rec->in->rows_used++;
        return STAGE_DROP;
    }
    const field_t *no = rec_col(rec, COL_CASE_NO);
    if (no->n) {
        exc_t *e = track_find_no(t, no->s);
        if (t->oom)
            return BIDUI_ENOMEM;   /* not "no such exception": the reply is not lost */
        if (e && (rc = apply(t, e, rec)) == 0)
            found = 1;
    } else {
        idnum_t id;
        const field_t *f = rec_col(rec, COL_ID);
        if (id_canon(f->s, f->n, 0, &id) == ID_OK) {
            int l = list_parse(rec_col(rec, COL_LIST)->s);
            for (int k = 0; k < L__N && rc == 0; k++) {
                exc_t *e = (l < 0 || l == k) ? track_prev_of(t, k, id.key) : NULL;
                if (e && (rc = apply(t, e, rec)) == 0)
                    found = 1;
            }
        }
    }
    if (rc < 0)
        return rc;
    if (!found) {
        rc = rejects_add_row(st->rj, rec, RJ_UNKNOWN_CASE);
        return rc < 0 ? rc : STAGE_DROP;
    }
    rec->in->rows_used++;
    return STAGE_DROP;
}

stage_t *stage_load_resolutions_new(track_t *t, rejects_t *rj)
{
    stage_t *s = stage_new("load_resolutions", sizeof(res_st));
    if (s) {
        res_st *st = s->st;
        st->t = t;
        st->rj = rj;
        s->process = res_process;
    }
    return s;
}
