/* Quarter to quarter: which exceptions are new, still open, resolved, or
 * closed by a resolution sent back; and the numbering that lets a school's
 * reply find its exception again.
 *
 * An exception's identity is its list and its ID (never a file name, a line
 * or a row order), so it survives re-sorting, renamed inputs and masked
 * lists. Each run writes tracking.csv (full IDs, 0600) with every current
 * exception; the next run reads it with --previous.
 *
 * A resolution (处理结果 filled in by a school or township) closes an
 * exception for as long as its facts stay the same: the fingerprint of the
 * facts that put it on its list (her school for missed, 在校生状况 and the
 * recorded reason for a dropout suspect, …). When they change, the
 * exception is raised again (重新出现). When it disappears from the data,
 * it is resolved (已销号) and its resolution is not carried further.
 *
 * The track owns everything in it (arena, arrays, indexes). */
#ifndef BIDUI_TRACK_H
#define BIDUI_TRACK_H
#include <stdint.h>
#include "compare.h"
#include "idmap.h"
#include "rules.h"

enum { EX_NEW = 0, EX_OPEN, EX_REOPENED, EX_CLOSED, EX__N };
const char *exstate_zh(int s);        /* 新增, 持续, 重新出现, 已处理 */

typedef struct {
    uint64_t key;
    uint8_t  list;                    /* L_* */
    uint8_t  state;                   /* EX_* */
    uint8_t  resolved_now;            /* closed by a resolution read in this run */
    uint8_t  seen;                    /* prev entry found again in this run */
    char     no[32];                  /* 编号, e.g. M2021Q3-00012 */
    const char *first;                /* 首次出现: the period label */
    uint64_t fp;                      /* fingerprint of the facts */
    const char *name;
    const char *result, *rdate, *rsrc;   /* resolution, or NULL */
    const char *why;                  /* resolved.csv: why it is gone */
} exc_t;

typedef struct {
    const char *label;                /* this run: "2021Q3", "2021", or "D20210831" */
    exc_t *prev;                      /* the previous run's exceptions */
    size_t nprev, capprev;
    idmap_t prev_ix[L__N];            /* key -> prev index, per list */
    exc_t *cur;                       /* this run's exceptions, closed ones included */
    size_t ncur, capcur;
    idmap_t cur_ix[L__N];
    size_t *gone;                     /* prev indices no longer present */
    size_t ngone, capgone;
    long delta[L__N][3];              /* new, open, resolved */
    long closed[L__N];
    int has_previous;
    arena_t arena;
    struct no_ix *by_no;              /* 编号 -> prev index (uthash), built on demand */
    int oom;                          /* building by_no ran out of memory */
} track_t;

/* List key ("missed") -> L_*, or -1. */
int list_parse(const char *key);

/* Sinks: an earlier run's tracking.csv, and resolutions sent back. */
struct stage *stage_load_tracking_new(track_t *t, rejects_t *rj);
struct stage *stage_load_resolutions_new(track_t *t, rejects_t *rj);

/* Add an entry of the previous run (copied; strings must live in t->arena
 * or longer). 0 or BIDUI_ENOMEM. */
int track_add_prev(track_t *t, const exc_t *e);
/* The previous run's entry with this 编号, or NULL (also when its index
 * could not be built: t->oom is set then, and the caller fails the run). */
exc_t *track_find_no(track_t *t, const char *no);
/* The previous run's entry of (list, key), or NULL. */
exc_t *track_prev_of(track_t *t, int list, uint64_t key);

/* After the rules: number and classify this run's exceptions against the
 * previous run. 0 or BIDUI_ENOMEM. */
int track_apply(track_t *t, const cmp_t *c, const results_t *r);
/* This run's exception of (list, key), or NULL. */
const exc_t *track_get(const track_t *t, int list, uint64_t key);
void track_free(track_t *t);

#endif
