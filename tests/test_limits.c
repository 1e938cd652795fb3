/* Limits (issue 8): --max-field and --max-memory values, the memory cap,
 * uthash's out-of-memory path (uthash_oom.h), and what rejects.csv keeps
 * of bytes that are not UTF-8. */
#include <stdlib.h>
#include "arena.h"
#include "input.h"
#include "rejects.h"
#include "track.h"
#include "test.h"
#include "uthash_oom.h"

typedef struct {
    char key[16];
    UT_hash_handle hh;
} item_t;

static void test_parse(void)
{
    size_t v = 0;
    CHECK_INT(limit_parse("1", 100, &v), 0);
    CHECK_INT(v, 1);
    CHECK_INT(limit_parse("100", 100, &v), 0);
    CHECK_INT(limit_parse("101", 100, &v), -1);
    CHECK_INT(limit_parse("0", 100, &v), -1);
    CHECK_INT(limit_parse("", 100, &v), -1);
    CHECK_INT(limit_parse("-1", 100, &v), -1);
    CHECK_INT(limit_parse("1e6", (size_t)-1, &v), -1);
    CHECK_INT(limit_parse("64MiB", (size_t)-1, &v), -1);
    CHECK_INT(limit_parse("18446744073709551616", (size_t)-1, &v), -1);
    CHECK_INT(limit_parse("18446744073709551615", (size_t)-1, &v), 0);
}

static void test_cap(void)
{
    arena_t a = {0};
    size_t base = mem_in_use();
    mem_set_cap(base + (1u << 20));
    CHECK(arena_alloc(&a, 2u << 20) == NULL);         /* refused, not aborted */
    CHECK(mem_cap_reached());
    CHECK_INT(mem_in_use(), base);
    mem_set_cap(0);
    CHECK(arena_alloc(&a, 2u << 20) != NULL);
    arena_free(&a);
    CHECK_INT(mem_in_use(), base);
}

/* uthash's tables count against the cap, and running out adds nothing
 * and says so: no exit(-1). */
static void test_uthash(void)
{
    item_t *h = NULL, *x = calloc(1, sizeof *x), *y;
    size_t base = mem_in_use();
    snprintf(x->key, sizeof x->key, "a");
    mem_set_cap(base + 16);                            /* less than a table */
    HASH_ADD_STR(h, key, x);
    CHECK_INT(uthash_oom_take(), 1);
    CHECK_INT(uthash_oom_take(), 0);                   /* said once */
    CHECK(h == NULL);
    CHECK_INT(mem_in_use(), base);
    mem_set_cap(0);
    HASH_ADD_STR(h, key, x);
    CHECK_INT(uthash_oom_take(), 0);
    CHECK(mem_in_use() > base);                        /* the table is counted */
    HASH_FIND_STR(h, "a", y);
    CHECK(y == x);
    HASH_DEL(h, x);
    CHECK_INT(mem_in_use(), base);                     /* and given back */
    free(x);
}

/* A resolution's 编号 index that cannot be built fails the run instead of
 * rejecting the reply as unknown. */
static void test_track_oom(void)
{
    track_t t = {0};
    exc_t e = {.key = 340304201205121238ull / 10, .list = 0};
    snprintf(e.no, sizeof e.no, "M2021Q3-00001");
    CHECK_INT(track_add_prev(&t, &e), 0);
    mem_set_cap(mem_in_use() + 8);
    CHECK(track_find_no(&t, "M2021Q3-00001") == NULL);
    CHECK_INT(t.oom, 1);
    mem_set_cap(0);
    track_free(&t);
    CHECK_INT(track_add_prev(&t, &e), 0);
    CHECK(track_find_no(&t, "M2021Q3-00001") != NULL);
    CHECK_INT(t.oom, 0);
    track_free(&t);
}

/* rejects.csv holds only UTF-8: overlong forms, surrogates and F5-FF are
 * written as \xNN (found by tests/fuzz/fuzz_read:
 * corpus/read/regress-raw-not-utf8). */
static void test_reject_raw(void)
{
    rejects_t rj = {0};
    input_t *in = input_new("x.csv", KIND_REGISTRY, NULL, 0);
    static const struct { const char *raw, *want; } T[] = {
        {"张三", "张三"},
        {"a\xc0\xaf" "b", "a\\xC0\\xAFb"},             /* overlong / */
        {"\xe0\x80\xaf", "\\xE0\\x80\\xAF"},           /* overlong, 3 bytes */
        {"\xed\xa0\x80", "\\xED\\xA0\\x80"},           /* a surrogate */
        {"\xf5\x80\x80\x80", "\\xF5\\x80\\x80\\x80"},  /* above U+10FFFF */
        {"\xf4\x90\x80\x80", "\\xF4\\x90\\x80\\x80"},
        {"\xf0\x9f\x98\x80", "\xf0\x9f\x98\x80"},      /* a real 4-byte character */
        {"\xd5\xc5", "\\xD5\\xC5"},                    /* GBK 张 */
    };
    for (size_t i = 0; i < sizeof T / sizeof T[0]; i++) {
        CHECK_INT(rejects_add(&rj, in, 2, RJ_BAD_ENCODING, ID_OK, T[i].raw, strlen(T[i].raw)), 0);
        CHECK_STR(rj.v[i].raw, T[i].want);
    }
    CHECK_INT(in->rows_rejected, (long)(sizeof T / sizeof T[0]));
    rejects_free(&rj);
    input_free(in);
}

int main(void)
{
    test_parse();
    test_cap();
    test_uthash();
    test_track_oom();
    test_reject_raw();
    return TEST_DONE();
}
