#!/bin/sh
# The man pages are valid mdoc, and partad.conf(5) documents exactly the
# keys partad knows (partad -T prints them).
top=$(cd "$(dirname "$0")/.." && pwd)
n=0
for m in "$top"/man/*.[1-9]; do
	n=$((n + 1))
	if out=$(mandoc -Tlint -Wwarning "$m" 2>&1) && [ -z "$out" ]; then
		echo "ok $n - mandoc -Tlint $(basename "$m")"
	else
		echo "not ok $n - mandoc -Tlint $(basename "$m")"
		echo "$out" | sed 's/^/# /'
	fi
done
keys=$("$PARTA_BUILD/partad" -T 2>/dev/null | awk '{print $1}' | sort)
doc=$(sed -n 's/^\.It Cm \([a-z_]*\).*/\1/p' "$top/man/partad.conf.5" | sort)
n=$((n + 1))
if [ -n "$keys" ] && [ "$keys" = "$doc" ]; then
	echo "ok $n - partad.conf.5 documents every key of partad -T"
else
	echo "not ok $n - partad.conf.5 documents every key of partad -T"
	printf "%s\n" "$keys" >"${TMPDIR:-/tmp}/keys.$$"
	printf "%s\n" "$doc" | diff "${TMPDIR:-/tmp}/keys.$$" - | sed 's/^/# /'
	rm -f "${TMPDIR:-/tmp}/keys.$$"
fi
