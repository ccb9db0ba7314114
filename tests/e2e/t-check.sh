#!/bin/bash
# partad -t refuses whatever start-up would refuse: a listen address
# that does not parse or is not this host's, a config line holding a
# NUL byte; it accepts a good configuration, also while a partad is
# already listening on its port.
. "$(dirname "$0")/lib.sh"

# ptest CONFIG-LINE...: partad -t on a config of these lines; prints its
# output, then "status N".
ptest() {
	printf '%s\n' ${PARTAD_USER:+"user $PARTAD_USER"} "$@" >"$T/check.conf"
	"$B/partad" -t -f "$T/check.conf" -d "$D" 2>&1
	echo "status $?"
}
has() { grep -qF -- "$2" <<<"$1"; }
lacks() { ! has "$@"; }

PORT=$(free_port)
out=$(ptest "listen_address 127.0.0.1" "port $PORT")
check "a good configuration is OK" has "$out" "configuration OK"
check "... with status 0" has "$out" "status 0"

out=$(ptest "listen_address 300.1.2.3" "port $PORT")
echo "$out" | diag
check "an address that does not parse is refused" has "$out" "status 1"
check "... naming it" has "$out" "300.1.2.3"
check "... and not said to be OK" lacks "$out" "configuration OK"

out=$(ptest "listen_address 192.0.2.1" "port $PORT")
echo "$out" | diag
check "an address not on this host is refused" has "$out" "status 1"
check "... saying why" has "$out" "error: 192.0.2.1 port $PORT: "

printf 'port %s\nlisten_address 127.0.0.1\0 0.0.0.0\n' "$PORT" >"$T/nul.conf"
out=$("$B/partad" -t -f "$T/nul.conf" -d "$D" 2>&1; echo "status $?")
echo "$out" | diag
check "a line with a NUL byte is refused" has "$out" "status 1"
check "... by its line number" has "$out" "nul.conf:2: the line contains a NUL byte"

start_partad || exit 1
out=$("$B/partad" -t -f "$T/partad.conf" -d "$D" -l 127.0.0.1 -p "$PORT" 2>&1
    echo "status $?")
echo "$out" | diag
check "the running server's own port is no error" has "$out" "status 0"
check "... but is mentioned" has "$out" "is in use"
done_testing
