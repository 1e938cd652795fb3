#!/bin/sh
# End-to-end cases: each folder tests/e2e/NAME/ holds
#   cmd              one shell line, run in that folder with $BIDUI (the binary),
#                    $OUT (an empty scratch folder) and $FIX (fixtures/) set
#   stdin            optional standard input
#   expected/status  the exit status
#   expected/stdout  optional: standard output, byte for byte
#   expected/stderr  optional: standard error, byte for byte
#   expected/out/    optional: every file the command must leave in $OUT
#                    (but manifest.json, which holds the run's date)
#   check            optional: a shell script run after cmd (same variables);
#                    it fails the case by exiting non-zero
# A failing case keeps its actual output in build/e2e/NAME/ for a look.
# --update rewrites expected/ from the actual output, for review with git diff.
set -u
update=0
[ "${1:-}" = "--update" ] && { update=1; shift; }
bin=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
top=$(pwd)
pass=0; fail=0
for case in tests/e2e/*/; do
    [ -d "$case" ] || continue
    case=${case%/}; name=$(basename "$case")
    work=$top/build/e2e/$name
    rm -rf "$work"; mkdir -p "$work/out"
    in=/dev/null; [ -f "$case/stdin" ] && in=$top/$case/stdin
    ( cd "$case" && BIDUI=$bin OUT=$work/out FIX=$top/fixtures TZ=UTC \
        sh -c "$(cat cmd)" <"$in" >"$work/stdout" 2>"$work/stderr"; echo $? >"$work/status" )
    ok=1; why=""
    if [ $update -eq 1 ]; then
        mkdir -p "$case/expected"
        cp "$work/status" "$case/expected/status"
        [ -f "$case/expected/stdout" ] || [ -s "$work/stdout" ] && cp "$work/stdout" "$case/expected/stdout"
        [ -f "$case/expected/stderr" ] && cp "$work/stderr" "$case/expected/stderr"
        if [ -d "$case/expected/out" ]; then
            rm -rf "$case/expected/out"; cp -r "$work/out" "$case/expected/out"
            rm -f "$case/expected/out/manifest.json"
        fi
    fi
    cmp -s "$work/status" "$case/expected/status" || { ok=0; why="status $(cat "$work/status"), expected $(cat "$case/expected/status")"; }
    for f in stdout stderr; do
        if [ -f "$case/expected/$f" ] && ! cmp -s "$work/$f" "$case/expected/$f"; then
            ok=0; why="$why $f differs"
        fi
    done
    if [ -d "$case/expected/out" ]; then
        # manifest.json holds the run's time and folder: checked by cases of its own
        if ! diff -r -x manifest.json "$case/expected/out" "$work/out" >"$work/out.diff" 2>&1; then
            ok=0; why="$why output files differ (see $work/out.diff)"
        fi
    fi
    if [ -f "$case/check" ] && ! ( cd "$case" && BIDUI=$bin OUT=$work/out FIX=$top/fixtures \
            sh ./check >"$work/check.log" 2>&1 ); then
        ok=0; why="$why check failed: $(tail -n 3 "$work/check.log")"
    fi
    if [ $ok -eq 1 ]; then
        pass=$((pass + 1))
    else
        fail=$((fail + 1))
        echo "FAIL $name: $why"
        for f in stdout stderr; do
            [ -f "$case/expected/$f" ] && diff "$case/expected/$f" "$work/$f" | head -20
        done
    fi
done
echo "e2e: $pass passed, $fail failed"
mkdir -p "$top/build" && echo "$pass $fail" >> "$top/build/test-counts"
[ "$fail" -eq 0 ]
