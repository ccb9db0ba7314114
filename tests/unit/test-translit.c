/*
 * test-translit.c: file name cleaning and the ASCII transliteration.
 */
#include <stdlib.h>
#include <string.h>

#include "perr.h"
#include "t.h"
#include "translit.h"
#include "util.h"

static void
clean_is(const char *raw, const char *want, const char *what)
{
	char	*out = NULL;
	int	 rc = translit_clean_name(raw, strlen(raw), &out);

	T_INT(rc, 0, "%s: accepted", what);
	T_STR(out, want, "%s", what);
	free(out);
}

static void
clean_fails(const char *raw, size_t len, int want, const char *what)
{
	char	*out = (char *)"x";
	int	 rc = translit_clean_name(raw, len, &out);

	T_INT(rc, want, "%s: refused", what);
	T_OK(out == NULL, "%s: no name made", what);
}

static void
ascii_is(const char *in, const char *want)
{
	char	*out = translit_ascii(in);

	T_STR(out, want, "ascii of \"%s\"", in);
	free(out);
}

int
main(void)
{
	static const struct {
		const char	*name;
		int		 n, ascii;
		const char	*want, *what;
	} suffix[] = {
		{ "план.docx", 2, 0, "план (2).docx",
		  "a collision gets (2) before the extension" },
		{ "plan.docx", 3, 1, "plan_3.docx", "an ASCII collision gets _3" },
		{ "README", 2, 0, "README (2)", "no extension: at the end" },
		{ ".profile", 2, 1, ".profile_2", "a leading dot is no extension" },
	};
	char	 long_name[400], *s;
	size_t	 i;

	/* Cleaning. */
	clean_is("План урока.docx", "План урока.docx", "UTF-8 is kept");
	clean_is("\xcf\xeb\xe0\xed.txt", "План.txt", "CP1251 bytes are decoded");
	clean_is("\xd2\xe0\xf2\xe0\xf0 \xf2\xe5\xeb\xe5.doc", "Татар теле.doc",
	    "a CP1251 name with a space");
	clean_is("и\xcc\x86.txt", "й.txt", "NFD becomes NFC");
	clean_is("a<b>c:d\"e|f?g*h\\i.txt", "abcdefghi.txt",
	    "Windows-forbidden characters are removed");
	clean_is("  ..скрытый. ", "скрытый", "leading dots and spaces, trailing"
	    " dots and spaces go");
	clean_is("Дро\xe2\x80\x8bби.pdf", "Дроби.pdf",
	    "a zero width space goes: the name would look like Дроби.pdf");
	clean_is("\xef\xbb\xbfПлан\xc2\xad\xe2\x81\xa0.txt", "План.txt",
	    "so do BOM, soft hyphen and word joiner");
	clean_is("\xe2\x80\x8b.txt", "txt", "a name of nothing but them and a dot");
	clean_is("con.txt", "_con.txt", "a Windows device name gets a '_'");
	clean_is("COM1", "_COM1", "COM1 too");
	clean_is("console.txt", "console.txt", "a longer name is no device");
	clean_fails("a\nb", 3, PERR_CONTROL, "a newline");
	clean_fails("a\x1b[31mb", 8, PERR_CONTROL, "an escape sequence");
	clean_fails("a\0b", 3, PERR_CONTROL, "a NUL inside the name");
	clean_fails("a\xc2\x9b" "b", 4, PERR_CONTROL, "a C1 CSI");
	clean_fails("", 0, PERR_EMPTY, "the empty name");
	clean_fails("...", 3, PERR_EMPTY, "only dots");
	clean_fails("\x98", 1, PERR_UTF8, "a byte neither UTF-8 nor CP1251");
	clean_fails(t_fill(long_name, 'a', 399), 399, PERR_TOOLONG,
	    "a name of 399 bytes");

	/* Transliteration. */
	ascii_is("Дроби 5 класс.docx", "Drobi_5_klass.docx");
	ascii_is("Щука и ёж", "Shchuka_i_ezh");
	ascii_is("ЖУРНАЛ", "ZHURNAL");
	ascii_is("Журнал", "Zhurnal");
	ascii_is("Юля, Яна, Цой, Хор", "Iulia,_Iana,_Tsoi,_Khor");
	ascii_is("подъезд, мышь", "podezd,_mysh");
	ascii_is("Әни, өй, үрдәк, җир, моң, һава", "Ani,_oi,_urdak,_zhir,_mon,_hava");
	ascii_is("Ғ Ҡ Ҙ Ҫ", "G_K_Z_S");
	ascii_is("Café naïve", "Cafe_naive");
	ascii_is("№ 5 — «итог»", "N_5_-_itog");
	ascii_is("a:b?c", "abc");
	ascii_is("中文", "__");
	ascii_is("", "_");

	/* Suffixes for collisions. */
	for (i = 0; i < nitems(suffix); i++) {
		s = translit_suffix(suffix[i].name, suffix[i].n, suffix[i].ascii);
		T_STR(s, suffix[i].want, "%s", suffix[i].what);
		free(s);
	}
	return t_done();
}
