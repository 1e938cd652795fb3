/* bidui audit: the ad hoc questions. With the same input flags as compare:
 *   --id ID...        everything about each child: her registry, roster,
 *                     payment and province rows as read, which list she
 *                     lands on and which rule put her there;
 *   --school CODE     every open exception of a school (code or name);
 *   --township NAME   every open exception of a township.
 * Readable in a terminal; --csv writes CSV (UTF-8 with BOM) to stdout. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "commands.h"
#include "compare.h"
#include "csvout.h"
#include "err.h"
#include "id.h"
#include "money.h"
#include "plan_compare.h"
#include "rules.h"
#include "stages.h"
#include "track.h"

static void usage(FILE *f)
{
    fprintf(f,
"usage: bidui audit (--id ID ... | --school CODE|NAME | --township NAME) [--csv]\n"
"         --registry [CATEGORY=]PATH ... --roster PATH ... --aid PATH ...\n"
"         [--province-roster PATH ...] [--period P] [--as-of DATE] [--previous DIR]\n"
"Everything about a child, or every open exception of a school or township,\n"
"from the same inputs as `bidui compare` (none: the synthetic county).\n");
}

typedef struct {
    idmap_t want;
    tap_rows_t rows;
    arena_t arena;
} audit_t;

static stage_t *wrap(void *ctx, stage_t *sink)
{
    audit_t *a = ctx;
    return stage_tap_new(sink, &a->rows);
}

/* Which rule decided a registry person's status, in the words. */
static void explain(char *buf, size_t cap, const cmp_t *c, const results_t *r, size_t i)
{
    const person_t *p = &c->persons[i];
    const char *status = blob_get(p->reg, PR_STATUS), *why = blob_get(p->reg, PR_NONATTEND);
    int age = r->age[i];
    switch (r->status[i]) {
    case ST_OUT_OF_SCOPE:
        snprintf(buf, cap, "不在比对范围：基准日%d周岁，在校生状况「%s」", age, status);
        break;
    case ST_FINE:
        snprintf(buf, cap, "规则1：在本县学校就读，本期有资助 → 正常");
        break;
    case ST_UNCHECKED:
        snprintf(buf, cap, "规则1：在本县学校就读（未提供资助发放名单，未核对资助）");
        break;
    case ST_MISSED:
        snprintf(buf, cap, "规则1：在本县学校就读，本期无任何资助 → 应助未助");
        break;
    case ST_OUT_OF_COUNTY:
        snprintf(buf, cap, "规则2：本县学籍中没有，全省学籍中有（%s，%s）→ 县外省内就读",
                 blob_get(p->prov, PV_SCHOOL), blob_get(p->prov, PV_COUNTY));
        break;
    case ST_OUT_OF_PROVINCE:
        snprintf(buf, cap, "规则3：本县、全省学籍均无，在校生状况「%s」→ 省外就读（状态不明）", status);
        break;
    case ST_DROPOUT:
        snprintf(buf, cap, "规则4：%d周岁（6至15），各处均无学籍，未登记未上学原因 → 疑似失学辍学", age);
        break;
    default:
        snprintf(buf, cap, "规则5：未在校（%d周岁，在校生状况「%s」%s%s）", age, status,
                 *why ? "，原因：" : "", why);
    }
}

static const char *kind_label(const input_t *in)
{
    switch (in->kind) {
    case KIND_REGISTRY: return "名单";
    case KIND_ROSTER: return "学籍";
    case KIND_AID: return "资助";
    case KIND_PROVINCE: return "全省学籍";
    default: return kind_zh(in->kind);
    }
}

static void out_row(csvout_t *csv, const char *const *cells, int n)
{
    if (csv) {
        csvout_row(csv, cells, n);
        return;
    }
    for (int i = 0; i < n; i++)
        printf("%s%s", i ? "  " : "", cells[i]);
    printf("\n");
}

static int audit_ids(const copts *o, const cmp_t *c, const results_t *r, const track_t *t,
                     const audit_t *a, csvout_t *csv)
{
    int missing = 0;
    if (csv) {
        static const char *const H[] = {"身份证号", "来源类型", "来源", "内容"};
        csvout_row(csv, H, 4);
    }
    for (int k = 0; k < o->nids; k++) {
        idnum_t id;
        id_reason why = id_canon(o->ids[k], strlen(o->ids[k]), 0, &id);
        if (why != ID_OK) {
            char m[19];
            id_mask(o->ids[k], m);
            log_error("--id %s: %s (%s)", m, id_reason_zh(why), id_reason_code(why));
            missing++;
            continue;
        }
        char line[1024], src[700];
        uint64_t *pi = idmap_get(&c->person_ix, id.key);
        if (!csv) {
            int b = id_birth(id.id);
            printf("== %s  出生 %04d-%02d-%02d  %s\n", id.id, b / 10000, b / 100 % 100, b % 100,
                   id_sex(id.id) == 1 ? "男" : "女");
        }
        size_t shown = 0;
        for (size_t i = 0; i < a->rows.n; i++) {
            const tap_row_t *x = &a->rows.v[i];
            if (x->key != id.key)
                continue;
            const input_t *in = c->inputs[x->input];
            char label[64];
            snprintf(label, sizeof label, "%s%s%s%s", kind_label(in), in->category ? "（" : "",
                     in->category ? in->category : "", in->category ? "）" : "");
            snprintf(src, sizeof src, "%s:%ld", in->path, x->line);
            const char *row[] = {id.id, label, src, x->text};
            out_row(csv, csv ? row : row + 1, csv ? 4 : 3);
            shown++;
        }
        if (!shown) {
            const char *row[] = {id.id, "无", "", "任何输入中都没有这个身份证号"};
            out_row(csv, csv ? row : row + 1, csv ? 4 : 3);
        }
        if (pi)
            explain(line, sizeof line, c, r, *pi);
        else
            snprintf(line, sizeof line, "不在建档立卡等名单中");
        const char *row[] = {id.id, "比对结果", "", line};
        out_row(csv, csv ? row : row + 1, csv ? 4 : 3);
        for (int l = 0; l < L__N; l++) {
            const exc_t *e = l == L_REJECTS ? NULL : track_get(t, l, id.key);
            if (!e)
                continue;
            snprintf(line, sizeof line, "%s  编号 %s  %s  首次出现 %s%s%s", list_zh(l), e->no,
                     exstate_zh(e->state), e->first, e->result ? "  处理结果：" : "",
                     e->result ? e->result : "");
            const char *lr[] = {id.id, "异常名单", list_file(l), line};
            out_row(csv, csv ? lr : lr + 1, csv ? 4 : 3);
        }
        if (!csv)
            printf("\n");
    }
    return missing ? 1 : 0;
}

/* Every open exception whose school or township is `what`. */
static int audit_place(const copts *o, const cmp_t *c, const results_t *r, const track_t *t,
                       csvout_t *csv)
{
    static const char *const H[] = {"名单", "编号", "状态", "身份证号", "姓名", "学校或乡镇", "来源"};
    out_row(csv, H, 7);
    long n = 0;
    for (int l = 0; l < L__N; l++) {
        if (l == L_REJECTS || l == L_NAME_MISMATCH)
            continue;
        for (size_t i = 0; i < r->n[l]; i++) {
            size_t it = r->items[l][i];
            uint64_t key;
            const char *name, *place, *place2 = "";
            char src[700];
            if (l <= L_DROPOUT) {
                const person_t *p = &c->persons[it];
                key = p->key;
                name = blob_get(p->reg, PR_NAME);
                place = o->township ? blob_get(p->reg, PR_TOWNSHIP) : blob_get(p->school, RS_SCHOOL_CODE);
                if (!o->township)
                    place2 = blob_get(p->school, RS_SCHOOL_NAME);
                snprintf(src, sizeof src, "%s:%u", c->inputs[p->reg_file]->path, p->reg_line);
            } else if (l == L_DUPLICATE) {
                const dup_row_t *d = &c->dups[it];
                if (o->township)
                    continue;
                key = d->key;
                name = blob_get(d->blob, RS_NAME);
                place = blob_get(d->blob, RS_SCHOOL_CODE);
                place2 = blob_get(d->blob, RS_SCHOOL_NAME);
                snprintf(src, sizeof src, "%s:%u", c->inputs[d->file]->path, d->line);
            } else {
                const payment_t *p = &c->payments[it];
                if (o->township)
                    continue;
                key = p->key;
                name = blob_get(p->blob, PB_NAME);
                place = blob_get(p->blob, PB_SCHOOL);
                snprintf(src, sizeof src, "%s:%u", c->inputs[p->file]->path, p->line);
            }
            const char *want = o->township ? o->township : o->school;
            if (strcmp(place, want) != 0 && strcmp(place2, want) != 0)
                continue;
            const exc_t *e = track_get(t, l, key);
            if (e && e->state == EX_CLOSED)
                continue;   /* closed by a resolution: not open */
            char idb[19], where[600];
            id_from_key(key, idb);
            snprintf(where, sizeof where, "%s%s%s", place, *place2 ? " " : "", place2);
            const char *row[] = {list_zh(l), e ? e->no : "", e ? exstate_zh(e->state) : "", idb,
                                 name, where, src};
            out_row(csv, row, 7);
            n++;
        }
    }
    if (!csv)
        printf("共 %ld 条未结异常\n", n);
    return 0;
}

int cmd_audit(int argc, char **argv)
{
    copts o = {.audit = 1};
    cmp_t c = {0};
    track_t t = {0};
    audit_t a = {0};
    results_t r = {0};
    o.argc = argc;
    o.argv = argv;
    o.quiet = 1;   /* the answer goes to stdout; warnings still to stderr */
    int rc = compare_parse_flags(argc, argv, &o, usage);
    if (rc == 0) {
        a.rows.want = &a.want;
        a.rows.arena = &a.arena;
        for (int k = 0; k < o.nids && rc == 0; k++) {
            idnum_t id;
            int added;
            if (id_canon(o.ids[k], strlen(o.ids[k]), 0, &id) == ID_OK
                && !idmap_put(&a.want, id.key, 1, &added))
                rc = BIDUI_ENOMEM;
        }
        load_hooks h = {.wrap = o.nids ? wrap : NULL, .ctx = &a};
        if (rc == 0)
            rc = compare_load(&o, &c, &t, &r, &h);
    }
    int status = rc == 1 ? 0 : rc == BIDUI_EUSAGE ? 2 : rc < 0 ? 1 : 0;
    if (rc == 0) {
        csvout_t *csv = o.csv ? csvout_stream(stdout, "standard output", 0) : NULL;
        status = o.nids ? audit_ids(&o, &c, &r, &t, &a, csv) : audit_place(&o, &c, &r, &t, csv);
        if (csv && csvout_close(csv) < 0)
            status = 1;
        fflush(stdout);
    }
    results_free(&r);
    track_free(&t);
    cmp_free(&c);
    idmap_free(&a.want);
    mem_free(a.rows.v, a.rows.cap * sizeof *a.rows.v);
    arena_free(&a.arena);
    compare_free_opts(&o);
    return status;
}
