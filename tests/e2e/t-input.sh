#!/bin/bash
# Bad input gets a clear message and changes nothing: empty and overlong
# fields, a login that exists, forbidden characters, mismatched
# passwords, a malformed public key, escape sequences and control
# characters (which must never reach another user's terminal).
. "$(dirname "$0")/lib.sh"

start_partad || exit 1
add_user anna teacher "Анна" "anna-secret"
users() { db "select count(*) from users"; }
before=$(users)

term_start r "$(ssh_cmd new)"
wait_screen r "Регистрация" >/dev/null
# An empty login.  After each refusal the cursor is on the bad field.
term_keys r Enter Enter Enter Enter Enter Enter
check "an empty login is refused with a message" \
    wait_screen r "Логин \(латиницей\): не может быть пустым"
# Cyrillic in the login.
term_type r "иванова"; term_keys r Enter Enter Enter Enter Enter Enter
check "a Cyrillic login is refused" wait_screen r "только латинские буквы"
# A taken login.
term_keys r C-u; term_type r "anna"; term_keys r Enter
term_type r "Анна Вторая"; term_keys r Enter Enter Enter
term_type r "password-1"; term_keys r Enter
term_type r "password-1"; term_keys r Enter
check "a login that exists is refused" wait_screen r "Этот логин занят"
# Mismatched passwords.
term_keys r C-u; term_type r "anna2"
term_keys r Down Down Down Down Down C-u; term_type r "password-2"; term_keys r Enter
check "different passwords are refused" wait_screen r "пароли не совпадают"
# A short password.
term_keys r Up C-u; term_type r "short"; term_keys r Enter C-u
term_type r "short"; term_keys r Enter
check "a short password is refused" wait_screen r "не короче 8 символов"
# Overlong name: the field stops at its limit (64 characters).
term_keys r Up Up Up C-u
fill r "$(printf 'Я%.0s' $(seq 80))"
name_field=$(term_screen r | grep "Ваше имя" | grep -o 'Я*' | head -1)
if [ "${#name_field}" -le 64 ]; then
	ok "an overlong name stops at the field's limit"
else
	not_ok "an overlong name stops at the field's limit (${#name_field})"
fi
term_keys r Escape
wait_screen r "q  " >/dev/null	# the way to a reset code, or out
term_keys r q
answer_yes r	# the form is filled in: it asks first (issue 15)
check "Esc leaves the form" wait_screen r '\[exit 0\]'
check "nothing was stored by the refused forms" [ "$(users)" = "$before" ]

# Escape sequences typed or pasted into a field are inert.
term_start e "$(ssh_cmd new)"
wait_screen e "Регистрация" >/dev/null
term_type e "evil"; term_keys e Enter
term_type e $'Зло\e[31mКРАСНЫЙ\e[0m\x07\xc2\x9b2J'
term_keys e Enter Enter Enter
term_type e "password-3"; term_keys e Enter
term_type e "password-3"; term_keys e Enter
wait_screen e "ожидает одобрения" >/dev/null
name=$(db "select hex(display_name) from users where login='evil'")
case $name in
*1B*|*07*|*C29B*) not_ok "no ESC, BEL or CSI is stored"; echo "$name" | diag ;;
"") not_ok "the account was created" ;;
*) ok "no ESC, BEL or CSI is stored" ;;
esac
term_keys e q

# Even text that reached the store by another way is shown inert.
db "update users set role='teacher', display_name=
    'Злой'||char(27)||'[31mКРАСНЫЙ'||char(27)||'[0m'||char(155)||'2J' where login='evil'"
login_menu w anna anna-secret
term_start e2 "$(ssh_cmd evil -o PubkeyAuthentication=no)"
wait_screen e2 "password:" >/dev/null; term_type e2 "password-3"; term_keys e2 Enter
wait_screen e2 "Главное меню" >/dev/null
go w "evil" w
check "a stored escape sequence is shown as a replacement character" \
    wait_screen w "Злой�\[31mКРАСНЫЙ"
if tmux -S "$TMUX_SOCK" capture-pane -e -p -t w | grep -q $'\e\\[31m'; then
	not_ok "no red text reached the other user's terminal"
else
	ok "no red text reached the other user's terminal"
fi
term_keys w Escape

# A malformed public key is refused; the key list stays empty.
go w "Ключи SSH" k
term_keys w a
fill w "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIBROKEN teacher@school"
check "a malformed key is refused with a message" \
    wait_screen w "это не открытый ключ SSH"
term_keys w C-u
term_type w "ssh-ed25519 AAAA x"$'\e'"[2J"; term_keys w Enter
check "a key line with an escape is refused too" wait_screen w "Ключ: "
term_keys w Escape
check "no key was added" [ "$(db "select count(*) from user_keys")" = 0 ]

# The line editor of a form's field and of the editor's subject line
# (ui_line_key): the arrows, Backspace, Delete, insertion inside the
# text; in a field ^A and ^E, and Home and End as PuTTY sends them
# (ESC [1~ and ESC [4~) to a server told TERM=xterm.
term_start lf "$(ssh_cmd new)"
wait_screen lf "Регистрация" >/dev/null
term_type lf "bc"; term_keys lf C-a; term_type lf "a"
term_keys lf C-e; term_type lf "x"; term_keys lf Left BSpace
term_keys lf C-a DC C-e; term_type lf "z"
check "a form's field takes the arrows, Backspace, Delete, ^A and ^E" \
    wait_screen lf "Логин \(латиницей\) +bxz_"
term_type lf $'\e[1~'; term_type lf "h"; term_type lf $'\e[4~'; term_type lf "e"
check "and Home and End as PuTTY sends them" \
    wait_screen lf "Логин \(латиницей\) +hbxze_"
term_keys lf Escape
wait_screen lf "q  " >/dev/null
term_keys lf q
answer_yes lf
sysop board add math "Математика" >/dev/null
login_menu ls anna anna-secret
go ls "Математика" b
go ls "Новая тема" Enter w
term_type ls "bc"; term_keys ls Left Left; term_type ls "a"
term_keys ls Right Right; term_type ls "xy"; term_keys ls Left Left BSpace DC
term_type ls "d"
check "the subject line takes the arrows, Backspace and Delete" \
    wait_screen ls "Тема: abdy"
term_keys ls Enter; term_type ls "Текст."; term_keys ls C-x
check "and the thread has the subject as edited" wait_screen ls " abdy "

# Keys that arrive in one packet, as they do on a slow link: Esc, then
# Down and Enter (ESC ESC [ B CR; ncurses does not match a sequence
# that follows another ESC), in either cursor mode.
console_post math anna "Вторая" "Текст второй."
console_post math anna "Третья" "Текст третьей."
go ls "Разделы" Escape
go ls "Третья" Enter
mark ls "Третья"
term_keys ls Enter
wait_screen ls "Текст третьей" >/dev/null
term_type ls $'\e\e[B\r'
check "Esc, Down, Enter in one packet open the next thread" \
    wait_screen ls "^Текст второй\."
term_type ls $'\e\eOB\r'
check "and so in the application cursor mode (ESC ESC O B)" \
    wait_screen ls "^Текст\.$"
term_type ls $'\e\e['
term_type ls $'A\r'
check "and so when a packet ends inside the sequence (ESC ESC [ | A CR)" \
    wait_screen ls "^Текст второй\."

done_testing
