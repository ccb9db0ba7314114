#!/bin/bash
# Guessing passwords in parallel: 150 connections at once, one guess
# each, get no more guesses checked than the limit, and the right
# password among them does not get in, nor on a connection that was
# open before; a teacher behind the same address
# who did not fail still logs in with her password; once the address is
# blocked, a password login is told why in Russian and English (OpenSSH
# and plink show it), and a key login still gets in.
. "$(dirname "$0")/lib.sh"

start_partad "throttle_failures 5" "throttle_address_failures 8" \
    "throttle_window 600" "throttle_block 600" || exit 1
make_key
for u in petrov ivanova; do
	echo "$u-right-password" | sysop user add "$u" --role teacher \
	    --name "$u" --password-stdin >/dev/null
done
lib_user sidorova

# guess LOGIN N RIGHT-AT: N connections at once, each one password for
# LOGIN (the right one as the RIGHT-AT-th); prints "in=K" for the
# guesses that got in.  Every connection gives up after 60 s.
guess() {
	"${CLIENT_ENV[@]}" python3 - "$PORT" "$@" <<'PY'
import logging, sys, threading, paramiko
logging.getLogger("paramiko").setLevel(logging.CRITICAL + 1)
port, login, n, right = int(sys.argv[1]), sys.argv[2], int(sys.argv[3]), int(sys.argv[4])
got = []
def one(i):
    pw = login + "-right-password" if i == right else "guess-%d" % i
    t = None
    try:
        t = paramiko.Transport(("127.0.0.1", port))
        t.banner_timeout = t.auth_timeout = 60
        t.start_client(timeout=60)
        t.auth_password(login, pw)
        got.append(i)
    except Exception:
        pass
    finally:
        if t is not None:
            t.close()
ts = [threading.Thread(target=one, args=(i,)) for i in range(n)]
for t in ts: t.start()
for t in ts: t.join(90)
print("in=%d" % len(got))
PY
}

# Petrov himself waits at the password prompt meanwhile.
term_start early "$(ssh_cmd petrov -o PubkeyAuthentication=no -o LogLevel=INFO)"
wait_screen early "password:" >/dev/null
out=$(guess petrov 150 120)
checked=$(grep -c "failed password for petrov" "$T/partad.log")
if [ "$checked" -le 5 ]; then
	ok "150 guesses at once: $checked checked, the limit is 5"
else
	not_ok "150 guesses at once: $checked checked, the limit is 5"
fi
check "the right password among them did not get in ($out)" [ "$out" = "in=0" ]

term_type early "petrov-right-password"; term_keys early Enter
check "a connection open before the block is told why at its next password" \
    wait_screen early "too many failed logins"
check "... and refused, not cut off" wait_screen early "Permission denied"
check "... and ends" wait_screen early '\[exit 255\]'

login iv ivanova ivanova-right-password
check "a teacher behind the same address who did not fail gets in" \
    wait_screen iv "Главное меню"
go iv '\[exit 0\]' q

# Three more failures with other logins: eight from the address.
out=$(guess nobody-here 3 -1)
check "the address is blocked after eight failures" \
    poll "$WAIT" sh -c "[ \"\$(sqlite3 '$D/parta.db' \"select count(*) from auth_blocks where until > strftime('%s','now')\")\" = 1 ]"

term_start ob "$(ssh_cmd ivanova -o PubkeyAuthentication=no -o LogLevel=INFO)"
check "OpenSSH shows a blocked teacher why, in Russian" \
    wait_screen ob "слишком много неудачных попыток"
check "... and in English" wait_screen ob "too many failed logins"
check "... and does not ask for a password in vain" wait_screen ob '\[exit 255\]'

fp=$(ssh-keygen -lf "$D/ssh_host_ed25519_key.pub" | awk '{print $2}')
term_start pb "${CLIENT_ENV[*]} plink -ssh -batch -P $PORT -l ivanova -pw x -hostkey $fp 127.0.0.1"
check "plink shows it too, in Russian" wait_screen pb "слишком много неудачных попыток"
check "... and in English" wait_screen pb "too many failed logins"

term_start key "$(ssh_cmd sidorova)"
check "from the blocked address, a key still gets in" wait_screen key "Главное меню"
go key '\[exit 0\]' q

done_testing
