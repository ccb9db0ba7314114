#!/bin/bash
# Crashes while teachers post (hardening issue, faults): four writers post
# at once, two through the BBS (OpenSSH in tmux, a new thread each time)
# and two through parta-sysop, while this script kill -9s session
# processes and, twice, the listener at random moments (bounded: a fixed
# number of kills, each after a random pause).  A post counts as
# acknowledged when its author was told it is saved: the BBS is back on
# the thread list showing its subject, or parta-sysop said "Posted" and
# exited 0.  Afterwards every acknowledged post must be in the store,
# and integrity_check and foreign_key_check must be clean.
#
# kill -9 loses a process, not the machine: the kernel still writes what
# SQLite gave it.  What this checks is that no acknowledgement comes
# before the COMMIT and that a store with half-done writers killed in
# the middle stays whole; synchronous = FULL, the power-cut half, is
# argued in partad.conf(5) and measured in make bench.
. "$(dirname "$0")/lib.sh"

start_partad || exit 1
sysop board add crash "Сбои" "Посты под kill -9" >/dev/null
for u in w1 w2; do
	echo "$u-secret-1" | sysop user add $u --role teacher --name "Писатель $u" \
	    --password-stdin >/dev/null
done
ACKED=$T/acked
: >"$ACKED"
: >"$T/bbs-done"
BBS_POSTS=${PARTA_CRASH_BBS_POSTS:-3}	# at least, then more while the killer works
BBS_MAX=32		# at most, and at most this many logins
SYSOP_POSTS=200		# at most; they stop when the BBS writers are done
ROUNDS=40		# of the killer, at most

# The thread list, not the editor, shows subject s: the post is saved.
_listed() {
	local scr
	scr=$(term_screen "$1" 2>/dev/null)
	grep -qF -- "$2" <<<"$scr" && grep -qF "w новая тема" <<<"$scr" &&
	    ! grep -qF "^X отправить" <<<"$scr"
}

# A killed session's ssh ends ("[exit N]"): no need to wait more.
_listed_or_ended() {
	_listed "$1" "$2" || term_screen "$1" 2>/dev/null | grep -q '^\[exit [0-9]*\]'
}

# _more I: 0 while a BBS writer should write post I.
_more() {
	[ "$1" -le "$BBS_MAX" ] &&
	    { [ "$1" -le "$BBS_POSTS" ] || [ ! -e "$T/killed" ]; }
}

# bbs_writer NAME USER PASSWORD: post BBS_POSTS threads, and more while
# the killer is still at work (at most BBS_MAX), logging in again
# whenever the session is killed (at most BBS_MAX logins).  A post
# typed again after a crash is a new post: its subject says which login
# it was typed in, so each acknowledged subject must be there once.
bbs_writer() {
	local name=$1 user=$2 pw=$3 i=1 logins=0 subj
	while _more "$i" && [ "$logins" -lt "$BBS_MAX" ]; do
		logins=$((logins + 1))
		term_kill "$name"
		login "$name" "$user" "$pw" || continue
		# A session killed in the editor leaves a draft, offered
		# back at the next login: decline it (it stays a draft).
		# A session killed on the way shows "[exit 137]": no menu.
		wait_screen "$name" "Главное меню|Продолжить его|^\[exit [0-9]+\]" \
		    150 >/dev/null || continue
		_screen_has "$name" "^\[exit [0-9]+\]" && continue
		if _screen_has "$name" "Продолжить его"; then
			term_keys "$name" n
			wait_screen "$name" "Главное меню" 50 >/dev/null ||
			    continue
		fi
		term_keys "$name" b
		wait_screen "$name" "Разделы" 50 >/dev/null || continue
		term_keys "$name" Enter
		wait_screen "$name" "w новая тема" 50 >/dev/null || continue
		while _more "$i"; do
			subj="$name-post-$i-login-$logins"
			term_keys "$name" w
			wait_screen "$name" "Новая тема" 50 >/dev/null || break
			fill "$name" "$subj"
			term_type "$name" "Текст поста $subj: дроби и проценты."
			term_keys "$name" C-x
			poll "$WAIT" _listed_or_ended "$name" "$subj"
			_listed "$name" "$subj" || break
			echo "$subj" >>"$ACKED"
			i=$((i + 1))
		done
	done
	term_kill "$name"
	echo "$name" >>"$T/bbs-done"
}

# sysop_writer TAG: SYSOP_POSTS threads through parta-sysop.
sysop_writer() {
	local i subj
	for i in $(seq "$SYSOP_POSTS"); do
		[ -e "$T/stop" ] && break
		subj="$1-post-$i"
		# It exits 0 only after "Posted: thread N, post M."
		if printf 'Текст поста %s\n' "$subj" |
		    sysop post crash --as w1 --subject "$subj" >"$T/$1.out" 2>&1; then
			echo "$subj" >>"$ACKED"
		fi
	done
}

bbs_writer b1 w1 w1-secret-1 >"$T/b1.log" 2>&1 &
pids="$!"
bbs_writer b2 w2 w2-secret-1 >"$T/b2.log" 2>&1 &
pids="$pids $!"
sysop_writer s1 &
pids="$pids $!"
sysop_writer s2 &
pids="$pids $!"

# The killer: until both BBS writers are done (at most ROUNDS times),
# after 0.2 to 1.5 s, kill -9 one process under the listener (a session
# or its channel's child); the 3rd and the 8th time the listener itself,
# which is then started again.
killed=0 listener_kills=0 orphans=
for k in $(seq "$ROUNDS"); do
	[ "$(wc -l <"$T/bbs-done")" -ge 2 ] && break
	[ "$killed" -ge 3 ] && [ "$listener_kills" = 2 ] && break
	sleep "$(awk -v r=$RANDOM 'BEGIN { printf "%.1f", 0.2 + (r % 14) / 10 }')"
	if [ "$k" = 3 ] || [ "$k" = 8 ]; then
		# Its sessions live on; they are ended by their pids below.
		orphans="$orphans $(pgrep -P "$PARTAD_PID" | tr '\n' ' ')"
		kill -9 "$PARTAD_PID" 2>/dev/null && listener_kills=$((listener_kills + 1))
		wait "$PARTAD_PID" 2>/dev/null
		PARTAD_PID=
		cat "$T/partad.log" >>"$T/partad.log.killed"
		start_partad || break
		continue
	fi
	procs=$(pgrep -P "$PARTAD_PID"; for p in $(pgrep -P "$PARTAD_PID"); do pgrep -P "$p"; done)
	victims=($procs)
	[ "${#victims[@]}" -gt 0 ] || continue
	v=${victims[$((RANDOM % ${#victims[@]}))]}
	kill -9 "$v" 2>/dev/null && killed=$((killed + 1))
done

# The writers end by themselves (bounded counts); wait for them all.
touch "$T/killed"
touch "$T/stop"
for p in $pids; do wait "$p"; done
stop_partad
for p in $orphans; do kill "$p" 2>/dev/null; done

acked=$(sort -u "$ACKED" | wc -l)
check "the killer killed sessions ($killed) and the listener ($listener_kills times)" \
    [ "$killed" -ge 2 -a "$listener_kills" = 2 ]
check "posts were acknowledged through both ways ($acked)" \
    sh -c "grep -q '^b[12]-' '$ACKED' && grep -q '^s[12]-' '$ACKED'"
missing=0
while IFS= read -r subj; do
	n=$(db "select count(*) from threads where subject = '$subj'")
	if [ "$n" != 1 ]; then
		echo "# acknowledged but not in the store: $subj ($n)"
		missing=$((missing + 1))
	fi
done < <(sort -u "$ACKED")
check "every acknowledged post is in the store, once" [ "$missing" = 0 ]
check "integrity_check says ok" [ "$(db 'pragma integrity_check')" = ok ]
check "foreign_key_check finds nothing" [ -z "$(db 'pragma foreign_key_check')" ]
check "the store still opens and lists the board" \
    sh -c "'$B/parta-sysop' -d '$D' board list | grep -q '^crash '"
done_testing
