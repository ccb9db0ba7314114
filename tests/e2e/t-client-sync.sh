#!/bin/bash
# The companion client against the real partad: --sync pulls a board
# into the local copy; a reply written with --offline waits in the
# outbox and reaches the server exactly once, even when the relay cuts
# the link at one byte offset after another during the send; a reply
# to a thread the server has locked meanwhile is refused and kept, with
# its reason, on the outbox screen; the screens online show what the
# background syncer fetches.
. "$(dirname "$0")/lib.sh"
trap 'stop_relay; cleanup' EXIT
RELAY_PID=

start_partad || exit 1
add_user anna teacher "Анна Иванова" "anna-secret-1"
add_user vera coordinator "Вера Сидорова" "vera-secret-1"
sysop board add math "Математика" "Уроки и задачи" >/dev/null
console_post math vera "Дроби" "Как объяснить дроби в пятом классе?"
make_key
sysop user key add anna "$T/id_ed25519.pub" >/dev/null
conf() { parta_conf "$1" "IdentityFile $T/id_ed25519"; }
conf "$PORT" >"$T/parta_config"
PENV=("${CLIENT_ENV[@]}" PARTA_LOCALEDIR="$PARTA_LOCALEDIR")
P="${PENV[*]} $B/parta -F $T/parta_config"
cache=$T/home/.local/share/parta/anna@127.0.0.1:$PORT
copy() { sqlite3 -cmd '.timeout 5000' "$cache/copy.db" "$@"; }
outbox() { sqlite3 -cmd '.timeout 5000' "$cache/outbox.db" "$@"; }
offline() {	# offline NAME: parta --offline in a new terminal, at its
	# main menu
	term_start "$1" "$P -d $cache --offline anna@school"
	wait_screen "$1" "Главное меню" >/dev/null
}
offline_reply() {	# offline_reply NAME TEXT: parta --offline in a new
	# terminal, TEXT sent as a reply to the thread "Дроби"
	offline "$1"
	first_board "$1" "w новая тема"	# "Дроби" may be further down
	mark "$1" "Дроби"
	go "$1" "#[0-9]+/[0-9]+" Enter
	write_reply "$1" "$2"
}
psync() {	# psync CONFIG: parta --sync, no terminal (as from cron)
	"${PENV[@]}" "$B/parta" -F "$1" -d "$cache" --sync anna@school \
	    </dev/null >"$T/sync.out" 2>&1
}

check "parta --sync pulls from a server it knows, with a key" \
    psync "$T/parta_config"
check "and says what it did" grep -q "получено строк" "$T/sync.out"
check "the copy holds the board" \
    test "$(copy "SELECT title FROM boards")" = "Математика"
check "and its thread" test "$(copy "SELECT subject FROM threads")" = "Дроби"
check "with the server's row ids" test "$(copy "SELECT id FROM posts")" = \
    "$(db "SELECT id FROM posts")"
check "the cache directory is 0700" test "$(stat -c %a "$cache")" = 700

# --- a reply written offline --------------------------------------------
term_start off "$P -d $cache --offline anna@school"
check "--offline opens the screens over the copy" wait_screen off "Главное меню"
check "the header says offline, and the outbox" \
    wait_screen off "офлайн с [0-9]{2}:[0-9]{2}, исх. 0"
first_board off "Дроби"
go off "#1/1" Enter
write_reply off "Через пирог: делим на равные части."
check "the reply shows in the copy at once, where she lands" \
    wait_screen off "#2/2 +Анна Иванова \(anna\)"
term_keys off Escape Escape Escape
check "the outbox counts it" wait_screen off "исх. [1-9]"
term_keys off o
check "the outbox screen lists it, waiting" wait_screen off "ждёт +Через пирог"
go off "Главное меню" Escape
go off '^\[exit 0\]' q
check "the server has not got it" \
    test "$(db "SELECT count(*) FROM posts WHERE body LIKE 'Через пирог%'")" = 0
replies() { outbox "SELECT count(*) FROM outbox WHERE kind = 'reply'"; }
check "the outbox file holds it" test "$(replies)" = 1

# --- syncs and sends through a link cut at 20 random byte offsets each -----
# A cut during a pull: each time a long new thread waits on the server.
# A cut during a send: each time a new reply waits in the outbox.  Then
# one whole sync: the copy holds what the server shows her, and every
# reply is on the server exactly once.
start_relay || exit 1
conf "$RELAY_PORT" >"$T/relay_config"
lesson=$(printf 'Длинный конспект урока о дробях и процентах. %.0s' $(seq 80))
console_post math vera "Урок 0" "$lesson"
psync "$T/relay_config"	# a whole sync, to learn its size
total=$(json_field down 1) up=$(json_field up 1)
stop_relay
outbox "DELETE FROM outbox"
cuts() {	# cuts DIRECTION FROM SPAN PREPARE: 20 syncs, each cut at FROM
	# + a random offset below SPAN after PREPARE N; counts in cut, lied
	local i at
	for i in $(seq 20); do
		at=$(($2 + RANDOM % $3))
		offsets="$offsets $1:$at"
		"$4" "$i"
		start_relay --fault "$1:cut-after:$at" || exit 1
		conf "$RELAY_PORT" >"$T/relay_config"
		if psync "$T/relay_config"; then
			# The cut fell after the last frame: then all is done.
			[ "$(replies)" = 0 ] || lied=1
		else
			cut=$((cut + 1))
		fi
		stop_relay
	done
}
new_lesson() { console_post math vera "Урок $1" "$lesson"; }
queued() { [ "$(replies)" -ge 1 ]; }
new_reply() {
	offline_reply "r$1" "Ответ номер $1 через плохую связь."
	poll "$WAIT" queued
	go "r$1" '^\[exit 0\]' Escape Escape Escape q
}
# The packet that carries the push ends near the end of the upstream
# bytes: the window where the server has a reply and she has not heard.
offsets= cut=0 lied=0
cuts down 0 "$total" new_lesson
cuts up $((up - 300)) 500 new_reply
echo "# cut at$offsets"
check "a sync cut short fails (exit 1): $cut of 40" test "$cut" -gt 10
check "one that succeeds despite a cut had got every answer" test "$lied" = 0
check "a sync on a whole link succeeds" psync "$T/parta_config"
once() {	# once: each of the 20 replies is on the server exactly once
	[ "$(db "SELECT count(DISTINCT body) || ' ' || count(*) FROM posts
	    WHERE body LIKE 'Ответ номер %'")" = "20 20" ]
}
check "each of the 20 replies is on the server exactly once" once
check "the outbox is empty" test "$(outbox "SELECT count(*) FROM outbox")" = 0
view() {	# view SQLITE: the posts and threads she may see, as rows
	"$@" "SELECT p.id, p.uuid, p.thread_id, p.body FROM posts p
	    ORDER BY p.id; SELECT id, uuid, subject FROM threads ORDER BY id"
}
check "the copy equals the server's view, ids and all" \
    test "$(view copy | md5sum)" = "$(view db | md5sum)"

# --- a reply to a thread locked meanwhile is refused, and kept -------------
offline_reply off3 "Ответ в закрытую тему."
check "a third reply goes into the copy and the outbox" poll "$WAIT" queued
go off3 '^\[exit 0\]' Escape Escape Escape q
db "UPDATE threads SET locked = 1"
check "the sync that carries it still succeeds" psync "$T/parta_config"
# (Her read pointer on that reply is refused too, and dropped.)
check "and keeps the refusal in the outbox" grep -q "отклонены 1" "$T/sync.out"
check "the server does not have it" test \
    "$(db "SELECT count(*) FROM posts WHERE body LIKE 'Ответ в закрытую%'")" = 0
check "the outbox keeps it, refused" \
    test "$(outbox "SELECT state FROM outbox WHERE kind = 'reply'")" = refused
offline off4
term_keys off4 o
check "the outbox screen shows it refused, with the reason" \
    wait_screen off4 "отклонено +.*закрыт"
term_keys off4 Enter
check "and shows what she wrote" wait_screen off4 "Ответ в закрытую тему"
go off4 "s снова" Escape
term_keys off4 s
waits() { [ "$(outbox "SELECT state FROM outbox WHERE kind = 'reply'")" = waiting ]; }
check "s there sends it again: it waits" poll "$WAIT" waits
check "the screen says so" wait_screen off4 "ждёт +Ответ в закрытую"
go off4 '^\[exit 0\]' Escape Escape Escape q

# --- a damaged copy: forgotten and fetched again, the outbox kept ----------
retried=$(outbox "SELECT uuid FROM outbox WHERE kind = 'reply'")
db "UPDATE threads SET locked = 0"
head -c 4096 /dev/urandom >"$cache/copy.db"; rm -f "$cache/copy.db-wal" "$cache/copy.db-shm"
psync "$T/parta_config"; rc=$?
check "a damaged copy fails the sync (exit 1)" test "$rc" = 1
check "and says how to mend it" grep -q "parta --forget" "$T/sync.out"
"${PENV[@]}" "$B/parta" -F "$T/parta_config" -d "$cache" --forget \
    anna@school </dev/null >/dev/null 2>&1
check "--forget keeps the outbox with the write in it" \
    test "$(outbox "SELECT uuid FROM outbox WHERE kind = 'reply'")" = "$retried"
check "the next sync fetches the copy again" psync "$T/parta_config"
check "and sends what waited: the server has it now" test \
    "$(db "SELECT count(*) FROM posts WHERE body LIKE 'Ответ в закрытую%'")" = 1
check "in the copy too, once" test \
    "$(copy "SELECT count(*) FROM posts WHERE body LIKE 'Ответ в закрытую%'")" = 1

# --- KOI8-R and CP866 terminals: the pump in the client converts both ways -
lterm() {	# lterm NAME ENCODING [PARTA OPTIONS]: the client under luit
	local name=$1 enc=$2; shift 2
	term_start "$name" "${CLIENT_ENV[*]} luit -encoding $enc -- env \
	    LANG=ru_RU.$enc PARTA_LOCALEDIR=$PARTA_LOCALEDIR $B/parta \
	    -F $T/parta_config -d $cache $* --offline anna@school"
}
for enc in KOI8-R CP866; do
	lterm "k$enc" "$enc"
	check "under a $enc terminal the screens are readable" \
	    wait_screen "k$enc" "Главное меню"
	term_keys "k$enc" f
	wait_screen "k$enc" "Что искать" >/dev/null
	term_type "k$enc" "дроби"
	term_keys "k$enc" Enter
	check "and Cyrillic typed there is searched for as typed" \
	    wait_screen "k$enc" "Поиск: найдено [1-9]"
	go "k$enc" '^\[exit 0\]' Escape Escape Escape q
done
lterm k2 KOI8-R -e UTF-8
wait_screen k2 "Esc|Enter" >/dev/null
screen_lacks k2 "Главное меню" && ok "-e UTF-8 there sends UTF-8: unreadable" ||
    not_ok "-e UTF-8 there sends UTF-8: unreadable"
term_kill k2

# --- online: the screens, and the syncer beside them ----------------------
term_start on "$P -d $cache anna@school"
check "online, the screens open" wait_screen on "Главное меню"
check "the syncer beside them gets online" \
    poll "$WAIT" grep -q '^0 ' "$cache/status"
go on "Математика" b
check "and the header says so" wait_screen on "на связи [0-9]{2}:[0-9]{2}"
go on "Дроби" Enter
console_post math vera "Проценты" "Как объяснить проценты?"
check "a thread posted on the server arrives by itself" \
    wait_screen on "Проценты" 150
go on '^\[exit 0\]' Escape Escape q

# --- a refused write given up: deleted, after a question ------------------
db "UPDATE threads SET locked = 1"
offline_reply off5 "Ответ, от которого она откажется."
poll "$WAIT" queued
go off5 '^\[exit 0\]' Escape Escape Escape q
psync "$T/parta_config"
check "refused, it waits to be mended" test \
    "$(outbox "SELECT state FROM outbox WHERE kind = 'reply'")" = refused
offline off6
go off6 "отклонено +.*закрыт" o
check "the outbox screen offers to delete it" wait_screen off6 "d удалить"
term_keys off6 d
check "asking first" wait_screen off6 "Удалить эту запись\? Сервер её никогда"
term_keys off6 n
check "no keeps it" wait_screen off6 "отклонено +.*закрыт"
check "in its file too" test "$(outbox "SELECT count(*) FROM outbox WHERE kind = 'reply'")" = 1
term_keys off6 d
wait_screen off6 "Удалить эту запись" >/dev/null
term_keys off6 y
check "yes deletes it: the outbox is empty" wait_screen off6 "Исходящих нет"
check "and so is its file" test "$(outbox "SELECT count(*) FROM outbox")" = 0
go off6 '^\[exit 0\]' Escape Escape Escape q

# --- a refused write mended in the editor, and sent -----------------------
db "UPDATE threads SET locked = 0"
psync "$T/parta_config"	# the copy learns the thread is open again
offline_reply off7 "Ответ, который она исправит."
poll "$WAIT" queued
go off7 '^\[exit 0\]' Escape Escape Escape q
db "UPDATE threads SET locked = 1"
psync "$T/parta_config"
offline off8
go off8 "отклонено +.*закрыт" o
term_keys off8 e
check "e opens the editor over it, with the server's reason" \
    wait_screen off8 "Отклонено: .*закрыт"
check "and her text" wait_screen off8 "Ответ, который она исправит"
term_type off8 "Исправлено. "
term_keys off8 C-x
check "sent from the editor, it is mended" \
    wait_screen off8 "Исправлено: уйдёт на сервер"
mended() { [ "$(outbox "SELECT state || (instr(frame, CAST('Исправлено. '
    AS BLOB)) > 0) FROM outbox WHERE kind = 'reply'")" = waiting1 ]; }
check "it waits again, with the new text" mended
go off8 '^\[exit 0\]' Escape Escape Escape q
db "UPDATE threads SET locked = 0"
check "the next sync sends it" psync "$T/parta_config"
check "the server has the mended text, once" test "$(db "SELECT count(*)
    FROM posts WHERE body LIKE '%Исправлено. %'")" = 1
check "the outbox is empty again" test "$(outbox "SELECT count(*) FROM outbox")" = 0

# --- a new thread written offline ---------------------------------------
# (thread-new may name an author, which only the console does: the
# client refused every such request, so no new thread ever left it.)
offline nt
first_board nt "w новая тема"
new_thread nt "Тема без связи"
term_type nt "Текст новой темы, написанный без связи."
term_keys nt C-x
threads_waiting() {
	test "$(outbox "SELECT count(*) FROM outbox WHERE kind = 'thread-new'")" = 1
}
check "a new thread written offline waits in the outbox" \
    poll "$WAIT" threads_waiting
term_kill nt
check "the sync sends it" psync "$T/parta_config"
check "the server has the thread, once" \
    test "$(db "SELECT count(*) FROM threads WHERE subject = 'Тема без связи'")" = 1
check "the outbox is empty after it" \
    test "$(outbox "SELECT count(*) FROM outbox")" = 0

# --- a changed host key, with a copy already there -------------------------
cp "$T/known_hosts" "$T/known_hosts.good"
ssh-keygen -q -t ed25519 -N '' -f "$T/other_key"
printf '[127.0.0.1]:%s %s\n' "$PORT" "$(cut -d' ' -f1,2 "$T/other_key.pub")" \
    >"$T/known_hosts"
term_start bad "$P -d $cache anna@school"
check "the copy opens at once all the same" wait_screen bad "Главное меню"
poll "$WAIT" grep -q '^2 ' "$cache/status"
go bad "Математика" b
check "the header says the login was refused" wait_screen bad "вход отклонён"
check "parta.log says why" grep -q "КЛЮЧ СЕРВЕРА ИЗМЕНИЛСЯ" "$cache/parta.log"
go bad '^\[exit 0\]' Escape q
check "known_hosts is left alone" \
    grep -q "$(cut -d' ' -f2 "$T/other_key.pub")" "$T/known_hosts"

done_testing
