/* The roster stream of `compare`: the roster files read two at a time, one
 * per core, into the one run, and the second look at the files where
 * duplicated IDs first appear. See rosters.c. */
#ifndef BIDUI_ROSTERS_H
#define BIDUI_ROSTERS_H
#include "compare.h"
#include "source.h"

/* Read the roster inputs c->inputs[first..end) into the run (probe_roster).
 * 0 or the first failing file's BIDUI_E* (in file order). */
int rosters_read(cmp_t *c, const source_opts *so, int first, int end);
/* Capture the first row of every duplicated ID (capture_dups.c), parsing
 * only those lines of those files again. 0 or BIDUI_E*. */
int rosters_second_look(cmp_t *c, const source_opts *so);

#endif
