#!/bin/bash
# Events through OpenSSH in tmux: a coordinator plans a seminar with one
# place from her board's calendar; one teacher signs up, a second goes
# on the waiting list; the organiser sees who comes; the first cancels
# and the second moves up, told by letter; at login he is reminded of
# tomorrow's seminar; over SFTP his calendar file /events/mine.ics is
# read back by Python's icalendar; the console cancels the event and he
# gets the letter, and the calendar file says CANCELLED.  Times are
# Moscow time (the server's TZ), stored and exported in UTC.  The console
# lists the event, shows who comes and edits it (a letter says what changed).
. "$(dirname "$0")/lib.sh"

export TZ=Europe/Moscow
start_partad || exit 1
add_teachers anna koord
lib_user boris
sysop board add math "Математика" >/dev/null
sysop board coordinator math koord >/dev/null
day=$(date -d tomorrow +%d.%m.%Y)
iso=$(date -d tomorrow +%Y-%m-%d)

# The coordinator plans it from the board's calendar.
login_menu k koord koord-secret-1
go k "Разделы" b
go k "Мероприятия: этот месяц" Enter e
check "a coordinator may plan events on her board" wait_screen k "n новое"
go k "Новое мероприятие" n
fill k 1 "Дроби в 5 классе" "$day 10:00" 60 "Кабинет 12" 1 \
    "Разбор олимпиадных задач"
check "the event is planned" wait_screen k "Мероприятие назначено"
term_keys k Enter a
check "and listed in the calendar, with its one place" \
    wait_screen k "$day 10:00 +Дроби в 5 классе +свободно 1"
check "the store keeps the time in UTC (07:00Z is 10:00 in Moscow)" \
    test "$(db "SELECT datetime(starts_at, 'unixepoch') FROM events")" = "$iso 07:00:00"

# A teacher signs up from the main menu's calendar.
login_menu a anna anna-secret-1
go a "Мероприятия" v
pick a "Дроби в 5 классе" a
check "the card says when and where" \
    wait_screen a "Когда: $day 10:00 \(60 мин\.\)"
check "and offers to sign up" wait_screen a "s записаться"
term_keys a s
check "she is signed up" wait_screen a "Вы записаны"

# A second one, past the cap, waits.
login_menu b boris boris-secret
go b "Мероприятия" v
go b "Дроби в 5 классе" a
term_keys b Enter s
check "past the cap he goes on the waiting list" \
    wait_screen b "Все места заняты: вы в листе ожидания"
term_keys b Enter
check "his card offers to cancel, no more to sign up" \
    wait_screen b "c отменить запись"
term_keys b Escape
check "the list shows he waits" wait_screen b "Дроби в 5 классе +ждёт"

# The organiser sees who comes.
go k "Дроби в 5 классе" Enter
term_keys k p
check "the organiser sees the list, in order" wait_screen k "1\. Имя anna \(anna\)"
check "with the waiting list marked" \
    wait_screen k "2\. boris \(boris\).*\[в листе ожидания\]"
term_keys k Escape

# She cancels; he moves up and is told.
term_keys a Enter c
answer_yes a
check "her place is cancelled" wait_screen a "Ваша запись отменена"
check "he has the place now" \
    test "$(db "SELECT s.waiting FROM event_signups s JOIN users u ON u.id = s.user_id WHERE u.login = 'boris'")" = 0
check "and a letter saying so, in Russian" \
    test "$(db "SELECT m.subject FROM mail m JOIN mail_boxes b ON b.mail_id = m.id JOIN users u ON u.id = b.user_id WHERE u.login = 'boris' AND b.folder = 'inbox'")" = "У вас есть место: Дроби в 5 классе"

# At his next login he is reminded of tomorrow's seminar.
term_kill b
login b2 boris boris-secret
check "the arrival screen reminds him" \
    wait_screen b2 "Завтра в 10:00: семинар «Дроби в 5 классе», Кабинет 12"
term_kill b2

# The console sees the same, and its edit reaches him by letter.
id=$(db "SELECT id FROM events")
out=$(sysop event list)
check "the console lists it with its places taken" \
    grep -Eq "^ +$id +$iso 10:00 +math +семинар +1/1 +0 +Дроби в 5 классе" <<<"$out"
out=$(sysop event show "$id")
check "and shows who comes" grep -q "^boris .*записан(а)" <<<"$out"
out=$(sysop event edit "$id" --place "Кабинет 14")
check "the console changes the place" grep -q "изменено" <<<"$out"
check "he is told, in Russian, that the place changed" grep -q \
    "Изменилось место" <<<"$(db "SELECT m.body FROM mail m WHERE m.subject = 'Мероприятие изменено: Дроби в 5 классе'")"

# His calendar file over SFTP, read by a real iCalendar parser.
cat >"$T/ics.batch" <<EOF
ls -1 /events
get /events/mine.ics $T/mine.ics
EOF
out=$(sftp_as boris "$T/ics.batch")
echo "$out" | diag
check "the events folder lists his calendar" grep -q "mine.ics" <<<"$out"
check "and each coming event's own file" \
    grep -q "/events/$(db "SELECT id FROM events")\.ics" <<<"$out"
cat >"$T/ics.py" <<'EOF'
import sys, datetime, icalendar
cal = icalendar.Calendar.from_ical(open(sys.argv[1], 'rb').read())
ev = [c for c in cal.walk('VEVENT')]
assert len(ev) == 1, len(ev)
e = ev[0]
print(e['SUMMARY'])
print(e.decoded('DTSTART').astimezone(datetime.timezone.utc).strftime('%Y-%m-%d %H:%M'))
print(e.decoded('DTEND').astimezone(datetime.timezone.utc).strftime('%H:%M'))
print(e['LOCATION'])
print(e['STATUS'])
print(e['UID'])
EOF
ics=$("${CLIENT_ENV[@]}" python3 "$T/ics.py" "$T/mine.ics" 2>&1)
echo "$ics" | diag
uuid=$(db "SELECT uuid FROM events")
check "icalendar reads the title" test "$(sed -n 1p <<<"$ics")" = "Дроби в 5 классе"
check "the start in UTC" test "$(sed -n 2p <<<"$ics")" = "$iso 07:00"
check "the end an hour later" test "$(sed -n 3p <<<"$ics")" = "08:00"
check "the place, as changed" test "$(sed -n 4p <<<"$ics")" = "Кабинет 14"
check "confirmed" test "$(sed -n 5p <<<"$ics")" = "CONFIRMED"
check "its UID is the event's UUID" test "$(sed -n 6p <<<"$ics")" = "$uuid@parta"

# The console cancels it: he is told, and his calendar says so.
out=$(sysop event cancel "$id" "Ведущий заболел")
check "the console cancels the event" grep -q "отменено" <<<"$out"
check "he gets the cancellation letter" \
    test "$(db "SELECT m.subject FROM mail m JOIN mail_boxes b ON b.mail_id = m.id JOIN users u ON u.id = b.user_id WHERE u.login = 'boris' AND b.folder = 'inbox' ORDER BY m.id DESC LIMIT 1")" = "Мероприятие отменено: Дроби в 5 классе"
check "the letter gives the reason" grep -q "Причина: Ведущий заболел" \
    <<<"$(db "SELECT m.body FROM mail m ORDER BY m.id DESC LIMIT 1")"
check "she, who cancelled her place, gets none" \
    test "$(db "SELECT count(*) FROM mail_boxes b JOIN users u ON u.id = b.user_id WHERE u.login = 'anna'")" = 0
sftp_as boris "$T/ics.batch" >/dev/null
ics=$("${CLIENT_ENV[@]}" python3 "$T/ics.py" "$T/mine.ics" 2>&1)
check "the calendar file now says CANCELLED" test "$(sed -n 5p <<<"$ics")" = "CANCELLED"
out=$(sysop event list --all)
check "the console lists it as cancelled" grep -q "отменено" <<<"$out"

done_testing
