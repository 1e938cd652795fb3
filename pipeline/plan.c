#include <dirent.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include "err.h"
#include "plan.h"
#include "stages.h"
#include "workbook.h"

static int read_chain(input_t *in, stage_t *sink, const source_opts *o, int ref, int with_id)
{
    chain_t c = {0};
    int rc;
    if ((rc = chain_add(&c, stage_decode_new())) < 0
        || (rc = chain_add(&c, stage_gate_new(in, o->rejects, 0))) < 0
        || (with_id && (rc = chain_add(&c, stage_id_new(o->rejects, ref))) < 0)) {
        stage_free(sink);
        chain_free(&c);
        return rc;
    }
    if ((rc = chain_add(&c, sink)) < 0) {
        chain_free(&c);
        return rc;
    }
    rc = source_run(in, &c, o);
    chain_free(&c);
    if (rc == 0 && input_check_account(in) < 0)
        BUG("rows lost in %s", in->path);
    return rc;
}

int plan_read(input_t *in, stage_t *sink, const source_opts *o, int ref)
{
    return read_chain(in, sink, o, ref, 1);
}

int plan_read_noid(input_t *in, stage_t *sink, const source_opts *o)
{
    return read_chain(in, sink, o, 0, 0);
}

static int has_suffix(const char *s, const char *suf)
{
    size_t n = strlen(s), m = strlen(suf);
    return n >= m && strcmp(s + n - m, suf) == 0;
}

static int push(char ***v, int *n, char *s)
{
    if (!s)
        return BIDUI_ENOMEM;
    char **nv = realloc(*v, (*n + 1) * sizeof *nv);
    if (!nv) {
        free(s);
        return BIDUI_ENOMEM;
    }
    nv[(*n)++] = s;
    *v = nv;
    return 0;
}

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* .xlsx or .xls in any case; not Excel's lock file "~$book.xlsx", which
 * only says that someone has the workbook open. */
static int is_workbook_name(const char *name)
{
    size_t k = strlen(name);
    return strncmp(name, "~$", 2) != 0
           && ((k > 5 && strcasecmp(name + k - 5, ".xlsx") == 0)
               || (k > 4 && strcasecmp(name + k - 4, ".xls") == 0));
}

/* Replace each workbook among (*v)[first..*n) by its sheets, in place and in
 * the workbook's order (sorting "book.xlsx#..." would reorder the sheets). */
static int expand_workbooks(char ***v, int *n, int first)
{
    int end = *n, rc = 0;
    char **files = malloc((end - first + 1) * sizeof *files);
    if (!files)
        return BIDUI_ENOMEM;
    memcpy(files, *v + first, (end - first) * sizeof *files);
    *n = first;
    for (int i = 0; i < end - first; i++) {
        if (rc == 0)
            rc = workbook_expand(files[i], v, n);
        free(files[i]);
    }
    free(files);
    return rc;
}

int plan_expand_path(const char *path, char ***v, int *n)
{
    struct stat st;
    if (stat(path, &st) != 0) {
        if (workbook_format(path) != WB_NONE)   /* one sheet: "book.xlsx#Sheet1" */
            return push(v, n, strdup(path));
        log_error("%s: %s", path, strerror(errno));
        return BIDUI_EIO;
    }
    if (!S_ISDIR(st.st_mode))
        return workbook_expand(path, v, n);     /* a workbook: one input per sheet */
    DIR *d = opendir(path);
    if (!d) {
        log_error("%s: cannot list folder: %s", path, strerror(errno));
        return BIDUI_EIO;
    }
    int first = *n, rc = 0;
    struct dirent *e;
    while ((e = readdir(d))) {
        if (e->d_name[0] == '.')
            continue;
        if (!has_suffix(e->d_name, ".csv") && !has_suffix(e->d_name, ".csv.gz")
            && !has_suffix(e->d_name, ".CSV") && !has_suffix(e->d_name, ".CSV.GZ")
            && !is_workbook_name(e->d_name))
            continue;
        char *p;
        if (asprintf(&p, "%s%s%s", path, has_suffix(path, "/") ? "" : "/", e->d_name) < 0)
            p = NULL;
        if ((rc = push(v, n, p)) < 0)
            break;
    }
    closedir(d);
    /* Byte order of names: the same run whatever order the file system lists them. */
    qsort(*v + first, *n - first, sizeof **v, cmp_str);
    if (rc == 0)
        rc = expand_workbooks(v, n, first);
    if (rc == 0 && *n == first)
        log_warn("%s: folder holds no .csv, .csv.gz, .xlsx or .xls file", path);
    return rc;
}
