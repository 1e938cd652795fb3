/* See mask.h. */
#include "mask.h"

#define MIN_RUN 15

static int is_digit(char c) { return c >= '0' && c <= '9'; }

/* Length of the ID run at s (0 when s starts no run of MIN_RUN digits). */
static size_t id_run(const char *s)
{
    size_t n = 0;
    while (is_digit(s[n]))
        n++;
    if (n < MIN_RUN)
        return 0;
    if (s[n] == 'X' || s[n] == 'x')
        n++;
    return n;
}

/* Bytes of the UTF-8 character that starts with c (1 for a stray byte). */
static size_t char_len(unsigned char c)
{
    return c >= 0xf0 && c <= 0xf4 ? 4 : c >= 0xe0 ? (c <= 0xef ? 3 : 1) : c >= 0xc2 ? 2 : 1;
}

size_t mask_ids_text(const char *s, char *out, size_t cap)
{
    size_t o = 0, i = 0;
    if (cap == 0)
        return 0;
    while (s[i]) {
        size_t run = (i == 0 || !is_digit(s[i - 1])) ? id_run(s + i) : 0;
        if (run) {
            for (size_t k = 0; k < run && o + 1 < cap; k++)
                out[o++] = k < 6 || k >= run - 4 ? s[i + k] : '*';
            if (o + 1 >= cap)
                break;
            i += run;
            continue;
        }
        /* a whole character (its continuation bytes only: a stray lead
         * byte must not swallow the digit after it) */
        size_t len = char_len((unsigned char)s[i]), k = 1;
        while (k < len && ((unsigned char)s[i + k] & 0xc0) == 0x80)
            k++;
        if (o + k >= cap)
            break;
        for (size_t j = 0; j < k; j++)
            out[o++] = s[i + j];
        i += k;
    }
    out[o] = 0;
    return o;
}

int mask_ids_needed(const char *s)
{
    for (size_t i = 0; s[i]; i++)
        if ((i == 0 || !is_digit(s[i - 1])) && id_run(s + i))
            return 1;
    return 0;
}
