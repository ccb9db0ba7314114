#!/bin/bash
# t-report.sh: the growth report of parta-sysop ("report --from --to
# --by").  The test fills a store with known activity at known dates
# (through the console's own commands, then moved in time with sqlite3),
# and checks the figures the console prints, its charts, and its CSV
# read back by sqlite3's own CSV parser.  Prints TAP.
#
#   PARTA_BUILD=build bash tests/e2e/t-report.sh
#
# Days are counted in local time: fix it, for the console and sqlite3.
CONSOLE_NAME=t-report
CONSOLE_ENV=(TZ=UTC)
export TZ=UTC
. "$(dirname "$0")/console.sh"
trap 'rm -rf "$tmp"' EXIT
# when 'YYYY-MM-DD': that day's noon, as the store keeps times.
when() { echo "strftime('%s', '$1 12:00')"; }

[ -x "$SYSOP" ] || { echo "not ok 1 - $SYSOP is built"; exit 1; }

# --- a community with known activity ---------------------------------------
# Week of 2026-03-02: anna joins and starts a thread on math.
# Week of 2026-03-09: boris (a member since February) starts one on tatar;
#   anna writes a letter and downloads a file.
# Week of 2026-03-16: boris puts a file into the library.
# vera applied and was rejected: she is no member, new or old.
for u in anna boris; do
	en user add $u --role teacher --password-stdin <<<'correct horse'
done
en user add vera --role pending --password-stdin <<<'correct horse'
en user reject vera "не учитель"
en board add math Математика
en board add tatar 'Татар теле'
echo "Как объяснить дроби?" | en post math --as anna --subject "Дроби"
echo "Әлифба" | en post tatar --as boris --subject "Әлифба"
echo "Здравствуйте!" | en broadcast --as anna --subject "Привет"
en library section add docs Документы
echo "план" >"$tmp/plan.txt"
en library add docs "$tmp/plan.txt" --as boris --title "План урока"
check "the community is set up" '[ $rc = 0 ]'
db "UPDATE users SET school = 'Школа №1, Арск', approved_at = $(when 2026-03-02)
	WHERE login = 'anna';
    UPDATE users SET school = 'Гимназия 2', approved_at = $(when 2026-02-01)
	WHERE login = 'boris';
    UPDATE users SET school = 'Гимназия 2' WHERE login = 'vera';
    UPDATE threads SET created_at = $(when 2026-03-03) WHERE subject = 'Дроби';
    UPDATE posts SET created_at = $(when 2026-03-03) WHERE subject = 'Дроби';
    UPDATE threads SET created_at = $(when 2026-03-10) WHERE subject = 'Әлифба';
    UPDATE posts SET created_at = $(when 2026-03-10) WHERE subject = 'Әлифба';
    UPDATE mail SET created_at = $(when 2026-03-11);
    UPDATE library_items SET created_at = $(when 2026-03-17);
    INSERT INTO library_downloads(item_id, user_id, at) SELECT i.id, u.id,
	$(when 2026-03-12) FROM library_items i, users u WHERE u.login = 'anna';"

# --- the report in the console ---------------------------------------------
en report --from 2026-03-02 --to 2026-03-22 --by week
said "the report names its span" \
    "The community from 2026-03-02 to 2026-03-22, by week:"
check "one row per week: anna joined and posted in the first" \
    'grep -qE "^  2026-03-02 +1 +2 +1 +1 +1 +0 +0 +0$" "$out"'
check "the second: boris posted, anna wrote and downloaded (2 active)" \
    'grep -qE "^  2026-03-09 +2 +2 +0 +1 +1 +1 +0 +1$" "$out"'
check "the third: boris uploaded" \
    'grep -qE "^  2026-03-16 +1 +2 +0 +0 +0 +0 +1 +0$" "$out"'
check "the total counts each participant once" \
    'grep -qE "^  total +2 +2 +1 +2 +2 +1 +1 +1$" "$out"'
check "a chart of active participants, the longest bar for the busiest week" \
    'sed -n "/^Active participants:/,/^$/p" "$out" >"$tmp/chart" &&
     grep -qE "^  2026-03-09  #{40} 2$" "$tmp/chart" &&
     grep -qE "^  2026-03-02  #{20} 1$" "$tmp/chart"'
check "by board: a board has no letters of its own" \
    'grep -qE "^  math +1 +— +— +1 +1 +— +— +—$" "$out" &&
     grep -qE "^  tatar +1 +— +— +1 +1 +— +— +—$" "$out"'
check "by school: the rejected applicant is no member of hers" \
    'grep -qE "^  Гимназия 2 +1 +1 +0 +1 +1 +0 +1 +0$" "$out" &&
     grep -qE "^  Школа №1, Арск +1 +1 +1 +1 +1 +1 +0 +1$" "$out"'

en report --from 2026-03-01 --to 2026-04-30 --by month --board math
check "by month, for one board" \
    '[ $rc = 0 ] && grep -qE "^  2026-03 +1 +— +— +1 +1 +— +— +—$" "$out" &&
     grep -qE "^  2026-04 +0 +— +— +0 +0 +— +— +—$" "$out" &&
     ! grep -q "^  tatar" "$out"'

en report --from 2026-03-02 --to 2026-03-22 --school 'школа'
check "for one school, found by part of its name in any case" \
    '[ $rc = 0 ] && grep -qE "^  total +1 +1 +1 +1 +1 +1 +0 +1$" "$out" &&
     ! out_has "Гимназия"'

en report --days 3660
check "the summary counts the rejected applicant neither as an account nor as new" \
    '[ $rc = 0 ] && grep -qE "^  accounts: 2, logged in: 0; new: 2; awaiting approval: 0$" "$out"'

en report --from 2026-03-22 --to 2026-03-02
refused "a span that ends before it starts is refused" \
    "--from must not be after --to"
en report --from 2026-3-x
refused "a bad date is refused" "--from:"
en report --by year
refused "a bad --by is refused" "--by: week or month"
en report --board nosuch --from 2026-03-02
refused "an unknown board is named" "no board named \"nosuch\""
en report --days 7 --csv
refused "--days is the summary's alone" \
    "--days goes with none of the other options"

ru report --from 2026-03-02 --to 2026-03-22
check "in Russian, column heads too" \
    '[ $rc = 0 ] && out_has "Сообщество с 2026-03-02 по 2026-03-22, по неделям:" &&
     grep -qE "^  ПЕРИОД +АКТИВНЫХ +УЧАСТНИКОВ +НОВЫХ +СООБЩЕНИЙ +ТЕМ +ПИСЕМ +ЗАГРУЗОК +СКАЧИВАНИЙ$" "$out" &&
     grep -qE "^  всего +2 " "$out" && out_has "Активные участники:"'

# --- CSV, read back --------------------------------------------------------
en report --from 2026-03-02 --to 2026-03-22 --by week --csv
cp "$out" "$tmp/r.csv"
q() { sqlite3 -cmd ".import --csv $tmp/r.csv r" :memory: "$1"; }
check "CSV: one header, three weeks, a total, two boards, two schools" \
    '[ $rc = 0 ] && [ "$(q "SELECT group_concat(kind) FROM r")" = \
     "period,period,period,total,board,board,school,school" ]'
check "CSV: the weeks add up to the total where counts add up" \
    '[ "$(q "SELECT sum(posts), sum(threads), sum(letters), sum(uploads),
	sum(downloads), sum(new_members) FROM r WHERE kind = '\''period'\''")" = \
     "$(q "SELECT posts, threads, letters, uploads, downloads, new_members
	FROM r WHERE kind = '\''total'\''")" ]'
check "CSV: the figures of a week and its dates" \
    '[ "$(q "SELECT name, \"from\", \"to\", active, downloads FROM r
	WHERE kind = '\''period'\'' AND name = '\''2026-03-09'\''")" = \
     "2026-03-09|2026-03-09|2026-03-15|2|1" ]'
check "CSV: a school with a comma is one field; a board leaves letters empty" \
    '[ "$(q "SELECT letters FROM r WHERE name = '\''Школа №1, Арск'\''")" = 1 ] &&
     [ "$(q "SELECT quote(letters) FROM r WHERE name = '\''math'\''")" = "'\'''\''" ]'

db "UPDATE users SET school = '=HYPERLINK(\"x\")' WHERE login = 'boris'"
en report --from 2026-03-02 --to 2026-03-22 --csv
check "CSV: a school a spreadsheet would run as a formula is quoted as text" \
    'grep -qF "school,\"'\''=HYPERLINK(\"\"x\"\")\"," "$out"'

echo "1..$n"
[ "$failed" = 0 ]
