#include "input.h"
#include "jsonout.h"

void json_str(FILE *f, const char *s)
{
    fputc('"', f);
    for (; *s; s++) {
        unsigned char ch = (unsigned char)*s;
        if (ch == '"' || ch == '\\')
            fprintf(f, "\\%c", ch);
        else if (ch < 0x20)
            fprintf(f, "\\u%04x", ch);
        else
            fputc(ch, f);
    }
    fputc('"', f);
}

void json_input_head(FILE *f, const input_t *in)
{
    fprintf(f, "{\"path\": ");
    json_str(f, in->path);
    fprintf(f, ", \"kind\": \"%s\", ", kind_name(in->kind));
    if (in->category) {
        fprintf(f, "\"category\": ");
        json_str(f, in->category);
        fprintf(f, ", ");
    }
}
