#!/bin/sh
# Install the Debian packages named as arguments when any is missing.
# Used by the Makefile; CI runs as root on a fresh machine.
missing=
for p in "$@"; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'ok installed' ||
	    missing="$missing $p"
done
[ -z "$missing" ] && exit 0
echo "parta: installing missing packages:$missing"
if [ "$(id -u)" = 0 ]; then
	SUDO=
elif command -v sudo >/dev/null 2>&1; then
	SUDO=sudo
else
	echo "parta: please install as root: apt-get install$missing" >&2
	exit 1
fi
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq || exit 1
# shellcheck disable=SC2086
if ! $SUDO apt-get install -y -qq --no-install-recommends $missing >/dev/null; then
	# inn2's postinst stops where the host name has no domain (a
	# container): give INN one and finish; the tests run INNs of their
	# own, with their own inn.conf.
	case " $missing " in
	*" inn2 "*)
		$SUDO sed -i 's/^#* *domain:.*/domain: parta.test/' \
		    /etc/news/inn.conf &&
		    $SUDO dpkg --configure -a >/dev/null || exit 1 ;;
	*)	exit 1 ;;
	esac
fi
