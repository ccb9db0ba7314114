#!/bin/bash
# b-search.sh: the search benchmark of issue 3.  Builds a fresh store of
# N_POSTS generated posts of Russian text (default 1,000,000) through
# parta's own schema, triggers and tokenizer (tests/bench/gen-posts.c,
# seed 1, so every run writes the same posts), then times 300 generated
# queries through search_run(), as the BBS's search screen runs them.
# Prints Markdown table rows "| measure | value | goal |": the insert
# rate with the FTS index, the index and store sizes, p50, p95 and the
# worst query time.  It measures and prints; it asserts nothing.  About
# three minutes and 1 GB of disk for a million posts on two cores.
#
#   bash tests/bench/b-search.sh [N_POSTS]
#
# PARTA_BENCH_ROWS_ONLY=1 leaves out the table's header (for a caller
# that prints its own); TMPDIR says where the store is built.
set -eu
top=$(cd "$(dirname "$0")/../.." && pwd)
n=${1:-1000000}
queries=300
case $n in ''|*[!0-9]*) echo "usage: b-search.sh [N_POSTS]" >&2; exit 2 ;; esac

# The optimised build, never the sanitized one: this is a measurement.
make -s -C "$top" build/tests/parta-gen-posts >&2
gen=$top/build/tests/parta-gen-posts

tmp=$(mktemp -d "${TMPDIR:-/tmp}/parta-b-search.XXXXXX")
trap 'rm -rf "$tmp"' EXIT

if [ "${PARTA_BENCH_ROWS_ONLY:-0}" != 1 ]; then
	echo "| measure | value | goal |"
	echo "| --- | --- | --- |"
fi
"$gen" -s 1 -n "$n" "$tmp/parta.db"
# A second process, as a session of partad would be: its own connection,
# the pages the first one wrote warm in the OS cache only.
"$gen" -s 2 -q "$queries" "$tmp/parta.db"
