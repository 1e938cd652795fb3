/* The peer of scripts/bench_read.sh: the least a CSV reader can do with a
 * file. Reads it with the same I/O as pipeline/source.c (zlib gzread, so
 * plain and gzip alike; a 1 MiB read buffer, gzbuffer 256 KiB), feeds every
 * chunk whole to libcsv's csv_parse with callbacks that only count rows,
 * calls csv_fini, and prints the rows and the seconds taken.
 * bidui inspect's reading rate is measured against this one.
 *
 * usage: noop_parse FILE   -> "rows N seconds S" on stdout */
#include <csv.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>
#include <zlib.h>

#define READ_CHUNK (1u << 20)

static void on_field(void *data, size_t len, void *ctx)
{
    (void)data;
    (void)len;
    (void)ctx;
}

static void on_row(int c, void *ctx)
{
    (void)c;
    ++*(unsigned long long *)ctx;
}

int main(int argc, char **argv)
{
    if (argc != 2) {
        fprintf(stderr, "usage: noop_parse FILE\n");
        return 2;
    }
    struct timespec t0, t1;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    gzFile gz = gzopen(argv[1], "rb");
    if (!gz) {
        perror(argv[1]);
        return 1;
    }
    gzbuffer(gz, 256u << 10);
    struct csv_parser p;
    char *buf = malloc(READ_CHUNK);
    if (!buf || csv_init(&p, 0) != 0) {
        fprintf(stderr, "noop_parse: out of memory\n");
        return 1;
    }
    csv_set_blk_size(&p, 64u << 10);
    unsigned long long rows = 0;
    int n, status = 0;
    while ((n = gzread(gz, buf, READ_CHUNK)) > 0) {
        if (csv_parse(&p, buf, (size_t)n, on_field, on_row, &rows) != (size_t)n) {
            fprintf(stderr, "%s: CSV error: %s\n", argv[1], csv_strerror(csv_error(&p)));
            status = 1;
            break;
        }
    }
    if (n < 0) {
        int zerr;
        fprintf(stderr, "%s: read error: %s\n", argv[1], gzerror(gz, &zerr));
        status = 1;
    }
    csv_fini(&p, on_field, on_row, &rows);
    csv_free(&p);
    free(buf);
    if (gzclose_r(gz) != Z_OK && !status) {
        fprintf(stderr, "%s: error closing (truncated gzip?)\n", argv[1]);
        status = 1;
    }
    clock_gettime(CLOCK_MONOTONIC, &t1);
    double secs = (double)(t1.tv_sec - t0.tv_sec) + (double)(t1.tv_nsec - t0.tv_nsec) / 1e9;
    printf("rows %llu seconds %.3f\n", rows, secs);
    return status;
}
