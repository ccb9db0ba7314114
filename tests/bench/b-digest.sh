#!/bin/bash
# b-digest.sh: the digest benchmark of issue 13.  Generates a store of
# 1,000 and of 10,000 posts (tests/bench/gen-posts.c, seed 1), exports a
# personal digest of each with parta-sysop, and prints Markdown rows
# "| measure | value | goal |": the 1,000-post digest's size against
# the zstd -19 size of its posts' text (subjects and bodies, as a
# renderer would write them), the time to export the 10,000-post one,
# and the time from starting parta --digest on it to its main menu on a
# pty (tests/bench/ptytime.c).  It measures and prints; it asserts
# nothing.
#
#   bash tests/bench/b-digest.sh
set -eu
top=$(cd "$(dirname "$0")/../.." && pwd)
B=$top/build
make -s -C "$top" build/tests/parta-gen-posts build/tests/parta-ptytime \
    build/parta-sysop build/parta >&2
tmp=$(mktemp -d "${TMPDIR:-/tmp}/parta-b-digest.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
ms() { date +%s%3N; }

echo "| measure | value | goal |"
for n in 1000 10000; do
	mkdir -p "$tmp/$n"
	"$B/tests/parta-gen-posts" -n "$n" "$tmp/$n/parta.db" >/dev/null
	login=$(sqlite3 "$tmp/$n/parta.db" "SELECT login FROM users
	    WHERE login LIKE 'teacher%' ORDER BY id LIMIT 1")
	t0=$(ms)
	"$B/parta-sysop" -d "$tmp/$n" digest export --user "$login" --days 0 \
	    -o "$tmp/$n/d.pdg" >/dev/null
	t1=$(ms)
	size=$(stat -c %s "$tmp/$n/d.pdg")
	if [ "$n" = 1000 ]; then
		sqlite3 "$tmp/$n/parta.db" "SELECT t.subject || char(10) ||
		    p.body || char(10) FROM posts p JOIN threads t ON t.id =
		    p.thread_id ORDER BY p.id" >"$tmp/text"
		zstd -q -19 "$tmp/text" -o "$tmp/text.zst"
		zs=$(stat -c %s "$tmp/text.zst")
		echo "| digest of 1,000 posts: size, against their text at zstd -19 |" \
		    "$size B / $zs B = $(awk -v a="$size" -v b="$zs" \
		    'BEGIN { printf "%.2f", a / b }')x | <= 1.3x |"
		continue
	fi
	echo "| digest of 10,000 posts: export (parta-sysop) | $((t1 - t0)) ms | — |"
	echo "| digest of 10,000 posts: size | $((size / 1024)) KB | — |"
	open=$("$B/tests/parta-ptytime" -T 60 -w "Boards" -- env -i \
	    HOME="$tmp" TMPDIR="$tmp" TERM=xterm LANG=en_US.UTF-8 \
	    "$B/parta" --digest "$tmp/$n/d.pdg" | head -1)
	echo "| digest of 10,000 posts: parta --digest to its main menu | $open ms | < 1000 ms |"
done
