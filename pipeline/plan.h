/* Run plans: how a command turns its inputs into chains and runs them.
 *
 * plan_read() is the one way any command reads an input: it builds the
 * chain source -> decode -> gate -> id -> sink, runs it to the end of the
 * file, checks that the input's account balances, and frees the chain (the
 * sink included: its results must already be where the sink put them). */
#ifndef BIDUI_PLAN_H
#define BIDUI_PLAN_H
#include "input.h"
#include "rejects.h"
#include "source.h"
#include "stage.h"

/* ref_yyyymmdd: IDs born after it are rejected (0: not checked).
 * Returns 0 or a BIDUI_E* code (reported). */
int plan_read(input_t *in, stage_t *sink, const source_opts *o, int ref_yyyymmdd);
/* The same chain without the id stage, for files that identify rows by
 * other means (resolutions sent back with masked IDs and a 编号). */
int plan_read_noid(input_t *in, stage_t *sink, const source_opts *o);

/* Expand a PATH argument into inputs: a CSV file as it is; a workbook into
 * "PATH#SHEET" for each of its sheets (workbook.h); a folder into its .csv,
 * .csv.gz, .xlsx and .xls files in byte order of their names (not
 * recursive), workbooks expanded the same way.
 * Appends strdup'ed paths to *v (count *n). Returns 0, or BIDUI_EIO when the
 * path does not exist or cannot be listed, BIDUI_ENOMEM. */
int plan_expand_path(const char *path, char ***v, int *n);

#endif
