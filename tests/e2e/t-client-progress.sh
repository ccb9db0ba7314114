#!/bin/bash
# The companion client's long sync of a big board through a slow link
# (the relay at 120 kbit/s), with the screens up (a start with a copy:
# the very first fetch runs before them, on the terminal): the server
# says about how many rows the pull holds (capability estimate), so the
# header shows a bar, the bytes so far, the estimated whole (marked
# "~") and the time left, then the link again.
. "$(dirname "$0")/lib.sh"
trap 'stop_relay; cleanup' EXIT
RELAY_PID=

start_partad || exit 1
add_staffroom
console_post math boris "Дроби" "Как объяснить дроби в пятом классе?"
make_key
sysop user key add anna "$T/id_ed25519.pub" >/dev/null
PENV=("${CLIENT_ENV[@]}" PARTA_LOCALEDIR="$PARTA_LOCALEDIR")
cache=$T/home/.local/share/parta/anna@school
parta_conf "$PORT" "IdentityFile $T/id_ed25519" >"$T/parta_config"
check "a first sync, small" "${PENV[@]}" "$B/parta" -F "$T/parta_config" \
    -d "$cache" --sync anna@school </dev/null >"$T/sync.out" 2>&1
# 150 threads of text that compresses little: a pull of two batches
# (64 KB each, 30 KB compressed) that takes seconds at 120 kbit/s (a
# short delay: the handshake's round trips would only add waiting).
noise() { head -c 600 /dev/urandom | base64 -w 0; }
push_threads boris math 1 150 "Задача" noise || exit 1
start_relay --rate 120k --delay 100 || exit 1
parta_conf "$RELAY_PORT" "IdentityFile $T/id_ed25519" >"$T/relay_config"
term_start on "${PENV[*]} $B/parta -F $T/relay_config -d $cache anna@school"
check "the screens open from the copy" wait_screen on "Главное меню" 300
check "the header shows a bar, the bytes, the estimated whole, the time left" \
    wait_screen on "\[[#.]{5}\] [0-9.]+[КМ]/~[0-9.]+[КМ] [0-9]+:[0-9]{2}$" 600
check "then the link again, the board synced" wait_screen on "на связи" 900
check "the copy holds every post" test "$(sqlite3 -cmd '.timeout 5000' \
    "$cache/copy.db" "SELECT count(*) FROM posts")" = 151
term_keys on q

# Her very first start (no copy yet): the fetch runs before the screens,
# and its line on the terminal shows the same bar.
term_start first "${PENV[*]} $B/parta -F $T/relay_config -d $T/first anna@school"
check "the first fetch says what it does" \
    wait_screen first "parta: первая загрузка локальной копии" 300
check "and shows the bar on its line, with the time left" \
    wait_screen first "^\[[#.]{5}\] [0-9.]+[КМ]/~[0-9.]+[КМ] [0-9]+:[0-9]{2}" 600
check "then the screens" wait_screen first "Главное меню" 900
term_keys first q
stop_relay

done_testing
