#!/bin/bash
# Teachers' pages and the directory through OpenSSH in tmux: a teacher
# opens a colleague's page from a thread's author, from a post's author
# in the pager, and from the directory (found by subject and by school),
# and writes her a letter from it; the colleague sets her page to "only
# members of my boards" on her profile screen: then it is hidden, in
# one sentence, for a teacher who shares no board with her (and the
# directory no longer finds her by school), shown for one who does, and
# a parta-sync pull carries her school to the one and not to the other.
# The directory pages through at 40x15, and "user show" tells the sysop.
. "$(dirname "$0")/lib.sh"
# Terminals are not named "b": tmux takes a target that begins a window's
# name ("bash") in the current session before a session of that name.

start_partad || exit 1
add_user anna teacher "Анна Петровна" "anna-secret"
add_user boris teacher "Борис Ильич" "boris-secret"
add_user vera teacher "Вера Сидорова" "vera-secret"
sysop user edit anna school "Школа №2 с. Кукмор" >/dev/null
sysop user edit anna subjects "Математика, физика" >/dev/null
sysop user edit anna about "Веду кружок юных математиков." >/dev/null
sysop user edit vera school "Гимназия №1" >/dev/null
sysop board add math "Математика" >/dev/null
sysop board add chem "Химия" >/dev/null
console_post math anna "Дроби в пятом классе" "Как объяснять дроби?"
console_post math vera "Олимпиада" "Кто едет на олимпиаду?"
console_post chem boris "Опыты" "Безопасные опыты."
for i in $(seq 1 20); do
	add_user "t$i" teacher "Учитель $i" "t$i-secret"
done

# --- from a thread's author, and a letter from her page --------------------
login_menu x boris boris-secret
first_board x "Математика"
mark x "Дроби в пятом классе"
term_keys x '?'
check "the thread list's ? screen has the author's page" \
    wait_screen x "i +страница автора отмеченной темы"
term_keys x Escape
wait_screen x "Дроби в пятом классе" >/dev/null
term_keys x i
check "i opens the page of the thread's author" \
    wait_screen x "Страница участника"
check "with her name and login" wait_screen x "Анна Петровна \(anna\)"
check "her school" wait_screen x "Школа: Школа №2 с. Кукмор"
check "her subjects" wait_screen x "Предметы: Математика, физика"
check "about her" wait_screen x "Веду кружок юных математиков."
check "her threads" wait_screen x "Дроби в пятом классе — Математика"
term_keys x w
check "w opens a letter addressed to her" wait_screen x "Кому \(логин\) +anna"
term_keys x Enter
fill x "Ваш кружок"
wait_screen x "Кому: anna" >/dev/null
term_type x "Можно прийти к вам на занятие?"
term_keys x C-x
check "the letter is sent" wait_screen x "Письмо отправлено"
check "and she has it" \
    test "$(db "SELECT count(*) FROM mail m JOIN mail_boxes x ON x.mail_id = m.id JOIN users u ON u.id = x.user_id WHERE u.login = 'anna' AND m.subject = 'Ваш кружок'")" = 1
go x "Страница участника" Enter
term_keys x t
check "t lists her threads" wait_screen x "Анна Петровна: Темы"
term_keys x Enter
check "Enter there opens the thread" wait_screen x "Как объяснять дроби\?"
term_keys x i
check "i in the pager opens the post's author's page" \
    wait_screen x "Анна Петровна \(anna\)"
go x "Главное меню" Escape Escape Escape Escape Escape Escape

# --- the directory -----------------------------------------------------------
term_keys x u
check "the main menu's u opens the directory" wait_screen x "Участники \([0-9]+\)"
check "in the Russian order of names" wait_screen x "^ > +Анна Петровна"
term_keys x f
wait_screen x "Имя, школа или предмет" >/dev/null
fill x "математике"
check "found by subject in another form" wait_screen x "Участники: математике \(1\)"
check "her row shows her school" wait_screen x "Анна Петровна +Школа №2"
term_keys x Enter
check "Enter opens her page" wait_screen x "Страница участника"
go x "Участники: математике" Escape
term_keys x f
wait_screen x "Имя, школа или предмет" >/dev/null
term_keys x C-u
fill x "гимназия"
check "found by school" wait_screen x "Участники: гимназия \(1\)"
check "the school's member" wait_screen x "Вера Сидорова"
go x "Главное меню" Escape

# --- she shows her page to members of her boards only ------------------------
login a anna anna-secret
check "boris's letter waits for her" wait_screen a "У вас новые письма: 1"
go a "Главное меню" Enter
term_keys a p
check "the profile says whom her page shows to" \
    wait_screen a "Страница видна +всем участникам"
term_keys a Down Down Down Down Space
check "Space chooses the members of her boards" \
    wait_screen a "Страница видна +участникам моих разделов"
term_keys a Enter
check "the profile is saved" wait_screen a "Профиль сохранён"
check "the store has it" \
    test "$(db "SELECT page_shows FROM users WHERE login = 'anna'")" = boards
check "user show tells the sysop" \
    sh -c "'$B/parta-sysop' -d '$D' user show anna | grep -q 'страница видна: *участникам её разделов'"
go a "Главное меню" Enter

term_keys x u
wait_screen x "Участники \([0-9]+\)" >/dev/null
term_keys x Enter
check "for one who shares no board with her, her page is hidden" \
    wait_screen x "Эта страница видна только участникам общих с её"
check "without her school" screen_lacks x "Кукмор"
check "or about her" screen_lacks x "кружок"
check "nor her threads" screen_lacks x "Дроби"
check "and no key to her lists" screen_lacks x "t темы"
go x "Участники" Escape
term_keys x f
wait_screen x "Имя, школа или предмет" >/dev/null
fill x "Кукмор"
check "the directory does not find her by her school" \
    wait_screen x "Никого не нашлось"
go x "Участники \([0-9]+\)" Enter
go x "Главное меню" Escape

login_menu v vera vera-secret
term_keys v u
wait_screen v "Участники \([0-9]+\)" >/dev/null
term_keys v Enter
check "for one who shares a board with her, it is shown" \
    wait_screen v "Школа: Школа №2 с. Кукмор"
check "with her threads" wait_screen v "Дроби в пятом классе"

# --- who is online -----------------------------------------------------------
go v "Главное меню" Escape Escape
term_keys v w
wait_screen v "Кто в сети" >/dev/null
mark v "Анна Петровна"
term_keys v Enter
check "who-is-online opens a member's page" \
    wait_screen v "Анна Петровна \(anna\)"
go v "Кто в сети" Escape
go v "Главное меню" Escape

# --- the directory at 40x15 pages through ---------------------------------
term_start s "$(ssh_cmd t1 -o PubkeyAuthentication=no)" 40 15
wait_screen s "password:" >/dev/null
term_type s "t1-secret"
term_keys s Enter
wait_screen s "Главное меню" >/dev/null
term_keys s u
check "40x15: the directory opens" wait_screen s "Участники \([0-9]+\)"
term_keys s NPage NPage
check "40x15: it pages through to the last members" \
    wait_screen s "Учитель 9"

# --- parta-sync ----------------------------------------------------------
drv() {
	local u=$1; shift
	"$B/tests/parta-syncdrv" -p "$PORT" -l "$u" -w "$u-secret" \
	    -s "$T/$u.state" "$@"
}
anna_uuid=$(db "SELECT uuid FROM users WHERE login = 'anna'")
drv boris pull >/dev/null
drv vera pull >/dev/null
check "a pull for one who shares no board carries her row" \
    grep -q "^user $anna_uuid" "$T/boris.state"
check "but not her school" \
    sh -c "! grep '^user $anna_uuid' '$T/boris.state' | grep -q 'Кукмор'"
check "nor about her" \
    sh -c "! grep '^user $anna_uuid' '$T/boris.state' | grep -q 'кружок'"
check "a pull for one who shares a board carries her school" \
    sh -c "grep '^user $anna_uuid' '$T/vera.state' | grep -q 'Кукмор'"

done_testing
