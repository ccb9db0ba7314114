#!/bin/bash
# Landlock (hardening, item 13): session, UI and SFTP processes may touch
# the data directory and read the system's files, nothing else.  With
# the library's files/ replaced by a symlink to a directory outside
# data_dir, SFTP cannot read them; with landlock off it can, which shows
# the test would see a leak.
. "$(dirname "$0")/lib.sh"
# partad takes TMPDIR as its temporary directory, which Landlock lets it
# write: a TMPDIR above $T would let it reach "outside" below.
unset TMPDIR

abi=$("${CLIENT_ENV[@]}" python3 -c '
import ctypes, sys
libc = ctypes.CDLL(None, use_errno=True)
print(libc.syscall(444, None, 0, 1))')	# landlock_create_ruleset VERSION
if [ "${abi:--1}" -lt 1 ]; then
	start_partad || exit 1
	check "a kernel without Landlock is logged" \
	    grep -q 'Landlock is not available' "$T/partad.log"
	ok "# SKIP no Landlock in this kernel"
	done_testing
	exit
fi

start_partad || exit 1
check "nothing says Landlock is missing" \
    sh -c "! grep -q 'Landlock is not available' '$T/partad.log'"
lib_user anna
sysop library section add math 'Математика' >/dev/null
echo "a lesson plan" >"$T/plan.txt"
sysop library add math "$T/plan.txt" --as anna --title "План" >/dev/null
blob=$(find "$D/files" -type f | head -1)
check "the library file is stored as a blob" test -n "$blob"

# The blobs, moved outside data_dir, where a planted symlink leads (SFTP
# opens the file itself with O_NOFOLLOW; a directory on the way is
# followed).
mv "$D/files" "$T/outside"
chmod 755 "$T/outside"
ln -s "$T/outside" "$D/files"

cd "$T" || exit 1
printf 'get /library/math/plan.txt got.txt\n' >"$T/get.batch"
out=$(sftp_as anna "$T/get.batch")
echo "$out" | diag
check "SFTP cannot follow a symlink out of data_dir" test ! -s "$T/got.txt"
check "the refusal is in the log" grep -q "files/.*: Permission denied\|files/.*: Отказано в доступе" "$T/partad.log"

stop_partad
start_partad "landlock no" || exit 1
rm -f "$T/got.txt"
out=$(sftp_as anna "$T/get.batch")
check "with landlock off the same download leaks the outside file" \
    cmp -s "$T/got.txt" "$T/plan.txt"
done_testing
