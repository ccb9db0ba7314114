#!/bin/bash
# The editor's draft survives a dropped link: the ssh client is killed
# in the middle of typing; at the next login the text is offered back,
# and sending it posts the thread.
. "$(dirname "$0")/lib.sh"

start_partad || exit 1
add_user anna teacher "Анна" "anna-secret-1"
sysop board add math "Математика" >/dev/null

login_menu a anna anna-secret-1
first_board a "w новая тема"
new_thread a "Черновик темы"
term_type a "Первая часть длинного текста про уроки."
check "the editor saves a draft while the user pauses" \
    wait_screen a "Черновик сохранён"
term_keys a Enter
term_type a "Вторая строка."

# Kill the ssh client in the pane, as a dropped link would.
pane_pid=$(tmux -S "$TMUX_SOCK" display -p -t a '#{pane_pid}')
ssh_pid=$(ps -o pid= --ppid "$pane_pid" | head -1 | tr -d ' ')
check "the ssh client runs in the pane" test -n "$ssh_pid"
kill -9 "$ssh_pid"
check "the client is gone" wait_screen a '\[exit 137\]'

# partad notices; the next login offers the text back.
check "the session ends on the server" \
    poll "$WAIT" sh -c "! '$B/parta-sysop' -d '$D' who | grep -q anna"
login a2 anna anna-secret-1
check "the draft is offered back at login" \
    wait_screen a2 "У вас есть неотправленный текст. Продолжить его\?"
check "showing what was typed before the link dropped" \
    wait_screen a2 "Первая часть длинного текста про уроки"
term_keys a2 y
check "the editor opens with the subject" wait_screen a2 "Тема: Черновик темы"
check "and the text" wait_screen a2 "^Первая часть длинного текста про уроки"
term_keys a2 C-x
check "sending it says so" wait_screen a2 "^Отправлено\. \(любая клавиша\)"
posted() { test "$(db "SELECT count(*) FROM threads WHERE subject = 'Черновик темы'")" = 1; }
check "and the thread is posted" posted
# The draft goes with it.
no_drafts() { test "$(db "SELECT count(*) FROM drafts")" = 0; }
check "and the draft is gone" poll "$WAIT" no_drafts
go a2 '\[exit 0\]' Escape Escape q
login a3 anna anna-secret-1
check "the next login goes straight to the menu" wait_screen a3 "Главное меню"
check "with no draft offered" \
    screen_lacks a3 'неотправленный'

# A paste beyond the size limit: t-drafts.sh.

done_testing
