/* The run plan that `compare` and `audit` share: their input flags, and
 * loading every input into the model, then the rules and the track.
 *
 *   tracking (--previous) -> resolutions -> registry (建档立卡 first) -> aid
 *   -> province extract -> rosters (the stream) -> second look at rosters
 *   with duplicates -> rules -> track
 *
 * The tables must exist before the stream that probes them, hence the order.
 * In compare (not audit, whose hook wraps every sink) the aid lists load on
 * a second thread beside the registry, and the rosters two files at a time
 * (rosters.c); messages are printed in input order whatever the threads
 * did, and the lists do not depend on which row reached a table first. */
#ifndef BIDUI_PLAN_COMPARE_H
#define BIDUI_PLAN_COMPARE_H
#include <stdio.h>
#include "compare.h"
#include "rules.h"
#include "source.h"
#include "track.h"

typedef struct {
    char *path;
    input_kind kind;
    int cat;                  /* registry only; -1: from the file name */
} spec_t;

typedef struct {
    spec_t *v;
    int n;
} specs_t;

typedef struct {
    int audit;                /* parsing for `audit`: no --out; --id/--school/--township */
    const char *out;
    specs_t specs;
    int as_of, mask, gbk, quiet, stats, csv;
    int split, no_mask;       /* --split, --no-mask (issue 6) */
    int xlsx;                 /* --format xlsx (issue 9) */
    const char *contact;      /* --contact "单位,联系人,电话" for the letters */
    const char *period;
    const char *previous;
    int nresolutions;
    char **ids;               /* audit --id (pointers into argv) */
    int nids;
    const char *school, *township;
    int argc;                 /* the command line, for the manifest */
    char **argv;
    char label[32];           /* this run's period label (track.h) */
    source_opts so;
} copts;

/* Parse the flags into o (o->audit chooses the set). 0; 1 after --help
 * (usage printed); BIDUI_EUSAGE (reported); BIDUI_ENOMEM. */
int compare_parse_flags(int argc, char **argv, copts *o, void (*usage)(FILE *));
void compare_free_opts(copts *o);

typedef struct {
    /* called once the inputs are known, before any is read */
    int (*before_read)(void *ctx, cmp_t *c);
    /* wraps each input's sink (audit's tap); NULL: the sink as it is */
    struct stage *(*wrap)(void *ctx, struct stage *sink);
    void *ctx;
} load_hooks;

/* Load every input, run the rules and the track. r is filled on success
 * and must be freed with results_free() in every case. 0 or BIDUI_E*. */
int compare_load(copts *o, cmp_t *c, track_t *t, results_t *r, const load_hooks *h);

/* --stats timing: seconds on a monotonic clock; stats_phase prints what
 * took since *t0 (when --stats) and restarts *t0. */
double stats_clock(void);
void stats_phase(const copts *o, const char *what, double *t0);

#endif
