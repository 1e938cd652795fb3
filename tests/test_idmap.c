#include <stdlib.h>
#include "idmap.h"
#include "test.h"

int main(void)
{
    idmap_t m = {0};
    int added;
    CHECK(idmap_get(&m, 42) == NULL);
    /* keys shaped like IDs: same prefix, consecutive sequence numbers */
    int fails = 0;
    for (uint64_t i = 1; i <= 100000; i++) {
        uint64_t *v = idmap_put(&m, 34030420120512000ull + i, i * 3, &added);
        fails += !v || !added;
    }
    CHECK_INT(fails, 0);
    CHECK_INT(m.n, 100000);
    CHECK(m.cap >= 2 * m.n);
    int bad = 0;
    for (uint64_t i = 1; i <= 100000; i++) {
        uint64_t *v = idmap_get(&m, 34030420120512000ull + i);
        bad += !v || *v != i * 3;
    }
    CHECK_INT(bad, 0);
    CHECK(idmap_get(&m, 34030420120512000ull) == NULL);
    CHECK(idmap_get(&m, 34030420120612001ull) == NULL);
    uint64_t *v = idmap_put(&m, 34030420120512007ull, 0, &added);
    CHECK_INT(added, 0);
    CHECK_INT(*v, 21);
    CHECK_INT(m.n, 100000);
    CHECK_INT(idmap_bytes(&m), m.cap * 16);
    idmap_free(&m);
    CHECK_INT(m.n, 0);

    /* a fuller table for the roster's ID set: 75% before it doubles */
    idmap_t r = {0};
    idmap_set_max_load(&r, 75);
    for (uint64_t i = 1; i <= 12000; i++)
        idmap_put(&r, 11010519491231000ull + i * 7, 0, &added);
    CHECK_INT(r.cap, 16384);      /* 12000 <= 75% of 16384; at 50% it would be 32768 */
    CHECK_INT(idmap_bytes(&r), 16384 * 16);
    fails = 0;
    for (uint64_t i = 1; i <= 12000; i++)
        fails += idmap_get(&r, 11010519491231000ull + i * 7) == NULL;
    CHECK_INT(fails, 0);
    CHECK(idmap_get(&r, 11010519491231001ull) == NULL);
    idmap_free(&r);
    return TEST_DONE();
}
