/* Shared by the libFuzzer targets in tests/fuzz/ (make fuzz).
 *
 * The targets run the library code in-process, thousands of inputs a
 * second, so every one must leave nothing behind: no counted memory
 * (mem_in_use() back to where it was), no file, no folder. An invariant
 * that breaks is a finding: fuzz_fail() prints it and aborts, and libFuzzer
 * keeps the input that did it.
 *
 * Inputs are written to files in one scratch folder (memory-backed
 * /dev/shm when there is one) because the reader takes paths, as it does
 * in a real run. */
#ifndef BIDUI_FUZZ_H
#define BIDUI_FUZZ_H
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <zlib.h>

/* The runner closes stderr (-close_fd_mask=2: every bad input is reported
 * by bidui, which would drown the log); the broken invariant must still be
 * seen, so a copy of stderr is taken before libFuzzer's main() runs. */
static int fuzz_errfd = 2;
__attribute__((constructor)) static void fuzz_keep_stderr(void)
{
    int fd = dup(2);
    if (fd >= 0)
        fuzz_errfd = fd;
}

#define fuzz_fail(...) do { dprintf(fuzz_errfd, "fuzz: invariant broken at %s:%d: ", \
    __FILE__, __LINE__); dprintf(fuzz_errfd, __VA_ARGS__); dprintf(fuzz_errfd, "\n"); \
    abort(); } while (0)

static char fuzz_scratch[64];

/* At exit: the scratch folder and what is in it (one level down). */
static void fuzz_rm_scratch(void)
{
    char cmd[128];
    if (fuzz_scratch[0] && strstr(fuzz_scratch, "/bidui-fuzz-")) {
        snprintf(cmd, sizeof cmd, "rm -rf '%s'", fuzz_scratch);
        if (system(cmd) != 0)
            dprintf(fuzz_errfd, "fuzz: could not remove %s\n", fuzz_scratch);
    }
}

/* The scratch folder of this process, created on first use and removed
 * when the process exits normally (a crash leaves it for a look). */
__attribute__((unused)) static const char *fuzz_dir(void)
{
    if (!fuzz_scratch[0]) {
        const char *base = access("/dev/shm", W_OK) == 0 ? "/dev/shm" : "/tmp";
        snprintf(fuzz_scratch, sizeof fuzz_scratch, "%s/bidui-fuzz-XXXXXX", base);
        if (!mkdtemp(fuzz_scratch))
            fuzz_fail("cannot create a scratch folder");
        atexit(fuzz_rm_scratch);
    }
    return fuzz_scratch;
}

/* Write bytes to dir/name (gzip-compressed when gz); returns the path in a
 * static buffer of 4 (rotating), so a target can hold several at once. */
__attribute__((unused)) static const char *fuzz_file(const char *name, const uint8_t *p, size_t n, int gz)
{
    static char paths[4][256];
    static int k;
    char *path = paths[k++ & 3];
    snprintf(path, sizeof paths[0], "%s/%s", fuzz_dir(), name);
    if (gz) {
        gzFile g = gzopen(path, "wb1");
        if (!g || (n && gzwrite(g, p, (unsigned)n) != (int)n) || gzclose(g) != Z_OK)
            fuzz_fail("cannot write %s", path);
    } else {
        int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0600);
        if (fd < 0 || (n && write(fd, p, n) != (ssize_t)n) || close(fd) != 0)
            fuzz_fail("cannot write %s", path);
    }
    return path;
}

/* 1 when s[0..n) is valid UTF-8 (what every output must be): no overlong
 * forms, no surrogates, nothing above U+10FFFF. Written apart from the
 * code under test on purpose. */
__attribute__((unused)) static int fuzz_utf8(const char *s, size_t n)
{
    const unsigned char *u = (const unsigned char *)s;
    for (size_t i = 0; i < n;) {
        unsigned c = u[i], len = c < 0x80 ? 1 : c >= 0xc2 && c <= 0xdf ? 2
                                 : c >= 0xe0 && c <= 0xef ? 3 : c >= 0xf0 && c <= 0xf4 ? 4 : 0;
        if (!len || i + len > n)
            return 0;
        unsigned long cp = len == 1 ? c : c & (0x7f >> len);
        for (unsigned k = 1; k < len; k++) {
            if ((u[i + k] & 0xc0) != 0x80)
                return 0;
            cp = cp << 6 | (u[i + k] & 0x3f);
        }
        if ((len == 3 && cp < 0x800) || (len == 4 && (cp < 0x10000 || cp > 0x10ffff))
            || (cp >= 0xd800 && cp <= 0xdfff))
            return 0;
        i += len;
    }
    return 1;
}

#endif
