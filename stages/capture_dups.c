/* capture_dups: the second look at a roster file that holds the first row
 * of a duplicated ID. The first pass kept only (file, line) of first rows,
 * to keep the roster streaming; duplicates are few, so reading again the
 * files they start in costs less than holding every row's details. */
#include "compare.h"
#include "err.h"
#include "input.h"
#include "stages.h"

static int capture_process(stage_t *self, record_t *rec)
{
    cmp_t *c = self->st;
    uint64_t *v = idmap_get(&c->roster_ids, rec->id.key);
    if (v && (*v & ROSTER_DUP) && ROSTER_FILE(*v) == (unsigned)rec->in->index
        && ROSTER_LINE(*v) == rec->line && cmp_add_dup(c, rec) < 0)
        return BIDUI_ENOMEM;
    rec->in->rows_used++;
    return STAGE_DROP;
}

stage_t *stage_capture_dups_new(cmp_t *c)
{
    return stage_borrowing("capture_dups", c, capture_process);
}
