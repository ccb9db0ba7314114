#!/bin/bash
# SFTP against hostile and exacting clients (tests/e2e/sftp-raw.py on
# paramiko): a client that floods READs and never reads the replies
# neither grows the session nor spins it, and once it is gone nothing of
# its session is left; pipelined requests are all answered right;
# several upload handles at once, in one session or two, stay within
# the quota; reads past a file's end are no downloads, a whole read is
# one; an idle SFTP session is closed.
. "$(dirname "$0")/lib.sh"

# ASan keeps freed memory in quarantine (256 MB): measured in RSS, that
# would be the sanitizer's, not the relay's.
export ASAN_OPTIONS="${ASAN_OPTIONS:-}:quarantine_size_mb=4"
start_partad || exit 1
lib_user anna
lib_user boris
sysop library section add math 'Математика' >/dev/null
cd "$T" || exit 1
head -c 300000 /dev/urandom >"$T/small.bin"
sysop library add math "$T/small.bin" --as anna --title "Малый файл" >/dev/null

raw() {
	local user=$1; shift
	"${CLIENT_ENV[@]}" python3 "$TOP/tests/e2e/sftp-raw.py" "$PORT" \
	    "$user" "$T/id_ed25519" "$@"
}

# A flood of READs, no reply read: the server stops taking requests
# once its replies have nowhere to go, and waits without using the CPU;
# once the client is gone, nothing of its session is left.  At once
# (the replies stall while requests come in), then after a pause (they
# stall between requests).
flood() {
	local pause=$1 session child sent rss ticks flood_pid hz
	flood_start 600 raw anna flood /library/math/small.bin 3 "$pause"
	rss=$(rss_kb "$session")
	ticks=$(cpu "$session" $child)
	hz=$(getconf CLK_TCK)
	echo "# pause $pause: sent $sent bytes of READs; session $session" \
	    "rss ${rss} kB (idle $base), cpu $ticks ticks (sftp child $child)"
	check "flood (pause $pause): the server stopped taking READs it could not answer" \
	    test "${sent:-0}" -lt $((16 << 20))
	check "flood (pause $pause): the session stays small" \
	    test $((rss - base)) -lt 24000
	check "flood (pause $pause): it does not spin while the client does not read" \
	    test "$ticks" -lt $((2 * hz))
	flood_end
	check "flood (pause $pause): once the client is gone, its session ends" \
	    poll "$WAIT" gone "$session" $child
}
# What an SFTP session takes before any flood (its relay's queue and
# the channel's window are what a flood may add).
read -r base _ < <(baseline_rss raw anna baseline)
flood 0
flood 1

# Requests sent all at once, far more than the window holds, are all
# answered, in order and right, once the client reads.
out=$(raw anna pipeline /library/math/small.bin "$T/small.bin" 400)
check "400 READs sent at once are all answered right" grep -qx "ok 400" <<<"$out"
echo "$out" | diag

# Reads past the end, or of the last bytes alone, are no downloads; a
# whole read is one.
downloads() { db "SELECT downloads FROM library_items WHERE filename = 'small.bin'"; }
base=$(downloads)
out=$(raw anna pastend /library/math/small.bin 300000 20)
check "20 reads past the end get EOF" test "$out" = eof
out=$(raw anna pastend /library/math/small.bin 299900 20)
check "20 reads of the last bytes get them" test "$out" = data
check "and none of them counts as a download" test "$(downloads)" = "$base"
out=$(raw anna whole /library/math/small.bin)
check "a whole read gets every byte" test "$out" = 300000
check "and counts one download" test "$(downloads)" = $((base + 1))

# The quota holds for writes in many handles at once: 10 files of 300 KB
# against 1 MiB, in one session, then over two.
sysop library quota boris 1M >/dev/null
boris_dir="$D/uploads/$(db "SELECT id FROM users WHERE login = 'boris'")"
stored() { find "$boris_dir" -type f -printf '%s\n' | awk '{t += $1} END {print t + 0}'; }
# over_quota WHAT HOW ARG...: raw's handles test with ARGs, as boris; the
# writes past the quota (WHAT) are refused and the store keeps within it.
over_quota() {
	local what=$1 how=$2 out total; shift 2
	out=$(raw boris handles "$@")
	echo "$out" | diag
	total=$(stored)
	echo "# stored $total bytes$how"
	check "$what" grep -qE '^refused [1-9]' <<<"$out"
	check "and what is stored stays within the quota" \
	    test "$total" -le 1048576
	rm -f "$boris_dir"/*
}
over_quota "writes in 10 handles at once over the quota are refused" "" \
    h 10 300000
over_quota "over two sessions too, the writes past the quota are refused" \
    " over two sessions" two 10 300000 two
sysop library quota boris none >/dev/null

# sftp_idle_timeout: an SFTP session where nothing moves is closed; one
# whose transfer outlasts the timeout is not.
stop_partad
start_partad "sftp_idle_timeout 2" || exit 1
out=$(raw anna idle 10)
check "an SFTP session idle past sftp_idle_timeout is closed" test "$out" = closed
check "and the log says why" grep -q "sftp for anna idle for" "$T/partad.log"
printf 'get /library/math/small.bin slow.got\n' >"$T/slow.batch"
sftp_as anna "$T/slow.batch" -l 800 >/dev/null
check "a download slower than the timeout completes" cmp -s "$T/small.bin" "$T/slow.got"

done_testing
