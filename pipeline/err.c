/* Messages go to stderr with one prefix so that scripts can grep them. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include "err.h"

int log_quiet;
static _Thread_local FILE *log_to;   /* NULL: stderr */

void log_capture(FILE *f) { log_to = f; }

static void vsay(const char *prefix, const char *fmt, va_list ap)
{
    FILE *f = log_to ? log_to : stderr;
    fprintf(f, "bidui: %s", prefix);
    vfprintf(f, fmt, ap);
    fputc('\n', f);
}

void log_error(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsay("error: ", fmt, ap);
    va_end(ap);
}

void log_warn(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsay("warning: ", fmt, ap);
    va_end(ap);
}

void log_info(const char *fmt, ...)
{
    if (log_quiet)
        return;
    va_list ap;
    va_start(ap, fmt);
    vsay("", fmt, ap);
    va_end(ap);
}

void bug(const char *file, int line, const char *fmt, ...)
{
    va_list ap;
    fprintf(stderr, "bidui: BUG at %s:%d: ", file, line);
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fputc('\n', stderr);
    abort();
}
