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
# tmux's server, left to itself, exits when its last session ends: a
# new-session that reaches the socket in that moment dies with "server
# exited unexpectedly" and leaves no terminal at all (a script that
# kills its only terminal and opens the next lost it a few times in a
# hundred).  This server lives until cleanup kills it.
TMUX_CONF=$T/tmux.conf
echo 'set -s exit-empty off' >"$TMUX_CONF"
_n=0
_failed=0
# How long a wait for what should come may take, in tenths of a second.
# A wait that succeeds returns at once, so this costs nothing but on a
# failure; it is generous because tests run in parallel (tests/run.sh
# -j) and under the sanitizers, on machines of two cores.
WAIT=${PARTA_WAIT:-300}

# Run as root (CI), partad drops to an unprivileged user after binding
# (partad(8)); the harness names "nobody", lets it reach $D, and runs
# parta-sysop as that user too, as a sysop would (sudo -u parta), so
# that the files it makes are the server's to read.
PARTAD_USER=
if [ "$(id -u)" -eq 0 ]; then
	PARTAD_USER=nobody
	chmod 711 "$T"
	mkdir -m 700 "$D"
	chown "$PARTAD_USER:$(id -gn "$PARTAD_USER")" "$D"
fi

# A clean environment for clients: no ~/.ssh, no agent, fixed locale.
CLIENT_ENV=(env -i PATH=/usr/bin:/bin HOME="$T/home" LANG=C.UTF-8 TERM=xterm)
mkdir -p "$T/home"

ok()     { _n=$((_n + 1)); echo "ok $_n - $*"; }
not_ok() { _n=$((_n + 1)); _failed=$((_failed + 1)); echo "not ok $_n - $*"; }
diag()   { sed 's/^/# /'; }

# check DESC CMD...: ok if CMD succeeds.  It fails as CMD did, so that
# "check ... || diag <<<\"$out\"" shows what was seen.
check() {
	local desc=$1; shift
	if "$@"; then ok "$desc"; else not_ok "$desc"; return 1; fi
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
	term_kill_all
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

sysop() {
	if [ -n "$PARTAD_USER" ]; then
		setpriv --reuid="$PARTAD_USER" --regid="$(id -g "$PARTAD_USER")" \
		    --clear-groups "$B/parta-sysop" -d "$D" "$@"
	else
		"$B/parta-sysop" -d "$D" "$@"
	fi
}

# db SQL: the sqlite3 shell on the test's store.  It waits for partad's
# writers (WAL allows one at a time) instead of failing at once with
# "database is locked".
db() { sqlite3 -cmd '.timeout 10000' "$D/parta.db" "$@"; }

# add_user LOGIN ROLE NAME PASSWORD: an account made by the console.
add_user() {
	echo "$4" | sysop user add "$1" --role "$2" --name "$3" \
	    --password-stdin >/dev/null
}

# add_users: the accounts of a table on stdin, one a line: LOGIN ROLE
# PASSWORD NAME (the name last, as it has spaces).
add_users() {
	local login role pw name
	while read -r login role pw name; do
		add_user "$login" "$role" "$name" "$pw" </dev/null
	done
}

# add_teachers LOGIN...: teachers named "Имя LOGIN", password
# LOGIN-secret-1.
add_teachers() {
	local u
	for u in "$@"; do
		add_user "$u" teacher "Имя $u" "$u-secret-1"
	done
}

# console_post BOARD LOGIN SUBJECT TEXT: a thread started by the console
# as LOGIN.
console_post() {
	echo "$4" | sysop post "$1" --as "$2" --subject "$3" >/dev/null
}

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
	[ -n "$PARTAD_USER" ] && echo "user $PARTAD_USER" >>"$T/partad.conf"
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
	client_config
}

# client_config: the client's side of a partad on 127.0.0.1:$PORT whose
# host key is in $D: $T/known_hosts and $T/ssh_config (host "parta").
client_config() {
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
	SendEnv LANG LC_CTYPE LC_ALL
EOT
}

# restart_partad: start partad again on the port and data it had (after
# stop_partad), so that clients that know it find it where it was.
restart_partad() {
	: >"$T/partad.log"
	"$B/partad" -f "$T/partad.conf" -d "$D" -l 127.0.0.1 -p "$PORT" \
	    >>"$T/partad.log" 2>&1 &
	PARTAD_PID=$!
	poll 100 grep -q 'listening on' "$T/partad.log"
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
# it ends, the pane shows "[exit STATUS]" at the start of a line (the
# client may leave its cursor anywhere: a status cut at the right edge
# would not match).
term_start() {
	local name=$1 cmd=$2 cols=${3:-80} rows=${4:-24}
	_cs_done[$name]=
	tmux -S "$TMUX_SOCK" -f "$TMUX_CONF" new-session -d -s "$name" \
	    -x "$cols" -y "$rows" "$cmd; printf '\\r\\n[exit %s]\\n' \$?; sleep 3600" \
	    2>"$T/tmux.err" && return 0
	echo "# no terminal $name: tmux said: $(cat "$T/tmux.err")"
	return 1
}
# A terminal is named exactly ("=a:"): a bare "a" is also a prefix, and
# once "a" is gone it would name "a2".
term_screen() { tmux -S "$TMUX_SOCK" capture-pane -p -t "=$1:"; }
term_keys()   { local n=$1; shift; tmux -S "$TMUX_SOCK" send-keys -t "=$n:" "$@"; }
term_type()   { tmux -S "$TMUX_SOCK" send-keys -t "=$1:" -l "$2"; }
term_resize() { tmux -S "$TMUX_SOCK" resize-window -t "=$1:" -x "$2" -y "$3"; }
term_kill()   { tmux -S "$TMUX_SOCK" kill-session -t "=$1" 2>/dev/null; }
# term_kill_all: end every terminal and the tmux server, and wait until
# it is gone (a new-session while it exits would find it and die with
# it).
term_kill_all() {
	local pid
	pid=$(tmux -S "$TMUX_SOCK" display-message -p '#{pid}' 2>/dev/null) ||
	    return 0
	tmux -S "$TMUX_SOCK" kill-server 2>/dev/null
	poll 100 gone "$pid"
}

# wait_screen NAME PATTERN [TENTHS]: poll until the screen matches the
# extended regex PATTERN (default $WAIT).  On failure the screen is shown.
wait_screen() {
	local name=$1 pat=$2 n=${3:-$WAIT}
	if poll "$n" _screen_has "$name" "$pat"; then
		return 0
	fi
	echo "# waited for /$pat/ on $name; the screen was:"
	term_screen "$name" | diag
	_log_tail
	return 1
}

# _log_tail: after the first failed wait of a script, the end of
# partad's log (CI keeps no directory to look into afterwards).
_log_shown=
_log_tail() {
	[ -z "$_log_shown" ] && [ -s "$T/partad.log" ] || return 0
	_log_shown=1
	echo "# the end of partad's log:"
	tail -n 15 "$T/partad.log" | diag
}
_screen_has() {
	local s
	s=$(term_screen "$1")
	grep -qE -- "$2" <<<"$s" && return 0
	_charset_menu "$1" "$s"
	return 1
}

# The terminal-encoding menu comes at a first login and before the
# registration form (issue 4).  Tests about other things take the line
# it marks (UTF-8: ssh sends LANG=C.UTF-8) with one Enter, once per
# terminal, when a wait finds the menu instead of what it waits for.
# CHARSET_MENU_AUTO=0 leaves the menu to the test (t-charset*.sh).
declare -A _cs_done
CHARSET_MENU_AUTO=${CHARSET_MENU_AUTO:-1}
_charset_menu() {
	[ "$CHARSET_MENU_AUTO" = 1 ] && [ -z "${_cs_done[$1]:-}" ] || return 0
	case $2 in *"Choose the line you can read"*) ;; *) return 0 ;; esac
	_cs_done[$1]=1
	term_keys "$1" Enter
}

# login NAME USER PASSWORD: open a terminal and log in with a password
# (1 at once if ssh ends before it asks for one).
login() {
	local name=$1 user=$2 pw=$3
	term_start "$name" "$(ssh_cmd "$user" -o PubkeyAuthentication=no)"
	wait_screen "$name" "password:|^\[exit [0-9]+\]" || return 1
	if ! _screen_has "$name" "password:"; then
		echo "# ssh ended on $name before it asked for a password:"
		term_screen "$name" | diag
		return 1
	fi
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

# fill_text NAME LINE...: type the lines into a form's field of several
# lines (the first letter opens the editor), Enter between them; Ctrl-X
# back to the form, and Enter on to the next field.
fill_text() {
	local name=$1; shift
	term_type "$name" "$1"; shift
	wait_screen "$name" "\^X" >/dev/null
	for l in "$@"; do
		term_keys "$name" Enter
		term_type "$name" "$l"
	done
	term_keys "$name" C-x
	wait_screen "$name" "Enter далее|Enter next" >/dev/null
	term_keys "$name" Enter
}

# go NAME PATTERN KEY...: press the keys in NAME's terminal, then wait
# until the screen matches PATTERN, quietly: a step on the way to what
# is checked (the check that follows shows the screen if it went wrong).
go() {
	local name=$1 pat=$2; shift 2
	term_keys "$name" "$@"
	wait_screen "$name" "$pat" >/dev/null
}

# pick NAME PATTERN KEY...: press the keys, wait (quietly) until the
# screen matches PATTERN, then Enter on the row the list marks.
pick() {
	go "$@"
	term_keys "$1" Enter
}

# write_reply NAME TEXT [KEY]: on a post, r (or KEY: w a comment on a
# library item, Enter a new thread's text), type TEXT in the editor
# (Russian or English), send it.
write_reply() {
	term_keys "$1" "${3:-r}"
	wait_screen "$1" "\^X (отправить|send)" >/dev/null
	term_type "$1" "$2"
	term_keys "$1" C-x
}

# new_thread NAME SUBJECT: in a board's list of threads, w, and the new
# thread's form with SUBJECT filled in; the editor of its text is next.
new_thread() {
	go "$1" "Новая тема" w
	fill "$1" "$2"
}

# login_menu NAME USER PASSWORD: log in and wait for the main menu.
login_menu() {
	login "$@"
	wait_screen "$1" "Главное меню" >/dev/null
}

# login_arrived NAME USER PASSWORD: log in past the screen of what came
# since the last visit, if any (a first login has none), to the main
# menu, in Russian or English.
login_arrived() {
	login "$@"
	wait_screen "$1" "Любая клавиша|[Aa]ny key|Главное меню|Main menu" \
	    >/dev/null
	if _screen_has "$1" "Любая клавиша|[Aa]ny key"; then
		go "$1" "Главное меню|Main menu" Enter
	fi
}

# login_luit NAME ENCODING USER PASSWORD: log in from a terminal that
# speaks ENCODING (luit), its ssh sending the matching LANG.
login_luit() {
	term_start "$1" "${CLIENT_ENV[*]} luit -encoding $2 -- env LANG=ru_RU.$2 ssh -F $T/ssh_config -l $3 -o PubkeyAuthentication=no parta"
	wait_screen "$1" "password:" >/dev/null || return 1
	fill "$1" "$4"
}

# reset_with_code NAME LOGIN CODE PASSWORD: as "new", from the
# registration form to the reset form, filled in (the password twice).
reset_with_code() {
	term_start "$1" "$(ssh_cmd new)"
	wait_screen "$1" "Регистрация" >/dev/null
	go "$1" "У меня есть код сброса" Escape
	go "$1" "Код сброса" c
	fill "$1" "$2" "$3" "$4" "$4"
}

# form_menu NAME KEY [LABEL]: Escape to a form's menu, wait for its row
# "KEY  LABEL", and press KEY.
form_menu() {
	go "$1" "$2  ${3:-}" Escape
	term_keys "$1" "$2"
}

# answer_yes NAME: wait for the question "(д/н)" and answer y.
answer_yes() {
	wait_screen "$1" "\(д/н\)" >/dev/null
	term_keys "$1" y
}

# screen_lacks NAME PATTERN: the screen, now, has no line matching the
# basic regex PATTERN.
screen_lacks() { ! term_screen "$1" | grep -q -- "$2"; }

# mark NAME TEXT: move the marker of a list (" > " at the start of its
# row) up or down to the row with TEXT: towards it if it is on the
# screen (other rows start with three blanks), else up a little, then
# down.
marked() { term_screen "$1" | grep -E -- "^ > "; }
moved() { [ "$(marked "$1")" != "$2" ]; }
_mark_way() {
	local s m t
	s=$(term_screen "$1")
	m=$(grep -nE -m1 -- "^ > " <<<"$s" | cut -d: -f1)
	t=$(grep -nE -m1 -- "^   .*$2" <<<"$s" | cut -d: -f1)
	[ -n "$m" ] && [ -n "$t" ] || return 0
	if [ "$t" -lt "$m" ]; then echo Up; else echo Down; fi
}
mark() {
	local k was way top=
	for k in Up Up Up $(printf 'Down %.0s' $(seq 30)); do
		was=$(marked "$1")
		grep -qE -- "^ > .*$2" <<<"$was" && return 0
		way=$(_mark_way "$1" "$2")
		# Up no more once an Up found the top.
		[ -z "$way" ] && [ "$k" = Up ] && [ -n "$top" ] && continue
		term_keys "$1" "${way:-$k}"
		poll 10 moved "$1" "$was" ||	# not at the list's edge
		    { [ "${way:-$k}" = Up ] && top=1; }
	done
	wait_screen "$1" "^ > .*$2"
}

# wait_count NAME PATTERN N: poll until N lines of the screen match.
wait_count() {
	local name=$1 pat=$2 want=$3
	if poll "$WAIT" _screen_count "$name" "$pat" "$want"; then
		return 0
	fi
	echo "# waited for $want lines /$pat/ on $name; the screen was:"
	term_screen "$name" | diag
	_log_tail
	return 1
}
_screen_count() {
	local s
	s=$(term_screen "$1")
	[ "$(grep -cE -- "$2" <<<"$s")" -ge "$3" ] && return 0
	_charset_menu "$1" "$s"
	return 1
}

# parta_conf PORT [LINE...]: on stdout, the companion client's ssh_config
# for host "school" on 127.0.0.1:PORT, with the test's known_hosts.
parta_conf() {
	local port=$1 line; shift
	printf 'Host school\n\tHostName 127.0.0.1\n\tPort %s\n' "$port"
	printf '\tUserKnownHostsFile %s\n' "$T/known_hosts"
	for line in "$@"; do printf '\t%s\n' "$line"; done
}

# client_anna: the companion client for anna by her key (made, added to
# her account, named in $T/parta_config for host "school"): sets PENV
# (its environment), P (its command) and cache (her cache directory).
client_anna() {
	make_key
	sysop user key add anna "$T/id_ed25519.pub" >/dev/null
	parta_conf "$PORT" "IdentityFile $T/id_ed25519" >"$T/parta_config"
	PENV=("${CLIENT_ENV[@]}" PARTA_LOCALEDIR="$PARTA_LOCALEDIR")
	P="${PENV[*]} $B/parta -F $T/parta_config"
	cache=$T/home/.local/share/parta/anna@127.0.0.1:$PORT
}

# --- a small disk, to be filled ---------------------------------------------

# small_disk SIZE MODE: SMALL, a tmpfs of SIZE (mode MODE) mounted for
# this script and unmounted at its end; where none may be mounted, the
# script is skipped, saying so.
small_disk() {
	SMALL=$T/small
	mkdir -p "$SMALL"
	if ! mount -t tmpfs -o "size=$1,mode=$2" parta-small "$SMALL" \
	    2>"$T/mount.err"; then
		echo "ok 1 # SKIP cannot mount a small tmpfs here ($(head -1 "$T/mount.err")): run as root outside a restricted container"
		echo "1..1"
		exit 0
	fi
	trap _small_disk_end EXIT
}
_small_disk_end() {
	term_kill_all
	stop_partad
	umount "$SMALL" 2>/dev/null || umount -l "$SMALL" 2>/dev/null
	cleanup
}

# --- the weak-link relay (tests/relay.c) --------------------------------

RELAY_PID=
RELAY_PORT=

# start_relay [RELAY OPTIONS...]: a relay in front of partad (started
# first); $T/relay.json gets its byte counts, $T/relay.ctl is its control
# FIFO; relay_ssh_cmd and relay_login connect through it.
start_relay() {
	rm -f "$T/relay.port"
	"$B/tests/parta-relay" -t "$PORT" -o "$T/relay.json" -c "$T/relay.ctl" \
	    "$@" >"$T/relay.port" 2>>"$T/relay.log" &
	RELAY_PID=$!
	poll "$WAIT" test -s "$T/relay.port" || { echo "# the relay did not start"; return 1; }
	RELAY_PORT=$(cat "$T/relay.port")
	printf '[127.0.0.1]:%s %s\n' "$RELAY_PORT" \
	    "$(cut -d' ' -f1,2 "$D/ssh_host_ed25519_key.pub")" >>"$T/known_hosts"
}

stop_relay() {
	[ -n "$RELAY_PID" ] || return 0
	kill "$RELAY_PID" 2>/dev/null
	wait "$RELAY_PID" 2>/dev/null
	RELAY_PID=
}

# relay_ctl COMMAND: "stall SECS [up|down]", "cut" or "stats".
relay_ctl() { echo "$*" >"$T/relay.ctl"; }

# The ssh command line for user $1 through the relay.
relay_ssh_cmd() {
	local user=$1; shift
	ssh_cmd "$user" -p "$RELAY_PORT" "$@"
}

# relay_login NAME USER PASSWORD: like login, through the relay.
relay_login() {
	local name=$1 user=$2 pw=$3
	term_start "$name" "$(relay_ssh_cmd "$user" -o PubkeyAuthentication=no)"
	wait_screen "$name" "password:" 300 || return 1
	term_type "$name" "$pw"
	term_keys "$name" Enter
}

# json_field FIELD [N]: the number FIELD of the Nth-from-last JSON line
# the relay wrote (default the last); of a stats line, the total.
json_field() {
	tail -n "${2:-1}" "$T/relay.json" | head -1 |
	    sed -n "s/^{[^[]*\"$1\":\([0-9]*\).*/\1/p"
}

# --- the file library (issue 5) ------------------------------------------

# lib_user LOGIN [ROLE]: an account with password LOGIN-secret that also
# logs in with the test's key (for sftp in batch mode).
lib_user() {
	make_key
	add_user "$1" "${2:-teacher}" "$1" "$1-secret" &&
	    sysop user key add "$1" "$T/id_ed25519.pub" >/dev/null
}

# sftp_as LOGIN BATCHFILE [SFTP OPTION...]: OpenSSH sftp in batch mode;
# its output and errors on stdout.
sftp_as() {
	local user=$1 batch=$2; shift 2
	"${CLIENT_ENV[@]}" sftp -F "$T/ssh_config" -o User="$user" -b "$batch" \
	    "$@" parta 2>&1
}

# --- the sync tests' cast -------------------------------------------------

# add_staffroom [ROLE]: the cast of the sync tests: anna and boris,
# teachers, vera, a coordinator; the boards math and staff, which only
# coordinators (or ROLE and up) read.
add_staffroom() {
	add_user anna teacher "Анна Иванова" "anna-secret"
	add_user boris teacher "Борис Петров" "boris-secret"
	add_user vera coordinator "Вера Сидорова" "vera-secret"
	sysop board add math "Математика" "Уроки и задачи" >/dev/null
	sysop board add staff "Учительская" >/dev/null
	sysop board edit staff read "${1:-coordinator}" >/dev/null
}

# push_threads LOGIN BOARD FROM TO SUBJECT BODY: threads FROM..TO on
# BOARD (its name) by LOGIN (password LOGIN-secret), pushed as new
# threads on one parta-sync connection (one run of the console each
# would take far longer): thread i is "SUBJECT i", its text what the
# command BODY i prints.  1 unless every one was applied.
push_threads() {
	local login=$1 board i push=()
	board=$(db "SELECT uuid FROM boards WHERE name = '$2'")
	for i in $(seq "$3" "$4"); do
		push+=(push thread-new "$(cat /proc/sys/kernel/random/uuid)"
		    board="$board" subject="$5 $i" body="$("$6" "$i")")
	done
	"$B/tests/parta-syncdrv" -p "$PORT" -l "$login" -w "$login-secret" \
	    "${push[@]}" >"$T/push.out" 2>&1
	[ "$(grep -c '^applied again=0 ' "$T/push.out")" = $(($4 - $3 + 1)) ] &&
	    return 0
	echo "# pushing threads $3..$4 as $login failed:"
	tail -5 "$T/push.out" | diag
	return 1
}

# --- partad's processes, watched from outside ---------------------------

# The sessions partad runs now, one pid a line.
sessions() { ps -o pid= --ppid "$PARTAD_PID" | tr -d ' ' | sort; }
# cpu PID...: the clock ticks the processes have used.
cpu() {
	local p t=0
	for p in "$@"; do
		[ -r "/proc/$p/stat" ] || continue
		t=$((t + $(awk '{print $14 + $15}' "/proc/$p/stat")))
	done
	echo "$t"
}
# rss_kb PID: its resident memory in kB (0 once it is gone).
rss_kb() { awk '/^VmRSS/ {print $2}' "/proc/$1/status" 2>/dev/null || echo 0; }
# gone PID...: none of them runs any more.
gone() { local p; for p in "$@"; do ! kill -0 "$p" 2>/dev/null || return 1; done; }

# --- the search form -----------------------------------------------------

# search NAME QUERY [BOARD AUTHOR FROM TO MAIL]: fill the search form
# (cleared first, so it works again after Esc from the results), Tab from
# field to field (Enter on the first one would search at once), Enter on
# the last.
search() {
	local name=$1 v i=0; shift
	for v in "$1" "${2:-}" "${3:-}" "${4:-}" "${5:-}" "${6:-}"; do
		term_keys "$name" C-u
		[ -n "$v" ] && term_type "$name" "$v"
		i=$((i + 1))
		if [ $i -lt 6 ]; then term_keys "$name" Tab; else term_keys "$name" Enter; fi
	done
}

# --- a client that floods partad and never reads --------------------------

# flood_start POLLS CMD...: start CMD, a client that floods partad and
# never reads, its stdin a FIFO held open on fd 7 (flood_end lets it go
# on), its output in $T/flood.out; wait (at most POLLS tenths of a
# second) for its "sent N" line.  Sets flood_pid, session (the new
# session's pid), child (the session's channel child) and sent (N).
flood_start() {
	local polls=$1 before; shift
	before=$(sessions)
	rm -f "$T/flood.in"
	mkfifo "$T/flood.in"
	# Emptied here: the job's own redirection may come after the poll
	# below has read the last flood's "sent".
	: >"$T/flood.out"
	"$@" <"$T/flood.in" >"$T/flood.out" 2>&1 &
	flood_pid=$!
	exec 7>"$T/flood.in"
	poll "$polls" grep -q '^sent' "$T/flood.out"
	session=$(comm -13 <(echo "$before") <(sessions) | head -1)
	child=$(ps -o pid= --ppid "$session" | tr -d ' ')
	sent=$(sed -n 's/^sent //p' "$T/flood.out")
}

# baseline_rss CMD...: the RSS in kB of the session and of its child for
# a client that connects as CMD does and then waits (CMD prints "sent 0"
# once in): what a session of that kind takes before any flood, so that
# a flood is judged by what it added, in either build (under ASan the
# sanitizer's own memory is most of a session's).
baseline_rss() {
	local out
	flood_start "$WAIT" "$@"
	out="$(rss_kb "$session") $(rss_kb "${child:-0}")"
	flood_end
	poll "$WAIT" gone "$session"
	echo "$out"
}

# flood_end: the flooding client reads now; wait until it has ended.
flood_end() {
	echo >&7
	exec 7>&-
	wait "$flood_pid"
}

# --- walking in ------------------------------------------------------------

# digest_stick LOGIN: parta-sysop exports LOGIN's digest into OUT (the
# sysop's folder, $D/out) and it is copied onto a writable stick, W; PK
# is where a reading of it writes its reply packet.
digest_stick() {
	OUT=$D/out
	mkdir -p "$OUT"
	[ -n "$PARTAD_USER" ] && chown "$PARTAD_USER" "$OUT"
	check "digest export writes her digest" \
	    sysop digest export --user "$1" --days 30 -o "$OUT/$1.pdg"
	W=$T/stick
	mkdir -p "$W"
	cp "$OUT/$1.pdg" "$W/"
	PK=$W/$1.pdg.reply
}

# first_board NAME [PATTERN]: from the main menu into the first board of
# the list (b, then Enter), and wait until the screen matches PATTERN
# (a thread's subject, say; default: anything).  Russian or English.
first_board() {
	# Keys typed before the screens are up are dropped (parta(1)).
	wait_screen "$1" "Главное меню|Main menu" >/dev/null
	go "$1" "Разделы|Boards" b
	go "$1" "${2:-.}" Enter
}

# --- OpenSSH's own sshd, the benchmarks' baseline ---------------------------

# start_sshd: OpenSSH's sshd on a free port of 127.0.0.1 with a config and
# host key of its own under $T/sshd, letting in the test's key (make_key
# first) and nothing else; as root in CI, else as this user.  Sets
# SSHD_PORT and SSHD_PID (the caller's trap stops it) and writes
# $T/sshd/known_hosts, its host key on any port.  1 if it is not
# listening within ten seconds (its log is $T/sshd/log).
start_sshd() {
	mkdir -p "$T/sshd"
	[ "$(id -u)" = 0 ] && mkdir -p /run/sshd
	ssh-keygen -q -t ed25519 -N '' -f "$T/sshd/host_key"
	cp "$T/id_ed25519.pub" "$T/sshd/authorized_keys"
	SSHD_PORT=$(free_port)
	cat >"$T/sshd/config" <<EOT
Port $SSHD_PORT
ListenAddress 127.0.0.1
HostKey $T/sshd/host_key
PidFile $T/sshd/pid
AuthorizedKeysFile $T/sshd/authorized_keys
UsePAM no
StrictModes no
PermitRootLogin prohibit-password
PasswordAuthentication no
KbdInteractiveAuthentication no
PrintMotd no
PrintLastLog no
EOT
	/usr/sbin/sshd -D -e -f "$T/sshd/config" 2>"$T/sshd/log" &
	SSHD_PID=$!
	printf '[127.0.0.1]:* %s\n' "$(cut -d' ' -f1,2 "$T/sshd/host_key.pub")" \
	    >"$T/sshd/known_hosts"
	poll 100 grep -q "listening on" "$T/sshd/log"
}

# as_server CMD...: CMD as the user partad runs as (it owns the stores
# a test makes beside $D), as sysop() runs parta-sysop.
as_server() {
	if [ -n "$PARTAD_USER" ]; then
		setpriv --reuid="$PARTAD_USER" --regid="$(id -g "$PARTAD_USER")" \
		    --clear-groups "$@"
	else
		"$@"
	fi
}
