#!/bin/bash
# Started as root, partad binds, then runs as an unprivileged user
# (hardening, item 13): the listener, sessions and the UI are that user,
# with no_new_privs; the data directory is given to it, the host key
# stays root's; an unknown user or root itself is refused; loose modes
# of the host key and the store are warned of.
. "$(dirname "$0")/lib.sh"

if [ "$(id -u)" -ne 0 ]; then
	ok "# SKIP not root: partad does not change users"
	done_testing
	exit
fi
uid=$(id -u "$PARTAD_USER")
has() { grep -qF -- "$2" <<<"$1"; }
# The Uid: and NoNewPrivs: lines of /proc/PID/status.
real_uid() { awk '/^Uid:/ {print $2}' "/proc/$1/status"; }
nnp() { awk '/^NoNewPrivs:/ {print $2}' "/proc/$1/status"; }

start_partad || exit 1
check "the drop is logged" grep -q "running as user $PARTAD_USER" "$T/partad.log"
check "the listener runs as $PARTAD_USER" test "$(real_uid "$PARTAD_PID")" = "$uid"
check "the store is the user's" test "$(stat -c %u "$D/parta.db")" = "$uid"
check "the host key stays root's" test "$(stat -c %u:%a "$D/ssh_host_ed25519_key")" = "0:600"

add_user anna teacher "Анна Иванова" "anna-secret"
login a anna anna-secret
check "a teacher logs in" wait_screen a "Главное меню"
sess=$(pgrep -P "$PARTAD_PID" | head -1)
ui=$(pgrep -P "$sess" | head -1)
check "her session process runs as $PARTAD_USER" test "$(real_uid "$sess")" = "$uid"
check "... with no_new_privs" test "$(nnp "$sess")" = 1
check "her UI too" test -n "$ui" -a "$(real_uid "${ui:-1}")" = "$uid"
check "... with no_new_privs" test "$(nnp "${ui:-1}")" = 1
term_keys a q

out=$("$B/partad" -t -f "$T/partad.conf" -d "$D" -u no-such-user 2>&1; echo "status $?")
echo "$out" | diag
check "an unknown user is refused" has "$out" "status 1"
check "... saying how to make it" has "$out" "user no-such-user does not exist: create it"
out=$("$B/partad" -t -f "$T/partad.conf" -d "$D" -u root 2>&1; echo "status $?")
check "root itself is refused" has "$out" "sessions never run as root"

stop_partad
chmod 644 "$D/ssh_host_ed25519_key"
chmod 666 "$D/parta.db"
start_partad || exit 1
check "a host key others may read is warned of" \
    grep -q 'host key .* has mode 0644' "$T/partad.log"
check "a store others may change is warned of" \
    grep -q 'store .* has mode 0666' "$T/partad.log"
done_testing
