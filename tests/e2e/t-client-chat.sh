#!/bin/bash
# Chat in the companion client: a line said on the BBS reaches the
# client's copy through parta-sync (the change log's chat_line rows);
# offline, the chat screen says it needs the link and takes no text;
# online, the room shows the BBS's line, and a line typed in the client
# leaves through the outbox and appears on the BBS, once.
. "$(dirname "$0")/lib.sh"

start_partad || exit 1
add_user anna teacher "Анна Иванова" "anna-secret-1"
add_user vera teacher "Вера Сидорова" "vera-secret-1"
sysop board add math "Математика" "Уроки и задачи" >/dev/null
client_anna
copy() { sqlite3 -cmd '.timeout 5000' "$cache/copy.db" "$@"; }

# A line said on the BBS.
login_menu v vera vera-secret-1
go v "Комнаты чата" c
go v "Здесь: Вера Сидорова" Enter
term_type v "Завтра методобъединение"
term_keys v Enter
wait_screen v "Вера Сидорова: Завтра методобъединение" >/dev/null

"${PENV[@]}" "$B/parta" -F "$T/parta_config" -d "$cache" --sync anna@school \
    </dev/null >"$T/sync.out" 2>&1
check "the client's copy gets the line said on the BBS" \
    test "$(copy "SELECT body FROM chat_lines")" = "Завтра методобъединение"
check "and its room" test "$(copy "SELECT count(*) FROM chat_rooms")" = 1

# Offline: the room says it needs the link.
term_start off "$P -d $cache --offline anna@school"
wait_screen off "Главное меню" >/dev/null
pick off "Комнаты чата" c
check "offline, the room shows what the copy holds" \
    wait_screen off "Вера Сидорова: Завтра методобъединение"
check "and says plainly that chat needs the link" \
    wait_screen off "Чату нужна связь с сервером, а сейчас её нет"
term_type off "в пустоту"
term_keys off Enter
check "what she types offline goes nowhere" poll "$WAIT" screen_lacks off "в пустоту"
check "the outbox holds no chat line" \
    test "$(sqlite3 "$cache/outbox.db" "SELECT count(*) FROM outbox")" = 0
go off '^\[exit 0\]' Escape Escape q

# Online: the room, her line out through the outbox.
term_start on "$P -d $cache anna@school"
wait_screen on "Главное меню" >/dev/null
poll "$WAIT" grep -q '^0 ' "$cache/status"
pick on "Комнаты чата" c
check "online, the room shows the BBS's line" \
    wait_screen on "Вера Сидорова: Завтра методобъединение"
check "and takes text" wait_screen on "Enter сказать"
term_type on "Буду к трём"
term_keys on Enter
check "her line shows in the client" wait_screen on "Анна Иванова: Буду к трём"
check "and arrives on the BBS" wait_screen v "Анна Иванова: Буду к трём" 150
check "once" poll "$WAIT" test "$(db "SELECT count(*) FROM chat_lines WHERE body = 'Буду к трём'")" = 1
term_type v "Хорошо"
term_keys v Enter
check "a line said on the BBS meanwhile arrives in the client by itself" \
    wait_screen on "Вера Сидорова: Хорошо" 150
go on '^\[exit 0\]' Escape Escape q

done_testing
