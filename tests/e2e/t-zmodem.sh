#!/bin/bash
# ZMODEM downloads from the library's item card (issue 5): lrzsz's rz, as
# a terminal that receives ZMODEM would, gets a file of every byte value
# (ESC, ZDLE 0x18, the pump's own markers and a fake ZMODEM header among
# them) byte for byte, under its UTF-8 name on a UTF-8 terminal and its
# ASCII name on a KOI8-R one; the download is counted; the BBS answers
# keys afterwards, in the terminal's encoding.  A hang-up and a shutdown
# during a transfer leave no sz, no zombie and no temporary directory.
# With zmodem_sz naming no program the card offers no ZMODEM.  An
# event's card sends its calendar file the same way (issue 16).
#
# tmux cannot receive ZMODEM, so the client here is ssh -tt on pipes (a
# bash coprocess): keys are written to it, its output read byte by byte
# until the ZMODEM header, then rz takes over its pipes.
. "$(dirname "$0")/lib.sh"
export LC_ALL=C		# bytes, not characters, in the patterns below

for p in sz rz iconv; do
	command -v "$p" >/dev/null || { not_ok "$p is installed (lrzsz)"; done_testing; exit 1; }
done

# partad's temporary directories land here, where the test can see them.
mkdir -p "$T/tmp"
[ -n "$PARTAD_USER" ] && chown "$PARTAD_USER" "$T/tmp"	# partad's, after the drop
export TMPDIR="$T/tmp"

start_partad "public_host 127.0.0.1" || exit 1
lib_user anna
lib_user boris
lib_user kolya
sysop library section add math 'Математика' >/dev/null
# boris's terminal speaks UTF-8, kolya's KOI8-R; both chose already.
db "UPDATE users SET encoding = 'UTF-8', encoding_chosen = 1
    WHERE login IN ('anna', 'boris');
    UPDATE users SET encoding = 'KOI8-R', encoding_chosen = 1
    WHERE login = 'kolya';"

# Every byte value up and down, the pump's markers, a ZMODEM header and
# CAN x 5 as data, and some noise.
name='Таблица.bin'
{
	for i in $(seq 0 255); do printf "\\$(printf %03o "$i")"; done
	printf '\033_parta;cs=KOI8-R\033\\\033_parta;text=x\033\\\033_parta;out\033\\'
	printf 'rz\r**\030B00000000000000\r\212\021\030\030\030\030\030'
	head -c 60000 /dev/urandom
	for i in $(seq 255 -1 0); do printf "\\$(printf %03o "$i")"; done
} >"$T/$name"
check "the test file holds all 256 byte values" \
    test "$(od -An -v -tx1 "$T/$name" | tr ' ' '\n' | grep . | sort -u | wc -l)" = 256

# anna uploads it and describes it in the UI.
cd "$T" || exit 1
printf 'put %s\n' "$name" >"$T/up.batch"
out=$(sftp_as anna "$T/up.batch")
login a anna anna-secret
wait_screen a "Главное" >/dev/null
go a "Моя папка загрузок" i
term_keys a u
wait_screen a "Таблица.bin" >/dev/null || diag <<<"$out"
go a "Выберите рубрику" Enter
go a "Описание файла" Enter
fill a " байтов"
fill_text a "Все байты по порядку"
fill a "5" "тест"
check "the item is in the library" wait_screen a "Добавлено в библиотеку"
term_keys a Enter Escape q
ascii=$(db "SELECT filename_ascii FROM library_items WHERE filename = '$name'")
check "the item has an ASCII name" test -n "$ascii"
downloads() { db "SELECT downloads FROM library_items WHERE filename = '$name'"; }

# ---- the client on pipes --------------------------------------------------

ZM_BUF=
ZM_CHILD=
# zm_start USER: ssh -tt for USER (with the test's key) as a coprocess;
# -e none: no escape character, binary must pass.  LANG=C: the client
# announces no encoding, so the account's stored one is the login's.
zm_start() {
	coproc ZM { exec "${CLIENT_ENV[@]}" LANG=C ssh -tt -e none -F "$T/ssh_config" \
	    -l "$1" parta 2>>"$T/ssh.err"; }
	ZM_CHILD=$ZM_PID	# bash unsets ZM_PID when the client ends
	# Plain copies: a coprocess's own descriptors are closed in
	# subshells, and rz runs in one.
	exec {ZM_RD}<&"${ZM[0]}" {ZM_WR}>&"${ZM[1]}"
	ZM_BUF=
}
# zm_expect BYTES [SECONDS]: read the output, one byte at a time, until
# what was read since the last zm_expect holds BYTES (default 15 s).
zm_expect() {
	local want=$1 end=$((SECONDS + ${2:-15})) c
	while :; do
		case $ZM_BUF in *"$want"*) return 0 ;; esac
		[ "$SECONDS" -lt "$end" ] || break
		if IFS= read -r -d '' -n 1 -t 1 -u "$ZM_RD" c; then
			ZM_BUF+=${c:-.}	# a NUL byte: read stops at it
		elif [ $? -le 128 ]; then
			break		# end of output
		fi
	done
	c=$ZM_BUF
	[ "${#c}" -le 600 ] || c=${c: -600}
	echo "# waited for $(printf %q "$want"); the output's end was:"
	printf %s "$c" | od -c | tail -n 20 | diag
	return 1
}
# buf_lacks BYTES: nothing read since the last zm_next holds BYTES.
buf_lacks() { ! grep -qaF -- "$1" <<<"$ZM_BUF"; }
# zm_next: forget what was read (the next zm_expect looks at new output).
zm_next() { ZM_BUF=; }
zm_keys() { zm_next; printf %s "$1" >&"$ZM_WR"; }
# zm_wait_exit: the client has ended (within 10 s).
zm_wait_exit() { poll "$WAIT" sh -c "! kill -0 $ZM_CHILD 2>/dev/null"; }
zm_kill() {
	kill "$ZM_CHILD" 2>/dev/null
	wait "$ZM_CHILD" 2>/dev/null
	exec {ZM_RD}<&- {ZM_WR}>&-
}
# zm_rz DIR: receive what sz sends into DIR (made here) by rz on the
# client's pipes, within 120 s: rz's status.
zm_rz() {
	mkdir -p "$1" && (cd "$1" && exec timeout 120 rz --quiet \
	    <&"$ZM_RD" >&"$ZM_WR" 2>>"$T/rz.err")
}
# In KOI8-R, as kolya's terminal gets it.
k8() { printf %s "$1" | iconv -f UTF-8 -t KOI8-R; }

# The processes under partad, "PID PPID STAT COMMAND" each.
partad_tree() {
	ps -e -o pid=,ppid=,stat=,comm= | awk -v root="$PARTAD_PID" '
	    { pid[NR] = $1; ppid[NR] = $2; line[NR] = $0 }
	    END {
		keep[root] = 1
		do {
			more = 0
			for (i = 1; i <= NR; i++)
				if ((ppid[i] in keep) && !(pid[i] in keep)) {
					keep[pid[i]] = 1; more = 1
				}
		} while (more)
		for (i = 1; i <= NR; i++)
			if (pid[i] != root && (pid[i] in keep)) print line[i]
	    }'
}
sz_running() { partad_tree | awk '$4 == "sz"' | grep -q .; }
left_nothing() {
	! sz_running && ! partad_tree | awk '$3 ~ /^Z/' | grep -q . &&
	    [ -z "$(ls -A "$T/tmp")" ]
}
# gone_within TENTHS: no sz, no zombie, no temporary directory in time.
gone_within() {
	poll "$1" left_nothing && return 0
	{ echo "left behind:"; partad_tree; ls -la "$T/tmp"; } | diag
	return 1
}

# zm_card USER MENU LIBRARY SECTION ITEM CARD: log in and open the
# item's card, waiting for each screen by a word from it, in the
# terminal's encoding.  Words, not phrases: curses moves the cursor over
# blanks rather than send spaces.
zm_card() {
	zm_start "$1"
	zm_expect "$2" 20 || return 1
	zm_keys i
	zm_expect "$3" || return 1
	zm_keys s
	zm_expect "$4" || return 1
	zm_keys $'\r'
	zm_expect "$5" || return 1
	zm_keys $'\r'
	zm_expect "$6"
}

# ---- UTF-8: boris -----------------------------------------------------------

check "boris opens the item's card" zm_card boris "Главное" "Разделы" \
    "Математика" "байтов" "Материал"
check "the card offers ZMODEM for a file" zm_expect "ZMODEM"
zm_keys z
check "z tells what a ZMODEM download needs" zm_expect "SyncTERM"
check "and under which name the file comes" zm_expect "$name"
zm_keys "?"
check "? on the intro shows its keys (issue 15)" zm_expect "Клавиши"
check "from its key table" zm_expect "передать"
zm_keys $'\033'
check "Esc goes back to the intro" zm_expect "SyncTERM"
zm_keys $'\r'
check "Enter starts sz: the ZMODEM header arrives" zm_expect $'**\030B00'
check "sz runs under partad" sz_running
check "with the file under its name in a temporary directory" \
    sh -c "ls -L '$T'/tmp/parta-zmodem.*/'$name' >/dev/null 2>&1"
t0=$(date +%s%N)
check "rz receives the file and exits 0" zm_rz "$T/rx-utf8"
# rz waits 10 s for sz's closing "OO" when it is lost (ui-zmodem.c).
check "rz is told the end at once" test $(($(date +%s%N) - t0)) -lt 8000000000
check "the received file has the item's UTF-8 name" test -f "$T/rx-utf8/$name"
check "and is byte-identical" cmp -s "$T/$name" "$T/rx-utf8/$name"
zm_next
check "the BBS says the file was sent" zm_expect "отправлен"
check "the download is counted" test "$(downloads)" = 1
check "none of the pump's markers reached the client" buf_lacks "parta;"
zm_keys x
check "a key still gives a screen: the card" zm_expect "ZMODEM"
zm_keys $'\r'
check "and the next key works too" zm_expect "Комментариев"
zm_keys x
zm_expect "ZMODEM" >/dev/null
check "sz and its temporary directory are gone" gone_within 50
zm_kill

# ---- KOI8-R: kolya ----------------------------------------------------------

check "kolya (KOI8-R) opens the item's card" zm_card kolya \
    "$(k8 "Главное")" "$(k8 "Разделы")" "$(k8 "Математика")" \
    "$(k8 "байтов")" "$(k8 "Материал")"
zm_keys z
check "a KOI8-R terminal is told the ASCII name" zm_expect "$ascii"
zm_keys $'\r'
check "sz starts for a KOI8-R terminal" zm_expect $'**\030B00'
check "rz receives the file through the KOI8-R converter" zm_rz "$T/rx-koi8"
check "under its ASCII name" test -f "$T/rx-koi8/$ascii"
check "byte-identical: the converter left it alone" \
    cmp -s "$T/$name" "$T/rx-koi8/$ascii"
zm_next
check "the BBS speaks KOI8-R again afterwards" zm_expect "$(k8 "отправлен")"
check "the second download is counted" test "$(downloads)" = 2
zm_keys x
check "and answers a key in KOI8-R" zm_expect "$(k8 "комментарии")"
zm_kill

# ---- a hang-up during a transfer ----------------------------------------

# zm_sending: boris opens the file's card and starts its transfer, which
# then waits for a receiver.
zm_sending() {
	zm_card boris "Главное" "Разделы" "Математика" "байтов" \
	    "Материал" >/dev/null
	zm_keys z
	zm_expect "SyncTERM" >/dev/null
	zm_keys $'\r'
	zm_expect $'**\030B00' >/dev/null
}

zm_sending
check "a transfer waits for the receiver" sz_running
zm_kill
check "a hang-up ends sz, leaving no zombie and no temporary directory" \
    gone_within 100
check "an unfinished transfer is not counted" test "$(downloads)" = 2

# ---- a shutdown during a transfer -----------------------------------------

zm_sending
session=$(partad_tree | awk '$4 == "sz" { print $2 }' |
    while read -r ui; do ps -o ppid= -p "$ui"; done | tr -d ' ')
check "the transfer's session is found" test -n "$session"
kill -TERM $session
check "SIGTERM during a transfer: the user is told the server stops" \
    zm_expect "останавливается"
check "and the client's connection ends" zm_wait_exit
check "no sz, no zombie, no temporary directory after it" \
    gone_within 100
zm_kill

# ---- an event's calendar file (issue 16) ----------------------------------

sysop board add math "Математика" >/dev/null
sysop event add math --title "Семинар" --description "" \
    --at "$(date -d tomorrow +%Y-%m-%d) 10:00" >/dev/null
zm_start boris
zm_expect "Главное" 20 >/dev/null
zm_keys v
zm_expect "Мероприятия" >/dev/null
zm_keys a
zm_expect "Семинар" >/dev/null
zm_keys $'\r'
check "an event's card offers its calendar file by ZMODEM" zm_expect "ZMODEM"
zm_keys z
check "z names the file" zm_expect "event-1.ics"
zm_keys $'\r'
check "Enter starts sz for it" zm_expect $'**\030B00'
check "rz receives the event's calendar file" zm_rz "$T/rx-ics"
check "an iCalendar file of the event" \
    grep -q "SUMMARY:Семинар" "$T/rx-ics/event-1.ics"
zm_next
check "the BBS says it was sent" zm_expect "отправлен"
check "no sz, no temporary file left" gone_within 50
zm_kill

# ---- no sz: no ZMODEM -------------------------------------------------------

stop_partad
start_partad "public_host 127.0.0.1" "zmodem_sz $T/no/such/sz" || exit 1
check "without sz the card still opens" zm_card boris "Главное" \
    "Разделы" "Математика" "байтов" "комментарии"
check "and offers no ZMODEM" buf_lacks "ZMODEM"
zm_keys z$'\r'
check "z does nothing there" zm_expect "Комментариев"
check "no ZMODEM screen came" buf_lacks "ZMODEM"
zm_kill

done_testing
