/* One table that staff open: a list, a school's or township's file, a
 * letter. CSV (csvout.c) by default; with --format xlsx a workbook
 * (xlsxout.c) whose first sheet explains the list: what it is, how many
 * rows, the period, what to do with it, whether IDs are full or masked.
 * The writers of outputs.c and split.c go through this, so both formats
 * always carry the same rows. */
#ifndef BIDUI_TABOUT_H
#define BIDUI_TABOUT_H

typedef struct {
    int xlsx;                /* write .xlsx instead of .csv */
    int gbk;                 /* CSV in GB18030 instead of UTF-8 with BOM */
    const char *period;      /* for the explanation; NULL: not given */
} tab_format;

typedef struct tabout tabout_t;

/* Create dir/name.csv or dir/name.xlsx with mode. what: the list's name
 * (应助未助); todo: what the receiver should do with it (one sentence);
 * masked: 1 when IDs are masked. The first row written is the header.
 * NULL (reported) when it cannot be created. */
tabout_t *tabout_open(const char *dir, const char *name, int mode, const tab_format *f,
                      const char *what, const char *todo, int masked);
int tabout_row(tabout_t *t, const char *const *cells, int n);
/* Finish (the explanation is written now that the rows are counted) and
 * free: 0 or BIDUI_EIO (reported). */
int tabout_close(tabout_t *t);

#endif
