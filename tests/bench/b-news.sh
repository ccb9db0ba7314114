#!/bin/bash
# b-news.sh: a shared board's post from district A to district B
# through INN (parta-news(8)), A's INN feeding B's by innfeed through
# the relay's gprs profile (40 kbit/s, 500 ms one way).  Measures, for
# N posts of about a kilobyte of Cyrillic (default 5), each posted on A
# after the one before arrived:
#   - the time from the console's post on A to the post in B's store,
#     with both gateways run at once and B's again every 0.2 s (in
#     service the timer adds up to a minute at each end: parta-news
#     runs every minute);
#   - the bytes between the two INN servers per post (both directions,
#     NNTP framing included, from the relay's counts), against the
#     article's size and the post's text compressed (gzip -9).
# The first post, which opens innfeed's connection, is shown apart.
# Prints Markdown rows "| measure | value | goal |"; asserts nothing.
#
#   bash tests/bench/b-news.sh [N_POSTS]
BENCH_N=5 BENCH_USAGE="b-news.sh [N_POSTS]"
. "$(dirname "$0")/bench.sh"
. "$top/tests/e2e/inn.sh"
if ! inn_have; then
	echo "| federation through INN | n/a (inn2 is not installed) | - |"
	exit 0
fi
IA=$T/inn-a IB=$T/inn-b RELAY=
bench_cleanup() {
	[ -n "$RELAY" ] && kill "$RELAY" 2>/dev/null
	inn_stop "$IA"
	inn_stop "$IB"
	rm -rf "$T"
}
trap bench_cleanup EXIT
GROUP=parta.bench.math
PA=$(free_port) PB=$(free_port) LAB=$(free_port)
"$B/tests/parta-relay" -l "$LAB" -t "$PB" -p gprs -o "$T/relay.json" \
    >/dev/null 2>>"$T/relay.log" &
RELAY=$!
inn_setup "$IA" inn-a "$PA" "$GROUP" && inn_feed "$IA" inn-b "$LAB" &&
    inn_setup "$IB" inn-b "$PB" "$GROUP" && inn_start "$IA" "$PA" &&
    inn_start "$IB" "$PB" || { echo "| federation through INN | n/a (INN did not start) | - |"; exit 0; }
for s in a b; do
	mkdir -p "$T/$s"
	[ -n "$PARTAD_USER" ] && chown "$PARTAD_USER" "$T/$s"
	port=$PA; id=kazan-1
	[ $s = b ] && port=$PB id=chally
	printf 'data_dir %s\nnews_identity %s\nnews_server 127.0.0.1:%s\n' \
	    "$T/$s" "$id" "$port" >"$T/$s.conf"
	as_server "$B/parta-news" -f "$T/$s.conf" -K >"$T/$s.pub"
	as_server "$B/parta-sysop" -d "$T/$s" board add math "Математика" >/dev/null
	as_server "$B/parta-sysop" -d "$T/$s" board share math "$GROUP" >/dev/null
done
as_server sh -c "cat '$T/a.pub' >'$T/b/news_peers'"
echo "bench-secret-1" | as_server "$B/parta-sysop" -d "$T/a" user add gulnara \
    --role teacher --name "Гульнара Сафина" --password-stdin >/dev/null
count_b() { sqlite3 -cmd '.timeout 5000' "$T/b/parta.db" \
    "SELECT count(*) FROM posts WHERE foreign_login IS NOT NULL"; }
relay_bytes() {
	kill -USR1 "$RELAY"
	poll 50 test "$(grep -c '"event":"stats"' "$T/relay.json")" -ge "$1"
	grep '"event":"stats"' "$T/relay.json" | tail -1 |
	    sed 's/.*"up":\([0-9]*\),"down":\([0-9]*\).*/\1 \2/' |
	    awk '{ print $1 + $2 }'
}
text() {
	printf 'Пост %s. Коллеги, на уроке о дробях в пятом классе я делю пирог на восемь равных частей, и каждая часть называется долей. Потом мы считаем, сколько долей съели, и записываем это дробью: три восьмых, пять восьмых. Дети запоминают лучше, когда держат доли в руках. Ещё помогают ёлочные игрушки: из двенадцати шаров четыре красных, какая это часть? А как объясняете вы? Особенно трудно с делением дробей: переворачивать вторую дробь ребята соглашаются, но не понимают, почему. Буду рада вашим приёмам и задачам.\n' "$1"
}
# post I: post on A, run both gateways until it is on B; prints ms.
post() {
	local want=$1 t0 i
	t0=$(date +%s%3N)
	text "$want" | as_server "$B/parta-sysop" -d "$T/a" post math \
	    --as gulnara --subject "Дроби, пост $want" >/dev/null
	as_server "$B/parta-news" -f "$T/a.conf" >>"$T/news.log" 2>&1
	for ((i = 0; i < 600; i++)); do
		as_server "$B/parta-news" -f "$T/b.conf" >>"$T/news.log" 2>&1
		[ "$(count_b)" -ge "$want" ] && break
		sleep 0.2
	done
	echo $(($(date +%s%3N) - t0))
}
first=$(post 1)
b0=$(relay_bytes 1)
: >"$T/ms"
for ((k = 2; k <= n + 1; k++)); do post "$k" >>"$T/ms"; done
b1=$(relay_bytes 2)
ms=$(sort -n "$T/ms" | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }')
per=$(( (b1 - b0) / n ))
art=$(find "$IB/spool/articles" -type f | head -1 | xargs wc -c | awk '{ print $1 }')
gz=$(text 2 | gzip -9 | wc -c)
raw=$(text 2 | wc -c)
echo "| federation: post on A to B's store through gprs, first post (opens innfeed's link) | $first ms | - |"
echo "| federation: post on A to B's store through gprs (median of $n, gateways run at once) | $ms ms | ≤ timer + 10 s |"
echo "| federation: bytes between the INNs per post (both ways) | $per B; article $art B, text $raw B, gzip -9 $gz B | ≤ 3 × article |"
