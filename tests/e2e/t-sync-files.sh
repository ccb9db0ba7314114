#!/bin/bash
# parta-sync's files (man/parta-sync.5, FILES) against the real partad,
# through the test driver (tests/sync/syncdrv.c): a download cut by the
# relay mid-file goes on from the checked chunks it kept; a chunk
# damaged after it arrived is caught by its digest and fetched again; a
# file damaged on the server's disk is caught by the whole file's
# digest; an upload cut mid-file goes on, after a restart of partad,
# from what the server holds, and a PUSH sent twice makes one item of it; a pending file is refused
# to another teacher in the words of a missing one; an upload over the
# quota is refused before a byte of it is stored.
. "$(dirname "$0")/lib.sh"
RELAY_PID=
trap 'stop_relay; cleanup' EXIT

start_partad || exit 1
add_user anna teacher "Анна Иванова" "anna-secret"
add_user boris teacher "Борис Петров" "boris-secret"
sysop library section add math "Математика" >/dev/null
sysop library section add tatar "Татар теле" --approval >/dev/null

CHUNK=16384
# drv USER [DRIVER ARGS...]: the driver as USER (password USER-secret),
# asking for the files capability, in chunks of $CHUNK bytes.
drv() {
	local u=$1; shift
	"$B/tests/parta-syncdrv" -p "${DRV_PORT:-$PORT}" -l "$u" \
	    -w "$u-secret" -c live,files -k "$CHUNK" "$@"
}
sha() { sha256sum "$1" | cut -d' ' -f1; }
size_of() { stat -c %s "$1" 2>/dev/null || echo 0; }
uuid() { cat /proc/sys/kernel/random/uuid; }
q() { db "$@"; }

# A library file of 200000 bytes, put in by the console.
head -c 200000 /dev/urandom >"$T/big.bin"
chmod 644 "$T/big.bin"
sysop library add math "$T/big.bin" --as boris --title "Задачи" >/dev/null
big=$(sha "$T/big.bin")
anna_id=$(q "SELECT id FROM users WHERE login = 'anna'")

# --- capability -------------------------------------------------------------

out=$("$B/tests/parta-syncdrv" -p "$PORT" -l anna -w anna-secret -c live \
    get "$big" "$T/nocap.bin" 2>&1)
check "FILE_GET without the files capability is ERROR CAPABILITY" \
    grep -q '^error code=8 ' <<<"$out"
out=$(drv anna -v hello 2>&1)
check "asked for, files is granted" grep -q '^welcome .*caps=live,files' <<<"$out"

# --- a download cut, and resumed --------------------------------------------

start_relay --fault "down:cut-after:90000" || exit 1
out=$(DRV_PORT=$RELAY_PORT drv anna get "$big" "$T/got.bin" 2>&1)
stop_relay
check "the relay cut the download" grep -q '^cut' <<<"$out"
kept=$(size_of "$T/got.bin.part")
check "what arrived before the cut was kept ($kept bytes)" \
    test "$kept" -gt 0 -a "$kept" -lt 200000
check "only whole chunks, each checked, were kept" test $((kept % CHUNK)) -eq 0
out=$(drv anna get "$big" "$T/got.bin")
check "the next get goes on from there" \
    grep -q "^got size=200000 from=$kept " <<<"$out"
check "the file is the library's" cmp -s "$T/big.bin" "$T/got.bin"
check "the download is counted once" \
    test "$(q "SELECT downloads FROM library_items WHERE sha256 = '$big'")" = 1

# --- damage -------------------------------------------------------------------

# A chunk damaged once it arrived (-F: as a client's memory or flash
# might) fails its digest and is fetched again; the file comes whole.
out=$(drv anna -F 50000 get "$big" "$T/got2.bin")
check "a chunk damaged on arrival is caught by its digest" \
    grep -q "^chunk-bad offset=$((50000 / CHUNK * CHUNK))\$" <<<"$out"
check "and fetched again" grep -q '^got size=200000 from=0 .* bad=1$' <<<"$out"
check "the file is whole" cmp -s "$T/big.bin" "$T/got2.bin"

# A blob damaged on the server's disk: every chunk is hashed as it was
# read, so only the whole file's digest can tell.
blob="$D/files/$big"
cp "$blob" "$T/blob.saved"
b=$(od -An -tu1 -j 100000 -N 1 "$blob" | tr -d ' ')
printf "\\$(printf %o $(((b + 1) % 256)))" |
    dd of="$blob" bs=1 seek=100000 conv=notrunc 2>/dev/null
out=$(drv anna get "$big" "$T/got3.bin")
rc=$?
check "a file damaged on the server's disk is caught at its end" \
    test $rc -eq 5 -a -n "$(grep '^damaged' <<<"$out")"
check "and nothing of it is kept" test ! -e "$T/got3.bin" -a ! -e "$T/got3.bin.part"
cp "$T/blob.saved" "$blob"

# --- an upload cut, resumed, made an item once --------------------------------

head -c 150000 /dev/urandom >"$T/plan.bin"
plan=$(sha "$T/plan.bin")
part="$D/held/$anna_id/$plan-150000.part"
start_relay --fault "up:cut-after:70000" || exit 1
out=$(DRV_PORT=$RELAY_PORT drv anna put "$T/plan.bin" "План урока.bin" 2>&1)
stop_relay
check "the relay cut the upload" grep -q '^cut' <<<"$out"
check "the server holds what arrived" poll "$WAIT" test -s "$part"
# partad restarts in between: what it held is on its disk.
stop_partad
start_partad || exit 1
out=$(drv anna put "$T/plan.bin" "План урока.bin")
from=$(sed -n 's/^put size=150000 from=\([0-9]*\) have=150000 .*/\1/p' <<<"$out")
check "after a restart, the next put goes on from what it held ($from bytes)" \
    test -n "$from" -a "${from:-0}" -gt 0 -a "${from:-0}" -lt 150000
check "from the end of a whole chunk" test $((${from:-1} % CHUNK)) -eq 0
check "whole and checked, it waits under its digest" \
    test -f "$D/held/$anna_id/$plan" -a ! -e "$part"
out=$(drv anna put "$T/plan.bin" "План урока.bin")
check "asked again, the server holds it all" \
    grep -q '^put size=150000 from=150000 have=150000 ' <<<"$out"

u=$(uuid)
push() {
	drv anna push library-file "$u" file="$plan" name="План урока.bin" \
	    section=tatar title="План урока" grades=5-6
}
out=$(push)
check "library-file makes the item from the upload" \
    grep -q '^applied again=0 rows=1 upsert:library:' <<<"$out"
out=$(push)
check "sent again after a lost answer, it was applied before" \
    grep -q '^applied again=1 ' <<<"$out"
check "one item, exactly" \
    test "$(q "SELECT count(*) FROM library_items WHERE sha256 = '$plan'")" = 1
check "hers, under the name she gave, waiting for approval" \
    test "$(q "SELECT count(*) FROM library_items WHERE sha256 = '$plan'
        AND uploader_id = $anna_id AND filename = 'План урока.bin'
        AND approved_at IS NULL")" = 1
check "the held upload became the item's file" \
    test ! -e "$D/held/$anna_id/$plan" -a -f "$D/files/$plan"
out=$(drv anna get "$plan" "$T/mine.bin")
check "anna fetches her own pending file" cmp -s "$T/plan.bin" "$T/mine.bin"

# --- visibility ---------------------------------------------------------------

pending=$(drv boris get "$plan" "$T/b.bin")
missing=$(drv boris get "$(printf '%064d' 1)" "$T/c.bin")
check "boris may not fetch her pending file: PERR_NOTFOUND" \
    grep -q '^refused code=2 ' <<<"$pending"
check "in the words of a file that does not exist" \
    test "${pending#*field=}" = "${missing#*field=}"

# --- over the quota -------------------------------------------------------------

sysop library quota anna 200K >/dev/null
head -c 100000 /dev/urandom >"$T/more.bin"
out=$(drv anna put "$T/more.bin" "more.bin")
check "an upload over her quota is refused: PERR_LIB_QUOTA" \
    grep -q '^refused code=300 ' <<<"$out"
check "the reason names her quota" grep -q '200 КБ' <<<"$out"
check "nothing of it was stored" \
    test -z "$(ls -A "$D/held/$anna_id")"
sysop library quota anna none >/dev/null

done_testing
