/* load_registry: the sink of registry inputs. A person is one ID: a second
 * row of the same ID (another category list, or the same list twice) adds
 * its category, fills what the first row left empty, and, when its name
 * differs, leaves a name observation for the name check. */
#include <string.h>
#include "compare.h"
#include "err.h"
#include "name.h"
#include "stages.h"

typedef struct {
    cmp_t *c;
    int cat;
} reg_st;

static const int PR_COLS[PR__N] = {COL_NAME, COL_COUNTY, COL_TOWNSHIP, COL_VILLAGE,
    COL_HOUSEHOLD, COL_RELATION, COL_SCHOOL_STATUS, COL_NONATTEND, COL_DESTINATION,
    COL_HEAD_NAME};

/* Fill the fields the held blob lacks from this row's blob. */
static const char *merge(cmp_t *c, const char *old, const char *new)
{
    const char *s[PR__N];
    int changed = 0;
    for (int i = 0; i < PR__N; i++) {
        const char *a = blob_get(old, i), *b = blob_get(new, i);
        changed |= !*a && *b;
        s[i] = *a ? a : b;
    }
    return changed ? blob_of(c, s, PR__N) : old;
}

static int reg_process(stage_t *self, record_t *rec)
{
    reg_st *st = self->st;
    cmp_t *c = st->c;
    int added;
    uint64_t *ix = idmap_put(&c->person_ix, rec->id.key, c->npersons, &added);
    const char *blob = blob_make(c, rec, PR_COLS, PR__N);
    if (!ix || !blob)
        return BIDUI_ENOMEM;
    if (added) {
        if (mem_grow((void **)&c->persons, &c->cap_persons, c->npersons + 1,
                     sizeof *c->persons) < 0)
            return BIDUI_ENOMEM;
        person_t *p = &c->persons[c->npersons++];
        memset(p, 0, sizeof *p);
        p->key = rec->id.key;
        p->reg = blob;
        p->reg_file = (uint16_t)rec->in->index;
        p->reg_line = (uint32_t)rec->line;
        p->cats = (uint8_t)(1u << st->cat);
    } else {
        person_t *p = &c->persons[*ix];
        p->cats |= (uint8_t)(1u << st->cat);
        const char *name = blob_get(blob, PR_NAME);
        if (*name && strcmp(name, blob_get(p->reg, PR_NAME)) != 0
            && cmp_add_name(c, p->key, name, NULL, rec) < 0)
            return BIDUI_ENOMEM;
        if (!(p->reg = merge(c, p->reg, blob)))
            return BIDUI_ENOMEM;
    }
    rec->in->rows_used++;
    return STAGE_DROP;
}

static void reg_prefetch(stage_t *self, const record_t *rec)
{
    idmap_prefetch(&((reg_st *)self->st)->c->person_ix, rec->id.key);
}

stage_t *stage_load_registry_new(cmp_t *c, int cat)
{
    stage_t *s = stage_new("load_registry", sizeof(reg_st));
    if (s) {
        reg_st *st = s->st;
        st->c = c;
        st->cat = cat;
        s->process = reg_process;
        s->prefetch = reg_prefetch;
    }
    return s;
}
