/* I/O fault injection for the tests (like jq's tests/inject_errors.c):
 * an LD_PRELOAD library that makes chosen calls of the program fail, so
 * that tests/inject/run.sh can check that every failure ends in a non-zero
 * exit, a message naming the file, and an output folder that holds the
 * previous complete result or nothing.
 *
 *   BIDUI_INJECT="OP:PATTERN[:N][;OP:PATTERN[:N]...]"
 *
 * PATTERN is a substring of the path; N, when given, fails only the N-th
 * matching call (counted per rule), otherwise every matching call fails.
 *   read    reads from a file opened from a matching path fail with EIO
 *           (read(), which zlib's gzread uses, and fread(), which the
 *           digests use)
 *   write   a matching file opened for writing is created as asked, then
 *           its descriptor is pointed at /dev/full: every write that
 *           reaches the system fails with ENOSPC, whichever stdio or
 *           library call made it
 *   close   close() or fclose() of a matching file closes it, then reports
 *           EIO (as NFS does when the data could not be written)
 *   rename  rename(), renameat() or renameat2() with a matching source or
 *           target fails with EIO, moving nothing
 *   unlink  unlink(), unlinkat() or rmdir() of a matching path fails with
 *           EIO, removing nothing
 *   kill    the process gets SIGTERM (BIDUI_INJECT_SIGNAL=INT or HUP for
 *           those) when it opens a matching file for writing or is about to
 *           rename a matching path: a run stopped at that very point (a
 *           rename is matched as "A -> B", so "-> DIR:3" picks the third
 *           rename onto DIR or a name beginning so)
 * With BIDUI_INJECT_LOG set, each injected failure is said on stderr.
 *
 * Only the plain build is tested this way: ASan wants its runtime first in
 * the library order, so LD_PRELOAD does not mix with it. */
#include <dlfcn.h>
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

enum { OP_READ, OP_WRITE, OP_CLOSE, OP_RENAME, OP_UNLINK, OP_KILL, OP__N };
static const char *const OPS[OP__N] = {"read", "write", "close", "rename", "unlink", "kill"};

#define MAX_RULES 8
static struct rule {
    int op;
    char pat[256];
    long nth;       /* 0: every matching call */
    long seen;
} rules[MAX_RULES];
static int nrules = -1;
static pthread_mutex_t mu = PTHREAD_MUTEX_INITIALIZER;

/* What the descriptors opened from matching paths are for (fd < MAXFD). */
#define MAXFD 4096
static unsigned char fd_read[MAXFD], fd_close[MAXFD], fd_full[MAXFD];
static char *fd_path[MAXFD];

static void parse_rules(void)
{
    const char *env = getenv("BIDUI_INJECT");
    nrules = 0;
    if (!env)
        return;
    char buf[2048];
    snprintf(buf, sizeof buf, "%s", env);
    for (char *save = NULL, *tok = strtok_r(buf, ";", &save); tok && nrules < MAX_RULES;
         tok = strtok_r(NULL, ";", &save)) {
        char *colon = strchr(tok, ':');
        if (!colon)
            continue;
        *colon = 0;
        struct rule *r = &rules[nrules];
        r->op = -1;
        for (int k = 0; k < OP__N; k++)
            if (!strcmp(tok, OPS[k]))
                r->op = k;
        if (r->op < 0)
            continue;
        char *pat = colon + 1, *n = strrchr(pat, ':');
        r->nth = 0;
        if (n && n[1] && strspn(n + 1, "0123456789") == strlen(n + 1)) {
            r->nth = atol(n + 1);
            *n = 0;
        }
        snprintf(r->pat, sizeof r->pat, "%s", pat);
        nrules++;
    }
}

/* Whether path matches a rule of op (without counting a call). */
static int matches(int op, const char *path)
{
    pthread_mutex_lock(&mu);
    if (nrules < 0)
        parse_rules();
    int hit = 0;
    for (int i = 0; i < nrules && path; i++)
        if (rules[i].op == op && strstr(path, rules[i].pat))
            hit = 1;
    pthread_mutex_unlock(&mu);
    return hit;
}

/* Count one call of op on path; 1 when it must fail. */
static int fire(int op, const char *path)
{
    pthread_mutex_lock(&mu);
    if (nrules < 0)
        parse_rules();
    int fail = 0;
    for (int i = 0; i < nrules && path; i++) {
        struct rule *r = &rules[i];
        if (r->op != op || !strstr(path, r->pat))
            continue;
        r->seen++;
        if (!r->nth || r->seen == r->nth)
            fail = 1;
    }
    pthread_mutex_unlock(&mu);
    if (fail && getenv("BIDUI_INJECT_LOG"))
        dprintf(2, "inject: %s fails on %s\n", OPS[op], path);
    return fail;
}

#define REAL(name) static __typeof__(name) *real_##name; \
    if (!real_##name) real_##name = (__typeof__(name) *)dlsym(RTLD_NEXT, #name)

static void maybe_kill(const char *path)
{
    if (!matches(OP_KILL, path) || !fire(OP_KILL, path))
        return;
    const char *s = getenv("BIDUI_INJECT_SIGNAL");
    raise(s && !strcmp(s, "INT") ? SIGINT : s && !strcmp(s, "HUP") ? SIGHUP : SIGTERM);
}

/* A descriptor was opened from path with these flags: remember what to do. */
static void track(int fd, const char *path, int flags)
{
    if (fd < 0 || fd >= MAXFD)
        return;
    int writing = (flags & O_ACCMODE) != O_RDONLY;
    pthread_mutex_lock(&mu);
    free(fd_path[fd]);
    fd_path[fd] = strdup(path);
    pthread_mutex_unlock(&mu);
    fd_read[fd] = !writing && matches(OP_READ, path);
    fd_close[fd] = matches(OP_CLOSE, path);
    fd_full[fd] = 0;
    if (writing)
        maybe_kill(path);
    if (writing && matches(OP_WRITE, path) && fire(OP_WRITE, path)) {
        REAL(open);
        int full = real_open("/dev/full", O_WRONLY | O_CLOEXEC);
        if (full >= 0) {
            dup2(full, fd);
            REAL(close);
            real_close(full);
            fd_full[fd] = 1;
        }
    }
}

static const char *path_of(int fd)
{
    return fd >= 0 && fd < MAXFD ? fd_path[fd] : NULL;
}

static int mode_arg(int flags, va_list ap)
{
    return (flags & O_CREAT) || (flags & O_TMPFILE) == O_TMPFILE ? va_arg(ap, int) : 0;
}

int open(const char *path, int flags, ...)
{
    REAL(open);
    va_list ap;
    va_start(ap, flags);
    int mode = mode_arg(flags, ap);
    va_end(ap);
    int fd = real_open(path, flags, mode);
    track(fd, path, flags);
    return fd;
}

int open64(const char *path, int flags, ...)
{
    REAL(open64);
    va_list ap;
    va_start(ap, flags);
    int mode = mode_arg(flags, ap);
    va_end(ap);
    int fd = real_open64(path, flags, mode);
    track(fd, path, flags);
    return fd;
}

int openat(int dirfd, const char *path, int flags, ...)
{
    REAL(openat);
    va_list ap;
    va_start(ap, flags);
    int mode = mode_arg(flags, ap);
    va_end(ap);
    int fd = real_openat(dirfd, path, flags, mode);
    track(fd, path, flags);
    return fd;
}

int __open_2(const char *path, int flags);
int __open_2(const char *path, int flags)
{
    return open(path, flags);
}

int __open64_2(const char *path, int flags);
int __open64_2(const char *path, int flags)
{
    return open64(path, flags);
}

static int fopen_flags(const char *mode)
{
    int plus = strchr(mode, '+') != NULL;
    return mode[0] == 'r' ? (plus ? O_RDWR : O_RDONLY) : (plus ? O_RDWR : O_WRONLY);
}

FILE *fopen(const char *path, const char *mode)
{
    REAL(fopen);
    FILE *f = real_fopen(path, mode);
    if (f)
        track(fileno(f), path, fopen_flags(mode));
    return f;
}

FILE *fopen64(const char *path, const char *mode)
{
    REAL(fopen64);
    FILE *f = real_fopen64(path, mode);
    if (f)
        track(fileno(f), path, fopen_flags(mode));
    return f;
}

ssize_t read(int fd, void *buf, size_t n)
{
    REAL(read);
    if (fd >= 0 && fd < MAXFD && fd_read[fd] && fire(OP_READ, path_of(fd))) {
        errno = EIO;
        return -1;
    }
    return real_read(fd, buf, n);
}

size_t fread(void *buf, size_t size, size_t n, FILE *f)
{
    REAL(fread);
    int fd = fileno(f);
    if (fd >= 0 && fd < MAXFD && fd_read[fd] && fire(OP_READ, path_of(fd))) {
        f->_flags |= 0x0020;    /* glibc's _IO_ERR_SEEN: ferror() is true */
        errno = EIO;
        return 0;
    }
    return real_fread(buf, size, n, f);
}

/* Forget fd; returns whether its close must report a failure. */
static int untrack(int fd)
{
    if (fd < 0 || fd >= MAXFD)
        return 0;
    int fail = fd_close[fd] && fire(OP_CLOSE, path_of(fd));
    pthread_mutex_lock(&mu);
    free(fd_path[fd]);
    fd_path[fd] = NULL;
    pthread_mutex_unlock(&mu);
    fd_read[fd] = fd_close[fd] = fd_full[fd] = 0;
    return fail;
}

int close(int fd)
{
    REAL(close);
    int fail = untrack(fd);
    int rc = real_close(fd);
    if (fail) {
        errno = EIO;
        return -1;
    }
    return rc;
}

int fclose(FILE *f)
{
    REAL(fclose);
    int fail = untrack(fileno(f));
    int rc = real_fclose(f);
    if (fail) {
        errno = EIO;
        return EOF;
    }
    return rc;
}

/* /dev/full is no file of ours: its mode stays as it is. */
int fchmod(int fd, mode_t mode)
{
    REAL(fchmod);
    if (fd >= 0 && fd < MAXFD && fd_full[fd])
        return 0;
    return real_fchmod(fd, mode);
}

static int rename_fails(const char *a, const char *b)
{
    char both[8300];
    snprintf(both, sizeof both, "%s -> %s", a, b);
    maybe_kill(both);   /* "-> B" in a kill rule picks renames onto B */
    if (!(matches(OP_RENAME, a) || matches(OP_RENAME, b)))
        return 0;
    return fire(OP_RENAME, both);
}

int rename(const char *a, const char *b)
{
    REAL(rename);
    if (rename_fails(a, b)) {
        errno = EIO;
        return -1;
    }
    return real_rename(a, b);
}

int renameat(int da, const char *a, int db, const char *b)
{
    REAL(renameat);
    if (rename_fails(a, b)) {
        errno = EIO;
        return -1;
    }
    return real_renameat(da, a, db, b);
}

int renameat2(int da, const char *a, int db, const char *b, unsigned flags)
{
    REAL(renameat2);
    if (rename_fails(a, b)) {
        errno = EIO;
        return -1;
    }
    return real_renameat2(da, a, db, b, flags);
}

int unlink(const char *p)
{
    REAL(unlink);
    if (matches(OP_UNLINK, p) && fire(OP_UNLINK, p)) {
        errno = EIO;
        return -1;
    }
    return real_unlink(p);
}

int unlinkat(int d, const char *p, int flags)
{
    REAL(unlinkat);
    if (matches(OP_UNLINK, p) && fire(OP_UNLINK, p)) {
        errno = EIO;
        return -1;
    }
    return real_unlinkat(d, p, flags);
}

int rmdir(const char *p)
{
    REAL(rmdir);
    if (matches(OP_UNLINK, p) && fire(OP_UNLINK, p)) {
        errno = EIO;
        return -1;
    }
    return real_rmdir(p);
}
