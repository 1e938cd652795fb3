/* Writing a comparison's results into a folder: every list, the ledger,
 * summary.json and summary.md. The caller gives a fresh folder (the run's
 * temporary one); outputs_publish() then puts it in place in one step. */
#ifndef BIDUI_OUTPUTS_H
#define BIDUI_OUTPUTS_H
#include "compare.h"
#include "rules.h"
#include "track.h"

typedef struct {
    int mask;            /* IDs masked 6+4 in every list */
    int gbk;             /* write GB18030 instead of UTF-8 with BOM */
    int xlsx;            /* --format xlsx: lists as workbooks (tabout.h) */
    const char *period;  /* "2021Q3", "2021" or NULL */
    const track_t *track;/* this run's exceptions against the previous run */
    int split;           /* also by_school/, by_township/, letters/ (split.h) */
    int no_mask;         /* split files with full IDs */
    const char *contact; /* the county's contact for the letters */
} out_opts;

/* Write everything into dir (which exists and is empty); r->shown[] gets
 * the rows each list shows (closed exceptions left out). 0 or BIDUI_E*. */
int outputs_write(const cmp_t *c, results_t *r, const char *dir, const out_opts *o);

/* Replace `final` with the completed folder `tmp` so that `final` holds
 * either the previous complete result or the new one, never a mix: an
 * atomic exchange where the system has it, else rename aside and back.
 * Refuses to replace a non-empty folder that is not a bidui output
 * (no summary.json), so a mistyped --out never deletes someone's files.
 * 0 or BIDUI_EIO (reported). */
int outputs_publish(const char *tmp, const char *final);
/* Clear what runs that were killed (SIGKILL, power loss) left next to
 * final: their DIR.tmp-PID folders are removed, a DIR.old-PID folder (the
 * previous results, moved aside for a swap that never finished) is put
 * back as DIR when DIR is missing, else removed. Only folders of ours
 * whose process is gone; each one is reported. */
void outputs_sweep_stale(const char *final);
/* 1 when dir may be replaced by a run (absent, empty, or a bidui output). */
int outputs_replaceable(const char *dir);
/* Remove a folder of ours and the files in it (no subfolders deeper than one). */
int outputs_remove(const char *dir);

#endif
