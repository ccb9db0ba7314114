#!/bin/bash
# Terminal encodings end to end, on real legacy terminals: the ssh client
# runs under luit -encoding KOI8-R (CP1251, CP866) in tmux, so a wrong
# byte shows as mojibake on the captured screen.  The encoding menu on
# all four; a KOI8-R teacher registers and writes "Ёлка", which the store
# keeps as proper UTF-8 and a UTF-8 teacher reads; a CP1251 teacher sees
# Tatar text as one-column substitutes in aligned rows, and the em dash
# CP1251 has as itself (and saving keeps the Tatar letters); a CP866 teacher types Cyrillic into a form; the
# choice persists and can be changed; look-alike names are refused.
. "$(dirname "$0")/lib.sh"

CHARSET_MENU_AUTO=0	# this test looks at the menu itself
start_partad || exit 1
not_on() { ! term_screen "$1" | grep -qE -- "$2"; }

# lterm NAME ENCODING LANG USER [SSH OPTIONS...]: a terminal speaking
# ENCODING, whose ssh client sends LANG (SendEnv in ssh_config).
lterm() {
	local name=$1 enc=$2 lang=$3 user=$4; shift 4
	term_start "$name" "${CLIENT_ENV[*]} luit -encoding $enc -- env LANG=$lang ssh -F $T/ssh_config -l $user $* parta"
}
# llogin NAME ENCODING LANG USER PASSWORD
llogin() {
	lterm "$1" "$2" "$3" "$4" -o PubkeyAuthentication=no
	wait_screen "$1" "password:" || return 1
	fill "$1" "$5"
}

# col_of NAME ROW TEXT: the column (in characters) where TEXT starts on
# the first row matching the regex ROW; -1 when there is none.
col_of() {
	local LC_ALL=C.UTF-8 line
	line=$(term_screen "$1" | grep -E -- "$2" | head -1)
	[ -n "$line" ] && [ "${line#*"$3"}" != "$line" ] || { echo -1; return; }
	line=${line%%"$3"*}
	echo "${#line}"
}
# widths NAME ROW: the distinct lengths (in characters) of rows matching ROW.
widths() {
	local LC_ALL=C.UTF-8 line
	term_screen "$1" | grep -E -- "$2" | while IFS= read -r line; do
		echo "${#line}"
	done | sort -u
}
# parta-sysop in Russian, whatever the environment says.
sysop_ru() { env -u LC_ALL -u LC_MESSAGES LANG=C "$B/parta-sysop" -d "$D" "$@"; }

# --- KOI8-R: the menu, then registration -------------------------------
lterm k KOI8-R ru_RU.KOI8-R new
check "KOI8-R: the encoding menu comes before registration" \
    wait_screen k "Choose the line you can read"
check "KOI8-R: the menu's Russian reads right (the locale's guess)" \
    wait_screen k "Выберите строку, которую можете прочитать"
check "KOI8-R: its own sample reads лимон, marked by LANG=ru_RU.KOI8-R" \
    wait_screen k "^ > 3 +лимон +KOI8-R"
check "KOI8-R: the UTF-8 and CP1251 samples are mojibake there" \
    not_on k "[12] +лимон"
term_keys k Enter
check "KOI8-R: Enter takes the marked line; the form reads right" \
    wait_screen k "Регистрация"
fill k koiuser "Вера Ёлкина" "Сельская школа" "химия" "secret-pw1" "secret-pw1"
check "KOI8-R: the pending screen greets by the Cyrillic name" \
    wait_screen k "Здравствуйте, Вера Ёлкина"
check "the store holds the name as UTF-8" \
    [ "$(db "select hex(display_name) from users where login='koiuser'")" = \
      "$(printf 'Вера Ёлкина' | od -An -tx1 | tr -d ' \n' | tr a-f A-F)" ]
check "the registration stored the encoding chosen before it" \
    [ "$(db "select encoding || encoding_chosen from users where login='koiuser'")" = "KOI8-R1" ]
go k '\[exit 0\]' q
sysop user approve koiuser >/dev/null

# The choice persists: no menu, whatever the client's locale says.
llogin k2 KOI8-R C koiuser secret-pw1
check "KOI8-R: the next login goes straight to a readable main menu" \
    wait_screen k2 "Главное меню"
check "KOI8-R: the encoding menu does not come again" \
    not_on k2 "Choose the line"
check "KOI8-R: the header rule uses KOI8-R's own line drawing (0x80)" \
    wait_screen k2 "^─{80}$"
go k2 "О себе" p
term_keys k2 Down Down Down
fill k2 "Ёлка"
check "KOI8-R: the profile with \"Ёлка\" typed is saved" \
    wait_screen k2 "Профиль сохранён"
check "the store holds \"Ёлка\" typed on KOI8-R as UTF-8" \
    [ "$(db "select about from users where login='koiuser'")" = "Ёлка" ]
go k2 "Главное меню" Enter

# --- UTF-8: the menu, reading what KOI8-R wrote, changing encodings ------
add_user utfuser teacher "Иван Петров" "utf-pass-1"
login u utfuser utf-pass-1
check "UTF-8: a first login shows the menu, UTF-8 marked (LANG=C.UTF-8)" \
    wait_screen u "^ > 1 +лимон +UTF-8"
check "UTF-8: the KOI8-R sample is not readable on a UTF-8 terminal" \
    not_on u "3 +лимон"
term_keys u Enter
check "UTF-8: then the main menu" wait_screen u "Главное меню"
check "UTF-8: the header rule is Unicode line drawing, not VT100's qqqq" \
    wait_screen u "^─{80}$"
check "the choice is stored" \
    [ "$(db "select encoding || encoding_chosen from users where login='utfuser'")" = "UTF-81" ]
term_keys u w
check "UTF-8: who is online shows the KOI8-R teacher's Ёлкина" \
    wait_screen u "koiuser +Вера Ёлкина"
go u "Главное меню" Escape
term_keys u e
check "UTF-8: the main menu offers the encoding menu, current line marked" \
    wait_screen u "^ > 1 +лимон +UTF-8"
term_keys u 3
check "choosing KOI8-R: the notice's ASCII part reads" \
    wait_screen u "KOI8-R\. "
check "choosing KOI8-R: the screen speaks KOI8-R, mojibake on UTF-8" \
    not_on u "Кодировка"
check "choosing KOI8-R on a UTF-8 terminal is stored at once" \
    [ "$(db "select encoding from users where login='utfuser'")" = KOI8-R ]
term_keys u Enter
term_keys u e
check "the ASCII line of the menu reads on any terminal" \
    wait_screen u "Choose the line you can read"
term_keys u 1
check "back to UTF-8: readable again" wait_screen u "теперь UTF-8"
term_keys u Enter
check "the main menu again" wait_screen u "Главное меню"

# --- CP1251: Tatar as one-column substitutes, rows aligned ----------------
add_user tatar teacher "Әнкәм Өйдәева" "tat-pass-1"
db "update users set school = 'Әнкәм өйдә', about = 'Сабантуй — праздник' where login = 'tatar'"
llogin c CP1251 ru_RU.CP1251 tatar tat-pass-1
check "CP1251: the menu marks CP1251 (LANG=ru_RU.CP1251) and reads лимон" \
    wait_screen c "^ > 2 +лимон +CP1251"
term_keys c Enter
check "CP1251: the main menu" wait_screen c "Главное меню"
term_keys c w
check "CP1251: who shows the Tatar name with Russian base letters" \
    wait_screen c "tatar +Анкам Ойдаева"
check "CP1251: and the KOI8-R teacher's name as it is" \
    wait_screen c "koiuser +Вера Ёлкина"
check "CP1251: the minutes column is aligned on both rows" \
    [ "$(col_of c "tatar +Анкам" " мин")" -gt 20 -a \
      "$(col_of c "tatar +Анкам" " мин")" = "$(col_of c "koiuser +Вера" " мин")" ]
go c "Главное меню" Escape
term_keys c p
check "CP1251: the profile shows the Tatar school as \"Анкам ойда\"" \
    wait_screen c "Школа +Анкам ойда_"
check "CP1251: the Tatar name too, one column per letter" \
    wait_screen c "Ваше имя +Анкам Ойдаева_"
check "CP1251: the em dash, which CP1251 has, arrives as \"—\", not \"-\"" \
    wait_screen c "О себе +Сабантуй — праздник"
check "CP1251: the Tatar rows end where the others do" \
    [ "$(widths c "^  (Ваше имя|Школа|Предметы|О себе) " | wc -l)" = 1 ]
term_keys c Enter Enter Enter Enter
check "CP1251: the profile saves" wait_screen c "Профиль сохранён"
check "saving on CP1251 kept the Tatar letters in the store" \
    [ "$(db "select school || '|' || display_name from users where login='tatar'")" = "Әнкәм өйдә|Әнкәм Өйдәева" ]
term_keys c Enter

# --- CP866: no hint, the user picks line 4, then types Cyrillic -----------
lterm d CP866 C new
check "CP866: without a hint, UTF-8 is marked" wait_screen d "^ > 1 "
check "CP866: its own sample reads лимон" wait_screen d "4 +лимон +CP866"
term_keys d 4
check "CP866: choosing line 4 makes the form readable" \
    wait_screen d "Регистрация"
fill d dosuser "Марат Ибрагимов" "Школа в деревне Ясная" "физика" \
    "secret-pw3" "secret-pw3"
check "CP866: the pending screen reads the typed name" \
    wait_screen d "Здравствуйте, Марат Ибрагимов"
check "CP866: the header rule uses CP866's own line drawing" \
    wait_screen d "^─{80}$"
check "the store holds what was typed on CP866 as UTF-8" \
    [ "$(db "select display_name || '|' || school || '|' || encoding from users where login='dosuser'")" = \
      "Марат Ибрагимов|Школа в деревне Ясная|CP866" ]
go d '\[exit 0\]' q

# --- look-alike names --------------------------------------------------
term_start n "$(ssh_cmd new)"
wait_screen n "Choose the line" >/dev/null
go n "Регистрация" Enter
fill n "lookalike" "Ivаnova" "" "" "secret-pw4" "secret-pw4"
check "registration refuses a word mixing Latin and Cyrillic" \
    wait_screen n "Ваше имя: в одном слове смешаны латинские и русские буквы"
term_keys n C-u
term_type n "BEPA ЁЛКИНА"
term_keys n Enter Enter Enter Enter Enter
check "registration refuses a look-alike of an existing name" \
    wait_screen n "Ваше имя: выглядит так же, как имя другого участника"
term_keys n Escape
check "nothing was stored" [ "$(db "select count(*) from users where login='lookalike'")" = 0 ]
out=$(echo "secret-pw5" | sysop_ru user add fake --role teacher \
    --name "Вepa Ёлкина" --password-stdin 2>&1)
check "parta-sysop user add refuses a mixed-script name" \
    sh -c "echo '$out' | grep -q 'смешаны'"
out=$(echo "secret-pw5" | sysop_ru user add fake --role teacher \
    --name "BEPA Ёлкина" --password-stdin 2>&1)
check "parta-sysop user add refuses a look-alike (Latin capitals, ё = е)" \
    sh -c "echo '$out' | grep -q 'выглядит так же'"
check "parta-sysop user list sorts names in Russian order (Ә after А)" \
    [ "$(sysop_ru user list | awk 'NR > 1 { printf "%s ", $1 }')" = "tatar koiuser utfuser dosuser " ]

# --- parta-sysop: readline and Cyrillic in the C and POSIX locales --------
ban_reason_is() { [ "$(db "select ban_reason from users where login='dosuser'")" = "$1" ]; }
for loc in C POSIX; do
	term_start "rl$loc" "env -i PATH=/usr/bin:/bin HOME=$T/home LANG=$loc TERM=xterm PARTA_LOCALEDIR=$PARTA_LOCALEDIR $B/parta-sysop -d $D"
	wait_screen "rl$loc" "^parta> ?$" >/dev/null
	term_type "rl$loc" "user ban dosuser Ёлкаж"
	term_keys "rl$loc" BSpace
	check "readline under LANG=$loc shows Cyrillic as typed" \
	    wait_screen "rl$loc" "^parta> user ban dosuser Ёлка$"
	term_keys "rl$loc" Enter
	check "readline under LANG=$loc: Backspace took one whole letter" \
	    poll "$WAIT" ban_reason_is Ёлка
	fill "rl$loc" "user show dosuser"
	check "parta-sysop under LANG=$loc prints the Cyrillic name" \
	    wait_screen "rl$loc" "Марат Ибрагимов"
	fill "rl$loc" "quit"
	sysop user unban dosuser >/dev/null
done

term_keys k2 q
term_keys u q
term_keys c q
done_testing
