/* The rules of the comparison (the contract, in order), run once
 * after every input is read. They only read the model (compare.h) and fill
 * a results_t: a status per registry person and, per list, the indices of
 * its rows, in the order the list is written. */
#ifndef BIDUI_RULES_H
#define BIDUI_RULES_H
#include <stddef.h>
#include <stdint.h>
#include "compare.h"

/* The lists, in the order of summary.json. */
enum { L_MISSED = 0, L_OUT_OF_COUNTY, L_OUT_OF_PROVINCE, L_DROPOUT, L_IDENTITY,
       L_PAID_NOT_ENROLLED, L_DUPLICATE, L_NAME_MISMATCH, L_REJECTS, L__N };
const char *list_key(int l);    /* "missed", … "dropout_suspects", … "rejects" */
const char *list_zh(int l);     /* 应助未助, 县外省内就读, … */
const char *list_file(int l);   /* "missed.csv" */

/* A registry person's status. */
enum { ST_OUT_OF_SCOPE = 0, ST_FINE, ST_UNCHECKED, ST_MISSED, ST_OUT_OF_COUNTY,
       ST_OUT_OF_PROVINCE, ST_DROPOUT, ST_NOT_AT_SCHOOL, ST_ELSEWHERE_CONFIRMED };
const char *status_zh(int st);  /* 正常, 在校（未核对资助）, 应助未助, … 未在校 */

/* Roster stages for the summary (学段 of the roster row). */
enum { SG_PRESCHOOL = 0, SG_PRIMARY, SG_JUNIOR, SG_SENIOR, SG_VOCATIONAL, SG_SPECIAL,
       SG_OTHER, SG__N };
const char *sg_zh(int s);
int sg_of(const char *stage);

typedef struct {
    uint64_t key;
    const char *name;        /* the registry's name, else the first seen */
    const char *detail;      /* "张伟（file:line）；张玮（file:line）" */
    const char *school;      /* RS_* blob of her (first) county school, or NULL */
} mismatch_t;

typedef struct {
    long payments, reg_payments;
    int64_t fen, reg_fen;
} aid_sum_t;

typedef struct {
    uint8_t *status;         /* per person */
    size_t *household;       /* the ledger's persons in household order
                                (household_order), or NULL: not made yet */
    size_t nhousehold;
    int *age;                /* per person, on the as-of date */
    size_t *items[L__N];     /* row indices: persons (missed … dropout),
                                payments (identity, paid_not_enrolled),
                                dups, mismatches, rejects */
    size_t n[L__N], cap[L__N];
    size_t shown[L__N];      /* rows written (outputs.c): closed exceptions left out */
    mismatch_t *mm;
    size_t nmm, capmm;
    aid_sum_t aid[AIDG__N];
    long enrolled_by_stage[SG__N];   /* registry children on county rosters */
    long in_scope, by_status[ST_ELSEWHERE_CONFIRMED + 1];
} results_t;

/* 1 when a 在校生状况 value names a school stage up to senior secondary. */
int status_names_stage(const char *s);
/* 1 when the registry row records why she does not attend. */
int has_nonattend_reason(const char *reason, const char *status);

/* Returns 0 or BIDUI_ENOMEM. */
int  rules_run(cmp_t *c, results_t *r);
/* The indexes of the persons in scope (*n of them), sorted by township,
 * village, household, then ID: the ledger's rows in order. It reads only
 * the persons' keys and registry strings, so it may run on another thread
 * while rules_run works. NULL when out of memory. */
size_t *household_order(const cmp_t *c, size_t *n);
void results_free(results_t *r);

#endif
