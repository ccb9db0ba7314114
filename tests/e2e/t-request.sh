#!/bin/bash
# Writes are requests applied once: a draft sent again (the link dropped
# after the post was made but before its draft was removed) posts
# nothing more; and when a send is refused and the text cannot be kept
# as a draft either, the editor says so and keeps the text on screen.
. "$(dirname "$0")/lib.sh"

start_partad || exit 1
echo "anna-secret-1" | sysop user add anna --role teacher --name "Анна" \
    --password-stdin >/dev/null
sysop board add math "Математика" >/dev/null

# --- a draft sent twice posts once -------------------------------------
login a anna anna-secret-1
wait_screen a "Главное меню" >/dev/null
term_keys a b
wait_screen a "Разделы" >/dev/null
term_keys a Enter w
wait_screen a "Новая тема" >/dev/null
term_type a "Один раз"
term_keys a Enter
term_type a "Этот текст отправлен дважды."
check "the editor keeps a draft" wait_screen a "Черновик сохранён"
# What the draft held when the link dropped, for it to come back.
db "CREATE TABLE kept AS SELECT * FROM drafts"
term_keys a C-x
check "the thread is posted" wait_screen a "Один раз"
no_drafts() { test "$(db "SELECT count(*) FROM drafts")" = 0; }
check "and its draft removed" poll "$WAIT" no_drafts
term_keys a Escape Escape q
wait_screen a '\[exit 0\]' >/dev/null
db "INSERT INTO drafts SELECT * FROM kept; DROP TABLE kept"

login a2 anna anna-secret-1
check "the draft left behind is offered" \
    wait_screen a2 "У вас есть неотправленный текст"
term_keys a2 y
wait_screen a2 "Тема: Один раз" >/dev/null
term_keys a2 C-x
check "sending it again says it went" \
    wait_screen a2 "^Отправлено\. \(любая клавиша\)"
term_keys a2 Enter
check "and goes on to the menu" wait_screen a2 "Главное меню"
check "and the draft is gone" poll "$WAIT" no_drafts
check "one thread, not two" \
    test "$(db "SELECT count(*) FROM threads")" = 1
check "one post, not two" test "$(db "SELECT count(*) FROM posts")" = 1

# --- a refused send whose draft cannot be kept --------------------------
term_keys a2 b
wait_screen a2 "Разделы" >/dev/null
term_keys a2 Enter
wait_screen a2 "Один раз" >/dev/null
term_keys a2 Enter
wait_screen a2 "#1/1" >/dev/null
term_keys a2 r
wait_screen a2 "Ответ" >/dev/null
term_type a2 "Ответ на закрытую тему."
check "the reply's draft is saved" wait_screen a2 "Черновик сохранён"
# Meanwhile a coordinator locks the thread, and the drafts cannot be
# written (a full disk would do the same).
db "UPDATE threads SET locked = 1;
    CREATE TRIGGER no_update BEFORE UPDATE ON drafts
    BEGIN SELECT RAISE(ABORT, 'no room'); END;
    CREATE TRIGGER no_insert BEFORE INSERT ON drafts
    BEGIN SELECT RAISE(ABORT, 'no room'); END;"
term_type a2 "!"
term_keys a2 C-x
check "the user is told the text could not be kept" \
    wait_screen a2 "закрыта.*Сохранить черновик тоже не удалось"
check "and not that it was kept" \
    sh -c "! tmux -S '$TMUX_SOCK' capture-pane -p -t a2 | grep -q 'Ваш текст сохранён как черновик'"
term_keys a2 Space
check "the text stays in the editor" \
    wait_screen a2 "^Ответ на закрытую тему.!"
db "DROP TRIGGER no_update; DROP TRIGGER no_insert"
term_keys a2 Escape
wait_screen a2 "Сохранить текст как черновик" >/dev/null
term_keys a2 y
kept() { test "$(db "SELECT body FROM drafts")" = "Ответ на закрытую тему.!"; }
check "kept as a draft once the disk has room" poll "$WAIT" kept
check "and no reply was posted" test "$(db "SELECT count(*) FROM posts")" = 1

done_testing
