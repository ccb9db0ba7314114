#!/bin/bash
# The companion client's library files and poll totals against the real
# partad: a file asked for offline on the library card is fetched by the
# next sync; a fetch cut by the relay mid-file goes on from the bytes in
# the cache and the file equals the server's; a damaged partial file is
# caught by the whole file's digest, deleted and said so on the card;
# the fetched file opens with her program and is saved where she says;
# online through a slow link the header shows the fetch's bar; an
# upload made offline reaches the library once, pending approval,
# despite cuts during its send; one over her quota stays in the outbox
# with the server's reason; a poll's totals reach the copy; --forget
# takes the fetched files and keeps the outbox's.
. "$(dirname "$0")/lib.sh"
trap 'stop_relay; cleanup' EXIT
RELAY_PID=

start_partad || exit 1
add_user anna teacher "Анна Иванова" "anna-secret"
add_user boris teacher "Борис Петров" "boris-secret"
add_user vera teacher "Вера Сидорова" "vera-secret"
sysop board add math "Математика" "Уроки и задачи" >/dev/null
sysop library section add math "Математика" >/dev/null
sysop library section add plans "Планы уроков" --approval >/dev/null
head -c 300000 /dev/urandom >"$T/big.bin"
head -c 200000 /dev/urandom >"$T/answers.bin"
head -c 200000 /dev/urandom >"$T/video.bin"
chmod 644 "$T/big.bin" "$T/answers.bin" "$T/video.bin"
sysop library add math "$T/big.bin" --as boris --title "Задачи" >/dev/null
sysop library add math "$T/answers.bin" --as boris --title "Ответы" >/dev/null
sysop library add math "$T/video.bin" --as boris --title "Видеоурок" >/dev/null
sha() { sha256sum "$1" | cut -d' ' -f1; }
big=$(sha "$T/big.bin") answers=$(sha "$T/answers.bin")
make_key
sysop user key add anna "$T/id_ed25519.pub" >/dev/null
conf() { parta_conf "$1" "IdentityFile $T/id_ed25519"; }
conf "$PORT" >"$T/parta_config"
mkdir -p "$T/opened"
printf '#!/bin/sh\ncp "$1" %s/opened/\n' "$T" >"$T/open.sh"
chmod 755 "$T/open.sh"
PENV=("${CLIENT_ENV[@]}" PARTA_LOCALEDIR="$PARTA_LOCALEDIR"
    PARTA_OPEN="$T/open.sh")
P="${PENV[*]} $B/parta -F $T/parta_config"
cache=$T/home/.local/share/parta/anna@127.0.0.1:$PORT
outbox() { sqlite3 -cmd '.timeout 5000' "$cache/outbox.db" "$@"; }
psync() {	# psync CONFIG: parta --sync, no terminal
	"${PENV[@]}" "$B/parta" -F "$1" -d "$cache" --sync anna@school \
	    </dev/null >"$T/sync.out" 2>&1
}
relay_sync() {	# relay_sync [RELAY OPTIONS]: one sync through the relay
	local rc
	start_relay "$@" || exit 1
	conf "$RELAY_PORT" >"$T/relay_config"
	psync "$T/relay_config"
	rc=$?
	stop_relay
	return $rc
}
offline() {	# offline NAME [PATTERN]: the client's screens, never
	# connecting, at the main menu (or what PATTERN matches)
	term_start "$1" "$P -d $cache --offline anna@school"
	wait_screen "$1" "${2:-Главное меню}" >/dev/null
}
card() {	# card NAME TITLE: from the main menu, the card of item TITLE
	go "$1" "Рубрики" i
	go "$1" "Математика" s
	go "$1" "$2" Enter
	mark "$1" "$2"
	go "$1" "Скачать|скачан|f скачает" Enter
}
quit() { go "$1" '^\[exit 0\]' Escape Escape Escape Escape Escape q; }
upload() {	# upload NAME FILE [SECTION]: offline, from the library menu,
	# "Upload a file from this computer" with FILE into SECTION (the
	# first), up to the description's form
	offline "$1"
	go "$1" "Рубрики" i
	term_screen "$1" >"$T/menu.txt"
	go "$1" "Файл \(путь к нему\)" u
	term_type "$1" "$2"
	go "$1" "Выберите рубрику" Enter
	[ -z "${3:-}" ] || mark "$1" "$3"
	go "$1" "Описание файла" Enter
}

check "parta --sync pulls the library" psync "$T/parta_config"

# --- a fetch asked for offline, cut mid-file, resumed ---------------------------
offline f
card f "Задачи"
check "the card says the file is not here, and how to fetch it" \
    wait_screen f "f скачает файл \(29[0-9] КБ\) на этот компьютер"
term_keys f f
check "f asks for it; offline it waits for the link" \
    wait_screen f "Файл скачается, когда вернётся связь"
term_keys f Enter
check "the card says so" wait_screen f "Ждёт связи"
quit f
check "nothing is fetched in the screens' process" \
    test ! -e "$cache/files/$big"

fails() { ! "$@"; }
check "a sync cut mid-file fails" \
    fails relay_sync --fault "down:cut-after:150000"
part=$(stat -c %s "$cache/files/$big.part" 2>/dev/null || echo 0)
check "the bytes before the cut are kept in the cache ($part)" \
    test "$part" -gt 0 -a "$part" -lt 300000
check "not under the file's name" test ! -e "$cache/files/$big"
check "the next sync fetches the rest" relay_sync
down=$(json_field down)
check "only the rest: $down bytes came, for a file of 300000" \
    test "$down" -lt $((300000 - part + 60000))
check "the fetched file equals the server's" \
    test "$(sha "$cache/files/$big")" = "$big"

offline f2
card f2 "Задачи"
check "the card says it is here" wait_screen f2 "o откроет его, s сохранит"
term_keys f2 o
check "o asks once for the program, offering \$PARTA_OPEN" \
    wait_screen f2 "Программа .*/open.sh"
term_keys f2 Enter
check "and opens the file with it" poll "$WAIT" test -f "$T/opened/$big"
check "the very file" cmp -s "$T/opened/$big" "$T/big.bin"
check "the program is kept in the settings" \
    grep -qx "open=$T/open.sh" "$cache/settings"
term_keys f2 s
check "s asks where, offering her home" \
    wait_screen f2 "$T/home/big.bin"
term_keys f2 Enter
check "and saves a copy there" poll "$WAIT" cmp -s "$T/home/big.bin" "$T/big.bin"
quit f2

# --- online, through a slow link: the fetch at once, its progress ---------------
start_relay -r 400k || exit 1
conf "$RELAY_PORT" >"$T/relay_config"
term_start on "${PENV[*]} $B/parta -F $T/relay_config -d $cache anna@school"
wait_screen on "Главное меню" >/dev/null
poll "$WAIT" grep -q '^0 ' "$cache/status"
card on "Видеоурок"
term_keys on f
check "online, the fetch starts at once" \
    wait_screen on "Файл скачивается: в заголовке видно"
check "and the header shows a bar, the bytes and the time left" \
    wait_screen on "вх \[[#.]{5}\] [0-9.]+[КМ]/[0-9.]+[КМ] [0-9-]+:[0-9-]{2}$" 150
check "the file arrives" poll 300 test -f "$cache/files/$(sha "$T/video.bin")"
check "then the header shows the link again" wait_screen on "на связи" 100
quit on
stop_relay

# --- a damaged partial file ---------------------------------------------------------
offline d
card d "Ответы"
go d "Файл скачается" f
quit d
head -c 65536 /dev/urandom >"$cache/files/$answers.part"
psync "$T/parta_config"
check "a partial file damaged in the cache is caught at the end" \
    test ! -e "$cache/files/$answers" -a ! -e "$cache/files/$answers.part"
check "and the fetch is marked failed, with why" test "$(outbox \
    "SELECT state FROM fetches WHERE sha = '$answers'")" = failed
offline d2
card d2 "Ответы"
check "the card says it did not match and was deleted" \
    wait_screen d2 "Скачать не удалось: скачанный файл не совпал"
term_keys d2 f Enter
quit d2
check "fetched again, it comes whole" psync "$T/parta_config"
check "and equals the server's" cmp -s "$cache/files/$answers" "$T/answers.bin"

# --- an upload made offline, cut during its send --------------------------------------
head -c 250000 /dev/urandom >"$T/plan.bin"
plan=$(sha "$T/plan.bin")
upload u "$T/plan.bin" "Планы уроков"
check "the library menu offers an upload from her computer" \
    grep -q "Загрузить файл с этого компьютера" "$T/menu.txt"
fill u " по дробям"
fill_text u "Поурочный план"
fill u "5-6" "дроби"
check "the form is the BBS's, and the item is queued" \
    wait_screen u "Файл ждёт в исходящих: он уйдёт, когда будет связь"
term_keys u Enter Escape Escape
go u "Главное меню" Escape
term_keys u o
check "the outbox shows it waiting, with what was sent" \
    wait_screen u "ждёт +plan.bin, отправлено 0%"
quit u
check "the server has nothing of it yet" \
    test "$(db "SELECT count(*) FROM library_items WHERE sha256 = '$plan'")" = 0
# Each sync is cut after 60000 bytes up: each goes on from what the
# server holds, until one gets through.
up_cuts=0
for i in $(seq 8); do
	relay_sync --fault "up:cut-after:60000" && break
	up_cuts=$((up_cuts + 1))
done
check "syncs cut during the send fail ($up_cuts), each a step further" \
    test "$up_cuts" -ge 3
check "a sync on a whole link succeeds" psync "$T/parta_config"
check "the item is in the library exactly once" \
    test "$(db "SELECT count(*) FROM library_items WHERE sha256 = '$plan'")" = 1
check "hers, with her description, pending approval as any upload" \
    test "$(db "SELECT count(*) FROM library_items i JOIN users u
        ON u.id = i.uploader_id WHERE i.sha256 = '$plan' AND u.login = 'anna'
        AND i.title = 'plan по дробям' AND i.approved_at IS NULL")" = 1
check "its file is the one she named" \
    cmp -s "$D/files/$plan" "$T/plan.bin"
check "the outbox is empty again" \
    test "$(outbox "SELECT count(*) FROM outbox")" = 0
check "and so is its copy of the file" \
    test -z "$(ls -A "$cache/uploads")"

# A small upload, and syncs cut at one offset after another around
# where its PUSH and the answer go.
relay_sync
base=$(json_field up)
head -c 3000 /dev/urandom >"$T/note.bin"
note=$(sha "$T/note.bin")
upload u2 "$T/note.bin"
fill u2 ""
fill_text u2 "Записка"
fill u2 "5" ""
wait_screen u2 "ждёт в исходящих" >/dev/null
quit u2
for at in $(seq $((base + 500)) 300 $((base + 4400))); do
	relay_sync --fault "up:cut-after:$at"
done
psync "$T/parta_config"
check "cut anywhere around its PUSH, the item is made exactly once" \
    test "$(db "SELECT count(*) FROM library_items WHERE sha256 = '$note'")" = 1

# --- an upload over her quota ------------------------------------------------------
sysop library quota anna 300K >/dev/null
head -c 200000 /dev/urandom >"$T/more.bin"
upload q "$T/more.bin"
fill q ""
fill_text q "Ещё задачи"
fill q "7" ""
wait_screen q "ждёт в исходящих" >/dev/null
quit q
psync "$T/parta_config"
check "the sync says it was refused" grep -q "отклонены 1" "$T/sync.out"
check "nothing of it is on the server" \
    test "$(db "SELECT count(*) FROM library_items WHERE filename = 'more.bin'")" = 0
offline q2
term_keys q2 o
check "the outbox shows it refused, with the server's reason" \
    wait_screen q2 "отклон.* Квота исчерпана"
quit q2

# --- a poll's totals ---------------------------------------------------------------
year=$(($(date +%Y) + 1))
printf 'Да\nНет\n' | sysop poll add math --question "Идём в поход?" \
    --closes "$year-05-01" >/dev/null
poll_uuid=$(db "SELECT uuid FROM polls")
vote() {	# vote LOGIN CHOICE: through parta-sync, as another client
	"$B/tests/parta-syncdrv" -p "$PORT" -l "$1" -w "$1-secret" \
	    push poll-vote "$(cat /proc/sys/kernel/random/uuid)" \
	    poll="$poll_uuid" choice="$2" >/dev/null
}
vote boris 1
vote vera 1
psync "$T/parta_config"
offline v "Открытые опросы ждут вашего голоса: 1"	# since her last visit
go v "Главное меню" Enter
go v "Математика" b
go v "Идём в поход" Enter o
go v "2\. Нет" Enter
term_keys v 2
check "her vote in the client counts at once" wait_screen v "Ваш голос учтён"
quit v
check "the sync sends it" psync "$T/parta_config"
offline v2
go v2 "Математика" b
go v2 "Идём в поход" Enter o
term_keys v2 Enter
check "the poll in the client shows the server's totals: 3 voters" \
    wait_screen v2 "Проголосовали: 3"
check "two for Да" wait_screen v2 "#+ +2 \(66%\)"
check "one for Нет, hers" wait_screen v2 "#+ +1 \(33%\)"
quit v2

# --- forgetting the copy --------------------------------------------------------
"${PENV[@]}" "$B/parta" -F "$T/parta_config" -d "$cache" --forget anna@school \
    </dev/null >/dev/null 2>&1
check "--forget deletes the files fetched with the copy" \
    test ! -e "$cache/files" -a ! -e "$cache/copy.db"
check "and keeps the outbox with the refused upload's file" \
    test -s "$cache/outbox.db" -a -n "$(ls -A "$cache/uploads")"

done_testing
