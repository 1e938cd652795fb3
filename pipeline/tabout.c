#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "csvout.h"
#include "err.h"
#include "tabout.h"
#include "xlsxout.h"

struct tabout {
    csvout_t *csv;
    xlsxout_t *xlsx;
    long rows;               /* rows after the header */
    char *what, *todo;
    const char *period;
    int masked;
};

tabout_t *tabout_open(const char *dir, const char *name, int mode, const tab_format *f,
                      const char *what, const char *todo, int masked)
{
    tabout_t *t = calloc(1, sizeof *t);
    char path[4400];
    if (!t || !(t->what = strdup(what ? what : "")) || !(t->todo = strdup(todo ? todo : ""))) {
        if (t)
            free(t->what);
        free(t);
        log_error("out of memory");
        return NULL;
    }
    t->period = f->period;
    t->masked = masked;
    t->rows = -1;   /* the header is not a row */
    snprintf(path, sizeof path, "%s/%s.%s", dir, name, f->xlsx ? "xlsx" : "csv");
    if (f->xlsx)
        t->xlsx = xlsxout_open(path, mode, what && *what ? what : name, NULL);
    else
        t->csv = csvout_open(path, mode, f->gbk);
    if (!t->xlsx && !t->csv) {
        free(t->what);
        free(t->todo);
        free(t);
        return NULL;
    }
    return t;
}

int tabout_row(tabout_t *t, const char *const *cells, int n)
{
    t->rows++;
    return t->csv ? csvout_row(t->csv, cells, n) : xlsxout_row(t->xlsx, cells, n);
}

int tabout_close(tabout_t *t)
{
    if (!t)
        return BIDUI_EIO;
    int rc;
    if (t->csv) {
        rc = csvout_close(t->csv);
    } else {
        char text[2048];
        snprintf(text, sizeof text,
                 "名单：%s\n行数：%ld\n比对期间：%s\n如何处理：%s\n身份证号：%s\n"
                 "身份证号等列均以文本保存，请勿改为数字格式（Excel 只保留15位有效数字）。",
                 t->what, t->rows < 0 ? 0 : t->rows, t->period ? t->period : "未指定", t->todo,
                 t->masked ? "已脱敏（前6后4），凭“编号”回填处理结果" : "完整，仅限本局或受函单位使用");
        xlsxout_explain(t->xlsx, text);
        rc = xlsxout_close(t->xlsx);
    }
    free(t->what);
    free(t->todo);
    free(t);
    return rc;
}
