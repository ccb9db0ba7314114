#!/bin/bash
# A ban reaches open sessions: a teacher logged in over ssh and in sftp
# at once is banned from parta-sysop, and both sessions end, the
# interactive one saying why; a ban written by another way is noticed by
# the sessions themselves within seconds; parta-sysop kick ends a
# user's sessions and says how many; a role taken away applies from the
# user's next action (her post is refused: a pending account may not
# even read the board).
. "$(dirname "$0")/lib.sh"

start_partad || exit 1
lib_user anna
sysop board add math "Математика" >/dev/null

term_start w "$(ssh_cmd anna)"
check "anna is logged in over ssh" wait_screen w "Главное меню"
term_start f "${CLIENT_ENV[*]} sftp -F $T/ssh_config -o User=anna parta"
check "and over sftp" wait_screen f "sftp>"
check "who shows both sessions" \
    poll "$WAIT" sh -c "[ \$('$B/parta-sysop' -d '$D' who | grep -c '^anna ') = 2 ]"

out=$(sysop user ban anna "спам")
check "ban says it ended both sessions" grep -q "anna: 2\." <<<"$out"
check "the interactive session says why" wait_screen w "заблокирована.*спам"
check "... and ends" wait_screen w '\[exit 0\]'
check "the sftp session ends too" wait_screen f "Connection closed"
check "nobody is online any longer" \
    poll "$WAIT" sh -c "! '$B/parta-sysop' -d '$D' who | grep -q '^anna '"

# A ban the console did not signal: the session finds it by itself.
sysop user unban anna >/dev/null
term_start w2 "$(ssh_cmd anna)"
wait_screen w2 "Главное меню" >/dev/null
db "UPDATE users SET banned_at = strftime('%s','now'), ban_reason = 'тихо'
    WHERE login = 'anna'"
check "a ban written elsewhere ends the session within seconds" \
    wait_screen w2 "заблокирована.*тихо"
wait_screen w2 '\[exit 0\]' >/dev/null
poll "$WAIT" sh -c "! '$B/parta-sysop' -d '$D' who | grep -q '^anna '"
sysop user unban anna >/dev/null

term_start w3 "$(ssh_cmd anna)"
wait_screen w3 "Главное меню" >/dev/null
out=$(sysop kick anna)
check "kick says how many sessions it ended" grep -q "anna: 1\." <<<"$out"
check "the kicked session is told" wait_screen w3 "Сисоп завершил ваш сеанс"
check "kick of nobody online ends none" \
    poll "$WAIT" sh -c "'$B/parta-sysop' -d '$D' kick anna | grep -q 'anna: 0\.'"

# A role taken away while she writes: the post is refused.
term_start w4 "$(ssh_cmd anna)"
wait_screen w4 "Главное меню" >/dev/null
go w4 "Математика" b
go w4 "w новая тема" Enter
new_thread w4 "Дроби"
term_type w4 "Делим пирог на равные части."
sysop user role anna pending >/dev/null
term_keys w4 C-x
check "after her role is taken away, her post is refused" \
    wait_screen w4 "вам нельзя читать этот раздел"
check "and nothing was posted" \
    [ "$(db "select count(*) from posts")" = 0 ]

done_testing
