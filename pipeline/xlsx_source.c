/* Reading .xlsx (Office Open XML) workbooks: minizip opens the zip, expat
 * parses each part as it is inflated, 64 KiB at a time, so a sheet of
 * 500,000 rows goes through in the memory of one row.
 *
 * The parts read, in this order (paths from the relationships, with the
 * usual ones as fallback):
 *   xl/workbook.xml             sheet names and order, the 1904 date system
 *   xl/_rels/workbook.xml.rels  which part holds each sheet, the strings, the styles
 *   xl/styles.xml               which cell formats (cellXfs) are dates
 *   xl/sharedStrings.xml        the shared strings, held for the whole reading
 *   xl/worksheets/sheetN.xml    streamed: <row r> <c r t s> <v> | <is><t>
 * Elements are matched by local name, so files written with a namespace
 * prefix (x:row) read the same. Text inside phonetic runs (<rPh>) is not
 * part of a cell's value. */
#include <expat.h>
#include <minizip/unzip.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "arena.h"
#include "err.h"
#include "workbook.h"

#define CHUNK (64u << 10)

typedef struct {
    char *id, *target, *type;
} rel_t;

typedef struct {
    unzFile uf;
    int date1904;
    char **targets;            /* zip path of each sheet, as w->names */
    unsigned char *xf_date;    /* cellXfs index -> 1 when a date format */
    size_t nxf;
    char *sst;                 /* shared strings, each NUL-terminated (counted memory) */
    size_t sst_len, sst_cap;
    size_t *sst_off;           /* string i at sst + sst_off[i] */
    size_t nsst, sst_ocap;
} xlsx_t;

/* ---- small helpers ---- */

static const char *local(const char *name)
{
    const char *c = strrchr(name, ':');
    return c ? c + 1 : name;
}

static const char *attr(const char **a, const char *name)
{
    for (; a[0]; a += 2)
        if (strcmp(local(a[0]), name) == 0)
            return a[1];
    return NULL;
}

static int ends_with(const char *s, const char *suf)
{
    size_t n = strlen(s), m = strlen(suf);
    return n >= m && strcmp(s + n - m, suf) == 0;
}

/* A relationship target relative to xl/ (or absolute from the zip's root)
 * -> the zip entry name. "../" steps out of xl/. */
static char *resolve(const char *target)
{
    char *out;
    if (target[0] == '/')
        return strdup(target + 1);
    const char *t = target;
    int up = 0;
    while (strncmp(t, "../", 3) == 0) {
        t += 3;
        up = 1;
    }
    if (asprintf(&out, "%s%s", up ? "" : "xl/", t) < 0)
        return NULL;
    return out;
}

/* ---- streaming one zip entry through expat ---- */

/* What every handler context starts with: the parser, where it reads, and
 * how a handler stops it (rc < 0 an error the handler has reported, 1
 * enough read). */
typedef struct {
    XML_Parser p;
    const char *file, *entry;
    int rc;
} px_t;

static void px_stop(px_t *px, int rc)
{
    if (!px->rc)
        px->rc = rc;
    XML_StopParser(px->p, XML_FALSE);
}

static int oom(void)
{
    if (!mem_cap_reached())
        log_error("out of memory");
    return BIDUI_ENOMEM;
}

static void px_oom(px_t *px)
{
    if (!px->rc)
        oom();
    px_stop(px, BIDUI_ENOMEM);
}

/* An xlsx never declares entities: one that does is refused outright
 * (no entity expansion, however expat would bound it). */
static void XMLCALL on_entity(void *ud, const XML_Char *name, int pe, const XML_Char *value,
                              int vlen, const XML_Char *base, const XML_Char *sys,
                              const XML_Char *pub, const XML_Char *notation)
{
    (void)name, (void)pe, (void)value, (void)vlen, (void)base, (void)sys, (void)pub,
        (void)notation;
    px_t *px = ud;
    log_error("%s: %s inside the workbook declares XML entities, which no Excel file does: "
              "refused", px->file, px->entry);
    px_stop(px, BIDUI_EDATA);
}

/* Parse entry through the handlers with user data ud (which begins with a
 * px_t). Returns 0; 1 when the entry is missing (nothing reported); 2 when
 * a handler stopped the parser with rc 1; or < 0 (reported). rows, when
 * given, gets the position in the file for the progress line. */
static int parse_entry(xlsx_t *x, const char *file, const char *entry, px_t *ud,
                       XML_StartElementHandler start, XML_EndElementHandler end,
                       XML_CharacterDataHandler text, wb_rows *rows)
{
    if (unzLocateFile(x->uf, entry, 2) != UNZ_OK)
        return 1;
    if (unzOpenCurrentFile(x->uf) != UNZ_OK) {
        log_error("%s: cannot read %s inside the workbook: damaged or encrypted zip", file, entry);
        return BIDUI_EDATA;
    }
    char *buf = malloc(CHUNK);
    XML_Parser p = XML_ParserCreate("UTF-8");
    int rc = 0;
    if (!buf || !p) {
        rc = oom();
        goto out;
    }
    ud->p = p;
    ud->file = file;
    ud->entry = entry;
    ud->rc = 0;
    XML_SetUserData(p, ud);
    XML_SetElementHandler(p, start, end);
    XML_SetCharacterDataHandler(p, text);
    XML_SetEntityDeclHandler(p, on_entity);
    for (;;) {
        int n = unzReadCurrentFile(x->uf, buf, CHUNK);
        if (n < 0) {
            log_error("%s: %s inside the workbook is damaged (zip error %d): the file is "
                      "incomplete; ask the sender for it again", file, entry, n);
            rc = BIDUI_EIO;
            break;
        }
        if (rows)
            rows->pos = (uint64_t)unzGetCurrentFileZStreamPos64(x->uf);
        if (XML_Parse(p, buf, n, n == 0) == XML_STATUS_ERROR) {
            if (XML_GetErrorCode(p) == XML_ERROR_ABORTED && ud->rc) {
                rc = ud->rc == 1 ? 2 : ud->rc;   /* reported by the handler */
            } else {
                log_error("%s: %s inside the workbook is damaged: %s (XML line %lu)", file,
                          entry, XML_ErrorString(XML_GetErrorCode(p)),
                          (unsigned long)XML_GetCurrentLineNumber(p));
                rc = BIDUI_EDATA;
            }
            break;
        }
        if (n == 0)
            break;
    }
out:
    /* A CRC error shows only at the close, after the last byte. */
    if (unzCloseCurrentFile(x->uf) == UNZ_CRCERROR && rc == 0) {
        log_error("%s: %s inside the workbook fails its checksum: the file is damaged; "
                  "ask the sender for it again", file, entry);
        rc = BIDUI_EIO;
    }
    if (p)
        XML_ParserFree(p);
    free(buf);
    return rc;
}

/* ---- workbook.xml and its relationships ---- */

typedef struct {
    px_t px;
    char **names, **rids;
    int n;
    int date1904;
} book_ctx;

static void XMLCALL book_start(void *ud, const XML_Char *name, const XML_Char **a)
{
    book_ctx *b = ud;
    const char *l = local(name);
    if (strcmp(l, "workbookPr") == 0) {
        const char *d = attr(a, "date1904");
        b->date1904 = d && (strcmp(d, "1") == 0 || strcmp(d, "true") == 0);
    } else if (strcmp(l, "sheet") == 0) {
        const char *nm = attr(a, "name"), *id = attr(a, "id");
        if (!nm || !id)
            return;
        char **nn = realloc(b->names, (b->n + 1) * sizeof *nn);
        if (nn)
            b->names = nn;
        char **nr = realloc(b->rids, (b->n + 1) * sizeof *nr);
        if (nr)
            b->rids = nr;
        if (!nn || !nr || !(b->names[b->n] = strdup(nm))) {
            px_oom(&b->px);
            return;
        }
        if (!(b->rids[b->n] = strdup(id))) {
            free(b->names[b->n]);
            px_oom(&b->px);
            return;
        }
        b->n++;
    }
}

static void XMLCALL no_end(void *ud, const XML_Char *name)
{
    (void)ud, (void)name;
}

static void XMLCALL no_text(void *ud, const XML_Char *s, int len)
{
    (void)ud, (void)s, (void)len;
}

typedef struct {
    px_t px;
    rel_t *v;
    int n;
} rels_ctx;

static void XMLCALL rels_start(void *ud, const XML_Char *name, const XML_Char **a)
{
    rels_ctx *r = ud;
    if (strcmp(local(name), "Relationship") != 0)
        return;
    const char *id = attr(a, "Id"), *t = attr(a, "Target"), *ty = attr(a, "Type");
    if (!id || !t)
        return;
    rel_t *nv = realloc(r->v, (r->n + 1) * sizeof *nv);
    if (!nv) {
        px_oom(&r->px);
        return;
    }
    r->v = nv;
    rel_t *x = &r->v[r->n];
    x->id = strdup(id);
    x->target = resolve(t);
    x->type = strdup(ty ? ty : "");
    r->n++;
    if (!x->id || !x->target || !x->type)
        px_oom(&r->px);
}

static const rel_t *rel_by_type(const rels_ctx *r, const char *suffix)
{
    for (int i = 0; i < r->n; i++)
        if (ends_with(r->v[i].type, suffix))
            return &r->v[i];
    return NULL;
}

/* ---- styles.xml: which cell formats show dates ---- */

typedef struct {
    px_t px;
    xlsx_t *x;
    int in_xfs;
    int *custom;               /* custom numFmtIds that are dates */
    int ncustom;
} styles_ctx;

/* A built-in number format that shows a date: 14-17 and 22 (d/m/y, with
 * time for 22), and the East Asian built-ins for dates (27-31, 36, 50-54,
 * 57, 58: yyyy"年"m"月"d"日" and the like). 18-21 and the other East Asian
 * ones show only a time of day. */
static int builtin_date(int id)
{
    return (id >= 14 && id <= 17) || id == 22 || (id >= 27 && id <= 31) || id == 36
           || (id >= 50 && id <= 54) || id == 57 || id == 58;
}

/* A custom format code shows a date when, outside quoted text, [brackets]
 * (colours, locales, elapsed [h]) and escaped characters, it has y or d, or
 * has m without h or s (m next to h or s means minutes). */
static int code_is_date(const char *c)
{
    int y = 0, m = 0, d = 0, hs = 0;
    for (; *c; c++) {
        switch (*c) {
        case '"':
            while (c[1] && c[1] != '"')
                c++;
            if (c[1])
                c++;
            break;
        case '[':
            while (c[1] && c[1] != ']')
                c++;
            if (c[1])
                c++;
            break;
        case '\\': case '_': case '*':
            if (c[1])
                c++;
            break;
        case 'y': case 'Y': y = 1; break;
        case 'd': case 'D': d = 1; break;
        case 'm': case 'M': m = 1; break;
        case 'h': case 'H': case 's': case 'S': hs = 1; break;
        default: break;
        }
    }
    return y || d || (m && !hs);
}

static void XMLCALL styles_start(void *ud, const XML_Char *name, const XML_Char **a)
{
    styles_ctx *s = ud;
    const char *l = local(name);
    if (strcmp(l, "numFmt") == 0) {
        const char *id = attr(a, "numFmtId"), *code = attr(a, "formatCode");
        if (id && code && code_is_date(code)) {
            int *nv = realloc(s->custom, (s->ncustom + 1) * sizeof *nv);
            if (!nv) {
                px_oom(&s->px);
                return;
            }
            s->custom = nv;
            s->custom[s->ncustom++] = atoi(id);
        }
    } else if (strcmp(l, "cellXfs") == 0) {
        s->in_xfs = 1;
    } else if (s->in_xfs && strcmp(l, "xf") == 0) {
        const char *id = attr(a, "numFmtId");
        int fid = id ? atoi(id) : 0, date = builtin_date(fid);
        for (int i = 0; !date && i < s->ncustom; i++)
            date = s->custom[i] == fid;
        unsigned char *nv = realloc(s->x->xf_date, s->x->nxf + 1);
        if (!nv) {
            px_oom(&s->px);
            return;
        }
        s->x->xf_date = nv;
        nv[s->x->nxf++] = (unsigned char)date;
    }
}

static void XMLCALL styles_end(void *ud, const XML_Char *name)
{
    styles_ctx *s = ud;
    if (strcmp(local(name), "cellXfs") == 0)
        s->in_xfs = 0;
}

/* ---- sharedStrings.xml ---- */

typedef struct {
    px_t px;
    xlsx_t *x;
    int in_t, rph;
} sst_ctx;

static int sst_add(xlsx_t *x, const char *s, size_t n)
{
    if (mem_grow((void **)&x->sst, &x->sst_cap, x->sst_len + n + 1, 1) < 0)
        return BIDUI_ENOMEM;
    memcpy(x->sst + x->sst_len, s, n);
    x->sst_len += n;
    return 0;
}

static void XMLCALL sst_start(void *ud, const XML_Char *name, const XML_Char **a)
{
    (void)a;
    sst_ctx *s = ud;
    xlsx_t *x = s->x;
    const char *l = local(name);
    if (strcmp(l, "si") == 0) {
        if (mem_grow((void **)&x->sst_off, &x->sst_ocap, x->nsst + 1, sizeof *x->sst_off) < 0) {
            px_oom(&s->px);
            return;
        }
        x->sst_off[x->nsst] = x->sst_len;
    } else if (strcmp(l, "rPh") == 0) {
        s->rph++;
    } else if (strcmp(l, "t") == 0 && !s->rph) {
        s->in_t = 1;
    }
}

static void XMLCALL sst_end(void *ud, const XML_Char *name)
{
    sst_ctx *s = ud;
    const char *l = local(name);
    if (strcmp(l, "si") == 0) {
        if (sst_add(s->x, "", 0) < 0) {
            px_oom(&s->px);
            return;
        }
        s->x->sst[s->x->sst_len++] = 0;
        s->x->nsst++;
    } else if (strcmp(l, "rPh") == 0) {
        s->rph--;
    } else if (strcmp(l, "t") == 0) {
        s->in_t = 0;
    }
}

static void XMLCALL sst_text(void *ud, const XML_Char *t, int len)
{
    sst_ctx *s = ud;
    if (s->in_t && sst_add(s->x, t, (size_t)len) < 0)
        px_oom(&s->px);
}

/* ---- opening ---- */

static void free_rels(rels_ctx *r)
{
    for (int i = 0; i < r->n; i++) {
        free(r->v[i].id);
        free(r->v[i].target);
        free(r->v[i].type);
    }
    free(r->v);
}

int xlsx_open(wb_t *w)
{
    xlsx_t *x = calloc(1, sizeof *x);
    if (!x)
        return oom();
    w->impl = x;
    book_ctx b = {.n = 0};
    rels_ctx r = {.n = 0};
    int rc;
    if (!(x->uf = unzOpen64(w->file))) {
        log_error("%s: not a readable .xlsx workbook (a damaged or incomplete zip file); "
                  "ask the sender for it again", w->file);
        rc = BIDUI_EDATA;
        goto fail;
    }
    rc = parse_entry(x, w->file, "xl/workbook.xml", &b.px, book_start, no_end, no_text, NULL);
    if (rc == 1) {
        log_error("%s: a zip file, but no Excel workbook (no xl/workbook.xml): unpack it, or "
                  "save it from Excel as .xlsx", w->file);
        rc = BIDUI_EDATA;
    }
    if (rc == 0)
        rc = parse_entry(x, w->file, "xl/_rels/workbook.xml.rels", &r.px, rels_start, no_end,
                         no_text, NULL);
    if (rc == 1) {
        log_error("%s: damaged workbook: xl/_rels/workbook.xml.rels is missing", w->file);
        rc = BIDUI_EDATA;
    }
    if (rc < 0)
        goto fail;
    x->date1904 = b.date1904;
    /* Worksheets only: chart sheets and dialog sheets hold no rows. */
    w->names = calloc(b.n ? b.n : 1, sizeof *w->names);
    x->targets = calloc(b.n ? b.n : 1, sizeof *x->targets);
    if (!w->names || !x->targets) {
        rc = oom();
        goto fail;
    }
    for (int i = 0; i < b.n; i++) {
        const rel_t *rel = NULL;
        for (int k = 0; k < r.n && !rel; k++)
            if (strcmp(r.v[k].id, b.rids[i]) == 0)
                rel = &r.v[k];
        if (!rel || !ends_with(rel->type, "/worksheet"))
            continue;
        if (!(w->names[w->nsheets] = strdup(b.names[i]))
            || !(x->targets[w->nsheets] = strdup(rel->target))) {
            free(w->names[w->nsheets]);
            rc = oom();
            goto fail;
        }
        w->nsheets++;
    }
    const rel_t *st = rel_by_type(&r, "/styles");
    styles_ctx sc = {.x = x};
    rc = parse_entry(x, w->file, st ? st->target : "xl/styles.xml", &sc.px, styles_start,
                     styles_end, no_text, NULL);
    free(sc.custom);
    if (rc < 0)
        goto fail;
    const rel_t *ss = rel_by_type(&r, "/sharedStrings");
    sst_ctx tc = {.x = x};
    rc = parse_entry(x, w->file, ss ? ss->target : "xl/sharedStrings.xml", &tc.px, sst_start,
                     sst_end, sst_text, NULL);
    if (rc < 0)
        goto fail;
    rc = 0;
fail:
    for (int i = 0; i < b.n; i++) {
        free(b.names[i]);
        free(b.rids[i]);
    }
    free(b.names);
    free(b.rids);
    free_rels(&r);
    if (rc < 0) {
        xlsx_close(w);
        for (int i = 0; i < w->nsheets; i++)
            free(w->names[i]);
        free(w->names);
        w->names = NULL;
        w->nsheets = 0;
    }
    return rc;
}

void xlsx_close(wb_t *w)
{
    xlsx_t *x = w->impl;
    if (!x)
        return;
    if (x->uf)
        unzClose(x->uf);
    for (int i = 0; x->targets && i < w->nsheets; i++)
        free(x->targets[i]);
    free(x->targets);
    free(x->xf_date);
    mem_free(x->sst, x->sst_cap);
    mem_free(x->sst_off, x->sst_ocap * sizeof *x->sst_off);
    free(x);
    w->impl = NULL;
}

/* ---- a sheet ---- */

typedef struct {
    px_t px;
    xlsx_t *x;
    wb_rows *rows;
    long row;                 /* current row number (1-based) */
    int next_col;             /* column of a cell without r= */
    int col;                  /* the current cell */
    char type;                /* n number, s shared, i inline, S formula string,
                                 b boolean, e error, d ISO date */
    int style;
    int has_v;                /* a <v> or <is> was seen in the cell */
    int in_v, in_is, in_t, rph;
    char *cbuf;               /* the cell's text */
    size_t clen, ccap;
} sheet_ctx;

/* "BC12" -> 54 (0-based column); -1 when it is no cell reference. */
static int ref_col(const char *r)
{
    long c = 0;
    int k = 0;
    for (; (*r >= 'A' && *r <= 'Z') || (*r >= 'a' && *r <= 'z'); r++, k++) {
        c = c * 26 + ((*r | 0x20) - 'a' + 1);
        if (c > 16384)
            return -1;
    }
    return k ? (int)c - 1 : -1;
}

static void XMLCALL sheet_start(void *ud, const XML_Char *name, const XML_Char **a)
{
    sheet_ctx *s = ud;
    const char *l = local(name);
    switch (l[0]) {
    case 'c':
        if (l[1])
            return;
        {
            const char *r = attr(a, "r"), *t = attr(a, "t"), *st = attr(a, "s");
            int c = r ? ref_col(r) : -1;
            s->col = c >= 0 ? c : s->next_col;
            s->type = !t || strcmp(t, "n") == 0 ? 'n'
                      : strcmp(t, "s") == 0 ? 's'
                      : strcmp(t, "inlineStr") == 0 ? 'i'
                      : strcmp(t, "str") == 0 ? 'S'
                      : strcmp(t, "b") == 0 ? 'b'
                      : strcmp(t, "d") == 0 ? 'd' : 'e';
            s->style = st ? atoi(st) : 0;
            s->has_v = 0;
            s->clen = 0;
        }
        return;
    case 'v':
        if (!l[1]) {
            s->in_v = 1;
            s->has_v = 1;
        }
        return;
    case 'i':
        if (strcmp(l, "is") == 0) {
            s->in_is = 1;
            s->has_v = 1;
        }
        return;
    case 't':
        if (!l[1] && s->in_is && !s->rph)
            s->in_t = 1;
        return;
    case 'r':
        if (strcmp(l, "row") == 0) {
            const char *r = attr(a, "r");
            long n = r ? atol(r) : 0;
            s->row = n > 0 ? n : s->row + 1;
            s->next_col = 0;
        } else if (strcmp(l, "rPh") == 0) {
            s->rph++;
        }
        return;
    default:
        return;
    }
}

/* The finished cell -> the row builder. */
static int end_cell(sheet_ctx *s)
{
    xlsx_t *x = s->x;
    char num[32];
    const char *t = s->cbuf ? s->cbuf : "";
    size_t n = s->clen;
    int numeric = 0;
    if (!s->has_v)
        return 0;
    switch (s->type) {
    case 's': {
        char *e;
        unsigned long i = strtoul(t, &e, 10);
        if (e == t || i >= x->nsst) {
            log_error("%s: row %ld: a shared string that does not exist (%.20s): the workbook "
                      "is damaged; open and save it again in Excel", s->rows->where, s->row, t);
            return BIDUI_EDATA;
        }
        t = x->sst + x->sst_off[i];
        n = strlen(t);
        break;
    }
    case 'b':
        t = n && t[0] == '1' ? "TRUE" : "FALSE";
        n = strlen(t);
        break;
    case 'd':
        n = n > 10 ? 10 : n;      /* ISO 8601: the date part */
        break;
    case 'n': {
        if (!n)
            return 0;
        char *e;
        double v = strtod(t, &e);
        if (*e)
            break;                /* no number after all: keep the text */
        if (s->style >= 0 && (size_t)s->style < x->nxf && x->xf_date[s->style]
            && wb_date_text(v, x->date1904, num) == 0) {
            t = num;
        } else {
            wb_number_text(v, num);
            t = num;
            numeric = 1;
        }
        n = strlen(t);
        break;
    }
    default:                      /* inline and formula strings, errors: the text */
        break;
    }
    return wb_rows_cell(s->rows, s->col, t, n, numeric);
}

static void XMLCALL sheet_end(void *ud, const XML_Char *name)
{
    sheet_ctx *s = ud;
    const char *l = local(name);
    int rc;
    switch (l[0]) {
    case 'c':
        if (l[1])
            return;
        if ((rc = end_cell(s)) < 0)
            px_stop(&s->px, rc);
        s->next_col = s->col + 1;
        return;
    case 'v':
        if (!l[1])
            s->in_v = 0;
        return;
    case 'i':
        if (strcmp(l, "is") == 0)
            s->in_is = 0;
        return;
    case 't':
        if (!l[1])
            s->in_t = 0;
        return;
    case 'r':
        if (strcmp(l, "row") == 0) {
            if ((rc = wb_rows_end(s->rows, s->row)) != 0)
                px_stop(&s->px, rc);
        } else if (strcmp(l, "rPh") == 0) {
            s->rph--;
        }
        return;
    default:
        return;
    }
}

static void XMLCALL sheet_text(void *ud, const XML_Char *t, int len)
{
    sheet_ctx *s = ud;
    if (!s->in_v && !s->in_t)
        return;
    size_t need = s->clen + (size_t)len + 1;
    if (need > s->rows->max_field + 2) {
        log_error("%s: row %ld: a cell longer than %zu bytes: not a usable export "
                  "(raise --max-field if it is real)", s->rows->where, s->row,
                  s->rows->max_field);
        px_stop(&s->px, BIDUI_ELIMIT);
        return;
    }
    if (need > s->ccap) {
        size_t nc = s->ccap ? s->ccap : 256;
        while (nc < need)
            nc *= 2;
        char *b = realloc(s->cbuf, nc);
        if (!b) {
            px_oom(&s->px);
            return;
        }
        s->cbuf = b;
        s->ccap = nc;
    }
    memcpy(s->cbuf + s->clen, t, (size_t)len);
    s->clen += (size_t)len;
    s->cbuf[s->clen] = 0;
}

int xlsx_read(wb_t *w, int i, wb_rows *rows)
{
    xlsx_t *x = w->impl;
    sheet_ctx s = {.x = x, .rows = rows};
    int rc = parse_entry(x, rows->where, x->targets[i], &s.px, sheet_start, sheet_end,
                         sheet_text, rows);
    free(s.cbuf);
    if (rc == 1) {
        log_error("%s: damaged workbook: the sheet's part %s is missing", rows->where,
                  x->targets[i]);
        return BIDUI_EDATA;
    }
    return rc == 2 ? 1 : rc;
}
