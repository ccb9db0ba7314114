#!/bin/bash
# Names, words and dates as teachers read them (issue 15): thread lists
# and the search show authors by name; one word per thing (boards are
# "Раздел" in the search form too, library sections are "Рубрика"); days
# as DD.MM.YYYY, and date fields take DD.MM.YYYY as well as YYYY-MM-DD;
# the library among the main items, and at 40x15 the main menu scrolls
# instead of cutting items off; "make run" names the host it tells users
# to connect to in the library card's sftp and scp lines.
. "$(dirname "$0")/lib.sh"

start_partad || exit 1
add_user anna teacher "Анна Иванова" "anna-secret-1"
add_user gari teacher "Гульнара Гарипова" "gari-secret-1"
sysop board add math "Математика" >/dev/null
console_post math gari "Дроби в пятом классе" "Как объяснять дроби?"
sysop library section add docs "Документы" >/dev/null
today=$(date +%d.%m.%Y)

login_menu a anna anna-secret-1
# --- the main menu: the library among the main items ------------------
check "the library comes right after mail, among the main items" \
    [ "$(term_screen a | grep -oE '^ .? ([bnmiafq])  ' | tr -d ' >' | head -5 | tr -d '\n')" = bnmia ]

# --- authors by name ---------------------------------------------------
go a "Математика" b
go a "Дроби в пятом классе" Enter
check "the thread list shows its author's name, not her login" \
    wait_screen a "Дроби в пятом классе +Гульнара Га…"
check "... and a date as DD.MM" wait_screen a "${today:0:5} [0-9]{2}:[0-9]{2}"
go a "#1/1" Enter
check "the post names her, then the login to write to" \
    wait_screen a "#1/1 +Гульнара Гарипова \(gari\)  $today [0-9]{2}:[0-9]{2}"
go a "Главное меню" Escape Escape Escape

# --- the search form: one word, dates as DD.MM.YYYY ---------------------
term_keys a f
check "the search form calls a board \"Раздел\"" \
    wait_screen a "Раздел \(необязательно\)"
check "not \"Конференция\"" screen_lacks a "Конференция"
check "its date fields ask for DD.MM.YYYY" \
    wait_screen a "С даты \(ДД\.ММ\.ГГГГ\)"
search a "дроби" "" "" "01.09.2020" "$today"
check "a search from 01.09.2020 to today (DD.MM.YYYY) finds the post" \
    wait_screen a "Поиск: найдено 1"
check "the hit's date is DD.MM.YYYY" \
    wait_screen a "Гульнара Гар.* $today"
go a "Что искать" Escape
search a "дроби" "" "" "2020-09-01"
check "YYYY-MM-DD is taken too" wait_screen a "Поиск: найдено 1"
go a "Что искать" Escape
search a "дроби" "" "" "31.02.2024"
check "a day that does not exist is explained in DD.MM.YYYY" \
    wait_screen a "дата пишется как ДД\.ММ\.ГГГГ, например 01\.09\.2024"
go a "Главное меню" Escape

# --- library sections are "Рубрика" ------------------------------------
wait_screen a "Главное меню" >/dev/null
term_keys a i
check "the library's sections are \"Рубрики\"" wait_screen a "Рубрики"
go a "Главное меню" Escape
go a '\[exit 0\]' q

# --- 40x15: the main menu scrolls -------------------------------------
term_start s "$(ssh_cmd anna -o PubkeyAuthentication=no)" 40 15
wait_screen s "password:" >/dev/null
fill s anna-secret-1
check "40x15: the main menu opens" wait_screen s "Главное меню"
check "40x15: more items below are marked" wait_screen s "^v"
term_keys s Up
check "40x15: Up from the first item shows the last, \"Выход\"" \
    wait_screen s "^ > q  Выход"
check "40x15: the menu scrolled, marked above" wait_screen s "^\^"
term_keys s Down
check "40x15: Down from the last comes back to the top" \
    wait_screen s "^ > b  Разделы"
go s '\[exit 0\]' q

# --- make run: the card's command names the host it says to use --------
stop_partad
term_kill_all
DEMO=$T/demo
PORT=$(free_port)
mkdir -p "$DEMO"
[ -n "$PARTAD_USER" ] && chown "$PARTAD_USER" "$DEMO"
PARTA_PORT=$PORT sh "$TOP/share/demo.sh" "$B" "$DEMO" >"$T/demo.log" 2>&1 &
DEMO_PID=$!
check "make run starts" poll 300 grep -q 'listening on' "$T/demo.log"
check "make run tells users to connect to localhost" \
    grep -q "ssh -p $PORT ivanova@localhost" "$T/demo.log"
D=$DEMO client_config
term_start d "$(ssh_cmd ivanova -o PubkeyAuthentication=no)"
wait_screen d "password:" >/dev/null
fill d teacher-demo
wait_screen d "Педсовет в пятницу" >/dev/null	# the demo's news, once
go d "Главное меню" Enter
go d "Рубрики" i
go d "Математика" s
go d "Поурочный план" Enter
term_keys d Enter
check "the demo's card says sftp -P $PORT ivanova@localhost" \
    wait_screen d "sftp -P $PORT ivanova@localhost:/ascii/"
term_kill d
kill "$DEMO_PID" 2>/dev/null
poll "$WAIT" sh -c "! kill -0 $DEMO_PID 2>/dev/null"

done_testing
