#!/bin/bash
# Nothing typed is lost while reading a digest (issues 13 and 15): a
# reply she sent is in the reply packet before the screen says so, so
# that a reading that ends badly keeps it.  parta --digest, a reply,
# then the whole process tree killed with SIGKILL (a crash, the power
# gone): the packet is there with the reply, parta-sysop digest import
# posts it once; the next reading removes the dead one's directory,
# shows the reply waiting in the outbox, and leaving writes the same
# packet, whose second import posts nothing new.  A second reply, then
# the terminal's window closed (SIGHUP): that one is in the packet too
# and the reading's directory is gone.  A third reading ended by SIGTERM
# says where the packet is.
. "$(dirname "$0")/lib.sh"
trap cleanup EXIT

mkdir -p "$D"
add_staffroom
console_post math boris "Ёлки" "Сколько ёлок в лесу у школы?"
digest_stick anna
reader() {	# reader NAME: parta --digest over the (writable) stick
	term_start "$1" "${CLIENT_ENV[*]} TMPDIR=$T PARTA_LOCALEDIR=$PARTA_LOCALEDIR $B/parta --digest $W/anna.pdg"
}
# tree PID: PID and all its descendants, one a line.
tree() {
	local c
	echo "$1"
	for c in $(ps -o pid= --ppid "$1"); do
		tree "$c"
	done
}
# parta_of NAME: the pid of the parta a terminal runs (the pane's shell
# runs env, which became parta).
parta_of() {
	local sh
	sh=$(tmux -S "$TMUX_SOCK" display-message -p -t "=$1:" '#{pane_pid}')
	ps -o pid= --ppid "$sh" | tr -d ' ' | head -1
}
posts() { db "SELECT count(*) FROM posts WHERE body = '$1'"; }
import() {	# import OUT: the sysop imports a copy of the packet
	cp "$PK" "$OUT/p" && chmod 644 "$OUT/p"
	LANG=en_US.UTF-8 sysop digest import "$OUT/p" >"$T/$1" 2>&1 ||
	    { diag <"$T/$1"; return 1; }
}
to_thread() {	# to_thread NAME: from the main menu into the thread
	first_board "$1" "Ёлки"
	go "$1" "Сколько ёлок" Enter
}
dirs() { ls -d "$T"/parta-read.* 2>/dev/null; }

reader r1
check "parta --digest opens the screens" wait_screen r1 "Главное меню"
to_thread r1
write_reply r1 "Ответ до обрыва."
check "her reply is sent" wait_screen r1 "#2/2"
pids=$(tree "$(parta_of r1)")
kill -KILL $pids
check "the reading and all it started are gone" poll "$WAIT" gone $pids
check "the packet is there after a crash" test -s "$PK"
left=$(dirs)
check "the crash leaves its directory" test -n "$left"
check "digest import takes it" import i1.out
check "and posts the reply" grep -q "1 posted, 0 posted before" "$T/i1.out"
check "once" test "$(posts 'Ответ до обрыва.')" = 1

cp "$PK" "$T/p1"
reader r2
check "the next reading opens" wait_screen r2 "Главное меню"
check "and removes the dead reading's directory" poll "$WAIT" test ! -e "$left"
check "her reply waits in the outbox" wait_screen r2 "исх\. 1"
go r2 "Исходящие" o
check "the outbox shows it waiting" wait_screen r2 "ждёт.*Ответ до обрыва"
go r2 "Главное меню" Escape
to_thread r2
check "and the thread shows it, once" wait_screen r2 "#1/2"
go r2 "Главное меню" Escape Escape Escape
term_keys r2 q
check "leaving says the packet holds one" \
    wait_screen r2 "ответов и писем: 1, они в"
check "and writes the same packet" cmp -s "$T/p1" "$PK"
check "no directory is left" test -z "$(dirs)"
import i2.out
check "importing it again posts nothing new" \
    grep -q "0 posted, 1 posted before" "$T/i2.out"
check "the reply is still there once" test "$(posts 'Ответ до обрыва.')" = 1

reader r3
wait_screen r3 "Главное меню" >/dev/null
to_thread r3
write_reply r3 "Ответ перед закрытием окна."
check "a second reply is sent" wait_screen r3 "#3/3"
pids=$(tree "$(parta_of r3)")
term_kill r3
check "closing the window ends the reading" poll "$WAIT" gone $pids
check "its directory is removed" test -z "$(dirs)"
import i3.out
check "the packet holds the second reply too" \
    grep -q "1 posted, 1 posted before" "$T/i3.out"
check "each posted once" test "$(posts 'Ответ перед закрытием окна.')" = 1 -a \
    "$(posts 'Ответ до обрыва.')" = 1

reader r4
check "a third reading opens" wait_screen r4 "Главное меню"
kill -TERM "$(parta_of r4)"
check "SIGTERM ends it saying what the packet holds" \
    wait_screen r4 "ответов и писем: 2, они в"
check "and where it is" wait_screen r4 "stick/anna.pdg.reply"
check "and that nothing sent is lost" wait_screen r4 "прервано извне"
check "with the reading's directory removed" test -z "$(dirs)"

done_testing
