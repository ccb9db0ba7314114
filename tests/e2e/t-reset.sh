#!/bin/bash
# A teacher who forgot her password, through OpenSSH: the sysop sets one
# in parta-sysop (user password), or gives her a one-time code (user
# reset) that she redeems herself as "new" (Esc on the registration
# form, "I have a reset code"); the code works once, a wrong one is
# refused and counted as a failed login of her address.
. "$(dirname "$0")/lib.sh"

start_partad || exit 1
add_user anna teacher "Анна" "old-secret-1"

# The console sets a password.
out=$(echo "console-pw-2" | sysop user password anna --password-stdin 2>&1)
check "user password sets a forgotten password" \
    grep -q "Пароль anna установлен." <<<"$out"
login c anna console-pw-2
check "she logs in with it" wait_screen c "Главное меню"
term_keys c q
out=$(echo "short" | sysop user password anna --password-stdin 2>&1)
check "a password too short is refused" grep -q "не короче 8" <<<"$out"
check "setting a password is audited" \
    [ "$(db "SELECT action, target FROM audit WHERE action = 'password'")" = "password|anna" ]

# A one-time code.
out=$(sysop user reset anna 2>&1)
code=$(sed -n 's/^Код сброса для anna: \([0-9-]*\)$/\1/p' <<<"$out")
check "user reset prints a code" [ ${#code} = 14 ]
check "and says how it is used and until when" \
    grep -q 'Он действует один раз, до .*нажимает Esc в' <<<"$out"
check "the store keeps only its hash" \
    [ "$(db "SELECT count(*) FROM reset_codes WHERE hash LIKE '\$y\$%' AND instr(hash, '$code') = 0")" = 1 ]

term_start r "$(ssh_cmd new)"
check "the registration form says what to do when the password is lost" \
    wait_screen r "Забыли пароль\? Нажмите Esc"
term_keys r Escape
check "Esc offers the reset code" wait_screen r "c  У меня есть код сброса"
term_keys r c
check "the reset form" wait_screen r "Код сброса"
fill r anna "1111-2222-3333" "fresh-pw-3" "fresh-pw-3"
check "a wrong code is refused, on the form" \
    wait_screen r "Код сброса: неверный логин или код сброса"
check "and counted as a failed login" \
    [ "$(db "SELECT count(*) FROM auth_failures WHERE login = 'anna'")" -ge 1 ]
term_keys r C-u		# the form is back on the code
term_type r "$code"
term_keys r Enter Enter Enter
check "the right code sets the new password" \
    wait_screen r "Новый пароль установлен"
check "the session ends" wait_screen r '\[exit 0\]'
check "the code is used up" [ "$(db "SELECT count(*) FROM reset_codes")" = 0 ]

login n anna fresh-pw-3
check "she logs in with her new password" wait_screen n "Главное меню"
term_keys n q

reset_with_code r2 anna "$code" "other-pw-4"
check "the code works only once" \
    wait_screen r2 "Код сброса: неверный логин или код сброса"
form_menu r2 r "Вернуться к анкете"
check "r goes back to the registration form" wait_screen r2 "Ваше имя"
form_menu r2 q
check "q logs out" wait_screen r2 '\[exit 0\]'

done_testing
