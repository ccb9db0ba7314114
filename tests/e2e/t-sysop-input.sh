#!/bin/bash
# What the console reads: text from a Windows file (CRLF line ends,
# tabs) is taken by post, news and broadcast, and a character it still
# refuses is named with its line; "library add" publishes regular files
# only, and no system, data-directory or private file without --force.
. "$(dirname "$0")/lib.sh"

start_partad || exit 1
add_user anna teacher "Анна Иванова" "anna-secret"
sysop board add math "Математика" >/dev/null

# --- text from a Windows file -------------------------------------------
printf 'Расписание:\r\n\tПн\t8:30\r\n\tВт\t9:00\r\nДо встречи!\r\n' >"$T/notice.txt"
out=$(sysop post math --as anna --subject "Расписание" <"$T/notice.txt" 2>&1)
check "post takes a Windows file with CRLF and tabs" \
    grep -q "тема 1" <<<"$out"
body=$(db "select body from posts")
check "no CR or tab is stored" \
    sh -c "! printf '%s' \"\$1\" | grep -q \"\$(printf '[\\r\\t]')\"" _ "$body"
check "a tab becomes spaces to the next 8-column stop" \
    grep -qx "        Пн      8:30" <<<"$body"
login_menu a anna anna-secret
go a "Математика" b
go a "w новая тема" Enter
term_keys a Enter
check "the pager shows the columns as the file had them" \
    wait_screen a "^        Пн      8:30 *$"
check "and the next line in step" wait_screen a "^        Вт      9:00 *$"
term_keys a Escape Escape Escape
# (after the login above: news and letters are shown at login)
out=$(sysop news --subject "Расписание" <"$T/notice.txt" 2>&1)
check "so does news" test $? -eq 0
out=$(sysop broadcast --subject "Расписание" <"$T/notice.txt" 2>&1)
check "and broadcast" test $? -eq 0
check "news and the letter are stored as the post is" \
    test "$(db "select count(*) from news where body = (select body from posts)
    union all select count(*) from mail where body = (select body from posts)")" = "1
1"

printf 'one\r\ntwo\r\nthree \033[31mred\r\n' >"$T/bad.txt"
out=$(sysop post math --as anna --subject "Цвет" <"$T/bad.txt" 2>&1)
check "an escape sequence is refused with its line and its name" \
    grep -qF "текст: строка 3: управляющий символ U+001B (ESC)" <<<"$out"
printf 'Привет\n\nКак дела \xc2\x9b?\n' | sysop news --subject "C1" >"$T/out" 2>&1
check "a C1 control is named too" \
    grep -qF "текст: строка 3: управляющий символ U+009B (CSI)" "$T/out"
printf 'ok\nпривет по-виндовому: \xcf\xf0\xe8\n' |
    sysop broadcast --subject "CP1251" >"$T/out" 2>&1
check "a byte that is not UTF-8 is named, with a hint" \
    grep -qF "текст: строка 2: байт 0xCF — не UTF-8 (перекодируйте файл программой iconv)" "$T/out"
check "a tab in a subject is named" \
    sh -c "echo x | '$B/parta-sysop' -d '$D' news --subject \"\$(printf 'a\\tb')\" 2>&1 |
    grep -qF 'тема: управляющий символ U+0009 (HT)'"

# --- library add --------------------------------------------------------
sysop library section add normy "Нормативные документы" >/dev/null
add() { sysop library add normy "$1" --as anna --title "Документ" "${@:2}" 2>&1; }
printf 'Приказ\n' >"$T/prikaz.txt"
chmod 644 "$T/prikaz.txt"
out=$(sysop library add normy "$T/prikaz.txt" --as anna --title 'Приказ' 2>&1)
check "a regular file others may read is published" grep -q 'в библиотеке' <<<"$out"
out=$(add /etc/passwd)
check "a system file is refused, saying why and how" \
    grep -qF "/etc/passwd: это системный файл: в библиотеку он попадёт только с --force" <<<"$out"
ln -s /etc/passwd "$T/lesson.txt"
out=$(add "$T/lesson.txt")
check "a link to a system file is refused too" grep -q "системный файл" <<<"$out"
out=$(add "$D/ssh_host_ed25519_key.pub" --force)
check "a file of the data directory is refused, even with --force" \
    grep -qF "файлы из каталога данных самой BBS (база, ключ сервера) в библиотеку не попадают" <<<"$out"
ln -s "$D/parta.db" "$T/base.pdf"
out=$(add "$T/base.pdf" --force)
check "so is a link to the store" grep -qF "каталога данных самой BBS" <<<"$out"
mkfifo "$T/fifo"
out=$(add "$T/fifo" --force)
check "a FIFO is refused, even with --force (and does not hang)" \
    grep -qF "это не обычный файл" <<<"$out"
out=$(add /dev/zero --force)
check "a device is refused, even with --force" grep -qF "это не обычный файл" <<<"$out"
out=$(add "$T" --force)
check "a directory is refused" grep -qF "это не обычный файл" <<<"$out"
printf 'Личное\n' >"$T/private.txt"
chmod 600 "$T/private.txt"
# The console's own file (lib.sh runs it as partad's user under root).
[ -n "$PARTAD_USER" ] && chown "$PARTAD_USER" "$T/private.txt"
out=$(add "$T/private.txt")
check "a file others may not read is refused as private" \
    grep -qF "другим пользователям читать этот файл нельзя" <<<"$out"
out=$(add "$T/private.txt" --force)
check "with --force it is published" grep -q "в библиотеке" <<<"$out"
check "nothing refused reached the library" \
    test "$(db "select count(*) from library_items")" = 2
check "help shows --force" sh -c "'$B/parta-sysop' -d '$D' help library add 2>&1 | grep -q -- '--force'"

done_testing
