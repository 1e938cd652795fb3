#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include "err.h"
#include "input.h"

input_t *input_new(const char *path, input_kind kind, const char *category, int index)
{
    input_t *in = calloc(1, sizeof *in);
    if (!in)
        return NULL;
    in->path = strdup(path);
    in->category = category ? strdup(category) : NULL;
    if (!in->path || (category && !in->category)) {
        input_free(in);
        return NULL;
    }
    in->kind = kind;
    in->index = index;
    for (int c = 0; c < COL__N; c++)
        in->col[c] = -1;
    return in;
}

void input_free(input_t *in)
{
    if (!in)
        return;
    for (int i = 0; i < in->ncols; i++)
        free(in->headers[i]);
    free(in->headers);
    free(in->path);
    free(in->category);
    free(in);
}

int input_check_account(const input_t *in)
{
    if (in->rows_read == in->rows_used + in->rows_rejected)
        return 0;
    log_error("%s: account does not balance: %ld rows read, %ld used, %ld rejected",
              in->path, in->rows_read, in->rows_used, in->rows_rejected);
    return -1;
}

const char *encoding_name(encoding_t e)
{
    return e == ENC_UTF8 ? "utf-8" : e == ENC_GB18030 ? "gb18030" : "auto";
}

int encoding_parse(const char *s)
{
    if (!strcasecmp(s, "utf-8") || !strcasecmp(s, "utf8"))
        return ENC_UTF8;
    if (!strcasecmp(s, "gbk") || !strcasecmp(s, "gb18030") || !strcasecmp(s, "gb2312")
        || !strcasecmp(s, "cp936"))
        return ENC_GB18030;
    if (!strcasecmp(s, "auto"))
        return ENC_AUTO;
    return -1;
}
