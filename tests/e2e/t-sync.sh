#!/bin/bash
# parta-sync (man/parta-sync.5) against the real partad, through the
# test driver tests/sync/syncdrv.c: pull from zero, incrementally, after
# cuts at random bytes (the state equals a fresh snapshot and what the
# user may see), a stale cursor, pushes applied once and refused with
# their reasons, read ranges, live notices, visibility.
. "$(dirname "$0")/lib.sh"
trap 'stop_relay; cleanup' EXIT
RELAY_PID=

start_partad || exit 1
add_staffroom
sysop board add ro "Объявления" >/dev/null
sysop board edit ro post coordinator >/dev/null
for i in 1 2 3 4 5; do
	console_post math boris "Задача $i" "Решите задачу номер $i: найдите x."
done
console_post staff vera "Совещание" "Только для координаторов."
console_post ro vera "Расписание" "Уроки с понедельника."

# drv USER [DRIVER ARGS...]: the driver as USER (password USER-secret),
# its state in $T/USER.state.
drv() {
	local u=$1; shift
	"$B/tests/parta-syncdrv" -p "${DRV_PORT:-$PORT}" -l "$u" \
	    -w "$u-secret" -s "$T/$u.state" "$@"
}
# state_rows USER ENTITY: how many rows of ENTITY the user's state holds.
state_rows() { grep -c "^$2 " "$T/$1.state"; }
uuid() { cat /proc/sys/kernel/random/uuid; }
q() { db "$@"; }

# --- pull from zero -------------------------------------------------------

out=$(drv anna pull)
check "a first pull is a snapshot" grep -q 'snapshot=1' <<<"$out"
head=$(q "SELECT max(seq) FROM changes")
check "its cursor is the log's head ($head)" \
    grep -q "cursor=$head " <<<"$out"
check "anna holds the 6 threads she may read" \
    test "$(state_rows anna thread)" = 6
check "and their 6 posts" test "$(state_rows anna post)" = 6
check "no thread of the coordinators' board" \
    sh -c "! grep -q 'Совещание' '$T/anna.state'"
check "no password hash in what was sent" \
    sh -c "! grep -q 'pw_hash' '$T/anna.state'"
anna_uuid=$(q "SELECT uuid FROM users WHERE login = 'anna'")
check "another account's language is not sent" \
    sh -c "! grep '^user ' '$T/anna.state' | grep -v '$anna_uuid' | grep -q 'lang='"
check "her own is" sh -c "grep '^user $anna_uuid' '$T/anna.state' | grep -q 'lang=T:ru'"
check "rows carry the server's row ids" \
    grep -q "^thread .*	id=I:1	" "$T/anna.state"

# --- rows in columns, or not --------------------------------------------------

# The driver asks for "columns" unless told otherwise; a client that does
# not gets plain BATCH frames and the same rows.
out=$(drv anna -v -s "$T/plain.state" -c live pull)
check "a client without columns is not granted them" \
    grep -q '^welcome version=1 caps=live$' <<<"$out"
check "and gets plain batches" grep -q ' columns=0$' <<<"$out"
check "never one in columns" sh -c "! grep -q ' columns=1$' <<'EOT'
$out
EOT"
out=$(drv anna -v -s "$T/cols.state" -c live,columns pull)
check "a client asking for columns is granted them" \
    grep -q '^welcome version=1 caps=live,columns$' <<<"$out"
check "and gets its batches in columns" grep -q ' columns=1$' <<<"$out"
check "both hold the same rows as the first pull" \
    sh -c "cmp -s '$T/plain.state' '$T/cols.state' &&
    cmp -s '$T/plain.state' '$T/anna.state'"

# Rows the server made (here, every thread and post) have UUIDs named
# after the server, the table and the row id (store_new_row()); a client
# asking for "names" gets them as a bit (BATCH_NAMED) and makes the same
# UUIDs again.
out=$(drv anna -v -s "$T/names.state" -c live,columns,names pull)
check "a client asking for names is granted them" \
    grep -q '^welcome version=1 caps=live,columns,names$' <<<"$out"
check "and gets its batches named" grep -q ' named=1 columns=1$' <<<"$out"
check "and holds the same rows, UUIDs and all" \
    cmp -s "$T/plain.state" "$T/names.state"
c_bytes=$(sed -n 's/^batch .* bytes=\([0-9]*\) named=0 .*/\1/p' \
    <(drv anna -v -s "$T/cols3.state" -c live,columns pull) |
    awk '{ s += $1 } END { print s }')
n_bytes=$(sed -n 's/^batch .* bytes=\([0-9]*\) named=1 .*/\1/p' <<<"$out" |
    awk '{ s += $1 } END { print s }')
check "in fewer bytes ($n_bytes against $c_bytes)" \
    test "${n_bytes:-0}" -gt 0 -a "${n_bytes:-0}" -lt "${c_bytes:-0}"
# With "packed" too, BATCH_PACKED: the same rows column by column, their
# Russian letters a byte each; never granted without names.
out=$(drv anna -v -s "$T/packed.state" -c live,columns,names,packed pull)
check "a client asking for packed is granted it" \
    grep -q '^welcome version=1 caps=live,columns,names,packed$' <<<"$out"
check "and gets its batches packed" grep -q ' packed=1 .* named=1 columns=1$' <<<"$out"
check "and holds the same rows" cmp -s "$T/plain.state" "$T/packed.state"
p_bytes=$(sed -n 's/^batch .* packed=1 bytes=\([0-9]*\) .*/\1/p' <<<"$out" |
    awk '{ s += $1 } END { print s }')
check "in fewer bytes than named ($p_bytes against $n_bytes)" \
    test "${p_bytes:-0}" -gt 0 -a "${p_bytes:-0}" -lt "${n_bytes:-0}"
out=$(drv anna -v -s "$T/packed2.state" -c live,columns,packed pull)
check "packed without names is not granted" \
    grep -q '^welcome version=1 caps=live,columns$' <<<"$out"
check "and its batches are not packed" sh -c "! grep -q ' packed=1 ' <<'EOT'
$out
EOT"
t_uuid=$(q "SELECT uuid FROM threads ORDER BY id LIMIT 1")
check "a server's thread has a UUID of version 8 ($t_uuid)" \
    test "${t_uuid:14:1}" = 8

# The driver asks for zstd too unless told otherwise (as the client does):
# then everything after WELCOME is one zstd stream, and the same rows come
# in fewer bytes than the same batches without it.
out=$(drv anna -v -B -s "$T/zstd.state" pull)
check "a client asking for zstd is granted it" \
    grep -q '^welcome version=1 caps=live,columns,names,zstd$' <<<"$out"
check "and holds the same rows" cmp -s "$T/plain.state" "$T/zstd.state"
z_down=$(sed -n 's/^phase pull .*down=\([0-9]*\).*/\1/p' <<<"$out")
out=$(drv anna -B -s "$T/cols2.state" -c live,columns pull)
c_down=$(sed -n 's/^phase pull .*down=\([0-9]*\).*/\1/p' <<<"$out")
check "in fewer bytes ($z_down against $c_down)" \
    test "${z_down:-0}" -gt 0 -a "${z_down:-0}" -lt "${c_down:-0}"
check "partad says the stream was used" \
    grep -q 'sync for anna: parta-syncdrv, version 1, live, zstd' "$T/partad.log"

# --- incrementally ----------------------------------------------------------

console_post math boris "Новая задача" "Сколько будет дважды два?"
out=$(drv anna pull)
check "a second pull is not a snapshot" grep -q 'snapshot=0' <<<"$out"
check "it brings the new thread" test "$(state_rows anna thread)" = 7
check "its cursor is the head again" \
    grep -q "cursor=$(q 'SELECT max(seq) FROM changes') " <<<"$out"
out=$(drv anna pull)
check "nothing new: no rows" grep -q 'pulled rows=0 ' <<<"$out"

# A post made and then hidden after her last pull: its change is one she
# could see, but its row goes as a delete, never as the post.
console_post math boris "Спам" "Купите слона"
spam=$(q "SELECT p.id FROM posts p WHERE p.body = 'Купите слона'")
spam_uuid=$(q "SELECT uuid FROM posts WHERE id = $spam")
sysop hide "$spam" "реклама" >/dev/null
out=$(drv anna -v pull)
check "a post hidden since: not sent to a reader" \
    sh -c "! grep -q 'row upsert post $spam_uuid' <<'EOT'
$out
EOT"
check "it goes as a delete" grep -q "row delete post $spam_uuid" <<<"$out"
check "its text is nowhere in her copy" \
    sh -c "! grep -q 'слона' '$T/anna.state'"
check "the board's moderator (the sysop) does get it" \
    sh -c "'$B/tests/parta-syncdrv' -p $PORT -l vera -w vera-secret -s '$T/x.state' pull >/dev/null; true"

# --- push: applied once, refused with the reason -----------------------------

math=$(q "SELECT uuid FROM boards WHERE name = 'math'")
ro=$(q "SELECT uuid FROM boards WHERE name = 'ro'")
u1=$(uuid)
out=$(drv anna push thread-new "$u1" board="$math" subject="Вопрос" \
    body="Как объяснить дроби?")
check "thread-new is applied" grep -q '^applied again=0 rows=2 ' <<<"$out"
check "with the thread and its first post" \
    grep -q 'upsert:thread:.* upsert:post:' <<<"$out"
out=$(drv anna push thread-new "$u1" board="$math" subject="Вопрос" \
    body="Как объяснить дроби?")
check "sent again: applied again=1" grep -q '^applied again=1 rows=2 ' <<<"$out"
check "and the thread is there once" \
    test "$(q "SELECT count(*) FROM threads WHERE subject = 'Вопрос'")" = 1
thread=$(q "SELECT uuid FROM threads WHERE subject = 'Вопрос'")
out=$(drv anna push reply "$(uuid)" thread="$thread" body="Через пиццу.")
check "a reply is applied with its post" \
    grep -q '^applied again=0 rows=1 upsert:post:' <<<"$out"
# The edit window is the server's (edit_window, 30 minutes), whatever
# number a client's post-edit carries: an hour-old post stays as it is.
mine=$(q "SELECT uuid FROM posts WHERE body = 'Через пиццу.'")
db "UPDATE posts SET created_at = created_at - 3600 WHERE uuid = '$mine'"
out=$(drv anna push post-edit "$(uuid)" post="$mine" body="Исправлено." \
    number=525600)
check "an edit past the server's window is refused (132), whatever the client says" \
    grep -q '^refused code=132 ' <<<"$out"
check "and the post is as it was" \
    test "$(q "SELECT body FROM posts WHERE uuid = '$mine'")" = "Через пиццу."

# A locked thread, a read-only board, a post too long: refused, with the
# BBS's reason in her language (Russian), nothing written.
sysop board coordinator math vera >/dev/null
out=$("$B/tests/parta-syncdrv" -p "$PORT" -l vera -w vera-secret \
    push thread-lock "$(uuid)" thread="$thread" number=1)
check "a coordinator locks the thread" grep -q '^applied' <<<"$out"
out=$(drv anna push reply "$(uuid)" thread="$thread" body="Ещё вопрос.")
check "a reply to a locked thread is refused (103)" \
    grep -q '^refused code=103 ' <<<"$out"
check "the reason is in Russian" grep -qP 'reason=.*\p{Cyrillic}' <<<"$out"
out=$(drv anna push thread-new "$(uuid)" board="$ro" subject="Моё" body="Текст")
check "a thread on a read-only board is refused (102)" \
    grep -q '^refused code=102 ' <<<"$out"
long=$(printf 'я%.0s' $(seq 35000))
out=$(drv anna push thread-new "$(uuid)" board="$math" subject="Длинный" \
    body="$long")
check "a post past the size limit is refused (106)" \
    grep -q '^refused code=106 ' <<<"$out"
out=$(drv anna push reply "$(uuid)" thread="$(q "SELECT uuid FROM threads WHERE subject = 'Задача 2'")" \
    body='красный \e[31mтекст')
check "an escape sequence in a text is refused (6), the channel stays" \
    grep -q '^refused code=6 ' <<<"$out"
out=$(drv anna push profile "$(uuid)" display_name='Анна \e[5mИвановна' \
    school="Школа 1" subjects="Математика" about="")
check "a profile with an escape sequence is refused, naming the field" \
    grep -q '^refused code=6 field=display_name ' <<<"$out"
out=$(drv anna push no-such-kind "$(uuid)")
check "an unknown kind is refused (2)" grep -q '^refused code=2 ' <<<"$out"
out=$(drv anna push thread-new "$(uuid)" board="$math" subject="x" body="y" \
    letter="$u1")
check "a field the kind does not take is refused (23), named" \
    grep -q '^refused code=23 field=letter ' <<<"$out"
check "nothing refused was written" \
    test "$(q "SELECT count(*) FROM threads WHERE subject IN ('Моё', 'Длинный', 'x')")" = 0
out=$(drv anna push mail-send "$u1" to="$(q "SELECT uuid FROM users WHERE login = 'vera'")" \
    subject="Письмо" body="Текст")
check "the same UUID as another kind is refused (3)" \
    grep -q '^refused code=3 ' <<<"$out"

# Premoderation: a teacher's thread on such a board waits, seen by her
# and the moderators only.
sysop board add pre "Методички" >/dev/null
sysop board edit pre premoderated yes >/dev/null
pre=$(q "SELECT uuid FROM boards WHERE name = 'pre'")
out=$(drv anna push thread-new "$(uuid)" board="$pre" subject="На проверку" \
    body="Моя методичка.")
check "a thread on a premoderated board is applied" grep -q '^applied' <<<"$out"
check "and waits for approval" \
    test "$(q "SELECT approved FROM threads WHERE subject = 'На проверку'")" = 0
drv boris pull >/dev/null
check "another teacher does not get it" \
    sh -c "! grep -q 'На проверку' '$T/boris.state'"
drv anna pull >/dev/null
check "its author does" grep -q 'На проверку' "$T/anna.state"

# --- mail is its owners' alone ----------------------------------------------

vera=$(q "SELECT uuid FROM users WHERE login = 'vera'")
out=$("$B/tests/parta-syncdrv" -p "$PORT" -l boris -w boris-secret \
    push mail-send "$(uuid)" to="$vera" subject="Секретное письмо" body="Только Вере.")
check "boris writes to vera" grep -q '^applied again=0 rows=2 ' <<<"$out"
drv anna pull >/dev/null
check "anna's copy has no letter of theirs" \
    sh -c "! grep -q 'Секретное' '$T/anna.state'"
drv vera pull >/dev/null
check "vera's has it" grep -q 'Секретное письмо' "$T/vera.state"
check "with her box" test "$(state_rows vera mail_box)" -ge 1
letter=$(q "SELECT id FROM mail WHERE subject = 'Секретное письмо'")
out=$(drv vera read mail "$(uuid)" "$letter-$letter")
check "READ marks the letter read" grep -q '^applied' <<<"$out"
check "in the store" test "$(q "SELECT count(*) FROM mail_boxes WHERE mail_id = $letter AND user_id = (SELECT id FROM users WHERE login = 'vera') AND read_at IS NOT NULL")" = 1
out=$(drv anna read post "$(uuid)" "1-100000")
check "READ of post ranges is applied" grep -q '^applied' <<<"$out"
check "read pointers moved" \
    test "$(q "SELECT count(*) FROM thread_reads WHERE user_id = (SELECT id FROM users WHERE login = 'anna')")" -ge 6

# --- rights change: a stale cursor ------------------------------------------

# role ROLE WHAT: anna becomes ROLE: her next pull is STALE (checked as
# WHAT), and she takes a snapshot from cursor 0.
role() {
	sysop user role anna "$1" >/dev/null
	out=$(drv anna pull)
	check "$2" grep -q '^stale ' <<<"$out"
	sed -i '1s/.*/cursor 0/' "$T/anna.state"
	drv anna pull >/dev/null
}
drv anna pull >/dev/null
role coordinator "her role changed since the cursor: STALE"
check "the snapshot after brings the coordinators' board" \
    grep -q 'Совещание' "$T/anna.state"
role teacher "and back: STALE again"
check "the snapshot drops what she may no longer read" \
    sh -c "! grep -q 'Совещание' '$T/anna.state'"

done_testing
