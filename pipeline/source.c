/* See source.h for the contract. Why a line at a time: libcsv reports rows
 * but not where they are; feeding it one physical line per csv_parse call
 * tells us, from its state before each line, exactly which line a row
 * starts on, at the cost of one memchr per line.
 *
 * Why a fast path beside libcsv: libcsv moves every byte through a state
 * machine and copies every field; that alone took more time than all the
 * rest of `bidui inspect` (issue 2's benchmark). Most lines of an export are
 * plain: no quote, no CR but the one before LF, no NUL. fast_line() splits
 * such a line itself, in place, with exactly libcsv's result (see there);
 * every other line still goes through libcsv. */
#include <csv.h>
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zlib.h>
#include "arena.h"
#include "encoding.h"
#include "err.h"
#include "progress.h"
#include "readahead.h"
#include "slurp.h"
#include "source.h"
#include "workbook.h"

/* libcsv's parser states (csv.h does not export them). */
#define CSV_ROW_NOT_BEGUN 0
#define CSV_FIELD_BEGUN 2

#define READ_CHUNK (1u << 20)
#define DEFAULT_MAX_FIELD (4u << 20)

typedef struct {
    input_t *in;
    chain_t *chain;
    const source_opts *o;
    struct csv_parser p;
    char   *buf;              /* bytes of the current row's fields */
    size_t  len, cap;
    size_t *off;              /* field i starts at buf + off[i] */
    size_t *flen;
    field_t *fields;
    int     nf, fcap;
    record_t rec;
    long    line;             /* physical line being fed (1-based) */
    long    row_start;
    size_t  keep_ix;          /* o->keep_lines: the next line asked for */
    int     err;              /* first error of a stage; stops the run */
    int     nul;              /* the current row holds a NUL byte */
    int     unterminated;     /* set just before csv_fini when a quote is open */
} src_t;

/* libcsv's realloc takes no context; the field cap is per thread. */
static _Thread_local size_t field_cap;
static void *capped_realloc(void *p, size_t n)
{
    if (n > field_cap + (64u << 10))
        return NULL;
    return realloc(p, n);
}

static int grow_fields(src_t *s)
{
    return rec_fields_reserve(&s->off, &s->flen, &s->fields, &s->fcap, s->fcap + 1);
}

static void on_field(void *data, size_t len, void *ctx)
{
    src_t *s = ctx;
    if (s->err)
        return;
    /* libcsv grows its field in 64 KiB blocks, so capped_realloc alone
     * lets a field up to 64 KiB past the cap through: check it exactly. */
    if (len > field_cap) {
        log_error("%s:%ld: a field longer than %zu bytes: not a usable export "
                  "(raise --max-field if it is real)", s->in->path, s->row_start, field_cap);
        s->err = BIDUI_ELIMIT;
        return;
    }
    if (s->nf == s->fcap && grow_fields(s) < 0) {
        s->err = BIDUI_ENOMEM;
        return;
    }
    if (s->len + len + 1 > s->cap) {
        size_t nc = s->cap ? s->cap : 4096;
        while (nc < s->len + len + 1)
            nc *= 2;
        char *b = realloc(s->buf, nc);
        if (!b) {
            s->err = BIDUI_ENOMEM;
            return;
        }
        s->buf = b;
        s->cap = nc;
    }
    if (len && memchr(data, 0, len))
        s->nul = 1;
    s->off[s->nf] = s->len;
    s->flen[s->nf] = len;
    if (len)
        memcpy(s->buf + s->len, data, len);
    s->len += len;
    s->buf[s->len++] = 0;
    s->nf++;
}

/* Push the row whose nf fields are in s->fields down the chain. */
static void push_row(src_t *s, int nf, int flaw)
{
    record_t *r = &s->rec;
    memset(r, 0, sizeof *r);
    r->f = s->fields;
    r->nf = nf;
    r->in = s->in;
    r->line = s->row_start;
    r->lines = s->line - s->row_start + 1;
    r->flaw = flaw;
    int rc = chain_push(s->chain, r);
    if (rc < 0)
        s->err = rc;
}

static void on_row(int c, void *ctx)
{
    (void)c;
    src_t *s = ctx;
    if (s->err)
        return;
    for (int i = 0; i < s->nf; i++) {
        s->fields[i].s = s->buf + s->off[i];
        s->fields[i].n = s->flen[i];
    }
    push_row(s, s->nf, s->unterminated ? RJ_UNTERMINATED_QUOTE : s->nul ? RJ_NUL_BYTE : 0);
    s->nf = 0;
    s->len = 0;
    s->nul = 0;
}

/* The bytes fast_line() stops at: a comma ends a field; a quote, a CR or a
 * NUL sends the whole line to libcsv. */
static int is_special(unsigned char c) { return c == ',' || c == '"' || c == '\r' || c == 0; }

#define BYTES_1 0x0101010101010101ULL
/* Bit 7 of byte k is set if byte k of v is zero; bits above the lowest
 * zero byte may be set wrongly (borrows), the lowest set bit never is. */
static uint64_t zero_bytes(uint64_t v) { return (v - BYTES_1) & ~v & (BYTES_1 << 7); }

/* The first special byte in s[i..e), or e. Eight bytes at a time where the
 * byte order lets the lowest set bit name the first byte. */
static size_t next_special(const char *s, size_t i, size_t e)
{
#if defined(__GNUC__) && defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
    for (; i + 8 <= e; i += 8) {
        uint64_t w;
        memcpy(&w, s + i, 8);
        uint64_t m = zero_bytes(w ^ (BYTES_1 * ',')) | zero_bytes(w ^ (BYTES_1 * '"'))
                     | zero_bytes(w ^ (BYTES_1 * '\r')) | zero_bytes(w);
        if (m)
            return i + (size_t)(__builtin_ctzll(m) >> 3);
    }
#endif
    while (i < e && !is_special((unsigned char)s[i]))
        i++;
    return i;
}

static int is_blank_byte(char c) { return c == ' ' || c == '\t'; }

/* line[0..len) is one whole physical line, ending in LF, that starts a row
 * (libcsv is between rows). When it holds no quote, no NUL and no CR other
 * than one right before the LF, and is shorter than the field cap, push its
 * row (if any) and return 1; otherwise touch nothing and return 0: the
 * caller gives the line to libcsv.
 *
 * The result is libcsv 3's (options 0, default space and line-end bytes) for
 * such a line: fields are the comma-separated pieces of the line without its
 * line end, each stripped of leading and trailing spaces and tabs; a line of
 * only spaces and tabs (or empty) is no row at all; a CR ends the row, so
 * CRLF and LF lines are alike. Fields are NUL-terminated in place, in the
 * caller's read buffer: a piece's end (its comma, a trailing blank, the CR or
 * LF) is never part of another piece, and the caller reads nothing of the
 * line again. A line at least as long as the field cap goes to libcsv so that
 * a field too long fails exactly as it does there. */
static int fast_line(src_t *s, char *line, size_t len)
{
    size_t e = len - 1;                      /* the LF */
    if (e && line[e - 1] == '\r')
        e--;
    if (e >= field_cap)
        return 0;
    int nf = 0;
    size_t a = 0;
    for (;;) {
        size_t i = next_special(line, a, e);
        if (i < e && line[i] != ',')
            return 0;
        /* a piece line[a..i) ends here */
        if (nf == s->fcap && grow_fields(s) < 0) {
            s->err = BIDUI_ENOMEM;
            return 1;
        }
        size_t b = i;
        while (a < b && is_blank_byte(line[a]))
            a++;
        while (b > a && is_blank_byte(line[b - 1]))
            b--;
        s->fields[nf].s = line + a;
        s->fields[nf].n = b - a;
        nf++;
        if (i == e)
            break;
        a = i + 1;
    }
    /* Terminate only now, when the line is sure not to go to libcsv. */
    for (int j = 0; j < nf; j++)
        s->fields[j].s[s->fields[j].n] = 0;
    if (nf == 1 && s->fields[0].n == 0)
        return 1;                            /* blank line: libcsv gives no row */
    push_row(s, nf, 0);
    return 1;
}

/* Say what a file is when it is no CSV text, so staff know what to do. */
static int sniff_not_csv(const input_t *in, const unsigned char *p, size_t n)
{
    const char *what = NULL;
    if (n >= 2 && p[0] == 0x1f && p[1] == 0x8b)
        what = "a gzip file inside a gzip file: decompress it once more";
    /* A plain workbook never gets here (source_run hands it to the workbook
     * reader): these are workbooks inside gzip. */
    else if (n >= 4 && memcmp(p, "PK\x03\x04", 4) == 0)
        what = "an Excel workbook (.xlsx) or other zip file inside gzip: decompress it first";
    else if (n >= 4 && memcmp(p, "\xd0\xcf\x11\xe0", 4) == 0)
        what = "an old Excel workbook (.xls) inside gzip: decompress it first";
    else if (n >= 2 && ((p[0] == 0xff && p[1] == 0xfe) || (p[0] == 0xfe && p[1] == 0xff)))
        what = "UTF-16 text (Excel's \"Unicode text\"): save it as \"CSV UTF-8\" instead";
    else {
        size_t k = n < 4096 ? n : 4096, nuls = 0;
        for (size_t i = 0; i < k; i++)
            nuls += p[i] == 0;
        if (nuls * 100 > k && nuls >= 4)
            what = "binary data, not a CSV export";
    }
    if (!what)
        return 0;
    log_error("%s: %s", in->path, what);
    return BIDUI_EDATA;
}

/* Feed buf[0..n) to libcsv a physical line at a time (plain whole lines
 * through fast_line instead, which may write NULs into them). *at_start
 * says whether buf begins a new line (a chunk boundary may split one). */
static int feed(src_t *s, char *buf, size_t n, int *at_start)
{
    size_t pos = 0;
    while (pos < n) {
        int row_edge = 0;
        if (*at_start) {
            s->line++;
            if (s->p.pstate == CSV_ROW_NOT_BEGUN) {
                s->row_start = s->line;
                row_edge = 1;
            }
        }
        const char *nl = memchr(buf + pos, '\n', n - pos);
        size_t end = nl ? (size_t)(nl - buf) + 1 : n;
        if (row_edge && nl && s->o->keep_lines && s->in->header_line) {
            while (s->keep_ix < s->o->nkeep && s->o->keep_lines[s->keep_ix] < s->line)
                s->keep_ix++;
            int kept = s->keep_ix < s->o->nkeep && s->o->keep_lines[s->keep_ix] == s->line;
            if (!kept && !memchr(buf + pos, '"', end - pos)) {
                *at_start = 1;   /* a whole row not asked for: not parsed at all */
                pos = end;
                continue;
            }
        }
        if (row_edge && nl && fast_line(s, buf + pos, end - pos)) {
            if (s->err)
                return s->err;
            *at_start = 1;
            pos = end;
            continue;
        }
        if (csv_parse(&s->p, buf + pos, end - pos, on_field, on_row, s) != end - pos) {
            if (!s->err) {
                if (csv_error(&s->p) == CSV_ENOMEM)
                    log_error("%s:%ld: a field longer than %zu bytes: not a usable export "
                              "(raise --max-field if it is real)",
                              s->in->path, s->row_start, field_cap);
                else
                    log_error("%s:%ld: CSV error: %s", s->in->path, s->line,
                              csv_strerror(csv_error(&s->p)));
                s->err = csv_error(&s->p) == CSV_ENOMEM ? BIDUI_ELIMIT : BIDUI_EDATA;
            }
            return s->err;
        }
        if (s->err)
            return s->err;
        *at_start = nl != NULL;
        pos = end;
    }
    return 0;
}

int source_run(input_t *in, chain_t *chain, const source_opts *o)
{
    src_t s = {.in = in, .chain = chain, .o = o};
    struct stat st;
    int rc = 0;
    unsigned char *chunk = NULL, *whole = NULL;
    size_t whole_n = 0, whole_at = 0;
    progress_t *pg = NULL;
    readahead_t *ra = NULL;

    field_cap = o->max_field ? o->max_field : DEFAULT_MAX_FIELD;
    if (stat(in->path, &st) == 0 && S_ISDIR(st.st_mode)) {
        log_error("%s: is a folder, expected a file", in->path);
        return BIDUI_EIO;
    }
    /* A workbook (by its first bytes), or one sheet of it ("book.xlsx#Sheet1"). */
    if (workbook_format(in->path) != WB_NONE)
        return workbook_run(in, chain, o);
    gzFile gz = gzopen(in->path, "rb");
    if (!gz) {
        log_error("%s: cannot open: %s", in->path, strerror(errno ? errno : ENOMEM));
        return BIDUI_EIO;
    }
    in->bytes = stat(in->path, &st) == 0 ? (uint64_t)st.st_size : 0;
    gzbuffer(gz, 256u << 10);
    if (csv_init(&s.p, 0) != 0 || !(chunk = malloc(READ_CHUNK))) {
        rc = BIDUI_ENOMEM;
        goto out;
    }
    csv_set_realloc_func(&s.p, capped_realloc);
    csv_set_blk_size(&s.p, 64u << 10);

    pg = o->progress ? progress_start(in->path, in->bytes) : NULL;
    int first = 1, at_start = 1;
    /* A file that fits is read whole (slurp.h), unless memory is capped
     * (--max-memory): then everything streams. Streaming: gzread (which
     * inflates gzip) on its own thread; here if none can start. */
    int whole_gz = 0;
    if (!(mem_cap() == 0 && slurp(in->path, &whole, &whole_n, &whole_gz)))
        ra = readahead_start(gz, READ_CHUNK);
    for (;;) {
        unsigned char *got = chunk;
        int n, zerr = Z_OK, direct = 0;
        const char *msg = "";
        uint64_t offset = 0;
        if (whole) {
            n = (int)(whole_n - whole_at < READ_CHUNK ? whole_n - whole_at : READ_CHUNK);
            got = whole + whole_at;
            whole_at += (size_t)n;
            direct = !whole_gz;
            offset = whole_n ? (uint64_t)((double)in->bytes * (double)whole_at / (double)whole_n) : 0;
        } else if (ra) {
            n = readahead_next(ra, &got, &direct, &offset, &zerr, &msg);
        } else {
            n = gzread(gz, chunk, READ_CHUNK);
            direct = gzdirect(gz);
            offset = (uint64_t)gzoffset(gz);
            if (n <= 0)
                msg = gzerror(gz, &zerr);
        }
        if (n < 0) {
            log_error("%s: %s after line %ld: %s", in->path,
                      zerr == Z_BUF_ERROR || zerr == Z_DATA_ERROR ? "gzip data damaged or truncated"
                                                                 : "read error",
                      s.line, zerr == Z_ERRNO && !ra ? strerror(errno) : msg);
            log_error("%s: the file is incomplete; ask the sender for it again", in->path);
            rc = BIDUI_EIO;
            goto out;
        }
        if (n == 0) {
            /* zlib reports a stream cut short only here, at its end: check
             * before the last (partial) row is handed on. */
            if (zerr != Z_OK) {
                log_error("%s: gzip data damaged or truncated after line %ld (%s); the file is "
                          "incomplete: ask the sender for it again", in->path, s.line, msg);
                rc = BIDUI_EIO;
                goto out;
            }
            break;
        }
        unsigned char *p = got;
        size_t len = (size_t)n;
        if (first) {
            first = 0;
            in->gzip = !direct;
            if ((rc = sniff_not_csv(in, p, len)) < 0)
                goto out;
            if (len >= 3 && memcmp(p, "\xef\xbb\xbf", 3) == 0) {
                in->bom = 1;
                p += 3;
                len -= 3;
            }
            if (o->encoding != ENC_AUTO) {
                in->encoding = o->encoding;
                in->encoding_forced = 1;
            } else {
                in->encoding = in->bom ? ENC_UTF8 : encoding_detect(p, len);
            }
            const unsigned char *nl = memchr(p, '\n', len);
            in->crlf = nl && nl > p && nl[-1] == '\r';
            /* CR alone ends the lines of Excel for Mac's "CSV (Macintosh)":
             * without this, every row of such a file is on line 1. */
            if (!nl && memchr(p, '\r', len))
                in->crlf = 2;
        }
        if (in->crlf == 2)   /* old Mac line ends: each CR is a line end */
            for (unsigned char *q = p; (q = memchr(q, '\r', len - (size_t)(q - p))) != NULL; q++)
                *q = '\n';
        if ((rc = feed(&s, (char *)p, len, &at_start)) < 0)
            goto out;
        if (pg)
            progress_update(pg, offset, s.line);
    }
    /* End of file: a quote still open swallowed everything after it. */
    s.unterminated = s.p.pstate == CSV_FIELD_BEGUN && s.p.quoted;
    if (s.unterminated)
        log_warn("%s:%ld: a quote opened on this line is never closed: lines %ld-%ld "
                 "were read as one field and the row is rejected",
                 in->path, s.row_start, s.row_start, s.line);
    csv_fini(&s.p, on_field, on_row, &s);
    if (s.err) {
        rc = s.err;
        goto out;
    }
    rc = chain_end(chain);
out:
    readahead_stop(ra);   /* before the gzFile is closed under it */
    if (pg)
        progress_done(pg);
    if (gz) {
        int zc = gzclose_r(gz);
        if (zc != Z_OK && rc == 0) {
            log_error("%s: error closing: %s", in->path,
                      zc == Z_BUF_ERROR ? "gzip data truncated" : "read error");
            rc = BIDUI_EIO;
        }
    }
    if (rc < 0)
        in->failed = 1;
    csv_free(&s.p);
    free(chunk);
    free(whole);
    free(s.buf);
    free(s.off);
    free(s.flen);
    free(s.fields);
    return rc;
}
