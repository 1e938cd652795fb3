#include "split.h"
#include "test.h"

int main(void)
{
    char b[160];
    CHECK_STR(safe_filename("3434000001_东镇中心小学", b, sizeof b), "3434000001_东镇中心小学");
    CHECK_STR(safe_filename("a/b\\c:d*e?f\"g<h>i|j", b, sizeof b), "a_b_c_d_e_f_g_h_i_j");
    CHECK_STR(safe_filename("line\nbreak\ttab", b, sizeof b), "line_break_tab");
    CHECK_STR(safe_filename("trailing. . ", b, sizeof b), "trailing");
    CHECK_STR(safe_filename("CON", b, sizeof b), "_CON");
    CHECK_STR(safe_filename("nul.txt", b, sizeof b), "_nul.txt");
    CHECK_STR(safe_filename("COM10", b, sizeof b), "COM10");
    CHECK_STR(safe_filename("", b, sizeof b), "_");
    CHECK_STR(safe_filename("...", b, sizeof b), "_");
    /* cut at a character boundary, never inside a Chinese character */
    char longname[400] = "";
    for (int i = 0; i < 60; i++)
        strcat(longname, "学");
    safe_filename(longname, b, sizeof b);
    CHECK_INT(strlen(b), 120);
    safe_filename(longname, b, 10);
    CHECK_STR(b, "学学学");
    return TEST_DONE();
}
