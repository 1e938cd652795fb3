/* id: the join key of every row. The ID column (or, when it is empty, a
 * G + ID student number) goes through id_canon; a row whose ID cannot be
 * used is rejected with the reason and goes nowhere else.
 *
 * A workbook cell stored as a number (rec->numeric_mask) is what Excel does
 * to an ID typed into a cell not formatted as text: a double holds 15-16
 * significant digits, so an 18-digit ID has lost its last ones for good,
 * whatever the text now reads. The reader writes such numbers with %.15g,
 * so a number of more than 15 digits reads "3.40304201205121e+17": any
 * number cell whose text is not plain digits is rejected as excel_number.
 * A number of at most 15 digits (a legacy 15-digit ID) is exact in a double
 * and goes through id_canon like text. */
#include "err.h"
#include "input.h"
#include "stages.h"

typedef struct {
    rejects_t *rj;
    int ref;
} id_st;

static int plain_digits(const field_t *f)
{
    for (size_t i = 0; i < f->n; i++)
        if (f->s[i] < '0' || f->s[i] > '9')
            return 0;
    return f->n > 0;
}

static int id_process(stage_t *self, record_t *rec)
{
    id_st *st = self->st;
    const field_t *f = rec_col(rec, COL_ID);
    const field_t *sn = rec_col(rec, COL_STUDENT_NO);
    id_reason r;
    /* An empty ID with a student number: the number says whether there is
     * an ID inside (G...) or none (J..., L...). */
    int use_sn = sn->n > 0;
    for (size_t i = 0; use_sn && i < f->n; i++)
        if (f->s[i] != ' ' && f->s[i] != '\t')
            use_sn = 0;
    if (use_sn)
        f = sn;
    int ci = rec->in->col[use_sn ? COL_STUDENT_NO : COL_ID];
    if (ci >= 0 && ci < 64 && (rec->numeric_mask >> ci & 1) && !plain_digits(f))
        r = ID_EXCEL_NUMBER;
    else
        r = id_canon(f->s, f->n, st->ref, &rec->id);
    if (r == ID_OK)
        return STAGE_PASS;
    int rc = rejects_add(st->rj, rec->in, rec->line, RJ_ID, r, f->s, f->n);
    return rc < 0 ? rc : STAGE_DROP;
}

stage_t *stage_id_new(rejects_t *rj, int ref_yyyymmdd)
{
    stage_t *s = stage_new("id", sizeof(id_st));
    if (s) {
        id_st *st = s->st;
        st->rj = rj;
        st->ref = ref_yyyymmdd;
        s->process = id_process;
    }
    return s;
}
