#!/bin/bash
# Search, end to end: posts made with parta-sysop post, searched in the
# BBS through OpenSSH in tmux ("елка" finds "Ёлка" and "ЕЛКИ", the found
# words are highlighted, "заика" does not find "зайка", a syntax error
# gets a clear message, the board (by tag, title or part of the title)
# and author filters, Enter on the words searches, Enter opens the post in
# its thread), and parta-sysop search.
. "$(dirname "$0")/lib.sh"

start_partad || exit 1
add_user anna teacher "Анна Иванова" "anna-secret"
add_user boris teacher "Борис Петров" "boris-secret"
add_user vera expert "Вера Сергеевна" "vera-secret-1"
sysop board add math 'Математика' >/dev/null
sysop board add nach 'Начальные классы' >/dev/null

# post BOARD USER SUBJECT BODY
post() {
	printf '%s\n' "$4" | sysop post "$1" --as "$2" --subject "$3" >/dev/null
}
post nach anna "Ёлка в классе" "Наряжаем ёлку всем классом к празднику."
post math boris "ЕЛКИ-ПАЛКИ" "Задача про шишки, которые упали с ели."
post nach boris "Зверята" "Серый зайка сидит под кустом."
post math anna "Дроби" "Как объяснить дроби пятиклассникам?"

login_menu a anna anna-secret
check "the main menu offers search on f" wait_screen a "f  Поиск"
term_keys a f
check "the search form opens" wait_screen a "Что искать"

# Enter on the first field searches at once.
term_type a "елка"
term_keys a Enter
check "Enter on the words searches at once" wait_screen a "Поиск: найдено 2"
term_keys a Escape
wait_screen a "Что искать +елка" >/dev/null

search a "елка"
check "\"елка\" finds \"Ёлка\"" wait_screen a "Ёлка в классе"
check "and \"ЕЛКИ\"" wait_screen a "ЕЛКИ-ПАЛКИ"
check "two posts are found" wait_screen a "Поиск: найдено 2"
check "the board and the author's name are shown" \
    wait_screen a "Начальные классы +Ёлка в классе +Анна Иван"
check "a snippet of the text is shown" wait_screen a "Наряжаем ёлку всем классом"
# The found word is bold and underlined: ESC [ ... 4 ... m before it.
if tmux -S "$TMUX_SOCK" capture-pane -p -e -t a |
    grep -qE $'\e\\[[0-9;]*4[0-9;]*m(\e\\[[0-9;]*m)*(ёлку|ЕЛКИ)'; then
	ok "the found word is highlighted"
else
	not_ok "the found word is highlighted"
	tmux -S "$TMUX_SOCK" capture-pane -p -e -t a | cat -v | diag
fi
if term_screen a | grep -q "Зверята"; then
	not_ok "nothing else is found"
else
	ok "nothing else is found"
fi

# Enter opens the post in its thread.
term_keys a Enter
check "Enter opens the post in its thread" wait_screen a "Наряжаем ёлку всем классом к празднику"
term_keys a Escape
check "Esc comes back to the results" wait_screen a "Поиск: найдено 2"
term_keys a Escape
check "Esc again returns to the form with the query kept" wait_screen a "Что искать +елка"

search a "ёлок"
check "\"ёлок\" (a fleeting vowel: the dictionary's lemma ёлка) finds \"Ёлка\"" \
    wait_screen a "Ёлка в классе"
term_keys a Escape
search a "заика"
check "\"заика\" does not find \"зайка\"" wait_screen a "Ничего не найдено"
search a "зайку"
check "\"зайку\" finds \"зайка\"" wait_screen a "Зверята"
term_keys a Escape

search a '"елка в'
check "an open quote gets a clear message" wait_screen a "кавычка не закрыта"
if term_screen a | grep -qiE "sql|fts5|syntax error"; then
	not_ok "no SQL error text is shown"
else
	ok "no SQL error text is shown"
fi
search a "OR елка"
check "a misplaced OR gets a clear message" wait_screen a "OR \(ИЛИ\) должно стоять между"

search a "елка" "math"
check "the board filter finds the post on that board" wait_screen a "ЕЛКИ-ПАЛКИ"
check "and only that one" wait_screen a "Поиск: найдено 1"
term_keys a Escape
search a "елка" "Начальные классы"
check "a board is also found by its title" wait_screen a "Ёлка в классе"
check "and only its post" wait_screen a "Поиск: найдено 1"
term_keys a Escape
search a "елка" "матем"
check "a board is also found by a part of its title" wait_screen a "ЕЛКИ-ПАЛКИ"
check "and only its post, there" wait_screen a "Поиск: найдено 1"
term_keys a Escape
search a "елка" "а"
check "a part of several titles asks for more" \
    wait_screen a "это есть в названиях нескольких разделов"
term_keys a Escape
wait_screen a "Главное меню" >/dev/null
term_keys a f
wait_screen a "Что искать" >/dev/null
search a "елка" "" "boris"
check "the author filter" wait_screen a "ЕЛКИ-ПАЛКИ"
check "finds only that author's post" wait_screen a "Поиск: найдено 1"
term_keys a Escape
search a "елка" "nosuch"
check "an unknown board is named" wait_screen a "такого раздела нет"
# The form now waits on the board field; start afresh.
go a "Главное меню" Escape
go a "Что искать" f
search a "елка" "" "" "2024-13-01"
check "a bad date is explained" wait_screen a "дата пишется как ДД.ММ.ГГГГ"
term_keys a Escape
check "Esc leaves the form for the main menu" wait_screen a "Главное меню"

# Mail: a letter to the experts is found by an expert, not by anna.
printf 'Пришлите схемы гирлянд для кабинета.\n' |
    sysop broadcast --subject "Гирлянды к празднику" --role expert >/dev/null
go a "Что искать" f
search a "гирлянда" "" "" "" "" "д"
check "one's mail holds no letter meant for others" \
    wait_screen a "В вашей почте ничего не найдено"
search a "гирлянда" "math" "" "" "" "д"
check "a board with mail is explained" wait_screen a "Письма не лежат в разделах"
go a "Главное меню" Escape
term_keys a q

login v vera vera-secret-1
check "the expert is told of a new letter at login" wait_screen v "новые письма"
go v "Главное меню" Enter
go v "Что искать" f
search v "гирлянды" "" "" "" "" "y"
check "the expert finds the letter in her mail" wait_screen v "Гирлянды к празднику"
check "it is shown as in the inbox" wait_screen v "Входящие"
term_keys v Enter
check "Enter shows the letter" wait_screen v "Пришлите схемы гирлянд для кабинета"
term_keys v Escape Escape Escape q

# The console.
out=$(sysop search елка 2>&1)
check "parta-sysop search prints the Ёлка post" grep -q "nach .*Ёлка в классе .*anna" <<<"$out"
check "with the word marked" grep -q "\[\[ёлку\]\]" <<<"$out"
check "and the ЕЛКИ post" grep -q "math .*ЕЛКИ-ПАЛКИ .*boris" <<<"$out"
out=$(sysop search елка --board math 2>&1)
if grep -q "Ёлка в классе" <<<"$out" || ! grep -q "ЕЛКИ-ПАЛКИ" <<<"$out"; then
	not_ok "parta-sysop search --board limits to that board"
	diag <<<"$out"
else
	ok "parta-sysop search --board limits to that board"
fi
check "parta-sysop search says when nothing is found" \
    sh -c "'$B/parta-sysop' -d '$D' search заика | grep -q 'Ничего не найдено'"
if out=$(sysop search '"елка' 2>&1); then
	not_ok "a syntax error makes parta-sysop search fail"
else
	ok "a syntax error makes parta-sysop search fail"
fi
check "with a clear message" grep -q "кавычка не закрыта" <<<"$out"

# A hidden post is no longer found: hide it by the number search shows.
id=$(sysop search елка | awk '/Ёлка в классе/ { print $1 }')
sysop hide "$id" "спам" >/dev/null
out=$(sysop search елка 2>&1)
if [ -z "$id" ] || grep -q "Ёлка в классе" <<<"$out" || ! grep -q "ЕЛКИ-ПАЛКИ" <<<"$out"; then
	not_ok "a hidden post is no longer found"
	diag <<<"$out"
else
	ok "a hidden post is no longer found"
fi

done_testing
