#!/bin/bash
# What waits for the sysop, a coordinator and an expert, through
# OpenSSH: the summary at login, each kind opened from it; approving and
# rejecting registrations inside the BBS (the sysop may have no shell);
# a rejected applicant correcting her form and applying again; a teacher
# is shown no summary.
. "$(dirname "$0")/lib.sh"

start_partad || exit 1
# koord is a teacher who coordinates math, as most coordinators are.
for u in sys:sysop koord:teacher exp:expert anna:teacher \
    vera:pending petr:pending; do
	echo "${u%%:*}-secret-1" | sysop user add "${u%%:*}" --role "${u#*:}" \
	    --name "Имя ${u%%:*}" --password-stdin >/dev/null
done
sysop board add math "Математика" >/dev/null
sysop board add olymp "Олимпиады" >/dev/null
sysop board coordinator math koord >/dev/null
sysop board edit math premoderated yes >/dev/null
console_post math anna "Дроби" "Как объяснять дроби?"
console_post olymp anna "Олимпиада" "Задача."
sysop library section add docs "Документы" --approval >/dev/null
echo "план" >"$T/plan.txt"
sysop library add docs "$T/plan.txt" --as anna --title "План урока" >/dev/null
# The console's posts and items are approved at once: make them wait.
db "UPDATE threads SET approved = 0; UPDATE library_items SET approved_at = NULL"
# Registrations are listed oldest first, then by login: one second for
# both, whatever the machine's speed, so that petr comes first.
db "UPDATE users SET created_at = strftime('%s', 'now') WHERE role = 'pending'"

# The sysop: registrations, both boards' threads, the library.
login s sys sys-secret-1
check "at login the sysop sees what waits for her" wait_screen s "Что ждёт вас"
check "two registrations" wait_screen s "2 +Регистрации ждут одобрения"
check "two threads awaiting approval" \
    wait_screen s "2 +Темы ждут одобрения в ваших разделах"
check "one library item" wait_screen s "1 +Материалы библиотеки ждут одобрения"
term_keys s Enter
check "the registrations open from it" \
    wait_screen s "petr +Имя petr"
term_keys s a
check "approving asks first" wait_screen s "Одобрить petr \(Имя petr\)\?"
term_keys s y
check "petr is approved" \
    poll "$WAIT" sh -c "[ \"\$(sqlite3 '$D/parta.db' \"select role from users where login = 'petr'\")\" = teacher ]"
check "and leaves the list" wait_screen s "vera +Имя vera"
go s "Причина" r
fill s "Укажите школу"
check "vera is rejected with the reason" \
    poll "$WAIT" sh -c "[ \"\$(sqlite3 '$D/parta.db' \"select reject_reason from users where login = 'vera'\")\" = 'Укажите школу' ]"
check "the list is empty" wait_screen s "\(пусто\)"
check "both are audited with the sysop's login" \
    [ "$(db "SELECT group_concat(actor || ' ' || action || ' ' || target, ', ')
	FROM audit WHERE action IN ('approve', 'reject')")" = \
      "sys approve petr, sys reject vera" ]
term_keys s Escape
check "back on the summary, the registrations are done" \
    poll "$WAIT" screen_lacks s 'Регистрации'
term_keys s Escape
check "Esc goes on to the main menu" wait_screen s "Главное меню"

# The coordinator: only his board's thread.
login k koord koord-secret-1
check "the coordinator sees the threads on his boards" \
    wait_screen k "1 +Темы ждут одобрения в ваших разделах"
check "but no registrations" \
    screen_lacks k 'Регистрации'
term_keys k Enter
check "the thread is listed with its board" wait_screen k "Математика +Дроби +anna"
check "not the other board's" \
    screen_lacks k 'Олимпиада'
term_keys k a
check "a approves it" wait_screen k "\(пусто\)"
check "in the store" \
    [ "$(db "SELECT approved FROM threads WHERE subject = 'Дроби'")" = 1 ]
go k "Вас ничего не ждёт" Escape	# the summary, empty now, says so
go k "Главное меню" Escape

# The expert: the library.
login e exp exp-secret-1
check "the expert sees the library item" \
    wait_screen e "1 +Материалы библиотеки ждут одобрения"
term_keys e Enter
check "which opens the pending items" wait_screen e "План урока"

# A teacher is shown nothing; "g" says so.
login a anna anna-secret-1
check "a teacher goes straight to the main menu" wait_screen a "Главное меню"
term_keys a g
check "and g says nothing waits" wait_screen a "Вас ничего не ждёт"

# The rejected applicant corrects her form and applies again.
login v vera vera-secret-1
check "she sees the reason" wait_screen v "Причина: Укажите школу"
check "and may correct her form" \
    wait_screen v "e  Исправить анкету и подать снова"
term_keys v e
check "the form shows the reason and her answers" \
    wait_screen v "Сисоп написал: Укажите школу"
term_keys v Enter
term_type v "МБОУ СОШ с. Кукмор"
term_keys v Enter Enter
check "after applying again she awaits approval" \
    wait_screen v "ожидает одобрения"
check "with her corrected form" \
    [ "$(db "SELECT school, rejected_at IS NULL FROM users WHERE login = 'vera'")" = "МБОУ СОШ с. Кукмор|1" ]
term_keys s g
check "the sysop sees her registration again" \
    wait_screen s "1 +Регистрации ждут одобрения"

done_testing
