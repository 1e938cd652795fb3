#include <errno.h>
#include <iconv.h>
#include <stdlib.h>
#include <string.h>
#include "arena.h"
#include "encoding.h"

size_t utf8_valid_prefix(const unsigned char *p, size_t n, int allow_cut)
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
