#!/bin/sh
# Run unit-test programs; each prints its own failures as file:line.
# Prints "unit: N passed, N failed" and fails if any failed.
pass=0; fail=0
for t in "$@"; do
    if "$t" >/dev/null 2>"$t.err"; then
        pass=$((pass + 1))
    else
        fail=$((fail + 1))
        echo "FAIL $t"; cat "$t.err"
    fi
done
echo "unit: $pass passed, $fail failed"
mkdir -p build && echo "$pass $fail" >> build/test-counts
[ "$fail" -eq 0 ]
