#!/bin/bash
# Cyrillic typed where no field has focus reaches the menus through the
# ЙЦУКЕН layout (д is l): a lasting action chosen so (language,
# encoding, logout) asks first, on UTF-8 and on a KOI8-R terminal under
# luit; its Latin letter acts at once (issue 15).
. "$(dirname "$0")/lib.sh"

start_partad || exit 1
add_user anna teacher "Анна" "anna-secret-1"
add_user boris teacher "Борис" "boris-secret-1"
lang_of() { db "SELECT lang FROM users WHERE login = '$1'"; }

login_menu a anna anna-secret-1
term_type a "д"
check "д (l on ЙЦУКЕН) asks before changing the language" \
    wait_screen a "Клавиша д — это l в латинской раскладке: «Language: English». Выполнить\? \(д/н\)"
term_keys a n
check "no keeps the menu" wait_screen a "Главное меню"
check "in Russian" test "$(lang_of anna)" != en
term_type a "й"
check "й (q) asks before logging out" \
    wait_screen a "Клавиша й — это q в латинской раскладке: «Выход». Выполнить\?"
term_keys a n
check "no stays logged in" wait_screen a "Главное меню"
term_type a "ф"
check "ф (a: news) acts at once: nothing lasting" wait_screen a "Новости"
term_keys a Escape
wait_screen a "Главное меню" >/dev/null
term_keys a l
check "l itself changes the language at once" wait_screen a "Main menu"
check "and keeps it" test "$(lang_of anna)" = en
term_type a "д"
check "in English too, д asks first" \
    wait_screen a "The key д is l on a Latin layout: .Язык: русский.. Do it\? \(y/n\)"
term_keys a y
check "yes changes it" wait_screen a "Главное меню"
term_keys a q
# The words, not the exit status: how the session closes is not tested here.
check "q logs out at once" wait_screen a "До свидания!"

# KOI8-R under luit: the same question, in the terminal's encoding.
term_start k "${CLIENT_ENV[*]} luit -encoding KOI8-R -- env LANG=ru_RU.KOI8-R ssh -F $T/ssh_config -l boris -o PubkeyAuthentication=no parta"
wait_screen k "password:" >/dev/null
fill k boris-secret-1
wait_screen k "Главное меню" >/dev/null
term_type k "у"
# KOI8-R has neither the dash nor the guillemets: the pump substitutes.
check "KOI8-R: у (e) asks before the encoding menu" \
    wait_screen k 'Клавиша у - это e в латинской раскладке: "Кодировка терминала". Выполнить\?'
check "KOI8-R: the question is whole, its end on the status line" \
    wait_screen k '^\(д/н\)$'

term_keys k n
check "KOI8-R: no keeps the menu" wait_screen k "Главное меню"
term_type k "й"
wait_screen k "Клавиша й" >/dev/null
term_type k "д"
check "KOI8-R: д answers yes: logged out" wait_screen k "До свидания!"

done_testing
