/* The roster stream, two files at a time.
 *
 * Each of two threads takes the next file, runs its own chain (source,
 * decode, gate, id) and loads through a lock it shares with the other
 * thread (stages/locked.c; probe_roster.c says why the order in which rows
 * arrive does not matter). Each file's messages are kept and printed in
 * file order once both threads are done, up to the first file that failed:
 * stderr is the same on every run. Only the main thread's files show a
 * progress line.
 *
 * The second look (the first rows of duplicated IDs, which the first pass
 * knew only by file and line) goes the same way over the files that hold
 * such rows; its messages were all given by the first look already, so
 * they are shown only for a file that fails now.
 *
 * BIDUI_ROSTER_ORDER=reverse takes the files last first: the lists must
 * not change (tests/e2e/compare_roster_order). */
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include "err.h"
#include "plan.h"
#include "rosters.h"
#include "stages.h"

typedef struct files_job files_job;
struct files_job {
    cmp_t *c;
    const source_opts *so;
    int first, end;           /* the roster inputs: [first, end) */
    int (*read)(files_job *j, int i, const source_opts *so);   /* one file */
    int quiet;                /* show a file's messages only when it fails */
    atomic_int next, stop;
    pthread_mutex_t mu;       /* the run's lock while two threads load */
    int *rc;                  /* per file, from first */
    char **log;
    size_t *loglen;
    atomic_int sized;         /* the ID set has been sized */
    double total_bytes;       /* of all roster files, as stored (stat before reading) */
    int reverse;              /* take the files last first (a test's hook) */
    long **lines;             /* second look: per file, the lines wanted */
    size_t *nlines;
};

/* Size the roster's ID set once, from the first file read: its rows per
 * stored byte times the bytes of all roster files (plain or gzip alike).
 * Growing by doubling from small would rehash it again and again and
 * clear twice the memory. Not under --max-memory: an estimate must not be
 * what reaches the limit. */
static void size_roster_ids(files_job *j, const input_t *done)
{
    if (mem_cap() || done->bytes == 0 || done->rows_read < 100 || atomic_exchange(&j->sized, 1))
        return;
    double rows = j->total_bytes * (double)done->rows_read / (double)done->bytes;
    pthread_mutex_lock(&j->mu);
    idmap_reserve(&j->c->roster_ids, (size_t)rows);   /* if refused, it grows */
    pthread_mutex_unlock(&j->mu);
}

static void each_file(files_job *j, int progress)
{
    while (!atomic_load(&j->stop)) {
        int i = atomic_fetch_add(&j->next, 1);
        if (i >= j->end)
            break;
        if (j->reverse)
            i = j->first + j->end - 1 - i;
        int k = i - j->first;
        FILE *f = open_memstream(&j->log[k], &j->loglen[k]);
        log_capture(f);
        source_opts so = *j->so;
        so.progress = so.progress && progress;
        j->rc[k] = j->read(j, i, &so);
        log_capture(NULL);
        if (f)
            fclose(f);
        if (j->rc[k] < 0)
            atomic_store(&j->stop, 1);
    }
}

static void *files_thread(void *arg)
{
    each_file(arg, 0);
    return NULL;
}

static int run_files(files_job *j)
{
    int n = j->end - j->first, rc = 0;
    const char *order = getenv("BIDUI_ROSTER_ORDER");
    j->reverse = order && !strcmp(order, "reverse");
    atomic_init(&j->next, j->first);
    atomic_init(&j->stop, 0);
    atomic_init(&j->sized, 0);
    j->rc = calloc((size_t)n + 1, sizeof *j->rc);
    j->log = calloc((size_t)n + 1, sizeof *j->log);
    j->loglen = calloc((size_t)n + 1, sizeof *j->loglen);
    if (!j->rc || !j->log || !j->loglen) {
        free(j->rc);
        free(j->log);
        free(j->loglen);
        return BIDUI_ENOMEM;
    }
    pthread_mutex_init(&j->mu, NULL);
    pthread_t th;
    int two = pthread_create(&th, NULL, files_thread, j) == 0;
    each_file(j, 1);
    if (two)
        pthread_join(th, NULL);
    for (int k = 0; k < n; k++) {
        if (rc == 0 && j->log[k] && (!j->quiet || j->rc[k] < 0))
            fwrite(j->log[k], 1, j->loglen[k], stderr);
        if (rc == 0 && j->rc[k] < 0)
            rc = j->rc[k];
        free(j->log[k]);
    }
    pthread_mutex_destroy(&j->mu);
    free(j->rc);
    free(j->log);
    free(j->loglen);
    return rc;
}

static int first_look(files_job *j, int i, const source_opts *so)
{
    stage_t *sink = stage_locked_new(stage_probe_roster_new(j->c), &j->mu);
    int rc = plan_read(j->c->inputs[i], sink, so, j->c->birth_ref);
    if (rc == 0)
        size_roster_ids(j, j->c->inputs[i]);
    return rc;
}

int rosters_read(cmp_t *c, const source_opts *so, int first, int end)
{
    files_job j = {.c = c, .so = so, .first = first, .end = end, .read = first_look};
    /* the sizes from the file system, now: once the threads run, each
     * input's fields are its reader's */
    struct stat st;
    for (int i = first; i < end; i++)
        if (stat(c->inputs[i]->path, &st) == 0)
            j.total_bytes += (double)st.st_size;
    return run_files(&j);
}

static int second_look(files_job *j, int f, const source_opts *so)
{
    cmp_t *c = j->c;
    long *lines = j->lines[f - j->first];
    size_t nl = j->nlines[f - j->first];
    if (!nl)
        return 0;
    /* A scratch input and rejects: this look must not count rows twice. */
    input_t *in = input_new(c->inputs[f]->path, KIND_ROSTER, NULL, f);
    rejects_t scratch = {0};
    source_opts o = *so;
    o.rejects = &scratch;
    o.progress = 0;
    o.keep_lines = lines;
    o.nkeep = nl;
    /* the encoding the first look found, whatever the few rows say */
    o.encoding = c->inputs[f]->encoding;
    int rc = in ? plan_read(in, stage_locked_new(stage_capture_dups_new(c), &j->mu), &o,
                            c->birth_ref)
                : BIDUI_ENOMEM;
    rejects_free(&scratch);
    input_free(in);
    return rc;
}

static int cmp_long(const void *x, const void *y)
{
    long a = *(const long *)x, b = *(const long *)y;
    return a < b ? -1 : a > b;
}

int rosters_second_look(cmp_t *c, const source_opts *so)
{
    /* The files and lines of the first rows of duplicated IDs (the in-
     * stream captures are the other rows): only those lines of those files
     * are parsed again (source_opts.keep_lines). */
    int first = c->ninputs, end = 0, rc = 0;
    for (size_t i = 0; i < c->ndups; i++) {
        int f = (int)ROSTER_FILE(*idmap_get(&c->roster_ids, c->dups[i].key));
        first = f < first ? f : first;
        end = f + 1 > end ? f + 1 : end;
    }
    if (first >= end)
        return 0;
    files_job j = {.c = c, .so = so, .first = first, .end = end, .read = second_look,
                   .quiet = 1};
    j.lines = calloc((size_t)(end - first), sizeof *j.lines);
    j.nlines = calloc((size_t)(end - first), sizeof *j.nlines);
    size_t *cap = calloc((size_t)(end - first), sizeof *cap);
    if (!j.lines || !j.nlines || !cap)
        rc = BIDUI_ENOMEM;
    for (size_t i = 0; i < c->ndups && rc == 0; i++) {
        uint64_t v = *idmap_get(&c->roster_ids, c->dups[i].key);
        int k = (int)ROSTER_FILE(v) - first;
        if (mem_grow((void **)&j.lines[k], &cap[k], j.nlines[k] + 1, sizeof(long)) < 0)
            rc = BIDUI_ENOMEM;
        else
            j.lines[k][j.nlines[k]++] = ROSTER_LINE(v);
    }
    for (int k = 0; k < end - first && rc == 0; k++)
        if (j.nlines[k])
            qsort(j.lines[k], j.nlines[k], sizeof(long), cmp_long);
    if (rc == 0)
        rc = run_files(&j);
    for (int k = 0; j.lines && k < end - first; k++)
        mem_free(j.lines[k], cap[k] * sizeof(long));
    free(j.lines);
    free(j.nlines);
    free(cap);
    return rc;
}
