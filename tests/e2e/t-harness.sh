#!/bin/bash
# The harness itself (lib.sh), where a race in it would show as a flaky
# failure of some other script: a terminal opened right after the last
# one was closed is there (tmux's server, left to itself, exits with its
# last session and takes the next one with it; t-screens lost its login
# so), and after term_kill_all the next terminal opens too.
. "$(dirname "$0")/lib.sh"

# again N: N times, close the only terminal and open the next at once.
again() {
	local i
	for ((i = 0; i < $1; i++)); do
		term_kill x
		term_start x "sleep 60" || return 1
		tmux -S "$TMUX_SOCK" has-session -t x 2>/dev/null || return 1
	done
}
term_start x "sleep 60"
check "a terminal opened after the last one closed is there, 100 times" \
    again 100
term_kill_all
check "and one opened after term_kill_all" again 1
check "the server ran with the harness's config" \
    [ "$(tmux -S "$TMUX_SOCK" show-options -s -v exit-empty)" = off ]
done_testing
