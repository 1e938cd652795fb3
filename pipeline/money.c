#include <stdio.h>
#include <string.h>
#include "money.h"

int money_parse(const char *s, size_t n, int64_t *fen)
{
    size_t i = 0;
    int neg = 0, digits = 0, decimals = -1;
    int64_t v = 0;
    /* surrounding spaces, a currency sign in front, 元 behind */
    while (i < n && (s[i] == ' ' || s[i] == '\t'))
        i++;
    while (n > i && (s[n - 1] == ' ' || s[n - 1] == '\t'))
        n--;
    if (n - i >= 3 && !memcmp(s + n - 3, "元", 3))
        n -= 3;
    if (n - i >= 2 && !memcmp(s + i, "¥", 2))
        i += 2;
    else if (n - i >= 3 && !memcmp(s + i, "￥", 3))
        i += 3;
    if (i < n && s[i] == '-') {
        neg = 1;
        i++;
    }
    for (; i < n; i++) {
        char ch = s[i];
        if (ch >= '0' && ch <= '9') {
            if (decimals >= 0 && ++decimals > 2)
                return -1;
            if (v > (INT64_MAX - 9) / 10)
                return -1;
            v = v * 10 + (ch - '0');
            digits++;
        } else if (ch == '.' && decimals < 0) {
            decimals = 0;
        } else if (ch == ',' && decimals < 0 && digits > 0) {
            continue;   /* thousands separator */
        } else {
            return -1;
        }
    }
    if (!digits)
        return -1;
    for (int d = decimals < 0 ? 0 : decimals; d < 2; d++) {
        if (v > INT64_MAX / 10)
            return -1;
        v *= 10;
    }
    *fen = neg ? -v : v;
    return 0;
}

char *money_format(int64_t fen, char *buf)
{
    /* by hand, not snprintf: the ledger formats a million of these */
    uint64_t a = fen < 0 ? (uint64_t)0 - (uint64_t)fen : (uint64_t)fen;
    char d[24];
    int n = 0;
    d[n++] = (char)('0' + a % 10);
    d[n++] = (char)('0' + a / 10 % 10);
    d[n++] = '.';
    a /= 100;
    do
        d[n++] = (char)('0' + a % 10);
    while ((a /= 10) != 0);
    char *p = buf;
    if (fen < 0)
        *p++ = '-';
    while (n)
        *p++ = d[--n];
    *p = 0;
    return buf;
}

char *money_format_grouped(int64_t fen, char *buf)
{
    char plain[24];
    money_format(fen, plain);
    const char *dot = strchr(plain, '.');
    const char *p = plain;
    size_t o = 0;
    if (*p == '-')
        buf[o++] = *p++;
    size_t intlen = (size_t)(dot - p);
    for (size_t i = 0; i < intlen; i++) {
        if (i && (intlen - i) % 3 == 0)
            buf[o++] = ',';
        buf[o++] = p[i];
    }
    strcpy(buf + o, dot);
    return buf;
}
