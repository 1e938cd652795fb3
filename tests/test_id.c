/* Unit tests for pipeline/id.c. Every expected ID below is literal; the
 * check characters were computed independently of id.c (GB 11643-1999
 * weights, in a throw-away script) and are not derived from the code under
 * test. */
#include "id.h"
#include "test.h"

#include <stdint.h>
#include <string.h>

/* id_canon on a NUL-terminated string, reference date 2021-08-31. */
#define REF 20210831
static id_reason canon(const char *s, idnum_t *out)
{
    return id_canon(s, strlen(s), REF, out);
}

/* Expect s to canonicalize to want with the given flags. */
static void expect_ok(const char *s, const char *want, unsigned flags, int line)
{
    idnum_t v;
    id_reason r = canon(s, &v);
    if (r != ID_OK || strcmp(v.id, want) != 0 || v.flags != flags || v.key != id_key(want) ||
        v.key == 0) {
        t_fails++;
        fprintf(stderr, "%s:%d: id_canon(\"%s\"): got %s \"%s\" flags %u, expected ok \"%s\" flags %u\n",
                __FILE__, line, s, id_reason_code(r), v.id, v.flags, want, flags);
    }
    t_checks++;
}

/* Expect s to fail with reason want; key must be 0 then. */
static void expect_bad(const char *s, id_reason want, int line)
{
    idnum_t v;
    id_reason r = canon(s, &v);
    if (r != want || v.key != 0) {
        t_fails++;
        fprintf(stderr, "%s:%d: id_canon(\"%s\"): got %s, expected %s\n", __FILE__, line, s,
                id_reason_code(r), id_reason_code(want));
    }
    t_checks++;
}

#define OK(s, want) expect_ok(s, want, 0, __LINE__)
#define OKF(s, want, f) expect_ok(s, want, f, __LINE__)
#define BAD(s, reason) expect_bad(s, reason, __LINE__)

static void test_valid(void)
{
    /* Several provinces, both centuries, both sexes. */
    OK("340304201205121238", "340304201205121238");   /* 安徽, 2012, male */
    OK("110105194912310046", "110105194912310046");   /* 北京, 1949, male */
    OK("11010519491231002X", "11010519491231002X");   /* ends in X */
    OK("440301200002294518", "440301200002294518");   /* 2000-02-29: leap */
    OK("360724198703155621", "360724198703155621");   /* 江西, female */
    OK("51010719990101003X", "51010719990101003X");
    OK("110101190001010014", "110101190001010014");   /* 1900-01-01 */
    OK("210203201008093038", "210203201008093038");
    OK("430102200607021006", "430102200607021006");
    OK("140105201503011502", "140105201503011502");
    OK("450202200909099094", "450202200909099094");
    OK("53010220130615118X", "53010220130615118X");
    OK("820000200808080066", "820000200808080066");   /* 澳门 */
    OK("710000199505050029", "710000199505050029");   /* 台湾 */
    /* Ends in 000 but the check holds: a real ID, not Excel damage. */
    OK("340304201003191000", "340304201003191000");
    /* Born on the reference date itself is not in the future. */
    OK("650102202108310014", "650102202108310014");
}

static void test_cleaning(void)
{
    OK("53010220130615118x", "53010220130615118X");              /* lowercase x */
    OK("'340304201205121238", "340304201205121238");             /* Excel text marker */
    OK("＇340304201205121238", "340304201205121238");            /* full-width ＇ */
    OK("=\"340304201205121238\"", "340304201205121238");         /* ="…" formula */
    OK("  340304201205121238\t\r\n", "340304201205121238");
    OK("\xc2\xa0" "340304201205121238" "\xc2\xa0", "340304201205121238");   /* NBSP */
    OK("\xe3\x80\x80" "340304201205121238" "\xe3\x80\x80", "340304201205121238"); /* U+3000 */
    OK("\xef\xbb\xbf" "340304201205121238", "340304201205121238");          /* BOM */
    OK(" ' 340304201205121238 ", "340304201205121238");
    OK("３４０３０４２０１２０５１２１２３８", "340304201205121238");      /* full-width */
    OK("５３０１０２２０１３０６１５１１８Ｘ", "53010220130615118X");
    OK("５３０１０２２０１３０６１５１１８ｘ", "53010220130615118X");
    OK("34030420120512123８", "340304201205121238");             /* mixed widths */
    /* Student numbers: G + ID gives the ID. */
    OKF("G340304201205121238", "340304201205121238", ID_F_FROM_STUDENT);
    OKF("g53010220130615118x", "53010220130615118X", ID_F_FROM_STUDENT);
    OKF(" G341125201507010025 ", "341125201507010025", ID_F_FROM_STUDENT);
    OKF("Ｇ３４１１２５２０１５０７０１００２５", "341125201507010025", ID_F_FROM_STUDENT);
    /* 15-digit legacy IDs: 19 inserted, check appended. */
    OKF("330106900101001", "330106199001010018", ID_F_CONVERTED15);
    OKF("340304851231123", "34030419851231123X", ID_F_CONVERTED15);
    OKF("'330106900101001 ", "330106199001010018", ID_F_CONVERTED15);

    /* Not NUL-terminated: only n bytes are read. */
    idnum_t v;
    const char buf[] = "34030420120512123899999";
    CHECK_INT(id_canon(buf, 18, REF, &v), ID_OK);
    CHECK_STR(v.id, "340304201205121238");
    CHECK_INT(id_canon(buf, 17, REF, &v), ID_BAD_LENGTH);
    CHECK_INT(id_canon(NULL, 0, REF, &v), ID_EMPTY);
}

static void test_reasons(void)
{
    BAD("", ID_EMPTY);
    BAD("   ", ID_EMPTY);
    BAD("\xe3\x80\x80\xc2\xa0\t", ID_EMPTY);
    BAD("'", ID_EMPTY);

    BAD("3.41E+17", ID_EXCEL_SCI);
    BAD("3.41021E+17", ID_EXCEL_SCI);
    BAD("3.41021e17", ID_EXCEL_SCI);
    BAD("341021E+12", ID_EXCEL_SCI);
    BAD(" '3.40304E+17 ", ID_EXCEL_SCI);
    BAD("３.４１Ｅ＋１７", ID_EXCEL_SCI);
    BAD("3.41E+", ID_BAD_CHAR);
    BAD("E+17", ID_BAD_CHAR);

    BAD("34030420120512123", ID_BAD_LENGTH);      /* 17 */
    BAD("3403042012051212388", ID_BAD_LENGTH);    /* 19 */
    BAD("3403042012051212", ID_BAD_LENGTH);       /* 16 */
    BAD("1", ID_BAD_LENGTH);
    BAD("3403042012051212X", ID_BAD_LENGTH);      /* X last, 17 long */
    BAD("340304201205121238340304201205121238340304201205121238340304201205121238", ID_BAD_LENGTH);

    BAD("3403042012O5121238", ID_BAD_CHAR);       /* letter O */
    BAD("34030420120512123-", ID_BAD_CHAR);
    BAD("3403 04201205121238", ID_BAD_CHAR);      /* inner space */
    BAD("X34030420120512123", ID_BAD_CHAR);       /* X not last */
    BAD("340304张201205121238", ID_BAD_CHAR);
    BAD("\xff\xfe" "340304201205121238", ID_BAD_CHAR);
    BAD("34030485123112X", ID_BAD_CHAR);          /* 15-digit IDs have no X */
    BAD("abc", ID_BAD_CHAR);
    BAD("3403042012051212a8340304201205121238340304201205121238340304201205121238", ID_BAD_CHAR);
    BAD("G", ID_BAD_CHAR);

    BAD("990304201001011230", ID_BAD_PROVINCE);
    BAD("100304201001011235", ID_BAD_PROVINCE);
    BAD("720100199501010027", ID_BAD_PROVINCE);
    BAD("000000000000000000", ID_BAD_PROVINCE);

    BAD("340304202102291239", ID_BAD_DATE);       /* 2021-02-29 */
    BAD("340304190002291236", ID_BAD_DATE);       /* 1900-02-29 */
    BAD("340304200002301234", ID_BAD_DATE);       /* 2000-02-30 */
    BAD("340304201013011237", ID_BAD_DATE);       /* month 13 */
    BAD("340304201004311238", ID_BAD_DATE);       /* 31 April */
    BAD("340304189912311234", ID_BAD_DATE);       /* before 1900 */
    BAD("340304850229123", ID_BAD_DATE);          /* 15-digit, 1985-02-29 */

    BAD("340304203001011239", ID_FUTURE_BIRTH);
    BAD("650102202112310017", ID_FUTURE_BIRTH);   /* 2021-12-31 > REF */
    /* Without a reference date the same ID is valid. */
    idnum_t v;
    CHECK_INT(id_canon("650102202112310017", 18, 0, &v), ID_OK);
    CHECK_STR(v.id, "650102202112310017");

    BAD("340304201205121237", ID_BAD_CHECK);
    BAD("110105194912310022", ID_BAD_CHECK);
    BAD("53010220130615118x0", ID_BAD_CHAR);      /* X not last */
    BAD("110105194912310020", ID_BAD_CHECK);      /* ends 0, not 000 */

    BAD("320102201104010000", ID_EXCEL_ZEROS);
    BAD("'360724198703155000", ID_EXCEL_ZEROS);
    BAD("440301200002294000", ID_EXCEL_ZEROS);
    OK("'340304201205121000", "340304201205121000");   /* 000 and valid */

    BAD("J340304201205121238", ID_STUDENT_NO_ID);
    BAD("L2012051200123", ID_STUDENT_NO_ID);
    BAD("j3403042012051212", ID_STUDENT_NO_ID);
    BAD("Lee", ID_BAD_CHAR);

    BAD("340304201205121238.0", ID_EXCEL_NUMBER);
    BAD("3403042012051212.00", ID_EXCEL_NUMBER);
    BAD("340304851231123.0", ID_BAD_CHAR);        /* 15 digits survive a double */

    /* On failure, out->id shows what was seen when it is short ASCII. */
    CHECK_INT(canon(" 340304201205121237 ", &v), ID_BAD_CHECK);
    CHECK_STR(v.id, "340304201205121237");
    CHECK_INT(canon("3.41E+17", &v), ID_EXCEL_SCI);
    CHECK_STR(v.id, "3.41E+17");
    CHECK_INT(canon("340304张201205121238", &v), ID_BAD_CHAR);
    CHECK_STR(v.id, "");
    CHECK_INT(v.key, 0);
}

static void test_reason_texts(void)
{
    CHECK_STR(id_reason_code(ID_OK), "ok");
    CHECK_STR(id_reason_code(ID_EMPTY), "empty");
    CHECK_STR(id_reason_code(ID_BAD_LENGTH), "bad_length");
    CHECK_STR(id_reason_code(ID_BAD_CHAR), "bad_char");
    CHECK_STR(id_reason_code(ID_BAD_DATE), "bad_date");
    CHECK_STR(id_reason_code(ID_FUTURE_BIRTH), "future_birth");
    CHECK_STR(id_reason_code(ID_BAD_PROVINCE), "bad_province");
    CHECK_STR(id_reason_code(ID_BAD_CHECK), "bad_check");
    CHECK_STR(id_reason_code(ID_EXCEL_SCI), "excel_scientific");
    CHECK_STR(id_reason_code(ID_EXCEL_ZEROS), "excel_zeros");
    CHECK_STR(id_reason_code(ID_STUDENT_NO_ID), "student_no_without_id");
    CHECK_STR(id_reason_code(ID_EXCEL_NUMBER), "excel_number");
    CHECK_STR(id_reason_code(ID__N), "unknown");
    CHECK_STR(id_reason_zh(ID_EMPTY), "证件号码为空");
    CHECK_STR(id_reason_zh(ID_BAD_CHECK), "校验码错误");
    CHECK_STR(id_reason_zh(ID_EXCEL_SCI), "科学计数法损坏（Excel）");
    CHECK_STR(id_reason_zh(ID_EXCEL_ZEROS), "末三位被Excel改为000");
    for (int r = 0; r < ID__N; r++) {
        CHECK(id_reason_code((id_reason)r)[0] != '\0');
        CHECK(id_reason_zh((id_reason)r)[0] != '\0');
    }
}

static void test_parts(void)
{
    CHECK_INT(id_check_char("34030420120512123"), '8');
    CHECK_INT(id_check_char("11010519491231002"), 'X');
    CHECK_INT(id_check_char("34030420100319100"), '0');

    CHECK_INT(id_birth("340304201205121238"), 20120512);
    CHECK_INT(id_birth("330106199001010018"), 19900101);
    CHECK_INT(id_sex("340304201205121238"), 1);    /* 3 odd */
    CHECK_INT(id_sex("360724198703155621"), 2);    /* 2 even */
    CHECK_INT(id_sex("11010519491231002X"), 2);    /* 2 even */
    CHECK_INT(id_province_code("340304201205121238"), 34);
    CHECK_INT(id_province_code("650102202108310014"), 65);

    CHECK_STR(id_province_name(11), "北京");
    CHECK_STR(id_province_name(15), "内蒙古");
    CHECK_STR(id_province_name(23), "黑龙江");
    CHECK_STR(id_province_name(34), "安徽");
    CHECK_STR(id_province_name(65), "新疆");
    CHECK_STR(id_province_name(71), "台湾");
    CHECK_STR(id_province_name(81), "香港");
    CHECK_STR(id_province_name(82), "澳门");
    CHECK(id_province_name(10) == NULL);
    CHECK(id_province_name(99) == NULL);
    CHECK(id_province_name(-1) == NULL);
    CHECK(id_province_name(100) == NULL);

    /* Key round trip; the check character is recomputed. */
    CHECK_INT(id_key("340304201205121238"), INT64_C(34030420120512123));
    CHECK_INT(id_key("11010519491231002X"), INT64_C(11010519491231002));
    CHECK_INT(id_key("3403042012051212a8"), 0);
    char buf[19];
    id_from_key(INT64_C(34030420120512123), buf);
    CHECK_STR(buf, "340304201205121238");
    id_from_key(id_key("11010519491231002X"), buf);
    CHECK_STR(buf, "11010519491231002X");
    id_from_key(id_key("340304201003191000"), buf);
    CHECK_STR(buf, "340304201003191000");
    id_from_key(UINT64_C(100000000000000000), buf);
    CHECK_STR(buf, "");
    idnum_t v;
    CHECK_INT(canon("'53010220130615118x", &v), ID_OK);
    id_from_key(v.key, buf);
    CHECK_STR(buf, "53010220130615118X");
}

static void test_dates_and_ages(void)
{
    CHECK_INT(date_valid(2000, 2, 29), 1);
    CHECK_INT(date_valid(1900, 2, 29), 0);
    CHECK_INT(date_valid(2021, 2, 29), 0);
    CHECK_INT(date_valid(2024, 2, 29), 1);
    CHECK_INT(date_valid(2021, 4, 31), 0);
    CHECK_INT(date_valid(2021, 12, 31), 1);
    CHECK_INT(date_valid(2021, 0, 1), 0);
    CHECK_INT(date_valid(2021, 13, 1), 0);
    CHECK_INT(date_valid(2021, 1, 0), 0);
    CHECK_INT(date_valid(1899, 12, 31), 0);

    int d = 0;
    CHECK_INT(date_parse("2021-08-31", &d), 0);
    CHECK_INT(d, 20210831);
    CHECK_INT(date_parse("20200229", &d), 0);
    CHECK_INT(d, 20200229);
    CHECK_INT(date_parse("2021/8/1", &d), 0);
    CHECK_INT(d, 20210801);
    d = 7;
    CHECK_INT(date_parse("2021-02-29", &d), -1);
    CHECK_INT(d, 7);                           /* untouched on failure */
    CHECK_INT(date_parse("2021-08-31x", &d), -1);
    CHECK_INT(date_parse("2021-08/31", &d), -1);
    CHECK_INT(date_parse("21-08-31", &d), -1);
    CHECK_INT(date_parse("2021083", &d), -1);
    CHECK_INT(date_parse("202108310", &d), -1);
    CHECK_INT(date_parse("", &d), -1);
    CHECK_INT(date_parse(NULL, &d), -1);
    CHECK_INT(date_parse(" 2021-08-31", &d), -1);

    /* Birthday 2012-05-12: the day before, of, and after. */
    CHECK_INT(id_age_on(20120512, 20210511), 8);
    CHECK_INT(id_age_on(20120512, 20210512), 9);
    CHECK_INT(id_age_on(20120512, 20210513), 9);
    CHECK_INT(id_age_on(20120512, 20120512), 0);
    CHECK_INT(id_age_on(20120512, 20120511), -1);
    CHECK_INT(id_age_on(20150901, 20210831), 5);  /* one day short of 6 */
    CHECK_INT(id_age_on(20150831, 20210831), 6);
    /* 29 February: a year older on 1 March in common years. */
    CHECK_INT(id_age_on(20000229, 20210228), 20);
    CHECK_INT(id_age_on(20000229, 20210301), 21);
    CHECK_INT(id_age_on(20000229, 20240229), 24);

    CHECK(id_stage_for_age(2) == NULL);
    CHECK_STR(id_stage_for_age(3), "学前");
    CHECK_STR(id_stage_for_age(5), "学前");
    CHECK_STR(id_stage_for_age(6), "小学");
    CHECK_STR(id_stage_for_age(11), "小学");
    CHECK_STR(id_stage_for_age(12), "初中");
    CHECK_STR(id_stage_for_age(14), "初中");
    CHECK_STR(id_stage_for_age(15), "高中");
    CHECK_STR(id_stage_for_age(17), "高中");
    CHECK(id_stage_for_age(18) == NULL);
    CHECK(id_stage_for_age(-1) == NULL);
}

static void test_mask(void)
{
    char m[19];
    id_mask("340304201205121238", m);
    CHECK_STR(m, "340304********1238");
    id_mask("11010519491231002X", m);
    CHECK_STR(m, "110105********002X");
    id_mask("330106900101001", m);           /* 15: five hidden */
    CHECK_STR(m, "330106*****1001");
    id_mask("12345678901", m);               /* 11: one hidden */
    CHECK_STR(m, "123456*8901");
    id_mask("G340304201205121238", m);       /* 19: middle clipped to 8 */
    CHECK_STR(m, "G34030********1238");
    id_mask("3403042012051212383403042012", m);
    CHECK_STR(m, "340304********2012");
    CHECK_INT(strlen(m), 18);
    id_mask("1234567890", m);                /* 10: all hidden */
    CHECK_STR(m, "**********");
    id_mask("3.41E+17", m);
    CHECK_STR(m, "********");
    id_mask("", m);
    CHECK_STR(m, "");
    id_mask("３４０３０４２０１２０５１２１２３８", m);   /* non-ASCII: whole */
    CHECK_STR(m, "******************");
    id_mask("３４０３０４２０１２０５１２１２３８３４", m);
    CHECK_STR(m, "******************");
}

/* The 18-byte fast path and the general path must agree. A no-break space
 * in front sends an input down the general path; compare the two over
 * generated IDs, valid and mutated in every position. */
static void test_fast_slow_agree(void)
{
    static const char digits[] = "0123456789Xx -";
    uint64_t st = 88172645463325252u;
    int disagree = 0, valid = 0;
    for (int k = 0; k < 200000; k++) {
        char s[21] = "\xc2\xa0";
        char *p = s + 2;
        st ^= st << 13, st ^= st >> 7, st ^= st << 17;
        uint64_t r = st;
        /* Mostly plausible IDs: real provinces, dates 1890..2029. */
        snprintf(p, 19, "%02u%04u%04u%02u%02u%03u", (unsigned)(11 + r % 75), (unsigned)(r >> 8) % 10000,
                 1890 + (unsigned)(r >> 20) % 140, (unsigned)(r >> 28) % 14, (unsigned)(r >> 32) % 33,
                 (unsigned)(r >> 40) % 1000);
        p[17] = id_check_char(p);
        if ((r >> 50) % 4 == 0)      /* one character changed */
            p[(r >> 52) % 18] = digits[(r >> 57) % (sizeof digits - 1)];
        idnum_t fast, slow;
        id_reason rf = id_canon(p, 18, 20210831, &fast);
        id_reason rs = id_canon(s, 20, 20210831, &slow);
        valid += rf == ID_OK;
        if (rf != rs || strcmp(fast.id, slow.id) != 0 || fast.key != slow.key) {
            if (disagree++ < 5)
                fprintf(stderr, "%s: fast %s \"%s\" %llu, slow %s \"%s\" %llu\n", p,
                        id_reason_code(rf), fast.id, (unsigned long long)fast.key,
                        id_reason_code(rs), slow.id, (unsigned long long)slow.key);
        }
    }
    CHECK_INT(disagree, 0);
    CHECK(valid > 20000);   /* the generator does reach valid IDs */
}

/* The reference date decides only for an ID that is otherwise valid: a
 * damaged or mistyped ID is that, whatever birth date its digits spell
 * (found by tests/fuzz/fuzz_id: corpus/id/regress-future-vs-excel-zeros). */
static void test_reason_order(void)
{
    idnum_t v;
    CHECK_INT(id_canon("320102201104010000", 18, 20100101, &v), ID_EXCEL_ZEROS);
    CHECK_INT(v.key, 0);
    CHECK_INT(id_canon("340304203001011238", 18, REF, &v), ID_BAD_CHECK);
    CHECK_INT(id_canon("340304203001011239", 18, REF, &v), ID_FUTURE_BIRTH);
    /* the general path (behind an ideographic space) agrees */
    CHECK_INT(id_canon("\xe3\x80\x80" "320102201104010000", 21, 20100101, &v), ID_EXCEL_ZEROS);
    CHECK_INT(id_canon("\xe3\x80\x80" "340304203001011238", 21, REF, &v), ID_BAD_CHECK);
    CHECK_INT(id_canon("\xe3\x80\x80" "340304203001011239", 21, REF, &v), ID_FUTURE_BIRTH);
}

int main(void)
{
    test_reason_order();
    test_valid();
    test_cleaning();
    test_reasons();
    test_reason_texts();
    test_parts();
    test_dates_and_ages();
    test_mask();
    test_fast_slow_agree();
    return TEST_DONE();
}
