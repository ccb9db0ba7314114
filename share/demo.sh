#!/bin/sh
# make run: create a demo community in DATADIR (once) and start partad on
# 127.0.0.1:2222 in the foreground.  Everything is made with parta-sysop,
# the way a sysop would do it by hand.
#
#   share/demo.sh BUILDDIR DATADIR
set -e
B=${1:-build}
D=${2:-run}
PORT=${PARTA_PORT:-2222}
top=$(cd "$(dirname "$0")/.." && pwd)
export PARTA_LOCALEDIR="$top/build/locale"
sysop() { "$B/parta-sysop" -d "$D" "$@"; }

if [ ! -f "$D/parta.db" ]; then
	mkdir -p "$D"
	chmod 700 "$D"
	echo "sysop-demo" | sysop user add sysop --role sysop \
	    --name "Сисоп" --password-stdin
	echo "teacher-demo" | sysop user add ivanova --role teacher \
	    --name "Анна Петровна Иванова" --password-stdin
	sysop board add news "Объявления" "Новости и объявления сисопа"
	sysop board add math "Математика" "Уроки, задачи, олимпиады"
	sysop board add russian "Русский язык и литература" "Диктанты, сочинения, чтение"
	sysop board add tatar "Татарский язык" "Татар теле һәм әдәбияты"
	sysop board add primary "Начальная школа" "1–4 классы"
	sysop board add help "Помогите!" "Вопросы коллегам: компьютер, документы, уроки"
fi

cat <<EOT

  parta is starting on 127.0.0.1:$PORT (data in $D/).

  Register a new teacher:   ssh -p $PORT new@localhost
  Log in as the demo sysop: ssh -p $PORT sysop@localhost     (password: sysop-demo)
  Log in as a demo teacher: ssh -p $PORT ivanova@localhost   (password: teacher-demo)
  Approve registrations:    $B/parta-sysop -d $D user list --pending
                            $B/parta-sysop -d $D user approve LOGIN

  Stop with Ctrl-C.

EOT
exec "$B/partad" -d "$D" -l 127.0.0.1 -p "$PORT"
