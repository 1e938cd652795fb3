#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include "csvout.h"
#include "digest.h"
#include "err.h"
#include "jsonout.h"
#include "manifest.h"
#include "version.h"

static int by_name(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

int manifest_list_files(const char *dir, const char *rel, char ***names, size_t *n)
{
    char path[4400];
    snprintf(path, sizeof path, "%s%s%s", dir, *rel ? "/" : "", rel);
    DIR *d = opendir(path);
    if (!d) {
        log_error("%s: cannot list: %s", path, strerror(errno));
        return BIDUI_EIO;
    }
    struct dirent *e;
    int rc = 0;
    while (rc == 0 && (e = readdir(d))) {
        if (e->d_name[0] == '.')
            continue;
        char sub[4400], full[8900];
        snprintf(sub, sizeof sub, "%s%s%s", rel, *rel ? "/" : "", e->d_name);
        snprintf(full, sizeof full, "%s/%s", dir, sub);
        struct stat st;
        if (lstat(full, &st) == 0 && S_ISDIR(st.st_mode)) {
            rc = manifest_list_files(dir, sub, names, n);
            continue;
        }
        char **nv = realloc(*names, (*n + 1) * sizeof *nv);
        if (!nv || !(nv[*n] = strdup(sub))) {
            if (nv)
                *names = nv;
            rc = BIDUI_ENOMEM;
            break;
        }
        *names = nv;
        (*n)++;
    }
    closedir(d);
    if (rc == 0 && !*rel && *n)
        qsort(*names, *n, sizeof **names, by_name);
    return rc;
}

int manifest_write(const char *dir, const cmp_t *c, char (*hex)[65], const uint64_t *size,
                   const manifest_info *mi)
{
    /* the outputs: every file already in the folder and its subfolders
     * (by_school/…), in name order */
    char **names = NULL;
    size_t n = 0;
    int rc = manifest_list_files(dir, "", &names, &n);
    if (rc < 0)
        goto out;

    char path[4200], cwd[4096];
    snprintf(path, sizeof path, "%s/manifest.json", dir);
    FILE *f = file_create_text(path, 0640);
    if (!f) {
        rc = BIDUI_EIO;
        goto out;
    }
    time_t now = time(NULL);
    struct tm tm;
    gmtime_r(&now, &tm);
    char when[32];
    strftime(when, sizeof when, "%Y-%m-%dT%H:%M:%SZ", &tm);
    if (!getcwd(cwd, sizeof cwd))
        snprintf(cwd, sizeof cwd, ".");
    fprintf(f, "{\n  \"bidui_version\": \"%s\",\n  \"run_at\": \"%s\",\n  \"cwd\": ", BIDUI_VERSION, when);
    json_str(f, cwd);
    fprintf(f, ",\n  \"command\": [\"bidui\"");
    for (int i = 0; i < mi->argc; i++) {
        fprintf(f, ", ");
        json_str(f, mi->argv[i]);
    }
    fprintf(f, "],\n  \"period\": ");
    if (mi->period)
        json_str(f, mi->period);
    else
        fprintf(f, "null");
    fprintf(f, ",\n  \"year_end\": %s,\n  \"as_of\": \"%04d-%02d-%02d\",\n  \"inputs\": [\n",
            mi->year_end ? "true" : "false", mi->as_of / 10000, mi->as_of / 100 % 100, mi->as_of % 100);
    for (int i = 0; i < c->ninputs; i++) {
        const input_t *in = c->inputs[i];
        fprintf(f, "    ");
        json_input_head(f, in);
        fprintf(f, "\"size\": %llu, \"sha256\": \"%s\", \"rows\": %ld, "
                   "\"used\": %ld, \"rejected\": %ld}%s\n", (unsigned long long)size[i], hex[i], in->rows_read,
                in->rows_used, in->rows_rejected, i + 1 < c->ninputs ? "," : "");
    }
    fprintf(f, "  ],\n  \"outputs\": [\n");
    for (size_t i = 0; i < n && rc == 0; i++) {
        char h[65], p[4400];
        uint64_t sz;
        snprintf(p, sizeof p, "%s/%s", dir, names[i]);
        if ((rc = sha256_file(p, h, &sz)) < 0)
            break;
        fprintf(f, "    {\"file\": ");
        json_str(f, names[i]);
        fprintf(f, ", \"size\": %llu, \"sha256\": \"%s\"}%s\n", (unsigned long long)sz, h,
                i + 1 < n ? "," : "");
    }
    fprintf(f, "  ]\n}\n");
    if (ferror(f) | (fclose(f) != 0)) {
        log_error("%s: write failed: %s", path, strerror(errno ? errno : EIO));
        rc = BIDUI_EIO;
    }
out:
    for (size_t i = 0; i < n; i++)
        free(names[i]);
    free(names);
    return rc;
}

int manifest_get_str(const char *line, const char *key, char *out, size_t cap)
{
    char pat[64];
    snprintf(pat, sizeof pat, "\"%s\": \"", key);
    const char *p = strstr(line, pat);
    if (!p || cap == 0)
        return -1;
    p += strlen(pat);
    size_t o = 0;
    while (*p && *p != '"' && o + 1 < cap) {
        if (*p == '\\' && p[1] == 'u' && p[2] && p[3] && p[4] && p[5]) {
            out[o++] = (char)strtol((char[]){p[2], p[3], p[4], p[5], 0}, NULL, 16);
            p += 6;
        } else if (*p == '\\' && p[1]) {
            out[o++] = p[1];
            p += 2;
        } else {
            out[o++] = *p++;
        }
    }
    out[o] = 0;
    return 0;
}

int file_changed(const char *path, const struct stat *b)
{
    struct stat a;
    if (stat(path, &a) != 0)
        return 1;
    return a.st_size != b->st_size || a.st_ino != b->st_ino || a.st_dev != b->st_dev
           || a.st_mtim.tv_sec != b->st_mtim.tv_sec || a.st_mtim.tv_nsec != b->st_mtim.tv_nsec;
}
