#!/bin/bash
# The companion client among others on one board: two clients online
# (anna, a teacher; vera, the board's coordinator) and a plain-ssh user
# (boris) see each other's posts; vera's hide reaches anna's copy as a
# removal; a letter sent while anna is online arrives in her copy by
# itself (the server's NOTICE); with partad stopped anna reads, searches
# and writes, and when it is back her client sends what she wrote by
# itself, and boris sees it.
. "$(dirname "$0")/lib.sh"
trap cleanup EXIT

start_partad || exit 1
add_user anna teacher "Анна Иванова" "anna-secret-1"
add_user vera coordinator "Вера Сидорова" "vera-secret-1"
add_user boris teacher "Борис Петров" "boris-secret-1"
sysop board add math "Математика" "Уроки и задачи" >/dev/null
sysop board coordinator math vera >/dev/null
console_post math vera "Дроби" "Как объяснить дроби в пятом классе?"
make_key
ssh-keygen -q -t ed25519 -N '' -f "$T/id_vera"
sysop user key add anna "$T/id_ed25519.pub" >/dev/null
sysop user key add vera "$T/id_vera.pub" >/dev/null
parta_conf "$PORT" >"$T/parta_config"
PENV=("${CLIENT_ENV[@]}" PARTA_LOCALEDIR="$PARTA_LOCALEDIR")
acache=$T/cache-anna vcache=$T/cache-vera
pcmd() {	# pcmd LOGIN KEY CACHE [OPTIONS]: the client's command line
	echo "${PENV[*]} $B/parta -F $T/parta_config -i $2 -d $3 ${*:4} $1@school"
}
copy() { sqlite3 -cmd '.timeout 5000' "$acache/copy.db" "$@"; }
acmd=$(pcmd anna "$T/id_ed25519" "$acache")
vcmd=$(pcmd vera "$T/id_vera" "$vcache")
check "anna's first sync" sh -c "$acmd --sync </dev/null >$T/a.out 2>&1"
check "vera's first sync" sh -c "$vcmd --sync </dev/null >$T/v.out 2>&1"

# server_has N TEXT: the server holds N visible posts that begin with TEXT.
server_has() {
	[ "$(db "SELECT count(*) FROM posts WHERE body LIKE '$2%'
	    AND hidden_at IS NULL")" = "$1" ]
}
# copy_has CACHE N TEXT: the client's copy in CACHE holds N posts that
# begin with TEXT.
copy_has() {
	[ "$(sqlite3 -cmd '.timeout 5000' "$1/copy.db" "SELECT count(*)
	    FROM posts WHERE body LIKE '$3%'")" = "$2" ]
}

# --- two clients and a plain-ssh user on one board -------------------------
online() {	# online NAME CMD CACHE: the client online, on the board's threads
	term_start "$1" "$2"
	wait_screen "$1" "Главное меню" >/dev/null
	poll "$WAIT" grep -q '^0 ' "$3/status"
	go "$1" "Математика" b
	go "$1" "Дроби" Enter
}
ssh_thread() {	# ssh_thread NAME: from the main menu, into "Задачи на проценты"
	go "$1" "Математика" b
	go "$1" "Дроби" Enter
	mark "$1" "Задачи на проценты" || return 1
	term_keys "$1" Enter
	wait_screen "$1" "#[0-9]+/[0-9]+"
}
read_to() {	# read_to NAME PATTERN: n in the pager until PATTERN shows
	local i
	for i in 1 2 3 4 5; do
		term_screen "$1" | grep -qE -- "$2" && return 0
		term_keys "$1" j
		wait_screen "$1" "#[0-9]+/[0-9]+" >/dev/null
	done
	wait_screen "$1" "$2"
}
online a "$acmd" "$acache"
online v "$vcmd" "$vcache"
login_menu s boris boris-secret-1
go s "Математика" b
go s "Дроби" Enter
go s "Тема" w
term_type s "Задачи на проценты"
term_keys s Enter
wait_screen s "\^X отправить" >/dev/null
term_type s "Сколько будет пять процентов от двухсот?"
term_keys s C-x
check "boris's thread, posted over ssh, reaches anna's client" \
    wait_screen a "Задачи на проценты" 150
check "and vera's" wait_screen v "Задачи на проценты" 150
mark a "Задачи на проценты"
go a "Сколько будет пять" Enter
term_keys a r
wait_screen a "\^X отправить" >/dev/null
term_type a "Десять: пять сотых от двухсот."
term_keys a C-x
check "anna's reply, written in her client, reaches the server" \
    poll 300 server_has 1 "Десять"
check "and vera's copy" poll 300 copy_has "$vcache" 1 "Десять"
mark v "Задачи на проценты"
go v "Сколько будет пять" Enter
check "vera's client shows it in the thread" read_to v "Десять: пять сотых"
go s "Главное меню" Escape Escape Escape Escape
ssh_thread s
check "boris sees it over ssh" read_to s "Десять: пять сотых"

# --- a coordinator's hide reaches a client as a removal --------------------
term_keys s r
wait_screen s "\^X отправить" >/dev/null
term_type s "Реклама: купите учебники!"
term_keys s C-x
check "boris's reply reaches anna's copy" poll 300 copy_has "$acache" 1 "Реклама"
check "and vera's" poll 300 copy_has "$vcache" 1 "Реклама"
go v "Задачи на проценты" Escape
mark v "Задачи на проценты"
term_keys v Enter
read_to v "Реклама: купите"
go v "Причина" h
fill v "реклама"
wait_screen v "\(д/н\)" >/dev/null
term_keys v y
check "vera's hide, made in her client, reaches the server" \
    poll 300 server_has 0 "Реклама"
check "and anna's copy as a removal" poll 300 copy_has "$acache" 0 "Реклама"
check "the thread itself stays" poll 300 copy_has "$acache" 1 "Десять"
go a "Задачи на проценты" Escape
mark a "Задачи на проценты"
term_keys a Enter
wait_screen a "Сколько будет пять|Десять" >/dev/null
term_keys a j j
check "nor is it on her screen" \
    wait_screen a "Сколько будет пять|Десять"
screen_lacks a "Реклама" && ok "not a trace of it" || not_ok "not a trace of it"
go a "Главное меню" Escape Escape Escape Escape
go v '^\[exit 0\]' Escape Escape Escape Escape q

# --- a letter sent while she is online arrives by itself -------------------
go s "Главное меню" Escape Escape Escape Escape
go s "Кому \(логин\)" m w
fill s "anna" "Совещание"
term_type s "Совещание в четверг в три часа."
go s "Письмо отправлено" C-x
letter() { [ "$(copy "SELECT count(*) FROM mail WHERE subject = 'Совещание'")" = 1 ]; }
# The syncer is idle between rounds: only the server's NOTICE wakes it.
check "boris's letter is in anna's copy within seconds" poll "$WAIT" letter
term_keys a m i
check "and in her inbox" wait_screen a "Совещание"
go a '^\[exit 0\]' Escape Escape Escape Escape q
term_kill s

# --- offline with partad stopped: read, search, write; then partad back ----
stop_partad
term_start a2 "$acmd"
check "with the server down the screens open from the copy" \
    wait_screen a2 "прошлого визита|Главное меню"
go a2 "Главное меню" Enter
check "and the header says the link is down" \
    wait_screen a2 "офлайн с|соединение" 150
ssh_thread a2
check "she reads a thread" wait_screen a2 "Сколько будет пять процентов"
go a2 "Главное меню" Escape Escape Escape Escape
go a2 "Что искать" f
term_type a2 "проценты"
term_keys a2 Enter
check "she searches, with the same Russian rules" \
    wait_screen a2 "Поиск: найдено [1-9]"
go a2 "Главное меню" Escape Escape Escape Escape
ssh_thread a2
term_keys a2 r
wait_screen a2 "\^X отправить" >/dev/null
term_type a2 "Написано без связи."
term_keys a2 C-x
waiting() {	# waiting N: N replies wait in anna's outbox
	[ "$(sqlite3 -cmd '.timeout 5000' "$acache/outbox.db" "SELECT count(*)
	    FROM outbox WHERE kind = 'reply' AND state = 'waiting'")" = "$1" ]
}
check "she writes: the reply waits in the outbox" poll "$WAIT" waiting 1
check "the header counts it" wait_screen a2 "исх. [1-9]"
check "the server has not got it" server_has 0 "Написано без связи"
restart_partad || exit 1
check "partad back, her client sends it by itself" \
    poll 900 server_has 1 "Написано без связи" ||
    diag <"$acache/parta.log"
check "the outbox empties" poll "$WAIT" waiting 0
check "the header of the page she reads says so by itself" \
    wait_screen a2 "на связи [0-9]{2}:[0-9]{2}, исх. 0" 150
check "her copy holds it once" copy_has "$acache" 1 "Написано без связи"
login s2 boris boris-secret-1
wait_screen s2 "прошлого визита" >/dev/null	# what is new: her reply
go s2 "Главное меню" Enter
ssh_thread s2
check "boris sees it over ssh" read_to s2 "Написано без связи"
go a2 '^\[exit 0\]' Escape Escape Escape Escape q

done_testing
