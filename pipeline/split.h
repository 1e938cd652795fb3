/* Lists that go out (--split): one file per school (its missed students,
 * duplicate enrolments and name mismatches), one per township (its dropout
 * suspects, out-of-province and out-of-county children, with household and
 * village), and one letter per destination province for the children
 * studying out of province, with what the county asks.
 *
 * School and township files mask IDs 6+4 unless no_mask (they leave the
 * bureau; their 编号 lets a reply find its exception again); they are
 * 0640, or 0600 when unmasked. Letters carry the full ID (the receiving
 * province must look the child up) and are always 0600. */
#ifndef BIDUI_SPLIT_H
#define BIDUI_SPLIT_H
#include <stddef.h>
#include "compare.h"
#include "rules.h"
#include "tabout.h"
#include "track.h"

typedef struct {
    int no_mask;
    tab_format tf;            /* CSV (UTF-8 or GBK) or xlsx */
    const char *contact;      /* "单位,联系人,电话" for the letters, or NULL */
} split_opts;

/* Make name safe as a file name on Windows and Linux, into out (cap bytes):
 * / \ : * ? " < > | and control characters become _, trailing dots and
 * spaces go, reserved device names (CON, NUL, COM1 …) get a leading _, and
 * it is cut at a character boundary to at most 120 bytes. Returns out. */
char *safe_filename(const char *name, char *out, size_t cap);

/* Per destination province, children written to letters/ (for summary.md):
 * filled by split_write. */
typedef struct {
    const char *province;     /* "浙江", or "去向不明" */
    long n;
} letter_count_t;

/* Write by_school/, by_township/ and letters/ into dir. *counts gets an
 * array (owned by the caller, free()) of children per province, *ncounts
 * its length. 0 or BIDUI_E*. */
int split_write(const cmp_t *c, const results_t *r, const track_t *t, const char *dir,
                const split_opts *o, letter_count_t **counts, size_t *ncounts);

#endif
