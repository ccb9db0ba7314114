#!/bin/bash
# The UI library without partad: tests/uihost/host.c (parta-uihost)
# links libparta-ui.a and libparta.a only, and runs the screens on a
# local terminal (tmux) over a store file, for one login.  Its host
# shows through: the header's right end (the login and what the user is
# doing), a main menu row of its own and none of partad's, and lists
# that reload when another connection writes the store.  Through it:
# the main menu, a board, a thread read, a reply written in the editor
# and sent, found in the store and on the screen; then logging out ends
# the process with status 0.
. "$(dirname "$0")/lib.sh"

UIHOST=$B/tests/parta-uihost
if [ ! -x "$UIHOST" ]; then
	not_ok "$UIHOST is built (make \$(TEST_BIN))"
	done_testing
	exit
fi

echo "anna-secret-1" | sysop user add anna --role teacher --name "Анна Ивановна" \
    --password-stdin >/dev/null
sysop board add math "Математика" >/dev/null
echo "Как объяснять дроби?" | sysop post math --as anna --subject "Дроби" >/dev/null

# No function that bbs/'s sources define is in the host (main aside).
for src in "$TOP"/bbs/*.c; do
	o=$B/bbs/$(basename "$src" .c).o
	[ -f "$o" ] && nm -g --defined-only "$o"
done | awk '$2 == "T" && $3 != "main" { print $3 }' | sort -u >"$T/bbs.syms"
nm -g --defined-only "$UIHOST" | awk '$2 == "T" { print $3 }' | sort -u \
    >"$T/host.syms"
check "bbs/ defines functions to look for" test -s "$T/bbs.syms"
check "the test host links no part of bbs/" \
    sh -c "[ -z \"\$(comm -12 '$T/bbs.syms' '$T/host.syms')\" ]"
if command -v ldd >/dev/null; then
	check "nor libssh" sh -c "! ldd '$UIHOST' | grep -q libssh"
fi

# The host's stderr is its log, kept off the terminal.
term_start u "env TERM=xterm LANG=C.UTF-8 $UIHOST -L $PARTA_LOCALEDIR $D/parta.db anna 2>$T/uihost.log"
check "the main menu opens" wait_screen u "Главное меню"
check "the header's right end is the host's: login and what she does" \
    wait_screen u "anna \[menu\]"
check "the host's own row is in the main menu" wait_screen u "h  Test host row"
no_partad_rows() { ! term_screen u | grep -qE 'Кто в сети|SSH|пароль|ждёт вас'; }
check "partad's rows are not (who is online, keys, password, approvals)" \
    no_partad_rows

# --- a board, a thread ---------------------------------------------------
term_keys u b
check "the board list" wait_screen u "Математика"
check "the doing hook followed her" wait_screen u "anna \[boards\]"
term_keys u Enter
check "the board's threads" wait_screen u "Дроби +Анна Иванов"

# Another connection writes: the list reads the store again by itself.
echo "Задачи на проценты" | sysop post math --as anna --subject "Проценты" >/dev/null
check "a thread posted meanwhile appears without a key (data_version)" \
    wait_screen u "Проценты +Анна Иванов"
check "and the marker stayed on the thread it was on" wait_screen u "^ > .*Дроби"

term_keys u Enter
check "the pager shows the thread" wait_screen u "Как объяснять дроби"
check "reading, the host is told" wait_screen u "anna \[reading\]"

# --- a reply in the editor --------------------------------------------------
term_keys u r
check "r opens the editor" wait_screen u "\^X отправить"
term_type u "Делим пирог на равные части."
term_keys u C-x
check "after sending, she is on her reply, the second of two" \
    wait_screen u "#2/2"
check "the reply is on screen" wait_screen u "Делим пирог на равные части"
check "as the second post" wait_screen u "#2/2 +Анна Ивановна \(anna\)"
n=$(db "SELECT count(*) FROM posts p JOIN threads t ON t.id = p.thread_id
	WHERE t.subject = 'Дроби' AND p.body = 'Делим пирог на равные части.'")
check "the reply is in the store, once" test "$n" = 1

# --- out --------------------------------------------------------------------
go u "Проценты" Escape
go u "Математика" Escape
go u "Главное меню" Escape
term_keys u q
check "logging out ends the host's process with status 0" \
    wait_screen u "\[exit 0\]"
check "ui_run said goodbye on its way out" wait_screen u "До свидания"
if grep -qE 'ERROR: AddressSanitizer|runtime error:' "$T/uihost.log"; then
	not_ok "no sanitizer reports in the host's log"
	diag <"$T/uihost.log"
fi
done_testing
