#!/bin/bash
# Her changes to her own posts while reading a digest (issue 13): a reply
# she edits before it is sent is posted with the new text, once; one she
# deletes before it is sent is never posted; a post the server had
# before the digest cannot be changed from it, and she is told so at
# once rather than the change being lost.  parta --digest under tmux: a
# reply, edited; a second, deleted; her server post, deleted and edited
# (refused both times); leaving says the packet holds one reply;
# parta-sysop digest import posts the edited text once and not the
# deleted one, and a second import nothing new.  A packet left beside a
# digest by another one of the same name is not read into it.
. "$(dirname "$0")/lib.sh"
trap cleanup EXIT

mkdir -p "$D"
add_staffroom
console_post math boris "Ёлки" "Сколько ёлок в лесу у школы?"
console_post math anna "Своя тема" "Старый текст."
digest_stick anna
PENV=("${CLIENT_ENV[@]}" TMPDIR="$T" PARTA_LOCALEDIR="$PARTA_LOCALEDIR")
posts() { db "SELECT count(*) FROM posts WHERE body = '$1'"; }
import() {	# import OUT: the sysop imports a copy of the packet
	cp "$PK" "$OUT/p" && chmod 644 "$OUT/p"
	LANG=en_US.UTF-8 sysop digest import "$OUT/p" >"$T/$1" 2>&1 ||
	    { diag <"$T/$1"; return 1; }
}

term_start r1 "${PENV[*]} $B/parta --digest $W/anna.pdg"
check "parta --digest opens the screens" wait_screen r1 "Главное меню"
go r1 "Математика" b
term_keys r1 Enter
mark r1 "Ёлки"
go r1 "Сколько ёлок" Enter
write_reply r1 "Первый ответ."
check "her reply is sent" wait_screen r1 "#2/2"
check "and may be edited" wait_screen r1 "e правка"
go r1 "Правка сообщения" e
term_keys r1 End
term_type r1 " Исправлено."
term_keys r1 C-x
check "the edited reply shows the new text" \
    wait_screen r1 "Первый ответ. Исправлено."
write_reply r1 "Второй ответ."
check "a second reply is sent" wait_screen r1 "#3/3"
go r1 "\(д/н\)" d
term_keys r1 y
check "deleting it says so" wait_screen r1 "Сообщение удалено\."
check "the packet holds the edited reply, not the deleted one" \
    sh -c "grep -q 'Исправлено' '$PK' && ! grep -q 'Второй ответ' '$PK'"

# Her post the server has: deleting or editing it is refused at once.
go r1 "Ёлки" Escape
mark r1 "Своя тема"
go r1 "Старый текст." Enter
check "her server post offers the keys" wait_screen r1 "e правка"
go r1 "\(д/н\)" d
term_keys r1 y
check "deleting a post the server has is refused, saying why" \
    wait_screen r1 "уже на сервере"
go r1 "Правка сообщения" Enter e
term_keys r1 End
term_type r1 " Новое."
term_keys r1 C-x
check "and so is editing it" \
    wait_screen r1 "Текст: это сообщение уже на сервере"
# A key for the notice, then Esc asks what becomes of the text.
go r1 "Правка сообщения" Enter
go r1 "как черновик\?" Escape
term_keys r1 y
check "the post is still there as it was" wait_screen r1 "Старый текст\."
go r1 "Главное меню" Escape Escape Escape
term_keys r1 q
check "leaving says the packet holds one" \
    wait_screen r1 "ответов и писем: 1, они в"

check "digest import takes it" import i1.out
check "and posts one reply" grep -q "1 posted, 0 posted before" "$T/i1.out"
check "with the edited text, once" test "$(posts 'Первый ответ. Исправлено.')" = 1
check "not the text before the edit" test "$(posts 'Первый ответ.')" = 0
check "nor the deleted reply" test "$(posts 'Второй ответ.')" = 0
check "her server post is unchanged" test "$(posts 'Старый текст.')" = 1
import i2.out
check "importing it again posts nothing new" \
    grep -q "0 posted, 1 posted before" "$T/i2.out"
check "the reply is still there once" \
    test "$(posts 'Первый ответ. Исправлено.')" = 1

# Next week's digest has the same name; last week's packet is still
# beside it.  Read into it and written again, its items would be signed
# with the new digest's key: the reading is refused, saying why.
check "a second digest under the same name" \
    sysop digest export --user anna --days 30 -o "$OUT/anna.pdg"
cp "$OUT/anna.pdg" "$W/anna.pdg"
cp "$PK" "$T/old.reply"
"${PENV[@]}" "$B/parta" --digest "$W/anna.pdg" </dev/null >"$T/r2.out" 2>&1
check "a packet of another digest is refused" test $? = 1
check "saying it is another digest's" \
    grep -q "пакет ответов другого дайджеста" "$T/r2.out"
check "and the packet is left as it was" cmp -s "$T/old.reply" "$PK"

done_testing
