/* Reading .xls (BIFF, Excel 97-2003 and older) workbooks through libfreexl.
 * libfreexl reads the whole workbook when it opens it (an .xls holds at most
 * 65,536 rows of 256 columns, so that is bounded); cells then come out by
 * row and column, text already in UTF-8 (BIFF5 code pages included) and
 * cells with a date format already as YYYY-MM-DD. */
#include <freexl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "err.h"
#include "workbook.h"

static const char *freexl_why(int rc)
{
    switch (rc) {
    case FREEXL_FILE_NOT_FOUND: return "cannot open the file";
    case FREEXL_INSUFFICIENT_MEMORY: return "out of memory";
    case FREEXL_INVALID_CHARACTER: return "text in a code page that cannot be converted";
    case FREEXL_UNSUPPORTED_CHARSET: return "text in a code page this system cannot convert";
    case FREEXL_BIFF_WORKBOOK_NOT_FOUND:
        return "no workbook inside (an .xlsx protected by a password is stored so: "
               "save it without the password)";
    case FREEXL_CRAFTED_FILE: return "the file is damaged or crafted";
    default: return "the file is damaged or not an Excel 97-2003 workbook";
    }
}

int xls_open(wb_t *w)
{
    const void *h = NULL;
    int rc = freexl_open(w->file, &h);
    unsigned info = 0;
    if (rc != FREEXL_OK) {
        log_error("%s: cannot read as an .xls workbook: %s", w->file, freexl_why(rc));
        if (h)
            freexl_close(h);
        return rc == FREEXL_FILE_NOT_FOUND ? BIDUI_EIO
               : rc == FREEXL_INSUFFICIENT_MEMORY ? BIDUI_ENOMEM : BIDUI_EDATA;
    }
    if (freexl_get_info(h, FREEXL_BIFF_PASSWORD, &info) == FREEXL_OK && info != FREEXL_BIFF_PLAIN) {
        log_error("%s: the workbook is protected by a password: save it without one", w->file);
        freexl_close(h);
        return BIDUI_EDATA;
    }
    if (freexl_get_info(h, FREEXL_BIFF_SHEET_COUNT, &info) != FREEXL_OK)
        info = 0;
    w->names = calloc(info ? info : 1, sizeof *w->names);
    if (!w->names) {
        log_error("out of memory");
        freexl_close(h);
        return BIDUI_ENOMEM;
    }
    for (unsigned i = 0; i < info; i++) {
        const char *name = NULL;
        char fallback[32];
        if (freexl_get_worksheet_name(h, (unsigned short)i, &name) != FREEXL_OK || !name) {
            snprintf(fallback, sizeof fallback, "Sheet%u", i + 1);
            name = fallback;
        }
        if (!(w->names[i] = strdup(name))) {
            log_error("out of memory");
            for (unsigned k = 0; k < i; k++)
                free(w->names[k]);
            free(w->names);
            w->names = NULL;
            freexl_close(h);
            return BIDUI_ENOMEM;
        }
        w->nsheets++;
    }
    w->impl = (void *)h;
    return 0;
}

void xls_close(wb_t *w)
{
    if (w->impl)
        freexl_close(w->impl);
    w->impl = NULL;
}

int xls_read(wb_t *w, int i, wb_rows *rows)
{
    const void *h = w->impl;
    unsigned nrows = 0;
    unsigned short ncols = 0;
    if (freexl_select_active_worksheet(h, (unsigned short)i) != FREEXL_OK
        || freexl_worksheet_dimensions(h, &nrows, &ncols) != FREEXL_OK) {
        log_error("%s: cannot read the sheet: the workbook is damaged", rows->where);
        return BIDUI_EDATA;
    }
    for (unsigned r = 0; r < nrows; r++) {
        for (unsigned short c = 0; c < ncols; c++) {
            FreeXL_CellValue v;
            char num[32];
            const char *t = num;
            size_t n;
            int numeric = 0, rc = freexl_get_cell_value(h, r, c, &v);
            if (rc != FREEXL_OK) {
                log_error("%s: row %u: cannot read the cell in column %u: %s", rows->where,
                          r + 1, c + 1u, freexl_why(rc));
                return BIDUI_EDATA;
            }
            switch (v.type) {
            case FREEXL_CELL_INT:
                snprintf(num, sizeof num, "%d", v.value.int_value);
                numeric = 1;
                n = strlen(num);
                break;
            case FREEXL_CELL_DOUBLE:
                wb_number_text(v.value.double_value, num);
                numeric = 1;
                n = strlen(num);
                break;
            case FREEXL_CELL_TEXT:
            case FREEXL_CELL_SST_TEXT:
            case FREEXL_CELL_DATE:
            case FREEXL_CELL_DATETIME:
            case FREEXL_CELL_TIME:
                t = v.value.text_value ? v.value.text_value : "";
                n = strlen(t);
                if (v.type == FREEXL_CELL_DATETIME && n > 10)
                    n = 10;       /* the date part, as for .xlsx */
                break;
            default:              /* FREEXL_CELL_NULL: no value */
                continue;
            }
            if ((rc = wb_rows_cell(rows, c, t, n, numeric)) < 0)
                return rc;
        }
        rows->pos = (uint64_t)((double)rows->bytes * (r + 1) / nrows);
        int rc = wb_rows_end(rows, (long)r + 1);
        if (rc != 0)
            return rc;
    }
    return 0;
}
