/* probe_roster: the sink of county rosters, the big stream. Per row:
 *   - the roster's ID set: the first row of each ID is remembered by
 *     (file, line); a second row marks the ID duplicated and is captured
 *     whole (the first is captured by a second look, capture_dups.c);
 *   - the registry: a person found is enrolled, with her first school;
 *   - the payments: every payment of this ID is to an enrolled pupil;
 *     a pupil outside the registry who was paid leaves her roster name for
 *     the name check.
 * Nothing else of the row is kept.
 *
 * The rosters may be read by two threads at once (locked.c), so rows of one
 * ID can arrive in any order. What is kept must not depend on it: a
 * person's school is that of her first row by (file, line), whatever came
 * first; the row the ID set remembers is whichever came first, and every
 * other row is captured here, that one by the second look, so that the
 * captured rows are all of them in any order (the rules sort them); the
 * name left by the first row of a paid pupil outside the registry is set
 * to her first row by (file, line) once the duplicates are known
 * (rules_run). Read one file after another, first-come is that first row. */
#include <string.h>
#include "compare.h"
#include "err.h"
#include "stages.h"

static const int RS_COLS[RS__N] = {COL_SCHOOL_CODE, COL_SCHOOL_NAME, COL_STAGE, COL_GRADE,
                                   COL_CLASS, COL_NAME};

int cmp_add_dup(cmp_t *c, const record_t *rec)
{
    const char *blob = blob_make(c, rec, RS_COLS, RS__N);
    if (!blob || mem_grow((void **)&c->dups, &c->cap_dups, c->ndups + 1, sizeof *c->dups) < 0)
        return BIDUI_ENOMEM;
    dup_row_t *d = &c->dups[c->ndups++];
    d->key = rec->id.key;
    d->blob = blob;
    d->file = (uint16_t)rec->in->index;
    d->line = (uint32_t)rec->line;
    return 0;
}

static int roster_process(stage_t *self, record_t *rec)
{
    cmp_t *c = self->st;
    uint64_t key = rec->id.key;
    int added;
    uint64_t *v = idmap_put(&c->roster_ids, key, ROSTER_PACK(rec->in->index, rec->line), &added);
    if (!v)
        return BIDUI_ENOMEM;
    if (!added) {
        *v |= ROSTER_DUP;
        if (cmp_add_dup(c, rec) < 0)
            return BIDUI_ENOMEM;
    }
    if (c->known && !cmp_maybe_known(c, key)) {   /* neither a person nor paid */
        c->roster_rows++;
        rec->in->rows_used++;
        return STAGE_DROP;
    }
    uint64_t *ix = idmap_get(&c->person_ix, key);
    if (ix) {
        person_t *p = &c->persons[*ix];
        p->flags |= P_ENROLLED;
        unsigned file = (unsigned)rec->in->index;
        if (!p->school || file < p->roster_file
            || (file == p->roster_file && (uint32_t)rec->line < p->roster_line)) {
            if (!(p->school = blob_make(c, rec, RS_COLS, RS__N)))
                return BIDUI_ENOMEM;
            p->roster_file = (uint16_t)rec->in->index;
            p->roster_line = (uint32_t)rec->line;
        }
    }
    uint64_t *head = idmap_get(&c->pay_ix, key);
    if (head) {
        for (uint32_t i = (uint32_t)*head; i; i = c->payments[i - 1].next)
            c->payments[i - 1].flags |= PAY_ENROLLED;
        if (!ix && added) {
            const char *blob = blob_make(c, rec, RS_COLS, RS__N);
            if (!blob || cmp_add_name(c, key, blob_get(blob, RS_NAME), blob, rec) < 0)
                return BIDUI_ENOMEM;
        }
    }
    c->roster_rows++;
    rec->in->rows_used++;
    return STAGE_DROP;
}

/* The tables a roster row probes: their slots, a few rows ahead. */
static void roster_prefetch(stage_t *self, const record_t *rec)
{
    cmp_t *c = self->st;
    idmap_prefetch(&c->roster_ids, rec->id.key);
    if (c->known) {   /* the filter's line; the tables only for the few it lets by */
        uint64_t h;
        __builtin_prefetch(known_line(c, rec->id.key, &h));
        return;
    }
    idmap_prefetch(&c->person_ix, rec->id.key);
    idmap_prefetch(&c->pay_ix, rec->id.key);
}

stage_t *stage_probe_roster_new(cmp_t *c)
{
    stage_t *s = stage_borrowing("probe_roster", c, roster_process);
    if (s)
        s->prefetch = roster_prefetch;
    return s;
}
