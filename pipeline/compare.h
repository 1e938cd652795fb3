/* The comparison's model: what `bidui compare` holds while the rosters
 * stream past, and the lists the rules make of it.
 *
 * Held (everything else streams):
 *   persons   one per registry ID, whatever number of rows and categories
 *             carry her; strings in one NUL-separated blob in the arena
 *   payments  every usable payment row of the aid lists
 *   roster    the roster's ID set: key -> first row (file, line), dup mark
 *   names     extra name observations for the name check
 * Ownership: the run owns all of it (arrays, arena, tables) and frees it in
 * cmp_free(); stages hold a pointer to the run, never copies of its parts.
 * Persons and payments are referred to by index: their arrays grow. */
#ifndef BIDUI_COMPARE_H
#define BIDUI_COMPARE_H
#include <stdint.h>
#include "arena.h"
#include "idmap.h"
#include "input.h"
#include "rejects.h"

/* Registry categories, in the order of the contract. */
enum { CAT_JDLK = 0, CAT_MONITOR, CAT_DIBAO, CAT_TEKUN, CAT_ORPHAN, CAT_DISABLED, CAT__N };
const char *cat_zh(int c);             /* 建档立卡, 监测, 低保, 特困, 孤儿, 残疾 */
int cat_parse(const char *s);          /* exact category name -> CAT_*, -1 */
/* Categories a payment's label names (资助类别 text), as a bit mask:
 * 建档立卡 / 脱贫 -> 建档立卡, 监测 -> 监测, 低保, 特困, 孤儿, 残疾. */
unsigned cat_mask_of_label(const char *label);
/* "建档立卡、低保" for a mask, into buf. */
const char *cat_join(unsigned mask, char *buf, size_t cap);

/* Aid programme groups (summary "aid" keys). */
enum { AIDG_PRESCHOOL = 0, AIDG_COMPULSORY, AIDG_SENIOR, AIDG_VOCATIONAL, AIDG_OTHER, AIDG__N };
const char *aidg_zh(int g);            /* 学前, 义务教育, 普高, 中职, 其他 */
int aidg_of_programme(const char *programme);

/* Registry person blob fields, in order (pblob_get(p->reg, PR_TOWNSHIP)). */
enum { PR_NAME = 0, PR_COUNTY, PR_TOWNSHIP, PR_VILLAGE, PR_HOUSEHOLD, PR_RELATION,
       PR_STATUS, PR_NONATTEND, PR_DEST, PR_HEAD, PR__N };
/* Roster blob fields (p->school, and captured duplicate rows). */
enum { RS_SCHOOL_CODE = 0, RS_SCHOOL_NAME, RS_STAGE, RS_GRADE, RS_CLASS, RS_NAME, RS__N };
/* Payment blob fields. */
enum { PB_NAME = 0, PB_SCHOOL, PB_PROGRAMME, PB_TERM, PB_CATEGORY, PB__N };
/* Province blob fields. */
enum { PV_SCHOOL = 0, PV_COUNTY, PV__N };

/* A blob: the few strings a held row keeps, in one arena block: n uint16
 * offsets, then the NUL-terminated strings. The n-th string of a blob in
 * O(1) ("" when blob is NULL): the sorts and writers call this millions of
 * times, so no walking. */
static inline const char *blob_get(const char *blob, int n)
{
    return blob ? blob + ((const uint16_t *)(const void *)blob)[n] : "";
}


/* Person flags */
#define P_ENROLLED   1u   /* on a county roster */
#define P_IN_PROV    2u   /* in the province extract */
#define P_PAID       4u   /* at least one payment */
#define P_REPLY_STUDYING 8u  /* another province replied: enrolled there and paid */
#define P_REPLY_NOT_ENROLLED 16u /* another province replied: not enrolled there */

typedef struct {
    uint64_t key;
    const char *reg;          /* registry blob (PR_*) */
    const char *school;       /* roster blob (RS_*) of her first roster row, or NULL */
    const char *prov;         /* province blob (PV_*), or NULL */
    uint32_t reg_line, roster_line, prov_line;
    uint16_t reg_file, roster_file, prov_file;
    uint8_t  cats;            /* CAT_* bits */
    uint8_t  flags;           /* P_* */
    uint32_t pay_head;        /* first payment index + 1; 0: none (set by the rules) */
    const char *reply;        /* a province's reply: "在读，学校…（file:line）", or NULL */
} person_t;

#define PAY_ENROLLED 1u       /* the ID is on a county roster */
#define PAY_FIRST    2u       /* the first payment of its ID (its chain starts here) */
#define PAY_OF_PERSON 4u      /* the ID is a registry person's (set by the rules) */

typedef struct {
    uint64_t key;
    int64_t  fen;             /* amount in fen (0.01 yuan) */
    const char *blob;         /* PB_* */
    uint32_t line;
    uint32_t next;            /* next payment of the same ID, index + 1; 0: none */
    uint16_t file;
    uint8_t  group;           /* AIDG_* */
    uint8_t  label_cats;      /* categories its own label names */
    uint8_t  reg_cats;        /* the registry's categories of its ID (set by the rules) */
    uint8_t  flags;           /* PAY_* */
} payment_t;

/* A name seen for an ID outside the registry and payments (a roster row). */
typedef struct {
    uint64_t key;
    const char *name;
    const char *school;       /* RS_* blob of the roster row it came from, or NULL */
    uint32_t line;
    uint16_t file;
} name_obs_t;

/* One captured roster row of a duplicated ID. */
typedef struct {
    uint64_t key;
    const char *blob;         /* RS_* */
    uint32_t line;
    uint16_t file;
} dup_row_t;

typedef struct {
    /* parameters */
    int as_of;                /* YYYYMMDD: ages */
    int birth_ref;            /* IDs born after it are rejected */
    unsigned given_cats;      /* categories for which a registry was given */
    int aid_checked;          /* 1 when at least one --aid input */
    /* inputs, in reading order */
    input_t **inputs;
    int ninputs;
    rejects_t rejects;
    arena_t arena;
    arena_t pay_arena;        /* the payments' strings: the aid lists load on a
                                 thread of their own, alongside the registry */
    /* held */
    person_t *persons;
    size_t npersons, cap_persons;
    idmap_t person_ix;        /* key -> person index */
    payment_t *payments;
    size_t npayments, cap_payments;
    idmap_t pay_ix;           /* key -> first payment index + 1 (low 32 bits),
                                 last payment index + 1 (high 32 bits) */
    idmap_t roster_ids;       /* key -> ROSTER_* packed first row */
    uint64_t *known;          /* filter of person and payment keys (see
                                 cmp_build_known); NULL: none */
    size_t known_lines;       /* its size in 512-bit lines, a power of two */
    name_obs_t *names;
    size_t nnames, cap_names;
    dup_row_t *dups;
    size_t ndups, cap_dups;
    size_t roster_rows;       /* usable roster rows streamed */
} cmp_t;

/* Roster ID set values: file (16 bits) << 40 | line (40 bits) | DUP bit. */
#define ROSTER_DUP (1ull << 63)
#define ROSTER_PACK(file, line) (((uint64_t)(file) << 40) | (uint64_t)(line))
#define ROSTER_FILE(v) ((unsigned)(((v) >> 40) & 0xffff))
#define ROSTER_LINE(v) ((long)((v) & 0xffffffffffull))

void cmp_free(cmp_t *c);

/* Most roster rows are of IDs that are neither registry persons nor paid:
 * a filter of the keys that are (a blocked Bloom filter: two bits in one
 * cache line per key, 8 bits per key, about 5% false positives, 8 MiB for
 * a province) lets such a row skip both tables' look-ups, which would
 * each be a miss in memory. Built once both tables are loaded.
 * 0 or BIDUI_ENOMEM. */
int cmp_build_known(cmp_t *c);
static inline const uint64_t *known_line(const cmp_t *c, uint64_t key, uint64_t *h)
{
    *h = key * 0xC2B2AE3D27D4EB4Full;
    return c->known + ((*h >> 40) & (c->known_lines - 1)) * 8;
}
/* 0: key is surely neither a person's nor a payment's; 1: it may be. */
static inline int cmp_maybe_known(const cmp_t *c, uint64_t key)
{
    uint64_t h;
    const uint64_t *l = known_line(c, key, &h);
    unsigned a = (unsigned)h & 511, b = (unsigned)(h >> 9) & 511;
    return (l[a >> 6] >> (a & 63) & 1) && (l[b >> 6] >> (b & 63) & 1);
}
/* Remember that rec shows `name` (held by the run) for key. 0 or BIDUI_ENOMEM. */
int cmp_add_name(cmp_t *c, uint64_t key, const char *name, const char *school,
                 const struct record *rec);
/* Capture a roster row of a duplicated ID (dup_row_t). 0 or BIDUI_ENOMEM. */
int cmp_add_dup(cmp_t *c, const struct record *rec);

/* Sinks (stages/): each uses rows of one input kind of run c. */
struct stage;
struct stage *stage_load_registry_new(cmp_t *c, int cat);
struct stage *stage_load_aid_new(cmp_t *c);
struct stage *stage_load_province_new(cmp_t *c);
struct stage *stage_probe_roster_new(cmp_t *c);
/* Second look at a roster file: captures the first rows of duplicated IDs. */
struct stage *stage_capture_dups_new(cmp_t *c);
/* Replies from other provinces to the letters (--province-replies). */
struct stage *stage_load_replies_new(cmp_t *c);

/* Copy fields of rec into a blob in the run's arena; NULL when out of
 * memory. Each field is trimmed of surrounding white space; one longer than
 * BLOB_FIELD_MAX bytes is cut there (with a warning naming file:line: it is
 * no name, school or township, and the lists would not show it anyway). */
#define BLOB_FIELD_MAX 4096
const char *blob_make(cmp_t *c, const struct record *rec, const int *cols, int n);
/* The same in arena a (the aid sink: c->pay_arena). */
const char *blob_make_in(arena_t *a, const struct record *rec, const int *cols, int n);
/* A blob of n strings (copied); NULL when out of memory. */
const char *blob_of(cmp_t *c, const char *const *s, int n);

#endif
