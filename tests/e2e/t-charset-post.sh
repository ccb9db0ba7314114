#!/bin/bash
# Posts across terminal encodings (issue 4 with the boards of issue 3):
# a KOI8-R teacher (luit) starts a thread "Ёлка"; a UTF-8 teacher finds
# it by searching "елка" and sees "Ёлка"; a CP1251 teacher reads the
# Tatar post "Әнкәм өйдә" with one-column substitutes, its row aligned
# with the others; a CP866 teacher types a Cyrillic reply in the editor.
. "$(dirname "$0")/lib.sh"

start_partad || exit 1
for u in koi utf tat win dos; do
	echo "$u-secret-1" | sysop user add $u --role teacher \
	    --name "Учитель $u" --password-stdin >/dev/null
done
sysop board add nach "Начальные классы" >/dev/null

# llogin NAME ENCODING USER PASSWORD: log in on a terminal speaking
# ENCODING whose ssh sends the matching LANG; the encoding menu of the
# first login then marks that encoding, and lib.sh's waits take it.
llogin() {
	term_start "$1" "${CLIENT_ENV[*]} luit -encoding $2 -- env LANG=ru_RU.$2 ssh -F $T/ssh_config -l $3 -o PubkeyAuthentication=no parta"
	wait_screen "$1" "password:" || return 1
	fill "$1" "$4"
}
col_of() {	# NAME ROW TEXT: the column of TEXT on the row matching ROW
	local LC_ALL=C.UTF-8 line
	line=$(term_screen "$1" | grep -E -- "$2" | head -1)
	[ -n "$line" ] && [ "${line#*"$3"}" != "$line" ] || { echo -1; return; }
	line=${line%%"$3"*}
	echo "${#line}"
}

# --- KOI8-R writes ---------------------------------------------------------
llogin k KOI8-R koi koi-secret-1
check "KOI8-R: the main menu reads right" wait_screen k "Главное меню"
check "KOI8-R: the first-login choice was KOI8-R (marked by LANG)" \
    [ "$(db "select encoding from users where login='koi'")" = KOI8-R ]
go k "Начальные классы" b
go k "w новая тема" Enter
term_keys k w
check "KOI8-R: the editor opens" wait_screen k "Новая тема"
fill k "Ёлка"
term_type k "Наряжаем ёлку всем классом."
term_keys k C-x
check "KOI8-R: the thread \"Ёлка\" is listed" wait_screen k "Ёлка +Учитель koi"
check "the store holds the KOI8-R post as UTF-8" \
    [ "$(db "select subject || '|' || body from posts order by id desc limit 1")" = \
      "Ёлка|Наряжаем ёлку всем классом." ]

# --- UTF-8 finds it --------------------------------------------------------
login_menu u utf utf-secret-1
go u "Что искать" f
term_type u "елка"
term_keys u Enter	# Enter on the words searches at once
check "UTF-8: \"елка\" finds the KOI8-R teacher's \"Ёлка\"" \
    wait_screen u "Начальные классы +Ёлка +Учитель koi"
check "UTF-8: with its text" wait_screen u "Наряжаем ёлку всем классом"

# --- CP1251 reads Tatar ----------------------------------------------------
printf '%s\n' "Әнкәм өйдә. Бүген мәктәптә математика дәресе булды." |
    sysop post nach --as tat --subject "Әнкәм өйдә" >/dev/null
llogin w CP1251 win win-secret-1
wait_screen w "Главное меню" >/dev/null
pick w "Начальные классы" b
check "CP1251: the Tatar subject shows as \"Анкам ойда\"" \
    wait_screen w "Анкам ойда +Учитель tat"
check "CP1251: the author column is aligned on the Tatar and Russian rows" \
    [ "$(col_of w "Анкам ойда" " tat ")" -gt 10 -a \
      "$(col_of w "Анкам ойда" " tat ")" = "$(col_of w "Ёлка +Учитель koi" " koi ")" ]
term_keys w Enter
check "CP1251: the Tatar text reads with Russian base letters" \
    wait_screen w "Анкам ойда\. Буген мактапта математика даресе булды\."
check "CP1251: no question marks stand in for letters" \
    screen_lacks w 'Анкам.*?'
check "the store still holds the Tatar letters" \
    [ "$(db "select count(*) from posts where subject = 'Әнкәм өйдә'")" = 1 ]

# --- CP866 types a reply ---------------------------------------------------
llogin d CP866 dos dos-secret-1
wait_screen d "Главное меню" >/dev/null
go d "Начальные классы" b
go d "Ёлка" Enter
term_keys d Down
go d "#1/1" Enter
term_keys d t
check "CP866: the reply editor quotes in Cyrillic" \
    wait_screen d "^> Наряжаем ёлку"
term_type d "Спасибо, коллеги! Ёлка получилась."
term_keys d C-x
check "CP866: the reply is posted, in Cyrillic" \
    wait_screen d "Спасибо, коллеги! Ёлка получилась\."
check "CP866: as the thread's second post" wait_screen d "#2/2 +Учитель dos \(dos\)"
check "the store holds the CP866 reply as UTF-8" \
    [ "$(db "select count(*) from posts where body like '%Спасибо, коллеги! Ёлка получилась.%'")" = 1 ]

term_keys k Escape Escape q
term_keys u Escape Escape q
term_keys w Escape Escape Escape q
term_keys d Escape Escape Escape q
done_testing
