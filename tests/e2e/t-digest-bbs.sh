#!/bin/bash
# The BBS's "Make me a digest of what is new": a teacher makes her
# digest from the main menu; it is written into her digests folder,
# which her SFTP tree shows read-only as /digests, and parta reads it.
# A reply written there leaves in a reply packet; her client's next sync
# (parta --replies, then --sync) posts it once, and parta-sysop digest
# import of the same packet afterwards posts nothing more.
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
first_board rd
check "parta reads it" wait_screen rd "Дроби"
go rd "Как объяснить" Enter
write_reply rd "Ответ из дайджеста с BBS."
wait_screen rd "#2/2" >/dev/null
go rd "Главное меню" Escape Escape Escape
term_keys rd q
check "the reader leaves a reply packet" wait_screen rd "d.pdg.reply"
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
check "nothing is posted before the sync" test "$(posts)" = 0
check "the next sync sends it" client sync2.out --sync anna@school
check "the reply is on the board once" test "$(posts)" = 1
cp "$T/d.pdg.reply" "$D/p" && chmod 644 "$D/p"
LANG=en_US.UTF-8 sysop digest import "$D/p" >"$T/imp.out" 2>&1
check "importing the same packet posts nothing more" \
    grep -q "0 posted, 1 posted before" "$T/imp.out"
check "the reply is still there once" test "$(posts)" = 1
done_testing
