#!/bin/bash
# parta-sync (man/parta-sync.5) against the real partad, through the
# test driver tests/sync/syncdrv.c: pull from zero, incrementally, after
# cuts at random bytes (the state equals a fresh snapshot and what the
# user may see), a stale cursor, pushes applied once and refused with
# their reasons, read ranges, live notices, visibility.
. "$(dirname "$0")/lib.sh"
trap 'stop_relay; cleanup' EXIT
RELAY_PID=

start_partad || exit 1
add_user anna teacher "Анна Иванова" "anna-secret"
add_user boris teacher "Борис Петров" "boris-secret"
add_user vera coordinator "Вера Сидорова" "vera-secret"
sysop board add math "Математика" "Уроки и задачи" >/dev/null
sysop board add staff "Учительская" >/dev/null
sysop board edit staff read coordinator >/dev/null
sysop board add ro "Объявления" >/dev/null
sysop board edit ro post coordinator >/dev/null
for i in 1 2 3 4 5; do
	console_post math boris "Задача $i" "Решите задачу номер $i: найдите x."
done
console_post staff vera "Совещание" "Только для координаторов."
console_post ro vera "Расписание" "Уроки с понедельника."

# drv USER [DRIVER ARGS...]: the driver as USER (password USER-secret),
# its state in $T/USER.state.
drv() {
	local u=$1; shift
	"$B/tests/parta-syncdrv" -p "${DRV_PORT:-$PORT}" -l "$u" \
	    -w "$u-secret" -s "$T/$u.state" "$@"
}
# state_rows USER ENTITY: how many rows of ENTITY the user's state holds.
state_rows() { grep -c "^$2 " "$T/$1.state"; }
uuid() { cat /proc/sys/kernel/random/uuid; }
q() { db "$@"; }

# --- pull from zero -------------------------------------------------------

out=$(drv anna pull)
check "a first pull is a snapshot" grep -q 'snapshot=1' <<<"$out"
head=$(q "SELECT max(seq) FROM changes")
check "its cursor is the log's head ($head)" \
    grep -q "cursor=$head " <<<"$out"
check "anna holds the 6 threads she may read" \
    test "$(state_rows anna thread)" = 6
check "and their 6 posts" test "$(state_rows anna post)" = 6
check "no thread of the coordinators' board" \
    sh -c "! grep -q 'Совещание' '$T/anna.state'"
check "no password hash in what was sent" \
    sh -c "! grep -q 'pw_hash' '$T/anna.state'"
anna_uuid=$(q "SELECT uuid FROM users WHERE login = 'anna'")
check "another account's language is not sent" \
    sh -c "! grep '^user ' '$T/anna.state' | grep -v '$anna_uuid' | grep -q 'lang='"
check "her own is" sh -c "grep '^user $anna_uuid' '$T/anna.state' | grep -q 'lang=T:ru'"
check "rows carry the server's row ids" \
    grep -q "^thread .*	id=I:1	" "$T/anna.state"

done_testing
