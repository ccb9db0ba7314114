#!/bin/bash
# b-sync.sh: parta-sync's weak-link budget (issue 11, "Measure"), with
# its baselines, through the relay's gprs and edge profiles side by side.
#
# The posts: 1,000 on one board, then 20 new ones, then one letter, made
# by tests/bench/sync-posts.awk from real Russian prose (Debian's
# fortunes-ru and the teachers' lines of tests/bench/), replies quoting
# their parent.  Measured, bytes both ways on the wire (the relay's
# counts: SSH framing included, TCP/IP headers not) and wall time:
#   - the handshake floor: OpenSSH's client asking partad to run "true"
#     (key exchange, host key, public-key authentication, a session
#     channel and an exec request, which partad refuses with one line
#     and exit status 1), and the same against OpenSSH's sshd;
#   - the zstd -19 size of the posts' text (subject and body);
#   - what a teacher might use instead: the same posts as mail in a
#     Dovecot Maildir, fetched by mbsync with IMAP over an ssh Tunnel to
#     a private sshd through the same relay (preauth imap, no login), with
#     and without ssh -C: the first fetch, 20 new on a new connection,
#     one new letter on a new connection (mbsync has no live mode);
#   - parta-sync itself (tests/sync/syncdrv.c, through a relay in front
#     of partad), three ways: in columns without compression, in columns
#     with SSH's compression (ssh -C: the encoding before zstd and names),
#     with the capabilities names and zstd without ssh -C, with
#     stream too (the server pushes the live rows: no NOTICE, no PULL),
#     and with packed too (BATCH_PACKED: column by column, Russian
#     letters in a byte; PARTA_SYNC_COMPS="S P" picks passes); the
#     posts' UUIDs are those partad makes (store_uuid_named()): the first sync on
#     its own connection; a live connection, up to date, told of 20 new
#     posts (written in one transaction) and pulling them; the same 20
#     pulled on a new connection from the first sync's cursor; one letter
#     to anna, announced and fetched on the live connection.  The store is
#     filled with SQL, its triggers writing the change log as the BBS's
#     writes do.  Without a driver (an older tree) the frames it would
#     send (tests/bench/sync-frames.c, the real codec) are carried by
#     OpenSSH over the same relay instead ("cat" on a session channel: a
#     projection, OpenSSH's handshake swapped for partad's);
#   - the compression study: the frames under zlib@openssh.com's deflate
#     and zstd in the protocol at levels 1 to 19, each batch alone or one
#     stream per connection, with and without a dictionary trained
#     (zstd --train) on the rows of 3,000 posts made from the other half
#     of the corpus: on frames sync-frames.c encodes, and on partad's own
#     (syncdrv -D), the dictionary then trained on partad's own rows.
# Prints Markdown rows "| measure | value | baseline | goal |"; asserts
# nothing.  About ten minutes (the first fetches on gprs take longest).
#
#   bash tests/bench/b-sync.sh [BUILD]     PARTA_SYNC_PROFILES="gprs edge"
set -u
top=$(cd "$(dirname "$0")/../.." && pwd)
export PARTA_BUILD=$top/${1:-build}
. "$top/tests/e2e/lib.sh"
PROFILES=${PARTA_SYNC_PROFILES:-gprs edge}
FR=$B/tests/parta-sync-frames
FORT=/usr/share/games/fortunes/ru
row() { echo "| $1 | $2 | $3 | $4 |"; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (b > 0) printf "%.2f", a / b; else print "n/a" }'; }
ms_now() { date +%s%3N; }
secs() { awk -v v="$1" 'BEGIN { printf "%.1f s", v / 1000 }'; }
last_close() {		# FILE: up+down of the last closed connection
	grep '"event":"close"' "$1" | tail -1 |
	    sed -n 's/.*"up":\([0-9]*\),"down":\([0-9]*\).*/\1 \2/p' |
	    awk '{ print $1 + $2 }'
}
stats_ge() { [ "$(grep -c '"event":"stats"' "$1")" -ge "$2" ]; }
stats_open() {		# FILE N: up+down of the open connections at the Nth stats line
	grep '"event":"stats"' "$1" | sed -n "${2}p" |
	    sed -n 's/^{[^[]*"up":\([0-9]*\),"down":\([0-9]*\).*/\1 \2/p' |
	    awk '{ print $1 + $2 }'
}
if [ ! -d "$FORT" ] || ! command -v mbsync >/dev/null || [ ! -x /usr/lib/dovecot/imap ]; then
	row "parta-sync benchmark" "n/a (needs fortunes-ru, isync, dovecot-imapd: make bench installs them)" "—" "—"
	exit 0
fi

# --- the posts ------------------------------------------------------------
cat "$top/tests/bench/ru-posts.txt" "$top/tests/bench/ru-words.txt" >"$T/teach.txt"
# The fortune files in turn: odd ones make the posts, even ones the
# dictionary's training set.
for f in "$FORT"/*; do
	case $f in *.dat|*.u8) continue ;; esac
	[ -f "$f" ] && echo "$f"
done | awk '{ print >(NR % 2 ? "'"$T/bench.lst"'" : "'"$T/train.lst"'") }'
# shellcheck disable=SC2046
awk -v seed=1 -v n=1021 -v part=0 -f "$top/tests/bench/sync-posts.awk" \
    "$T/teach.txt" $(cat "$T/bench.lst") >"$T/posts.tsv"
# shellcheck disable=SC2046
awk -v seed=2 -v n=3000 -v part=1 -f "$top/tests/bench/sync-posts.awk" \
    "$T/teach.txt" $(cat "$T/train.lst") >"$T/train.tsv"
# text FIRST LAST: the posts' subjects and bodies, as a reader sees them.
text() {
	awk -F'\t' -v a="$1" -v b="$2" 'NR >= a && NR <= b {
		if ($6 != "") print $6; s = $7; gsub(/\\n/, "\n", s);
		gsub(/\\\\/, "\\", s); print s }' "$T/posts.tsv"
}
text 1 1000 >"$T/text-first"
text 1001 1020 >"$T/text-incr"
text 1021 1021 >"$T/text-mail"
for k in first incr mail; do
	eval "z_$k=$(zstd -q -19 -c "$T/text-$k" | wc -c)"
	eval "t_$k=$(wc -c <"$T/text-$k")"
done
# shellcheck disable=SC2154
row "the posts' text (subjects and bodies): 1,000 / 20 new / the letter" \
    "$t_first / $t_incr / $t_mail B" "zstd -19: $z_first / $z_incr / $z_mail B" "—"

# --- the frames, and the compression study ------------------------------------
mkdir -p "$T/samples"
"$FR" -s -S "$T/samples" -r 1-3000 "$T/train.tsv" >/dev/null
zstd -q --train -19 --maxdict=65536 "$T"/samples/* -o "$T/dict" 2>/dev/null
dict=()
[ -s "$T/dict" ] && dict=(-D "$T/dict")
"$FR" -s "${dict[@]}" -r 1-1000 -o "$T/first.bin" "$T/posts.tsv" >"$T/st-first"
"$FR" -s -b 262144 "${dict[@]}" -r 1-1000 "$T/posts.tsv" >"$T/st-first256"
"$FR" "${dict[@]}" -r 1001-1020 -o "$T/incr.bin" "$T/posts.tsv" >"$T/st-incr"
"$FR" -m "${dict[@]}" -r 1021-1021 -o "$T/mail.bin" "$T/posts.tsv" >"$T/st-mail"
get() { tr ' ' '\n' <"$T/st-$1" | sed -n "s/^$2=//p"; }
for k in first incr mail; do
	row "frames of the $k pull: batches, rows, bytes (server / client)" \
	    "$(get $k frames) / $(get $k rows) / $(get $k raw) B / $(get $k up) B" \
	    "text zstd -19: $(eval echo \$z_$k) B" "—"
done
# study_row KEY LABEL: the compression figures of $T/st-KEY.
study_row() {
	local k=$1 raw z line l
	raw=$(get "$k" raw)
	z=$z_first
	case $k in *incr*|*live20*) z=$z_incr ;; *mail*) z=$z_mail ;; esac
	line="zlib@openssh.com 6/7: $(get "$k" zlib6) / $(get "$k" zlib7)"
	line="$line; capability zstd (sync-zstd.c): $(get "$k" zcap) ($(get "$k" zcap_kb) kB)"
	for l in 1 3 9 19; do
		line="$line; zstd $l: $(get "$k" zstd$l) alone, $(get "$k" zstd${l}s) stream ($(get "$k" zstd${l}s_kb) kB)"
		[ -n "$(get "$k" zstd${l}d)" ] &&
		    line="$line, $(get "$k" zstd${l}d) dict, $(get "$k" zstd${l}sd) stream+dict"
	done
	row "compressed frames, $2, B" "$line" \
	    "raw $raw ($(get "$k" frames) frames); text zstd -19 $z" "—"
}
study_row first "first (64 KiB batches)"
study_row first256 "first (256 KiB batches)"
study_row incr "20 new"
study_row mail "the letter (NOTICE, BATCH)"

# --- the servers -----------------------------------------------------------------
start_partad || exit 1
make_key
echo "bench-secret" | sysop user add anna --role teacher --name "Анна Иванова" \
    --password-stdin >/dev/null
sysop user key add anna "$T/id_ed25519.pub" >/dev/null
# partad's host key on any port: the relays' ports are new each time.
printf '[127.0.0.1]:* %s\n' "$(cut -d' ' -f1,2 "$D/ssh_host_ed25519_key.pub")" \
    >>"$T/known_hosts"

ME=$(id -un)
SSHD_PID=
RELAYS=()
trap 'kill $SSHD_PID "${RELAYS[@]}" 2>/dev/null; cleanup' EXIT
start_sshd ||
    { row "parta-sync benchmark" "n/a (sshd did not start)" "—" "—"; exit 0; }
SSH=(env -i PATH=/usr/bin:/bin HOME="$T/home" LANG=C.UTF-8
    ssh -o BatchMode=yes -o IdentitiesOnly=yes -i "$T/id_ed25519"
    -o IdentityAgent=none -o LogLevel=ERROR -o ServerAliveInterval=0)
SSHD_OPTS=(-F /dev/null -o UserKnownHostsFile="$T/sshd/known_hosts"
    -o StrictHostKeyChecking=yes -l "$ME")

# relay TARGET PROFILE NAME: a relay; sets RPORT and RPID, JSON in $T/NAME.json.
relay() {
	rm -f "$T/$3.port"
	: >"$T/$3.json"
	"$B/tests/parta-relay" -t "$1" -p "$2" -o "$T/$3.json" >"$T/$3.port" 2>/dev/null &
	RPID=$!
	RELAYS+=("$RPID")
	poll 100 test -s "$T/$3.port"
	RPORT=$(cat "$T/$3.port")
}
unrelay() { kill "$RPID" 2>/dev/null; wait "$RPID" 2>/dev/null; }

# --- Dovecot's Maildir and mbsync ------------------------------------------------------
DV=$T/dv
mkdir -p "$DV/run" "$DV/mail/cur" "$DV/mail/new" "$DV/mail/tmp" "$T/local"
cat >"$DV/dovecot.conf" <<EOT
protocols = imap
mail_location = maildir:$DV/mail
base_dir = $DV/run
log_path = $DV/log
ssl = no
EOT
# maildir FIRST LAST: the posts as mail to the board's list, into new/.
maildir() {
	awk -F'\t' -v a="$1" -v b="$2" -v dir="$DV/mail/new" '
	NR >= a && NR <= b {
		if ($6 != "") subj[$2] = $6
		f = dir "/" (1764000000 + NR) ".M" NR "P1.bench"
		printf "From: \"Учитель %d\" <teacher%02d@school.example>\n", $4, $4 >f
		print "To: metodika@parta.example" >f
		printf "Subject: %s%s\n", ($6 == "" ? "Re: " : ""), subj[$2] >f
		printf "Date: %s\n", strftime("%a, %d %b %Y %H:%M:%S +0000", $5, 1) >f
		printf "Message-ID: <post%d@parta.example>\n", $1 >f
		if ($3 > 0) printf "In-Reply-To: <post%d@parta.example>\n", $3 >f
		print "MIME-Version: 1.0" >f
		print "Content-Type: text/plain; charset=utf-8" >f
		print "Content-Transfer-Encoding: 8bit" >f
		print "" >f
		s = $7; gsub(/\\n/, "\n", s); gsub(/\\\\/, "\\", s); print s >f
		close(f)
	}' "$T/posts.tsv"
}
maildir 1 1000
[ -n "$PARTAD_USER" ] && chown -R "$PARTAD_USER:$(id -gn "$PARTAD_USER")" "$DV"
IMAP="/usr/lib/dovecot/imap -c $DV/dovecot.conf"
[ -n "$PARTAD_USER" ] && IMAP="setpriv --reuid=$PARTAD_USER --regid=$(id -g "$PARTAD_USER") --clear-groups env USER=$PARTAD_USER HOME=$DV $IMAP"
# mbsync_run PORT COMP: one mbsync over an ssh tunnel to sshd at PORT.
mbsync_run() {
	local c=()
	[ "$2" = C ] && c=(-C)
	cat >"$T/mbsyncrc" <<EOT
IMAPStore remote
Tunnel "${SSH[*]:5} ${c[*]} ${SSHD_OPTS[*]} -p $1 127.0.0.1 '$IMAP'"

MaildirStore local
Path $T/local/$2/
Inbox $T/local/$2/INBOX

Channel bench
Far :remote:
Near :local:
Patterns INBOX
Sync Pull
Create Near
SyncState *
EOT
	mkdir -p "$T/local/$2"
	env -i PATH=/usr/bin:/bin HOME="$T/home" LANG=C.UTF-8 \
	    timeout 900 mbsync -q -c "$T/mbsyncrc" bench >>"$T/mbsync.log" 2>&1
}
# mbsync_pass NAME COMP PROF: time and bytes of one fetch into $T/m-NAME-COMP-PROF.
mbsync_pass() {
	local t0
	relay "$SSHD_PORT" "$3" mb
	t0=$(ms_now)
	mbsync_run "$RPORT" "$2"
	t0=$(( $(ms_now) - t0 ))
	poll 50 grep -q close "$T/mb.json"
	echo "$t0 $(last_close "$T/mb.json")" >"$T/m-$1-$2-$3"
	unrelay
}

# --- the handshake floor ---------------------------------------------------------------
for prof in $PROFILES; do
	relay "$PORT" "$prof" hs
	t0=$(ms_now)
	"${SSH[@]}" -F "$T/ssh_config" -p "$RPORT" -l anna parta true \
	    >/dev/null 2>"$T/hs.err"
	hs_rc=$?
	hs_ms=$(( $(ms_now) - t0 ))
	poll 50 grep -q close "$T/hs.json"
	eval "hs_$prof=$(last_close "$T/hs.json")"
	unrelay
	relay "$SSHD_PORT" "$prof" hs
	t0=$(ms_now)
	"${SSH[@]}" "${SSHD_OPTS[@]}" -p "$RPORT" 127.0.0.1 true >/dev/null 2>&1
	st_rc=$?
	st_ms=$(( $(ms_now) - t0 ))
	poll 50 grep -q close "$T/hs.json"
	st=$(last_close "$T/hs.json")
	unrelay
	# What was measured must be what was meant: partad's refusal
	# (status 1 and its line), sshd's true (status 0).
	if [ "$hs_rc" != 1 ] || ! grep -q "interactive BBS" "$T/hs.err" || [ "$st_rc" != 0 ]; then
		row "handshake floor, $prof" "n/a (partad: status $hs_rc, sshd: status $st_rc)" "—" "—"
		continue
	fi
	eval "st_$prof=$st"
	row "handshake floor, $prof: ssh partad true (refused exec: kex, auth, channel, one line back)" \
	    "$(eval echo \$hs_$prof) B, $(secs "$hs_ms")" "OpenSSH sshd ssh true: $st B, $(secs "$st_ms")" "—"
done

# --- parta-sync itself, when partad serves it -------------------------------------------
# The store is filled with SQL in one transaction per step, so that the
# store's triggers write the change log as the BBS's writes do and a
# live client is told once: the 40 authors and the board through
# parta-sysop, the threads and posts, then 20 more, then one letter to
# anna.  Each profile starts from a copy of the store of 1,000 posts.
SYNCDRV=$B/tests/parta-syncdrv
# sqlite_store: SQL on the store, as partad's user, with the store's own
# FTS tokenizer (parta-sync-frames -x; the sqlite3 shell lacks it).
sqlite_store() {
	if [ -n "$PARTAD_USER" ]; then
		setpriv --reuid="$PARTAD_USER" --regid="$(id -g "$PARTAD_USER")" \
		    --clear-groups "$FR" -x "$D/parta.db"
	else
		"$FR" -x "$D/parta.db"
	fi
}
# sql_posts FILE FIRST LAST: those posts as SQL; sql_mail N: post N as a letter.
SQL_AWK='
function q(s) { gsub(Q, Q Q, s); return Q s Q }
function au(n) { return sprintf("(SELECT id FROM users WHERE login = %s)", q(sprintf("author%02d", n))) }
function text(s) { gsub(/\\n/, "\n", s); gsub(/\\\\/, "\\", s); return s }
# The UUID partad gives a row it makes (store_uuid_named(): the namespace
# of the store, the code c of the table, the row id), as the BBS does.
function N(c, id) {
	return "(SELECT printf(" Q "%08x-%04x-%04x-%04x-%012x" Q ", (names >> 32) & 4294967295," \
	    " (names >> 16) & 65535, 32768 | (names & 4095), " (128 + c) * 256 " | ((" id " >> 48) & 255), " \
	    id " & 281474976710655) FROM meta)"
}
BEGIN {
	print "BEGIN;"
}
END { print "COMMIT;" }
'
sql_posts() {
	awk -F'\t' -v Q="'" -v a="$2" -v b="$3" "$SQL_AWK"'
	NR >= a && NR <= b {
		if ($6 != "")
			printf "INSERT INTO threads(id, uuid, board_id, subject, author_id, created_at, last_post_at) VALUES (%d, %s, (SELECT id FROM boards WHERE name = %s), %s, %s, %d, %d);\n",
			    1000 + $2, N(1, 1000 + $2), q("bench"), q($6), au($4), $5, $5
		else
			printf "UPDATE threads SET last_post_at = %d WHERE id = %d;\n", $5, 1000 + $2
		printf "INSERT INTO posts(id, uuid, thread_id, author_id, reply_to, subject, body, created_at) VALUES (%d, %s, %d, %s, %s, %s, %s, %d);\n",
		    1000 + $1, N(2, 1000 + $1), 1000 + $2, au($4), ($3 > 0 ? 1000 + $3 : "NULL"), q($6), q(text($7)), $5
	}' "$1"
}
sql_mail() {
	awk -F'\t' -v Q="'" -v a="$1" "$SQL_AWK"'
	NR == a {
		printf "INSERT INTO mail(id, uuid, sender_id, subject, body, created_at) VALUES (1, %s, %s, %s, %s, %d);\n",
		    N(3, 1), au($4), q("Вопрос по вашему посту"), q(text($7)), $5
		printf "INSERT INTO mail_boxes(mail_id, user_id, folder) VALUES (1, (SELECT id FROM users WHERE login = %s), %s);\n", q("anna"), q("inbox")
		printf "INSERT INTO mail_boxes(mail_id, user_id, folder) VALUES (1, %s, %s);\n", au($4), q("sent")
	}' "$T/posts.tsv"
}
# drv PORT COMP STATE COMMANDS...: the driver through a relay's PORT;
# with DRV_FRAMES set, the frames it receives are appended there.
DRV_FRAMES=
# COMP: plain (columns, no compression), C (columns, SSH's zlib: the
# encoding before names and zstd) or Z (columns and the capabilities
# names and zstd, no ssh -C); N, names with ssh -C, shows their parts;
# S, Z and stream: the live rows pushed, no NOTICE and no PULL; P, S and
# packed (what parta asks for).
drv() {
	local c=(-c live,columns)
	[ "$2" = C ] && c+=(-C)
	[ "$2" = N ] && c=(-c live,columns,names -C)
	[ "$2" = Z ] && c=(-c live,columns,names,zstd)
	[ "$2" = S ] && c=(-c live,columns,names,zstd,stream)
	[ "$2" = P ] && c=(-c live,columns,names,zstd,stream,packed)
	[ -n "$DRV_FRAMES" ] && c+=(-D "$DRV_FRAMES")
	"$SYNCDRV" "${c[@]}" -p "$1" -l anna -i "$T/id_ed25519" -s "$3" -B "${@:4}"
}
# pulled_ge N: the live driver has ended N pulls (poll re-runs it).
pulled_ge() { [ "$(cat "$T/drv-live.out" 2>/dev/null | grep -Ec '^phase (pull|stream) ')" -ge "$1" ]; }

HAVE_SYNC=
if [ -x "$SYNCDRV" ] && "$SYNCDRV" 2>&1 | grep -q -- '-C'; then
	for i in $(seq -w 1 40); do
		echo "author-secret" | sysop user add "author$i" --role teacher \
		    --name "Учитель $i" --password-stdin >/dev/null
	done
	sysop board add bench 'Методика' 'Уроки, планы, обмен опытом' >/dev/null
	stop_partad
	cp -a "$D" "$T/data.empty"
	# The dictionary's training set as partad sends it: a snapshot of
	# 3,000 posts of the other half of the corpus, in a store of its own.
	start_partad || exit 1
	sql_posts "$T/train.tsv" 1 3000 | sqlite_store >/dev/null
	"$SYNCDRV" -p "$PORT" -l anna -i "$T/id_ed25519" -s "$T/st-train" \
	    -D "$T/train.frames" pull >/dev/null 2>&1
	stop_partad
	rm -rf "$D"
	cp -a "$T/data.empty" "$D"
	start_partad || exit 1
	sql_posts "$T/posts.tsv" 1 1000 | sqlite_store >/dev/null
	if [ -n "$PARTAD_USER" ]; then
		n=$(setpriv --reuid="$PARTAD_USER" --regid="$(id -g "$PARTAD_USER")" \
		    --clear-groups sqlite3 "$D/parta.db" "SELECT count(*) FROM posts;")
	else
		n=$(sqlite3 "$D/parta.db" "SELECT count(*) FROM posts;")
	fi
	stop_partad
	cp -a "$D" "$T/data.1000"
	HAVE_SYNC=1
	[ "$n" -ge 1000 ] || { HAVE_SYNC=; row "parta-sync" "n/a (the store holds $n posts, not 1000)" "—" "—"; }
	start_partad || exit 1
	printf '[127.0.0.1]:* %s\n' "$(cut -d' ' -f1,2 "$D/ssh_host_ed25519_key.pub")" \
	    >>"$T/known_hosts"
fi
# sync_pass PROF COMP: first sync, 20 new on a live and a new connection,
# the letter on the live one; "ms bytes" of each into $T/s-PROF-COMP.
sync_pass() {
	local t0 first_ms first_b lf lp lpid inc_ms inc_b live_ms live_b mail_ms mail_b
	stop_partad
	rm -rf "$D"
	cp -a "$T/data.1000" "$D"
	start_partad || return 1
	rm -f "$T/st-a" "$T/st-b"
	# The first sync, on its own connection.
	relay "$PORT" "$1" sf
	lf=$RPORT
	# The first pass keeps the frames for the study.
	local keep=
	[ -e "$T/real-first" ] || keep=1
	[ -n "$keep" ] && DRV_FRAMES=$T/real-first
	t0=$(ms_now)
	drv "$lf" "$2" "$T/st-a" pull >"$T/drv-first.out" 2>&1
	first_ms=$(( $(ms_now) - t0 ))
	DRV_FRAMES=
	poll 50 grep -q close "$T/sf.json"
	first_b=$(last_close "$T/sf.json")
	cp "$T/st-a" "$T/st-b"
	# The live connection: pulled up to date, then waiting.
	local rf_pid=$RPID
	relay "$PORT" "$1" sl
	lp=$RPORT
	[ -n "$keep" ] && DRV_FRAMES=$T/real-live
	local lcmd=(pull notice 120 pull notice 120 pull)
	[ "$2" = S ] || [ "$2" = P ] && lcmd=(pull stream 120 stream 120)
	drv "$lp" "$2" "$T/st-b" "${lcmd[@]}" >"$T/drv-live.out" 2>&1 &
	lpid=$!
	DRV_FRAMES=
	poll 900 pulled_ge 1
	local s1 s2 s3
	s1=$(wc -c <"$T/real-live" 2>/dev/null)
	sleep 1
	kill -USR1 "$RPID"
	t0=$(ms_now)
	sql_posts "$T/posts.tsv" 1001 1020 | sqlite_store >/dev/null
	poll 1200 pulled_ge 2
	live_ms=$(( $(ms_now) - t0 ))
	sleep 2
	kill -USR1 "$RPID"
	s2=$(wc -c <"$T/real-live" 2>/dev/null)
	# The same 20 on a new connection, from the first sync's cursor.
	local rl_pid=$RPID
	RPID=$rf_pid
	: >"$T/sf.json"
	[ -n "$keep" ] && DRV_FRAMES=$T/real-incr
	t0=$(ms_now)
	drv "$lf" "$2" "$T/st-a" pull >"$T/drv-incr.out" 2>&1
	DRV_FRAMES=
	inc_ms=$(( $(ms_now) - t0 ))
	poll 50 grep -q close "$T/sf.json"
	inc_b=$(last_close "$T/sf.json")
	unrelay
	# The letter, announced on the live connection.
	RPID=$rl_pid
	t0=$(ms_now)
	sql_mail 1021 | sqlite_store >/dev/null
	poll 1200 pulled_ge 3
	mail_ms=$(( $(ms_now) - t0 ))
	sleep 2
	kill -USR1 "$RPID"
	poll 50 stats_ge "$T/sl.json" 3
	s3=$(wc -c <"$T/real-live" 2>/dev/null)
	if [ -n "$keep" ]; then
		tail -c +$((s1 + 1)) "$T/real-live" | head -c $((s2 - s1)) >"$T/real-live20"
		tail -c +$((s2 + 1)) "$T/real-live" | head -c $((s3 - s2)) >"$T/real-mail"
	fi
	live_b=$(( $(stats_open "$T/sl.json" 2) - $(stats_open "$T/sl.json" 1) ))
	mail_b=$(( $(stats_open "$T/sl.json" 3) - $(stats_open "$T/sl.json" 2) ))
	kill "$lpid" 2>/dev/null
	wait "$lpid" 2>/dev/null
	unrelay
	# What the live client holds must be what was sent: 1,020 posts, a letter.
	local posts mails
	posts=$(grep -c '^post ' "$T/st-b" 2>/dev/null)
	mails=$(grep -c '^mail ' "$T/st-b" 2>/dev/null)
	[ "$posts" = 1020 ] && [ "$mails" = 1 ] ||
	    row "parta-sync, $1 $2" "the live client holds $posts posts and $mails letters, not 1020 and 1 (see $T/drv-live-$1-$2.out)" "—" "—"
	echo "$first_ms $first_b $inc_ms $inc_b $live_ms $live_b $mail_ms $mail_b" >"$T/s-$1-$2"
	cp "$T/drv-live.out" "$T/drv-live-$1-$2.out"
}
if [ -n "$HAVE_SYNC" ]; then
	for prof in $PROFILES; do
		for comp in ${PARTA_SYNC_COMPS:-plain C N Z S P}; do
			sync_pass "$prof" "$comp"
		done
	done
	# The study again on partad's own frames, with a dictionary trained
	# on its own rows of the training set.
	rdict=()
	if [ -s "$T/train.frames" ]; then
		mkdir -p "$T/samples-real"
		"$FR" -f "$T/train.frames" -S "$T/samples-real" >/dev/null
		zstd -q --train -19 --maxdict=65536 "$T"/samples-real/* -o "$T/dict-real" 2>/dev/null
		[ -s "$T/dict-real" ] && rdict=(-D "$T/dict-real")
	fi
	for k in first incr live20 mail; do
		[ -s "$T/real-$k" ] || continue
		"$FR" -f "$T/real-$k" "${rdict[@]}" >"$T/st-real-$k"
		study_row "real-$k" "partad's frames, $k"
		# The same rows as BATCH_PACKED, when they came with names.
		"$FR" -P -f "$T/real-$k" "${rdict[@]}" >"$T/st-real-$k-packed"
		[ "$(get "real-$k-packed" raw)" != "$(get "real-$k" raw)" ] &&
		    study_row "real-$k-packed" "partad's frames, $k, as BATCH_PACKED"
	done
fi

# --- parta-sync's frames over SSH (projection) --------------------------------------------
# fresh PROF COMP FILE: bytes and time of a new connection that receives FILE.
fresh() {
	local c=() t0
	[ "$2" = C ] && c=(-C)
	relay "$SSHD_PORT" "$1" fr
	t0=$(ms_now)
	"${SSH[@]}" "${c[@]}" "${SSHD_OPTS[@]}" -p "$RPORT" 127.0.0.1 "cat $3" >/dev/null 2>&1
	echo "$(( $(ms_now) - t0 )) $(poll 50 grep -q close "$T/fr.json"; last_close "$T/fr.json")"
	unrelay
}
# live PROF COMP HEAD FILE: on a connection already open, the server
# sends the first HEAD bytes of FILE (a NOTICE, or nothing), the client
# a PULL (17 bytes) once they are there, the server the rest; bytes of
# that exchange, and its time from the first byte's arrival (the NOTICE
# is sent 3 s after the session is up, which leaves time for the count
# to be taken before it).
live() {
	local c=() t0 n want sp dt
	[ "$2" = C ] && c=(-C)
	relay "$SSHD_PORT" "$1" lv
	rm -f "$T/lv.fifo" "$T/lv.out"
	mkfifo "$T/lv.fifo"
	want=$(( $(wc -c <"$4") + 5 ))
	"${SSH[@]}" "${c[@]}" "${SSHD_OPTS[@]}" -p "$RPORT" 127.0.0.1 \
	    "printf ready; sleep 3; head -c $3 $4; head -c 17 >/dev/null; tail -c +$(( $3 + 1 )) $4; sleep 30" \
	    <"$T/lv.fifo" >"$T/lv.out" 2>/dev/null &
	sp=$!
	exec 9>"$T/lv.fifo"
	poll 600 grep -q ready "$T/lv.out"
	kill -USR1 "$RPID"
	n=0
	while [ "$n" -lt 2000 ] && [ "$(wc -c <"$T/lv.out")" -lt $(( $3 + 5 )) ]; do
		sleep 0.01; n=$((n + 1))
	done
	t0=$(ms_now)
	printf '%017d' 0 >&9	# the PULL
	n=0
	while [ "$n" -lt 6000 ] && [ "$(wc -c <"$T/lv.out")" -lt "$want" ]; do
		sleep 0.02; n=$((n + 1))
	done
	dt=$(( $(ms_now) - t0 ))
	sleep 2			# the last window adjust, the last ack
	kill -USR1 "$RPID"
	poll 50 stats_ge "$T/lv.json" 2
	echo "$dt $(( $(stats_open "$T/lv.json" 2) - $(stats_open "$T/lv.json" 1) ))"
	exec 9>&-
	kill "$sp" 2>/dev/null; wait "$sp" 2>/dev/null
	unrelay
}

for prof in $PROFILES; do
	[ -n "$HAVE_SYNC" ] && break
	for comp in plain C; do
		read -r f_ms f_b < <(fresh "$prof" $comp "$T/first.bin")
		read -r i_ms i_b < <(fresh "$prof" $comp "$T/incr.bin")
		read -r l_ms l_b < <(live "$prof" $comp 0 "$T/incr.bin")
		read -r m_ms m_b < <(live "$prof" $comp 13 "$T/mail.bin")
		eval "P_${prof}_${comp}='$f_ms $f_b $i_ms $i_b $l_ms $l_b $m_ms $m_b'"
	done
done

# --- mbsync ---------------------------------------------------------------------------------
for prof in $PROFILES; do
	for comp in plain C; do
		rm -rf "$T/local/$comp"
		# The server's mailbox: posts 1..1000 only, at each profile's start.
		rm -f "$DV"/mail/*/*
		maildir 1 1000
		[ -n "$PARTAD_USER" ] && chown -R "$PARTAD_USER" "$DV/mail"
		mbsync_pass first $comp "$prof"
		maildir 1001 1020
		[ -n "$PARTAD_USER" ] && chown -R "$PARTAD_USER" "$DV/mail"
		mbsync_pass incr $comp "$prof"
		maildir 1021 1021
		[ -n "$PARTAD_USER" ] && chown -R "$PARTAD_USER" "$DV/mail"
		mbsync_pass mail $comp "$prof"
		got=$(find "$T/local/$comp/INBOX/cur" "$T/local/$comp/INBOX/new" -type f | wc -l)
		[ "$got" -eq 1021 ] || row "mbsync, $prof $comp" "fetched $got of 1021 messages (see $T/mbsync.log)" "—" "—"
	done
done

# --- the table --------------------------------------------------------------------------------
for prof in $PROFILES; do
	[ -n "$HAVE_SYNC" ] || break
	hs=$(eval echo \$hs_$prof)
	for comp in plain C N Z S P; do
		[ -s "$T/s-$prof-$comp" ] || continue
		# shellcheck disable=SC2046
		set -- $(cat "$T/s-$prof-$comp")
		# zstd is set beside mbsync with ssh -C, its best.
		mc=$comp
		[ $comp = Z ] || [ $comp = N ] || [ $comp = S ] || [ $comp = P ] && mc=C
		read -r mf_ms mf_b <"$T/m-first-$mc-$prof"
		read -r mi_ms mi_b <"$T/m-incr-$mc-$prof"
		read -r mm_ms mm_b <"$T/m-mail-$mc-$prof"
		case $comp in
		C) lab="$prof, ssh -C" ;;
		N) lab="$prof, names, ssh -C" ;;
		Z) lab="$prof, zstd (no ssh -C)" ;;
		S) lab="$prof, zstd and stream (no ssh -C)" ;;
		P) lab="$prof, zstd, stream and packed (no ssh -C)" ;;
		*) lab="$prof, no compression" ;;
		esac
		mlab="$prof, $([ $mc = C ] && echo "ssh -C" || echo "no compression")"
		g1=$(awk -v z="$z_first" -v h="$hs" 'BEGIN { printf "%d", 1.2 * z + h }')
		g2=$(awk -v z="$z_incr" -v h="$hs" 'BEGIN { printf "%d", 1.3 * z + h }')
		g3=$(awk -v z="$z_incr" 'BEGIN { printf "%d", 1.3 * z + 300 }')
		g4=$(awk -v z="$z_mail" 'BEGIN { printf "%d", 1.3 * z + 300 }')
		row "parta-sync, first sync of 1,000 posts, $lab" "$2 B, $(secs "$1")" \
		    "mbsync $mlab: $mf_b B, $(secs "$mf_ms"); ratio $(ratio "$2" "$mf_b")" \
		    "≤ 1.2 × zstd + handshake = $g1 B: $(ratio "$2" "$g1")×; ≤ 0.5 of mbsync"
		row "parta-sync, 20 new posts, new connection, $lab" "$4 B, $(secs "$3")" \
		    "mbsync $mlab: $mi_b B, $(secs "$mi_ms"); ratio $(ratio "$4" "$mi_b")" \
		    "≤ handshake + 1.3 × zstd = $g2 B: $(ratio "$4" "$g2")×; ≤ 0.5 of mbsync"
		row "parta-sync, 20 new posts, live connection, $lab" "$6 B, $(secs "$5") from the commit" \
		    "mbsync (no live mode: a new connection): $mi_b B; ratio $(ratio "$6" "$mi_b")" \
		    "≤ 1.3 × zstd + 300 = $g3 B: $(ratio "$6" "$g3")×; ≤ 0.5 of mbsync"
		row "parta-sync, one letter announced and fetched, live, $lab" "$8 B, $(secs "$7") from the commit" \
		    "mbsync (a new connection): $mm_b B, $(secs "$mm_ms"); ratio $(ratio "$8" "$mm_b")" \
		    "≤ 1.3 × zstd + 300 = $g4 B: $(ratio "$8" "$g4")×; ≤ 0.5 of mbsync"
	done
done
# The projection's fresh connections did OpenSSH's handshake (its
# post-quantum key exchange is bigger than libssh's): the figures
# compared with the goals put partad's in its place.
for prof in $PROFILES; do
	[ -n "$HAVE_SYNC" ] && break
	hs=$(eval echo \$hs_$prof)
	st=$(eval echo \$st_$prof)
	[ -n "$hs" ] && [ -n "$st" ] || continue
	for comp in plain C; do
		# shellcheck disable=SC2046
		set -- $(eval echo \$P_${prof}_${comp})
		read -r mf_ms mf_b <"$T/m-first-$comp-$prof"
		read -r mi_ms mi_b <"$T/m-incr-$comp-$prof"
		read -r mm_ms mm_b <"$T/m-mail-$comp-$prof"
		lab="$prof, $([ $comp = C ] && echo "ssh -C" || echo "no compression")"
		f_adj=$(( $2 - st + hs ))
		i_adj=$(( $4 - st + hs ))
		g1=$(awk -v z="$z_first" -v h="$hs" 'BEGIN { printf "%d", 1.2 * z + h }')
		g2=$(awk -v z="$z_incr" -v h="$hs" 'BEGIN { printf "%d", 1.3 * z + h }')
		g3=$(awk -v z="$z_incr" 'BEGIN { printf "%d", 1.3 * z + 300 }')
		g4=$(awk -v z="$z_mail" 'BEGIN { printf "%d", 1.3 * z + 300 }')
		row "parta-sync projection, first sync of 1,000 posts, $lab" \
		    "$f_adj B ($2 B with OpenSSH's handshake), $(secs "$1")" \
		    "mbsync $lab: $mf_b B, $(secs "$mf_ms"); ratio $(ratio "$f_adj" "$mf_b")" \
		    "≤ 1.2 × zstd + handshake = $g1 B: $(ratio "$f_adj" "$g1")×; ≤ 0.5 of mbsync"
		row "parta-sync projection, 20 new posts, new connection, $lab" \
		    "$i_adj B ($4 B with OpenSSH's handshake), $(secs "$3")" \
		    "mbsync $lab: $mi_b B, $(secs "$mi_ms"); ratio $(ratio "$i_adj" "$mi_b")" \
		    "≤ handshake + 1.3 × zstd = $g2 B: $(ratio "$i_adj" "$g2")×; ≤ 0.5 of mbsync"
		row "parta-sync projection, 20 new posts, live connection, $lab" \
		    "$6 B, $(secs "$5") from the PULL" \
		    "mbsync (no live mode: a new connection): $mi_b B; ratio $(ratio "$6" "$mi_b")" \
		    "≤ 1.3 × zstd + 300 = $g3 B: $(ratio "$6" "$g3")×; ≤ 0.5 of mbsync"
		row "parta-sync projection, one letter announced and fetched, live, $lab" \
		    "$8 B, $(secs "$7") from the NOTICE's arrival" \
		    "mbsync (a new connection): $mm_b B, $(secs "$mm_ms"); ratio $(ratio "$8" "$mm_b")" \
		    "≤ 1.3 × zstd + 300 = $g4 B: $(ratio "$8" "$g4")×; ≤ 0.5 of mbsync"
	done
done
_failed=0
exit 0
