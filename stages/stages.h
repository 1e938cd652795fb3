/* The table of stages. Each is built by one constructor (returns NULL when
 * out of memory) and lives in its own file in stages/.
 *
 * The chain every input goes through, in this order:
 *
 *   source --> decode --> gate --> id --> sink (one per input kind / command)
 *
 *   decode  bytes of the file's encoding -> UTF-8; marks rows that do not decode
 *   gate    finds the header row below title rows, maps its columns; counts
 *           each data row in (rows_read) and rejects flawed rows
 *   id      canonical, valid ID for each row, or the row is rejected
 *   sink    uses the row: counts it (inspect), or loads it into the
 *           comparison (registry, roster, aid, province) */
#ifndef BIDUI_STAGES_H
#define BIDUI_STAGES_H
#include <pthread.h>
#include "arena.h"
#include "idmap.h"
#include "rejects.h"
#include "stage.h"

stage_t *stage_decode_new(void);
/* The gate of one input. in->kind KIND_AUTO: the gate picks the kind whose
 * columns the header matches best and sets in->kind. max_title: rows
 * searched for the header (0: 30). */
stage_t *stage_gate_new(struct input *in, rejects_t *rj, int max_title);
/* ref_yyyymmdd: IDs born after it are rejected (0: no such check). */
stage_t *stage_id_new(rejects_t *rj, int ref_yyyymmdd);
/* Counts rows_used and drops: the sink of `bidui inspect`. */
stage_t *stage_count_new(void);

/* Run inner (owned, freed with it) on a second thread, on copies of the
 * records, in batches: see async.c. */
stage_t *stage_async_new(stage_t *inner);
/* Run inner (owned) under lock mu, on copies of the records, in batches,
 * on the calling thread: the end of one of several parsing threads' chains
 * over one shared run. See locked.c. */
stage_t *stage_locked_new(stage_t *inner, pthread_mutex_t *mu);

/* Rows copied by a tap (audit): the run owns them (arena given by it). */
typedef struct {
    uint64_t key;
    int input;               /* index among the run's inputs */
    long line;
    const char *text;        /* "header=value; …" */
} tap_row_t;
typedef struct {
    const idmap_t *want;     /* keys to copy */
    arena_t *arena;
    tap_row_t *v;
    size_t n, cap;
} tap_rows_t;
/* Wrap inner (taking ownership; freed with the tap, also on failure). */
stage_t *stage_tap_new(stage_t *inner, tap_rows_t *out);

#endif
