#!/bin/bash
# digest export --format qwk, read in a real QWK reader (issue 13):
# MultiMail (Debian multimail) under tmux on a CP866 terminal (luit)
# shows her board and the post in Cyrillic; a reply written there and
# saved as a REP packet is imported by "digest import --user anna": on
# the board once, and still once after a second import.
#
# The packet writes "у" as "y", and the import reads it back.
# MultiMail converts between CP437 and Latin-1 only; with "Charset:
# CP437" it passes a QWK packet's bytes through, and ncurses prints them
# as letters only where the locale says they are (LANG=ru_RU.CP866, made
# with localedef into the test's own LOCPATH).  luit -encoding CP866
# needs the luit package: x11-utils' luit 1.1.1 knows no CP866.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/digest-fmt.sh"

digest_fmt_setup "Ёлки" \
    "Сколько ёлок в лесу у школы? Ответьте, пожалуйста."
check "digest export --format qwk writes the packet" \
    sysop digest export --user anna --days 30 --format qwk -o "$OUT/anna.qwk"

MM=$T/mm
mkdir -p "$MM" "$T/locale"
cp "$OUT/anna.qwk" "$MM/PARTA.QWK"
if ! localedef -i ru_RU -f IBM866 "$T/locale/ru_RU.CP866" 2>"$T/localedef.err"; then
	not_ok "localedef makes ru_RU.CP866 (Debian locales)"
	diag <"$T/localedef.err"
fi
# Her typing, as an editor MultiMail runs: the reply in the packet's
# CP866, with "у" typed as the Latin "y" (CP866's "у" is the byte that
# ends a QWK line: parta-sysop(8)).  MultiMail keeps a letter only if
# its file's time changed.
cat >"$T/editor.sh" <<'EOS'
#!/bin/sh
printf 'Ответ из школы: y меня три ёлки.\n' | iconv -f UTF-8 -t CP866 >>"$1"
touch -d "@$(($(date +%s) + 2))" "$1"
EOS
chmod +x "$T/editor.sh"
cat >"$MM/.mmailrc" <<EOT
UserName: Анна Иванова
mmHomeDir: $MM/mmail
editor: $T/editor.sh
Charset: CP437
UseTaglines: No
AutoSaveReplies: Yes
EOT
term_start mm "env -i PATH=/usr/bin:/bin HOME=$MM LANG=C.UTF-8 TERM=xterm luit -encoding CP866 -- env LOCPATH=$T/locale LANG=ru_RU.CP866 mm $MM/PARTA.QWK"
# A .mmailrc without every key: it offers to edit the completed one.
if wait_screen mm "Edit .mmailrc now" >/dev/null; then
	term_keys mm n
	poll 20 _screen_has mm "Active Areas" || term_keys mm Enter
fi
check "MultiMail opens the packet" wait_screen mm "PARTA.QWK \| Active Areas"
check "her board, in Cyrillic" wait_screen mm "1 +Математика +1 +1"
check "the packet's name: the digest's title" wait_screen mm "Name: Дайджест"
term_keys mm Enter
check "the thread: its author and subject in Cyrillic" \
    wait_screen mm "1 +Борис Петров +ALL +Ёлки"
term_keys mm Enter
check "the post reads in Cyrillic" wait_screen mm "Сколько ёлок в лес"
check "with its author" wait_screen mm "From: Борис Петров"
term_keys mm r
wait_screen mm "Reply goes to area" >/dev/null && term_keys mm Enter
wait_screen mm "Subj: Re: Ёлки" >/dev/null && term_keys mm Enter
wait_screen mm "Make letter private" >/dev/null && term_keys mm Enter
check "the reply is kept" wait_screen mm "REPLY|Сколько ёлок"
for _ in 1 2 3; do
	term_keys mm q
	poll 10 _screen_has mm "Active Areas|packet list|\[exit" >/dev/null
done
poll 30 _screen_has mm "\[exit" || term_keys mm q
REP=$MM/mmail/up/parta.rep
check "leaving MultiMail writes the REP packet" poll 50 test -s "$REP" ||
    term_screen mm | diag

cp "$REP" "$OUT/anna.rep"
[ -n "$PARTAD_USER" ] && chown "$PARTAD_USER" "$OUT/anna.rep"
replies() {
	db "SELECT count(*) FROM posts p JOIN users u ON u.id = p.author_id
	    WHERE u.login = 'anna' AND p.thread_id = 1
	    AND p.body LIKE '%Ответ из школы: у меня три ёлки.%'"
}
imp=$(sysop digest import --user anna "$OUT/anna.rep" 2>&1)
check "digest import --user takes the REP" grep -q "опубликовано 1," <<<"$imp" ||
    diag <<<"$imp"
check "her reply is in the thread once, its у restored" test "$(replies)" = 1
imp=$(sysop digest import --user anna "$OUT/anna.rep" 2>&1)
check "a second import posts nothing" grep -q "опубликовано 0, опубликовано раньше 1" <<<"$imp" ||
    diag <<<"$imp"
check "still once" test "$(replies)" = 1
check "the quote MultiMail made reads \"у\" again" test "$(db "SELECT count(*)
    FROM posts WHERE body LIKE '%БП> Сколько ёлок в лесу у школы?%'")" = 1
imp=$(sysop digest import "$OUT/anna.rep" 2>&1)
check "a REP without --user is refused: it names no one" \
    grep -q -- "пакет ответов QWK.*--user ЛОГИН" <<<"$imp"
done_testing
