/* See xlsxout.h for the contract. */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <sys/stat.h>
#include <unistd.h>
#include <xlsxwriter.h>
#include "err.h"
#include "csvout.h"
#include "xlsxout.h"

#define WIDTH_MIN 6
#define WIDTH_MAX 60
#define EXPLAIN_WIDTH_MAX 100

struct xlsxout {
    lxw_worksheet *explain_ws;   /* the 说明 sheet */
    lxw_workbook *wb;
    lxw_worksheet *ws;        /* the list */
    lxw_format *head, *money;
    char *path;
    int mode;
    int ncols;                /* columns seen so far */
    unsigned char *is_money;  /* per column: the header contains 金额 */
    int *width;               /* per column: widest cell, in character cells */
    int cap;
    unsigned row;             /* next row of the list */
    lxw_error err;            /* first libxlsxwriter error */
    int too_many;             /* rows beyond Excel's 1,048,576 */
};

/* Character cells a UTF-8 text takes: 2 for CJK and full-width characters
 * (U+1100 Hangul Jamo up, except the half-width forms U+FF61-U+FFDC), 1 for
 * the rest. Bytes that are no UTF-8 count one each. */
static int text_width(const char *s)
{
    int w = 0;
    const unsigned char *p = (const unsigned char *)s;
    while (*p) {
        unsigned c = *p, len = c < 0x80 ? 1 : (c >> 5) == 6 ? 2 : (c >> 4) == 14 ? 3
                                         : (c >> 3) == 30 ? 4 : 1;
        unsigned cp = len == 1 ? c : c & (0x7f >> len);
        for (unsigned k = 1; k < len; k++) {
            if ((p[k] & 0xc0) != 0x80) {
                len = 1;
                cp = c;
                break;
            }
            cp = cp << 6 | (p[k] & 0x3f);
        }
        w += cp >= 0x1100 && !(cp >= 0xff61 && cp <= 0xffdc) ? 2 : 1;
        p += len;
    }
    return w;
}

/* "500", "312.50", "-3": digits with at most one point between digits. */
static int plain_decimal(const char *s)
{
    const char *p = s;
    if (*p == '-')
        p++;
    if (*p < '0' || *p > '9')
        return 0;
    while (*p >= '0' && *p <= '9')
        p++;
    if (*p == '.') {
        p++;
        if (*p < '0' || *p > '9')
            return 0;
        while (*p >= '0' && *p <= '9')
            p++;
    }
    return *p == 0 && p - s <= 20;
}

/* A name Excel accepts for a sheet: no []:*?/\, no apostrophe at either
 * end, at most 31 characters, not empty, not the 说明 sheet's own name. */
static void sheet_name(const char *title, char *out, size_t cap)
{
    size_t o = 0;
    int chars = 0;
    const char *p = title ? title : "";
    while (*p == '\'')
        p++;
    while (*p && chars < 31 && o + 5 < cap) {
        unsigned char c = (unsigned char)*p;
        size_t len = c < 0x80 ? 1 : (c >> 5) == 6 ? 2 : (c >> 4) == 14 ? 3 : (c >> 3) == 30 ? 4 : 1;
        if (len == 1 && strchr("[]:*?/\\", c))
            out[o++] = '_';
        else
            for (size_t k = 0; k < len && p[k]; k++)
                out[o++] = p[k];
        for (size_t k = 0; k < len && *p; k++)
            p++;
        chars++;
    }
    while (o && out[o - 1] == '\'')
        o--;
    out[o] = 0;
    if (!o || strcmp(out, "说明") == 0)
        snprintf(out, cap, "%s", "名单");
}

static int grow(xlsxout_t *o, int n)
{
    if (n <= o->cap)
        return 0;
    int nc = o->cap ? o->cap : 16;
    while (nc < n)
        nc *= 2;
    unsigned char *m = realloc(o->is_money, (size_t)nc);
    if (m)
        o->is_money = m;
    int *w = realloc(o->width, (size_t)nc * sizeof *w);
    if (w)
        o->width = w;
    if (!m || !w)
        return -1;
    memset(o->is_money + o->cap, 0, (size_t)(nc - o->cap));
    memset(o->width + o->cap, 0, (size_t)(nc - o->cap) * sizeof *w);
    o->cap = nc;
    return 0;
}

static void write_explain(xlsxout_t *o, lxw_worksheet *ws, const char *text)
{
    lxw_format *wrap = workbook_add_format(o->wb);
    if (!ws || !wrap) {
        o->err = LXW_ERROR_MEMORY_MALLOC_FAILED;
        return;
    }
    format_set_text_wrap(wrap);
    format_set_align(wrap, LXW_ALIGN_VERTICAL_TOP);
    int widest = 20;
    lxw_row_t r = 0;
    for (const char *p = text ? text : ""; *p && !o->err; r++) {
        const char *nl = strchr(p, '\n');
        size_t n = nl ? (size_t)(nl - p) : strlen(p);
        char *line = strndup(p, n);
        if (!line) {
            o->err = LXW_ERROR_MEMORY_MALLOC_FAILED;
            break;
        }
        int w = text_width(line);
        widest = w > widest ? w : widest;
        if (n) {
            lxw_error e = worksheet_write_string(ws, r, 0, line, wrap);
            if (e)
                o->err = e;
        }
        free(line);
        p += n + (nl != NULL);
    }
    worksheet_set_column(ws, 0, 0, widest + 2 > EXPLAIN_WIDTH_MAX ? EXPLAIN_WIDTH_MAX : widest + 2,
                         NULL);
}

xlsxout_t *xlsxout_open(const char *path, int mode, const char *sheet_title,
                        const char *explain_text)
{
    xlsxout_t *o = calloc(1, sizeof *o);
    if (!o || !(o->path = strdup(path))) {
        free(o);
        log_error("out of memory");
        return NULL;
    }
    o->mode = mode;
    /* Create the file with its mode first: libxlsxwriter opens it with
     * fopen(), which would leave it as the umask says while it is written. */
    int fd = file_create(path, mode);
    if (fd < 0 || close(fd) != 0) {
        if (fd >= 0)
            log_error("%s: cannot create: %s", path, strerror(errno));
        free(o->path);
        free(o);
        return NULL;
    }
    lxw_workbook_options opt = {.constant_memory = LXW_TRUE, .tmpdir = NULL,
                                .use_zip64 = LXW_FALSE};
    char title[160];
    sheet_name(sheet_title, title, sizeof title);
    if (!(o->wb = workbook_new_opt(path, &opt))
        || !(o->head = workbook_add_format(o->wb)) || !(o->money = workbook_add_format(o->wb))) {
        log_error("%s: cannot create the workbook (out of memory)", path);
        if (o->wb)
            workbook_close(o->wb);
        free(o->path);
        free(o);
        return NULL;
    }
    /* A fixed creation time (libxlsxwriter would write the current one):
     * the same inputs give the same bytes, in workbooks too. The run's own
     * date is in manifest.json. SOURCE_DATE_EPOCH, where set, is used. */
    lxw_doc_properties props = {.created = 946684800};   /* 2000-01-01T00:00:00Z */
    const char *sde = getenv("SOURCE_DATE_EPOCH");
    if (sde && *sde && strspn(sde, "0123456789") == strlen(sde) && strtoll(sde, NULL, 10) > 0)
        props.created = (time_t)strtoll(sde, NULL, 10);
    workbook_set_properties(o->wb, &props);
    format_set_bold(o->head);
    format_set_num_format(o->money, "0.00");
    /* 说明 comes first; its text may come only at the end (xlsxout_explain),
     * when the rows are counted: each sheet streams on its own, so it can. */
    if (!(o->explain_ws = workbook_add_worksheet(o->wb, "说明")))
        o->err = LXW_ERROR_MEMORY_MALLOC_FAILED;
    else if (explain_text)
        write_explain(o, o->explain_ws, explain_text);
    if (!(o->ws = workbook_add_worksheet(o->wb, title)) && !o->err)
        o->err = LXW_ERROR_MEMORY_MALLOC_FAILED;
    if (o->ws) {
        worksheet_freeze_panes(o->ws, 1, 0);
        /* The IDs are text on purpose: no green "number stored as text"
         * triangle on every row. */
        worksheet_ignore_errors(o->ws, LXW_IGNORE_NUMBER_STORED_AS_TEXT, "A1:XFD1048576");
    }
    return o;
}

int xlsxout_row(xlsxout_t *o, const char *const *cells, int n)
{
    if (o->err || o->too_many)
        return -1;
    if (o->row >= LXW_ROW_MAX || n > LXW_COL_MAX) {
        o->too_many = 1;
        return -1;
    }
    if (grow(o, n) < 0) {
        o->err = LXW_ERROR_MEMORY_MALLOC_FAILED;
        return -1;
    }
    for (int c = 0; c < n && !o->err; c++) {
        const char *s = cells[c] ? cells[c] : "";
        lxw_error e = LXW_NO_ERROR;
        if (o->row == 0) {
            o->is_money[c] = strstr(s, "金额") != NULL;
            if (*s)
                e = worksheet_write_string(o->ws, 0, (lxw_col_t)c, s, o->head);
        } else if (o->is_money[c] && plain_decimal(s)) {
            e = worksheet_write_number(o->ws, o->row, (lxw_col_t)c, strtod(s, NULL), o->money);
        } else if (*s) {
            e = worksheet_write_string(o->ws, o->row, (lxw_col_t)c, s, NULL);
        }
        if (e)
            o->err = e;
        int w = text_width(s);
        if (w > o->width[c])
            o->width[c] = w;
    }
    if (n > o->ncols)
        o->ncols = n;
    o->row++;
    return o->err ? -1 : 0;
}

void xlsxout_explain(xlsxout_t *o, const char *text)
{
    if (o && o->explain_ws && !o->err)
        write_explain(o, o->explain_ws, text);
}

int xlsxout_close(xlsxout_t *o)
{
    if (!o)
        return BIDUI_EIO;
    int rc = 0;
    for (int c = 0; o->ws && c < o->ncols; c++) {
        int w = o->width[c] + 2;
        w = w < WIDTH_MIN ? WIDTH_MIN : w > WIDTH_MAX ? WIDTH_MAX : w;
        worksheet_set_column(o->ws, (lxw_col_t)c, (lxw_col_t)c, w, NULL);
    }
    if (o->too_many) {
        log_error("%s: the list has more rows than an Excel sheet holds (1,048,576): "
                  "write it as CSV instead", o->path);
        rc = BIDUI_EIO;
    } else if (o->err) {
        log_error("%s: write failed: %s", o->path, lxw_strerror(o->err));
        rc = BIDUI_EIO;
    }
    lxw_error e = workbook_close(o->wb);
    if (e && !rc) {
        log_error("%s: write failed: %s", o->path, lxw_strerror(e));
        rc = BIDUI_EIO;
    }
    if (chmod(o->path, (mode_t)o->mode) != 0 && !rc) {
        log_error("%s: cannot set the file's mode: %s", o->path, strerror(errno));
        rc = BIDUI_EIO;
    }
    free(o->is_money);
    free(o->width);
    free(o->path);
    free(o);
    return rc;
}
