#!/bin/bash
# A page shown only to members of her boards, as parta-sync keeps it in
# step when the sharing itself changes (the change log's page_moved,
# store-schema.c): anna and boris show their pages to members of their
# boards; boris writes his first post on math, where anna writes: their
# next pulls have each other's school, and neither is a snapshot.  The
# coordinator vera hides anna's only post there: boris's next pull (the
# sync driver) and his companion client's copy hold her school no more,
# anna's pull holds his no more.  She writes there again: both have the
# schools back.  Then vera, who shares math with anna only by
# coordinating it, is removed as its coordinator: anna's next pull loses
# vera's school.
. "$(dirname "$0")/lib.sh"

start_partad || exit 1
add_users <<'EOT'
anna teacher anna-secret Анна Петровна
boris teacher boris-secret Борис Ильич
vera coordinator vera-secret Вера Сидорова
EOT
while read -r login school; do
	sysop user edit "$login" school "$school" >/dev/null
done <<'EOT'
anna Школа №2 с. Кукмор
boris Гимназия №1
vera Лицей Арска
EOT
sysop board add math "Математика" >/dev/null
sysop board coordinator math vera >/dev/null
console_post math anna "Дроби" "Как объяснять дроби?"

uuid() { cat /proc/sys/kernel/random/uuid; }
drv() {
	local u=$1; shift
	"$B/tests/parta-syncdrv" -p "$PORT" -l "$u" -w "$u-secret" \
	    -s "$T/$u.state" "$@"
}
# has READER LOGIN WORD: READER's last pull holds LOGIN's row with WORD.
has() {
	grep "^user $(db "SELECT uuid FROM users WHERE login = '$2'")" \
	    "$T/$1.state" | grep -q "$3"
}
lacks() { ! has "$@"; }
# pulled READER: a pull that is no snapshot (its output in $T/pull.out).
pulled() {
	drv "$1" pull >"$T/pull.out" 2>&1
	grep -q '^pulled .* snapshot=0$' "$T/pull.out" && return 0
	diag <"$T/pull.out"
	return 1
}

for u in anna boris vera; do
	check "$u shows her page to members of her boards" \
	    sh -c "'$B/tests/parta-syncdrv' -p $PORT -l $u -w $u-secret push page-shows $(uuid) text=boards | grep -q '^applied'"
done
drv anna pull >/dev/null
drv boris pull >/dev/null
check "boris shares no board with anna: his pull lacks her school" \
    lacks boris anna Кукмор
check "hers his" lacks anna boris Гимназия

# --- boris writes on math: they share it -------------------------------------
console_post math boris "Задачи" "Задачи на движение."
check "boris pulls, no snapshot" pulled boris
check "his pull has her school now" has boris anna Кукмор
check "anna pulls, no snapshot" pulled anna
check "and hers his" has anna boris Гимназия
check "and vera's, who coordinates math" has anna vera Арска

make_key
sysop user key add boris "$T/id_ed25519.pub" >/dev/null
parta_conf "$PORT" "IdentityFile $T/id_ed25519" >"$T/parta_config"
cache=$T/boris-cache
psync() {
	"${CLIENT_ENV[@]}" PARTA_LOCALEDIR="$PARTA_LOCALEDIR" "$B/parta" \
	    -F "$T/parta_config" -d "$cache" --sync boris@school \
	    </dev/null >"$T/sync.out" 2>&1
}
copy() { sqlite3 -cmd '.timeout 5000' "$cache/copy.db" "$@"; }
school() { copy "SELECT school FROM users WHERE login = 'anna'"; }
check "boris's client syncs" psync
check "his copy has her school" test "$(school)" = "Школа №2 с. Кукмор"

# --- her only post on math is hidden by its coordinator ----------------------
post=$(db "SELECT p.uuid FROM posts p JOIN users u ON u.id = p.author_id WHERE u.login = 'anna'")
check "vera hides anna's post" \
    sh -c "'$B/tests/parta-syncdrv' -p $PORT -l vera -w vera-secret push post-hide $(uuid) post=$post 'text=Не по теме' | grep -q '^applied'"
check "boris pulls the change, no snapshot" pulled boris
check "her school is no longer in what he got" lacks boris anna Кукмор
check "her row is still there" has boris anna "Анна Петровна"
check "his client syncs again" psync
check "and his copy holds her school no more" test "$(school)" = ""
check "anna pulls the change, no snapshot" pulled anna
check "boris's school is no longer in what she got" lacks anna boris Гимназия
check "nor vera's" lacks anna vera Арска

# --- she writes there again ---------------------------------------------------
console_post math anna "Ещё о дробях" "Наглядные пособия."
check "boris's next pull" pulled boris
check "has her school again" has boris anna Кукмор
check "his client syncs" psync
check "and his copy has it again" test "$(school)" = "Школа №2 с. Кукмор"
check "anna's next pull" pulled anna
check "has his school again" has anna boris Гимназия
check "and vera's" has anna vera Арска

# --- a coordinator removed -------------------------------------------------
sysop board coordinator math vera --remove >/dev/null
check "after vera is removed as coordinator, anna's pull" pulled anna
check "holds vera's school no more" lacks anna vera Арска
check "but boris's still" has anna boris Гимназия

done_testing
