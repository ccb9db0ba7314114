#!/bin/bash
# Digests: parta-sysop makes one for anna; parta --digest reads it under
# tmux with no network (its own network namespace) from a read-only
# directory (a read-only bind mount); the posts are there and found by
# the Russian rules; her reply goes into a reply packet in her home
# (the stick is read-only); parta-sysop imports it: the reply is on the
# board once, and once after a second import; a packet altered by one
# byte, or claiming another user, is refused; a reply to a thread locked
# meanwhile is refused, to the sysop and to her in a letter; a truncated
# digest, a foreign SQLite file, an empty file, a newer digest and one of
# format 1 (the SQLite file itself) are each refused with their own
# message.
. "$(dirname "$0")/lib.sh"
trap cleanup EXIT

mkdir -p "$D"
add_user sysadm sysop "Сисадмин" "sysadm-secret-1"
add_staffroom sysop
console_post math boris "Ёлки" "Сколько ёлок в лесу у школы?"
console_post staff sysadm "Тайное" "Только для сисопа."
console_post math boris "Спам" "Реклама."
sysop hide 3 спам >/dev/null
sysen() { LANG=en_US.UTF-8 sysop "$@"; }

OUT=$D/out
mkdir -p "$OUT"
[ -n "$PARTAD_USER" ] && chown "$PARTAD_USER" "$OUT"
check "digest export writes her digest" \
    sysop digest export --user anna --days 30 -o "$OUT/anna.pdg"
check "and one for boris" \
    sysop digest export --user boris -o "$OUT/boris.pdg"

RO=$T/stick
mkdir -p "$RO"
cp "$OUT/anna.pdg" "$RO/"
PENV=("${CLIENT_ENV[@]}" TMPDIR="$T" PARTA_LOCALEDIR="$PARTA_LOCALEDIR")
# No network (a namespace of its own) and the stick mounted read-only.
NS=
if unshare -m -n true 2>/dev/null; then
	NS="unshare -m -n sh -c 'mount --bind $RO $RO && mount -o remount,ro,bind $RO $RO && exec \"\$0\" \"\$@\"'"
else
	chmod 555 "$RO"
fi
reader() {	# reader NAME: parta --digest over the stick
	term_start "$1" "$NS ${PENV[*]} $B/parta --digest $RO/anna.pdg"
}

reader r1
check "parta --digest opens the screens" wait_screen r1 "Главное меню"
go r1 "Математика" b
check "her board is there; the sysop's is not" screen_lacks r1 "Учительская"
term_keys r1 Enter
check "the thread is there" wait_screen r1 "Ёлки"
check "the hidden thread is not" screen_lacks r1 "Спам"
go r1 "Сколько ёлок" Enter
write_reply r1 "Ответ с флешки про ёлку."
check "her reply shows at once" wait_screen r1 "#2/2"
go r1 "Главное меню" Escape Escape Escape
go r1 "Поиск" f
term_type r1 "ёлка"
term_keys r1 Enter
check "search finds the post by another form" wait_screen r1 "Сколько ёлок"
go r1 "Главное меню" Escape Escape
term_keys r1 q
check "the reader ends well" wait_screen r1 '^\[exit 0\]'
check "it says where the replies are" wait_screen r1 "home/anna.pdg.reply"
check "nothing was written beside the digest" \
    test "$(ls "$RO")" = "anna.pdg"
PK=$T/home/anna.pdg.reply
check "the packet is in her home" test -s "$PK"
check "no temporary directory is left" \
    test -z "$(ls -d "$T"/parta-read.* 2>/dev/null)"

posts() { db "SELECT count(*) FROM posts WHERE body = '$1'"; }
cp "$PK" "$OUT/p1" && chmod 644 "$OUT/p1"
check "digest import posts it" sysop digest import "$OUT/p1"
check "the reply is on the board once" test "$(posts 'Ответ с флешки про ёлку.')" = 1
check "as anna" test "$(db "SELECT u.login FROM posts p JOIN users u ON
    u.id = p.author_id WHERE p.body = 'Ответ с флешки про ёлку.'")" = anna
check "importing again succeeds" sysop digest import "$OUT/p1"
check "and the reply is still there once" test "$(posts 'Ответ с флешки про ёлку.')" = 1

python3 - "$OUT/p1" "$OUT/p-bad" <<'EOF'
import sys
b = bytearray(open(sys.argv[1], 'rb').read())
b[len(b) // 2] ^= 1
open(sys.argv[2], 'wb').write(b)
EOF
# Boris signs, with his own digest's key, a packet that says it is anna's.
python3 - "$OUT/p1" "$OUT/boris.pdg" "$OUT/p-forged" <<'EOF'
import hmac, hashlib, struct, sys
p = open(sys.argv[1], 'rb').read()
d = open(sys.argv[2], 'rb').read()
mlen = struct.unpack('>I', d[16:20])[0]
meta = dict(l.split('=', 1) for l in d[72:72 + mlen].decode().splitlines())
key = bytes.fromhex(meta['reply_key'])
body = p[:16] + struct.pack('>I', 36) + meta['uuid'].encode() + p[56:-32]
open(sys.argv[3], 'wb').write(body + hmac.new(key, body, hashlib.sha256).digest())
EOF
chmod 644 "$OUT"/p-*
sysen digest import "$OUT/p-bad" >"$T/bad.out" 2>&1
check "a packet altered by one byte is refused" \
    grep -q "signature does not match\|damaged" "$T/bad.out"
sysen digest import "$OUT/p-forged" >"$T/forged.out" 2>&1
check "a packet claiming another user is refused" \
    grep -q "claims to be anna's" "$T/forged.out"
check "and nothing more was posted" test "$(posts 'Ответ с флешки про ёлку.')" = 1

# A second reading: the packet is read back, a second reply added.
reader r2
wait_screen r2 "Главное меню" >/dev/null
first_board r2 "Ёлки"
term_keys r2 Enter
check "the first reading's reply is there too" wait_screen r2 "#[12]/2"
write_reply r2 "Второй ответ."
wait_screen r2 "#3/3" >/dev/null
go r2 "Главное меню" Escape Escape Escape
term_keys r2 q
check "a second reading ends well" wait_screen r2 '^\[exit 0\]'
db "UPDATE threads SET locked = 1 WHERE subject = 'Ёлки'"
cp "$PK" "$OUT/p2" && chmod 644 "$OUT/p2"
sysen digest import "$OUT/p2" >"$T/locked.out" 2>&1
check "a reply to a thread locked meanwhile is refused, with the reason" \
    grep -q "refused: .*locked" "$T/locked.out"
check "the first is not posted twice" grep -q "1 posted before" "$T/locked.out"
check "the second is not on the board" test "$(posts 'Второй ответ.')" = 0
check "she is told in a letter" test "$(db "SELECT count(*) FROM mail m
    JOIN mail_boxes b ON b.mail_id = m.id JOIN users u ON u.id = b.user_id
    WHERE u.login = 'anna' AND m.body LIKE '%Второй ответ.%'")" = 1
sysen digest import "$OUT/p2" >/dev/null 2>&1
check "one letter, however often it is imported" test "$(db "SELECT count(*)
    FROM mail m WHERE m.body LIKE '%Второй ответ.%'")" = 1

# Bad files, each with its own message.
bad() {	# bad FILE PATTERN
	"${PENV[@]}" LANG=en_US.UTF-8 "$B/parta" --digest "$1" </dev/null \
	    >"$T/bad.out" 2>&1
	[ $? -ne 0 ] && grep -q "$2" "$T/bad.out"
}
head -c $(($(stat -c %s "$OUT/anna.pdg") / 2)) "$OUT/anna.pdg" >"$T/cut.pdg"
sqlite3 "$T/foreign.db" "CREATE TABLE t(a); INSERT INTO t VALUES (1);"
: >"$T/empty.pdg"
python3 - "$OUT/anna.pdg" "$T" <<'EOF'
import struct, sys
b = bytearray(open(sys.argv[1], 'rb').read())
b[8:12] = struct.pack('>I', 99)
open(sys.argv[2] + '/newer.pdg', 'wb').write(b)
b[8:12] = struct.pack('>I', 1)	# format 1: the SQLite file itself
open(sys.argv[2] + '/older.pdg', 'wb').write(b)
EOF
check "a truncated digest is refused as truncated" bad "$T/cut.pdg" "truncated"
check "a foreign SQLite file is refused as one" bad "$T/foreign.db" \
    "SQLite database, not a parta digest"
check "a zero-byte file is refused as empty" bad "$T/empty.pdg" "is empty"
check "a digest from a newer parta says so" bad "$T/newer.pdg" "newer parta"
check "a digest of format 1 is refused as older" bad "$T/older.pdg" \
    "made by an older parta (digest format 1"

done_testing
