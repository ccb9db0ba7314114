#!/bin/bash
# The mail recipient completed while she types, through OpenSSH at 80x24
# (issue 15): the teachers whose login or a word of whose name begins
# with what is typed after the last comma are listed under the form, by
# name with the login; the arrows mark one and Enter takes it, Tab takes
# the first; the field gets the login and ", " for the next.  In UTF-8,
# and Cyrillic typed on a KOI8-R terminal (luit).
. "$(dirname "$0")/lib.sh"

start_partad || exit 1
add_user anna teacher "Анна Иванова" anna-secret-1
add_user koord coordinator "Гульназ Хабибуллина" koord-secret-1
add_user gulshat teacher "Гульшат Исмагилова" gulshat-secret-1
add_user boris teacher "Борис Петров" boris-secret-1
echo "koi-secret-1" | sysop user add koi --role teacher \
    --name "Учитель koi" --password-stdin >/dev/null
letters() { db "SELECT count(*) FROM mail m JOIN mail_boxes x ON x.mail_id = m.id
    JOIN users u ON u.id = x.user_id WHERE u.login = '$1' AND x.folder = 'inbox'
    AND m.subject = '$2'"; }

login_menu a anna anna-secret-1
go a "Входящие" m
go a "Кому \(логин\)" w
term_type a "гул"
check "as she types, both teachers who fit are listed under the form" \
    wait_screen a "^ +Гульназ Хабибуллина \(koord\)"
check "by name, in Russian order, with the login" \
    wait_screen a "^ +Гульшат Исмагилова \(gulshat\)"
check "the legend offers Tab" wait_screen a "Tab взять имя"
term_keys a Down Down
check "the arrows mark one" wait_screen a "> Гульшат Исмагилова \(gulshat\)"
term_keys a Enter
check "Enter takes the marked one: the field has her login" \
    wait_screen a "Кому \(логин\) +gulshat, _"
check "and the list is gone" screen_lacks a "Гульназ"
term_type a "бор"
check "the next recipient, after the comma, is listed too" \
    wait_screen a "^ +Борис Петров \(boris\)"
term_keys a Tab
check "Tab takes the first" wait_screen a "Кому \(логин\) +gulshat, boris, _"
term_keys a Enter
fill a "План на четверть"
check "the editor is for both" wait_screen a "Кому: gulshat, boris"
term_type a "Пришлите план."
term_keys a C-x
check "the letter is sent" wait_screen a "Письмо отправлено\."
check "to the two she picked, not to the other Гуль…" \
    [ "$(letters gulshat 'План на четверть')$(letters boris 'План на четверть')$(letters koord 'План на четверть')" = 110 ]

# A KOI8-R terminal: the Cyrillic she types is what the list matches.
term_start k "${CLIENT_ENV[*]} luit -encoding KOI8-R -- env LANG=ru_RU.KOI8-R ssh -F $T/ssh_config -l koi -o PubkeyAuthentication=no parta"
wait_screen k "password:" >/dev/null
fill k koi-secret-1
check "KOI8-R: the main menu reads right" wait_screen k "Главное меню"
go k "Входящие" m
go k "Кому \(логин\)" w
term_type k "хаб"
check "KOI8-R: a surname's beginning lists her by name" \
    wait_screen k "^ +Гульназ Хабибуллина \(koord\)"
term_keys k Tab
check "KOI8-R: Tab puts her login in the field" \
    wait_screen k "Кому \(логин\) +koord, _"
term_keys k Enter
fill k "Ёлка в школе"
check "KOI8-R: the editor is for her" wait_screen k "Кому: koord"
term_type k "Приходите."
term_keys k C-x
check "KOI8-R: the letter is sent" wait_screen k "Письмо отправлено\."
check "KOI8-R: she has it, its subject as typed" \
    [ "$(letters koord 'Ёлка в школе')" = 1 ]

sanitizer_check
done_testing
