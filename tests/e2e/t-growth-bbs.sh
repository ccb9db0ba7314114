#!/bin/bash
# A coordinator sees her board's growth in the BBS, through OpenSSH: the
# board list offers "g growth" to a coordinator only; the screen shows
# the last 8 weeks by week within 80 columns, with the same figures as
# parta-sysop report --board for the same span.
. "$(dirname "$0")/lib.sh"

start_partad || exit 1
add_teachers anna boris koord
sysop board add math "Математика" >/dev/null
sysop board add olymp "Олимпиады" >/dev/null
sysop board coordinator math koord >/dev/null
console_post math anna "Первая" "Раз."
console_post math boris "Вторая" "Два."
console_post math anna "Третья" "Три."
console_post olymp boris "Другая" "Не здесь."

login_menu a anna anna-secret-1
go a "Разделы" b
check "a teacher's board list offers no growth report" \
    screen_lacks a 'g рост'

login_menu k koord koord-secret-1
term_keys k b
check "a coordinator's board list offers it" wait_screen k "g рост"
# The boards in their order: math first.
term_keys k g
check "the report of her board, by week" \
    wait_screen k "Математика: рост"
check "with its heading" wait_screen k "НЕДЕЛЯ +АКТИВНЫХ +СООБЩЕНИЙ +ТЕМ"
check "all 8 weeks and the total on one 80x24 screen" \
    [ "$(term_screen k | grep -cE '^[0-9]{4}-[0-9]{2}-[0-9]{2} +[0-9]+ +[0-9]+ +[0-9]+$')" -ge 8 ]
bbs=$(term_screen k | awk '$1 == "всего" { print $2, $3, $4 }')
from=$(date -d "-55 days" +%F)
con=$(sysop report --board math --from "$from" | awk '$1 == "всего" { print $2, $5, $6; exit }')
check "the same figures as the console's report --board ($bbs)" \
    [ -n "$bbs" ] && [ "$bbs" = "$con" ]
check "three posts in three threads by two participants" [ "$bbs" = "2 3 3" ]
term_keys k Escape
check "Esc goes back to the boards" wait_screen k "Разделы"
term_keys k Down g
check "a board she does not moderate is refused" \
    wait_screen k "это могут только координаторы раздела"

done_testing
