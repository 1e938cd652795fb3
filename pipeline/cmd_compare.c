/* bidui compare: the two-way comparison (双向比对) and every list it owes
 * the bureau. The interface is a contract (issue 4): extend, never rename.
 *
 * Plan: registry inputs -> held persons; aid inputs -> held payments;
 * province extract -> probes of the persons; rosters stream through the
 * tables; a second look at the roster files where duplicated IDs first
 * appear; the rules; every output into DIR.tmp-PID; then DIR replaced in
 * one step. A failure anywhere leaves DIR as it was. */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>
#include "cleanup.h"
#include "commands.h"
#include "compare.h"
#include "err.h"
#include "id.h"
#include "outputs.h"
#include "plan.h"
#include "plan_compare.h"
#include "progress.h"
#include "rules.h"
#include "stages.h"
#include "track.h"
#include "digest.h"
#include "manifest.h"
#include "workbook.h"

static void usage(FILE *f)
{
    fprintf(f,
"usage: bidui compare --out DIR\n"
"         --registry [CATEGORY=]PATH ...  CATEGORY: 建档立卡 (default), 监测, 低保, 特困, 孤儿, 残疾\n"
"         --roster PATH ...               county school rosters\n"
"         --aid PATH ...                  aid payment lists of this period\n"
"         [--province-roster PATH ...]    province-wide student-status extract\n"
"         [--period YYYYQn | YYYY]        quarter, or the year-end comparison\n"
"         [--as-of YYYY-MM-DD]            reference date for ages (default: the 31 August\n"
"                                         that opens the school year of --period)\n"
"         [--mask]                        IDs in all lists masked 6+4\n"
"         [--previous DIR]                an earlier run's output folder: new / open / resolved\n"
"         [--resolutions PATH ...]        lists sent back with 处理结果 filled in\n"
"         [--split [--no-mask] [--contact \"单位,联系人,电话\"]]\n"
"                                         also by_school/, by_township/ and letters/\n"
"         [--province-replies PATH ...]   the letters, filled in by other provinces\n"
"         [--format csv|xlsx]             lists as CSV (default) or Excel workbooks\n"
"         [--output-encoding utf-8|gbk]   lists in UTF-8 with BOM (default) or GBK\n"
"         [--encoding auto|utf-8|gbk]     force the encoding of every input\n"
"         [--max-field BYTES] [--max-memory MIB] [--quiet] [--stats]\n"
"PATH is a .csv, .csv.gz, .xlsx or .xls file (one sheet: FILE.xlsx#SHEET), or a folder\n"
"(its .csv, .csv.gz, .xlsx and .xls files, in name\n"
"order). Without CATEGORY= a registry file named after a category (低保.csv) is that\n"
"category. With no inputs at all, runs on the synthetic county in fixtures/county.\n");
}


static int year_end(const copts *o) { return o->period && strlen(o->period) == 4; }

/* The inputs' digests, and whether any input changed while it was read:
 * the year-end comparison refuses such a run (its ledger must be
 * reproducible from the files the manifest names); a quarterly one warns. */
static int check_inputs(const copts *o, const cmp_t *c, hasher_t **hasher, char **paths,
                        const struct stat *st, char (*hex)[65], uint64_t *sizes)
{
    int rc = 0;
    if (*hasher) {
        rc = hasher_join(*hasher, hex, sizes);
        *hasher = NULL;
    } else {
        for (int i = 0; i < c->ninputs && rc == 0; i++)
            rc = sha256_file(paths[i], hex[i], &sizes[i]);
    }
    if (rc < 0)
        return rc;
    for (int i = 0; i < c->ninputs; i++) {
        if (!file_changed(paths[i], &st[i]) && sizes[i] == (uint64_t)st[i].st_size)
            continue;
        if (year_end(o)) {
            log_error("%s: changed while the year-end comparison read it; run again once the "
                      "file is final", paths[i]);
            return BIDUI_EDATA;
        }
        log_warn("%s: changed while it was read; the manifest's digest may not match what "
                 "was compared", paths[i]);
    }
    return 0;
}


/* What compare does before the inputs are read: remember what each input
 * is now (to notice a file changed while it is read) and start hashing
 * them on the second core. */
typedef struct {
    struct stat *st;
    char **paths;
    char (*hex)[65];
    uint64_t *sizes;
    hasher_t *hasher;
    int n;
} prep_t;

static int before_read(void *ctx, cmp_t *c)
{
    prep_t *p = ctx;
    int n = c->ninputs ? c->ninputs : 1;
    p->n = c->ninputs;
    p->st = calloc(n, sizeof *p->st);
    p->paths = calloc(n, sizeof *p->paths);
    p->hex = calloc(n, sizeof *p->hex);
    p->sizes = calloc(n, sizeof *p->sizes);
    if (!p->st || !p->paths || !p->hex || !p->sizes)
        return BIDUI_ENOMEM;
    for (int i = 0; i < c->ninputs; i++) {
        /* A sheet of a workbook ("book.xlsx#Sheet1"): the file's digest. */
        if (!(p->paths[i] = workbook_file(c->inputs[i]->path)))
            return BIDUI_ENOMEM;
        if (stat(p->paths[i], &p->st[i]) != 0)
            memset(&p->st[i], 0, sizeof p->st[i]);   /* reading it will say why */
    }
    p->hasher = hasher_start(p->paths, c->ninputs);
    return 0;
}

static void prep_free(prep_t *p)
{
    if (p->hasher) {   /* a failed run still waits for its thread */
        char (*h)[65] = calloc(p->n ? p->n : 1, sizeof *h);
        uint64_t *z = calloc(p->n ? p->n : 1, sizeof *z);
        if (h && z)
            hasher_join(p->hasher, h, z);
        free(h);
        free(z);
    }
    free(p->st);
    for (int i = 0; p->paths && i < p->n; i++)
        free(p->paths[i]);
    free(p->paths);
    free(p->hex);
    free(p->sizes);
}

static int run(copts *o, cmp_t *c, track_t *t)
{
    /* "out/" (a shell's completion) is "out": DIR.tmp-PID must be beside
     * DIR, not inside it, or DIR can never be swapped. */
    static char out[4096];
    size_t n = strlen(o->out);
    while (n > 1 && o->out[n - 1] == '/')
        n--;
    snprintf(out, sizeof out, "%.*s", (int)n, o->out);
    o->out = out;
    outputs_sweep_stale(o->out);   /* what a killed run left, before DIR is judged */
    if (!outputs_replaceable(o->out)) {
        log_error("%s: exists and is not a bidui output folder (no summary.json); "
                  "choose another --out", o->out);
        return BIDUI_EUSAGE;
    }
    prep_t p = {0};
    load_hooks h = {.before_read = before_read, .ctx = &p};
    results_t r;
    int rc = compare_load(o, c, t, &r, &h);
    if (rc < 0) {
        results_free(&r);
        prep_free(&p);
        return rc;
    }
    double t0 = stats_clock();
    char tmp[4200];
    snprintf(tmp, sizeof tmp, "%s.tmp-%ld", o->out, (long)getpid());
    outputs_remove(tmp);
    if (mkdir(tmp, 0700) != 0) {
        log_error("%s: cannot create the output folder: %m", tmp);
        rc = BIDUI_EIO;
    } else {
        cleanup_watch(tmp, o->out);   /* a signal from now on removes tmp (cleanup.h) */
        out_opts oo = {.mask = o->mask, .gbk = o->gbk, .period = o->period, .track = t,
                       .split = o->split, .no_mask = o->no_mask, .contact = o->contact,
                       .xlsx = o->xlsx};
        rc = outputs_write(c, &r, tmp, &oo);
        stats_phase(o, "write outputs", &t0);
        if (rc == 0)
            rc = check_inputs(o, c, &p.hasher, p.paths, p.st, p.hex, p.sizes);
        stats_phase(o, "wait for input digests", &t0);
        manifest_info mi = {.argc = o->argc, .argv = o->argv, .period = o->period,
                            .as_of = o->as_of, .year_end = year_end(o)};
        if (rc == 0)
            rc = manifest_write(tmp, c, p.hex, p.sizes, &mi);
        if (rc == 0)
            rc = outputs_publish(tmp, o->out);
        if (rc < 0 && outputs_remove(tmp) != 0)
            log_warn("%s: the unfinished results could not be removed (%s): remove the folder "
                     "by hand, it holds full IDs", tmp, strerror(errno));
        cleanup_done();
        stats_phase(o, "manifest and publish", &t0);
    }
    if (rc == 0 && !o->quiet) {
        printf("比对完成：%s\n", o->out);
        for (int l = 0; l < L__N; l++)
            printf("  %-24s %-20s %zu\n", list_file(l), list_zh(l), r.shown[l]);
    }
    results_free(&r);
    prep_free(&p);
    return rc;
}

int cmd_compare(int argc, char **argv)
{
    copts o = {0};
    cmp_t c = {0};
    track_t t = {0};
    o.argc = argc;
    o.argv = argv;
    int rc = compare_parse_flags(argc, argv, &o, usage);
    if (rc == 0)
        rc = run(&o, &c, &t);
    track_free(&t);
    cmp_free(&c);
    compare_free_opts(&o);
    if (rc == 1)
        return 0;   /* --help */
    if (rc == BIDUI_EUSAGE)
        return 2;
    return rc < 0 ? 1 : 0;
}
