/* `bidui id`: the staff's quick answer to "is this ID usable, and whose is
 * it?" (birth date, sex, issuing province, age on a date), and the same for
 * a whole column piped in, one ID per line, as tab-separated lines for
 * scripts.
 *
 * IDs are printed in full here: the user typed or piped them in and sees
 * only their own input. Nothing here writes an ID to stderr. */
#include "cmd_id.h"
#include "id.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static const char usage_text[] =
    "usage: bidui id [--as-of YYYY-MM-DD] ID...\n"
    "       bidui id [--as-of YYYY-MM-DD] -\n"
    "\n"
    "Checks resident ID numbers (身份证号, GB 11643-1999) and tells what each\n"
    "one says: canonical form, birth date, sex, issuing province, age.\n"
    "Accepted besides 18 plain characters: surrounding spaces, a leading\n"
    "apostrophe, full-width digits, lowercase x, a G student number (G + ID),\n"
    "and 15-digit legacy IDs (converted to 18).\n"
    "\n"
    "  --as-of DATE  age on DATE (YYYY-MM-DD, YYYYMMDD or YYYY/MM/DD) and\n"
    "                births after DATE refused; default: today\n"
    "  -             read one ID per line from standard input and write one\n"
    "                tab-separated line each: input, canonical ID, reason\n"
    "                code (ok when valid), birth date, sex (1 male, 2 female),\n"
    "                province code; the last four empty when not valid\n"
    "  --help        show this help\n"
    "\n"
    "Exit status: 0 all IDs valid, 1 some not valid, 2 usage error.\n";

/* Today's local date as YYYYMMDD, or 0 if the clock cannot be read. */
static int today(void)
{
    time_t t = time(NULL);
    struct tm tm;
    if (t == (time_t)-1 || !localtime_r(&t, &tm))
        return 0;
    return (tm.tm_year + 1900) * 10000 + (tm.tm_mon + 1) * 100 + tm.tm_mday;
}

/* Echoes input without letting it break the line structure: control bytes
 * (tab, NUL, CR, ESC …) become spaces. */
static void put_clean(const char *s, size_t n, FILE *out)
{
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)s[i];
        putc(c < 0x20 || c == 0x7F ? ' ' : c, out);
    }
}

/* One human-readable line for an argument; returns 1 when it is valid. */
static int show_human(const char *arg, int ref, FILE *out)
{
    idnum_t v;
    size_t n = strlen(arg);
    id_reason r = id_canon(arg, n, ref, &v);
    if (r != ID_OK) {
        put_clean(arg, n, out);
        fprintf(out, "  无效: %s (%s)\n", id_reason_zh(r), id_reason_code(r));
        return 0;
    }
    int birth = id_birth(v.id);
    const char *prov = id_province_name(id_province_code(v.id));
    fprintf(out, "%s  出生 %04d-%02d-%02d  %s  %s  %d岁", v.id, birth / 10000, birth / 100 % 100,
            birth % 100, id_sex(v.id) == 1 ? "男" : "女", prov ? prov : "?", id_age_on(birth, ref));
    if (v.flags & ID_F_FROM_STUDENT)
        fputs("  （由学籍号提取）", out);
    if (v.flags & ID_F_CONVERTED15)
        fputs("  （由15位转换）", out);
    putc('\n', out);
    return 1;
}

/* One tab-separated line for an input line; returns 1 when it is valid. */
static int show_tsv(const char *line, size_t n, int ref, FILE *out)
{
    idnum_t v;
    id_reason r = id_canon(line, n, ref, &v);
    put_clean(line, n, out);
    if (r != ID_OK) {
        fprintf(out, "\t\t%s\t\t\t\n", id_reason_code(r));
        return 0;
    }
    int birth = id_birth(v.id);
    fprintf(out, "\t%s\tok\t%04d-%02d-%02d\t%d\t%d\n", v.id, birth / 10000, birth / 100 % 100,
            birth % 100, id_sex(v.id), id_province_code(v.id));
    return 1;
}

/* Reads stdin to the end; returns the exit status. */
static int run_stdin(int ref)
{
    char *line = NULL;
    size_t cap = 0;
    ssize_t len;
    int all_ok = 1, status = 0;
    for (;;) {
        errno = 0;
        len = getline(&line, &cap, stdin);
        if (len < 0)
            break;
        size_t n = (size_t)len;
        if (n > 0 && line[n - 1] == '\n')
            n--;
        if (n > 0 && line[n - 1] == '\r')
            n--;
        if (!show_tsv(line, n, ref, stdout))
            all_ok = 0;
    }
    if (ferror(stdin) || errno == ENOMEM) {
        fprintf(stderr, "bidui id: reading standard input: %s\n", strerror(errno ? errno : EIO));
        status = 1;
    }
    free(line);
    return status ? status : !all_ok;
}

static int usage_error(const char *msg, const char *what)
{
    fprintf(stderr, "bidui id: %s%s\nusage: bidui id [--as-of YYYY-MM-DD] ID... | -\n", msg,
            what ? what : "");
    return 2;
}

int cmd_id(int argc, char **argv)
{
    int ref = 0, nops = 0, from_stdin = 0, opts_done = 0;
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        if (!opts_done && a[0] == '-' && a[1] != '\0') {
            if (strcmp(a, "--") == 0) {
                opts_done = 1;
            } else if (strcmp(a, "--help") == 0 || strcmp(a, "-h") == 0) {
                fputs(usage_text, stdout);
                return fflush(stdout) == 0 ? 0 : 1;
            } else if (strcmp(a, "--as-of") == 0 || strncmp(a, "--as-of=", 8) == 0) {
                const char *val = a[7] == '=' ? a + 8 : (i + 1 < argc ? argv[++i] : NULL);
                if (!val)
                    return usage_error("--as-of needs a date", NULL);
                if (date_parse(val, &ref) != 0)
                    return usage_error("--as-of: not a valid date (YYYY-MM-DD): ", val);
            } else {
                return usage_error("unknown option: ", a);
            }
            continue;
        }
        if (strcmp(a, "-") == 0)
            from_stdin = 1;
        nops++;
    }
    if (nops == 0)
        return usage_error("no ID given", NULL);
    if (from_stdin && nops > 1)
        return usage_error("'-' (read standard input) must be the only ID argument", NULL);
    if (ref == 0 && (ref = today()) == 0) {
        fputs("bidui id: cannot read today's date; give --as-of\n", stderr);
        return 2;
    }

    int status;
    if (from_stdin) {
        status = run_stdin(ref);
    } else {
        int all_ok = 1;
        opts_done = 0;
        for (int i = 1; i < argc; i++) {
            const char *a = argv[i];
            if (!opts_done && a[0] == '-' && a[1] != '\0') {
                if (strcmp(a, "--") == 0)
                    opts_done = 1;
                else if (strcmp(a, "--as-of") == 0)
                    i++;
                continue;
            }
            if (!show_human(a, ref, stdout))
                all_ok = 0;
        }
        status = !all_ok;
    }
    if (fflush(stdout) != 0 || ferror(stdout)) {
        fprintf(stderr, "bidui id: writing output: %s\n", strerror(errno));
        status = 1;
    }
    return status;
}
