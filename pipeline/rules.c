/* The rules. Read this file next to the "The rules": each step is
 * written in the same order. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "err.h"
#include "id.h"
#include "name.h"
#include "memo.h"
#include "rules.h"

static const char *const LIST_KEYS[L__N] = {"missed", "out_of_county", "out_of_province",
    "dropout_suspects", "identity_in_doubt", "paid_not_enrolled", "duplicate_enrollment",
    "name_mismatch", "rejects"};
static const char *const LIST_ZH[L__N] = {"应助未助", "县外省内就读", "省外就读（状态不明）",
    "疑似失学辍学", "身份存疑（可能错发）", "已资助但无学籍", "重复学籍", "姓名不一致", "数据质量拒收"};
static const char *const STATUS_ZH[] = {"不在比对范围", "正常", "在校（未核对资助）", "应助未助",
    "县外省内就读", "省外就读", "疑似失学辍学", "未在校", "省外就读（已回函核实）"};
static const char *const SG_ZH[SG__N] = {"学前", "小学", "初中", "普高", "中职", "特殊教育", "其他"};

static const char *const LIST_FILES[L__N] = {"missed.csv", "out_of_county.csv",
    "out_of_province.csv", "dropout_suspects.csv", "identity_in_doubt.csv",
    "paid_not_enrolled.csv", "duplicate_enrollment.csv", "name_mismatch.csv", "rejects.csv"};

const char *list_file(int l) { return l >= 0 && l < L__N ? LIST_FILES[l] : "?"; }

const char *list_key(int l) { return l >= 0 && l < L__N ? LIST_KEYS[l] : "?"; }
const char *list_zh(int l) { return l >= 0 && l < L__N ? LIST_ZH[l] : "?"; }
const char *status_zh(int st) { return st >= 0 && st <= ST_ELSEWHERE_CONFIRMED ? STATUS_ZH[st] : "?"; }
const char *sg_zh(int s) { return s >= 0 && s < SG__N ? SG_ZH[s] : "?"; }

int sg_of(const char *s)
{
    if (strstr(s, "特殊") || strstr(s, "特教"))
        return SG_SPECIAL;
    if (strstr(s, "学前") || strstr(s, "幼儿"))
        return SG_PRESCHOOL;
    if (strstr(s, "小学"))
        return SG_PRIMARY;
    if (strstr(s, "初中"))
        return SG_JUNIOR;
    if (strstr(s, "中职") || strstr(s, "中等职业") || strstr(s, "职高"))
        return SG_VOCATIONAL;
    if (strstr(s, "高中") || strstr(s, "普高"))
        return SG_SENIOR;
    return SG_OTHER;
}

int status_names_stage(const char *s)
{
    /* 非在校生, 未上学, 已毕业, 辍学 … name a stage only to deny it. */
    static const char *const NOT[] = {"非", "未", "毕业", "辍学", "失学", "休学", "肄业"};
    static const char *const STAGES[] = {"学前", "幼儿园", "小学", "初中", "高中", "普高",
                                         "中职", "中等职业", "职高", "技工", "特殊教育", "特教"};
    for (size_t i = 0; i < sizeof NOT / sizeof NOT[0]; i++)
        if (strstr(s, NOT[i]))
            return 0;
    for (size_t i = 0; i < sizeof STAGES / sizeof STAGES[0]; i++)
        if (strstr(s, STAGES[i]))
            return 1;
    return 0;
}

static int status_has_reason(const char *status);

int has_nonattend_reason(const char *reason, const char *status)
{
    return *reason || status_has_reason(status);
}

/* Some exports put the reason into 在校生状况 itself. */
static int status_has_reason(const char *status)
{
    static const char *const R[] = {"送教上门", "延缓", "缓学", "休学", "因病", "因残", "重度残疾"};
    for (size_t i = 0; i < sizeof R / sizeof R[0]; i++)
        if (strstr(status, R[i]))
            return 1;
    return 0;
}

/* The comparison's scope: aged 3 to 18 on the as-of date, or her
 * 在校生状况 names a school stage (whatever her age). */
static int in_scope(int age, int names_stage)
{
    return (age >= 3 && age <= 18) || names_stage;
}

static int person_age(const cmp_t *c, const person_t *p)
{
    char id[19];
    id_from_key(p->key, id);
    return id_age_on(id_birth(id), c->as_of);
}

/* The province a destination text names ("浙江省宁波市" -> 浙江), or "". */
static int dest_province_code(const char *dest)
{
    int best = 0;
    const char *at = NULL;
    for (int code = 11; code <= 82; code++) {
        const char *n = id_province_name(code);
        const char *hit = n ? strstr(dest, n) : NULL;
        if (hit && (!at || hit < at)) {
            at = hit;
            best = code;
        }
    }
    return best;
}

const char *dest_province(const char *dest)
{
    /* The sort of the out-of-province list asks this twice a comparison:
     * remembered, since a county's 务工地点 take a few dozen values. The
     * rules and the writers run on the main thread only. */
    static memo_t memo;
    int code = memo_get(&memo, dest, dest_province_code);
    return code ? id_province_name(code) : "";
}

static int push(results_t *r, int l, size_t v)
{
    if (mem_grow((void **)&r->items[l], &r->cap[l], r->n[l] + 1, sizeof(size_t)) < 0)
        return BIDUI_ENOMEM;
    r->items[l][r->n[l]++] = v;
    return 0;
}

/* ---- orders of the lists ---- */

static int cmp_str(const char *a, const char *b) { return strcmp(a, b); }
#define CMP(a, b) ((a) < (b) ? -1 : (a) > (b))

static int by_household(const void *x, const void *y, void *ctx)
{
    const cmp_t *c = ctx;
    const person_t *a = &c->persons[*(const size_t *)x], *b = &c->persons[*(const size_t *)y];
    int d;
    static const int F[] = {PR_TOWNSHIP, PR_VILLAGE, PR_HOUSEHOLD};
    for (int i = 0; i < 3; i++)
        if ((d = cmp_str(blob_get(a->reg, F[i]), blob_get(b->reg, F[i]))))
            return d;
    return CMP(a->key, b->key);
}

static int by_destination(const void *x, const void *y, void *ctx)
{
    const cmp_t *c = ctx;
    const person_t *a = &c->persons[*(const size_t *)x], *b = &c->persons[*(const size_t *)y];
    const char *pa = dest_province(blob_get(a->reg, PR_DEST));
    const char *pb = dest_province(blob_get(b->reg, PR_DEST));
    /* known destinations first, the unknown ones together at the end */
    if (!*pa != !*pb)
        return *pa ? -1 : 1;
    int d = cmp_str(pa, pb);
    return d ? d : by_household(x, y, ctx);
}

static int by_school(const void *x, const void *y, void *ctx)
{
    const cmp_t *c = ctx;
    const person_t *a = &c->persons[*(const size_t *)x], *b = &c->persons[*(const size_t *)y];
    static const int F[] = {RS_SCHOOL_CODE, RS_SCHOOL_NAME, RS_GRADE, RS_CLASS};
    int d;
    for (int i = 0; i < 4; i++)
        if ((d = cmp_str(blob_get(a->school, F[i]), blob_get(b->school, F[i]))))
            return d;
    return CMP(a->key, b->key);
}

static int by_payment_source(const void *x, const void *y, void *ctx)
{
    const cmp_t *c = ctx;
    const payment_t *a = &c->payments[*(const size_t *)x], *b = &c->payments[*(const size_t *)y];
    return a->file != b->file ? CMP(a->file, b->file) : CMP(a->line, b->line);
}

static int by_key_file_line(const void *x, const void *y)
{
    const dup_row_t *a = x, *b = y;
    if (a->key != b->key)
        return CMP(a->key, b->key);
    return a->file != b->file ? CMP(a->file, b->file) : CMP(a->line, b->line);
}

static int names_by_key(const void *x, const void *y)
{
    const name_obs_t *a = x, *b = y;
    if (a->key != b->key)
        return CMP(a->key, b->key);
    return a->file != b->file ? CMP(a->file, b->file) : CMP(a->line, b->line);
}

static void sort_list(results_t *r, int l, int (*cmp)(const void *, const void *, void *),
                      cmp_t *c)
{
    if (r->n[l])   /* an empty list has no array, and qsort_r must not get NULL */
        qsort_r(r->items[l], r->n[l], sizeof(size_t), cmp, c);
}

/* ---- the name check ---- */

typedef struct {
    const char *name;
    unsigned file;
    long line;
} obs_t;

typedef struct {
    obs_t *v;
    size_t n, cap;
} obsv_t;

static int obs_add(obsv_t *o, const char *name, unsigned file, long line)
{
    if (!*name)
        return 0;   /* an empty name is missing, not different */
    if (mem_grow((void **)&o->v, &o->cap, o->n + 1, sizeof *o->v) < 0)
        return BIDUI_ENOMEM;
    o->v[o->n++] = (obs_t){name, file, line};
    return 0;
}

/* A paid pupil outside the registry left the name of whichever of her
 * roster rows reached the tables first (probe_roster.c). Where she has
 * several rows (the rosters may be read two files at a time), make that
 * her first row by (file, line): the first of her captured rows. dups must
 * be sorted by key, file, line. */
static void first_roster_names(cmp_t *c)
{
    for (size_t i = 0; i < c->nnames; i++) {
        name_obs_t *o = &c->names[i];
        const uint64_t *v = o->school ? idmap_get(&c->roster_ids, o->key) : NULL;
        if (!v || !(*v & ROSTER_DUP))
            continue;
        size_t lo = 0, hi = c->ndups;
        while (lo < hi) {
            size_t mid = lo + (hi - lo) / 2;
            if (c->dups[mid].key < o->key)
                lo = mid + 1;
            else
                hi = mid;
        }
        if (lo < c->ndups && c->dups[lo].key == o->key) {
            const dup_row_t *d = &c->dups[lo];
            o->name = blob_get(d->blob, RS_NAME);
            o->school = d->blob;
            o->file = d->file;
            o->line = d->line;
        }
    }
}

/* Where the names and duplicate rows of an ID start in their key-sorted
 * arrays: a table built once (few IDs have either), so that each of the
 * millions of IDs the name check visits costs one probe of a small table
 * instead of two binary searches through large arrays. The value: first
 * name index + 1 (low 32 bits), first duplicate row index + 1 (high). */
static int index_extras(const cmp_t *c, idmap_t *ex)
{
    int added;
    for (size_t i = 0; i < c->nnames; i++)
        if (i == 0 || c->names[i - 1].key != c->names[i].key) {
            uint64_t *v = idmap_put(ex, c->names[i].key, 0, &added);
            if (!v)
                return BIDUI_ENOMEM;
            *v |= (uint64_t)(i + 1);
        }
    for (size_t i = 0; i < c->ndups; i++)
        if (i == 0 || c->dups[i - 1].key != c->dups[i].key) {
            uint64_t *v = idmap_put(ex, c->dups[i].key, 0, &added);
            if (!v)
                return BIDUI_ENOMEM;
            *v |= (uint64_t)(i + 1) << 32;
        }
    return 0;
}

/* Gather every name seen for key; a mismatch when two do not match. */
static int check_names(cmp_t *c, results_t *r, obsv_t *o, const idmap_t *ex, uint64_t key,
                       const person_t *p, uint32_t pay_head)
{
    int rc = 0;
    o->n = 0;
    const uint64_t *at = idmap_get(ex, key);
    size_t name0 = at ? (uint32_t)*at : 0, dup0 = at ? (size_t)(*at >> 32) : 0;
    /* no match: past the end, so the loops below stop at once */
    name0 = name0 ? name0 - 1 : c->nnames;
    dup0 = dup0 ? dup0 - 1 : c->ndups;
    if (p) {
        rc |= obs_add(o, blob_get(p->reg, PR_NAME), p->reg_file, p->reg_line);
        if (p->school)
            rc |= obs_add(o, blob_get(p->school, RS_NAME), p->roster_file, p->roster_line);
    }
    for (size_t i = name0; i < c->nnames && c->names[i].key == key; i++)
        rc |= obs_add(o, c->names[i].name, c->names[i].file, c->names[i].line);
    for (uint32_t i = pay_head; i; i = c->payments[i - 1].next)
        rc |= obs_add(o, blob_get(c->payments[i - 1].blob, PB_NAME), c->payments[i - 1].file,
                      c->payments[i - 1].line);
    for (size_t i = dup0; i < c->ndups && c->dups[i].key == key; i++)
        rc |= obs_add(o, blob_get(c->dups[i].blob, RS_NAME), c->dups[i].file, c->dups[i].line);
    if (rc)
        return BIDUI_ENOMEM;
    if (o->n < 2)
        return 0;
    /* The common case: the same bytes everywhere, nothing to normalize. */
    size_t same = 1;
    while (same < o->n && !strcmp(o->v[same].name, o->v[0].name))
        same++;
    if (same == o->n)
        return 0;

    /* Group the observations by name; representatives are the first of each. */
    char norm[64][128];
    size_t reps[64], nreps = 0;
    for (size_t i = 0; i < o->n && nreps < 64; i++) {
        char cur[128];
        name_norm(o->v[i].name, strlen(o->v[i].name), cur, sizeof cur);
        size_t k;
        for (k = 0; k < nreps; k++)
            if (name_same(cur, norm[k]))
                break;
        if (k == nreps) {
            memcpy(norm[nreps], cur, sizeof cur);
            reps[nreps++] = i;
        }
    }
    if (nreps < 2)
        return 0;
    /* the school her mismatch goes to (--split): her county school, or the
     * first roster row that showed a name */
    const char *school = p && p->school ? p->school : NULL;
    for (size_t i = dup0; !school && i < c->ndups && c->dups[i].key == key; i++)
        school = c->dups[i].blob;
    for (size_t i = name0; !school && i < c->nnames && c->names[i].key == key; i++)
        school = c->names[i].school;
    size_t len = 1;
    for (size_t k = 0; k < nreps; k++)
        len += strlen(o->v[reps[k]].name) + strlen(c->inputs[o->v[reps[k]].file]->path) + 48;
    char *d = arena_alloc(&c->arena, len);
    if (!d)
        return BIDUI_ENOMEM;
    size_t off = 0;
    for (size_t k = 0; k < nreps; k++) {
        const obs_t *x = &o->v[reps[k]];
        off += (size_t)snprintf(d + off, len - off, "%s%s（%s:%ld）", k ? "；" : "", x->name,
                                c->inputs[x->file]->path, x->line);
    }
    if (mem_grow((void **)&r->mm, &r->capmm, r->nmm + 1, sizeof *r->mm) < 0)
        return BIDUI_ENOMEM;
    r->mm[r->nmm++] = (mismatch_t){key, o->v[0].name, d, school};
    return 0;
}

static int mm_by_key(const void *x, const void *y)
{
    const mismatch_t *a = x, *b = y;
    return CMP(a->key, b->key);
}

int rules_run(cmp_t *c, results_t *r)
{
    memset(r, 0, sizeof *r);
    r->status = calloc(c->npersons ? c->npersons : 1, 1);
    r->age = calloc(c->npersons ? c->npersons : 1, sizeof *r->age);
    if (!r->status || !r->age)
        return BIDUI_ENOMEM;

    memo_t stage_memo = {0}, sg_memo = {0}, reason_memo = {0};
    /* The name check looks names and duplicate rows up by key. */
    if (c->ndups)   /* qsort's array must not be NULL, even when empty */
        qsort(c->dups, c->ndups, sizeof *c->dups, by_key_file_line);
    first_roster_names(c);
    if (c->nnames)
        qsort(c->names, c->nnames, sizeof *c->names, names_by_key);

    idmap_t ex = {0};
    if (index_extras(c, &ex) < 0) {
        idmap_free(&ex);
        return BIDUI_ENOMEM;
    }

    /* Registry to schools: the first rule that holds. Each person's
     * payments are found once here: their registry categories are written
     * on them, so the payment rules below read the payments in order
     * without a look-up each. */
    obsv_t o = {0};
    int rc = 0;
    for (size_t i = 0; i < c->npersons && !rc; i++) {
        /* Her payments' table slot, then her first payment and her school
         * strings, some persons ahead: each is a miss in memory otherwise. */
        if (i + 32 < c->npersons) {
            idmap_prefetch(&c->pay_ix, c->persons[i + 32].key);
            idmap_prefetch(&ex, c->persons[i + 32].key);
        }
        if (i + 16 < c->npersons) {
            const person_t *ahead = &c->persons[i + 16];
            const uint64_t *h = idmap_get(&c->pay_ix, ahead->key);
            if (h)
                __builtin_prefetch(&c->payments[(uint32_t)*h - 1]);
            if (ahead->school)   /* her roster row's strings, far in the arena */
                __builtin_prefetch(ahead->school);
        }
        person_t *p = &c->persons[i];
        uint64_t *head = idmap_get(&c->pay_ix, p->key);
        p->pay_head = head ? (uint32_t)*head : 0;
        for (uint32_t k = p->pay_head; k; k = c->payments[k - 1].next) {
            c->payments[k - 1].reg_cats = p->cats;
            c->payments[k - 1].flags |= PAY_OF_PERSON;
        }
        int age = r->age[i] = person_age(c, p);
        const char *status = blob_get(p->reg, PR_STATUS);
        int names_stage = memo_get(&stage_memo, status, status_names_stage);
        int st, list = -1;
        if (!in_scope(age, names_stage))
            st = ST_OUT_OF_SCOPE;
        else if (p->flags & P_ENROLLED) {
            if (!c->aid_checked)
                st = ST_UNCHECKED;
            else if (p->pay_head)
                st = ST_FINE;
            else
                st = ST_MISSED, list = L_MISSED;
        } else if (p->flags & P_IN_PROV)
            st = ST_OUT_OF_COUNTY, list = L_OUT_OF_COUNTY;
        else if (p->flags & P_REPLY_NOT_ENROLLED)   /* the province she was thought in says no */
            st = ST_DROPOUT, list = L_DROPOUT;
        else if (names_stage && (p->flags & P_REPLY_STUDYING))
            st = ST_ELSEWHERE_CONFIRMED;            /* enrolled and paid there: not an exception */
        else if (names_stage)
            st = ST_OUT_OF_PROVINCE, list = L_OUT_OF_PROVINCE;
        else if (age >= 6 && age <= 15
                 && !(*blob_get(p->reg, PR_NONATTEND)
                      || memo_get(&reason_memo, status, status_has_reason)))
            st = ST_DROPOUT, list = L_DROPOUT;
        else
            st = ST_NOT_AT_SCHOOL;
        r->status[i] = (uint8_t)st;
        r->by_status[st]++;
        if (st != ST_OUT_OF_SCOPE)
            r->in_scope++;
        if (p->flags & P_ENROLLED && st != ST_OUT_OF_SCOPE)
            r->enrolled_by_stage[memo_get(&sg_memo, blob_get(p->school, RS_STAGE), sg_of)]++;
        if (list >= 0 && push(r, list, i) < 0)
            rc = BIDUI_ENOMEM;
        if (!rc)
            rc = check_names(c, r, &o, &ex, p->key, p, p->pay_head);
    }

    /* Schools and payments to registry. */
    for (size_t i = 0; i < c->npayments && !rc; i++) {
        const payment_t *pay = &c->payments[i];
        unsigned pcats = pay->reg_cats;
        unsigned named = pay->label_cats & c->given_cats;
        if ((named & ~pcats && push(r, L_IDENTITY, i) < 0)
            || (!(pay->flags & PAY_ENROLLED) && push(r, L_PAID_NOT_ENROLLED, i) < 0)) {
            rc = BIDUI_ENOMEM;
            break;
        }
        aid_sum_t *a = &r->aid[pay->group];
        a->payments++;
        a->fen += pay->fen;
        /* registry_* by the join with 建档立卡, never by the payment's own label */
        if (pcats & (1u << CAT_JDLK)) {
            a->reg_payments++;
            a->reg_fen += pay->fen;
        }
    }

    /* Duplicate enrolments: every captured row, grouped by ID. */
    for (size_t i = 0; i < c->ndups && !rc; i++)
        rc = push(r, L_DUPLICATE, i);

    /* Names of IDs outside the registry (her own were checked above). */
    for (size_t i = 0; i < c->npayments && !rc; i++)
        if ((c->payments[i].flags & (PAY_FIRST | PAY_OF_PERSON)) == PAY_FIRST)
            rc = check_names(c, r, &o, &ex, c->payments[i].key, NULL, (uint32_t)i + 1);
    for (size_t i = 0; i < c->ndups && !rc; i++) {
        uint64_t key = c->dups[i].key;
        if ((i == 0 || c->dups[i - 1].key != key) && !idmap_get(&c->person_ix, key)
            && !idmap_get(&c->pay_ix, key))
            rc = check_names(c, r, &o, &ex, key, NULL, 0);
    }
    mem_free(o.v, o.cap * sizeof *o.v);
    idmap_free(&ex);
    if (rc)
        return rc;
    if (r->nmm)
        qsort(r->mm, r->nmm, sizeof *r->mm, mm_by_key);
    for (size_t i = 0; i < r->nmm; i++)
        if (push(r, L_NAME_MISMATCH, i) < 0)
            return BIDUI_ENOMEM;
    for (size_t i = 0; i < c->rejects.n; i++)
        if (push(r, L_REJECTS, i) < 0)
            return BIDUI_ENOMEM;

    /* The orders the lists are written in. */
    sort_list(r, L_MISSED, by_school, c);
    sort_list(r, L_OUT_OF_COUNTY, by_household, c);
    sort_list(r, L_OUT_OF_PROVINCE, by_destination, c);
    sort_list(r, L_DROPOUT, by_household, c);
    sort_list(r, L_IDENTITY, by_payment_source, c);
    sort_list(r, L_PAID_NOT_ENROLLED, by_payment_source, c);
    return 0;
}

size_t *household_order(const cmp_t *c, size_t *n)
{
    size_t *ix = malloc((c->npersons ? c->npersons : 1) * sizeof *ix);
    if (!ix)
        return NULL;
    /* Only those in scope: the ledger shows no one else, and the sort is
     * the cost. Own memo: this may run beside rules_run. */
    memo_t stage_memo = {0};
    *n = 0;
    for (size_t i = 0; i < c->npersons; i++)
        if (in_scope(person_age(c, &c->persons[i]),
                     memo_get(&stage_memo, blob_get(c->persons[i].reg, PR_STATUS),
                              status_names_stage)))
            ix[(*n)++] = i;
    if (*n)
        qsort_r(ix, *n, sizeof *ix, by_household, (void *)c);
    return ix;
}

void results_free(results_t *r)
{
    free(r->status);
    free(r->household);
    free(r->age);
    for (int l = 0; l < L__N; l++)
        mem_free(r->items[l], r->cap[l] * sizeof(size_t));
    mem_free(r->mm, r->capmm * sizeof *r->mm);
    memset(r, 0, sizeof *r);
}
