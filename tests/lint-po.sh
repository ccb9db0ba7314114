#!/bin/sh
# Every user-facing string is marked for translation and has a Russian
# translation: the template made from the sources matches share/po, and
# ru.po with its fragments (ru-*.po) has no untranslated or fuzzy entries.
top=$(cd "$(dirname "$0")/.." && pwd)
tmp=$(mktemp -d)
cd "$top" || exit 1
xgettext --from-code=UTF-8 -k_ -kN_ --no-location --sort-output \
    -o "$tmp/parta.pot" common/*.c common/ui/*.c bbs/*.c client/*.c 2>"$tmp/err"
msgcat --use-first share/po/ru.po $(ls share/po/ru-*.po 2>/dev/null) \
    -o "$tmp/ru.po"
msgcmp "$tmp/ru.po" "$tmp/parta.pot" 2>"$tmp/cmp" >/dev/null
if [ ! -s "$tmp/cmp" ]; then
	echo "ok 1 - every message of the sources is in ru.po"
else
	echo "not ok 1 - every message of the sources is in ru.po"
	sed 's/^/# /' "$tmp/cmp" | head -30
fi
stats=$(LC_ALL=C msgfmt --statistics -o /dev/null "$tmp/ru.po" 2>&1)
case $stats in
*untranslated*|*fuzzy*)
	echo "not ok 2 - ru.po is fully translated"; echo "# $stats" ;;
*)	echo "ok 2 - ru.po is fully translated ($stats)" ;;
esac
rm -rf "$tmp"
