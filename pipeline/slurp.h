/* Reading an input whole, inflating gzip with libdeflate.
 *
 * A CSV export is a few MB to a few hundred MB. Read at once (one read
 * call, no read-ahead thread, no chunk hand-over) it parses faster than
 * streamed; and gzip inflates two to three times faster with libdeflate,
 * which inflates a whole buffer at once, than with zlib's streaming
 * gzread (about 350 MB/s here). So a file whose bytes, inflated, are at
 * most SLURP_MAX is read whole and handed to the parser in chunks from
 * memory. Anything else (a larger file, a damaged or truncated gzip, a
 * read error, no memory) goes the streaming zlib way, which also names
 * the line where damage starts. */
#ifndef BIDUI_SLURP_H
#define BIDUI_SLURP_H
#include <stddef.h>

#define SLURP_MAX ((size_t)256 << 20)

/* Read the file at path whole. 1: *out (malloc'd, the caller frees) holds
 * its *n bytes, inflated when *gzip; 0: not done: stream it instead. */
int slurp(const char *path, unsigned char **out, size_t *n, int *gzip);

#endif
