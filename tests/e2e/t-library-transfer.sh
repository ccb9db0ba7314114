#!/bin/bash
# Library transfers: a download and an upload cut halfway (the client
# killed) and resumed with reget and reput; the quota and the largest
# file size, with the message a user sees and nothing half-written left;
# the same upload and download with PuTTY's psftp and with lftp;
# "library verify" finds a blob altered on disk.
. "$(dirname "$0")/lib.sh"

start_partad || exit 1
lib_user anna
lib_user boris
sysop library section add math 'Математика' >/dev/null
cd "$T" || exit 1
anna_dir="$D/uploads/$(db "SELECT id FROM users WHERE login = 'anna'")"
boris_dir="$D/uploads/$(db "SELECT id FROM users WHERE login = 'boris'")"

size_of() { stat -c %s "$1" 2>/dev/null || echo 0; }
# bigger FILE N: 1 if FILE holds more than N bytes.
bigger() { [ "$(size_of "$1")" -gt "$2" ]; }

# sftp_cut LOGIN BATCH FILE MIN: run sftp at 2 Mbit/s in its own
# process group and kill it once FILE holds more than MIN bytes.
sftp_cut() {
	local user=$1 batch=$2 file=$3 min=$4 pid
	setsid "${CLIENT_ENV[@]}" sftp -F "$T/ssh_config" -o User="$user" \
	    -l 2000 -b "$batch" parta >/dev/null 2>&1 &
	pid=$!
	poll 300 bigger "$file" "$min"
	kill -- -"$pid" 2>/dev/null
	wait "$pid" 2>/dev/null
}

head -c 3000000 /dev/urandom >"$T/big.bin"
# partial BYTES: some of big.bin, not all of it.
partial() { [ "$1" -gt 0 ] && [ "$1" -lt 3000000 ]; }

# An upload cut halfway, then resumed with reput.
printf 'put big.bin\n' >"$T/put.batch"
sftp_cut anna "$T/put.batch" "$anna_dir/big.bin" 200000
part=$(size_of "$anna_dir/big.bin")
check "a cut upload leaves a partial file to resume ($part bytes)" \
    partial "$part"
printf 'reput big.bin\n' >"$T/reput.batch"
sftp_as anna "$T/reput.batch" >/dev/null
check "reput completes the upload byte-identical" cmp -s "$T/big.bin" "$anna_dir/big.bin"

# Describe it through the UI so that it is in the library.
login_menu a anna anna-secret
go a "Моя папка загрузок" i
go a "big.bin" u
go a "Выберите рубрику" Enter
go a "Описание файла" Enter
fill a ""
fill_text a "Большой файл"
fill a "" ""
check "the resumed upload is described" wait_screen a "Добавлено в библиотеку"
term_keys a Enter Escape q

# A download cut halfway, then resumed with reget.
printf 'get /library/math/big.bin big.got\n' >"$T/get.batch"
sftp_cut boris "$T/get.batch" "$T/big.got" 200000
part=$(size_of "$T/big.got")
check "the download was cut halfway ($part bytes)" partial "$part"
printf 'reget /library/math/big.bin big.got\n' >"$T/reget.batch"
sftp_as boris "$T/reget.batch" >/dev/null
check "reget completes the download byte-identical" cmp -s "$T/big.bin" "$T/big.got"
check "a resumed download counts once" \
    sh -c "'$B/parta-sysop' -d '$D' library list | grep -qE ' 1 +big.bin'"
check "library list shows its size as ls -h does (3000000 bytes: 2.9M)" \
    sh -c "'$B/parta-sysop' -d '$D' library list | grep -qE ' 2\.9M +1 +big.bin'"

# lftp shows the server's messages: use it for the limits.
cat >"$T/sshw" <<EOF
#!/bin/sh
exec ssh -F $T/ssh_config "\$@"
EOF
chmod +x "$T/sshw"
lftp_as() {
	"${CLIENT_ENV[@]}" lftp -c "set sftp:connect-program $T/sshw; \
	    open -u $1, sftp://parta; $2" 2>&1
}

# The largest file size.
sysop library maxsize 100K >/dev/null
head -c 150000 /dev/urandom >"$T/150k.bin"
out=$(lftp_as boris "put 150k.bin")
check "a file over the largest size is refused with a clear message" \
    grep -q "Файл слишком велик: библиотека принимает файлы до 100 КБ" <<<"$out"
check "and nothing of it is left" test ! -e "$boris_dir/150k.bin"
printf 'put 150k.bin\n' >"$T/p.batch"
out=$(sftp_as boris "$T/p.batch")
check "OpenSSH sftp reports the failure too" grep -qi "failure" <<<"$out"
check "and nothing is left after it either" test ! -e "$boris_dir/150k.bin"
sysop library maxsize 50M >/dev/null

# The quota: boris may keep 300 KB; a 400 KB upload fails part-way.
sysop library quota boris 300K >/dev/null
head -c 400000 /dev/urandom >"$T/400k.bin"
out=$(lftp_as boris "put 400k.bin")
check "an upload over the quota is refused with a clear message" \
    grep -q "Квота исчерпана: ваша квота в библиотеке — 300 КБ" <<<"$out"
check "and nothing half-written is left" test ! -e "$boris_dir/400k.bin"
head -c 100000 /dev/urandom >"$T/100k.bin"
out=$(lftp_as boris "put 100k.bin; cls -l")
check "a file within the quota is still accepted" grep -q "100k.bin" <<<"$out"
check "byte-identical" cmp -s "$T/100k.bin" "$boris_dir/100k.bin"
sysop library quota boris none >/dev/null

# lftp: upload and download.
out=$(lftp_as boris "get /library/math/big.bin -o lftp.got")
check "lftp downloads byte-identical" cmp -s "$T/big.bin" "$T/lftp.got"

# PuTTY's psftp: password login, upload and download.
HK=$(ssh-keygen -lf "$D/ssh_host_ed25519_key.pub" -E sha256 | awk '{print $2}')
head -c 50000 /dev/urandom >"$T/p.bin"
printf 'put p.bin putty.bin\nget /library/math/big.bin putty.got\n' >"$T/psftp.batch"
"${CLIENT_ENV[@]}" psftp -P "$PORT" -hostkey "$HK" -pw boris-secret -batch \
    -b "$T/psftp.batch" boris@127.0.0.1 >/dev/null 2>&1
check "psftp uploads byte-identical" cmp -s "$T/p.bin" "$boris_dir/putty.bin"
check "psftp downloads byte-identical" cmp -s "$T/big.bin" "$T/putty.got"
printf 'put p.bin /library/math/p.bin\n' >"$T/psftp2.batch"
out=$("${CLIENT_ENV[@]}" psftp -P "$PORT" -hostkey "$HK" -pw boris-secret \
    -batch -b "$T/psftp2.batch" boris@127.0.0.1 2>&1)
check "psftp cannot write into the library" grep -qi "denied" <<<"$out"

# verify: all good, then a blob altered on disk.
out=$(sysop library verify 2>&1)
check "verify finds the library sound" grep -q "неполадок: 0" <<<"$out"
blob=$(ls "$D/files" | head -1)
# The byte at 1000, inverted (an 'X' written over random bytes is the
# same byte once in 256 runs, and nothing is altered).
byte=$(od -An -tu1 -j1000 -N1 "$D/files/$blob" | tr -d ' ')
printf "\\$(printf %o $((byte ^ 255)))" |
    dd of="$D/files/$blob" bs=1 seek=1000 conv=notrunc 2>/dev/null
out=$(sysop library verify 2>&1)
rc=$?
check "verify finds a blob altered on disk" grep -q "files/$blob: повреждён" <<<"$out"
check "and exits with failure" test "$rc" -ne 0

done_testing
