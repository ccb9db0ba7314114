#!/bin/bash
# One key for one action on every screen, through OpenSSH at 80x24
# (issue 15): n is what is new (the main menu's "read everything new"
# and the pager's next new post), j/k the next and previous post, w
# writes something new (a thread, a letter), c marks a board read and u
# a letter unread, each saying on the status line that it was done; m
# is only the mail.  In Russian, then in English.
. "$(dirname "$0")/lib.sh"

start_partad || exit 1
add_teachers anna boris koord
db "UPDATE users SET lang = 'en' WHERE login = 'boris'"
sysop board add math "Математика" >/dev/null
sysop board add rus "Русский язык" >/dev/null
console_post math koord "Дроби" "Первое о дробях."
console_post rus koord "Диктант" "Пишем диктант."
echo "Собрание в среду." | sysop broadcast --subject "Собрание" >/dev/null

login_arrived a anna anna-secret-1
check "the main menu: n reads what is new" wait_screen a "n +Читать всё новое"
check "and m is the mail" wait_screen a "m +Почта"

# The board list: c marks the marked board read, and says so.
go a "Разделы" b
check "the board list offers c for marking read" \
    wait_screen a "c всё прочитано"
term_keys a c
check "c says the board is marked read" \
    wait_screen a "Всё в разделе отмечено прочитанным\."
check "with the legend still there" wait_screen a "Enter открыть"
check "and the board's count is gone" \
    sh -c "tmux -S '$TMUX_SOCK' capture-pane -p -t a | grep 'Математика' | grep -vq 'новых'"

# The thread list: w writes a new thread.
go a "Диктант" Down Enter
check "the thread list offers w for a new thread" wait_screen a "w новая тема"
term_keys a w
check "w opens the editor for a new thread" wait_screen a "Новая тема"
term_keys a Escape
wait_screen a "w новая тема" >/dev/null
go a "Разделы" Escape
go a "Главное меню" Escape

# The pager: n the next new post, j/k next and previous.
term_keys a n
check "n in the main menu opens the first new post" \
    wait_screen a "Пишем диктант"
check "the pager's legend: n new, j next, k previous" \
    wait_screen a "n новое +j след\. +k пред\."
write_reply a "Пишем завтра."
wait_screen a "#2/2" >/dev/null
term_keys a k
check "k is the previous post" wait_screen a "#1/2 .*Имя koord"
term_keys a j
check "j the next one" wait_screen a "#2/2 .*Имя anna"
go a "Главное меню" Escape Escape Escape

# Mail: w writes, u marks unread and says so.
go a "Входящие" m
term_keys a i
check "the inbox offers w for a new letter" wait_screen a "w написать"
term_keys a w
check "w opens the letter form" wait_screen a "Кому \(логин\)"
term_keys a Escape
go a "Собрание" Enter
term_keys a u
check "u says the letter is marked unread" \
    wait_screen a "Письмо отмечено непрочитанным\."
check "and the inbox marks it new" wait_screen a "\* сисоп +Собрание"
go a "Почта" Escape
go a "Главное меню" Escape Escape

# In English.
login_arrived e boris boris-secret-1
go e "Boards" b
term_keys e c
check "English: c says the board is marked read" \
    wait_screen e "Everything on the board is marked read\."
go e "Main menu" Escape
go e "Inbox" m i
go e "Собрание" Enter
term_keys e u
check "English: u says the letter is marked unread" \
    wait_screen e "The letter is marked unread\."

sanitizer_check
done_testing
