/* The comparison's model: categories, programme groups, blobs, freeing. */
#include <stdlib.h>
#include <string.h>
#include "compare.h"
#include "err.h"
#include "record.h"

static const char *const CATS[CAT__N] = {"建档立卡", "监测", "低保", "特困", "孤儿", "残疾"};

const char *cat_zh(int c) { return c >= 0 && c < CAT__N ? CATS[c] : "?"; }

int cat_parse(const char *s)
{
    for (int c = 0; c < CAT__N; c++)
        if (!strcmp(s, CATS[c]))
            return c;
    /* the longer names staff also type */
    if (!strcmp(s, "监测对象") || !strcmp(s, "防返贫监测"))
        return CAT_MONITOR;
    if (!strcmp(s, "农村低保") || !strcmp(s, "低保户"))
        return CAT_DIBAO;
    if (!strcmp(s, "特困供养"))
        return CAT_TEKUN;
    if (!strcmp(s, "脱贫户") || !strcmp(s, "原建档立卡"))
        return CAT_JDLK;
    return -1;
}

unsigned cat_mask_of_label(const char *l)
{
    unsigned m = 0;
    if (strstr(l, "建档立卡") || strstr(l, "脱贫"))
        m |= 1u << CAT_JDLK;
    if (strstr(l, "监测"))
        m |= 1u << CAT_MONITOR;
    if (strstr(l, "低保"))
        m |= 1u << CAT_DIBAO;
    if (strstr(l, "特困"))
        m |= 1u << CAT_TEKUN;
    if (strstr(l, "孤儿"))
        m |= 1u << CAT_ORPHAN;
    if (strstr(l, "残疾"))
        m |= 1u << CAT_DISABLED;
    return m;
}

const char *cat_join(unsigned mask, char *buf, size_t cap)
{
    size_t o = 0;
    buf[0] = 0;
    for (int c = 0; c < CAT__N; c++) {
        if (!(mask & (1u << c)))
            continue;
        size_t n = strlen(CATS[c]), sep = o ? strlen("、") : 0;
        if (o + sep + n + 1 > cap)
            break;
        if (sep) {
            memcpy(buf + o, "、", sep);
            o += sep;
        }
        memcpy(buf + o, CATS[c], n + 1);
        o += n;
    }
    return buf;
}

static const char *const AIDG[AIDG__N] = {"学前", "义务教育", "普高", "中职", "其他"};

const char *aidg_zh(int g) { return g >= 0 && g < AIDG__N ? AIDG[g] : "?"; }

int aidg_of_programme(const char *p)
{
    if (strstr(p, "学前") || strstr(p, "幼儿"))
        return AIDG_PRESCHOOL;
    if (strstr(p, "义务") || strstr(p, "生活补助") || strstr(p, "营养"))
        return AIDG_COMPULSORY;
    if (strstr(p, "中职") || strstr(p, "中等职业"))
        return AIDG_VOCATIONAL;
    if (strstr(p, "普高") || strstr(p, "高中"))
        return AIDG_SENIOR;
    return AIDG_OTHER;
}


static int is_space_at(const char *s, size_t n, size_t *w)
{
    if (n >= 1 && (s[0] == ' ' || s[0] == '\t' || s[0] == '\r' || s[0] == '\n'))
        return (*w = 1);
    if (n >= 2 && (unsigned char)s[0] == 0xc2 && (unsigned char)s[1] == 0xa0)
        return (*w = 2);
    if (n >= 3 && !memcmp(s, "\xe3\x80\x80", 3))
        return (*w = 3);
    return 0;
}

/* Trim ASCII and CJK white space from both ends. */
static void trim(const char **s, size_t *n)
{
    size_t w;
    while (*n && is_space_at(*s, *n, &w)) {
        *s += w;
        *n -= w;
    }
    for (;;) {
        if (*n >= 1 && is_space_at(*s + *n - 1, 1, &w)) {
            *n -= 1;
        } else if (*n >= 2 && is_space_at(*s + *n - 2, 2, &w) && w == 2) {
            *n -= 2;
        } else if (*n >= 3 && is_space_at(*s + *n - 3, 3, &w) && w == 3) {
            *n -= 3;
        } else {
            break;
        }
    }
}

static const char *blob_build(arena_t *a, const char *const *s, const size_t *len, int n)
{
    size_t total = 2 * (size_t)n;
    for (int i = 0; i < n; i++)
        total += len[i] + 1;
    char *b = arena_alloc(a, total);
    if (!b)
        return NULL;
    uint16_t off[PR__N + RS__N];
    size_t o = 2 * (size_t)n;
    for (int i = 0; i < n; i++) {
        off[i] = (uint16_t)o;
        memcpy(b + o, s[i], len[i]);
        o += len[i];
        b[o++] = 0;
    }
    memcpy(b, off, 2 * (size_t)n);
    return b;
}

const char *blob_of(cmp_t *c, const char *const *s, int n)
{
    size_t len[PR__N + RS__N];
    for (int i = 0; i < n; i++)
        len[i] = strlen(s[i]);
    return blob_build(&c->arena, s, len, n);
}

const char *blob_make(cmp_t *c, const record_t *rec, const int *cols, int n)
{
    return blob_make_in(&c->arena, rec, cols, n);
}

const char *blob_make_in(arena_t *a, const record_t *rec, const int *cols, int n)
{
    const char *s[PR__N + RS__N];
    size_t len[PR__N + RS__N];
    for (int i = 0; i < n; i++) {
        const field_t *f = rec_col(rec, (canon_col)cols[i]);
        s[i] = f->s;
        len[i] = f->n;
        trim(&s[i], &len[i]);
        if (len[i] > BLOB_FIELD_MAX) {
            /* cut at a character boundary; every list shows it cut */
            size_t k = BLOB_FIELD_MAX;
            while (k && ((unsigned char)s[i][k] & 0xc0) == 0x80)
                k--;
            len[i] = k;
            log_warn("%s:%ld: a %s of %zu bytes is cut to %zu in the lists", rec->in->path,
                     rec->line, col_name((canon_col)cols[i]), f->n, k);
        }
    }
    return blob_build(a, s, len, n);
}

int cmp_add_name(cmp_t *c, uint64_t key, const char *name, const char *school,
                 const record_t *rec)
{
    if (mem_grow((void **)&c->names, &c->cap_names, c->nnames + 1, sizeof *c->names) < 0)
        return BIDUI_ENOMEM;
    name_obs_t *o = &c->names[c->nnames++];
    o->key = key;
    o->name = name;
    o->school = school;
    o->file = (uint16_t)rec->in->index;
    o->line = (uint32_t)rec->line;
    return 0;
}

static void known_add(cmp_t *c, uint64_t key)
{
    uint64_t h;
    uint64_t *l = (uint64_t *)known_line(c, key, &h);
    unsigned a = (unsigned)h & 511, b = (unsigned)(h >> 9) & 511;
    l[a >> 6] |= 1ull << (a & 63);
    l[b >> 6] |= 1ull << (b & 63);
}

int cmp_build_known(cmp_t *c)
{
    size_t keys = c->npersons + c->pay_ix.n, lines = 64;
    while (lines * 512 < keys * 8)
        lines *= 2;
    mem_free(c->known, c->known_lines * 64);
    if (!(c->known = mem_calloc(lines, 64))) {
        c->known_lines = 0;
        return BIDUI_ENOMEM;
    }
    c->known_lines = lines;
    for (size_t i = 0; i < c->npersons; i++)
        known_add(c, c->persons[i].key);
    for (size_t i = 0; i < c->npayments; i++)
        if (c->payments[i].flags & PAY_FIRST)
            known_add(c, c->payments[i].key);
    return 0;
}

void cmp_free(cmp_t *c)
{
    for (int i = 0; i < c->ninputs; i++)
        input_free(c->inputs[i]);
    free(c->inputs);
    rejects_free(&c->rejects);
    arena_free(&c->arena);
    arena_free(&c->pay_arena);
    mem_free(c->persons, c->cap_persons * sizeof *c->persons);
    mem_free(c->payments, c->cap_payments * sizeof *c->payments);
    mem_free(c->names, c->cap_names * sizeof *c->names);
    mem_free(c->dups, c->cap_dups * sizeof *c->dups);
    idmap_free(&c->person_ix);
    idmap_free(&c->pay_ix);
    idmap_free(&c->roster_ids);
    mem_free(c->known, c->known_lines * 64);
    memset(c, 0, sizeof *c);
}
