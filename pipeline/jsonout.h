/* Writing JSON strings (summary.json, manifest.json): quotes, backslashes
 * and control characters escaped; UTF-8 passes through as it is. */
#ifndef BIDUI_JSONOUT_H
#define BIDUI_JSONOUT_H
#include <stdio.h>

void json_str(FILE *f, const char *s);

struct input;
/* The start of an input's object in summary.json and manifest.json:
 * {"path": ..., "kind": "...", and "category": ..., for a registry file. */
void json_input_head(FILE *f, const struct input *in);

#endif
