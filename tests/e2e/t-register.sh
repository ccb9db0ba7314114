#!/bin/bash
# The whole way in for a new teacher: register as "new", see the pending
# screen, get approved in parta-sysop, log in with the password, add an
# SSH key from the UI, log in with the key alone.  Also through PuTTY's
# plink, a second SSH implementation.  Registrations per address are
# limited, and pending accounts reserve no display names.
. "$(dirname "$0")/lib.sh"

start_partad "registration_per_address 3" || exit 1
make_key

term_start reg "$(ssh_cmd new)"
check "registration form appears in Russian" wait_screen reg "Регистрация"
check "the form asks for a login" wait_screen reg "Логин"
fill reg "ivanova" "Анна Иванова" "МБОУ СОШ с. Кукмор" "математика" \
    "secret-pw1" "secret-pw1"
check "after registering, the pending screen" \
    wait_screen reg "ожидает одобрения сисопа"
check "the pending screen greets by the Cyrillic name" \
    wait_screen reg "Здравствуйте, Анна Иванова"
term_keys reg q
check "q logs out" wait_screen reg '\[exit 0\]'

check "sysop sees the pending registration" \
    sh -c "'$B/parta-sysop' -d '$D' user list --pending | grep -q ivanova"

login pend ivanova secret-pw1
check "a pending teacher sees only the waiting screen" \
    wait_screen pend "ожидает одобрения"
if term_screen pend | grep -q "Главное меню"; then
	not_ok "a pending teacher has no main menu"
else
	ok "a pending teacher has no main menu"
fi
go pend '\[exit' q

check "sysop approves" sysop user approve ivanova >/dev/null
check "approved teacher is listed as teacher, in Russian" \
    sh -c "'$B/parta-sysop' -d '$D' user show ivanova | grep -q учитель"

login main ivanova secret-pw1
check "password login reaches the main menu" wait_screen main "Главное меню"
check "the menu offers who is online" wait_screen main "Кто в сети"

# Add the key through the UI: paste the .pub line.
term_keys main k
check "the key list opens" wait_screen main "Ключи SSH"
term_keys main a
check "the add-key form opens" wait_screen main "Добавить ключ SSH"
fill main "$(cat "$T/id_ed25519.pub")"
check "the key is added" wait_screen main "Ключ добавлен"
term_keys main Enter
check "the list shows the key's fingerprint" \
    wait_screen main "$(ssh-keygen -lf "$T/id_ed25519.pub" | awk '{print $2}' | cut -c1-30 | sed 's/+/\\+/g')"
go main "Главное меню" Escape
term_keys main q
check "log out from the menu" wait_screen main '\[exit 0\]'

term_start key "$(ssh_cmd ivanova -o PasswordAuthentication=no -o KbdInteractiveAuthentication=no -C -v -E $T/ssh-v.log)"
check "key login, no password asked, reaches the menu" \
    wait_screen key "Главное меню"
check "the server offers compression and ssh -C uses it" \
    grep -q "compression: zlib@openssh.com" "$T/ssh-v.log"
go key '\[exit 0\]' q

# A registration the sysop rejects: the teacher learns why.
term_start reg2 "$(ssh_cmd new)"
wait_screen reg2 "Регистрация" >/dev/null
fill reg2 "petrova" "Мария Петрова" "" "" "secret-pw2" "secret-pw2"
wait_screen reg2 "ожидает одобрения" >/dev/null
term_keys reg2 q
check "sysop rejects with a reason" \
    sysop user reject petrova "укажите, пожалуйста, школу" >/dev/null
login rej petrova secret-pw2
check "the rejected teacher sees the rejection" wait_screen rej "отклонил"
check "and the sysop's reason" wait_screen rej "укажите, пожалуйста, школу"
term_keys rej q
check "and can only leave" wait_screen rej '\[exit 0\]'
check "a rejected registration is no longer pending" \
    sh -c "! '$B/parta-sysop' -d '$D' user list --pending | grep -q petrova"

# PuTTY's plink: password, then key (converted with puttygen).
HK=$(ssh-keygen -lf "$D/ssh_host_ed25519_key.pub" -E sha256 | awk '{print $2}')
term_start plink "${CLIENT_ENV[*]} plink -ssh -t -no-antispoof -P $PORT -hostkey $HK -pw secret-pw1 ivanova@127.0.0.1"
check "plink logs in with a password" wait_screen plink "Главное меню"
go plink '\[exit' q
puttygen "$T/id_ed25519" -O private -o "$T/id.ppk" 2>/dev/null
term_start plinkkey "${CLIENT_ENV[*]} plink -ssh -t -batch -P $PORT -hostkey $HK -i $T/id.ppk ivanova@127.0.0.1"
check "plink logs in with a key" wait_screen plinkkey "Главное меню"
term_keys plinkkey q

# The third registration from this address is the last one today; a
# pending account's name keeps no teacher from it.
term_start reg3 "$(ssh_cmd new)"
wait_screen reg3 "Регистрация" >/dev/null
fill reg3 "squatter" "Ольга Сидорова" "" "" "secret-pw3" "secret-pw3"
wait_screen reg3 "ожидает одобрения" >/dev/null
term_keys reg3 q
term_start reg4 "$(ssh_cmd new)"
check "a fourth registration from one address is refused before the form" \
    wait_screen reg4 "слишком много регистраций с вашего адреса"
check "... while a reset code still leads in" \
    wait_screen reg4 "c  У меня есть код сброса"
term_keys reg4 q
check "... and q ends the session" wait_screen reg4 '\[exit 0\]'
check "a teacher gets her name although a pending account has it" \
    sh -c "echo secret-pw4 | '$B/parta-sysop' -d '$D' user add sidorova \
    --role teacher --name 'Ольга Сидорова' --password-stdin >/dev/null"
check "approving the pending look-alike is refused" \
    sh -c "! '$B/parta-sysop' -d '$D' user approve squatter 2>/dev/null"

done_testing
