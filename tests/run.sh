#!/bin/sh
# Run every test of parta against the binaries in each build directory
# given (default "build"; "build/san" is the ASan/UBSan build): the unit
# tests, the end-to-end scripts, the man page and translation checks.
# Each prints TAP lines ("ok N - ...", "not ok N - ..."); this script
# counts them and ends with one line "N passed, N failed".
#
#   tests/run.sh [-k PATTERN] [BUILD...]   PATTERN picks e2e scripts (glob)
top=$(cd "$(dirname "$0")/.." && pwd)
pattern="*"
if [ "${1:-}" = "-k" ]; then
	pattern=$2
	shift 2
fi
[ $# -eq 0 ] && set -- build
export PARTA_TOP="$top"
export PARTA_LOCALEDIR="$top/build/locale"
export ASAN_OPTIONS="abort_on_error=1:detect_leaks=0:${ASAN_OPTIONS:-}"
export UBSAN_OPTIONS="print_stacktrace=1:halt_on_error=1"
log=$(mktemp -d "${TMPDIR:-/tmp}/parta-run.XXXXXX")
passed=0 failed=0 failures=

run_one() {	# name command...
	name=$1; shift
	out="$log/$(echo "$name" | tr '/ ' '__').out"
	start=$(date +%s)
	"$@" >"$out" 2>&1
	rc=$?
	# Output that cannot be kept is a failure, never "0 failed".
	[ -f "$out" ] || { rc=1; out=/dev/null; }
	p=$(grep -c '^ok ' "$out")
	f=$(grep -c '^not ok ' "$out")
	if [ "$rc" -ne 0 ] && [ "$f" -eq 0 ]; then
		echo "not ok - $name exited with status $rc" >>"$out"
		f=1
	fi
	passed=$((passed + p))
	failed=$((failed + f))
	printf '%-40s %3d passed, %d failed (%ds)\n' "$name" "$p" "$f" \
	    $(($(date +%s) - start))
	if [ "$f" -ne 0 ]; then
		failures="$failures $name"
		grep -E '^(not ok|#)' "$out" | sed 's/^/    /' | head -40
		echo "    (full output: $out)"
	fi
}

for B in "$@"; do
	case $B in /*) ;; *) B="$top/$B" ;; esac
	export PARTA_BUILD="$B"
	tag=$(basename "$B")
	echo "== $B"
	if [ "$pattern" = "*" ]; then
		# Unit tests also check for leaks; partad's processes do not
		# (a leak report would change the exit status a client sees).
		for t in "$B"/tests/test-*; do
			[ -x "$t" ] && run_one "$tag/unit/$(basename "$t")" \
			    env ASAN_OPTIONS="$ASAN_OPTIONS:detect_leaks=1" "$t"
		done
		run_one "$tag/man/lint" sh "$top/tests/lint-man.sh"
	fi
	for t in "$top"/tests/e2e/t-$pattern.sh; do
		[ -f "$t" ] && run_one "$tag/e2e/$(basename "$t" .sh)" bash "$t"
	done
done
[ "$pattern" = "*" ] && run_one "po/complete" sh "$top/tests/lint-po.sh"

[ -n "$failures" ] && echo "failed:$failures"
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
