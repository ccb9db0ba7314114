#!/bin/bash
# b-digest-qwk.sh: the formats of a digest of 1,000 posts (issue 13).
# Generates a store of 1,000 posts (tests/bench/gen-posts.c, seed 1),
# exports one teacher's digest (--days 0: everything) as the digest file
# itself, as a QWK packet (zipped) and as UTF-8 text, and prints
# Markdown rows "| measure | value | goal |": each size beside the zstd
# -19 size of the posts' text (subjects and bodies), and the text
# rendering at zstd -19, which is what the digest's own compression
# could at best reach for the words alone.  It asserts nothing.
#
#   bash tests/bench/b-digest-qwk.sh
set -eu
top=$(cd "$(dirname "$0")/../.." && pwd)
B=${PARTA_BUILD:-$top/build}
make -s -C "$top" build/tests/parta-gen-posts build/parta-sysop >&2
tmp=$(mktemp -d "${TMPDIR:-/tmp}/parta-b-qwk.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", a / b }'; }
size() { stat -c %s "$1"; }

"$B/tests/parta-gen-posts" -s 1 -n 1000 "$tmp/parta.db" >/dev/null
login=$(sqlite3 "$tmp/parta.db" "SELECT login FROM users
    WHERE login LIKE 'teacher%' ORDER BY id LIMIT 1")
for f in parta qwk text; do
	"$B/parta-sysop" -d "$tmp" digest export --user "$login" --days 0 \
	    --format "$f" -o "$tmp/d.$f" >/dev/null
done
sqlite3 "$tmp/parta.db" "SELECT t.subject || char(10) || p.body ||
    char(10) FROM posts p JOIN threads t ON t.id = p.thread_id
    ORDER BY p.id" >"$tmp/posts.txt"
zstd -q -19 "$tmp/posts.txt" -o "$tmp/posts.zst"
zstd -q -19 "$tmp/d.text" -o "$tmp/text.zst"
zs=$(size "$tmp/posts.zst")
msgs=$(unzip -p "$tmp/d.qwk" MESSAGES.DAT | wc -c)
echo "| measure | value | goal |"
echo "| digest of 1,000 posts: the posts' text, plain / zstd -19 | $(size "$tmp/posts.txt") B / $zs B | — |"
echo "| the digest file (parta) | $(size "$tmp/d.parta") B, $(ratio "$(size "$tmp/d.parta")" "$zs")× the text at zstd -19 | ≤ 1.3× |"
echo "| the QWK packet, zipped (MESSAGES.DAT $msgs B unzipped) | $(size "$tmp/d.qwk") B, $(ratio "$(size "$tmp/d.qwk")" "$zs")× | — |"
echo "| the text rendering, plain / zstd -19 | $(size "$tmp/d.text") B / $(size "$tmp/text.zst") B, $(ratio "$(size "$tmp/text.zst")" "$zs")× | — |"
