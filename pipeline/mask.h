/* Masking ID numbers inside free text: a reject's excerpt of its row, the
 * cells an error message quotes. id_mask() (id.h) masks a value known to
 * be an ID; this finds them in any text.
 *
 * An ID here is any run of 15 or more ASCII digits (a trailing X or x
 * belongs to it): 18-digit and 15-digit IDs, a G + ID student number, and
 * digits run together, which may hold one. Each run keeps its first 6 and
 * last 4 characters and the rest become '*', as id_mask does. Shorter runs
 * (amounts, school codes, dates, line numbers) stay as they are. */
#ifndef BIDUI_MASK_H
#define BIDUI_MASK_H
#include <stddef.h>

/* Copy the NUL-terminated s into out (cap bytes, cap > 0), every ID masked;
 * cut at a UTF-8 character boundary when out is too small. Returns the
 * length written (out is always NUL-terminated). */
size_t mask_ids_text(const char *s, char *out, size_t cap);

/* 1 when s holds a run mask_ids_text would mask. */
int mask_ids_needed(const char *s);

#endif
