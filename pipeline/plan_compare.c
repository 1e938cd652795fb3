/* See plan_compare.h. */
#include <getopt.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>
#include "err.h"
#include "id.h"
#include "plan.h"
#include "plan_compare.h"
#include "progress.h"
#include "rosters.h"
#include "stages.h"

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
    if (!dot)
        dot = strcasestr(name, ".xls");
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

int compare_parse_flags(int argc, char **argv, copts *o, void (*usage)(FILE *))
{
    enum { O_OUT = 1, O_REG, O_ROSTER, O_AID, O_PROV, O_PERIOD, O_ASOF, O_MASK, O_OENC, O_ENC,
           O_MAXF, O_MAXM, O_QUIET, O_STATS, O_PREV, O_RES, O_ID, O_SCHOOL, O_TOWNSHIP, O_CSV,
           O_SPLIT, O_NOMASK, O_CONTACT, O_REPLIES, O_FORMAT, O_HELP };
    static const struct option opts[] = {
        {"out", required_argument, 0, O_OUT}, {"registry", required_argument, 0, O_REG},
        {"roster", required_argument, 0, O_ROSTER}, {"aid", required_argument, 0, O_AID},
        {"province-roster", required_argument, 0, O_PROV},
        {"period", required_argument, 0, O_PERIOD}, {"as-of", required_argument, 0, O_ASOF},
        {"mask", no_argument, 0, O_MASK}, {"output-encoding", required_argument, 0, O_OENC},
        {"encoding", required_argument, 0, O_ENC}, {"max-field", required_argument, 0, O_MAXF},
        {"max-memory", required_argument, 0, O_MAXM}, {"quiet", no_argument, 0, O_QUIET}, {"stats", no_argument, 0, O_STATS},
        {"previous", required_argument, 0, O_PREV}, {"resolutions", required_argument, 0, O_RES},
        {"id", required_argument, 0, O_ID}, {"school", required_argument, 0, O_SCHOOL},
        {"township", required_argument, 0, O_TOWNSHIP}, {"csv", no_argument, 0, O_CSV},
        {"split", no_argument, 0, O_SPLIT}, {"no-mask", no_argument, 0, O_NOMASK},
        {"contact", required_argument, 0, O_CONTACT}, {"format", required_argument, 0, O_FORMAT},
        {"province-replies", required_argument, 0, O_REPLIES},
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
        case O_MAXF:
            if (limit_parse(optarg, SIZE_MAX / 4, &o->so.max_field) < 0) {
                log_error("--max-field: '%s' is no number of bytes (e.g. 4194304)", optarg);
                return BIDUI_EUSAGE;
            }
            break;
        case O_MAXM: {
            size_t mib;
            if (limit_parse(optarg, SIZE_MAX >> 21, &mib) < 0) {
                log_error("--max-memory: '%s' is no number of MiB (e.g. 2048)", optarg);
                return BIDUI_EUSAGE;
            }
            mem_set_cap(mib << 20);
            break;
        }
        case O_QUIET: o->quiet = 1; break;
        case O_STATS: o->stats = 1; break;
        case O_PREV: o->previous = optarg; break;
        case O_SPLIT: o->split = 1; break;
        case O_FORMAT:
            if (strcmp(optarg, "csv") && strcmp(optarg, "xlsx")) {
                log_error("--format: '%s' (csv or xlsx)", optarg);
                return BIDUI_EUSAGE;
            }
            o->xlsx = !strcmp(optarg, "xlsx");
            break;
        case O_NOMASK: o->no_mask = 1; break;
        case O_CONTACT: o->contact = optarg; break;
        case O_REPLIES: rc = spec_add(&o->specs, optarg, KIND_REPLY, -1); break;
        case O_RES:
            rc = spec_add(&o->specs, optarg, KIND_RESOLUTION, -1);
            o->nresolutions++;
            break;
        case O_ID:
        case O_SCHOOL:
        case O_TOWNSHIP:
        case O_CSV:
            if (!o->audit) {
                log_error("--%s belongs to `bidui audit`", c == O_ID ? "id" : c == O_SCHOOL
                          ? "school" : c == O_TOWNSHIP ? "township" : "csv");
                return BIDUI_EUSAGE;
            }
            if (c == O_ID) {
                char **v = realloc(o->ids, (o->nids + 1) * sizeof *v);
                if (!v)
                    return BIDUI_ENOMEM;
                o->ids = v;
                o->ids[o->nids++] = optarg;
            } else if (c == O_SCHOOL) {
                o->school = optarg;
            } else if (c == O_TOWNSHIP) {
                o->township = optarg;
            } else {
                o->csv = 1;
            }
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
    if (o->audit) {
        if (!o->nids && !o->school && !o->township) {
            log_error("audit needs --id ID, --school CODE or --township NAME");
            return BIDUI_EUSAGE;
        }
        if (o->out) {
            log_error("audit prints its answer; --out belongs to compare");
            return BIDUI_EUSAGE;
        }
    } else if (!o->out) {
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
    case KIND_REPLY: return stage_load_replies_new(c);
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
    static const input_kind ORDER[] = {KIND_TRACKING, KIND_RESOLUTION, KIND_REGISTRY, KIND_REPLY,
                                       KIND_AID, KIND_PROVINCE, KIND_ROSTER};
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

void compare_free_opts(copts *o)
{
    for (int i = 0; i < o->specs.n; i++)
        free(o->specs.v[i].path);
    free(o->specs.v);
    free(o->ids);
    memset(&o->specs, 0, sizeof o->specs);
    o->ids = NULL;
}

double stats_clock(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec + ts.tv_nsec / 1e9;
}

/* --stats: the time each phase took, on stderr. */
void stats_phase(const copts *o, const char *what, double *t0)
{
    double now = stats_clock();
    if (o->stats)
        fprintf(stderr, "time: %-28s %7.2f s\n", what, now - *t0);
    *t0 = now;
}

/* Read input i into its sink: on this thread, or with the sink on the
 * second core (async). */
static int read_input(cmp_t *c, track_t *t, int i, int cat, const load_hooks *h, int async,
                      const source_opts *so)
{
    input_t *in = c->inputs[i];
    stage_t *sink = sink_for(c, t, in->kind, cat);
    if (sink && h && h->wrap)
        sink = h->wrap(h->ctx, sink);
    if (sink && async)
        sink = stage_async_new(sink);
    return in->kind == KIND_RESOLUTION ? plan_read_noid(in, sink, so)
                                       : plan_read(in, sink, so, c->birth_ref);
}

/* The aid lists, read on a thread of their own (see compare_load). Its
 * messages are kept and printed when it is joined; it shows no progress
 * line (the registry's has the terminal). */
typedef struct {
    copts *o;
    cmp_t *c;
    track_t *t;
    const int *cats;
    int first, end;           /* the aid inputs: [first, end) */
    int started, rc;
    pthread_t th;
    char *log;
    size_t loglen;
} aid_job;

static void *aid_thread(void *arg)
{
    aid_job *j = arg;
    FILE *f = open_memstream(&j->log, &j->loglen);
    log_capture(f);
    source_opts so = j->o->so;
    so.progress = 0;
    for (int i = j->first; i < j->end && j->rc == 0; i++)
        if (j->c->inputs[i]->kind == KIND_AID)
            j->rc = read_input(j->c, j->t, i, j->cats[i], NULL, 0, &so);
    log_capture(NULL);
    if (f)
        fclose(f);
    return NULL;
}

static int start_aid_job(aid_job *j)
{
    return pthread_create(&j->th, NULL, aid_thread, j) == 0;
}

/* Wait for the aid thread; print its messages; its result. */
static int join_aid_job(aid_job *j)
{
    pthread_join(j->th, NULL);
    j->started = 0;
    if (j->log) {
        fwrite(j->log, 1, j->loglen, stderr);
        free(j->log);
        j->log = NULL;
    }
    return j->rc;
}

typedef struct {
    const cmp_t *c;
    size_t *order, n;
} hh_job;

static void *hh_thread(void *arg)
{
    hh_job *j = arg;
    j->order = household_order(j->c, &j->n);
    return NULL;
}

int compare_load(copts *o, cmp_t *c, track_t *t, results_t *r, const load_hooks *h)
{
    double t0 = stats_clock();
    int *cats = NULL, rc;
    input_kind *kinds = NULL;
    aid_job aj = {.first = -1};
    memset(r, 0, sizeof *r);
    if (o->specs.n == 0) {
        if ((rc = add_demo(&o->specs)) < 0)
            return rc;
        /* the synthetic county is made for the school year 2021-22 */
        if (!o->as_of && !o->period)
            o->as_of = 20210831;
    }
    dates(o, c);
    if (o->period)
        snprintf(o->label, sizeof o->label, "%s", o->period);
    else
        snprintf(o->label, sizeof o->label, "D%08d", o->as_of);
    t->label = o->label;
    if ((rc = make_inputs(c, &o->specs, &cats)) < 0)
        goto out;
    o->so.rejects = &c->rejects;
    o->so.progress = !o->quiet && progress_wanted();
    /* The roster's ID set is only inserted into (a probe per row, mostly a
     * new ID): let it fill to 75% before doubling. 10 M IDs then take 16 M
     * slots (256 MB), not 32 M. */
    idmap_set_max_load(&c->roster_ids, 75);
    if (h && h->before_read && (rc = h->before_read(h->ctx, c)) < 0)
        goto out;
    aj = (aid_job){.o = o, .c = c, .t = t, .cats = cats, .first = -1};
    for (int i = 0; i < c->ninputs; i++) {
        input_t *in = c->inputs[i];
        if (in->kind == KIND_REGISTRY)
            c->given_cats |= 1u << cats[i];
        if (in->kind == KIND_AID) {
            c->aid_checked = 1;
            if (aj.first < 0)
                aj.first = i;
            aj.end = i + 1;
        }
    }
    /* Registry and aid lists touch different tables: with no hook around
     * the sinks (compare, not audit), the aid lists load on a thread of
     * their own while this one reads the registry (each parses and loads
     * its rows itself: two cores, no hand-over). Joined before the
     * province extract and the rosters, which probe both. */
    int parallel = aj.first >= 0 && !(h && h->wrap);
    /* The kinds, read before the aid thread starts: its gates write their
     * inputs, so this thread reads no aid input's fields until it joins. */
    if (!(kinds = malloc((size_t)(c->ninputs + 1) * sizeof *kinds))) {
        rc = BIDUI_ENOMEM;
        goto out;
    }
    for (int i = 0; i < c->ninputs; i++)
        kinds[i] = c->inputs[i]->kind;
    kinds[c->ninputs] = KIND_AUTO;
    if (parallel && (aj.started = start_aid_job(&aj)) == 0)
        parallel = 0;
    for (int i = 0; i < c->ninputs; i++) {
        if (parallel && kinds[i] == KIND_AID)
            continue;
        if (aj.started && (kinds[i] == KIND_PROVINCE || kinds[i] == KIND_ROSTER)) {
            stats_phase(o, "read registry", &t0);
            if ((rc = join_aid_job(&aj)) < 0)
                goto out;
            stats_phase(o, "read aid (alongside)", &t0);
        }
        if (kinds[i] == KIND_ROSTER && !c->known && (rc = cmp_build_known(c)) < 0)
            goto out;
        if (kinds[i] == KIND_ROSTER && !(h && h->wrap) && i + 1 < c->ninputs) {
            /* the rosters come last: all of them, two files at a time */
            if ((rc = rosters_read(c, &o->so, i, c->ninputs)) < 0)
                goto out;
            i = c->ninputs - 1;
        } else {
            /* the province extract loads on the second core while this one
             * parses; the registry and aid lists too when not side by side */
            int async = kinds[i] == KIND_ROSTER || kinds[i] == KIND_PROVINCE
                        || (!parallel && (kinds[i] == KIND_REGISTRY || kinds[i] == KIND_AID));
            if ((rc = read_input(c, t, i, cats[i], h, async, &o->so)) < 0)
                goto out;
        }
        if (kinds[i + 1] != kinds[i]) {
            char what[64];
            snprintf(what, sizeof what, "read %s", kind_name(kinds[i]));
            if (!(parallel && kinds[i] == KIND_REGISTRY))
                stats_phase(o, what, &t0);
        }
    }
    if (aj.started && (rc = join_aid_job(&aj)) < 0)
        goto out;
    if (c->ndups && (rc = rosters_second_look(c, &o->so)) < 0)
        goto out;
    rejects_sort(&c->rejects);
    stats_phase(o, "second look at duplicates", &t0);
    if (!c->aid_checked && !o->quiet)
        log_warn("no --aid input: aid was not checked, so nobody is listed as missed");
    if (o->stats)
        print_stats(c);
    /* The ledger's household order is sorted on the second core while the
     * rules run on this one (household_order says why that is safe). */
    pthread_t hh_th;
    hh_job hj = {.c = c};
    int hh = !o->audit && pthread_create(&hh_th, NULL, hh_thread, &hj) == 0;
    rc = rules_run(c, r);
    if (hh) {
        pthread_join(hh_th, NULL);
        r->household = hj.order;   /* NULL (out of memory): the ledger sorts */
        r->nhousehold = hj.n;
    }
    if (rc == 0) {
        stats_phase(o, "rules", &t0);
        rc = track_apply(t, c, r);
        stats_phase(o, "track", &t0);
    }
out:
    if (aj.started)
        join_aid_job(&aj);
    free(kinds);
    free(cats);
    return rc;
}
