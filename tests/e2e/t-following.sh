#!/bin/bash
# Following, through OpenSSH at 80x24 (issue 15): the threads she wrote
# in tell her of new replies at login and in the board list; the
# uploader of a library item is told by letter when it is approved,
# recommended or commented on.  In Russian, and the login line in
# English too.
. "$(dirname "$0")/lib.sh"

start_partad || exit 1
add_users <<'EOT'
anna  teacher anna-secret-1  Анна Иванова
koord teacher koord-secret-1 Гульназ Хабибуллина
elena expert  elena-secret-1 Елена Петровна
boris teacher boris-secret-1 Борис Петров
EOT
db "UPDATE users SET lang = 'en' WHERE login = 'boris'"
sysop board add math "Математика" >/dev/null
sysop board add rus "Русский язык" >/dev/null
console_post math anna "Дроби" "Как объяснять дроби?"
console_post math boris "Проценты" "Как объяснять проценты?"
console_post rus koord "Диктант" "Пишем диктант."

# koord replies in anna's thread and in boris's.
login_menu k koord koord-secret-1
first_board k "Дроби"
go k "Как объяснять дроби" Down Enter
write_reply k "Через пирог."
go k "#2/2" Escape
go k "Проценты" Down Enter
write_reply k "Через рубль."
go k "#2/2" Escape
go k "Главное меню" Escape Escape

login a anna anna-secret-1
check "at login she is told of replies in the threads she wrote in" \
    wait_screen a "В темах, за которыми вы следите, новые ответы: 1 \(Разделы, клавиша b\)\."
go a "Главное меню" Enter
go a "Разделы" b
check "the board list marks the board with replies to her" \
    wait_screen a "Математика +есть ответы +новых: 3"
check "not the board she did not write on" \
    sh -c "tmux -S '$TMUX_SOCK' capture-pane -p -t a | grep 'Русский язык' | grep -vq 'есть ответы'"
# Each key once the screen it is meant for is up, and each screen on the
# way checked: a step that went elsewhere fails where it went wrong, not
# as a mark that stayed ("Дроби" is also the pager's title, so the
# second Esc used to follow the first at once).
go a "Проценты" Enter
term_keys a Down Enter
check "the reply in her thread opens, new" \
    wait_screen a "^#2/2 +Гульназ Хабибуллина .*\[новое\]"
go a "Проценты" Escape
go a "Разделы" Escape
check "once read, the mark is gone" \
    poll "$WAIT" sh -c "! tmux -S '$TMUX_SOCK' capture-pane -p -t a | grep -q 'есть ответы'"
go a "Главное меню" Escape

login e boris boris-secret-1
check "English: boris is told of the reply in his thread" \
    wait_screen e "Threads you follow have new replies: 1 \(Boards, key b\)\."
term_keys e Enter

# Library: anna's item approved (console), recommended (an expert, in
# the UI), commented on (koord, in the UI); each time she has a letter.
sysop library section add math 'Математика' >/dev/null
printf 'Задачи на дроби.\n' >"$T/drobi.txt"
sysop library add math "$T/drobi.txt" --as anna --title "Задачник по дробям" >/dev/null
item=$(db "SELECT id FROM library_items")
db "UPDATE library_items SET approved_at = NULL, approved_by = NULL"
sysop library approve "$item" >/dev/null
letter() { db "SELECT count(*) FROM mail m JOIN mail_boxes x ON x.mail_id = m.id
    JOIN users u ON u.id = x.user_id WHERE u.login = 'anna' AND x.folder = 'inbox'
    AND m.subject = '$1' AND instr(m.body, '$2') > 0"; }
check "approved: the uploader has a letter naming her item" \
    [ "$(letter 'Ваш материал в библиотеке одобрен' 'Задачник по дробям')" = 1 ]

login_menu x elena elena-secret-1
go x "Рубрики" i
go x "Математика" s
go x "Задачник по дробям" Enter
go x "r рекомендовать" Enter
go x "Отзыв" r
fill x "Хорошие задачи"
wait_screen x "рекомендованный" >/dev/null
check "recommended: a letter with the review, from the expert by name" \
    [ "$(letter 'Ваш материал в библиотеке рекомендован' 'Отзыв: Хорошие задачи')$(letter 'Ваш материал в библиотеке рекомендован' 'Елена Петровна')" = 11 ]

go k "Рубрики" i
go k "Математика" s
go k "Задачник по дробям" Enter
go k "w написать комментарий" Enter
write_reply k "Спасибо, возьму в 6 класс." w
wait_screen k "#1/1 +Гульназ Хабибуллина" >/dev/null	# the thread of comments
check "commented: a letter with the comment, from its author by name" \
    [ "$(letter 'Комментарий к вашему материалу в библиотеке' 'Спасибо, возьму в 6 класс.')$(letter 'Комментарий к вашему материалу в библиотеке' 'Гульназ Хабибуллина')" = 11 ]

# She reads them in her inbox.
login_arrived a2 anna anna-secret-1
go a2 "Входящие" m
term_keys a2 i
check "the inbox shows the three letters about her item" \
    wait_count a2 "материал" 3

sanitizer_check
done_testing
