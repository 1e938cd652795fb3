#!/bin/sh
# The build under ThreadSanitizer: compare keeps both cores busy (the aid
# lists beside the registry, the rosters two files at a time through one
# locked sink, the ledger's sort beside the rules, the ledger beside the
# lists, the hasher), so every run here must end with no data race reported
# and the same lists as the plain build.
#   sh tests/tsan.sh build/tsan/bidui build/bidui
# A failing run keeps its log in build/tsan-runs/NAME.err.
set -u
abs() { (cd "$(dirname "$1")" && printf '%s/%s\n' "$(pwd)" "$(basename "$1")"); }
bin=$(abs "$1"); plain=$(abs "$2")
top=$(pwd); work=$top/build/tsan-runs
rm -rf "$work"; mkdir -p "$work"
pass=0; fail=0
S="--registry small/registry --roster small/rosters --aid small/aid --province-roster small/province"
C="--registry county/registry --roster county/rosters --aid county/aid --province-roster county/province"

# ts NAME ARGS...: compare under TSan into $work/NAME, then the plain build
# into $work/NAME.plain; no race, status 0 both, the same files.
ts() {
    name=$1; shift
    (cd "$top/fixtures" && TSAN_OPTIONS="halt_on_error=1 exitcode=66" \
        "$bin" compare --quiet --out "$work/$name" "$@" >"$work/$name.out" 2>"$work/$name.err")
    st=$?
    (cd "$top/fixtures" && "$plain" compare --quiet --out "$work/$name.plain" "$@" >/dev/null 2>&1)
    if [ $st -eq 0 ] && ! grep -q ThreadSanitizer "$work/$name.err" \
        && diff -r -x manifest.json "$work/$name" "$work/$name.plain" >/dev/null; then
        pass=$((pass + 1))
    else
        fail=$((fail + 1))
        echo "FAIL tsan $name: status $st, see $work/$name.err"
        head -n 30 "$work/$name.err"
    fi
}

ts small $S --period 2021Q3 --split
ts small_xlsx $S --period 2021Q3 --format xlsx --mask
ts county $C --as-of 2021-08-31
ts county_reversed_rosters $C --as-of 2021-08-31 --split
ts quarter --registry quarters/2021Q4/registry --roster quarters/2021Q4/rosters \
    --aid quarters/2021Q4/aid --province-roster quarters/2021Q4/province --period 2021Q4 \
    --previous "$work/small" --resolutions quarters/resolutions

echo "tsan: $pass passed, $fail failed"
mkdir -p "$top/build" && echo "$pass $fail" >> "$top/build/test-counts"
[ "$fail" -eq 0 ]
