/* load_province: the sink of the province-wide student-status extract.
 * Only registry persons matter here (rule 2, out_of_county), so nothing is
 * held for the other pupils of the province: each row is a probe. */
#include "compare.h"
#include "err.h"
#include "stages.h"

static const int PV_COLS[PV__N] = {COL_SCHOOL_NAME, COL_COUNTY};

static int prov_process(stage_t *self, record_t *rec)
{
    cmp_t *c = self->st;
    uint64_t *ix = idmap_get(&c->person_ix, rec->id.key);
    if (ix) {
        person_t *p = &c->persons[*ix];
        p->flags |= P_IN_PROV;
        if (!p->prov) {
            if (!(p->prov = blob_make(c, rec, PV_COLS, PV__N)))
                return BIDUI_ENOMEM;
            p->prov_file = (uint16_t)rec->in->index;
            p->prov_line = (uint32_t)rec->line;
        }
    }
    rec->in->rows_used++;
    return STAGE_DROP;
}

static void prov_prefetch(stage_t *self, const record_t *rec)
{
    idmap_prefetch(&((cmp_t *)self->st)->person_ix, rec->id.key);
}

stage_t *stage_load_province_new(cmp_t *c)
{
    stage_t *s = stage_borrowing("load_province", c, prov_process);
    if (s)
        s->prefetch = prov_prefetch;
    return s;
}
