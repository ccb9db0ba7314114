#!/bin/bash
# Polls on a board through OpenSSH: a coordinator creates one, a teacher
# votes and sees the bar chart, a second vote (from a second session
# opened before the first vote) is refused, a closed poll shows only
# its results, and the console opens a multiple-choice poll.
. "$(dirname "$0")/lib.sh"

start_partad || exit 1
add_teachers anna koord
sysop board add math "Математика" >/dev/null
sysop board coordinator math koord >/dev/null
year=$(($(date +%Y) + 1))

# The coordinator creates a poll from the board's poll list.
login_menu k koord koord-secret-1
go k "Разделы" b
term_keys k Enter o
check "a coordinator may create polls" wait_screen k "c создать"
go k "Новый опрос" c
fill k "Когда проводим педсовет?" "Во вторник" "В четверг" "" "" "" "$year-05-01" "n"
check "the poll is open" wait_screen k "Опрос открыт"
term_keys k Enter
check "and listed" wait_screen k "Когда проводим педсовет\? +открыт"

# A teacher votes in two sessions opened before either vote.
login_menu a anna anna-secret-1
login_menu a2 anna anna-secret-1
for t in a a2; do
	go $t "Разделы" b
	go $t "Когда проводим" Enter o
	go $t "2\. В четверг" Enter
done
check "a teacher may not create polls" \
    screen_lacks a 'c создать'
term_keys a 2
check "the vote is counted" wait_screen a "Ваш голос учтён"
term_keys a Enter
check "the list shows the poll as voted" wait_screen a "Когда проводим педсовет\? +голос учтён"
term_keys a2 1
check "a second vote is refused" wait_screen a2 "вы уже голосовали в этом опросе"
term_keys a2 Enter
term_keys a Enter
check "opening it again shows the results, not the ballot" \
    wait_screen a "Вы уже голосовали в этом опросе"
check "as a bar chart" wait_screen a "^   #{30} 1 \(100%\)"
check "with the other answer at zero" wait_screen a "^ +0 \(0%\)"
check "and the number of voters" wait_screen a "Проголосовали: 1"
check "the store holds one vote" \
    test "$(db "SELECT count(*) FROM poll_votes")" = 1

# A closed poll shows its results only.
db "UPDATE polls SET closes_at = 1000"
go a "c создать|Enter открыть" Escape
go a "Когда проводим педсовет\? +закрыт" Escape o
check "a closed poll is marked closed" wait_screen a "закрыт"
term_keys a2 Escape o Enter
check "a closed poll shows results to one who has not voted" \
    wait_screen a2 "Опрос закрыт\."
check "with the chart" wait_screen a2 "Проголосовали: 1"

# The console opens a multiple-choice poll; bad input is refused.
out=$(printf 'Один\n' | sysop poll add math --question "Вопрос" --closes "$year-01-01" 2>&1)
check "one answer is too few" grep -q "от 2 до 9 ответов" <<<"$out"
out=$(printf 'Да\nНет\n' | sysop poll add math --question "Вопрос" --closes 2001-01-01 2>&1)
check "a closing date in the past is refused" grep -q "не в прошлом" <<<"$out"
out=$(printf 'Алгебра\nГеометрия\nЛогика\n' | sysop poll add math \
    --question "Какие кружки нужны?" --closes "$year-01-01" --multiple)
check "the console opens a poll" grep -q "Опрос открыт в разделе math" <<<"$out"
go a2 "Какие кружки нужны" Escape Escape o
term_keys a2 Enter
check "a multiple-choice poll has check boxes" wait_screen a2 "\[ \]  ?1\. Алгебра"
term_keys a2 1 3
check "digits mark answers" wait_screen a2 "\[x\]  ?3\. Логика"
term_keys a2 Enter
check "Enter votes for the marked answers" wait_screen a2 "Ваш голос учтён"
check "both are stored" \
    test "$(db "SELECT count(*) FROM poll_votes v JOIN polls p ON p.id = v.poll_id WHERE p.multiple = 1")" = 2

done_testing
