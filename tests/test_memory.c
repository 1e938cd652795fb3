/* What the comparison holds per item (README "Memory"): the records are
 * pinned here so that a field added without thought shows up as a failing
 * test rather than as 200 MB more at province scale. */
#include "compare.h"
#include "idmap.h"
#include "test.h"

int main(void)
{
    CHECK_INT(sizeof(person_t), 64);     /* + her strings and 32-64 bytes of index */
    CHECK_INT(sizeof(payment_t), 40);    /* + its strings and index */
    CHECK_INT(sizeof(idslot_t), 16);     /* a roster ID: one slot, the table 50-75% full */
    CHECK_INT(sizeof(dup_row_t), 24);

    /* the roster's ID set fills to 75%: 3 M IDs in 4 M slots, 64 MiB */
    idmap_t r = {0};
    int added;
    idmap_set_max_load(&r, 75);
    CHECK_INT(idmap_reserve(&r, 3000000), 0);
    CHECK_INT(r.cap, 4194304);
    for (uint64_t i = 1; i <= 3000000; i++)
        idmap_put(&r, 34030420120512000ull + i * 13, 0, &added);
    CHECK_INT(r.cap, 4194304);           /* no doubling on the way */
    CHECK(idmap_bytes(&r) / r.n <= 23);  /* bytes per roster ID */
    idmap_free(&r);
    return TEST_DONE();
}
