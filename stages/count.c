/* count: the sink of `bidui inspect`: a row that got this far is usable. */
#include "input.h"
#include "stages.h"

static int count_process(stage_t *self, record_t *rec)
{
    (void)self;
    rec->in->rows_used++;
    return STAGE_DROP;
}

stage_t *stage_count_new(void)
{
    stage_t *s = stage_new("count", 0);
    if (s)
        s->process = count_process;
    return s;
}
