#!/bin/sh
# Run each fuzz harness (built by "make fuzz") for a set time, one after
# another under nice, and print what it reached: executions, coverage
# (libFuzzer's cov: edges and ft: features) and the corpus size.
#
#   tests/fuzz/run.sh DIR SECONDS NAME...
#
# A harness starts from its seeds and crash inputs (tests/fuzz/NAME/)
# and from what earlier runs found (DIR/corpus/NAME/, where new inputs
# go); a crash leaves its input in DIR/crash/ and makes this script
# fail.  Keep a crash input in tests/fuzz/NAME/ once it is fixed, so
# "make check" replays it.
top=$(cd "$(dirname "$0")/../.." && pwd)
dir=$1 secs=$2
shift 2
export ASAN_OPTIONS="abort_on_error=1:detect_leaks=1:${ASAN_OPTIONS:-}"
export UBSAN_OPTIONS="print_stacktrace=1:halt_on_error=1"
failed=
for name in "$@"; do
	corpus="$dir/corpus/$name"
	mkdir -p "$corpus" "$dir/crash"
	log="$dir/fuzz-$name.log"
	start=$(date +%s)
	nice -n 10 "$dir/fuzz-$name" -max_total_time="$secs" \
	    -print_final_stats=1 -timeout=10 -rss_limit_mb=2048 \
	    -artifact_prefix="$dir/crash/$name-" \
	    "$corpus" "$top/tests/fuzz/$name" >"$log" 2>&1
	rc=$?
	took=$(($(date +%s) - start))
	last=$(grep -E '^#[0-9]+' "$log" | tail -1)
	execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log")
	cov=$(echo "$last" | sed -n 's/.* cov: \([0-9]*\).*/\1/p')
	ft=$(echo "$last" | sed -n 's/.* ft: \([0-9]*\).*/\1/p')
	printf 'fuzz-%-8s %4ds %10s execs  cov: %-5s ft: %-6s corpus: %s files\n' \
	    "$name" "$took" "${execs:-?}" "${cov:-?}" "${ft:-?}" \
	    "$(ls "$corpus" | wc -l)"
	if [ "$rc" -ne 0 ]; then
		failed="$failed $name"
		grep -E 'ERROR|SUMMARY|differs|Test unit written' "$log" |
		    sed 's/^/    /' | head -8
		echo "    (full output: $log)"
	fi
done
[ -n "$failed" ] && echo "crashed:$failed" && exit 1
exit 0
