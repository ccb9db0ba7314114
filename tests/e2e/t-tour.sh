#!/bin/bash
# The first login offers a short tour on the main menu's legend (no
# extra screen); t opens it: three screens made from the key tables (the
# main menu's rows as this user has them, the marks and keys of lists,
# the editor's keys).  The next login no longer offers it, nor lists it
# in the menu (issue 15).
. "$(dirname "$0")/lib.sh"

start_partad || exit 1
add_user anna teacher "Анна" "anna-secret-1"

login_menu a anna anna-secret-1
check "the first login offers the tour on the menu's legend" \
    wait_screen a "Впервые здесь\? t — экскурсия.  Стрелки и Enter или буква пункта  \? справка"
term_keys a t
check "t opens its first screen" wait_screen a "Клавиши: Экскурсия, 1/3: главное меню"
check "made from the main menu's rows" wait_screen a "^d +Мои черновики"
check "the host's rows too" wait_screen a "^w +Кто в сети"
# Space pages down (the rows of the menu may take more than a screen).
term_keys a Space Space
check "and says how to use it" wait_screen a "В главном меню нажмите букву пункта"
term_keys a Escape
check "the second: the marks of lists" wait_screen a "Экскурсия, 2/3: списки"
check "pinned" wait_screen a "^! +тема закреплена вверху раздела"
check "new posts" wait_screen a "^\+3 +новые сообщения: три"
term_keys a Escape
check "the third: the editor's keys, from its table" \
    wait_screen a "^\^X +отправить текст"
check "and drafts" wait_screen a "«Мои черновики» \(d в главном меню\)"
term_keys a Escape
check "back on the main menu" wait_screen a "Главное меню"
check "no longer offering it" screen_lacks a "Впервые здесь"
term_keys a q
wait_screen a "До свидания" >/dev/null

login_menu a2 anna anna-secret-1
check "the next login does not offer it" \
    wait_screen a2 "^Стрелки и Enter или буква пункта  \? справка"
check "nor lists it: the menu stays short enough for 60x20" \
    screen_lacks a2 "Короткая экскурсия"

done_testing
