#!/bin/bash
# The file library: upload with OpenSSH sftp, describe in the UI, approve
# and recommend as an expert, download by another user byte-identical;
# the card's command line works as shown; a pending item is invisible to
# others; search in the UI (word forms, file names, sections, the card on
# Enter) and with parta-sysop library search; no path leaves the tree;
# CP1251, NFD and control-character names; nobody writes into /library
# or another's folder.
. "$(dirname "$0")/lib.sh"

start_partad "public_host 127.0.0.1" || exit 1
lib_user anna
lib_user boris
lib_user elena expert
sysop library section add math 'Математика' >/dev/null
sysop library section add tatar 'Татар теле' --approval >/dev/null

head -c 200000 /dev/urandom >"$T/plan.bin"
printf 'Әлифба: а ә б в\n' >"$T/alifba.txt"
cd "$T" || exit 1

# Upload into one's own folder, which is also where a session starts.
cat >"$T/up.batch" <<EOF
pwd
put plan.bin
put alifba.txt Әлифба.txt
ls -l
EOF
out=$(sftp_as anna "$T/up.batch")
check "sftp starts in the upload folder" grep -q "Remote working directory: /upload" <<<"$out"
check "the uploads are listed with their sizes" grep -qE "200000 .* plan.bin" <<<"$out"
check "a Tatar file name is kept" grep -q "Әлифба.txt" <<<"$out"

# Nobody else sees anna's uploads.
printf 'ls -l /upload\n' >"$T/ls.batch"
out=$(sftp_as boris "$T/ls.batch")
check "another teacher's upload folder does not show anna's files" \
    sh -c "! grep -q plan.bin <<'EOT'
$out
EOT"

# Describe plan.bin in the UI: section math, grades, tags.
login_menu a anna anna-secret
term_keys a i
check "the main menu leads to the library" wait_screen a "Моя папка загрузок"
term_keys a u
check "the upload folder lists the uploads" wait_screen a "plan.bin"
check "with their sizes" wait_screen a "195 КБ"
# Sorted by name: plan.bin comes first.
term_keys a Enter
check "describing starts with the section" wait_screen a "Выберите рубрику"
term_keys a Enter
check "then the form, titled from the file name" wait_screen a "Описание файла"
fill a " по дробям"
fill_text a "Поурочный план, 5 класс"
fill a "5-6" "Дроби, план"
check "the item is added" wait_screen a "Добавлено в библиотеку"
term_keys a Enter
term_keys a Escape
check "the upload has left the upload folder" \
    sh -c "! ls '$D/uploads/'*/plan.bin 2>/dev/null"

# The other file goes to the section with approval.
go a "Әлифба.txt" u
go a "Выберите рубрику" Enter
go a "Описание файла" Down Enter
term_keys a Enter
# A description of several lines: the field opens the editor (issue 15).
term_type a "Д"
check "the description is written in the editor" \
    wait_screen a "Можно в несколько строк.  Ctrl-X — назад к анкете."
term_type a "ля первоклассников."
term_keys a Enter
term_type a "Буквы и звуки."
term_keys a C-x
check "back in the form, the field shows its lines joined" \
    wait_screen a "Для первоклассников. Буквы и звуки\."
term_keys a Enter
fill a "1" "әлифба"
check "an item in a section with approval waits" wait_screen a "ждёт одобрения эксперта"
term_keys a Enter Escape Escape q

# boris downloads the approved item, byte for byte.
cat >"$T/get.batch" <<EOF
ls /library
ls /library/math
get /library/math/plan.bin got.bin
EOF
out=$(sftp_as boris "$T/get.batch")
check "the library lists its sections" grep -q "tatar" <<<"$out"
check "and the item's file in its section" grep -q "plan.bin" <<<"$out"
check "another user downloads it byte-identical" cmp -s "$T/plan.bin" "$T/got.bin"

# The pending item: invisible to boris, in listing and by name.
printf 'ls /library/tatar\n' >"$T/ls2.batch"
out=$(sftp_as boris "$T/ls2.batch")
check "a pending item is not listed to others" \
    sh -c "! grep -q Әлифба <<'EOT'
$out
EOT"
printf 'get /library/tatar/Әлифба.txt x.txt\n' >"$T/get2.batch"
out=$(sftp_as boris "$T/get2.batch")
check "nor can they fetch it by name" grep -q "not found" <<<"$out"

# The card shows the command line; run it as shown.
login_menu b boris boris-secret
go b "По классам" i
go b "Класс" g
fill b "6"
check "browsing by grade finds the item" wait_screen b "plan по дробям"
term_keys b Enter
check "the card shows the description" wait_screen b "Поурочный план, 5 класс"
check "the card shows the author" wait_screen b "anna \(anna\)"
check "the card shows the size" wait_screen b "195 КБ"
check "the card shows the tags" wait_screen b "дроби,план"
want="sftp -P $PORT boris@127.0.0.1:/ascii/math/plan.bin"
check "the card shows the exact sftp command" wait_screen b "$want"
check "and an scp command" wait_screen b "scp -P $PORT 'boris@127.0.0.1:/library/math/plan.bin' \."
mkdir -p "$T/dl" && cd "$T/dl" || exit 1
# The command as shown, with only the test's private key and known hosts.
"${CLIENT_ENV[@]}" sftp -o UserKnownHostsFile="$T/known_hosts" \
    -o IdentityFile="$T/id_ed25519" -o IdentitiesOnly=yes -o BatchMode=yes \
    ${want#sftp } >/dev/null 2>&1
check "the shown sftp command downloads the file" cmp -s "$T/plan.bin" "$T/dl/plan.bin"
cd "$T" || exit 1
go b "По меткам" Escape Escape
go b "Метка" t
fill b "ДРОБИ"
check "browsing by tag finds it, whatever the case" wait_screen b "plan по дробям"
term_keys b Escape

# Search the library: another form of a word finds the item, Enter opens
# its card.  libsearch NAME QUERY [SECTION AUTHOR FROM TO] fills the
# form, each field cleared first.
libsearch() {
	local name=$1 v i=0; shift
	for v in "$1" "${2:-}" "${3:-}" "${4:-}" "${5:-}"; do
		term_keys "$name" C-u
		[ -n "$v" ] && term_type "$name" "$v"
		i=$((i + 1))
		# Tab down; Enter on the words would search at once.
		if [ $i -lt 5 ]; then term_keys "$name" Tab; else term_keys "$name" Enter; fi
	done
}
check "the library menu offers search on f" wait_screen b "f  Поиск в библиотеке"
term_keys b f
check "the library search form asks for a section" \
    wait_screen b "Рубрика \(необязательно\)"
libsearch b "ДРОБЬ"
check "another form of a word finds the item" wait_screen b "plan по дробям"
check "one item is found" wait_screen b "Поиск: найдено 1"
check "the hit shows the section and the uploader" \
    wait_screen b "Математика +plan по дробям +anna"
check "and a line of the description" wait_screen b "Поурочный план, 5 класс"
term_keys b Enter
check "Enter opens the item's card" wait_screen b "Материал библиотеки"
check "the card is the item's, with its command line" wait_screen b "$want"
term_keys b Escape
check "Esc comes back to the hits" wait_screen b "Поиск: найдено 1"
term_keys b Escape
check "Esc again returns to the form with the query kept" \
    wait_screen b "Что искать +ДРОБЬ"
libsearch b "bin"
check "a word of the file name finds the item" wait_screen b "plan по дробям"
term_keys b Escape
libsearch b "первоклассников"
check "an item waiting for approval is not found by another teacher" \
    wait_screen b "В библиотеке ничего не найдено"
libsearch b "дроби" "Татар теле"
check "the section filter leaves out other sections" \
    wait_screen b "В библиотеке ничего не найдено"
libsearch b "дроби" "MATH"
check "a section is also named by its tag" wait_screen b "Поиск: найдено 1"
term_keys b Escape
libsearch b "дроби" "физика"
check "an unknown section is named" wait_screen b "нет такой рубрики библиотеки"
term_keys b Escape
check "Esc leaves the search for the library menu" wait_screen b "По меткам"
term_keys b q

# The console searches every item, pending ones too.
out=$(sysop library search дробям 2>&1)
check "parta-sysop library search prints the item" \
    grep -qE "^ *[0-9]+ +math +plan по дробям +anna +[0-9-]+ [0-9:]+ +Поурочный план" <<<"$out"
out=$(sysop library search поурочные 2>&1)
check "with the found words marked" grep -q "\[\[Поурочный\]\] план" <<<"$out"
out=$(sysop library search первоклассников --section tatar 2>&1)
check "the console finds a pending item" grep -q "tatar .*Әлифба .*anna" <<<"$out"
out=$(sysop library search первоклассников --section 'Математика' 2>&1)
check "--section limits it to a section, named by its title too" \
    grep -q "Ничего не найдено" <<<"$out"
if out=$(sysop library search дроби --section nosuch 2>&1); then
	not_ok "an unknown section makes library search fail"
else
	ok "an unknown section makes library search fail"
fi
check "saying so" grep -q "рубрика «nosuch»: нет такой рубрики" <<<"$out"

# The expert approves and recommends in the UI.
login e elena elena-secret
# What waits for her comes first (t-waiting.sh); on to the main menu.
wait_screen e "1 +Материалы библиотеки ждут одобрения" >/dev/null
go e "Главное меню" Escape
go e "Ждут одобрения" i
term_keys e a
check "the expert sees the pending item" wait_screen e "\? Әлифба"
go e "a одобрить" Enter
term_keys e a
check "the expert approves it" wait_screen e "Материал одобрен"
go e "r рекомендовать" Enter
go e "Отзыв" r
fill e "Хорошая азбука для 1 класса"
check "and recommends it" wait_screen e "отмечен как рекомендованный"
term_keys e Enter
check "the card says who recommended it" wait_screen e "да, elena: Хорошая азбука"
term_keys e Escape Escape q

# Comments: a thread on the board "library", one per item.
login_menu c boris boris-secret
go c "Рубрики" i
go c "Татар теле" s
go c "Әлифба" Down Enter
go c "w написать комментарий" Enter
check "the card shows the description's lines as written" \
    wait_screen c "^  Буквы и звуки\.$"
term_keys c Enter
check "an item without comments says so" wait_screen c "Комментариев пока нет"
go c "\^X отправить" Enter w
check "a comment is written in the editor, saying where it goes" \
    wait_screen c "Материал: Әлифба"
term_type c "Спасибо, берём в 1 класс."
term_keys c Enter
term_type c "Вторая строка отзыва."
term_keys c C-x
check "a comment is written and shown in its thread" \
    wait_screen c "^Спасибо, берём в 1 класс\.$"
check "with its second line" wait_screen c "^Вторая строка отзыва\.$"
term_keys c Escape
check "the card counts the comments" wait_screen c "Комментарии: +1"
term_keys c Escape Escape Escape q
check "the comments live on the board library" \
    sh -c "'$B/parta-sysop' -d '$D' board list | grep -q '^library'"

out=$(sftp_as boris "$T/get2.batch")
check "once approved, others download it" grep -qx 'Әлифба: а ә б в' "$T/x.txt"
printf 'get /ascii/tatar/Alifba.txt y.txt\n' >"$T/get3.batch"
out=$(sftp_as boris "$T/get3.batch")
check "also by its ASCII name" cmp -s "$T/alifba.txt" "$T/y.txt"
check "downloads are counted" \
    sh -c "'$B/parta-sysop' -d '$D' library list | grep -E 'recommended|рекомендован' | grep -qE ' 2 +Әлифба'"
check "each download is logged with who and when, for the growth report" \
    [ "$(db "select count(*), min(u.login) from library_downloads d
	join users u on u.id = d.user_id join library_items i on i.id = d.item_id
	where instr(i.title, 'Әлифба') > 0 and d.at > 0")" = "2|boris" ]

# Paths that try to leave the tree.
touch "$T/evil.txt"
for p in "../../etc/evil.txt" "/etc/evil.txt" "/library/math/evil.txt" \
    "/library/evil.txt" "/evil.txt" "/uploads/1/evil.txt" \
    "/upload/../uploads/1/evil.txt"; do
	printf 'put evil.txt %s\n' "$p" >"$T/p.batch"
	out=$(sftp_as boris "$T/p.batch")
	check "put to $p is refused" grep -qE "denied|not found|Failure|No such" <<<"$out"
done
printf 'get /etc/passwd pw\nget ../../../../etc/passwd pw\n' >"$T/p.batch"
out=$(sftp_as boris "$T/p.batch")
check "/etc/passwd cannot be read" test ! -e "$T/pw"
printf 'mkdir /upload/sub\n' >"$T/p.batch"
out=$(sftp_as boris "$T/p.batch")
check "no folders can be made" grep -q "Permission denied" <<<"$out"
check "nothing appeared outside the data directory" test ! -e /etc/evil.txt
check "nor in the library's blobs" sh -c "! ls '$D/files' | grep -q evil"

# Names: CP1251 bytes, NFD, a control character.
printf 'x' >"$T/n.txt"
printf 'put n.txt "\xcf\xeb\xe0\xed.txt"\nput n.txt "\xd0\xb8\xcc\x86.txt"\nput n.txt "\xd0\xb9.txt"\nls -1\n' >"$T/names.batch"
out=$(sftp_as boris "$T/names.batch")
check "a CP1251 name is stored as UTF-8" grep -qx "План.txt" <<<"$out"
check "an NFD name is stored as NFC" grep -qx "й.txt" <<<"$out"
check "names differing only in NFC/NFD are one file" \
    test "$(grep -cx "й.txt" <<<"$out")" = 1
# A zero width space (U+200B) would make two names look the same.
printf 'put n.txt "\xd0\x9f\xd0\xbb\xe2\x80\x8b\xd0\xb0\xd0\xbd.txt"\nls -1\n' >"$T/zw.batch"
out=$(sftp_as boris "$T/zw.batch")
check "a zero width space is dropped from a file name: one План.txt" \
    test "$(grep -cx "Пл.*ан.txt" <<<"$out")" = 1
printf 'put n.txt "a\001b.txt"\n' >"$T/ctl.batch"
out=$(sftp_as boris "$T/ctl.batch")
check "a name with a control character is refused" grep -q "Failure" <<<"$out"
check "and nothing is made of it" sh -c "! ls '$D/uploads/'*/ | grep -q 'ab.txt'"

# A teacher cannot remove or rename in the library.
printf 'rm /library/math/plan.bin\n' >"$T/p.batch"
out=$(sftp_as boris "$T/p.batch")
check "removing from the library is refused" grep -q "denied" <<<"$out"
printf 'rename /library/math/plan.bin /upload/mine.bin\n' >"$T/p.batch"
out=$(sftp_as boris "$T/p.batch")
check "renaming out of the library is refused" grep -q "denied" <<<"$out"
check "the library file is still there" \
    sh -c "'$B/parta-sysop' -d '$D' library list | grep -q plan.bin"

# The sysop imports a file of the server: approved at once, even in a
# section with approval, and fetched over SFTP like any other.
head -c 3000 /dev/urandom >"$T/Приказ №5.bin"
out=$(sysop library add tatar "$T/Приказ №5.bin" --as boris --title "Приказ о ВПР" \
    --description "Сроки проведения" --grades 4-8 --tags "приказ" 2>&1)
check "library add puts a file into the library" grep -q "в библиотеке" <<<"$out"
check "the file imported stays where it was" test -f "$T/Приказ №5.bin"
check "the item is listed as approved, boris's" \
    grep -qE "tatar +одобрен.*Приказ №5.bin +Приказ о ВПР" <<<"$(sysop library list)"
printf 'get "/library/tatar/Приказ №5.bin" %s/got.bin\n' "$T" >"$T/g.batch"
sftp_as anna "$T/g.batch" >/dev/null
check "another teacher downloads it, byte for byte" cmp -s "$T/Приказ №5.bin" "$T/got.bin"
if out=$(sysop library add tatar "$T/Приказ №5.bin" --as boris 2>&1); then
	not_ok "library add without --title fails"
else
	ok "library add without --title fails"
fi
check "saying what is missing" grep -q -- "--title" <<<"$out"
if out=$(sysop library add tatar "$T/nonexistent.pdf" --as boris --title x 2>&1); then
	not_ok "library add of a missing file fails"
else
	ok "library add of a missing file fails"
fi
check "naming the file" grep -q "nonexistent.pdf: нет такого файла" <<<"$out"

done_testing
