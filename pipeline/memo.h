/* A small memo for functions of short, few-valued strings (在校生状况,
 * 资助项目, 资助类别, 学段): a county's millions of rows carry a handful
 * of distinct values, and the classifiers behind them run a dozen strstr
 * calls each. The last MEMO_SLOTS distinct values are remembered.
 * One memo per call site and thread (it is not locked). */
#ifndef BIDUI_MEMO_H
#define BIDUI_MEMO_H
#include <string.h>

#define MEMO_SLOTS 16
#define MEMO_KEY 48

typedef struct {
    char key[MEMO_SLOTS][MEMO_KEY];
    int val[MEMO_SLOTS];
    int used, next;
} memo_t;

/* f(s), remembered. Strings longer than MEMO_KEY - 1 are not remembered. */
static inline int memo_get(memo_t *m, const char *s, int (*f)(const char *))
{
    size_t n = strlen(s);
    if (n >= MEMO_KEY)
        return f(s);
    for (int i = 0; i < m->used; i++)
        if (!memcmp(m->key[i], s, n + 1))
            return m->val[i];
    int v = f(s), i = m->next;
    memcpy(m->key[i], s, n + 1);
    m->val[i] = v;
    m->next = (i + 1) % MEMO_SLOTS;
    if (m->used < MEMO_SLOTS)
        m->used++;
    return v;
}

#endif
