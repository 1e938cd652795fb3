/* Amounts of money, exact to the fen: parsed from what payment lists carry
 * ("500", "312.50", "1,000.00", "￥625", " 500元 ") into integer fen, and
 * written back as yuan with two decimals. No floating point anywhere: the
 * year-end report adds them up to the fen. */
#ifndef BIDUI_MONEY_H
#define BIDUI_MONEY_H
#include <stddef.h>
#include <stdint.h>

/* 0 and *fen on success; -1 when s is empty, no number, has more than two
 * decimals or is out of range. A leading '-' (a reversal) is accepted. */
int money_parse(const char *s, size_t n, int64_t *fen);
/* "1234.50" into buf (at least 24 bytes); returns buf. */
char *money_format(int64_t fen, char *buf);
/* "1,234.50": with thousands separators, for the Chinese report. */
char *money_format_grouped(int64_t fen, char *buf);

#endif
