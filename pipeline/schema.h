/* The canonical schema of each input kind, and the header aliases that map
 * what real exports call a column onto it.
 *
 * Exports differ by system and by year (证件号码 / 身份证号 / 身份证件号 /
 * 公民身份号码 all mean the ID), so every stage after the header stage asks
 * for a canonical column (COL_ID), never for a header text. */
#ifndef BIDUI_SCHEMA_H
#define BIDUI_SCHEMA_H

typedef enum {
    KIND_REGISTRY = 0,  /* 建档立卡 / 监测 / 低保 / 特困 / 孤儿 / 残疾 lists */
    KIND_ROSTER,        /* county school rosters (学籍) */
    KIND_AID,           /* aid payment lists (资助发放名单) */
    KIND_PROVINCE,      /* province-wide student-status extract */
    KIND_TRACKING,      /* tracking.csv of an earlier run (--previous) */
    KIND_RESOLUTION,    /* lists sent back with 处理结果 filled in (--resolutions) */
    KIND_REPLY,         /* letters to other provinces, filled in (--province-replies) */
    KIND__N,
    KIND_AUTO = KIND__N /* inspect: decide from the header */
} input_kind;

/* Canonical columns, shared by all kinds (a kind uses a subset). */
typedef enum {
    COL_ID = 0, COL_NAME,
    /* registry */
    COL_COUNTY, COL_TOWNSHIP, COL_VILLAGE, COL_HOUSEHOLD, COL_PERSON_NO,
    COL_RELATION, COL_SCHOOL_STATUS, COL_NONATTEND, COL_HOUSEHOLD_TYPE,
    COL_MONITOR_TYPE, COL_RISK_CLEARED, COL_DESTINATION, COL_HEAD_NAME,
    /* roster and province extract */
    COL_SCHOOL_CODE, COL_SCHOOL_NAME, COL_SEX, COL_ID_TYPE, COL_STUDENT_NO,
    COL_STAGE, COL_GRADE, COL_CLASS, COL_BOARDING, COL_DISABILITY,
    COL_INCLUSIVE,
    /* aid */
    COL_TERM, COL_PROGRAMME, COL_AMOUNT, COL_CATEGORY,
    /* tracking and resolutions (issue 5) */
    COL_CASE_NO, COL_LIST, COL_FIRST_SEEN, COL_TRACK_STATE, COL_FINGERPRINT,
    COL_RESULT, COL_RESULT_DATE, COL_RESULT_SRC,
    /* replies from other provinces (issue 6) */
    COL_REPLY_ENROLLED, COL_REPLY_SCHOOL, COL_REPLY_AID, COL_REPLY_UNIT,
    COL__N
} canon_col;

/* English name of a kind ("registry") and its Chinese label ("建档立卡等名单"). */
const char *kind_name(input_kind k);
const char *kind_zh(input_kind k);
/* "registry" -> KIND_REGISTRY; -1 when unknown. */
int kind_parse(const char *s);

/* English name of a canonical column ("id", "school_code"). */
const char *col_name(canon_col c);
/* The canonical Chinese header written in outputs for the column ("身份证号"). */
const char *col_zh(canon_col c);

/* Which canonical column a header cell means for this kind, or -1.
 * The header is normalized first (spaces, full-width brackets, '*' required
 * markers and line breaks inside the cell are ignored). */
int schema_match(input_kind k, const char *header);

/* Normalize a header cell into out (cap bytes): the form schema_match
 * compares. Returns out. */
char *schema_norm_header(const char *in, char *out, unsigned cap);

#endif
