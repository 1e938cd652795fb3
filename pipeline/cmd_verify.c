/* bidui verify DIR: is this folder what the run in its manifest produced?
 * Recomputes the SHA-256 of every input the manifest names (paths as given
 * then, from the folder the run was started in) and of every output, and
 * says plainly what differs. Exit 0 when everything matches, 1 otherwise. */
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "commands.h"
#include "digest.h"
#include "err.h"
#include "manifest.h"

static int check_one(const char *label, const char *path, const char *shown, const char *want,
                     int *bad)
{
    char got[65];
    uint64_t size;
    FILE *probe = fopen(path, "rb");
    if (!probe) {
        printf("缺失  %s %s: %s\n", label, shown, strerror(errno));
        (*bad)++;
        return 0;
    }
    fclose(probe);
    if (sha256_file(path, got, &size) < 0) {
        (*bad)++;
        return 0;
    }
    if (strcmp(got, want) != 0) {
        printf("不符  %s %s: SHA-256 %s，manifest.json 记录为 %s\n", label, shown, got, want);
        (*bad)++;
    } else {
        printf("一致  %s %s\n", label, shown);
    }
    return 1;
}

int cmd_verify(int argc, char **argv)
{
    if (argc != 2 || !strcmp(argv[1], "--help")) {
        fprintf(argc == 2 ? stdout : stderr,
                "usage: bidui verify DIR\nChecks the inputs and outputs of the run in "
                "DIR/manifest.json against their SHA-256.\n");
        return argc == 2 ? 0 : 2;
    }
    const char *dir = argv[1];
    char path[4200], line[65536], cwd[4096] = ".";
    snprintf(path, sizeof path, "%s/manifest.json", dir);
    FILE *f = fopen(path, "r");
    if (!f) {
        log_error("%s: cannot open: %s (is this a bidui output folder?)", path, strerror(errno));
        return 1;
    }
    int bad = 0, inputs = 0, outputs = 0;
    char **listed = NULL;
    size_t nlisted = 0;
    while (fgets(line, sizeof line, f)) {
        char p[4096], sha[80], full[8300];
        if (manifest_get_str(line, "cwd", cwd, sizeof cwd) == 0)
            continue;
        if (manifest_get_str(line, "sha256", sha, sizeof sha) < 0)
            continue;
        if (manifest_get_str(line, "path", p, sizeof p) == 0) {
            snprintf(full, sizeof full, "%s%s%s", p[0] == '/' ? "" : cwd, p[0] == '/' ? "" : "/", p);
            check_one("输入", full, p, sha, &bad);
            inputs++;
        } else if (manifest_get_str(line, "file", p, sizeof p) == 0) {
            snprintf(full, sizeof full, "%s/%s", dir, p);
            check_one("输出", full, p, sha, &bad);
            outputs++;
            char **nl = realloc(listed, (nlisted + 1) * sizeof *nl);
            if (nl && (nl[nlisted] = strdup(p))) {
                listed = nl;
                nlisted++;
            } else if (nl) {
                listed = nl;
            }
        }
    }
    fclose(f);
    /* a file in the folder that the run did not write */
    char **present = NULL;
    size_t npresent = 0;
    manifest_list_files(dir, "", &present, &npresent);
    for (size_t k = 0; k < npresent; k++) {
        size_t i;
        for (i = 0; i < nlisted && strcmp(listed[i], present[k]); i++)
            ;
        if (i == nlisted && strcmp(present[k], "manifest.json")) {
            printf("多余  输出 %s: 不是该次比对写出的文件\n", present[k]);
            bad++;
        }
        free(present[k]);
    }
    free(present);
    for (size_t i = 0; i < nlisted; i++)
        free(listed[i]);
    free(listed);
    if (!inputs && !outputs) {
        log_error("%s: lists no inputs or outputs", path);
        return 1;
    }
    if (bad)
        printf("结论: 不一致。%d 处与 manifest.json 不符：此文件夹不是该次比对的原样结果，或其输入已改动。\n", bad);
    else
        printf("结论: 一致。%d 个输入、%d 个输出与 manifest.json 记录的 SHA-256 相同。\n", inputs, outputs);
    return bad ? 1 : 0;
}
