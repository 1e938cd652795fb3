#include <dirent.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include "err.h"
#include "plan.h"
#include "stages.h"

static int read_chain(input_t *in, stage_t *sink, const source_opts *o, int ref, int with_id)
{
    chain_t c = {0};
    int rc;
    if ((rc = chain_add(&c, stage_decode_new())) < 0
        || (rc = chain_add(&c, stage_gate_new(in, o->rejects, 0))) < 0
        || (with_id && (rc = chain_add(&c, stage_id_new(o->rejects, ref))) < 0)) {
        if (sink && sink->free)
            sink->free(sink);
        else
            stage_free_default(sink);
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

int plan_expand_path(const char *path, char ***v, int *n)
{
    struct stat st;
    if (stat(path, &st) != 0) {
        log_error("%s: %s", path, strerror(errno));
        return BIDUI_EIO;
    }
    if (!S_ISDIR(st.st_mode))
        return push(v, n, strdup(path));
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
            && !has_suffix(e->d_name, ".CSV") && !has_suffix(e->d_name, ".CSV.GZ"))
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
    if (rc == 0 && *n == first)
        log_warn("%s: folder holds no .csv or .csv.gz file", path);
    return rc;
}
