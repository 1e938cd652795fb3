/* A progress line on stderr for long runs: input, percent of its bytes, rows
 * per second. Only when stderr is a terminal (progress_wanted()), so logs and
 * pipes stay clean. */
#ifndef BIDUI_PROGRESS_H
#define BIDUI_PROGRESS_H
#include <stdint.h>

typedef struct progress progress_t;
int  progress_wanted(void);            /* 1 when stderr is a terminal */
/* NULL when out of memory (progress is then simply not shown). */
progress_t *progress_start(const char *label, uint64_t total_bytes);
void progress_update(progress_t *p, uint64_t bytes_done, long rows);
void progress_done(progress_t *p);     /* clears the line and frees p */

#endif
