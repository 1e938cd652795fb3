/* Read-ahead: zlib's gzread (which inflates gzip input) on its own thread,
 * a few chunks ahead of the parser. For gzip input the inflation then
 * overlaps the parsing instead of adding to it; for plain input it is a
 * copy from the page cache, overlapped the same way.
 *
 * Only the read-ahead thread touches the gzFile between readahead_start and
 * readahead_stop. */
#ifndef BIDUI_READAHEAD_H
#define BIDUI_READAHEAD_H
#include <stdint.h>
#include <zlib.h>

typedef struct readahead readahead_t;

/* Start reading gz in chunks of chunk bytes. NULL when no thread or memory
 * can be had: the caller then reads gz itself. */
readahead_t *readahead_start(gzFile gz, unsigned chunk);
/* The next chunk: *buf (the caller may write into it) stays valid until the
 * next call. Returns its length (> 0); 0 at the end of the data; -1 on a
 * read error. On 0 and -1, *zerr and *msg are what gzerror() said then
 * (Z_OK at a clean end). *direct: gzdirect() (1 for a plain file), known
 * from the first chunk on. *offset: gzoffset() after this chunk. */
int readahead_next(readahead_t *r, unsigned char **buf, int *direct, uint64_t *offset,
                   int *zerr, const char **msg);
/* Stop the thread (also mid-file) and free r; the gzFile is the caller's. */
void readahead_stop(readahead_t *r);

#endif
