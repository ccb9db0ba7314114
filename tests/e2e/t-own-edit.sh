#!/bin/bash
# The author changes her own post through OpenSSH: within edit_window she
# edits it in the editor, prefilled, and it shows "изменено" with the
# time; a window that closes while she types refuses the edit when it is
# written (her text kept as a draft) and the keys are no longer offered;
# she deletes her own reply after confirming, and "no" deletes nothing.
. "$(dirname "$0")/lib.sh"

start_partad || exit 1
add_teachers anna boris
sysop board add math "Математика" >/dev/null
console_post math anna "Своя тема" "Первый вариант."
console_post math boris "Чужая тема" "Чужой текст."

login_menu a anna anna-secret-1
first_board a "Своя тема"
# The newest thread is first: boris's.
go a "Чужой текст." Enter
check "another's post offers no change" \
    screen_lacks a 'e правка'
term_keys a e
check "and the key does nothing" \
    screen_lacks a 'Правка сообщения'
go a "Чужая тема" Escape
go a "Первый вариант." Down Enter
check "her own post offers change and delete" \
    wait_screen a "e правка +d удалить"
check "not yet marked edited" \
    screen_lacks a 'изменено'
term_keys a e
check "the editor opens" wait_screen a "Правка сообщения"
check "prefilled with her text" wait_screen a "Первый вариант."
term_keys a End
term_type a " Дополнено."
term_keys a C-x
check "the edited post shows the new text" \
    wait_screen a "Первый вариант. Дополнено."
check "marked edited, with the time" \
    wait_screen a "\[изменено [0-9]{2}\.[0-9]{2}\.[0-9]{4} [0-9]{2}:[0-9]{2}\]"
check "stored" [ "$(db "SELECT body FROM posts WHERE body LIKE 'Первый%'")" = \
    "Первый вариант. Дополнено." ]

# Another reader sees the mark too.
login_menu b boris boris-secret-1
first_board b "Своя тема"
term_keys b Down Enter
check "another reader sees the edit marked" wait_screen b "\[изменено "
check "and no keys to change it" \
    screen_lacks b 'd удалить'

# The window closes while she types: the store refuses.
go a "Правка сообщения" e
db "UPDATE posts SET created_at = created_at - 31 * 60"
term_keys a End
term_type a " Поздно."
term_keys a C-x
check "a late edit is refused when it is written" \
    wait_screen a "вы больше не можете изменить это сообщение"
check "her text is kept as a draft" [ "$(db "SELECT count(*) FROM drafts
    WHERE kind = 'edit' AND body LIKE '%Поздно.'")" = 1 ]
check "nothing changed in the store" \
    [ "$(db "SELECT count(*) FROM posts WHERE body LIKE '%Поздно%'")" = 0 ]
term_keys a Enter
check "after the window the keys are no longer offered" \
    poll "$WAIT" sh -c "tmux -S '$TMUX_SOCK' capture-pane -p -t a | grep -q 'Esc назад' && ! tmux -S '$TMUX_SOCK' capture-pane -p -t a | grep -q 'e правка'"

# She replies, then deletes her reply.
go a "Ответ" r
term_type a "Мой ответ."
term_keys a C-x
check "after sending she is on her reply, told it was sent" \
    wait_screen a "Отправлено\."
# Away and back: the legend shows the keys again.
go a "Первый вариант" k
go a "Мой ответ." j
check "her fresh reply offers delete" wait_screen a "d удалить"
term_keys a d
check "deleting asks first" \
    wait_screen a "Удалить ваше сообщение\? Это нельзя отменить. \(д/н\)"
term_keys a n
check "no: nothing is deleted" \
    [ "$(db "SELECT count(*) FROM posts WHERE body = 'Мой ответ.'")" = 1 ]
go a "\(д/н\)" d
term_keys a y
check "yes: she is told it is deleted" wait_screen a "Сообщение удалено\."
check "and it is gone from the store" \
    [ "$(db "SELECT count(*) FROM posts WHERE body = 'Мой ответ.'")" = 0 ]
check "the thread shows her first post again" \
    wait_screen a "Первый вариант. Дополнено."

done_testing
