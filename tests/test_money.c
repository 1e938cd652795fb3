#include "money.h"
#include "test.h"

static long long parse(const char *s)
{
    int64_t fen;
    return money_parse(s, strlen(s), &fen) == 0 ? (long long)fen : -999999;
}

int main(void)
{
    char b[32];
    CHECK_INT(parse("500"), 50000);
    CHECK_INT(parse("312.5"), 31250);
    CHECK_INT(parse("312.50"), 31250);
    CHECK_INT(parse(" 1,000.00 "), 100000);
    CHECK_INT(parse("￥625"), 62500);
    CHECK_INT(parse("¥625.01"), 62501);
    CHECK_INT(parse("500元"), 50000);
    CHECK_INT(parse("-500"), -50000);
    CHECK_INT(parse("0.01"), 1);
    CHECK_INT(parse(".5"), 50);
    CHECK_INT(parse(""), -999999);
    CHECK_INT(parse("abc"), -999999);
    CHECK_INT(parse("1.234"), -999999);      /* no guessing below the fen */
    CHECK_INT(parse("5 00"), -999999);
    CHECK_INT(parse("1.2.3"), -999999);
    CHECK_INT(parse("99999999999999999999"), -999999);
    CHECK_STR(money_format(31250, b), "312.50");
    CHECK_STR(money_format(5, b), "0.05");
    CHECK_STR(money_format(-50000, b), "-500.00");
    CHECK_STR(money_format_grouped(12200000, b), "122,000.00");
    CHECK_STR(money_format_grouped(19081250, b), "190,812.50");
    CHECK_STR(money_format_grouped(99, b), "0.99");
    CHECK_STR(money_format_grouped(-176335000, b), "-1,763,350.00");
    return TEST_DONE();
}
