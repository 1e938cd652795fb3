#!/bin/sh
# What `make fuzz` needs besides scripts/deps.sh: clang with libFuzzer and
# the sanitizer runtimes (Debian 12: clang-14 and libclang-rt-14-dev). Only
# the fuzz targets need them, so `make test` does not require them: it runs
# its short fuzz pass only when `scripts/deps_fuzz.sh --check` succeeds.
#   deps_fuzz.sh           as root: install what is missing; otherwise print
#                          the apt-get line and fail
#   deps_fuzz.sh --check   only say whether a fuzzer can be built (exit 0/1)
set -eu
CC=${FUZZCC:-clang}
PKGS="clang libclang-rt-14-dev"

can_build() {
    command -v "$CC" >/dev/null 2>&1 || return 1
    d=$(mktemp -d)
    printf '#include <stdint.h>\n#include <stddef.h>\nint LLVMFuzzerTestOneInput(const uint8_t *d, size_t n) { (void)d; (void)n; return 0; }\n' > "$d/t.c"
    ok=0
    "$CC" -fsanitize=fuzzer,address,undefined -o "$d/t" "$d/t.c" >/dev/null 2>&1 || ok=1
    rm -rf "$d"
    return $ok
}

if [ "${1:-}" = "--check" ]; then
    can_build
    exit $?
fi
can_build && exit 0
if [ "$(id -u)" = 0 ]; then
    echo "deps_fuzz: installing $PKGS" >&2
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq >&2
    # shellcheck disable=SC2086
    apt-get install -y -qq $PKGS >&2
    can_build || { echo "deps_fuzz: $CC still cannot build a libFuzzer target" >&2; exit 1; }
else
    echo "deps_fuzz: $CC cannot build a libFuzzer target (-fsanitize=fuzzer,address,undefined)" >&2
    echo "deps_fuzz: run as root:  apt-get update && apt-get install -y $PKGS" >&2
    exit 1
fi
