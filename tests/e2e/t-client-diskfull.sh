#!/bin/bash
# The companion client on a full disk (parta(1)): her cache on a small
# tmpfs this script mounts itself (skipped, saying so, where it may not
# mount one).  With the disk filled while the screens are open, a reply
# is refused in the words for her own computer's disk, not the server's
# ("please tell the sysop": there is no sysop of her computer), and the
# text stays in the editor; with space again it goes into the outbox.
. "$(dirname "$0")/lib.sh"

small_disk 8m 0700

start_partad || exit 1
add_user anna teacher "Анна Иванова" "anna-secret-1"
sysop board add math "Математика" "Уроки и задачи" >/dev/null
console_post math anna "Дроби" "Как объяснить дроби в пятом классе?"
client_anna
cache=$SMALL/cache
outbox() { sqlite3 -cmd '.timeout 5000' "$cache/outbox.db" "$@"; }
psync() {
	"${PENV[@]}" "$B/parta" -F "$T/parta_config" -d "$cache" --sync \
	    anna@school </dev/null >"$T/sync.out" 2>&1
}
check "parta --sync makes the copy on the small disk" psync

term_start f "$P -d $cache --offline anna@school"
wait_screen f "Главное меню" >/dev/null
first_board f "Дроби"
go f "#1/1" Enter
go f "\^X (отправить|send)" r
term_type f "Ответ на полном диске."
# Filled while she types: a file of zeros until ENOSPC.
dd if=/dev/zero of="$SMALL/filler" bs=4k 2>"$T/dd.err"
check "her disk is full" grep -q "No space left" "$T/dd.err"
term_keys f C-x
check "the reply is refused in the words for her own disk" \
    wait_screen f "диск этого компьютера переполнен"
check "not the server's, with a sysop to tell" screen_lacks f "сообщите сисопу"
check "nothing went into the outbox" \
    test "$(outbox "SELECT count(*) FROM outbox WHERE kind = 'reply'")" = 0

rm -f "$SMALL/filler"
term_keys f Enter	# the message
term_keys f C-x
_queued() { [ "$(outbox "SELECT count(*) FROM outbox WHERE kind = 'reply'")" = 1 ]; }
check "with space again the text kept in the editor goes into the outbox" \
    poll "$WAIT" _queued
term_kill f
done_testing
