/* Masking IDs inside free text (pipeline/mask.c): reject excerpts and the
 * cells an error message quotes. */
#include "mask.h"
#include "test.h"

static const char *masked(const char *s, size_t cap)
{
    static char out[512];
    size_t n = mask_ids_text(s, out, cap);
    if (n != strlen(out)) {
        t_fails++;
        fprintf(stderr, "%s:%d: mask_ids_text returned %zu, strlen %zu\n", __FILE__, __LINE__, n,
                strlen(out));
    }
    return out;
}

int main(void)
{
    /* a row excerpt: the ID and the G + ID student number */
    CHECK_STR(masked("3434000001,东镇中心小学,孙八,男,340304201205121238,G340304201205121238,小学",
                     512),
              "3434000001,东镇中心小学,孙八,男,340304********1238,G340304********1238,小学");
    CHECK_STR(masked("11010519491231002X", 512), "110105********002X");
    CHECK_STR(masked("53010220130615118x,张", 512), "530102********118x,张");
    CHECK_STR(masked("330106900101001", 512), "330106*****1001");          /* 15 digits */
    CHECK_STR(masked("12345678901234", 512), "12345678901234");            /* 14: no ID */
    CHECK_STR(masked("2021-08-31,500.00,3434000001", 512), "2021-08-31,500.00,3434000001");
    /* digits run together: one run, all but 6 + 4 masked */
    CHECK_STR(masked("340304201205121238340304201503010026", 512),
              "340304**************************0026");
    /* a stray lead byte must not swallow the first digit (found by
     * tests/fuzz/fuzz_id: corpus/id/regress-mask-stray-lead-byte) */
    CHECK_STR(masked("\xcb" "340304201205121238", 512), "\xcb" "340304********1238");
    CHECK_STR(masked("\xcc\xcf\xcb" "201205121238403", 512), "\xcc\xcf\xcb" "201205*****8403");
    /* cut at a character boundary, never in the middle of 张 */
    CHECK_STR(masked("张三", 5), "张");
    CHECK_STR(masked("340304201205121238", 8), "340304*");
    CHECK_STR(masked("", 1), "");
    CHECK(mask_ids_needed("x,340304201205121238,y"));
    CHECK(!mask_ids_needed("x,34030420120512,y"));
    return TEST_DONE();
}
