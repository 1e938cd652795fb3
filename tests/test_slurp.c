/* Reading a file whole (slurp.c): plain bytes as they are, every gzip
 * member inflated, and "no" (stream it instead) for what libdeflate cannot
 * take whole: a truncated or damaged gzip. */
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>
#include <zlib.h>
#include "slurp.h"
#include "test.h"

static char path[] = "/tmp/bidui_test_slurpXXXXXX";

static void put(const void *b, size_t n)
{
    FILE *f = fopen(path, "wb");
    fwrite(b, 1, n, f);
    fclose(f);
}

/* bytes as one gzip member, into buf; its length */
static size_t gz(const char *s, unsigned char *buf, size_t cap)
{
    z_stream z = {0};
    deflateInit2(&z, 6, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY);
    z.next_in = (unsigned char *)s;
    z.avail_in = (unsigned)strlen(s);
    z.next_out = buf;
    z.avail_out = (unsigned)cap;
    deflate(&z, Z_FINISH);
    size_t n = z.total_out;
    deflateEnd(&z);
    return n;
}

static int load(unsigned char **out, size_t *n, int *g)
{
    *out = NULL;
    return slurp(path, out, n, g);
}

int main(void)
{
    int fd = mkstemp(path);
    CHECK(fd >= 0);
    close(fd);
    unsigned char *out, a[256], b[256], both[512];
    size_t n;
    int g;

    put("id,name\n1,x\n", 12);
    CHECK_INT(load(&out, &n, &g), 1);
    CHECK_INT(g, 0);
    CHECK_INT(n, 12);
    CHECK(out && memcmp(out, "id,name\n1,x\n", 12) == 0);
    free(out);

    put("", 0);   /* an empty file: read whole, nothing in it */
    CHECK_INT(load(&out, &n, &g), 1);
    CHECK_INT(n, 0);
    free(out);

    size_t na = gz("id,name\n1,学生\n", a, sizeof a);
    put(a, na);
    CHECK_INT(load(&out, &n, &g), 1);
    CHECK_INT(g, 1);
    CHECK_INT(n, strlen("id,name\n1,学生\n"));
    CHECK(out && memcmp(out, "id,name\n1,学生\n", n) == 0);
    free(out);

    /* two members (gzip files put end to end): both, in order */
    size_t nb = gz("2,y\n3,z\n", b, sizeof b);
    memcpy(both, a, na);
    memcpy(both + na, b, nb);
    put(both, na + nb);
    CHECK_INT(load(&out, &n, &g), 1);
    CHECK_INT(n, strlen("id,name\n1,学生\n2,y\n3,z\n"));
    CHECK(out && memcmp(out, "id,name\n1,学生\n2,y\n3,z\n", n) == 0);
    free(out);

    /* truncated, damaged, or a header alone: stream it (zlib says where) */
    put(a, na - 5);
    CHECK_INT(load(&out, &n, &g), 0);
    memcpy(both, a, na);
    both[na / 2] ^= 0x55;
    put(both, na);
    CHECK_INT(load(&out, &n, &g), 0);
    put(a, 10);
    CHECK_INT(load(&out, &n, &g), 0);
    /* a good member followed by bytes that are no member */
    memcpy(both, a, na);
    memcpy(both + na, "garbage!garbage!garbage!", 24);
    put(both, na + 24);
    CHECK_INT(load(&out, &n, &g), 0);

    unlink(path);
    CHECK_INT(load(&out, &n, &g), 0);   /* no such file */
    return TEST_DONE();
}
