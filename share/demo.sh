#!/bin/sh
# make run: create a demo community in DATADIR (once) and start partad on
# 127.0.0.1:2222 in the foreground, with DATADIR/demo.conf (public_host
# localhost).  Everything is made with parta-sysop, the way a sysop would
# do it by hand.
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
	# Boards, threads and posts (issue 3), made the way a sysop would.
	echo "teacher-demo" | sysop user add hairullin --role teacher \
	    --name "Рустам Хайруллин" --password-stdin
	echo "teacher-demo" | sysop user add petrova --role teacher \
	    --name "Мария Петрова" --password-stdin
	sysop board edit news post coordinator
	sysop board coordinator math petrova
	sysop post news --as sysop --subject "Добро пожаловать в parta" <<'POST'
Здравствуйте, коллеги!

Здесь разделы по предметам, почта и библиотека методических материалов.
Пишите в разделы, отвечайте друг другу, делитесь опытом. Если связь
оборвалась посреди письма, текст не пропадёт: при следующем входе его
предложат продолжить.
POST
	sysop post math --as ivanova --subject "Дроби в 5 классе: с чего начать?" <<'POST'
Коллеги, как вы объясняете дроби пятиклассникам? У меня хорошо идёт
пирог, разрезанный на равные части, но на сравнении дробей дети путаются.
POST
	sysop post russian --as petrova --subject "Диктант «Первый снег»" <<'POST'
Предлагаю диктант для 6 класса, 110 слов. Проверяем безударные гласные
и -н-/-нн- в прилагательных. Текст пришлю в личном письме, кому нужно.
POST
	sysop post tatar --as hairullin --subject "Туган тел көненә әзерлек" <<'POST'
Хөрмәтле хезмәттәшләр! Туган тел көненә нинди чаралар үткәрәсез?
Минем укучылар Тукай шигырьләрен ятлый.
POST
	sysop post help --as ivanova --subject "Не печатает принтер" <<'POST'
После обновления компьютер в кабинете не видит принтер. Кто сталкивался?
POST
	echo "Педсовет в пятницу в 15:00, актовый зал." | \
	    sysop news --subject "Педсовет в пятницу"
	printf 'Во вторник\nВ четверг\nВ субботу\n' | sysop poll add math \
	    --question "Когда удобнее проводить методическое объединение?" \
	    --closes "$(($(date +%Y) + 1))-06-01"
	# The library (issue 5): sections; files come over SFTP.
	sysop library section add math "Математика"
	sysop library section add russian "Русский язык и литература"
	sysop library section add tatar "Татар теле" --approval
	sysop library section add docs "Нормативные документы" --approval
	files=$(mktemp -d)
	cat >"$files/Дроби, 5 класс.txt" <<'FILE'
Урок математики в 5 классе: «Понятие дроби»

Цель: дети понимают, что такое доля и дробь, читают и записывают дроби.
1. Пирог на 8 равных частей: сколько частей съели, сколько осталось?
2. Числитель и знаменатель: что показывает каждое число.
3. Работа в парах: карточки «закрась 3/4 фигуры».
4. Итог: где в жизни встречаются дроби.
FILE
	cat >"$files/Әлифба уеннары.txt" <<'FILE'
Әлифба өйрәнү өчен уеннар (1 нче сыйныф)

1. «Хәрефне тап»: укытучы хәрефне әйтә, балалар карточканы күтәрә.
2. «Сүз җый»: ә, ө, ү, җ, ң, һ хәрефләре белән сүзләр.
FILE
	sysop library add math "$files/Дроби, 5 класс.txt" --as ivanova \
	    --title "Поурочный план: понятие дроби" --grades 5 \
	    --tags "дроби, поурочный план" \
	    --description "Урок на 45 минут: пирог, доли, работа в парах."
	sysop library add tatar "$files/Әлифба уеннары.txt" --as hairullin \
	    --title "Әлифба уеннары" --grades 1 --tags "әлифба, уен" \
	    --description "Игры для изучения татарского алфавита в 1 классе."
	rm -rf "$files"
fi

# The library's cards show sftp and scp lines naming public_host: the
# name the lines below tell users to connect to, not this machine's.
HOST=localhost
printf '# made by make run (share/demo.sh)\npublic_host %s\n' "$HOST" \
    >"$D/demo.conf"

cat <<EOT

  parta is starting on 127.0.0.1:$PORT (data in $D/).

  Register a new teacher:   ssh -p $PORT new@$HOST
  Log in as the demo sysop: ssh -p $PORT sysop@$HOST     (password: sysop-demo)
  Log in as a demo teacher: ssh -p $PORT ivanova@$HOST   (password: teacher-demo)
  Library over SFTP:        sftp -P $PORT ivanova@$HOST  (then: put FILE)
  Approve registrations:    $B/parta-sysop -d $D user list --pending
                            $B/parta-sysop -d $D user approve LOGIN

  Stop with Ctrl-C.

EOT
# As root, partad runs as the user parta after binding (partad(8)); a
# demo on a machine without that user runs as nobody instead.
user=
if [ "$(id -u)" -eq 0 ] && ! id parta >/dev/null 2>&1; then
	user="-u nobody"
fi
exec "$B/partad" -f "$D/demo.conf" -d "$D" -l 127.0.0.1 -p "$PORT" $user
