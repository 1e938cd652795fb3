#include <stdio.h>
#include <stdlib.h>
#include <time.h>
#include <unistd.h>
#include "progress.h"

struct progress {
    const char *label;
    uint64_t total;
    double start, last;
    int drawn;
};

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec + ts.tv_nsec / 1e9;
}

int progress_wanted(void) { return isatty(STDERR_FILENO); }

progress_t *progress_start(const char *label, uint64_t total_bytes)
{
    progress_t *p = calloc(1, sizeof *p);
    if (!p)
        return NULL;
    p->label = label;
    p->total = total_bytes;
    p->start = p->last = now();
    return p;
}

void progress_update(progress_t *p, uint64_t done, long rows)
{
    double t = now();
    /* the first update at once (so a short read shows where it is too),
     * then a few redraws a second */
    if (p->drawn && t - p->last < 0.25)
        return;
    p->drawn = 1;
    p->last = t;
    double rate = rows / (t - p->start > 1e-6 ? t - p->start : 1e-6);
    if (p->total)
        fprintf(stderr, "\r%s  %3d%%  %ld 行  %.0f 行/秒 ", p->label,
                (int)(done * 100 / p->total > 100 ? 100 : done * 100 / p->total), rows, rate);
    else
        fprintf(stderr, "\r%s  %ld 行  %.0f 行/秒 ", p->label, rows, rate);
    fflush(stderr);
}

void progress_done(progress_t *p)
{
    if (!p)
        return;
    if (p->drawn)
        fprintf(stderr, "\r\033[K");
    free(p);
}
