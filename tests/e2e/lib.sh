# lib.sh: the end-to-end harness, sourced by tests/e2e/t-*.sh.
#
# Like OpenSSH's regress/: a temporary directory, a fresh data directory
# (so a fresh host key), a free port on 127.0.0.1, a private ssh_config
# with its own known_hosts and no agent, the real partad, and the real
# OpenSSH client inside a detached tmux (capture-pane reads the screen).
# Every wait is a bounded poll, never a bare sleep.
#
# Results are TAP lines; tests/run.sh counts them.

set -u
TOP=${PARTA_TOP:-$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)}
B=${PARTA_BUILD:-$TOP/build}
export PARTA_LOCALEDIR=${PARTA_LOCALEDIR:-$TOP/build/locale}
T=$(mktemp -d "${TMPDIR:-/tmp}/parta-e2e.XXXXXX")
D=$T/data
PORT=
PARTAD_PID=
TMUX_SOCK=$T/tmux.sock
_n=0
_failed=0

# A clean environment for clients: no ~/.ssh, no agent, fixed locale.
CLIENT_ENV=(env -i PATH=/usr/bin:/bin HOME="$T/home" LANG=C.UTF-8 TERM=xterm)
mkdir -p "$T/home"

ok()     { _n=$((_n + 1)); echo "ok $_n - $*"; }
not_ok() { _n=$((_n + 1)); _failed=$((_failed + 1)); echo "not ok $_n - $*"; }
diag()   { sed 's/^/# /'; }

# check DESC CMD...: ok if CMD succeeds.
check() {
	local desc=$1; shift
	if "$@"; then ok "$desc"; else not_ok "$desc"; fi
}

# poll N CMD...: retry CMD every 0.1 s, at most N times.
poll() {
	local n=$1 i; shift
	for ((i = 0; i < n; i++)); do
		"$@" && return 0
		sleep 0.1
	done
	return 1
}

cleanup() {
	tmux -S "$TMUX_SOCK" kill-server 2>/dev/null
	stop_partad
	if [ "$_failed" -eq 0 ] && [ -z "${PARTA_KEEP:-}" ]; then
		rm -rf "$T"
	else
		echo "# kept $T"
	fi
}
trap cleanup EXIT

# The sanitizers write to the log; any report is a failure of its own.
sanitizer_check() {
	if [ -f "$T/partad.log" ] && grep -qE 'ERROR: AddressSanitizer|runtime error:' "$T/partad.log"; then
		not_ok "no sanitizer reports in partad's log"
		grep -E -A20 'ERROR: AddressSanitizer|runtime error:' "$T/partad.log" | head -40 | diag
	fi
}

done_testing() {
	sanitizer_check
	echo "1..$_n"
	[ "$_failed" -eq 0 ]
}

sysop() { "$B/parta-sysop" -d "$D" "$@"; }

free_port() {
	local p
	for _ in $(seq 50); do
		p=$((20000 + RANDOM % 40000))
		if ! (exec 3<>"/dev/tcp/127.0.0.1/$p") 2>/dev/null; then
			echo "$p"
			return 0
		fi
	done
	return 1
}

# start_partad [CONFIG LINE...]: start partad with extra config lines.
start_partad() {
	local line tries
	: >"$T/partad.conf"
	for line in "$@"; do echo "$line" >>"$T/partad.conf"; done
	for tries in 1 2 3; do
		PORT=$(free_port)
		: >"$T/partad.log"
		"$B/partad" -f "$T/partad.conf" -d "$D" -l 127.0.0.1 -p "$PORT" \
		    >>"$T/partad.log" 2>&1 &
		PARTAD_PID=$!
		if poll 100 grep -q 'listening on' "$T/partad.log"; then
			break
		fi
		kill "$PARTAD_PID" 2>/dev/null; wait "$PARTAD_PID" 2>/dev/null
		PARTAD_PID=
	done
	[ -n "$PARTAD_PID" ] || { echo "# partad did not start"; diag <"$T/partad.log"; return 1; }
	printf '[127.0.0.1]:%s %s\n' "$PORT" \
	    "$(cut -d' ' -f1,2 "$D/ssh_host_ed25519_key.pub")" >"$T/known_hosts"
	cat >"$T/ssh_config" <<EOT
Host parta
	HostName 127.0.0.1
	Port $PORT
	UserKnownHostsFile $T/known_hosts
	StrictHostKeyChecking yes
	IdentityAgent none
	IdentitiesOnly yes
	IdentityFile $T/id_ed25519
	PreferredAuthentications publickey,password,keyboard-interactive
	NumberOfPasswordPrompts 5
	ServerAliveInterval 0
	LogLevel ERROR
EOT
}

stop_partad() {
	[ -n "$PARTAD_PID" ] || return 0
	kill "$PARTAD_PID" 2>/dev/null
	poll 100 sh -c "! kill -0 $PARTAD_PID 2>/dev/null"
	wait "$PARTAD_PID" 2>/dev/null
	PARTAD_PID=
}

# A key pair for the client, made once per test script.
make_key() {
	[ -f "$T/id_ed25519" ] || ssh-keygen -q -t ed25519 -N '' -C "teacher@school" -f "$T/id_ed25519"
}

# The ssh command line for user $1 (extra ssh options may follow).
ssh_cmd() {
	local user=$1; shift
	echo "${CLIENT_ENV[*]} ssh -F $T/ssh_config -l $user $* parta"
}

# --- tmux: a terminal per client ----------------------------------------

# term_start NAME CMD [COLS ROWS]: run CMD in a new 80x24 terminal; when
# it ends, the pane shows "[exit STATUS]".
term_start() {
	local name=$1 cmd=$2 cols=${3:-80} rows=${4:-24}
	tmux -S "$TMUX_SOCK" -f /dev/null new-session -d -s "$name" \
	    -x "$cols" -y "$rows" "$cmd; echo \"[exit \$?]\"; sleep 3600"
}
term_screen() { tmux -S "$TMUX_SOCK" capture-pane -p -t "$1"; }
term_keys()   { local n=$1; shift; tmux -S "$TMUX_SOCK" send-keys -t "$n" "$@"; }
term_type()   { tmux -S "$TMUX_SOCK" send-keys -t "$1" -l "$2"; }
term_resize() { tmux -S "$TMUX_SOCK" resize-window -t "$1" -x "$2" -y "$3"; }
term_kill()   { tmux -S "$TMUX_SOCK" kill-session -t "$1" 2>/dev/null; }

# wait_screen NAME PATTERN [TENTHS]: poll until the screen matches the
# extended regex PATTERN (default 10 s).  On failure the screen is shown.
wait_screen() {
	local name=$1 pat=$2 n=${3:-100}
	if poll "$n" _screen_has "$name" "$pat"; then
		return 0
	fi
	echo "# waited for /$pat/ on $name; the screen was:"
	term_screen "$name" | diag
	return 1
}
_screen_has() { term_screen "$1" | grep -qE -- "$2"; }

# login NAME USER PASSWORD: open a terminal and log in with a password.
login() {
	local name=$1 user=$2 pw=$3
	term_start "$name" "$(ssh_cmd "$user" -o PubkeyAuthentication=no)"
	wait_screen "$name" "password:" || return 1
	term_type "$name" "$pw"
	term_keys "$name" Enter
}

# fill NAME VALUE...: type each value into a form field, Enter after each.
fill() {
	local name=$1 v; shift
	for v in "$@"; do
		term_type "$name" "$v"
		term_keys "$name" Enter
	done
}

# wait_count NAME PATTERN N: poll until N lines of the screen match.
wait_count() {
	local name=$1 pat=$2 want=$3
	if poll 100 _screen_count "$name" "$pat" "$want"; then
		return 0
	fi
	echo "# waited for $want lines /$pat/ on $name; the screen was:"
	term_screen "$name" | diag
	return 1
}
_screen_count() { [ "$(term_screen "$1" | grep -cE -- "$2")" -ge "$3" ]; }
