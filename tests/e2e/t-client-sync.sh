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
conf() {	# conf PORT: a client's ssh_config for host "school"
	cat <<EOT
Host school
	HostName 127.0.0.1
	Port $1
	UserKnownHostsFile $T/known_hosts
	IdentityFile $T/id_ed25519
EOT
}
conf "$PORT" >"$T/parta_config"
PENV=("${CLIENT_ENV[@]}" PARTA_LOCALEDIR="$PARTA_LOCALEDIR")
P="${PENV[*]} $B/parta -F $T/parta_config"
cache=$T/home/.local/share/parta/anna@127.0.0.1:$PORT
copy() { sqlite3 -cmd '.timeout 5000' "$cache/copy.db" "$@"; }
outbox() { sqlite3 -cmd '.timeout 5000' "$cache/outbox.db" "$@"; }
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
go off "Математика" b
go off "Дроби" Enter
go off "#1/1" Enter
term_keys off r
wait_screen off "\^X отправить" >/dev/null
term_type off "Через пирог: делим на равные части."
term_keys off C-x
wait_screen off "#1/2" >/dev/null
term_keys off j
check "the reply shows in the copy at once" wait_screen off "#2/2 +anna"
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

# --- sent through a link cut at one byte offset after another -------------
start_relay || exit 1
conf "$RELAY_PORT" >"$T/relay_config"
psync "$T/relay_config"	# a whole sync, to learn its size; nothing waits
total=$(json_field down 1) up=$(json_field up 1)
stop_relay
outbox "DELETE FROM outbox"
term_start off2 "$P -d $cache --offline anna@school"
wait_screen off2 "Главное меню" >/dev/null
go off2 "Математика" b
go off2 "Дроби" Enter
go off2 "#[0-9]/2" Enter
term_keys off2 r
wait_screen off2 "\^X отправить" >/dev/null
term_type off2 "Второй ответ, через плохую связь."
term_keys off2 C-x
wait_screen off2 "#[0-9]/3" >/dev/null
go off2 '^\[exit 0\]' Escape Escape Escape q
posts() { db "SELECT count(*) FROM posts WHERE body LIKE 'Второй ответ%'"; }
# Cuts of what she hears, then of what she says: the packet that
# carries the push ends near the end of the upstream bytes, and a cut
# just after it leaves the server with the reply and her without the
# answer.
faults=()
for pct in 30 40 50 60 70 80 90 95; do
	faults+=("down:cut-after:$((total * pct / 100))")
done
for ((b = up - 300; b <= up + 100; b += 25)); do faults+=("up:cut-after:$b"); done
window=0 cut=0 more=0 lied=0
for f in "${faults[@]}"; do
	start_relay --fault "$f" || exit 1
	conf "$RELAY_PORT" >"$T/relay_config"
	if psync "$T/relay_config"; then
		# The cut fell after the last frame: then all is done.
		[ "$(replies)" = 0 ] && [ "$(posts)" = 1 ] || lied=1
	else
		cut=$((cut + 1))
	fi
	stop_relay
	n=$(posts)
	[ "$n" -le 1 ] || more=1
	[ "$n" = 1 ] && [ "$(replies)" = 1 ] &&
	    window=1
done
check "a sync cut short fails (exit 1): $cut of ${#faults[@]}" test "$cut" -gt 5
check "one that succeeds despite a cut had got every answer" test "$lied" = 0
check "no cut ever made the reply twice" test "$more" = 0
check "a cut fell after the server applied it, before she heard" \
    test "$window" = 1
check "a sync on a whole link succeeds" psync "$T/parta_config"
check "the server holds the reply exactly once" test "$(posts)" = 1
check "the outbox is empty" test "$(outbox "SELECT count(*) FROM outbox")" = 0
check "the copy holds it once, under the server's id" \
    test "$(copy "SELECT id FROM posts WHERE body LIKE 'Второй ответ%'")" = \
    "$(db "SELECT id FROM posts WHERE body LIKE 'Второй ответ%'")"

# --- a reply to a thread locked meanwhile is refused, and kept -------------
term_start off3 "$P -d $cache --offline anna@school"
wait_screen off3 "Главное меню" >/dev/null
go off3 "Математика" b
go off3 "Дроби" Enter
go off3 "#[0-9]/3" Enter
term_keys off3 r
wait_screen off3 "\^X отправить" >/dev/null
term_type off3 "Ответ в закрытую тему."
term_keys off3 C-x
check "a third reply goes into the copy" wait_screen off3 "#[0-9]/4"
go off3 '^\[exit 0\]' Escape Escape Escape q
db "UPDATE threads SET locked = 1"
check "the sync that carries it still succeeds" psync "$T/parta_config"
check "and counts the refusal" grep -q "отклонено: 1" "$T/sync.out"
check "the server does not have it" test \
    "$(db "SELECT count(*) FROM posts WHERE body LIKE 'Ответ в закрытую%'")" = 0
check "the outbox keeps it, refused" \
    test "$(outbox "SELECT state FROM outbox WHERE kind = 'reply'")" = refused
term_start off4 "$P -d $cache --offline anna@school"
wait_screen off4 "Главное меню" >/dev/null
term_keys off4 o
check "the outbox screen shows it refused, with the reason" \
    wait_screen off4 "отклонено +.*закрыт"
term_keys off4 Enter
check "and shows what she wrote" wait_screen off4 "Ответ в закрытую тему"
go off4 "s снова" Escape
term_keys off4 s
waits() { [ "$(outbox "SELECT state FROM outbox WHERE kind = 'reply'")" = waiting ]; }
check "s there sends it again: it waits" poll 50 waits
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

# --- a KOI8-R terminal: the pump in the client converts both ways ----------
koi() {	# koi NAME [PARTA OPTIONS]: the client under luit -encoding KOI8-R
	local name=$1; shift
	term_start "$name" "${CLIENT_ENV[*]} luit -encoding KOI8-R -- env \
	    LANG=ru_RU.KOI8-R PARTA_LOCALEDIR=$PARTA_LOCALEDIR $B/parta \
	    -F $T/parta_config -d $cache $* --offline anna@school"
}
koi k1
check "under a KOI8-R terminal the screens are readable" \
    wait_screen k1 "Главное меню"
term_keys k1 f
wait_screen k1 "Что искать" >/dev/null
term_type k1 "дроби"
term_keys k1 Enter
check "and Cyrillic typed there is searched for as typed" \
    wait_screen k1 "Поиск: найдено [1-9]"
go k1 '^\[exit 0\]' Escape Escape Escape q
koi k2 -e UTF-8
wait_screen k2 "Esc|Enter" >/dev/null
screen_lacks k2 "Главное меню" && ok "-e UTF-8 there sends UTF-8: unreadable" ||
    not_ok "-e UTF-8 there sends UTF-8: unreadable"
term_kill k2

# --- online: the screens, and the syncer beside them ----------------------
term_start on "$P -d $cache anna@school"
check "online, the screens open" wait_screen on "Главное меню"
check "the syncer beside them gets online" \
    poll 150 grep -q '^0 ' "$cache/status"
go on "Математика" b
check "and the header says so" wait_screen on "на связи [0-9]{2}:[0-9]{2}"
go on "Дроби" Enter
console_post math vera "Проценты" "Как объяснить проценты?"
check "a thread posted on the server arrives by itself" \
    wait_screen on "Проценты" 150
go on '^\[exit 0\]' Escape Escape q

# --- a changed host key, with a copy already there -------------------------
cp "$T/known_hosts" "$T/known_hosts.good"
ssh-keygen -q -t ed25519 -N '' -f "$T/other_key"
printf '[127.0.0.1]:%s %s\n' "$PORT" "$(cut -d' ' -f1,2 "$T/other_key.pub")" \
    >"$T/known_hosts"
term_start bad "$P -d $cache anna@school"
check "the copy opens at once all the same" wait_screen bad "Главное меню"
poll 100 grep -q '^2 ' "$cache/status"
go bad "Математика" b
check "the header says the login was refused" wait_screen bad "вход отклонён"
check "parta.log says why" grep -q "КЛЮЧ СЕРВЕРА ИЗМЕНИЛСЯ" "$cache/parta.log"
go bad '^\[exit 0\]' Escape q
check "known_hosts is left alone" \
    grep -q "$(cut -d' ' -f2 "$T/other_key.pub")" "$T/known_hosts"

done_testing
