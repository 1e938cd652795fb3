/* manifest.json: what an auditor needs to reproduce a run and to check that
 * a folder is what it produced: each input's path, size, SHA-256 and rows,
 * the full command line, the as-of date, bidui's version, and the SHA-256
 * of every output. The run's date and time appear here and nowhere else,
 * so that every other output is byte-identical between reruns.
 *
 * The layout is fixed, one input or output per line, so that `bidui
 * verify` (and grep) can read it without a JSON library. */
#ifndef BIDUI_MANIFEST_H
#define BIDUI_MANIFEST_H
#include <stddef.h>
#include <stdint.h>
#include <sys/stat.h>
#include "compare.h"

typedef struct {
    int argc;
    char **argv;             /* the command's own argv (argv[0] "compare") */
    const char *period;
    int as_of;
    int year_end;
} manifest_info;

/* Write dir/manifest.json; hex/size are the inputs' digests, in c->inputs
 * order. Every other file already in dir is listed with its digest.
 * 0 or BIDUI_EIO. */
int manifest_write(const char *dir, const cmp_t *c, char (*hex)[65], const uint64_t *size,
                   const manifest_info *mi);

/* Extract the string value of "key" from one manifest line into out (JSON
 * escapes undone). 0, or -1 when the line has no such key. */
int manifest_get_str(const char *line, const char *key, char *out, size_t cap);

/* Append the files below dir/rel (recursively; names relative to dir, like
 * "by_school/x.csv") to *names; sorted when rel is "". 0 or BIDUI_E*. */
int manifest_list_files(const char *dir, const char *rel, char ***names, size_t *n);

/* 1 when the file now differs (size, time, inode) from *before. */
int file_changed(const char *path, const struct stat *before);

#endif
