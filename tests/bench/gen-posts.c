/*
 * gen-posts.c: the search benchmark's engine.  It fills a parta store
 * with generated posts of Russian school-forum text (a vocabulary built
 * in below: lemmas in several inflected forms, drawn with a Zipf law, and
 * the little words between them), reproducibly from a seed, through the
 * real schema, so the FTS index and its triggers do the work they do on
 * the BBS; then it runs generated queries through search_run() as the UI
 * does.  It measures and prints Markdown table rows; it asserts nothing.
 *
 *   parta-gen-posts [-s SEED] [-n POSTS] [-q QUERIES]
 *       [-a POSTS [-S normal|full]] STORE
 *
 * With -n it adds that many posts (in 12 boards, threads of 1 to 30
 * posts, 500 authors) and prints the insert rate and the index size;
 * with -q it runs that many queries and prints p50, p95 and the worst.
 * With -a it posts that many replies as the BBS does, each through
 * post_reply() in its own transaction, each acknowledged only after its
 * COMMIT, and prints the rate; -S sets PRAGMA synchronous for it (the
 * store opens with FULL; NORMAL was the setting before issue 9), so
 * make bench can set the two side by side.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "log.h"
#include "post.h"
#include "search.h"
#include "store.h"
#include "user.h"
#include "util.h"

#define BOARDS		12
#define AUTHORS		500
#define BATCH		10000	/* posts per transaction */

/* A lemma: its forms, the first being the dictionary form. */
struct lemma {
	const char	*form[6];
};

/* Content words of a teachers' forum, most frequent first (roughly). */
static const struct lemma lemmas[] = {
	{ { "урок", "урока", "уроке", "уроки", "уроков", "уроками" } },
	{ { "ученик", "ученика", "ученики", "учеников", "ученикам", "учениками" } },
	{ { "класс", "класса", "классе", "классы", "классов", "классом" } },
	{ { "задание", "задания", "заданий", "заданием", "заданиях" } },
	{ { "учитель", "учителя", "учителей", "учителям", "учителю" } },
	{ { "школа", "школы", "школе", "школу", "школой", "школ" } },
	{ { "работа", "работы", "работу", "работе", "работой", "работ" } },
	{ { "вопрос", "вопроса", "вопросы", "вопросов", "вопросом" } },
	{ { "программа", "программы", "программе", "программу", "программой" } },
	{ { "делать", "делаем", "делают", "делали", "сделать", "сделали" } },
	{ { "дети", "детей", "детям", "детьми", "детях" } },
	{ { "тема", "темы", "теме", "тему", "темой", "тем" } },
	{ { "математика", "математики", "математике", "математику", "математикой" } },
	{ { "контрольная", "контрольной", "контрольную", "контрольные", "контрольных" } },
	{ { "материал", "материала", "материалы", "материалов", "материалом" } },
	{ { "родители", "родителей", "родителям", "родителями", "родительское" } },
	{ { "год", "года", "году", "годом", "лет" } },
	{ { "русский", "русского", "русскому", "русском", "русским" } },
	{ { "язык", "языка", "языку", "языком", "языке" } },
	{ { "олимпиада", "олимпиады", "олимпиаде", "олимпиаду", "олимпиад" } },
	{ { "учебник", "учебника", "учебнике", "учебники", "учебников" } },
	{ { "проверка", "проверки", "проверке", "проверку", "проверять", "проверили" } },
	{ { "оценка", "оценки", "оценку", "оценок", "оценками" } },
	{ { "методика", "методики", "методике", "методику", "методический" } },
	{ { "презентация", "презентации", "презентацию", "презентаций" } },
	{ { "литература", "литературы", "литературе", "литературу" } },
	{ { "чтение", "чтения", "чтению", "чтением", "читать", "читают" } },
	{ { "диктант", "диктанта", "диктанты", "диктантов", "диктантом" } },
	{ { "экзамен", "экзамена", "экзамены", "экзаменов", "экзаменам" } },
	{ { "ВПР", "ВПР" } },
	{ { "ОГЭ", "ОГЭ" } },
	{ { "ЕГЭ", "ЕГЭ" } },
	{ { "история", "истории", "историю", "историей" } },
	{ { "физика", "физики", "физике", "физику" } },
	{ { "химия", "химии", "химию", "химией" } },
	{ { "биология", "биологии", "биологию", "биологией" } },
	{ { "география", "географии", "географию", "географией" } },
	{ { "задача", "задачи", "задаче", "задачу", "задач", "задачами" } },
	{ { "пример", "примера", "примеры", "примеров", "примером" } },
	{ { "семинар", "семинара", "семинаре", "семинары", "семинаров" } },
	{ { "кабинет", "кабинета", "кабинете", "кабинеты" } },
	{ { "расписание", "расписания", "расписании", "расписанию" } },
	{ { "четверть", "четверти", "четвертей", "четвертью" } },
	{ { "каникулы", "каникул", "каникулах", "каникулам" } },
	{ { "праздник", "праздника", "празднику", "праздники", "праздников" } },
	{ { "ёлка", "ёлки", "ёлке", "ёлку", "ёлок", "ёлочные" } },
	{ { "зайка", "зайки", "зайку", "заек" } },
	{ { "ёжик", "ёжика", "ёжики", "ёжиков" } },
	{ { "лес", "леса", "лесу", "лесом", "лесов" } },
	{ { "природа", "природы", "природе", "природу" } },
	{ { "экскурсия", "экскурсии", "экскурсию", "экскурсий" } },
	{ { "библиотека", "библиотеки", "библиотеке", "библиотеку" } },
	{ { "книга", "книги", "книге", "книгу", "книг", "книгами" } },
	{ { "тетрадь", "тетради", "тетрадей", "тетрадях" } },
	{ { "доска", "доски", "доске", "доску", "интерактивная" } },
	{ { "компьютер", "компьютера", "компьютеры", "компьютеров" } },
	{ { "интернет", "интернета", "интернете", "интернетом" } },
	{ { "связь", "связи", "связью" } },
	{ { "район", "района", "районе", "районный", "районного" } },
	{ { "село", "села", "селе", "сельской", "сельских" } },
	{ { "директор", "директора", "директору", "директором" } },
	{ { "завуч", "завуча", "завучу", "завучем" } },
	{ { "совещание", "совещания", "совещании", "совещаний" } },
	{ { "отчёт", "отчёта", "отчёты", "отчётов", "отчётом" } },
	{ { "журнал", "журнала", "журнале", "журналы" } },
	{ { "электронный", "электронного", "электронном", "электронные" } },
	{ { "дистанционный", "дистанционного", "дистанционном", "дистанционно" } },
	{ { "проект", "проекта", "проекты", "проектов", "проектом" } },
	{ { "конкурс", "конкурса", "конкурсе", "конкурсы", "конкурсов" } },
	{ { "грамота", "грамоты", "грамоту", "грамот" } },
	{ { "сочинение", "сочинения", "сочинений", "сочинением" } },
	{ { "изложение", "изложения", "изложений", "изложением" } },
	{ { "правило", "правила", "правил", "правилам" } },
	{ { "упражнение", "упражнения", "упражнений", "упражнением" } },
	{ { "дробь", "дроби", "дробей", "дробями" } },
	{ { "уравнение", "уравнения", "уравнений", "уравнениями" } },
	{ { "таблица", "таблицы", "таблице", "таблицу", "умножения" } },
	{ { "словарь", "словаря", "словари", "словарный", "словарные" } },
	{ { "ударение", "ударения", "ударений", "ударением" } },
	{ { "орфография", "орфографии", "орфографическая", "орфограмма" } },
	{ { "пунктуация", "пунктуации", "запятая", "запятые", "запятых" } },
	{ { "стихотворение", "стихотворения", "стихи", "стихов" } },
	{ { "Пушкин", "Пушкина", "Пушкину", "Пушкине" } },
	{ { "Толстой", "Толстого", "Толстому" } },
	{ { "сказка", "сказки", "сказку", "сказок", "сказками" } },
	{ { "музыка", "музыки", "музыке", "музыку" } },
	{ { "рисование", "рисования", "рисунок", "рисунки" } },
	{ { "физкультура", "физкультуры", "физкультуре", "спортивный" } },
	{ { "столовая", "столовой", "обед", "обеда" } },
	{ { "автобус", "автобуса", "автобусе", "подвоз" } },
	{ { "зима", "зимы", "зимой", "зимние", "мороз", "морозы" } },
	{ { "весна", "весны", "весной", "весенние" } },
	{ { "осень", "осени", "осенью", "осенние" } },
	{ { "лето", "лета", "летом", "летние" } },
	{ { "Казань", "Казани", "Казанью" } },
	{ { "Улан-Удэ", "Улан-Удэ" } },
	{ { "татарский", "татарского", "татарском", "татарскому" } },
	{ { "бурятский", "бурятского", "бурятском" } },
	{ { "родной", "родного", "родном", "родному" } },
	{ { "помощь", "помощи", "помощью", "помогите", "помогли" } },
	{ { "совет", "совета", "советы", "советов", "посоветуйте" } },
	{ { "опыт", "опыта", "опытом", "опыте" } },
	{ { "спасибо", "спасибо", "благодарю" } },
	{ { "интересный", "интересная", "интересное", "интересные", "интересно" } },
	{ { "трудный", "трудная", "трудное", "трудные", "трудно" } },
	{ { "новый", "новая", "новое", "новые", "новых", "нового" } },
	{ { "хороший", "хорошая", "хорошее", "хорошие", "хорошо" } },
	{ { "начальный", "начальных", "начальной", "начальные" } },
	{ { "старший", "старших", "старшие", "старшеклассники" } },
	{ { "младший", "младших", "младшие", "младшеклассники" } },
	{ { "понимать", "понимают", "понимаю", "поняли", "понятно" } },
	{ { "объяснить", "объясняю", "объяснили", "объяснение" } },
	{ { "готовить", "готовлю", "готовим", "подготовка", "подготовки" } },
	{ { "писать", "пишут", "пишу", "написали", "написать" } },
	{ { "решать", "решают", "решили", "решение", "решения" } },
	{ { "учить", "учат", "учим", "выучить", "выучили" } },
	{ { "прислать", "пришлите", "прислали", "отправить", "отправила" } },
	{ { "скачать", "скачал", "скачала", "файл", "файлы", "файла" } },
	{ { "сайт", "сайта", "сайте", "ссылка", "ссылку" } },
	{ { "ФГОС", "ФГОС" } },
	{ { "аттестация", "аттестации", "аттестацию" } },
	{ { "курсы", "курсов", "курсах", "повышения", "квалификации" } },
	{ { "зарплата", "зарплаты", "зарплату", "премия", "премии" } },
	{ { "нагрузка", "нагрузки", "нагрузку", "часов", "часа" } },
};

/* The little words between them. */
static const char *const glue[] = {
	"и", "в", "не", "на", "с", "что", "по", "как", "а", "к", "у", "для",
	"это", "о", "но", "из", "за", "так", "же", "все", "мы", "они", "я",
	"вы", "уже", "очень", "или", "если", "когда", "ещё", "только", "там",
	"нас", "наши", "мои", "у нас", "в этом году", "после", "до", "без",
	"может", "надо", "нужно", "можно", "есть", "было", "будет", "кто",
};

static const char *const board_names[BOARDS][2] = {
	{ "nach", "Начальные классы" }, { "math", "Математика" },
	{ "rus", "Русский язык и литература" }, { "hist", "История" },
	{ "phys", "Физика" }, { "chem", "Химия и биология" },
	{ "geo", "География" }, { "tatar", "Татар теле" },
	{ "bxr", "Буряад хэлэн" }, { "it", "Информатика" },
	{ "class", "Классное руководство" }, { "news", "Объявления" },
};

/* ---- a reproducible random source (xorshift64*) ----------------------- */

static uint64_t	 rng_state;

static uint64_t
rng(void)
{
	rng_state ^= rng_state >> 12;
	rng_state ^= rng_state << 25;
	rng_state ^= rng_state >> 27;
	return rng_state * 0x2545f4914f6cdd1dULL;
}

static double
rng01(void)
{
	return (double)(rng() >> 11) / 9007199254740992.0;
}

static size_t
rng_below(size_t n)
{
	return (size_t)(rng() % n);
}

/*
 * The vocabulary: VOCAB words ranked by a Zipf law (s = 1), as words of
 * real text are.  The built-in lemmas take ranks 20 to 2000, spread
 * evenly on a log scale, so "урок" is in a few per cent of posts and the
 * rarer lemmas in a few hundred; the other ranks are made-up words of
 * Russian syllables and endings, the long tail every forum has.  A
 * vocabulary of a hundred words alone would put every word in most posts
 * and make every query slower than on any real board.
 */
#define VOCAB		30000
static double			 vocab_cum[VOCAB];
static const struct lemma	*vocab_real[VOCAB];

static void
vocab_init(void)
{
	double	 sum = 0;
	size_t	 i, r, n = nitems(lemmas);

	for (i = 0; i < VOCAB; i++) {
		sum += 1.0 / (double)(i + 1);
		vocab_cum[i] = sum;
	}
	for (i = 0; i < VOCAB; i++)
		vocab_cum[i] /= sum;
	for (i = 0; i < n; i++) {
		r = (size_t)(20.0 * pow(100.0, (double)i / (double)(n - 1)));
		while (vocab_real[r] != NULL)
			r++;
		vocab_real[r] = &lemmas[i];
	}
}

static size_t
vocab_rank(void)
{
	double	 r = rng01();
	size_t	 lo = 0, hi = VOCAB - 1, mid;

	while (lo < hi) {
		mid = (lo + hi) / 2;
		if (vocab_cum[mid] < r)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

/* The made-up word of rank r, in one of a few case forms. */
static const char *
synth_word(size_t r)
{
	static const char *const syl[20] = {
		"ба", "ве", "го", "ду", "ка", "ле", "ми", "но", "пра", "ро",
		"сту", "ти", "фе", "ха", "чи", "ша", "зо", "ры", "ло", "ня",
	};
	static const char *const end[] = { "", "а", "ы", "ом", "ами", "ов" };
	static char	 w[64];
	size_t		 n = r;

	w[0] = '\0';
	do {
		strcat(w, syl[n % 20]);
		n /= 20;
	} while (n > 0);
	strcat(w, syl[(r * 7) % 20]);	/* at least two syllables */
	strcat(w, end[rng_below(nitems(end))]);
	return w;
}

static const char *any_form(const struct lemma *);

static const char *
vocab_word(void)
{
	size_t	 r = vocab_rank();

	return vocab_real[r] != NULL ? any_form(vocab_real[r]) : synth_word(r);
}

static const char *
any_form(const struct lemma *l)
{
	size_t	 n = 0;

	while (n < 6 && l->form[n] != NULL)
		n++;
	return l->form[rng_below(n)];
}

/* ---- text ------------------------------------------------------------- */

struct text {
	char	*s;
	size_t	 len, cap;
};

static void
text_add(struct text *t, const char *s)
{
	size_t	 n = strlen(s);

	if (t->len + n + 2 > t->cap) {
		t->cap = (t->len + n + 2) * 2;
		t->s = xrealloc(t->s, t->cap);
	}
	memcpy(t->s + t->len, s, n + 1);
	t->len += n;
}

/* Upper-case the first letter if it is an ASCII or Cyrillic small one. */
static void
capital(struct text *t, size_t at)
{
	unsigned char	*p = (unsigned char *)t->s + at;

	if (p[0] == 0xd0 && p[1] >= 0xb0 && p[1] <= 0xbf)
		p[1] -= 0x20;			/* а..п */
	else if (p[0] == 0xd1 && p[1] >= 0x80 && p[1] <= 0x8f) {
		p[0] = 0xd0;			/* р..я */
		p[1] += 0x20;
	} else if (p[0] == 0xd1 && p[1] == 0x91) {
		p[0] = 0xd0;			/* ё */
		p[1] = 0x81;
	}
}

/* A sentence of 4 to 16 words, a third of them little ones. */
static void
sentence(struct text *t)
{
	static const char *const ends[] = { ".", ".", ".", "!", "?", "..." };
	size_t	 n = 4 + rng_below(13), i, start = t->len;

	for (i = 0; i < n; i++) {
		if (i > 0)
			text_add(t, rng_below(12) == 0 ? ", " : " ");
		text_add(t, rng_below(3) == 0 ? glue[rng_below(nitems(glue))] :
		    vocab_word());
	}
	capital(t, start);
	text_add(t, ends[rng_below(nitems(ends))]);
}

/* A post: 1 to 7 sentences, sometimes in two paragraphs. */
static void
post_body(struct text *t)
{
	size_t	 n = 1 + rng_below(4) + rng_below(4), i;

	t->len = 0;
	text_add(t, "");
	for (i = 0; i < n; i++) {
		if (i > 0)
			text_add(t, i == n / 2 && rng_below(2) ? "\n\n" : " ");
		sentence(t);
	}
}

static void
subject(struct text *t)
{
	size_t	 n = 2 + rng_below(4), i;

	t->len = 0;
	text_add(t, "");
	for (i = 0; i < n; i++) {
		if (i > 0)
			text_add(t, " ");
		text_add(t, rng_below(4) == 0 ? glue[rng_below(nitems(glue))] :
		    vocab_word());
	}
	capital(t, 0);
}

/* ---- filling the store ---------------------------------------------- */

static int64_t
now_ns(void)
{
	struct timespec	 ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

static void
die(struct store *st, const char *what)
{
	fprintf(stderr, "gen-posts: %s: %s\n", what, sqlite3_errmsg(store_db(st)));
	exit(1);
}

static void
run(struct store *st, sqlite3_stmt *stmt, const char *what)
{
	if (sqlite3_step(stmt) != SQLITE_DONE)
		die(st, what);
	sqlite3_reset(stmt);
}

/* Boards and authors, once per store. */
static void
setup(struct store *st)
{
	sqlite3_stmt	*b, *u;
	char		 s[64];
	int		 i;

	if (store_begin(st) != 0)
		die(st, "begin");
	b = store_prepare(st, "INSERT OR IGNORE INTO boards(uuid, name, title,"
	    " position, created_at) VALUES (?1, ?2, ?3, ?4, 0)");
	u = store_prepare(st, "INSERT OR IGNORE INTO users(uuid, login,"
	    " display_name, role, created_at) VALUES (?1, ?2, ?3, 'teacher', 0)");
	if (b == NULL || u == NULL)
		die(st, "prepare");
	for (i = 0; i < BOARDS; i++) {
		snprintf(s, sizeof(s), "bench-board-%d", i);
		store_bind_text(b, 1, s);
		store_bind_text(b, 2, board_names[i][0]);
		store_bind_text(b, 3, board_names[i][1]);
		sqlite3_bind_int(b, 4, i);
		run(st, b, "board");
	}
	for (i = 0; i < AUTHORS; i++) {
		snprintf(s, sizeof(s), "bench-user-%d", i);
		store_bind_text(u, 1, s);
		snprintf(s, sizeof(s), "teacher%d", i);
		store_bind_text(u, 2, s);
		snprintf(s, sizeof(s), "Учитель %d", i);
		store_bind_text(u, 3, s);
		run(st, u, "user");
	}
	sqlite3_finalize(b);
	sqlite3_finalize(u);
	if (store_commit(st) != 0)
		die(st, "commit");
}

static int64_t
scalar(struct store *st, const char *sql)
{
	sqlite3_stmt	*stmt = store_prepare(st, sql);
	int64_t		 v = -1;

	if (stmt != NULL && sqlite3_step(stmt) == SQLITE_ROW)
		v = sqlite3_column_int64(stmt, 0);
	sqlite3_finalize(stmt);
	return v;
}

static void
fill(struct store *st, long nposts)
{
	sqlite3_stmt	*th, *po;
	struct text	 body = { 0 }, subj = { 0 };
	int64_t		 base, t0, t1, thread = 0, at, uid0, bid0;
	long		 i, left = 0;
	char		 uuid[37];

	setup(st);
	uid0 = scalar(st, "SELECT min(id) FROM users WHERE login LIKE 'teacher%'");
	bid0 = scalar(st, "SELECT min(id) FROM boards WHERE uuid LIKE 'bench-board-%'");
	base = scalar(st, "SELECT count(*) FROM posts");
	th = store_prepare(st, "INSERT INTO threads(uuid, board_id, subject,"
	    " author_id, created_at, last_post_at) VALUES (?1, ?2, ?3, ?4, ?5, ?5)");
	po = store_prepare(st, "INSERT INTO posts(uuid, thread_id, author_id,"
	    " subject, body, created_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6)");
	if (th == NULL || po == NULL)
		die(st, "prepare");
	at = 1567296000 + base * 60;	/* 2019-09-01, a post a minute */
	t0 = now_ns();
	for (i = 0; i < nposts; i++) {
		if (i % BATCH == 0 && store_begin(st) != 0)
			die(st, "begin");
		at += 1 + (int64_t)rng_below(119);
		if (left == 0) {
			subject(&subj);
			uuid_v4(uuid);
			store_bind_text(th, 1, uuid);
			sqlite3_bind_int64(th, 2, bid0 + (int64_t)rng_below(BOARDS));
			store_bind_text(th, 3, subj.s);
			sqlite3_bind_int64(th, 4, uid0 + (int64_t)rng_below(AUTHORS));
			sqlite3_bind_int64(th, 5, at);
			run(st, th, "thread");
			thread = sqlite3_last_insert_rowid(store_db(st));
			left = 1 + (long)rng_below(15) + (long)rng_below(15);
		}
		post_body(&body);
		uuid_v4(uuid);
		store_bind_text(po, 1, uuid);
		sqlite3_bind_int64(po, 2, thread);
		sqlite3_bind_int64(po, 3, uid0 + (int64_t)rng_below(AUTHORS));
		/* The first post carries the subject; replies have none. */
		store_bind_text(po, 4, subj.s);
		store_bind_text(po, 5, body.s);
		sqlite3_bind_int64(po, 6, at);
		run(st, po, "post");
		subj.s[0] = '\0';
		left--;
		if ((i + 1) % BATCH == 0 || i + 1 == nposts) {
			if (store_commit(st) != 0)
				die(st, "commit");
		}
	}
	t1 = now_ns();
	sqlite3_finalize(th);
	sqlite3_finalize(po);
	printf("| posts in the store | %ld | 1,000,000 |\n",
	    (long)(base + nposts));
	printf("| insert throughput, FTS index included | %.0f posts/s | - |\n",
	    (double)nposts / ((double)(t1 - t0) / 1e9));
	free(body.s);
	free(subj.s);
}

/* n replies, one transaction each, as teachers post them. */
static void
acked(struct store *st, long n, const char *sync)
{
	struct text	 body = { 0 };
	int64_t		 bid, tid, t0, t1;
	char		*sql;
	long		 i;

	sql = xasprintf("PRAGMA synchronous = %s", sync);
	if (store_exec(st, sql) != 0)
		die(st, "synchronous");
	free(sql);
	setup(st);
	bid = scalar(st, "SELECT min(id) FROM boards WHERE uuid LIKE 'bench-board-%'");
	post_body(&body);
	if (post_thread_new(st, NULL, 0, bid, "Скорость записи", body.s, &tid,
	    NULL) != 0)
		die(st, "thread");
	t0 = now_ns();
	for (i = 0; i < n; i++) {
		post_body(&body);
		if (post_reply(st, NULL, tid, 0, body.s, NULL) != 0)
			die(st, "reply");
	}
	t1 = now_ns();
	printf("| posting, one commit per post, synchronous = %s | %.0f posts/s | - |\n",
	    sync, (double)n / ((double)(t1 - t0) / 1e9));
	free(body.s);
}

static void
sizes(struct store *st, const char *path)
{
	struct stat	 sb;
	int64_t		 fts;

	/* dbstat counts pages; without it, the index's own blobs. */
	fts = scalar(st, "SELECT sum(pgsize) FROM dbstat WHERE name LIKE"
	    " 'posts_fts%'");
	if (fts < 0)
		fts = scalar(st, "SELECT (SELECT sum(length(block)) FROM"
		    " posts_fts_data) + (SELECT sum(length(sz)) FROM"
		    " posts_fts_docsize)");
	printf("| FTS index size | %.1f MB | - |\n", (double)fts / 1048576.0);
	if (stat(path, &sb) == 0)
		printf("| store size | %.1f MB | - |\n",
		    (double)sb.st_size / 1048576.0);
}

/* ---- queries ---------------------------------------------------------- */

static const char *
content_word(void)
{
	/* People look for what they need, not for the commonest words:
	 * any lemma, any form. */
	return any_form(&lemmas[rng_below(nitems(lemmas))]);
}

static void
make_query(char *q, size_t size)
{
	size_t	 r = rng_below(100);

	if (r < 50)
		snprintf(q, size, "%s", content_word());
	else if (r < 75)
		snprintf(q, size, "%s %s", content_word(), content_word());
	else if (r < 85)
		snprintf(q, size, "\"%s %s\"", content_word(), content_word());
	else if (r < 95)
		snprintf(q, size, "%s -%s", content_word(), content_word());
	else
		snprintf(q, size, "%s OR %s", content_word(), content_word());
}

struct timed {
	int64_t	 ns;
	char	 text[128];
};

static int
cmp_timed(const void *a, const void *b)
{
	int64_t	 x = ((const struct timed *)a)->ns, y = ((const struct timed *)b)->ns;

	return x < y ? -1 : x > y;
}

static void
queries(struct store *st, int nq)
{
	struct search_query	 q = { 0 };
	struct search_hit	*h;
	struct timed		*t = xcalloc((size_t)nq, sizeof(*t));
	int64_t			 t0;
	size_t			 n;
	long			 hits = 0, empty = 0;
	int			 i, rc;

	q.source = SEARCH_POSTS;
	q.role = ROLE_TEACHER;
	q.user_id = 1;
	q.limit = SEARCH_LIMIT;
	/* As partad's listener does before it forks: the first query would
	 * otherwise time the dictionary's loading. */
	(void)search_preload();
	for (i = 0; i < nq; i++) {
		make_query(t[i].text, sizeof(t[i].text));
		q.text = t[i].text;
		t0 = now_ns();
		rc = search_run(st, &q, &h, &n);
		t[i].ns = now_ns() - t0;
		if (rc != 0) {
			fprintf(stderr, "gen-posts: query %s: error %d\n",
			    t[i].text, rc);
			continue;
		}
		hits += (long)n;
		empty += n == 0;
		search_hits_free(h, n);
	}
	qsort(t, (size_t)nq, sizeof(*t), cmp_timed);
	printf("| search p50 (%d queries, up to %d hits each) | %.2f ms | - |\n",
	    nq, SEARCH_LIMIT, (double)t[nq / 2].ns / 1e6);
	printf("| search p95 | %.2f ms | < 20 ms |\n",
	    (double)t[(nq * 95) / 100].ns / 1e6);
	printf("| search worst | %.2f ms | - |\n", (double)t[nq - 1].ns / 1e6);
	printf("| queries with no hit | %ld of %d | - |\n", empty, nq);
	printf("| hits per query, on average | %.1f | - |\n",
	    (double)hits / nq);
	for (i = nq - 1; i >= 0 && i >= nq - 3; i--)
		printf("| slow query: %s | %.2f ms | - |\n", t[i].text,
		    (double)t[i].ns / 1e6);
	free(t);
}

int
main(int argc, char **argv)
{
	struct store	*st;
	char		*cause;
	const char	*sync = "full";
	long		 nposts = 0, nacked = 0;
	int		 c, nq = 0;
	uint64_t	 seed = 1;

	while ((c = getopt(argc, argv, "a:s:n:q:S:")) != -1) {
		switch (c) {
		case 's':
			seed = strtoull(optarg, NULL, 10);
			break;
		case 'n':
			nposts = strtol(optarg, NULL, 10);
			break;
		case 'q':
			nq = atoi(optarg);
			break;
		case 'a':
			nacked = strtol(optarg, NULL, 10);
			break;
		case 'S':
			if (strcmp(optarg, "normal") != 0 &&
			    strcmp(optarg, "full") != 0)
				goto usage;
			sync = optarg;
			break;
		default:
			goto usage;
		}
	}
	if (optind + 1 != argc || nposts < 0 || nq < 0 || nacked < 0)
		goto usage;
	log_init("gen-posts", LOG_LEVEL_WARN, 0);
	rng_state = seed * 0x9e3779b97f4a7c15ULL + 1;
	vocab_init();
	if (store_open(argv[optind], &st, &cause) != 0) {
		fprintf(stderr, "gen-posts: %s\n", cause);
		return 1;
	}
	if (nposts > 0) {
		fill(st, nposts);
		sizes(st, argv[optind]);
	}
	if (nq > 0)
		queries(st, nq);
	if (nacked > 0)
		acked(st, nacked, sync);
	store_close(st);
	return 0;
usage:
	fprintf(stderr, "usage: parta-gen-posts [-s SEED] [-n POSTS] [-q QUERIES]"
	    " [-a POSTS [-S normal|full]] STORE\n");
	return 2;
}
