#!/usr/bin/env bash
# The reading benchmark (issue 2): how fast `bidui inspect` reads a large
# roster, against the least any libcsv reader can do with the same file
# (build/noop_parse, scripts/noop_parse.c: the same gzread I/O, libcsv with
# no-op callbacks). Target: bidui at least 80% of the no-op rate, plain and
# gzip. A benchmark, not a test: it prints figures and exits 0.
#
# usage: scripts/bench_read.sh [--size ROWS] [--runs N]
#   --size ROWS  data rows of the synthetic roster (default 7500000, ~1.0 GB;
#                e.g. --size 200000 for a quick run)
#   --runs N     timed runs of each program per file, alternating (default 5)
# BIDUI_BENCH_DIR: scratch folder (default /tmp/bidui-bench). The roster
# (UTF-8, CRLF, the 13 columns of a 学籍 export, valid 18-digit IDs) and its
# gzip copy are generated there once and reused by later runs.
#
# Prints, per file: median wall seconds, MB/s (bytes of CSV text, i.e. the
# uncompressed size for both files), rows/s, bidui's rate over noop's, and
# the highest peak RSS (from /usr/bin/time when present).
set -eu
cd "$(dirname "$0")/.."

rows=7500000
runs=5
while [ $# -gt 0 ]; do
    case $1 in
    --size) rows=$2; shift 2 ;;
    --size=*) rows=${1#--size=}; shift ;;
    --runs) runs=$2; shift 2 ;;
    --runs=*) runs=${1#--runs=}; shift ;;
    -h|--help) sed -n '2,19p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "bench_read: unknown option '$1' (see --help)" >&2; exit 2 ;;
    esac
done
case $rows in ''|*[!0-9]*) echo "bench_read: --size wants a number of rows" >&2; exit 2 ;; esac
case $runs in ''|*[!0-9]*|0) echo "bench_read: --runs wants a positive number" >&2; exit 2 ;; esac

dir=${BIDUI_BENCH_DIR:-/tmp/bidui-bench}
mkdir -p "$dir"
make --no-print-directory build/bidui build/noop_parse >&2

AWK=awk
command -v mawk >/dev/null 2>&1 && AWK=mawk   # several times faster here

# The synthetic roster. Deterministic (its own Park-Miller generator, so any
# awk writes the same bytes). Every ID is valid: a real county code, a birth
# date that exists, a sequence whose parity matches 性别, and the GB 11643
# check character. The weighted sum is assembled from per-part tables so
# the generator stays fast: weights 7 9 10 5 8 4 | 2 1 6 3 7 9 10 5 | 8 4 2.
gen_roster() {
    "$AWK" -v N="$1" '
    function wsum(s, first,    i, t) {
        t = 0
        for (i = 1; i <= length(s); i++)
            t += substr(s, i, 1) * W[first + i - 1]
        return t
    }
    function rnd(n) { seed = (seed * 16807) % 2147483647; return seed % n }
    BEGIN {
        split("7 9 10 5 8 4 2 1 6 3 7 9 10 5 8 4 2", W, " ")
        CHK = "10X98765432"
        nreg = split("340102 340103 340104 340111 340121 340122 340123 340124 " \
                     "341202 341203 341204 341221 341222 341225 341226 341282", REG, " ")
        for (i = 1; i <= nreg; i++) REGS[i] = wsum(REG[i], 1)
        for (y = 2006; y <= 2019; y++) YS[y] = wsum(y "", 7)
        for (m = 1; m <= 12; m++) { MM[m] = sprintf("%02d", m); MS[m] = wsum(MM[m], 11) }
        for (d = 1; d <= 28; d++) { DD[d] = sprintf("%02d", d); DS[d] = wsum(DD[d], 13) }
        for (q = 0; q < 1000; q++) { QQ[q] = sprintf("%03d", q); QS[q] = wsum(QQ[q], 15) }
        nsur = split("王 李 张 刘 陈 杨 黄 赵 吴 周 徐 孙 马 朱 胡 郭 何 高 林 罗 郑 梁 谢 宋 唐 许 韩 冯 邓 曹 彭 曾 肖 田 董 袁 潘 于 蒋 蔡 余 杜 叶 程 苏 魏 吕 丁 任 沈", SUR, " ")
        ngiv = split("伟 芳 娜 敏 静 丽 强 磊 军 洋 勇 艳 杰 娟 涛 明 超 秀英 霞 平 刚 桂英 浩然 子涵 欣怡 梓轩 宇 晨 一诺 思远 雨桐 嘉怡 俊杰 佳琪 博文 子豪 诗涵 天佑 若曦 明轩", GIV, " ")
        ntown = split("庐阳 瑶海 蜀山 包河 长丰 肥东 肥西 庐江 颍州 颍东 颍泉 临泉 太和 阜南 颍上 界首", TOWN, " ")
        split("一 二 三 四 五 六 七 八 九", CN, " ")
        seed = 20240601
        ORS = "\r\n"
        print "学校标识码,学校名称,姓名,性别,身份证件类型,身份证件号,全国学籍号,学段,年级,班级,就读方式,残疾类型,随班就读"
        for (i = 0; i < N; i++) {
            s = int(i / 1500)                    # schools of 1500 pupils
            if (i % 1500 == 0) {
                code = sprintf("31%08d", 34000000 + s)
                t = s % ntown + 1
                if (s % 3 == 0) school = TOWN[t] "区第" CN[s % 9 + 1] "中学"
                else school = TOWN[t] "县" CN[s % 9 + 1] "里小学"
            }
            y = 2006 + rnd(14); m = rnd(12) + 1; d = rnd(28) + 1
            q = rnd(1000); r = rnd(nreg) + 1
            id = REG[r] y MM[m] DD[d] QQ[q]
            id = id substr(CHK, (REGS[r] + YS[y] + MS[m] + DS[d] + QS[q]) % 11 + 1, 1)
            age = 2024 - y
            if (age <= 11) { stage = "小学"; g = age - 5 }
            else if (age <= 14) { stage = "初中"; g = age - 11 }
            else { stage = "高中"; g = age - 14 }
            if (g < 1) g = 1
            name = SUR[rnd(nsur) + 1] GIV[rnd(ngiv) + 1]
            k = rnd(100)
            print code "," school "," name "," (q % 2 ? "男" : "女") ",居民身份证," id ",G" id "," \
                  stage "," CN[g] "年级," (k % 8 + 1) "班," (k < 20 ? "住校" : "走读") "," \
                  (k == 7 ? "视力残疾" : "") "," (k == 7 ? "是" : "")
        }
    }'
}

plain=$dir/roster-$rows.csv
gz=$plain.gz
if [ ! -s "$plain" ]; then
    echo "generating $plain ($rows rows) ..." >&2
    gen_roster "$rows" >"$plain.tmp"
    mv "$plain.tmp" "$plain"
    rm -f "$gz"
fi
if [ ! -s "$gz" ]; then
    echo "compressing $gz (gzip -6) ..." >&2
    gzip -6 -c "$plain" >"$gz.tmp"
    mv "$gz.tmp" "$gz"
fi
bytes=$(wc -c <"$plain")
echo "roster: $plain, $rows data rows, $((bytes / 1000000)) MB; gzip copy $(( $(wc -c <"$gz") / 1000000 )) MB" >&2

havetime=0
[ -x /usr/bin/time ] && /usr/bin/time -f %M true 2>/dev/null && havetime=1
now() {   # seconds, to microseconds
    if [ -n "${EPOCHREALTIME:-}" ]; then echo "${EPOCHREALTIME/,/.}"; else date +%s.%N; fi
}
# run NAME OUTFILE CMD...: appends "seconds rss_kib" to $dir/NAME.times
run() {
    local name=$1 out=$2 t0 t1 rss=-
    shift 2
    t0=$(now)
    if [ $havetime = 1 ]; then
        /usr/bin/time -f %M -o "$dir/time.out" "$@" >"$out"
        rss=$(tail -n 1 "$dir/time.out")
    else
        "$@" >"$out"
    fi
    t1=$(now)
    echo "$t0 $t1 $rss" | awk '{ printf "%.6f %s\n", $2 - $1, $3 }' >>"$dir/$name.times"
}
median() { sort -n | awk '{ v[NR] = $1 } END { print NR % 2 ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }
maxrss() { awk '$2 != "-" && $2 > m { m = $2 } END { print m ? sprintf("%.0f", m / 1024) : "-" }'; }

printf '%-6s %-6s %9s %9s %11s %12s %9s\n' file prog "median s" "MB/s" "rows/s" "rate/noop" "RSS MiB"
for f in "$plain" "$gz"; do
    label=plain; [ "$f" = "$gz" ] && label=gzip
    rm -f "$dir/noop.times" "$dir/bidui.times"
    cat "$f" >/dev/null                      # warm page cache, as MEASURED.md
    for i in $(seq 1 "$runs"); do
        run noop "$dir/noop.out" build/noop_parse "$f"
        # the first run's report is kept to check that every row was read and used
        o=/dev/null; [ "$i" = 1 ] && o=$dir/inspect-$label.out
        run bidui "$o" build/bidui inspect --kind roster "$f"
    done
    nrows=$(awk '{ print $2 }' "$dir/noop.out")
    grep -q "读取 $rows, 可用 $rows, 拒收 0" "$dir/inspect-$label.out" \
        || { echo "bench_read: bidui did not use all $rows rows of $f:" >&2; cat "$dir/inspect-$label.out" >&2; }
    tn=$(median <"$dir/noop.times"); tb=$(median <"$dir/bidui.times")
    rn=$(maxrss <"$dir/noop.times"); rb=$(maxrss <"$dir/bidui.times")
    awk -v f=$label -v tn="$tn" -v tb="$tb" -v b="$bytes" -v n="$nrows" -v rn="$rn" -v rb="$rb" 'BEGIN {
        printf "%-6s %-6s %9.3f %9.1f %11.0f %12s %9s\n", f, "noop", tn, b / tn / 1e6, n / tn, "1.00", rn
        printf "%-6s %-6s %9.3f %9.1f %11.0f %11.0f%% %9s\n", f, "bidui", tb, b / tb / 1e6, n / tb, 100 * tn / tb, rb
    }'
done
echo "($runs runs each, alternating; rows/s counts all $nrows CSV rows incl. the header;" \
     "MB/s is CSV text per second, the uncompressed size for gzip too; target: bidui >= 80%)"
