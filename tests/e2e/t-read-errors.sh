#!/bin/bash
# A list the store cannot read says so, through OpenSSH at 80x24: the
# news list tells her the database failed on the status line (it used
# to close without a word), and a member's page marks the list it could
# not read "(?)" with the reason, where it used to say "(0)" as if she
# had none; a list she really has none of still reads as empty.  The
# store is made to fail by renaming a table under the live session.
. "$(dirname "$0")/lib.sh"

# rename FROM TO: the table FROM is called TO from now on.  The legacy
# rename leaves the triggers' text alone: the shell cannot parse those
# that name partad's tokenizer.
rename() { db "PRAGMA legacy_alter_table = ON; ALTER TABLE $1 RENAME TO $2"; }

start_partad || exit 1
add_user anna teacher "Анна Петровна" anna-secret-1
add_user boris teacher "Борис Ильич" boris-secret-1
sysop board add math "Математика" >/dev/null
console_post math anna "Дроби" "Как объяснять дроби?"
echo "Каникулы с 28 октября." | sysop news --subject "Каникулы" >/dev/null

login_arrived x boris boris-secret-1
FAILED="сбой базы данных; попробуйте позже"

# --- the news list ---------------------------------------------------------
rename news news_kept
term_keys x a
check "the news list that cannot be read says the database failed" \
    wait_screen x "$FAILED"
rename news_kept news
go x "Главное меню" Enter
term_keys x a
check "read again, it lists the news" wait_screen x "Каникулы"
go x "Главное меню" Escape

# --- a member's page --------------------------------------------------------
rename events events_kept
go x "Участники" u
mark x "Анна Петровна"
term_keys x Enter
check "her page opens" wait_screen x "Анна Петровна \(anna\)"
check "the list it could not read is not counted as none" \
    wait_screen x "Мероприятия \(\?\), клавиша v"
check "and says why" wait_screen x "^ +$FAILED"
check "the lists it read are counted" wait_screen x "Темы \(1\), клавиша t"
term_keys x v
check "that list's screen says the database failed" wait_screen x "$FAILED"
rename events_kept events
go x "Страница участника" Enter
# Back on the page, as it was when she opened it; reopened, it reads all.
go x "Участники" Escape
term_keys x Enter
check "reopened, her events are counted: none" \
    wait_screen x "Мероприятия \(0\), клавиша v"
term_keys x v
check "and the list of none reads as empty" \
    wait_screen x "Здесь пока ничего нет\."

done_testing
