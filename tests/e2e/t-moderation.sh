#!/bin/bash
# A coordinator's tools through OpenSSH: premoderation (a teacher's new
# thread waits, unseen by others, until approved), pinning (pinned
# first), retitling a post, moving a thread to another board, hiding a
# whole thread with a reason; and what a teacher sees of each.
. "$(dirname "$0")/lib.sh"

# first_row NAME PATTERN: the first row of a list matches.
first_row() {
	poll 50 sh -c "tmux -S '$TMUX_SOCK' capture-pane -p -t '$1' | sed -n 4p | grep -qE -- '$2'" && return 0
	term_screen "$1" | diag
	return 1
}

start_partad || exit 1
for u in anna boris koord; do
	echo "$u-secret-1" | sysop user add $u --role teacher --name "Имя $u" \
	    --password-stdin >/dev/null
done
sysop board add math "Математика" >/dev/null
sysop board add olymp "Олимпиады" >/dev/null
sysop board coordinator math koord >/dev/null
sysop board coordinator olymp koord >/dev/null
sysop board edit math premoderated yes >/dev/null
echo "Старая тема." | sysop post math --as koord --subject "Старая тема" >/dev/null

# A teacher's thread on a premoderated board waits.
login a anna anna-secret-1
wait_screen a "Главное меню" >/dev/null
term_keys a b
wait_screen a "Разделы" >/dev/null
term_keys a Enter n
wait_screen a "Новая тема" >/dev/null
term_type a "Задача про поезда"
term_keys a Enter
term_type a "Два поезда вышли навстречу друг другу."
term_keys a C-x
check "the author is told the thread waits for approval" \
    wait_screen a "ждёт одобрения координатора"
term_keys a Enter
check "the author sees it marked as waiting" wait_screen a "\? +Задача про поезда"

login boris boris boris-secret-1
wait_screen boris "Главное меню" >/dev/null
term_keys boris b
wait_screen boris "Разделы" >/dev/null
term_keys boris Enter
wait_screen boris "Старая тема" >/dev/null
check "another teacher does not see the waiting thread" \
    sh -c "! tmux -S '$TMUX_SOCK' capture-pane -p -t boris | grep -q 'поезда'"
term_keys boris Escape
wait_screen boris "Разделы" >/dev/null

# The coordinator approves, pins, retitles and moves.
login k koord koord-secret-1
wait_screen k "Главное меню" >/dev/null
term_keys k b
wait_screen k "Разделы" >/dev/null
term_keys k Enter
check "the coordinator sees the waiting thread" wait_screen k "\? +Задача про поезда"
term_keys k a
check "approving clears the mark" wait_screen k "^ > \+1 +Задача про поезда"
term_keys k Down p
check "the pinned thread comes first" first_row k "! +Старая тема"
term_keys k Down Enter
wait_screen k "Два поезда" >/dev/null
term_keys k e
wait_screen k "Заголовок" >/dev/null
term_keys k C-u
term_type k "Задача о встречном движении"
term_keys k Enter
check "the retitled post shows its new title" \
    wait_screen k "^Задача о встречном движении$"
term_keys k Escape
check "the thread list shows it too" wait_screen k "Задача о встречном движении"
term_keys k v
wait_screen k "В раздел" >/dev/null
term_type k "olymp"
term_keys k Enter
check "the moved thread leaves the board" \
    poll 50 sh -c "! tmux -S '$TMUX_SOCK' capture-pane -p -t k | grep -q 'встречном'"
term_keys k Escape Down Enter
check "and is found on the other board" wait_screen k "Задача о встречном движении"
term_keys k h
wait_screen k "Причина" >/dev/null
term_type k "повтор"
term_keys k Enter
check "hiding the whole thread removes it from the list" wait_screen k "\(пусто\)"
actions() { db "SELECT action FROM audit" | tr '\n' ' '; }
check "the audit log has each action" \
    grep -q 'approve pin retitle move thread hide thread' <<<"$(actions)"

# The teacher sees the result.
term_keys boris Enter
check "the teacher sees the pinned thread first" first_row boris "! +Старая тема"
check "and not the moved and hidden one" \
    sh -c "! tmux -S '$TMUX_SOCK' capture-pane -p -t boris | grep -q 'встречном'"

# A board's coordinator publishes news; teachers see it at login.
term_keys k Escape Escape Escape
wait_screen k "Главное меню" >/dev/null
term_keys k a
check "a board's coordinator may write news" wait_screen k "w написать"
term_keys k w
wait_screen k "Заголовок" >/dev/null
term_type k "Олимпиада в субботу"
term_keys k Enter
wait_screen k "\^X отправить" >/dev/null
term_type k "Сбор в 9:00 у школы."
term_keys k C-x
check "the news is listed" wait_screen k "Олимпиада в субботу"
login a2 anna anna-secret-1
check "a teacher is shown it at the next login" wait_screen a2 "Олимпиада в субботу"
check "with its text" wait_screen a2 "Сбор в 9:00 у школы"
term_keys a2 Enter a
wait_screen a2 "Enter читать" >/dev/null
check "a teacher may not write news" \
    sh -c "! tmux -S '$TMUX_SOCK' capture-pane -p -t a2 | grep -q 'w написать'"

done_testing
