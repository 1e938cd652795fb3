/* SHA-256 of files, from OpenSSL's libcrypto (not hand-written: a digest
 * that an auditor relies on must come from a well-kept library).
 *
 * The inputs of a run are hashed on a second thread while the first one
 * parses them: the page cache serves both reads, and the comparison itself
 * leaves the second core idle. */
#ifndef BIDUI_DIGEST_H
#define BIDUI_DIGEST_H
#include <stdint.h>

/* Hash path into hex (64 characters and a NUL); *size gets its bytes.
 * 0, or BIDUI_EIO (reported, naming the file). */
int sha256_file(const char *path, char hex[65], uint64_t *size);

typedef struct hasher hasher_t;
/* Start hashing paths[0..n) (copied) in the background. NULL when out of
 * memory or no thread can be started: the caller then hashes itself. */
hasher_t *hasher_start(char *const *paths, int n);
/* Wait for the thread; hex[i] and size[i] for each path. 0, or the first
 * error (reported). Frees h. */
int hasher_join(hasher_t *h, char (*hex)[65], uint64_t *size);

#endif
