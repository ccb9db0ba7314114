#!/bin/bash
# b-digest.sh: the digest benchmark of issue 13.  Generates a store of
# 1,000 and of 10,000 posts (tests/bench/gen-posts.c, seed 1), exports a
# personal digest of each with parta-sysop, and prints Markdown rows
# "| measure | parta | baseline | goal": the 1,000-post digest's size
# against the zstd -19 size of its posts' text (subjects and bodies, as
# a renderer would write them), the time to export the 10,000-post one,
# and the time from starting parta --digest on it to its main menu on a
# pty (tests/bench/ptytime.c; the median of 3).
#
# With PARTA_BENCH_BASE=DIR (a build of an older parta: DIR/parta and
# DIR/parta-sysop, e.g. one writing digest format 1), the same is
# measured with it, on the same stores, and the ratios are printed in
# the baseline column.  Its rows have four columns and no last "|", so
# that run.sh, which adds a baseline of "—" to rows of three that end
# in one, takes them as they are.  It measures and prints; it asserts
# nothing.
#
#   bash tests/bench/b-digest.sh
set -eu
bt= bsize= bopen= was=
top=$(cd "$(dirname "$0")/../.." && pwd)
B=$top/build
base=${PARTA_BENCH_BASE:-}
make -s -C "$top" build/tests/parta-gen-posts build/tests/parta-ptytime \
    build/parta-sysop build/parta >&2
tmp=$(mktemp -d "${TMPDIR:-/tmp}/parta-b-digest.XXXXXX")
chmod 0755 "$tmp"
trap 'rm -rf "$tmp"' EXIT
ms() { date +%s%3N; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", a / b }'; }
# The baseline column: what the older parta did, or a dash.
than() { if [ -n "$base" ]; then echo "older parta: $1"; else echo "—"; fi; }

# export BIN N OUT: the digest of store N by BIN/parta-sysop; prints ms.
export_ms() {
	local t0 t1
	t0=$(ms)
	"$1/parta-sysop" -d "$tmp/$2" digest export --user "$login" \
	    --days 0 -o "$3" >/dev/null
	t1=$(ms)
	echo $((t1 - t0))
}
# open BIN FILE: parta --digest to its main menu, the median of 3, ms.
open_ms() {
	local i
	for i in 1 2 3; do
		"$B/tests/parta-ptytime" -T 60 -w "Boards" -- env -i \
		    HOME="$tmp" TMPDIR="$tmp" TERM=xterm LANG=en_US.UTF-8 \
		    "$1/parta" --digest "$2" | head -1
	done | sort -n | sed -n 2p
}

echo "| measure | parta | baseline | goal"
for n in 1000 10000; do
	mkdir -p "$tmp/$n"
	"$B/tests/parta-gen-posts" -n "$n" "$tmp/$n/parta.db" >/dev/null
	login=$(sqlite3 "$tmp/$n/parta.db" "SELECT login FROM users
	    WHERE login LIKE 'teacher%' ORDER BY id LIMIT 1")
	t=$(export_ms "$B" "$n" "$tmp/$n/d.pdg")
	size=$(stat -c %s "$tmp/$n/d.pdg")
	if [ -n "$base" ]; then
		bt=$(export_ms "$base" "$n" "$tmp/$n/old.pdg")
		bsize=$(stat -c %s "$tmp/$n/old.pdg")
	fi
	if [ "$n" = 1000 ]; then
		sqlite3 "$tmp/$n/parta.db" "SELECT t.subject || char(10) ||
		    p.body || char(10) FROM posts p JOIN threads t ON t.id =
		    p.thread_id ORDER BY p.id" >"$tmp/text"
		zstd -q -19 "$tmp/text" -o "$tmp/text.zst"
		zs=$(stat -c %s "$tmp/text.zst")
		[ -z "$base" ] || was="$bsize B, $(ratio "$bsize" "$zs")x;"
		[ -z "$base" ] || was="$was ratio $(ratio "$size" "$bsize")"
		echo "| digest of 1,000 posts: size, against their text at" \
		    "zstd -19 ($zs B) | $size B, $(ratio "$size" "$zs")x |" \
		    "$(than "$was") | <= 1.3x"
		continue
	fi
	echo "| digest of 10,000 posts: export (parta-sysop) | $t ms |" \
	    "$(than "$bt ms, ratio $(ratio "$t" "$bt")") | —"
	echo "| digest of 10,000 posts: size | $((size / 1024)) KB |" \
	    "$(than "$((bsize / 1024)) KB, ratio $(ratio "$size" "$bsize")")" \
	    "| —"
	open=$(open_ms "$B" "$tmp/$n/d.pdg")
	if [ -n "$base" ]; then
		bopen=$(open_ms "$base" "$tmp/$n/old.pdg")
	fi
	echo "| digest of 10,000 posts: parta --digest to its main menu" \
	    "(median of 3) | $open ms |" \
	    "$(than "$bopen ms, ratio $(ratio "$open" "$bopen")") | < 1000 ms"
done
