/* Fuzz target: the ID canonicalizer (id_canon), the join key of every row.
 * The first two bytes choose a reference date; the rest is the cell.
 *
 * Invariants (a break aborts):
 *   - a valid result is 17 digits and a check character that is right,
 *     re-canonicalizes to itself with no flags, and its key round-trips
 *     through id_from_key / id_key; birth date, sex and province are real;
 *   - an invalid result has key 0 and a known reason code;
 *   - the reference date only ever adds future_birth;
 *   - the fast path (18 plain bytes) and the general path agree: the same
 *     cell behind an ideographic space (which only the general path trims)
 *     gives the same reason and key;
 *   - id_mask never writes past its 19 bytes and never shows more than 10
 *     characters of the value; mask_ids_text leaves no run of 15 or more
 *     digits. */
#include "fuzz.h"
#include "id.h"
#include "mask.h"

static void check_valid(const idnum_t *v, const char *what)
{
    if (strlen(v->id) != 18 || !v->key)
        fuzz_fail("%s: valid but id \"%s\" key %llu", what, v->id, (unsigned long long)v->key);
    for (int i = 0; i < 17; i++)
        if (v->id[i] < '0' || v->id[i] > '9')
            fuzz_fail("%s: valid id %s has a non-digit", what, v->id);
    if (id_check_char(v->id) != v->id[17])
        fuzz_fail("%s: valid id %s has a wrong check character", what, v->id);
    if (id_key(v->id) != v->key)
        fuzz_fail("%s: id_key(%s) != key %llu", what, v->id, (unsigned long long)v->key);
    char back[19];
    id_from_key(v->key, back);
    if (strcmp(back, v->id) != 0)
        fuzz_fail("%s: id_from_key gives %s for %s", what, back, v->id);
    idnum_t again;
    if (id_canon(v->id, 18, 0, &again) != ID_OK || again.key != v->key || again.flags
        || strcmp(again.id, v->id) != 0)
        fuzz_fail("%s: %s does not re-canonicalize to itself", what, v->id);
    int b = id_birth(v->id);
    if (!date_valid(b / 10000, b / 100 % 100, b % 100) || b < 19000101)
        fuzz_fail("%s: %s has birth date %d", what, v->id, b);
    if (id_sex(v->id) != 1 && id_sex(v->id) != 2)
        fuzz_fail("%s: %s has sex %d", what, v->id, id_sex(v->id));
    if (!id_province_name(id_province_code(v->id)))
        fuzz_fail("%s: %s has no province", what, v->id);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 2)
        return 0;
    /* a reference date between 1900 and 2100, or none */
    unsigned r = (unsigned)data[0] << 8 | data[1];
    int ref = r % 7 == 0 ? 0 : 19000101 + (int)(r % 200) * 10000 + (int)(r % 12) * 100 + (int)(r % 28);
    const char *s = (const char *)data + 2;
    size_t n = size - 2;

    idnum_t v, v0;
    id_reason why = id_canon(s, n, ref, &v);
    id_reason why0 = id_canon(s, n, 0, &v0);
    if (why >= ID__N || !strcmp(id_reason_code(why), "?"))
        fuzz_fail("unknown reason %d", (int)why);
    if (why == ID_OK) {
        check_valid(&v, "with ref");
        if (id_birth(v.id) > ref && ref)
            fuzz_fail("%s born after %d accepted", v.id, ref);
    } else if (v.key) {
        fuzz_fail("invalid (%s) but key %llu", id_reason_code(why), (unsigned long long)v.key);
    }
    if (why0 == ID_OK)
        check_valid(&v0, "without ref");
    if (why != why0 && !(why == ID_FUTURE_BIRTH && why0 == ID_OK))
        fuzz_fail("the reference date changed %s into %s", id_reason_code(why0),
                  id_reason_code(why));
    if (why == ID_OK && (v.key != v0.key || v.flags != v0.flags))
        fuzz_fail("the reference date changed the key");

    /* fast path against general path */
    if (n == 18) {
        char alt[3 + 18];
        memcpy(alt, "\xe3\x80\x80", 3);
        memcpy(alt + 3, s, 18);
        idnum_t w;
        id_reason why2 = id_canon(alt, sizeof alt, ref, &w);
        if (why2 != why || w.key != v.key || (why == ID_OK && strcmp(w.id, v.id)))
            fuzz_fail("fast path %s/%llu, general path %s/%llu for \"%.18s\"", id_reason_code(why),
                      (unsigned long long)v.key, id_reason_code(why2), (unsigned long long)w.key, s);
    }

    /* masking: any text, as a NUL-terminated string */
    char *z = malloc(n + 1), m[19];
    if (!z)
        return 0;
    memcpy(z, s, n);
    z[n] = 0;
    memset(m, 0x55, sizeof m);
    id_mask(z, m);
    if (memchr(m, 0, sizeof m) == NULL)
        fuzz_fail("id_mask left no NUL in its 19 bytes");
    size_t shown = 0;
    for (const char *p = m; *p; p++)
        shown += *p != '*';
    if (shown > 10)
        fuzz_fail("id_mask shows %zu characters: %s", shown, m);
    size_t cap = 1 + (size_t)data[0] % 64 + n * 2;
    char *t = malloc(cap);
    if (t) {
        mask_ids_text(z, t, cap);
        size_t run = 0;
        for (const char *p = t; *p; p++) {
            run = (*p >= '0' && *p <= '9') ? run + 1 : 0;
            if (run >= 15)
                fuzz_fail("mask_ids_text left a run of digits: %s", t);
        }
        if (strlen(t) >= cap)
            fuzz_fail("mask_ids_text overflowed");
    }
    free(t);
    free(z);
    return 0;
}
