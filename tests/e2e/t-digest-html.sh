#!/bin/bash
# digest export --format html: one file the school's browser opens
# (issue 13).  Headless Chromium (Debian chromium) parses it from disk:
# the DOM text holds the Cyrillic as written (no mojibake, so the file
# says its own encoding), no script and nothing fetched from elsewhere.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/digest-fmt.sh"

# Debian's chromium, unpacked beside luit by "make deps-test"
# (tests/browser.sh), or installed.
chromium=$TOP/build/chromium/root/usr/lib/chromium/chromium
[ -x "$chromium" ] || chromium=$(command -v chromium) || {
	ok "# SKIP no chromium: make deps-test unpacks it into build/chromium"
	done_testing
	exit
}
digest_fmt_setup "Ёлки" \
    "Сколько ёлок в лесу у школы? <b>не жирно</b>"
check "digest export --format html writes the page" \
    sysop digest export --user anna --days 30 --format html -o "$OUT/anna.html"

# Chromium refuses its sandbox as root; a home of its own for its profile.
HOME=$T/chrome timeout 120 "$chromium" --headless --no-sandbox --disable-gpu \
    --dump-dom "file://$OUT/anna.html" >"$T/dom.html" 2>"$T/chrome.err"
check "chromium opens the file" test -s "$T/dom.html" ||
    diag <"$T/chrome.err"
dom=$(cat "$T/dom.html")
has() { grep -qF -- "$1" <<<"$dom"; }
check "the board's title is Cyrillic in the DOM" has ">Математика</h2>"
check "the thread and the post's text" has "Сколько ёлок в лесу у школы?"
check "who wrote it" has "Борис Петров"
check "her name in the heading" has "Анна Иванова (anna)"
check "no mojibake (UTF-8 read as Latin-1 would show Ð)" \
    sh -c '! grep -q "Ð" "$1"' sh "$T/dom.html"
check "the post's markup is text, not markup" has "&lt;b&gt;не жирно&lt;/b&gt;"
check "no script" sh -c '! grep -qi "<script" "$1"' sh "$T/dom.html"
check "nothing fetched from elsewhere" \
    sh -c '! grep -qiE "(src|href)=\"(https?:)?//" "$1"' sh "$T/dom.html"
done_testing
