#!/bin/bash
# Nothing typed is lost by a key pressed once (issue 15): Esc at the
# editor's "keep as a draft?" goes back to the text, deleting it needs
# two answers; the editor opened again for the same thing offers its
# draft, saying where it goes; "My drafts" lists, reads and deletes them
# (after asking); a text over 64 KiB is kept whole, its size shown, and
# not sent until shortened; Esc on the registration form keeps the form
# and logging out from there asks first.
. "$(dirname "$0")/lib.sh"

start_partad || exit 1
add_user anna teacher "Анна" "anna-secret-1"
sysop board add math "Математика" >/dev/null
drafts() { db "SELECT count(*) FROM drafts"; }
has_drafts() { test "$(drafts)" = "$1"; }

login_menu a anna anna-secret-1
first_board a "w новая тема"
new_thread a "План урока"
term_type a "Пятьдесят строк, вставленных из методички."
check "the editor keeps a draft as she types" \
    wait_screen a "Черновик сохранён"
term_keys a Escape
check "Esc asks what becomes of the text" \
    wait_screen a "Сохранить текст как черновик\? y — да, n — удалить, Esc — к тексту"
term_keys a Escape
check "a second Esc goes back to the text" \
    wait_screen a "\^X отправить"
check "with the text still there" \
    wait_screen a "^Пятьдесят строк, вставленных из методички."
check "and its draft kept" has_drafts 1
term_type a " Ещё"
term_keys a Escape
wait_screen a "Сохранить текст как черновик" >/dev/null
term_keys a n
check "n asks again before deleting" \
    wait_screen a "Удалить текст насовсем\? Вернуть его будет нельзя. \(д/н\)"
term_keys a Escape
check "Esc at that question goes back to the text too" \
    wait_screen a "методички. Ещё"
check "still kept" has_drafts 1

# Kept, then the same editor opened again: the draft is offered.
term_keys a Escape
wait_screen a "Сохранить текст как черновик" >/dev/null
term_keys a y
check "y keeps it and leaves" wait_screen a "w новая тема"
term_keys a w
check "the same editor opened again offers the draft" \
    wait_screen a "Здесь остался ваш неотправленный текст. Продолжить его\?"
check "saying where it goes" wait_screen a "Раздел: Математика, новая тема"
check "and showing it" wait_screen a "методички. Ещё"
term_keys a y
check "yes opens it in the editor" wait_screen a "^Тема: План урока"
check "with its text" wait_screen a "^Пятьдесят строк, вставленных из методички. Ещё"
term_keys a Escape
wait_screen a "Сохранить текст как черновик" >/dev/null
term_keys a y
wait_screen a "w новая тема" >/dev/null

# My drafts: the list, reading one, deleting it after a question.
go a "Главное меню" Escape Escape
check "the main menu has My drafts" wait_screen a "d +Мои черновики"
term_keys a d
check "My drafts lists the text with where it goes" \
    wait_screen a "Раздел: Математика, новая тема +План урока"
term_keys a Enter
check "Enter reads it" wait_screen a "^ *Пятьдесят строк, вставленных из методички. Ещё"
term_keys a d
check "d asks before deleting" \
    wait_screen a "Удалить этот неотправленный текст насовсем\? \(д/н\)"
term_keys a n
check "no keeps it" has_drafts 1
check "and goes back to the list" wait_screen a "Enter читать"
term_keys a d
wait_screen a "Удалить этот неотправленный" >/dev/null
term_keys a y
check "yes deletes it" wait_screen a "Текст удалён"
check "from the store" has_drafts 0
term_keys a Space
check "and the list, now empty, says so" \
    wait_screen a "Неотправленных текстов нет"
term_keys a Space
wait_screen a "Главное меню" >/dev/null

# A paste over 64 KiB is kept whole, with its size shown, and refused
# when sent, saying why.
first_board a "w новая тема"
new_thread a "Длинная вставка"
line=$(printf 'я%.0s' $(seq 100))
for i in $(seq 250); do echo "$line"; done >"$T/paste.txt"
tmux -S "$TMUX_SOCK" load-buffer "$T/paste.txt"
tmux -S "$TMUX_SOCK" paste-buffer -t a
check "past 48 KiB the status line shows the size" \
    wait_screen a "50 из 64 КиБ" 300
for i in $(seq 110); do echo "$line"; done >"$T/paste.txt"
tmux -S "$TMUX_SOCK" load-buffer "$T/paste.txt"
tmux -S "$TMUX_SOCK" paste-buffer -t a
check "past 64 KiB it says to shorten the text" \
    wait_screen a "71 КиБ из 64: сократите, чтобы отправить" 300
term_keys a C-x
check "sending it is refused, saying why" \
    wait_screen a "Не отправлено: в тексте 71 КиБ, можно не больше 64 КиБ."
check "and nothing is posted" test "$(db "SELECT count(*) FROM posts")" = 0
kept_whole() {
	test "$(db "SELECT length(CAST(body AS BLOB)) FROM drafts")" -ge 72000
}
check "the whole paste is kept in the draft, not cut" poll "$WAIT" kept_whole
term_keys a Escape
wait_screen a "Сохранить текст как черновик" >/dev/null
term_keys a y
go a '\[exit 0\]' Escape Escape q

# Registration: Esc keeps the form; logging out from there asks first.
term_start reg "$(ssh_cmd new)"
wait_screen reg "Регистрация" >/dev/null
fill reg "ivanova" "Анна Иванова"
term_keys reg Escape
check "Esc on the form leads to the reset screen" \
    wait_screen reg "c  У меня есть код сброса"
term_keys reg Escape
check "Esc there goes back to the form" wait_screen reg "Ваше имя"
check "as she left it" wait_screen reg "Анна Иванова"
term_keys reg Escape
wait_screen reg "q  " >/dev/null
term_keys reg q
check "logging out asks first, as the form would be lost" \
    wait_screen reg "Выйти\? Заполненная анкета регистрации пропадёт. \(д/н\)"
term_keys reg n
check "no stays" wait_screen reg "c  У меня есть код сброса"
term_keys reg r
check "r goes back to the form, still filled in" \
    wait_screen reg "Логин \(латиницей\) +ivanova"
term_keys reg Escape
wait_screen reg "q  " >/dev/null
term_keys reg q
answer_yes reg
check "yes logs out" wait_screen reg '\[exit 0\]'

done_testing
