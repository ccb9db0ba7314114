#!/bin/bash
# The companion client when its outbox fails (parta(1)): a fetch whose
# end the outbox does not take fails the sync and says why ("parta
# --sync" used to report success, and the background syncer fetched the
# file again each round), the fetch still waits and comes whole once the
# outbox takes writes again; so does an upload whose progress is not
# written: it waits, and is made once on the next sync; a library card whose fetch state cannot be
# read says so, instead of offering to fetch what may be asked for; an
# outbox that cannot be counted shows as "исх. ?" in the header (once
# "исх. -2"), is logged once, and "parta --forget" asks about it without
# a number.  The outbox is made to fail by a trigger and by a view in
# place of its table, in its own SQLite file.
. "$(dirname "$0")/lib.sh"

start_partad || exit 1
add_user anna teacher "Анна Иванова" "anna-secret"
add_user boris teacher "Борис Петров" "boris-secret"
sysop library section add math "Математика" >/dev/null
head -c 100000 /dev/urandom >"$T/big.bin"
chmod 644 "$T/big.bin"
sysop library add math "$T/big.bin" --as boris --title "Задачи" >/dev/null
big=$(sha256sum "$T/big.bin" | cut -d' ' -f1)
client_anna
outbox() { sqlite3 -cmd '.timeout 5000' "$cache/outbox.db" "$@"; }
psync() {	# parta --sync, no terminal; what it said in $T/sync.out
	"${PENV[@]}" "$B/parta" -F "$T/parta_config" -d "$cache" --sync \
	    anna@school </dev/null >"$T/sync.out" 2>&1
}
fails() { ! "$@"; }
said() { grep -q -- "$1" "$T/sync.out" || { diag <"$T/sync.out"; false; }; }
# unwritable TABLE WHAT QUERY: while every update of the outbox's TABLE
# fails (with a full disk's words), a sync fails and says why, and what
# QUERY reads still waits; writable again, the next sync succeeds.
unwritable() {
	outbox "CREATE TRIGGER full BEFORE UPDATE ON $1
	    BEGIN SELECT RAISE(FAIL, 'database or disk is full'); END"
	check "a sync whose $2 cannot be noted fails" fails psync
	check "and says the local copy could not be written" \
	    said "не удалось записать локальную копию (диск заполнен?)"
	check "what was to go still waits" test "$(outbox "$3")" = waiting
	outbox "DROP TRIGGER full"
	check "with the outbox writable again, the sync succeeds" psync
}

check "parta --sync pulls the library" psync
outbox "INSERT INTO fetches(sha, name, size, asked_at)
    VALUES ('$big', 'big.bin', 100000, 1)"

# --- the fetch's end is not written ------------------------------------------
unwritable fetches "fetch's end" \
    "SELECT state FROM fetches WHERE sha = '$big'"
check "the fetch is done" \
    test "$(outbox "SELECT state FROM fetches WHERE sha = '$big'")" = done
check "and the file is whole in the cache" cmp -s "$cache/files/$big" "$T/big.bin"

# --- an upload whose progress is not written --------------------------------
head -c 80000 /dev/urandom >"$T/plan.bin"
plan=$(sha256sum "$T/plan.bin" | cut -d' ' -f1)
term_start u "$P -d $cache --offline anna@school"
wait_screen u "Главное меню" >/dev/null
go u "Рубрики" i
go u "Файл \(путь к нему\)" u
term_type u "$T/plan.bin"
go u "Описание файла|Выберите рубрику" Enter
_screen_has u "Выберите рубрику" && go u "Описание файла" Enter
fill u " по дробям"
fill_text u "Поурочный план"
fill u "5-6" "дроби"
check "an upload is queued offline" \
    wait_screen u "Файл ждёт в исходящих: он уйдёт, когда будет связь"
term_kill u
unwritable uploads "upload's progress" \
    "SELECT state FROM outbox WHERE kind = 'library-file'"
check "the server made the item once" \
    test "$(db "SELECT count(*) FROM library_items WHERE sha256 = '$plan'")" = 1
check "and it left the outbox" \
    test "$(outbox "SELECT count(*) FROM outbox WHERE kind = 'library-file'")" = 0

# --- the card, when the fetch's state cannot be read -------------------------
head -c 50000 /dev/urandom >"$T/more.bin"
chmod 644 "$T/more.bin"
sysop library add math "$T/more.bin" --as boris --title "Ответы" >/dev/null
psync
outbox "ALTER TABLE fetches RENAME TO kept;
    CREATE VIEW fetches AS SELECT * FROM kept
    WHERE abs(-9223372036854775808) > 0"
term_start c "$P -d $cache --offline anna@school"
wait_screen c "Главное меню" >/dev/null
go c "Рубрики" i
go c "Математика" s
go c "Ответы" Enter
mark c "Ответы"
term_keys c Enter
check "the card says the outbox cannot be read" \
    wait_screen c "Не удаётся прочитать исходящие"
check "and offers no fetch it cannot vouch for" screen_lacks c "f скачает"
go c '^\[exit 0\]' Escape Escape Escape Escape Escape q
outbox "DROP VIEW fetches; ALTER TABLE kept RENAME TO fetches"

# --- an outbox that cannot be counted ------------------------------------------
outbox "ALTER TABLE outbox RENAME TO kept;
    CREATE VIEW outbox AS SELECT * FROM kept
    WHERE abs(-9223372036854775808) > 0"
term_start h "$P -d $cache --offline anna@school"
wait_screen h "Главное меню" >/dev/null
check "the header says the outbox is not known" wait_screen h "исх\. \?"
check "and shows no number for it" screen_lacks h "исх\. -"
go h '^\[exit 0\]' Escape Escape Escape Escape Escape q
check "parta.log says why, once for the session" \
    test "$(grep -c 'outbox: count' "$cache/parta.log")" = 1
term_start f "$P -d $cache --forget anna@school"
check "--forget asks about an outbox it cannot count" \
    wait_screen f "Не удаётся прочитать исходящие"
check "without a number of writes" screen_lacks f "исходящих -"
term_type f "no"
go f '^\[exit 0\]' Enter
check "and keeps the outbox when told no" test -s "$cache/outbox.db"

done_testing
