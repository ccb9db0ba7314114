#!/bin/bash
# A teacher with a password and no key: parta asks for the password on
# her terminal, then offers to add a key to her account (made in
# ~/.ssh if she has none) over parta-sync; once it is added, logins
# without a terminal (parta --sync from cron, the syncer in the
# background) need no password.
. "$(dirname "$0")/lib.sh"
trap cleanup EXIT

start_partad || exit 1
add_user olga teacher "Ольга Петрова" "olga-secret-1"
sysop board add math "Математика" "Уроки и задачи" >/dev/null
parta_conf "$PORT" >"$T/parta_config"
P="${CLIENT_ENV[*]} PARTA_LOCALEDIR=$PARTA_LOCALEDIR $B/parta -F $T/parta_config"
cache=$T/cache
psync() {	# parta --sync, no terminal (as from cron)
	"${CLIENT_ENV[@]}" PARTA_LOCALEDIR="$PARTA_LOCALEDIR" "$B/parta" \
	    -F "$T/parta_config" -d "$cache" --sync olga@school \
	    </dev/null >"$T/sync.out" 2>&1
}
keys() { db "SELECT count(*) FROM user_keys k JOIN users u ON u.id = k.user_id
    WHERE u.login = 'olga'"; }

psync; rc=$?
check "without a key and a terminal --sync cannot log in (exit 1)" test "$rc" = 1
check "and says no key was accepted" grep -q "ключ" "$T/sync.out"

term_start a "$P -d $cache olga@school"
check "on her terminal parta asks for the password" \
    wait_screen a "Пароль olga@127.0.0.1:" 150
term_type a "olga-secret-1"
term_keys a Enter
check "then offers to add a key to her account" \
    wait_screen a "^Добавить ключ к вашей учётной записи" 300
check "asking first" wait_screen a "без пароля\? \(д/н\)"
term_keys a y Enter
check "the screens open" wait_screen a "Главное меню" 150
check "the server has her key" test "$(keys)" = 1
check "made in her ~/.ssh, private to her" \
    test "$(stat -c %a "$T/home/.ssh/id_ed25519")" = 600
check "the key the server has is hers" test "$(db "SELECT blob FROM user_keys")" = \
    "$(cut -d' ' -f2 "$T/home/.ssh/id_ed25519.pub")"
check "the syncer beside the screens logs in with it" \
    poll "$WAIT" grep -q '^0 ' "$cache/status"
go a '^\[exit 0\]' q
check "--sync without a terminal logs in with the key now" psync
check "and asks nothing" test "$(grep -c 'Пароль' "$T/sync.out")" = 0

done_testing
