/* Writing a list as an Excel workbook (.xlsx), through libxlsxwriter: the
 * same shape as csvout, for staff who open the lists in Excel and must not
 * have Excel damage the IDs on the way.
 *
 * The workbook has two sheets:
 *   说明          the caller's explain_text, one line a row: what the list
 *                 is, how many rows, the period, what to do with it;
 *   sheet_title   the list: the first row given is the header (bold, frozen
 *                 so it stays in view), then one row per call.
 * Every cell is written as a text string, so an 18-digit ID stays 18 digits
 * and a school code keeps its leading zeros, except in columns whose header
 * contains 金额: there a cell that is a plain decimal number ("500.00",
 * "312.5") is written as a number shown with two decimals, so that Excel
 * can add the column up. Column widths fit the longest cell, counting a CJK
 * (or other full-width) character as two.
 *
 * Rows are streamed (libxlsxwriter's constant-memory mode: its temporary
 * files are unlinked at once, so they are readable by nobody else). The
 * file is created with the mode the caller gives (0600 for files holding
 * full IDs) before libxlsxwriter writes into it, and set again after.
 * Errors are sticky and reported by xlsxout_close(), which must be checked. */
#ifndef BIDUI_XLSXOUT_H
#define BIDUI_XLSXOUT_H

typedef struct xlsxout xlsxout_t;

/* Create path. sheet_title: the list's sheet name (characters Excel does not
 * allow in sheet names become '_'; cut to 31 characters). explain_text:
 * lines separated by '\n' for the 说明 sheet (NULL: that sheet is empty).
 * Returns NULL (reported) when the file cannot be created. */
xlsxout_t *xlsxout_open(const char *path, int mode, const char *sheet_title,
                        const char *explain_text);
/* One row of n cells (NULL cells are empty); the first call gives the
 * header. 0, or -1 after an error (more rows than Excel holds, a write
 * error); the error is reported by xlsxout_close(). */
int xlsxout_row(xlsxout_t *o, const char *const *cells, int n);
/* The 说明 sheet's text, when xlsxout_open had none (it is known only once
 * the rows are counted): call at most once, before xlsxout_close. */
void xlsxout_explain(xlsxout_t *o, const char *text);
/* Write the workbook out and free o: 0, or BIDUI_EIO (reported, naming the
 * file). o NULL: BIDUI_EIO. */
int xlsxout_close(xlsxout_t *o);

#endif
