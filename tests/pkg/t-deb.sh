#!/bin/bash
# The Debian package on this machine: "make check-deb" (as root; never
# part of "make check", since it installs system-wide and makes a user).
#
# Installs build/deb/parta_*.deb with dpkg -i and checks what a sysop
# gets: the system user parta, /var/lib/parta (0700, parta's), the
# conffile /etc/parta/partad.conf, the man pages, "partad -t" on the
# installed configuration, the unit's systemd-analyze security rating.
# Then partad runs under its own, unmodified unit, started by systemd: the
# host's when systemd is PID 1, else a private systemd, PID 1 of new pid,
# mount, cgroup and uts namespaces (a drop-in only moves partad to a free
# loopback port and its log to a file).  Through it a teacher registers,
# is approved, logs in, uploads by SFTP and gets a file by ZMODEM (sz):
# all that partad does, inside the sandbox.  Last, dpkg -r keeps the data
# and the conffile, dpkg -P removes them; the test deletes the user.
#
#   tests/pkg/t-deb.sh [DIR]    DIR holds the .deb (default build/deb)
. "$(dirname "$0")/../e2e/lib.sh"

DEB=$(ls "${1:-$TOP/build/deb}"/parta_*.deb 2>/dev/null | head -n 1)
D=/var/lib/parta
SD_PID=		# the private systemd (PID 1 of its namespaces), if any
SD_CG=		# its cgroup (v2), removed at the end
INSTALLED=

deb_cleanup() {
	sd_stop
	# Also after a failure or a signal: purge what this test installed.
	if [ -n "$INSTALLED" ]; then
		dpkg -P parta >/dev/null 2>&1
		getent passwd parta >/dev/null &&
		    deluser --quiet --system parta 2>/dev/null
		getent group parta >/dev/null &&
		    delgroup --quiet --system parta 2>/dev/null
	fi
	rm -rf /run/systemd/system/partad.service.d/parta-test.conf
	cleanup
}
trap deb_cleanup EXIT

# The sysop's console, as the sysop runs it: as the user parta.
sysop() { runuser -u parta -- /usr/sbin/parta-sysop -d "$D" "$@"; }

is_teacher() { sysop user show "$1" | grep -q teacher; }

# partad_pid: the main partad, run as parta by the systemd that started it.
partad_pid() {
	ps -e -o pid=,ppid=,user=,comm= | awk -v p="${SD_PID:-1}" \
	    '$2 == p && $3 == "parta" && $4 == "partad" { print $1; exit }'
}
status_is() { grep -qE "^$2:[[:space:]]+$3\$" "/proc/$1/status"; }
# mount_is PID MOUNTPOINT ro|rw: how PID sees that mount (the last one).
mount_is() {
	awk -v m="$2" '$5 == m { print $6 }' "/proc/$1/mountinfo" | tail -n 1 |
	    grep -q "^$3"
}
# private_tmp PID: PID's /tmp is systemd's PrivateTmp= (a directory of
# its own bound there).
private_tmp() {
	awk '$5 == "/tmp" { print $4 }' "/proc/$1/mountinfo" | tail -n 1 |
	    grep -q '/systemd-private-.*-partad.service-.*/tmp$'
}
# checkv LOG DESC CMD...: check, and show LOG when it fails.
checkv() {
	local log=$1 n=$_failed
	shift
	check "$@"
	[ "$_failed" = "$n" ] || diag <"$log"
}

# ---- the private systemd ----------------------------------------------------

# sd_boot: run as PID 1 of the new namespaces.  Its own /run (with the
# test's units), its own cgroup2 view, /dev/console a file (systemd
# writes its log there), then systemd with one target: partad.
sd_boot() {
	mount --make-rprivate / &&
	mount -t proc proc /proc &&
	umount -R /sys/fs/cgroup &&
	mount -t cgroup2 cgroup2 /sys/fs/cgroup &&
	mount -t tmpfs -o mode=755 tmpfs /run &&
	mount --bind "$T/console.log" /dev/console &&
	mkdir -p /run/systemd/system/partad.service.d &&
	cp "$T/parta-test.target" /run/systemd/system/ &&
	cp "$T/parta-test.conf" /run/systemd/system/partad.service.d/ ||
	    exit 1
	export container=parta-test
	exec /lib/systemd/systemd --system --unit=parta-test.target \
	    --log-target=console --show-status=no
}

# sd_start: start partad.service under a private systemd; 1 if this
# machine cannot (no unshare, no cgroup2, no CAP_SYS_ADMIN).
sd_start() {
	local cg2 unshare_pid
	cg2=$(findmnt -n -t cgroup2 -o TARGET | head -n 1)
	[ -n "$cg2" ] && [ -x /lib/systemd/systemd ] && command -v unshare >/dev/null ||
	    return 1
	# Below the test's own cgroup, so the machine's accounting holds.
	SD_CG=$cg2$(sed -n 's/^0:://p' /proc/self/cgroup)/parta-test.$$
	mkdir "$SD_CG" || { SD_CG=; return 1; }
	cat >"$T/parta-test.target" <<-EOT
	[Unit]
	Description=partad alone, for tests/pkg/t-deb.sh
	DefaultDependencies=no
	Wants=partad.service
	EOT
	printf '[Unit]\nDefaultDependencies=no\n' >>"$T/parta-test.conf"
	: >"$T/console.log"
	{ echo "T='$T'"; declare -f sd_boot; echo sd_boot; } >"$T/boot.sh"
	setsid sh -c 'echo $$ >"$1/cgroup.procs" && exec unshare --pid --fork \
	    --mount --cgroup --uts --propagation private bash "$2"' \
	    sh "$SD_CG" "$T/boot.sh" </dev/null >>"$T/console.log" 2>&1 &
	unshare_pid=$!
	poll 50 sh -c "ps -o pid= --ppid $unshare_pid | grep -q ." || return 1
	SD_PID=$(ps -o pid= --ppid "$unshare_pid" | tr -d ' ')
}

sd_stop() {
	if [ -n "$SD_PID" ]; then
		# PID 1 of a pid namespace: SIGKILL ends all in it at once.
		kill -KILL "$SD_PID" 2>/dev/null
		poll 50 sh -c "! kill -0 $SD_PID 2>/dev/null"
		SD_PID=
	fi
	if [ -n "$SD_CG" ] && [ -d "$SD_CG" ]; then
		poll 50 sh -c "find '$SD_CG' -depth -type d -exec rmdir {} + 2>/dev/null; ! test -d '$SD_CG'"
		SD_CG=
	fi
}

# ---- install ----------------------------------------------------------------

if [ "$(id -u)" != 0 ] || [ -z "$DEB" ]; then
	not_ok "run as root with a package in ${1:-build/deb} (make check-deb)"
	done_testing; exit 1
fi
if dpkg-query -W parta >/dev/null 2>&1 || getent passwd parta >/dev/null; then
	not_ok "parta is not installed yet and there is no user parta (this test would clobber them)"
	done_testing; exit 1
fi

INSTALLED=1
checkv "$T/dpkg.log" "dpkg -i installs $(basename "$DEB")" \
    sh -c "dpkg -i '$DEB' >'$T/dpkg.log' 2>&1"
pw=$(getent passwd parta)
check "postinst made the system user parta" \
    test -n "$pw" -a "$(id -u parta 2>/dev/null || echo 1000)" -lt 1000
check "with home /var/lib/parta and no shell" \
    test "$(echo "$pw" | cut -d: -f6,7)" = /var/lib/parta:/usr/sbin/nologin
check "and its group parta" test "$(id -gn parta 2>/dev/null)" = parta
check "/var/lib/parta is parta's, mode 0700" \
    test "$(stat -c '%a %U %G' "$D" 2>/dev/null)" = "700 parta parta"
check "/etc/parta/partad.conf is a conffile" \
    sh -c "dpkg-query -W -f='\${Conffiles}' parta | grep -q ' /etc/parta/partad.conf '"
check "it names the data directory" grep -qx 'data_dir /var/lib/parta' /etc/parta/partad.conf
check "the example config is installed" test -f /usr/share/parta/partad.conf.example
for m in man8/partad.8 man8/parta-sysop.8 man5/partad.conf.5 man5/parta-sync.5; do
	check "man page $m" test -f "/usr/share/man/$m.gz"
done
check "the unit is in /lib/systemd/system" test -f /lib/systemd/system/partad.service
check "and enabled" test -L /etc/systemd/system/multi-user.target.wants/partad.service
runuser -u parta -- partad -t -f /etc/parta/partad.conf >"$T/t.out" 2>&1
checkv "$T/t.out" "partad -t accepts the installed configuration" \
    grep -q "configuration OK (/etc/parta/partad.conf, store $D/parta.db)" "$T/t.out"
check "and made the store and the host key as parta" \
    test "$(stat -c %U "$D/parta.db" "$D/ssh_host_ed25519_key" 2>/dev/null | sort -u)" = parta

# The rating, 0 (locked down) to 10; fail when the sandbox loosens.
out=$(systemd-analyze security --offline=yes --threshold=15 \
    /lib/systemd/system/partad.service 2>&1)
rc=$?
grep 'Overall exposure' <<<"$out" | diag
check "systemd-analyze security rates the unit 1.5 or better" test "$rc" = 0

# ---- partad under its unit --------------------------------------------------

PORT=$(free_port)
cat >"$T/parta-test.conf" <<EOT
# tests/pkg/t-deb.sh: a free loopback port, and the log where the test
# reads it.  Everything else is the installed unit's.
[Service]
ExecStart=
ExecStart=/usr/sbin/partad -l 127.0.0.1 -p $PORT
StandardOutput=append:$T/partad.log
StandardError=inherit
EOT
: >"$T/partad.log"
chmod 711 "$T"
if [ -d /run/systemd/system ]; then
	how="the host's systemd"
	mkdir -p /run/systemd/system/partad.service.d
	cp "$T/parta-test.conf" /run/systemd/system/partad.service.d/
	systemctl daemon-reload && systemctl restart partad
	started=$?
else
	how="a private systemd"
	sd_start
	started=$?
fi
if [ "$started" != 0 ]; then
	ok "# SKIP partad under its unit: cannot run $how here"
	diag <"$T/console.log"
else
	checkv "$T/console.log" "$how starts partad.service" \
	    poll 150 grep -q 'listening on' "$T/partad.log"
	pid=$(partad_pid)
	check "partad runs as parta" test -n "$pid"
	pid=${pid:-0}
	check "without capabilities" status_is "$pid" CapEff 0000000000000000
	check "with no_new_privs" status_is "$pid" NoNewPrivs 1
	check "under a seccomp filter" status_is "$pid" Seccomp 2
	check "the system is read-only to it" mount_is "$pid" / ro
	check "but for its data directory" mount_is "$pid" "$D" rw
	check "its /tmp is its own" private_tmp "$pid"

	# The client's side, as lib.sh's start_partad sets it up.
	client_config
	make_key

	# A pty per session, the UI, the message catalogue, store writes.
	term_start reg "$(ssh_cmd new)"
	check "the registration form, in Russian" wait_screen reg "Регистрация"
	fill reg "ivanova" "Анна Иванова" "МБОУ СОШ с. Кукмор" "математика" \
	    "secret-pw1" "secret-pw1"
	check "registering ends at the pending screen" \
	    wait_screen reg "ожидает одобрения сисопа"
	term_keys reg q
	sysop user approve ivanova >"$T/approve.out" 2>&1
	check "parta-sysop, as parta, approves the teacher" \
	    is_teacher ivanova
	sysop user key add ivanova - <"$T/id_ed25519.pub" >/dev/null
	login main ivanova secret-pw1
	check "she logs in to the main menu" wait_screen main "Главное меню"

	# SFTP: a channel in its own child, a file written to the store.
	printf 'lesson plan\n' >"$T/plan.txt"
	printf 'put %s/plan.txt\nls /upload\n' "$T" >"$T/up.batch"
	sftp_as ivanova "$T/up.batch" >"$T/sftp.out"
	checkv "$T/sftp.out" "an SFTP upload lands in /upload" \
	    grep -q 'plan.txt' "$T/sftp.out"

	# ZMODEM: partad runs lrzsz's sz on a pty, its file in a private /tmp.
	mkdir -m 755 "$T/pub"
	printf 'worksheet\n' >"$T/pub/worksheet.txt"
	chmod 644 "$T/pub/worksheet.txt"
	sysop library section add math 'Математика' >/dev/null
	sysop library add math "$T/pub/worksheet.txt" --as ivanova \
	    --title 'Рабочий лист' >/dev/null
	go main "Разделы" i
	go main "Математика" s
	go main "Рабочий" Enter
	term_keys main Enter
	check "the item's card offers ZMODEM" wait_screen main "ZMODEM"
	go main "SyncTERM" z
	term_keys main Enter
	# The ZRQINIT header, as a terminal without ZMODEM shows it.
	check "sz starts sending: the ZMODEM header arrives" \
	    wait_screen main 'B0000000000000'
	check "sz runs under partad, as parta" \
	    sh -c "ps -e -o user=,comm= | grep -q '^parta  *sz\$'"
	term_kill main
	term_kill reg
	checkv "$T/partad.log" "partad logged no error" \
	    sh -c "! grep -E ' (fatal|error): ' '$T/partad.log'"
fi
if [ -d /run/systemd/system ]; then
	rm -f /run/systemd/system/partad.service.d/parta-test.conf
	systemctl daemon-reload && systemctl stop partad
else
	sd_stop
fi

# ---- remove, purge ----------------------------------------------------------

checkv "$T/dpkg.log" "dpkg -r removes the package" \
    sh -c "dpkg -r parta >'$T/dpkg.log' 2>&1"
check "and the programs" test ! -e /usr/sbin/partad -a ! -e /usr/sbin/parta-sysop
check "but keeps the store" test -f "$D/parta.db"
check "and the configuration" test -f /etc/parta/partad.conf
checkv "$T/dpkg.log" "dpkg -P purges it" sh -c "dpkg -P parta >'$T/dpkg.log' 2>&1"
check "the configuration is gone" test ! -e /etc/parta
check "the data directory is gone" test ! -e "$D"
check "the unit is no longer enabled" \
    test ! -e /etc/systemd/system/multi-user.target.wants/partad.service
check "dpkg knows no parta" sh -c "! dpkg-query -W -f='\${Status}' parta 2>/dev/null | grep -q installed"
check "the user parta stays, as Debian leaves system users" \
    sh -c 'getent passwd parta >/dev/null'
done_testing
