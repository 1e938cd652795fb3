/* gate: where rows enter the run.
 *
 * Before the header: each row is tried as the header (its cells mapped
 * through the aliases of schema.c); rows above it are title rows, counted in
 * in->title_rows. The header is the first row that maps an ID column (身份证号
 * and aliases, or for rosters 全国学籍号) and at least one more column.
 * No such row among the first max_title rows, or none in the whole file, is
 * an error naming the file and the cells it saw.
 *
 * After the header: every row is counted in (rows_read) and then either
 * passed on or rejected here: flaws the source and decoder found, a row with
 * more non-empty fields than the header or fewer fields (a row broken by an
 * unquoted line break), a blank row, or the header row repeated. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "err.h"
#include "input.h"
#include "mask.h"
#include "stages.h"

typedef struct {
    input_t *in;
    rejects_t *rj;
    int max_title;
    char *first_cells;       /* cells of the first row, for the error message */
    char **norm;             /* normalized header cells, for repeated headers */
    int nnorm;
    /* The last first cell tried as a repeated header, and whether it
     * normalized to norm[0]: see first_cell_is_header. */
    char *memo;
    size_t memo_n, memo_cap;
    int memo_eq;
} gate_st;

/* How many cells of rec map to columns of kind k; fills col[] if given. */
static int map_header(const record_t *rec, input_kind k, int *col, int *has_id)
{
    int tmp[COL__N], hits = 0;
    if (!col)
        col = tmp;
    for (int c = 0; c < COL__N; c++)
        col[c] = -1;
    for (int i = 0; i < rec->nf; i++) {
        int c = schema_match(k, rec->f[i].s);
        if (c >= 0 && col[c] < 0) {   /* the first of duplicate headers wins */
            col[c] = i;
            hits++;
        }
    }
    *has_id = col[COL_ID] >= 0
              || ((k == KIND_ROSTER || k == KIND_PROVINCE) && col[COL_STUDENT_NO] >= 0)
              || (k == KIND_RESOLUTION && col[COL_CASE_NO] >= 0);
    return hits;
}

static void remember_cells(gate_st *st, const record_t *rec)
{
    if (st->first_cells)
        return;
    size_t cap = 400, o = 0;
    char *s = malloc(cap), *m = malloc(cap);
    if (!s || !m) {
        free(s);
        free(m);
        return;
    }
    for (int i = 0; i < rec->nf && o + 8 < cap; i++) {
        int w = snprintf(s + o, cap - o, "%s\"%.60s\"", i ? ", " : "", rec->f[i].s);
        if (w < 0)
            break;
        o += (size_t)w < cap - o ? (size_t)w : cap - o - 1;
    }
    s[o < cap ? o : cap - 1] = 0;
    /* The message goes to a terminal or a log: a data row taken for the
     * first row must not show a child's full ID there. */
    mask_ids_text(s, m, cap);
    free(s);
    st->first_cells = m;
}

static int take_header(gate_st *st, record_t *rec, input_kind k)
{
    input_t *in = rec->in;
    int has_id;
    in->kind = k;
    map_header(rec, k, in->col, &has_id);
    in->header_line = rec->line;
    in->ncols = rec->nf;
    in->headers = calloc(rec->nf, sizeof *in->headers);
    st->norm = calloc(rec->nf, sizeof *st->norm);
    if (!in->headers || !st->norm)
        return BIDUI_ENOMEM;
    st->nnorm = rec->nf;
    in->unmapped = 0;
    for (int i = 0; i < rec->nf; i++) {
        char buf[256];
        in->headers[i] = strdup(rec->f[i].s);
        st->norm[i] = strdup(schema_norm_header(rec->f[i].s, buf, sizeof buf));
        if (!in->headers[i] || !st->norm[i])
            return BIDUI_ENOMEM;
        int mapped = 0;
        for (int c = 0; c < COL__N; c++)
            mapped |= in->col[c] == i;
        in->unmapped += !mapped;
        /* The same column twice (a joined export): the first is used; say
         * so, since a value only in the second one will not be seen. */
        int c = mapped ? -1 : schema_match(k, rec->f[i].s);
        if (c >= 0 && in->col[c] >= 0 && in->col[c] < i)
            log_warn("%s:%ld: column %d 「%s」 repeats column %d 「%s」: only column %d is used",
                     in->path, rec->line, i + 1, in->headers[i], in->col[c] + 1,
                     in->headers[in->col[c]], in->col[c] + 1);
    }
    return 0;
}

/* Whether the first cell normalizes to norm[0]. Every data row asks, and
 * normalizing costs more than reading the row did (issue 2's benchmark), but
 * the first column of an export mostly repeats from row to row (school
 * code, county): the answer for the last value is kept and reused when the
 * bytes are the same (schema_norm_header depends on them alone). */
static int first_cell_is_header(gate_st *st, const field_t *f)
{
    if (st->memo && f->n == st->memo_n && memcmp(f->s, st->memo, f->n) == 0)
        return st->memo_eq;
    char buf[256];
    int eq = strcmp(schema_norm_header(f->s, buf, sizeof buf), st->norm[0]) == 0;
    if (f->n + 1 > st->memo_cap) {
        char *m = realloc(st->memo, f->n + 1);
        if (!m) {              /* no memo then: the answer stays right */
            free(st->memo);
            st->memo = NULL;
            st->memo_cap = 0;
            return eq;
        }
        st->memo = m;
        st->memo_cap = f->n + 1;
    }
    memcpy(st->memo, f->s, f->n);
    st->memo_n = f->n;
    st->memo_eq = eq;
    return eq;
}

static int is_repeated_header(gate_st *st, const record_t *rec)
{
    if (rec->nf < st->nnorm || !first_cell_is_header(st, &rec->f[0]))
        return 0;
    for (int i = 1; i < st->nnorm; i++) {
        char buf[256];
        if (strcmp(schema_norm_header(rec->f[i].s, buf, sizeof buf), st->norm[i]) != 0)
            return 0;
    }
    return 1;
}

static int gate_data(stage_t *self, record_t *rec);

static int gate_find_header(stage_t *self, record_t *rec)
{
    gate_st *st = self->st;
    input_t *in = rec->in;
    remember_cells(st, rec);
    if (!rec->flaw) {
        int best = -1, best_hits = 0;
        int k0 = in->kind == KIND_AUTO ? 0 : (int)in->kind;
        int k1 = in->kind == KIND_AUTO ? KIND__N - 1 : (int)in->kind;
        for (int k = k0; k <= k1; k++) {
            int has_id, hits = map_header(rec, (input_kind)k, NULL, &has_id);
            if (has_id && hits >= 2 && hits > best_hits) {
                best = k;
                best_hits = hits;
            }
        }
        if (best >= 0) {
            int rc = take_header(st, rec, (input_kind)best);
            if (rc < 0)
                return rc;
            self->process = gate_data;
            return STAGE_DROP;
        }
    }
    in->title_rows++;
    if (in->title_rows >= st->max_title) {
        log_error("%s: no header row with an ID column (身份证号, 证件号码, 身份证件号, "
                  "公民身份号码 …) in the first %d rows; the first row has: %s",
                  in->path, st->max_title, st->first_cells ? st->first_cells : "(nothing)");
        return BIDUI_EDATA;
    }
    return STAGE_DROP;
}

static int blank(const record_t *rec)
{
    for (int i = 0; i < rec->nf; i++)
        for (size_t j = 0; j < rec->f[i].n; j++)
            if (rec->f[i].s[j] != ' ' && rec->f[i].s[j] != '\t')
                return 0;
    return 1;
}

static int gate_data(stage_t *self, record_t *rec)
{
    gate_st *st = self->st;
    input_t *in = rec->in;
    int rc;
    in->rows_read++;
    if (rec->flaw)
        rc = rejects_add_row(st->rj, rec, (reject_reason)rec->flaw);
    else if (blank(rec))
        rc = rejects_add_row(st->rj, rec, RJ_BLANK_ROW);
    else if (rec->nf < in->ncols)
        rc = rejects_add_row(st->rj, rec, RJ_FIELD_COUNT);
    else if (rec->nf > in->ncols) {
        /* Excel leaves trailing empty cells behind formatted columns: harmless. */
        for (int i = in->ncols; i < rec->nf; i++)
            if (rec->f[i].n)
                return (rc = rejects_add_row(st->rj, rec, RJ_FIELD_COUNT)) < 0 ? rc : STAGE_DROP;
        rec->nf = in->ncols;
        return STAGE_PASS;
    } else if (is_repeated_header(st, rec))
        rc = rejects_add_row(st->rj, rec, RJ_REPEATED_HEADER);
    else
        return STAGE_PASS;
    return rc < 0 ? rc : STAGE_DROP;
}

static int gate_end(stage_t *self)
{
    gate_st *st = self->st;
    if (st->in->header_line)
        return 0;
    if (!st->first_cells)
        log_error("%s: the file is empty", st->in->path);
    else
        log_error("%s: no header row with an ID column (身份证号, 证件号码, 身份证件号, "
                  "公民身份号码 …) found; the first row has: %s", st->in->path, st->first_cells);
    return BIDUI_EDATA;
}

static void gate_free(stage_t *self)
{
    gate_st *st = self->st;
    free(st->first_cells);
    for (int i = 0; i < st->nnorm; i++)
        free(st->norm[i]);
    free(st->norm);
    free(st->memo);
    stage_free_default(self);
}

stage_t *stage_gate_new(input_t *in, rejects_t *rj, int max_title)
{
    stage_t *s = stage_new("gate", sizeof(gate_st));
    if (!s)
        return NULL;
    gate_st *st = s->st;
    st->in = in;
    st->rj = rj;
    st->max_title = max_title > 0 ? max_title : 30;
    s->process = gate_find_header;
    s->end = gate_end;
    s->free = gate_free;
    return s;
}
