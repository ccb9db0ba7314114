#!/bin/bash
# One encoding per login, not per account (issue 15), on real legacy
# terminals (luit in tmux).  A teacher whose account stores CP1251 reads
# her menu on a UTF-8 terminal whose ssh announces LANG=C.UTF-8, and the
# stored CP1251 stays for the school's PuTTY, which announces nothing.
# A Cyrillic password set on a UTF-8 terminal opens the account from
# CP1251, KOI8-R and CP866 terminals, which send its letters as other
# bytes (and the encoding it was typed in is the login's); one set on a
# KOI8-R terminal opens it from UTF-8.  A wrong one still fails.
. "$(dirname "$0")/lib.sh"

CHARSET_MENU_AUTO=0	# a menu shown here is a failure, not a step
start_partad || exit 1
not_on() { ! term_screen "$1" | grep -qE -- "$2"; }
stored() { db "select encoding || encoding_chosen from users where login='$1'"; }

# lterm NAME ENCODING LANG USER: a terminal speaking ENCODING whose ssh
# sends LANG (C announces nothing), logging in with a password.
lterm() {
	term_start "$1" "${CLIENT_ENV[*]} luit -encoding $2 -- env LANG=$3 ssh -F $T/ssh_config -l $4 -o PubkeyAuthentication=no parta"
}
# llogin NAME ENCODING LANG USER PASSWORD
llogin() {
	lterm "$1" "$2" "$3" "$4"
	wait_screen "$1" "password:" >/dev/null || return 1
	fill "$1" "$5"
}

# --- the encoding announced wins for the login, the stored one stays ----
add_user lena teacher "Елена Гарипова" "lena-secret-1"
db "update users set encoding = 'CP1251', encoding_chosen = 1 where login = 'lena'"
login h lena lena-secret-1	# OpenSSH on UTF-8, LANG=C.UTF-8 sent
check "UTF-8 at home: the menu reads right though CP1251 is stored" \
    wait_screen h "Главное меню"
check "UTF-8 at home: no encoding question on the way" \
    not_on h "Choose the line"
check "UTF-8 at home: the stored CP1251 is left for the school" \
    [ "$(stored lena)" = CP12511 ]
go h '\[exit 0\]' q
llogin s CP1251 C lena lena-secret-1
check "CP1251 at school, nothing announced: the stored CP1251 reads" \
    wait_screen s "Главное меню"
go s '\[exit 0\]' q
llogin k KOI8-R ru_RU.KOI8-R lena lena-secret-1
check "KOI8-R announced: the menu reads right on KOI8-R" \
    wait_screen k "Главное меню"
go k '\[exit 0\]' q
check "after three logins the stored encoding is still CP1251" \
    [ "$(stored lena)" = CP12511 ]

# --- a Cyrillic password set on UTF-8, typed on legacy terminals --------
add_user olga teacher "Ольга Ёлкина" "Ёлочка-гори1"
db "update users set encoding = 'UTF-8', encoding_chosen = 1 where login = 'olga'"
for enc in CP1251 KOI8-R CP866; do
	llogin "p$enc" "$enc" C olga "Ёлочка-гори1"
	# Readable here: the login speaks what the password was typed in,
	# not the stored UTF-8.
	check "$enc: the Cyrillic password set on UTF-8 opens the account" \
	    wait_screen "p$enc" "Главное меню"
	go "p$enc" '\[exit 0\]' q
done
llogin w CP1251 C olga "Ёлочка-гори2"
check "CP1251: a wrong Cyrillic password is still refused" \
    wait_screen w "Permission denied"
logged_once() { [ "$(grep -c 'failed password for olga' "$T/partad.log")" = 1 ]; }
check "the refusal counts once per attempt, not once per reading" \
    poll "$WAIT" logged_once
term_kill w
check "olga's stored encoding is still UTF-8" [ "$(stored olga)" = UTF-81 ]

# --- a Cyrillic password set on KOI8-R, typed on UTF-8 and CP866 ---------
lterm r KOI8-R ru_RU.KOI8-R new
wait_screen r "Choose the line" >/dev/null
go r "Регистрация" Enter
fill r vera "Вера Ёлкина" "Сельская школа" "химия" "пароль-Вера" "пароль-Вера"
check "KOI8-R: registered with a Cyrillic password" \
    wait_screen r "Здравствуйте, Вера Ёлкина"
go r '\[exit 0\]' q
sysop user approve vera >/dev/null
login u vera "пароль-Вера"
check "UTF-8: the password set on KOI8-R opens the account" \
    wait_screen u "Главное меню"
check "UTF-8: in UTF-8, announced, though KOI8-R is stored" \
    [ "$(stored vera)" = KOI8-R1 ]
go u '\[exit 0\]' q
llogin d CP866 C vera "пароль-Вера"
check "CP866: the password set on KOI8-R opens the account" \
    wait_screen d "Главное меню"
go d '\[exit 0\]' q

done_testing
