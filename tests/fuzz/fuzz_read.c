/* Fuzz target: the reader. Any bytes, in any encoding, plain or gzip,
 * through source -> decode -> gate -> id -> a checking sink (plan_read, as
 * every command reads). The first byte chooses the options; the rest is
 * the file.
 *
 * Invariants (a break aborts):
 *   - a read that succeeds balances: rows_read == rows_used + rows_rejected,
 *     and the rejects list holds exactly rows_rejected rows of this input;
 *   - every row that reaches the sink is whole: as many fields as the
 *     header, each valid UTF-8 without NUL (n == strlen), a valid ID whose
 *     key round-trips, a line number not above the header's;
 *   - every reject's raw value is valid UTF-8 (rejects.csv must open);
 *   - nothing counted against --max-memory is left once all is freed.
 *
 * Bytes that begin like a workbook (PK\3\4, D0 CF 11 E0) go to the Excel
 * readers (workbook.h), which are not this target's: they are skipped
 * unless BIDUI_FUZZ_WORKBOOKS=1. Within two minutes that finds an
 * out-of-bounds read inside libfreexl 1.0.6 (freexl_open on a damaged
 * .xls), which `make test` cannot fix and must not trip over at random. */
#include "fuzz.h"
#include "arena.h"
#include "encoding.h"
#include "id.h"
#include "input.h"
#include "plan.h"
#include "stages.h"

static int check_row(stage_t *self, record_t *rec)
{
    (void)self;
    input_t *in = rec->in;
    if (rec->nf != in->ncols)
        fuzz_fail("row at line %ld has %d fields, header %d", rec->line, rec->nf, in->ncols);
    /* >=, not >: a CR alone inside a line (not a file of CR line ends)
     * ends a row for libcsv but no line, so the next row starts on the
     * same line (the line numbers are those of LF). */
    if (rec->line < in->header_line)
        fuzz_fail("row at line %ld not below the header (line %ld)", rec->line, in->header_line);
    for (int i = 0; i < rec->nf; i++) {
        const field_t *f = &rec->f[i];
        if (strlen(f->s) != f->n)
            fuzz_fail("field %d at line %ld: n %zu, strlen %zu", i, rec->line, f->n, strlen(f->s));
        if (utf8_valid_prefix((const unsigned char *)f->s, f->n, 0) != f->n)
            fuzz_fail("field %d at line %ld is not UTF-8 after decode", i, rec->line);
    }
    char back[19];
    id_from_key(rec->id.key, back);
    if (!rec->id.key || strcmp(back, rec->id.id) != 0)
        fuzz_fail("row at line %ld passed the id stage with key %llu, id %s", rec->line,
                  (unsigned long long)rec->id.key, rec->id.id);
    in->rows_used++;
    return STAGE_DROP;
}

static stage_t *check_sink(void)
{
    stage_t *s = stage_new("fuzz_check", 0);
    if (s)
        s->process = check_row;
    return s;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 1)
        return 0;
    /* options: bits 0-1 encoding, 2-4 kind, 5 gzip, 6 small field cap, 7 reference date */
    unsigned cfg = data[0];
    data++;
    size--;
    static const encoding_t ENC[4] = {ENC_AUTO, ENC_UTF8, ENC_GB18030, ENC_AUTO};
    int k = (cfg >> 2) & 7;
    input_kind kind = k == 0 || k > KIND__N ? KIND_AUTO : (input_kind)(k - 1);
    size_t before = mem_in_use();
    static int workbooks = -1;
    if (workbooks < 0)
        workbooks = getenv("BIDUI_FUZZ_WORKBOOKS") && !strcmp(getenv("BIDUI_FUZZ_WORKBOOKS"), "1");
    if (!workbooks && !(cfg & 0x20) && size >= 4
        && (!memcmp(data, "PK\3\4", 4) || !memcmp(data, "\xd0\xcf\x11\xe0", 4)))
        return 0;

    const char *path = fuzz_file("input.csv", data, size, cfg & 0x20);
    input_t *in = input_new(path, kind, NULL, 0);
    rejects_t rj = {0};
    source_opts so = {.encoding = ENC[cfg & 3], .max_field = (cfg & 0x40) ? 64 : 0,
                      .rejects = &rj};
    if (!in)
        fuzz_fail("out of memory");
    int rc = plan_read(in, check_sink(), &so, (cfg & 0x80) ? 20210831 : 0);
    if (rc == 0) {
        if (in->rows_read != in->rows_used + in->rows_rejected)
            fuzz_fail("account: %ld read, %ld used, %ld rejected", in->rows_read, in->rows_used,
                      in->rows_rejected);
        if ((long)rj.n != in->rows_rejected)
            fuzz_fail("%zu rejects listed, %ld counted", rj.n, in->rows_rejected);
    }
    for (size_t i = 0; i < rj.n; i++)
        if (!fuzz_utf8(rj.v[i].raw, strlen(rj.v[i].raw)))
            fuzz_fail("reject %zu (line %ld, %s): raw value is not UTF-8", i, rj.v[i].line,
                      rj.v[i].code);
    rejects_free(&rj);
    input_free(in);
    if (mem_in_use() != before)
        fuzz_fail("%zu counted bytes left after the read", mem_in_use() - before);
    return 0;
}
