#!/bin/bash
# Authentication: a wrong password is refused; three failures end the
# connection; repeated failures from one address block it for a while
# and the block expires; a banned teacher sees the ban and its reason;
# commands other than the interactive shell are refused politely.
. "$(dirname "$0")/lib.sh"

start_partad "throttle_address_failures 5" "throttle_failures 20" \
    "throttle_window 60" "throttle_block 4" || exit 1
add_user petrov teacher "Пётр Петров" "right-password"

login w1 petrov wrong-password
check "a wrong password is refused and asked again" \
    wait_screen w1 "Permission denied, please try again"
wait_count w1 "password:" 2 >/dev/null
term_type w1 "wrong-2"; term_keys w1 Enter
wait_count w1 "password:" 3 >/dev/null
term_type w1 "wrong-3"; term_keys w1 Enter
wait_count w1 "password:" 4 >/dev/null
term_type w1 "right-password"; term_keys w1 Enter
check "after three failures the connection is closed" wait_screen w1 '\[exit 255\]'
if term_screen w1 | grep -q "Главное меню"; then
	not_ok "the fourth, right password does not get in"
else
	ok "the fourth, right password does not get in"
fi
check "partad logged the three failures" \
    grep -q "failed password for petrov from 127.0.0.1 (3 of 3)" "$T/partad.log"

# Two more failures make five from this address: it is blocked.
login w2 petrov bad-4
wait_count w2 "password:" 2 >/dev/null
term_type w2 "bad-5"; term_keys w2 Enter
poll "$WAIT" sh -c "[ \$(grep -c 'failed password for petrov' '$T/partad.log') -ge 5 ]"
term_kill w2
# OpenSSH shows a banner at its default LogLevel (the test's is ERROR).
out=$("${CLIENT_ENV[@]}" ssh -F "$T/ssh_config" -o BatchMode=yes \
    -o LogLevel=INFO -l petrov parta true 2>&1)
case $out in
*"слишком много неудачных попыток входа"*"too many failed logins"*)
	ok "a blocked address is told so, in Russian and English" ;;
*) not_ok "a blocked address is told so, in Russian and English"; echo "$out" | diag ;;
esac
check "the refusal is logged with the time left" \
    grep -q "passwords of petrov from 127.0.0.1 blocked for" "$T/partad.log"
unblocked() { ! db "select 1 from auth_blocks where until > strftime('%s','now')" | grep -q 1; }
check "the block expires by itself" poll "$WAIT" unblocked
login ok1 petrov right-password
check "when the block expires, the right password gets in" wait_screen ok1 "Главное меню"
go ok1 '\[exit 0\]' q

# A ban: the teacher still authenticates, sees why, and nothing else.
check "sysop bans with a Cyrillic reason" sysop user ban petrov "спам в разделах"
login ban petrov right-password
check "a banned teacher sees the ban" wait_screen ban "заблокирована"
check "and its reason" wait_screen ban "спам в разделах"
term_keys ban q
check "and can only leave" wait_screen ban '\[exit 0\]'
check "sysop unbans" sysop user unban petrov
login unban petrov right-password
check "after the unban the menu is back" wait_screen unban "Главное меню"
term_keys unban q

# A command instead of a shell: a clear refusal, exit status 1.
make_key
out=$("${CLIENT_ENV[@]}" ssh -F "$T/ssh_config" -o BatchMode=yes -l new parta ls 2>&1)
rc=$?
if [ "$rc" -eq 1 ] && echo "$out" | grep -q "interactive BBS"; then
	ok "a command is refused with a message and status 1"
else
	not_ok "a command is refused with a message and status 1"; echo "rc=$rc $out" | diag
fi

# SIGHUP re-reads the configuration: registration switched off.
echo "registration no" >>"$T/partad.conf"
kill -HUP "$PARTAD_PID"
check "SIGHUP re-reads the configuration" \
    poll "$WAIT" grep -q "configuration re-read" "$T/partad.log"
out=$("${CLIENT_ENV[@]}" ssh -F "$T/ssh_config" -o BatchMode=yes -l new parta 2>&1)
case $out in
*"Permission denied"*) ok "with registration off, \"new\" is refused" ;;
*) not_ok "with registration off, \"new\" is refused"; echo "$out" | diag ;;
esac
echo "registration maybe" >>"$T/partad.conf"
kill -HUP "$PARTAD_PID"
check "a bad configuration on SIGHUP is reported and the old one kept" \
    poll "$WAIT" grep -q "keeping the old configuration" "$T/partad.log"
check "partad -t reports the bad key with file and line" \
    sh -c "'$B/partad' -t -f '$T/partad.conf' -d '$D' 2>&1 | grep -q 'partad.conf:[0-9]*: registration: expected yes or no'"

done_testing
