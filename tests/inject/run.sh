#!/bin/sh
# I/O faults and signals (issue 8), injected with tests/inject/inject.c:
#   sh tests/inject/run.sh build/bidui build/inject.so
# Each case runs `bidui compare` (with --split, so every writer is used) on
# the fixture county once without a fault, keeps a copy of that result,
# runs again with one fault, and checks:
#   - the exit status (1 for a fault, 128 + the signal for a signal);
#   - a message on stderr that names the file or folder;
#   - the output folder byte for byte (and mode for mode) the first
#     result, or absent when there was none;
#   - no DIR.tmp-* or DIR.old-* folder left beside it.
# A failing case keeps its files in build/inject/NAME/.
set -u
abs() { (cd "$(dirname "$1")" && printf '%s/%s\n' "$(pwd)" "$(basename "$1")"); }
bin=$(abs "$1"); so=$(abs "$2")
top=$(pwd); work=$top/build/inject
rm -rf "$work"; mkdir -p "$work"
S="--registry small/registry --roster small/rosters --aid small/aid --province-roster small/province --period 2021Q3 --split"
pass=0; fail=0

compare() {   # compare OUT [env assignments...]: run from fixtures/, quietly
    out=$1; shift
    (cd "$top/fixtures" && env "$@" "$bin" compare --quiet --out "$out" $S)
}

listing() {   # every file of a folder with its mode and digest
    (cd "$1" && find . -printf '%m %p\n' | LC_ALL=C sort && find . -type f -exec sha256sum {} + | LC_ALL=C sort -k2)
}

verdict() {   # verdict NAME OK WHY
    if [ "$2" -eq 1 ]; then
        pass=$((pass + 1)); rm -rf "$work/$1"
    else
        fail=$((fail + 1)); echo "FAIL inject $1:$3"; sed 's/^/    /' "$work/$1/stderr" 2>/dev/null | head -5
    fi
}

# case NAME PREV SPEC MESSAGE [STATUS [SIGNAL]]
#   PREV yes: a result is there before the faulty run; no: none
#   MESSAGE: text stderr must hold ("" for none: a signal ends the run)
case_() {
    name=$1 prev=$2 spec=$3 msg=$4 want=${5:-1} sig=${6:-TERM}
    W=$work/$name; mkdir -p "$W"
    spec=$(printf '%s' "$spec" | sed "s|@W|$W|g"); msg=$(printf '%s' "$msg" | sed "s|@W|$W|g")
    if [ "$prev" = yes ]; then
        compare "$W/out" >/dev/null 2>&1 || { verdict "$name" 0 " the run without a fault failed"; return; }
        listing "$W/out" >"$W/first"
    fi
    compare "$W/out" BIDUI_INJECT="$spec" BIDUI_INJECT_SIGNAL="$sig" LD_PRELOAD="$so" \
        >"$W/stdout" 2>"$W/stderr"
    st=$?
    ok=1; why=""
    [ "$st" -eq "$want" ] || { ok=0; why="$why status $st, expected $want;"; }
    if [ -n "$msg" ] && ! grep -qF -- "$msg" "$W/stderr"; then
        ok=0; why="$why no message naming $msg;"
    fi
    if [ "$prev" = yes ]; then
        listing "$W/out" >"$W/after" 2>/dev/null
        cmp -s "$W/first" "$W/after" || { ok=0; why="$why the folder is not the first result;"; }
    elif [ -e "$W/out" ]; then
        ok=0; why="$why an output folder was left;"
    fi
    left=$(ls "$W" | grep -E '^out\.(tmp|old)-' || true)
    [ -z "$left" ] || { ok=0; why="$why left behind: $left;"; }
    verdict "$name" $ok "$why"
}

# -- inputs that cannot be read to their end
case_ read_registry       yes 'read:small/registry/建档立卡.csv'  '建档立卡.csv'
case_ read_gzip           yes 'read:监测.csv.gz'                  '监测.csv.gz'
case_ close_input         yes 'close:small/rosters/3434000001'    '3434000001_东镇中心小学.csv'
# -- a full disk (ENOSPC) under each writer
for f in missed.csv ledger.csv rejects.csv resolved.csv tracking.csv summary.json summary.md \
         manifest.json by_school/ by_township/ letters/浙江.csv letters/汇总.csv; do
    case_ "write_$(echo "$f" | tr -c 'a-zA-Z0-9_\n' _)" yes "write:$f" "$f"
done
case_ fresh_write_missed  no  'write:missed.csv'                  'missed.csv'
# -- a close that reports the data could not be written (NFS)
for f in missed.csv rejects.csv summary.json manifest.json by_school/ letters/去向不明.csv; do
    case_ "close_$(echo "$f" | tr -c 'a-zA-Z0-9_\n' _)" yes "close:$f" "$f"
done
# -- renames that fail: at once; or after the previous result moved aside
case_ rename_all          yes 'rename:@W/out'                     '@W/out'
case_ rename_into_place   yes 'rename:@W/out:1;rename:@W/out:3'   'the previous results are unchanged'
case_ fresh_rename        no  'rename:@W/out'                     '@W/out'
# -- signals: while writing, and between the two renames of the fallback swap
case_ sigterm_writing     yes 'kill:ledger.csv'                   '' 143 TERM
case_ sigint_writing      yes 'kill:summary.md'                   '' 130 INT
case_ sighup_writing      no  'kill:by_township/'                 '' 129 HUP
case_ sigterm_aside       yes 'rename:@W/out:1;kill:-> @W/out:3'  '' 143 TERM

# -- the fallback swap when the exchange fails: the new result, nothing left
name=rename_fallback; W=$work/$name; mkdir -p "$W"
compare "$W/out" >/dev/null 2>&1 && cp -a "$W/out" "$W/first"
compare "$W/out" BIDUI_INJECT="rename:$W/out:1" LD_PRELOAD="$so" >"$W/stdout" 2>"$W/stderr"; st=$?
ok=1; why=""
[ $st -eq 0 ] || { ok=0; why=" status $st, expected 0;"; }
diff -r -x manifest.json "$W/first" "$W/out" >/dev/null 2>&1 || { ok=0; why="$why not the same lists;"; }
[ -z "$(ls "$W" | grep -E '^out\.(tmp|old)-')" ] || { ok=0; why="$why a folder left behind;"; }
verdict $name $ok "$why"

# -- the replaced result cannot be removed: said, and removed by the next run
name=unlink_replaced; W=$work/$name; mkdir -p "$W"
compare "$W/out" >/dev/null 2>&1
compare "$W/out" BIDUI_INJECT="unlink:$W/out.tmp-" LD_PRELOAD="$so" >"$W/stdout" 2>"$W/stderr"; st=$?
ok=1; why=""
[ $st -eq 0 ] || { ok=0; why=" status $st, expected 0;"; }
grep -q "out.tmp-.*could not be removed" "$W/stderr" || { ok=0; why="$why no warning naming the folder;"; }
[ -n "$(ls "$W" | grep -E '^out\.tmp-')" ] || { ok=0; why="$why nothing left to sweep?;"; }
compare "$W/out" >"$W/stdout2" 2>"$W/stderr2" || { ok=0; why="$why the next run failed;"; }
grep -q "out.tmp-.*removed" "$W/stderr2" || { ok=0; why="$why the next run did not say it removed it;"; }
[ -z "$(ls "$W" | grep -E '^out\.(tmp|old)-')" ] || { ok=0; why="$why still left after the next run;"; }
verdict $name $ok "$why"

# -- what a killed run (SIGKILL: no handler) leaves is cleared by the next one
name=sweep_killed; W=$work/$name; mkdir -p "$W"
dead=$(sh -c 'echo $$')           # a process that has ended
compare "$W/out" >/dev/null 2>&1 && listing "$W/out" >"$W/first"
mkdir -m 700 "$W/out.tmp-$dead" && echo 340304201205121238 >"$W/out.tmp-$dead/missed.csv"
mv "$W/out" "$W/out.old-$dead"    # killed between the two renames of the swap
compare "$W/out" BIDUI_INJECT="write:summary.json" LD_PRELOAD="$so" >"$W/stdout" 2>"$W/stderr"; st=$?
ok=1; why=""
[ $st -eq 1 ] || { ok=0; why=" status $st, expected 1;"; }
grep -q "put back" "$W/stderr" || { ok=0; why="$why the previous result was not put back;"; }
listing "$W/out" >"$W/after" 2>/dev/null; cmp -s "$W/first" "$W/after" || { ok=0; why="$why not the first result;"; }
[ -z "$(ls "$W" | grep -E '^out\.(tmp|old)-')" ] || { ok=0; why="$why a folder left behind;"; }
verdict $name $ok "$why"

# -- standard output that cannot be written is an error too
name=stdout_full; W=$work/$name; mkdir -p "$W"
"$bin" inspect "$top/fixtures/read/aid_crlf.csv" >/dev/full 2>"$W/stderr"; st=$?
ok=1; why=""
[ $st -eq 1 ] || { ok=0; why=" status $st, expected 1;"; }
grep -q "standard output" "$W/stderr" || { ok=0; why="$why no message;"; }
verdict $name $ok "$why"

echo "inject: $pass passed, $fail failed"
mkdir -p "$top/build" && echo "$pass $fail" >> "$top/build/test-counts"
[ "$fail" -eq 0 ]
