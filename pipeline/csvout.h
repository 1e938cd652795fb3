/* Writing the lists: CSV that opens right in Excel on Chinese Windows.
 * UTF-8 with a BOM by default (Excel needs the BOM to read UTF-8), or
 * GB18030 without BOM (--output-encoding gbk); CRLF line ends; fields
 * quoted by libcsv only where they need it.
 * A file is created with the mode the caller gives (0600 for files holding
 * full IDs), independent of the umask. Write errors are sticky and reported
 * by csvout_close(), which must be checked. */
#ifndef BIDUI_CSVOUT_H
#define BIDUI_CSVOUT_H
#include <stdio.h>

typedef struct csvout csvout_t;

/* Create (truncate) path with exactly mode, whatever the umask: every list
 * writer starts here so that files with full IDs are never readable by
 * others, not even while they are written. Returns the open fd, or -1
 * (reported, naming the file). */
int file_create(const char *path, int mode);
/* The same as a stdio stream, for the text outputs (summary, manifest).
 * NULL (reported) when it cannot be created. */
FILE *file_create_text(const char *path, int mode);

/* Create path. Returns NULL (reported) when it cannot be created. */
csvout_t *csvout_open(const char *path, int mode, int gbk);
/* Write to an open stream (stdout) that the caller keeps: closing flushes
 * it and reports errors, but does not close it. NULL when out of memory. */
csvout_t *csvout_stream(FILE *f, const char *name, int gbk);
/* One row of n cells (NULL cells are empty). 0, or -1 after a write error. */
int csvout_row(csvout_t *o, const char *const *cells, int n);
/* Flush, fsync-free close; 0, or BIDUI_EIO (reported, naming the file). */
int csvout_close(csvout_t *o);

#endif
