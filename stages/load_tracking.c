/* load_tracking: the sink of an earlier run's tracking.csv (--previous).
 * Each row is one exception of that run, carried into this one's track. */
#include <stdlib.h>
#include <string.h>
#include "err.h"
#include "input.h"
#include "stages.h"
#include "track.h"

typedef struct {
    track_t *t;
    rejects_t *rj;
} trk_st;

static const char *copy(track_t *t, const record_t *rec, canon_col c)
{
    const field_t *f = rec_col(rec, c);
    return arena_strndup(&t->arena, f->s, f->n);
}

static int trk_process(stage_t *self, record_t *rec)
{
    trk_st *st = self->st;
    track_t *t = st->t;
    int l = list_parse(rec_col(rec, COL_LIST)->s);
    if (l < 0 || l == L_REJECTS) {
        int rc = rejects_add_row(st->rj, rec, RJ_BAD_LIST);
        return rc < 0 ? rc : STAGE_DROP;
    }
    exc_t e = {0};
    e.key = rec->id.key;
    e.list = (uint8_t)l;
    snprintf(e.no, sizeof e.no, "%s", rec_col(rec, COL_CASE_NO)->s);
    e.first = copy(t, rec, COL_FIRST_SEEN);
    e.name = copy(t, rec, COL_NAME);
    e.fp = strtoull(rec_col(rec, COL_FINGERPRINT)->s, NULL, 16);
    if (rec_col(rec, COL_RESULT)->n) {
        e.result = copy(t, rec, COL_RESULT);
        e.rdate = copy(t, rec, COL_RESULT_DATE);
        e.rsrc = copy(t, rec, COL_RESULT_SRC);
        if (!e.result || !e.rdate || !e.rsrc)
            return BIDUI_ENOMEM;
    }
    if (!e.first || !e.name || track_add_prev(t, &e) < 0)
        return BIDUI_ENOMEM;
    t->has_previous = 1;
    rec->in->rows_used++;
    return STAGE_DROP;
}

stage_t *stage_load_tracking_new(track_t *t, rejects_t *rj)
{
    stage_t *s = stage_new("load_tracking", sizeof(trk_st));
    if (s) {
        trk_st *st = s->st;
        st->t = t;
        st->rj = rj;
        s->process = trk_process;
    }
    return s;
}
