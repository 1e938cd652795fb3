#include <stdlib.h>
#include <string.h>
#include "arena.h"
#include "err.h"
#include "input.h"
#include "stage.h"

int chain_add(chain_t *c, stage_t *s)
{
    if (!s)
        return BIDUI_ENOMEM;
    if (c->n == CHAIN_MAX)
        BUG("chain longer than CHAIN_MAX (%d)", CHAIN_MAX);
    c->s[c->n++] = s;
    return 0;
}

int chain_push(chain_t *c, record_t *rec)
{
    for (int i = 0; i < c->n; i++) {
        int rc = c->s[i]->process(c->s[i], rec);
        if (rc != STAGE_PASS)
            return rc == STAGE_DROP ? 0 : rc;
    }
    /* A record that falls off the end of the chain was used by nobody:
     * the chain is built wrong, and a row would be lost silently. */
    BUG("record %s:%ld passed every stage of the chain", rec->in->path, rec->line);
}

int chain_end(chain_t *c)
{
    for (int i = 0; i < c->n; i++)
        if (c->s[i]->end) {
            int rc = c->s[i]->end(c->s[i]);
            if (rc < 0)
                return rc;
        }
    return 0;
}

void chain_free(chain_t *c)
{
    for (int i = 0; i < c->n; i++)
        stage_free(c->s[i]);
    c->n = 0;
}

stage_t *stage_new(const char *name, size_t st_size)
{
    stage_t *s = calloc(1, sizeof *s);
    if (!s)
        return NULL;
    s->name = name;
    if (st_size && !(s->st = calloc(1, st_size))) {
        free(s);
        return NULL;
    }
    return s;
}

void stage_free_default(stage_t *s)
{
    if (!s)
        return;
    free(s->st);
    free(s);
}

void stage_free(stage_t *s)
{
    if (s && s->free)
        s->free(s);
    else
        stage_free_default(s);
}

void stage_free_shell(stage_t *s)
{
    free(s);
}

stage_t *stage_borrowing(const char *name, void *st, int (*process)(stage_t *, record_t *))
{
    stage_t *s = stage_new(name, 0);
    if (s) {
        s->st = st;
        s->process = process;
        s->free = stage_free_shell;
    }
    return s;
}

int rec_fields_reserve(size_t **off, size_t **flen, field_t **fields, int *cap, int need)
{
    if (need <= *cap)
        return 0;
    int nc = *cap ? *cap : 64;
    while (nc < need)
        nc *= 2;
    size_t *o = realloc(*off, nc * sizeof *o);
    if (o)
        *off = o;
    size_t *l = realloc(*flen, nc * sizeof *l);
    if (l)
        *flen = l;
    field_t *f = realloc(*fields, nc * sizeof *f);
    if (f)
        *fields = f;
    if (!o || !l || !f)
        return BIDUI_ENOMEM;
    *cap = nc;
    return 0;
}

static const field_t EMPTY = {(char *)"", 0};

const field_t *rec_col(const record_t *r, canon_col c)
{
    int i = r->in->col[c];
    return i >= 0 && i < r->nf ? &r->f[i] : &EMPTY;
}
