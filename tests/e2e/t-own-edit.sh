#!/bin/bash
# The author changes her own post through OpenSSH: within edit_window she
# edits it in the editor, prefilled, and it shows "изменено" with the
# time; a window that closes while she types refuses the edit when it is
# written (her text kept as a draft) and the keys are no longer offered;
# she deletes her own reply after confirming, and "no" deletes nothing.
. "$(dirname "$0")/lib.sh"

start_partad || exit 1
for u in anna boris; do
	echo "$u-secret-1" | sysop user add $u --role teacher --name "Имя $u" \
	    --password-stdin >/dev/null
done
sysop board add math "Математика" >/dev/null
echo "Первый вариант." | sysop post math --as anna --subject "Своя тема" >/dev/null
echo "Чужой текст." | sysop post math --as boris --subject "Чужая тема" >/dev/null

login a anna anna-secret-1
wait_screen a "Главное меню" >/dev/null
term_keys a b
wait_screen a "Разделы" >/dev/null
term_keys a Enter
wait_screen a "Своя тема" >/dev/null
# The newest thread is first: boris's.
term_keys a Enter
wait_screen a "Чужой текст." >/dev/null
check "another's post offers no change" \
    sh -c "! tmux -S '$TMUX_SOCK' capture-pane -p -t a | grep -q 'c правка'"
term_keys a c
check "and the key does nothing" \
    sh -c "! tmux -S '$TMUX_SOCK' capture-pane -p -t a | grep -q 'Правка сообщения'"
term_keys a Escape
wait_screen a "Чужая тема" >/dev/null
term_keys a Down Enter
wait_screen a "Первый вариант." >/dev/null
check "her own post offers change and delete" \
    wait_screen a "c правка  d удалить"
check "not yet marked edited" \
    sh -c "! tmux -S '$TMUX_SOCK' capture-pane -p -t a | grep -q 'изменено'"
term_keys a c
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
login b boris boris-secret-1
wait_screen b "Главное меню" >/dev/null
term_keys b b
wait_screen b "Разделы" >/dev/null
term_keys b Enter
wait_screen b "Своя тема" >/dev/null
term_keys b Down Enter
check "another reader sees the edit marked" wait_screen b "\[изменено "
check "and no keys to change it" \
    sh -c "! tmux -S '$TMUX_SOCK' capture-pane -p -t b | grep -q 'd удалить'"

# The window closes while she types: the store refuses.
term_keys a c
wait_screen a "Правка сообщения" >/dev/null
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
    poll 50 sh -c "tmux -S '$TMUX_SOCK' capture-pane -p -t a | grep -q 'Esc назад' && ! tmux -S '$TMUX_SOCK' capture-pane -p -t a | grep -q 'c правка'"

# She replies, then deletes her reply.
term_keys a r
wait_screen a "Ответ" >/dev/null
term_type a "Мой ответ."
term_keys a C-x
wait_screen a "Первый вариант" >/dev/null
term_keys a n
wait_screen a "Мой ответ." >/dev/null
check "her fresh reply offers delete" wait_screen a "d удалить"
term_keys a d
check "deleting asks first" \
    wait_screen a "Удалить ваше сообщение\? Это нельзя отменить. \(д/н\)"
term_keys a n
check "no: nothing is deleted" \
    [ "$(db "SELECT count(*) FROM posts WHERE body = 'Мой ответ.'")" = 1 ]
term_keys a d
wait_screen a "\(д/н\)" >/dev/null
term_keys a y
check "yes: she is told it is deleted" wait_screen a "Сообщение удалено\."
check "and it is gone from the store" \
    [ "$(db "SELECT count(*) FROM posts WHERE body = 'Мой ответ.'")" = 0 ]
check "the thread shows her first post again" \
    wait_screen a "Первый вариант. Дополнено."

done_testing
