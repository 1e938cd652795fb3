#!/bin/sh
# Make sure the Debian packages bidui builds against are installed.
# As root: installs what is missing. Otherwise: prints the exact apt-get line
# and fails, so that `make` stops before a confusing compiler error.
# Why these: libcsv (CSV parsing), uthash (hash tables), zlib (gzip),
# libssl-dev (SHA-256 for the run manifest), build-essential (cc, make).
# Excel workbooks: libminizip-dev (the .xlsx zip container, on top of zlib)
# and libexpat1-dev (its sheet XML, streamed) to read .xlsx; libfreexl-dev
# to read .xls; libxlsxwriter-dev to write the lists as .xlsx. All four are
# in Debian 12 (bookworm) main.
# libdeflate-dev: inflates a whole gzip input two to three times faster than
# zlib (pipeline/slurp.c); zlib still streams the large and damaged ones.
# valgrind: `make test` runs the fixture county under it (make valgrind).
# clang for the fuzz targets is in scripts/deps_fuzz.sh: make test does not
# need it.
set -eu
PKGS="build-essential libcsv-dev uthash-dev zlib1g-dev libdeflate-dev libssl-dev libminizip-dev libexpat1-dev libfreexl-dev libxlsxwriter-dev valgrind"
missing=""
for p in $PKGS; do
    if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
        missing="$missing $p"
    fi
done
[ -z "$missing" ] && exit 0
if [ "$(id -u)" = 0 ]; then
    echo "deps: installing$missing" >&2
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq >&2
    # shellcheck disable=SC2086
    apt-get install -y -qq $missing >&2
else
    echo "deps: missing Debian packages:$missing" >&2
    echo "deps: run as root:  apt-get update && apt-get install -y$missing" >&2
    exit 1
fi
