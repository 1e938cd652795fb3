/* See track.h. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "err.h"
#include "name.h"
#include "track.h"
#include "uthash_oom.h"

static const char *const EXSTATE_ZH[EX__N] = {"新增", "持续", "重新出现", "已处理"};
/* The letter that starts a list's 编号. */
static const char LIST_LETTER[L__N] = {'M', 'C', 'P', 'D', 'I', 'N', 'R', 'X', 'J'};

const char *exstate_zh(int s) { return s >= 0 && s < EX__N ? EXSTATE_ZH[s] : "?"; }

int list_parse(const char *key)
{
    for (int l = 0; l < L__N; l++)
        if (!strcmp(key, list_key(l)))
            return l;
    return -1;
}

struct no_ix {
    const char *no;
    size_t ix;
    UT_hash_handle hh;
};

int track_add_prev(track_t *t, const exc_t *e)
{
    exc_t *old = track_prev_of(t, e->list, e->key);
    if (old) {           /* the same exception twice: the later row wins */
        *old = *e;
        return 0;
    }
    if (mem_grow((void **)&t->prev, &t->capprev, t->nprev + 1, sizeof *t->prev) < 0)
        return BIDUI_ENOMEM;
    int added;
    uint64_t *v = idmap_put(&t->prev_ix[e->list], e->key, t->nprev, &added);
    if (!v)
        return BIDUI_ENOMEM;
    t->prev[t->nprev++] = *e;
    return 0;
}

exc_t *track_prev_of(track_t *t, int list, uint64_t key)
{
    uint64_t *v = list >= 0 && list < L__N ? idmap_get(&t->prev_ix[list], key) : NULL;
    return v ? &t->prev[*v] : NULL;
}

exc_t *track_find_no(track_t *t, const char *no)
{
    if (!t->by_no) {
        for (size_t i = 0; i < t->nprev; i++) {
            struct no_ix *x = mem_calloc(1, sizeof *x), *dup;
            if (!x) {
                t->oom = 1;
                return NULL;
            }
            x->no = t->prev[i].no;
            x->ix = i;
            HASH_FIND_STR(t->by_no, x->no, dup);
            if (dup) {
                mem_free(x, sizeof *x);
                continue;
            }
            HASH_ADD_KEYPTR(hh, t->by_no, x->no, strlen(x->no), x);
            if (uthash_oom_take()) {
                mem_free(x, sizeof *x);
                t->oom = 1;
                return NULL;
            }
        }
    }
    struct no_ix *x;
    HASH_FIND_STR(t->by_no, no, x);
    return x ? &t->prev[x->ix] : NULL;
}

const exc_t *track_get(const track_t *t, int list, uint64_t key)
{
    uint64_t *v = idmap_get(&t->cur_ix[list], key);
    return v ? &t->cur[*v] : NULL;
}

/* ---- fingerprints of the facts ---- */

static uint64_t fnv(uint64_t h, const char *s)
{
    for (; *s; s++) {
        h ^= (unsigned char)*s;
        h *= 0x100000001b3ull;
    }
    h ^= 0x1f;   /* field separator */
    return h * 0x100000001b3ull;
}
#define FNV0 0xcbf29ce484222325ull

/* The fingerprint of one row of list l (multi-row lists add their rows up,
 * so the order of rows does not matter). */
static uint64_t row_fp(const cmp_t *c, const results_t *r, int l, size_t item)
{
    const person_t *p = l <= L_DROPOUT ? &c->persons[item] : NULL;
    switch (l) {
    case L_MISSED:
        return fnv(fnv(FNV0, blob_get(p->school, RS_SCHOOL_CODE)), blob_get(p->school, RS_SCHOOL_NAME));
    case L_OUT_OF_COUNTY:
        return fnv(fnv(FNV0, blob_get(p->prov, PV_SCHOOL)), blob_get(p->prov, PV_COUNTY));
    case L_OUT_OF_PROVINCE:
        return fnv(fnv(FNV0, blob_get(p->reg, PR_STATUS)), blob_get(p->reg, PR_DEST));
    case L_DROPOUT:
        return fnv(fnv(FNV0, blob_get(p->reg, PR_STATUS)), blob_get(p->reg, PR_NONATTEND));
    case L_IDENTITY:
    case L_PAID_NOT_ENROLLED: {
        const char *b = c->payments[item].blob;
        return fnv(fnv(FNV0, blob_get(b, PB_PROGRAMME)), blob_get(b, PB_TERM));
    }
    case L_DUPLICATE:
        return fnv(FNV0, blob_get(c->dups[item].blob, RS_SCHOOL_CODE));
    case L_NAME_MISMATCH: {
        char norm[128];
        const char *n = r->mm[item].name;
        name_norm(n, strlen(n), norm, sizeof norm);
        return fnv(FNV0, norm);
    }
    }
    return 0;
}

static uint64_t row_key(const cmp_t *c, const results_t *r, int l, size_t item, const char **name)
{
    switch (l) {
    case L_IDENTITY:
    case L_PAID_NOT_ENROLLED:
        *name = blob_get(c->payments[item].blob, PB_NAME);
        return c->payments[item].key;
    case L_DUPLICATE:
        *name = blob_get(c->dups[item].blob, RS_NAME);
        return c->dups[item].key;
    case L_NAME_MISMATCH:
        *name = r->mm[item].name;
        return r->mm[item].key;
    default:
        *name = blob_get(c->persons[item].reg, PR_NAME);
        return c->persons[item].key;
    }
}

/* Why an exception of the previous run is gone now; NULL when out of
 * memory. */
static const char *why_gone(track_t *t, const cmp_t *c, const results_t *r, const exc_t *e)
{
    uint64_t *pi = idmap_get(&c->person_ix, e->key);
    switch (e->list) {
    case L_MISSED:
    case L_OUT_OF_COUNTY:
    case L_OUT_OF_PROVINCE:
    case L_DROPOUT: {
        if (!pi)
            return "已退出名单";
        int st = r->status[*pi];
        if (st == ST_OUT_OF_SCOPE)
            return "超出比对范围（年龄）";
        const char *reply = c->persons[*pi].reply;   /* a province's reply is evidence */
        size_t cap = 64 + (reply ? strlen(reply) : 0);
        char *s = arena_alloc(&t->arena, cap);
        if (s)
            snprintf(s, cap, "现为：%s%s%s", status_zh(st), reply ? "；" : "", reply ? reply : "");
        return s;   /* NULL: out of memory, not an empty reason */
    }
    case L_IDENTITY:
        return idmap_get(&c->pay_ix, e->key) ? "已与名单一致" : "本期无此发放";
    case L_PAID_NOT_ENROLLED:
        return idmap_get(&c->roster_ids, e->key) ? "已有本县学籍" : "本期无此发放";
    case L_DUPLICATE:
        return idmap_get(&c->roster_ids, e->key) ? "已无重复学籍" : "已不在本县学籍";
    default:
        return "姓名已一致或不再出现";
    }
}

/* The next free sequence number of list l for this run's label. */
static unsigned next_seq(const track_t *t, int l)
{
    char prefix[48];
    snprintf(prefix, sizeof prefix, "%c%s-", LIST_LETTER[l], t->label);
    size_t pl = strlen(prefix);
    unsigned max = 0;
    for (size_t i = 0; i < t->nprev; i++)
        if (!strncmp(t->prev[i].no, prefix, pl)) {
            unsigned v = (unsigned)strtoul(t->prev[i].no + pl, NULL, 10);
            if (v > max)
                max = v;
        }
    return max + 1;
}

int track_apply(track_t *t, const cmp_t *c, const results_t *r)
{
    for (int l = 0; l < L__N; l++) {
        if (l == L_REJECTS)
            continue;   /* rows of files, not exceptions about a child */
        size_t first = t->ncur;
        /* gather: one exception per key; fingerprints add up over rows */
        for (size_t i = 0; i < r->n[l]; i++) {
            size_t item = r->items[l][i];
            const char *name;
            uint64_t key = row_key(c, r, l, item, &name), fp = row_fp(c, r, l, item);
            int added;
            uint64_t *v = idmap_put(&t->cur_ix[l], key, t->ncur, &added);
            if (!v)
                return BIDUI_ENOMEM;
            if (!added) {
                t->cur[*v].fp += fp;
                continue;
            }
            if (mem_grow((void **)&t->cur, &t->capcur, t->ncur + 1, sizeof *t->cur) < 0)
                return BIDUI_ENOMEM;
            exc_t *e = &t->cur[t->ncur++];
            memset(e, 0, sizeof *e);
            e->key = key;
            e->list = (uint8_t)l;
            e->fp = fp;
            e->name = name;
        }
        /* classify against the previous run, in the list's own order */
        unsigned seq = next_seq(t, l);
        for (size_t i = first; i < t->ncur; i++) {
            exc_t *e = &t->cur[i];
            exc_t *p = track_prev_of(t, l, e->key);
            if (p) {
                p->seen = 1;
                memcpy(e->no, p->no, sizeof e->no);
                e->first = p->first;
                if (p->result && p->fp == e->fp) {
                    e->state = EX_CLOSED;
                    e->result = p->result;
                    e->rdate = p->rdate;
                    e->rsrc = p->rsrc;
                    e->resolved_now = p->resolved_now;
                    t->closed[l]++;
                    if (p->resolved_now)
                        t->delta[l][2]++;
                } else if (p->result) {
                    e->state = EX_REOPENED;
                    t->delta[l][0]++;
                } else {
                    e->state = EX_OPEN;
                    t->delta[l][1]++;
                }
            } else {
                e->state = EX_NEW;
                e->first = t->label;
                snprintf(e->no, sizeof e->no, "%c%s-%05u", LIST_LETTER[l], t->label, seq++);
                t->delta[l][0]++;
            }
        }
    }
    /* what the previous run had and this one has not */
    for (size_t i = 0; i < t->nprev; i++) {
        exc_t *p = &t->prev[i];
        if (p->seen)
            continue;
        if (mem_grow((void **)&t->gone, &t->capgone, t->ngone + 1, sizeof *t->gone) < 0)
            return BIDUI_ENOMEM;
        if (!(p->why = why_gone(t, c, r, p)))
            return BIDUI_ENOMEM;
        t->gone[t->ngone++] = i;
        t->delta[p->list][2]++;
    }
    return 0;
}

void track_free(track_t *t)
{
    struct no_ix *x, *tmp;
    HASH_ITER(hh, t->by_no, x, tmp) {
        HASH_DEL(t->by_no, x);
        mem_free(x, sizeof *x);
    }
    for (int l = 0; l < L__N; l++) {
        idmap_free(&t->prev_ix[l]);
        idmap_free(&t->cur_ix[l]);
    }
    mem_free(t->prev, t->capprev * sizeof *t->prev);
    mem_free(t->cur, t->capcur * sizeof *t->cur);
    mem_free(t->gone, t->capgone * sizeof *t->gone);
    arena_free(&t->arena);
    memset(t, 0, sizeof *t);
}
