#!/bin/bash
# The BBS's "Make me a digest of what is new": a teacher makes her
# digest from the main menu; it is written into her digests folder and
# is a digest of hers that parta reads.
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
f=$(ls "$D"/digests/anna/parta-*.pdg 2>/dev/null | head -1)
check "the file is in her digests folder" test -s "$f"
check "it is a digest for anna" grep -a -q '^user=anna$' "$f"
cp "$f" "$T/d.pdg"
term_start rd "${CLIENT_ENV[*]} TMPDIR=$T PARTA_LOCALEDIR=$PARTA_LOCALEDIR $B/parta --digest $T/d.pdg"
go rd "Математика" b
term_keys rd Enter
check "parta reads it" wait_screen rd "Дроби"
done_testing
