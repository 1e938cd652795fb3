/* Micro-benchmark of id_canon(), the function every ID of every input goes
 * through. Builds 2^20 inputs in memory, mixed as real exports are (mostly
 * plain 18-digit IDs; some with lowercase x, Excel's apostrophe, spaces,
 * full-width digits, G student numbers, 15-digit IDs; a few damaged), then
 * canonicalizes them round after round (about 21 million per run) and
 * prints IDs per second, median of 5 runs. A second figure covers plain
 * 18-digit IDs alone: the fast path.
 *
 * usage: bench_id [IDS_PER_RUN]   (default 20971520) */
#include "id.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define NINPUT (1u << 20)   /* larger than the caches, like a real column */
#define RUNS 5

typedef struct {
    uint32_t off, len;
} entry;

static char *arena;
static size_t arena_len, arena_cap;

/* Deterministic, so every run and every machine sees the same inputs. */
static uint64_t rng_state = 0x9E3779B97F4A7C15u;
static uint32_t rnd(uint32_t n)
{
    uint64_t z = (rng_state += 0x9E3779B97F4A7C15u);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9u;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBu;
    return (uint32_t)((z ^ (z >> 31)) % n);
}

static void add(entry *e, const char *s, size_t n)
{
    if (arena_len + n > arena_cap) {
        arena_cap = arena_cap ? arena_cap * 2 : 1u << 24;
        arena = realloc(arena, arena_cap);
        if (!arena) {
            perror("bench_id");
            exit(1);
        }
    }
    memcpy(arena + arena_len, s, n);
    e->off = (uint32_t)arena_len;
    e->len = (uint32_t)n;
    arena_len += n;
}

/* A random valid ID: province from the list, date 1950..2019, any sequence. */
static void random_id(char id[19])
{
    static const int prov[] = {11, 12, 13, 14, 15, 21, 22, 23, 31, 32, 33, 34, 35, 36, 37, 41,
                               42, 43, 44, 45, 46, 50, 51, 52, 53, 54, 61, 62, 63, 64, 65};
    snprintf(id, 19, "%02d%04u%04u%02u%02u%03u", prov[rnd(sizeof prov / sizeof prov[0])],
             rnd(10000), 1950 + rnd(70), 1 + rnd(12), 1 + rnd(28), rnd(1000));
    id[17] = id_check_char(id);
    id[18] = '\0';
}

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

/* Median over RUNS runs of `total` id_canon calls cycling through e[0..n). */
static double bench(const entry *e, size_t n, uint64_t total, uint64_t *sink)
{
    double rate[RUNS];
    for (int run = 0; run < RUNS; run++) {
        uint64_t acc = 0;
        size_t i = 0;
        double t0 = now();
        for (uint64_t k = 0; k < total; k++) {
            idnum_t v;
            acc += (uint64_t)id_canon(arena + e[i].off, e[i].len, 20210831, &v) + v.key;
            if (++i == n)
                i = 0;
        }
        double t1 = now();
        *sink += acc;
        rate[run] = (double)total / (t1 - t0);
    }
    qsort(rate, RUNS, sizeof rate[0], cmp_double);
    return rate[RUNS / 2];
}

int main(int argc, char **argv)
{
    uint64_t total = argc > 1 ? strtoull(argv[1], NULL, 10) : 20u * NINPUT;
    if (total == 0) {
        fputs("usage: bench_id [IDS_PER_RUN]\n", stderr);
        return 2;
    }
    entry *mixed = malloc(NINPUT * sizeof *mixed), *plain = malloc(NINPUT * sizeof *plain);
    if (!mixed || !plain) {
        perror("bench_id");
        return 1;
    }
    char id[19], buf[64];
    for (size_t i = 0; i < NINPUT; i++) {
        random_id(id);
        add(&plain[i], id, 18);
        uint32_t kind = rnd(100);
        if (kind < 78) {                         /* plain */
            add(&mixed[i], id, 18);
        } else if (kind < 83) {                  /* lowercase x */
            do
                random_id(id);
            while (id[17] != 'X');
            id[17] = 'x';
            add(&mixed[i], id, 18);
        } else if (kind < 88) {                  /* Excel text marker */
            add(&mixed[i], buf, (size_t)snprintf(buf, sizeof buf, "'%s", id));
        } else if (kind < 91) {                  /* padded */
            add(&mixed[i], buf, (size_t)snprintf(buf, sizeof buf, " %s\xc2\xa0", id));
        } else if (kind < 92) {                  /* full-width digits */
            size_t k = 0;
            for (int j = 0; j < 18; j++) {
                buf[k++] = '\xef';
                buf[k++] = '\xbc';
                buf[k++] = (char)(0x90 + (id[j] == 'X' ? 0x28 : id[j] - '0'));
            }
            add(&mixed[i], buf, k);
        } else if (kind < 94) {                  /* G student number */
            add(&mixed[i], buf, (size_t)snprintf(buf, sizeof buf, "G%s", id));
        } else if (kind < 95) {                  /* 15-digit legacy */
            memcpy(buf, id, 6);
            memcpy(buf + 6, id + 8, 9);
            add(&mixed[i], buf, 15);
        } else if (kind < 97) {                  /* scientific notation */
            add(&mixed[i], buf, (size_t)snprintf(buf, sizeof buf, "%c.%.5sE+17", id[0], id + 1));
        } else if (kind < 98) {                  /* last three turned to 000 */
            memcpy(id + 15, "000", 3);
            add(&mixed[i], id, 18);
        } else {                                 /* typo in the check */
            id[17] = id[17] == '1' ? '2' : '1';
            add(&mixed[i], id, 18);
        }
    }

    uint64_t sink = 0;
    double r_mixed = bench(mixed, NINPUT, total, &sink);
    double r_plain = bench(plain, NINPUT, total, &sink);
    printf("id_canon, mixed inputs:      %6.1f million IDs/s (median of %d runs of %llu)\n",
           r_mixed / 1e6, RUNS, (unsigned long long)total);
    printf("id_canon, plain 18 digits:   %6.1f million IDs/s (median of %d runs of %llu)\n",
           r_plain / 1e6, RUNS, (unsigned long long)total);
    /* Printed so the compiler cannot drop the work. */
    printf("checksum %016llx\n", (unsigned long long)sink);
    free(mixed);
    free(plain);
    free(arena);
    return 0;
}
