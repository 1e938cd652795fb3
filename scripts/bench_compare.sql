-- The comparison of `bidui compare` written as DuckDB SQL, for scripts/bench
-- (run by scripts/bench_duckdb.mjs, which fills in the {{...}} fields).
-- It follows README's rules on clean input (UTF-8, one header row, valid
-- IDs): IDs are joined as plain strings, there are no rejects.
--
-- Covered: one person per ID over all registry files (category from the
-- file name, 建档立卡 when the name is none; a field comes from the first
-- row, in category order, that has it); age on the as-of date from the ID;
-- the scope (3-18, or 在校生状况 names a school stage); the first rule that
-- holds: enrolled and paid -> 正常, enrolled unpaid -> missed, province
-- extract -> out_of_county, stage named -> out_of_province, 6-15 without a
-- recorded reason -> dropout_suspects, else 未在校; identity_in_doubt (a
-- payment's 资助类别 names a given category whose registry lacks the ID);
-- paid_not_enrolled; duplicate_enrollment (every roster row of an ID on
-- several); name_mismatch with README's normalization (spaces, full width,
-- middle dots). Each list and the ledger are written as CSV into {{OUT}}.
-- Not covered: the lost-character rule of names (?, ？, □, U+FFFD match any
-- one character: here they are ordinary characters; --clean data has none),
-- which row is "first" inside one file (bidui: the first by line; here any;
-- a missed child's school: here the smallest code of her roster rows),
-- ID canonicalization and rejects, amounts and the aid summary, GBK, title
-- rows, province replies, tracking, manifest and digests.

SET threads = {{THREADS}};
SET preserve_insertion_order = false;
SET temp_directory = '{{TMP}}';

CREATE TEMP MACRO cat_no(f) AS
    CASE regexp_extract(f, '([^/]*?)\.csv(\.gz)?$', 1)
        WHEN '监测' THEN 1 WHEN '低保' THEN 2 WHEN '特困' THEN 3
        WHEN '孤儿' THEN 4 WHEN '残疾' THEN 5 ELSE 0 END;
-- 资助类别 -> categories it names, as bits of cat_no
CREATE TEMP MACRO label_bits(l) AS
      (CASE WHEN contains(l, '建档立卡') OR contains(l, '脱贫') THEN 1 ELSE 0 END)
    | (CASE WHEN contains(l, '监测') THEN 2 ELSE 0 END)
    | (CASE WHEN contains(l, '低保') THEN 4 ELSE 0 END)
    | (CASE WHEN contains(l, '特困') THEN 8 ELSE 0 END)
    | (CASE WHEN contains(l, '孤儿') THEN 16 ELSE 0 END)
    | (CASE WHEN contains(l, '残疾') THEN 32 ELSE 0 END);
CREATE TEMP MACRO names_stage(s) AS
    regexp_matches(coalesce(s, ''), '学前|幼儿园|小学|初中|高中|普高|中职|中等职业|职高|技工|特殊教育|特教')
    AND NOT regexp_matches(coalesce(s, ''), '非|未|毕业|辍学|失学|休学|肄业');
CREATE TEMP MACRO has_reason(r, s) AS
    trim(coalesce(r, '')) <> ''
    OR regexp_matches(coalesce(s, ''), '送教上门|延缓|缓学|休学|因病|因残|重度残疾');
-- full years on the as-of date (YYYYMMDD arithmetic)
CREATE TEMP MACRO age_of(id) AS ({{ASOF}} - CAST(substr(id, 7, 8) AS INTEGER)) // 10000;
-- README's name normalization, without the lost-character rule
CREATE TEMP MACRO name_norm(s) AS
    regexp_replace(regexp_replace(regexp_replace(
        translate(s,
            '！＂＃＄％＆＇（）＊＋，－．／０１２３４５６７８９：；＜＝＞？＠ＡＢＣＤＥＦＧＨＩＪＫＬＭＮＯＰＱＲＳＴＵＶＷＸＹＺ［＼］＾＿｀ａｂｃｄｅｆｇｈｉｊｋｌｍｎｏｐｑｒｓｔｕｖｗｘｙｚ｛｜｝～',
            '!"#$%&''()*+,-./0123456789:;<=>?@ABCDEFGHIJKLMNOPQRSTUVWXYZ[\]^_`abcdefghijklmnopqrstuvwxyz{|}~'),
        '[\t\n\x{0B}\f\r \x{A0}\x{3000}\x{FEFF}\x{200B}]', '', 'g'),
        '[.\x{B7}\x{2022}\x{2024}\x{2027}\x{2219}\x{22C5}\x{30FB}\x{FE52}\x{FF65}]', '·', 'g'),
        '[\x{25A0}\x{25A1}\x{FFFD}]', '?', 'g');

-- the inputs
CREATE TEMP TABLE given AS
    SELECT coalesce(bit_or(1 << cat_no(file)), 0) AS cats FROM glob('{{REGISTRY}}');
CREATE TEMP TABLE reg_rows AS
    SELECT 证件号码 AS id, 姓名 AS name, "乡(镇)" AS township, 行政村 AS village,
           户编号 AS household, 在校生状况 AS status, 义务教育阶段未上学原因 AS reason,
           务工地点 AS dest, cat_no(filename) AS cat
    FROM read_csv('{{REGISTRY}}', header = true, all_varchar = true, filename = true);
CREATE TEMP TABLE roster AS
    SELECT 身份证件号 AS id, 姓名 AS name, 学校标识码 AS school
    FROM read_csv('{{ROSTERS}}', header = true, all_varchar = true);
CREATE TEMP TABLE pay AS
    SELECT 身份证号 AS id, 姓名 AS name, 资助项目 AS programme, 资助类别 AS label,
           filename AS file
    FROM read_csv('{{AID}}', header = true, all_varchar = true, filename = true);
CREATE TEMP TABLE prov AS
    SELECT DISTINCT 身份证件号 AS id
    FROM read_csv('{{PROVINCE}}', header = true, all_varchar = true);

-- one person per ID; each field from the first row (category order) that has it
CREATE TEMP TABLE persons AS
    SELECT id,
           arg_min(name, cat) FILTER (WHERE name IS NOT NULL) AS name,
           arg_min(township, cat) FILTER (WHERE township IS NOT NULL) AS township,
           arg_min(village, cat) FILTER (WHERE village IS NOT NULL) AS village,
           arg_min(household, cat) FILTER (WHERE household IS NOT NULL) AS household,
           arg_min(status, cat) FILTER (WHERE status IS NOT NULL) AS status,
           arg_min(reason, cat) FILTER (WHERE reason IS NOT NULL) AS reason,
           arg_min(dest, cat) FILTER (WHERE dest IS NOT NULL) AS dest,
           bit_or(1 << cat) AS cats,
           min(name) AS nmin, max(name) AS nmax
    FROM reg_rows GROUP BY id;
CREATE TEMP TABLE rids AS
    SELECT id, count(*) AS n, min(school) AS school, min(name) AS nmin, max(name) AS nmax
    FROM roster GROUP BY id;
CREATE TEMP TABLE paid AS SELECT id, min(name) AS nmin, max(name) AS nmax FROM pay GROUP BY id;

-- registry to schools: the first rule that holds, for persons in scope
CREATE TEMP TABLE ledger AS
    SELECT p.id, p.name, p.township, p.village, p.household, p.dest, r.school,
           CASE WHEN r.id IS NOT NULL AND pd.id IS NOT NULL THEN '正常'
                WHEN r.id IS NOT NULL THEN '应助未助'
                WHEN v.id IS NOT NULL THEN '县外省内就读'
                WHEN p.stage THEN '省外就读'
                WHEN p.age BETWEEN 6 AND 15 AND NOT has_reason(p.reason, p.status) THEN '疑似失学辍学'
                ELSE '未在校' END AS 状态
    FROM (SELECT *, age_of(id) AS age, names_stage(status) AS stage FROM persons) p
    LEFT JOIN rids r ON r.id = p.id
    LEFT JOIN paid pd ON pd.id = p.id
    LEFT JOIN prov v ON v.id = p.id
    WHERE p.age BETWEEN 3 AND 18 OR p.stage;

-- schools and payments to registry
CREATE TEMP TABLE identity_in_doubt AS
    SELECT y.* FROM pay y LEFT JOIN persons p ON p.id = y.id
    WHERE label_bits(coalesce(y.label, '')) & (SELECT cats FROM given) & ~coalesce(p.cats, 0) <> 0;
CREATE TEMP TABLE paid_not_enrolled AS
    SELECT * FROM pay y WHERE NOT EXISTS (SELECT 1 FROM rids r WHERE r.id = y.id);
CREATE TEMP TABLE duplicate_enrollment AS
    SELECT x.*, r.n AS 该号学籍数 FROM roster x JOIN rids r ON r.id = x.id WHERE r.n > 1;

-- names: every name seen for an ID (its registry rows, roster rows and
-- payments; an ID on one roster row only and nowhere else has one name).
-- Candidates first: IDs with two spellings (min <> max); only their names
-- are normalized.
CREATE TEMP TABLE name_cand AS
    WITH spellings AS (
        SELECT id, nmin, nmax FROM persons
        UNION ALL SELECT id, nmin, nmax FROM paid
        UNION ALL SELECT id, nmin, nmax FROM rids WHERE n > 1),
    ids AS (SELECT id, min(nmin) AS lo, max(nmax) AS hi FROM spellings GROUP BY id)
    SELECT i.id FROM ids i LEFT JOIN rids r ON r.id = i.id
    WHERE least(i.lo, coalesce(r.nmin, i.lo)) <> greatest(i.hi, coalesce(r.nmax, i.hi));
-- (a table of their names first: else the optimizer normalizes every name
-- of every input before it filters)
CREATE TEMP TABLE cand_names AS
    SELECT id, name FROM reg_rows SEMI JOIN name_cand USING (id) WHERE name IS NOT NULL
    UNION ALL SELECT id, name FROM roster SEMI JOIN name_cand USING (id) WHERE name IS NOT NULL
    UNION ALL SELECT id, name FROM pay SEMI JOIN name_cand USING (id) WHERE name IS NOT NULL;
CREATE TEMP TABLE name_mismatch AS
    SELECT id, string_agg(DISTINCT name, '；') AS 姓名
    FROM (SELECT id, name, name_norm(name) AS norm FROM cand_names)
    WHERE norm <> ''
    GROUP BY id HAVING min(norm) <> max(norm);

-- the lists
COPY (SELECT id AS 身份证号, name AS 姓名, school AS 学校标识码, township AS 乡镇, village AS 行政村
      FROM ledger WHERE 状态 = '应助未助' ORDER BY school, id) TO '{{OUT}}/missed.csv' (HEADER);
COPY (SELECT id AS 身份证号, name AS 姓名, township AS 乡镇, village AS 行政村, household AS 户编号
      FROM ledger WHERE 状态 = '县外省内就读' ORDER BY township, village, household, id)
    TO '{{OUT}}/out_of_county.csv' (HEADER);
COPY (SELECT id AS 身份证号, name AS 姓名, dest AS 务工地点, township AS 乡镇, village AS 行政村,
             household AS 户编号
      FROM ledger WHERE 状态 = '省外就读' ORDER BY dest NULLS LAST, township, village, household, id)
    TO '{{OUT}}/out_of_province.csv' (HEADER);
COPY (SELECT id AS 身份证号, name AS 姓名, township AS 乡镇, village AS 行政村, household AS 户编号
      FROM ledger WHERE 状态 = '疑似失学辍学' ORDER BY township, village, household, id)
    TO '{{OUT}}/dropout_suspects.csv' (HEADER);
COPY (SELECT id AS 身份证号, name AS 姓名, programme AS 资助项目, label AS 资助类别, file AS 来源
      FROM identity_in_doubt ORDER BY file, id) TO '{{OUT}}/identity_in_doubt.csv' (HEADER);
COPY (SELECT id AS 身份证号, name AS 姓名, programme AS 资助项目, file AS 来源
      FROM paid_not_enrolled ORDER BY file, id) TO '{{OUT}}/paid_not_enrolled.csv' (HEADER);
COPY (SELECT id AS 身份证号, name AS 姓名, school AS 学校标识码, 该号学籍数
      FROM duplicate_enrollment ORDER BY id, school) TO '{{OUT}}/duplicate_enrollment.csv' (HEADER);
COPY (SELECT id AS 身份证号, 姓名 FROM name_mismatch ORDER BY id) TO '{{OUT}}/name_mismatch.csv' (HEADER);
COPY (SELECT id AS 身份证号, name AS 姓名, township AS 乡镇, village AS 行政村, household AS 户编号,
             状态
      FROM ledger ORDER BY township, village, household, id) TO '{{OUT}}/ledger.csv' (HEADER);

-- the counts, as summary.json "lists" (rejects: none on clean input, not computed)
SELECT (SELECT count(*) FROM ledger WHERE 状态 = '应助未助') AS missed,
       (SELECT count(*) FROM ledger WHERE 状态 = '县外省内就读') AS out_of_county,
       (SELECT count(*) FROM ledger WHERE 状态 = '省外就读') AS out_of_province,
       (SELECT count(*) FROM ledger WHERE 状态 = '疑似失学辍学') AS dropout_suspects,
       (SELECT count(*) FROM identity_in_doubt) AS identity_in_doubt,
       (SELECT count(*) FROM paid_not_enrolled) AS paid_not_enrolled,
       (SELECT count(*) FROM duplicate_enrollment) AS duplicate_enrollment,
       (SELECT count(*) FROM name_mismatch) AS name_mismatch,
       (SELECT count(*) FROM persons) AS persons,
       (SELECT count(*) FROM ledger) AS in_scope,
       (SELECT count(*) FROM ledger WHERE 状态 IN ('正常', '应助未助')) AS enrolled_in_scope,
       (SELECT count(*) FROM ledger WHERE 状态 NOT IN ('正常', '应助未助')) AS not_enrolled_in_scope;
