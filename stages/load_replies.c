/* load_replies: the letters to other provinces, sent back filled in
 * (--province-replies). 是否在读 = 是 with an aid received this year: she is
 * enrolled and paid there, and leaves the out-of-province list (ledger:
 * 省外就读（已回函核实）, the reply as evidence). 是否在读 = 否: she moves to
 * the dropout suspects. 在读 without aid, or no answer: she stays where she
 * is, with the reply kept as evidence. A reply about someone no longer in
 * the registry is used and changes nothing. */
#include <stdio.h>
#include <string.h>
#include "compare.h"
#include "err.h"
#include "input.h"
#include "stages.h"

static int one_of(const char *s, const char *const *v)
{
    for (; *v; v++)
        if (!strcmp(s, *v))
            return 1;
    return 0;
}

static const char *const YES[] = {"是", "在读", "在校", "是（在读）", "Y", "y", "yes", "1", "√", NULL};
static const char *const NO[] = {"否", "不在读", "未在读", "不在校", "未入学", "已辍学", "查无此人",
                                 "无此人", "无", "N", "n", "no", "0", "×", NULL};
static const char *const NO_AID[] = {"", "无", "否", "没有", "未享受", "未资助", "0", NULL};

static int reply_process(stage_t *self, record_t *rec)
{
    cmp_t *c = self->st;
    uint64_t *ix = idmap_get(&c->person_ix, rec->id.key);
    const char *enr = rec_col(rec, COL_REPLY_ENROLLED)->s;
    if (ix && *enr) {
        person_t *p = &c->persons[*ix];
        const char *school = rec_col(rec, COL_REPLY_SCHOOL)->s;
        const char *aid = rec_col(rec, COL_REPLY_AID)->s;
        const char *unit = rec_col(rec, COL_REPLY_UNIT)->s;
        char text[1024];
        if (one_of(enr, YES)) {
            if (!one_of(aid, NO_AID))
                p->flags |= P_REPLY_STUDYING;
            snprintf(text, sizeof text, "%s回函：在读，%s，资助：%s（%s:%ld）", unit, school,
                     *aid ? aid : "无", rec->in->path, rec->line);
        } else if (one_of(enr, NO)) {
            p->flags |= P_REPLY_NOT_ENROLLED;
            snprintf(text, sizeof text, "%s回函：未在读（%s:%ld）", unit, rec->in->path, rec->line);
        } else {
            snprintf(text, sizeof text, "%s回函：%s（%s:%ld）", unit, enr, rec->in->path, rec->line);
        }
        if (!(p->reply = arena_strndup(&c->arena, text, strlen(text))))
            return BIDUI_ENOMEM;
    }
    rec->in->rows_used++;
    return STAGE_DROP;
}

stage_t *stage_load_replies_new(cmp_t *c)
{
    return stage_borrowing("load_replies", c, reply_process);
}
