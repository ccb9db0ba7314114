#!/bin/bash
# Connections that never log in (hardening, item 3).  Silent sockets
# from one address stop at per_source_max_startups, from everywhere at
# max_startups, each refusal logged; a teacher still logs in meanwhile,
# even at the cap, where the address with the most makes room for her;
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
	poll "$WAIT" grep -q closed= "$T/$1.ready"
	cat "$T/$1.ready"
}
has() { grep -qF -- "$2" <<<"$1"; }

start_partad "per_source_max_startups 3" "max_startups 5" \
    "max_guest_sessions 1" || exit 1
add_user anna teacher "Анна Иванова" "anna-secret"

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
# The places are taken, but 127.0.0.2 holds three: a teacher from an
# address that holds none makes room, and the oldest of those is ended.
login d anna anna-secret
check "at the cap a teacher from another address still gets in" \
    wait_screen d "Главное меню"
check "... the oldest connection of the address with the most ended for her" \
    grep -q 'one of 3 not logged in from there, to make room for 127.0.0.1 (max_startups 5)' "$T/partad.log"
term_keys d q
# Now 127.0.0.2 and .3 hold two each; 127.0.0.5 takes the fifth place.
silent four 127.0.0.5 1
silent_wait four >/dev/null
# first_line SRC: what partad says first to a connection from SRC.
first_line() {
	"${CLIENT_ENV[@]}" python3 -c 'import socket, sys
s = socket.create_connection(("127.0.0.1", int(sys.argv[1])), timeout=10,
                             source_address=(sys.argv[2], 0))
print(s.recv(200).decode("ascii", "replace"))' "$PORT" "$1"
}
out=$(first_line 127.0.0.3)
check "at the cap, an address that holds as many as any is turned away" \
    has "$out" "parta: too many connections are logging in"
check "... told in plain text before the SSH version line" \
    test "${out#SSH-}" = "$out"
silent_end one >/dev/null
silent_end two >/dev/null
silent_end four >/dev/null
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
    poll "$WAIT" grep -q '127.0.0.4: no login in time' "$T/partad.log"
out=$(silent_end three)
echo "$out" | diag
check "... its socket closed by partad" has "$out" "closed=1"
login c anna anna-secret
check "and the server serves on" wait_screen c "Главное меню"
term_keys c q
done_testing
