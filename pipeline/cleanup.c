/* See cleanup.h. Everything the handler touches is set up before it is
 * armed; the handler itself allocates nothing and calls no stdio. */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>
#include "cleanup.h"

#define PATHMAX 4096
static char tmp_path[PATHMAX], final_path[PATHMAX], aside_path[PATHMAX];
static volatile sig_atomic_t armed, aside_armed;
static const int SIGNALS[] = {SIGINT, SIGTERM, SIGHUP};

struct linux_dirent64 {
    unsigned long long d_ino;
    long long d_off;
    unsigned short d_reclen;
    unsigned char d_type;
    char d_name[];
};

/* Remove the entries of the folder open at dfd; depth: levels of
 * subfolders still allowed. Async-signal-safe. */
static void clear_dir(int dfd, int depth)
{
    char buf[4096];
    long n;
    /* Deleting while listing may skip entries: list again until empty. */
    for (int pass = 0; pass < 64; pass++) {
        int removed = 0;
        lseek(dfd, 0, SEEK_SET);
        while ((n = syscall(SYS_getdents64, dfd, buf, sizeof buf)) > 0) {
            for (long off = 0; off < n;) {
                struct linux_dirent64 *e = (struct linux_dirent64 *)(buf + off);
                off += e->d_reclen;
                const char *name = e->d_name;
                if (name[0] == '.' && (!name[1] || (name[1] == '.' && !name[2])))
                    continue;
                if (unlinkat(dfd, name, 0) == 0) {
                    removed = 1;
                } else if (depth > 0) {
                    int sub = openat(dfd, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
                    if (sub >= 0) {
                        clear_dir(sub, depth - 1);
                        close(sub);
                    }
                    if (unlinkat(dfd, name, AT_REMOVEDIR) == 0)
                        removed = 1;
                }
            }
        }
        if (!removed)
            break;
    }
}

static void remove_tree(const char *path)
{
    int dfd = open(path, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
    if (dfd < 0)
        return;
    clear_dir(dfd, 2);
    close(dfd);
    rmdir(path);
}

static void on_signal(int sig)
{
    int saved = errno;
    if (aside_armed) {
        if (access(final_path, F_OK) != 0)
            rename(aside_path, final_path);   /* the previous result back in place */
        else
            remove_tree(aside_path);
    }
    if (armed)
        remove_tree(tmp_path);
    armed = aside_armed = 0;
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = SIG_DFL;
    sigaction(sig, &sa, NULL);
    errno = saved;
    raise(sig);   /* delivered when the handler returns: the process ends as it would have */
}

void cleanup_watch(const char *tmp, const char *final)
{
    static int installed;
    size_t a = strlen(tmp), b = strlen(final);
    if (a >= PATHMAX || b >= PATHMAX)
        return;
    armed = aside_armed = 0;
    memcpy(tmp_path, tmp, a + 1);
    memcpy(final_path, final, b + 1);
    if (!installed) {
        struct sigaction sa;
        memset(&sa, 0, sizeof sa);
        sa.sa_handler = on_signal;
        sigfillset(&sa.sa_mask);     /* one cleanup at a time */
        for (size_t i = 0; i < sizeof SIGNALS / sizeof SIGNALS[0]; i++) {
            struct sigaction old;
            /* a signal the caller ignores (nohup) stays ignored */
            if (sigaction(SIGNALS[i], NULL, &old) == 0 && old.sa_handler == SIG_IGN)
                continue;
            sigaction(SIGNALS[i], &sa, NULL);
        }
        installed = 1;
    }
    armed = 1;
}

void cleanup_aside(const char *aside)
{
    size_t n = strlen(aside);
    if (n >= PATHMAX || !armed)
        return;
    aside_armed = 0;
    memcpy(aside_path, aside, n + 1);
    aside_armed = 1;
}

void cleanup_done(void)
{
    armed = aside_armed = 0;
}
