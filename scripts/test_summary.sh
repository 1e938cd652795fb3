#!/bin/sh
# The closing line of `make test`: all test programs and cases of this run.
awk '{p += $1; f += $2} END {printf "total: %d passed, %d failed\n", p, f}' build/test-counts
rm -f build/test-counts
