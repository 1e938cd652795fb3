/* The reader at its edges (issue 8): old Mac line ends, the field cap
 * exactly, and that every outcome keeps the account. Through plan_read, as
 * every command reads. */
#include <stdlib.h>
#include <unistd.h>
#include "input.h"
#include "plan.h"
#include "stages.h"
#include "test.h"

static rejects_t rj;

/* Read bytes as a file; *in gets the input (caller frees). */
static int read_bytes(const char *bytes, size_t n, size_t max_field, input_t **in)
{
    char path[] = "/tmp/bidui_edges_XXXXXX";
    int fd = mkstemp(path);
    if (fd < 0 || write(fd, bytes, n) != (ssize_t)n)
        return -100;
    close(fd);
    *in = input_new(path, KIND_AUTO, NULL, 0);
    source_opts o = {.rejects = &rj, .max_field = max_field};
    int rc = plan_read(*in, stage_count_new(), &o, 0);
    unlink(path);
    return rc;
}

#define ID1 "340304201205121238"
#define ID2 "340304201503010026"

/* Excel for Mac's "CSV (Macintosh)" ends lines with CR alone: each row on
 * its own line, as an editor shows it (every row was on line 1). */
static void test_mac_line_ends(void)
{
    const char *csv = "身份证号,姓名\r" ID1 ",甲\r" "340304201205121239,乙\r\"" ID2 "\",\"丙\r丁\"\r"
                      "12345,戊\r";
    input_t *in;
    size_t before = rj.n;
    CHECK_INT(read_bytes(csv, strlen(csv), 0, &in), 0);
    CHECK_INT(in->crlf, 2);
    CHECK_INT(in->header_line, 1);
    CHECK_INT(in->rows_read, 4);
    CHECK_INT(in->rows_used, 2);
    CHECK_INT(rj.n - before, 2);
    CHECK_INT(rj.v[before].line, 3);         /* the bad check */
    CHECK_INT(rj.v[before + 1].line, 6);     /* after the quoted line break */
    input_free(in);
}

/* --max-field is exact: a field of cap bytes is read, cap + 1 is an error
 * (libcsv's 64 KiB growth let up to 64 KiB more through), quoted or not. */
static void test_field_cap(void)
{
    char buf[512];
    input_t *in;
    for (int quoted = 0; quoted <= 1; quoted++) {
        for (int extra = 0; extra <= 1; extra++) {
            int k = snprintf(buf, sizeof buf, "身份证号,姓名\n" ID1 ",%s", quoted ? "\"" : "");
            memset(buf + k, 'x', 100 + (size_t)extra);
            k += 100 + extra;
            k += snprintf(buf + k, sizeof buf - (size_t)k, "%s\n" ID2 ",ok\n", quoted ? "\"" : "");
            int rc = read_bytes(buf, (size_t)k, 100, &in);
            if (extra) {
                CHECK_INT(rc, -6);           /* BIDUI_ELIMIT */
                CHECK_INT(in->failed, 1);
            } else {
                CHECK_INT(rc, 0);
                CHECK_INT(in->rows_used, 2);
            }
            CHECK_INT(in->rows_read, in->rows_used + in->rows_rejected);
            input_free(in);
        }
    }
}

int main(void)
{
    test_mac_line_ends();
    test_field_cap();
    rejects_free(&rj);
    return TEST_DONE();
}
