#!/bin/bash
# Hostile window sizes and the memory ceiling (issue: hardening, item 1).
# A paramiko client logs in as the guest "new", which needs no password,
# and asks for a 10000x10000 pty, then a window change to it: the UI's
# pty is clamped to partad(8)'s bounds, partad's processes stay small,
# and the registration form still comes.  Then, with a low memory_limit,
# a UI that needs more than it dies alone: a teacher already logged in
# carries on and a new login works.
. "$(dirname "$0")/lib.sh"

# paramiko: Debian's python3-paramiko, whatever python3 PATH finds first.
hostile() { "${CLIENT_ENV[@]}" python3 "$TOP/tests/e2e/pty-hostile.py" \
    "$PORT" "$PARTAD_PID" "$@" 2>>"$T/hostile.err"; }
field() { sed -n "$2p" <<<"$1" | grep -q "^$3$"; }
rss_below() {	# OUTPUT NTH LIMIT_KB: the Nth rss_kb= line is below LIMIT
	local kb
	kb=$(grep '^rss_kb=' <<<"$1" | sed -n "$2p" | cut -d= -f2)
	echo "# rss of partad's processes: ${kb:-none} kB"
	[ -n "$kb" ] && [ "$kb" -gt 0 ] && [ "$kb" -lt "$3" ]
}

start_partad || exit 1

out=$(hostile 10000 10000 10000 10000)
check "a 10000x10000 pty still shows the first screen" \
    grep -q '^menu=1$' <<<"$out"
check "the UI's pty is clamped to 500x200" field "$out" 2 'pty=200x500'
# RSS counts the pages every session shares with the listener (the
# search dictionary, about 20 MB) in each process, and ASan's own; a
# pty of 10000x10000 unclamped would take gigabytes.
check "partad's processes stay under 128 MB" rss_below "$out" 1 131072
check "a window change to 10000x10000 is clamped too" \
    field "$out" 4 'pty=200x500'
check "and memory stays under 128 MB after it" rss_below "$out" 2 131072
check "the screen is still usable: Enter leads to the form" \
    grep -q '^form=1$' <<<"$out"
check "the clamp is logged" grep -q 'window size clamped to 500x200' \
    "$T/partad.log"

out=$(hostile 80 24 1 1)
check "a window change to 1x1 is raised to 20x5" field "$out" 4 'pty=5x20'
check "the form still comes" grep -q '^form=1$' <<<"$out"

# The memory ceiling, 6 MiB above the data the listener holds before any
# session (the search dictionary, which every session shares, counts in
# each one's data): that carries an 80x24 session, not a 500x200 one (nor
# yescrypt, which needs 16: the teacher logs in with her key).
base=$(awk '/^VmData/ { print int($2 / 1024) + 1 }' "/proc/$PARTAD_PID/status")
limit=$((base + 6))
# ASan's data is terabytes of shadow: it cannot have a limit, and says so.
[ "$limit" -gt 1048576 ] && limit=1048576
stop_partad
start_partad "memory_limit $limit" || exit 1
if grep -q 'memory_limit is not enforced' "$T/partad.log"; then
	ok "# SKIP memory_limit under AddressSanitizer (it cannot have one)"
	done_testing
	exit
fi
lib_user anna
term_start a "$(ssh_cmd anna)"
check "a teacher logs in under a $limit MiB ceiling" wait_screen a "Главное меню"
out=$(hostile 500 200)
check "a UI that needs more than $limit MiB does not start" \
    grep -q '^menu=0$' <<<"$out"
check "its end is logged" grep -q 'the UI for 127.0.0.1 ended with status' \
    "$T/partad.log"
check "the listener keeps running" kill -0 "$PARTAD_PID"
term_keys a w
check "the teacher's session carries on" wait_screen a "Кто в сети \(1\)"
term_keys a Escape
term_start b "$(ssh_cmd anna)"
check "and a new login works" wait_screen b "Главное меню"
term_keys a q
term_keys b q
done_testing
