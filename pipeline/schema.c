/* Header aliases. To accept a new export, add its header text to the row of
 * the canonical column it means; the first alias of a row is the canonical
 * Chinese header that outputs use. Matching is on normalized text (see
 * schema_norm_header), so spacing, full-width brackets and '*' marks of
 * required columns need no aliases of their own. */
#include <string.h>
#include "schema.h"

#define R (1u << KIND_REGISTRY)
#define S (1u << KIND_ROSTER)
#define A (1u << KIND_AID)
#define P (1u << KIND_PROVINCE)
#define T (1u << KIND_TRACKING)
#define Z (1u << KIND_RESOLUTION)
#define Y (1u << KIND_REPLY)

static const struct {
    canon_col col;
    const char *name;
    unsigned kinds;
    const char *aliases[12];   /* NULL-terminated; [0] is the output header */
} COLS[COL__N] = {
    {COL_ID, "id", R|S|A|P|T|Z|Y, {"身份证号", "证件号码", "身份证件号", "公民身份号码", "身份证号码",
        "身份证件号码", "证件号", "居民身份证号码", "学生身份证号", "学生身份证件号", "受助学生身份证号"}},
    {COL_NAME, "name", R|S|A|P|T|Z|Y, {"姓名", "学生姓名", "成员姓名", "人员姓名", "受助学生姓名",
        "受助人姓名", "幼儿姓名"}},
    {COL_COUNTY, "county", R|P, {"县(市、区、旗)", "县(市、区)", "县", "县区", "区县", "县(区)",
        "所在县区", "学校所在县区", "所在县"}},
    {COL_TOWNSHIP, "township", R, {"乡(镇)", "乡镇", "乡镇(街道)", "乡(镇、街道)", "镇", "所在乡镇"}},
    {COL_VILLAGE, "village", R, {"行政村", "村", "村(社区)", "所在村"}},
    {COL_HOUSEHOLD, "household", R, {"户编号", "户码", "家庭编号"}},
    {COL_PERSON_NO, "person_no", R, {"人编号", "人员编号", "成员编号"}},
    {COL_RELATION, "relation", R, {"与户主关系"}},
    {COL_SCHOOL_STATUS, "school_status", R, {"在校生状况", "在校生情况", "在校状况", "就学状况",
        "在校学生状况"}},
    {COL_NONATTEND, "nonattend_reason", R, {"义务教育阶段未上学原因", "未上学原因", "失学辍学原因",
        "未入学原因", "未在校原因"}},
    {COL_HOUSEHOLD_TYPE, "household_type", R, {"户类型", "家庭类型"}},
    {COL_MONITOR_TYPE, "monitor_type", R, {"监测对象类型", "监测对象类别", "监测类型"}},
    {COL_RISK_CLEARED, "risk_cleared", R, {"风险是否消除", "是否消除风险"}},
    {COL_DESTINATION, "destination", R, {"务工地点", "外出务工地点", "务工所在地", "就读地",
        "就读地点", "去向", "外出地点", "就读学校所在地"}},
    {COL_HEAD_NAME, "head_name", R, {"户主姓名", "户主"}},
    {COL_SCHOOL_CODE, "school_code", S|P, {"学校标识码", "学校代码", "学校识别码"}},
    {COL_SCHOOL_NAME, "school_name", S|A|P, {"学校名称", "学校", "就读学校", "所在学校"}},
    {COL_SEX, "sex", S|P, {"性别"}},
    {COL_ID_TYPE, "id_type", S|P, {"身份证件类型", "证件类型"}},
    {COL_STUDENT_NO, "student_no", S|P, {"全国学籍号", "学籍号", "学籍辅号"}},
    {COL_STAGE, "stage", S|A|P, {"学段", "教育阶段", "就读学段"}},
    {COL_GRADE, "grade", S|P, {"年级"}},
    {COL_CLASS, "class", S, {"班级", "班级名称"}},
    {COL_BOARDING, "boarding", S, {"就读方式", "是否住校"}},
    {COL_DISABILITY, "disability", S, {"残疾类型"}},
    {COL_INCLUSIVE, "inclusive", S, {"随班就读"}},
    {COL_TERM, "term", A, {"学期", "资助学期", "发放学期"}},
    {COL_PROGRAMME, "programme", A, {"资助项目", "项目名称", "资助项目名称", "项目"}},
    {COL_AMOUNT, "amount", A, {"金额", "资助金额", "发放金额", "金额(元)", "资助金额(元)",
        "发放金额(元)"}},
    {COL_CATEGORY, "category", A, {"资助类别", "困难类型", "家庭经济困难类型", "困难类别",
        "学生类别", "资助对象类别"}},
    {COL_CASE_NO, "case_no", T|Z|Y, {"编号", "异常编号", "比对编号"}},
    {COL_LIST, "list", T|Z, {"名单代码"}},
    {COL_FIRST_SEEN, "first_seen", T, {"首次出现"}},
    {COL_TRACK_STATE, "state", T, {"状态"}},
    {COL_FINGERPRINT, "fingerprint", T, {"事实指纹"}},
    {COL_RESULT, "result", T|Z, {"处理结果", "处理情况", "核查结果", "处理意见", "核实情况"}},
    {COL_RESULT_DATE, "result_date", T|Z|Y, {"处理日期", "核查日期", "核实日期", "回复日期"}},
    {COL_RESULT_SRC, "result_source", T, {"处理来源"}},
    {COL_REPLY_ENROLLED, "reply_enrolled", Y, {"是否在读", "是否在校", "是否就读", "是否在读（是/否）"}},
    {COL_REPLY_SCHOOL, "reply_school", Y, {"就读学校", "现就读学校", "在读学校"}},
    {COL_REPLY_AID, "reply_aid", Y, {"本年度已享受资助", "已享受资助", "享受资助情况", "已享受资助项目",
        "本年度已享受资助项目"}},
    {COL_REPLY_UNIT, "reply_unit", Y, {"回复单位", "核查单位", "复函单位"}},
};

static const char *const KIND_NAMES[KIND__N] = {"registry", "roster", "aid", "province",
                                                "tracking", "resolution", "reply"};
static const char *const KIND_ZH[KIND__N] = {"建档立卡等名单", "学籍花名册", "资助发放名单",
                                             "全省学籍", "上期跟踪台账", "处理结果回执",
                                             "外省复函"};

const char *kind_name(input_kind k) { return k < KIND__N ? KIND_NAMES[k] : "auto"; }
const char *kind_zh(input_kind k) { return k < KIND__N ? KIND_ZH[k] : "自动识别"; }

int kind_parse(const char *s)
{
    for (int k = 0; k < KIND__N; k++)
        if (strcmp(s, KIND_NAMES[k]) == 0)
            return k;
    return -1;
}

const char *col_name(canon_col c) { return c < COL__N ? COLS[c].name : "?"; }
const char *col_zh(canon_col c) { return c < COL__N ? COLS[c].aliases[0] : "?"; }

/* Full-width forms that exports put in headers, and what they mean. */
static const struct { const char *from, *to; } FOLD[] = {
    {"\xef\xbc\x88", "("}, {"\xef\xbc\x89", ")"},   /* （ ） */
    {"\xef\xbc\x8c", "、"},                         /* ， inside 县(市，区) */
    {"\xe3\x80\x80", ""},                           /* ideographic space */
    {"\xc2\xa0", ""},                               /* no-break space */
    {"\xef\xbb\xbf", ""},                           /* a stray BOM */
    {"\xef\xbc\x8a", ""},                           /* ＊ */
};

char *schema_norm_header(const char *in, char *out, unsigned cap)
{
    unsigned o = 0;
    if (cap == 0)
        return out;
    while (*in && o + 1 < cap) {
        unsigned char c = (unsigned char)*in;
        if (c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == '*') {
            in++;
            continue;
        }
        int folded = 0;
        /* every fold key starts with a byte >= 0x80: ASCII needs no look-up */
        for (unsigned i = 0; c >= 0x80 && i < sizeof FOLD / sizeof FOLD[0]; i++) {
            size_t n = strlen(FOLD[i].from);
            if (strncmp(in, FOLD[i].from, n) == 0) {
                size_t m = strlen(FOLD[i].to);
                if (o + m + 1 > cap)
                    goto done;
                memcpy(out + o, FOLD[i].to, m);
                o += (unsigned)m;
                in += n;
                folded = 1;
                break;
            }
        }
        if (!folded)
            out[o++] = *in++;
    }
done:
    out[o] = 0;
    return out;
}

int schema_match(input_kind k, const char *header)
{
    char norm[256];
    schema_norm_header(header, norm, sizeof norm);
    if (!norm[0])
        return -1;
    for (int c = 0; c < COL__N; c++) {
        if (!(COLS[c].kinds & (1u << k)))
            continue;
        for (int i = 0; COLS[c].aliases[i]; i++)
            if (strcmp(norm, COLS[c].aliases[i]) == 0)
                return c;
    }
    return -1;
}
