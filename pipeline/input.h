/* One input file as the run sees it: what it is, how it is encoded, where
 * its header is, and its account of rows.
 *
 * The account must balance at the end of every input:
 *     rows_read == rows_used + rows_rejected
 * rows_read counts data rows below the header (title rows and the header row
 * itself are counted apart, in title_rows); the sink stage counts rows_used,
 * the rejects list counts rows_rejected. input_check_account() says when a
 * row went missing. */
#ifndef BIDUI_INPUT_H
#define BIDUI_INPUT_H
#include <stdint.h>
#include <stdio.h>
#include "schema.h"

typedef enum { ENC_AUTO = 0, ENC_UTF8, ENC_GB18030 } encoding_t;

typedef struct input {
    char       *path;          /* as the user gave it (owned) */
    input_kind  kind;
    char       *category;      /* registry category (建档立卡 …), owned; NULL otherwise */
    int         index;         /* position among the run's inputs */
    /* Found while reading: */
    int         gzip;          /* 1 when gzip-compressed */
    encoding_t  encoding;      /* decided from the bytes unless forced */
    int         encoding_forced;
    int         bom;           /* 1 when the file began with a UTF-8 BOM */
    int         crlf;          /* 1 when the first line ended in CRLF; 2 when
                                  lines end in CR alone (old Mac), read as LF */
    long        header_line;   /* 0 until the header row is found */
    int         ncols;         /* fields in the header row */
    char      **headers;       /* header cells as read (decoded), owned */
    int         col[COL__N];   /* canonical column -> index in the row, -1 absent */
    int         unmapped;      /* header cells that map to no canonical column */
    /* The account: */
    long        rows_read, rows_used, rows_rejected, title_rows, blank_rows;
    uint64_t    bytes;         /* bytes of the file as stored (compressed size for gzip) */
    int         failed;        /* 1 when the input could not be read to its end */
} input_t;

/* A new input for path (copied). Returns NULL when out of memory. */
input_t *input_new(const char *path, input_kind kind, const char *category, int index);
void     input_free(input_t *in);
/* 0 when the account balances; otherwise logs the difference and returns -1. */
int      input_check_account(const input_t *in);
const char *encoding_name(encoding_t e);   /* "utf-8", "gb18030", "auto" */
/* "utf-8" / "utf8" / "gbk" / "gb18030" / "gb2312" / "auto" -> encoding; -1 unknown. */
int      encoding_parse(const char *s);

#endif
