#!/bin/bash
# Mail through OpenSSH at 80x24 (issue 15): the recipient is chosen by
# the beginning of a login or of any word of a name (several candidates
# listed by name, in Russian order), several recipients separated by
# commas; a letter that comes while she is online is told on the status
# line within seconds, "Новое письмо от …", without disturbing what she
# types.  In Russian, and the notice in English too.  As she types a
# recipient, the teachers who fit are listed under the form, by name
# with the login; the arrows mark one and Enter takes it, Tab takes the
# first; the field gets the login and ", " for the next.  In UTF-8, and
# Cyrillic typed on a KOI8-R terminal (luit).
. "$(dirname "$0")/lib.sh"

start_partad || exit 1
add_users <<'EOT'
anna    teacher     anna-secret-1    Анна Иванова
koord   coordinator koord-secret-1   Гульназ Хабибуллина
gulshat teacher     gulshat-secret-1 Гульшат Исмагилова
boris   teacher     boris-secret-1   Борис Петров
vera    teacher     vera-secret-1    Вера Сергеевна
EOT
db "UPDATE users SET lang = 'en' WHERE login = 'boris'"
echo "koi-secret-1" | sysop user add koi --role teacher \
    --name "Учитель koi" --password-stdin >/dev/null
sysop board add math "Математика" >/dev/null
inbox() { db "SELECT count(*) FROM mail_boxes x JOIN users u ON u.id = x.user_id
    WHERE u.login = '$1' AND x.folder = 'inbox'"; }
letters() { db "SELECT count(*) FROM mail m JOIN mail_boxes x ON x.mail_id = m.id
    JOIN users u ON u.id = x.user_id WHERE u.login = '$1' AND x.folder = 'inbox'
    AND m.subject = '$2'"; }

login_menu a anna anna-secret-1
go a "Входящие" m
go a "Кому \(логин\)" w
check "the form says a name will do, and commas for several" \
    wait_screen a "логина или имени"
fill a "гул" "План"
check "a name's beginning that fits two lists both, by name" \
    wait_screen a "наберите больше букв: Гульназ Хабибуллина"
check "in Russian order, with the logins" \
    wait_screen a "\(koord\), Гульшат Исмагилова \(gulshat\)"
term_keys a C-u
fill a "хаб, петр"
term_keys a Enter
check "the completed recipients are named before the letter goes" \
    wait_screen a "Письмо получит: Гульназ Хабибуллина \(koord\), .*\(boris\)\."
term_keys a Enter
check "a surname's beginning and another's complete, both" \
    wait_screen a "Кому: koord, boris"
term_type a "Пришлите план, пожалуйста."
term_keys a C-x
check "the letter is sent" wait_screen a "Письмо отправлено\."
check "to both" [ "$(inbox koord)$(inbox boris)" = 11 ]
go a "Почта" Enter
go a "Главное меню" Escape

# A letter comes while she types: the notice, her text untouched.
login_menu v vera vera-secret-1
first_board v "w новая тема"
go v "Новая тема" w
term_keys v Enter
term_type v "Начало текста"
echo "Совещание в пятницу." | sysop broadcast --subject "Совещание" --as koord >/dev/null
check "a new letter is told on the status line" \
    wait_screen v "Новое письмо от Гульназ Хабибуллина: Совещание \(Почта, клавиша m\)\." 60
term_type v " и продолжение."
check "what she types goes on where it was" \
    wait_screen v "^Начало текста и продолжение\.$"

# Where nothing is typed: the main menu, in English.
login_arrived e boris boris-secret-1
echo "Второе." | sysop broadcast --subject "Ещё" --as koord >/dev/null
check "English: a new letter is told too" \
    wait_screen e "New letter from Гульназ Хабибуллина: Ещё \(Mail, key m\)\." 60

# The recipient completed while she types (after the last notice, which
# would take the legend's row).
wait_screen a "Новое письмо от Гульназ Хабибуллина: Ещё" 60 >/dev/null
go a "Входящие" m
go a "Кому \(логин\)" w
term_type a "гул"
check "as she types, both teachers who fit are listed under the form" \
    wait_screen a "^ +Гульназ Хабибуллина \(koord\)"
check "by name, in Russian order, with the login" \
    wait_screen a "^ +Гульшат Исмагилова \(gulshat\)"
check "the legend offers Tab" wait_screen a "Tab взять имя"
term_keys a Down Down
check "the arrows mark one" wait_screen a "> Гульшат Исмагилова \(gulshat\)"
term_keys a Enter
check "Enter takes the marked one: the field has her login" \
    wait_screen a "Кому \(логин\) +gulshat, _"
check "and the list is gone" screen_lacks a "Гульназ"
term_type a "бор"
check "the next recipient, after the comma, is listed too" \
    wait_screen a "^ +Борис Петров \(boris\)"
term_keys a Tab
check "Tab takes the first" wait_screen a "Кому \(логин\) +gulshat, boris, _"
term_keys a Enter
fill a "План на четверть"
check "the editor is for both" wait_screen a "Кому: gulshat, boris"
term_type a "Пришлите план."
term_keys a C-x
check "the letter is sent" wait_screen a "Письмо отправлено\."
check "to the two she picked, not to the other Гуль…" \
    [ "$(letters gulshat 'План на четверть')$(letters boris 'План на четверть')$(letters koord 'План на четверть')" = 110 ]

# A KOI8-R terminal: the Cyrillic she types is what the list matches.
login_luit k KOI8-R koi koi-secret-1
check "KOI8-R: the broadcasts greet her" wait_screen k "Любая клавиша"
go k "Главное меню" Enter
go k "Входящие" m
go k "Кому \(логин\)" w
term_type k "хаб"
check "KOI8-R: a surname's beginning lists her by name" \
    wait_screen k "^ +Гульназ Хабибуллина \(koord\)"
term_keys k Tab
check "KOI8-R: Tab puts her login in the field" \
    wait_screen k "Кому \(логин\) +koord, _"
term_keys k Enter
fill k "Ёлка в школе"
check "KOI8-R: the editor is for her" wait_screen k "Кому: koord"
term_type k "Приходите."
term_keys k C-x
check "KOI8-R: the letter is sent" wait_screen k "Письмо отправлено\."
check "KOI8-R: she has it, its subject as typed" \
    [ "$(letters koord 'Ёлка в школе')" = 1 ]

sanitizer_check
done_testing
