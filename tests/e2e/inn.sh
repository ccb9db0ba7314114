# inn.sh: a private INN server (Debian inn2) for the federation tests,
# sourced by t-news.sh and the bench.  Each server lives in a directory
# of its own, runs as the news user (innd refuses root) on a port above
# 1024 (so innbind is not needed), and is found by its programs through
# INNCONF.  Its only feed is innfeed, to one peer.  A server may live in
# a network namespace (inn_netns): then it listens on every address of
# its namespace, and everything of it runs there (inn_exec).
#
# inn_have: INN is installed (innd, innfeed, makedbz).
INN_BIN=/usr/lib/news/bin
inn_have() {
	test -x "$INN_BIN/innd" && test -x "$INN_BIN/innfeed" &&
	    test -x "$INN_BIN/makedbz" && id news >/dev/null 2>&1
}

# inn_netns DIR NS: DIR's server and its gateway run in namespace NS
# (made by the caller); call before inn_setup.
inn_netns() { mkdir -p "$1"; echo "$2" >"$1/netns"; }
# inn_exec DIR CMD...: CMD in DIR's namespace, if it has one.
inn_exec() {
	local ns
	ns=$(cat "$1/netns" 2>/dev/null)
	shift
	if [ -n "$ns" ]; then ip netns exec "$ns" "$@"; else "$@"; fi
}

# inn_setup DIR PATHHOST PORT GROUP [PEERADDR]: lay out a server carrying
# GROUP; articles are taken from the local host and from PEERADDR.
inn_setup() {
	local dir=$1 name=$2 port=$3 group=$4 peer=${5:-} bind=127.0.0.1
	test -s "$dir/netns" && bind=all
	mkdir -p "$dir/etc" "$dir/db" "$dir/spool/articles" \
	    "$dir/spool/overview" "$dir/spool/outgoing" "$dir/spool/incoming" \
	    "$dir/spool/innfeed" "$dir/spool/archive" "$dir/tmp" "$dir/log" \
	    "$dir/run" "$dir/http"
	cat >"$dir/etc/inn.conf" <<EOC
organization:    "parta test"
pathhost:        $name
domain:          parta.test
server:          127.0.0.1
bindaddress:     $bind
port:            $port
mta:             "/bin/true %s"
mailcmd:         /bin/true
hismethod:       hisv6
ovmethod:        tradindexed
enableoverview:  true
wireformat:      true
docancels:       require-auth
immediatecancel: false
logipaddr:       true
artcutoff:       0
pathnews:        /usr/lib/news
pathbin:         /usr/lib/news/bin
pathcontrol:     /usr/lib/news/bin/control
pathfilter:      $dir/filter
pathetc:         $dir/etc
pathdb:          $dir/db
pathspool:       $dir/spool
patharticles:    $dir/spool/articles
pathoverview:    $dir/spool/overview
pathoutgoing:    $dir/spool/outgoing
pathincoming:    $dir/spool/incoming
patharchive:     $dir/spool/archive
pathtmp:         $dir/tmp
pathlog:         $dir/log
pathrun:         $dir/run
pathhttp:        $dir/http
EOC
	cat >"$dir/etc/storage.conf" <<EOC
method tradspool {
	newsgroups: *
	class: 0
}
EOC
	cat >"$dir/etc/incoming.conf" <<EOC
peer ME {
	hostname: "localhost, 127.0.0.1"
}
EOC
	[ -n "$peer" ] && cat >>"$dir/etc/incoming.conf" <<EOC
peer neighbour {
	hostname: "$peer"
}
EOC
	cat >"$dir/etc/readers.conf" <<EOC
auth "local" {
	hosts: "localhost, 127.0.0.1"
	default: "<local>"
}
access "local" {
	users: "<local>"
	newsgroups: "*"
	access: RPA
}
EOC
	: >"$dir/etc/newsfeeds"
	echo "ME:*,!junk::" >>"$dir/etc/newsfeeds"
	for f in expire.ctl moderators distrib.pats control.ctl \
	    nnrpd.track subscriptions localgroups; do
		: >"$dir/etc/$f"
	done
	cp /etc/news/inn-secrets.conf "$dir/etc/" 2>/dev/null
	cat >"$dir/db/active" <<EOC
control 0000000000 0000000001 n
control.cancel 0000000000 0000000001 n
junk 0000000000 0000000001 n
$group 0000000000 0000000001 y
EOC
	: >"$dir/db/active.times"
	: >"$dir/db/newsgroups"
	: >"$dir/db/history"
	chown -R news:news "$dir"
	inn_as "$dir" "cd '$dir/db' && $INN_BIN/makedbz -i -o" || return 1
}

# inn_feed DIR PEERNAME PORT [ADDR]: feed everything but junk, by
# innfeed, to the peer whose innd (or a relay before it) listens on
# ADDR:PORT (default 127.0.0.1); the peer's articles (PEERNAME in their
# Path) are not sent back.
inn_feed() {
	local dir=$1 peer=$2 port=$3 addr=${4:-127.0.0.1}
	cat >>"$dir/etc/newsfeeds" <<EOC
$peer:*,!junk:Tm:innfeed!
innfeed!:!*:Tc,Wnm*:$INN_BIN/innfeed
EOC
	cat >"$dir/etc/innfeed.conf" <<EOC
backlog-directory:      innfeed
pid-file:               innfeed.pid
log-file:               innfeed.log
status-file:            innfeed.status
stats-period:           60
initial-reconnect-time: 2
max-reconnect-time:     4
article-timeout:        600
response-timeout:       60
initial-connections:    1
max-connections:        1
close-period:           600
backlog-rotate-period:  2
backlog-ckpt-period:    2
backlog-newfile-period: 2
dynamic-method:         0
no-check-high:          95.0
no-check-low:           90.0
peer $peer {
	ip-name:        $addr
	port-number:    $port
}
EOC
	chown news:news "$dir/etc/newsfeeds" "$dir/etc/innfeed.conf"
}

# inn_as DIR COMMAND: run COMMAND as news with DIR's inn.conf.
inn_as() {
	inn_exec "$1" su -s /bin/sh news -c \
	    "INNCONF='$1/etc/inn.conf'; export INNCONF; $2"
}

# inn_start DIR PORT: start innd, wait for its greeting (bounded).
inn_start() {
	inn_as "$1" "$INN_BIN/innd" >>"$1/log/start.log" 2>&1
	poll 100 inn_greets "$1" "$2"
}
# inn_greets DIR PORT: DIR's innd answers on PORT with a 2xx greeting.
inn_greets() {
	inn_exec "$1" python3 - "$2" <<'EOP' 2>/dev/null
import socket, sys
s = socket.create_connection(("127.0.0.1", int(sys.argv[1])), 2)
sys.exit(0 if s.recv(512)[:1] == b"2" else 1)
EOP
}
# inn_stop DIR: ctlinnd throttle and shut down (bounded).
inn_stop() {
	inn_as "$1" "$INN_BIN/ctlinnd -t 10 shutdown test" >/dev/null 2>&1
	poll 50 sh -c "! test -s '$1/run/innd.pid' || ! kill -0 \$(cat '$1/run/innd.pid') 2>/dev/null"
	# innfeed ends when innd closes its channel; its pid file says if not.
	if test -s "$1/run/innfeed.pid"; then
		kill "$(cat "$1/run/innfeed.pid")" 2>/dev/null
	fi
	true
}
