/* The source: reads one input file from its first byte to its last and
 * pushes every row, as a record, through a chain of stages.
 *
 *   file --gzread--> bytes --(BOM strip, encoding/CRLF detection)--> libcsv
 *        --> record {fields, file, line} --> chain_push(...)
 *
 * One path serves plain and gzip files (zlib's gzread passes plain files
 * through unchanged). Line numbers are physical lines of the file: bytes are
 * fed to libcsv a line at a time, so the line where each row starts is known
 * exactly, also for rows with quoted line breaks. */
#ifndef BIDUI_SOURCE_H
#define BIDUI_SOURCE_H
#include <stddef.h>
#include "input.h"
#include "rejects.h"
#include "stage.h"

typedef struct {
    encoding_t encoding;     /* ENC_AUTO: decide from the bytes */
    size_t     max_field;    /* longest field in bytes (0: default 4 MiB) */
    rejects_t *rejects;      /* where rows the source cannot give whole go */
    int        progress;     /* 1: a progress line on stderr (a terminal) */
    /* When set: below the header, only the rows that start on these
     * physical lines (ascending) are parsed and pushed; other lines are
     * skipped unparsed when that cannot change what follows (they hold no
     * quote). For a second look at a few rows of a big file. */
    const long *keep_lines;
    size_t     nkeep;
} source_opts;

/* Read in->path to its end through chain, then chain_end(). A workbook
 * (by its first bytes, or a "FILE#SHEET" path) is handed to workbook_run().
 * Returns 0; or BIDUI_EIO when the file cannot be opened or read (including a
 * truncated gzip stream), BIDUI_EDATA when it is no CSV text at all (binary,
 * UTF-16, a gzip inside a gzip, a workbook inside gzip), BIDUI_ENOMEM, or the
 * first error a stage returned. Every failure has been reported naming the file (and line). */
int source_run(input_t *in, chain_t *chain, const source_opts *o);

#endif
