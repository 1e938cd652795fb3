/* See workbook.h for the contract and the decisions. This file holds what
 * the two formats share: recognising a workbook and its "#SHEET", expanding
 * a workbook into one input per sheet (with the header probe), running one
 * sheet through the chain, and the row builder that turns cells into the
 * fields of a record. */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include "err.h"
#include "progress.h"
#include "stages.h"
#include "workbook.h"

#define DEFAULT_MAX_FIELD (4u << 20)   /* as the CSV source */
#define MAX_COLS 16384                 /* Excel's last column, XFD */
#define PROBE_ROWS 30                  /* the rows the gate searches for a header */

/* ---- what a path names ---- */

static int is_file(const char *p)
{
    struct stat st;
    return stat(p, &st) == 0 && S_ISREG(st.st_mode);
}

/* Split "FILE#SHEET": *file and *sheet (NULL when path is a file itself)
 * newly allocated. 0, -1 when no prefix of path is a file, BIDUI_ENOMEM. */
static int split_path(const char *path, char **file, char **sheet)
{
    *file = *sheet = NULL;
    if (is_file(path))
        return (*file = strdup(path)) ? 0 : BIDUI_ENOMEM;
    /* From the left: a file name may hold '#', and so may a sheet name. */
    for (const char *h = strchr(path, '#'); h; h = strchr(h + 1, '#')) {
        char *f = strndup(path, (size_t)(h - path));
        if (!f)
            return BIDUI_ENOMEM;
        if (is_file(f)) {
            if (!(*sheet = strdup(h + 1))) {
                free(f);
                return BIDUI_ENOMEM;
            }
            *file = f;
            return 0;
        }
        free(f);
    }
    return -1;
}

static wb_format sniff(const char *file)
{
    unsigned char m[4];
    FILE *f = fopen(file, "rb");
    if (!f)
        return WB_NONE;
    size_t n = fread(m, 1, sizeof m, f);
    fclose(f);
    if (n == 4 && memcmp(m, "PK\x03\x04", 4) == 0)
        return WB_XLSX;
    if (n == 4 && memcmp(m, "\xd0\xcf\x11\xe0", 4) == 0)
        return WB_XLS;
    return WB_NONE;
}

wb_format workbook_format(const char *path)
{
    char *file, *sheet;
    if (split_path(path, &file, &sheet) < 0)
        return WB_NONE;
    wb_format f = sniff(file);
    free(file);
    free(sheet);
    return f;
}

char *workbook_file(const char *path)
{
    char *file, *sheet;
    int rc = split_path(path, &file, &sheet);
    if (rc == BIDUI_ENOMEM)
        return NULL;
    free(sheet);
    return rc == 0 ? file : strdup(path);
}

/* ---- an open workbook ---- */

static int wb_open(wb_t *w, const char *file, wb_format f)
{
    memset(w, 0, sizeof *w);
    w->file = file;
    w->format = f;
    return f == WB_XLSX ? xlsx_open(w) : xls_open(w);
}

static void wb_close(wb_t *w)
{
    if (w->format == WB_XLSX)
        xlsx_close(w);
    else
        xls_close(w);
    for (int i = 0; i < w->nsheets; i++)
        free(w->names[i]);
    free(w->names);
}

static int wb_read(wb_t *w, int i, wb_rows *r)
{
    return w->format == WB_XLSX ? xlsx_read(w, i, r) : xls_read(w, i, r);
}

/* ---- the row builder ---- */

static int grow_fields(wb_rows *r, int need)
{
    if (rec_fields_reserve(&r->off, &r->flen, &r->fields, &r->fcap, need) < 0) {
        log_error("out of memory");
        return BIDUI_ENOMEM;
    }
    return 0;
}

/* Append s[0..n) and a NUL to the row's bytes as field r->nf. */
static int add_field(wb_rows *r, const char *s, size_t n)
{
    if (r->len + n + 1 > r->cap) {
        size_t nc = r->cap ? r->cap : 4096;
        while (nc < r->len + n + 1)
            nc *= 2;
        char *b = realloc(r->buf, nc);
        if (!b) {
            log_error("out of memory");
            return BIDUI_ENOMEM;
        }
        r->buf = b;
        r->cap = nc;
    }
    r->off[r->nf] = r->len;
    r->flen[r->nf] = n;
    if (n)
        memcpy(r->buf + r->len, s, n);
    r->len += n;
    r->buf[r->len++] = 0;
    r->nf++;
    return 0;
}

int wb_rows_cell(wb_rows *r, int col, const char *s, size_t n, int numeric)
{
    int rc;
    if (col < r->nf || col >= MAX_COLS) {
        log_error("%s: a cell out of place (column %d after %d): the workbook is damaged; "
                  "open and save it again in Excel", r->where, col + 1, r->nf);
        return BIDUI_EDATA;
    }
    while (n && (s[0] == ' ' || s[0] == '\t')) {
        s++;
        n--;
    }
    while (n && (s[n - 1] == ' ' || s[n - 1] == '\t'))
        n--;
    if (n > r->max_field) {
        log_error("%s: a cell longer than %zu bytes: not a usable export "
                  "(raise --max-field if it is real)", r->where, r->max_field);
        return BIDUI_ELIMIT;
    }
    if ((rc = grow_fields(r, col + 1)) < 0)
        return rc;
    while (r->nf < col)
        if ((rc = add_field(r, "", 0)) < 0)
            return rc;
    if (numeric && col < 64)
        r->numeric |= (uint64_t)1 << col;
    return add_field(r, s, n);
}

int wb_rows_end(wb_rows *r, long rownum)
{
    int rc;
    if (r->nf == 0)
        return 0;                     /* formatting only: no row */
    if (r->nf > r->width)
        r->width = r->nf;
    if ((rc = grow_fields(r, r->width)) < 0)
        return rc;
    while (r->nf < r->width)
        if ((rc = add_field(r, "", 0)) < 0)
            return rc;
    /* Point the fields only now: the buffer may have moved while growing. */
    for (int i = 0; i < r->nf; i++) {
        r->fields[i].s = r->buf + r->off[i];
        r->fields[i].n = r->flen[i];
    }
    rc = r->emit(r, rownum);
    r->nf = 0;
    r->len = 0;
    r->numeric = 0;
    if ((++r->rows & 1023) == 0 && r->pg)
        progress_update(r->pg, r->pos, r->rows);
    return rc;
}

void wb_rows_free(wb_rows *r)
{
    free(r->buf);
    free(r->off);
    free(r->flen);
    free(r->fields);
}

void wb_number_text(double v, char *buf)
{
    if (v == 0)
        v = 0;                        /* no "-0" */
    snprintf(buf, 32, "%.15g", v);
}

/* Days since 1970-01-01 -> civil date (proleptic Gregorian; H. Hinnant). */
static void civil_from_days(long z, int *y, int *m, int *d)
{
    z += 719468;
    long era = (z >= 0 ? z : z - 146096) / 146097;
    long doe = z - era * 146097;
    long yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    long doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    long mp = (5 * doy + 2) / 153;
    *d = (int)(doy - (153 * mp + 2) / 5 + 1);
    *m = (int)(mp < 10 ? mp + 3 : mp - 9);
    *y = (int)(yoe + era * 400 + (*m <= 2));
}

int wb_date_text(double serial, int date1904, char *buf)
{
    if (!(serial >= 0) || serial > 3e6)
        return -1;
    long days = (long)floor(serial);
    if (date1904)
        days += 1462;                 /* 1904-01-01 is serial 1462 of the 1900 system */
    if (days < 1 || days > 2958465)   /* 1900-01-01 .. 9999-12-31 */
        return -1;
    int y, m, d;
    if (days == 60) {                 /* Excel's 1900-02-29, kept from Lotus 1-2-3 */
        y = 1900, m = 2, d = 29;
    } else {
        /* Serial 1 is 1900-01-01; past the phantom 29 February, serial 61 is
         * 1900-03-01, i.e. days counted from 1899-12-30. */
        civil_from_days(days - (days < 60 ? 25568 : 25569), &y, &m, &d);
    }
    /* (the bounds are known above; the modulo tells the compiler) */
    snprintf(buf, 16, "%04u-%02u-%02u", (unsigned)y % 10000u, (unsigned)m % 100u,
             (unsigned)d % 100u);
    return 0;
}

/* ---- expansion into sheets, with the header probe ---- */

static int push(char ***v, int *n, char *s)
{
    if (!s) {
        log_error("out of memory");
        return BIDUI_ENOMEM;
    }
    char **nv = realloc(*v, (*n + 1) * sizeof *nv);
    if (!nv) {
        free(s);
        log_error("out of memory");
        return BIDUI_ENOMEM;
    }
    nv[(*n)++] = s;
    *v = nv;
    return 0;
}

static char *sheet_path(const char *file, const char *sheet)
{
    char *p;
    return asprintf(&p, "%s#%s", file, sheet) < 0 ? NULL : p;
}

typedef struct {
    stage_t *gate;
    input_t *in;
    int rows;
} probe_t;

/* The first rows of a sheet go through a gate of their own: it is the gate
 * that says what a header is. It searches up to max_title rows and only
 * complains when it is given more, or at end of stream; the probe gives it
 * at most PROBE_ROWS and never ends the stream, so it stays silent. */
static int probe_row(wb_rows *r, long rownum)
{
    probe_t *p = r->ctx;
    record_t rec = {.f = r->fields, .nf = r->nf, .in = p->in, .line = rownum, .lines = 1,
                    .numeric_mask = r->numeric};
    int rc = p->gate->process(p->gate, &rec);
    if (rc < 0)
        return rc;
    return p->in->header_line || ++p->rows >= PROBE_ROWS ? 1 : 0;
}

/* 1 when sheet i has a header row with an ID column, 0 when not, < 0 error. */
static int sheet_has_header(wb_t *w, int i, const char *path)
{
    rejects_t scratch = {0};
    probe_t p = {0};
    wb_rows r = {.where = path, .max_field = DEFAULT_MAX_FIELD, .emit = probe_row, .ctx = &p};
    int rc = BIDUI_ENOMEM;
    if ((p.in = input_new(path, KIND_AUTO, NULL, 0))
        && (p.gate = stage_gate_new(p.in, &scratch, PROBE_ROWS + 1))) {
        rc = wb_read(w, i, &r);
        if (rc >= 0)
            rc = p.in->header_line != 0;
    } else {
        log_error("out of memory");
    }
    if (p.gate)
        stage_free(p.gate);
    input_free(p.in);
    rejects_free(&scratch);
    wb_rows_free(&r);
    return rc;
}

int workbook_expand(const char *path, char ***v, int *n)
{
    char *file, *sheet;
    int rc = split_path(path, &file, &sheet);
    if (rc == BIDUI_ENOMEM) {
        log_error("out of memory");
        return rc;
    }
    wb_format f = rc == 0 ? sniff(file) : WB_NONE;
    if (f == WB_NONE || sheet) {      /* no workbook, or one sheet named */
        free(file);
        free(sheet);
        return push(v, n, strdup(path));
    }
    wb_t w;
    if ((rc = wb_open(&w, file, f)) < 0) {
        free(file);
        return rc;
    }
    int *has = calloc(w.nsheets ? w.nsheets : 1, sizeof *has), any = 0;
    if (!has) {
        log_error("out of memory");
        rc = BIDUI_ENOMEM;
    } else if (w.nsheets == 0) {
        log_error("%s: the workbook has no worksheet", path);
        rc = BIDUI_EDATA;
    }
    /* With one sheet there is nothing to choose: its reading says the rest. */
    for (int i = 0; rc == 0 && i < w.nsheets; i++) {
        char *sp = sheet_path(path, w.names[i]);
        if (!sp) {
            log_error("out of memory");
            rc = BIDUI_ENOMEM;
            break;
        }
        has[i] = w.nsheets == 1 ? 1 : sheet_has_header(&w, i, sp);
        free(sp);
        if (has[i] < 0)
            rc = has[i];
        any |= has[i] > 0;
    }
    for (int i = 0; rc == 0 && i < w.nsheets; i++) {
        char *sp = sheet_path(path, w.names[i]);
        if (any && !has[i]) {
            log_warn("%s: no header row with an ID column (身份证号, 证件号码 …) in its first "
                     "%d rows: sheet skipped (the workbook's other sheets have one)",
                     sp ? sp : path, PROBE_ROWS);
            free(sp);
            continue;
        }
        rc = push(v, n, sp);
    }
    free(has);
    wb_close(&w);
    free(file);
    return rc;
}

/* ---- one sheet through the chain ---- */

typedef struct {
    input_t *in;
    chain_t *chain;
} run_t;

static int push_record(wb_rows *r, long rownum)
{
    run_t *ru = r->ctx;
    record_t rec = {.f = r->fields, .nf = r->nf, .in = ru->in, .line = rownum, .lines = 1,
                    .numeric_mask = r->numeric};
    int rc = chain_push(ru->chain, &rec);
    return rc < 0 ? rc : 0;
}

static int find_sheet(const wb_t *w, const char *sheet)
{
    if (!sheet)
        return w->nsheets > 0 ? 0 : -1;
    for (int i = 0; i < w->nsheets; i++)
        if (strcmp(w->names[i], sheet) == 0)
            return i;
    /* Excel itself treats sheet names without regard to (ASCII) case. */
    for (int i = 0; i < w->nsheets; i++)
        if (strcasecmp(w->names[i], sheet) == 0)
            return i;
    return -1;
}

static void no_such_sheet(const wb_t *w, const char *file, const char *sheet)
{
    char list[512];
    size_t o = 0;
    list[0] = 0;
    for (int i = 0; i < w->nsheets && o + 8 < sizeof list; i++) {
        int k = snprintf(list + o, sizeof list - o, "%s\"%s\"", i ? ", " : "", w->names[i]);
        if (k < 0)
            break;
        o += (size_t)k < sizeof list - o ? (size_t)k : sizeof list - o - 1;
    }
    if (sheet)
        log_error("%s: no sheet named \"%s\"; the workbook has: %s", file, sheet,
                  w->nsheets ? list : "(no worksheet)");
    else
        log_error("%s: the workbook has no worksheet", file);
}

int workbook_run(input_t *in, chain_t *chain, const source_opts *o)
{
    char *file, *sheet;
    int rc = split_path(in->path, &file, &sheet);
    if (rc < 0) {
        if (rc == BIDUI_ENOMEM)
            log_error("out of memory");
        else
            log_error("%s: cannot open: %s", in->path, strerror(ENOENT));
        in->failed = 1;
        return rc == BIDUI_ENOMEM ? rc : BIDUI_EIO;
    }
    struct stat st;
    in->bytes = stat(file, &st) == 0 ? (uint64_t)st.st_size : 0;
    in->encoding = ENC_UTF8;          /* cell text is Unicode whatever --encoding says */
    in->encoding_forced = 0;
    in->gzip = in->bom = in->crlf = 0;

    wb_t w;
    run_t ru = {.in = in, .chain = chain};
    wb_rows r = {.where = in->path, .emit = push_record, .ctx = &ru,
                 .max_field = o->max_field ? o->max_field : DEFAULT_MAX_FIELD};
    wb_format f = sniff(file);
    if (f == WB_NONE) {
        log_error("%s: not an Excel workbook", in->path);
        rc = BIDUI_EDATA;
    } else if ((rc = wb_open(&w, file, f)) == 0) {
        int i = find_sheet(&w, sheet);
        if (i < 0) {
            no_such_sheet(&w, file, sheet);
            rc = BIDUI_EDATA;
        } else {
            r.bytes = in->bytes;
            r.pg = o->progress ? progress_start(in->path, in->bytes) : NULL;
            rc = wb_read(&w, i, &r);
            if (r.pg)
                progress_done(r.pg);
            if (rc >= 0)
                rc = chain_end(chain);
        }
        wb_close(&w);
    }
    wb_rows_free(&r);
    free(file);
    free(sheet);
    if (rc < 0)
        in->failed = 1;
    return rc;
}
