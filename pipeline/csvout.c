#include <csv.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include "encoding.h"
#include "err.h"
#include "csvout.h"

struct csvout {
    FILE *f;
    char *path;
    gbconv_t *gb;     /* non-NULL: write GB18030 */
    int err;
    int borrowed;     /* the stream is the caller's: flush, never close */
    char *buf;        /* the row being written */
    size_t cap;
};

int file_create(const char *path, int mode)
{
    int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, mode);
    if (fd < 0 || fchmod(fd, (mode_t)mode) != 0) {
        log_error("%s: cannot create: %s", path, strerror(errno));
        if (fd >= 0)
            close(fd);
        return -1;
    }
    return fd;
}

FILE *file_create_text(const char *path, int mode)
{
    int fd = file_create(path, mode);
    FILE *f = fd >= 0 ? fdopen(fd, "w") : NULL;
    if (fd >= 0 && !f) {
        log_error("%s: cannot create: %s", path, strerror(errno));
        close(fd);
    }
    return f;
}

csvout_t *csvout_stream(FILE *f, const char *name, int gbk)
{
    csvout_t *o = calloc(1, sizeof *o);
    if (!o || !(o->path = strdup(name)) || (gbk && !(o->gb = gbconv_new_to_gb()))) {
        if (o)
            free(o->path);
        free(o);
        log_error("out of memory");
        return NULL;
    }
    o->f = f;
    o->borrowed = 1;
    if (!gbk && fwrite("\xef\xbb\xbf", 1, 3, o->f) != 3)
        o->err = errno ? errno : EIO;
    return o;
}

csvout_t *csvout_open(const char *path, int mode, int gbk)
{
    csvout_t *o = calloc(1, sizeof *o);
    if (!o || !(o->path = strdup(path))) {
        free(o);
        log_error("out of memory");
        return NULL;
    }
    int fd = file_create(path, mode);
    if (fd < 0 || !(o->f = fdopen(fd, "wb"))) {
        if (fd >= 0) {
            log_error("%s: cannot create: %s", path, strerror(errno));
            close(fd);
        }
        free(o->path);
        free(o);
        return NULL;
    }
    if (gbk && !(o->gb = gbconv_new_to_gb())) {
        log_error("%s: this system's iconv cannot write GB18030", path);
        fclose(o->f);
        free(o->path);
        free(o);
        return NULL;
    }
    if (!gbk && fwrite("\xef\xbb\xbf", 1, 3, o->f) != 3)
        o->err = errno ? errno : EIO;
    return o;
}

/* A field into the row buffer (room for 2n + 2 bytes): as it is, or
 * quoted by libcsv's csv_write (in quotes, quotes doubled) when it holds a
 * comma, quote or line break, or starts or ends with a space (which readers
 * would trim). The row then goes out in one fwrite, not a call a cell. */
static size_t put_field(char *out, const char *s, size_t n)
{
    int quote = n && (s[0] == ' ' || s[n - 1] == ' ' || strcspn(s, ",\"\r\n") < n);
    if (!quote) {
        memcpy(out, s, n);
        return n;
    }
    return csv_write(out, 2 * n + 2, s, n);
}

int csvout_row(csvout_t *o, const char *const *cells, int n)
{
    if (o->err)
        return -1;
    size_t o_len = 0;
    for (int i = 0; i < n; i++) {
        const char *s = cells[i] ? cells[i] : "";
        char *conv = NULL;
        if (o->gb && gbconv_run(o->gb, s, strlen(s), &conv) >= 0)
            s = conv;   /* every UTF-8 text has a GB18030 form */
        size_t len = strlen(s);
        /* worst case: every byte a quote, two quotes, a comma, CRLF */
        if (o_len + 2 * len + 5 > o->cap) {
            size_t nc = o->cap ? o->cap : 4096;
            while (nc < o_len + 2 * len + 5)
                nc *= 2;
            char *b = realloc(o->buf, nc);
            if (!b) {
                o->err = ENOMEM;
                return -1;
            }
            o->buf = b;
            o->cap = nc;
        }
        if (i)
            o->buf[o_len++] = ',';
        o_len += put_field(o->buf + o_len, s, len);
    }
    o->buf[o_len++] = '\r';
    o->buf[o_len++] = '\n';
    if (fwrite(o->buf, 1, o_len, o->f) != o_len)
        o->err = errno ? errno : EIO;
    return o->err ? -1 : 0;
}

int csvout_close(csvout_t *o)
{
    if (!o)
        return BIDUI_EIO;
    int err = o->err;
    if (fflush(o->f) != 0 && !err)
        err = errno ? errno : EIO;
    if (!o->borrowed && fclose(o->f) != 0 && !err)
        err = errno ? errno : EIO;
    if (err)
        log_error("%s: write failed: %s", o->path, strerror(err));
    gbconv_free(o->gb);
    free(o->buf);
    free(o->path);
    free(o);
    return err ? BIDUI_EIO : 0;
}
