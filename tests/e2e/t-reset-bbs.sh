#!/bin/bash
# The sysop issues a one-time reset code from the BBS, through OpenSSH:
# the main menu offers it to the sysop only; after the login and a
# confirmation the code is shown once, and gone from the screen after a
# key; the teacher redeems it as "new" and logs in with her new password.
. "$(dirname "$0")/lib.sh"

start_partad || exit 1
add_user anna teacher "Анна" "old-secret-1"
add_user boss sysop "Сисоп" "boss-secret-1"

login_menu t anna old-secret-1
check "a teacher's menu has no reset codes" \
    screen_lacks t 'Код сброса'
term_keys t r
check "and the key does nothing" \
    screen_lacks t 'Логин'
term_keys t q

login_menu s boss boss-secret-1
check "the sysop's menu offers reset codes" \
    wait_screen s "r  Код сброса пароля"
go s "Логин" r
fill s "nobody-here"
check "an unknown login is refused" wait_screen s "нет пользователя с таким логином"
go s "Логин" Enter r
fill s "anna"
check "it asks first, naming her" \
    wait_screen s "Выдать код сброса для anna \(Анна\)\? .*\(д/н\)"
term_keys s n
check "no: no code is issued" [ "$(db "SELECT count(*) FROM reset_codes")" = 0 ]
go s "Логин" r
fill s "anna"
answer_yes s
check "the code is shown" wait_screen s "Код сброса для anna: [0-9]{4}-[0-9]{4}-[0-9]{4}"
check "with how she uses it" wait_screen s "Он действует один раз, до"
code=$(term_screen s | sed -n 's/^ *Код сброса для anna: \([0-9-]*\).*/\1/p')
check "issued by the sysop" \
    [ "$(db "SELECT issued_by FROM reset_codes")" = boss ]
term_keys s Enter
check "after a key the code is gone from the screen" \
    poll "$WAIT" sh -c "tmux -S '$TMUX_SOCK' capture-pane -p -t s | grep -q 'Главное меню' && ! tmux -S '$TMUX_SOCK' capture-pane -p -t s | grep -q -- '$code'"

reset_with_code r anna "$code" "fresh-pw-3"
check "she sets a new password with the code" \
    wait_screen r "Новый пароль установлен"
login n anna fresh-pw-3
check "and logs in with it" wait_screen n "Главное меню"

done_testing
