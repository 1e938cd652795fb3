/* gen: the synthetic county (or province) that bidui is tried on.
 *
 *     build/gen --out DIR [--seed N] [--registry N] [--roster N] [--payments N]
 *               [--schools N] [--townships N] [--roster-files N] [--gzip]
 *               [--gbk SHARE] [--bom SHARE] [--crlf SHARE] [--title-rows SHARE]
 *               [--excel-damage SHARE] [--lower-x SHARE] [--id15 SHARE]
 *               [--dup SHARE] [--name-variants SHARE] [--clean] [--as-of YYYY-MM-DD]
 *
 * Writes DIR/registry/ (建档立卡 监测 低保 特困 孤儿 残疾), DIR/rosters/,
 * DIR/aid/, DIR/province/ and DIR/expected.json: the counts `bidui compare`
 * (with --as-of, no --period) must find: every list, and per input its data
 * rows and rejected rows. Nothing is real: names come from lists of common
 * characters, IDs are made up (valid check characters, unique by
 * construction: one counter per address code, birth day and sex).
 *
 * Sizes are exact data-row counts: --registry over the six registry files
 * (a person in two categories is two rows), --roster over all roster files,
 * --payments over all aid files. The shares: --gbk, --bom (of UTF-8 files),
 * --crlf, --title-rows (of registry and aid files) per file; --excel-damage
 * per ID cell of registry, roster and aid rows; --lower-x of IDs ending in
 * X; --id15 of registry rows of people born 1900-1999; --dup: second
 * enrolments as a share of roster rows; --name-variants per row of a pupil
 * whose name bidui compares (a roster row of a registry or paid or twice
 * enrolled pupil, or a payment), at most one per ID. Harmless variants come
 * on top and never count: '?' for a character outside GBK in a GBK file, •
 * for the minority-name dot. Pupils without ID (empty ID, J/L student
 * number): 0.2% of roster rows. --clean makes every share 0, these too.
 *
 * How the expected counts are known. Every ID that can matter beyond its own
 * row is an entity: each registry person, each pupil who is paid or enrolled
 * twice, each paid ID on no roster. An entity counts its usable rows by kind
 * (registry, roster, payment, province) as they are written; whether an ID
 * cell is usable is decided by id_canon, the function bidui itself uses, so
 * a damaged row is a reject and counts nowhere else. The lists then follow
 * from those counts by README's rules (written again here, see names_stage
 * and has_reason), not from what was planned.
 *
 * Memory: about 47 bytes per registry person (with her household), 24 per
 * other entity, 12 per payment; the rows of every other pupil stream out
 * and are forgotten (a province, 15 M rows, holds about 175 MB). Deterministic: xoshiro256**
 * streams seeded by splitmix64 from --seed (content, messiness and name
 * variants each their own); the same flags give byte-identical files. */
#include <dirent.h>
#include <errno.h>
#include <getopt.h>
#include <iconv.h>
#include <limits.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>
#include <zlib.h>
/* id.h after the system headers. */
#include "id.h"
#include "money.h"
#include "name.h"

#define ARRAY_N(a) (sizeof(a) / sizeof((a)[0]))

/* ------------------------------------------------------------------ */
/* failure                                                            */

static void die(const char *msg, const char *arg)
{
    fprintf(stderr, "gen: %s%s%s\n", msg, arg ? ": " : "", arg ? arg : "");
    exit(1);
}

static void *xcalloc(size_t n, size_t sz)
{
    void *p = calloc(n ? n : 1, sz);
    if (!p)
        die("out of memory", NULL);
    return p;
}

static void *xrealloc(void *p, size_t n)
{
    p = realloc(p, n ? n : 1);
    if (!p)
        die("out of memory", NULL);
    return p;
}

/* ------------------------------------------------------------------ */
/* random numbers: splitmix64 seeds xoshiro256**                      */

typedef struct {
    uint64_t s[4];
} rng_t;

static uint64_t splitmix64(uint64_t *x)
{
    uint64_t z = (*x += UINT64_C(0x9E3779B97F4A7C15));
    z = (z ^ (z >> 30)) * UINT64_C(0xBF58476D1CE4E5B9);
    z = (z ^ (z >> 27)) * UINT64_C(0x94D049BB133111EB);
    return z ^ (z >> 31);
}

/* Independent streams of one seed: content, messiness and variants draw
 * from their own, so that changing a share does not reshuffle the county. */
static void rng_init(rng_t *r, uint64_t seed, uint64_t stream)
{
    uint64_t x = seed ^ (stream * UINT64_C(0xD1B54A32D192ED03));
    for (int i = 0; i < 4; i++)
        r->s[i] = splitmix64(&x);
}

static uint64_t rotl(uint64_t x, int k)
{
    return (x << k) | (x >> (64 - k));
}

static uint64_t rng_u64(rng_t *r)
{
    uint64_t *s = r->s;
    uint64_t res = rotl(s[1] * 5, 7) * 9, t = s[1] << 17;
    s[2] ^= s[0];
    s[3] ^= s[1];
    s[1] ^= s[2];
    s[0] ^= s[3];
    s[2] ^= t;
    s[3] = rotl(s[3], 45);
    return res;
}

static uint32_t rng_below(rng_t *r, uint32_t n)
{
    return (uint32_t)(((rng_u64(r) >> 32) * (uint64_t)n) >> 32);
}

static double rng_unit(rng_t *r)
{
    return (double)(rng_u64(r) >> 11) * 0x1.0p-53;
}

static int chance(rng_t *r, double p)
{
    if (p <= 0)
        return 0;
    if (p >= 1)
        return 1;
    return rng_unit(r) < p;
}

static int rng_range(rng_t *r, int lo, int hi)
{
    return lo + (int)rng_below(r, (uint32_t)(hi - lo + 1));
}

/* Selection sampling: take exactly `need` of the `left` items still to come. */
static int take(rng_t *r, long *need, long *left)
{
    int t = *need > 0 && (*need >= *left || rng_unit(r) * (double)*left < (double)*need);
    if (t)
        (*need)--;
    (*left)--;
    return t;
}

static rng_t R_main, R_mess, R_var;

/* ------------------------------------------------------------------ */
/* dates                                                              */

static long days_from_civil(int y, int m, int d)
{
    y -= m <= 2;
    long era = (y >= 0 ? y : y - 399) / 400;
    long yoe = y - era * 400;
    long doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    long doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + doe - 719468;
}

static int civil_of_day(long z)
{
    z += 719468;
    long era = (z >= 0 ? z : z - 146096) / 146097;
    long doe = z - era * 146097;
    long yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    long y = yoe + era * 400;
    long doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    long mp = (5 * doy + 2) / 153;
    long d = doy - (153 * mp + 2) / 5 + 1;
    long m = mp + (mp < 10 ? 3 : -9);
    y += m <= 2;
    return (int)(y * 10000 + m * 100 + d);
}

static int is_leap(int y)
{
    return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

/* The day of (y, m, d) where 29 February of a common year is 28 February. */
static long day_of(int y, int m, int d)
{
    if (m == 2 && d == 29 && !is_leap(y))
        d = 28;
    return days_from_civil(y, m, d);
}

/* Full years on ref; the README's (and the ID module's) definition. */
static int age_on(int birth, int ref)
{
    int a = ref / 10000 - birth / 10000;
    if (ref % 10000 < birth % 10000)
        a--;
    return a;
}

/* ------------------------------------------------------------------ */
/* flags                                                              */

typedef struct {
    const char *out;
    uint64_t seed;
    long registry, roster, payments, schools, townships, roster_files;
    int gzip, clean;
    double gbk, bom, crlf, title, damage, lowerx, id15, dup, variants;
    double noid;          /* pupils without ID (J/L student numbers); 0 with --clean */
    int as_of;
} cfg_t;

static cfg_t C = {
    .seed = 1, .registry = 2000, .roster = 10000, .payments = 3000, .schools = 12,
    .townships = 6, .roster_files = 0, .gbk = 0.3, .bom = 0.5, .crlf = 1.0, .title = 0.5,
    .damage = 0.002, .lowerx = 0.01, .id15 = 0.001, .dup = 0.002, .variants = 0.005,
    .noid = 0.002, .as_of = 20210831,
};

static void usage(FILE *f)
{
    fprintf(f,
"usage: gen --out DIR [--seed N] [--registry N] [--roster N] [--payments N]\n"
"           [--schools N] [--townships N] [--roster-files N] [--gzip]\n"
"           [--gbk SHARE] [--bom SHARE] [--crlf SHARE] [--title-rows SHARE]\n"
"           [--excel-damage SHARE] [--lower-x SHARE] [--id15 SHARE] [--dup SHARE]\n"
"           [--name-variants SHARE] [--clean] [--as-of YYYY-MM-DD]\n"
"Writes a synthetic county into DIR (registry/, rosters/, aid/, province/) and\n"
"DIR/expected.json with the counts bidui compare must find.\n"
"Defaults: --seed 1 --registry 2000 --roster 10000 --payments 3000 --schools 12\n"
"--townships 6 --as-of 2021-08-31; shares: gbk 0.3, bom 0.5, crlf 1, title-rows 0.5,\n"
"excel-damage 0.002, lower-x 0.01, id15 0.001, dup 0.002, name-variants 0.005.\n"
"--clean: every share 0 (UTF-8 without BOM, LF, no title rows, no damage, no\n"
"duplicates, no name variants, no pupils without ID); shares given as flags\n"
"still apply.\n");
}

static void bad_flag(const char *flag, const char *val, const char *want)
{
    fprintf(stderr, "gen: %s '%s': %s\n", flag, val, want);
    exit(2);
}

static long parse_count(const char *flag, const char *s, long lo, long hi)
{
    char *end;
    errno = 0;
    long v = strtol(s, &end, 10);
    if (errno || end == s || *end || v < lo || v > hi) {
        char want[96];
        snprintf(want, sizeof want, "a whole number from %ld to %ld", lo, hi);
        bad_flag(flag, s, want);
    }
    return v;
}

static double parse_share(const char *flag, const char *s)
{
    char *end;
    errno = 0;
    double v = strtod(s, &end);
    if (errno || end == s || *end || !(v >= 0 && v <= 1))
        bad_flag(flag, s, "a share from 0 to 1");
    return v;
}

static void parse_flags(int argc, char **argv)
{
    enum { O_OUT = 1, O_SEED, O_REG, O_ROSTER, O_PAY, O_SCHOOLS, O_TOWNS, O_RFILES, O_GZIP,
           O_GBK, O_BOM, O_CRLF, O_TITLE, O_DAMAGE, O_LOWERX, O_ID15, O_DUP, O_VARIANTS,
           O_CLEAN, O_ASOF, O_HELP };
    static const struct option opts[] = {
        {"out", required_argument, 0, O_OUT}, {"seed", required_argument, 0, O_SEED},
        {"registry", required_argument, 0, O_REG}, {"roster", required_argument, 0, O_ROSTER},
        {"payments", required_argument, 0, O_PAY}, {"schools", required_argument, 0, O_SCHOOLS},
        {"townships", required_argument, 0, O_TOWNS},
        {"roster-files", required_argument, 0, O_RFILES}, {"gzip", no_argument, 0, O_GZIP},
        {"gbk", required_argument, 0, O_GBK}, {"bom", required_argument, 0, O_BOM},
        {"crlf", required_argument, 0, O_CRLF}, {"title-rows", required_argument, 0, O_TITLE},
        {"excel-damage", required_argument, 0, O_DAMAGE},
        {"lower-x", required_argument, 0, O_LOWERX}, {"id15", required_argument, 0, O_ID15},
        {"dup", required_argument, 0, O_DUP},
        {"name-variants", required_argument, 0, O_VARIANTS},
        {"clean", no_argument, 0, O_CLEAN}, {"as-of", required_argument, 0, O_ASOF},
        {"help", no_argument, 0, O_HELP}, {0, 0, 0, 0}};
    /* shares given explicitly, which --clean leaves alone */
    double *share_of[O_HELP] = {0};
    share_of[O_GBK] = &C.gbk, share_of[O_BOM] = &C.bom, share_of[O_CRLF] = &C.crlf;
    share_of[O_TITLE] = &C.title, share_of[O_DAMAGE] = &C.damage;
    share_of[O_LOWERX] = &C.lowerx, share_of[O_ID15] = &C.id15, share_of[O_DUP] = &C.dup;
    share_of[O_VARIANTS] = &C.variants;
    int given[O_HELP] = {0};
    double val[O_HELP] = {0};
    int c;
    opterr = 0;
    while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
        char flag[40] = "?";
        for (size_t i = 0; opts[i].name; i++)
            if (opts[i].val == c)
                snprintf(flag, sizeof flag, "--%s", opts[i].name);
        switch (c) {
        case O_OUT: C.out = optarg; break;
        case O_SEED: {
            char *end;
            errno = 0;
            unsigned long long v = strtoull(optarg, &end, 10);
            if (errno || end == optarg || *end || optarg[0] == '-')
                bad_flag("--seed", optarg, "a whole number");
            C.seed = v;
            break;
        }
        case O_REG: C.registry = parse_count("--registry", optarg, 0, 400000000L); break;
        case O_ROSTER: C.roster = parse_count("--roster", optarg, 0, 2000000000L); break;
        case O_PAY: C.payments = parse_count("--payments", optarg, 0, 2000000000L); break;
        case O_SCHOOLS: C.schools = parse_count("--schools", optarg, 1, 99999); break;
        case O_TOWNS: C.townships = parse_count("--townships", optarg, 1, 9999); break;
        case O_RFILES: C.roster_files = parse_count("--roster-files", optarg, 1, 99999); break;
        case O_GZIP: C.gzip = 1; break;
        case O_CLEAN: C.clean = 1; break;
        case O_ASOF:
            if (date_parse(optarg, &C.as_of) < 0 || C.as_of < 19500101 || C.as_of > 21001231)
                bad_flag("--as-of", optarg, "a date YYYY-MM-DD between 1950 and 2100");
            break;
        case O_HELP: usage(stdout); exit(0);
        case '?':
        case ':':
            fprintf(stderr, "gen: unknown flag or missing value: %s\n",
                    optind > 0 && optind <= argc ? argv[optind - 1] : "?");
            usage(stderr);
            exit(2);
        default:
            if (c > 0 && c < O_HELP && share_of[c]) {
                val[c] = parse_share(flag, optarg);
                given[c] = 1;
            }
            break;
        }
    }
    if (optind < argc) {
        fprintf(stderr, "gen: unexpected argument '%s'\n", argv[optind]);
        exit(2);
    }
    if (!C.out) {
        fprintf(stderr, "gen: --out DIR is required\n");
        usage(stderr);
        exit(2);
    }
    if (C.clean) {
        for (int i = 0; i < O_HELP; i++)
            if (share_of[i])
                *share_of[i] = 0;
        C.noid = 0;
    }
    for (int i = 0; i < O_HELP; i++)
        if (given[i])
            *share_of[i] = val[i];
    if (C.roster_files == 0)
        C.roster_files = C.schools <= 200 ? C.schools : 200;
    if (C.roster_files > C.schools)
        C.roster_files = C.schools;
}

/* ------------------------------------------------------------------ */
/* vocabulary                                                         */

static const char COUNTY[] = "青山县";
static const char BUREAU[] = "青山县教育和科技局";

/* Address codes (where an ID was issued): the county's own, its
 * neighbours in the province, and other provinces (children born where
 * their parents work). Made up within real province codes. */
static const char *const ADDR[] = {
    "522799", "522798", "522797", "522796",                       /* county */
    "522701", "522702", "522722", "522723", "522725",             /* province */
    "330212", "330281", "441900", "440306", "350582", "320583",   /* elsewhere */
    "330106", "440606", "310115", "350203"};
enum { AG_LOCAL = 0, AG_PROVINCE = 1, AG_OTHER = 2 };
static const int AG_FIRST[4] = {0, 4, 9, (int)ARRAY_N(ADDR)};

static const char *const SURNAME[] = {
    "王", "李", "张", "刘", "陈", "杨", "黄", "赵", "吴", "周", "徐", "孙", "马", "朱", "胡",
    "郭", "何", "高", "林", "罗", "郑", "梁", "谢", "宋", "唐", "许", "韩", "冯", "邓", "曹",
    "彭", "曾", "肖", "田", "董", "袁", "潘", "于", "蒋", "蔡", "余", "杜", "叶", "程", "苏",
    "魏", "吕", "丁", "任", "沈", "姚", "卢", "姜", "崔", "钟", "谭", "陆", "汪", "范", "金",
    "石", "廖", "贾", "夏", "韦", "付", "方", "白", "邹", "孟", "熊", "秦", "邱", "江", "尹",
    "薛", "段", "雷", "侯", "龙", "史", "陶", "黎", "贺", "顾", "毛", "郝", "龚", "邵", "万",
    "严", "覃", "武", "戴", "莫", "孔", "向", "汤", "欧阳", "诸葛"};

/* Given-name characters; the first GIVEN_MALE lean male. */
static const char *const GIVEN[] = {
    "伟", "强", "磊", "军", "勇", "杰", "涛", "明", "超", "刚", "平", "辉", "鹏", "华", "飞",
    "鑫", "波", "斌", "宇", "浩", "凯", "健", "俊", "帆", "帅", "旭", "宁", "龙", "林", "阳",
    "建", "国", "文", "志", "海", "东", "兴", "成", "亮", "晨", "轩", "睿", "博", "泽", "宏",
    "豪", "嘉", "恒", "洋", "峰", "子", "一", "天", "小",
    "芳", "娜", "敏", "静", "丽", "艳", "娟", "霞", "燕", "玲", "婷", "雪", "慧", "莹", "倩",
    "颖", "琳", "洁", "梅", "兰", "红", "萍", "丹", "欣", "怡", "佳", "雨", "思", "涵", "梦",
    "瑶", "琪", "晶", "月", "悦", "璐", "露", "诗", "雅", "欢"};
enum { GIVEN_MALE = 54 };

/* Really different names: one character typed as a homophone (张伟/张玮). */
static const char *const HOMOPHONE[][2] = {
    {"伟", "玮"}, {"强", "蔷"}, {"磊", "蕾"}, {"军", "君"}, {"勇", "永"}, {"杰", "洁"},
    {"涛", "韬"}, {"明", "鸣"}, {"超", "朝"}, {"刚", "钢"}, {"平", "萍"}, {"辉", "晖"},
    {"鹏", "朋"}, {"华", "桦"}, {"飞", "菲"}, {"鑫", "欣"}, {"波", "博"}, {"斌", "彬"},
    {"宇", "雨"}, {"浩", "皓"}, {"凯", "恺"}, {"健", "建"}, {"俊", "骏"}, {"帆", "凡"},
    {"帅", "率"}, {"旭", "序"}, {"宁", "凝"}, {"龙", "隆"}, {"林", "琳"}, {"阳", "洋"},
    {"建", "健"}, {"国", "果"}, {"文", "雯"}, {"志", "智"}, {"海", "亥"}, {"东", "冬"},
    {"兴", "星"}, {"成", "诚"}, {"亮", "靓"}, {"晨", "辰"}, {"轩", "萱"}, {"睿", "锐"},
    {"博", "波"}, {"泽", "择"}, {"宏", "鸿"}, {"豪", "浩"}, {"嘉", "佳"}, {"恒", "衡"},
    {"洋", "阳"}, {"峰", "锋"}, {"子", "紫"}, {"一", "依"}, {"天", "添"}, {"小", "晓"},
    {"芳", "方"}, {"娜", "纳"}, {"敏", "民"}, {"静", "婧"}, {"丽", "莉"}, {"艳", "燕"},
    {"娟", "涓"}, {"霞", "侠"}, {"燕", "艳"}, {"玲", "铃"}, {"婷", "亭"}, {"雪", "学"},
    {"慧", "惠"}, {"莹", "盈"}, {"倩", "茜"}, {"颖", "影"}, {"琳", "林"}, {"洁", "杰"},
    {"梅", "玫"}, {"兰", "岚"}, {"红", "虹"}, {"萍", "平"}, {"丹", "单"}, {"欣", "鑫"},
    {"怡", "宜"}, {"佳", "嘉"}, {"雨", "宇"}, {"思", "斯"}, {"涵", "晗"}, {"梦", "孟"},
    {"瑶", "遥"}, {"琪", "棋"}, {"晶", "菁"}, {"月", "玥"}, {"悦", "越"}, {"璐", "路"},
    {"露", "璐"}, {"诗", "时"}, {"雅", "亚"}, {"欢", "环"}};

/* Characters outside GBK (CJK extension A): a GBK export loses them to '?'. */
static const char *const RARE[] = {"䶮", "㛃", "㼆", "㵘", "䒟"};

/* Minority names: given part, the dot, family part. */
/* the first MIN_FEMALE given parts are girls' names */
static const char *const MIN_FIRST[] = {"阿依古丽", "热依拉", "古丽娜尔", "帕提古丽", "买买提",
                                        "艾力", "阿卜杜拉", "努尔"};
enum { MIN_FEMALE = 4 };
static const char *const MIN_LAST[] = {"买买提", "吐尔逊", "艾则孜", "阿不都", "依明",
                                       "热合曼", "卡德尔"};

static const char *const TOWN_BASE[] = {
    "城关镇", "青山镇", "白岩镇", "石门乡", "龙潭镇", "桃源乡", "枫木乡", "大坪镇", "新场乡",
    "河口镇", "高峰镇", "茶园乡", "水口镇", "太平乡", "长坡镇", "双河镇", "红岩乡", "坪山乡",
    "岩门镇", "金竹乡"};
static const char *const SYL1[] = {"青", "白", "石", "龙", "桃", "枫", "大", "新", "河", "高",
                                   "茶", "水", "太", "长", "双", "红", "坪", "岩", "金", "云",
                                   "凤", "兴", "平", "安", "永", "东", "西", "南", "北", "中"};
static const char *const SYL2[] = {"山", "岩", "门", "潭", "源", "木", "坪", "场", "口", "峰",
                                   "园", "溪", "坡", "河", "竹", "田", "坝", "寨", "关", "江",
                                   "林", "塘", "湾", "桥", "冲", "坳", "阳", "丰", "华", "岭"};
static const char *const VILLAGE[] = {
    "高坪村", "新寨村", "大坝村", "龙井村", "坪上村", "石板村", "河坝村", "田坝村", "红岩村",
    "青杠村", "茶园村", "杉木村", "水井村", "老寨村", "新场村", "平寨村", "白果村", "岩脚村",
    "中寨村", "上寨村", "下寨村", "金竹村", "塘边村", "松林村"};

static const char *const DEST[] = {"浙江省宁波市", "广东省东莞市", "广东省深圳市",
                                   "福建省泉州市", "江苏省苏州市", "上海市", "浙江省杭州市",
                                   "广东省佛山市", "浙江省义乌市"};

static const char *const NEIGHBOUR[] = {"白河县", "云岭县", "安平县", "临江县", "凤鸣县"};

/* Registry categories, in bidui's order. */
enum { CAT_JD = 0, CAT_MON, CAT_DB, CAT_TK, CAT_GE, CAT_CJ, NCAT };
static const char *const CAT_FILE[NCAT] = {"建档立卡", "监测", "低保", "特困", "孤儿", "残疾"};
static const char *const HH_TYPE[NCAT] = {"脱贫户", "监测户", "农村低保户", "特困供养户",
                                          "孤儿家庭", "残疾人家庭"};
static const char *const MON_TYPE[] = {"脱贫不稳定户", "边缘易致贫户", "突发严重困难户"};

/* 在校生状况 values, and what README's rule makes of them (computed by
 * names_stage() below, never assumed). */
enum { ST_EMPTY = 0, ST_PRESCHOOL_CHILD, ST_KG, ST_PRI, ST_MID, ST_HIGH, ST_VOC, ST_SPEC,
       ST_NOT, ST_UNI, ST_HOME, NSTATUS };
static const char *const STATUS[NSTATUS] = {"", "学龄前儿童", "学前教育", "小学", "初中", "高中",
                                            "中职", "特殊教育", "非在校生", "大学", "送教上门"};
/* 义务教育阶段未上学原因 */
enum { RS_NONE = 0, RS_ILL, RS_DISABLED, RS_HOME, RS_DEFER, NREASON };
static const char *const REASON[NREASON] = {"", "因病", "因残", "送教上门", "延缓入学"};

static const char *const REL[] = {"户主", "配偶", "之子", "之女", "之孙子", "之孙女", "之父",
                                  "之母", "兄弟姐妹", "其他"};
enum { REL_HEAD, REL_SPOUSE, REL_SON, REL_DAUGHTER, REL_GRANDSON, REL_GRANDDAUGHTER,
       REL_FATHER, REL_MOTHER, REL_SIBLING, REL_OTHER };

static const char *const DISAB[] = {"", "视力残疾", "听力残疾", "言语残疾", "肢体残疾", "智力残疾",
                                    "精神残疾", "多重残疾"};

/* School types and the roster's 学段. */
enum { TY_KG = 0, TY_PRI, TY_MID, TY_HIGH, TY_VOC, TY_SPEC, NTYPE };
static const char *const STAGE[NTYPE] = {"学前", "小学", "初中", "普高", "中职", "特殊教育"};
static const double TYPE_SHARE[NTYPE] = {0.19, 0.40, 0.20, 0.12, 0.08, 0.01};

/* Aid programmes. */
enum { PG_KG = 0, PG_LIVING, PG_HIGH_GRANT, PG_HIGH_FEE, PG_VOC_GRANT, PG_VOC_FEE, NPROG };
static const char *const PROG[NPROG] = {"学前资助", "义务教育生活补助", "普高国家助学金",
                                        "普高免学杂费", "中职国家助学金", "中职免学费"};
/* Amounts in fen by code. */
static const int64_t AMOUNT[] = {50000, 62500, 25000, 31250, 100000, 40000};
enum { AM_500 = 0, AM_625, AM_250, AM_31250, AM_1000, AM_400 };

/* 资助类别 */
enum { LB_EMPTY = 0, LB_JD, LB_MON, LB_DB, LB_TK, LB_GE, LB_CJ, LB_GENERAL, LB_TUOPIN, NLABEL };
static const char *const LABEL[NLABEL] = {"", "建档立卡", "监测对象", "低保", "特困", "孤儿",
                                          "残疾", "一般困难", "脱贫户"};

/* ------------------------------------------------------------------ */
/* README's rules, written here from README's words                   */

/* 在校生状况 names a school stage. */
static int names_stage(const char *s)
{
    static const char *const NOT[] = {"非", "未", "毕业", "辍学", "失学", "休学", "肄业"};
    static const char *const YES[] = {"学前", "幼儿园", "小学", "初中", "高中", "普高", "中职",
                                      "中等职业", "职高", "技工", "特殊教育", "特教"};
    for (size_t i = 0; i < ARRAY_N(NOT); i++)
        if (strstr(s, NOT[i]))
            return 0;
    for (size_t i = 0; i < ARRAY_N(YES); i++)
        if (strstr(s, YES[i]))
            return 1;
    return 0;
}

/* The registry records a reason for not attending. */
static int has_reason(const char *reason, const char *status)
{
    static const char *const R[] = {"送教上门", "延缓", "缓学", "休学", "因病", "因残", "重度残疾"};
    if (*reason)
        return 1;
    for (size_t i = 0; i < ARRAY_N(R); i++)
        if (strstr(status, R[i]))
            return 1;
    return 0;
}

/* The registry categories a payment's 资助类别 names, as bits of CAT_*. */
static unsigned label_cats(const char *l)
{
    unsigned m = 0;
    if (strstr(l, "建档立卡") || strstr(l, "脱贫"))
        m |= 1u << CAT_JD;
    if (strstr(l, "监测"))
        m |= 1u << CAT_MON;
    if (strstr(l, "低保"))
        m |= 1u << CAT_DB;
    if (strstr(l, "特困"))
        m |= 1u << CAT_TK;
    if (strstr(l, "孤儿"))
        m |= 1u << CAT_GE;
    if (strstr(l, "残疾"))
        m |= 1u << CAT_CJ;
    return m;
}

/* ------------------------------------------------------------------ */
/* resident IDs, unique by construction                               */

static int AS_OF;                 /* reference date (ages) */
static long DAY0, DAY_ASOF;       /* day numbers of 1900-01-01 and of the as-of date */
static uint16_t *ID_CTR;          /* per address, day and sex: sequence numbers used */
static uint64_t ADDR_NUM[ARRAY_N(ADDR)];

static void ids_init(void)
{
    DAY0 = days_from_civil(1900, 1, 1);
    DAY_ASOF = days_from_civil(AS_OF / 10000, AS_OF / 100 % 100, AS_OF % 100);
    ID_CTR = xcalloc(ARRAY_N(ADDR) * (size_t)(DAY_ASOF - DAY0 + 1) * 2, sizeof *ID_CTR);
    for (size_t i = 0; i < ARRAY_N(ADDR); i++)
        ADDR_NUM[i] = strtoull(ADDR[i], NULL, 10);
}

/* A new ID born on `day` (never after the as-of date), issued in an address
 * of `group`; the sequence number is odd for boys. When every code of every
 * group is used up for that day, the day before. */
static uint64_t new_key(rng_t *r, int group, long day, int male)
{
    if (day > DAY_ASOF)
        day = DAY_ASOF;
    for (long d = day; d >= DAY0; d--)
        for (int g = 0; g < 3; g++) {
            int gg = (group + g) % 3, n = AG_FIRST[gg + 1] - AG_FIRST[gg];
            int start = (int)rng_below(r, (uint32_t)n);
            for (int k = 0; k < n; k++) {
                int a = AG_FIRST[gg] + (start + k) % n;
                uint16_t *c = &ID_CTR[((size_t)a * (size_t)(DAY_ASOF - DAY0 + 1) +
                                       (size_t)(d - DAY0)) * 2 + (male ? 1 : 0)];
                if (*c < 500) {
                    /* the k-th ID of the day gets a scattered sequence
                     * number: k -> (263 k + h) mod 500 is one-to-one */
                    uint64_t h = (uint64_t)a * 7919 + (uint64_t)(d - DAY0) * 31 + (male ? 1 : 0);
                    uint64_t seq = ((uint64_t)*c * 263 + h * 2654435761u % 500) % 500 * 2 +
                                   (male ? 1 : 0);
                    (*c)++;
                    return ADDR_NUM[a] * UINT64_C(100000000000) +
                           (uint64_t)civil_of_day(d) * 1000 + seq;
                }
            }
        }
    die("more people born on one day than IDs can number", NULL);
    return 0;
}

/* A birthday for someone `age` full years old on the as-of date. */
static long birthday_for_age(rng_t *r, int age)
{
    int y = AS_OF / 10000, m = AS_OF / 100 % 100, d = AS_OF % 100;
    long hi = day_of(y - age, m, d), lo = day_of(y - age - 1, m, d) + 1;
    if (lo < DAY0)
        lo = DAY0;
    if (hi < lo)
        hi = lo;
    return lo + (long)rng_below(r, (uint32_t)(hi - lo + 1));
}

static int key_birth(uint64_t key)
{
    return (int)(key / 1000 % 100000000);
}

static int key_male(uint64_t key)
{
    return (int)(key % 2);
}

static void id_of_key(uint64_t key, char out[19])
{
    for (int i = 16; i >= 0; i--) {
        out[i] = (char)('0' + key % 10);
        key /= 10;
    }
    out[17] = id_check_char(out);
    out[18] = 0;
}

/* ------------------------------------------------------------------ */
/* names                                                              */

/* A name is a 32-bit code: kind << 30 | a << 16 | b << 8 | c.
 *   NK_HAN:      surname a, given characters b-1 and c-1 (0: none)
 *   NK_RARE:     surname a, given b-1 (0: none), then rare character c
 *   NK_MINORITY: MIN_FIRST[a] · MIN_LAST[b] */
enum { NK_HAN = 0, NK_RARE = 1, NK_MINORITY = 2 };
#define NAME_KIND(c) ((unsigned)(c) >> 30)
#define NAME_A(c) (((unsigned)(c) >> 16) & 0x3fff)
#define NAME_B(c) (((unsigned)(c) >> 8) & 0xff)
#define NAME_C(c) ((unsigned)(c) & 0xff)
#define NAME_MAKE(k, a, b, c) (((uint32_t)(k) << 30) | ((uint32_t)(a) << 16) | ((uint32_t)(b) << 8) | (uint32_t)(c))

/* How a row writes a name. */
#define NV_REAL 1u   /* one character typed as a homophone: a different name */
#define NV_LOST 2u   /* written into GBK: characters outside GBK become '?' */
#define NV_DOT  4u   /* the minority dot typed as • */

static unsigned given_for(rng_t *r, int male)
{
    return male ? rng_below(r, GIVEN_MALE) : GIVEN_MALE + rng_below(r, ARRAY_N(GIVEN) - GIVEN_MALE);
}

static uint32_t new_name(rng_t *r, unsigned surname, int male)
{
    double u = rng_unit(r);
    if (u < 0.004)
        return NAME_MAKE(NK_MINORITY, male ? MIN_FEMALE + rng_below(r, ARRAY_N(MIN_FIRST) - MIN_FEMALE)
                                           : rng_below(r, MIN_FEMALE),
                         rng_below(r, ARRAY_N(MIN_LAST)), 0);
    if (u < 0.007)
        return NAME_MAKE(NK_RARE, surname, chance(r, 0.5) ? given_for(r, male) + 1 : 0,
                         rng_below(r, ARRAY_N(RARE)));
    unsigned b = given_for(r, male) + 1, c = chance(r, 0.7) ? given_for(r, male) + 1 : 0;
    return NAME_MAKE(NK_HAN, surname, b, c);
}

static unsigned random_surname(rng_t *r)
{
    /* 欧阳 and 诸葛 (the last two) are rare */
    return rng_below(r, ARRAY_N(SURNAME) - (chance(r, 0.99) ? 2 : 0));
}

static int name_can_vary(uint32_t code)
{
    return NAME_KIND(code) == NK_HAN;
}

/* buf[0..*n) += s, within cap */
static void cat_str(char *buf, size_t cap, size_t *n, const char *s)
{
    size_t k = strlen(s);
    if (*n + k >= cap)
        k = cap - *n - 1;
    memcpy(buf + *n, s, k);
    *n += k;
    buf[*n] = 0;
}

static const char *render_name(uint32_t code, unsigned nv, char *buf, size_t cap)
{
    unsigned a = NAME_A(code), b = NAME_B(code), c = NAME_C(code);
    size_t n = 0;
    buf[0] = 0;
    switch (NAME_KIND(code)) {
    case NK_MINORITY:
        cat_str(buf, cap, &n, MIN_FIRST[a]);
        cat_str(buf, cap, &n, nv & NV_DOT ? "•" : "·");
        cat_str(buf, cap, &n, MIN_LAST[b]);
        break;
    case NK_RARE:
        cat_str(buf, cap, &n, SURNAME[a]);
        cat_str(buf, cap, &n, b ? GIVEN[b - 1] : "");
        cat_str(buf, cap, &n, nv & NV_LOST ? "?" : RARE[c]);
        break;
    default: {
        const char *g1 = b ? GIVEN[b - 1] : "", *g2 = c ? GIVEN[c - 1] : "";
        if (nv & NV_REAL) {
            if (c)
                g2 = HOMOPHONE[c - 1][1];
            else if (b)
                g1 = HOMOPHONE[b - 1][1];
        }
        cat_str(buf, cap, &n, SURNAME[a]);
        cat_str(buf, cap, &n, g1);
        cat_str(buf, cap, &n, g2);
    }
    }
    return buf;
}

/* The vocabulary is consistent, and name.c agrees about which variants are
 * the same name: checked at every start (cheap), so a change to either
 * cannot silently skew expected.json. */
static void check_names(void)
{
    if (ARRAY_N(HOMOPHONE) != ARRAY_N(GIVEN))
        die("HOMOPHONE and GIVEN differ in length", NULL);
    char a[64], b[64], na[128], nb[128];
    for (size_t i = 0; i < ARRAY_N(GIVEN); i++) {
        if (strcmp(HOMOPHONE[i][0], GIVEN[i]))
            die("HOMOPHONE is not in GIVEN's order at", GIVEN[i]);
        uint32_t code = NAME_MAKE(NK_HAN, i % (ARRAY_N(SURNAME) - 2), i + 1, (i * 7) % ARRAY_N(GIVEN) + 1);
        for (int real_first = 0; real_first < 2; real_first++) {
            uint32_t cd = real_first ? NAME_MAKE(NK_HAN, 0, i + 1, 0) : code;
            render_name(cd, 0, a, sizeof a);
            render_name(cd, NV_REAL, b, sizeof b);
            name_norm(a, strlen(a), na, sizeof na);
            name_norm(b, strlen(b), nb, sizeof nb);
            if (name_same(na, nb))
                die("a homophone variant counts as the same name", b);
        }
    }
    for (unsigned i = 0; i < ARRAY_N(MIN_FIRST); i++)
        for (unsigned j = 0; j < ARRAY_N(MIN_LAST); j++) {
            render_name(NAME_MAKE(NK_MINORITY, i, j, 0), 0, a, sizeof a);
            render_name(NAME_MAKE(NK_MINORITY, i, j, 0), NV_DOT, b, sizeof b);
            name_norm(a, strlen(a), na, sizeof na);
            name_norm(b, strlen(b), nb, sizeof nb);
            if (!name_same(na, nb))
                die("· and • count as different names", b);
        }
    for (unsigned i = 0; i < ARRAY_N(RARE); i++) {
        uint32_t cd = NAME_MAKE(NK_RARE, 0, 1, i);
        render_name(cd, 0, a, sizeof a);
        render_name(cd, NV_LOST, b, sizeof b);
        name_norm(a, strlen(a), na, sizeof na);
        name_norm(b, strlen(b), nb, sizeof nb);
        if (!name_same(na, nb))
            die("a lost character counts as a different name", b);
    }
}

/* ------------------------------------------------------------------ */
/* output files                                                       */

typedef struct {
    char *rel;                 /* path below DIR */
    long rows, rejected;
} fstat_t;

static fstat_t *FILES;
static size_t NFILES;

typedef struct {
    char rel[512];
    FILE *f;
    gzFile gz;
    int gbk, crlf;
    iconv_t cd;
    char *buf;                 /* encoded bytes not yet written */
    size_t len, cap;
    char *row;                 /* the current row, UTF-8 */
    size_t rlen, rcap;
    int nf;
    long rows, rejected;
} out_t;

static uint64_t BYTES_OUT;

static void grow(char **p, size_t *cap, size_t need)
{
    if (need <= *cap)
        return;
    size_t nc = *cap ? *cap : 4096;
    while (nc < need)
        nc *= 2;
    *p = xrealloc(*p, nc);
    *cap = nc;
}

static void mkdirs(const char *path)
{
    char tmp[PATH_MAX];
    snprintf(tmp, sizeof tmp, "%s", path);
    for (char *p = tmp + 1; *p; p++)
        if (*p == '/') {
            *p = 0;
            if (mkdir(tmp, 0755) != 0 && errno != EEXIST)
                die("cannot create folder", tmp);
            *p = '/';
        }
    if (mkdir(tmp, 0755) != 0 && errno != EEXIST)
        die("cannot create folder", tmp);
}

/* Opens DIR/sub/base.csv[.gz]; the messiness shares decide its encoding,
 * BOM and line ends. */
static void out_open(out_t *o, const char *sub, const char *base)
{
    memset(o, 0, sizeof *o);
    snprintf(o->rel, sizeof o->rel, "%s/%s.csv%s", sub, base, C.gzip ? ".gz" : "");
    char path[PATH_MAX];
    snprintf(path, sizeof path, "%s/%s", C.out, o->rel);
    o->gbk = chance(&R_mess, C.gbk);
    int bom = !o->gbk && chance(&R_mess, C.bom);
    o->crlf = chance(&R_mess, C.crlf);
    if (o->gbk && (o->cd = iconv_open("GB18030", "UTF-8")) == (iconv_t)-1)
        die("this system's iconv cannot convert to GB18030", NULL);
    if (C.gzip) {
        if (!(o->gz = gzopen(path, "wb1")))
            die("cannot create", path);
        gzbuffer(o->gz, 1u << 18);
    } else if (!(o->f = fopen(path, "wb")))
        die("cannot create", path);
    if (bom) {
        grow(&o->buf, &o->cap, 3);
        memcpy(o->buf, "\xef\xbb\xbf", 3);
        o->len = 3;
    }
}

static void out_flush(out_t *o)
{
    if (!o->len)
        return;
    if (o->gz ? gzwrite(o->gz, o->buf, (unsigned)o->len) != (int)o->len
              : fwrite(o->buf, 1, o->len, o->f) != o->len)
        die("write failed", o->rel);
    BYTES_OUT += o->len;
    o->len = 0;
}

static void out_fieldn(out_t *o, const char *s, size_t n)
{
    int quote = 0;
    for (size_t i = 0; i < n && !quote; i++)
        quote = s[i] == ',' || s[i] == '"' || s[i] == '\n' || s[i] == '\r';
    grow(&o->row, &o->rcap, o->rlen + 2 * n + 4);
    if (o->nf++)
        o->row[o->rlen++] = ',';
    if (!quote) {
        memcpy(o->row + o->rlen, s, n);
        o->rlen += n;
        return;
    }
    o->row[o->rlen++] = '"';
    for (size_t i = 0; i < n; i++) {
        if (s[i] == '"')
            o->row[o->rlen++] = '"';
        o->row[o->rlen++] = s[i];
    }
    o->row[o->rlen++] = '"';
}

static void out_field(out_t *o, const char *s)
{
    out_fieldn(o, s, strlen(s));
}

/* 1 when p[0..n) is valid UTF-8. */
static int valid_utf8(const unsigned char *p, size_t n)
{
    for (size_t i = 0; i < n;) {
        unsigned c = p[i];
        size_t len = c < 0x80 ? 1 : c >= 0xc2 && c <= 0xdf ? 2 : c >= 0xe0 && c <= 0xef ? 3
                   : c >= 0xf0 && c <= 0xf4 ? 4 : 0;
        if (!len || i + len > n)
            return 0;
        unsigned cp = len == 1 ? c : len == 2 ? c & 0x1f : len == 3 ? c & 0x0f : c & 0x07;
        for (size_t k = 1; k < len; k++) {
            if ((p[i + k] & 0xc0) != 0x80)
                return 0;
            cp = (cp << 6) | (p[i + k] & 0x3f);
        }
        if ((len == 3 && (cp < 0x800 || (cp >= 0xd800 && cp <= 0xdfff))) ||
            (len == 4 && (cp < 0x10000 || cp > 0x10ffff)))
            return 0;
        i += len;
    }
    return 1;
}

/* A GB18030 field that happens to be valid UTF-8 with three or more
 * multi-byte characters would be taken for a UTF-8 row pasted into a GBK
 * file (and rejected): the vocabulary must never produce one. */
static void check_gb_fields(const out_t *o, const char *p, size_t n)
{
    size_t start = 0;
    for (size_t i = 0; i <= n; i++)
        if (i == n || p[i] == ',') {
            size_t high = 0;
            for (size_t k = start; k < i; k++)
                high += (unsigned char)p[k] >= 0x80;
            if (high >= 9 && valid_utf8((const unsigned char *)p + start, i - start)) {
                fprintf(stderr, "gen: %s: a GB18030 field reads as UTF-8: %.*s\n", o->rel,
                        (int)(o->rlen), o->row);
                exit(1);
            }
            start = i + 1;
        }
}

/* Ends the row: data rows are counted (title rows and the header are not). */
static void out_row(out_t *o, int data)
{
    grow(&o->buf, &o->cap, o->len + 2 * o->rlen + 8);
    if (o->gbk) {
        char *in = o->row, *outp = o->buf + o->len;
        size_t inleft = o->rlen, outleft = o->cap - o->len;
        iconv(o->cd, NULL, NULL, NULL, NULL);
        if (iconv(o->cd, &in, &inleft, &outp, &outleft) == (size_t)-1)
            die("cannot convert a row to GB18030 in", o->rel);
        size_t n = (size_t)(outp - (o->buf + o->len));
        check_gb_fields(o, o->buf + o->len, n);
        o->len += n;
    } else {
        memcpy(o->buf + o->len, o->row, o->rlen);
        o->len += o->rlen;
    }
    if (o->crlf)
        o->buf[o->len++] = '\r';
    o->buf[o->len++] = '\n';
    o->rlen = 0;
    o->nf = 0;
    if (data)
        o->rows++;
    if (o->len > (1u << 20))
        out_flush(o);
}

static void out_header(out_t *o, const char *const *h, size_t n)
{
    for (size_t i = 0; i < n; i++)
        out_field(o, h[i]);
    out_row(o, 0);
}

static void out_close(out_t *o)
{
    out_flush(o);
    if (o->gz ? gzclose(o->gz) != Z_OK : fclose(o->f) != 0)
        die("write failed", o->rel);
    if (o->gbk)
        iconv_close(o->cd);
    free(o->buf);
    free(o->row);
    FILES = xrealloc(FILES, (NFILES + 1) * sizeof *FILES);
    FILES[NFILES].rel = strdup(o->rel);
    FILES[NFILES].rows = o->rows;
    FILES[NFILES].rejected = o->rejected;
    NFILES++;
}

/* Title rows above the header: one or two lines of title, then the
 * reporting unit, each padded with the empty cells Excel leaves. */
static void out_titles(out_t *o, const char *title, const char *subtitle, size_t ncols)
{
    if (!chance(&R_mess, C.title))
        return;
    out_field(o, title);
    for (size_t i = 1; i < ncols; i++)
        out_field(o, "");
    out_row(o, 0);
    if (chance(&R_mess, 0.5)) {
        out_field(o, subtitle);
        for (size_t i = 1; i < ncols; i++)
            out_field(o, "");
        out_row(o, 0);
    }
    char unit[128], date[64];
    snprintf(unit, sizeof unit, "填报单位：%s", BUREAU);
    int d = civil_of_day(DAY_ASOF + 10);
    snprintf(date, sizeof date, "填报日期：%d年%d月%d日", d / 10000, d / 100 % 100, d % 100);
    out_field(o, unit);
    for (size_t i = 1; i < ncols; i++)
        out_field(o, i == ncols - 2 ? date : "");
    out_row(o, 0);
}

/* ------------------------------------------------------------------ */
/* ID cells                                                           */

static int BIRTH_REF;     /* bidui rejects births after it (README, no --period) */

/* The ID cell of a row for `key`, messed up as the shares say; returns 1
 * when bidui can use it (decided by id_canon, the function bidui
 * itself uses). Excel damage: half scientific notation, half the last three
 * characters turned to 000; when 000 happens to leave a valid ID (the check
 * digit came out 0), scientific notation instead. allow15: the 15-digit
 * legacy form, for people born 1900-1999 only. */
static int id_cell(uint64_t key, int allow15, char cell[40])
{
    char id[19];
    id_of_key(key, id);
    int damaged = chance(&R_mess, C.damage);
    if (damaged) {
        int sci = id[17] != 'X' && chance(&R_mess, 0.5);
        if (!sci) {
            memcpy(cell, id, 15);
            memcpy(cell + 15, "000", 4);
            idnum_t t;
            if (id_canon(cell, 18, BIRTH_REF, &t) == ID_OK)
                sci = 1;
        }
        if (sci) {
            char digits[19];
            memcpy(digits, id, 17);
            digits[17] = id[17] == 'X' ? '0' : id[17];
            digits[18] = 0;
            snprintf(cell, 40, "%.5E", strtod(digits, NULL));
        }
    } else if (id[17] == 'X' && chance(&R_mess, C.lowerx)) {
        memcpy(cell, id, 19);
        cell[17] = 'x';
    } else if (allow15 && id[6] == '1' && id[7] == '9' && chance(&R_mess, C.id15)) {
        memcpy(cell, id, 6);
        memcpy(cell + 6, id + 8, 9);
        cell[15] = 0;
    } else {
        memcpy(cell, id, 19);
    }
    idnum_t t;
    id_reason r = id_canon(cell, strlen(cell), BIRTH_REF, &t);
    if ((r == ID_OK) == damaged || (r == ID_OK && t.key != key)) {
        fprintf(stderr, "gen: internal: ID cell %s for %s: %s\n", cell, id, id_reason_code(r));
        exit(1);
    }
    return !damaged;
}

/* ------------------------------------------------------------------ */
/* the model                                                          */

/* An ID that can matter beyond its own row: counts of its usable rows. */
typedef struct {
    uint64_t key;            /* first 17 digits */
    uint32_t name;
    uint8_t nreg, nroster, npay, nprov;
    uint8_t cats;            /* categories of its usable registry rows */
    uint8_t var;             /* a really different name stands in one usable row */
} ent_t;

static ent_t *ENT;
static size_t NENT, CAPENT;

static uint32_t new_ent(uint64_t key, uint32_t name)
{
    if (NENT == CAPENT) {
        CAPENT = CAPENT ? CAPENT * 2 : 1024;
        ENT = xrealloc(ENT, CAPENT * sizeof *ENT);
    }
    if (NENT >= UINT32_MAX)
        die("too many entities", NULL);
    memset(&ENT[NENT], 0, sizeof *ENT);
    ENT[NENT].key = key;
    ENT[NENT].name = name;
    return (uint32_t)NENT++;
}

static void inc(uint8_t *c)
{
    if (*c < 255)
        (*c)++;
}

/* Plans of registry persons (the rows follow from them). */
enum { PL_NONE = 0, PL_ENROL, PL_PROV, PL_OOP, PL_DROPOUT, PL_REASON };
#define RF_PAID 1u       /* paid, when enrolled */
#define RF_BOARD 2u      /* boards at school */
#define RF_CROSSED 4u    /* chosen for a second category */
#define RF_PROVROW 8u    /* in the province extract */

typedef struct {
    uint32_t hh;
    uint32_t school;         /* UINT32_MAX: none */
    uint8_t rel, status, reason, cat, cat2;   /* cat2: NCAT for none */
    uint8_t plan, ty, flags, disab;
} reg_t;

typedef struct {
    uint32_t first;          /* first person */
    uint16_t township, village;
    uint8_t size, dest, file, mon;
} hh_t;

static reg_t *REG;           /* parallel to ENT[0 .. NPERSON) */
static size_t NPERSON;
static hh_t *HH;
static size_t NHH, CAPHH;
static long OWN[NCAT], NCROSS;

/* ------------------------------------------------------------------ */
/* townships and schools                                              */

static char **TOWN;

static void cn_num(int n, char *buf, size_t cap)
{
    static const char *const D[] = {"", "一", "二", "三", "四", "五", "六", "七", "八", "九"};
    if (n <= 0 || n > 99)
        snprintf(buf, cap, "%d", n);
    else if (n < 10)
        snprintf(buf, cap, "%s", D[n]);
    else
        snprintf(buf, cap, "%s十%s", n >= 20 ? D[n / 10] : "", D[n % 10]);
}

static void towns_init(void)
{
    TOWN = xcalloc((size_t)C.townships, sizeof *TOWN);
    for (long t = 0; t < C.townships; t++) {
        char b[64];
        if (t < (long)ARRAY_N(TOWN_BASE))
            snprintf(b, sizeof b, "%s", TOWN_BASE[t]);
        else {
            long k = t - (long)ARRAY_N(TOWN_BASE);
            long x = k % 30, y = (k / 30) % 30, z = k / 900;
            if (z)
                snprintf(b, sizeof b, "%s%s%ld%s", SYL1[x], SYL2[y], z, k % 2 ? "乡" : "镇");
            else
                snprintf(b, sizeof b, "%s%s%s", SYL1[x], SYL2[y], k % 2 ? "乡" : "镇");
        }
        TOWN[t] = strdup(b);
    }
}

static int village_count(long t)
{
    return 6 + (int)((t * 7) % 10);
}

static const char *village_name(long t, int v)
{
    return VILLAGE[(size_t)(t * 5 + v) % ARRAY_N(VILLAGE)];
}

typedef struct {
    char code[12];
    char name[128];
    uint8_t type;
    uint32_t township;
    long nreg, nfill, nnoid, ndup_in, nsrc;   /* rows by kind; nsrc: pupils enrolled again later */
    long reg_off, dup_off, src_off;
    long file;
} school_t;

static school_t *SCH;
static long NSCH;
static uint32_t *TYPELIST[NTYPE];   /* schools of each type, in order */
static long NTYPE_N[NTYPE];

static void schools_init(void)
{
    static const uint8_t FIRST[NTYPE] = {TY_PRI, TY_MID, TY_KG, TY_HIGH, TY_VOC, TY_SPEC};
    static const uint8_t CYCLE[] = {TY_PRI, TY_KG, TY_MID, TY_PRI, TY_KG, TY_PRI, TY_MID, TY_PRI,
                                    TY_KG, TY_HIGH, TY_PRI, TY_MID, TY_KG, TY_VOC, TY_PRI, TY_KG};
    NSCH = C.schools;
    SCH = xcalloc((size_t)NSCH, sizeof *SCH);
    for (int t = 0; t < NTYPE; t++)
        TYPELIST[t] = xcalloc((size_t)NSCH, sizeof **TYPELIST);
    for (long s = 0; s < NSCH; s++) {
        school_t *sc = &SCH[s];
        int ty = s < NTYPE ? FIRST[s] : CYCLE[(s - NTYPE) % ARRAY_N(CYCLE)];
        long k = NTYPE_N[ty];
        TYPELIST[ty][NTYPE_N[ty]++] = (uint32_t)s;
        sc->type = (uint8_t)ty;
        int local = ty == TY_KG || ty == TY_PRI || ty == TY_MID;
        sc->township = local ? (uint32_t)(k % C.townships) : 0;
        long m = local ? k / C.townships : k;
        char n[16];
        cn_num((int)m + 1, n, sizeof n);
        const char *town = TOWN[sc->township];
        switch (ty) {
        case TY_KG:
            if (m)
                snprintf(sc->name, sizeof sc->name, "%s第%s幼儿园", town, n);
            else
                snprintf(sc->name, sizeof sc->name, "%s中心幼儿园", town);
            break;
        case TY_PRI:
            if (m)
                snprintf(sc->name, sizeof sc->name, "%s第%s小学", town, n);
            else
                snprintf(sc->name, sizeof sc->name, "%s中心小学", town);
            break;
        case TY_MID:
            if (m)
                snprintf(sc->name, sizeof sc->name, "%s第%s中学", town, n);
            else
                snprintf(sc->name, sizeof sc->name, "%s中学", town);
            break;
        case TY_HIGH:
            snprintf(sc->name, sizeof sc->name, "%s第%s中学", COUNTY, n);
            break;
        case TY_VOC:
            if (m)
                snprintf(sc->name, sizeof sc->name, "%s第%s职业技术学校", COUNTY, n);
            else
                snprintf(sc->name, sizeof sc->name, "%s职业技术学校", COUNTY);
            break;
        default:
            if (m)
                snprintf(sc->name, sizeof sc->name, "%s第%s特殊教育学校", COUNTY, n);
            else
                snprintf(sc->name, sizeof sc->name, "%s特殊教育学校", COUNTY);
        }
        snprintf(sc->code, sizeof sc->code, "%010u", (unsigned)(2152270000L + s + 1));
        sc->file = s * C.roster_files / NSCH;
    }
}

/* A school of type ty for a child of township t: one in her township when
 * there is one, else any. */
static uint32_t school_for(rng_t *r, int ty, uint32_t t)
{
    long n = NTYPE_N[ty];
    int local = ty == TY_KG || ty == TY_PRI || ty == TY_MID;
    if (local && (long)t < n) {
        long cnt = (n - (long)t + C.townships - 1) / C.townships;
        return TYPELIST[ty][t + C.townships * (long)rng_below(r, (uint32_t)cnt)];
    }
    return TYPELIST[ty][rng_below(r, (uint32_t)n)];
}

/* The usual stage of an age (README: 31 August cut-off). */
static const char *grade_of(int ty, int age, char *buf, size_t cap)
{
    static const char *const KG[] = {"小班", "中班", "大班"};
    static const char *const G[] = {"一年级", "二年级", "三年级", "四年级", "五年级", "六年级",
                                    "七年级", "八年级", "九年级"};
    static const char *const HI[] = {"高一", "高二", "高三"};
    int k;
    switch (ty) {
    case TY_KG: k = age - 3; k = k < 0 ? 0 : k > 2 ? 2 : k; return KG[k];
    case TY_PRI: k = age - 6; k = k < 0 ? 0 : k > 5 ? 5 : k; return G[k];
    case TY_MID: k = age - 6; k = k < 6 ? 6 : k > 8 ? 8 : k; return G[k];
    case TY_HIGH: k = age - 15; k = k < 0 ? 0 : k > 2 ? 2 : k; return HI[k];
    case TY_VOC: k = age - 15; k = k < 0 ? 0 : k > 2 ? 2 : k; return G[k];
    default: k = age - 6; k = k < 0 ? 0 : k > 8 ? 8 : k;
        snprintf(buf, cap, "%s", G[k]);
        return buf;
    }
}

static int type_for_age(rng_t *r, int age)
{
    if (age <= 5)
        return TY_KG;
    if (age <= 11)
        return TY_PRI;
    if (age <= 14)
        return TY_MID;
    return chance(r, 0.6) ? TY_HIGH : TY_VOC;
}

static int age_for_type(rng_t *r, int ty)
{
    switch (ty) {
    case TY_KG: return rng_range(r, 3, 5);
    case TY_PRI: return rng_range(r, 6, 11);
    case TY_MID: return rng_range(r, 12, 14);
    case TY_HIGH:
    case TY_VOC: return chance(r, 0.04) ? 18 : rng_range(r, 15, 17);
    default: return rng_range(r, 6, 17);
    }
}

static double board_share(int ty)
{
    static const double B[NTYPE] = {0, 0.2, 0.5, 0.7, 0.6, 0.5};
    return B[ty];
}

/* ------------------------------------------------------------------ */
/* the registry: households, persons, categories, plans               */

static uint32_t add_person(uint32_t hh, int cat, int age, int male, unsigned surname, int rel)
{
    long day = birthday_for_age(&R_main, age);
    double u = rng_unit(&R_main);
    int group = u < 0.97 ? AG_LOCAL : u < 0.99 ? AG_PROVINCE : AG_OTHER;
    uint64_t key = new_key(&R_main, group, day, male);
    uint32_t e = new_ent(key, new_name(&R_main, surname, male));
    if (e != NPERSON)
        die("internal: registry persons must be the first entities", NULL);
    reg_t *p = &REG[NPERSON++];
    memset(p, 0, sizeof *p);
    p->hh = hh;
    p->school = UINT32_MAX;
    p->rel = (uint8_t)rel;
    p->cat = (uint8_t)cat;
    p->cat2 = NCAT;
    return e;
}

static void add_household(int cat, int size)
{
    if (NHH == CAPHH) {
        CAPHH = CAPHH ? CAPHH * 2 : 1024;
        HH = xrealloc(HH, CAPHH * sizeof *HH);
    }
    uint32_t h = (uint32_t)NHH++;
    hh_t *hh = &HH[h];
    memset(hh, 0, sizeof *hh);
    hh->first = (uint32_t)NPERSON;
    hh->size = (uint8_t)size;
    hh->file = (uint8_t)cat;
    hh->township = (uint16_t)rng_below(&R_main, (uint32_t)C.townships);
    hh->village = (uint16_t)rng_below(&R_main, (uint32_t)village_count(hh->township));
    hh->dest = chance(&R_main, 0.10) ? (uint8_t)(1 + rng_below(&R_main, ARRAY_N(DEST))) : 0;
    hh->mon = (uint8_t)rng_below(&R_main, 6);
    unsigned surname = random_surname(&R_main);
    if (cat == CAT_GE) {
        /* orphans: brothers and sisters, the eldest as head */
        int age = rng_range(&R_main, 8, 17);
        add_person(h, cat, age, chance(&R_main, 0.5), surname, REL_HEAD);
        for (int i = 1; i < size; i++)
            add_person(h, cat, rng_range(&R_main, 1, age), chance(&R_main, 0.5), surname,
                       REL_SIBLING);
        return;
    }
    int head_age = rng_range(&R_main, cat == CAT_TK ? 45 : 28, cat == CAT_TK ? 75 : 52);
    int head_male = chance(&R_main, 0.85);
    add_person(h, cat, head_age, head_male, surname, REL_HEAD);
    for (int i = 1; i < size; i++) {
        if (i == 1 && chance(&R_main, size >= 3 ? 0.8 : 0.3)) {
            int a = head_age + rng_range(&R_main, -5, 5);
            add_person(h, cat, a < 20 ? 20 : a, !head_male, random_surname(&R_main), REL_SPOUSE);
        } else if (chance(&R_main, 0.1)) {
            int a = head_age + rng_range(&R_main, 22, 30), male = chance(&R_main, 0.5);
            add_person(h, cat, a > 92 ? 92 : a, male, surname, male ? REL_FATHER : REL_MOTHER);
        } else {
            double u = rng_unit(&R_main);
            int hi = head_age - 20 < 18 ? head_age - 20 : 18;
            int a = u < 0.04 ? rng_range(&R_main, 0, 2)
                  : u < 0.96 || head_age < 40 ? rng_range(&R_main, 3, hi)
                  : rng_range(&R_main, 19, head_age - 19 < 24 ? head_age - 19 : 24);
            int male = chance(&R_main, 0.52);
            add_person(h, cat, a, male, surname, male ? REL_SON : REL_DAUGHTER);
        }
    }
}

static int person_age(size_t i)
{
    return age_on(key_birth(ENT[i].key), AS_OF);
}

/* What a registry person does, and what the registry says about it. */
static void plan_person(size_t i)
{
    reg_t *p = &REG[i];
    int age = person_age(i);
    int disabled = p->cat == CAT_CJ || p->cat2 == CAT_CJ;
    const hh_t *hh = &HH[p->hh];
    rng_t *r = &R_main;
    p->plan = PL_NONE;
    p->reason = RS_NONE;
    if (disabled && age >= 3)
        p->disab = (uint8_t)(1 + rng_below(r, ARRAY_N(DISAB) - 1));
    if (age < 3) {
        p->status = ST_PRESCHOOL_CHILD;
        return;
    }
    if (age > 18) {
        p->status = age <= 23 && chance(r, 0.4) ? ST_UNI : ST_NOT;
        return;
    }
    double u = rng_unit(r);
    /* disabled children of school age: special school, taught at home
     * (on the special school's roster), or a reason on record */
    if (disabled && age >= 6 && age <= 17 && u < 0.7 && NTYPE_N[TY_SPEC]) {
        p->ty = TY_SPEC;
        p->plan = PL_ENROL;
        if (u < 0.35)
            p->status = ST_SPEC;
        else if (u < 0.55) {
            p->status = ST_HOME;
            p->reason = RS_HOME;
        } else {
            p->plan = PL_REASON;
            p->status = ST_NOT;
            p->reason = RS_DISABLED;
        }
        return;
    }
    int ty = type_for_age(r, age);
    int stage_status = ty == TY_KG ? ST_KG : ty == TY_PRI ? ST_PRI : ty == TY_MID ? ST_MID
                     : ty == TY_HIGH ? ST_HIGH : ST_VOC;
    p->ty = (uint8_t)ty;
    u = rng_unit(r);
    if (hh->dest && u < 0.45) {
        p->plan = PL_OOP;            /* studies where the parents work */
        p->status = (uint8_t)stage_status;
        return;
    }
    u = rng_unit(r);
    if (age <= 5) {
        p->plan = u < 0.80 ? PL_ENROL : u < 0.82 ? PL_PROV : u < 0.83 ? PL_OOP : PL_NONE;
        p->status = p->plan == PL_NONE ? ST_PRESCHOOL_CHILD : ST_KG;
    } else if (age <= 15) {
        p->plan = u < 0.945 ? PL_ENROL : u < 0.972 ? PL_PROV : u < 0.982 ? PL_OOP
                : u < 0.988 ? PL_DROPOUT : PL_REASON;
        p->status = p->plan == PL_DROPOUT || p->plan == PL_REASON ? ST_NOT : (uint8_t)stage_status;
        if (p->plan == PL_REASON)
            p->reason = chance(r, 0.5) ? RS_ILL : chance(r, 0.5) ? RS_DEFER : RS_DISABLED;
    } else if (age <= 17) {
        p->plan = u < 0.85 ? PL_ENROL : u < 0.89 ? PL_PROV : u < 0.91 ? PL_OOP : PL_NONE;
        p->status = p->plan == PL_NONE ? ST_NOT : (uint8_t)stage_status;
    } else {
        p->plan = u < 0.3 ? PL_ENROL : u < 0.35 ? PL_PROV : PL_NONE;
        p->status = p->plan == PL_NONE ? (chance(r, 0.5) ? ST_UNI : ST_NOT) : (uint8_t)stage_status;
    }
    if (p->plan == PL_ENROL && !NTYPE_N[ty])
        p->plan = PL_PROV;           /* no such school in the county */
}

static void registry_plan(void)
{
    long n = C.registry;
    NCROSS = (long)((double)n * 0.05 / 1.05 + 0.5);
    long persons = n - NCROSS;
    static const double SHARE[NCAT] = {0, 0.15, 0.10, 0.02, 0.01, 0.03};
    long others = 0;
    for (int c = 1; c < NCAT; c++)
        others += OWN[c] = (long)((double)n * SHARE[c] + 0.5);
    if (others > persons)
        for (int c = 1; c < NCAT; c++)
            OWN[c] = OWN[c] * persons / (others ? others : 1);
    others = 0;
    for (int c = 1; c < NCAT; c++)
        others += OWN[c];
    OWN[CAT_JD] = persons - others;
    REG = xcalloc((size_t)persons, sizeof *REG);
    static const double SIZE_W[] = {0.18, 0.26, 0.28, 0.18, 0.10};
    for (int c = 0; c < NCAT; c++) {
        long left = OWN[c];
        while (left > 0) {
            double u = rng_unit(&R_main);
            int size = 2;
            for (size_t k = 0; k < ARRAY_N(SIZE_W) && u >= SIZE_W[k]; k++)
                u -= SIZE_W[k], size++;
            if (size > 6)
                size = 6;
            if (size > left)
                size = (int)left;
            add_household(c, size);
            left -= size;
        }
    }
    /* Second categories: exactly NCROSS persons, children first. */
    long kids = 0;
    for (size_t i = 0; i < NPERSON; i++) {
        int a = person_age(i);
        kids += a >= 3 && a <= 18;
    }
    long want_kids = (long)((double)NCROSS * 0.6 + 0.5);
    if (want_kids > kids)
        want_kids = kids;
    long need = want_kids, left = kids;
    for (size_t i = 0; i < NPERSON; i++) {
        int a = person_age(i);
        if (a >= 3 && a <= 18 && take(&R_main, &need, &left))
            REG[i].flags |= RF_CROSSED;
    }
    need = NCROSS - want_kids;
    left = (long)NPERSON - want_kids;
    for (size_t i = 0; i < NPERSON; i++)
        if (!(REG[i].flags & RF_CROSSED) && take(&R_main, &need, &left))
            REG[i].flags |= RF_CROSSED;
    for (size_t i = 0; i < NPERSON; i++) {
        reg_t *p = &REG[i];
        if (!(p->flags & RF_CROSSED))
            continue;
        int a = person_age(i), c2;
        double u = rng_unit(&R_main);
        if (p->cat == CAT_JD)
            c2 = u < 0.45 ? CAT_DB : u < 0.70 ? CAT_CJ : u < 0.80 ? CAT_TK
               : u < 0.90 && a < 18 ? CAT_GE : CAT_MON;
        else
            c2 = p->cat == CAT_DB || u < 0.6 ? CAT_JD : CAT_DB;
        p->cat2 = (uint8_t)c2;
    }
    for (size_t i = 0; i < NPERSON; i++)
        plan_person(i);
}

/* ------------------------------------------------------------------ */
/* rosters: sizes, duplicates, payments to come                       */

static long ROWS_E, ROWS_J, ROWS_D, ROWS_F;   /* registry pupils, no ID, second enrolments, others */
static uint32_t *REGLIST;                     /* registry pupils by school */
static uint32_t *SRCLIST;                     /* per source school: the dup slots it fills */

typedef struct {
    uint32_t ent;
    uint8_t age, board, disab, filled;
} pend_t;
static pend_t *PEND;                          /* second enrolments, by target school */

static int nprogs(int ty)
{
    return ty == TY_HIGH || ty == TY_VOC ? 2 : 1;
}

static long PAY_REG, PAY_PUPIL, PAY_PNE;      /* payment rows planned by kind */
static long PUPIL_NEED, PUPIL_CAP;            /* selection state while rosters stream */

/* Largest remainder: n items over k weights, exactly (ties to the lower
 * index; no weight at all: evenly). */
static const double *FRAC;
static int by_frac_desc(const void *a, const void *b)
{
    long x = *(const long *)a, y = *(const long *)b;
    if (FRAC[x] != FRAC[y])
        return FRAC[x] > FRAC[y] ? -1 : 1;
    return x < y ? -1 : x > y;
}

static void apportion(long n, const double *w, long k, long *out)
{
    double tot = 0;
    for (long i = 0; i < k; i++)
        tot += w[i];
    long given = 0;
    double *frac = xcalloc((size_t)k, sizeof *frac);
    long *ix = xcalloc((size_t)k, sizeof *ix);
    for (long i = 0; i < k; i++) {
        double x = tot > 0 ? (double)n * w[i] / tot : (double)n / (double)k;
        out[i] = (long)x;
        frac[i] = x - (double)out[i];
        given += out[i];
        ix[i] = i;
    }
    FRAC = frac;
    qsort(ix, (size_t)k, sizeof *ix, by_frac_desc);
    for (long j = 0; given < n; j = (j + 1) % k, given++)
        out[ix[j]]++;
    free(frac);
    free(ix);
}

/* Makes sure the county shows every registry list when it can: a dropout,
 * a child in the province, one out of it. */
static void force_lists(void)
{
    int have[PL_REASON + 1] = {0};
    for (size_t i = 0; i < NPERSON; i++)
        have[REG[i].plan] = 1;
    static const int WANT[] = {PL_DROPOUT, PL_PROV, PL_OOP};
    for (size_t w = 0; w < ARRAY_N(WANT); w++) {
        if (have[WANT[w]])
            continue;
        for (size_t i = 0; i < NPERSON; i++) {
            reg_t *p = &REG[i];
            int a = person_age(i);
            if (p->plan != PL_ENROL || p->ty == TY_SPEC || a < 6 || a > 15)
                continue;
            p->plan = (uint8_t)WANT[w];
            if (WANT[w] == PL_DROPOUT)
                p->status = ST_NOT;
            break;
        }
    }
}

static void roster_plan(void)
{
    long R = C.roster, E = 0;
    force_lists();
    for (size_t i = 0; i < NPERSON; i++)
        E += REG[i].plan == PL_ENROL;
    int dup_ok = 0;
    for (int t = 0; t < NTYPE; t++)
        dup_ok |= NTYPE_N[t] >= 2;
    long J = (long)((double)R * C.noid + 0.5), D = dup_ok ? (long)((double)R * C.dup + 0.5) : 0;
    if (R - J - D < E)
        D = R - J - E > 0 ? R - J - E : 0;
    if (R - J - D < E)
        J = R - D - E > 0 ? R - D - E : 0;
    if (E > R) {
        /* more registry pupils than roster rows: the last ones study elsewhere */
        long drop = E - R;
        for (size_t i = NPERSON; i-- > 0 && drop > 0;)
            if (REG[i].plan == PL_ENROL) {
                REG[i].plan = PL_PROV;
                drop--;
            }
        E = R;
    }
    ROWS_E = E;
    ROWS_J = J;
    ROWS_F = R - E - J - D;
    /* registry pupils to schools, paid or not, boarding or not */
    long unpaid = 0, enrolled = 0;
    for (size_t i = 0; i < NPERSON; i++) {
        reg_t *p = &REG[i];
        if (p->plan != PL_ENROL)
            continue;
        p->school = school_for(&R_main, p->ty, HH[p->hh].township);
        SCH[p->school].nreg++;
        if (chance(&R_main, 0.97))
            p->flags |= RF_PAID;
        if (chance(&R_main, board_share(p->ty)))
            p->flags |= RF_BOARD;
        enrolled++;
        unpaid += !(p->flags & RF_PAID);
    }
    if (!unpaid && enrolled >= 2)
        for (size_t i = 0; i < NPERSON; i++)
            if (REG[i].plan == PL_ENROL) {
                REG[i].flags &= (uint8_t)~RF_PAID;
                break;
            }
    long off = 0;
    for (long s = 0; s < NSCH; s++) {
        SCH[s].reg_off = off;
        off += SCH[s].nreg;
        SCH[s].nreg = 0;
    }
    REGLIST = xcalloc((size_t)(off ? off : 1), sizeof *REGLIST);
    for (size_t i = 0; i < NPERSON; i++)
        if (REG[i].plan == PL_ENROL) {
            school_t *sc = &SCH[REG[i].school];
            REGLIST[sc->reg_off + sc->nreg++] = (uint32_t)i;
        }
    /* the other pupils, by school type and size */
    double *w = xcalloc((size_t)NSCH, sizeof *w);
    long *cnt = xcalloc((size_t)NSCH, sizeof *cnt);
    double tshare = 0;
    for (int t = 0; t < NTYPE; t++)
        tshare += NTYPE_N[t] ? TYPE_SHARE[t] : 0;
    for (long s = 0; s < NSCH; s++)
        w[s] = TYPE_SHARE[SCH[s].type] / tshare / (double)NTYPE_N[SCH[s].type] *
               (0.7 + 0.6 * rng_unit(&R_main));
    apportion(ROWS_F, w, NSCH, cnt);
    for (long s = 0; s < NSCH; s++)
        SCH[s].nfill = cnt[s];
    /* second enrolments: into a later school of the same type */
    long ntarget = 0;
    for (long s = 0; s < NSCH; s++) {
        int first_of_type = TYPELIST[SCH[s].type][0] == (uint32_t)s;
        w[s] = first_of_type ? 0 : (double)(SCH[s].nreg + SCH[s].nfill + 1);
        ntarget += !first_of_type;
    }
    if (!ntarget)
        D = 0;
    apportion(D, w, NSCH, cnt);
    uint32_t *src = xcalloc((size_t)(D ? D : 1), sizeof *src);
    long j = 0;
    for (long b = 0; b < NSCH; b++) {
        school_t *sc = &SCH[b];
        sc->dup_off = j;
        int ty = sc->type;
        long k = 0;
        while (TYPELIST[ty][k] != (uint32_t)b)
            k++;
        for (long d = 0; d < cnt[b]; d++) {
            long start = k ? (long)rng_below(&R_main, (uint32_t)k) : 0, a = -1;
            for (long q = 0; q < k; q++) {
                school_t *sa = &SCH[TYPELIST[ty][(start + q) % k]];
                if (sa->nreg + sa->nfill - sa->nsrc > 0) {
                    a = TYPELIST[ty][(start + q) % k];
                    break;
                }
            }
            if (a < 0) {
                sc->nfill++;        /* nobody to enrol twice: one more pupil */
                ROWS_F++;
                continue;
            }
            SCH[a].nsrc++;
            src[j++] = (uint32_t)a;
            sc->ndup_in++;
        }
    }
    ROWS_D = j;
    PEND = xcalloc((size_t)(j ? j : 1), sizeof *PEND);
    SRCLIST = xcalloc((size_t)(j ? j : 1), sizeof *SRCLIST);
    off = 0;
    for (long s = 0; s < NSCH; s++) {
        SCH[s].src_off = off;
        off += SCH[s].nsrc;
        SCH[s].nsrc = 0;
    }
    for (long d = 0; d < j; d++) {
        school_t *sa = &SCH[src[d]];
        SRCLIST[sa->src_off + sa->nsrc++] = (uint32_t)d;
    }
    free(src);
    /* pupils without ID */
    for (long s = 0; s < NSCH; s++)
        w[s] = (double)(SCH[s].nreg + SCH[s].nfill + 1);
    apportion(ROWS_J, w, NSCH, cnt);
    for (long s = 0; s < NSCH; s++)
        SCH[s].nnoid = cnt[s];
    free(w);
    free(cnt);

    /* payments: registry pupils, other pupils, IDs on no roster */
    long M = C.payments;
    PAY_REG = 0;
    for (size_t i = 0; i < NPERSON; i++)
        if (REG[i].plan == PL_ENROL && REG[i].flags & RF_PAID)
            PAY_REG += nprogs(REG[i].ty);
    PAY_PNE = M > 0 ? (long)((double)M * 0.004 + 0.5) : 0;
    if (M > 0 && PAY_PNE < 1)
        PAY_PNE = 1;
    for (size_t i = NPERSON; i-- > 0 && PAY_REG + PAY_PNE > M;)
        if (REG[i].plan == PL_ENROL && REG[i].flags & RF_PAID) {
            REG[i].flags &= (uint8_t)~RF_PAID;
            PAY_REG -= nprogs(REG[i].ty);
        }
    if (PAY_REG + PAY_PNE > M)
        PAY_PNE = M - PAY_REG;
    PAY_PUPIL = M - PAY_REG - PAY_PNE;
    long capacity = 0;
    for (long s = 0; s < NSCH; s++)
        capacity += SCH[s].nfill * nprogs(SCH[s].type);
    if (PAY_PUPIL > capacity) {
        PAY_PNE += PAY_PUPIL - capacity;
        PAY_PUPIL = capacity;
    }
    PUPIL_NEED = PAY_PUPIL;
    PUPIL_CAP = capacity;
}

/* ------------------------------------------------------------------ */
/* payments                                                           */

typedef struct {
    uint32_t ent;
    uint32_t school;
    uint8_t prog, amount, label, ty;
} pay_t;

static pay_t *PAY;
static size_t NPAY, CAPPAY;

static void add_pay(uint32_t ent, uint32_t school, int prog, int amount, int label, int ty)
{
    if (NPAY == CAPPAY) {
        CAPPAY = CAPPAY ? CAPPAY * 2 : 1024;
        PAY = xrealloc(PAY, CAPPAY * sizeof *PAY);
    }
    PAY[NPAY++] = (pay_t){ent, school, (uint8_t)prog, (uint8_t)amount, (uint8_t)label,
                          (uint8_t)ty};
}

/* n payments of this term for a pupil of school type ty. */
static void pay_pupil(uint32_t ent, uint32_t school, int ty, int board, int n, int label)
{
    int prog[2], amount[2];
    switch (ty) {
    case TY_KG: prog[0] = PG_KG, amount[0] = AM_500; break;
    case TY_PRI: prog[0] = PG_LIVING, amount[0] = board ? AM_500 : AM_250; break;
    case TY_MID: prog[0] = PG_LIVING, amount[0] = board ? AM_625 : AM_31250; break;
    case TY_HIGH:
        prog[0] = PG_HIGH_GRANT, amount[0] = AM_1000, prog[1] = PG_HIGH_FEE, amount[1] = AM_400;
        break;
    case TY_VOC:
        prog[0] = PG_VOC_GRANT, amount[0] = AM_1000, prog[1] = PG_VOC_FEE, amount[1] = AM_1000;
        break;
    default: prog[0] = PG_LIVING, amount[0] = AM_500;
    }
    for (int i = 0; i < n && i < nprogs(ty); i++)
        add_pay(ent, school, prog[i], amount[i], label, ty);
}

static int cat_label(int cat)
{
    static const int L[NCAT] = {LB_JD, LB_MON, LB_DB, LB_TK, LB_GE, LB_CJ};
    return L[cat];
}

/* 资助类别 of a registry pupil's payments: her category (now and then the
 * second one, 脱贫户 for 建档立卡, or nothing); rarely a category she is not
 * in (identity in doubt). */
static int label_for_person(const reg_t *p)
{
    double u = rng_unit(&R_main);
    if (u < 0.04)
        return LB_EMPTY;
    if (u < 0.06) {
        int c = (int)rng_below(&R_main, NCAT);
        if (c != p->cat && c != p->cat2)
            return cat_label(c);
    }
    int c = p->cat2 != NCAT && chance(&R_main, 0.3) ? p->cat2 : p->cat;
    if (c == CAT_JD && chance(&R_main, 0.1))
        return LB_TUOPIN;
    return cat_label(c);
}

static int label_for_pupil(void)
{
    double u = rng_unit(&R_main);
    return u < 0.007 ? LB_JD : u < 0.0085 ? LB_DB : u < 0.01 ? LB_CJ : u < 0.6 ? LB_GENERAL : LB_EMPTY;
}

/* ------------------------------------------------------------------ */
/* writing the rosters                                                */

static const char *const CLASS[] = {"1班", "2班", "3班", "4班", "5班", "6班"};
static const char *const ROSTER_H[] = {"学校标识码", "学校名称", "姓名", "性别", "身份证件类型",
                                       "身份证件号", "全国学籍号", "学段", "年级", "班级",
                                       "就读方式", "残疾类型", "随班就读"};
#define NO_ENT UINT32_MAX

/* How a row writes the name of entity e (or of a pupil who is no entity):
 * characters lost in GBK, now and then a • for the dot, and, at the
 * name-variants share, a really different name in a usable row. */
static unsigned name_flags(const out_t *o, uint32_t e, uint32_t name, int usable)
{
    unsigned nv = o->gbk ? NV_LOST : 0;
    if (NAME_KIND(name) == NK_MINORITY && chance(&R_var, 0.3))
        nv |= NV_DOT;
    if (e != NO_ENT && usable && name_can_vary(name) && !ENT[e].var &&
        chance(&R_var, C.variants)) {
        nv |= NV_REAL;
        ENT[e].var = 1;
    }
    return nv;
}

static void roster_row(out_t *o, const school_t *sc, uint32_t e, uint64_t key, uint32_t name,
                       int age, int board, int disab)
{
    char cell[40], nm[96], sn[24], grade[32];
    int usable = id_cell(key, 0, cell);
    unsigned nv = name_flags(o, e, name, usable);
    out_field(o, sc->code);
    out_field(o, sc->name);
    out_field(o, render_name(name, nv, nm, sizeof nm));
    out_field(o, key_male(key) ? "男" : "女");
    out_field(o, "居民身份证");
    out_field(o, cell);
    sn[0] = 'G';
    id_of_key(key, sn + 1);
    out_field(o, sn);
    out_field(o, STAGE[sc->type]);
    out_field(o, grade_of(sc->type, age, grade, sizeof grade));
    out_field(o, CLASS[rng_below(&R_main, ARRAY_N(CLASS))]);
    out_field(o, board ? "住校" : "走读");
    out_field(o, DISAB[disab]);
    out_field(o, disab && sc->type != TY_SPEC ? "是" : "");
    out_row(o, 1);
    if (!usable)
        o->rejected++;
    else if (e != NO_ENT)
        inc(&ENT[e].nroster);
}

/* A pupil without an ID number: the ID column empty, a J or L student number. */
static void roster_row_noid(out_t *o, const school_t *sc)
{
    char nm[96], sn[24], grade[32];
    int male = chance(&R_main, 0.5), age = age_for_type(&R_main, sc->type);
    sn[0] = chance(&R_main, 0.5) ? 'J' : 'L';
    for (int i = 1; i <= 18; i++)
        sn[i] = (char)('0' + rng_below(&R_main, 10));
    sn[19] = 0;
    idnum_t t;
    if (id_canon("", 0, BIRTH_REF, &t) == ID_OK || id_canon(sn, 19, BIRTH_REF, &t) == ID_OK)
        die("internal: a pupil without ID would be usable", sn);
    out_field(o, sc->code);
    out_field(o, sc->name);
    out_field(o, render_name(new_name(&R_main, random_surname(&R_main), male),
                             o->gbk ? NV_LOST : 0, nm, sizeof nm));
    out_field(o, male ? "男" : "女");
    out_field(o, "无");
    out_field(o, "");
    out_field(o, sn);
    out_field(o, STAGE[sc->type]);
    out_field(o, grade_of(sc->type, age, grade, sizeof grade));
    out_field(o, CLASS[rng_below(&R_main, ARRAY_N(CLASS))]);
    out_field(o, "走读");
    out_field(o, "");
    out_field(o, "");
    out_row(o, 1);
    o->rejected++;
}

static void write_school(out_t *o, long s)
{
    school_t *sc = &SCH[s];
    long rem_reg = sc->nreg, rem_dup = sc->ndup_in, rem_noid = sc->nnoid, rem_fill = sc->nfill;
    long src_need = sc->nsrc, src_left = sc->nreg + sc->nfill, src_done = 0;
    long ri = 0, di = 0;
    int ty = sc->type;
    while (rem_reg + rem_dup + rem_noid + rem_fill > 0) {
        long tot = rem_reg + rem_dup + rem_noid + rem_fill;
        long x = (long)rng_below(&R_main, (uint32_t)(tot > UINT32_MAX ? UINT32_MAX : tot));
        if (x < rem_reg) {
            rem_reg--;
            uint32_t i = REGLIST[sc->reg_off + ri++];
            const reg_t *p = &REG[i];
            int age = person_age(i), board = p->flags & RF_BOARD ? 1 : 0;
            roster_row(o, sc, i, ENT[i].key, ENT[i].name, age, board, p->disab);
            if (p->flags & RF_PAID)
                pay_pupil(i, (uint32_t)s, ty, board, 2, label_for_person(p));
            if (take(&R_main, &src_need, &src_left)) {
                pend_t *pd = &PEND[SRCLIST[sc->src_off + src_done++]];
                *pd = (pend_t){i, (uint8_t)age, (uint8_t)board, p->disab, 1};
            }
        } else if ((x -= rem_reg) < rem_dup) {
            rem_dup--;
            pend_t *pd = &PEND[sc->dup_off + di++];
            if (!pd->filled)
                die("internal: a second enrolment before the first", NULL);
            roster_row(o, sc, pd->ent, ENT[pd->ent].key, ENT[pd->ent].name, pd->age, pd->board,
                       pd->disab);
        } else if ((x -= rem_dup) < rem_noid) {
            rem_noid--;
            roster_row_noid(o, sc);
        } else {
            rem_fill--;
            int male = chance(&R_main, 0.51), age = age_for_type(&R_main, ty);
            double u = rng_unit(&R_main);
            int group = u < 0.88 ? AG_LOCAL : u < 0.96 ? AG_PROVINCE : AG_OTHER;
            uint64_t key = new_key(&R_main, group, birthday_for_age(&R_main, age), male);
            uint32_t name = new_name(&R_main, random_surname(&R_main), male);
            int board = chance(&R_main, board_share(ty));
            int disab = ty == TY_SPEC || chance(&R_main, 0.005)
                      ? 1 + (int)rng_below(&R_main, ARRAY_N(DISAB) - 1) : 0;
            int k = nprogs(ty), paid = 0;
            if (PUPIL_NEED > 0 && (PUPIL_NEED > PUPIL_CAP - k ||
                                   rng_unit(&R_main) * (double)PUPIL_CAP < (double)PUPIL_NEED))
                paid = PUPIL_NEED < k ? (int)PUPIL_NEED : k;
            PUPIL_NEED -= paid;
            PUPIL_CAP -= k;
            int src = take(&R_main, &src_need, &src_left);
            uint32_t e = paid || src ? new_ent(key, name) : NO_ENT;
            roster_row(o, sc, e, key, name, age, board, disab);
            if (paid)
                pay_pupil(e, (uint32_t)s, ty, board, paid, label_for_pupil());
            if (src) {
                pend_t *pd = &PEND[SRCLIST[sc->src_off + src_done++]];
                *pd = (pend_t){e, (uint8_t)age, (uint8_t)board, (uint8_t)disab, 1};
            }
        }
    }
}

static void write_rosters(void)
{
    out_t o;
    int width = 3;
    for (long n = C.roster_files; n >= 1000; n /= 10)
        width++;
    for (long s = 0; s < NSCH; s++) {
        const school_t *sc = &SCH[s];
        if (s == 0 || SCH[s - 1].file != sc->file) {
            char base[256];
            if (C.roster_files == NSCH)
                snprintf(base, sizeof base, "%s_%s", sc->code, sc->name);
            else {
                char num[24];
                int n = snprintf(num, sizeof num, "%ld", sc->file + 1);
                snprintf(base, sizeof base, "roster_%.*s%s", width > n ? width - n : 0,
                         "000000000000", num);
            }
            out_open(&o, "rosters", base);
            out_header(&o, ROSTER_H, ARRAY_N(ROSTER_H));
        }
        write_school(&o, s);
        if (s == NSCH - 1 || SCH[s + 1].file != sc->file)
            out_close(&o);
    }
    if (PUPIL_NEED)
        die("internal: payments to pupils left over", NULL);
}

/* ------------------------------------------------------------------ */
/* writing the registry                                               */

static const char *const REG_H[] = {"县(市、区、旗)", "乡(镇)", "行政村", "户编号", "人编号", "姓名",
                                    "证件号码", "与户主关系", "在校生状况", "义务教育阶段未上学原因",
                                    "户类型", "监测对象类型", "风险是否消除", "务工地点", "户主姓名"};

static void registry_row(out_t *o, int cat, uint32_t i)
{
    const reg_t *p = &REG[i];
    const hh_t *h = &HH[p->hh];
    char cell[40], nm[96], head[96], hhno[40], pno[48];
    int usable = id_cell(ENT[i].key, 1, cell);
    unsigned nv = o->gbk ? NV_LOST : 0;
    snprintf(hhno, sizeof hhno, "%s%03u%06u", ADDR[0], (unsigned)h->township % 1000,
             (unsigned)((p->hh + 1) % 1000000));
    snprintf(pno, sizeof pno, "%s%02u", hhno, (unsigned)(i - h->first + 1));
    out_field(o, COUNTY);
    out_field(o, TOWN[h->township]);
    out_field(o, village_name(h->township, h->village));
    out_field(o, hhno);
    out_field(o, pno);
    out_field(o, render_name(ENT[i].name, nv, nm, sizeof nm));
    out_field(o, cell);
    out_field(o, REL[p->rel]);
    out_field(o, STATUS[p->status]);
    out_field(o, REASON[p->reason]);
    out_field(o, HH_TYPE[cat]);
    out_field(o, cat == CAT_MON ? MON_TYPE[h->mon % 3] : "");
    out_field(o, cat == CAT_MON ? (h->mon >= 3 ? "是" : "否") : "");
    out_field(o, h->dest ? DEST[h->dest - 1] : "");
    out_field(o, render_name(ENT[h->first].name, nv, head, sizeof head));
    out_row(o, 1);
    if (!usable) {
        o->rejected++;
        return;
    }
    inc(&ENT[i].nreg);
    ENT[i].cats |= (uint8_t)(1u << cat);
}

static void write_registry(void)
{
    int y = AS_OF / 10000, m = AS_OF / 100 % 100, d = AS_OF % 100;
    size_t first = 0;
    for (int c = 0; c < NCAT; c++) {
        out_t o;
        char title[256], sub[128];
        out_open(&o, "registry", CAT_FILE[c]);
        snprintf(title, sizeof title, "%s%d年%s人员名单", COUNTY, y, CAT_FILE[c]);
        snprintf(sub, sizeof sub, "（数据截至%d年%d月%d日）", y, m, d);
        out_titles(&o, title, sub, ARRAY_N(REG_H));
        out_header(&o, REG_H, ARRAY_N(REG_H));
        long own = OWN[c], cross = 0;
        for (size_t i = 0; i < NPERSON; i++)
            cross += REG[i].cat2 == c;
        size_t oi = first, ci = 0;
        while (own + cross > 0) {
            if ((long)rng_below(&R_main, (uint32_t)(own + cross)) < own) {
                own--;
                registry_row(&o, c, (uint32_t)oi++);
            } else {
                cross--;
                while (REG[ci].cat2 != c)
                    ci++;
                registry_row(&o, c, (uint32_t)ci++);
            }
        }
        first = oi;
        out_close(&o);
    }
}

/* ------------------------------------------------------------------ */
/* payments to IDs on no roster; the aid lists                        */

static void plan_unenrolled_payments(void)
{
    long n = PAY_PNE, cand = 0;
    for (size_t i = 0; i < NPERSON; i++) {
        int a = person_age(i);
        cand += (REG[i].plan == PL_PROV || REG[i].plan == PL_OOP) && a >= 3 && a <= 17;
    }
    long need = n / 3 < cand ? n / 3 : cand, left = cand, got = 0;
    for (size_t i = 0; i < NPERSON && need > 0; i++) {
        const reg_t *p = &REG[i];
        int a = person_age(i);
        if (!((p->plan == PL_PROV || p->plan == PL_OOP) && a >= 3 && a <= 17))
            continue;
        if (!take(&R_main, &need, &left))
            continue;
        int ty = p->ty;
        uint32_t s = NTYPE_N[ty] ? school_for(&R_main, ty, HH[p->hh].township)
                                 : (uint32_t)rng_below(&R_main, (uint32_t)NSCH);
        pay_pupil((uint32_t)i, s, NTYPE_N[ty] ? ty : SCH[s].type, 0, 1, label_for_person(p));
        got++;
    }
    for (; got < n; got++) {
        int age = rng_range(&R_main, 3, 17), male = chance(&R_main, 0.5);
        int ty = type_for_age(&R_main, age);
        if (!NTYPE_N[ty])
            ty = SCH[rng_below(&R_main, (uint32_t)NSCH)].type;
        uint64_t key = new_key(&R_main, AG_LOCAL, birthday_for_age(&R_main, age), male);
        uint32_t e = new_ent(key, new_name(&R_main, random_surname(&R_main), male));
        pay_pupil(e, school_for(&R_main, ty, rng_below(&R_main, (uint32_t)C.townships)), ty, 0,
                  1, label_for_pupil());
    }
}

static long L_IDENTITY, L_PNE, AID_FILES;

static const char *amount_text(int a, char *buf)
{
    money_format(AMOUNT[a], buf);
    size_t n = strlen(buf);
    if (n > 3 && !strcmp(buf + n - 3, ".00"))
        buf[n - 3] = 0;
    return buf;
}

static void write_aid(void)
{
    static const char *const AID_H[] = {"学期", "资助项目", "身份证号", "姓名", "学校", "金额",
                                        "资助类别"};
    char term[32];
    snprintf(term, sizeof term, "%d%s", AS_OF / 10000, AS_OF / 100 % 100 >= 8 ? "秋" : "春");
    for (int pg = 0; pg < NPROG; pg++) {
        long n = 0;
        for (size_t i = 0; i < NPAY; i++)
            n += PAY[i].prog == pg;
        if (!n)
            continue;
        out_t o;
        char base[128], title[256];
        snprintf(base, sizeof base, "%s_%s", PROG[pg], term);
        out_open(&o, "aid", base);
        AID_FILES++;
        snprintf(title, sizeof title, "%s%s季学期%s发放名单", COUNTY, term, PROG[pg]);
        out_titles(&o, title, "（单位：元）", ARRAY_N(AID_H));
        out_header(&o, AID_H, ARRAY_N(AID_H));
        for (size_t i = 0; i < NPAY; i++) {
            const pay_t *py = &PAY[i];
            if (py->prog != pg)
                continue;
            ent_t *e = &ENT[py->ent];
            char cell[40], nm[96], amt[32];
            int usable = id_cell(e->key, 0, cell);
            unsigned nv = name_flags(&o, py->ent, e->name, usable);
            out_field(&o, term);
            out_field(&o, PROG[pg]);
            out_field(&o, cell);
            out_field(&o, render_name(e->name, nv, nm, sizeof nm));
            out_field(&o, SCH[py->school].name);
            out_field(&o, amount_text(py->amount, amt));
            out_field(&o, LABEL[py->label]);
            out_row(&o, 1);
            if (!usable) {
                o.rejected++;
                continue;
            }
            inc(&e->npay);
            unsigned have = e->nreg ? e->cats : 0;
            L_IDENTITY += (label_cats(LABEL[py->label]) & ~have) != 0;
            L_PNE += e->nroster == 0;
        }
        out_close(&o);
    }
}

/* ------------------------------------------------------------------ */
/* the province extract                                               */

static void province_school(int ty, char code[12], char *name, size_t cap, const char **county)
{
    static const char *const SUFFIX[NTYPE] = {"实验幼儿园", "实验小学", "第二中学", "第一中学",
                                              "职业技术学校", "特殊教育学校"};
    unsigned nb = rng_below(&R_main, ARRAY_N(NEIGHBOUR));
    snprintf(code, 12, "%010u", (unsigned)(2152280000L + (long)nb * 100 + ty * 10));
    snprintf(name, cap, "%s%s", NEIGHBOUR[nb], SUFFIX[ty]);
    *county = NEIGHBOUR[nb];
}

static void province_row(out_t *o, uint64_t key, uint32_t name, int ty, int age, uint32_t e)
{
    char id[19], nm[96], code[12], sname[128], grade[32];
    const char *county;
    id_of_key(key, id);
    idnum_t t;
    if (id_canon(id, 18, BIRTH_REF, &t) != ID_OK || t.key != key)
        die("internal: a province ID is not usable", id);
    province_school(ty, code, sname, sizeof sname, &county);
    out_field(o, id);
    out_field(o, render_name(name, o->gbk ? NV_LOST : 0, nm, sizeof nm));
    out_field(o, code);
    out_field(o, sname);
    out_field(o, county);
    out_field(o, STAGE[ty]);
    out_field(o, grade_of(ty, age, grade, sizeof grade));
    out_row(o, 1);
    if (e != NO_ENT)
        inc(&ENT[e].nprov);
}

static void write_province(void)
{
    static const char *const PROV_H[] = {"身份证件号", "姓名", "学校标识码", "学校名称", "所在县区",
                                         "学段", "年级"};
    out_t o;
    out_open(&o, "province", "province");
    out_header(&o, PROV_H, ARRAY_N(PROV_H));
    long nreg = 0;
    for (size_t i = 0; i < NPERSON; i++) {
        int a = person_age(i);
        if ((REG[i].plan == PL_PROV && a >= 3 && a <= 18) ||
            (REG[i].plan == PL_ENROL && chance(&R_main, 0.01))) {
            REG[i].flags |= RF_PROVROW;
            nreg++;
        }
    }
    long others = 2 * nreg > 3 ? 2 * nreg : 3;
    size_t i = 0;
    while (nreg + others > 0) {
        if ((long)rng_below(&R_main, (uint32_t)(nreg + others)) < nreg) {
            nreg--;
            while (!(REG[i].flags & RF_PROVROW))
                i++;
            province_row(&o, ENT[i].key, ENT[i].name, REG[i].ty, person_age(i), (uint32_t)i);
            i++;
        } else {
            others--;
            int age = rng_range(&R_main, 3, 17), male = chance(&R_main, 0.5);
            int ty = type_for_age(&R_main, age);
            uint64_t key = new_key(&R_main, AG_PROVINCE, birthday_for_age(&R_main, age), male);
            province_row(&o, key, new_name(&R_main, random_surname(&R_main), male), ty, age,
                         NO_ENT);
        }
    }
    out_close(&o);
}

/* ------------------------------------------------------------------ */
/* expected.json: README's rules over what was written                */

typedef struct {
    long missed, out_of_county, out_of_province, dropout, identity, pne, dup, names, rejects;
} lists_t;

static lists_t expected_lists(void)
{
    lists_t l = {0};
    for (size_t i = 0; i < NPERSON; i++) {
        const ent_t *e = &ENT[i];
        if (!e->nreg)
            continue;            /* every registry row of hers was rejected */
        int age = person_age(i);
        const char *status = STATUS[REG[i].status];
        int stage = names_stage(status);
        if (!((age >= 3 && age <= 18) || stage))
            continue;
        if (e->nroster)
            l.missed += AID_FILES && e->npay == 0;   /* no aid list: aid not checked */
        else if (e->nprov)
            l.out_of_county++;
        else if (stage)
            l.out_of_province++;
        else if (age >= 6 && age <= 15 && !has_reason(REASON[REG[i].reason], status))
            l.dropout++;
    }
    for (size_t i = 0; i < NENT; i++) {
        const ent_t *e = &ENT[i];
        if (e->nroster >= 2)
            l.dup += e->nroster;
        if (!e->var)
            continue;
        /* the names bidui gathers: a registry person's registry rows, roster
         * rows (her first, and all when duplicated) and payments; an ID with
         * payments: those and its roster rows; else a duplicated ID's rows */
        long seen = e->nreg ? (long)e->nreg + e->nroster + e->npay
                  : e->npay ? (long)e->npay + e->nroster
                  : e->nroster >= 2 ? (long)e->nroster : 0;
        l.names += seen >= 2;
    }
    l.identity = L_IDENTITY;
    l.pne = L_PNE;
    for (size_t f = 0; f < NFILES; f++)
        l.rejects += FILES[f].rejected;
    return l;
}

static int by_rel(const void *a, const void *b)
{
    return strcmp(((const fstat_t *)a)->rel, ((const fstat_t *)b)->rel);
}

static void json_str(FILE *f, const char *s)
{
    fputc('"', f);
    for (; *s; s++) {
        if (*s == '"' || *s == '\\')
            fputc('\\', f);
        fputc(*s, f);
    }
    fputc('"', f);
}

static void write_expected(const lists_t *l)
{
    char path[PATH_MAX];
    snprintf(path, sizeof path, "%s/expected.json", C.out);
    FILE *f = fopen(path, "w");
    if (!f)
        die("cannot create", path);
    fprintf(f, "{\n  \"lists\": {\"missed\": %ld, \"out_of_county\": %ld, \"out_of_province\": %ld, "
               "\"dropout_suspects\": %ld, \"identity_in_doubt\": %ld, \"paid_not_enrolled\": %ld, "
               "\"duplicate_enrollment\": %ld, \"name_mismatch\": %ld, \"rejects\": %ld},\n",
            l->missed, l->out_of_county, l->out_of_province, l->dropout, l->identity, l->pne,
            l->dup, l->names, l->rejects);
    fprintf(f, "  \"inputs\": [");
    qsort(FILES, NFILES, sizeof *FILES, by_rel);
    for (size_t i = 0; i < NFILES; i++) {
        fprintf(f, "%s\n    {\"path\": ", i ? "," : "");
        json_str(f, FILES[i].rel);
        fprintf(f, ", \"rows\": %ld, \"rejected\": %ld}", FILES[i].rows, FILES[i].rejected);
    }
    fprintf(f, "\n  ]\n}\n");
    if (fclose(f) != 0)
        die("write failed", path);
}

/* ------------------------------------------------------------------ */
/* the output folder                                                  */

static const char *const SUBDIRS[] = {"registry", "rosters", "aid", "province"};

static int is_csv(const char *n)
{
    size_t k = strlen(n);
    return (k > 4 && !strcmp(n + k - 4, ".csv")) || (k > 7 && !strcmp(n + k - 7, ".csv.gz"));
}

/* DIR is new, empty, or an earlier output of gen (it has expected.json):
 * then its old .csv and .csv.gz files go, since bidui reads whole folders. */
static void prepare_out(void)
{
    char path[PATH_MAX];
    DIR *d = opendir(C.out);
    if (d) {
        int nonempty = 0;
        struct dirent *de;
        while ((de = readdir(d)))
            nonempty |= strcmp(de->d_name, ".") && strcmp(de->d_name, "..");
        closedir(d);
        snprintf(path, sizeof path, "%s/expected.json", C.out);
        if (nonempty && access(path, F_OK) != 0) {
            fprintf(stderr, "gen: %s: exists and is no output of gen (no expected.json); "
                            "choose another --out\n", C.out);
            exit(2);
        }
    }
    for (size_t i = 0; i < ARRAY_N(SUBDIRS); i++) {
        snprintf(path, sizeof path, "%s/%s", C.out, SUBDIRS[i]);
        mkdirs(path);
        if (!(d = opendir(path)))
            die("cannot read folder", path);
        struct dirent *de;
        while ((de = readdir(d))) {
            if (!is_csv(de->d_name))
                continue;
            char f[PATH_MAX + 512];
            snprintf(f, sizeof f, "%s/%s", path, de->d_name);
            if (unlink(f) != 0)
                die("cannot remove an old file", f);
        }
        closedir(d);
    }
}

/* ------------------------------------------------------------------ */

static double now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void check_amounts(void)
{
    for (size_t a = 0; a < ARRAY_N(AMOUNT); a++) {
        char buf[32];
        int64_t fen;
        amount_text((int)a, buf);
        if (money_parse(buf, strlen(buf), &fen) != 0 || fen != AMOUNT[a])
            die("an amount would not read back", buf);
    }
}

static long rows_under(const char *sub)
{
    long n = 0;
    size_t k = strlen(sub);
    for (size_t i = 0; i < NFILES; i++)
        if (!strncmp(FILES[i].rel, sub, k) && FILES[i].rel[k] == '/')
            n += FILES[i].rows;
    return n;
}

static long files_under(const char *sub)
{
    long n = 0;
    size_t k = strlen(sub);
    for (size_t i = 0; i < NFILES; i++)
        n += !strncmp(FILES[i].rel, sub, k) && FILES[i].rel[k] == '/';
    return n;
}

int main(int argc, char **argv)
{
    double t0 = now_s();
    parse_flags(argc, argv);
    AS_OF = C.as_of;
    BIRTH_REF = (AS_OF / 10000 + 1) * 10000 + 831;
    rng_init(&R_main, C.seed, 1);
    rng_init(&R_mess, C.seed, 2);
    rng_init(&R_var, C.seed, 3);
    check_names();
    check_amounts();
    prepare_out();
    ids_init();
    towns_init();
    schools_init();
    registry_plan();
    roster_plan();
    write_registry();
    write_rosters();
    plan_unenrolled_payments();
    write_aid();
    write_province();
    lists_t l = expected_lists();
    write_expected(&l);
    fprintf(stderr, "gen: %s: registry %ld rows (%ld files), rosters %ld rows (%ld files), "
                    "aid %ld rows (%ld files), province %ld rows; %.1f MB in %.2f s\n",
            C.out, rows_under("registry"), files_under("registry"), rows_under("rosters"),
            files_under("rosters"), rows_under("aid"), files_under("aid"), rows_under("province"),
            (double)BYTES_OUT / 1e6, now_s() - t0);
    return 0;
}
