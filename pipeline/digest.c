#include <errno.h>
#include <openssl/evp.h>
#include <pthread.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <unistd.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "digest.h"
#include "err.h"

int sha256_file(const char *path, char hex[65], uint64_t *size)
{
    FILE *f = fopen(path, "rb");
    if (!f) {
        log_error("%s: cannot open for its digest: %s", path, strerror(errno));
        return BIDUI_EIO;
    }
    EVP_MD_CTX *ctx = EVP_MD_CTX_new();
    unsigned char *buf = malloc(1u << 20);
    int rc = 0;
    *size = 0;
    if (!ctx || !buf || EVP_DigestInit_ex(ctx, EVP_sha256(), NULL) != 1) {
        rc = BIDUI_ENOMEM;
        goto out;
    }
    size_t n;
    while ((n = fread(buf, 1, 1u << 20, f)) > 0) {
        EVP_DigestUpdate(ctx, buf, n);
        *size += n;
    }
    if (ferror(f)) {
        log_error("%s: read error while computing its digest: %s", path, strerror(errno));
        rc = BIDUI_EIO;
        goto out;
    }
    unsigned char md[32];
    unsigned mdlen = 0;
    EVP_DigestFinal_ex(ctx, md, &mdlen);
    for (unsigned i = 0; i < 32; i++)
        snprintf(hex + 2 * i, 3, "%02x", md[i]);
out:
    EVP_MD_CTX_free(ctx);
    free(buf);
    fclose(f);
    return rc;
}

struct hasher {
    pthread_t th;
    char **paths;
    int n;
    char (*hex)[65];
    uint64_t *size;
    int rc;
};

static void *hash_all(void *arg)
{
    hasher_t *h = arg;
    /* The lowest priority: the digests are needed only at the end, and the
     * cores are wanted by the threads that read and compare. Where a core
     * is idle this thread runs at full speed; where both are busy it waits
     * instead of slowing the comparison. (Linux: a nice value per thread.) */
    setpriority(PRIO_PROCESS, (id_t)syscall(SYS_gettid), 19);
    for (int i = 0; i < h->n && h->rc == 0; i++)
        h->rc = sha256_file(h->paths[i], h->hex[i], &h->size[i]);
    return NULL;
}

static void hasher_free(hasher_t *h)
{
    for (int i = 0; i < h->n; i++)
        free(h->paths[i]);
    free(h->paths);
    free(h->hex);
    free(h->size);
    free(h);
}

hasher_t *hasher_start(char *const *paths, int n)
{
    hasher_t *h = calloc(1, sizeof *h);
    if (!h)
        return NULL;
    h->paths = calloc(n ? n : 1, sizeof *h->paths);
    h->hex = calloc(n ? n : 1, sizeof *h->hex);
    h->size = calloc(n ? n : 1, sizeof *h->size);
    if (!h->paths || !h->hex || !h->size) {
        hasher_free(h);
        return NULL;
    }
    for (h->n = 0; h->n < n; h->n++)
        if (!(h->paths[h->n] = strdup(paths[h->n]))) {
            hasher_free(h);
            return NULL;
        }
    /* The hasher takes no signals: SIGINT and friends go to the thread
     * that writes the output folder, whose handler removes it (cleanup.h). */
    sigset_t all, old;
    sigfillset(&all);
    pthread_sigmask(SIG_BLOCK, &all, &old);
    int err = pthread_create(&h->th, NULL, hash_all, h);
    pthread_sigmask(SIG_SETMASK, &old, NULL);
    if (err != 0) {
        hasher_free(h);
        return NULL;
    }
    return h;
}

int hasher_join(hasher_t *h, char (*hex)[65], uint64_t *size)
{
    pthread_join(h->th, NULL);
    int rc = h->rc;
    memcpy(hex, h->hex, h->n * sizeof *hex);
    memcpy(size, h->size, h->n * sizeof *size);
    hasher_free(h);
    return rc;
}
