#!/bin/sh
# The account of every input balances (issue 8): used by the `check`
# scripts of the e2e cases for bad inputs.
#   sh account.sh FILE...
# FILE is what `bidui inspect` printed (each "行数: 读取 R, 可用 U, 拒收 J"
# line must have R = U + J, and every 文件 must have such a line or say
# that no header was found) or a summary.json (each input's rows = used +
# rejected). Fails naming the first line that does not balance.
set -u
bad=0
for f in "$@"; do
    case "$f" in
    *.json)
        awk -F'"rows": |, "used": |, "rejected": |}' '/"path"/ && /"rows"/ {
                n++; if ($2 != $3 + $4) { print FILENAME ": unbalanced: " $0; bad = 1 } }
            END { if (!n) { print FILENAME ": no input listed"; bad = 1 } exit bad }' "$f" || bad=1 ;;
    *)
        awk '/^文件: / { files++ }
             /表头: 未找到/ { none++ }
             /行数: 读取/ { counted++; line = $0; gsub(/[^0-9]+/, " ", line); split(line, v, " ");
                           if (v[1] != v[2] + v[3]) { print FILENAME ": unbalanced: " $0; bad = 1 } }
             END { if (files == 0 || files != none + counted) {
                       print FILENAME ": " files " files, " counted " accounts, " none " without header"; bad = 1 }
                   exit bad }' "$f" || bad=1 ;;
    esac
done
exit $bad
