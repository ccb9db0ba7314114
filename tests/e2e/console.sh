# console.sh: the harness of the console's own tests (t-sysop.sh,
# t-report.sh), sourced by them.  parta-sysop runs against a fresh data
# directory in a clean environment (env -i, a fixed locale); check()
# evaluates a condition and prints one TAP line, with the last command's
# status and output as comments when it fails.
#
# The caller sets CONSOLE_NAME (for the temporary directory) and may set
# CONSOLE_ENV, an array of NAME=VALUE added to the console's environment;
# it sets its own EXIT trap, which removes $tmp.
#
# Conditions are single-quoted strings that check() evaluates later, so
# the variables they read look unused to shellcheck.
# shellcheck disable=SC2016,SC2034
top=${PARTA_TOP:-$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)}
B=${PARTA_BUILD:-$top/build}
SYSOP="$B/parta-sysop"
export LC_ALL=C.UTF-8		# ${#s} counts characters, not bytes
exec </dev/null			# nothing waits on the terminal by accident

tmp=$(mktemp -d "${TMPDIR:-/tmp}/$CONSOLE_NAME.XXXXXX")
D="$tmp/data"
n=0 failed=0 rc=0
out="$tmp/out" err="$tmp/err"
[ -n "${CONSOLE_ENV+set}" ] || CONSOLE_ENV=()

# The Russian catalogue as the build makes it, from the sources.
loc="$tmp/locale"
mkdir -p "$loc/ru/LC_MESSAGES"
msgcat --use-first "$top/share/po/ru.po" "$top"/share/po/ru-*.po |
    msgfmt -o "$loc/ru/LC_MESSAGES/parta.mo" -

# sysop_as LANG ARGS...: run the console; sets rc, $out and $err.
sysop_as() {
	local lang=$1; shift
	env -i PATH="$PATH" LANG="$lang" PARTA_LOCALEDIR="$loc" \
	    ASAN_OPTIONS="${ASAN_OPTIONS:-}" UBSAN_OPTIONS="${UBSAN_OPTIONS:-}" \
	    "${CONSOLE_ENV[@]}" "$SYSOP" -d "$D" "$@" >"$out" 2>"$err"
	rc=$?
}
en() { sysop_as en_US.UTF-8 "$@"; }
ru() { sysop_as C.UTF-8 "$@"; }

# check DESCRIPTION SHELL-CONDITION: one TAP line.
check() {
	n=$((n + 1))
	if eval "$2"; then
		echo "ok $n - $1"
	else
		echo "not ok $n - $1"
		failed=$((failed + 1))
		echo "#   condition: $2"
		echo "#   status: $rc"
		sed 's/^/#   stdout: /' "$out" | head -30
		sed 's/^/#   stderr: /' "$err" | head -15
	fi
}
out_has() { grep -qF -- "$1" "$out"; }
err_has() { grep -qF -- "$1" "$err"; }
# said DESCRIPTION TEXT [SHELL-CONDITION]: the last command succeeded
# and printed TEXT, and the condition holds; refused ...: it failed
# (status 1) and said TEXT on stderr.  One TAP line, as check().
said() { _console_is 0 out "$@"; }
refused() { _console_is 1 err "$@"; }
_console_is() {
	local before=$failed
	_want=$4
	check "$3" "[ \$rc = $1 ] && ${2}_has \"\$_want\" && { ${5:-:}; }"
	[ "$failed" = "$before" ] || echo "#   wanted on std$2: $4"
}
db() { sqlite3 -cmd '.timeout 10000' "$D/parta.db" "$@"; }
# user_field LOGIN EXPR: EXPR (SQL over the users table) of the account
# LOGIN.
user_field() { db "select $2 from users where login = '$1'"; }
