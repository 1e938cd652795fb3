/* The reader: fields, line numbers, BOM, CRLF, gzip, title rows, the
 * account, through the same chain the commands use (plan_read). */
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>
#include <zlib.h>
#include "input.h"
#include "plan.h"
#include "stages.h"
#include "test.h"

/* A sink that keeps "line:field|field|..." of each row it gets. */
typedef struct {
    char out[4096];
} keep_st;

static int keep(stage_t *self, record_t *rec)
{
    keep_st *k = self->st;
    size_t o = strlen(k->out);
    o += (size_t)snprintf(k->out + o, sizeof k->out - o, "%ld:", rec->line);
    for (int i = 0; i < rec->nf; i++)
        o += (size_t)snprintf(k->out + o, sizeof k->out - o, "%s%s", i ? "|" : "", rec->f[i].s);
    snprintf(k->out + o, sizeof k->out - o, ";");
    rec->in->rows_used++;
    return STAGE_DROP;
}

static char result[4096];
static void keep_free(stage_t *s)
{
    memcpy(result, ((keep_st *)s->st)->out, sizeof result);
    stage_free_default(s);
}

static const char *write_tmp(const char *bytes, size_t n, int gz)
{
    static char path[64];
    strcpy(path, "/tmp/bidui_test_XXXXXX");
    int fd = mkstemp(path);
    close(fd);
    if (gz) {
        gzFile g = gzopen(path, "wb");
        gzwrite(g, bytes, (unsigned)n);
        gzclose(g);
    } else {
        FILE *f = fopen(path, "wb");
        fwrite(bytes, 1, n, f);
        fclose(f);
    }
    return path;
}

static input_t *in;
static rejects_t rj;

static int run(const char *bytes, int gz, input_kind kind)
{
    const char *path = write_tmp(bytes, strlen(bytes), gz);
    in = input_new(path, kind, NULL, 0);
    stage_t *s = stage_new("keep", sizeof(keep_st));
    s->process = keep;
    s->free = keep_free;
    source_opts o = {.rejects = &rj};
    result[0] = 0;
    int rc = plan_read(in, s, &o, 0);
    unlink(path);
    return rc;
}

#define ID1 "340304201205121238"
#define ID2 "340304201503010026"

int main(void)
{
    /* BOM, CRLF, a title row, a quoted field with comma, quote and line break */
    const char *csv = "\xef\xbb\xbf" "名单\r\n"
                      "身份证号,姓名,学校\r\n"
                      ID1 ",\"张\"\"小\"\"明\",\"一小,本部\"\r\n"
                      ID2 ",张小红,\"一小\r\n分校\"\r\n"
                      "\r\n"
                      ID1 ",张小明,一小\r\n";
    for (int gz = 0; gz <= 1; gz++) {
        CHECK_INT(run(csv, gz, KIND_AUTO), 0);
        CHECK_STR(result, "3:" ID1 "|张\"小\"明|一小,本部;4:" ID2 "|张小红|一小\r\n分校;7:" ID1 "|张小明|一小;");
        CHECK_INT(in->gzip, gz);
        CHECK_INT(in->bom, 1);
        CHECK_INT(in->crlf, 1);
        CHECK_INT(in->encoding, ENC_UTF8);
        CHECK_INT(in->kind, KIND_ROSTER);   /* 学校 decides: a roster column */
        CHECK_INT(in->header_line, 2);
        CHECK_INT(in->title_rows, 1);
        CHECK_INT(in->rows_read, 3);
        CHECK_INT(in->rows_used, 3);
        CHECK_INT(in->rows_rejected, 0);
        input_free(in);
    }

    /* GBK without BOM, LF, no final newline; a bad ID; a short row */
    const char *gbk = "\xc9\xed\xb7\xdd\xd6\xa4\xba\xc5,\xd0\xd5\xc3\xfb\n"   /* 身份证号,姓名 */
                      ID1 ",\xd5\xc5\xc8\xfd\n"                                 /* 张三 */
                      "12345,\xd5\xc5\xc8\xfd\n"
                      ID2;
    size_t before = rj.n;
    CHECK_INT(run(gbk, 0, KIND_AID), 0);
    CHECK_STR(result, "2:" ID1 "|张三;");
    CHECK_INT(in->encoding, ENC_GB18030);
    CHECK_INT(in->crlf, 0);
    CHECK_INT(in->rows_read, 3);
    CHECK_INT(in->rows_used, 1);
    CHECK_INT(in->rows_rejected, 2);
    CHECK_INT(rj.n - before, 2);
    CHECK_STR(rj.v[before].code, "bad_length");
    CHECK_INT(rj.v[before].line, 3);
    CHECK_STR(rj.v[before + 1].code, "field_count");
    CHECK_INT(rj.v[before + 1].line, 4);
    input_free(in);

    /* header repeated in the middle, trailing empty cells, a blank row */
    const char *rep = "身份证号,姓名\n" ID1 ",甲,,\n身份证号,姓名\n,\n" ID2 ",乙\n";
    before = rj.n;
    CHECK_INT(run(rep, 0, KIND_ROSTER), 0);
    CHECK_STR(result, "2:" ID1 "|甲;5:" ID2 "|乙;");
    CHECK_INT(in->rows_read, 4);
    CHECK_STR(rj.v[before].code, "repeated_header");
    CHECK_STR(rj.v[before + 1].code, "blank_row");
    CHECK_INT(in->rows_used + in->rows_rejected, in->rows_read);
    input_free(in);

    /* no ID column: an error, nothing used */
    CHECK_INT(run("学校,姓名\n一小,甲\n", 0, KIND_AUTO), -3);
    input_free(in);
    rejects_free(&rj);
    return TEST_DONE();
}
