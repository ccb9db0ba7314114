# sync-posts.awk: the posts of parta-sync's benchmark (b-sync.sh), as
# one board of a teachers' forum, reproducibly from a seed.
#
#   awk -v seed=1 -v n=1021 -v part=0 -f sync-posts.awk TEACHER FORTUNES...
#
# The words are real Russian: the teachers' lines of the first file (one
# post a line: tests/bench/ru-words.txt and the shared corpus) open the
# threads, and the fortunes of Debian's fortunes-ru (aphorisms, jokes,
# short prose, records split by "%", their "-- author" lines dropped)
# fill the posts, so the text compresses as prose does and not as a
# repeated vocabulary.  part=0 takes the even teachers' lines and every
# fortune file given; the dictionary's training set is made with part=1
# and the other half of the files, so that no sentence is in both.
#
# Threads of 1 to 30 posts are interleaved in time, 40 authors; about
# half of the replies quote a line of an earlier post of their thread
# ("> ..."), as mail and forum replies do.  Output, one post a line,
# tab-separated: id, thread number, reply_to (0: none), author number,
# created (Unix time), subject (the thread's, on its first post only),
# body with "\n" for a line break and "\\" for a backslash.
BEGIN {
	srand(seed)
	ngreet = split("Коллеги, добрый день!|Добрый вечер!|Здравствуйте, коллеги." \
	    "|Спасибо за ответ!|Согласна с предыдущим сообщением.|Поддерживаю." \
	    "|Спасибо, очень пригодится!|А у нас в школе по-другому." \
	    "|Интересная мысль.|Присоединяюсь к вопросу.", greet, "|")
	nsign = split("С уважением, учитель начальных классов.|Хорошего дня!" \
	    "|Буду благодарна за советы.|Заранее спасибо.", sign, "|")
}
# The teachers' lines: one post each.
FNR == 1 { fileno++; if (rec != "") addfort(rec); rec = "" }
fileno == 1 {
	if ($0 != "" && (nteach++ % 2) == part)
		teach[nt++] = $0
	next
}
# A fortunes file: records between "%" lines.
$0 == "%" { addfort(rec); rec = ""; next }
/^[ \t]+--/ || /^[ \t]*$/ { next }
{
	line = $0
	gsub(/[\t ]+/, " ", line)
	sub(/^ /, "", line); sub(/ $/, "", line)
	rec = rec == "" ? line : rec " " line
}
function addfort(s) {
	# Prose only: a record of Cyrillic text of a post's sentence length.
	if (length(s) < 40 || length(s) > 900 || index(s, "о") == 0)
		return
	fort[nf++] = s
}
function pick(n) { return int(rand() * n) }
# The next fortune of a shuffled deck: none twice before all are used.
function deal(	j, t) {
	if (dealt == 0)
		for (j = nf - 1; j > 0; j--) {
			t = pick(j + 1)
			tmp = fort[j]; fort[j] = fort[t]; fort[t] = tmp
		}
	return fort[dealt++ % nf]
}
# A paragraph of k fortunes, wrapped as people type: a line break now and
# then, not at a fixed width.
function para(k,	s, j) {
	s = ""
	for (j = 0; j < k; j++)
		s = s (s == "" ? "" : (rand() < 0.3 ? "\n" : " ")) deal()
	return s
}
function esc(s) {
	gsub(/\\/, "\\\\", s)
	gsub(/\t/, " ", s)
	gsub(/\n/, "\\n", s)
	return s
}
# A line of s to quote: its own words, not an empty line or a quote.
function quoteline(s,	a, cnt, j, m, own) {
	cnt = split(s, a, "\n")
	m = 0
	for (j = 1; j <= cnt; j++)
		if (a[j] != "" && substr(a[j], 1, 1) != ">")
			own[m++] = a[j]
	return m ? own[pick(m)] : ""
}
END {
	if (rec != "")
		addfort(rec)
	t0 = 1764000000
	nthreads = 0
	for (id = 1; id <= n; id++) {
		# A new thread one post in eight, or when none is open.
		if (nthreads == 0 || rand() < 0.125) {
			th = nthreads++
			left[th] = 1 + pick(30)
			count[th] = 0
			open[nopen++] = th
			# The subject: the first words of its first line, a
			# teachers' line while they last (each opens one thread).
			open1 = used < nt ? teach[used++] : deal()
			cnt = split(open1, w, " ")
			subj = ""
			for (j = 1; j <= cnt && length(subj) < 50; j++)
				subj = subj (j > 1 ? " " : "") w[j]
			sub(/[,.:;!?]+$/, "", subj)
			body = open1 "\n\n" para(1 + pick(3))
			if (rand() < 0.3)
				body = body "\n\n" sign[1 + pick(nsign)]
			reply = 0
		} else {
			k = pick(nopen)
			th = open[k]
			subj = ""
			p = ids[th, pick(count[th])]
			body = ""
			q = quoteline(text[p])
			if (q != "" && rand() < 0.5)
				body = "> " q "\n\n"
			if (rand() < 0.3)
				body = body greet[1 + pick(ngreet)] " "
			body = body para(1 + pick(3))
			reply = p
		}
		ids[th, count[th]++] = id
		text[id] = body
		if (--left[th] == 0)
			for (j = 0; j < nopen; j++)
				if (open[j] == th) {
					open[j] = open[--nopen]
					break
				}
		t0 += 60 + pick(3600)
		printf "%d\t%d\t%d\t%d\t%d\t%s\t%s\n", id, th + 1, reply, 1 + pick(40),
		    t0, subj, esc(body)
	}
}
