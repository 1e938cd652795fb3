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
};

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
    int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, mode);
    if (fd < 0 || fchmod(fd, mode) != 0 || !(o->f = fdopen(fd, "wb"))) {
        log_error("%s: cannot create: %s", path, strerror(errno));
        if (fd >= 0)
            close(fd);
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

static int needs_quotes(const char *s)
{
    if (!*s)
        return 0;
    if (s[0] == ' ' || s[strlen(s) - 1] == ' ')
        return 1;
    return strpbrk(s, ",\"\r\n") != NULL;
}

int csvout_row(csvout_t *o, const char *const *cells, int n)
{
    for (int i = 0; i < n && !o->err; i++) {
        const char *s = cells[i] ? cells[i] : "";
        char *conv = NULL;
        if (o->gb && gbconv_run(o->gb, s, strlen(s), &conv) >= 0)
            s = conv;   /* every UTF-8 text has a GB18030 form */
        if (i && fputc(',', o->f) == EOF)
            o->err = errno ? errno : EIO;
        else if (needs_quotes(s) ? csv_fwrite(o->f, s, strlen(s)) != 0
                                 : fputs(s, o->f) == EOF)
            o->err = errno ? errno : EIO;
    }
    if (!o->err && fputs("\r\n", o->f) == EOF)
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
    free(o->path);
    free(o);
    return err ? BIDUI_EIO : 0;
}
