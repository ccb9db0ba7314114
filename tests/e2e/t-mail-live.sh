#!/bin/bash
# Mail through OpenSSH at 80x24 (issue 15): the recipient is chosen by
# the beginning of a login or of any word of a name (several candidates
# listed by name, in Russian order), several recipients separated by
# commas; a letter that comes while she is online is told on the status
# line within seconds, "Новое письмо от …", without disturbing what she
# types.  In Russian, and the notice in English too.
. "$(dirname "$0")/lib.sh"

start_partad || exit 1
add_user anna teacher "Анна Иванова" anna-secret-1
add_user koord coordinator "Гульназ Хабибуллина" koord-secret-1
add_user gulshat teacher "Гульшат Исмагилова" gulshat-secret-1
add_user boris teacher "Борис Петров" boris-secret-1
add_user vera teacher "Вера Сергеевна" vera-secret-1
db "UPDATE users SET lang = 'en' WHERE login = 'boris'"
sysop board add math "Математика" >/dev/null
inbox() { db "SELECT count(*) FROM mail_boxes x JOIN users u ON u.id = x.user_id
    WHERE u.login = '$1' AND x.folder = 'inbox'"; }

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
go v "Разделы" b
go v "w новая тема" Enter
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

sanitizer_check
done_testing
