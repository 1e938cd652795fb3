/* bidui (比对): the two-way comparison of student aid for a county
 * education bureau. See README.md; the domain is in ../shared/DOMAIN.md.
 *
 * The driver. Every command reads its inputs through the same chain of
 * stages (pipeline/plan.c), one chain per input file:
 *
 *   file.csv[.gz]                                        stages/
 *      |  source.c: read whole (slurp.c, libdeflate) or stream (zlib) ->
 *      |            BOM/encoding/CRLF -> own splitter or libcsv, line numbers
 *      v
 *   [decode] -> [gate] -> [id] -> [sink]
 *      |          |        |        |  registry: hold persons   (idmap, key = ID)
 *      |          |        |        |  aid:      hold payments
 *      |          |        |        |  roster:   stream, probe registry + payments,
 *      |          |        |        |            keep the roster's ID set
 *      |          |        |        |  inspect:  count
 *      |          |        +--> rejects (file, line, reason, raw value)
 *      |          +--> title rows skipped; header mapped to canonical columns
 *      +--> GB18030 -> UTF-8, undecodable rows flagged
 *
 *   compare, on the machine's two cores (plan_compare.c):
 *     core 1: registry files in order   | core 2: aid files   (different tables)
 *     province extract (its sink on core 2: stages/async.c)
 *     rosters two files at a time, one chain per core, one locked sink
 *       (rosters.c, stages/locked.c), then the second look at duplicates
 *     core 1: the rules                 | core 2: the ledger's household sort
 *     core 1: the lists                 | core 2: the ledger
 *   and all along, at low priority, SHA-256 of the inputs (digest.c).
 *   Every list is written to DIR.tmp and renamed to DIR. Order never shows:
 *   the same inputs give the same bytes (tests/e2e/compare_roster_order).
 *
 * Only main() exits; commands return their exit status. */
#include <errno.h>
#include <locale.h>
#include <stdio.h>
#include <string.h>
#include "commands.h"
#include "err.h"
#include "version.h"

static const struct {
    const char *name;
    int (*run)(int, char **);
    const char *help;
} COMMANDS[] = {
    {"compare", cmd_compare, "run the two-way comparison and write every list"},
    {"inspect", cmd_inspect, "show how bidui reads export files (encoding, header, rejects)"},
    {"id", cmd_id, "check resident ID numbers: canonical form, reason, birth, sex, province"},
    {"verify", cmd_verify, "check that an output folder is what its run produced (manifest.json)"},
    {"audit", cmd_audit, "everything about a child, a school or a township"},
};

static void usage(FILE *f)
{
    fprintf(f, "bidui %s: two-way comparison of student aid (双向比对)\n\n"
               "usage: bidui COMMAND [options]\n\n", BIDUI_VERSION);
    for (size_t i = 0; i < sizeof COMMANDS / sizeof COMMANDS[0]; i++)
        fprintf(f, "  %-8s %s\n", COMMANDS[i].name, COMMANDS[i].help);
    fprintf(f, "\n'bidui COMMAND --help' for a command's options.\n");
}

int main(int argc, char **argv)
{
    /* Outputs must not depend on the user's locale (sorting, number format). */
    setlocale(LC_ALL, "C");
    if (argc < 2 || !strcmp(argv[1], "--help") || !strcmp(argv[1], "-h")) {
        usage(argc < 2 ? stderr : stdout);
        return argc < 2 ? 2 : 0;
    }
    if (!strcmp(argv[1], "--version")) {
        printf("bidui %s\n", BIDUI_VERSION);
        return 0;
    }
    for (size_t i = 0; i < sizeof COMMANDS / sizeof COMMANDS[0]; i++)
        if (!strcmp(argv[1], COMMANDS[i].name)) {
            int rc = COMMANDS[i].run(argc - 1, argv + 1);
            /* What a command printed must have arrived (a full disk, a
             * closed pipe): inspect, id, audit and verify answer there. */
            if (fflush(stdout) != 0 || ferror(stdout)) {
                log_error("standard output: write failed: %s", strerror(errno ? errno : EIO));
                return rc ? rc : 1;
            }
            return rc;
        }
    fprintf(stderr, "bidui: unknown command '%s'\n\n", argv[1]);
    usage(stderr);
    return 2;
}
