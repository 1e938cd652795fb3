/* Excel workbooks as inputs: .xlsx (minizip + expat, xlsx_source.c) and
 * .xls (libfreexl, xls_source.c), read into the same records as the CSV
 * source and pushed through the same chain (decode -> gate -> id -> sink).
 *
 *   book.xlsx --minizip--> sheet XML --expat, 64 KiB at a time--> cells
 *             --wb_rows--> record {fields (UTF-8 text), numeric_mask,
 *                                  file "book.xlsx#Sheet1", line = row number}
 *
 * DECISIONS (where the issue left a choice):
 * - Each sheet is a separate input named "PATH#SHEET" (SHEET is the sheet's
 *   name), so the gate finds a header per sheet and every reject and 来源
 *   names the sheet. plan_expand_path() turns "book.xlsx" into
 *   "book.xlsx#Sheet1", "book.xlsx#Sheet2" ... in the workbook's order; a
 *   path "book.xlsx#Sheet2" given by the user reads that sheet only.
 * - A sheet with no header row with an ID column in its first 30 rows (an
 *   explanation sheet, a lookup list) is skipped with a warning naming it,
 *   but ONLY when the workbook has another sheet that has one: a workbook
 *   none of whose sheets has an ID column fails as a CSV without one does,
 *   and a sheet named by the user is never skipped. The test is the gate's
 *   own (stage_gate_new), so the two never disagree.
 * - A workbook is recognised by its first bytes (PK\3\4 or D0 CF 11 E0),
 *   not by its name: an .xlsx renamed .csv is still read. In folders, files
 *   named .xlsx and .xls (any case) are read besides .csv; Excel's lock
 *   files (~$book.xlsx) are not.
 * - Cells become text as Excel's own CSV export would write them: text and
 *   shared strings as they are (phonetic runs, <rPh>, left out), numbers
 *   with %.15g (500, 312.5; 3.40304201205121e+17 for an ID stored as a
 *   number, which the id stage rejects as excel_number), booleans TRUE and
 *   FALSE, error cells as their text (#N/A), cells with a date format as
 *   YYYY-MM-DD (time of day dropped). Leading and trailing spaces and tabs
 *   are stripped, as the CSV reader strips them.
 * - A row's missing cells are empty fields (cell references r="C5" place
 *   each cell), and each row is padded with empty fields to the widest row
 *   seen so far, so that a row whose last cells are empty is not taken for
 *   a short (broken) row. A row with no value at all is formatting, not
 *   data: it is not read (a CSV export writes no such row either).
 * - The line of a record is the sheet's row number as Excel shows it.
 * - The text is UTF-8 whatever --encoding says (in->encoding = ENC_UTF8), so
 *   the decode stage only checks it.
 * - Memory: the sheet is streamed (a row at a time); what is held is the
 *   shared-string table (counted against --max-memory), the styles and,
 *   for .xls, the whole workbook (libfreexl reads it at once; an .xls holds
 *   at most 65,536 rows). */
#ifndef BIDUI_WORKBOOK_H
#define BIDUI_WORKBOOK_H
#include <stddef.h>
#include <stdint.h>
#include "input.h"
#include "source.h"
#include "stage.h"

typedef enum { WB_NONE = 0, WB_XLSX, WB_XLS } wb_format;

/* What path is: WB_XLSX or WB_XLS when it (or, for "FILE#SHEET", FILE) is
 * an existing file that begins like a workbook; WB_NONE otherwise (no such
 * file, a CSV, a gzip file). Reports nothing. */
wb_format workbook_format(const char *path);

/* The file that path reads: FILE for "FILE#SHEET" of an existing file,
 * otherwise path itself; newly allocated (the caller frees it), NULL when
 * out of memory. For whatever needs the file as a whole (its digest, its
 * size, whether it changed while it was read). */
char *workbook_file(const char *path);

/* Append to v (count *n, strdup'ed) the inputs that path stands for: for a
 * workbook, "path#SHEET" for each sheet in the workbook's order (headerless
 * sheets skipped as described above, with a warning); for a "FILE#SHEET"
 * path or any other file, path itself. Returns 0, or BIDUI_EIO / BIDUI_EDATA
 * when the workbook cannot be opened (reported), BIDUI_ENOMEM. */
int workbook_expand(const char *path, char ***v, int *n);

/* Read one sheet of a workbook (in->path is "FILE#SHEET", or FILE for its
 * first sheet) through chain, then chain_end(). Sets in->bytes, in->encoding
 * (ENC_UTF8) and, on failure, in->failed. Returns what source_run() returns:
 * 0; BIDUI_EIO when the file cannot be opened or read; BIDUI_EDATA when it
 * is damaged or no workbook, or has no such sheet; BIDUI_ELIMIT for a cell
 * longer than o->max_field; BIDUI_ENOMEM; or the first error of a stage.
 * Every failure has been reported naming the file (and sheet and row). */
int workbook_run(input_t *in, chain_t *chain, const source_opts *o);

/* ---- Between workbook.c and the two readers; not for other callers. ---- */

/* The row builder. A reader gives it each cell of a row that holds a value
 * (wb_rows_cell, columns increasing), then ends the row (wb_rows_end); the
 * builder pads and strips the row and hands it to emit(). Its buffers are
 * reused from row to row. */
typedef struct wb_rows wb_rows;
struct wb_rows {
    const char *where;        /* "FILE#SHEET", for messages */
    size_t   max_field;       /* longest cell in bytes */
    char    *buf;             /* the current row's cells, each NUL-terminated */
    size_t   len, cap;
    size_t  *off;             /* field i is buf + off[i] */
    size_t  *flen;
    field_t *fields;
    int      nf, fcap;        /* fields so far in the current row */
    int      width;           /* widest row so far: rows are padded to it */
    uint64_t numeric;         /* numeric_mask of the current row */
    long     rows;            /* rows emitted */
    uint64_t bytes;           /* size of the file */
    uint64_t pos;             /* bytes of it read so far (the reader keeps it) */
    struct progress *pg;      /* NULL: no progress line */
    /* The finished row: fields[0..nf) valid until the next row. Returns 0 to
     * go on, 1 to stop reading (a probe that has seen enough), < 0 error. */
    int    (*emit)(wb_rows *r, long rownum);
    void    *ctx;
};

/* Cell col (0-based, greater than the previous cell's) of the current row:
 * s[0..n) as text; numeric: it was a number cell. 0, or BIDUI_ELIMIT /
 * BIDUI_EDATA / BIDUI_ENOMEM (reported). */
int  wb_rows_cell(wb_rows *r, int col, const char *s, size_t n, int numeric);
/* End of row rownum: emit it when it held a value. Returns emit's result,
 * or 0 when there was nothing to emit. */
int  wb_rows_end(wb_rows *r, long rownum);
void wb_rows_free(wb_rows *r);

/* A number as the readers write it (%.15g); buf holds at least 32 bytes. */
void wb_number_text(double v, char *buf);
/* An Excel serial date (1900 system, or 1904 when date1904) as YYYY-MM-DD
 * into buf (at least 16 bytes). 0, or -1 when it is no date (before 1900-01-01
 * or after 9999-12-31): the caller then writes the number. */
int  wb_date_text(double serial, int date1904, char *buf);

/* A workbook open for reading. */
typedef struct wb {
    wb_format format;
    const char *file;         /* the file (without #SHEET) */
    int      nsheets;
    char   **names;           /* sheet names in the workbook's order, owned */
    void    *impl;            /* the reader's state */
} wb_t;

/* Open w->file (w->format set): fill nsheets and names. 0, or BIDUI_EIO /
 * BIDUI_EDATA / BIDUI_ENOMEM (reported). On failure the close function need
 * not be called. */
int  xlsx_open(wb_t *w);
int  xls_open(wb_t *w);
/* Read sheet i (0-based) into rows. 0 at its end, 1 when emit stopped the
 * reading, < 0 an error (reported, or emit's). */
int  xlsx_read(wb_t *w, int i, wb_rows *rows);
int  xls_read(wb_t *w, int i, wb_rows *rows);
void xlsx_close(wb_t *w);
void xls_close(wb_t *w);

#endif
