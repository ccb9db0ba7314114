#!/bin/bash
# A logged-in session: who is online with two sessions, window resize,
# profile and language that persist, password change, the idle warning
# and close (different limits before and after approval), SIGTERM.
. "$(dirname "$0")/lib.sh"

start_partad || exit 1
add_user anna teacher "Анна Иванова" "anna-secret"
add_user rustam teacher "Рөстәм Хәйруллин" "rustam-secret"

login_menu a anna anna-secret
login_menu b rustam rustam-secret
term_keys a w
check "who lists the other session with its Tatar name" \
    wait_screen a "rustam +Рөстәм Хәйруллин"
check "who lists one's own session" wait_screen a "anna +Анна Иванова"
check "the count of sessions is shown" wait_screen a "Кто в сети \(2\)"
check "sysop's who sees both" sh -c "'$B/parta-sysop' -d '$D' who | grep -q rustam && '$B/parta-sysop' -d '$D' who | grep -q anna"
check "and says in Russian what each is doing" \
    sh -c "'$B/parta-sysop' -d '$D' who | grep '^rustam ' | grep -q 'в меню'"
term_keys a Escape

# Resize: the header's login moves to the new right edge.
term_resize b 60 20
check "after a resize the screen is redrawn at the new width" \
    wait_screen b "^parta \| Главное меню +rustam$"
# The main menu is taller than 60x20 now: it scrolls, its last item is
# one Up away, and Down comes back to the first.
check "at 60x20 the menu marks that more items follow" wait_screen b "^v"
term_keys b Up
check "the menu is still complete at 60x20" wait_screen b "q  Выход"
term_keys b Down
wait_screen b "^ > b  Разделы" >/dev/null
line=$(term_screen b | head -1)
if [ "${#line}" -le 60 ]; then ok "the header fits 60 columns"; else not_ok "the header fits 60 columns"; fi

# Profile: edit "about me", saved and shown again.
go b "Профиль" p
term_keys b Down Down Down
fill b "Татар теле укытучысы"
check "the profile is saved" wait_screen b "Профиль сохранён"
term_keys b Enter
check "the store has the Tatar text" \
    sh -c "'$B/parta-sysop' -d '$D' user show rustam | grep -q 'Татар теле укытучысы'"

# Language: switch to English, log out and in: it stays English.
term_keys b l
check "the menu switches to English" wait_screen b "Who is online"
go b '\[exit 0\]' q
check "the farewell is in English" wait_screen b "Goodbye"
login b2 rustam rustam-secret
check "English persists across logins" wait_screen b2 "Main menu"
term_keys b2 l
check "and switches back to Russian" wait_screen b2 "Главное меню"

# Password change: the old one stops working.
go b2 "Текущий пароль" s
fill b2 "rustam-secret" "new-secret-2" "new-secret-2"
check "the password is changed" wait_screen b2 "Пароль изменён"
go b2 '\[exit 0\]' Enter q
out=$("${CLIENT_ENV[@]}" ssh -F "$T/ssh_config" -o BatchMode=yes -l rustam parta true 2>&1)
login b3 rustam new-secret-2
check "the new password logs in" wait_screen b3 "Главное меню"
term_keys b3 q

# Idle: restart with short limits; a warning first, then the close.  A
# member idle, a guest (the registration form, a shorter limit of its
# own) and a member who types run at once, each on its own clock.
stop_partad
wait_screen a '\[exit 0\]' >/dev/null
start_partad "idle_timeout 12" "guest_idle_timeout 10" "idle_warning 6" || exit 1
login_menu idle anna anna-secret
term_start g "$(ssh_cmd new)"
wait_screen g "Регистрация" >/dev/null
start=$(date +%s)
login_menu k anna anna-secret
check "an idle session is warned" wait_screen idle "сеанс закроется через" 150

# Keystrokes keep a session alive past the warning.
wait_screen k "сеанс закроется через" 150 >/dev/null
term_keys k Down
check "a key dismisses the warning" \
    poll "$WAIT" screen_lacks k 'сеанс закроется'
check "and the menu is still there" wait_screen k "Главное меню"

# The guest's limit.
wait_screen g "закрыт из-за бездействия" 200 >/dev/null
took=$(($(date +%s) - start))
if [ "$took" -ge 8 ] && [ "$took" -le 12 ]; then
	ok "the registration form closes after guest_idle_timeout (${took}s)"
else
	not_ok "the registration form closes after guest_idle_timeout (${took}s, want 10)"
fi

check "the idle session is then closed with a message" \
    wait_screen idle "закрыт из-за бездействия" 100
check "and the connection ends" wait_screen idle '\[exit 0\]' 50

# SIGTERM: sessions get a goodbye and partad exits.
term_keys k Down
stop_partad
check "SIGTERM ends sessions with a message" wait_screen k "Сервер останавливается"
check "the session's client exits cleanly" wait_screen k '\[exit 0\]'

done_testing
