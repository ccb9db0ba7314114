#!/bin/bash
# b-chat.sh: what one chat line costs a reader on a weak link.  A
# teacher sits in a board's chat room through the relay's gprs profile
# (40 kbit/s, 500 ms one way), with and without ssh -C; another, on a
# direct link, says N lines (default 10) of about ten Russian words,
# each once the reader's screen shows the one before (made older in
# the store then, to stay below the flood limit).  Measured: the
# bytes on the reader's link per line (both directions, SSH framing
# included, from the relay's counts between two USR1 snapshots), against
# the line as drawn ("HH:MM Name: text") compressed alone (raw deflate,
# level 9) and one SSH packet (64 bytes of framing and MAC); and the
# bytes per key she types on her input line.
# Prints Markdown rows "| measure | value | goal |"; asserts nothing.
#
#   bash tests/bench/b-chat.sh [N_LINES]
BENCH_N=10 BENCH_USAGE="b-chat.sh [N_LINES]"
. "$(dirname "$0")/bench.sh"
trap 'stop_relay; cleanup' EXIT
RELAY_PID=
PACKET=64

start_partad "keepalive_interval 0" || exit 1
add_user anna teacher "Анна Иванова" "anna-secret-1"
add_user vera teacher "Вера Сидорова" "vera-secret-1"
sysop board add math "Математика" >/dev/null
: >"$T/relay.json"
start_relay -p gprs || exit 1

# The lines: seeded draws from Russian teachers' words, as real text.
lines=()
for i in $(seq "$n"); do
	lines+=("$(tr -s ' \n' '\n\n' <"$top/tests/bench/ru-words.txt" |
	    awk -v seed="$i" 'NF { w[n++] = $0 } END { srand(seed);
		for (k = 0; k < 10; k++) printf "%s%s", w[int(rand() * n)],
		    k < 9 ? " " : "" }')")
done

# stats N: up+down of the relay's Nth stats line.
stats() {
	grep '"event":"stats"' "$T/relay.json" | sed -n "${1}p" |
	    sed -n 's/^{[^[]*"up":\([0-9]*\),"down":\([0-9]*\).*/\1 \2/p' |
	    awk '{ print $1 + $2 }'
}

login_menu v vera vera-secret-1
go v "Комнаты чата" c
go v "Здесь: Вера" Enter

measure() {	# measure MODE (plain or C): bytes per line on anna's link
	local opt=() before after k i
	[ "$1" = C ] && opt=(-C)
	k=$(grep -c '"event":"stats"' "$T/relay.json")
	term_start a "$(relay_ssh_cmd anna -o PubkeyAuthentication=no "${opt[@]}")"
	wait_screen a "password:" 300 >&2 || return 1
	term_type a anna-secret-1
	term_keys a Enter
	wait_screen a "Главное меню" 300 >/dev/null || return 1
	go a "Комнаты чата" c
	go a "Здесь: Анна Иванова, Вера Сидорова" Enter
	wait_screen v "Здесь: Анна Иванова, Вера Сидорова" >/dev/null
	kill -USR1 "$RELAY_PID"
	poll 50 test "$(grep -c '"event":"stats"' "$T/relay.json")" -gt "$k"
	before=$(stats $((k + 1)))
	for i in $(seq 0 $((n - 1))); do
		term_type v "($1 $i) ${lines[$i]}"
		term_keys v Enter
		wait_screen a "\\($1 $i\\)" 300 >&2 || { term_screen v >&2; return 1; }
		# Past the flood limit (CHAT_BURST lines in 10 s): her
		# lines made older.  The reader's screen draws nothing for it.
		db "UPDATE chat_lines SET at = at - 60"
	done
	kill -USR1 "$RELAY_PID"
	poll 50 test "$(grep -c '"event":"stats"' "$T/relay.json")" -gt $((k + 1))
	after=$(stats $((k + 2)))
	# Then ten keys typed on her input line, each once it shows.
	typed=
	for i in a b c d e f g h i j; do
		typed=$typed$i
		term_type a "$i"
		wait_screen a "^> $typed" 300 >&2 || return 1
	done
	kill -USR1 "$RELAY_PID"
	poll 50 test "$(grep -c '"event":"stats"' "$T/relay.json")" -gt $((k + 2))
	keys=$(( ($(stats $((k + 3))) - after) / 10 ))
	term_keys a C-u Escape Escape q
	poll 50 _screen_has a '^\[exit'
	term_kill a
	echo "$(( (after - before) / n )) $keys"
}

# The lines as drawn, each compressed alone: raw deflate, level 9.
deflate=$(for i in $(seq 0 $((n - 1))); do
	printf "%s Вера Сидорова: (C %s) %s\n" "$(date +%H:%M)" "$i" "${lines[$i]}"
done | python3 -c '
import sys, zlib
v = [len(zlib.compress(l.rstrip("\n").encode(), 9)) - 6 for l in sys.stdin]
print(sum(v) // len(v))')
# The same lines compressed as one stream, per line: what ssh -C's zlib,
# which keeps its dictionary across the session, could reach at best.
stream=$(for i in $(seq 0 $((n - 1))); do
	printf "%s Вера Сидорова: (C %s) %s\n" "$(date +%H:%M)" "$i" "${lines[$i]}"
done | python3 -c '
import sys, zlib
d = sys.stdin.buffer.read()
print((len(zlib.compress(d, 9)) - 6) // max(1, d.count(b"\n")))')
raw=$(printf "%s Вера Сидорова: (C 0) %s" "$(date +%H:%M)" "${lines[0]}" | wc -c)
# ssh -C first: the lines said before are on the screen when she
# enters, and would prime zlib's dictionary for the second run.
read -r comp ckey < <(measure C || echo n/a n/a)
read -r plain pkey < <(measure plain || echo n/a n/a)
goal=$(awk -v d="$deflate" -v p="$PACKET" 'BEGIN { printf "%d", 1.5 * d + p }')
echo "| chat: bytes per line on a reader's gprs link, ssh -C | $comp B | < 1.5 × $deflate B compressed + $PACKET = $goal B |"
echo "| chat: bytes per line on a reader's gprs link, no compression | $plain B | the line is $raw B raw; $stream B per line compressed as one stream |"
echo "| chat: bytes per key typed on the input line (plain / ssh -C) | $pkey B / $ckey B | an echoed key in a shell: 72 B (FACTS) |"
done_testing >/dev/null
