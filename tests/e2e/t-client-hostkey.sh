#!/bin/bash
# The companion client's first contact and host keys, as OpenSSH's: an
# unknown server shows its key's fingerprint and is remembered only on
# "yes"; a changed key is refused loudly before any password is asked;
# without a terminal (cron) an unknown key is refused.  And the command
# line around it: --help, the cache directory (0700, under
# XDG_DATA_HOME), --forget keeping the outbox unless she confirms.
. "$(dirname "$0")/lib.sh"

start_partad || exit 1
add_user anna teacher "Анна Ивановна" "anna-secret-1"
KH=$T/parta_known_hosts
cat >"$T/parta_config" <<EOT
Host school
	HostName 127.0.0.1
	Port $PORT
	UserKnownHostsFile $KH
EOT
: >"$KH"
PENV=("${CLIENT_ENV[@]}" PARTA_LOCALEDIR="$PARTA_LOCALEDIR")
P="${PENV[*]} $B/parta -F $T/parta_config"
fp=$(ssh-keygen -lf "$D/ssh_host_ed25519_key.pub" | cut -d' ' -f2)
fp_re=$(sed 's/[+.]/\\&/g' <<<"$fp")	# for wait_screen's grep -E

out=$("${PENV[@]}" "$B/parta" --help 2>&1); rc=$?
case $rc:$out in
0:*"parta --sync"*"--forget"*) ok "--help shows the usage" ;;
*) not_ok "--help shows the usage"; echo "$out" | diag ;;
esac

# First contact, refused.
term_start c1 "$P --sync anna@school"
check "first contact shows the server's fingerprint" wait_screen c1 "$fp_re"
check "and asks, as OpenSSH does" wait_screen c1 "yes.*no"
term_type c1 "no"; term_keys c1 Enter
check "'no' ends it with a failure" wait_screen c1 '^\[exit 1\]'
check "and remembers nothing" test ! -s "$KH"
check "the cache directory is made 0700" \
    test "$(stat -c %a "$T/home/.local/share/parta/anna@127.0.0.1:$PORT")" = 700

# First contact, accepted: the key is remembered, then the password.
term_start c2 "$P --sync anna@school"
wait_screen c2 "$fp_re" >/dev/null
term_type c2 "maybe"; term_keys c2 Enter
check "another answer is asked again" wait_screen c2 "yes, no"
term_type c2 "yes"; term_keys c2 Enter
check "'yes' goes on to the password" wait_screen c2 "Пароль anna@127.0.0.1"
check "and remembers the server's key" grep -q "$(cut -d' ' -f2 "$D/ssh_host_ed25519_key.pub")" "$KH"
term_kill c2

term_start c3 "$P --sync anna@school"
check "a known key asks nothing: straight to the password" \
    wait_screen c3 "Пароль anna@127.0.0.1"
screen_lacks c3 "$fp" && ok "without showing the fingerprint again" ||
    not_ok "without showing the fingerprint again"
term_kill c3

# Without a terminal an unknown key is refused: cron cannot say yes.
: >"$T/kh_empty"
sed "s|$KH|$T/kh_empty|" "$T/parta_config" >"$T/parta_config2"
out=$("${PENV[@]}" setsid "$B/parta" -F "$T/parta_config2" \
    -d "$T/cache2" --sync anna@school </dev/null 2>&1); rc=$?
case $rc:$out in
1:*"ключ сервера 127.0.0.1 ещё не известен"*) ok "without a terminal an unknown key is refused" ;;
*) not_ok "without a terminal an unknown key is refused"; echo "$rc $out" | diag ;;
esac
check "and not remembered" test ! -s "$T/kh_empty"

# A changed key: another key under the server's name.
ssh-keygen -q -t ed25519 -N '' -f "$T/other_key"
printf '[127.0.0.1]:%s %s\n' "$PORT" "$(cut -d' ' -f1,2 "$T/other_key.pub")" >"$KH"
cp "$KH" "$T/kh_before"
term_start c4 "$P --sync anna@school"
check "a changed key is refused loudly" wait_screen c4 "КЛЮЧ СЕРВЕРА ИЗМЕНИЛСЯ"
check "saying what to check" wait_screen c4 "ssh-keygen -R"
check "with the key it shows now" wait_screen c4 "$fp_re"
check "and ends with a failure" wait_screen c4 '^\[exit 1\]'
screen_lacks c4 "Пароль" && ok "before any password is asked" ||
    not_ok "before any password is asked"
check "known_hosts is left as it was" cmp -s "$KH" "$T/kh_before"
term_start c6 "$P anna@school"
check "the screens wait until the warning has been read" \
    wait_screen c6 "КЛЮЧ СЕРВЕРА ИЗМЕНИЛСЯ.*|Нажмите Enter"
wait_screen c6 "Нажмите Enter" >/dev/null
screen_lacks c6 "Пароль" && ok "and ask no password" ||
    not_ok "and ask no password"
term_kill c6
check "known_hosts is still as it was" cmp -s "$KH" "$T/kh_before"

# --forget: the copy goes; the outbox stays unless she says yes.
cache=$T/home/.local/share/parta/anna@127.0.0.1:$PORT
check "the copy is there" test -f "$cache/copy.db"
sqlite3 "$cache/outbox.db" "INSERT INTO outbox(uuid, kind, frame, created_at)
    VALUES ('00000000-0000-4000-8000-000000000001', 'reply', x'00', 0)"
out=$("${PENV[@]}" "$B/parta" -F "$T/parta_config" --forget \
    anna@school </dev/null 2>&1); rc=$?
check "--forget succeeds" test "$rc" = 0
check "and deletes the copy" test ! -e "$cache/copy.db"
check "but keeps an outbox with writes in it" test -f "$cache/outbox.db"
check "and says so" grep -q "исходящие сохранены" <<<"$out"
term_start c5 "$P --forget anna@school"
check "on a terminal it asks about the outbox" wait_screen c5 "Удалить и их"
term_type c5 "yes"; term_keys c5 Enter
check "and on yes deletes it" wait_screen c5 '^\[exit 0\]'
check "with the directory" test ! -e "$cache"

done_testing
