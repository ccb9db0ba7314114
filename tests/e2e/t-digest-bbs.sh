#!/bin/bash
# The BBS's "Make me a digest of what is new": a teacher makes her
# digest from the main menu; it is written into her digests folder,
# which her SFTP tree shows read-only as /digests, and parta reads it.
# A reply written there leaves in a reply packet; her client's next sync
# (parta --replies, then --sync) posts it once, and parta-sysop digest
# import of the same packet afterwards posts nothing more.  A step that
# did nothing says so: a reading in which she wrote nothing leaves no
# packet, and --replies or the sysop's import of a packet that holds
# nothing fails, saying why.  A slow disk does not keep her reply out of
# the reader's working copy.
. "$(dirname "$0")/lib.sh"
trap cleanup EXIT

start_partad || exit 1
add_user anna teacher "Анна Иванова" "anna-secret-1"
sysop board add math "Математика" "Уроки и задачи" >/dev/null
console_post math anna "Дроби" "Как объяснить дроби в пятом классе?"

login_menu bbs anna anna-secret-1
check "the main menu offers a digest" wait_screen bbs "Сделать мне дайджест"
term_keys bbs j
check "it is made, and says what it holds" wait_screen bbs "сообщений 1 и писем 0"
check "and how to read it" wait_screen bbs "parta --digest parta-"
f=$(ls "$D"/digests/*/parta-*.pdg 2>/dev/null | head -1)
check "the file is in her digests folder" test -s "$f"
check "it is a digest for anna" grep -a -q '^user=anna$' "$f"
cp "$f" "$T/d.pdg"
term_start rd "${CLIENT_ENV[*]} TMPDIR=$T PARTA_LOCALEDIR=$PARTA_LOCALEDIR $B/parta --digest $T/d.pdg"
wait_screen rd "Главное меню" >/dev/null
first_board rd
check "parta reads it" wait_screen rd "Дроби"
go rd "Как объяснить" Enter
write_reply rd "Ответ из дайджеста с BBS."
wait_screen rd "#2/2" >/dev/null
go rd "Главное меню" Escape Escape Escape
term_keys rd q
check "the reader leaves a reply packet" wait_screen rd "d.pdg.reply"
# "d.pdg.reply" alone was also printed for a packet without the reply
# (CI once): the count is what she must see.
check "with her one reply in it" wait_screen rd "ответов и писем: 1, они в"
# Read again, writing nothing: no packet, and she is told.
term_start rd2 "${CLIENT_ENV[*]} TMPDIR=$T PARTA_LOCALEDIR=$PARTA_LOCALEDIR $B/parta --digest $T/d.pdg --reply $T/none.reply"
first_board rd2
go rd2 "Как объяснить" Enter
go rd2 "Главное меню" Escape Escape Escape
term_keys rd2 q
check "a reading with nothing written says no packet was written" \
    wait_screen rd2 "пакет ответов не записан"
check "and leaves none" test ! -e "$T/none.reply"
# A disk as slow as CI's once was (a file took 20 s to sync): the search
# index is made beside the screens, by a process of nice 10; its syncs
# (11 s each here, past the 10 s a write waits for the lock) must not
# keep her reply out of the copy.  The working copy is scratch: it is
# not synced at all.
term_start rd3 "${CLIENT_ENV[*]} LD_PRELOAD=$B/tests/slowsync.so SLOWSYNC_MS=11000 SLOWSYNC_NICER=1 ASAN_OPTIONS=verify_asan_link_order=0:${ASAN_OPTIONS:-} TMPDIR=$T PARTA_LOCALEDIR=$PARTA_LOCALEDIR $B/parta --digest $T/d.pdg --reply $T/slow.reply"
first_board rd3
go rd3 "Как объяснить" Enter
write_reply rd3 "Ответ с медленного диска."
check "on a slow disk her reply is sent" wait_screen rd3 "#2/2"
go rd3 "Главное меню" Escape Escape Escape
term_keys rd3 q
check "and is in the packet" wait_screen rd3 "ответов и писем: 1, они в"
make_key
sysop user key add anna "$T/id_ed25519.pub" >/dev/null
printf 'ls /digests\nget /digests/%s %s\nrm /digests/%s\n' "$(basename "$f")" \
    "$T/got.pdg" "$(basename "$f")" >"$T/batch"
sftp_as anna "$T/batch" >"$T/sftp.out"
check "her SFTP tree lists it in /digests" grep -q "parta-.*\.pdg" "$T/sftp.out"
check "and she downloads it whole" cmp -s "$f" "$T/got.pdg"
check "the folder is read-only" test -s "$f"

parta_conf "$PORT" "IdentityFile $T/id_ed25519" >"$T/parta_config"
cache=$T/cache
PENV=("${CLIENT_ENV[@]}" PARTA_LOCALEDIR="$PARTA_LOCALEDIR")
not() { ! "$@"; }
posts() { db "SELECT count(*) FROM posts WHERE body = 'Ответ из дайджеста с BBS.'"; }
# client OUT ARGS...: her parta on the cache, its output into $T/OUT
# (shown when it fails).
client() {
	local out=$T/$1; shift
	"${PENV[@]}" "$B/parta" -F "$T/parta_config" -d "$cache" "$@" \
	    </dev/null >"$out" 2>&1 || { diag <"$out"; return 1; }
}
check "her client syncs" client sync1.out --sync anna@school
check "parta --replies puts the packet in her outbox" client replies.out \
    --replies "$T/d.pdg.reply" anna@school
check "and says it queued one" grep -q "в исходящих: 1 " "$T/replies.out"
client replies2.out --replies "$T/d.pdg.reply" anna@school
check "the same packet again says it was queued before" \
    grep -q "отправлены раньше ответов и писем: 1 " "$T/replies2.out"
check "and queues nothing new" not grep -q "в исходящих:" "$T/replies2.out"
# A packet that holds nothing (as a parta before this check wrote for a
# reading with nothing written): format 1, signed with the digest's key
# as the server keeps it, the digest's UUID, her login, no item.
uuid=$(grep -a '^uuid=' "$T/d.pdg" | head -1 | cut -d= -f2)
key=$(db "SELECT reply_key FROM digests WHERE uuid = '$uuid'")
printf 'PARTAREP\0\0\0\1\0\0\0\1\0\0\0\044%s\0\0\0\004anna\0\0\0\0' \
    "$uuid" >"$T/empty.reply"
python3 -c 'import hmac, sys; p = open(sys.argv[1], "ab+"); p.seek(0)
p.write(hmac.new(bytes.fromhex(sys.argv[2]), p.read(), "sha256").digest())' \
    "$T/empty.reply" "$key"
check "--replies of a packet with nothing in it fails" \
    not client empty.out --replies "$T/empty.reply" anna@school
check "saying it holds nothing" grep -q "нет ни ответов, ни писем" "$T/empty.out"
check "nothing is posted before the sync" test "$(posts)" = 0
check "the next sync sends it" client sync2.out --sync anna@school
check "the reply is on the board once" test "$(posts)" = 1
cp "$T/d.pdg.reply" "$D/p" && chmod 644 "$D/p"
LANG=en_US.UTF-8 sysop digest import "$D/p" >"$T/imp.out" 2>&1
check "importing the same packet posts nothing more" \
    grep -q "0 posted, 1 posted before" "$T/imp.out"
check "the reply is still there once" test "$(posts)" = 1
cp "$T/empty.reply" "$D/e" && chmod 644 "$D/e"
LANG=en_US.UTF-8 sysop digest import "$D/e" >"$T/imp2.out" 2>&1
check "the sysop's import of an empty packet fails" test $? -ne 0
check "and says it holds nothing" grep -q "holds no reply or letter" "$T/imp2.out"
done_testing
