/* Resident ID numbers: canonical form and validation (see id.h).
 *
 * id_canon() runs on every ID of every input, and a province-wide extract
 * holds millions, so the common case (18 ASCII characters, perhaps padded
 * with spaces or behind Excel's apostrophe) is checked in place, 8 bytes at
 * a time (fast18). Everything else (other white space, full-width digits,
 * student numbers, 15-digit IDs, damage) goes through a slower path that
 * first reduces the input to a short ASCII string and then validates it
 * with check18, the plain reference version of the same rules; the unit
 * tests check that the two agree.
 *
 * Nothing here prints: callers decide what to show, and must mask IDs in
 * anything that leaves the bureau. */
#include "id.h"

#include <string.h>

/* GB 11643-1999 weights for digits 1..17, and the check character for the
 * weighted sum mod 11. */
static const unsigned char id_weight[17] = {7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2};
static const char id_check_of[11] = {'1', '0', 'X', '9', '8', '7', '6', '5', '4', '3', '2'};

/* Province (first two digits) -> short name; NULL where no province. 71/81/82
 * (Taiwan, Hong Kong, Macao residence permits) carry the same 18-character
 * layout and do occur in rosters. */
static const char *const province_name[100] = {
    [11] = "北京", [12] = "天津", [13] = "河北", [14] = "山西", [15] = "内蒙古",
    [21] = "辽宁", [22] = "吉林", [23] = "黑龙江",
    [31] = "上海", [32] = "江苏", [33] = "浙江", [34] = "安徽", [35] = "福建",
    [36] = "江西", [37] = "山东",
    [41] = "河南", [42] = "湖北", [43] = "湖南", [44] = "广东", [45] = "广西",
    [46] = "海南",
    [50] = "重庆", [51] = "四川", [52] = "贵州", [53] = "云南", [54] = "西藏",
    [61] = "陕西", [62] = "甘肃", [63] = "青海", [64] = "宁夏", [65] = "新疆",
    [71] = "台湾", [81] = "香港", [82] = "澳门",
};

/* Indexed by id_reason; the English codes are written to files, so they
 * never change once released. */
static const char *const reason_code[ID__N] = {
    [ID_OK] = "ok",
    [ID_EMPTY] = "empty",
    [ID_BAD_LENGTH] = "bad_length",
    [ID_BAD_CHAR] = "bad_char",
    [ID_BAD_DATE] = "bad_date",
    [ID_FUTURE_BIRTH] = "future_birth",
    [ID_BAD_PROVINCE] = "bad_province",
    [ID_BAD_CHECK] = "bad_check",
    [ID_EXCEL_SCI] = "excel_scientific",
    [ID_EXCEL_ZEROS] = "excel_zeros",
    [ID_STUDENT_NO_ID] = "student_no_without_id",
    [ID_EXCEL_NUMBER] = "excel_number",
};

static const char *const reason_zh[ID__N] = {
    [ID_OK] = "有效",
    [ID_EMPTY] = "证件号码为空",
    [ID_BAD_LENGTH] = "长度错误",
    [ID_BAD_CHAR] = "含非法字符",
    [ID_BAD_DATE] = "出生日期无效",
    [ID_FUTURE_BIRTH] = "出生日期晚于基准日",
    [ID_BAD_PROVINCE] = "省份代码无效",
    [ID_BAD_CHECK] = "校验码错误",
    [ID_EXCEL_SCI] = "科学计数法损坏（Excel）",
    [ID_EXCEL_ZEROS] = "末三位被Excel改为000",
    [ID_STUDENT_NO_ID] = "学籍号无身份证号（J/L开头）",
    [ID_EXCEL_NUMBER] = "以数字格式存储（Excel已丢失末位）",
};

const char *id_reason_code(id_reason r)
{
    if ((unsigned)r >= ID__N)
        return "unknown";
    return reason_code[r];
}

const char *id_reason_zh(id_reason r)
{
    if ((unsigned)r >= ID__N)
        return "未知原因";
    return reason_zh[r];
}

/* ---- dates ---- */

static int is_leap(int y)
{
    return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

/* Years before 1900 are refused: nobody alive is registered with one, and a
 * year like 0012 is always a typing or parsing error. */
int date_valid(int y, int m, int d)
{
    static const unsigned char mdays[13] = {0, 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    if (y < 1900 || y > 9999 || m < 1 || m > 12 || d < 1)
        return 0;
    if (m == 2 && d == 29)
        return is_leap(y);
    return d <= mdays[m];
}

/* Reads 1..maxd ASCII digits at s[*i]; returns the value or -1. */
static int read_digits(const char *s, size_t *i, int mind, int maxd)
{
    int v = 0, k = 0;
    while (k < maxd && s[*i] >= '0' && s[*i] <= '9') {
        v = v * 10 + (s[*i] - '0');
        (*i)++;
        k++;
    }
    return k >= mind ? v : -1;
}

/* Accepts YYYY-MM-DD, YYYY/MM/DD (month and day may have one digit) and
 * YYYYMMDD; nothing else, not even surrounding spaces, so that a flag typo
 * is reported rather than half-read. */
int date_parse(const char *s, int *yyyymmdd)
{
    size_t i = 0;
    int y, m, d;
    if (!s)
        return -1;
    y = read_digits(s, &i, 4, 4);
    if (y < 0)
        return -1;
    if (s[i] == '-' || s[i] == '/') {
        char sep = s[i++];
        m = read_digits(s, &i, 1, 2);
        if (m < 0 || s[i] != sep)
            return -1;
        i++;
        d = read_digits(s, &i, 1, 2);
    } else {
        m = read_digits(s, &i, 2, 2);
        d = m < 0 ? -1 : read_digits(s, &i, 2, 2);
    }
    if (m < 0 || d < 0 || s[i] != '\0' || !date_valid(y, m, d))
        return -1;
    if (yyyymmdd)
        *yyyymmdd = y * 10000 + m * 100 + d;
    return 0;
}

/* ---- what an ID tells ---- */

char id_check_char(const char *digits17)
{
    unsigned sum = 0;
    for (int i = 0; i < 17; i++)
        sum += (unsigned)(digits17[i] - '0') * id_weight[i];
    return id_check_of[sum % 11];
}

/* Returns 0 when the first 17 characters are not all digits: 0 is never the
 * key of a valid ID (province codes start at 11). */
uint64_t id_key(const char *id18)
{
    uint64_t k = 0;
    for (int i = 0; i < 17; i++) {
        unsigned d = (unsigned char)id18[i] - (unsigned)'0';
        if (d > 9)
            return 0;
        k = k * 10 + d;
    }
    return k;
}

/* A key of 10^17 or more comes from no ID: out is set to "" then. */
void id_from_key(uint64_t key, char out[19])
{
    if (key >= UINT64_C(100000000000000000)) {
        out[0] = '\0';
        return;
    }
    for (int i = 16; i >= 0; i--) {
        out[i] = (char)('0' + key % 10);
        key /= 10;
    }
    out[17] = id_check_char(out);
    out[18] = '\0';
}

static int dig(const char *p, int n)
{
    int v = 0;
    for (int i = 0; i < n; i++)
        v = v * 10 + (p[i] - '0');
    return v;
}

int id_birth(const char *id18)
{
    return dig(id18 + 6, 8);
}

int id_sex(const char *id18)
{
    return ((id18[16] - '0') & 1) ? 1 : 2;
}

int id_province_code(const char *id18)
{
    return dig(id18, 2);
}

const char *id_province_name(int code)
{
    if (code < 0 || code > 99)
        return NULL;
    return province_name[code];
}

/* Full years: the age goes up on the birthday itself. Someone born on
 * 29 February gets one year older on 1 March in common years. */
int id_age_on(int birth_yyyymmdd, int ref_yyyymmdd)
{
    if (birth_yyyymmdd > ref_yyyymmdd)
        return -1;
    int age = ref_yyyymmdd / 10000 - birth_yyyymmdd / 10000;
    if (ref_yyyymmdd % 10000 < birth_yyyymmdd % 10000)
        age--;
    return age;
}

const char *id_stage_for_age(int age)
{
    if (age >= 3 && age <= 5)
        return "学前";
    if (age >= 6 && age <= 11)
        return "小学";
    if (age >= 12 && age <= 14)
        return "初中";
    if (age >= 15 && age <= 17)
        return "高中";
    return NULL;
}

/* Strings with non-ASCII bytes are masked whole, one '*' per character (at
 * most 18): cutting 6 and 4 bytes out of UTF-8 could split a character, and
 * such a string is no canonical ID anyway. */
void id_mask(const char *id, char out[19])
{
    size_t len = 0, chars = 0;
    int ascii = 1;
    for (; id[len]; len++) {
        unsigned char c = (unsigned char)id[len];
        if (c >= 0x80)
            ascii = 0;
        if ((c & 0xC0) != 0x80)
            chars++;
    }
    if (!ascii || len < 11) {
        size_t k = chars < 18 ? chars : 18;
        memset(out, '*', k);
        out[k] = '\0';
        return;
    }
    size_t stars = len - 10 < 8 ? len - 10 : 8;
    memcpy(out, id, 6);
    memset(out + 6, '*', stars);
    memcpy(out + 6 + stars, id + len - 4, 4);
    out[10 + stars] = '\0';
}

/* ---- canonicalization ---- */

/* Validates 18 characters (any bytes) that are the whole ID once cleaned:
 * the reference implementation of the rules, used after cleaning and on
 * machines without fast18(). Fills out->id once the characters are right
 * (so failures show the ID) and out->key on success; out->flags is left to
 * the caller. */
static id_reason check18(const char *p, int ref, idnum_t *out)
{
    unsigned sum = 0;
    uint64_t key = 0;
    for (int i = 0; i < 17; i++) {
        unsigned d = (unsigned char)p[i] - (unsigned)'0';
        if (d > 9)
            return ID_BAD_CHAR;
        sum += d * id_weight[i];
        key = key * 10 + d;
    }
    char last = p[17];
    if (last == 'x')
        last = 'X';
    if (!((last >= '0' && last <= '9') || last == 'X'))
        return ID_BAD_CHAR;

    memcpy(out->id, p, 17);
    out->id[17] = last;
    out->id[18] = '\0';

    if (!province_name[(p[0] - '0') * 10 + (p[1] - '0')])
        return ID_BAD_PROVINCE;
    int y = dig(p + 6, 4), m = dig(p + 10, 2), d = dig(p + 12, 2);
    if (!date_valid(y, m, d))
        return ID_BAD_DATE;
    /* The check character before the reference date: a damaged or mistyped
     * ID is that, whatever birth date its wrong digits spell. */
    if (id_check_of[sum % 11] != last)
        return (p[15] == '0' && p[16] == '0' && last == '0') ? ID_EXCEL_ZEROS : ID_BAD_CHECK;
    if (ref != 0 && y * 10000 + m * 100 + d > ref)
        return ID_FUTURE_BIRTH;
    out->key = key;
    return ID_OK;
}

/* Longest cleaned input kept for pattern tests; longer ones can only be
 * bad_char or bad_length. */
#define CLEAN_MAX 64
/* Stands in for a character that has no ASCII meaning here. */
#define NON_ASCII '\x01'

/* Decodes one UTF-8 character at s[i..n); returns the code point and sets
 * *len (1..4). Malformed bytes come back one at a time as 0xFFFD: any of
 * them makes the ID bad_char, so finer recovery would buy nothing. */
static unsigned utf8_next(const unsigned char *s, size_t i, size_t n, size_t *len)
{
    unsigned c = s[i];
    *len = 1;
    if (c < 0x80)
        return c;
    int need;
    unsigned cp, min;
    if (c >= 0xC2 && c <= 0xDF) {
        need = 1; cp = c & 0x1F; min = 0x80;
    } else if (c >= 0xE0 && c <= 0xEF) {
        need = 2; cp = c & 0x0F; min = 0x800;
    } else if (c >= 0xF0 && c <= 0xF4) {
        need = 3; cp = c & 0x07; min = 0x10000;
    } else {
        return 0xFFFD;
    }
    if (n - i <= (size_t)need)
        return 0xFFFD;
    for (int k = 1; k <= need; k++) {
        unsigned b = s[i + k];
        if ((b & 0xC0) != 0x80)
            return 0xFFFD;
        cp = (cp << 6) | (b & 0x3F);
    }
    if (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF))
        return 0xFFFD;
    *len = (size_t)need + 1;
    return cp;
}

static int is_digit(char c)
{
    return c >= '0' && c <= '9';
}

static int is_ascii_pad(char c)
{
    return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

/* Characters trimmed from both ends: ASCII white space, no-break space,
 * ideographic space, and the invisible BOM / zero-width space that Excel
 * and copy-paste leave behind. */
static int is_trim_cp(unsigned cp)
{
    return cp == ' ' || cp == '\t' || cp == '\r' || cp == '\n' || cp == '\v' || cp == '\f' ||
           cp == 0xA0 || cp == 0x3000 || cp == 0xFEFF || cp == 0x200B;
}

static void trim(const unsigned char *s, size_t *b, size_t *e)
{
    while (*b < *e) {
        size_t len;
        unsigned cp = utf8_next(s, *b, *e, &len);
        if (!is_trim_cp(cp))
            break;
        *b += len;
    }
    /* Backwards: step over continuation bytes to the start of the last
     * character, then test it. */
    while (*e > *b) {
        size_t st = *e - 1;
        while (st > *b && (s[st] & 0xC0) == 0x80 && *e - st < 4)
            st--;
        size_t len;
        unsigned cp = utf8_next(s, st, *e, &len);
        if (st + len != *e || !is_trim_cp(cp))
            break;
        *e = st;
    }
}

/* Drops Excel's ways of forcing text: a leading ' (or full-width ＇), and
 * the formula ="…" that some exporters write. */
static void strip_excel_text(const unsigned char *s, size_t *b, size_t *e)
{
    if (*b < *e && s[*b] == '\'') {
        (*b)++;
    } else if (*e - *b >= 3 && s[*b] == 0xEF && s[*b + 1] == 0xBC && s[*b + 2] == 0x87) {
        *b += 3;
    } else if (*e - *b >= 3 && s[*b] == '=' && s[*b + 1] == '"' && s[*e - 1] == '"') {
        *b += 2;
        (*e)--;
    } else {
        return;
    }
    trim(s, b, e);
}


/* Excel's display of a long number: 3.41E+17, 3.41021e17, 341021E+12. */
static int is_excel_sci(const char *t, size_t m)
{
    size_t i = 0, k;
    for (k = 0; i < m && is_digit(t[i]); i++)
        k++;
    if (k == 0)
        return 0;
    if (i < m && t[i] == '.') {
        i++;
        while (i < m && is_digit(t[i]))
            i++;
    }
    if (i >= m || (t[i] != 'E' && t[i] != 'e'))
        return 0;
    i++;
    if (i < m && (t[i] == '+' || t[i] == '-'))
        i++;
    for (k = 0; i < m && is_digit(t[i]); i++)
        k++;
    return k > 0 && i == m;
}

/* 16 to 18 digits written as a decimal number ("341021200801011234.0"):
 * the value went through a double, which holds only 15-16 digits. Returns
 * the number of integer digits, or 0. */
static size_t excel_number_digits(const char *t, size_t m)
{
    size_t i = 0;
    while (i < m && is_digit(t[i]))
        i++;
    size_t nd = i;
    if (nd < 16 || nd > 18 || i + 1 >= m || t[i] != '.')
        return 0;
    for (i++; i < m; i++)
        if (t[i] != '0')
            return 0;
    return nd;
}

/* out->id gets the cleaned text when it is short printable ASCII, so that
 * callers can show what was seen; otherwise it stays empty. */
static void set_partial(idnum_t *out, const char *t, size_t m)
{
    if (m > 18)
        return;
    for (size_t i = 0; i < m; i++)
        if ((unsigned char)t[i] < 0x20 || (unsigned char)t[i] > 0x7E)
            return;
    memcpy(out->id, t, m);
    out->id[m] = '\0';
}

static id_reason canon_slow(const unsigned char *s, size_t n, int ref, idnum_t *out)
{
    size_t b = 0, e = n;
    trim(s, &b, &e);
    strip_excel_text(s, &b, &e);

    /* Reduce to ASCII: full-width forms (U+FF01..U+FF5E, so ０-９ Ｘ Ｇ ＋ ．
     * too) become their ASCII twins, x becomes X, anything else non-ASCII
     * becomes NON_ASCII. Past CLEAN_MAX only the count of characters that
     * are no digit, and the last character, are kept. */
    char t[CLEAN_MAX];
    size_t m = 0, nondigit = 0;
    char lastc = 0;
    for (size_t i = b; i < e;) {
        size_t len;
        unsigned cp = utf8_next(s, i, e, &len);
        i += len;
        char c;
        if (cp < 0x80)
            c = (char)cp;
        else if (cp >= 0xFF01 && cp <= 0xFF5E)
            c = (char)(cp - 0xFEE0);
        else
            c = NON_ASCII;
        if (c == 'x')
            c = 'X';
        if (m < CLEAN_MAX)
            t[m] = c;
        m++;
        if (!is_digit(c))
            nondigit++;
        lastc = c;
    }

    if (m == 0)
        return ID_EMPTY;
    if (m > CLEAN_MAX)
        return (nondigit == 0 || (nondigit == 1 && lastc == 'X')) ? ID_BAD_LENGTH : ID_BAD_CHAR;

    if (is_excel_sci(t, m)) {
        set_partial(out, t, m);
        return ID_EXCEL_SCI;
    }

    char *p = t;
    if ((p[0] == 'G' || p[0] == 'g') && m >= 2 && is_digit(p[1])) {
        p++;
        m--;
        out->flags |= ID_F_FROM_STUDENT;
    } else if ((p[0] == 'J' || p[0] == 'j' || p[0] == 'L' || p[0] == 'l') && m >= 2) {
        size_t i = 1;
        while (i < m && (is_digit(p[i]) || (i == m - 1 && p[i] == 'X')))
            i++;
        if (i == m) {
            set_partial(out, p, m);
            return ID_STUDENT_NO_ID;
        }
    }

    size_t nd = excel_number_digits(p, m);
    if (nd) {
        set_partial(out, p, nd);
        return ID_EXCEL_NUMBER;
    }

    for (size_t i = 0; i < m; i++) {
        if (!is_digit(p[i]) && !(i == m - 1 && p[i] == 'X')) {
            set_partial(out, p, m);
            return ID_BAD_CHAR;
        }
    }

    if (m == 15) {
        /* Legacy IDs have no check character and a 2-digit year in the
         * 1900s; the 18-character form inserts "19" and appends a check. */
        if (p[14] == 'X') {
            set_partial(out, p, m);
            return ID_BAD_CHAR;
        }
        char full[18];
        memcpy(full, p, 6);
        full[6] = '1';
        full[7] = '9';
        memcpy(full + 8, p + 6, 9);
        full[17] = id_check_char(full);
        out->flags |= ID_F_CONVERTED15;
        return check18(full, ref, out);
    }
    if (m != 18) {
        set_partial(out, p, m);
        return ID_BAD_LENGTH;
    }
    return check18(p, ref, out);
}

/* The fast path for 18 plain bytes, 8 at a time (SWAR): little-endian
 * machines only, elsewhere check18() does the same job. Same results as
 * check18(), which the unit tests compare over many generated IDs. */
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
#define HAVE_FAST18 1
#define ONES UINT64_C(0x0101010101010101)
#define LANES16 UINT64_C(0x00FF00FF00FF00FF)

static uint64_t load8(const char *p)
{
    uint64_t x;
    memcpy(&x, p, 8);
    return x;
}

/* Nonzero when one of the 8 bytes is no ASCII digit. A byte below '0'
 * borrows from its neighbour but is flagged itself, and a byte that
 * carries is >= 0x80 and flagged too, so the verdict holds. */
static uint64_t swar_nondigit(uint64_t x)
{
    return ((x - 0x30 * ONES) | (x + 0x46 * ONES) | x) & (0x80 * ONES);
}

/* 8 digit values (first digit in the lowest byte) as a decimal number:
 * pairs, then quads, then the whole, each step one multiply. */
static uint32_t swar_value(uint64_t v)
{
    v = v * 10 + (v >> 8);
    v = (((v & UINT64_C(0x000000FF000000FF)) * UINT64_C(0x000F424000000064)) +
         (((v >> 16) & UINT64_C(0x000000FF000000FF)) * UINT64_C(0x0000271000000001))) >> 32;
    return (uint32_t)v;
}

/* Weighted sum of the 8 digit values in v: even and odd digits go to 16-bit
 * lanes, and one multiply by the weights in reverse lane order collects the
 * four products of each set in the top lane. Every partial sum stays below
 * 2^16, so no lane carries into the next. */
#define W4(w0, w1, w2, w3) \
    ((uint64_t)(w3) | (uint64_t)(w2) << 16 | (uint64_t)(w1) << 32 | (uint64_t)(w0) << 48)
static unsigned swar_wsum(uint64_t v, uint64_t w_even, uint64_t w_odd)
{
    return (unsigned)(((v & LANES16) * w_even) >> 48) +
           (unsigned)((((v >> 8) & LANES16) * w_odd) >> 48);
}

static id_reason fast18(const char *p, int ref, idnum_t *out)
{
    uint64_t a = load8(p), b = load8(p + 8);
    unsigned c16 = (unsigned char)p[16] - (unsigned)'0';
    char last = p[17];
    if (last == 'x')
        last = 'X';
    if ((swar_nondigit(a) | swar_nondigit(b)) || c16 > 9 ||
        !((last >= '0' && last <= '9') || last == 'X'))
        return ID_BAD_CHAR;

    memcpy(out->id, p, 17);
    out->id[17] = last;
    out->id[18] = '\0';

    a -= 0x30 * ONES;
    b -= 0x30 * ONES;
    uint32_t hi = swar_value(a), lo = swar_value(b);   /* digits 1-8, 9-16 */
    if (!province_name[hi / 1000000])
        return ID_BAD_PROVINCE;
    int birth = (int)(hi % 100) * 1000000 + (int)(lo / 100);
    if (!date_valid(birth / 10000, birth / 100 % 100, birth % 100))
        return ID_BAD_DATE;
    /* Weights 7 9 10 5 8 4 2 1 | 6 3 7 9 10 5 8 4 | 2, as id_weight. */
    unsigned sum = swar_wsum(a, W4(7, 10, 8, 2), W4(9, 5, 4, 1)) +
                   swar_wsum(b, W4(6, 7, 10, 8), W4(3, 9, 5, 4)) + c16 * 2;
    if (id_check_of[sum % 11] != last)
        return (p[15] == '0' && p[16] == '0' && last == '0') ? ID_EXCEL_ZEROS : ID_BAD_CHECK;
    if (ref != 0 && birth > ref)   /* after the check character, as check18 */
        return ID_FUTURE_BIRTH;
    out->key = ((uint64_t)hi * 100000000u + lo) * 10 + c16;
    return ID_OK;
}
#endif

id_reason id_canon(const char *s, size_t n, int ref_yyyymmdd, idnum_t *out)
{
    out->id[0] = '\0';
    out->key = 0;
    out->flags = 0;
    if (!s)
        return ID_EMPTY;
    /* Fast path: 18 bytes starting with a digit, once ASCII padding and
     * Excel's apostrophe (both common in exports) are cut off. A bad
     * character there may be a marker the slow path knows: it retries. */
    size_t b = 0, e = n;
    while (e > 0 && is_ascii_pad(s[e - 1]))
        e--;
    while (b < e && is_ascii_pad(s[b]))
        b++;
    if (b < e && s[b] == '\'')
        b++;
    if (e - b == 18 && is_digit(s[b])) {
#ifdef HAVE_FAST18
        id_reason r = fast18(s + b, ref_yyyymmdd, out);
#else
        id_reason r = check18(s + b, ref_yyyymmdd, out);
#endif
        if (r != ID_BAD_CHAR)
            return r;
        out->id[0] = '\0';
    }
    return canon_slow((const unsigned char *)s, n, ref_yyyymmdd, out);
}
