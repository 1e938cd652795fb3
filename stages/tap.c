/* tap: a stage around a sink that copies the rows of chosen IDs before the
 * sink uses them (`bidui audit --id`: every row about a child, as read).
 * The tap owns its inner sink and frees it with itself. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "err.h"
#include "input.h"
#include "stages.h"

typedef struct {
    stage_t *inner;
    tap_rows_t *out;
} tap_st;

static int tap_process(stage_t *self, record_t *rec)
{
    tap_st *st = self->st;
    tap_rows_t *t = st->out;
    if (idmap_get(t->want, rec->id.key)) {
        /* "header=value; header=value", the row as staff know it */
        size_t len = 1;
        for (int i = 0; i < rec->nf && i < rec->in->ncols; i++)
            len += strlen(rec->in->headers[i]) + rec->f[i].n + 3;
        char *s = arena_alloc(t->arena, len), *o = s;
        if (!s || mem_grow((void **)&t->v, &t->cap, t->n + 1, sizeof *t->v) < 0)
            return BIDUI_ENOMEM;
        *o = 0;
        for (int i = 0; i < rec->nf && i < rec->in->ncols; i++) {
            if (!rec->f[i].n)
                continue;
            o += sprintf(o, "%s%s=%s", o == s ? "" : "; ", rec->in->headers[i], rec->f[i].s);
        }
        tap_row_t *r = &t->v[t->n++];
        r->key = rec->id.key;
        r->input = rec->in->index;
        r->line = rec->line;
        r->text = s;
    }
    return st->inner->process(st->inner, rec);
}

static int tap_end(stage_t *self)
{
    tap_st *st = self->st;
    return st->inner->end ? st->inner->end(st->inner) : 0;
}

static void tap_free(stage_t *self)
{
    tap_st *st = self->st;
    stage_free(st->inner);
    stage_free_default(self);
}

stage_t *stage_tap_new(stage_t *inner, tap_rows_t *out)
{
    if (!inner)
        return NULL;
    stage_t *s = stage_new("tap", sizeof(tap_st));
    if (!s) {
        stage_free(inner);
        return NULL;
    }
    tap_st *st = s->st;
    st->inner = inner;
    st->out = out;
    s->process = tap_process;
    s->end = tap_end;
    s->free = tap_free;
    return s;
}
