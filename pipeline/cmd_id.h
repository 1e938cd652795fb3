/* `bidui id`: check resident ID numbers given on the command line or on
 * standard input, and show what each one tells. */
#ifndef BIDUI_CMD_ID_H
#define BIDUI_CMD_ID_H

/* argv[0] is "id"; the remaining arguments are the command's own.
 * Writes results to stdout and diagnostics to stderr; never exits.
 * Returns the exit status: 0 when every ID is valid, 1 when one is not (or
 * reading or writing failed), 2 on a usage error. */
int cmd_id(int argc, char **argv);

#endif
