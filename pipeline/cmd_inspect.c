/* bidui inspect FILE...: what bidui makes of an export, before any
 * comparison. Staff run it first whenever a bureau sends a new file. */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "commands.h"
#include "err.h"
#include "id.h"
#include "mask.h"
#include "plan.h"
#include "progress.h"
#include "stages.h"
#include "workbook.h"

static void usage(FILE *f)
{
    fprintf(f,
        "usage: bidui inspect [--kind registry|roster|aid|province] [--encoding utf-8|gbk]\n"
        "                     [--examples N] FILE|FOLDER...\n"
        "For each input: compression, encoding, the header row found, how its columns map\n"
        "to bidui's fields, rows read, used and rejected, and the first rejects.\n");
}

static void report(const input_t *in, const rejects_t *rj, size_t rj_from, int examples)
{
    printf("文件: %s\n", in->path);
    wb_format wb = workbook_format(in->path);
    if (wb != WB_NONE)   /* encoding and line ends mean nothing in a workbook */
        printf("  格式: Excel 工作簿（%s），单元格文本为 Unicode\n", wb == WB_XLSX ? ".xlsx" : ".xls");
    else
        printf("  压缩: %s  编码: %s%s  BOM: %s  换行: %s\n", in->gzip ? "gzip" : "无",
               encoding_name(in->encoding), in->encoding_forced ? " (指定)" : " (自动识别)",
               in->bom ? "有" : "无", in->crlf == 2 ? "CR" : in->crlf ? "CRLF" : "LF");
    if (!in->header_line) {
        printf("  表头: 未找到（见错误信息）\n\n");
        return;
    }
    printf("  类型: %s (%s)\n", kind_name(in->kind), kind_zh(in->kind));
    printf("  表头: 第%ld行", in->header_line);
    if (in->title_rows)
        printf("（其上%ld行标题行已跳过）", in->title_rows);
    printf("\n  列对应:\n");
    for (int i = 0; i < in->ncols; i++) {
        int c, found = -1;
        for (c = 0; c < COL__N; c++)
            if (in->col[c] == i)
                found = c;
        if (found >= 0)
            printf("    第%d列「%s」-> %s（%s）\n", i + 1, in->headers[i], col_name(found),
                   col_zh(found));
        else
            printf("    第%d列「%s」-> （未识别，不使用）\n", i + 1, in->headers[i]);
    }
    printf("  行数: 读取 %ld, 可用 %ld, 拒收 %ld\n", in->rows_read, in->rows_used,
           in->rows_rejected);
    if (in->failed)
        printf("  读取失败: 文件未能读完（见错误信息），以上行数不完整\n");
    int shown = 0;
    for (size_t i = rj_from; i < rj->n && shown < examples; i++) {
        const reject_t *x = &rj->v[i];
        if (x->input_index != in->index)
            continue;
        if (!shown++)
            printf("  拒收示例:\n");
        char masked[1024];
        const char *raw = masked;
        if (x->is_id)     /* a message that quotes an ID masks it */
            id_mask(x->raw, masked);
        else              /* and so does a row's excerpt, which holds its ID */
            mask_ids_text(x->raw, masked, sizeof masked);
        printf("    第%ld行 %s (%s): ", x->line, x->zh, x->code);
        for (const char *q = raw; *q; q++)   /* one line each, whatever the row held */
            putchar(*q == '\n' || *q == '\r' ? ' ' : *q);
        putchar('\n');
    }
    printf("\n");
}

int cmd_inspect(int argc, char **argv)
{
    static const struct option opts[] = {
        {"kind", required_argument, 0, 'k'}, {"encoding", required_argument, 0, 'e'},
        {"examples", required_argument, 0, 'x'}, {"max-field", required_argument, 0, 'm'},
        {"help", no_argument, 0, 'h'}, {0, 0, 0, 0}};
    int kind = KIND_AUTO, examples = 10, c;
    source_opts so = {.encoding = ENC_AUTO};
    optind = 1;
    while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
        switch (c) {
        case 'k':
            if ((kind = kind_parse(optarg)) < 0) {
                log_error("--kind: unknown kind '%s' (registry, roster, aid, province)", optarg);
                return 2;
            }
            break;
        case 'e': {
            int e = encoding_parse(optarg);
            if (e < 0) {
                log_error("--encoding: unknown encoding '%s' (utf-8, gbk, auto)", optarg);
                return 2;
            }
            so.encoding = (encoding_t)e;
            break;
        }
        case 'x':
            examples = atoi(optarg);
            break;
        case 'm':
            if (limit_parse(optarg, SIZE_MAX / 4, &so.max_field) < 0) {
                log_error("--max-field: '%s' is no number of bytes (e.g. 4194304)", optarg);
                return 2;
            }
            break;
        case 'h':
            usage(stdout);
            return 0;
        default:
            usage(stderr);
            return 2;
        }
    }
    if (optind >= argc) {
        usage(stderr);
        return 2;
    }
    char **files = NULL;
    int nfiles = 0, status = 0;
    for (int i = optind; i < argc; i++)
        if (plan_expand_path(argv[i], &files, &nfiles) < 0)
            status = 1;
    rejects_t rj = {0};
    so.rejects = &rj;
    so.progress = progress_wanted();
    for (int i = 0; i < nfiles; i++) {
        input_t *in = input_new(files[i], (input_kind)kind, NULL, i);
        if (!in) {
            log_error("out of memory");
            status = 1;
            break;
        }
        size_t from = rj.n;
        int rc = plan_read(in, stage_count_new(), &so, 0);
        fflush(stderr);
        report(in, &rj, from, examples);
        fflush(stdout);
        if (rc < 0)
            status = 1;
        input_free(in);
    }
    for (int i = 0; i < nfiles; i++)
        free(files[i]);
    free(files);
    rejects_free(&rj);
    return status;
}
