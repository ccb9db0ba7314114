#!/bin/bash
# Following a thread by choice, through OpenSSH at 80x24 (issue 15): f
# on the thread list and in the thread follows a thread or stops; the
# legend and "?" say so, "@" marks the threads she follows; the replies
# in them (and not in those she left, even one she wrote in) are told at
# login and in the board list.  The key on a KOI8-R terminal (luit), on
# the Russian layout.
. "$(dirname "$0")/lib.sh"

start_partad || exit 1
add_user anna teacher "Анна Иванова" anna-secret-1
add_user boris teacher "Борис Петров" boris-secret-1
echo "koi-secret-1" | sysop user add koi --role teacher \
    --name "Учитель koi" --password-stdin >/dev/null
sysop board add math "Математика" >/dev/null
console_post math boris "Дроби" "Как объяснять дроби?"
console_post math boris "Проценты" "Как объяснять проценты?"
console_post math anna "Диктант" "Пишем диктант."
console_post math anna "Контрольная" "Когда контрольная?"
row() { term_screen "$1" | grep -E -- "$2"; }
follows() { row "$1" "$2" | grep -q "@"; }

login_arrived a anna anna-secret-1
go a "Разделы" b
go a "Контрольная" Enter
check "the thread list's legend offers f" wait_screen a "f следить"
check "the threads she wrote in are followed already" \
    sh -c "tmux -S '$TMUX_SOCK' capture-pane -p -t a | grep -E '@ +Диктант' | grep -q ."
check "and not the others" eval '! follows a "Дроби"'
mark a "Дроби"
term_keys a f
check "f follows the marked thread, and says so" \
    wait_screen a "Вы следите за темой: о новых ответах скажут при входе"
check "\"@\" marks it now" poll "$WAIT" follows a "Дроби"
mark a "Диктант"
term_keys a f
check "f again on a thread she wrote in: she no longer follows it" \
    wait_screen a "Вы больше не следите за темой\."
check "its \"@\" is gone" poll "$WAIT" eval '! follows a "Диктант"'
term_keys a ?
check "\"?\" names the key" wait_screen a "следить за отмеченной темой или перестать"
check "and the mark" wait_screen a "@ — тема, за которой вы следите"
term_keys a Escape
mark a "Проценты"
go a "Как объяснять проценты" Enter
check "in the thread, f follows" wait_screen a "f следить"
term_keys a f
check "it says she follows it" wait_screen a "Вы следите за темой"
check "and the legend offers to stop" wait_screen a "f не следить"
term_keys a f
check "f again: she stops" wait_screen a "Вы больше не следите за темой\."
go a "Главное меню" Escape Escape Escape
term_keys a q

# boris replies in the four threads.
login_arrived b boris boris-secret-1
go b "Разделы" b
go b "Контрольная" Enter
for s in Дроби Проценты Диктант Контрольная; do
	mark b "$s"
	term_keys b Enter
	wait_screen b "r ответ" >/dev/null
	go b "\^X отправить" r
	term_type b "Ответ Бориса."
	term_keys b C-x
	wait_screen b "Отправлено" >/dev/null
	go b "Контрольная" Escape
done
check "boris replied four times" \
    [ "$(db "SELECT count(*) FROM posts WHERE body = 'Ответ Бориса.'")" = 4 ]

login a2 anna anna-secret-1
check "at login: the replies in the two threads she follows, not in those she left" \
    wait_screen a2 "В темах, за которыми вы следите, новые ответы: 2 \(Разделы, клавиша b\)\."
go a2 "Главное меню" Enter
go a2 "Разделы" b
check "the board list marks the board" wait_screen a2 "Математика +есть ответы"
go a2 "Контрольная" Enter
check "the marks are as she left them" \
    sh -c "tmux -S '$TMUX_SOCK' capture-pane -p -t a2 | grep -E '@ +(Дроби|Контрольная)' | wc -l | grep -qx 2"
check "and not on the threads she stopped following" \
    eval '! follows a2 "Проценты" && ! follows a2 "Диктант"'

# KOI8-R, the Russian layout: "а" is f.
login_luit k KOI8-R koi koi-secret-1
check "KOI8-R: the main menu reads right" wait_screen k "Главное меню"
go k "Разделы" b
go k "Контрольная" Enter
mark k "Дроби"
go k "Как объяснять дроби" Enter
term_type k "а"
check "KOI8-R: \"а\" (f on the Russian layout) follows the thread" \
    wait_screen k "Вы следите за темой"
check "KOI8-R: the legend offers to stop" wait_screen k "f не следить"
check "KOI8-R: her choice is kept" [ "$(db "SELECT r.followed FROM thread_reads r
    JOIN users u ON u.id = r.user_id JOIN threads t ON t.id = r.thread_id
    WHERE u.login = 'koi' AND t.subject = 'Дроби'")" = 1 ]

sanitizer_check
done_testing
