#!/bin/bash
# The companion client against a server that lies, played by editing
# the real partad's store (what it sends is what the store says): a
# library file named "../evil.bin" is saved into the folder she chose,
# never beside it; and a fetch takes no more than the size the library
# showed her (a server whose FILE_DATA says another size is refused,
# and nothing of it stays in the cache).
. "$(dirname "$0")/lib.sh"
trap cleanup EXIT

start_partad || exit 1
add_user anna teacher "Анна Иванова" "anna-secret"
add_user boris teacher "Борис Петров" "boris-secret"
sysop board add math "Математика" "Уроки и задачи" >/dev/null
sysop library section add math "Математика" >/dev/null
head -c 50000 /dev/urandom >"$T/big.bin"
head -c 40000 /dev/urandom >"$T/answers.bin"
chmod 644 "$T/big.bin" "$T/answers.bin"
sysop library add math "$T/big.bin" --as boris --title "Задачи" >/dev/null
sysop library add math "$T/answers.bin" --as boris --title "Ответы" >/dev/null
sha() { sha256sum "$1" | cut -d' ' -f1; }
big=$(sha "$T/big.bin") answers=$(sha "$T/answers.bin")
# What a hostile server would send: a name that climbs out (the search
# index's trigger needs partad's tokenizer: left out meanwhile).
fts=$(db "SELECT sql FROM sqlite_master WHERE name = 'library_fts_upd'")
db "BEGIN; DROP TRIGGER library_fts_upd; UPDATE library_items
    SET filename = '../evil.bin' WHERE sha256 = '$big'; $fts; COMMIT"
client_anna
outbox() { sqlite3 -cmd '.timeout 5000' "$cache/outbox.db" "$@"; }
psync() {
	"${PENV[@]}" "$B/parta" -F "$T/parta_config" -d "$cache" \
	    --sync anna@school </dev/null >"$T/sync.out" 2>&1
}
check "parta --sync pulls the library" psync
outbox "INSERT INTO fetches(sha, name, size, asked_at)
    VALUES ('$big', 'evil.bin', 50000, 0)"
check "and fetches the file asked for" psync
check "which is in the cache" test -f "$cache/files/$big"

# --- "save a copy" of a file named ../evil.bin into a folder ----------------
mkdir -p "$T/home/dl"
term_start s "$P -d $cache --offline anna@school"
wait_screen s "Главное меню" >/dev/null
go s "Задачи" i s Enter	# the library, its sections, the first
mark s "Задачи"
go s "s сохранит" Enter
term_keys s s
wait_screen s "Сохранить копию|Куда" >/dev/null
term_keys s C-u
term_type s "$T/home/dl"
term_keys s Enter
check "the copy is saved in the folder she named" \
    poll "$WAIT" cmp -s "$T/home/dl/evil.bin" "$T/big.bin"
check "and nothing is written beside that folder" test ! -e "$T/home/evil.bin"
term_kill s

# --- a fetch whose server says another size than the library -----------------
# The library showed her 1000 bytes: a server that sends 40000 lies.
outbox "INSERT INTO fetches(sha, name, size, asked_at)
    VALUES ('$answers', 'answers.bin', 1000, 0)"
psync
check "a file of another size than the library's is not fetched" \
    test ! -e "$cache/files/$answers" -a ! -e "$cache/files/$answers.part"
check "the fetch failed, saying why" test "$(outbox "SELECT state || ' ' ||
    reason FROM fetches WHERE sha = '$answers'")" = \
    "failed файл на сервере не того размера, что указан в библиотеке"

done_testing
