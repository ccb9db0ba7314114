#!/bin/bash
# Private mail through OpenSSH: a letter to a login completed from its
# first letters, a nonexistent recipient refused, "new letters" at the
# recipient's login, reading, a reply with a quote, mark unread, delete,
# the sysop's broadcast, and news shown once at login.
. "$(dirname "$0")/lib.sh"

start_partad || exit 1
add_user anna teacher "Анна Иванова" "anna-secret-1"
add_user boris teacher "Борис" "boris-secret-1"
add_user petr pending "Пётр" "pending-secret"

login_menu a anna anna-secret-1
check "a first login without news or letters goes straight to the menu" \
    screen_lacks a 'прошлого визита'
term_keys a m
check "the mail menu opens" wait_screen a "Входящие"
go a "Кому \(логин\)" w
fill a "nobody" "Программа"
check "a letter to a nonexistent user is refused" \
    wait_screen a "Кому \(логин\): нет пользователя с таким логином"
term_keys a C-u
fill a "bor"
term_keys a C-u Enter
check "a login completed from its first letters is named before it is taken" \
    wait_screen a "Письмо получит: Борис \(boris\)\.  Enter — дальше\."
term_keys a Enter
check "a letter without a subject is refused" \
    wait_screen a "Тема: не может быть пустым"
check "the form shows the login completed from its first letters" \
    wait_screen a "Кому \(логин\) +boris_"
fill a "Программа"
check "the recipient is completed from its first letters" \
    wait_screen a "Кому: boris"
term_type a "Добрый день! Пришлите, пожалуйста, программу по математике."
term_keys a C-x
check "the letter is sent" wait_screen a "Письмо отправлено"
go a "Главное меню" Enter Escape

# The recipient is told at login.
login b boris boris-secret-1
check "the recipient sees the new-mail notice" \
    wait_screen b "У вас новые письма: 1"
go b "Главное меню" Enter
term_keys b m i
check "the inbox lists the letter as new" \
    wait_screen b "\* Анна Иванова +Программа"
term_keys b Enter
check "the letter shows its sender by name, then login" \
    wait_screen b "От: Анна Иванова \(anna\)"
check "and its text" wait_screen b "Пришлите, пожалуйста, программу"
term_keys b u
check "u marks it unread again" wait_screen b "\* Анна Иванова +Программа"
go b "Кому \(логин\)" Enter r
check "a reply is addressed to the sender" wait_screen b "Кому \(логин\) +anna"
term_keys b Enter Enter
check "the reply quotes the letter" wait_screen b "^> Добрый день! Пришлите"
check "naming its author by name" wait_screen b "Анна Иванова писал\(а\)"
term_type b "Высылаю сегодня."
go b "Письмо отправлено" C-x
term_keys b Enter
check "the read letter is no longer marked new" \
    wait_screen b "^ >   Анна Иванова +Программа"
term_keys b d
check "delete asks first" wait_screen b "Удалить это письмо\?"
term_keys b y
check "the deleted letter leaves the inbox" wait_screen b "\(пусто\)"
term_keys b Escape s
check "the sent folder holds the reply, by the recipient's name" \
    wait_screen b "Анна Иванова +Re: Программа"
term_keys b Enter
check "the sent letter names its recipient: name, then login" \
    wait_screen b "Кому: Анна Иванова \(anna\)"
term_keys b Escape
go b "Главное меню" Escape Escape

# The sysop's broadcast, and news.
out=$(echo "Собрание в среду в 15:00." | sysop broadcast --subject "Собрание")
check "broadcast reaches every active account" \
    grep -q "Письмо отправлено учётным записям: 2" <<<"$out"
out=$(echo "Сдать журналы." | sysop broadcast --subject "Журналы" --role sysop)
check "broadcast to a role reaches only that role" \
    grep -q "учётным записям: 0" <<<"$out"
echo "Каникулы начинаются 28 октября." | sysop news --subject "Осенние каникулы" >/dev/null
go a '\[exit 0\]' q
login a2 anna anna-secret-1
check "anna is told of the reply and the broadcast" \
    wait_screen a2 "У вас новые письма: 2"
check "and shown the news" wait_screen a2 "Осенние каникулы"
check "with its text" wait_screen a2 "Каникулы начинаются 28 октября"
go a2 "Главное меню" Enter
term_keys a2 m i
check "the broadcast is in the inbox, from the sysop" \
    wait_screen a2 "\* сисоп +Собрание"
go a2 '\[exit 0\]' Escape Escape q
login a3 anna anna-secret-1
wait_screen a3 "Главное меню|прошлого визита" >/dev/null
check "news is shown only once" \
    screen_lacks a3 'Осенние каникулы'
go a3 "Главное меню" Enter
term_keys a3 a
check "the news list still has it" wait_screen a3 "Осенние каникулы"

done_testing
