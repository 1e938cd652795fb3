/* The lists as staff open them: Chinese headers, 身份证号 then 姓名 first,
 * then what the list needs, then where each fact came from (file:line).
 * Files holding full IDs are 0600; with --mask 0640. */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <signal.h>
#include <sys/stat.h>
#include <unistd.h>
#include "cleanup.h"
#include "csvout.h"
#include "tabout.h"
#include "err.h"
#include "jsonout.h"
#include "id.h"
#include "mask.h"
#include "money.h"
#include "outputs.h"
#include "split.h"
#include "uthash_oom.h"



const char *dest_province(const char *dest);

typedef struct {
    const cmp_t *c;
    results_t *r;
    const out_opts *o;
    const char *dir;
    letter_count_t *letters;  /* children per destination province (--split) */
    size_t nletters;
    char idbuf[19], srcbuf[4][600], birthbuf[16], agebuf[12], catbuf[64], amtbuf[32];
} wctx;

static const char *show_id(wctx *w, uint64_t key)
{
    char id[19];
    id_from_key(key, id);
    if (w->o->mask)
        id_mask(id, w->idbuf);
    else
        memcpy(w->idbuf, id, sizeof id);
    return w->idbuf;
}

/* Decimal digits of v at p; the end. (snprintf is a third of the
 * ledger's time: a million rows, several numbers each.) */
static char *put_ulong(char *p, unsigned long v)
{
    char d[24];
    int n = 0;
    do
        d[n++] = (char)('0' + v % 10);
    while ((v /= 10) != 0);
    while (n)
        *p++ = d[--n];
    return p;
}

/* "path:line", where each fact came from. */
static const char *src(wctx *w, int slot, unsigned file, long line)
{
    const char *path = w->c->inputs[file]->path;
    size_t n = strlen(path);
    char *b = w->srcbuf[slot];
    if (n + 24 > sizeof w->srcbuf[slot] || line < 0) {
        snprintf(b, sizeof w->srcbuf[slot], "%s:%ld", path, line);   /* cut, as before */
        return b;
    }
    memcpy(b, path, n);
    b[n] = ':';
    *put_ulong(b + n + 1, (unsigned long)line) = 0;
    return b;
}

/* Append the pieces to buf[*o..cap) only if all fit; 1 when they did. */
static int append_all(char *buf, size_t *o, size_t cap, const char *const *piece, int n)
{
    size_t len[8], total = 0;
    for (int i = 0; i < n; i++)
        total += len[i] = strlen(piece[i]);
    if (*o + total + 1 > cap)
        return 0;
    for (int i = 0; i < n; i++) {
        memcpy(buf + *o, piece[i], len[i]);
        *o += len[i];
    }
    buf[*o] = 0;
    return 1;
}

static const char *birth(wctx *w, uint64_t key)
{
    char id[19];
    id_from_key(key, id);
    int b = id_birth(id);
    snprintf(w->birthbuf, sizeof w->birthbuf, "%04d-%02d-%02d", b / 10000, b / 100 % 100, b % 100);
    return w->birthbuf;
}

/* The columns every exception list ends with: its number, whether it is
 * new, since when, and two columns for the school or township to fill in
 * and send back (--resolutions reads them). */
static const char *const TRACK_HEAD[] = {"编号", "状态", "首次出现", "处理结果", "处理日期"};
#define NTRACK 5
#define MAXCOLS 40

/* What each file is, and what its receiver should do with it: the 说明
 * sheet of a workbook (--format xlsx). */
static const struct {
    const char *file, *what, *todo;
} DESCRIBE[] = {
    {"missed", "应助未助", "请学校核实：在本县就读的建档立卡等家庭学生，本期未获资助。核实后补发或说明原因，填写处理结果、处理日期后交回。"},
    {"out_of_county", "县外省内就读", "请乡镇核实其在省内县外就读的情况，必要时函请就读县核实资助。"},
    {"out_of_province", "省外就读（状态不明）", "请乡镇入户了解去向；教育局向就读省份发函协查（见 letters）。"},
    {"dropout_suspects", "疑似失学辍学", "请乡镇、学校入户核实，劝返复学或登记送教上门、延缓入学等原因，填写处理结果后交回。"},
    {"identity_in_doubt", "身份存疑（可能错发）", "发放名单所标资助类别与名单比对不符，请核实受助学生身份。"},
    {"paid_not_enrolled", "已资助但无学籍", "已资助但本县无学籍，请核实是否错发或学籍未录入。"},
    {"duplicate_enrollment", "重复学籍", "同一身份证号在多所学校有学籍，请涉及学校核实，保留实际就读学校的学籍。"},
    {"name_mismatch", "姓名不一致", "同一身份证号在各处姓名不一致，请核实正确姓名。"},
    {"rejects", "数据质量拒收", "这些行无法使用，未参与比对。请退回来源单位修正后重新导出。"},
    {"ledger", "资助台账", "本期名单内应比对学生的就学与资助情况。"},
    {"closed", "已处理", "学校或乡镇已反馈处理结果、情况未变的异常。"},
    {"resolved", "已销号", "上期异常中本期已不再出现的，及其原因。"},
    {"tracking", "跟踪台账", "供下期比对（--previous）使用，勿外发。"},
};

static tabout_t *open_file(wctx *w, const char *file, const char *const *head, int n, int mode)
{
    char name[64];
    snprintf(name, sizeof name, "%s", file);
    char *dot = strstr(name, ".csv");
    if (dot)
        *dot = 0;
    const char *what = name, *todo = "";
    for (size_t i = 0; i < sizeof DESCRIBE / sizeof DESCRIBE[0]; i++)
        if (!strcmp(DESCRIBE[i].file, name)) {
            what = DESCRIBE[i].what;
            todo = DESCRIBE[i].todo;
        }
    /* tracking.csv stays CSV whatever --format says: the next run reads it */
    tab_format tf = {.xlsx = w->o->xlsx && strcmp(name, "tracking"), .gbk = w->o->gbk,
                     .period = w->o->period};
    tabout_t *f = tabout_open(w->dir, name, mode, &tf, what, todo, w->o->mask);
    if (f && tabout_row(f, head, n) < 0) {
        tabout_close(f);
        return NULL;
    }
    return f;
}

static tabout_t *open_list(wctx *w, const char *name, const char *const *head, int n)
{
    const char *full[MAXCOLS];
    memcpy(full, head, n * sizeof *head);
    memcpy(full + n, TRACK_HEAD, sizeof TRACK_HEAD);
    return open_file(w, name, full, n + NTRACK, w->o->mask ? 0640 : 0600);
}

/* One row of list l about key, followed by the tracking columns. A row
 * whose exception a resolution has closed is not written: it is in
 * closed.csv. */
static void emit(wctx *w, tabout_t *f, int l, uint64_t key, const char *const *row, int n)
{
    const exc_t *e = w->o->track ? track_get(w->o->track, l, key) : NULL;
    if (e && e->state == EX_CLOSED)
        return;
    const char *full[MAXCOLS];
    memcpy(full, row, n * sizeof *row);
    full[n] = e ? e->no : "";
    full[n + 1] = e ? exstate_zh(e->state) : "";
    full[n + 2] = e ? e->first : "";
    full[n + 3] = "";
    full[n + 4] = "";
    tabout_row(f, full, n + NTRACK);
    w->r->shown[l]++;
}

#define NCOLS(a) ((int)(sizeof(a) / sizeof((a)[0])))

static int write_missed(wctx *w)
{
    static const char *const H[] = {"身份证号", "姓名", "学校标识码", "学校名称", "学段", "年级",
        "班级", "类别", "乡镇", "行政村", "户编号", "学籍来源", "名单来源"};
    tabout_t *f = open_list(w, list_file(L_MISSED), H, NCOLS(H));
    if (!f)
        return BIDUI_EIO;
    for (size_t i = 0; i < w->r->n[L_MISSED]; i++) {
        const person_t *p = &w->c->persons[w->r->items[L_MISSED][i]];
        const char *row[] = {show_id(w, p->key), blob_get(p->reg, PR_NAME),
            blob_get(p->school, RS_SCHOOL_CODE), blob_get(p->school, RS_SCHOOL_NAME),
            blob_get(p->school, RS_STAGE), blob_get(p->school, RS_GRADE),
            blob_get(p->school, RS_CLASS), cat_join(p->cats, w->catbuf, sizeof w->catbuf),
            blob_get(p->reg, PR_TOWNSHIP), blob_get(p->reg, PR_VILLAGE),
            blob_get(p->reg, PR_HOUSEHOLD), src(w, 0, p->roster_file, p->roster_line),
            src(w, 1, p->reg_file, p->reg_line)};
        emit(w, f, L_MISSED, p->key, row, NCOLS(row));
    }
    return tabout_close(f);
}

static int write_out_of_county(wctx *w)
{
    static const char *const H[] = {"身份证号", "姓名", "出生日期", "类别", "乡镇", "行政村",
        "户编号", "在校生状况", "省内就读学校", "学校所在县区", "名单来源", "全省学籍来源"};
    tabout_t *f = open_list(w, list_file(L_OUT_OF_COUNTY), H, NCOLS(H));
    if (!f)
        return BIDUI_EIO;
    for (size_t i = 0; i < w->r->n[L_OUT_OF_COUNTY]; i++) {
        const person_t *p = &w->c->persons[w->r->items[L_OUT_OF_COUNTY][i]];
        const char *row[] = {show_id(w, p->key), blob_get(p->reg, PR_NAME), birth(w, p->key),
            cat_join(p->cats, w->catbuf, sizeof w->catbuf), blob_get(p->reg, PR_TOWNSHIP),
            blob_get(p->reg, PR_VILLAGE), blob_get(p->reg, PR_HOUSEHOLD),
            blob_get(p->reg, PR_STATUS), blob_get(p->prov, PV_SCHOOL),
            blob_get(p->prov, PV_COUNTY), src(w, 0, p->reg_file, p->reg_line),
            src(w, 1, p->prov_file, p->prov_line)};
        emit(w, f, L_OUT_OF_COUNTY, p->key, row, NCOLS(row));
    }
    return tabout_close(f);
}

static int write_out_of_province(wctx *w)
{
    static const char *const H[] = {"身份证号", "姓名", "出生日期", "类别", "去向省份",
        "务工或就读地点", "乡镇", "行政村", "户编号", "户主姓名", "在校生状况", "名单来源"};
    tabout_t *f = open_list(w, list_file(L_OUT_OF_PROVINCE), H, NCOLS(H));
    if (!f)
        return BIDUI_EIO;
    for (size_t i = 0; i < w->r->n[L_OUT_OF_PROVINCE]; i++) {
        const person_t *p = &w->c->persons[w->r->items[L_OUT_OF_PROVINCE][i]];
        const char *dest = blob_get(p->reg, PR_DEST), *prov = dest_province(dest);
        const char *row[] = {show_id(w, p->key), blob_get(p->reg, PR_NAME), birth(w, p->key),
            cat_join(p->cats, w->catbuf, sizeof w->catbuf), *prov ? prov : "去向不明", dest,
            blob_get(p->reg, PR_TOWNSHIP), blob_get(p->reg, PR_VILLAGE),
            blob_get(p->reg, PR_HOUSEHOLD), blob_get(p->reg, PR_HEAD),
            blob_get(p->reg, PR_STATUS), src(w, 0, p->reg_file, p->reg_line)};
        emit(w, f, L_OUT_OF_PROVINCE, p->key, row, NCOLS(row));
    }
    return tabout_close(f);
}

static int write_dropout(wctx *w)
{
    static const char *const H[] = {"身份证号", "姓名", "出生日期", "年龄", "类别", "乡镇",
        "行政村", "户编号", "户主姓名", "在校生状况", "名单来源"};
    tabout_t *f = open_list(w, list_file(L_DROPOUT), H, NCOLS(H));
    if (!f)
        return BIDUI_EIO;
    for (size_t i = 0; i < w->r->n[L_DROPOUT]; i++) {
        size_t ix = w->r->items[L_DROPOUT][i];
        const person_t *p = &w->c->persons[ix];
        snprintf(w->agebuf, sizeof w->agebuf, "%d", w->r->age[ix]);
        const char *row[] = {show_id(w, p->key), blob_get(p->reg, PR_NAME), birth(w, p->key),
            w->agebuf, cat_join(p->cats, w->catbuf, sizeof w->catbuf),
            blob_get(p->reg, PR_TOWNSHIP), blob_get(p->reg, PR_VILLAGE),
            blob_get(p->reg, PR_HOUSEHOLD), blob_get(p->reg, PR_HEAD),
            blob_get(p->reg, PR_STATUS), src(w, 0, p->reg_file, p->reg_line)};
        emit(w, f, L_DROPOUT, p->key, row, NCOLS(row));
    }
    return tabout_close(f);
}

/* The registry categories of a payment's ID, or 不在名单. */
static const char *registry_cats(wctx *w, uint64_t key, char *buf, size_t cap)
{
    uint64_t *ix = idmap_get(&w->c->person_ix, key);
    if (!ix)
        return "不在名单";
    return cat_join(w->c->persons[*ix].cats, buf, cap);
}

static int write_payments(wctx *w, int l)
{
    static const char *const H[] = {"身份证号", "姓名", "学校", "资助项目", "学期", "金额",
        "资助类别（发放名单所标）", "名单中类别", "资助来源"};
    tabout_t *f = open_list(w, list_file(l), H, NCOLS(H));
    if (!f)
        return BIDUI_EIO;
    for (size_t i = 0; i < w->r->n[l]; i++) {
        const payment_t *p = &w->c->payments[w->r->items[l][i]];
        char cats[64];
        const char *row[] = {show_id(w, p->key), blob_get(p->blob, PB_NAME),
            blob_get(p->blob, PB_SCHOOL), blob_get(p->blob, PB_PROGRAMME),
            blob_get(p->blob, PB_TERM), money_format(p->fen, w->amtbuf),
            blob_get(p->blob, PB_CATEGORY), registry_cats(w, p->key, cats, sizeof cats),
            src(w, 0, p->file, p->line)};
        emit(w, f, l, p->key, row, NCOLS(row));
    }
    return tabout_close(f);
}

static int write_dups(wctx *w)
{
    static const char *const H[] = {"身份证号", "姓名", "学校标识码", "学校名称", "学段", "年级",
        "班级", "该号学籍数", "学籍来源"};
    tabout_t *f = open_list(w, list_file(L_DUPLICATE), H, NCOLS(H));
    if (!f)
        return BIDUI_EIO;
    const dup_row_t *d = w->c->dups;
    size_t n = w->r->n[L_DUPLICATE];
    for (size_t i = 0; i < n;) {
        size_t j = i;
        while (j < n && d[j].key == d[i].key)
            j++;
        char cnt[16];
        snprintf(cnt, sizeof cnt, "%zu", j - i);
        for (size_t k = i; k < j; k++) {
            const char *row[] = {show_id(w, d[k].key), blob_get(d[k].blob, RS_NAME),
                blob_get(d[k].blob, RS_SCHOOL_CODE), blob_get(d[k].blob, RS_SCHOOL_NAME),
                blob_get(d[k].blob, RS_STAGE), blob_get(d[k].blob, RS_GRADE),
                blob_get(d[k].blob, RS_CLASS), cnt, src(w, 0, d[k].file, d[k].line)};
            emit(w, f, L_DUPLICATE, d[k].key, row, NCOLS(row));
        }
        i = j;
    }
    return tabout_close(f);
}

static int write_names(wctx *w)
{
    static const char *const H[] = {"身份证号", "姓名", "各处姓名（来源）"};
    tabout_t *f = open_list(w, list_file(L_NAME_MISMATCH), H, NCOLS(H));
    if (!f)
        return BIDUI_EIO;
    for (size_t i = 0; i < w->r->nmm; i++) {
        const mismatch_t *m = &w->r->mm[i];
        const char *row[] = {show_id(w, m->key), m->name, m->detail};
        emit(w, f, L_NAME_MISMATCH, m->key, row, NCOLS(row));
    }
    return tabout_close(f);
}

static int write_rejects(wctx *w)
{
    static const char *const H[] = {"文件", "行号", "原因", "原因代码", "原始值"};
    tabout_t *f = open_file(w, list_file(L_REJECTS), H, NCOLS(H), w->o->mask ? 0640 : 0600);
    if (!f)
        return BIDUI_EIO;
    for (size_t i = 0; i < w->c->rejects.n; i++) {
        const reject_t *x = &w->c->rejects.v[i];
        char line[24], masked[1024];
        snprintf(line, sizeof line, "%ld", x->line);
        const char *raw = x->raw;
        if (w->o->mask && x->is_id) {
            id_mask(raw, masked);
            raw = masked;
        } else if (w->o->mask) {   /* a row's excerpt holds its ID (and maybe others) */
            mask_ids_text(raw, masked, sizeof masked);
            raw = masked;
        }
        const char *row[] = {x->file, line, x->zh, x->code, raw};
        tabout_row(f, row, NCOLS(row));
        w->r->shown[L_REJECTS]++;
    }
    return tabout_close(f);
}

static int write_ledger(wctx *w)
{
    static const char *const H[] = {"身份证号", "姓名", "类别", "乡镇", "行政村", "户编号",
        "年龄", "在校生状况", "状态", "学校标识码", "学校名称", "学段", "年级", "班级",
        "本期资助项目", "本期资助金额", "未上学原因", "处理结果", "处理日期", "名单来源"};
    const cmp_t *c = w->c;
    /* the order was made alongside the rules (compare_load), or here */
    if (!w->r->household && !(w->r->household = household_order(c, &w->r->nhousehold)))
        return BIDUI_ENOMEM;
    const size_t *ix = w->r->household;
    tabout_t *f = open_file(w, "ledger.csv", H, NCOLS(H), w->o->mask ? 0640 : 0600);
    if (!f)
        return BIDUI_EIO;
    char progs[1024];
    for (size_t k = 0; k < w->r->nhousehold; k++) {
        if (w->r->status[ix[k]] == ST_OUT_OF_SCOPE)
            continue;   /* not reached: household_order keeps those in scope */
        const person_t *p = &c->persons[ix[k]];
        int64_t fen = 0;
        size_t o = 0;
        progs[0] = 0;
        for (uint32_t i = p->pay_head; i; i = c->payments[i - 1].next) {
            const payment_t *pay = &c->payments[i - 1];
            fen += pay->fen;
            const char *piece[] = {o ? "；" : "", blob_get(pay->blob, PB_PROGRAMME), "（",
                                   blob_get(pay->blob, PB_TERM), "）"};
            append_all(progs, &o, sizeof progs, piece, 5);   /* what does not fit is left out */
        }
        int age = w->r->age[ix[k]];
        if (age >= 0)
            *put_ulong(w->agebuf, (unsigned long)age) = 0;
        else
            snprintf(w->agebuf, sizeof w->agebuf, "%d", age);
        const exc_t *closed = NULL;   /* her exception closed by a resolution */
        for (int l = L_MISSED; w->o->track && l <= L_DROPOUT && !closed; l++) {
            const exc_t *e = track_get(w->o->track, l, p->key);
            if (e && e->state == EX_CLOSED)
                closed = e;
        }
        const char *row[] = {show_id(w, p->key), blob_get(p->reg, PR_NAME),
            cat_join(p->cats, w->catbuf, sizeof w->catbuf), blob_get(p->reg, PR_TOWNSHIP),
            blob_get(p->reg, PR_VILLAGE), blob_get(p->reg, PR_HOUSEHOLD), w->agebuf,
            blob_get(p->reg, PR_STATUS), status_zh(w->r->status[ix[k]]),
            blob_get(p->school, RS_SCHOOL_CODE), blob_get(p->school, RS_SCHOOL_NAME),
            blob_get(p->school, RS_STAGE), blob_get(p->school, RS_GRADE),
            blob_get(p->school, RS_CLASS), progs, p->pay_head ? money_format(fen, w->amtbuf) : "",
            blob_get(p->reg, PR_NONATTEND), closed ? closed->result : "",
            closed ? closed->rdate : "", src(w, 0, p->reg_file, p->reg_line)};
        tabout_row(f, row, NCOLS(row));
    }
    return tabout_close(f);
}

/* ---- quarter to quarter ---- */

static const char *show_id_full(char *buf, uint64_t key)
{
    id_from_key(key, buf);
    return buf;
}

/* closed.csv: exceptions a resolution has closed and whose facts have not
 * changed since. */
static int write_closed(wctx *w)
{
    static const char *const H[] = {"编号", "身份证号", "姓名", "名单", "首次出现", "处理结果",
        "处理日期", "处理来源"};
    tabout_t *f = open_file(w, "closed.csv", H, NCOLS(H), w->o->mask ? 0640 : 0600);
    if (!f)
        return BIDUI_EIO;
    const track_t *t = w->o->track;
    for (size_t i = 0; t && i < t->ncur; i++) {
        const exc_t *e = &t->cur[i];
        if (e->state != EX_CLOSED)
            continue;
        const char *row[] = {e->no, show_id(w, e->key), e->name, list_zh(e->list), e->first,
                             e->result, e->rdate, e->rsrc};
        tabout_row(f, row, NCOLS(row));
    }
    return tabout_close(f);
}

/* resolved.csv: the previous run's exceptions that are gone now (已销号). */
static int write_resolved(wctx *w)
{
    static const char *const H[] = {"编号", "身份证号", "姓名", "名单", "首次出现", "销号原因",
        "处理结果", "处理日期"};
    tabout_t *f = open_file(w, "resolved.csv", H, NCOLS(H), w->o->mask ? 0640 : 0600);
    if (!f)
        return BIDUI_EIO;
    const track_t *t = w->o->track;
    for (size_t i = 0; t && i < t->ngone; i++) {
        const exc_t *e = &t->prev[t->gone[i]];
        const char *row[] = {e->no, show_id(w, e->key), e->name, list_zh(e->list), e->first,
                             e->why, e->result ? e->result : "", e->rdate ? e->rdate : ""};
        tabout_row(f, row, NCOLS(row));
    }
    return tabout_close(f);
}

/* tracking.csv: what the next run needs from this one (--previous). It
 * always holds full IDs, whatever --mask says: it never leaves the bureau. */
static int write_tracking(wctx *w)
{
    static const char *const H[] = {"编号", "名单代码", "名单", "身份证号", "姓名", "首次出现",
        "状态", "事实指纹", "处理结果", "处理日期", "处理来源"};
    tabout_t *f = open_file(w, "tracking.csv", H, NCOLS(H), 0600);
    if (!f)
        return BIDUI_EIO;
    const track_t *t = w->o->track;
    for (size_t i = 0; t && i < t->ncur; i++) {
        const exc_t *e = &t->cur[i];
        char id[19], fp[20];
        snprintf(fp, sizeof fp, "%016llx", (unsigned long long)e->fp);
        const char *row[] = {e->no, list_key(e->list), list_zh(e->list), show_id_full(id, e->key),
                             e->name, e->first, exstate_zh(e->state), fp,
                             e->result ? e->result : "", e->rdate ? e->rdate : "",
                             e->rsrc ? e->rsrc : ""};
        tabout_row(f, row, NCOLS(row));
    }
    return tabout_close(f);
}

/* ---- summary.json ---- */

static FILE *open_text(wctx *w, const char *name, int mode)
{
    char path[4096];
    snprintf(path, sizeof path, "%s/%s", w->dir, name);
    return file_create_text(path, mode);
}

static int close_text(FILE *f, const char *dir, const char *name)
{
    int bad = ferror(f);
    bad |= fclose(f) != 0;
    if (bad) {
        log_error("%s/%s: write failed: %s", dir, name, strerror(errno ? errno : EIO));
        return BIDUI_EIO;
    }
    return 0;
}

static void fmt_date(int d, char buf[16])
{
    snprintf(buf, 16, "%04d-%02d-%02d", d / 10000 % 10000, d / 100 % 100, d % 100);
}

static int write_json(wctx *w)
{
    const cmp_t *c = w->c;
    const results_t *r = w->r;
    FILE *f = open_text(w, "summary.json", 0640);
    if (!f)
        return BIDUI_EIO;
    char date[16], amt[32];
    fmt_date(c->as_of, date);
    fprintf(f, "{\n  \"period\": ");
    if (w->o->period)
        json_str(f, w->o->period);
    else
        fputs("null", f);
    fprintf(f, ",\n  \"as_of\": \"%s\",\n  \"aid_checked\": %s,\n  \"masked\": %s,\n", date,
            c->aid_checked ? "true" : "false", w->o->mask ? "true" : "false");
    fprintf(f, "  \"lists\": {");
    for (int l = 0; l < L__N; l++)
        fprintf(f, "%s\"%s\": %zu", l ? ", " : "", list_key(l), r->shown[l]);
    const track_t *t = w->o->track;
    fprintf(f, "},\n  \"previous\": %s,\n  \"delta\": {", t && t->has_previous ? "true" : "false");
    long tot[3] = {0, 0, 0}, tclosed = 0;
    for (int l = 0; l < L__N; l++) {
        if (l == L_REJECTS)
            continue;
        const long *d = t ? t->delta[l] : tot;
        fprintf(f, "%s\"%s\": {\"new\": %ld, \"open\": %ld, \"resolved\": %ld}", l ? ", " : "",
                list_key(l), d[0], d[1], d[2]);
        for (int k = 0; t && k < 3; k++)
            tot[k] += d[k];
    }
    fprintf(f, ", \"total\": {\"new\": %ld, \"open\": %ld, \"resolved\": %ld}},\n", tot[0], tot[1],
            tot[2]);
    fprintf(f, "  \"closed\": {");
    for (int l = 0; l < L__N; l++) {
        if (l == L_REJECTS)
            continue;
        long n = t ? t->closed[l] : 0;
        tclosed += n;
        fprintf(f, "%s\"%s\": %ld", l ? ", " : "", list_key(l), n);
    }
    fprintf(f, ", \"total\": %ld", tclosed);
    fprintf(f, "},\n  \"registry\": {\"persons\": %zu, \"in_scope\": %ld, \"status\": {",
            c->npersons, r->in_scope);
    for (int s = ST_FINE; s <= ST_ELSEWHERE_CONFIRMED; s++) {
        fprintf(f, "%s", s > ST_FINE ? ", " : "");
        json_str(f, status_zh(s));
        fprintf(f, ": %ld", r->by_status[s]);
    }
    fprintf(f, "}, \"enrolled_by_stage\": {");
    for (int s = 0; s < SG__N; s++) {
        fprintf(f, "%s", s ? ", " : "");
        json_str(f, sg_zh(s));
        fprintf(f, ": %ld", r->enrolled_by_stage[s]);
    }
    fprintf(f, "}},\n  \"aid\": {");
    int first = 1;
    for (int g = 0; g < AIDG__N; g++) {
        const aid_sum_t *a = &r->aid[g];
        if (g == AIDG_OTHER && !a->payments)
            continue;   /* the four stages always, 其他 only when there is any */
        fprintf(f, "%s\n    ", first ? "" : ",");
        first = 0;
        json_str(f, aidg_zh(g));
        fprintf(f, ": {\"payments\": %ld, \"amount\": %s, ", a->payments, money_format(a->fen, amt));
        fprintf(f, "\"registry_payments\": %ld, \"registry_amount\": %s}", a->reg_payments,
                money_format(a->reg_fen, amt));
    }
    fprintf(f, "\n  },\n  \"inputs\": [");
    for (int i = 0; i < c->ninputs; i++) {
        const input_t *in = c->inputs[i];
        fprintf(f, "%s\n    ", i ? "," : "");
        json_input_head(f, in);
        fprintf(f, "\"encoding\": \"%s\", \"gzip\": %s, \"header_line\": %ld, "
                   "\"title_rows\": %ld, \"rows\": %ld, \"used\": %ld, \"rejected\": %ld}",
                encoding_name(in->encoding), in->gzip ? "true" : "false", in->header_line,
                in->title_rows, in->rows_read, in->rows_used, in->rows_rejected);
    }
    fprintf(f, "\n  ]\n}\n");
    return close_text(f, w->dir, "summary.json");
}

/* ---- summary.md: the year-end report's wording ---- */

typedef struct {
    char *key;
    long n[L__N];
    UT_hash_handle hh;
} tally_t;

static int tally(tally_t **t, const char *key, int l)
{
    tally_t *x;
    if (!*key)
        key = "（未填）";
    HASH_FIND_STR(*t, key, x);
    if (!x) {
        if (!(x = calloc(1, sizeof *x)) || !(x->key = strdup(key))) {
            free(x);
            return BIDUI_ENOMEM;
        }
        HASH_ADD_KEYPTR(hh, *t, x->key, strlen(x->key), x);
        if (uthash_oom_take()) {
            free(x->key);
            free(x);
            return BIDUI_ENOMEM;
        }
    }
    x->n[l]++;
    return 0;
}

static int tally_cmp(tally_t *a, tally_t *b) { return strcmp(a->key, b->key); }

static void tally_table(FILE *f, tally_t **t, const char *what, const int *lists, int nl)
{
    HASH_SORT(*t, tally_cmp);
    fprintf(f, "| %s |", what);
    for (int i = 0; i < nl; i++)
        fprintf(f, " %s |", list_zh(lists[i]));
    fprintf(f, "\n|---|");
    for (int i = 0; i < nl; i++)
        fprintf(f, "---:|");
    fprintf(f, "\n");
    tally_t *x, *tmp;
    if (!*t)
        fprintf(f, "| （无） |\n");
    HASH_ITER(hh, *t, x, tmp) {
        fprintf(f, "| %s |", x->key);
        for (int i = 0; i < nl; i++)
            fprintf(f, " %ld |", x->n[lists[i]]);
        fprintf(f, "\n");
        HASH_DEL(*t, x);
        free(x->key);
        free(x);
    }
}

static void period_zh(const char *period, char *buf, size_t cap)
{
    if (!period)
        snprintf(buf, cap, "未指定");
    else if (strlen(period) == 6 && period[4] == 'Q')
        snprintf(buf, cap, "%.4s年第%c季度（%s）", period, period[5], period);
    else
        snprintf(buf, cap, "%s年度（年终比对）", period);
}

static int write_md(wctx *w)
{
    const cmp_t *c = w->c;
    const results_t *r = w->r;
    FILE *f = open_text(w, "summary.md", 0640);
    if (!f)
        return BIDUI_EIO;
    char date[16], per[64], a1[32], a2[32];
    fmt_date(c->as_of, date);
    period_zh(w->o->period, per, sizeof per);
    fprintf(f, "# 学生资助双向比对结果\n\n");
    fprintf(f, "- 比对期间：%s\n- 年龄计算基准日：%s\n", per, date);
    fprintf(f, "- 资助核对：%s\n", c->aid_checked ? "已核对本期资助发放名单"
            : "未提供资助发放名单，本次未核对资助（不产生“应助未助”名单）");
    fprintf(f, "- 身份证号：%s\n\n", w->o->mask ? "各名单已脱敏（前6后4）"
            : "各名单含完整身份证号，仅限本局内部使用，文件权限仅本人可读");

    fprintf(f, "## 一、资助情况\n\n");
    long tp = 0, trp = 0;
    int64_t tf = 0, trf = 0;
    for (int g = 0; g < AIDG__N; g++) {
        const aid_sum_t *a = &r->aid[g];
        if (g == AIDG_OTHER && !a->payments)
            continue;
        fprintf(f, "%s阶段：共资助 %ld 人次，金额 %s 元；其中建档立卡家庭学生 %ld 人次，%s 元。\n\n",
                aidg_zh(g), a->payments, money_format_grouped(a->fen, a1), a->reg_payments,
                money_format_grouped(a->reg_fen, a2));
        tp += a->payments;
        trp += a->reg_payments;
        tf += a->fen;
        trf += a->reg_fen;
    }
    fprintf(f, "| 学段 | 资助人次 | 资助金额（元） | 其中建档立卡人次 | 其中建档立卡金额（元） |\n"
               "|---|---:|---:|---:|---:|\n");
    for (int g = 0; g < AIDG__N; g++) {
        const aid_sum_t *a = &r->aid[g];
        if (g == AIDG_OTHER && !a->payments)
            continue;
        fprintf(f, "| %s | %ld | %s | %ld | %s |\n", aidg_zh(g), a->payments,
                money_format_grouped(a->fen, a1), a->reg_payments, money_format_grouped(a->reg_fen, a2));
    }
    fprintf(f, "| 合计 | %ld | %s | %ld | %s |\n\n", tp, money_format_grouped(tf, a1), trp,
            money_format_grouped(trf, a2));
    fprintf(f, "（“建档立卡”按身份证号与建档立卡名单比对得出，不依据发放名单自报的资助类别。）\n\n");

    fprintf(f, "## 二、名单内学生就学情况\n\n");
    fprintf(f, "名单内共 %zu 人，其中应比对 %ld 人（基准日年龄3至18周岁，或在校生状况为在校）。\n\n",
            c->npersons, r->in_scope);
    fprintf(f, "| 情况 | 人数 |\n|---|---:|\n");
    for (int s = ST_FINE; s <= ST_ELSEWHERE_CONFIRMED; s++)
        if (r->by_status[s] || (s != ST_UNCHECKED && s != ST_ELSEWHERE_CONFIRMED))
            fprintf(f, "| %s | %ld |\n", status_zh(s), r->by_status[s]);
    fprintf(f, "\n在本县学校就读的名单内学生，按学段：\n\n| 学段 | 人数 |\n|---|---:|\n");
    long te = 0;
    for (int s = 0; s < SG__N; s++) {
        if (s == SG_OTHER && !r->enrolled_by_stage[s])
            continue;
        fprintf(f, "| %s | %ld |\n", sg_zh(s), r->enrolled_by_stage[s]);
        te += r->enrolled_by_stage[s];
    }
    fprintf(f, "| 合计 | %ld |\n\n", te);

    const track_t *t = w->o->track;
    fprintf(f, "## 三、异常名单\n\n");
    if (t && t->has_previous)
        fprintf(f, "与上期比对结果相比：新增指本期新出现，持续指上期已有、本期仍在，销号指上期有、本期已解决"
                   "（见 resolved.csv），已处理指学校或乡镇已反馈处理结果且情况未变（见 closed.csv）。\n\n");
    fprintf(f, "| 名单 | 文件 | 条数 | 新增 | 持续 | 销号 | 已处理 |\n|---|---|---:|---:|---:|---:|---:|\n");
    for (int l = 0; l < L__N; l++) {
        char file[64];
        snprintf(file, sizeof file, "%.*s%s", (int)(strlen(list_file(l)) - 4), list_file(l),
                 w->o->xlsx ? ".xlsx" : ".csv");
        if (l == L_REJECTS)
            fprintf(f, "| %s | %s | %zu | | | | |\n", list_zh(l), file, r->shown[l]);
        else
            fprintf(f, "| %s | %s | %zu | %ld | %ld | %ld | %ld |\n", list_zh(l), file,
                    r->shown[l], t ? t->delta[l][0] : 0, t ? t->delta[l][1] : 0,
                    t ? t->delta[l][2] : 0, t ? t->closed[l] : 0);
    }

    tally_t *town = NULL, *school = NULL;
    int rc = 0;
    static const int TL[] = {L_MISSED, L_OUT_OF_COUNTY, L_OUT_OF_PROVINCE, L_DROPOUT};
    for (int k = 0; k < 4; k++)
        for (size_t i = 0; i < r->n[TL[k]]; i++)
            rc |= tally(&town, blob_get(c->persons[r->items[TL[k]][i]].reg, PR_TOWNSHIP), TL[k]);
    for (size_t i = 0; i < r->n[L_MISSED]; i++)
        rc |= tally(&school, blob_get(c->persons[r->items[L_MISSED][i]].school, RS_SCHOOL_NAME),
                    L_MISSED);
    for (size_t i = 0; i < r->n[L_DUPLICATE]; i++)
        rc |= tally(&school, blob_get(c->dups[i].blob, RS_SCHOOL_NAME), L_DUPLICATE);
    static const int PL[] = {L_IDENTITY, L_PAID_NOT_ENROLLED};
    for (int k = 0; k < 2; k++)
        for (size_t i = 0; i < r->n[PL[k]]; i++)
            rc |= tally(&school, blob_get(c->payments[r->items[PL[k]][i]].blob, PB_SCHOOL), PL[k]);
    fprintf(f, "\n### 按乡镇\n\n");
    tally_table(f, &town, "乡镇", TL, 4);
    static const int SL[] = {L_MISSED, L_DUPLICATE, L_IDENTITY, L_PAID_NOT_ENROLLED};
    fprintf(f, "\n### 按学校\n\n");
    tally_table(f, &school, "学校", SL, 4);

    fprintf(f, "\n## 四、输入文件\n\n| 文件 | 类型 | 编码 | 读取行数 | 使用 | 拒收 |\n"
               "|---|---|---|---:|---:|---:|\n");
    for (int i = 0; i < c->ninputs; i++) {
        const input_t *in = c->inputs[i];
        fprintf(f, "| %s | %s%s%s | %s%s | %ld | %ld | %ld |\n", in->path, kind_zh(in->kind),
                in->category ? "：" : "", in->category ? in->category : "",
                encoding_name(in->encoding), in->gzip ? "（gzip）" : "", in->rows_read,
                in->rows_used, in->rows_rejected);
    }
    fprintf(f, "\n拒收原因及行号见 rejects.csv；拒收的行不参与任何比对，请退回数据来源单位核实后重新导出。\n");
    if (w->o->split) {
        fprintf(f, "\n## 五、分发名单\n\n");
        fprintf(f, "- by_school/：每校一份（应助未助、重复学籍、姓名不一致），by_township/：每乡镇一份"
                   "（疑似失学辍学、省外就读、县外省内就读）。%s\n",
                w->o->no_mask ? "身份证号完整（--no-mask），文件仅本人可读。"
                              : "身份证号已脱敏（前6后4），凭“编号”回填处理结果。");
        fprintf(f, "- letters/：致外省教育部门的协查函名单，每省一份，含完整身份证号（对方需据此查询学籍），"
                   "文件仅本人可读。\n\n| 去向省份 | 人数 |\n|---|---:|\n");
        long tl = 0;
        for (size_t i = 0; i < w->nletters; i++) {
            fprintf(f, "| %s | %ld |\n", w->letters[i].province, w->letters[i].n);
            tl += w->letters[i].n;
        }
        fprintf(f, "| 合计 | %ld |\n", tl);
    }
    fprintf(f, "\n## 含完整身份证号的文件\n\n");
    fprintf(f, "%stracking.csv%s（仅本人可读，勿外发）。\n",
            w->o->mask ? "" : "各名单（missed.csv 等）、ledger.csv、rejects.csv、closed.csv、resolved.csv、",
            w->o->split ? (w->o->no_mask ? "、by_school/、by_township/、letters/" : "、letters/") : "");
    if (rc) {
        fclose(f);
        return BIDUI_ENOMEM;
    }
    return close_text(f, w->dir, "summary.md");
}

/* The ledger (every person in scope, sorted by household: the largest
 * file and the only big sort) is written on a thread of its own while this
 * one writes the lists. It reads the run and the results and writes only
 * its own file and its own wctx buffers; the lists' writers do not touch
 * what it reads. The summary waits for both: it counts what they wrote. */
typedef struct {
    wctx w;
    int rc;
} ledger_job;

static void *ledger_thread(void *arg)
{
    ledger_job *j = arg;
    j->rc = write_ledger(&j->w);
    return NULL;
}

/* Every file but the ledger and the summary; the first error. */
static int write_lists(wctx *w)
{
    int rc;
    if ((rc = write_missed(w)) || (rc = write_out_of_county(w)) || (rc = write_out_of_province(w))
        || (rc = write_dropout(w)) || (rc = write_payments(w, L_IDENTITY))
        || (rc = write_payments(w, L_PAID_NOT_ENROLLED)) || (rc = write_dups(w))
        || (rc = write_names(w)) || (rc = write_rejects(w)) || (rc = write_closed(w))
        || (rc = write_resolved(w)) || (rc = write_tracking(w)))
        return rc;
    return 0;
}

int outputs_write(const cmp_t *c, results_t *r, const char *dir, const out_opts *o)
{
    wctx w = {.c = c, .r = r, .o = o, .dir = dir};
    int rc;
    memset(r->shown, 0, sizeof r->shown);
    if (o->split) {
        split_opts so = {.no_mask = o->no_mask, .contact = o->contact,
                         .tf = {.xlsx = o->xlsx, .gbk = o->gbk, .period = o->period}};
        if ((rc = split_write(c, r, o->track, dir, &so, &w.letters, &w.nletters)) < 0) {
            free(w.letters);
            return rc;
        }
    }
    ledger_job lj = {.w = {.c = c, .r = r, .o = o, .dir = dir}};
    pthread_t th;
    /* Not with --format xlsx: libxlsxwriter is not safe to use from two
     * threads at once, even on different workbooks (it calls gmtime() when
     * closing one; found by `make tsan`). */
    int threaded = !o->xlsx && pthread_create(&th, NULL, ledger_thread, &lj) == 0;
    if (!threaded)   /* no thread: the same file, written here */
        lj.rc = write_ledger(&lj.w);
    rc = write_lists(&w);
    if (threaded)
        pthread_join(th, NULL);
    if (!rc)
        rc = lj.rc;
    if (!rc && !(rc = write_json(&w)))
        rc = write_md(&w);
    free(w.letters);
    return rc;
}

/* ---- putting the folder in place ---- */

int outputs_replaceable(const char *dir)
{
    DIR *d = opendir(dir);
    if (!d)
        return errno == ENOENT;
    int empty = 1, ours = 0;
    struct dirent *e;
    while ((e = readdir(d))) {
        if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, ".."))
            continue;
        empty = 0;
        if (!strcmp(e->d_name, "summary.json"))
            ours = 1;
    }
    closedir(d);
    return empty || ours;
}

int outputs_remove(const char *dir)
{
    DIR *d = opendir(dir);
    if (!d)
        return errno == ENOENT ? 0 : -1;
    struct dirent *e;
    int rc = 0;
    while ((e = readdir(d))) {
        if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, ".."))
            continue;
        char p[4096];
        snprintf(p, sizeof p, "%s/%s", dir, e->d_name);
        struct stat st;
        if (lstat(p, &st) == 0 && S_ISDIR(st.st_mode))
            rc |= outputs_remove(p);
        else
            rc |= unlink(p);
    }
    closedir(d);
    return rmdir(dir) | rc;
}

/* The folder of the results a swap replaced: gone, or said where it is. */
static void drop_old(const char *dir)
{
    if (outputs_remove(dir) != 0)
        log_warn("%s: the replaced results could not be removed (%s): remove the folder by "
                 "hand, it holds full IDs", dir, strerror(errno));
}

int outputs_publish(const char *tmp, const char *final)
{
    struct stat st;
    if (stat(final, &st) != 0) {
        if (rename(tmp, final) == 0)
            return 0;
        log_error("%s: cannot move the results into place: %s", final, strerror(errno));
        return BIDUI_EIO;
    }
    /* Swap the two folders in one step, then drop the old results. */
    if (renameat2(AT_FDCWD, tmp, AT_FDCWD, final, RENAME_EXCHANGE) == 0) {
        drop_old(tmp);
        return 0;
    }
    /* No exchange here (an old kernel, some network file systems): the
     * previous results step aside, the new ones move in, and the previous
     * ones come back if that fails. A signal in between puts them back too
     * (cleanup.h). */
    char aside[4200];
    snprintf(aside, sizeof aside, "%s.old-%ld", final, (long)getpid());
    cleanup_aside(aside);
    if (rename(final, aside) != 0) {
        log_error("%s: cannot move the previous results aside to replace them: %s", final,
                  strerror(errno));
        return BIDUI_EIO;
    }
    if (rename(tmp, final) != 0) {
        int e = errno;
        if (rename(aside, final) == 0)
            log_error("%s: cannot move the results into place: %s; the previous results are "
                      "unchanged", final, strerror(e));
        else
            log_error("%s: cannot move the results into place (%s), nor the previous results "
                      "back (%s): they are in %s", final, strerror(e), strerror(errno), aside);
        return BIDUI_EIO;
    }
    drop_old(aside);
    return 0;
}

/* NAME.tmp-PID or NAME.old-PID of base: the PID, or 0. */
static long stale_pid(const char *entry, const char *base, const char *what)
{
    size_t b = strlen(base), w = strlen(what);
    if (strncmp(entry, base, b) != 0 || strncmp(entry + b, what, w) != 0)
        return 0;
    const char *p = entry + b + w;
    if (!*p || strspn(p, "0123456789") != strlen(p) || strlen(p) > 9)
        return 0;
    return atol(p);
}

void outputs_sweep_stale(const char *final)
{
    char dir[4096], base[1024];
    size_t n = strlen(final);
    while (n > 1 && final[n - 1] == '/')
        n--;
    const char *slash = memrchr(final, '/', n);
    if (slash) {
        snprintf(dir, sizeof dir, "%.*s", slash == final ? 1 : (int)(slash - final), final);
        snprintf(base, sizeof base, "%.*s", (int)(n - (size_t)(slash + 1 - final)), slash + 1);
    } else {
        snprintf(dir, sizeof dir, ".");
        snprintf(base, sizeof base, "%.*s", (int)n, final);
    }
    if (!*base)
        return;
    DIR *d = opendir(dir);
    if (!d)
        return;
    struct dirent *e;
    while ((e = readdir(d))) {
        long tpid = stale_pid(e->d_name, base, ".tmp-"), opid = stale_pid(e->d_name, base, ".old-");
        long pid = tpid ? tpid : opid;
        if (!pid || pid == (long)getpid() || kill((pid_t)pid, 0) == 0 || errno == EPERM)
            continue;   /* not such a folder, or its run is still going */
        char p[8192], fin[8192];
        struct stat st;
        snprintf(p, sizeof p, "%s/%s", dir, e->d_name);
        snprintf(fin, sizeof fin, "%s/%s", dir, base);
        if (lstat(p, &st) != 0 || !S_ISDIR(st.st_mode) || st.st_uid != geteuid())
            continue;
        if (opid && stat(fin, &st) != 0 && rename(p, fin) == 0) {
            log_warn("%s: put back the results a stopped run had moved aside to %s", fin, p);
            continue;
        }
        if (outputs_remove(p) == 0)
            log_warn("%s: removed the %s of a run that was stopped (process %ld)", p,
                     tpid ? "unfinished results" : "replaced results", pid);
        else
            log_warn("%s: left by a stopped run, cannot be removed (%s): remove it by hand, it "
                     "holds full IDs", p, strerror(errno));
    }
    closedir(d);
}
