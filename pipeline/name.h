/* Person names as exports carry them: normalized for comparison, and
 * compared with lost characters (生僻字 turned into ?, □ or U+FFFD on the
 * way) matching any one character.
 * Nothing here allocates; callers pass the output buffer. */
#ifndef BIDUI_NAME_H
#define BIDUI_NAME_H
#include <stddef.h>

/* Normalize UTF-8 s[0..n) into out (cap bytes, NUL-terminated, truncated at
 * a character boundary if too small): trim, full-width ASCII to half-width,
 * every middle-dot variant (· • ・ ‧ ･ ⋅ ∙ and '.') to U+00B7, inner white
 * space and control characters (NUL too) dropped, every lost-character
 * marker (? ？ □ U+FFFD, bytes that are not UTF-8) to '?'.
 * Returns the length written. */
size_t name_norm(const char *s, size_t n, char *out, size_t cap);

/* 1 when two normalized names denote the same name: equal character by
 * character, where '?' matches any one character. */
int name_same(const char *a, const char *b);

#endif
