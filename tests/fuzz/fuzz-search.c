/*
 * fuzz-search.c: the search query compiler (common/search.c), on a
 * query as a user types it.
 *
 * search.h promises that "no input can reach FTS5's own syntax": every
 * expression search_compile() returns must be one FTS5 accepts.  The
 * harness runs it as a MATCH on a small in-memory FTS5 table with parta's
 * own tokenizer and aborts on any error but a clean result.  The same
 * bytes also go through the tokenizer (search_term), the snippet
 * marker (search_mark) and the date filter parser (search_parse_date).
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sqlite3.h>

#include "perr.h"
#include "search.h"
#include "util.h"

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

static sqlite3		*fuzz_db;
static sqlite3_stmt	*fuzz_match;

static void
fuzz_setup(void)
{
	static const char *const sql[] = {
		("CREATE VIRTUAL TABLE t USING fts5(subject, body, "
		    "tokenize = 'parta')"),
		"INSERT INTO t VALUES ('Ёлка в школе', 'Дети нарядили ёлку')",
		"INSERT INTO t VALUES ('Әлифба', 'Татар теле, 1 класс')",
		"INSERT INTO t VALUES ('Fractions', 'one half \"quoted\" OR NOT')",
	};
	size_t	 i;

	if (sqlite3_open(":memory:", &fuzz_db) != SQLITE_OK ||
	    search_register(fuzz_db) != 0)
		abort();
	for (i = 0; i < nitems(sql); i++)
		if (sqlite3_exec(fuzz_db, sql[i], NULL, NULL, NULL) != SQLITE_OK)
			abort();
	if (sqlite3_prepare_v2(fuzz_db,
	    "SELECT snippet(t, -1, '[', ']', '...', 8) FROM t "
	    "WHERE t MATCH ?", -1, &fuzz_match, NULL) != SQLITE_OK)
		abort();
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char	*q, *expr, *s;
	int64_t	 t;
	int	 rc;

	if (fuzz_db == NULL)
		fuzz_setup();
	q = xmalloc(size + 1);
	memcpy(q, data, size);
	q[size] = '\0';
	if ((rc = search_compile(q, &expr)) == 0) {
		if (expr == NULL)
			abort();
		sqlite3_reset(fuzz_match);
		sqlite3_bind_text(fuzz_match, 1, expr, -1, SQLITE_STATIC);
		while ((rc = sqlite3_step(fuzz_match)) == SQLITE_ROW)
			;
		if (rc != SQLITE_DONE) {
			fprintf(stderr, "FTS5 refuses \"%s\" for \"%s\": %s\n",
			    expr, q, sqlite3_errmsg(fuzz_db));
			abort();
		}
		sqlite3_reset(fuzz_match);
		sqlite3_clear_bindings(fuzz_match);
		free(expr);
	} else if (expr != NULL || perr_str(rc) == NULL)
		abort();
	if (size < 256 && memchr(q, ' ', strlen(q)) == NULL) {
		s = search_term(q);
		free(s);
	}
	s = search_mark(q, "[", "]");
	free(s);
	(void)search_parse_date(q, 0, &t);
	(void)search_parse_date(q, 1, &t);
	free(q);
	return 0;
}
