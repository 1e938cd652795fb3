/* Text encodings of real exports: UTF-8 (with or without BOM) and GBK as
 * Excel saves it on Chinese Windows, read as GB18030 (its superset) so that
 * characters GBK lacks survive where the bytes carry them.
 *
 * Why decode per field after CSV parsing, not per block before it: in GBK and
 * GB18030 every byte of a multi-byte character is >= 0x30, and the CSV bytes
 * (comma, quote, CR, LF) are below it, so the CSV structure is the same in
 * the raw bytes; decoding per row lets one undecodable row be rejected with
 * its line number instead of failing the file. */
#ifndef BIDUI_ENCODING_H
#define BIDUI_ENCODING_H
#include <stddef.h>
#include "input.h"

/* Decide the encoding of a file from its first bytes (a sample that may end
 * mid-character): UTF-8 when it is valid UTF-8 (including pure ASCII) or
 * mostly so, otherwise ENC_GB18030. */
encoding_t encoding_detect(const unsigned char *p, size_t n);

/* Length of the valid UTF-8 prefix of p[0..n): n when all of it is valid.
 * Overlong forms, surrogates and code points above U+10FFFF are invalid.
 * A sequence cut at the end counts as invalid unless allow_cut. */
size_t utf8_valid_prefix(const unsigned char *p, size_t n, int allow_cut);

/* 1 when p[0..n) is valid UTF-8 with at least 9 non-ASCII bytes (three
 * CJK characters): in a GBK file, such a field is a UTF-8 row pasted in,
 * since GBK text of that length is practically never valid UTF-8. */
int looks_utf8_text(const unsigned char *p, size_t n);

/* 1 when every byte is < 0x80. */
int ascii_only(const unsigned char *p, size_t n);

/* A reusable GB18030 -> UTF-8 converter (wraps iconv). */
typedef struct gbconv gbconv_t;
gbconv_t *gbconv_new(void);              /* NULL when iconv lacks GB18030 */
/* Convert s[0..n); *out points to the converter's own buffer (NUL-terminated,
 * valid until the next call). Returns the length, or -1 when the bytes are
 * not valid GB18030 (or out of memory). */
long gbconv_run(gbconv_t *g, const char *s, size_t n, char **out);
void gbconv_free(gbconv_t *g);

/* The reverse, for --output-encoding gbk: UTF-8 -> GB18030. */
gbconv_t *gbconv_new_to_gb(void);

#endif
