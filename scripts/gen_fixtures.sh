#!/bin/sh
# Regenerates fixtures/county, the synthetic county that `make demo` (and
# `bidui compare` with no inputs) runs on: build/gen with its defaults and a
# fixed seed, so the same gen always writes the same bytes. Review with
# `git diff --stat fixtures/county`; fixtures/county/expected.json holds the
# counts bidui must find there. Nothing in it is real: see scripts/gen.c.
set -eu
cd "$(dirname "$0")/.."
make --no-print-directory build/gen
exec ./build/gen --out fixtures/county --seed 1
