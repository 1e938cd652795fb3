/* A minimal unit-test harness: each failed check prints file:line, what was
 * checked, what came and what was expected; main() returns the failures.
 * Each tests/test_<module>.c is one program. */
#ifndef BIDUI_TEST_H
#define BIDUI_TEST_H
#include <stdio.h>
#include <string.h>

static int t_checks, t_fails;

#define CHECK(cond) do { t_checks++; if (!(cond)) { t_fails++; \
    fprintf(stderr, "%s:%d: check failed: %s\n", __FILE__, __LINE__, #cond); } } while (0)

#define CHECK_INT(got, want) do { long long g_ = (long long)(got), w_ = (long long)(want); \
    t_checks++; if (g_ != w_) { t_fails++; fprintf(stderr, "%s:%d: %s: got %lld, expected %lld\n", \
    __FILE__, __LINE__, #got, g_, w_); } } while (0)

#define CHECK_STR(got, want) do { const char *g_ = (got), *w_ = (want); t_checks++; \
    if (!g_ || !w_ || strcmp(g_, w_) != 0) { t_fails++; \
    fprintf(stderr, "%s:%d: %s: got \"%s\", expected \"%s\"\n", __FILE__, __LINE__, #got, \
    g_ ? g_ : "(null)", w_ ? w_ : "(null)"); } } while (0)

#define TEST_DONE() (printf("%s: %d checks, %d failed\n", __FILE__, t_checks, t_fails), t_fails != 0)

#endif
