#!/bin/bash
# parta-sync under a client that sends without reading (sync-raw.py):
# partad stops reading once its answers have nowhere to go (32 waiting,
# or a frame's worth, in the child; the relay's queue and the channel's
# window in the session), so neither process grows nor spins; once the
# client reads, every frame it sent has its answer.
. "$(dirname "$0")/lib.sh"
export ASAN_OPTIONS="${ASAN_OPTIONS:-}:quarantine_size_mb=4"

start_partad || exit 1
add_user anna teacher "Анна Иванова" "anna-secret"

raw() { "${CLIENT_ENV[@]}" python3 "$TOP/tests/e2e/sync-raw.py" "$PORT" "$@"; }
read -r base cbase < <(baseline_rss raw anna anna-secret idle 5)
flood_start 900 raw anna anna-secret flood 5
rss=$(rss_kb "$session")
crss=$(rss_kb "$child")
# Frames already taken are answered until the answers have nowhere to
# go (slowly under ASan): then both must be idle.  settled: used less
# than a tenth of a second of CPU in the last second.
settled() {
	local t0
	t0=$(cpu "$session" "$child")
	sleep 1
	test $(( $(cpu "$session" "$child") - t0 )) -lt $(( $(getconf CLK_TCK) / 10 ))
}
poll 30 settled
t0=$(cpu "$session" "$child")
sleep 2
ticks=$(( $(cpu "$session" "$child") - t0 ))
echo "# sent $sent frames unread; session rss $rss kB (idle $base)," \
    "child rss $crss kB (idle $cbase), $ticks ticks in 2 s" | diag
check "the server stopped taking frames it could not answer" \
    test "${sent:-0}" -gt 0 -a "${sent:-0}" -lt 1000000
# What a flood may add: the relay's queue and the channel's window in
# the session, 32 answers or a frame's worth in the child; megabytes
# more (it tries to send 64 MB) would be the flood kept.
check "the session stays small" test $((rss - base)) -lt 24000
check "the sync child stays small" test $((crss - cbase)) -lt 24000
check "neither spins while the client does not read" \
    test "$ticks" -lt "$(getconf CLK_TCK)"
flood_end
out=$(sed -n 's/^answered //p' "$T/flood.out")
total=$(echo "$out" | awk '{print $3}')
check "once it reads, every frame has its answer ($out)" \
    test -n "$total" -a "$out" = "$total of $total refused $total"
check "partad is running" kill -0 "$PARTAD_PID"

done_testing
