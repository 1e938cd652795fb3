#!/bin/sh
# Run each libFuzzer target for a bounded time and say what it did.
#   sh tests/fuzz/run.sh [--smoke] SECONDS build/fuzz/fuzz_read ...
# Each target starts from its seed corpus tests/fuzz/corpus/<name>/ (small,
# committed: fixtures and every input that once broke an invariant) and
# the inputs earlier runs found, build/fuzz/corpus/<name>/ (not committed);
# new inputs go to the latter. With --smoke (make test) the seeds alone,
# new inputs thrown away, so the time stays bounded. A crash leaves its input in
# build/fuzz/crash-<name>-*, and the log in build/fuzz/<name>.log: turn it
# into a seed and a test, then fix the code.
# Prints one line per target (executions per second, corpus size) and
# "fuzz: N passed, N failed" for the test summary.
set -u
smoke=0
[ "${1:-}" = "--smoke" ] && { smoke=1; shift; }
secs=$1; shift
top=$(pwd)
pass=0; fail=0
for bin in "$@"; do
    name=$(basename "$bin"); short=${name#fuzz_}
    seed=$top/tests/fuzz/corpus/$short
    work=$top/build/fuzz/corpus/$short
    [ $smoke -eq 1 ] && { work=$top/build/fuzz/smoke/$short; rm -rf "$work"; }
    log=$top/build/fuzz/$name.log
    mkdir -p "$work" "$seed"
    nseed=$(ls "$seed" | wc -l)
    # -close_fd_mask=2: the targets' own messages (every bad input is
    # reported) would drown the output; libFuzzer keeps its own stderr.
    ASAN_OPTIONS=halt_on_error=1:detect_leaks=1:allocator_may_return_null=1 \
    UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1 \
        "$bin" -max_total_time="$secs" -timeout=30 -rss_limit_mb=4096 -max_len=65536 \
            -close_fd_mask=2 -print_final_stats=1 -artifact_prefix="$top/build/fuzz/crash-$short-" \
            -dict="$top/tests/fuzz/bidui.dict" "$work" "$seed" >"$log" 2>&1
    rc=$?
    runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log")
    eps=$(sed -n 's/^stat::average_exec_per_sec: *//p' "$log")
    corp=$(grep -E '^#[0-9]+' "$log" | tail -n 1 | sed -n 's/.*corp: \([0-9]*\).*/\1/p')
    if [ $rc -eq 0 ]; then
        pass=$((pass + 1)); verdict="no finding"
    else
        fail=$((fail + 1)); verdict="FAILED (exit $rc): see $log and build/fuzz/crash-$short-*"
    fi
    printf '%-14s %4ss  %9s runs  %7s exec/s  corpus %s inputs (%s seeds)  %s\n' \
        "$name" "$secs" "${runs:-?}" "${eps:-?}" "${corp:-?}" "$nseed" "$verdict"
    [ $rc -eq 0 ] || grep -E 'ERROR|invariant|SUMMARY|BUG' "$log" | head -5
done
echo "fuzz: $pass passed, $fail failed"
mkdir -p "$top/build" && echo "$pass $fail" >> "$top/build/test-counts"
[ "$fail" -eq 0 ]
