#!/bin/bash
# parta-sync on the wire: a pull cut by the relay (tests/relay.c) at
# random bytes resumes where it stopped, and the copy it leaves is the
# server's view for that user (a fresh snapshot's); a cursor older than
# the log is STALE; live notices come within seconds, only of what she
# may see; bad frames get one ERROR, the channel closes, partad goes on.
. "$(dirname "$0")/lib.sh"
RELAY_PID=
trap 'stop_relay; cleanup' EXIT

start_partad || exit 1
add_staffroom
body=$(printf 'Решите уравнение и объясните решение ученикам. %.0s' $(seq 12))
task() { echo "$1. $body"; }
push_threads boris math 1 30 "Задача" task || exit 1

drv() {
	local u=$1; shift
	"$B/tests/parta-syncdrv" -p "${DRV_PORT:-$PORT}" -l "$u" \
	    -w "$u-secret" -s "$T/$u.state" "$@"
}
rows_of() { tail -n +2 "$1"; }
q() { db "$@"; }

# --- resuming after cuts -----------------------------------------------------

# cut_pull STATE FROM STEP CAPS: pull as anna into STATE, asking for
# CAPS, through relays that each cut the link after a random number of
# bytes down (FROM, then STEP more each time), until one pull ends;
# prints how many were cut.  The cuts come later each time: a snapshot
# is committed whole, so only a link that lasts it finishes one (an
# incremental pull keeps each batch).
cut_pull() {
	local state=$1 cuts=0 i b rc
	for i in $(seq 30); do
		b=$(($2 + i * $3 + RANDOM % ($3 * 8 / 3)))
		start_relay --fault "down:cut-after:$b" || return 1
		DRV_PORT=$RELAY_PORT drv anna -b 2048 -s "$state" -c "$4" pull \
		    >"$T/cut.out" 2>&1
		rc=$?
		stop_relay
		if [ $rc -eq 0 ] && grep -q '^pulled' "$T/cut.out"; then
			echo "$cuts"
			return 0
		fi
		cuts=$((cuts + 1))
	done
	echo "$cuts"
	return 1
}

cuts=$(cut_pull "$T/cut.state" 6000 3000 live,columns)
check "a snapshot cut $cuts times at random bytes finishes" test $? -eq 0
check "the link was cut at least once" test "$cuts" -ge 1
drv anna -s "$T/fresh.state" pull >/dev/null
check "the copy equals a fresh snapshot" \
    cmp -s <(rows_of "$T/cut.state") <(rows_of "$T/fresh.state")
# The same in zstd, where a cut ends the stream mid-frame: its next
# connection starts a stream of its own.  Compressed, the whole pull is
# under 4 KB down, handshake and all, so the cuts come sooner (the first
# below 3.6 KB: at least one cut).
cuts=$(cut_pull "$T/cutz.state" 2500 300 live,columns,zstd)
check "in zstd, a snapshot cut $cuts times finishes" test $? -eq 0
check "the link was cut at least once" test "$cuts" -ge 1
check "and that copy equals a fresh snapshot too" \
    cmp -s <(rows_of "$T/cutz.state") <(rows_of "$T/fresh.state")
check "it holds all 30 threads" \
    test "$(grep -c '^thread ' "$T/cut.state")" = 30

# A snapshot in batches of 2 KB: the first SNAPSHOT|FIRST|MORE (7), then
# SNAPSHOT|MORE (3) with cursor 0, the last SNAPSHOT (2) with the head;
# none past the budget unless it holds one row.
drv anna -v -b 2048 -s "$T/flags.state" pull >"$T/flags.out"
grep '^batch' "$T/flags.out" | awk '{print $4, $3}' >"$T/flags"
head=$(q "SELECT max(seq) FROM changes")
check "the first batch of a snapshot is flagged FIRST" \
    test "$(head -1 "$T/flags")" = "flags=7 cursor=0"
check "the middle ones MORE, cursor 0" \
    sh -c "sed '1d;\$d' '$T/flags' | grep -vqx 'flags=3 cursor=0' && exit 1 || exit 0"
check "the last carries the head" \
    test "$(tail -1 "$T/flags")" = "flags=2 cursor=$head"
check "no batch of several rows passes the budget" \
    sh -c "! grep '^batch' '$T/flags.out' | grep -v 'rows=1 ' | awk '{sub(\"bytes=\",\"\",\$5); if (\$5 + 0 > 2048) print}' | grep -q ."

# Changes of every kind since: new posts, an edit of the store, a hidden
# post, a thread moved to a board she may not read, a letter to her.
push_threads boris math 31 45 "Задача" task || exit 1
sysop hide "$(q "SELECT id FROM posts WHERE subject = 'Задача 3'")" "дубль" >/dev/null
q "UPDATE threads SET board_id = (SELECT id FROM boards WHERE name = 'staff') WHERE subject = 'Задача 4'"
echo "Приходите в среду." | sysop broadcast --subject "Собрание" >/dev/null
cp "$T/cutz.state" "$T/cutz2.state"
cuts=$(cut_pull "$T/cut.state" 6000 3000 live,columns)
check "an incremental pull cut $cuts times finishes" test $? -eq 0
cuts=$(cut_pull "$T/cutz2.state" 3000 300 live,columns,zstd)
check "and in zstd, cut $cuts times" test $? -eq 0
check "which leaves the same rows" \
    cmp -s <(rows_of "$T/cut.state") <(rows_of "$T/cutz2.state")
drv anna -s "$T/fresh2.state" pull >/dev/null
check "the copy equals a fresh snapshot again" \
    cmp -s <(rows_of "$T/cut.state") <(rows_of "$T/fresh2.state")
diff <(rows_of "$T/cut.state") <(rows_of "$T/fresh2.state") | head -5 | cut -c1-200 | diag
check "the hidden thread is gone from it" \
    sh -c "! grep -q 'Задача 3	' '$T/cut.state'"
check "the thread moved away is gone" \
    sh -c "! grep -q 'subject=T:Задача 4	' '$T/cut.state'"
check "her letter is there" grep -q 'Собрание' "$T/cut.state"
check "what the server says she may read: 43 threads" \
    test "$(grep -c '^thread ' "$T/cut.state")" = 43

# --- a cursor older than the log ----------------------------------------------

q "DELETE FROM changes WHERE seq <= 10"
printf 'cursor 5\n' >"$T/old.state"
out=$(drv anna -s "$T/old.state" pull)
check "a cursor below the floor is STALE" grep -q '^stale floor=10 ' <<<"$out"
printf 'cursor 999999\n' >"$T/old.state"
out=$(drv anna -s "$T/old.state" pull)
check "so is one past the head" grep -q '^stale ' <<<"$out"

# --- live notices --------------------------------------------------------------

# live SECS BOARD LOGIN SUBJECT TEXT: what anna's live client, waiting
# at most SECS seconds for a notice, prints while LOGIN posts on BOARD.
live() {
	local secs=$1 pid; shift
	# Emptied here, not by the background job's redirection, which
	# may come after the poll below has read the last call's "pulled"
	# (then the post went into the pull, and no NOTICE could follow).
	: >"$T/live.out"
	drv anna pull notice "$secs" >"$T/live.out" 2>&1 &
	pid=$!
	poll "$WAIT" grep -q '^pulled' "$T/live.out" ||
	    echo "# (posted before her pull ended)" >>"$T/live.out"
	console_post "$@"
	wait "$pid"
	cat "$T/live.out"
}
out=$(live 30 math boris "Срочно" "Новое сообщение.")
check "a live client is told of a new post" grep -q '^notice head=' <<<"$out" ||
    diag <<<"$out"
out=$(drv anna pull)
check "and pulls it" grep -q 'pulled rows=2 ' <<<"$out"

out=$(live 3 staff vera "Только нам" "Координаторам.")
check "nothing is told of a post she may not see" grep -q '^no notice' <<<"$out"

# --- stream: the rows themselves instead of a NOTICE ------------------------

STREAM=live,columns,names,zstd,stream
# streamed SECS BOARD LOGIN SUBJECT TEXT: what anna's client asking for
# stream prints (-v -B) while LOGIN posts; every frame she receives is
# dumped into $T/stream.frames.
streamed() {
	local secs=$1 pid; shift
	rm -f "$T/stream.frames"
	: >"$T/stream.out"	# as in live()
	drv anna -v -B -c "$STREAM" -D "$T/stream.frames" pull stream "$secs" \
	    >"$T/stream.out" 2>&1 &
	pid=$!
	poll "$WAIT" grep -q '^pulled' "$T/stream.out" ||
	    echo "# (posted before her pull ended)" >>"$T/stream.out"
	console_post "$@"
	wait "$pid"
	cat "$T/stream.out"
}
# The types of the frames in a dump (u32 length, then the type), in hex.
frame_types() {
	python3 -c '
import sys
b = open(sys.argv[1], "rb").read()
i = 0
while i + 5 <= len(b):
	print("%02x" % b[i + 4])
	i += 4 + int.from_bytes(b[i:i + 4], "big")
' "$1"
}
out=$(streamed 30 math boris "Прямо сейчас" "Пришло без вопроса.")
check "with stream a new post comes as its rows" \
    grep -q '^streamed rows=2 ' <<<"$out" || diag <<<"$out"
check "in a batch marked pushed" grep -q '^batch rows=2 .* flags=8 ' <<<"$out"
check "without a PULL from the client" grep -q '^phase stream up=0 ' <<<"$out"
types=$(frame_types "$T/stream.frames" | tr '\n' ' ')
check "and without a NOTICE (frames: $types)" \
    test -n "$types" -a "${types/86/}" = "$types"
out=$(drv anna pull)
check "the pushed rows are committed with their cursor" \
    grep -q '^pulled rows=0 ' <<<"$out"
out=$(drv anna -v -c columns,stream hello)
check "stream is granted only with live" \
    grep -qx 'welcome version=1 caps=columns' <<<"$out"
out=$(streamed 3 staff vera "Только нам" "Координаторам.")
check "nothing is pushed of a post she may not see" \
    grep -q '^no stream' <<<"$out"
out=$(live 30 math boris "По-старому" "Без stream.")
check "a client without stream is still told by NOTICE" \
    grep -q '^notice head=' <<<"$out" || diag <<<"$out"
drv anna pull >/dev/null

# A cut in the middle of a push: what was committed stays, the next
# pull brings the rest, and the copy is the server's view.
drv anna -b 1024 -c "$STREAM" pull stream-cut 60 1 >"$T/cutpush.out" 2>&1 &
pid=$!
poll "$WAIT" grep -q '^pulled' "$T/cutpush.out"
for i in $(seq 6); do
	console_post math boris "Волна $i" "$i. $body"
done
wait "$pid"
check "the link was cut during a push" \
    grep -q '^cut after 1 pushed batches' "$T/cutpush.out"
out=$(drv anna pull)
check "the next pull brings the rest" grep -q '^pulled rows=[1-9]' <<<"$out"
drv anna -s "$T/fresh2.state" pull >/dev/null
check "the copy equals a fresh snapshot" \
    cmp -s <(rows_of "$T/anna.state") <(rows_of "$T/fresh2.state")

# --- bad frames -------------------------------------------------------------

# HELLO: version 1, no capabilities, no agent.
HELLO=000000110100000001000000010000000000000000
# bad NAME CODE DRIVER-COMMANDS...: one ERROR with CODE, then the close.
# Each runs in the background (a state of its own); bads_checked waits
# for those started and checks them in order.  partad lets one source
# start 10 connections at once (per_source_max_startups): six at a time.
bad_pids=() bad_cases=()
bad() {
	local i=${#bad_cases[@]}
	drv anna -s "$T/bad$i.state" "${@:3}" expect-error 10 >"$T/bad$i.out" 2>&1 &
	bad_pids+=($!) bad_cases+=("$2 $1")
}
bads_checked() {
	local i name code
	wait "${bad_pids[@]}"
	for i in "${!bad_cases[@]}"; do
		code=${bad_cases[$i]%% *} name=${bad_cases[$i]#* }
		if grep -q "^error code=$code " "$T/bad$i.out" &&
		    grep -q '^closed errors=1' "$T/bad$i.out"; then
			ok "$name: ERROR $code and the channel closes"
		else
			not_ok "$name: ERROR $code and the channel closes"
			diag <"$T/bad$i.out"
		fi
		rm -f "$T/bad$i.out"
	done
	bad_pids=() bad_cases=()
}
bad "a frame cut short" 1 send-hex "$HELLO" send-hex 00000010020000 eof
bad "a frame past 256 KiB" 2 send-hex 0004000101
bad "an empty frame" 2 send-hex 00000000
bad "a frame of an unknown type" 3 send-hex 000000017f
bad "a frame of the server's type" 3 send-hex 0000000181
bad "a PULL before HELLO" 4 send-hex 0000000d02000000000000000000010000
bads_checked
bad "a second HELLO" 4 hello send-hex "$HELLO"
bad "text that is not UTF-8" 5 send-hex 000000120100000001000000010000000000000001ff
bad "a budget out of bounds" 6 hello send-hex 0000000d02000000000000000000000001
bad "no version in common" 7 send-hex 000000110100000001000000020000000000000000
bad "a frame of a capability not granted" 8 hello send-hex 0000002d05$(printf '%064d' 0)00000000000000000000000100
bad "bytes after a frame's body" 1 send-hex 0000001201000000010000000100000000000000000a
bads_checked
# OpenSSH's own client: the refusal is read, then the close ends ssh
# (it would wait on a channel left open).
make_key
sysop user key add anna "$T/id_ed25519.pub" >/dev/null
printf '\0\0\0\021\001\0\0\0\001\0\0\0\002\0\0\0\0\0\0\0\0' |
    "${CLIENT_ENV[@]}" ssh -F "$T/ssh_config" -o BatchMode=yes -l anna -s \
    parta parta-sync >"$T/refused.bin" 2>"$T/refused.err" &
refused=$!
check "ssh exits after partad's ERROR" poll "$WAIT" gone "$refused"
check "having read the ERROR frame (no version in common)" \
    sh -c "od -An -tx1 '$T/refused.bin' | tr -d ' \n' | grep -q '^00000026ff00000007'"
kill "$refused" 2>/dev/null
check "partad goes on: a pull after them works" \
    sh -c "'$B/tests/parta-syncdrv' -p $PORT -l anna -w anna-secret pull | grep -q '^pulled'"
check "partad is running" kill -0 "$PARTAD_PID"

# partad stopping: a live client is told so (ERROR 13), not just cut.
drv anna pull notice 30 >"$T/stop.out" 2>&1 &
live=$!
poll "$WAIT" grep -q '^pulled' "$T/stop.out"
stop_partad
wait "$live"
check "a live client is told the server stops (ERROR 13)" \
    grep -q '^error code=13 ' "$T/stop.out"

done_testing
