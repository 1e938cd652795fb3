/* No personal data left behind when a run is stopped by a signal.
 *
 * compare writes its results into DIR.tmp-PID (mode 0700) and then swaps
 * it in for DIR (outputs_publish). A run that fails removes that folder
 * itself; a run stopped by SIGINT (Ctrl-C), SIGTERM or SIGHUP would leave
 * it behind, full IDs and all, and a run stopped between the two renames
 * of the fallback swap would leave DIR missing and the previous result
 * under DIR.old-PID. While a folder is watched, a handler for those
 * signals puts things right and then lets the signal end the process as
 * it would have:
 *   - DIR.old-PID is renamed back to DIR when DIR is missing, otherwise
 *     removed (the new result is in place);
 *   - DIR.tmp-PID is removed with the files in it (one level of
 *     subfolders: by_school/ …).
 *
 * DECISION: the handler cleans up itself rather than setting a flag for
 * the run to notice: the run may be blocked for minutes in a read from a
 * network share or in a long loop with no place that polls, and a flag
 * would need every loop to check it. The handler uses only calls that are
 * async-signal-safe (open, getdents64, unlinkat, rename, close, sigaction,
 * raise) on paths prepared before it is armed; the hasher thread blocks
 * these signals, so the handler runs on the thread that writes the
 * folder, never beside it.
 * SIGKILL and power loss cannot be caught: the next run into the same DIR
 * removes what a dead run left (outputs_sweep_stale). */
#ifndef BIDUI_CLEANUP_H
#define BIDUI_CLEANUP_H

/* Watch tmp (the run's temporary folder) for final (DIR). Installs the
 * handlers on first use. Paths longer than 4095 bytes are not watched. */
void cleanup_watch(const char *tmp, const char *final);
/* The previous result is about to move to aside while final is replaced. */
void cleanup_aside(const char *aside);
/* Nothing to clean any more (published, or removed by the run itself). */
void cleanup_done(void);

#endif
