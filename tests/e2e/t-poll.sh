#!/bin/bash
# Polls on a board through OpenSSH: a coordinator creates one, a teacher
# votes and sees the bar chart at once, a second vote (from a second
# session opened before the first vote) changes hers, "v" changes it
# while the poll is open, a closed poll shows only its results, and the
# console opens a multiple-choice poll whose shares are of the voters.
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
check "a coordinator may create polls" wait_screen k "w создать"
go k "Новый опрос" w
fill k "Когда проводим педсовет?" "Во вторник" "В четверг" "" "" "" "$year-05-01" "n"
check "the poll is open" wait_screen k "Опрос открыт"
term_keys k Enter
check "and listed" wait_screen k "Когда проводим педсовет\? +открыт"

# A teacher votes in two sessions opened before either vote; she is told
# of the open poll at login and in the board list.
login a anna anna-secret-1
check "at login she is told of the poll waiting for her vote" \
    wait_screen a "Открытые опросы ждут вашего голоса: 1 \(Разделы, клавиша b\)"
go a "Главное меню" Enter
login a2 anna anna-secret-1
go a2 "Главное меню" Enter
for t in a a2; do
	go $t "Разделы" b
done
check "the board list marks the board with an open poll" \
    wait_screen a "Математика +открыт опрос"
for t in a a2; do
	go $t "Когда проводим" Enter o
	go $t "2\. В четверг" Enter
done
check "a teacher may not create polls" \
    screen_lacks a 'w создать'
term_keys a 2
check "the vote is counted" wait_screen a "Ваш голос учтён"
check "and the results come right after voting, as a bar chart" \
    wait_screen a "^   #{30} 1 \(100%\)"
check "her answer is marked" wait_screen a "2\. В четверг  \(ваш ответ\)"
term_keys a Escape
check "the list shows the poll as voted" wait_screen a "Когда проводим педсовет\? +голос учтён"
term_keys a2 1
check "a vote from the other session changes hers, not adds one" \
    wait_screen a2 "1\. Во вторник  \(ваш ответ\)"
check "the store holds one vote, the new one" \
    test "$(db "SELECT group_concat(o.text) FROM poll_votes v JOIN poll_options o ON o.id = v.option_id")" = "Во вторник"
term_keys a2 Escape
term_keys a Enter
check "opening it again shows the results, not the ballot" \
    wait_screen a "Вы проголосовали"
check "with the other answer at zero" wait_screen a "^ +0 \(0%\)"
check "and the number of voters" wait_screen a "Проголосовали: 1"
check "and says e changes the vote while the poll is open" \
    wait_screen a "e — изменить голос"
term_keys a e
go a "2\. В четверг" 2
check "the changed vote is counted and shown" \
    wait_screen a "2\. В четверг  \(ваш ответ\)"
check "the store still holds one vote, the changed one" \
    test "$(db "SELECT group_concat(o.text) FROM poll_votes v JOIN poll_options o ON o.id = v.option_id")" = "В четверг"

# A closed poll shows its results only.
db "UPDATE polls SET closes_at = 1000"
go a "w создать|Enter открыть" Escape
go a "Когда проводим педсовет\? +закрыт" Escape o
check "a closed poll is marked closed" wait_screen a "закрыт"
term_keys a2 Escape o Enter
check "a closed poll shows only its results" \
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
check "each answer's share is of the voters: both 100%, not 50%" \
    wait_count a2 "^   #{30} 1 \(100%\)" 2
go a2 "Какие кружки нужны" Escape
# The coordinator ticks one answer: two voters, three ticks.
go k "Какие кружки нужны" Escape o
go k "\[ \]  ?1\. Алгебра" Enter
term_keys k 1 Enter
check "with two voters, Алгебра (both chose it) is 100%" \
    wait_screen k "^   #{30} 2 \(100%\)"
check "and Логика (one of two) 50%, not a third of the ticks" \
    wait_screen k "^   #{15} +1 \(50%\)"
go a2 "Главное меню" Escape Escape Escape
go a2 "Математика" b
check "once she has voted, the board list no longer marks the board" \
    screen_lacks a2 "открыт опрос"

done_testing
