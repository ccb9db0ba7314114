#!/bin/bash
# Small rough edges of issue 15, through OpenSSH at 80x24: a message on
# the pager's status line ("Отправлено.") no longer pushes keys off the
# legend (both are shown); news and the letter about a hidden post name
# the author by her display name; a long name in the thread list is cut
# with "…"; a broadcast's sent copy is to everyone, not to its first
# recipient.  In Russian, and the first in English too.
. "$(dirname "$0")/lib.sh"

start_partad || exit 1
add_user anna teacher "Анна Иванова" anna-secret-1
add_user koord coordinator "Гульназ Хабибуллина-Сафина" koord-secret-1
add_user boris teacher "Борис" boris-secret-1
db "UPDATE users SET lang = 'en' WHERE login = 'boris'"
sysop board add math "Математика" >/dev/null
sysop board coordinator math koord >/dev/null
console_post math koord "Дроби" "Первое о дробях."
echo "Каникулы с 28 октября." | sysop news --subject "Каникулы" --as koord >/dev/null
echo "Собрание в среду." | sysop broadcast --subject "Собрание" --as koord >/dev/null

login_arrived a anna anna-secret-1

# A long name in the thread list is cut, and says so.
first_board a "Дроби"
check "a long name in the thread list ends with …" \
    wait_screen a "Дроби +Гульназ Хаб…"

# After sending, the message and the whole legend, the delete key too.
go a "#1/1" Enter
write_reply a "Пирог делим на доли."
check "after sending she is told it was sent" wait_screen a "^Отправлено\.$"
check "and the legend below keeps her delete key" \
    wait_screen a "e правка d удалить"
term_keys a k
check "the next screen has the legend alone" \
    poll "$WAIT" sh -c "! tmux -S '$TMUX_SOCK' capture-pane -p -t a | grep -q 'Отправлено'"
go a "Главное меню" Escape Escape Escape

# News names its author by name.
pick a "Каникулы" a
check "news names its author by her display name" \
    wait_screen a "^Гульназ Хабибуллина-Сафина  [0-9]{2}\.[0-9]{2}\.[0-9]{4}"
go a "Главное меню" Escape Escape

# The letter about a hidden post names its author by name.
pid=$(db "SELECT p.id FROM posts p JOIN users u ON u.id = p.author_id WHERE u.login = 'anna'")
sysop hide "$pid" "не по теме" >/dev/null
go a "Входящие" m
pick a "скрыто" i
check "the letter about her hidden post quotes her by name" \
    wait_screen a "Анна Иванова писал\(а\)"
go a "Главное меню" Escape Escape Escape

# A broadcast's sent copy is to everyone.
login_arrived k koord koord-secret-1
go k "Отправленные" m
go k "Собрание" s
check "a broadcast's sent copy is to everyone, counted" \
    wait_screen k "всем \(3\) +Собрание"
term_keys k Enter
check "and so is the letter's header" wait_screen k "Кому: всем \(3\)"

# In English: the message and the delete key, both.
login_arrived e boris boris-secret-1
first_board e "Дроби"
go e "#1/" Enter
write_reply e "Agreed."
check "English: told it was sent" wait_screen e "Sent\."
check "English: with the delete key below" wait_screen e "d delete"

sanitizer_check
done_testing
