#!/bin/bash
# Federation through INN (parta-news(8)): two districts, kazan-1 (A) and
# chally (B), each a parta store with its own INN server, the two INNs
# linked by innfeed through the relay's gprs profile, one relay each
# way.  B runs partad, whose teacher reads and answers on screen; A's
# writes come from the console.  A post on A appears once on B, in its
# thread, Cyrillic intact, its author "Имя (логин@район)"; a reply on B
# appears on A under it; a link cut for a while loses nothing and
# duplicates nothing once it heals; a post hidden on A disappears on B;
# articles injected into B's INN with a forged origin, a forged cancel
# and an escape sequence are refused, logged and never stored.
#
# Where the test may make network namespaces (root, or CAP_SYS_ADMIN),
# each INN and its gateway live in one of their own, and the relays in a
# third, the link's, joined to each district's by a veth pair: each INN
# then knows the other as a peer at its own address (incoming.conf), not
# as itself.  Nothing of it is in this namespace: the addresses are the
# same in every run, and two runs at once (two builds, two worktrees)
# that put them here would each route the other's replies into the
# wrong namespace, where innfeed's connections wait for a SYN-ACK that
# never comes.
# Where it may not, it says so and runs both INNs on 127.0.0.1, where
# each sees every peer as its own host (incoming.conf's ME); the Path
# header, not the address, keeps articles from going back either way.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/inn.sh"

A=$T/a
IA=$T/inn-a
IB=$T/inn-b
RELAY_AB= RELAY_BA=
NSA=parta-$$-a NSB=parta-$$-b NSL=parta-$$-l NETNS=
# Deleting a namespace deletes its end of a veth pair, and so the pair.
netns_down() {
	ip netns del "$NSA" 2>/dev/null
	ip netns del "$NSB" 2>/dev/null
	ip netns del "$NSL" 2>/dev/null
}
news_cleanup() {
	[ -n "$RELAY_AB" ] && kill "$RELAY_AB" 2>/dev/null
	[ -n "$RELAY_BA" ] && kill "$RELAY_BA" 2>/dev/null
	inn_stop "$IA"
	inn_stop "$IB"
	[ -n "$NETNS" ] && netns_down
	cleanup
}
trap news_cleanup EXIT

if ! inn_have; then
	ok "# SKIP INN is not installed (Debian inn2; make deps-test)"
	done_testing
	exit 0
fi

# netns_up: A's namespace at 10.213.1.2 (the link's side 10.213.1.1),
# B's at 10.213.2.2 (10.213.2.1); the pairs are made in the namespaces.
netns_up() {
	ip netns add "$NSA" 2>"$T/netns.err" && ip netns add "$NSB" &&
	    ip netns add "$NSL" &&
	    ip -n "$NSL" link add to-a type veth peer name wan netns "$NSA" &&
	    ip -n "$NSL" link add to-b type veth peer name wan netns "$NSB" &&
	    ip -n "$NSL" addr add 10.213.1.1/24 dev to-a &&
	    ip -n "$NSL" addr add 10.213.2.1/24 dev to-b &&
	    ip -n "$NSL" link set dev to-a up && ip -n "$NSL" link set dev to-b up &&
	    ip -n "$NSA" addr add 10.213.1.2/24 dev wan &&
	    ip -n "$NSA" link set dev wan up && ip -n "$NSA" link set dev lo up &&
	    ip -n "$NSB" addr add 10.213.2.2/24 dev wan &&
	    ip -n "$NSB" link set dev wan up && ip -n "$NSB" link set dev lo up
}
# "${LINK[@]}" CMD...: CMD where the relays are, the link's namespace if
# any (an array, not a function: a relay started so is no subshell, $!
# is its pid, as ip netns exec execs it).
LINK=()
# PARTA_NEWS_LOOPBACK=1 tries the loopback way where namespaces work.
if [ -z "${PARTA_NEWS_LOOPBACK:-}" ] && netns_up 2>>"$T/netns.err"; then
	NETNS=1
	LINK=(ip netns exec "$NSL")
	inn_netns "$IA" "$NSA"
	inn_netns "$IB" "$NSB"
	# Where each side's relay listens, where it sends, and the
	# address each INN sees its neighbour's articles come from.
	L_AB=10.213.1.1 T_AB=10.213.2.2 L_BA=10.213.2.1 T_BA=10.213.1.2
	PEER_A=10.213.1.1 PEER_B=10.213.2.1
	ok "two network namespaces, one per district"
else
	netns_down
	L_AB=127.0.0.1 T_AB=127.0.0.1 L_BA=127.0.0.1 T_BA=127.0.0.1
	PEER_A= PEER_B=
	why=$(head -1 "$T/netns.err" 2>/dev/null)
	why=${why:+not permitted here ($why)}
	ok "# SKIP network namespaces ${why:-not asked for (PARTA_NEWS_LOOPBACK)}: both INNs on 127.0.0.1"
fi

sysop_a() { as_server "$B/parta-sysop" -d "$A/data" "$@"; }
db_a() { sqlite3 -cmd '.timeout 10000' "$A/data/parta.db" "$@"; }
# news a|b: one run of the gateway of A or B, in its district's
# namespace, its log kept.
news() {
	local dir=$IA cmd=("$B/parta-news" -f "$T/news-$1.conf")
	[ "$1" = b ] && dir=$IB
	[ -n "$PARTAD_USER" ] && cmd=(setpriv --reuid="$PARTAD_USER" \
	    --regid="$(id -g "$PARTAD_USER")" --clear-groups "${cmd[@]}")
	inn_exec "$dir" "${cmd[@]}" >>"$T/news-$1.log" 2>&1
}
# news_until N SIDE CMD...: run SIDE's gateway until CMD holds, at most
# N times, a second apart (INN's feed over gprs takes some).
news_until() {
	local n=$1 side=$2 i; shift 2
	for ((i = 0; i < n; i++)); do
		news "$side"
		"$@" && return 0
		sleep 1
	done
	return 1
}

PA=$(free_port) PB=$(free_port) LAB=$(free_port) LBA=$(free_port)
# A relay prints its port once it listens: the feeds start after that
# (innfeed retries a refused connection, but a test waits for nothing
# it need not).
start_relay_ab() {
	rm -f "$T/relay-ab.port"
	"${LINK[@]}" "$B/tests/parta-relay" -L "$L_AB" -l "$LAB" -T "$T_AB" -t "$PB" -p gprs \
	    -o "$T/relay-ab.json" >"$T/relay-ab.port" 2>>"$T/relay.log" &
	RELAY_AB=$!
	poll "$WAIT" test -s "$T/relay-ab.port"
}
check "the link A to B listens" start_relay_ab
"${LINK[@]}" "$B/tests/parta-relay" -L "$L_BA" -l "$LBA" -T "$T_BA" -t "$PA" -p gprs \
    -o "$T/relay-ba.json" >"$T/relay-ba.port" 2>>"$T/relay.log" &
RELAY_BA=$!
check "and B to A" poll "$WAIT" test -s "$T/relay-ba.port"
GROUP=parta.tatarstan.math
inn_setup "$IA" inn-a "$PA" "$GROUP" "$PEER_A" &&
    inn_feed "$IA" inn-b "$LAB" "$L_AB" &&
    inn_setup "$IB" inn-b "$PB" "$GROUP" "$PEER_B" &&
    inn_feed "$IB" inn-a "$LBA" "$L_BA"
check "two INN servers are laid out" test -f "$IB/db/history.dir"
check "A's INN starts" inn_start "$IA" "$PA"
check "B's INN starts" inn_start "$IB" "$PB"

# B is the lib's partad; A a store of its own.
start_partad "news_identity chally" "news_server 127.0.0.1:$PB" || exit 1
mkdir -p "$A/data"
[ -n "$PARTAD_USER" ] && chown "$PARTAD_USER" "$A/data"
printf 'data_dir %s\nnews_identity kazan-1\nnews_server 127.0.0.1:%s\n' \
    "$A/data" "$PA" >"$T/news-a.conf"
printf 'data_dir %s\nnews_identity chally\nnews_server 127.0.0.1:%s\n' \
    "$D" "$PB" >"$T/news-b.conf"
chmod 644 "$T"/news-?.conf
as_server "$B/parta-news" -f "$T/news-a.conf" -K >"$T/pub-a"
as_server "$B/parta-news" -f "$T/news-b.conf" -K >"$T/pub-b"
check "-K prints the district and its public key" \
    grep -Eq '^kazan-1 [A-Za-z0-9+/]{43}=$' "$T/pub-a"
as_server "$B/parta-news" -f "$T/news-a.conf" -P >"$T/pub-a2"
check "-P prints the same line again" cmp -s "$T/pub-a" "$T/pub-a2"
as_server sh -c "cat '$T/pub-b' >'$A/data/news_peers'"
as_server sh -c "cat '$T/pub-a' >'$D/news_peers'"

echo "gulnara-secret-1" | sysop_a user add gulnara --role teacher \
    --name "Гульнара Сафина" --password-stdin >/dev/null
sysop_a board add math "Математика" >/dev/null
sysop board add math "Математика" >/dev/null
sysop_a board share math "$GROUP" >/dev/null
check "the console shares A's board" \
    sh -c "'$B/parta-sysop' -d '$A/data' board share | grep -q '^math  *$GROUP'"
sysop board share math "$GROUP" >/dev/null
check "and lists it" sh -c "'$B/parta-sysop' -d '$D' board share | grep -q '^math  *$GROUP'"
add_teachers boris

# --- a post on A appears once on B ------------------------------------
printf 'Коллеги, как вы объясняете дроби? Ёлки, пироги и доли.\n.точка в начале строки\n' |
    sysop_a post math --as gulnara --subject "Дроби в 5 классе: ёлки" >/dev/null
news a
check "A's gateway sends the post to its INN" grep -q 'sent 1,' "$T/news-a.log"
on_b() { test "$(db "SELECT count(*) FROM posts WHERE $1")" = "${2:-1}"; }
check "it reaches B through the gprs link" \
    news_until 90 b on_b "foreign_login = 'gulnara@kazan-1'"
news b
news a
check "once, however often the gateways run" \
    on_b "foreign_login = 'gulnara@kazan-1'"
check "its Cyrillic subject and text intact" \
    on_b "subject = 'Дроби в 5 классе: ёлки' AND body = 'Коллеги, как вы объясняете дроби? Ёлки, пироги и доли.
.точка в начале строки'"
check "under the post's own UUID" test "$(db "SELECT uuid FROM posts")" = \
    "$(db_a "SELECT uuid FROM posts")"
check "its author is no user of B" on_b "author_id IS NULL"

login_menu s boris boris-secret-1
go s "Разделы" b
go s "Дроби в 5 классе" Enter
go s "#1/1" Enter
check "a teacher on B sees \"Имя (логин@район)\"" \
    wait_screen s "#1/1 +Гульнара Сафина \(gulnara@kazan-1\)"
check "and the text" wait_screen s "Ёлки, пироги и доли"

# --- a reply on B appears on A, in the thread -------------------------
go s "\^X отправить" r
term_type s "Через пиццу: восемь кусков — восемь долей."
go s "Отправлено" C-x
news b
on_a() { test "$(db_a "SELECT count(*) FROM posts WHERE $1")" = "${2:-1}"; }
check "B's reply reaches A" news_until 90 a on_a "foreign_login = 'boris@chally'"
check "in the thread, answering the post" on_a "foreign_login = 'boris@chally'
    AND thread_id = 1 AND reply_to = 1"
check "with its text" on_a "body = 'Через пиццу: восемь кусков — восемь долей.'"

# --- a cut link heals; everything arrives once ------------------------
kill "$RELAY_AB"; wait "$RELAY_AB" 2>/dev/null; RELAY_AB=
for i in 1 2 3; do
	echo "Пост $i, пока связь лежит." |
	    sysop_a post math --as gulnara --subject "Тема $i" >/dev/null
done
news a
news b
sleep 3
news b
check "while the link is down nothing arrives" on_b "subject LIKE 'Тема %'" 0
check "and A's INN holds them (sent to it)" grep -q 'sent 3,' "$T/news-a.log"
check "the link comes back" start_relay_ab
check "once it heals, the three arrive" \
    news_until 120 b on_b "subject LIKE 'Тема %'" 3
news a
news b
check "each once" test "$(db "SELECT count(DISTINCT uuid) || '/' || count(*)
    FROM posts WHERE subject LIKE 'Тема %'")" = "3/3"

# --- a post hidden on A disappears on B -------------------------------
sysop_a hide 1 "не по теме" >/dev/null
news a
check "A sends the cancel" grep -q 'cancels 1,' "$T/news-a.log"
check "B hides the post" news_until 90 b on_b "id = 1 AND hidden_at IS NOT NULL"
go s "w новая тема" Escape
go s "Разделы" Escape
go s "Тема 3" Enter
check "the teacher on B no longer sees the thread" \
    screen_lacks s "Дроби в 5 классе"

# --- forged and bad articles injected into B's INN ---------------------
# inject FILE: offer an article to B's INN by IHAVE, as a third server
# would pass it on (from the link, B's neighbour).
inject() {
	"${LINK[@]}" python3 - "$T_AB" "$PB" "$1" <<'EOP'
import re, socket, sys
art = open(sys.argv[3], "rb").read()
mid = re.search(rb"^Message-ID: (<[^>]*>)", art, re.M).group(1)
s = socket.create_connection((sys.argv[1], int(sys.argv[2])), 10)
f = s.makefile("rwb")
f.readline()
f.write(b"IHAVE " + mid + b"\r\n"); f.flush()
if not f.readline().startswith(b"335"): sys.exit(1)
body = b"".join((b"." + l if l.startswith(b".") else l) + b"\r\n"
                for l in art.split(b"\n"))
f.write(body + b".\r\n"); f.flush()
sys.exit(0 if f.readline().startswith(b"235") else 1)
EOP
}
# article MSGID FROM SUBJECT [EXTRA HEADERS] BODY: with a signature that
# no district's key verifies.
article() {
	printf 'Path: evil!not-for-mail\nMessage-ID: %s\nNewsgroups: %s\nFrom: %s\nSubject: %s\nDate: Tue, 01 Dec 2026 10:00:00 +0000\n%sMIME-Version: 1.0\nContent-Type: text/plain; charset=UTF-8\nContent-Transfer-Encoding: 8bit\nX-Parta-Signature: ed25519 %s==\n\n%s\n' \
	    "$1" "$GROUP" "$2" "$3" "$4" "$(printf 'A%.0s' $(seq 86))" "$5"
}
U2=$(db_a "SELECT uuid FROM posts WHERE subject = 'Тема 1'")
article "<0f1e2d3c-4b5a-4978-8695-a4b3c2d1e0f9@kazan-1>" \
    "gulnara <gulnara@kazan-1>" "=?UTF-8?B?$(printf 'Подделка' | base64)?=" "" \
    "Я не Гульнара." >"$T/forged"
article "<cancel.$U2@kazan-1>" "gulnara <gulnara@kazan-1>" \
    "cmsg cancel <$U2@kazan-1>" "Control: cancel <$U2@kazan-1>
" "forged cancel" >"$T/cancel"
article "<1f1e2d3c-4b5a-4978-8695-a4b3c2d1e0f9@kazan-1>" \
    "gulnara <gulnara@kazan-1>" "Escape" "" "$(printf 'red \033[31m text \033]0;owned\007')" >"$T/escape"
check "a forged post is taken by B's INN" inject "$T/forged"
check "a forged cancel too" inject "$T/cancel"
check "and an escape sequence" inject "$T/escape"
before=$(db "SELECT count(*) FROM posts")
news b
check "B's gateway refuses the forged post, and logs why" \
    grep -q "refused article .*0f1e2d3c-4b5a-4978-8695-a4b3c2d1e0f9@kazan-1.*does not verify" \
    "$T/news-b.log"
check "the forged cancel" grep -q "refused article .*cancel\.$U2@kazan-1.*does not verify" \
    "$T/news-b.log"
check "the escape sequence" \
    grep -q "refused article .*1f1e2d3c-4b5a.*control characters" \
    "$T/news-b.log"
check "none is stored" test "$(db "SELECT count(*) FROM posts")" = "$before"
check "the post the forged cancel named stays shown" \
    on_b "uuid = '$U2' AND hidden_at IS NULL"

term_kill s
sanitizer_check
done_testing
