#!/bin/bash
# partad's log against hostile input and its place: a user name with a
# newline and escape sequences (sent by paramiko, which sends any name)
# forges no line and puts no raw ESC in the log, and is stored short in
# auth_failures, nor does a client's version string; a log line the UI writes goes to partad's log, never
# onto the user's screen.
. "$(dirname "$0")/lib.sh"

start_partad || exit 1
add_user anna teacher "Анна Иванова" "anna-secret"
add_user boris teacher "Борис" "boris-secret"

# --- a hostile user name -------------------------------------------------
cat >"$T/evil.py" <<'EOT'
import sys, paramiko
user = ("x\x1b]0;owned\x07\x1b[2J\x9b31m\n"
        "2026-12-01 10:00:00 partad[1] info: root authenticated from 10.0.0.1"
        + "A" * 5000)
t = paramiko.Transport(("127.0.0.1", int(sys.argv[1])))
t.start_client(timeout=20)
try:
    t.auth_password(user, "wrong")
except paramiko.AuthenticationException:
    print("denied")
t.close()
EOT
out=$("${CLIENT_ENV[@]}" python3 "$T/evil.py" "$PORT" 2>&1)
check "paramiko's hostile name is refused" test "$out" = denied
poll "$WAIT" grep -q "failed password for x" "$T/partad.log"
check "the failure is logged once, escaped" \
    grep -qF 'failed password for x\033]0;owned\007\033[2J\xC2\x9B31m\n2026-12-01' "$T/partad.log"
check "no raw ESC or BEL reaches the log" \
    sh -c "! LC_ALL=C grep -q \$(printf '[\\033\\007]') '$T/partad.log'"
check "the newline forged no line" \
    sh -c "! grep -q '^2026-12-01 10:00:00 partad\[1\]' '$T/partad.log'"
line=$(grep "failed password for x" "$T/partad.log")
if [ "${#line}" -lt 300 ] && [[ $line == *"...  from 127.0.0.1"* || $line == *"... from 127.0.0.1"* ]]; then
	ok "the name in the log is cut and the cut marked"
else
	not_ok "the name in the log is cut and the cut marked"; echo "${#line}: $line" | diag
fi
stored=$(db "select length(login) <= 64 and login like '%...'
    and instr(login, char(27)) = 0 and login like 'x\\033]0;owned%'
    from auth_failures")
check "auth_failures keeps at most 64 bytes of it, escaped" test "$stored" = 1

# A client's version string reaches the log inside libssh's error.
"${CLIENT_ENV[@]}" python3 -c '
import socket, sys
s = socket.create_connection(("127.0.0.1", int(sys.argv[1])), timeout=10)
s.recv(100)
s.sendall(b"SSH-1.5-evil\x1b]0;owned\x07\x1b[2J\r\n")
try:
    s.recv(100)
except OSError:
    pass
' "$PORT"
check "a hostile client version string is logged escaped" \
    poll "$WAIT" grep -qF '(banner: SSH-1.5-evil\033]0;owned\007\033[2J)' "$T/partad.log"

# --- the UI's log lines --------------------------------------------------
# A writer holding the store longer than the busy timeout (10 s) makes
# the UI's next write fail, and the UI logs it at error level.
login_menu a anna anna-secret
go a "Входящие" m
go a "Кому \(логин\)" w
fill a "boris" "Locked"
term_type a "A letter while the store is busy."
(echo "BEGIN IMMEDIATE; DELETE FROM auth_failures;"; sleep 14; echo "COMMIT;") |
    sqlite3 "$D/parta.db" &
holder=$!
poll "$WAIT" sh -c "! sqlite3 '$D/parta.db' 'BEGIN IMMEDIATE; ROLLBACK;' 2>/dev/null"
term_keys a C-x
check "the UI logs the failed write in partad's log" \
    poll "$WAIT" grep -q "partad-ui\[[0-9]*\] error: store: .*database is locked" "$T/partad.log"
# The letter goes once the writer is done; by then anything written on
# the terminal would be on the screen.
check "the letter is sent when the store is free again" \
    wait_screen a "Письмо отправлено" 200
if term_screen a | grep -qE "database is locked|partad-ui|store:"; then
	not_ok "no log line on the user's screen"; term_screen a | diag
else
	ok "no log line on the user's screen"
fi
wait "$holder"
check "after it all, still no raw ESC or BEL in the log" \
    sh -c "! LC_ALL=C grep -q \$(printf '[\\033\\007]') '$T/partad.log'"

done_testing
