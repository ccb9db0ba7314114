#!/bin/bash
# Chat through OpenSSH in tmux: two teachers and the board's coordinator
# in the board's room.  Lines arrive for the others by themselves, those
# said before are shown on entry, who is here is shown, a line the
# coordinator hides disappears for the others, a teacher may not hide,
# the flood limit refuses a sixth line in ten seconds, a banned teacher
# cannot speak, a teacher cannot enter the room of a board she may not
# read, and a room the sysop opens is everyone's.
. "$(dirname "$0")/lib.sh"

start_partad || exit 1
add_teachers anna vera koord
sysop board add math "Математика" >/dev/null
sysop board coordinator math koord >/dev/null
sysop board add staff "Учительская" >/dev/null
sysop board edit staff read coordinator >/dev/null
sysop chat open talk >/dev/null

# History: a line said before anyone comes in.
login_menu a anna anna-secret-1
go a "Комнаты чата" c
check "the room list has the sysop's room and the boards' readable to her" \
    wait_screen a "talk"
check "and the board's room" wait_screen a "math +Математика"
check "but not a board she may not read" screen_lacks a "Учительская"
go a "Здесь: Имя anna" Down Enter
check "the room's keys are on the status line" wait_screen a "Enter сказать"
term_type a "Доброе утро, коллеги!"
term_keys a Enter
check "her line is shown to her" wait_screen a "Имя anna: Доброе утро, коллеги!"
check "and kept in the store once" \
    test "$(db "SELECT count(*) FROM chat_lines")" = 1

login_menu v vera vera-secret-1
go v "Комнаты чата" c
go v "Enter войти" Down
term_keys v Enter
check "the history is shown on entry" \
    wait_screen v "Имя anna: Доброе утро, коллеги!"
check "who is here: both" wait_screen v "Здесь: Имя anna, Имя vera"
check "the others see her come in" wait_screen a "Здесь: Имя anna, Имя vera"

login_menu k koord koord-secret-1
go k "Комнаты чата" c
go k "Enter войти" Down
term_keys k Enter
wait_screen k "Здесь: Имя anna, Имя koord, Имя vera" >/dev/null
check "a coordinator is offered to hide lines" wait_screen k "\^K скрыть"
check "a teacher is not" screen_lacks a "скрыть"

term_type v "Сегодня педсовет в 14:00"
term_keys v Enter
check "a line arrives for the first teacher" \
    wait_screen a "Имя vera: Сегодня педсовет в 14:00"
check "and for the coordinator" \
    wait_screen k "Имя vera: Сегодня педсовет в 14:00"
check "her own typing stayed on her input line" \
    wait_screen v "^>\s*$"

term_type a "Куплю слона"
term_keys a Enter
wait_screen k "Имя anna: Куплю слона" >/dev/null
term_keys k C-k
go k "Скрыть реплику" 
term_keys k Enter
check "the hidden line disappears for the others" \
    poll "$WAIT" screen_lacks v "Куплю слона"
check "for its author too" poll "$WAIT" screen_lacks a "Куплю слона"
check "the rest stays" wait_screen v "Имя vera: Сегодня педсовет в 14:00"
check "the store keeps it, hidden, by the coordinator" \
    test "$(db "SELECT count(*) FROM chat_lines l JOIN users u ON u.id = l.hidden_by WHERE l.body = 'Куплю слона' AND u.login = 'koord'")" = 1
term_keys a C-k
check "no list opens for her" poll "$WAIT" screen_lacks a "Скрыть реплику"

# The flood limit: five lines in ten seconds, the sixth refused.  The
# lines said so far are made older than the limit's window.
db "UPDATE chat_lines SET at = at - 60"
for i in 1 2 3 4 5 6; do
	term_type v "строка $i"
	term_keys v Enter
	[ "$i" -lt 6 ] && wait_screen v "Имя vera: строка $i" >/dev/null
done
check "the sixth line in ten seconds is refused, said plainly" \
    wait_screen v "слишком много реплик подряд"
check "and stays on her input line to send again" \
    wait_screen v "^> строка 6"
check "five of them are kept" \
    test "$(db "SELECT count(*) FROM chat_lines WHERE body LIKE 'строка %'")" = 5

# A banned teacher cannot speak.
sysop user ban anna --reason "спам" >/dev/null
check "a banned teacher's session ends" wait_screen a "заблокирована"
login b anna anna-secret-1
check "nor can she come back to speak" wait_screen b "заблокирована"
check "her two lines are all there are of hers" \
    test "$(db "SELECT count(*) FROM chat_lines l JOIN users u ON u.id = l.author_id WHERE u.login = 'anna'")" = 2

# The sysop's room: everyone's.
go v "Комнаты чата" Escape
term_keys v Up Enter
check "the sysop's room opens for a teacher" wait_screen v "Здесь: Имя vera"
term_type v "Привет всем"
term_keys v Enter
check "and takes her line" wait_screen v "Имя vera: Привет всем"
term_keys v C-g
check "? help lists the room's keys" wait_screen v "отправить набранную строку всем в комнате"
term_keys v Escape
rooms() { sysop chat list | grep -qE "^$1 +[^ ]+ +$2 "; }
check "the console lists the rooms with the lines they show" rooms talk 1
check "a hidden line is not counted" rooms math 7

done_testing
