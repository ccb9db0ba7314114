#!/bin/bash
# run.sh: "make bench", the weak-link budget of parta, measured.
#
# Every figure is measured beside its baseline in the same run and shown
# as a ratio, because these machines are noisy:
#   (a) TCP connect to the main menu through each link profile of
#       tests/relay.c, against stock OpenSSH (sshd from openssh-server on
#       its own loopback port, own config and host key) doing
#       "ssh host true" through the same kind of relay;
#   (b) bytes on the wire (both directions, SSH framing included, from
#       the relay's JSON) for the first screen, one row down, a new
#       screen, and reading 20 posts, against OpenSSH and zlib;
#   (c) capacity: 50..2000 concurrent sessions (tests/bench/load.c):
#       keystroke-to-update p50/p95/p99, partad's CPU, its private
#       memory per session idle and after the keys, and the load
#       driver's own CPU; PARTA_BENCH_BEFORE=DIR (another tree's build
#       directory) measures that partad too, step by step beside this
#       one, for figures before and after a change from one run;
#   (d) search and posting on 1,000,000 posts: tests/bench/b-search.sh;
#   (e) a key login while 1,000 silent and 200 slow-drip connections
#       (tests/bench/hold.c, from 50 other loopback addresses) hold
#       pre-authentication slots, against the same login on an idle
#       server; and partad's total memory in both states;
#   (f) posting one commit per post with synchronous = FULL against the
#       old NORMAL: tests/bench/b-durability.sh;
#   (g) federation: a shared board's post from one district's INN to
#       another's through gprs, its time and bytes per post against the
#       article and its text gzipped: tests/bench/b-news.sh;
#   (h) parta-sync through gprs and edge: the first sync of 1,000 posts,
#       20 new ones on a new and on a live connection, a letter announced
#       and fetched, against the handshake, zstd -19 of the text and
#       Dovecot + mbsync; and the compression study: tests/bench/b-sync.sh;
#   (i) digests: the size of one of 1,000 posts against their text at
#       zstd -19, exporting one of 10,000 and opening it in parta, with
#       PARTA_BENCH_BASE=DIR against an older build's parta in DIR:
#       tests/bench/b-digest.sh;
#   (j) a digest of 1,000 posts as its own file, as a QWK packet and as
#       text, against the posts' text at zstd -19:
#       tests/bench/b-digest-qwk.sh;
#   (k) chat: the bytes per line on a reader's gprs link, against the
#       line compressed: tests/bench/b-chat.sh;
#   (l) the companion client: keystroke to screen update while its
#       link is gprs, against the same key in an ssh session to partad
#       through the same relay (p50/p95 of 20 keys, ratio); and the
#       time from starting parta to a readable board list offline, and
#       online through gprs with 20 new posts waiting (and until they
#       show).
# Prints one Markdown table and writes it, with the date and the
# machine, to tests/bench/RESULTS.md.  It measures; it never fails a
# build.  Usage: bash tests/bench/run.sh [BUILD]   (default "build");
# PARTA_BENCH_ONLY="a e" runs only the sections named.
#
# It reuses the end-to-end harness (tests/e2e/lib.sh) for partad, the
# relay and the private ssh_config; nothing here asserts.
set -u
top=$(cd "$(dirname "$0")/../.." && pwd)
export PARTA_BUILD=$top/${1:-build}
. "$top/tests/e2e/lib.sh"
RUNS=${PARTA_BENCH_RUNS:-3}		# connections per figure in (a)
RAMP=${PARTA_BENCH_RAMP:-50 100 200 500 1000 2000}
BEFORE=${PARTA_BENCH_BEFORE:-}
LOAD=$B/tests/parta-load	# this tree's driver, whichever partad it measures
LOAD_SECS=${PARTA_BENCH_LOAD_SECS:-20}
PT=$B/tests/parta-ptytime
rows=()
row() { rows+=("| $1 | $2 | $3 | $4 |"); echo "| $1 | $2 | $3 | $4 |" >&2; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (b > 0) printf "%.2f", a / b; else print "n/a" }'; }
median() { sort -n | awk '{ v[NR] = $1 } END { if (NR) print v[int((NR + 1) / 2)]; else print 0 }'; }

# PARTA_BENCH_ONLY="e f" runs only those sections (default: all).
want() { case " ${PARTA_BENCH_ONLY:-a b c d e f g h i j k l} " in *" $1 "*) ;; *) return 1 ;; esac; }
# bench_rows CMD...: run CMD, a benchmark of its own that prints rows
# "| measure | value | goal |", and take each row (a header skipped) into
# this run's table with "—" for its baseline.
bench_rows() {
	local line
	while IFS= read -r line; do
		case $line in "| measure"*) ;; "| "*) rows+=("$line |"); echo "$line" >&2 ;; esac
	done < <("$@" 2>/dev/null |
	    sed 's/^| \(.*\) | \(.*\) | \(.*\) |$/| \1 | \2 | — | \3/')
}

# --- the servers ----------------------------------------------------------

# 2000 sessions are 2000 sockets in the load driver and two processes
# each in partad: raise what this shell may open, as far as it may.
ulimit -n 65536 2>/dev/null || ulimit -n "$(ulimit -Hn)" 2>/dev/null
CAP_CONF=("max_sessions 2100" "max_startups 2100" "per_source_max_startups 2100")
start_partad "${CAP_CONF[@]}" || exit 1
make_key
echo "bench-secret" | sysop user add anna --role teacher --name "Анна Иванова" \
    --password-stdin >/dev/null
sysop user key add anna "$T/id_ed25519.pub" >/dev/null
PARTAD_PORT=$PORT

# sshd: its own config and host key; as root in CI, else as this user.
ME=$(id -un)
SSHD_PID=
trap 'kill $SSHD_PID 2>/dev/null; stop_relay; cleanup' EXIT
start_sshd || { echo "sshd did not start:"; cat "$T/sshd/log"; }

# The client: the same OpenSSH for both, key only, LANG sent.
SSH_BASE=(env -i PATH=/usr/bin:/bin HOME="$T/home" LANG=C.UTF-8 TERM=xterm
    ssh -o BatchMode=yes -o IdentitiesOnly=yes -i "$T/id_ed25519"
    -o IdentityAgent=none -o SendEnv=LANG -o LogLevel=ERROR
    -o ServerAliveInterval=0)
# ssh_sshd PORT [COMMAND...]
ssh_sshd() {
	"${SSH_BASE[@]}" -F /dev/null -o UserKnownHostsFile="$T/sshd/known_hosts" \
	    -o StrictHostKeyChecking=yes -p "$1" -l "$ME" 127.0.0.1 "${@:2}"
}

# A relay in front of sshd, beside the one lib.sh puts before partad.
SRELAY_PID=
start_srelay() {
	rm -f "$T/srelay.port"
	"$B/tests/parta-relay" -t "$SSHD_PORT" -o "$T/srelay.json" "$@" \
	    >"$T/srelay.port" 2>/dev/null &
	SRELAY_PID=$!
	poll 100 test -s "$T/srelay.port"
	SRELAY_PORT=$(cat "$T/srelay.port")
}
stop_srelay() { kill "$SRELAY_PID" 2>/dev/null; wait "$SRELAY_PID" 2>/dev/null; }

# The first login of an account asks for the terminal's encoding; take
# it once, so that what is measured is every later login.
start_relay -p lan >/dev/null
"$PT" -T 15 -w "Choose the line" -s '\r' -w "меню" -- "${SSH_BASE[@]}" \
    -F "$T/ssh_config" -p "$RELAY_PORT" -l anna parta >/dev/null 2>&1
stop_relay

# --- (a) time to the first screen ------------------------------------------
if want a; then

for prof in gprs edge satellite dsl-flaky; do
	: >"$T/relay.json"
	start_relay -p "$prof" || continue
	start_srelay -p "$prof"
	for i in $(seq "$RUNS"); do
		"$PT" -T 90 -w "меню" -- "${SSH_BASE[@]}" -F "$T/ssh_config" \
		    -p "$RELAY_PORT" -l anna parta 2>/dev/null >>"$T/a-$prof.partad"
		"$PT" -T 90 -e -- "${SSH_BASE[@]}" -F /dev/null \
		    -o UserKnownHostsFile="$T/sshd/known_hosts" \
		    -o StrictHostKeyChecking=yes -p "$SRELAY_PORT" -l "$ME" \
		    127.0.0.1 true 2>/dev/null >>"$T/a-$prof.sshd"
	done
	stop_relay
	stop_srelay
	p=$(median <"$T/a-$prof.partad")
	s=$(median <"$T/a-$prof.sshd")
	row "connect to main menu, $prof (median of $RUNS)" \
	    "$(awk -v v="$p" 'BEGIN { printf "%.2f s", v / 1000 }')" \
	    "ssh true: $(awk -v v="$s" 'BEGIN { printf "%.2f s", v / 1000 }'), ratio $(ratio "$p" "$s")" \
	    "≤ 1.2×"
done
fi

# --- (b) bytes on the wire ----------------------------------------------------
if want b; then

# stats_total FILE N: up+down of the Nth stats line of a relay's JSON.
stats_total() {
	grep '"event":"stats"' "$1" | sed -n "${2}p" |
	    sed -n 's/^{[^[]*"up":\([0-9]*\),"down":\([0-9]*\).*/\1 \2/p' |
	    awk '{ print $1 + $2 }'
}
last_close_total() {
	grep '"event":"close"' "$1" | tail -1 |
	    sed -n 's/.*"up":\([0-9]*\),"down":\([0-9]*\).*/\1 \2/p' |
	    awk '{ print $1 + $2 }'
}

: >"$T/relay.json"
start_relay -p lan
SIG="kill -USR1 $RELAY_PID"
"$PT" -T 60 -w "меню" -q 500 -x "$SIG" -s '\eOB' -q 500 -x "$SIG" \
    -s w -q 500 -x "$SIG" -s q -q 500 -s q -e -- "${SSH_BASE[@]}" \
    -F "$T/ssh_config" -p "$RELAY_PORT" -l anna parta >/dev/null 2>&1
poll 50 test "$(grep -c '"event":"stats"' "$T/relay.json")" -ge 3
first=$(stats_total "$T/relay.json" 1)
down1=$(( $(stats_total "$T/relay.json" 2) - first ))
who=$(( $(stats_total "$T/relay.json" 3) - $(stats_total "$T/relay.json" 2) ))
stop_relay

# Baselines: OpenSSH's "ssh true", and one echoed key in a shell (cat).
: >"$T/srelay.json"
start_srelay -p lan
ssh_sshd "$SRELAY_PORT" true >/dev/null 2>&1
poll 50 grep -q close "$T/srelay.json"
sshtrue=$(last_close_total "$T/srelay.json")
SIG2="kill -USR1 $SRELAY_PID"
"$PT" -T 30 -x "sleep 1" -x "$SIG2" -s x -q 500 -x "$SIG2" -- \
    "${SSH_BASE[@]}" -F /dev/null -o UserKnownHostsFile="$T/sshd/known_hosts" \
    -o StrictHostKeyChecking=yes -t -p "$SRELAY_PORT" -l "$ME" 127.0.0.1 cat \
    >/dev/null 2>&1
echo_key=$(( $(stats_total "$T/srelay.json" 2) - $(stats_total "$T/srelay.json" 1) ))
stop_srelay

row "bytes: connect to main menu (both ways)" "$first B" \
    "ssh true: $sshtrue B, ratio $(ratio "$first" "$sshtrue")" "—"
row "bytes: one row down in the main menu" "$down1 B" \
    "echoed key in an OpenSSH shell: $echo_key B, ratio $(ratio "$down1" "$echo_key")" "< 150 B"
row "bytes: a new screen (who is online)" "$who B" \
    "ratio to the echoed key $(ratio "$who" "$echo_key")" "—"

# Reading 20 new posts: needs the boards (parta-sysop post and the
# board UI's "read everything new").  The row stays n/a until they work.
posts_row() {
	if ! sysop help 2>/dev/null | grep -q "^ *post "; then
		row "bytes: reading 20 new posts (plain / ssh -C)" "n/a (boards not built yet)" "—" "< 2× zlib + handshake"
		return
	fi
	sysop board add bench 'Методика' 'Бенчмарк' >/dev/null 2>&1
	# Another teacher writes them: one's own posts are never new.
	echo "boris-secret" | sysop user add boris --role teacher \
	    --name "Борис Петров" --password-stdin >/dev/null 2>&1
	# Posts of about 60 words each, drawn (seeded) from Russian teachers'
	# phrases, so that they compress as real text does, not as repeats.
	: >"$T/posts.txt"
	for i in $(seq 20); do
		body=$(tr -s ' \n' '\n\n' <"$top/tests/bench/ru-words.txt" |
		    awk -v seed="$i" 'NF { w[n++] = $0 } END { srand(seed);
			for (k = 0; k < 60; k++) printf "%s%s", w[int(rand() * n)],
			    (k % 12 == 11) ? "\n" : " " }')
		printf 'Пост %d: обсуждение урока\n%s\n' "$i" "$body" >>"$T/posts.txt"
		printf '%s\n' "$body" | sysop post bench --as boris \
		    --subject "Пост $i: обсуждение урока" >/dev/null 2>&1
	done
	z=$(gzip -9c "$T/posts.txt" | wc -c)
	for mode in plain C; do
		: >"$T/relay.json"
		start_relay -p lan
		opt=()
		[ "$mode" = C ] && opt=(-C)
		# "n" opens the first new post, "u" each next one; after the
		# 20th the BBS must say that nothing new is left, or the row
		# says the reading did not work.
		keys=(-s n -q 500)
		for i in $(seq 2 20); do keys+=(-s u -q 500); done
		keys+=(-s u -w "ничего нового нет")
		if ! "$PT" -T 120 -w "меню" "${keys[@]}" -q 300 -- "${SSH_BASE[@]}" \
		    "${opt[@]}" -F "$T/ssh_config" -p "$RELAY_PORT" -l anna parta \
		    >/dev/null 2>"$T/posts.err"; then
			stop_relay
			row "bytes: reading 20 new posts (plain / ssh -C)" \
			    "n/a (the 20 posts did not all appear: see the board UI)" "—" "< 2×"
			return
		fi
		stop_relay
		# The next session must find them new again.
		sqlite3 "$D/parta.db" "delete from thread_reads; delete from board_reads" 2>/dev/null
		poll 20 grep -q close "$T/relay.json"
		eval "b_$mode=$(last_close_total "$T/relay.json")"
	done
	row "bytes: one post read, on average (plain / ssh -C)" \
	    "$(( (b_plain - first) / 20 )) B / $(( (b_C - first) / 20 )) B" \
	    "the post's text zlib-compressed: $(( z / 20 )) B" "—"
	row "bytes: reading 20 new posts, whole session (plain / ssh -C)" \
	    "$b_plain B / $b_C B" \
	    "zlib of the posts $z B + ssh true $sshtrue B: ratio $(ratio "$b_C" $((z + sshtrue)))" \
	    "< 2×"
}
posts_row
fi

# --- (c) capacity ---------------------------------------------------------------
if want c; then

# cap_row N LABEL: one step of the ramp against the partad running now;
# its idle memory per session, "MB (session process kB + UI kB)", is
# left in cap_mem for mem_row.
cap_row() {
	local out
	out=$("$LOAD" -p "$PARTAD_PORT" -l anna -i "$T/id_ed25519" \
	    -n "$1" -d "$LOAD_SECS" -k 1000 -P "$PARTAD_PID" 2>/dev/null)
	get() { awk -v k="$1" '{ for (i = 1; i < NF; i++) if ($i == k) print $(i + 1) }' <<<"$out"; }
	cap_mem="$(awk -v k="$(get idle_mem_kb_per_session)" \
	    'BEGIN { printf "%.2f MB", k / 1024 }') ($(get idle_session_kb) kB session process + $(get idle_ui_kb) kB UI)"
	row "$1 sessions, a key each second for ${LOAD_SECS}s$2" \
	    "p95 $(get p95_ms) ms (p50 $(get p50_ms), p99 $(get p99_ms), max $(get max_ms)); $(get connected) connected, $(get timeouts) unanswered" \
	    "partad CPU $(get cpu_pct)% of one core; load driver $(get load_cpu_pct)% (whole machine $(get machine_busy_pct)% busy); private memory per session $(get idle_mem_kb_per_session) kB idle, $(get mem_kb_per_session) kB after the keys" \
	    "1000: p95 < 100 ms; 2000: p95 < 250 ms; ≤ 1536 kB idle"
	# Let the hung-up sessions leave before the next step.
	poll 300 sh -c "[ \$(pgrep -c -P $PARTAD_PID) -le 1 ]"
}
# cap_switch BUILD: stop partad, start BUILD's on the same data.
cap_switch() {
	stop_partad
	B=$1
	start_partad "${CAP_CONF[@]}" || exit 1
	PARTAD_PORT=$PORT
}

# mem_row N BEFORE: the private memory of an idle session at N sessions,
# beside the figure before (the BEFORE build's, or the last one
# recorded: PARTA_BENCH_MEM_BEFORE).
mem_row() {
	row "private memory per idle session, $1 sessions" "$cap_mem" \
	    "before: $2" "≤ 1.5 MB"
}

for n in $RAMP; do
	if [ -n "$BEFORE" ]; then
		here=$B
		cap_switch "$BEFORE"
		cap_row "$n" " (before)"
		mem_before=$cap_mem
		cap_switch "$here"
		cap_row "$n" " (after)"
		mem_row "$n" "$mem_before"
	else
		cap_row "$n" ""
		mem_row "$n" "${PARTA_BENCH_MEM_BEFORE:-1.93 MB at 1000 sessions (RESULTS.md, 2026-12-01 14:45)}"
	fi
done
fi

# --- (e) logins under a pre-authentication flood -----------------------------
if want e; then

# tree_pss_kb PID: the proportional set size of PID and its descendants.
tree_pss_kb() {
	local pids="$1" p all="$1"
	while [ -n "$pids" ]; do
		pids=$(for p in $pids; do pgrep -P "$p"; done)
		all="$all $pids"
	done
	for p in $all; do
		awk '/^Pss:/ { print $2 }' "/proc/$p/smaps_rollup" 2>/dev/null
	done | awk '{ s += $1 } END { print s + 0 }'
}
# login_ms: key login to the main menu, median of 5, -1 if none made it.
login_ms() {
	local i
	for i in 1 2 3 4 5; do
		"$PT" -T 60 -w "меню" -- "${SSH_BASE[@]}" -F "$T/ssh_config" \
		    -p "$PARTAD_PORT" -l anna parta 2>/dev/null || echo -1
	done | median
}
# The capacity ramp raised the caps on connections not logged in; this
# measures partad as a sysop runs it, with the defaults.
stop_partad
start_partad "max_sessions 2000" || exit 1
PARTAD_PORT=$PORT
HOLD_N=${PARTA_BENCH_HOLD_SILENT:-1000}
HOLD_S=${PARTA_BENCH_HOLD_DRIP:-200}
idle_ms=$(login_ms)
idle_mem=$(tree_pss_kb "$PARTAD_PID")
"$B/tests/parta-hold" -p "$PARTAD_PORT" -n "$HOLD_N" -s "$HOLD_S" -a 50 \
    -d 600 >"$T/hold.out" 2>&1 &
HOLD_PID=$!
poll 300 grep -q '^open' "$T/hold.out"
sleep 2		# let the listener fork and refuse what it will
flood_mem=$(tree_pss_kb "$PARTAD_PID")
flood_ms=$(login_ms)
kill "$HOLD_PID" 2>/dev/null
wait "$HOLD_PID" 2>/dev/null
row "key login to main menu, $HOLD_N silent + $HOLD_S slow-drip connections held (median of 5)" \
    "$flood_ms ms" "idle server: $idle_ms ms, ratio $(ratio "$flood_ms" "$idle_ms")" "≤ 2×"
row "partad's memory (PSS, all processes), idle / during that flood" \
    "$((flood_mem / 1024)) MB during the flood" "$((idle_mem / 1024)) MB idle" "—"
poll 300 sh -c "[ \$(pgrep -c -P $PARTAD_PID) -le 1 ]"
fi

# --- (d) search and posting --------------------------------------------------------
if want d; then

if [ -f "$top/tests/bench/b-search.sh" ]; then
	bench_rows env PARTA_BENCH_ROWS_ONLY=1 bash \
	    "$top/tests/bench/b-search.sh" ${PARTA_BENCH_POSTS:-}
else
	row "search and posting on 1,000,000 posts" "n/a" "—" "—"
fi
fi

# --- (f) durability: FULL against NORMAL ------------------------------------------
if want f; then

bench_rows bash "$top/tests/bench/b-durability.sh"
fi

# --- (g) federation through INN --------------------------------------------------
if want g; then

bench_rows bash "$top/tests/bench/b-news.sh"
fi

# --- (h) parta-sync and its baselines ------------------------------------------------
if want h; then

while IFS= read -r line; do
	case $line in "| "*) rows+=("$line"); echo "$line" >&2 ;; esac
done < <(bash "$top/tests/bench/b-sync.sh" "${1:-build}" 2>/dev/null)
fi

# --- (i) digests ----------------------------------------------------------------
if want i; then

bench_rows bash "$top/tests/bench/b-digest.sh"
fi

# --- (j) a digest's formats -----------------------------------------------------
if want j; then

bench_rows bash "$top/tests/bench/b-digest-qwk.sh"
fi

# --- (k) chat --------------------------------------------------------------------
if want k; then

bench_rows bash "$top/tests/bench/b-chat.sh"
fi

# --- (l) the companion client ----------------------------------------------------
if want l; then

KEYS=20
# keys_ms FILE: the p50 and p95 of the waits after each "b" (the odd
# lines after the first: the first wait is the main menu).
keys_ms() {
	awk 'NR > 1 { d = $1 - prev; if ((NR - 2) % 2 == 0) print d } { prev = $1 }' "$1" |
	    sort -n | awk '{ v[NR] = $1 } END { if (!NR) { print "n/a n/a"; exit }
	    printf "%.1f %.1f\n", v[int((NR + 1) / 2)], v[int(NR * 0.95 + 0.999)] }'
}
steps=(-w "меню")
# Words only the board list and the main menu draw (their legends).
for i in $(seq "$KEYS"); do steps+=(-s b -w "прочитано" -s '\e' -w "пункта"); done
hcache=$T/h-cache
PARTA_ENV=(env -i PATH=/usr/bin:/bin HOME="$T/home" LANG=C.UTF-8 TERM=xterm
    PARTA_LOCALEDIR="$top/build/locale")
start_relay -p lan >/dev/null
parta_conf "$RELAY_PORT" "IdentityFile $T/id_ed25519" >"$T/h.conf"
"${PARTA_ENV[@]}" "$B/parta" -F "$T/h.conf" -d "$hcache" --sync anna@school \
    </dev/null >/dev/null 2>&1
stop_relay
: >"$T/relay.json"
start_relay -p gprs >/dev/null
parta_conf "$RELAY_PORT" "IdentityFile $T/id_ed25519" >"$T/h.conf"
"$PT" -T 300 "${steps[@]}" -- "${SSH_BASE[@]}" -F "$T/ssh_config" \
    -p "$RELAY_PORT" -l anna parta 2>/dev/null >"$T/h-ssh"
"$PT" -T 300 "${steps[@]}" -- "${PARTA_ENV[@]}" "$B/parta" -F "$T/h.conf" \
    -d "$hcache" anna@school 2>/dev/null >"$T/h-client"
read -r c50 c95 <<<"$(keys_ms "$T/h-client")"
read -r s50 s95 <<<"$(keys_ms "$T/h-ssh")"
row "client: key to screen, link gprs (p95 of $KEYS)" "$c95 ms (p50 $c50)" \
    "ssh to partad, same relay: $s95 ms (p50 $s50); ratio $(awk -v a="$c95" \
    -v b="$s95" 'BEGIN { if (b > 0) printf "%.4f", a / b; else print "n/a" }')" \
    "p95 < 10 ms"
off=$("$PT" -T 60 -w "меню" -s b -w "прочитано" -- "${PARTA_ENV[@]}" "$B/parta" \
    -F "$T/h.conf" -d "$hcache" --offline anna@school 2>/dev/null | tail -1)
sysop board add h "Бенч" "Для замеров" >/dev/null 2>&1
add_user hvera teacher "Вера" "hvera-secret-1"
for i in $(seq 20); do
	console_post h hvera "Замер $i" "Текст сообщения номер $i для замера."
done
on=$("$PT" -T 300 -w "меню" -s b -w "прочитано" -w "новых: 20" -- "${PARTA_ENV[@]}" \
    "$B/parta" -F "$T/h.conf" -d "$hcache" anna@school 2>/dev/null | tail -2 | tr '\n' ' ')
stop_relay
row "client: start to board list, offline" "$off ms" "—" "local speed"
row "client: start to board list online (gprs), then until 20 new posts show" \
    "$(echo "$on" | awk '{ printf "%s ms, %s ms", $1, $2 }')" "—" \
    "list at once; posts in one sync"
fi

# --- the table ----------------------------------------------------------------------

# A partial run (PARTA_BENCH_ONLY) prints its rows and keeps RESULTS.md.
results=$top/tests/bench/RESULTS.md
[ -n "${PARTA_BENCH_ONLY:-}" ] && results=$T/RESULTS.md
{
	echo "# parta: make bench"
	echo
	[ -n "${PARTA_BENCH_ONLY:-}" ] && echo "Sections $PARTA_BENCH_ONLY only." && echo
	echo "Run $(date -u '+%Y-%m-%d %H:%M UTC') on $(uname -srm);"
	echo "CPU $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //'), $(nproc) cores."
	echo "Links emulated by tests/relay.c (profiles in README); baselines"
	echo "measured in the same run.  Bytes are both directions with SSH framing."
	echo
	echo "| measure | parta | baseline | goal |"
	echo "| --- | --- | --- | --- |"
	printf '%s\n' "${rows[@]}"
} >"$results"
cat "$results"
_failed=0
exit 0
