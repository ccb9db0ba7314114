#!/bin/bash
# Connections that never log in (hardening, item 3).  Silent sockets
# from one address stop at per_source_max_startups, from everywhere at
# max_startups, each refusal logged; a teacher still logs in meanwhile;
# registrations stop at max_guest_sessions, the refused one told why;
# and a silent socket is closed after kex_timeout.
. "$(dirname "$0")/lib.sh"

# silent NAME SRC N: N silent connections from SRC (a 127/8 address), in
# the background; silent_wait NAME waits until they are placed.
silent() {
	"${CLIENT_ENV[@]}" python3 "$TOP/tests/e2e/silent.py" "$PORT" "$2" "$3" \
	    "$T/$1.ready" "$T/$1.release" 2>>"$T/silent.err" &
}
silent_wait() { poll 300 test -f "$T/$1.ready" && cat "$T/$1.ready"; }
silent_end() {	# NAME: release them; prints the report again
	touch "$T/$1.release"
	poll 100 grep -q closed= "$T/$1.ready"
	cat "$T/$1.ready"
}
has() { grep -qF -- "$2" <<<"$1"; }

start_partad "per_source_max_startups 3" "max_startups 5" \
    "max_guest_sessions 1" || exit 1
echo "anna-secret" | sysop user add anna --role teacher --name "Анна Иванова" \
    --password-stdin >/dev/null

silent one 127.0.0.2 5
out=$(silent_wait one)
echo "$out" | diag
check "one address gets per_source_max_startups (3) silent connections" \
    has "$out" "accepted=3 refused=2"
check "the refusal is logged" grep -q 'refusing 127.0.0.2: 3 connections from it not logged in yet (per_source_max_startups 3)' "$T/partad.log"
login a anna anna-secret
check "meanwhile a teacher logs in" wait_screen a "Главное меню"

silent two 127.0.0.3 3
out=$(silent_wait two)
echo "$out" | diag
check "all addresses together get max_startups (5)" \
    has "$out" "accepted=2 refused=1"
check "that refusal is logged" grep -q 'refusing 127.0.0.3: 5 connections not logged in yet (max_startups 5)' "$T/partad.log"
out=$("${CLIENT_ENV[@]}" ssh -F "$T/ssh_config" -o BatchMode=yes -l anna parta 2>&1)
echo "$out" | diag
check "at the cap even a teacher is turned away" \
    grep -qE 'Connection (closed|reset)' <<<"$out"
out=$(timeout 10 bash -c "exec 3<>/dev/tcp/127.0.0.1/$PORT; head -c 200 <&3")
check "... told in plain text before the SSH version line" \
    has "$out" "parta: too many connections are logging in"
silent_end one >/dev/null
silent_end two >/dev/null
login b anna anna-secret
check "once they are gone, logins work again" wait_screen b "Главное меню"
term_keys a q
term_keys b q

# Registration: one at a time here.
term_start g1 "$(ssh_cmd new)"
check "a first registration gets the form" wait_screen g1 "Регистрация"
term_start g2 "$(ssh_cmd new)"
check "a second one is refused with a reason" \
    wait_screen g2 "too many registrations at once"
check "... and the refusal is logged" grep -q 'refusing registration from 127.0.0.1: 1 already (max_guest_sessions 1)' "$T/partad.log"
term_kill g1
term_kill g2

# The key-exchange deadline.
stop_partad
start_partad "kex_timeout 5" || exit 1
silent three 127.0.0.4 1
silent_wait three >/dev/null
check "a silent connection is logged out after kex_timeout" \
    poll 150 grep -q '127.0.0.4: no login in time' "$T/partad.log"
out=$(silent_end three)
echo "$out" | diag
check "... its socket closed by partad" has "$out" "closed=1"
login c anna anna-secret
check "and the server serves on" wait_screen c "Главное меню"
term_keys c q
done_testing
