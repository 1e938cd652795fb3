/* load_aid: the sink of aid payment lists. Every usable payment is held:
 * the rosters stream past them later (paid_not_enrolled), and the rules
 * need them per person (missed) and per programme (the summary).
 * A payment whose amount is no number of yuan is rejected: a list that
 * adds up money must not guess. */
#include <string.h>
#include "compare.h"
#include "err.h"
#include "memo.h"
#include "money.h"
#include "stages.h"

static const int PB_COLS[PB__N] = {COL_NAME, COL_SCHOOL_NAME, COL_PROGRAMME, COL_TERM,
                                   COL_CATEGORY};

/* One aid sink runs at a time (on its own thread): its memos need no lock. */
static memo_t memo_programme, memo_label;
static int label_cats(const char *s) { return (int)cat_mask_of_label(s); }

static int aid_process(stage_t *self, record_t *rec)
{
    cmp_t *c = self->st;
    const field_t *amt = rec_col(rec, COL_AMOUNT);
    int64_t fen;
    if (rec->in->col[COL_AMOUNT] < 0 || money_parse(amt->s, amt->n, &fen) < 0) {
        int rc = rejects_add(&c->rejects, rec->in, rec->line, RJ_BAD_AMOUNT, ID_OK, amt->s, amt->n);
        return rc < 0 ? rc : STAGE_DROP;
    }
    if (mem_grow((void **)&c->payments, &c->cap_payments, c->npayments + 1,
                 sizeof *c->payments) < 0)
        return BIDUI_ENOMEM;
    const char *blob = blob_make_in(&c->pay_arena, rec, PB_COLS, PB__N);
    int added;
    uint64_t *head = idmap_put(&c->pay_ix, rec->id.key, 0, &added);
    if (!blob || !head)
        return BIDUI_ENOMEM;
    payment_t *p = &c->payments[c->npayments];
    memset(p, 0, sizeof *p);
    p->key = rec->id.key;
    p->fen = fen;
    p->blob = blob;
    p->file = (uint16_t)rec->in->index;
    p->line = (uint32_t)rec->line;
    p->group = (uint8_t)memo_get(&memo_programme, blob_get(blob, PB_PROGRAMME), aidg_of_programme);
    p->label_cats = (uint8_t)memo_get(&memo_label, blob_get(blob, PB_CATEGORY), label_cats);
    /* The chain of an ID's payments, in the order they were read: the
     * table holds the first (low 32 bits, what every reader follows) and
     * the last (high 32 bits, where the next one is appended). */
    uint32_t self_ix = (uint32_t)++c->npayments;
    if (added) {
        p->flags |= PAY_FIRST;
    } else {
        c->payments[(*head >> 32) - 1].next = self_ix;
        *head &= 0xffffffffull;
    }
    if (added)
        *head = self_ix;
    *head |= (uint64_t)self_ix << 32;
    rec->in->rows_used++;
    return STAGE_DROP;
}

static void aid_prefetch(stage_t *self, const record_t *rec)
{
    idmap_prefetch(&((cmp_t *)self->st)->pay_ix, rec->id.key);
}

stage_t *stage_load_aid_new(cmp_t *c)
{
    stage_t *s = stage_borrowing("load_aid", c, aid_process);
    if (s)
        s->prefetch = aid_prefetch;
    return s;
}
