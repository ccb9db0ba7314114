#!/bin/bash
# A full disk (hardening issue, faults): the data directory on a small
# tmpfs this script mounts itself (skipped, saying so, where it may not
# mount one).  Filled to the last byte: posting through parta-sysop and
# through the BBS fails with a clear message (the BBS keeps the text in
# the editor), every post acknowledged before is there, the store passes
# integrity_check, and reading and logging in, with a password or a
# key, go on.
# Once space is freed, posting works again through both ways.
. "$(dirname "$0")/lib.sh"

small_disk 6m 0711
D=$SMALL/data
# As lib.sh does for its own data directory: partad's user must reach it.
mkdir -m 700 "$D"
[ -n "$PARTAD_USER" ] && chown "$PARTAD_USER:$(id -gn "$PARTAD_USER")" "$D"

start_partad || exit 1
sysop board add math "Математика" "Уроки и задачи" >/dev/null
add_user anna teacher "Анна Иванова" "anna-secret-1"
printf 'Дроби в пятом классе: делим пирог.\n' |
    sysop post math --as anna --subject "Первая тема" >/dev/null &&
    echo "Первая тема" >"$T/acked"

make_key
sysop user key add anna "$T/id_ed25519.pub" >/dev/null

# A first login while there is space: the terminal's encoding is chosen
# and saved then, as it would have been long before the disk filled.
login a anna anna-secret-1
wait_screen a "Главное меню" 150 >/dev/null
term_kill a

# Fill the filesystem: a file of zeros until ENOSPC (bounded by the 6 MiB).
dd if=/dev/zero of="$SMALL/filler" bs=4k 2>"$T/dd.err"
check "the data directory's filesystem is full" grep -q "No space left" "$T/dd.err"

# Post until one is refused: a write that fits in the write-ahead log
# already on disk may still be saved, and that is as it should be.
acked=0 refused=0
for i in $(seq 200); do
	if printf 'Текст %s: проценты и доли, упражнения на дом.\n' "$i" |
	    sysop post math --as anna --subject "Тема $i" >"$T/post.out" 2>"$T/post.err"; then
		acked=$((acked + 1))
		echo "Тема $i" >>"$T/acked"
	else
		refused=1
		break
	fi
done
check "with the disk full a post through parta-sysop is refused" [ "$refused" = 1 ]
check "... saying the disk is full and nothing was saved" \
    grep -qE "disk is full: nothing was saved|диск сервера переполнен: ничего не сохранено" "$T/post.err"
[ "$refused" = 1 ] || diag <"$T/post.err"
grep -E "disk is full|переполнен" "$T/post.err" | head -1 | diag
check "the store passes integrity_check on the full disk" [ "$(db 'pragma integrity_check')" = ok ]
missing=0
while IFS= read -r s; do
	[ "$(db "select count(*) from threads where subject = '$s'")" = 1 ] || missing=$((missing + 1))
done < <(cat "$T/acked" 2>/dev/null)
check "every post acknowledged before is there ($(wc -l <"$T/acked"))" \
    [ "$missing" = 0 -a "$(wc -l <"$T/acked")" -ge 1 ]

# Reading and logging in, through the BBS, with the disk full.
login a anna anna-secret-1
check "a password login reaches the main menu on a full disk" wait_screen a "Главное меню" 150
# A key login too: matching a key only reads (its "last used" may fail).
term_start k "$(ssh_cmd anna -o BatchMode=yes)"
check "a key login reaches the main menu on a full disk" wait_screen k "Главное меню" 150
term_kill k
pick a "Разделы" b
check "the board lists its threads" wait_screen a "Первая тема"
term_keys a Enter
check "a post can be read" wait_screen a "#1/1 +Анна Иванова \(anna\)"
go a "w новая тема" Escape
new_thread a "Тема при полном диске"
term_type a "Этот текст не должен потеряться."
term_keys a C-x
check "a post through the BBS is refused with a clear message" \
    wait_screen a "диск сервера переполнен: ничего не сохранено"

# Space again: everything works.  The refused text was kept in the
# editor: sending it again, unchanged, posts it.
rm -f "$SMALL/filler"
term_keys a Enter	# the message
term_keys a C-x
# The thread list, not the editor, shows the subject: the post is saved.
_listed() {
	local scr
	scr=$(term_screen a)
	grep -qF "Тема при полном диске" <<<"$scr" && grep -qF "w новая тема" <<<"$scr" &&
	    ! grep -qF "^X отправить" <<<"$scr"
}
check "once space is freed the text refused before is posted from the editor" \
    poll "$WAIT" _listed
check "... with the text typed on the full disk" \
    [ "$(db "select count(*) from posts where subject = 'Тема при полном диске' and body like '%Этот текст не должен потеряться%'")" = 1 ]
printf 'После освобождения места.\n' |
    sysop post math --as anna --subject "Снова работает" >/dev/null 2>&1
check "and through parta-sysop" \
    [ "$(db "select count(*) from threads where subject = 'Снова работает'")" = 1 ]
check "the store passes integrity_check afterwards" [ "$(db 'pragma integrity_check')" = ok ]
term_kill a
grep -E "store: .*(full|disk)" "$T/partad.log" | head -3 | diag
done_testing
