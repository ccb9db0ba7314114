#!/bin/bash
# A coordinator's tools through OpenSSH: premoderation (a teacher's new
# thread waits, unseen by others, until approved), pinning (pinned
# first, the marker going with it), retitling a post, moving a thread to
# a board picked from a list, hiding a whole thread with a reason after
# confirming (a placeholder for the coordinator and the author, a letter
# to the author), showing it again, hiding and showing a single post in
# the pager; and what a teacher sees of each.
. "$(dirname "$0")/lib.sh"

# first_row NAME PATTERN: the first row of a list matches.
first_row() {
	poll "$WAIT" sh -c "tmux -S '$TMUX_SOCK' capture-pane -p -t '$1' | sed -n 4p | grep -qE -- '$2'" && return 0
	term_screen "$1" | diag
	return 1
}

start_partad || exit 1
add_teachers anna boris koord
sysop board add math "Математика" >/dev/null
sysop board add olymp "Олимпиады" >/dev/null
sysop board coordinator math koord >/dev/null
sysop board coordinator olymp koord >/dev/null
sysop board edit math premoderated yes >/dev/null
console_post math koord "Старая тема" "Старая тема."

# A teacher's thread on a premoderated board waits.
login_menu a anna anna-secret-1
go a "Разделы" b
go a "Новая тема" Enter w
fill a "Задача про поезда"
term_type a "Два поезда вышли навстречу друг другу."
term_keys a C-x
check "the author is told the thread waits for approval" \
    wait_screen a "ждёт одобрения координатора"
term_keys a Enter
check "the author sees it marked as waiting" wait_screen a "\?@? +Задача про поезда"

login_menu boris boris boris-secret-1
go boris "Разделы" b
go boris "Старая тема" Enter
check "another teacher does not see the waiting thread" \
    screen_lacks boris 'поезда'
go boris "Разделы" Escape

# The coordinator approves, pins, retitles and moves.
login k koord koord-secret-1
check "at login the coordinator sees the thread waiting on his board" \
    wait_screen k "1 +Темы ждут одобрения в ваших разделах"
go k "Главное меню" Escape
go k "Разделы" b
term_keys k Enter
check "the coordinator sees the waiting thread" wait_screen k "\? +Задача про поезда"
term_keys k a
check "approving clears the mark" wait_screen k "^ > \+1 +Задача про поезда"
term_keys k Down p
check "the pinned thread comes first" first_row k "!@? +Старая тема"
check "and the marker goes with it, not staying on the row" \
    wait_screen k "^ > +!@? +Старая тема"
term_keys k l
check "so the next key acts on the same thread" \
    wait_screen k "^ > +!#@? +Старая тема"
go k "^ > +!@? +Старая тема" l
go k "Два поезда" Down Enter
go k "Заголовок" s
term_keys k C-u
fill k "Задача о встречном движении"
check "the retitled post shows its new title" \
    wait_screen k "^Задача о встречном движении$"
term_keys k Escape
check "the thread list shows it too" wait_screen k "Задача о встречном движении"
term_keys k v
check "moving offers the other boards the coordinator has, to pick from" \
    wait_screen k "Перенести тему в раздел"
check "with their short names" wait_screen k "Олимпиады +olymp"
term_keys k Escape
check "leaving the list moves nothing, back on the same thread" \
    wait_screen k "^ > +\+?[0-9]* +Задача о встречном движении"
go k "Олимпиады +olymp" v
term_keys k Enter
check "the moved thread leaves the board" \
    poll "$WAIT" screen_lacks k 'встречном'
term_keys k Escape Down Enter
check "and is found on the other board" wait_screen k "Задача о встречном движении"
go k "Причина" h
fill k "повтор"
check "hiding asks again, saying the author gets a letter" \
    wait_screen k "Скрыть тему\? Автор получит письмо с причиной. \(д/н\)"
term_keys k n
check "no: nothing is hidden" \
    [ "$(db "SELECT count(*) FROM threads WHERE hidden_at IS NOT NULL")" = 0 ]
go k "Причина" h
fill k "повтор"
answer_yes k
check "the hidden thread leaves a placeholder for the coordinator" \
    wait_screen k "^ > .*\[скрыто координатором: повтор\] Задача"
check "its author has a letter saying what and why" \
    [ "$(db "SELECT m.subject, instr(m.body, 'Причина: повтор') > 0
	FROM mail m JOIN mail_boxes x ON x.mail_id = m.id
	JOIN users u ON u.id = x.user_id
	WHERE u.login = 'anna' AND x.folder = 'inbox'")" = "Ваша тема скрыта|1" ]
# She is told while she is logged in; waited for here, so that the notice
# cannot come later over a status line a check below reads.
check "and is told of it at once, where she is" wait_screen a "Новое письмо от"
actions() { db "SELECT action FROM audit" | tr '\n' ' '; }
check "the audit log has each action" \
    grep -q 'approve pin lock unlock retitle move thread hide thread' <<<"$(actions)"

# The teacher sees the result.
term_keys boris Enter
check "the teacher sees the pinned thread first" first_row boris "! +Старая тема"
check "and not the moved and hidden one" \
    screen_lacks boris 'встречном'
go boris "Разделы" Escape
go boris "Олимпиады" Down Enter
check "not even as a placeholder" \
    screen_lacks boris 'скрыто'
go boris "Разделы" Escape

# The author sees her hidden thread as its placeholder.
go a "Разделы" Escape
term_keys a Down Enter
check "the author sees the placeholder" \
    wait_screen a "\[скрыто координатором: повтор\] Задача"
term_keys a Enter
check "and in the pager, with her text" wait_screen a "Два поезда"
term_keys a r
check "but cannot reply to it" wait_screen a "удалены координатором"
go a "Разделы" Enter Escape Escape

# The coordinator shows it again; the teacher sees it.
term_keys k h
check "showing it again asks first" \
    wait_screen k "Снова показать тему всем\? \(д/н\)"
term_keys k y
check "the placeholder is gone" \
    poll "$WAIT" screen_lacks k 'скрыто'
term_keys boris Down Enter
check "the teacher sees the thread again" \
    wait_screen boris "Задача о встречном движении"
check "showing again is audited" \
    [ "$(db "SELECT actor, action, target FROM audit ORDER BY id DESC LIMIT 1")" = \
      "koord|unhide thread|post $(db "SELECT min(p.id) FROM posts p JOIN threads t
	ON t.id = p.thread_id WHERE t.subject LIKE 'Задача%'")" ]

# A single post, hidden and shown again in the pager.
go boris "Ответ" Enter r
term_type boris "Реклама: купите учебники!"
go boris "Отправлено" C-x
go k "Разделы" Escape		# and back, to see what is new
go k "\+1 +Задача о встречном" Down Enter
term_keys k Enter
wait_screen k "Реклама" >/dev/null	# opened at the first new post
go k "Причина" h
fill k "реклама"
check "hiding a post asks too" \
    wait_screen k "Скрыть сообщение\? Автор получит письмо с причиной."
term_keys k y
check "the coordinator sees its placeholder in the pager" \
    wait_screen k "^\[скрыто координатором: реклама\]$"
check "and is told the author has a letter" \
    wait_screen k "Сообщение скрыто; автору отправлено письмо."
check "the author has the letter about her post" \
    [ "$(db "SELECT count(*) FROM mail m JOIN mail_boxes x ON x.mail_id = m.id
	JOIN users u ON u.id = x.user_id WHERE u.login = 'boris'
	AND m.subject = 'Ваше сообщение скрыто'
	AND instr(m.body, 'Реклама: купите') > 0")" = 1 ]
go k "Задача о встречном" Escape
go k "Разделы" Escape
go k "Задача о встречном" Down Enter
go k "^\[скрыто координатором: реклама\]$" Enter j
term_keys k h
check "showing the post again asks first" \
    wait_screen k "Снова показать сообщение всем\?"
term_keys k y
check "and then it is shown" wait_screen k "Сообщение снова видно всем."
check "unhiding the post is audited" \
    [ "$(db "SELECT action FROM audit ORDER BY id DESC LIMIT 1")" = "unhide post" ]
go k "Разделы" Escape Escape

# A board's coordinator publishes news; teachers see it at login.
go k "Главное меню" Escape
term_keys k a
check "a board's coordinator may write news" wait_screen k "w написать"
go k "Заголовок" w
fill k "Олимпиада в субботу"
wait_screen k "\^X отправить" >/dev/null
term_type k "Сбор в 9:00 у школы."
term_keys k C-x
check "the news is listed" wait_screen k "Олимпиада в субботу"
login a2 anna anna-secret-1
check "a teacher is shown it at the next login" wait_screen a2 "Олимпиада в субботу"
check "with its text" wait_screen a2 "Сбор в 9:00 у школы"
go a2 "Enter читать" Enter a
check "a teacher may not write news" \
    screen_lacks a2 'w написать'

done_testing
