/* Fuzz target: a whole small comparison. The input is split at each line
 * "====" into up to seven files: registry, roster, aid, province extract,
 * an earlier run's tracking.csv (--previous), resolutions sent back, and
 * province replies; an empty part is not given. The first byte chooses
 * --mask, --output-encoding gbk, --split, --no-mask, a year-end period and
 * gzip for the inputs. The plan is compare's own (compare_load), and
 * every output is written (outputs_write, manifest_write) into a scratch
 * folder that is removed afterwards.
 *
 * Invariants (a break aborts):
 *   - a run that succeeds balances every input: rows = used + rejected,
 *     and the rejects list holds as many rows as the inputs rejected;
 *   - every output file it writes is valid UTF-8 (unless --output-encoding
 *     gbk) and, with --mask, holds no full ID outside tracking.csv and
 *     letters/ (which hold them by design);
 *   - nothing counted against --max-memory is left once all is freed. */
#include <dirent.h>
#include <sys/stat.h>
#include "fuzz.h"
#include "arena.h"
#include "compare.h"
#include "manifest.h"
#include "outputs.h"
#include "plan_compare.h"
#include "rules.h"
#include "track.h"

#define NPARTS 7
static const input_kind KINDS[NPARTS] = {KIND_REGISTRY, KIND_ROSTER, KIND_AID, KIND_PROVINCE,
                                         KIND_TRACKING, KIND_RESOLUTION, KIND_REPLY};
static const char *const NAMES[NPARTS] = {"registry.csv", "roster.csv", "aid.csv",
                                          "province.csv", "tracking.csv", "resolutions.csv",
                                          "replies.csv"};

/* Whether a file of the run must mask IDs: the lists with --mask, the
 * school and township files unless --no-mask; never tracking.csv and the
 * letters (full IDs by design). */
static int must_mask(const char *name, int mask, int no_mask)
{
    if (!strcmp(name, "tracking.csv") || !strncmp(name, "letters/", 8))
        return 0;
    if (!strncmp(name, "by_school/", 10) || !strncmp(name, "by_township/", 12))
        return !no_mask;
    return mask;
}

/* Next CSV cell of buf[*i..n) into cell (cap bytes, cut when longer);
 * *eol set when it ends its row. 0 at the end of buf. */
static int next_cell(const char *buf, size_t n, size_t *i, char *cell, size_t cap, int *eol)
{
    size_t o = 0, k = *i;
    int q = 0;
    if (k >= n)
        return 0;
    if (buf[k] == '"') {
        q = 1;
        k++;
    }
    for (; k < n; k++) {
        char ch = buf[k];
        if (q && ch == '"') {
            if (k + 1 < n && buf[k + 1] == '"') {
                k++;
            } else {
                q = 0;
                continue;
            }
        } else if (!q && (ch == ',' || ch == '\r' || ch == '\n')) {
            break;
        }
        if (o + 1 < cap)
            cell[o++] = ch;
    }
    cell[o] = 0;
    *eol = k >= n || buf[k] != ',';
    if (k < n && buf[k] == '\r')
        k++;
    *i = k + 1;
    return 1;
}

/* A full ID as a cell: 17 digits and a check character. */
static int full_id(const char *c)
{
    for (int k = 0; k < 17; k++)
        if (c[k] < '0' || c[k] > '9')
            return 0;
    return ((c[17] >= '0' && c[17] <= '9') || c[17] == 'X') && !c[18];
}

/* A masked CSV list: its 身份证号 column holds no full ID, and (rejects.csv)
 * its 原始值 column no run of 15 digits. */
static int masked_ok(const char *buf, size_t n)
{
    size_t i = n >= 3 && !memcmp(buf, "\xef\xbb\xbf", 3) ? 3 : 0;
    char cell[4096];
    int col = 0, id_col = -1, raw_col = -1, eol, row = 0;
    while (next_cell(buf, n, &i, cell, sizeof cell, &eol)) {
        if (row == 0 && !strcmp(cell, "身份证号"))
            id_col = col;
        if (row == 0 && !strcmp(cell, "原始值"))
            raw_col = col;
        if (row > 0 && col == id_col && full_id(cell))
            return 0;
        if (row > 0 && col == raw_col) {
            int run = 0;
            for (const char *p = cell; *p; p++)
                if ((run = *p >= '0' && *p <= '9' ? run + 1 : 0) >= 15)
                    return 0;
        }
        col++;
        if (eol) {
            row++;
            col = 0;
        }
    }
    return 1;
}

static int text_ok(const char *buf, size_t n, int masked, const char *name)
{
    if (!fuzz_utf8(buf, n))
        return 0;
    return !masked || !strstr(name, ".csv") || masked_ok(buf, n);
}

/* Check every file under dir (one level of subfolders). */
static void check_outputs(const char *dir, const char *rel, int mask, int no_mask, int gbk)
{
    char path[1024];
    snprintf(path, sizeof path, "%s%s%s", dir, *rel ? "/" : "", rel);
    DIR *d = opendir(path);
    if (!d)
        fuzz_fail("cannot list %s", path);
    struct dirent *e;
    while ((e = readdir(d))) {
        if (e->d_name[0] == '.')
            continue;
        char sub[1024], full[2048];
        snprintf(sub, sizeof sub, "%s%s%s", rel, *rel ? "/" : "", e->d_name);
        snprintf(full, sizeof full, "%s/%s", dir, sub);
        struct stat st;
        if (lstat(full, &st) == 0 && S_ISDIR(st.st_mode)) {
            check_outputs(dir, sub, mask, no_mask, gbk);
            continue;
        }
        if (gbk && strstr(sub, ".csv"))
            continue;
        FILE *f = fopen(full, "rb");
        if (!f)
            fuzz_fail("cannot open %s", full);
        char *buf = malloc((size_t)st.st_size + 1);
        size_t n = buf ? fread(buf, 1, (size_t)st.st_size, f) : 0;
        fclose(f);
        if (buf && !text_ok(buf, n, must_mask(sub, mask, no_mask), sub))
            fuzz_fail("%s: not UTF-8, or a full ID in a masked list", sub);
        free(buf);
    }
    closedir(d);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 1)
        return 0;
    unsigned cfg = data[0];
    const char *s = (const char *)data + 1, *end = s + size - 1;
    size_t before = mem_in_use();

    copts o = {0};
    o.quiet = 1;
    o.mask = cfg & 1;
    o.gbk = (cfg >> 1) & 1;
    o.split = (cfg >> 2) & 1;
    o.no_mask = (cfg >> 3) & 1;
    o.period = (cfg >> 4) & 1 ? "2021" : "2021Q3";
    o.contact = "示例县教育局,王老师,0551-1234567";
    o.specs.v = calloc(NPARTS, sizeof *o.specs.v);
    if (!o.specs.v)
        return 0;
    for (int k = 0; k < NPARTS && s <= end; k++) {
        /* the part ends before the next line "====" (right away: empty) */
        const char *sep = end - s >= 5 && !memcmp(s, "====\n", 5) ? s - 1
                        : memmem(s, (size_t)(end - s), "\n====\n", 6);
        const char *e = sep ? sep + 1 : end;
        if (e > s) {
            const char *p = fuzz_file(NAMES[k], (const uint8_t *)s, (size_t)(e - s),
                                      (cfg >> (5 + k % 3)) & 1 && k < 4);
            spec_t *sp = &o.specs.v[o.specs.n++];
            sp->path = strdup(p);
            sp->kind = KINDS[k];
            sp->cat = k == 0 ? 0 : -1;
            if (KINDS[k] == KIND_RESOLUTION)
                o.nresolutions++;
        }
        if (!sep)
            break;
        s = sep + 6;
    }
    if (o.specs.n == 0) {     /* no input at all would run the demonstration */
        free(o.specs.v);
        return 0;
    }

    cmp_t c = {0};
    track_t t = {0};
    results_t r;
    int rc = compare_load(&o, &c, &t, &r, NULL);
    if (rc == 0) {
        size_t rejected = 0;
        for (int i = 0; i < c.ninputs; i++) {
            const input_t *in = c.inputs[i];
            if (in->rows_read != in->rows_used + in->rows_rejected)
                fuzz_fail("%s: %ld read, %ld used, %ld rejected", in->path, in->rows_read,
                          in->rows_used, in->rows_rejected);
            rejected += (size_t)in->rows_rejected;
        }
        if (rejected != c.rejects.n)
            fuzz_fail("%zu rejects listed, %zu counted", c.rejects.n, rejected);
        char dir[256];
        snprintf(dir, sizeof dir, "%s/out", fuzz_dir());
        outputs_remove(dir);
        if (mkdir(dir, 0700) != 0)
            fuzz_fail("cannot create %s", dir);
        out_opts oo = {.mask = o.mask, .gbk = o.gbk, .period = o.period, .track = &t,
                       .split = o.split, .no_mask = o.no_mask, .contact = o.contact};
        rc = outputs_write(&c, &r, dir, &oo);
        if (rc == 0) {
            char (*hex)[65] = calloc((size_t)c.ninputs + 1, sizeof *hex);
            uint64_t *sizes = calloc((size_t)c.ninputs + 1, sizeof *sizes);
            char *argv[] = {"compare", NULL};
            manifest_info mi = {.argc = 1, .argv = argv, .period = o.period, .as_of = o.as_of};
            if (hex && sizes)
                rc = manifest_write(dir, &c, hex, sizes, &mi);
            free(hex);
            free(sizes);
        }
        if (rc != 0)
            fuzz_fail("writing the outputs failed (%d) on a writable scratch folder", rc);
        check_outputs(dir, "", o.mask, o.no_mask, o.gbk);
        if (outputs_remove(dir) != 0)
            fuzz_fail("cannot remove %s", dir);
    }
    results_free(&r);
    track_free(&t);
    cmp_free(&c);
    compare_free_opts(&o);
    if (mem_in_use() != before)
        fuzz_fail("%zu counted bytes left after the run", mem_in_use() - before);
    return 0;
}
