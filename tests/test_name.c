/* Unit tests for pipeline/name.c. */
#include "name.h"
#include "test.h"

#include <string.h>

/* name_norm of a NUL-terminated string into a static buffer. */
static const char *norm(const char *s)
{
    static char buf[128];
    name_norm(s, strlen(s), buf, sizeof buf);
    return buf;
}

/* name_same after normalizing both sides, as callers do. */
static int same(const char *a, const char *b)
{
    char x[128], y[128];
    name_norm(a, strlen(a), x, sizeof x);
    name_norm(b, strlen(b), y, sizeof y);
    return name_same(x, y);
}

static void test_norm(void)
{
    CHECK_STR(norm("张三"), "张三");
    CHECK_STR(norm(""), "");
    /* Every dot variant becomes U+00B7. */
    CHECK_STR(norm("买买提·艾力"), "买买提·艾力");
    CHECK_STR(norm("买买提•艾力"), "买买提·艾力");   /* U+2022 */
    CHECK_STR(norm("买买提・艾力"), "买买提·艾力");   /* U+30FB */
    CHECK_STR(norm("买买提‧艾力"), "买买提·艾力");   /* U+2027 */
    CHECK_STR(norm("买买提･艾力"), "买买提·艾力");   /* U+FF65 */
    CHECK_STR(norm("买买提⋅艾力"), "买买提·艾力");   /* U+22C5 */
    CHECK_STR(norm("买买提∙艾力"), "买买提·艾力");   /* U+2219 */
    CHECK_STR(norm("买买提\xe2\x80\xa4艾力"), "买买提·艾力");   /* U+2024 */
    CHECK_STR(norm("买买提\xef\xb9\x92艾力"), "买买提·艾力");   /* U+FE52 */
    CHECK_STR(norm("买买提.艾力"), "买买提·艾力");
    CHECK_STR(norm("买买提．艾力"), "买买提·艾力");   /* U+FF0E */
    /* White space dropped anywhere: ASCII, NBSP, ideographic. */
    CHECK_STR(norm("  张 三\t\r\n"), "张三");
    CHECK_STR(norm("\xc2\xa0张\xc2\xa0三\xc2\xa0"), "张三");
    CHECK_STR(norm("\xe3\x80\x80张\xe3\x80\x80三"), "张三");
    CHECK_STR(norm("\xef\xbb\xbf张三"), "张三");                 /* BOM */
    CHECK_STR(norm("买买提 · 艾力"), "买买提·艾力");
    /* Full-width ASCII to half-width. */
    CHECK_STR(norm("ＡＢＣ１２"), "ABC12");
    CHECK_STR(norm("李（小）"), "李(小)");
    /* Lost-character markers become '?'. */
    CHECK_STR(norm("王?明"), "王?明");
    CHECK_STR(norm("王？明"), "王?明");                          /* U+FF1F */
    CHECK_STR(norm("王□明"), "王?明");                          /* U+25A1 */
    CHECK_STR(norm("王■明"), "王?明");                          /* U+25A0 */
    CHECK_STR(norm("王\xef\xbf\xbd明"), "王?明");                /* U+FFFD */
    CHECK_STR(norm("王\xff明"), "王?明");                        /* malformed byte */
    CHECK_STR(norm("王\xe4\xb8"), "王?");                         /* cut short: one */
    CHECK_STR(norm("王\xe4\xb8明"), "王?明");
    CHECK_STR(norm("\xed\xa0\x80"), "???");                     /* surrogate: 3 */
    CHECK_STR(norm("\xc0\xaf"), "??");                            /* overlong */
    /* Supplementary-plane characters (some 生僻字) survive intact. */
    CHECK_STR(norm("𠀀明"), "𠀀明");

    /* Only n bytes are read. */
    char buf[32];
    CHECK_INT(name_norm("张三李四", 6, buf, sizeof buf), 6);
    CHECK_STR(buf, "张三");
    CHECK_INT(name_norm(NULL, 0, buf, sizeof buf), 0);
    CHECK_STR(buf, "");

    /* Truncation stays on a character boundary and is NUL-terminated. */
    CHECK_INT(name_norm("张三李", 9, buf, 7), 6);
    CHECK_STR(buf, "张三");
    CHECK_INT(name_norm("张三李", 9, buf, 6), 3);
    CHECK_STR(buf, "张");
    CHECK_INT(name_norm("张三李", 9, buf, 10), 9);
    CHECK_STR(buf, "张三李");
    CHECK_INT(name_norm("张", 3, buf, 1), 0);
    CHECK_STR(buf, "");
    buf[0] = 'z';
    CHECK_INT(name_norm("张", 3, buf, 0), 0);
    CHECK_INT(buf[0], 'z');                                       /* cap 0: untouched */
}

static void test_same(void)
{
    CHECK(same("张三", "张三"));
    CHECK(same("张 三", "张三"));
    CHECK(same("买买提·艾力", "买买提・艾力"));
    CHECK(same("买买提.艾力", "买买提•艾力"));
    CHECK(same("ＡＬＩ", "ALI"));
    CHECK(!same("张三", "张四"));
    CHECK(!same("ali", "ALI"));

    /* A lost character matches exactly one character on the other side. */
    CHECK(same("王?明", "王堃明"));
    CHECK(same("王堃明", "王?明"));
    CHECK(same("王□明", "王堃明"));
    CHECK(same("王\xef\xbf\xbd明", "王堃明"));
    CHECK(same("王？明", "王□明"));
    CHECK(same("王?明", "王a明"));
    CHECK(same("??", "张三"));
    CHECK(same("𠀀明", "?明"));                 /* 4-byte character is one */
    CHECK(!same("王?明", "王明"));              /* ? is not "nothing" */
    CHECK(!same("王?明", "王堃堃明"));          /* nor two characters */
    CHECK(!same("王?明", "李堃明"));
    CHECK(!same("王?", "王堃明"));

    /* Different lengths never match. */
    CHECK(!same("张三", "张三丰"));
    CHECK(!same("张三丰", "张三"));
    CHECK(!same("张三", ""));
    CHECK(same("", ""));

    /* On raw strings: a malformed byte equals only itself. */
    CHECK(name_same("a\xff", "a\xff"));
    CHECK(!name_same("a\xff", "a\xfe"));
    CHECK(!name_same("a\xef", "a\xef\xbf\xbd"));
    CHECK(name_same("a?", "a\xff"));
}

/* Control characters (NUL too) are dropped: a normalized name is a C
 * string whose length name_norm returns (found by tests/fuzz/fuzz_name:
 * corpus/name/regress-nul-in-name). */
static void test_control_chars(void)
{
    char out[64];
    CHECK_INT(name_norm("张\0三", 7, out, sizeof out), 6);
    CHECK_STR(out, "张三");
    CHECK_INT(strlen(out), 6);
    CHECK_INT(name_norm("\x01王\x7f五\x1f", 9, out, sizeof out), 6);
    CHECK_STR(out, "王五");
    CHECK_INT(name_norm(".\0x", 3, out, sizeof out), 3);
    CHECK_STR(out, "\xc2\xb7x");
}

int main(void)
{
    test_control_chars();
    test_norm();
    test_same();
    return TEST_DONE();
}
