/* The record: one CSV row of one input, and where it came from.
 *
 * OWNERSHIP (the one rule of the pipeline):
 *   The source owns every record and every byte its fields point to, and
 *   reuses them for the next row. A stage BORROWS the record for the length
 *   of its process() call: it may rewrite field pointers (to bytes it owns
 *   itself, e.g. decoded text, valid until its next call), but anything it
 *   wants to keep after returning it copies into its own arena. No stage
 *   frees a record or a field.
 * That is why nothing on the per-row path allocates. */
#ifndef BIDUI_RECORD_H
#define BIDUI_RECORD_H
#include <stddef.h>
#include <stdint.h>
#include "id.h"
#include "schema.h"

struct input;

typedef struct {
    char  *s;     /* NUL-terminated bytes (UTF-8 after the decode stage) */
    size_t n;
} field_t;

typedef struct record {
    field_t *f;            /* f[0..nf) */
    int      nf;
    struct input *in;      /* the input it came from (path, kind, column map) */
    long     line;         /* physical line (1-based) where the row starts */
    long     lines;        /* physical lines it spans (quoted line breaks) */
    int      flaw;         /* 0, or a reject_reason the source or decoder found;
                              the header stage (the gate) rejects such rows */
    uint64_t numeric_mask; /* bit i set: field i (i < 64) was a number cell of a
                              workbook, formatted as text by the reader (an ID
                              stored so has lost digits: the id stage rejects
                              it). Always 0 for CSV. */
    /* Set by the id stage for rows it lets through: */
    idnum_t     id;
} record_t;

/* Make room for need fields in a reader's row arrays (field offsets,
 * lengths, field_t), growing *cap by doubling: the CSV source and the
 * workbook readers build rows the same way. 0, or BIDUI_ENOMEM (arrays
 * kept as they were, still owned by the caller). */
int rec_fields_reserve(size_t **off, size_t **flen, field_t **fields, int *cap, int need);

/* The field holding canonical column c, or an empty field when the input
 * has no such column or the row is short. Never NULL. */
const field_t *rec_col(const record_t *r, canon_col c);

#endif
