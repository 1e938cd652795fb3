#!/bin/sh
# Builds and runs the id_canon micro-benchmark (scripts/bench_id.c) with the
# project's normal optimization flags. Any argument is passed on: the
# number of IDs per run (default about 21 million).
set -eu
cd "$(dirname "$0")/.."
make --no-print-directory build/bench_id
exec ./build/bench_id "$@"
