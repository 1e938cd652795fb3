/* The commands of bidui. Each takes argv with argv[0] its own name and
 * returns the process exit status; none of them exits. */
#ifndef BIDUI_COMMANDS_H
#define BIDUI_COMMANDS_H
int cmd_inspect(int argc, char **argv);
int cmd_compare(int argc, char **argv);
int cmd_id(int argc, char **argv);
int cmd_verify(int argc, char **argv);
int cmd_audit(int argc, char **argv);
#endif
