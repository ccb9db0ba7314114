#!/bin/bash
# Recipient completion on a 40x15 terminal, with long Tatar names: the
# form's intro leaves no row for the list of candidates, so none is
# listed and none can be marked or taken unseen; the arrows move
# between the fields as on any form, and Enter's check says which
# teachers fit.  Made larger, the list comes, and what is marked there
# is what the field takes.
. "$(dirname "$0")/lib.sh"

start_partad || exit 1
add_users <<'EOT'
anna                    teacher anna-secret-1 Анна Иванова
gulnaz                  teacher g-secret-1    Гүлназ Хәбибуллина-Мөхәммәтшина Зөлфәтовна
gulshat                 teacher g-secret-2    Гүлшат Әхмәтҗанова-Сафиуллина
gulchachak_longer_login teacher g-secret-3    Гүлчәчәк Ильясовна
EOT
term_start a "$(ssh_cmd anna -o PubkeyAuthentication=no)" 40 15
wait_screen a "password:" >/dev/null
term_type a anna-secret-1
term_keys a Enter
wait_screen a "Главное меню" >/dev/null
go a "Входящие" m
go a "Кому" w
term_type a "гүл"
wait_screen a "Кому \(логин\)  гүл" >/dev/null
term_keys a Down Enter
check "the arrows went to the subject, and the check lists who fits" \
    wait_screen a "наберите больше букв"
check "no candidate unseen was taken at 40x15" \
    eval 'term_screen a | grep -q "Кому (логин)  гүл_"'
check "never a login she was not shown" \
    eval '! term_screen a | grep -qE "gul[a-z_]*, "'
term_resize a 80 24
go a "Кому \(логин\)" Escape w
term_type a "гүл"
check "at 80x24 the list comes" wait_screen a "> *Гүл|Гүлназ Хәбибуллина"
term_keys a Down Enter
check "and the one marked is what the field takes" \
    wait_screen a "Кому \(логин\)  [a-z_]+, "
done_testing
