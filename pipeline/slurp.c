/* See slurp.h. */
#include <libdeflate.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include "slurp.h"

/* A gzip file whose (last) member says it inflates to more than
 * SLURP_MAX: not worth reading whole only to stream it after all. The
 * file position is left at the start. */
static int gzip_too_big(FILE *f)
{
    unsigned char h[2], t[4];
    int big = fread(h, 1, 2, f) == 2 && h[0] == 0x1f && h[1] == 0x8b
              && fseek(f, -4, SEEK_END) == 0 && fread(t, 1, 4, f) == 4
              && ((size_t)t[0] | (size_t)t[1] << 8 | (size_t)t[2] << 16 | (size_t)t[3] << 24)
                     > SLURP_MAX;
    rewind(f);
    return big;
}

static unsigned char *read_all(const char *path, size_t *n)
{
    FILE *f = fopen(path, "rb");
    struct stat st;
    unsigned char *b = NULL;
    if (!f)
        return NULL;
    if (fstat(fileno(f), &st) == 0 && S_ISREG(st.st_mode) && (size_t)st.st_size <= SLURP_MAX
        && !(st.st_size >= 18 && gzip_too_big(f))
        && (b = malloc(st.st_size ? (size_t)st.st_size : 1))) {
        *n = fread(b, 1, (size_t)st.st_size, f);
        /* short (a read error, or the file shrank): the streaming way */
        if (*n != (size_t)st.st_size || ferror(f)) {
            free(b);
            b = NULL;
        }
    }
    fclose(f);
    return b;
}

/* Every gzip member of in, one after the other, into one buffer. */
static unsigned char *inflate_all(const unsigned char *in, size_t in_n, size_t *n)
{
    /* The last member's trailer gives its inflated size (mod 2^32): the
     * whole for the usual single member; the buffer grows for more. */
    size_t cap = (size_t)in[in_n - 4] | (size_t)in[in_n - 3] << 8 | (size_t)in[in_n - 2] << 16
                 | (size_t)in[in_n - 1] << 24;
    cap = cap < 4096 ? 4096 : cap;
    struct libdeflate_decompressor *d = libdeflate_alloc_decompressor();
    unsigned char *o = cap <= SLURP_MAX ? malloc(cap) : NULL;
    size_t at = 0, used = 0;
    int ok = d && o;
    while (ok && at < in_n) {
        size_t got_in = 0, got_out = 0;
        enum libdeflate_result r = libdeflate_gzip_decompress_ex(d, in + at, in_n - at, o + used,
                                                                 cap - used, &got_in, &got_out);
        if (r == LIBDEFLATE_INSUFFICIENT_SPACE && cap < SLURP_MAX) {
            size_t nc = cap * 2 < SLURP_MAX ? cap * 2 : SLURP_MAX;
            unsigned char *g = realloc(o, nc);
            ok = g != NULL;
            if (g) {
                o = g;
                cap = nc;
            }
            continue;
        }
        ok = r == LIBDEFLATE_SUCCESS;
        at += got_in;
        used += got_out;
    }
    libdeflate_free_decompressor(d);
    if (!ok) {
        free(o);
        return NULL;
    }
    *n = used;
    return o;
}

int slurp(const char *path, unsigned char **out, size_t *n, int *gzip)
{
    size_t in_n = 0;
    unsigned char *in = read_all(path, &in_n);
    if (!in)
        return 0;
    *gzip = in_n >= 2 && in[0] == 0x1f && in[1] == 0x8b;
    if (*gzip && in_n < 18) {   /* not even a whole header and trailer: zlib says what */
        free(in);
        return 0;
    }
    if (!*gzip) {
        *out = in;
        *n = in_n;
        return 1;
    }
    *out = inflate_all(in, in_n, n);
    free(in);
    return *out != NULL;
}
