/* bidui compare: the two-way comparison (双向比对) and every list it owes
 * the bureau. The interface is a contract (issue 4): extend, never rename.
 *
 * Plan: registry inputs -> held persons; aid inputs -> held payments;
 * province extract -> probes of the persons; rosters stream through the
 * tables; a second look at the roster files where duplicated IDs first
 * appear; the rules; every output into DIR.tmp-PID; then DIR replaced in
 * one step. A failure anywhere leaves DIR as it was. */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>
#include "commands.h"
#include "compare.h"
#include "err.h"
#include "id.h"
#include "outputs.h"
#include "plan.h"
#include "progress.h"
#include "rules.h"
#include "stages.h"
#include "track.h"

static void usage(FILE *f)
{
    fprintf(f,
"usage: bidui compare --out DIR\n"
"         --registry [CATEGORY=]PATH ...  CATEGORY: 建档立卡 (default), 监测, 低保, 特困, 孤儿, 残疾\n"
"         --roster PATH ...               county school rosters\n"
"         --aid PATH ...                  aid payment lists of this period\n"
"         [--province-roster PATH ...]    province-wide student-status extract\n"
"         [--period YYYYQn | YYYY]        quarter, or the year-end comparison\n"
"         [--as-of YYYY-MM-DD]            reference date for ages (default: the 31 August\n"
"                                         that opens the school year of --period)\n"
"         [--mask]                        IDs in all lists masked 6+4\n"
"         [--previous DIR]                an earlier run's output folder: new / open / resolved\n"
"         [--resolutions PATH ...]        lists sent back with 处理结果 filled in\n"
"         [--output-encoding utf-8|gbk]   lists in UTF-8 with BOM (default) or GBK\n"
"         [--encoding auto|utf-8|gbk]     force the encoding of every input\n"
"         [--max-field BYTES] [--max-memory MIB] [--quiet] [--stats]\n"
"PATH is a .csv or .csv.gz file, or a folder (its .csv and .csv.gz files, in name\n"
"order). Without CATEGORY= a registry file named after a category (低保.csv) is that\n"
"category. With no inputs at all, runs on the synthetic county in fixtures/county.\n");
}

typedef struct {
    char *path;
    input_kind kind;
    int cat;            /* registry only */
} spec_t;

typedef struct {
    spec_t *v;
    int n;
} specs_t;

static int spec_add(specs_t *s, const char *path, input_kind kind, int cat)
{
    spec_t *v = realloc(s->v, (s->n + 1) * sizeof *v);
    if (!v)
        return BIDUI_ENOMEM;
    s->v = v;
    if (!(v[s->n].path = strdup(path)))
        return BIDUI_ENOMEM;
    v[s->n].kind = kind;
    v[s->n].cat = cat;
    s->n++;
    return 0;
}

/* The category a registry file's name gives (低保.csv.gz -> 低保), or -1. */
static int cat_of_filename(const char *path)
{
    const char *b = strrchr(path, '/');
    b = b ? b + 1 : path;
    char name[256];
    snprintf(name, sizeof name, "%s", b);
    char *dot = strstr(name, ".csv");
    if (!dot)
        dot = strstr(name, ".CSV");
    if (dot)
        *dot = 0;
    return cat_parse(name);
}

static int parse_period(const char *s, int *year, int *quarter)
{
    if (strlen(s) == 4 && sscanf(s, "%4d", year) == 1 && *year >= 1990 && *year <= 2200) {
        *quarter = 0;
        return 0;
    }
    char q;
    if (strlen(s) == 6 && sscanf(s, "%4d%c%1d", year, &q, quarter) == 3 && (q == 'Q' || q == 'q')
        && *quarter >= 1 && *quarter <= 4 && *year >= 1990 && *year <= 2200)
        return 0;
    return -1;
}

static int today(void)
{
    time_t t = time(NULL);
    struct tm tm;
    localtime_r(&t, &tm);
    return (tm.tm_year + 1900) * 10000 + (tm.tm_mon + 1) * 100 + tm.tm_mday;
}

/* fixtures/county next to the working folder, or next to the program. */
static int demo_dir(char *out, size_t cap)
{
    struct stat st;
    if (stat("fixtures/county", &st) == 0 && S_ISDIR(st.st_mode)) {
        snprintf(out, cap, "fixtures/county");
        return 0;
    }
    char exe[4096];
    ssize_t n = readlink("/proc/self/exe", exe, sizeof exe - 1);
    if (n > 0) {
        exe[n] = 0;
        char *slash = strrchr(exe, '/');
        if (slash) {
            *slash = 0;
            snprintf(out, cap, "%s/../fixtures/county", exe);
            if (stat(out, &st) == 0 && S_ISDIR(st.st_mode))
                return 0;
        }
    }
    log_error("no inputs given and no fixtures/county found for the demonstration run");
    return BIDUI_EUSAGE;
}

static int add_demo(specs_t *s)
{
    char dir[4200], p[4300];
    int rc = demo_dir(dir, sizeof dir);
    static const struct { const char *sub; input_kind kind; } D[] = {
        {"registry", KIND_REGISTRY}, {"rosters", KIND_ROSTER}, {"aid", KIND_AID},
        {"province", KIND_PROVINCE}};
    for (size_t i = 0; rc == 0 && i < sizeof D / sizeof D[0]; i++) {
        snprintf(p, sizeof p, "%s/%s", dir, D[i].sub);
        rc = spec_add(s, p, D[i].kind, -1);
    }
    return rc;
}

typedef struct {
    const char *out;
    specs_t specs;
    int as_of, mask, gbk, quiet, stats;
    const char *period;
    const char *previous;
    int nresolutions;
    source_opts so;
} copts;

static int parse_flags(int argc, char **argv, copts *o)
{
    enum { O_OUT = 1, O_REG, O_ROSTER, O_AID, O_PROV, O_PERIOD, O_ASOF, O_MASK, O_OENC, O_ENC,
           O_MAXF, O_MAXM, O_QUIET, O_STATS, O_PREV, O_RES, O_HELP };
    static const struct option opts[] = {
        {"out", required_argument, 0, O_OUT}, {"registry", required_argument, 0, O_REG},
        {"roster", required_argument, 0, O_ROSTER}, {"aid", required_argument, 0, O_AID},
        {"province-roster", required_argument, 0, O_PROV},
        {"period", required_argument, 0, O_PERIOD}, {"as-of", required_argument, 0, O_ASOF},
        {"mask", no_argument, 0, O_MASK}, {"output-encoding", required_argument, 0, O_OENC},
        {"encoding", required_argument, 0, O_ENC}, {"max-field", required_argument, 0, O_MAXF},
        {"max-memory", required_argument, 0, O_MAXM}, {"quiet", no_argument, 0, O_QUIET}, {"stats", no_argument, 0, O_STATS},
        {"previous", required_argument, 0, O_PREV}, {"resolutions", required_argument, 0, O_RES},
        {"help", no_argument, 0, O_HELP}, {0, 0, 0, 0}};
    int c, rc = 0;
    optind = 1;
    while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1 && rc == 0) {
        switch (c) {
        case O_OUT: o->out = optarg; break;
        case O_REG: {
            const char *eq = strchr(optarg, '=');
            int cat = -1;
            if (eq) {
                char name[64];
                snprintf(name, sizeof name, "%.*s", (int)(eq - optarg), optarg);
                if ((cat = cat_parse(name)) < 0) {
                    log_error("--registry: unknown category '%s' (建档立卡, 监测, 低保, 特困, "
                              "孤儿, 残疾)", name);
                    return BIDUI_EUSAGE;
                }
            }
            rc = spec_add(&o->specs, eq ? eq + 1 : optarg, KIND_REGISTRY, cat);
            break;
        }
        case O_ROSTER: rc = spec_add(&o->specs, optarg, KIND_ROSTER, -1); break;
        case O_AID: rc = spec_add(&o->specs, optarg, KIND_AID, -1); break;
        case O_PROV: rc = spec_add(&o->specs, optarg, KIND_PROVINCE, -1); break;
        case O_PERIOD: {
            int y, q;
            if (parse_period(optarg, &y, &q) < 0) {
                log_error("--period: '%s' is neither YYYYQn (2021Q3) nor YYYY (2021)", optarg);
                return BIDUI_EUSAGE;
            }
            o->period = optarg;
            break;
        }
        case O_ASOF:
            if (date_parse(optarg, &o->as_of) < 0) {
                log_error("--as-of: '%s' is no date (YYYY-MM-DD)", optarg);
                return BIDUI_EUSAGE;
            }
            break;
        case O_MASK: o->mask = 1; break;
        case O_OENC: {
            int e = encoding_parse(optarg);
            if (e != ENC_UTF8 && e != ENC_GB18030) {
                log_error("--output-encoding: '%s' (utf-8 or gbk)", optarg);
                return BIDUI_EUSAGE;
            }
            o->gbk = e == ENC_GB18030;
            break;
        }
        case O_ENC: {
            int e = encoding_parse(optarg);
            if (e < 0) {
                log_error("--encoding: '%s' (auto, utf-8 or gbk)", optarg);
                return BIDUI_EUSAGE;
            }
            o->so.encoding = (encoding_t)e;
            break;
        }
        case O_MAXF: o->so.max_field = (size_t)strtoull(optarg, NULL, 10); break;
        case O_MAXM: mem_set_cap((size_t)strtoull(optarg, NULL, 10) << 20); break;
        case O_QUIET: o->quiet = 1; break;
        case O_STATS: o->stats = 1; break;
        case O_PREV: o->previous = optarg; break;
        case O_RES:
            rc = spec_add(&o->specs, optarg, KIND_RESOLUTION, -1);
            o->nresolutions++;
            break;
        case O_HELP: usage(stdout); return 1;
        default: usage(stderr); return BIDUI_EUSAGE;
        }
    }
    if (rc < 0)
        return rc;
    if (optind < argc) {
        log_error("unexpected argument '%s' (inputs go after --registry, --roster, --aid …)",
                  argv[optind]);
        return BIDUI_EUSAGE;
    }
    if (!o->out) {
        log_error("--out DIR is required: the folder the lists are written to");
        return BIDUI_EUSAGE;
    }
    if (o->nresolutions && !o->previous) {
        log_error("--resolutions needs --previous DIR: the run whose lists were sent out");
        return BIDUI_EUSAGE;
    }
    if (o->previous) {
        char p[4200];
        snprintf(p, sizeof p, "%s/tracking.csv", o->previous);
        if ((rc = spec_add(&o->specs, p, KIND_TRACKING, -1)) < 0)
            return rc;
    }
    return 0;
}

/* Reference dates: ages on as_of; an ID born after birth_ref is an error. */
static void dates(copts *o, cmp_t *c)
{
    int y = 0, q = 0;
    if (o->period)
        parse_period(o->period, &y, &q);
    if (!o->as_of) {
        if (o->period)
            o->as_of = (q == 1 || q == 2 ? y - 1 : y) * 10000 + 831;
        else {
            int t = today();
            o->as_of = (t % 10000 >= 831 ? t / 10000 : t / 10000 - 1) * 10000 + 831;
        }
    }
    c->as_of = o->as_of;
    static const int QEND[] = {1231, 331, 630, 930, 1231};
    if (o->period)
        c->birth_ref = y * 10000 + QEND[q];
    else   /* the end of the school year that as_of opens */
        c->birth_ref = (o->as_of / 10000 + 1) * 10000 + 831;
    if (c->birth_ref < c->as_of)
        c->birth_ref = c->as_of;
}

static stage_t *sink_for(cmp_t *c, track_t *t, input_kind k, int cat)
{
    switch (k) {
    case KIND_TRACKING: return stage_load_tracking_new(t, &c->rejects);
    case KIND_RESOLUTION: return stage_load_resolutions_new(t, &c->rejects);
    case KIND_REGISTRY: return stage_load_registry_new(c, cat);
    case KIND_AID: return stage_load_aid_new(c);
    case KIND_PROVINCE: return stage_load_province_new(c);
    default: return stage_probe_roster_new(c);
    }
}

/* Expand the specs into inputs, in reading order: registry, aid, province,
 * rosters (the tables must exist before the stream that probes them). */
static int make_inputs(cmp_t *c, const specs_t *s, int **cats)
{
    static const input_kind ORDER[] = {KIND_TRACKING, KIND_RESOLUTION, KIND_REGISTRY, KIND_AID,
                                       KIND_PROVINCE, KIND_ROSTER};
    *cats = NULL;
    /* Registry files are read category by category, 建档立卡 first: the
     * first row of a person gives her household and township. */
    for (int k = 0; k < (int)(sizeof ORDER / sizeof ORDER[0]); k++)
      for (int want = 0; want < (ORDER[k] == KIND_REGISTRY ? CAT__N : 1); want++)
        for (int i = 0; i < s->n; i++) {
            if (s->v[i].kind != ORDER[k])
                continue;
            char **files = NULL;
            int nf = 0, rc = plan_expand_path(s->v[i].path, &files, &nf);
            for (int j = 0; j < nf && rc == 0; j++) {
                int cat = s->v[i].cat;
                if (ORDER[k] == KIND_REGISTRY && cat < 0)
                    cat = cat_of_filename(files[j]) >= 0 ? cat_of_filename(files[j]) : CAT_JDLK;
                if (ORDER[k] == KIND_REGISTRY && cat != want)
                    continue;
                input_t **v = realloc(c->inputs, (c->ninputs + 1) * sizeof *v);
                int *cv = realloc(*cats, (c->ninputs + 1) * sizeof *cv);
                if (v)
                    c->inputs = v;
                if (cv)
                    *cats = cv;
                if (!v || !cv || !(v[c->ninputs] = input_new(files[j], ORDER[k],
                        ORDER[k] == KIND_REGISTRY ? cat_zh(cat) : NULL, c->ninputs))) {
                    rc = BIDUI_ENOMEM;
                    break;
                }
                (*cats)[c->ninputs++] = cat;
                if (c->ninputs > 65535) {
                    log_error("more than 65535 input files");
                    rc = BIDUI_EUSAGE;
                }
            }
            for (int j = 0; j < nf; j++)
                free(files[j]);
            free(files);
            if (rc < 0)
                return rc;
        }
    return 0;
}

/* The second look at roster files where duplicated IDs first appear. */
static int capture_first_dups(cmp_t *c, const source_opts *so)
{
    size_t n = c->ndups;
    char *want = calloc(c->ninputs ? c->ninputs : 1, 1);
    if (!want)
        return BIDUI_ENOMEM;
    for (size_t i = 0; i < n; i++) {
        uint64_t *v = idmap_get(&c->roster_ids, c->dups[i].key);
        want[ROSTER_FILE(*v)] = 1;
    }
    int rc = 0;
    for (int i = 0; i < c->ninputs && rc == 0; i++) {
        if (!want[i])
            continue;
        /* A scratch input and rejects: this look must not count rows twice. */
        input_t *in = input_new(c->inputs[i]->path, KIND_ROSTER, NULL, i);
        rejects_t scratch = {0};
        source_opts o = *so;
        o.rejects = &scratch;
        o.progress = 0;
        if (!in)
            rc = BIDUI_ENOMEM;
        else
            rc = plan_read(in, stage_capture_dups_new(c), &o, c->birth_ref);
        rejects_free(&scratch);
        input_free(in);
    }
    free(want);
    return rc;
}

/* What the run holds, for capacity planning (--stats, on stderr). */
static void print_stats(const cmp_t *c)
{
    size_t reg_strings = 0;
    for (size_t i = 0; i < c->npersons; i++) {
        const char *b = c->persons[i].reg;
        for (int k = 0; k < PR__N; k++)
            reg_strings += strlen(blob_get(b, k)) + 1;
    }
    double np = c->npersons ? (double)c->npersons : 1, nr = c->roster_ids.n ? (double)c->roster_ids.n : 1;
    double npay = c->npayments ? (double)c->npayments : 1;
    fprintf(stderr, "held: %zu registry persons: %.1f bytes each (record %zu, index %.1f, strings %.1f)\n",
            c->npersons, (sizeof(person_t) * (double)c->cap_persons + idmap_bytes(&c->person_ix) + reg_strings) / np,
            sizeof(person_t), idmap_bytes(&c->person_ix) / np, reg_strings / np);
    fprintf(stderr, "held: %zu payments: %.1f bytes each with index and strings in the arena share\n",
            c->npayments, (sizeof(payment_t) * (double)c->cap_payments + idmap_bytes(&c->pay_ix)) / npay);
    fprintf(stderr, "held: %zu roster IDs: %.1f bytes each (of %zu roster rows streamed)\n",
            c->roster_ids.n, idmap_bytes(&c->roster_ids) / nr, c->roster_rows);
    fprintf(stderr, "held: arena %.1f MiB; counted memory now %.1f MiB, peak %.1f MiB\n",
            c->arena.used / 1048576.0, mem_in_use() / 1048576.0, mem_peak() / 1048576.0);
}

static int run(copts *o, cmp_t *c, track_t *t)
{
    int *cats = NULL, rc;
    char label[32];
    if (!outputs_replaceable(o->out)) {
        log_error("%s: exists and is not a bidui output folder (no summary.json); "
                  "choose another --out", o->out);
        return BIDUI_EUSAGE;
    }
    if (o->specs.n == 0 && (rc = add_demo(&o->specs)) < 0)
        return rc;
    dates(o, c);
    if (o->period)
        snprintf(label, sizeof label, "%s", o->period);
    else
        snprintf(label, sizeof label, "D%08d", o->as_of);
    t->label = label;
    if ((rc = make_inputs(c, &o->specs, &cats)) < 0)
        goto out;
    o->so.rejects = &c->rejects;
    o->so.progress = !o->quiet && progress_wanted();
    for (int i = 0; i < c->ninputs; i++) {
        input_t *in = c->inputs[i];
        if (in->kind == KIND_REGISTRY)
            c->given_cats |= 1u << cats[i];
        if (in->kind == KIND_AID)
            c->aid_checked = 1;
        stage_t *sink = sink_for(c, t, in->kind, cats[i]);
        rc = in->kind == KIND_RESOLUTION ? plan_read_noid(in, sink, &o->so)
                                         : plan_read(in, sink, &o->so, c->birth_ref);
        if (rc < 0)
            goto out;
    }
    if (c->ndups && (rc = capture_first_dups(c, &o->so)) < 0)
        goto out;
    if (!c->aid_checked && !o->quiet)
        log_warn("no --aid input: aid was not checked, so nobody is listed as missed");

    if (o->stats)
        print_stats(c);
    results_t r;
    if ((rc = rules_run(c, &r)) < 0 || (rc = track_apply(t, c, &r)) < 0) {
        results_free(&r);
        goto out;
    }
    char tmp[4200];
    snprintf(tmp, sizeof tmp, "%s.tmp-%ld", o->out, (long)getpid());
    outputs_remove(tmp);
    if (mkdir(tmp, 0700) != 0) {
        log_error("%s: cannot create the output folder: %m", tmp);
        rc = BIDUI_EIO;
    } else {
        out_opts oo = {.mask = o->mask, .gbk = o->gbk, .period = o->period, .track = t};
        rc = outputs_write(c, &r, tmp, &oo);
        if (rc == 0)
            rc = outputs_publish(tmp, o->out);
        if (rc < 0)
            outputs_remove(tmp);
    }
    if (rc == 0 && !o->quiet) {
        printf("比对完成：%s\n", o->out);
        for (int l = 0; l < L__N; l++)
            printf("  %-24s %-20s %zu\n", list_file(l), list_zh(l), r.shown[l]);
    }
    results_free(&r);
out:
    free(cats);
    return rc;
}

int cmd_compare(int argc, char **argv)
{
    copts o = {0};
    cmp_t c = {0};
    track_t t = {0};
    int rc = parse_flags(argc, argv, &o);
    if (rc == 0)
        rc = run(&o, &c, &t);
    track_free(&t);
    cmp_free(&c);
    for (int i = 0; i < o.specs.n; i++)
        free(o.specs.v[i].path);
    free(o.specs.v);
    if (rc == 1)
        return 0;   /* --help */
    if (rc == BIDUI_EUSAGE)
        return 2;
    return rc < 0 ? 1 : 0;
}
