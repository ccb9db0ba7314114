#!/bin/bash
# Boards through OpenSSH: a new thread (an empty subject refused first),
# a reply with a quote, the new-scan across two boards, read pointers
# that survive a new login, a read-only board, a coordinator who hides a
# post and locks a thread, replies refused to a locked and to a hidden
# thread, and escape sequences and invalid UTF-8 in a post shown inert.
. "$(dirname "$0")/lib.sh"

start_partad || exit 1
add_teachers anna boris koord
sysop board add math "Математика" "Уроки и задачи" >/dev/null
sysop board add rus "Русский язык" >/dev/null
sysop board add news "Объявления" >/dev/null
sysop board edit news post coordinator >/dev/null
sysop board coordinator math koord >/dev/null
check "the console reports a board's coordinator" \
    sh -c "'$B/parta-sysop' -d '$D' board coordinator math koord | grep -q 'koord'"
list=$(sysop board list)
check "board list shows who reads and who posts" \
    grep -q '^news .*teacher/coordinator' <<<"$list"
check "and the coordinators" grep -q '^math .*teacher/teacher, koord' <<<"$list"

# --- a new thread, the empty subject refused first ---------------------
login_menu a anna anna-secret-1
term_keys a b
check "the board list shows the boards" wait_screen a "Русский язык"
check "a read-only board is marked so" wait_screen a "Объявления +только чтение"
go a "Математика" Enter
term_keys a w
check "w opens the editor for a new thread" wait_screen a "Новая тема"
term_keys a Enter
term_type a "Как объяснять дроби в пятом классе? Делим пирог на равные части, и каждая часть называется долей."
term_keys a C-x
check "an empty subject is refused with a clear message" \
    wait_screen a "Тема: не может быть пустым"
write_reply a "Дроби в 5 классе" Enter
check "the thread is posted and listed" wait_screen a "Дроби в 5 классе"
term_keys a Enter
check "the pager shows the post" wait_screen a "#1/1 +Имя anna \(anna\)"
go a "w новая тема" Escape
go a "Разделы" Escape
go a "Главное меню" Escape

# --- a reply with a quote ----------------------------------------------
login_menu b boris boris-secret-1
go b "Разделы" b
check "the board list counts the new post" wait_screen b "Математика +новых: 1"
go b "Дроби в 5 классе" Enter
check "the unread thread is marked" wait_screen b "\+1 +Дроби в 5 классе"
go b "#1/1" Enter
term_keys b t
check "the reply quotes the author and date" \
    wait_screen b "Имя anna писал\(а\) [0-9]{2}\.[0-9]{2}\.[0-9]{4}"
check "the quoted text is rewrapped with > marks" wait_count b "^> " 2
term_type b "Согласна, пирог лучше всего."
term_keys b C-x
check "after sending she lands on her reply, the second post" \
    wait_screen b "#2/2 +Имя boris \(boris\)"
check "told it was sent" wait_screen b "Отправлено\."
check "the reply carries the quote" wait_screen b "^> Как объяснять дроби"
check "and its own text" wait_screen b "Согласна, пирог лучше всего"
go b "w новая тема" Escape
go b "Главное меню" Escape Escape

# --- the new-scan across two boards ------------------------------------
out=$(printf 'Пишем диктант о зиме.' | sysop post rus --as koord --subject "Диктант")
dict_post=$(echo "$out" | grep -o '[0-9]\+\.$' | tr -d .)
term_keys a n
check "the new-scan starts at the first new post" \
    wait_screen a "Согласна, пирог лучше всего"
term_keys a n
check "n goes on to the next board" wait_screen a "Пишем диктант о зиме"
check "with the other board in the title" wait_screen a "Русский язык / Диктант"
term_keys a n
check "and says when nothing is left" wait_screen a "Больше ничего нового нет"
go a "Главное меню" Escape

# --- read pointers survive a new login ---------------------------------
go a '\[exit 0\]' q
out=$(printf 'Ещё один диктант.' | sysop post rus --as boris --subject "Диктант 2")
dict2_post=$(echo "$out" | grep -o '[0-9]\+\.$' | tr -d .)
login_menu a2 anna anna-secret-1
go a2 "Разделы" b
check "after a new login the other board counts only the newest post" \
    wait_screen a2 "Русский язык +новых: 1"
check "and the board read before has nothing new" \
    sh -c "tmux -S '$TMUX_SOCK' capture-pane -p -t a2 | grep 'Математика' | grep -vq 'новых'"

# --- a read-only board refuses a teacher's post ------------------------
go a2 "Объявления" Down Down Enter
term_keys a2 w
check "a read-only board refuses a teacher's thread" \
    wait_screen a2 "только для чтения: писать здесь могут лишь его координаторы"
go a2 "Разделы" Enter Escape

# --- the coordinator hides a post and locks the thread -----------------
login_menu k koord koord-secret-1
pick k "Разделы" b
check "a coordinator sees the moderation keys" wait_screen k "p закрепить"
go k "#1/2" Enter
go k "#2/2" j
go k "Причина" h
fill k "не по теме"
answer_yes k
check "the coordinator's pager stays on the hidden post, as its placeholder" \
    wait_screen k "^\[скрыто координатором: не по теме\]$"
audit_has() { db "SELECT action, detail FROM audit" | grep -qF -- "$1"; }
check "the audit log keeps the reason" \
    audit_has "hide post|не по теме"
go k "p закрепить" Escape
term_keys k l
check "the locked thread is marked" wait_screen k "# +Дроби в 5 классе"

# The teacher no longer sees the hidden post, and may not reply.
go a2 "Дроби в 5 классе" Up Up Enter
term_keys a2 Enter
check "the teacher sees one post left" wait_screen a2 "#1/1"
check "the hidden reply is not shown" \
    screen_lacks a2 'Согласна'
term_keys a2 r
check "a reply to a locked thread is refused" \
    wait_screen a2 "тема закрыта: отвечать больше нельзя"
go a2 "Разделы" Enter Escape Escape

# --- a reply to a thread hidden while the user reads it ----------------
go a2 "Диктант 2" Down Enter
go a2 "Ещё один диктант" Enter
sysop hide "$dict2_post" "дубль" >/dev/null
term_keys a2 r
check "a reply to a hidden thread is refused" \
    wait_screen a2 "тема или сообщение удалены координатором"
term_keys a2 Enter Escape
check "the hidden thread is gone from the list" \
    sh -c "sleep 0.5; ! tmux -S '$TMUX_SOCK' capture-pane -p -t a2 | grep -q 'Диктант 2'"
go a2 "Разделы" Escape

# --- bad input: an escape sequence, invalid UTF-8, the size limit ------
out=$(printf 'красный \033[31mтекст' | sysop post math --as boris --subject "Цвет" 2>&1)
check "the console refuses an escape sequence in a post, naming it" \
    grep -qF "текст: строка 1: управляющий символ U+001B (ESC)" <<<"$out"
out=$(printf 'a\377b' | sysop post math --as boris --subject "Байты" 2>&1)
check "the console refuses invalid UTF-8 in a post, naming the byte" \
    grep -qF "текст: строка 1: байт 0xFF — не UTF-8" <<<"$out"
out=$(head -c 70000 /dev/zero | tr '\0' 'я' | sysop post math --as boris --subject "Длинный" 2>&1)
check "the console refuses a post over the size limit, saying so" \
    grep -q "текст слишком длинный: не больше 64 КиБ" <<<"$out"
# Pasted into the editor, escape sequences are dropped, the rest is text.
go a2 "w новая тема" Up Enter
new_thread a2 "Цвет"
term_type a2 "$(printf 'красный \033[31mтекст\033[2J конец')"
go a2 "w новая тема" C-x
term_keys a2 Enter
check "a pasted escape sequence leaves only its text" \
    wait_screen a2 "^красный текст конец$"
check "and did not clear the screen" wait_screen a2 "^parta \| Математика / Цвет"
check "nor reached the store" \
    test "$(db "SELECT count(*) FROM posts WHERE instr(body, char(27)) > 0")" = 0

done_testing
