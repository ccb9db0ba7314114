#!/bin/bash
# Run every test of parta against the binaries in each build directory
# given (default "build"; "build/san" is the ASan/UBSan build): the unit
# tests, the end-to-end scripts, the man page and translation checks.
# Each prints TAP lines ("ok N - ...", "not ok N - ..."); this script
# counts them and ends with one line "N passed, N failed".
#
#   tests/run.sh [-j JOBS] [-k PATTERN] [BUILD...]
#
# PATTERN picks e2e scripts (globs on what follows "t-", separated by
# spaces).  JOBS tests
# run at once (default $PARTA_JOBS, else 4): most of an end-to-end
# script's time is spent waiting on a terminal or a slowed link, not on
# the CPU, and every script has its own directory, port and tmux server.
# A line is printed as each test ends; the scripts that go through the
# weak-link relay (the longest) start first.
top=$(cd "$(dirname "$0")/.." && pwd)
pattern="*"
jobs=${PARTA_JOBS:-4}
while [ $# -gt 0 ]; do
	case $1 in
	-j) jobs=$2; shift 2 ;;
	-k) pattern=$2; shift 2 ;;
	*) break ;;
	esac
done
[ $# -eq 0 ] && set -- build
export PARTA_TOP="$top"
export PARTA_LOCALEDIR="$top/build/locale"
export ASAN_OPTIONS="abort_on_error=1:detect_leaks=0:${ASAN_OPTIONS:-}"
export UBSAN_OPTIONS="print_stacktrace=1:halt_on_error=1"
log=$(mktemp -d "${TMPDIR:-/tmp}/parta-run.XXXXXX")

# The jobs: a name, the build it runs against, and a command line.
names=() builds=() cmds=()
add() {	# name build command...
	names+=("$1"); builds+=("$2"); shift 2
	cmds+=("$(printf '%q ' "$@")")
}
e2e_scripts() {	# the relay's first, then the rest
	local p t slow=() rest=() pats
	set -f; pats=($pattern); set +f
	for p in "${pats[@]}"; do for t in "$top"/tests/e2e/t-$p.sh; do
		[ -f "$t" ] || continue
		if grep -q start_relay "$t"; then slow+=("$t"); else rest+=("$t"); fi
	done; done
	printf '%s\n' "${slow[@]}" "${rest[@]}"
}
scripts=$(e2e_scripts)
for B in "$@"; do
	case $B in /*) ;; *) B="$top/$B" ;; esac
	tag=$(basename "$B")
	for t in $scripts; do
		add "$tag/e2e/$(basename "$t" .sh)" "$B" bash "$t"
	done
done
if [ "$pattern" = "*" ]; then
	for B in "$@"; do
		case $B in /*) ;; *) B="$top/$B" ;; esac
		tag=$(basename "$B")
		# Unit tests also check for leaks; partad's processes do
		# not (a leak report would change the exit status a client
		# sees).
		for t in "$B"/tests/test-*; do
			[ -x "$t" ] && add "$tag/unit/$(basename "$t")" "$B" \
			    env ASAN_OPTIONS="$ASAN_OPTIONS:detect_leaks=1" "$t"
		done
		add "$tag/man/lint" "$B" sh "$top/tests/lint-man.sh"
	done
	add "po/complete" "$top/build" sh "$top/tests/lint-po.sh"
fi

# run_job I: the job's output into $log/I.out, then "STATUS SECONDS"
# into $log/I.rc (written last: its presence says the job is over).
run_job() {
	local i=$1 start=$SECONDS rc
	export PARTA_BUILD=${builds[$i]}
	eval "${cmds[$i]}" >"$log/$i.out" 2>&1
	rc=$?
	echo "$rc $((SECONDS - start))" >"$log/$i.rc.tmp"
	mv "$log/$i.rc.tmp" "$log/$i.rc"
}

passed=0 failed=0 failures=
declare -A reported
report() {	# I
	local i=$1 name=${names[$1]} out="$log/$1.out" rc secs p f
	read -r rc secs <"$log/$i.rc"
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
	printf '%-40s %3d passed, %d failed (%ds)\n' "$name" "$p" "$f" "$secs"
	if [ "$f" -ne 0 ]; then
		failures="$failures $name"
		grep -E '^(not ok|#)' "$out" | sed 's/^/    /' | head -40
		echo "    (full output: $out)"
	fi
	reported[$i]=1
}
report_ended() {
	local i
	for ((i = 0; i < next; i++)); do
		[ -z "${reported[$i]:-}" ] && [ -f "$log/$i.rc" ] && report "$i"
	done
}

next=0 running=0
while [ "$next" -lt "${#names[@]}" ]; do
	if [ "$running" -ge "$jobs" ]; then
		wait -n
		running=$((running - 1))
		report_ended
		continue
	fi
	run_job "$next" &
	next=$((next + 1))
	running=$((running + 1))
done
wait
report_ended

[ -n "$failures" ] && echo "failed:$failures"
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
