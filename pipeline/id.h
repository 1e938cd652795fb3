/* Resident ID numbers (GB 11643-1999): canonical form, validation, what an
 * ID tells, masking.
 *
 * Every input kind goes through id_canon(): it is the join key, so one
 * function decides for all. Nothing here allocates; an idnum_t lives on the
 * caller's stack or inside the caller's record.
 *
 * The 64-bit key: a valid ID's check character follows from its first 17
 * digits, so those 17 digits read as a decimal number (< 10^17 < 2^57) are a
 * unique, non-zero key. Hash tables key on it instead of on strings.
 */
#ifndef BIDUI_ID_H
#define BIDUI_ID_H
#include <stddef.h>
#include <stdint.h>

/* Why an ID cannot be used. The order is stable: codes are written to files. */
typedef enum {
    ID_OK = 0,
    ID_EMPTY,          /* empty after trimming */
    ID_BAD_LENGTH,     /* not 15 or 18 characters */
    ID_BAD_CHAR,       /* a character other than digits (and a final X) */
    ID_BAD_DATE,       /* birth date does not exist (leap years exact) */
    ID_FUTURE_BIRTH,   /* born after the reference date */
    ID_BAD_PROVINCE,   /* first two digits are no province code */
    ID_BAD_CHECK,      /* check character wrong */
    ID_EXCEL_SCI,      /* Excel scientific notation: 3.41E+17 */
    ID_EXCEL_ZEROS,    /* 18 digits ending 000 that fail the check: Excel kept 15 */
    ID_STUDENT_NO_ID,  /* a student number starting J or L: pupil without ID */
    ID_EXCEL_NUMBER,   /* stored as a number in a workbook: digits already lost */
    ID__N
} id_reason;

/* idnum_t.flags */
#define ID_F_CONVERTED15  1u  /* was a 15-digit legacy ID, converted */
#define ID_F_FROM_STUDENT 2u  /* taken from a G + ID student number */

typedef struct {
    char     id[19];   /* canonical: 17 digits + check (0-9 or X), NUL */
    uint64_t key;      /* first 17 digits as a number; 0 when not valid */
    unsigned flags;    /* ID_F_* */
} idnum_t;

/* Canonicalize and validate s[0..n) (UTF-8; need not be NUL-terminated).
 * ref_yyyymmdd: reference date for ID_FUTURE_BIRTH, 0 to skip that check.
 * Returns ID_OK and fills *out, or the reason; on failure out->key is 0 and
 * out->id holds what could be canonicalized (possibly empty). */
id_reason id_canon(const char *s, size_t n, int ref_yyyymmdd, idnum_t *out);

/* Stable English code ("bad_check") and Chinese text for users ("校验码错误"). */
const char *id_reason_code(id_reason r);
const char *id_reason_zh(id_reason r);

/* Check character ('0'-'9' or 'X') for 17 ASCII digits. */
char id_check_char(const char *digits17);

/* Key <-> canonical ID. id_from_key writes 18 characters and a NUL. */
uint64_t id_key(const char *id18);
void     id_from_key(uint64_t key, char out[19]);

/* What a valid canonical ID tells. */
int  id_birth(const char *id18);             /* YYYYMMDD */
int  id_sex(const char *id18);               /* 1 male, 2 female */
int  id_province_code(const char *id18);     /* 11..65 */
const char *id_province_name(int code);      /* "安徽", or NULL if unknown */
/* Age in full years on ref (YYYYMMDD); -1 if born after ref. */
int  id_age_on(int birth_yyyymmdd, int ref_yyyymmdd);

/* The school stage a child of this age normally is in, age counted on the
 * 31 August cut-off: 3-5 学前, 6-11 小学, 12-14 初中, 15-17 高中, else NULL. */
const char *id_stage_for_age(int age);

/* Mask 6 + 4: "340304********1234". out must hold 19 bytes. Works on any
 * string: shorter than 11 characters is masked whole with '*'. */
void id_mask(const char *id, char out[19]);

/* Date helpers shared by flags (--as-of) and ID dates. */
int  date_valid(int y, int m, int d);
int  date_parse(const char *s, int *yyyymmdd);   /* "2021-08-31": 0 ok, -1 bad */

#endif
