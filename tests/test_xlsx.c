/* Workbooks in and out: .xlsx and .xls read through the same chain as CSV
 * (plan_read), cells to text, row numbers, shared and inline strings, dates,
 * the numeric_mask and the excel_number rejection, sheets, the headerless
 * sheet skipped, damaged files; xlsxout written and read back with every ID
 * intact. Run from the top of the tree (fixtures/xlsx). */
#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <minizip/zip.h>
#include <unistd.h>
#include <xlsxwriter.h>
#include "err.h"
#include "input.h"
#include "plan.h"
#include "stages.h"
#include "test.h"
#include "workbook.h"
#include "xlsxout.h"

/* A sink that keeps "line:field|field|...;" of each row it gets, and the
 * numeric_mask of the last. */
typedef struct {
    char out[8192];
    uint64_t mask;
} keep_st;

static char result[8192];
static uint64_t last_mask;

static int keep(stage_t *self, record_t *rec)
{
    keep_st *k = self->st;
    size_t o = strlen(k->out);
    o += (size_t)snprintf(k->out + o, sizeof k->out - o, "%ld:", rec->line);
    for (int i = 0; i < rec->nf && o < sizeof k->out; i++)
        o += (size_t)snprintf(k->out + o, sizeof k->out - o, "%s%s", i ? "|" : "", rec->f[i].s);
    if (o < sizeof k->out)
        snprintf(k->out + o, sizeof k->out - o, ";");
    k->mask = rec->numeric_mask;
    rec->in->rows_used++;
    return STAGE_DROP;
}

static void keep_free(stage_t *s)
{
    keep_st *k = s->st;
    memcpy(result, k->out, sizeof result);
    last_mask = k->mask;
    stage_free_default(s);
}

static input_t *in;
static rejects_t rj;

static int run(const char *path, input_kind kind)
{
    in = input_new(path, kind, NULL, 0);
    stage_t *s = stage_new("keep", sizeof(keep_st));
    s->process = keep;
    s->free = keep_free;
    source_opts o = {.rejects = &rj};
    result[0] = 0;
    last_mask = 0;
    return plan_read(in, s, &o, 0);
}

/* Does result hold this row? */
static int has_row(const char *row)
{
    return strstr(result, row) != NULL;
}

static char **files;
static int nfiles;

static void free_files(void)
{
    for (int i = 0; i < nfiles; i++)
        free(files[i]);
    free(files);
    files = NULL;
    nfiles = 0;
}

#define ID1 "340304201205121238"
#define ID2 "34030420150309002X"
#define ID3 "650104201001010044"

/* A workbook written with libxlsxwriter directly: gaps between cells, a
 * boolean, dates (built-in and custom formats), a time, numbers, text with
 * spaces, a row with nothing but formatting, a row whose last cells are
 * empty. constant_memory: inline strings instead of shared ones. */
static void make_book(const char *path, int constant_memory)
{
    lxw_workbook_options opt = {.constant_memory = constant_memory ? LXW_TRUE : LXW_FALSE};
    lxw_workbook *wb = workbook_new_opt(path, &opt);
    lxw_format *d14 = workbook_add_format(wb), *dzh = workbook_add_format(wb);
    lxw_format *tm = workbook_add_format(wb), *bold = workbook_add_format(wb);
    format_set_num_format_index(d14, 14);
    format_set_num_format(dzh, "yyyy\"年\"m\"月\"d\"日\"");
    format_set_num_format(tm, "h:mm");
    format_set_bold(bold);
    lxw_worksheet *ws = workbook_add_worksheet(wb, "名单");
    const char *head[] = {"身份证号", "姓名", "出生日期", "入学日期", "金额", "在校", "时间", "备注"};
    worksheet_write_string(ws, 0, 0, "学生名单（标题行）", NULL);
    for (int c = 0; c < 8; c++)
        worksheet_write_string(ws, 1, (lxw_col_t)c, head[c], NULL);
    worksheet_write_string(ws, 2, 0, ID1, NULL);
    worksheet_write_string(ws, 2, 1, "  张小明 ", NULL);
    worksheet_write_number(ws, 2, 2, 40982, d14);       /* 2012-03-14 */
    worksheet_write_number(ws, 2, 3, 44440.75, dzh);    /* 2021-09-01, 18:00 */
    worksheet_write_number(ws, 2, 4, 312.5, NULL);
    worksheet_write_boolean(ws, 2, 5, 1, NULL);
    worksheet_write_number(ws, 2, 6, 0.5, tm);          /* a time: no date */
    worksheet_write_string(ws, 2, 7, "备注", NULL);
    /* row 4: only formatting */
    worksheet_write_blank(ws, 3, 0, bold);
    worksheet_write_blank(ws, 3, 4, bold);
    /* row 5: cells 1 and 4 only: gaps, and the last cells empty */
    worksheet_write_string(ws, 4, 0, ID2, NULL);
    worksheet_write_number(ws, 4, 4, 500, NULL);
    /* row 6: the ID as a number (Excel has lost its last digits) */
    worksheet_write_number(ws, 5, 0, 340304201205121238.0, NULL);
    worksheet_write_string(ws, 5, 1, "数字号", NULL);
    /* row 7: a 15-digit legacy ID as a number is exact */
    worksheet_write_number(ws, 6, 0, 340304800101002.0, NULL);
    worksheet_write_boolean(ws, 6, 5, 0, NULL);
    workbook_close(wb);
}

/* A zip of n parts written by hand, for what no library writes: namespace
 * prefixes, cells without r=, rich text with phonetic runs, formula strings,
 * error and ISO date cells, the 1904 date system, a chart sheet. */
static void write_zip(const char *path, const char *const *parts, int n)
{
    zipFile z = zipOpen64(path, APPEND_STATUS_CREATE);
    for (int i = 0; i < n; i++) {
        zipOpenNewFileInZip(z, parts[2 * i], NULL, NULL, 0, NULL, 0, NULL, Z_DEFLATED,
                            Z_DEFAULT_COMPRESSION);
        zipWriteInFileInZip(z, parts[2 * i + 1], (unsigned)strlen(parts[2 * i + 1]));
        zipCloseFileInZip(z);
    }
    zipClose(z, NULL);
}

#define NS "xmlns:x=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\" " \
           "xmlns:r=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships\""
#define REL "http://schemas.openxmlformats.org/officeDocument/2006/relationships/"

static const char *const HAND[] = {
    "xl/workbook.xml",
    "<?xml version=\"1.0\" encoding=\"UTF-8\"?><x:workbook " NS "><x:workbookPr date1904=\"1\"/>"
    "<x:sheets><x:sheet name=\"图\" sheetId=\"2\" r:id=\"rId2\"/>"
    "<x:sheet name=\"表一\" sheetId=\"1\" r:id=\"rId1\"/></x:sheets></x:workbook>",
    "xl/_rels/workbook.xml.rels",
    "<Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\">"
    "<Relationship Id=\"rId1\" Type=\"" REL "worksheet\" Target=\"/xl/worksheets/s1.xml\"/>"
    "<Relationship Id=\"rId2\" Type=\"" REL "chartsheet\" Target=\"chartsheets/c1.xml\"/>"
    "<Relationship Id=\"rId3\" Type=\"" REL "sharedStrings\" Target=\"strings.xml\"/>"
    "<Relationship Id=\"rId4\" Type=\"" REL "styles\" Target=\"styles.xml\"/></Relationships>",
    "xl/styles.xml",
    "<styleSheet><numFmts>"
    "<numFmt numFmtId=\"164\" formatCode=\"[$-804]yyyy&quot;年&quot;m&quot;月&quot;d&quot;日&quot;\"/>"
    "<numFmt numFmtId=\"165\" formatCode=\"0.00_);[Red]\\(0.00\\)\"/></numFmts>"
    "<cellStyleXfs><xf numFmtId=\"14\"/></cellStyleXfs>"
    "<cellXfs><xf numFmtId=\"0\"/><xf numFmtId=\"164\"/><xf numFmtId=\"165\"/></cellXfs></styleSheet>",
    "xl/strings.xml",
    "<sst><si><t>身份证号</t></si><si><r><t>姓</t></r><r><t>名</t></r><rPh><t>せい</t></rPh></si>"
    "<si><t xml:space=\"preserve\"> 张三 </t></si></sst>",
    "xl/worksheets/s1.xml",
    "<x:worksheet " NS "><x:sheetData><x:row>"
    "<x:c t=\"s\"><x:v>0</x:v></x:c><x:c t=\"s\"><x:v>1</x:v></x:c>"
    "<x:c t=\"inlineStr\"><x:is><x:t>出生</x:t></x:is></x:c>"
    "<x:c r=\"E1\" t=\"inlineStr\"><x:is><x:r><x:t>金</x:t></x:r><x:r><x:t>额</x:t></x:r></x:is></x:c>"
    "<x:c t=\"inlineStr\"><x:is><x:t>错误</x:t></x:is></x:c>"
    "<x:c t=\"inlineStr\"><x:is><x:t>日期</x:t></x:is></x:c></x:row>"
    "<x:row r=\"3\"><x:c r=\"A3\" t=\"str\"><x:f>A1</x:f><x:v>340304201205121238</x:v></x:c>"
    "<x:c t=\"s\"><x:v>2</x:v></x:c><x:c s=\"1\"><x:v>0</x:v></x:c>"
    "<x:c r=\"E3\" s=\"2\"><x:v>1.5</x:v></x:c><x:c r=\"F3\" t=\"e\"><x:v>#N/A</x:v></x:c>"
    "<x:c t=\"d\"><x:v>2021-09-01T00:00:00</x:v></x:c></x:row></x:sheetData></x:worksheet>",
};

/* A copy of the first half of src: a truncated download. */
static void truncate_copy(const char *src, const char *dst)
{
    FILE *f = fopen(src, "rb"), *g = fopen(dst, "wb");
    char buf[65536];
    size_t n = fread(buf, 1, sizeof buf, f);
    fwrite(buf, 1, n / 2, g);
    fclose(f);
    fclose(g);
}

int main(void)
{
    char num[32], date[16];

    /* ---- cell text ---- */
    wb_number_text(500, num);
    CHECK_STR(num, "500");
    wb_number_text(312.5, num);
    CHECK_STR(num, "312.5");
    wb_number_text(-0.0, num);
    CHECK_STR(num, "0");
    wb_number_text(340304201205121238.0, num);
    CHECK_STR(num, "3.40304201205121e+17");
    wb_number_text(340304800101002.0, num);
    CHECK_STR(num, "340304800101002");
    CHECK_INT(wb_date_text(1, 0, date), 0);
    CHECK_STR(date, "1900-01-01");
    CHECK_INT(wb_date_text(59, 0, date), 0);
    CHECK_STR(date, "1900-02-28");
    CHECK_INT(wb_date_text(60, 0, date), 0);
    CHECK_STR(date, "1900-02-29");           /* Excel's own phantom day */
    CHECK_INT(wb_date_text(61, 0, date), 0);
    CHECK_STR(date, "1900-03-01");
    CHECK_INT(wb_date_text(44440.99, 0, date), 0);
    CHECK_STR(date, "2021-09-01");
    CHECK_INT(wb_date_text(0, 1, date), 0);
    CHECK_STR(date, "1904-01-01");
    CHECK_INT(wb_date_text(2958465, 0, date), 0);
    CHECK_STR(date, "9999-12-31");
    CHECK_INT(wb_date_text(0.5, 0, date), -1);
    CHECK_INT(wb_date_text(2958466, 0, date), -1);

    /* ---- a fixture workbook (LibreOffice, shared strings, ID column text) ---- */
    const char *reg = "fixtures/xlsx/small_xlsx/registry/建档立卡.xlsx";
    CHECK_INT(workbook_format(reg), WB_XLSX);
    CHECK_INT(plan_expand_path(reg, &files, &nfiles), 0);
    CHECK_INT(nfiles, 1);
    CHECK_STR(nfiles ? files[0] : "", "fixtures/xlsx/small_xlsx/registry/建档立卡.xlsx#建档立卡");
    size_t before = rj.n;
    CHECK_INT(run(files[0], KIND_AUTO), 0);
    free_files();
    CHECK_INT(in->kind, KIND_REGISTRY);
    CHECK_INT(in->encoding, ENC_UTF8);
    CHECK_INT(in->header_line, 2);
    CHECK_INT(in->title_rows, 1);
    CHECK_INT(in->rows_read, 25);
    CHECK_INT(in->rows_used + in->rows_rejected, in->rows_read);
    CHECK(has_row("3:示例县|东镇|一村|H001|1|张大山|340304198001010013|户主|非在校生|||张大山;"));
    CHECK(has_row(";12:示例县|北镇|四村|H004|1|阿依古丽·买买提|" ID3 "|之女|小学|||买买提;"));
    CHECK(has_row(";18:示例县|北镇|五村|H005|4|何曦|34030420150309002x|之女|小学|||周父;"));
    CHECK_INT(last_mask, 0);               /* text cells only */
    CHECK_STR(rj.v[before].file, "fixtures/xlsx/small_xlsx/registry/建档立卡.xlsx#建档立卡");
    CHECK_INT(rj.v[before].line, 19);
    CHECK_STR(rj.v[before].code, "excel_scientific");   /* text "3.40304E+17": as in the CSV */
    CHECK_STR(rj.v[before + 3].code, "empty");          /* a missing cell is an empty field */
    input_free(in);

    /* the .xls form gives the same rows */
    char xlsx_rows[8192];
    memcpy(xlsx_rows, result, sizeof xlsx_rows);
    const char *xls = "fixtures/xlsx/small_xls/registry/建档立卡.xls#建档立卡";
    CHECK_INT(workbook_format(xls), WB_XLS);
    CHECK_INT(run(xls, KIND_AUTO), 0);
    CHECK_STR(result, xlsx_rows);
    CHECK_INT(in->rows_read, 25);
    input_free(in);

    /* IDs stored as numbers: rejected (excel_number); the text one passes */
    before = rj.n;
    CHECK_INT(run("fixtures/xlsx/numeric_id.xlsx", KIND_AID), 0);
    CHECK_INT(in->rows_read, 10);
    CHECK_INT(in->rows_used, 1);
    CHECK(has_row("9:2021秋|义务教育生活补助|34030420150309002X|何曦|东镇中心小学|500|"));
    CHECK_INT(last_mask, 1u << 5);         /* 金额 was a number cell, the ID text */
    CHECK_INT(rj.n - before, 9);
    CHECK_STR(rj.v[before].code, "excel_number");
    CHECK_STR(rj.v[before].raw, "3.40304201205121e+17");
    CHECK_INT(rj.v[before].line, 2);
    input_free(in);

    /* folders: workbooks by name, one input per sheet, in name order */
    CHECK_INT(plan_expand_path("fixtures/xlsx/small_xls/aid", &files, &nfiles), 0);
    CHECK_INT(nfiles, 4);
    CHECK_STR(nfiles ? files[0] : "",
              "fixtures/xlsx/small_xls/aid/中职国家助学金_2021秋.xls#中职国家助学金_2021秋");
    free_files();

    /* ---- cells of every kind, with libxlsxwriter's shared and inline strings ---- */
    for (int cm = 0; cm <= 1; cm++) {
        char path[] = "/tmp/bidui_xlsx_XXXXXX";
        close(mkstemp(path));
        make_book(path, cm);
        before = rj.n;
        CHECK_INT(run(path, KIND_AUTO), 0);
        CHECK_INT(in->header_line, 2);
        /* a time of day is no date: its number; a row of formatting is no row;
         * the row with gaps is padded to the header's width */
        CHECK_STR(result, "3:" ID1 "|张小明|2012-03-14|2021-09-01|312.5|TRUE|0.5|备注;"
                          "5:" ID2 "||||500|||;"
                          "7:340304800101002|||||FALSE||;");
        CHECK_INT(last_mask, 1);           /* row 7's ID was a number cell */
        CHECK_INT(in->rows_read, 4);
        CHECK_INT(in->rows_used, 3);       /* a 15-digit ID is exact in a number cell */
        CHECK_INT(rj.n - before, 1);
        CHECK_STR(rj.v[before].code, "excel_number");
        CHECK_INT(rj.v[before].line, 6);
        input_free(in);
        unlink(path);
    }

    /* ---- a workbook written by hand (see HAND) ---- */
    {
        char path[] = "/tmp/bidui_xlsx_XXXXXX";
        close(mkstemp(path));
        write_zip(path, HAND, 5);
        CHECK_INT(plan_expand_path(path, &files, &nfiles), 0);
        CHECK_INT(nfiles, 1);              /* the chart sheet is no input */
        char want[64];
        snprintf(want, sizeof want, "%s#表一", path);
        CHECK_STR(nfiles ? files[0] : "", want);
        free_files();
        CHECK_INT(run(want, KIND_AUTO), 0);
        CHECK_INT(in->ncols, 7);
        CHECK_STR(in->headers[1], "姓名");         /* rich text, phonetic run left out */
        CHECK_STR(in->headers[3], "");
        CHECK_STR(in->headers[4], "金额");
        CHECK_STR(result, "3:340304201205121238|张三|1904-01-01||1.5|#N/A|2021-09-01;");
        CHECK_INT(last_mask, 1u << 4);
        input_free(in);
        unlink(path);

        /* an entity declaration is refused */
        const char *const evil[] = {
            HAND[0], HAND[1], HAND[2], HAND[3],
            "xl/worksheets/s1.xml",
            "<!DOCTYPE x [<!ENTITY a \"aaaaaaaa\">]><worksheet><sheetData/></worksheet>"};
        write_zip(path, evil, 3);
        CHECK_INT(run(want, KIND_AUTO), BIDUI_EDATA);
        input_free(in);
        /* a zip without a workbook */
        write_zip(path, evil + 4, 1);
        CHECK_INT(run(path, KIND_AUTO), BIDUI_EDATA);
        input_free(in);
        unlink(path);
    }

    /* ---- sheets: by name, unknown name, the headerless sheet ---- */
    {
        char path[] = "/tmp/bidui_xlsx_XXXXXX";
        close(mkstemp(path));
        xlsxout_t *x = xlsxout_open(path, 0600, "应助未助", "应助未助名单\n共 3 行");
        CHECK(x != NULL);
        const char *h[] = {"身份证号", "姓名", "资助金额", "来源"};
        const char *r1[] = {ID1, "张小明", "500.00", "a.csv:2"};
        const char *r2[] = {ID2, "何曦", "312.5", "a.csv:3"};
        const char *r3[] = {ID3, "阿依古丽·买买提", "abc", NULL};
        CHECK_INT(xlsxout_row(x, h, 4), 0);
        CHECK_INT(xlsxout_row(x, r1, 4), 0);
        CHECK_INT(xlsxout_row(x, r2, 4), 0);
        CHECK_INT(xlsxout_row(x, r3, 3), 0);
        CHECK_INT(xlsxout_close(x), 0);
        struct stat st;
        CHECK_INT(stat(path, &st), 0);
        CHECK_INT(st.st_mode & 0777, 0600);

        /* the whole workbook: 说明 has no ID column, so only the list is read */
        CHECK_INT(plan_expand_path(path, &files, &nfiles), 0);
        CHECK_INT(nfiles, 1);
        char want[64];
        snprintf(want, sizeof want, "%s#应助未助", path);
        CHECK_STR(nfiles ? files[0] : "", want);
        before = rj.n;
        CHECK_INT(nfiles ? run(files[0], KIND_AID) : -1, 0);
        free_files();
        /* every ID intact; amounts that are numbers came back as numbers */
        CHECK_STR(result, "2:" ID1 "|张小明|500|a.csv:2;3:" ID2 "|何曦|312.5|a.csv:3;"
                          "4:" ID3 "|阿依古丽·买买提|abc|;");
        CHECK_INT(last_mask, 0);           /* "abc" stays text */
        CHECK_INT(rj.n, before);
        input_free(in);

        /* a sheet by name, whatever its header; a sheet that is not there */
        snprintf(want, sizeof want, "%s#说明", path);
        CHECK_INT(plan_expand_path(want, &files, &nfiles), 0);
        CHECK_INT(nfiles, 1);
        CHECK_INT(run(want, KIND_AUTO), BIDUI_EDATA);   /* no header row: as for CSV */
        CHECK_INT(in->failed, 1);
        input_free(in);
        free_files();
        snprintf(want, sizeof want, "%s#Sheet9", path);
        CHECK_INT(run(want, KIND_AUTO), BIDUI_EDATA);
        input_free(in);

        /* damaged: cut short, or a zip that holds no workbook */
        char cut[] = "/tmp/bidui_xlsx_XXXXXX";
        close(mkstemp(cut));
        truncate_copy(path, cut);
        CHECK(plan_expand_path(cut, &files, &nfiles) < 0);
        free_files();
        CHECK(run(cut, KIND_AUTO) < 0);
        CHECK_INT(in->failed, 1);
        input_free(in);
        unlink(cut);
        unlink(path);
    }

    /* a workbook none of whose sheets has an ID column: every sheet stays an
     * input, so reading it fails as a CSV without one does */
    {
        char path[] = "/tmp/bidui_xlsx_XXXXXX";
        close(mkstemp(path));
        lxw_workbook *wb = workbook_new(path);
        worksheet_write_string(workbook_add_worksheet(wb, "甲"), 0, 0, "说明", NULL);
        worksheet_write_string(workbook_add_worksheet(wb, "乙"), 0, 0, "备注", NULL);
        workbook_close(wb);
        CHECK_INT(plan_expand_path(path, &files, &nfiles), 0);
        CHECK_INT(nfiles, 2);
        free_files();
        unlink(path);
    }

    rejects_free(&rj);
    return TEST_DONE();
}
