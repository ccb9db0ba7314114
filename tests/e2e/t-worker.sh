#!/bin/bash
# A channel's child (bbs/worker.c) holds nothing of the session's but its
# channel: partad is started with an extra file open, as a careless init
# script or a shell may leave one, which the listener and the session
# inherit; the UI child (on its pty) and the SFTP child (on its socket)
# hold neither that file nor any socket but their channel, only fds
# 0-2, the channel and their own store connection.
. "$(dirname "$0")/lib.sh"

: >"$T/inherited"
exec 7>>"$T/inherited"
start_partad || exit 1
exec 7>&-
lib_user anna

# The fds of the one grandchild of the listener: the channel's child.
worker_fds() {
	local s c
	s=$(pgrep -P "$PARTAD_PID" | head -1)
	[ -n "$s" ] || return 1
	c=$(pgrep -P "$s" | head -1)
	[ -n "$c" ] || return 1
	ls -l "/proc/$c/fd" 2>/dev/null | awk 'NR > 1 { print $9, $11 }' \
	    >"$T/fds.new" && [ -s "$T/fds.new" ] && mv "$T/fds.new" "$T/fds"
}
# The fds beyond 0-2 that are neither the store's files (with who is
# online, parta.db-online, beside it) nor sockets.
strays() { awk '$1 > 2 && $2 !~ /parta\.db(-online)?(-wal|-shm)?$/ && $2 !~ /^socket:/' "$T/fds"; }
sockets() { grep -c ' socket:' "$T/fds"; }

check "the listener holds the inherited file (the test would see a leak)" \
    sh -c "ls -l /proc/$PARTAD_PID/fd | grep -q '$T/inherited'"

term_start w "$(ssh_cmd anna)"
check "anna is at the main menu" wait_screen w "Главное меню"
check "the UI child is found" poll "$WAIT" worker_fds
diag <"$T/fds"
check "the UI child holds no inherited file" sh -c "! grep -q inherited '$T/fds'"
check "nor anything but its terminal, the log and the store" \
    test -z "$(strays)"
check "nor any socket (the SSH connection is the session's)" \
    test "$(sockets)" -eq 0
check "its terminal is a pty on 0 and 1" \
    grep -qE '^1 /dev/pts/' "$T/fds"
term_kill w	# the client goes: the session and its UI end
poll "$WAIT" sh -c "[ -z \"\$(pgrep -P $PARTAD_PID)\" ]"

rm -f "$T/fds"
term_start f "${CLIENT_ENV[*]} sftp -F $T/ssh_config -o User=anna parta"
check "anna is in sftp" wait_screen f "sftp>"
check "the SFTP child is found" poll "$WAIT" worker_fds
diag <"$T/fds"
check "the SFTP child holds no inherited file" sh -c "! grep -q inherited '$T/fds'"
check "nor anything but the log and the store" test -z "$(strays)"
check "and one socket, its channel" test "$(sockets)" -eq 1
term_keys f "bye" Enter
done_testing
