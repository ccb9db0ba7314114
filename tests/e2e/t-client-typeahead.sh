#!/bin/bash
# Keys typed into the companion client (parta(1)) before its screens, on
# a first start while it connects and fetches the copy, are typed blind:
# they are thrown away when the terminal goes raw, not taken as the
# first commands of a main menu she has not seen.  The link is held by
# the relay (tests/relay.c) for a few seconds, so that the keys surely
# come while the client waits for it.
. "$(dirname "$0")/lib.sh"
RELAY_PID=
trap 'stop_relay; cleanup' EXIT

start_partad || exit 1
add_user anna teacher "Анна Иванова" "anna-secret"
sysop board add math "Математика" >/dev/null
client_anna
# Nothing comes down for 4 s from the start: the server's greeting
# waits, and so does the client, before any screen.
start_relay --fault "down:stall-at:0:4" || exit 1
parta_conf "$RELAY_PORT" "IdentityFile $T/id_ed25519" >"$T/relay_config"
# A connection is open through the relay, and no screen has come.
held() {
	relay_ctl stats
	poll 10 grep -q '"open":\[{' "$T/relay.json" &&
	    ! _screen_has a "Главное меню"
}

term_start a "${PENV[*]} $B/parta -F $T/relay_config anna@school"
check "the client is connecting through the held link" poll "$WAIT" held
# m opens the mail from the main menu.
term_keys a m
check "the screens open at the main menu" wait_screen a "Главное меню"
# Order is kept: had m been passed on, b would come after the mail.
term_keys a b
check "the key typed before them did not act; the next one does" \
    wait_screen a "Разделы"
check "no mail screen came between" screen_lacks a "Входящие"

done_testing
