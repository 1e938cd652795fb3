/* write_list_xlsx IN.csv OUT.xlsx TITLE: a UTF-8 CSV list (BOM or not)
 * written through xlsxout as a workbook: a 说明 sheet, then the list on a
 * sheet named TITLE, its first row the header. scripts/make_workbooks.sh
 * uses it to make fixtures/xlsx/aid_list.xlsx, which the tests read back.
 * Every row is written as it is (no ID check): this is the writer's test
 * bench, not a reader. */
#include <csv.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "err.h"
#include "xlsxout.h"

typedef struct {
    char ***rows;             /* rows[r][c], owned */
    int *n;                   /* cells of each row */
    long nrows;
    char **cur;
    int ncur;
    int oom;
} table_t;

static void on_field(void *data, size_t len, void *ctx)
{
    table_t *t = ctx;
    char **v = realloc(t->cur, (size_t)(t->ncur + 1) * sizeof *v);
    char *s = v ? strndup(data ? data : "", len) : NULL;
    if (v)
        t->cur = v;
    if (!s) {
        t->oom = 1;
        return;
    }
    t->cur[t->ncur++] = s;
}

static void on_row(int c, void *ctx)
{
    (void)c;
    table_t *t = ctx;
    char ***r = realloc(t->rows, (size_t)(t->nrows + 1) * sizeof *r);
    int *n = realloc(t->n, (size_t)(t->nrows + 1) * sizeof *n);
    if (r)
        t->rows = r;
    if (n)
        t->n = n;
    if (!r || !n) {
        t->oom = 1;
        return;
    }
    t->rows[t->nrows] = t->cur;
    t->n[t->nrows++] = t->ncur;
    t->cur = NULL;
    t->ncur = 0;
}

int main(int argc, char **argv)
{
    if (argc != 4) {
        fprintf(stderr, "usage: write_list_xlsx IN.csv OUT.xlsx TITLE\n");
        return 2;
    }
    FILE *f = fopen(argv[1], "rb");
    if (!f) {
        perror(argv[1]);
        return 1;
    }
    struct csv_parser p;
    table_t t = {0};
    char buf[65536];
    size_t n;
    int first = 1, rc = 0;
    csv_init(&p, CSV_APPEND_NULL);
    while ((n = fread(buf, 1, sizeof buf, f)) > 0) {
        char *b = buf;
        if (first && n >= 3 && memcmp(b, "\xef\xbb\xbf", 3) == 0) {
            b += 3;
            n -= 3;
        }
        first = 0;
        if (csv_parse(&p, b, n, on_field, on_row, &t) != n) {
            fprintf(stderr, "%s: %s\n", argv[1], csv_strerror(csv_error(&p)));
            rc = 1;
            break;
        }
    }
    csv_fini(&p, on_field, on_row, &t);
    csv_free(&p);
    fclose(f);
    if (t.oom) {
        fprintf(stderr, "out of memory\n");
        rc = 1;
    }
    if (rc == 0 && t.nrows > 0) {
        char explain[1024];
        snprintf(explain, sizeof explain,
                 "%s名单（bidui 比对结果）\n"
                 "共 %ld 行，每行一名学生；身份证号为文本，请勿改为数字格式。\n"
                 "请逐一核实，并在下次比对前把核实结果报回学生资助管理中心。",
                 argv[3], t.nrows - 1);
        xlsxout_t *x = xlsxout_open(argv[2], 0600, argv[3], explain);
        if (!x)
            rc = 1;
        else {
            for (long r = 0; r < t.nrows; r++)
                xlsxout_row(x, (const char *const *)t.rows[r], t.n[r]);
            rc = xlsxout_close(x) < 0;
        }
    }
    for (long r = 0; r < t.nrows; r++) {
        for (int c = 0; c < t.n[r]; c++)
            free(t.rows[r][c]);
        free(t.rows[r]);
    }
    for (int c = 0; c < t.ncur; c++)
        free(t.cur[c]);
    free(t.cur);
    free(t.rows);
    free(t.n);
    return rc;
}
