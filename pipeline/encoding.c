#include <errno.h>
#include <iconv.h>
#include <stdlib.h>
#include <string.h>
#include "arena.h"
#include "encoding.h"

static size_t valid_prefix_scalar(const unsigned char *p, size_t n, int allow_cut)
{
    size_t i = 0;
    while (i < n) {
        unsigned char c = p[i];
        if (c < 0x80) {
            /* ASCII: sixteen bytes at a time while there are sixteen */
            i++;
            while (i + 16 <= n) {
                unsigned long long w, v;
                memcpy(&w, p + i, 8);
                memcpy(&v, p + i + 8, 8);
                if ((w | v) & 0x8080808080808080ULL)
                    break;
                i += 16;
            }
            continue;
        }
        /* The 3-byte form of all CJK text, in a loop of its own (a name or
         * a school is a run of them): continuation bytes, then overlong
         * (E0 needs A0..BF next) and surrogates (ED needs 80..9F next),
         * the same checks as the general case below. */
        while (c >= 0xe0 && c <= 0xef && i + 3 <= n) {
            unsigned c1 = p[i + 1], c2 = p[i + 2];
            if (((c1 | (c2 << 8)) & 0xc0c0u) != 0x8080u || (c == 0xe0 && c1 < 0xa0)
                || (c == 0xed && c1 >= 0xa0))
                return i;
            i += 3;
            if (i == n)
                return n;
            c = p[i];
        }
        if (c < 0x80)
            continue;
        size_t len;
        unsigned cp;
        if (c >= 0xc2 && c <= 0xdf) {
            len = 2;
            cp = c & 0x1f;
        } else if (c >= 0xe0 && c <= 0xef) {
            len = 3;
            cp = c & 0x0f;
        } else if (c >= 0xf0 && c <= 0xf4) {
            len = 4;
            cp = c & 0x07;
        } else {
            return i;
        }
        if (i + len > n) {
            /* cut at the end of the sample: fine if what is there is valid */
            if (!allow_cut)
                return i;
            for (size_t k = i + 1; k < n; k++)
                if ((p[k] & 0xc0) != 0x80)
                    return i;
            return n;
        }
        for (size_t k = 1; k < len; k++) {
            if ((p[i + k] & 0xc0) != 0x80)
                return i;
            cp = (cp << 6) | (p[i + k] & 0x3f);
        }
        if ((len == 3 && cp < 0x800) || (len == 4 && (cp < 0x10000 || cp > 0x10ffff))
            || (cp >= 0xd800 && cp <= 0xdfff))
            return i;
        i += len;
    }
    return n;
}

#if defined(__x86_64__) && defined(__GNUC__)
/* Whole-buffer validation 32 bytes at a time with AVX2: the "lookup"
 * algorithm of Keiser and Lemire ("Validating UTF-8 In Less Than One
 * Instruction Per Byte", 2021; simdjson, simdutf). Three table look-ups on
 * the high and low nibbles of each byte and the high nibble of the next
 * classify every pair of bytes; the bytes two and three after a 3- and
 * 4-byte lead must be continuations. It says only valid or not: the rows
 * are nearly all valid, and for the few that are not the scalar loop finds
 * where. Chosen at run time: machines without AVX2 use the scalar loop. */
#include <immintrin.h>
#define AVX2 __attribute__((target("avx2")))

enum { TOO_SHORT = 1 << 0, TOO_LONG = 1 << 1, OVERLONG_3 = 1 << 2, TOO_LARGE = 1 << 3,
       SURROGATE = 1 << 4, OVERLONG_2 = 1 << 5, TOO_LARGE_1000 = 1 << 6, OVERLONG_4 = 1 << 6,
       TWO_CONTS = 1 << 7, CARRY = TOO_SHORT | TOO_LONG | TWO_CONTS };

#define T16(...) _mm256_setr_epi8(__VA_ARGS__, __VA_ARGS__)
#define C(x) ((char)(x))

AVX2 static __m256i utf8_block_errors(__m256i in, __m256i prev)
{
    const __m256i byte_1_high = T16(
        C(TOO_LONG), C(TOO_LONG), C(TOO_LONG), C(TOO_LONG),
        C(TOO_LONG), C(TOO_LONG), C(TOO_LONG), C(TOO_LONG),
        C(TWO_CONTS), C(TWO_CONTS), C(TWO_CONTS), C(TWO_CONTS),
        C(TOO_SHORT | OVERLONG_2), C(TOO_SHORT), C(TOO_SHORT | OVERLONG_3 | SURROGATE),
        C(TOO_SHORT | TOO_LARGE | TOO_LARGE_1000 | OVERLONG_4));
    const __m256i byte_1_low = T16(
        C(CARRY | OVERLONG_3 | OVERLONG_2 | OVERLONG_4), C(CARRY | OVERLONG_2), C(CARRY), C(CARRY),
        C(CARRY | TOO_LARGE), C(CARRY | TOO_LARGE | TOO_LARGE_1000),
        C(CARRY | TOO_LARGE | TOO_LARGE_1000), C(CARRY | TOO_LARGE | TOO_LARGE_1000),
        C(CARRY | TOO_LARGE | TOO_LARGE_1000), C(CARRY | TOO_LARGE | TOO_LARGE_1000),
        C(CARRY | TOO_LARGE | TOO_LARGE_1000), C(CARRY | TOO_LARGE | TOO_LARGE_1000),
        C(CARRY | TOO_LARGE | TOO_LARGE_1000), C(CARRY | TOO_LARGE | TOO_LARGE_1000 | SURROGATE),
        C(CARRY | TOO_LARGE | TOO_LARGE_1000), C(CARRY | TOO_LARGE | TOO_LARGE_1000));
    const __m256i byte_2_high = T16(
        C(TOO_SHORT), C(TOO_SHORT), C(TOO_SHORT), C(TOO_SHORT),
        C(TOO_SHORT), C(TOO_SHORT), C(TOO_SHORT), C(TOO_SHORT),
        C(TOO_LONG | OVERLONG_2 | TWO_CONTS | OVERLONG_3 | TOO_LARGE_1000 | OVERLONG_4),
        C(TOO_LONG | OVERLONG_2 | TWO_CONTS | OVERLONG_3 | TOO_LARGE),
        C(TOO_LONG | OVERLONG_2 | TWO_CONTS | SURROGATE | TOO_LARGE),
        C(TOO_LONG | OVERLONG_2 | TWO_CONTS | SURROGATE | TOO_LARGE),
        C(TOO_SHORT), C(TOO_SHORT), C(TOO_SHORT), C(TOO_SHORT));
    const __m256i nib = _mm256_set1_epi8(0x0f);
    /* the bytes one, two and three before each byte of in */
    __m256i carried = _mm256_permute2x128_si256(prev, in, 0x21);
    __m256i prev1 = _mm256_alignr_epi8(in, carried, 15);
    __m256i prev2 = _mm256_alignr_epi8(in, carried, 14);
    __m256i prev3 = _mm256_alignr_epi8(in, carried, 13);
    __m256i sc = _mm256_and_si256(
        _mm256_and_si256(
            _mm256_shuffle_epi8(byte_1_high, _mm256_and_si256(_mm256_srli_epi16(prev1, 4), nib)),
            _mm256_shuffle_epi8(byte_1_low, _mm256_and_si256(prev1, nib))),
        _mm256_shuffle_epi8(byte_2_high, _mm256_and_si256(_mm256_srli_epi16(in, 4), nib)));
    __m256i third = _mm256_subs_epu8(prev2, _mm256_set1_epi8(C(0xe0 - 0x80)));
    __m256i fourth = _mm256_subs_epu8(prev3, _mm256_set1_epi8(C(0xf0 - 0x80)));
    __m256i must = _mm256_and_si256(_mm256_or_si256(third, fourth), _mm256_set1_epi8(C(0x80)));
    return _mm256_xor_si256(must, sc);
}

AVX2 static int utf8_valid_avx2(const unsigned char *p, size_t n)
{
    __m256i prev = _mm256_setzero_si256(), err = _mm256_setzero_si256();
    size_t i = 0;
    for (; i + 32 <= n; i += 32) {
        __m256i in = _mm256_loadu_si256((const __m256i *)(const void *)(p + i));
        err = _mm256_or_si256(err, utf8_block_errors(in, prev));
        prev = in;
    }
    /* the tail, padded with NULs, then a block of NULs: a sequence cut by
     * the end is followed by a NUL, no continuation byte, and fails */
    unsigned char tail[32] = {0};
    memcpy(tail, p + i, n - i);
    __m256i in = _mm256_loadu_si256((const __m256i *)(const void *)tail);
    err = _mm256_or_si256(err, utf8_block_errors(in, prev));
    err = _mm256_or_si256(err, utf8_block_errors(_mm256_setzero_si256(), in));
    return _mm256_testz_si256(err, err);
}
#define HAVE_UTF8_AVX2 1
#endif

size_t utf8_valid_prefix(const unsigned char *p, size_t n, int allow_cut)
{
#ifdef HAVE_UTF8_AVX2
    /* a sample cut inside a character (allow_cut) is the scalar loop's */
    if (!allow_cut && n >= 16 && __builtin_cpu_supports("avx2") && utf8_valid_avx2(p, n))
        return n;
#endif
    return valid_prefix_scalar(p, n, allow_cut);
}

int ascii_only(const unsigned char *p, size_t n)
{
    /* Eight bytes at a time: most fields of an export are ASCII. */
    size_t i = 0;
    for (; i + 8 <= n; i += 8) {
        unsigned long long w;
        memcpy(&w, p + i, 8);
        if (w & 0x8080808080808080ULL)
            return 0;
    }
    for (; i < n; i++)
        if (p[i] & 0x80)
            return 0;
    return 1;
}

encoding_t encoding_detect(const unsigned char *p, size_t n)
{
    /* Count well-formed multi-byte UTF-8 characters against bytes that are
     * not: GBK text rarely forms the first, so a file that is mostly
     * UTF-8 with a few bad rows (a GBK row pasted in) stays UTF-8 and only
     * those rows are rejected. */
    size_t good = 0, bad = 0, i = 0;
    while (i < n) {
        if (p[i] < 0x80) {
            i++;
            continue;
        }
        /* the valid run from i (a character cut by the sample's end counts
         * as valid); k is 0 when the character at i is bad */
        size_t k = utf8_valid_prefix(p + i, n - i, 1);
        if (k == 0) {
            bad++;
            i++;
        } else {
            for (size_t j = i; j < i + k; j++)
                good += (p[j] & 0xc0) == 0xc0;
            i += k;
        }
    }
    if (bad == 0 || good > bad)
        return ENC_UTF8;
    return ENC_GB18030;
}

int looks_utf8_text(const unsigned char *p, size_t n)
{
    size_t multi = 0;
    for (size_t i = 0; i < n; i++)
        multi += p[i] >= 0x80;
    return multi >= 9 && utf8_valid_prefix(p, n, 0) == n;
}

struct gbconv {
    iconv_t cd;
    char *buf;
    size_t cap;
};

static gbconv_t *conv_new(const char *to, const char *from)
{
    gbconv_t *g = calloc(1, sizeof *g);
    if (!g)
        return NULL;
    g->cd = iconv_open(to, from);
    if (g->cd == (iconv_t)-1) {
        free(g);
        return NULL;
    }
    return g;
}

gbconv_t *gbconv_new(void) { return conv_new("UTF-8", "GB18030"); }
gbconv_t *gbconv_new_to_gb(void) { return conv_new("GB18030", "UTF-8"); }

long gbconv_run(gbconv_t *g, const char *s, size_t n, char **out)
{
    /* UTF-8 needs at most 3 bytes for each GB18030 2-byte character and 4
     * for each 4-byte one, so 2n + 4 always suffices in both directions. */
    size_t need = 2 * n + 4;
    if (need > g->cap) {
        char *b = mem_realloc(g->buf, g->cap, need);
        if (!b)
            return -1;
        g->buf = b;
        g->cap = need;
    }
    iconv(g->cd, NULL, NULL, NULL, NULL);
    char *in = (char *)s, *o = g->buf;
    size_t inleft = n, outleft = g->cap - 1;
    if (iconv(g->cd, &in, &inleft, &o, &outleft) == (size_t)-1)
        return -1;
    if (iconv(g->cd, NULL, NULL, &o, &outleft) == (size_t)-1)
        return -1;
    *o = 0;
    *out = g->buf;
    return (long)(o - g->buf);
}

void gbconv_free(gbconv_t *g)
{
    if (!g)
        return;
    iconv_close(g->cd);
    mem_free(g->buf, g->cap);
    free(g);
}
