#!/bin/bash
# digest export --format text, text-koi8r, text-cp1251, text-cp866
# (issue 13), each printed by cat on a terminal of its encoding (luit in
# tmux; UTF-8 as it is): the Cyrillic reads, a Tatar letter the
# encoding lacks takes one column (the BBS's substitutes), so the table
# of contents, the rules and the wrapped text keep their 72 columns.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/digest-fmt.sh"

digest_fmt_setup "Ёлки и чәчәкләр" \
    "Сколько ёлок в лесу у школы? Ответьте, пожалуйста, коллеги: нам нужно знать это до пятницы, чтобы успеть заказать игрушки."

# shown NAME: the pane's lines, trailing spaces cut.
shown() { term_screen "$1" | sed 's/ *$//'; }
# cols NAME PATTERN: the width in columns of the first line matching.
cols() {
	local l
	l=$(shown "$1" | grep -m1 -- "$2")
	echo "${#l}"
}
widest() {
	local l w=0
	while IFS= read -r l; do
		[ "${#l}" -gt "$w" ] && w=${#l}
	done < <(shown "$1")
	echo "$w"
}

for row in "text UTF-8" "text-koi8r KOI8-R" "text-cp1251 CP1251" \
    "text-cp866 CP866"; do
	set -- $row
	fmt=$1 enc=$2
	check "$enc: digest export --format $fmt" \
	    sysop digest export --user anna --days 30 --format "$fmt" \
	    -o "$OUT/anna.$fmt" >/dev/null
	if [ "$enc" = UTF-8 ]; then
		term_start "$fmt" "${CLIENT_ENV[*]} cat $OUT/anna.$fmt" 80 40
	else
		term_start "$fmt" "${CLIENT_ENV[*]} luit -encoding $enc -- cat $OUT/anna.$fmt" 80 40
	fi
	check "$enc: the heading reads" wait_screen "$fmt" "Для: Анна Иванова \(anna\)"
	check "$enc: the board" wait_screen "$fmt" "^1\. Математика \(math\)$"
	check "$enc: the post, wrapped" \
	    wait_screen "$fmt" "^  Сколько ёлок в лесу у школы\? Ответьте, пожалуйста"
	check "$enc: its author" wait_screen "$fmt" "^Борис Петров, "
	check "$enc: the contents line ends at column 72" \
	    test "$(cols "$fmt" "1\.1 Ёлки и ч.ч.кл.р \.\.\.")" = 72
	check "$enc: so does the rule" test "$(cols "$fmt" "^====")" = 72
	check "$enc: no line is wider than 72 columns" \
	    test "$(widest "$fmt")" -le 72 || shown "$fmt" | diag
	term_kill "$fmt"
done
check "CP1251 and CP866 end lines with CRLF, for Notepad and DOS" \
    sh -c 'grep -q "$(printf "\r")\$" "$1" && grep -q "$(printf "\r")\$" "$2"' \
    sh "$OUT/anna.text-cp1251" "$OUT/anna.text-cp866"
check "UTF-8 and KOI8-R with LF" \
    sh -c '! grep -q "$(printf "\r")" "$1" && ! grep -q "$(printf "\r")" "$2"' \
    sh "$OUT/anna.text" "$OUT/anna.text-koi8r"
done_testing
