#include <stdlib.h>
#include <string.h>
#include "encoding.h"
#include "err.h"
#include "input.h"
#include "rejects.h"

static const char *const CODES[RJ__N] = {
    "id", "bad_encoding", "field_count", "unterminated_quote",
    "repeated_header", "blank_row", "bad_amount", "nul_byte", "unknown_case", "bad_list",
};
static const char *const ZH[RJ__N] = {
    "证件号码无效", "字符编码无法识别", "列数与表头不符", "引号未闭合（至文件末尾）",
    "表头在文件中间重复出现", "空行", "金额无效", "含NUL空字节",
    "无法对应到上期异常（缺编号或身份证号不完整）", "名单代码无效",
};

const char *reject_code(reject_reason r) { return r < RJ__N ? CODES[r] : "?"; }
const char *reject_zh(reject_reason r) { return r < RJ__N ? ZH[r] : "?"; }

/* Longest raw excerpt kept: enough to find the row, short enough for Excel. */
#define RAW_MAX 200

/* Copy raw into the arena as valid UTF-8: bytes that are not are written as
 * \xNN so that rejects.csv itself always opens. */
static char *copy_raw(arena_t *a, const char *s, size_t n)
{
    if (n > RAW_MAX)
        n = RAW_MAX;
    char *out = arena_alloc(a, n * 4 + 4);
    if (!out)
        return NULL;
    size_t o = 0, i = 0;
    while (i < n) {
        unsigned char c = (unsigned char)s[i];
        /* strict UTF-8: no overlong forms, surrogates or bytes F5-FF (a
         * reader that checks, as Excel's does, refuses the whole file) */
        size_t len = c < 0x80 ? 1 : c >= 0xc2 && c <= 0xdf ? 2 : c >= 0xe0 && c <= 0xef ? 3
                   : c >= 0xf0 && c <= 0xf4 ? 4 : 0;
        int ok = len > 0 && i + len <= n && c != 0
                 && utf8_valid_prefix((const unsigned char *)s + i, len, 0) == len;
        if (ok) {
            memcpy(out + o, s + i, len);
            o += len;
            i += len;
        } else {
            static const char hex[] = "0123456789ABCDEF";
            out[o++] = '\\';
            out[o++] = 'x';
            out[o++] = hex[c >> 4];
            out[o++] = hex[c & 15];
            i++;
        }
    }
    out[o] = 0;
    return out;
}

static int add_locked(rejects_t *rj, input_t *in, long line, reject_reason r, id_reason idr,
                const char *raw, size_t rawlen)
{
    if (rj->n == rj->cap) {
        size_t nc = rj->cap ? rj->cap * 2 : 256;
        reject_t *v = mem_realloc(rj->v, rj->cap * sizeof *v, nc * sizeof *v);
        if (!v)
            return BIDUI_ENOMEM;
        rj->v = v;
        rj->cap = nc;
    }
    reject_t *x = &rj->v[rj->n];
    x->file = in->path;
    x->input_index = in->index;
    x->line = line;
    x->is_id = r == RJ_ID;
    x->code = r == RJ_ID ? id_reason_code(idr) : reject_code(r);
    x->zh = r == RJ_ID ? id_reason_zh(idr) : reject_zh(r);
    x->raw = copy_raw(&rj->arena, raw ? raw : "", raw ? rawlen : 0);
    if (!x->raw)
        return BIDUI_ENOMEM;
    rj->n++;
    in->rows_rejected++;
    return 0;
}

int rejects_add(rejects_t *rj, input_t *in, long line, reject_reason r, id_reason idr,
                const char *raw, size_t rawlen)
{
    pthread_mutex_lock(&rj->mu);
    int rc = add_locked(rj, in, line, r, idr, raw, rawlen);
    pthread_mutex_unlock(&rj->mu);
    return rc;
}

static int by_input_line(const void *x, const void *y)
{
    const reject_t *a = x, *b = y;
    if (a->input_index != b->input_index)
        return a->input_index < b->input_index ? -1 : 1;
    return a->line < b->line ? -1 : a->line > b->line;
}

void rejects_sort(rejects_t *rj)
{
    if (rj->n)
        qsort(rj->v, rj->n, sizeof *rj->v, by_input_line);
}

int rejects_add_row(rejects_t *rj, record_t *rec, reject_reason r)
{
    char buf[RAW_MAX + 1];
    size_t o = 0;
    for (int i = 0; i < rec->nf && o < RAW_MAX; i++) {
        if (i)
            buf[o++] = ',';
        size_t n = rec->f[i].n;
        if (n > RAW_MAX - o)
            n = RAW_MAX - o;
        memcpy(buf + o, rec->f[i].s, n);
        o += n;
    }
    return rejects_add(rj, rec->in, rec->line, r, ID_OK, buf, o);
}

void rejects_free(rejects_t *rj)
{
    mem_free(rj->v, rj->cap * sizeof *rj->v);
    arena_free(&rj->arena);
    memset(rj, 0, sizeof *rj);
}
