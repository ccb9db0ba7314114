#!/bin/bash
# parta over a weak link (tests/relay.c): the relay itself counts and
# cuts exactly; a session through an EDGE-like link reaches the main
# menu; a stall of seconds loses no keystroke; a cut link loses nothing
# that was acknowledged on the screen before it; reconnecting works.
# Timings are never asserted here (make bench measures them).
. "$(dirname "$0")/lib.sh"
trap 'stop_relay; cleanup' EXIT

start_partad || exit 1
add_user anna teacher "Анна Иванова" "anna-secret"

# --- the relay on its own -------------------------------------------------

help=$("$B/tests/parta-relay" --help)
for p in gprs edge satellite dsl-flaky; do
	case $help in
	*"  $p "*) ok "--help lists the profile $p" ;;
	*) not_ok "--help lists the profile $p" ;;
	esac
done
check "a bad option is refused" \
    sh -c "! '$B/tests/parta-relay' -t 1 --fault nonsense 2>/dev/null"

# raw_client FILE [REQUEST]: through the relay, keep what partad sends in
# FILE until it hangs up; with REQUEST, send it after partad's version
# line (partad refuses a client that does not speak SSH, and closes).
raw_client() {
	timeout 20 bash -c '
	exec 3<>/dev/tcp/127.0.0.1/$0 || exit 1
	if [ -n "$2" ]; then
		IFS= read -r line <&3 || exit 1
		printf "%s\n" "$line" >"$1"
		printf "%b" "$2" >&3
	fi
	cat <&3 >>"$1"' "$RELAY_PORT" "$1" "${2:-}" 2>/dev/null
}
# closed_lines: how many connections the relay has seen close;
# closed N: at least N (for poll, which runs it again each time).
closed_lines() { grep -c '"event":"close"' "$T/relay.json" 2>/dev/null; }
closed() { [ "$(closed_lines)" -ge "$1" ]; }

start_relay -p lan || exit 1
raw_client "$T/raw1" "HELLO 123456789012\r\n"
poll "$WAIT" closed 1
got=$(wc -c <"$T/raw1")
check "the client got partad's version line" grep -q '^SSH-2.0-' "$T/raw1"
check "the JSON counts the bytes sent up exactly (20)" \
    test "$(json_field up)" = 20
check "the JSON counts the bytes received down exactly ($got)" \
    test "$(json_field down)" = "$got"
relay_ctl stats
poll "$WAIT" grep -q '"event":"stats"' "$T/relay.json"
check "stats on the control FIFO: totals of all connections" \
    test "$(json_field up)" = 20 -a "$(json_field down)" = "$got"
kill -USR1 "$RELAY_PID"
stats2() { [ "$(grep -c '"event":"stats"' "$T/relay.json")" -ge 2 ]; }
poll "$WAIT" stats2
check "SIGUSR1 writes the stats too" test "$(json_field down)" = "$got"
stop_relay

# A cut after exactly 7 bytes down: the client sees "SSH-2.0" and no more.
: >"$T/relay.json"
start_relay -p lan --fault down:cut-after:7 || exit 1
raw_client "$T/raw2"
poll "$WAIT" closed 1
check "cut after 7 bytes: the client received exactly 7 bytes" \
    test "$(wc -c <"$T/raw2")" = 7
check "and they are the first 7 of the stream" test "$(cat "$T/raw2")" = "SSH-2.0"
check "the JSON says 7 bytes down and a cut" \
    sh -c "tail -1 '$T/relay.json' | grep -q '\"down\":7,.*\"why\":\"cut\"'"
stop_relay

# A cut after exactly 1000 bytes up, in the middle of the key exchange:
# ssh fails before the BBS can answer, and exactly 1000 bytes went up.
make_key
sysop user key add anna "$T/id_ed25519.pub" >/dev/null
ssh_true() {
	"${CLIENT_ENV[@]}" timeout 30 ssh -F "$T/ssh_config" -o BatchMode=yes \
	    -p "$RELAY_PORT" -l anna parta true 2>&1
}
: >"$T/relay.json"
start_relay -p lan || exit 1
out=$(ssh_true)
check "through an intact link, ssh reaches the BBS (which refuses commands)" \
    grep -q "interactive BBS" <<<"$out"
stop_relay
: >"$T/relay.json"
start_relay -p lan --fault up:cut-after:1000 || exit 1
out=$(ssh_true)
check "through a link cut mid-handshake, ssh fails before the BBS answers" \
    sh -c "! grep -q 'interactive BBS' <<EOT
$out
EOT"
poll "$WAIT" closed 1
check "the relay delivered exactly 1000 bytes up before the cut" \
    test "$(json_field up)" = 1000
stop_relay

# A stall after 4 bytes and random jitter: bytes are delayed, never lost
# or reordered (the same stream arrives).
: >"$T/relay.json"
start_relay -p lan -d 50 -j 200 --fault down:stall-after:4:1 || exit 1
raw_client "$T/raw3" "HELLO 123456789012\r\n"
check "a stall and jitter deliver the same bytes in the same order" \
    cmp -s "$T/raw1" "$T/raw3"
stop_relay

# --- a cut link: what was acknowledged stays -------------------------------
#
# Each case NAME has open_NAME, which opens terminal NAME through the
# relay, cut_NAME, which works in it until the BBS acknowledges on the
# screen, and kept_NAME, which checks the store after the link was cut.
# The cases' terminals are opened together with the first session
# through EDGE (their handshakes go on beside it, and through its
# stall), and one cut ends them all.
# Add a case by adding its three functions and its name to CUT_CASES.

open_registration() { term_start registration "$(relay_ssh_cmd new)"; }
cut_registration() {
	wait_screen registration "Регистрация" 300 >/dev/null
	fill registration "sidorova" "Ольга Сидорова" "Школа с. Урюпино" \
	    "физика" "secret-pw3" "secret-pw3"
	wait_screen registration "ожидает одобрения" 300
}
kept_registration() {
	sysop user list --pending | grep -q sidorova
}

open_profile() {
	term_start profile \
	    "$(relay_ssh_cmd anna -o PubkeyAuthentication=no)"
}
cut_profile() {
	wait_screen profile "password:" 300 >/dev/null
	fill profile anna-secret
	wait_screen profile "Главное меню" 300 >/dev/null
	term_keys profile p
	wait_screen profile "Профиль" 300 >/dev/null
	term_keys profile Down Down Down
	fill profile "Физика и астрономия, 7-11 классы"
	wait_screen profile "Профиль сохранён" 300
}
kept_profile() {
	sysop user show anna | grep -q "Физика и астрономия, 7-11 классы"
}

CUT_CASES="registration profile"

# --- sessions through an EDGE-like link ------------------------------------

: >"$T/relay.json"
start_relay -p edge -j 100 || exit 1
for c in $CUT_CASES; do "open_$c"; done
relay_login e anna anna-secret
check "through EDGE with jitter, the session reaches the main menu" \
    wait_screen e "Главное меню" 300

# A 6-second stall: what is typed meanwhile arrives after it.
relay_ctl stall 6
sleep 0.5
term_keys e w
sleep 2
if term_screen e | grep -q "Кто в сети ("; then
	not_ok "during the stall the key has not reached the BBS yet"
else
	ok "during the stall the key has not reached the BBS yet"
fi
check "after the stall the who list is on the screen" \
    wait_screen e "Кто в сети \(1\)" 400
term_keys e q
check "and the menu answers again" wait_screen e "Главное меню" 100
term_keys e q
check "and logs out cleanly" wait_screen e '\[exit 0\]' 100
poll "$WAIT" closed 1
check "the relay counted both directions of the session" \
    test "$(json_field up)" -gt 1000 -a "$(json_field down)" -gt 1000

# --- a cut link: what was acknowledged stays (the cases above) ---------------

for c in $CUT_CASES; do
	check "$c: acknowledged on the screen before the cut" "cut_$c"
done
relay_ctl cut
for c in $CUT_CASES; do
	check "$c: the cut ends the client's connection" \
	    wait_screen "$c" '\[exit 255\]' 100
	check "$c: what was acknowledged is in the store after the cut" "kept_$c"
done
check "after the cuts partad ends the sessions (no one is online)" \
    poll "$WAIT" sh -c "! '$B/parta-sysop' -d '$D' who | grep -q anna"

relay_login again anna anna-secret
check "reconnecting after a cut reaches the main menu" \
    wait_screen again "Главное меню" 300
term_keys again q
wait_screen again '\[exit 0\]' 100 >/dev/null

done_testing
