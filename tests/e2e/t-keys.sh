#!/bin/bash
# Keys as tables, through OpenSSH: the legend on the bottom line fits 80
# columns and always ends with "? справка"; "?" lists every key the user
# may use on that screen, in Russian, and none she may not; a key not
# offered does nothing.  Seen on the board list, in the pager as a reader
# and as a coordinator on her own post, and in the editor (^G).
. "$(dirname "$0")/lib.sh"

start_partad || exit 1
for u in anna koord; do
	echo "$u-secret-1" | sysop user add $u --role teacher --name "Имя $u" \
	    --password-stdin >/dev/null
done
sysop board add math "Математика" >/dev/null
sysop board coordinator math koord >/dev/null
echo "Первое." | sysop post math --as koord --subject "Тема координатора" \
    >/dev/null

bottom() { term_screen "$1" | tail -n 1 | sed 's/ *$//'; }
# is_bottom NAME LINE: the bottom line of NAME is LINE (shown if not).
_is_bottom() { [ "$(bottom "$1")" = "$2" ]; }
is_bottom() {
	poll 20 _is_bottom "$1" "$2" && return 0
	term_screen "$1" | diag
	return 1
}
# The line of key $2 on the "?" screen: the key, then what it does.
has_line() { term_screen "$1" | grep -qE "^$2 +$3\$"; }
no_line()  { ! term_screen "$1" | grep -qE "^$2 +"; }

login a anna anna-secret-1
wait_screen a "Главное меню" >/dev/null
check "the menu's legend offers help" wait_screen a "буква пункта  \? справка"
term_keys a ?
check "? on the main menu lists its items" \
    wait_screen a "Клавиши: Главное меню"
check "with what each does" has_line a b "Разделы"
check "a sysop's item is not listed to a teacher" no_line a r
go a "буква пункта" Escape

go a "Разделы" b
check "the board list's legend, as a reader" \
    is_bottom a "Enter открыть  c всё прочитано  Esc назад  ? справка"
term_keys a ?
check "? opens the board list's keys" wait_screen a "Клавиши: Разделы"
check "Enter opens a board" has_line a Enter "темы раздела"
check "c marks it read" has_line a c "отметить всё в разделе прочитанным"
check "Esc goes back" has_line a Esc "назад"
check "? is this list" has_line a "\?" "этот список клавиш"
check "the arrows move the marker" has_line a "Вверх, вниз" "двигать указатель"
check "the coordinators' growth key is not listed to a reader" no_line a g
term_keys a Escape
check "Esc leaves the help for the list" \
    wait_screen a "^Enter открыть  c всё прочитано"

go a "Тема координатора" Enter
go a "Первое\." Enter
check "the pager's legend, as a reader" is_bottom a \
    "n новое j след. k пред. r ответ t с цитатой f следить Esc назад ? справка"
check "a coordinator's key is not in a reader's legend" \
    sh -c "! tmux -S '$TMUX_SOCK' capture-pane -p -t a | grep -q 'h скрыть'"
term_keys a F1
check "F1 opens the pager's keys" wait_screen a "Клавиши: Математика / Тема"
term_keys a Escape
wait_screen a "Первое\." >/dev/null
term_keys a ?
check "? opens the pager's keys" wait_screen a "Клавиши: Математика / Тема"
check "j: the next post" has_line a j "следующее сообщение"
check "t: reply with a quote" has_line a t "ответить, процитировав это сообщение"
check "PgDn and Space scroll" has_line a "PgUp, PgDn, пробел" "на страницу"
check "no hide key for a reader" no_line a h
check "no title key for a reader" no_line a s
check "no edit key on another's post" no_line a e
go a "Первое\." Escape
term_keys a h
check "and h does nothing for her" \
    poll 20 sh -c "! tmux -S '$TMUX_SOCK' capture-pane -p -t a | grep -q 'Причина'"
check "nothing is hidden" [ "$(db "SELECT count(*) FROM posts WHERE hidden_at IS NOT NULL")" = 0 ]
# к is r on the Russian layout.
term_keys a к
check "keys work on the ЙЦУКЕН layout" wait_screen a "\^X отправить"
term_keys a Escape

login k koord koord-secret-1
wait_screen k "Главное меню" >/dev/null
go k "Разделы" b
check "a coordinator's board list offers growth" \
    is_bottom k "Enter открыть  c всё прочитано  g рост  Esc назад  ? справка"
go k "Тема координатора" Enter
go k "Первое\." Enter
# Whole entries that fit 80 columns, "? все клавиши" last when some are
# left out (issue 15: the way to the rest).
check "her own post: the legend fits, with ? last" is_bottom k \
    "n новое j след. k пред. r ответ t с цитатой e правка d удалить ? все клавиши"
term_keys k ?
check "? opens the pager's keys for her" wait_screen k "Клавиши: Математика"
check "e: change her post" has_line k e "изменить текст вашего сообщения"
check "d: delete it" has_line k d "удалить ваше сообщение"
check "h: hide it (a coordinator)" \
    has_line k h "скрыть сообщение от читателей; автор получит письмо"
check "s: the thread's title (a coordinator)" \
    has_line k s "изменить заголовок темы"
check "^L redraws" has_line k "\^L" "перерисовать экран"
go k "Первое\." Escape

# The editor: ? is text there, so its help is ^G.
go k "\^X отправить" r
check "the editor's legend" is_bottom k \
    "^X отправить  Esc выйти  ^G справка"
term_type k "Да?"
term_keys k C-g
check "^G opens the editor's keys" wait_screen k "Клавиши: Ответ"
check "^X sends" has_line k "\^X" "отправить текст"
term_keys k Escape
check "back in the editor, the text kept" wait_screen k "^Да\?"
term_keys k F1
check "F1 opens the editor's keys too" wait_screen k "Клавиши: Ответ"
term_keys k Escape
check "and the text is still there" wait_screen k "^Да\?$"

done_testing
