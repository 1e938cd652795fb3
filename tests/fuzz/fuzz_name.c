/* Fuzz target: person names (name_norm, name_same). The input is two
 * names separated by the first 0xFF byte (never in UTF-8); the first byte
 * chooses the output buffer's size.
 *
 * Invariants (a break aborts):
 *   - name_norm writes at most cap bytes, NUL-terminated, returns strlen;
 *     its output is valid UTF-8 whatever came in, holds no white space and
 *     is stable: normalizing it again changes nothing (when not cut short);
 *   - name_same is reflexive and symmetric on normalized names, and a name
 *     is the same as itself with any one character replaced by '?'. */
#include "fuzz.h"
#include "name.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 1)
        return 0;
    size_t cap = 1 + data[0] % 96;
    const char *s = (const char *)data + 1;
    size_t n = size - 1;
    const char *sep = memchr(s, 0xff, n);
    size_t na = sep ? (size_t)(sep - s) : n;
    const char *b = sep ? sep + 1 : "";
    size_t nb = sep ? n - na - 1 : 0;

    char big1[1024], big2[1024], *small = malloc(cap + 1);
    if (!small)
        return 0;
    small[cap] = (char)0xAB;                  /* a guard byte past cap */
    size_t w = name_norm(s, na, small, cap);
    if (small[cap] != (char)0xAB)
        fuzz_fail("name_norm wrote past cap %zu", cap);
    if (w >= cap || strlen(small) != w)
        fuzz_fail("name_norm returned %zu for cap %zu, strlen %zu", w, cap, strlen(small));
    if (!fuzz_utf8(small, w))
        fuzz_fail("name_norm output is not UTF-8");
    free(small);

    size_t l1 = name_norm(s, na, big1, sizeof big1);
    size_t l2 = name_norm(b, nb, big2, sizeof big2);
    if (!fuzz_utf8(big1, l1) || !fuzz_utf8(big2, l2))
        fuzz_fail("name_norm output is not UTF-8");
    for (size_t i = 0; i < l1; i++)
        if (big1[i] == ' ' || big1[i] == '\t' || big1[i] == '\n' || big1[i] == '\r')
            fuzz_fail("white space left in a normalized name");
    if (l1 + 4 < sizeof big1) {               /* not cut short: stable */
        char again[1024];
        size_t l3 = name_norm(big1, l1, again, sizeof again);
        if (l3 != l1 || memcmp(again, big1, l1) != 0)
            fuzz_fail("name_norm is not stable: \"%s\" -> \"%s\"", big1, again);
    }
    if (!name_same(big1, big1) || !name_same(big2, big2))
        fuzz_fail("name_same is not reflexive");
    if (name_same(big1, big2) != name_same(big2, big1))
        fuzz_fail("name_same is not symmetric: \"%s\" \"%s\"", big1, big2);
    /* a lost character matches any one character: replace the k-th by ? */
    if (l1 && l1 + 4 < sizeof big1) {
        size_t k = data[0] % l1, start = 0, pos = 0, i = 0;
        for (size_t c = 0; i < l1; c++) {
            size_t len = 1;
            while (i + len < l1 && ((unsigned char)big1[i + len] & 0xc0) == 0x80)
                len++;
            if (c == k % (l1)) {
                start = i;
                pos = len;
                break;
            }
            i += len;
        }
        if (pos) {
            char lost[1024];
            memcpy(lost, big1, start);
            lost[start] = '?';
            memcpy(lost + start + 1, big1 + start + pos, l1 - start - pos + 1);
            if (!name_same(big1, lost))
                fuzz_fail("\"%s\" and \"%s\" (one lost character) differ", big1, lost);
        }
    }
    return 0;
}
