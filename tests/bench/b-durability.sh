#!/bin/bash
# b-durability.sh: what synchronous = FULL costs in posting (hardening
# issue, item 17).  Posts N replies (default 300) the way the BBS posts
# them, one post_reply() and one COMMIT each (tests/bench/gen-posts.c
# -a), into a fresh store with synchronous = NORMAL (the old setting)
# and into another with FULL (the store's setting now), three rounds
# each, taken in turns so that the disk's mood hits both alike; prints
# the medians and their ratio as Markdown rows "| measure | value | goal
# |".  The store lives under TMPDIR (default /tmp): put it on the disk
# partad's data directory is on, or the figure means nothing (on tmpfs
# an fsync costs nothing).  It measures and prints; it asserts nothing.
# Well under a minute.
#
#   bash tests/bench/b-durability.sh [N_POSTS]
set -eu
top=$(cd "$(dirname "$0")/../.." && pwd)
n=${1:-300}
case $n in ''|*[!0-9]*) echo "usage: b-durability.sh [N_POSTS]" >&2; exit 2 ;; esac
make -s -C "$top" build/tests/parta-gen-posts >&2
gen=$top/build/tests/parta-gen-posts
tmp=$(mktemp -d "${TMPDIR:-/tmp}/parta-b-durability.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
median() { sort -n | awk '{ v[NR] = $1 } END { if (NR) print v[int((NR + 1) / 2)]; else print 0 }'; }

: >"$tmp/normal"
: >"$tmp/full"
for round in 1 2 3; do
	for s in normal full; do
		rm -f "$tmp/parta.db"*
		"$gen" -a "$n" -S "$s" "$tmp/parta.db" |
		    sed -n 's/.*| \([0-9]*\) posts\/s |.*/\1/p' >>"$tmp/$s"
	done
done
normal=$(median <"$tmp/normal")
full=$(median <"$tmp/full")
fs=$(df -PT "$tmp" | awk 'NR == 2 { print $2 }')
echo "| posting, a commit per post, synchronous = NORMAL (before; median of 3 × $n, $fs) | $normal posts/s | - |"
echo "| posting, a commit per post, synchronous = FULL (now) | $full posts/s, ratio to NORMAL $(awk -v a="$full" -v b="$normal" 'BEGIN { if (b > 0) printf "%.2f", a / b; else print "n/a" }') | ≥ 100 posts/s |"
