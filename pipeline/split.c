/* See split.h. Every row of missed, duplicate_enrollment and name_mismatch
 * goes to exactly one school file, and every row of dropout_suspects,
 * out_of_province and out_of_county to exactly one township file, so the
 * files add up to the lists they were split from (closed exceptions are in
 * neither). A row with no school (a name mismatch between registry and
 * payments only) goes to 0000000000_无学籍.csv; no township: （未填乡镇）.csv. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include "csvout.h"
#include "tabout.h"
#include "err.h"
#include "id.h"
#include "split.h"
#include "uthash_oom.h"

const char *dest_province(const char *dest);

char *safe_filename(const char *name, char *out, size_t cap)
{
    size_t o = 0;
    for (const unsigned char *p = (const unsigned char *)name; *p && o + 1 < cap && o < 120; p++) {
        unsigned char ch = *p;
        if (ch < 0x20 || strchr("/\\:*?\"<>|", ch))
            ch = '_';
        /* stop before a multi-byte character that would not fit whole */
        if (ch >= 0xc0) {
            size_t len = ch >= 0xf0 ? 4 : ch >= 0xe0 ? 3 : 2;
            if (o + len >= cap || o + len > 120)
                break;
        }
        out[o++] = (char)ch;
    }
    while (o && (out[o - 1] == '.' || out[o - 1] == ' '))
        o--;
    out[o] = 0;
    if (!o) {
        snprintf(out, cap, "_");
        return out;
    }
    static const char *const RESERVED[] = {"CON", "PRN", "AUX", "NUL", "COM1", "COM2", "COM3",
        "COM4", "COM5", "COM6", "COM7", "COM8", "COM9", "LPT1", "LPT2", "LPT3", "LPT4", "LPT5",
        "LPT6", "LPT7", "LPT8", "LPT9"};
    for (size_t i = 0; i < sizeof RESERVED / sizeof RESERVED[0]; i++) {
        size_t n = strlen(RESERVED[i]);
        if (!strncasecmp(out, RESERVED[i], n) && (out[n] == 0 || out[n] == '.') && o + 1 < cap) {
            memmove(out + 1, out, o + 1);
            out[0] = '_';
            break;
        }
    }
    return out;
}

/* One output file of a split, found by its safe name. */
typedef struct group {
    char *name;              /* file name (safe) */
    tabout_t *f;
    long rows;
    UT_hash_handle hh;
} group_t;

typedef struct {
    const char *dir;         /* dir/by_school … */
    const char *const *head;
    int ncols;
    int mode, masked;
    const tab_format *tf;
    const char *what, *todo;  /* for the 说明 sheet of a workbook */
    group_t *groups;
    int err;
} splitter_t;

static tabout_t *group_file(splitter_t *s, const char *want)
{
    char safe[160];
    safe_filename(want, safe, sizeof safe);
    group_t *g;
    HASH_FIND_STR(s->groups, safe, g);
    if (g)
        return g->f;
    if (!(g = calloc(1, sizeof *g)) || !(g->name = strdup(safe))) {
        free(g);
        s->err = BIDUI_ENOMEM;
        return NULL;
    }
    char what[400];
    snprintf(what, sizeof what, "%s（%s）", s->what, want);
    g->f = tabout_open(s->dir, safe, s->mode, s->tf, what, s->todo, s->masked);
    if (!g->f || tabout_row(g->f, s->head, s->ncols) < 0)
        s->err = BIDUI_EIO;
    HASH_ADD_KEYPTR(hh, s->groups, g->name, strlen(g->name), g);
    if (uthash_oom_take()) {
        if (g->f)
            tabout_close(g->f);
        free(g->name);
        free(g);
        s->err = BIDUI_ENOMEM;
        return NULL;
    }
    return g->f;
}

static int split_close(splitter_t *s)
{
    group_t *g, *tmp;
    int rc = s->err;
    HASH_ITER(hh, s->groups, g, tmp) {
        HASH_DEL(s->groups, g);
        if (g->f && tabout_close(g->f) < 0 && !rc)
            rc = BIDUI_EIO;
        free(g->name);
        free(g);
    }
    return rc;
}

static void row_out(splitter_t *s, const char *group, const char *const *row)
{
    tabout_t *f = group_file(s, group);
    if (f)
        tabout_row(f, row, s->ncols);
}

static const char *show_id(const split_opts *o, uint64_t key, char buf[19])
{
    char id[19];
    id_from_key(key, id);
    if (o->no_mask)
        memcpy(buf, id, 19);
    else
        id_mask(id, buf);
    return buf;
}

/* The tracking columns of a row, or NULL when a resolution has closed it. */
static const exc_t *open_exc(const track_t *t, int l, uint64_t key, int *skip)
{
    const exc_t *e = t ? track_get(t, l, key) : NULL;
    *skip = e && e->state == EX_CLOSED;
    return e;
}

static int mk(const char *dir, const char *sub, char *out, size_t cap)
{
    snprintf(out, cap, "%s/%s", dir, sub);
    if (mkdir(out, 0750) != 0 && errno != EEXIST) {
        log_error("%s: cannot create: %s", out, strerror(errno));
        return BIDUI_EIO;
    }
    return 0;
}

static int by_school(const cmp_t *c, const results_t *r, const track_t *t, const char *dir,
                     const split_opts *o)
{
    static const char *const H[] = {"身份证号", "姓名", "名单", "学校标识码", "学校名称", "学段",
        "年级", "班级", "说明", "编号", "状态", "首次出现", "处理结果", "处理日期"};
    char sub[4200], idb[19], grp[600];
    if (mk(dir, "by_school", sub, sizeof sub) < 0)
        return BIDUI_EIO;
    splitter_t s = {.dir = sub, .head = H, .ncols = 14, .mode = o->no_mask ? 0600 : 0640,
                    .masked = !o->no_mask, .tf = &o->tf, .what = "学校名单",
                    .todo = "本校的应助未助、重复学籍、姓名不一致学生：请逐一核实，填写处理结果、处理日期后交回教育局。"};
    int skip;
    for (size_t i = 0; i < r->n[L_MISSED]; i++) {
        const person_t *p = &c->persons[r->items[L_MISSED][i]];
        const exc_t *e = open_exc(t, L_MISSED, p->key, &skip);
        if (skip)
            continue;
        const char *b = p->school;
        snprintf(grp, sizeof grp, "%s_%s", blob_get(b, RS_SCHOOL_CODE), blob_get(b, RS_SCHOOL_NAME));
        const char *row[] = {show_id(o, p->key, idb), blob_get(p->reg, PR_NAME), list_zh(L_MISSED),
            blob_get(b, RS_SCHOOL_CODE), blob_get(b, RS_SCHOOL_NAME), blob_get(b, RS_STAGE),
            blob_get(b, RS_GRADE), blob_get(b, RS_CLASS), "建档立卡等家庭学生，本期未获资助，请核实并补发",
            e ? e->no : "", e ? exstate_zh(e->state) : "", e ? e->first : "", "", ""};
        row_out(&s, grp, row);
    }
    for (size_t i = 0; i < r->n[L_DUPLICATE]; i++) {
        const dup_row_t *d = &c->dups[r->items[L_DUPLICATE][i]];
        const exc_t *e = open_exc(t, L_DUPLICATE, d->key, &skip);
        if (skip)
            continue;
        /* the other schools of the same ID, so each school sees the conflict */
        char note[600] = "同一身份证号另在：";
        size_t len = strlen(note);
        for (size_t j = 0; j < c->ndups; j++)
            if (c->dups[j].key == d->key && &c->dups[j] != d && len < sizeof note - 200)
                len += (size_t)snprintf(note + len, sizeof note - len, "%s%s",
                                        len > strlen("同一身份证号另在：") ? "、" : "",
                                        blob_get(c->dups[j].blob, RS_SCHOOL_NAME));
        const char *b = d->blob;
        snprintf(grp, sizeof grp, "%s_%s", blob_get(b, RS_SCHOOL_CODE), blob_get(b, RS_SCHOOL_NAME));
        const char *row[] = {show_id(o, d->key, idb), blob_get(b, RS_NAME), list_zh(L_DUPLICATE),
            blob_get(b, RS_SCHOOL_CODE), blob_get(b, RS_SCHOOL_NAME), blob_get(b, RS_STAGE),
            blob_get(b, RS_GRADE), blob_get(b, RS_CLASS), note, e ? e->no : "",
            e ? exstate_zh(e->state) : "", e ? e->first : "", "", ""};
        row_out(&s, grp, row);
    }
    for (size_t i = 0; i < r->nmm; i++) {
        const mismatch_t *m = &r->mm[i];
        const exc_t *e = open_exc(t, L_NAME_MISMATCH, m->key, &skip);
        if (skip)
            continue;
        const char *b = m->school;
        if (b)
            snprintf(grp, sizeof grp, "%s_%s", blob_get(b, RS_SCHOOL_CODE), blob_get(b, RS_SCHOOL_NAME));
        else
            snprintf(grp, sizeof grp, "0000000000_无学籍");
        const char *row[] = {show_id(o, m->key, idb), m->name, list_zh(L_NAME_MISMATCH),
            blob_get(b, RS_SCHOOL_CODE), blob_get(b, RS_SCHOOL_NAME), blob_get(b, RS_STAGE),
            blob_get(b, RS_GRADE), blob_get(b, RS_CLASS), m->detail, e ? e->no : "",
            e ? exstate_zh(e->state) : "", e ? e->first : "", "", ""};
        row_out(&s, grp, row);
    }
    return split_close(&s);
}

static int by_township(const cmp_t *c, const results_t *r, const track_t *t, const char *dir,
                       const split_opts *o)
{
    static const char *const H[] = {"身份证号", "姓名", "名单", "乡镇", "行政村", "户编号", "户主姓名",
        "出生日期", "在校生状况", "说明", "编号", "状态", "首次出现", "处理结果", "处理日期"};
    static const int LISTS[] = {L_DROPOUT, L_OUT_OF_PROVINCE, L_OUT_OF_COUNTY};
    char sub[4200], idb[19], birth[16], note[600];
    if (mk(dir, "by_township", sub, sizeof sub) < 0)
        return BIDUI_EIO;
    splitter_t s = {.dir = sub, .head = H, .ncols = 15, .mode = o->no_mask ? 0600 : 0640,
                    .masked = !o->no_mask, .tf = &o->tf, .what = "乡镇名单",
                    .todo = "本乡镇的疑似失学辍学、省外就读、县外省内就读儿童：请入户核实，填写处理结果、处理日期后交回教育局。"};
    for (int k = 0; k < 3; k++) {
        int l = LISTS[k], skip;
        for (size_t i = 0; i < r->n[l]; i++) {
            const person_t *p = &c->persons[r->items[l][i]];
            const exc_t *e = open_exc(t, l, p->key, &skip);
            if (skip)
                continue;
            char id[19];
            id_from_key(p->key, id);
            int b = id_birth(id);
            snprintf(birth, sizeof birth, "%04d-%02d-%02d", b / 10000, b / 100 % 100, b % 100);
            if (l == L_DROPOUT)
                snprintf(note, sizeof note, "%s", p->reply ? p->reply : "请入户核实是否失学辍学");
            else if (l == L_OUT_OF_PROVINCE)
                snprintf(note, sizeof note, "去向：%s", *blob_get(p->reg, PR_DEST)
                         ? blob_get(p->reg, PR_DEST) : "不明，请入户了解");
            else
                snprintf(note, sizeof note, "省内就读：%s（%s）", blob_get(p->prov, PV_SCHOOL),
                         blob_get(p->prov, PV_COUNTY));
            const char *town = blob_get(p->reg, PR_TOWNSHIP);
            const char *row[] = {show_id(o, p->key, idb), blob_get(p->reg, PR_NAME), list_zh(l),
                town, blob_get(p->reg, PR_VILLAGE), blob_get(p->reg, PR_HOUSEHOLD),
                blob_get(p->reg, PR_HEAD), birth, blob_get(p->reg, PR_STATUS), note,
                e ? e->no : "", e ? exstate_zh(e->state) : "", e ? e->first : "", "", ""};
            row_out(&s, *town ? town : "（未填乡镇）", row);
        }
    }
    return split_close(&s);
}

static int cmp_count(const void *a, const void *b)
{
    const letter_count_t *x = a, *y = b;
    int ux = !strcmp(x->province, "去向不明"), uy = !strcmp(y->province, "去向不明");
    if (ux != uy)
        return ux - uy;   /* the unknown ones last */
    return strcmp(x->province, y->province);
}

static int letters(const cmp_t *c, const results_t *r, const track_t *t, const char *dir,
                   const split_opts *o, letter_count_t **counts, size_t *ncounts)
{
    static const char *const H[] = {"身份证号", "姓名", "性别", "出生日期", "户主姓名", "户籍所在地",
        "务工或就读地点", "编号", "发函单位", "联系人", "联系电话",
        "是否在读", "就读学校", "学段年级", "本年度已享受资助", "回复单位", "回复日期"};
    char sub[4200], unit[200] = "", person[100] = "", phone[100] = "";
    if (mk(dir, "letters", sub, sizeof sub) < 0)
        return BIDUI_EIO;
    if (o->contact)
        sscanf(o->contact, "%199[^,],%99[^,],%99[^\n]", unit, person, phone);
    splitter_t s = {.dir = sub, .head = H, .ncols = 17, .mode = 0600, .masked = 0, .tf = &o->tf,
                    .what = "协查函学生名单",
                    .todo = "请在贵省学籍系统中查询以上学生，填写是否在读、就读学校、学段年级、本年度已享受资助、回复单位和日期后回复。"};
    letter_count_t *v = NULL;
    size_t n = 0;
    int skip, rc = 0;
    for (size_t i = 0; i < r->n[L_OUT_OF_PROVINCE] && rc == 0; i++) {
        const person_t *p = &c->persons[r->items[L_OUT_OF_PROVINCE][i]];
        const exc_t *e = open_exc(t, L_OUT_OF_PROVINCE, p->key, &skip);
        if (skip)
            continue;
        char id[19], birth[16], home[400];
        id_from_key(p->key, id);
        int b = id_birth(id);
        snprintf(birth, sizeof birth, "%04d-%02d-%02d", b / 10000, b / 100 % 100, b % 100);
        snprintf(home, sizeof home, "%s%s%s", blob_get(p->reg, PR_COUNTY),
                 blob_get(p->reg, PR_TOWNSHIP), blob_get(p->reg, PR_VILLAGE));
        const char *prov = dest_province(blob_get(p->reg, PR_DEST));
        if (!*prov)
            prov = "去向不明";
        const char *row[] = {id, blob_get(p->reg, PR_NAME), id_sex(id) == 1 ? "男" : "女", birth,
            blob_get(p->reg, PR_HEAD), home, blob_get(p->reg, PR_DEST), e ? e->no : "", unit,
            person, phone, "", "", "", "", "", ""};
        row_out(&s, prov, row);
        size_t k;
        for (k = 0; k < n && strcmp(v[k].province, prov); k++)
            ;
        if (k == n) {
            letter_count_t *nv = realloc(v, (n + 1) * sizeof *v);
            if (!nv) {
                rc = BIDUI_ENOMEM;
                break;
            }
            v = nv;
            v[n++] = (letter_count_t){prov, 0};
        }
        v[k].n++;
    }
    if (n)
        qsort(v, n, sizeof *v, cmp_count);
    /* the summary table: children per province */
    if (rc == 0) {
        static const char *const SH[] = {"去向省份", "人数", "文件"};
        char file[200], num[24];
        tabout_t *f = tabout_open(sub, "汇总", 0640, &o->tf, "协查函汇总", "各省协查人数", 1);
        if (!f)
            rc = BIDUI_EIO;
        else {
            tabout_row(f, SH, 3);
            for (size_t k = 0; k < n; k++) {
                snprintf(num, sizeof num, "%ld", v[k].n);
                snprintf(file, sizeof file, "%s.%s", v[k].province, o->tf.xlsx ? "xlsx" : "csv");
                const char *row[] = {v[k].province, num, file};
                tabout_row(f, row, 3);
            }
            rc = tabout_close(f);
        }
    }
    int rc2 = split_close(&s);
    *counts = v;
    *ncounts = n;
    return rc ? rc : rc2;
}

int split_write(const cmp_t *c, const results_t *r, const track_t *t, const char *dir,
                const split_opts *o, letter_count_t **counts, size_t *ncounts)
{
    int rc;
    *counts = NULL;
    *ncounts = 0;
    if ((rc = by_school(c, r, t, dir, o)) < 0 || (rc = by_township(c, r, t, dir, o)) < 0)
        return rc;
    return letters(c, r, t, dir, o, counts, ncounts);
}
