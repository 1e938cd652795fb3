/* bidui (比对): the two-way comparison of student aid for a county
 * education bureau. See README.md; the domain is in ../shared/DOMAIN.md.
 *
 * The driver. Every command reads its inputs through the same chain of
 * stages (pipeline/plan.c), one input file at a time:
 *
 *   file.csv[.gz]                                        stages/
 *      |  source.c: gzread -> BOM/encoding/CRLF -> libcsv, line numbers
 *      v
 *   [decode] -> [gate] -> [id] -> [sink]
 *      |          |        |        |  registry: hold persons   (uthash, key = ID)
 *      |          |        |        |  aid:      hold payments
 *      |          |        |        |  roster:   stream, probe registry + payments,
 *      |          |        |        |            keep the roster's ID set
 *      |          |        |        |  inspect:  count
 *      |          |        +--> rejects (file, line, reason, raw value)
 *      |          +--> title rows skipped; header mapped to canonical columns
 *      +--> GB18030 -> UTF-8, undecodable rows flagged
 *
 *   compare: registry, aid, province, then rosters stream through the
 *   tables; at the end the rules run once over the registry persons and
 *   payments, and every list is written to DIR.tmp and renamed to DIR.
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
