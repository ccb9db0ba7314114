#!/bin/bash
# The sysop issues a one-time reset code from the BBS, through OpenSSH:
# the main menu offers it to the sysop only; after the login and a
# confirmation the code is shown once, and gone from the screen after a
# key; the teacher redeems it as "new" and logs in with her new password.
. "$(dirname "$0")/lib.sh"

start_partad || exit 1
echo "old-secret-1" | sysop user add anna --role teacher --name "Анна" \
    --password-stdin >/dev/null
echo "boss-secret-1" | sysop user add boss --role sysop --name "Сисоп" \
    --password-stdin >/dev/null

login t anna old-secret-1
wait_screen t "Главное меню" >/dev/null
check "a teacher's menu has no reset codes" \
    sh -c "! tmux -S '$TMUX_SOCK' capture-pane -p -t t | grep -q 'Код сброса'"
term_keys t r
check "and the key does nothing" \
    sh -c "! tmux -S '$TMUX_SOCK' capture-pane -p -t t | grep -q 'Логин'"
term_keys t q

login s boss boss-secret-1
wait_screen s "Главное меню" >/dev/null
check "the sysop's menu offers reset codes" \
    wait_screen s "r  Код сброса пароля"
term_keys s r
wait_screen s "Логин" >/dev/null
term_type s "nobody-here"
term_keys s Enter
check "an unknown login is refused" wait_screen s "нет пользователя с таким логином"
term_keys s Enter r
wait_screen s "Логин" >/dev/null
term_type s "anna"
term_keys s Enter
check "it asks first, naming her" \
    wait_screen s "Выдать код сброса для anna \(Анна\)\? .*\(д/н\)"
term_keys s n
check "no: no code is issued" [ "$(db "SELECT count(*) FROM reset_codes")" = 0 ]
term_keys s r
wait_screen s "Логин" >/dev/null
term_type s "anna"
term_keys s Enter
wait_screen s "\(д/н\)" >/dev/null
term_keys s y
check "the code is shown" wait_screen s "Код сброса для anna: [0-9]{4}-[0-9]{4}-[0-9]{4}"
check "with how she uses it" wait_screen s "Он действует один раз, до"
code=$(term_screen s | sed -n 's/^ *Код сброса для anna: \([0-9-]*\).*/\1/p')
check "issued by the sysop" \
    [ "$(db "SELECT issued_by FROM reset_codes")" = boss ]
term_keys s Enter
check "after a key the code is gone from the screen" \
    poll 50 sh -c "tmux -S '$TMUX_SOCK' capture-pane -p -t s | grep -q 'Главное меню' && ! tmux -S '$TMUX_SOCK' capture-pane -p -t s | grep -q -- '$code'"

term_start r "$(ssh_cmd new)"
wait_screen r "Регистрация" >/dev/null
term_keys r Escape
wait_screen r "У меня есть код сброса" >/dev/null
term_keys r c
wait_screen r "Код сброса" >/dev/null
fill r anna "$code" "fresh-pw-3" "fresh-pw-3"
check "she sets a new password with the code" \
    wait_screen r "Новый пароль установлен"
login n anna fresh-pw-3
check "and logs in with it" wait_screen n "Главное меню"

done_testing
