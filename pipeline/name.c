/* Person names: normalization and comparison with lost characters (see
 * name.h).
 *
 * Names pass through Excel, GBK code pages and several databases before they
 * reach bidui. On the way the minority-name dot (·) turns into whatever dot
 * the typist's input method produced, half- and full-width forms mix, and
 * characters outside GBK (生僻字) are replaced by ?, □ or U+FFFD. Two names
 * are the same name when they agree everywhere except at such lost
 * characters. A small UTF-8 decoder is enough here; no locale is involved. */
#include "name.h"

#include <stdint.h>
#include <string.h>

/* Normalized forms. */
#define CP_DOT 0x00B7u
#define CP_LOST '?'
/* Malformed input decodes to CP_MALFORMED + its first byte: above every
 * code point, so it equals no real character (not even U+FFFD), only the
 * same malformed bytes. */
#define CP_MALFORMED 0x110000u

/* Decodes one UTF-8 character at s[i..n); returns the code point and sets
 * *len (1..4). A malformed sequence comes back as CP_MALFORMED + first byte
 * covering its maximal subpart (the Unicode-recommended practice, as iconv
 * and Python do): a character cut short is one lost character, not two. */
static uint32_t next_cp(const unsigned char *s, size_t i, size_t n, size_t *len)
{
    uint32_t c = s[i];
    *len = 1;
    if (c < 0x80)
        return c;
    int need;
    uint32_t cp, lo = 0x80, hi = 0xBF;   /* allowed range of the 2nd byte */
    if (c >= 0xC2 && c <= 0xDF) {
        need = 1; cp = c & 0x1F;
    } else if (c >= 0xE0 && c <= 0xEF) {
        need = 2; cp = c & 0x0F;
        if (c == 0xE0) lo = 0xA0;        /* no overlong forms */
        if (c == 0xED) hi = 0x9F;        /* no surrogates */
    } else if (c >= 0xF0 && c <= 0xF4) {
        need = 3; cp = c & 0x07;
        if (c == 0xF0) lo = 0x90;        /* no overlong forms */
        if (c == 0xF4) hi = 0x8F;        /* nothing above U+10FFFF */
    } else {
        return CP_MALFORMED + c;
    }
    for (int k = 1; k <= need; k++) {
        if (i + (size_t)k >= n)
            return CP_MALFORMED + c;
        uint32_t b = s[i + k];
        if (b < (k == 1 ? lo : 0x80) || b > (k == 1 ? hi : 0xBF))
            return CP_MALFORMED + c;
        cp = (cp << 6) | (b & 0x3F);
        *len = (size_t)k + 1;
    }
    return cp;
}

static size_t put_cp(uint32_t cp, char *b)
{
    if (cp < 0x80) {
        b[0] = (char)cp;
        return 1;
    }
    if (cp < 0x800) {
        b[0] = (char)(0xC0 | (cp >> 6));
        b[1] = (char)(0x80 | (cp & 0x3F));
        return 2;
    }
    if (cp < 0x10000) {
        b[0] = (char)(0xE0 | (cp >> 12));
        b[1] = (char)(0x80 | ((cp >> 6) & 0x3F));
        b[2] = (char)(0x80 | (cp & 0x3F));
        return 3;
    }
    b[0] = (char)(0xF0 | (cp >> 18));
    b[1] = (char)(0x80 | ((cp >> 12) & 0x3F));
    b[2] = (char)(0x80 | ((cp >> 6) & 0x3F));
    b[3] = (char)(0x80 | (cp & 0x3F));
    return 4;
}

/* White space is dropped anywhere, not only at the ends: Chinese names have
 * none, and typists pad two-character names with one (张 三). The BOM and
 * zero-width space are invisible leftovers of the same kind, and so are
 * control characters (NUL included: a normalized name is a C string). */
static int is_space_cp(uint32_t cp)
{
    return cp < 0x20 || cp == 0x7F || cp == ' ' || cp == 0xA0 || cp == 0x3000 || cp == 0xFEFF
           || cp == 0x200B;
}

static int is_dot_cp(uint32_t cp)
{
    switch (cp) {
    case '.':     /* ASCII full stop */
    case 0x00B7:  /* · middle dot (the standard one, GB 18030) */
    case 0x2022:  /* • bullet */
    case 0x2024:  /* ․ one dot leader */
    case 0x2027:  /* ‧ hyphenation point (Big5 input methods) */
    case 0x2219:  /* ∙ bullet operator */
    case 0x22C5:  /* ⋅ dot operator */
    case 0x30FB:  /* ・ katakana middle dot (Japanese IMEs) */
    case 0xFE52:  /* ﹒ small full stop */
    case 0xFF0E:  /* ． full-width full stop */
    case 0xFF65:  /* ･ half-width katakana middle dot */
        return 1;
    default:
        return 0;
    }
}

/* Markers a lost character turns into; malformed bytes are one too, since
 * they are what a character read in the wrong code page becomes. */
static int is_lost_cp(uint32_t cp)
{
    return cp == '?' || cp == 0xFF1F || cp == 0x25A1 || cp == 0x25A0 || cp == 0xFFFD ||
           cp >= CP_MALFORMED;
}

size_t name_norm(const char *s, size_t n, char *out, size_t cap)
{
    const unsigned char *u = (const unsigned char *)s;
    size_t w = 0;
    if (cap == 0)
        return 0;
    for (size_t i = 0; s && i < n;) {
        size_t len;
        uint32_t cp = next_cp(u, i, n, &len);
        i += len;
        if (is_space_cp(cp))
            continue;
        if (cp >= 0xFF01 && cp <= 0xFF5E)   /* full-width ASCII; ． and ？ then */
            cp -= 0xFEE0;                   /* go on to become · and ? below */
        if (is_dot_cp(cp))
            cp = CP_DOT;
        else if (is_lost_cp(cp))
            cp = CP_LOST;
        char buf[4];
        size_t k = put_cp(cp, buf);
        if (w + k >= cap)
            break;
        memcpy(out + w, buf, k);
        w += k;
    }
    out[w] = '\0';
    return w;
}

int name_same(const char *a, const char *b)
{
    const unsigned char *x = (const unsigned char *)a, *y = (const unsigned char *)b;
    size_t na = strlen(a), nb = strlen(b), i = 0, j = 0;
    while (i < na && j < nb) {
        size_t la, lb;
        uint32_t ca = next_cp(x, i, na, &la), cb = next_cp(y, j, nb, &lb);
        if (ca != cb && ca != CP_LOST && cb != CP_LOST)
            return 0;
        i += la;
        j += lb;
    }
    return i == na && j == nb;
}
