#include "encoding.h"
#include "test.h"

#define U(s) (const unsigned char *)(s), strlen(s)

int main(void)
{
    /* 学生 in GBK: D1 A7 C9 FA */
    CHECK_INT(encoding_detect(U("id,name\n1,\xe5\xad\xa6\xe7\x94\x9f\n")), ENC_UTF8);
    CHECK_INT(encoding_detect(U("id,name\n1,\xd1\xa7\xc9\xfa\n")), ENC_GB18030);
    CHECK_INT(encoding_detect(U("plain ascii\n")), ENC_UTF8);
    /* a sample cut inside a UTF-8 character is still UTF-8 */
    CHECK_INT(encoding_detect(U("abc\xe5\xad")), ENC_UTF8);
    /* mostly UTF-8 with one GBK word: UTF-8 (that row is rejected later) */
    CHECK_INT(encoding_detect(U("\xe5\xad\xa6\xe7\x94\x9f\xe5\xad\xa6\xe7\x94\x9f\xe5\xad\xa6,\xd1\xa7")), ENC_UTF8);
    CHECK_INT(utf8_valid_prefix(U("ab\xc0\xafz"), 0), 2);          /* overlong */
    CHECK_INT(utf8_valid_prefix(U("ab\xed\xa0\x80z"), 0), 2);      /* surrogate */
    CHECK_INT(utf8_valid_prefix(U("ab\xe5\xad"), 0), 2);
    CHECK_INT(utf8_valid_prefix(U("ab\xe5\xad"), 1), 4);
    CHECK_INT(ascii_only(U("0123456789abcdef0123")), 1);
    CHECK_INT(ascii_only(U("0123456789abcdef012\x80")), 0);
    CHECK_INT(looks_utf8_text(U("\xe5\xad\xa6\xe7\x94\x9f\xe5\xad\xa6")), 1);
    CHECK_INT(looks_utf8_text(U("\xe5\xad\xa6\xe7\x94\x9f")), 0);   /* too short to tell */

    gbconv_t *g = gbconv_new();
    CHECK(g != NULL);
    char *out = NULL;
    CHECK_INT(gbconv_run(g, "\xd1\xa7\xc9\xfa", 4, &out), 6);
    CHECK_STR(out, "学生");
    /* 喆 (U+5586) is in GBK; 𠀀 (U+20000) only in GB18030's 4-byte form */
    CHECK_INT(gbconv_run(g, "\x95\x32\x82\x36", 4, &out), 4);
    CHECK_STR(out, "\xf0\xa0\x80\x80");
    CHECK_INT(gbconv_run(g, "\xd1", 1, &out), -1);                 /* cut character */
    gbconv_free(g);
    g = gbconv_new_to_gb();
    CHECK_INT(gbconv_run(g, "学生", strlen("学生"), &out), 4);
    CHECK(memcmp(out, "\xd1\xa7\xc9\xfa", 4) == 0);
    gbconv_free(g);
    return TEST_DONE();
}
