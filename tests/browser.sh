#!/bin/sh
# Headless Chromium for t-digest-html.sh, beside luit.  Debian 12's
# chromium-common needs x11-utils 7.7+5, which the luit package breaks
# (apt would remove luit, and x11-utils' own luit 1.1.1 has no CP866),
# so the packages are not installed: the libraries they need are (all
# but x11-utils, which headless Chromium never runs), and chromium and
# chromium-common are downloaded and unpacked into DIR.  The test runs
# DIR/root/usr/lib/chromium/chromium.
#
#   tests/browser.sh DIR
# Used by "make deps-test" (DIR is build/chromium); as root, or through
# sudo for apt-get install.
set -e
top=$(cd "$(dirname "$0")/.." && pwd)
dir=$1
bin=$dir/root/usr/lib/chromium/chromium
if [ "$(id -u)" = 0 ]; then SUDO=; else SUDO=sudo; fi
# A fresh machine may have no package lists yet.
if ! apt-cache policy chromium | grep -q 'Candidate: [0-9]'; then
	DEBIAN_FRONTEND=noninteractive $SUDO apt-get update -qq
fi
# The two packages' own dependencies, without alternatives, virtual
# packages, x11-utils or each other.
deps=$(apt-cache depends --no-recommends --no-suggests --no-conflicts \
    --no-breaks --no-replaces --no-enhances chromium chromium-common |
    awk '/^  Depends: [a-z0-9]/ { print $2 }' |
    grep -vx -e chromium-common -e x11-utils | sort -u)
if [ -z "$deps" ]; then
	echo "parta: apt-cache knows no chromium (apt-get update?)" >&2
	exit 1
fi
# shellcheck disable=SC2086
sh "$top/tests/deps.sh" $deps
want=$(apt-cache policy chromium | sed -n 's/^ *Candidate: //p')
if [ -x "$bin" ] && [ "$(cat "$dir/version" 2>/dev/null)" = "$want" ]; then
	exit 0
fi
echo "parta: unpacking chromium $want into $dir (not installed: luit)"
rm -rf "$dir"
mkdir -p "$dir/debs" "$dir/root"
# apt-get download writes into the current directory, as _apt when it
# may: let it.
chmod 0777 "$dir/debs"
(cd "$dir/debs" && apt-get download -qq chromium chromium-common)
for deb in "$dir"/debs/*.deb; do
	dpkg -x "$deb" "$dir/root"
done
rm -rf "$dir/debs"
# It must start, headless, and write a DOM.
echo '<p>проба</p>' >"$dir/probe.html"
HOME=$dir timeout 120 "$bin" --headless --no-sandbox --disable-gpu \
    --dump-dom "file://$(cd "$dir" && pwd)/probe.html" 2>/dev/null |
    grep -q 'проба' || {
	echo "parta: $bin does not start headless" >&2
	exit 1
}
echo "$want" >"$dir/version"
