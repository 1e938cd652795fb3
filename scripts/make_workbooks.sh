#!/bin/sh
# Make the Excel forms of the small county (fixtures/small) that the workbook
# tests read: fixtures/xlsx/small_xlsx/ (.xlsx) and fixtures/xlsx/small_xls/
# (.xls), the same folders and names; fixtures/xlsx/numeric_id.xlsx, an aid
# list whose ID column holds numbers (the excel_number rejection); and
# fixtures/xlsx/aid_list.xlsx, a list written by bidui's own xlsxout
# (a 说明 sheet, then the list) with build/write_list_xlsx.
#
# The outputs are committed. Only remaking them needs LibreOffice, which is
# large: install it on the machine that remakes them, never for the tests:
#     apt-get install -y libreoffice-calc
# Usage: sh scripts/make_workbooks.sh        (from the top of the tree, after make tools)
#
# How: LibreOffice's CSV import, headless. Its filter options are
#     CSV:44,34,CHARSET,1,COLUMNS,2052,true
# 44 = comma, 34 = '"', CHARSET 76 = UTF-8 or 67 = GBK, 1 = start at line 1,
# COLUMNS "1/2/2/2/..." = column N has type 2 (text) or 1 (standard: numbers
# become number cells), 2052 = zh-CN, true = quoted fields are text. Every
# column is text, as a real export holds IDs and codes, except 金额 (amounts
# are number cells, so the number path of the reader is exercised); in
# numeric_id.xlsx the ID column is standard too, as when someone typed IDs
# into unformatted cells.
#
# Transport damage that only a CSV file can carry is left out, because a
# workbook of the same data has no such rows; the comparison test
# (tests/e2e/xlsx_compare_same_as_csv) relies on exactly these lines:
#   aid/中职国家助学金_2021秋.csv lines 4 (a GBK row in a UTF-8 file) and
#       5 (NUL bytes);
#   rosters/3434000001_东镇中心小学.csv line 11 (a row cut short, as by an
#       unquoted line break: in a workbook its last cells would just be empty);
#   province/province.csv lines 4-5 (a quote never closed, which swallows the
#       rest of the file).
# The blank row (",,,,") needs no help: LibreOffice writes no row for it, as
# Excel would not.
set -eu
top=$(cd "$(dirname "$0")/.." && pwd)
src=$top/fixtures/small
dst=$top/fixtures/xlsx
command -v soffice >/dev/null || {
    echo "make_workbooks: needs LibreOffice: apt-get install -y libreoffice-calc" >&2; exit 1; }
[ -x "$top/build/write_list_xlsx" ] || {
    echo "make_workbooks: run 'make tools' first (build/write_list_xlsx)" >&2; exit 1; }
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT INT TERM

drop_lines() {   # relative path -> sed script deleting its damaged lines
    case "$1" in
    aid/中职国家助学金_2021秋.csv) echo '4d;5d' ;;
    rosters/3434000001_东镇中心小学.csv) echo '11d' ;;
    province/province.csv) echo '4,5d' ;;
    *) echo '' ;;
    esac
}

# soffice FORMAT FILTER-OPTIONS FILE OUTDIR
convert() {
    soffice -env:UserInstallation="file://$work/profile" --headless \
        --convert-to "$1" --infilter="CSV:$2" --outdir "$4" "$3" >"$work/soffice.log" 2>&1 || {
        cat "$work/soffice.log" >&2; exit 1; }
}

# The COLUMNS option: every column text except those numbered in $1 (spaces).
columns() {
    out=""
    i=1
    while [ $i -le 40 ]; do
        t=2
        for n in $1; do [ "$n" = $i ] && t=1; done
        out="$out${out:+/}$i/$t"
        i=$((i + 1))
    done
    echo "$out"
}

# The (1-based) column whose header holds $2 in UTF-8 file $1, or nothing.
column_of() {
    awk -F, -v want="$2" '{ for (i = 1; i <= NF; i++) if (index($i, want)) { print i; exit } }' "$1"
}

rm -rf "$dst/small_xlsx" "$dst/small_xls"
mkdir -p "$dst"
for f in $(cd "$src" && find . -type f \( -name '*.csv' -o -name '*.csv.gz' \) | sed 's|^\./||' | sort); do
    rel=${f%.gz}
    dir=$(dirname "$rel")
    mkdir -p "$work/plain/$dir" "$dst/small_xlsx/$dir" "$dst/small_xls/$dir"
    plain=$work/plain/$rel
    case "$f" in
    *.gz) gzip -dc "$src/$f" ;;
    *) cat "$src/$f" ;;
    esac | sed -e "$(drop_lines "$rel")" >"$plain"
    if iconv -f UTF-8 -t UTF-8 "$plain" >/dev/null 2>&1; then
        cs=76; iconv -f UTF-8 -t UTF-8 "$plain" >"$work/utf8.csv"
    else
        cs=67; iconv -f GB18030 -t UTF-8 "$plain" >"$work/utf8.csv"
    fi
    opts="44,34,$cs,1,$(columns "$(column_of "$work/utf8.csv" 金额)"),2052,true"
    convert xlsx "$opts" "$plain" "$dst/small_xlsx/$dir"
    convert xls "$opts" "$plain" "$dst/small_xls/$dir"
    echo "make_workbooks: $rel (charset $cs)"
done

# IDs stored as numbers.
cp "$work/plain/aid/义务教育生活补助_2021秋.csv" "$work/numeric_id.csv"
iconv -f UTF-8 -t UTF-8 "$work/numeric_id.csv" >"$work/utf8.csv"
cols="$(column_of "$work/utf8.csv" 金额) $(column_of "$work/utf8.csv" 身份证)"
convert xlsx "44,34,76,1,$(columns "$cols"),2052,true" "$work/numeric_id.csv" "$dst"
echo "make_workbooks: numeric_id.xlsx (columns $cols as numbers)"

# A list as bidui's xlsxout writes it: the small county's 义务教育 payments
# (IDs as text, amounts as numbers, "abc" kept as text).
"$top/build/write_list_xlsx" "$src/aid/义务教育生活补助_2021秋.csv" "$dst/aid_list.xlsx" 义务教育生活补助
chmod 644 "$dst/aid_list.xlsx"   # written 0600 like a real list; this one is a synthetic fixture
echo "make_workbooks: aid_list.xlsx"
