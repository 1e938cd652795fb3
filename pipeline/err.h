/* Errors and messages.
 *
 * Library code never exits: it reports with log_error() (which names the
 * file and line of the data that caused it where there is one) and returns a
 * negative BIDUI_E* code up to main(), the only place that exits.
 * Programmer errors (a broken invariant) go through BUG(), which prints the
 * source file:line and aborts: they are never the data's fault. */
#ifndef BIDUI_ERR_H
#define BIDUI_ERR_H
#include <stdio.h>

enum {
    BIDUI_OK     = 0,
    BIDUI_EIO    = -2,   /* a file could not be read or written */
    BIDUI_EDATA  = -3,   /* an input cannot be used at all (no ID column, truncated gzip) */
    BIDUI_ENOMEM = -4,   /* out of memory, or the --max-memory cap reached */
    BIDUI_EUSAGE = -5,   /* bad flags */
    BIDUI_ELIMIT = -6    /* a configured limit reached (field length) */
};

/* "bidui: error: <message>\n" on stderr. */
void log_error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* "bidui: warning: <message>\n" on stderr. */
void log_warn(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* "bidui: <message>\n" on stderr unless quiet. */
void log_info(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
extern int log_quiet;
/* Send this thread's messages to f (NULL: stderr again). A thread that
 * reads inputs alongside the main one keeps its messages so, and the main
 * thread prints them when it joins it: stderr then reads in input order,
 * the same on every run. */
void log_capture(FILE *f);

_Noreturn void bug(const char *file, int line, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
#define BUG(...) bug(__FILE__, __LINE__, __VA_ARGS__)

#endif
