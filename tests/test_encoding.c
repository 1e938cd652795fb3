#include "encoding.h"
#include "test.h"

#define U(s) (const unsigned char *)(s), strlen(s)

/* The definition (RFC 3629), slowly: the length of the valid prefix. */
static size_t ref_valid_prefix(const unsigned char *p, size_t n)
{
    size_t i = 0;
    while (i < n) {
        unsigned c = p[i], len, cp, min;
        if (c < 0x80) { i++; continue; }
        if (c >= 0xc0 && c < 0xe0) len = 2, cp = c & 0x1f, min = 0x80;
        else if (c >= 0xe0 && c < 0xf0) len = 3, cp = c & 0x0f, min = 0x800;
        else if (c >= 0xf0 && c < 0xf8) len = 4, cp = c & 0x07, min = 0x10000;
        else return i;
        if (i + len > n)
            return i;
        for (unsigned k = 1; k < len; k++) {
            if ((p[i + k] & 0xc0) != 0x80)
                return i;
            cp = cp << 6 | (p[i + k] & 0x3f);
        }
        if (cp < min || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff))
            return i;
        i += len;
    }
    return n;
}

/* The fast validator against the definition: every 3-byte sequence after
 * CJK text and ASCII runs of every length around the 16-byte steps. */
static void validator_matches_definition(void)
{
    unsigned char b[64];
    size_t bad = 0;
    for (unsigned x = 0; x < 1u << 24; x += 7) {
        size_t n = 0;
        memcpy(b, "\xe5\xad\xa6" "a", 4);
        n = 4 + (x % 23);
        memset(b + 4, 'a', n - 4);
        b[n++] = (unsigned char)(x >> 16);
        b[n++] = (unsigned char)(x >> 8);
        b[n++] = (unsigned char)x;
        memcpy(b + n, "\xe7\x94\x9f", 3);
        n += 3;
        if (utf8_valid_prefix(b, n, 0) != ref_valid_prefix(b, n))
            bad++;
    }
    CHECK_INT(bad, 0);
}

/* Longer strings (the 32-byte blocks of the vector path and their tails):
 * random code points of every length, edge values among them, then now and
 * then one byte changed; against the definition. */
static uint32_t rnd_state = 12345;
static uint32_t rnd(void)
{
    rnd_state = rnd_state * 1103515245u + 12345u;
    return rnd_state >> 8;
}

static size_t put_utf8(unsigned char *b, uint32_t cp)
{
    if (cp < 0x80) { b[0] = (unsigned char)cp; return 1; }
    if (cp < 0x800) { b[0] = (unsigned char)(0xc0 | cp >> 6); b[1] = (unsigned char)(0x80 | (cp & 0x3f)); return 2; }
    if (cp < 0x10000) { b[0] = (unsigned char)(0xe0 | cp >> 12); b[1] = (unsigned char)(0x80 | (cp >> 6 & 0x3f));
                        b[2] = (unsigned char)(0x80 | (cp & 0x3f)); return 3; }
    b[0] = (unsigned char)(0xf0 | cp >> 18); b[1] = (unsigned char)(0x80 | (cp >> 12 & 0x3f));
    b[2] = (unsigned char)(0x80 | (cp >> 6 & 0x3f)); b[3] = (unsigned char)(0x80 | (cp & 0x3f));
    return 4;
}

static void long_strings_match_definition(void)
{
    static const uint32_t EDGE[] = {0, 0x7f, 0x80, 0x7ff, 0x800, 0xd7ff, 0xe000, 0xffff, 0x10000,
                                    0x10ffff, 0x4e2d, 0x5b66};
    unsigned char b[300];
    size_t bad = 0, invalid = 0;
    for (int t = 0; t < 200000; t++) {
        size_t n = 0, want = rnd() % 200;
        while (n < want) {
            uint32_t k = rnd() % 8, cp;
            if (k < 3) cp = rnd() % 0x80;
            else if (k < 6) cp = 0x4e00 + rnd() % 0x5000;
            else if (k == 6) cp = EDGE[rnd() % (sizeof EDGE / sizeof EDGE[0])];
            else cp = rnd() % 0x110000;
            if (cp >= 0xd800 && cp <= 0xdfff)
                cp = 0x4e00;
            n += put_utf8(b + n, cp);
        }
        if (n && rnd() % 3 == 0)
            b[rnd() % n] = (unsigned char)rnd();
        if (n && rnd() % 8 == 0)
            n -= 1 + rnd() % (n < 3 ? n : 3);   /* cut at the end */
        size_t ref = ref_valid_prefix(b, n);
        invalid += ref != n;
        if (utf8_valid_prefix(b, n, 0) != ref)
            bad++;
    }
    CHECK_INT(bad, 0);
    CHECK(invalid > 50000);   /* both kinds were tried */
}

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
    CHECK_INT(utf8_valid_prefix(U("\xe5\xad\xa6\xe0\x9f\xbf"), 0), 3);  /* overlong 3-byte */
    CHECK_INT(utf8_valid_prefix(U("\xe0\xa0\x80\xed\x9f\xbf"), 0), 6);  /* lowest, below surrogates */
    CHECK_INT(utf8_valid_prefix(U("\xe5\xad\xa6\xe7\x94"), 0), 3);       /* cut after CJK */
    validator_matches_definition();
    long_strings_match_definition();
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
