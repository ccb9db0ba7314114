#!/bin/bash
# Sessions end the way clients expect (issue 15): exit status, EOF and
# close on the channel, then the client's close and its hang-up.
# Hanging up first made OpenSSH say "Connection to ... closed by remote
# host" after about one logout in six and one sftp session in three.
# Twelve logouts from the main menu and nine sftp sessions, each of which
# must end with OpenSSH's own clean line and status 0.
. "$(dirname "$0")/lib.sh"

start_partad || exit 1
lib_user anna
db "update users set encoding = 'UTF-8', encoding_chosen = 1 where login = 'anna'"

# A terminal that stays: killing the last session would end the tmux
# server while the next one starts.
term_start keep "sleep 3600"
N=12
clean=0 unclean=0
for i in $(seq $N); do
	# LogLevel INFO: OpenSSH prints "Connection to HOST closed." for a
	# pty session that ended cleanly.
	term_start "x$i" "$(ssh_cmd anna -o LogLevel=INFO)"
	wait_screen "x$i" "Главное меню" >/dev/null
	term_keys "x$i" q
	wait_screen "x$i" '^\[exit' >/dev/null
	s=$(term_screen "x$i")
	if grep -qE "closed by remote host|Received disconnect|reset by peer" <<<"$s"; then
		unclean=$((unclean + 1))
		[ "$unclean" = 1 ] && diag <<<"$s"
	elif grep -q "^Connection to 127.0.0.1 closed\.\$" <<<"$s" &&
	    grep -q '^\[exit 0\]' <<<"$s"; then
		clean=$((clean + 1))
	fi
	term_kill "x$i"
done
check "$N logouts: none ends with \"closed by remote host\" ($unclean did)" \
    [ "$unclean" = 0 ]
check "$N logouts: each ends with OpenSSH's clean line and status 0 ($clean did)" \
    [ "$clean" = "$N" ]

M=9
echo bye >"$T/bye"
unclean=0 ok_n=0
for i in $(seq $M); do
	out=$(sftp_as anna "$T/bye"; echo "status $?")
	if grep -qE "closed by remote host|Received disconnect|reset by peer" <<<"$out"; then
		unclean=$((unclean + 1))
		[ "$unclean" = 1 ] && diag <<<"$out"
	fi
	grep -q '^status 0$' <<<"$out" && ok_n=$((ok_n + 1))
done
check "$M sftp sessions: none ends with \"closed by remote host\" ($unclean did)" \
    [ "$unclean" = 0 ]
check "$M sftp sessions: each ends with status 0 ($ok_n did)" [ "$ok_n" = "$M" ]
check "every session ended by the client's hang-up, not partad's wait" \
    [ "$(grep -c 'did not hang up' "$T/partad.log")" = 0 ]

# A client that keeps the link after its close (as a multiplexing
# master does) is hung up on after a bounded wait, and says so.
silent_client() {
	"${CLIENT_ENV[@]}" python3 - "$PORT" "$T/id_ed25519" <<'PY'
import sys, time, paramiko
c = paramiko.SSHClient()
c.set_missing_host_key_policy(paramiko.AutoAddPolicy())
c.connect("127.0.0.1", int(sys.argv[1]), username="anna",
    key_filename=sys.argv[2], look_for_keys=False, allow_agent=False)
ch = c.get_transport().open_session()
ch.get_pty(width=80, height=24)
ch.invoke_shell()
buf = b""
end = time.time() + 20
while "Главное меню".encode() not in buf and time.time() < end:
    if ch.recv_ready():
        buf += ch.recv(65536)
    else:
        time.sleep(0.05)
ch.send(b"q")
while not ch.closed and time.time() < end:
    time.sleep(0.05)
# The channel is closed both ways; keep the link open.
t = c.get_transport()
while t.is_active() and time.time() < end:
    time.sleep(0.1)
print("hung up" if not t.is_active() else "still open")
PY
}
# paramiko: Debian's python3-paramiko (DEB_TEST), as t-limits.sh's.
check "a client that keeps the link after the close is hung up on" \
    [ "$(silent_client)" = "hung up" ]
check "... and the log says the client did not hang up" \
    poll "$WAIT" grep -q 'did not hang up after the session closed' "$T/partad.log"
done_testing
