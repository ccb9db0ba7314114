#!/bin/bash
# Screens that read right at 80x24 (issue 15): a status-line message
# wider than the screen is shown whole on two rows, broken between
# words; long subjects and titles are cut with "…" and keep a gap before
# the author's column and the header's login; a quote wrapped on a
# narrow terminal keeps its "> "; a legend cut to fit ends with
# "? все клавиши" and the coordinator's keys are all on the "?" screen;
# forms (Ctrl-G) and the poll vote (?) have a help screen made from
# their key tables.
. "$(dirname "$0")/lib.sh"

start_partad || exit 1
add_user anna teacher "Анна" "anna-secret-1"
add_user kira coordinator "Кира" "kira-secret-1"
sysop board add math "Математика для начальных классов сельских школ района и всех желающих" >/dev/null
sysop board coordinator math kira >/dev/null 2>&1
long="Очень длинная тема про подготовку к олимпиаде по математике в четвёртых классах"
console_post math anna "$long" "Текст."
quote="> Это длинная цитата из прошлого письма, которая не помещается в узкий терминал и переносится на несколько строк."
console_post math anna "Цитата" "$quote"

# A message wider than the screen, whole on two rows.
term_start reg "$(ssh_cmd new)"
wait_screen reg "Регистрация" >/dev/null
fill reg "ivanova" "Aнна Иванова" "Школа" "математика" "secret-pw1" \
    "secret-pw1"
check "a long message on the status line is shown whole" \
    wait_screen reg "^слово одним алфавитом$"
check "broken between words onto the row above" \
    wait_screen reg "^Ваше имя: в одном слове смешаны латинские и русские буквы; наберите каждое$"
term_keys reg C-g
check "Ctrl-G on a form shows its keys" \
    wait_screen reg "Клавиши: Регистрация"
check "from the form's key table" \
    wait_screen reg "очистить поле"
term_keys reg Escape
check "Esc goes back to the form" wait_screen reg "\^G справка"
term_kill reg

# Long subjects and titles: cut with "…", a gap kept.
login_menu a anna anna-secret-1
first_board a
check "a long subject is cut with … two columns before the author" \
    wait_screen a "Очень длинная тема про подготовку к ол…  Анна "
check "a long board title in the header is cut before the login" \
    wait_screen a "^parta \| Математика для .*…  anna$"
term_kill a

# A quote on a narrow terminal keeps its marker on every row.
term_start n "$(ssh_cmd anna -o PubkeyAuthentication=no)" 50 24
wait_screen n "password:" >/dev/null
term_type n anna-secret-1
term_keys n Enter
wait_screen n "Главное меню" >/dev/null
first_board n "Цитата"
term_keys n Enter
check "the quote's first row" wait_screen n "^> Это длинная цитата из прошлого письма,"
check "and its next rows keep the marker" wait_count n "^> " 3
check "down to its last word" wait_screen n "^> .*строк\.$"
term_kill n

# The coordinator's legend fits and says where the rest is.
login_menu k kira kira-secret-1
first_board k
check "a coordinator's cut legend ends with ? все клавиши" \
    wait_screen k "\? все клавиши$"
term_keys k "?"
check "? lists lock" wait_screen k "^l +закрыть тему"
check "move" wait_screen k "^v +перенести"
check "and approve" wait_screen k "^a +одобрить"
term_keys k Escape
wait_screen k "все клавиши" >/dev/null

# The poll vote's help.
printf "Да\nНет\n" | sysop poll add math --question "Нужен ли кружок?" \
    --closes "$(( $(date +%Y) + 1 ))-06-01" >/dev/null
term_keys k o
wait_screen k "Нужен ли кружок" >/dev/null
term_keys k Enter
check "the vote screen's legend comes from its table" \
    wait_screen k "1-5 голосовать  Esc назад  \? справка"
term_keys k "?"
check "? shows the vote's keys" \
    wait_screen k "цифра вашего ответа — голос за него"
term_keys k Escape
check "and goes back to the vote" wait_screen k "1-5 голосовать"

done_testing
