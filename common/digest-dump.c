/*
 * digest-dump.c: a digest's rows in columns (digest-dump.h,
 * man/parta-digest.5).
 *
 * Format 1 of the digest file carried the local copy's SQLite file
 * under zstd: pages, free space, row ids twice, every index and UUIDs
 * as 36 characters, 1.74 times the zstd size of the posts' text.  A
 * dump carries only what the copy's rows say, in the order that
 * compresses best: a table at a time, and in a table a column at a
 * time (all the bodies of posts together, all the creation times
 * together), each value's kind in a tag byte, integers as varints of
 * their difference from the value above (ids and times climb slowly),
 * UUIDs as their 16 bytes, texts as their lengths and then their
 * bytes.  zstd then finds the text's repetitions across posts as it
 * would in the text alone.
 *
 * The reader makes a fresh local copy with its own schema (every
 * migration, so the indexes and triggers are this parta's) and inserts
 * the rows by column name in one transaction, with the triggers dropped
 * meanwhile: they would write a change log no one reads and index the
 * posts, which digest_reindex() does beside the screens.  A column the
 * reader's schema lacks is skipped, as parta-sync's client skips an
 * unknown field; a dump from a newer schema is refused before a row is
 * written.
 *
 *	dump	:= varint schema, varint ntables, table*
 *	table	:= str name, varint nrows, varint ncols, str column*,
 *		   column-data*
 *	column-data := nrows tags (enum digest_vtype), then the column's
 *		   integers (zigzag varints of the difference), reals (8
 *		   bytes), lengths of texts and blobs (varints), UUIDs (16
 *		   bytes) and the texts' and blobs' bytes, each in row order
 *	str	:= varint length, bytes
 */
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sqlite3.h>

#include "bytes.h"
#include "digest-dump.h"
#include "log.h"
#include "perr.h"
#include "store-schema.h"
#include "store.h"
#include "util.h"

#define DUMP_MAX_NAME	64
/* Values one table may hold (each costs a struct digest_value while it
 * loads): a million posts of a dozen columns fit; a forged count of
 * NULL tags cannot make the reader allocate gigabytes. */
#define DIGEST_DUMP_MAX_VALUES	((size_t)1 << 24)
#define DUMP_MAX	((size_t)1 << 32)

/* The tables a dump carries: the ordinary ones, not SQLite's own, nor a
 * search index or its shadow tables, nor the syncer's marks. */
#define DUMP_TABLES							\
	"SELECT t.name AS name FROM sqlite_master t WHERE t.type = 'table'"\
	" AND t.name NOT LIKE 'sqlite\\_%' ESCAPE '\\'"			\
	" AND t.sql NOT LIKE 'CREATE VIRTUAL%'"				\
	" AND t.name <> 'copy_marks'"					\
	" AND NOT EXISTS (SELECT 1 FROM sqlite_master v WHERE"		\
	" v.type = 'table' AND v.sql LIKE 'CREATE VIRTUAL%' AND"	\
	" t.name LIKE v.name || '\\_%' ESCAPE '\\')"

void
digest_table_free(struct digest_table *t)
{
	if (t == NULL)
		return;
	free(t->cols);
	free(t->colslen);
	free(t->v);
	memset(t, 0, sizeof(*t));
}

/* ---- varints ------------------------------------------------------- */

static void
digest_dump_put_str(struct bytes_writer *w, const void *p, size_t len)
{
	bytes_put_varint(w, len);
	bytes_put_raw(w, p, len);
}

/* The next varint of d, or -1 when it runs past the end or past 64
 * bits. */
static int
digest_dump_varint(struct digest_dump *d, uint64_t *v)
{
	unsigned int	 shift;
	unsigned char	 b;

	*v = 0;
	for (shift = 0; shift < 64; shift += 7) {
		if (d->p == d->end)
			return -1;
		b = *d->p++;
		if (shift == 63 && (b & 0x7f) > 1)
			return -1;
		*v |= (uint64_t)(b & 0x7f) << shift;
		if ((b & 0x80) == 0)
			return 0;
	}
	return -1;
}

/* A count of things of at least one byte each: never more than the
 * bytes left. */
static int
digest_dump_count(struct digest_dump *d, size_t *n)
{
	uint64_t	 v;

	if (digest_dump_varint(d, &v) != 0 ||
	    v > (uint64_t)(d->end - d->p))
		return -1;
	*n = (size_t)v;
	return 0;
}

/* n bytes of d at *p, or -1. */
static int
digest_dump_raw(struct digest_dump *d, size_t n, const unsigned char **p)
{
	if (n > (size_t)(d->end - d->p))
		return -1;
	*p = d->p;
	d->p += n;
	return 0;
}

/* A table's or a column's name: 1 to DUMP_MAX_NAME letters, digits or
 * underscores (the reader quotes it in SQL). */
static int
digest_dump_name(struct digest_dump *d, const char **name, size_t *len)
{
	const unsigned char	*p;
	size_t			 i;

	if (digest_dump_count(d, len) != 0 || *len == 0 ||
	    *len > DUMP_MAX_NAME || digest_dump_raw(d, *len, &p) != 0)
		return -1;
	for (i = 0; i < *len; i++)
		if (p[i] != '_' && (p[i] < '0' || p[i] > '9') &&
		    (p[i] < 'a' || p[i] > 'z') && (p[i] < 'A' || p[i] > 'Z'))
			return -1;
	*name = (const char *)p;
	return 0;
}

/* ---- reading ------------------------------------------------------- */

int
digest_dump_open(struct digest_dump *d, const void *buf, size_t len)
{
	uint64_t	 schema;

	memset(d, 0, sizeof(*d));
	d->p = buf;
	d->end = d->p + len;
	if (digest_dump_varint(d, &schema) != 0 || schema == 0 ||
	    schema > INT32_MAX || digest_dump_count(d, &d->ntables) != 0)
		return -1;
	d->schema = (int)schema;
	return 0;
}

/* The values of column c of t, after its tags. */
static int
digest_dump_values(struct digest_dump *d, struct digest_table *t, size_t c,
    const unsigned char *tags)
{
	struct digest_value	*v;
	uint64_t		 u;
	int64_t			 prev = 0;
	size_t			 r, k;

	for (r = 0; r < t->nrows; r++) {	/* integers */
		v = &t->v[r * t->ncols + c];
		if ((v->type = tags[r]) != DIGEST_V_INT)
			continue;
		if (digest_dump_varint(d, &u) != 0)
			return -1;
		prev = (int64_t)((uint64_t)prev + ((u >> 1) ^
		    (0 - (u & 1))));
		v->i = prev;
	}
	for (r = 0; r < t->nrows; r++) {	/* reals */
		v = &t->v[r * t->ncols + c];
		if (v->type == DIGEST_V_REAL) {
			if (digest_dump_raw(d, 8, &v->p) != 0)
				return -1;
			for (u = 0, k = 0; k < 8; k++)
				u = u << 8 | v->p[k];
			memcpy(&v->r, &u, 8);
			v->p = NULL;
		}
	}
	for (r = 0; r < t->nrows; r++) {	/* lengths */
		v = &t->v[r * t->ncols + c];
		if ((v->type == DIGEST_V_TEXT || v->type == DIGEST_V_BLOB) &&
		    (digest_dump_count(d, &v->len) != 0 || v->len > INT_MAX))
			return -1;	/* SQLite takes an int */
	}
	for (r = 0; r < t->nrows; r++) {	/* UUIDs */
		v = &t->v[r * t->ncols + c];
		if (v->type == DIGEST_V_UUID && digest_dump_raw(d, 16,
		    &v->p) != 0)
			return -1;
	}
	for (r = 0; r < t->nrows; r++) {	/* bytes */
		v = &t->v[r * t->ncols + c];
		if ((v->type == DIGEST_V_TEXT || v->type == DIGEST_V_BLOB) &&
		    digest_dump_raw(d, v->len, &v->p) != 0)
			return -1;
	}
	return 0;
}

int
digest_dump_next(struct digest_dump *d, struct digest_table *t)
{
	const unsigned char	*tags;
	size_t			 c, r;

	memset(t, 0, sizeof(*t));
	if (d->next == d->ntables)
		return d->p == d->end ? 0 : -1;
	d->next++;
	/* Every value has a tag byte: nrows * ncols fits in what is left. */
	if (digest_dump_name(d, &t->name, &t->namelen) != 0 ||
	    digest_dump_count(d, &t->nrows) != 0 ||
	    digest_dump_count(d, &t->ncols) != 0 ||
	    (t->ncols == 0 && t->nrows != 0) ||
	    (t->ncols != 0 && t->nrows > (size_t)(d->end - d->p) / t->ncols) ||
	    t->nrows * t->ncols > DIGEST_DUMP_MAX_VALUES)
		goto bad;
	t->cols = xcalloc(t->ncols + 1, sizeof(*t->cols));
	t->colslen = xcalloc(t->ncols + 1, sizeof(*t->colslen));
	t->v = xcalloc(t->nrows * t->ncols + 1, sizeof(*t->v));
	for (c = 0; c < t->ncols; c++)
		if (digest_dump_name(d, &t->cols[c], &t->colslen[c]) != 0)
			goto bad;
	for (c = 0; c < t->ncols; c++) {
		if (digest_dump_raw(d, t->nrows, &tags) != 0)
			goto bad;
		for (r = 0; r < t->nrows; r++)
			if (tags[r] > DIGEST_V_UUID)
				goto bad;
		if (digest_dump_values(d, t, c, tags) != 0)
			goto bad;
	}
	return 1;
bad:
	digest_table_free(t);
	return -1;
}

/* ---- writing ------------------------------------------------------- */

/* The first column of every row of stmt (finalized here) into *n
 * strings at *v (free with freev()).  0, PERR_DB when stmt is NULL, or
 * store_fail(what). */
static int
digest_dump_strings(struct store *st, sqlite3_stmt *stmt, const char *what,
    char ***v, size_t *n)
{
	int	 step;

	*v = NULL;
	*n = 0;
	if (stmt == NULL)
		return PERR_DB;
	while ((step = sqlite3_step(stmt)) == SQLITE_ROW) {
		*v = xrealloc(*v, (*n + 1) * sizeof(**v));
		(*v)[(*n)++] = store_column_dup(stmt, 0);
	}
	sqlite3_finalize(stmt);
	return step == SQLITE_DONE ? 0 : store_fail(st, what);
}

int
digest_dump_is_uuid(const void *p, size_t n)
{
	const char	*s = p;
	size_t		 i;

	if (n != 36)
		return 0;
	for (i = 0; i < 36; i++)
		if (i == 8 || i == 13 || i == 18 || i == 23 ? s[i] != '-' :
		    strchr("0123456789abcdef", s[i]) == NULL || s[i] == '\0')
			return 0;
	return 1;
}

static unsigned char
digest_dump_hexval(unsigned char c)
{
	return (unsigned char)(c <= '9' ? c - '0' : c - 'a' + 10);
}

/* The streams of one column, appended to the dump in this order. */
enum { S_TAGS, S_INTS, S_REALS, S_LENS, S_UUIDS, S_BYTES, S_N };

/* The value of column 0 of stmt, into the streams s. */
static void
digest_dump_value(sqlite3_stmt *stmt, struct bytes_writer *s,
    int64_t *prev)
{
	const unsigned char	*p;
	unsigned char		 u[16];
	double			 r;
	uint64_t		 bits;
	int64_t			 i, delta;
	size_t			 n, k;

	switch (sqlite3_column_type(stmt, 0)) {
	case SQLITE_INTEGER:
		i = sqlite3_column_int64(stmt, 0);
		bytes_put_u8(&s[S_TAGS], DIGEST_V_INT);
		/* The difference, wrapping as uint64_t does, zigzagged. */
		delta = (int64_t)((uint64_t)i - (uint64_t)*prev);
		bytes_put_varint(&s[S_INTS], (uint64_t)delta << 1 ^
		    (delta < 0 ? UINT64_MAX : 0));
		*prev = i;
		break;
	case SQLITE_FLOAT:
		r = sqlite3_column_double(stmt, 0);
		bytes_put_u8(&s[S_TAGS], DIGEST_V_REAL);
		memcpy(&bits, &r, 8);
		bytes_put_u64(&s[S_REALS], bits);
		break;
	case SQLITE_TEXT:
		p = sqlite3_column_text(stmt, 0);
		n = (size_t)sqlite3_column_bytes(stmt, 0);
		if (digest_dump_is_uuid(p, n)) {
			for (k = 0, i = 0; k < 16; k++, i += 2) {
				if (i == 8 || i == 13 || i == 18 || i == 23)
					i++;
				u[k] = (unsigned char)(digest_dump_hexval(p[i])
				    << 4 | digest_dump_hexval(p[i + 1]));
			}
			bytes_put_u8(&s[S_TAGS], DIGEST_V_UUID);
			bytes_put_raw(&s[S_UUIDS], u, 16);
			break;
		}
		bytes_put_u8(&s[S_TAGS], DIGEST_V_TEXT);
		bytes_put_varint(&s[S_LENS], n);
		bytes_put_raw(&s[S_BYTES], p, n);
		break;
	case SQLITE_BLOB:
		p = sqlite3_column_blob(stmt, 0);
		n = (size_t)sqlite3_column_bytes(stmt, 0);
		bytes_put_u8(&s[S_TAGS], DIGEST_V_BLOB);
		bytes_put_varint(&s[S_LENS], n);
		bytes_put_raw(&s[S_BYTES], p, n);
		break;
	default:
		bytes_put_u8(&s[S_TAGS], DIGEST_V_NULL);
		break;
	}
}

/* Column col of table, nrows values, into w. */
static int
digest_dump_column(struct store *st, const char *table, const char *col,
    size_t nrows, struct bytes_writer *w)
{
	struct bytes_writer	 s[S_N];
	sqlite3_stmt		*stmt;
	char			*sql;
	int64_t			 prev = 0;
	size_t			 n = 0, k;
	int			 step, rc = 0;

	/* NOT INDEXED: every column in the table's own order, never in
	 * the order of an index that covers it. */
	sql = xasprintf("SELECT \"%s\" FROM \"%s\" NOT INDEXED", col, table);
	stmt = store_prepare(st, sql);
	free(sql);
	if (stmt == NULL)
		return PERR_DB;
	for (k = 0; k < S_N; k++)
		bytes_writer_init(&s[k], DUMP_MAX);
	while ((step = sqlite3_step(stmt)) == SQLITE_ROW && n++ < nrows)
		digest_dump_value(stmt, s, &prev);
	if (step != SQLITE_DONE || n != nrows)
		rc = store_fail(st, "digest dump");
	sqlite3_finalize(stmt);
	for (k = 0; k < S_N; k++) {
		if (bytes_writer_len(&s[k]) > 0)
			bytes_put_raw(w, bytes_writer_data(&s[k]),
			    bytes_writer_len(&s[k]));
		if (bytes_writer_failed(&s[k]))
			rc = PERR_DB;
		bytes_writer_free(&s[k]);
	}
	return rc;
}

/* Table name of st into w. */
static int
digest_dump_table(struct store *st, const char *name,
    struct bytes_writer *w)
{
	char		*sql, **cols;
	size_t		 ncols, i;
	int64_t		 nrows;
	int		 rc;

	sql = xasprintf("SELECT count(*) FROM \"%s\"", name);
	rc = store_int(st, &nrows, sql, "");
	free(sql);
	if (rc != 0)
		return rc;
	digest_dump_put_str(w, name, strlen(name));
	bytes_put_varint(w, (uint64_t)nrows);
	if (nrows == 0) {		/* an empty table: no columns */
		bytes_put_varint(w, 0);
		return 0;
	}
	rc = digest_dump_strings(st, store_stmt(st, "SELECT name FROM"
	    " pragma_table_info(?1) ORDER BY cid", "t", name),
	    "digest columns", &cols, &ncols);
	bytes_put_varint(w, ncols);
	for (i = 0; i < ncols; i++)
		digest_dump_put_str(w, cols[i], strlen(cols[i]));
	for (i = 0; i < ncols && rc == 0; i++)
		rc = digest_dump_column(st, name, cols[i], (size_t)nrows, w);
	freev(cols, ncols);
	return rc;
}

int
digest_dump_write(struct store *st, struct bytes_writer *w)
{
	char		**names;
	size_t		 n, i;
	int		 rc;

	if ((rc = store_begin_read(st)) != 0)
		return rc;
	rc = digest_dump_strings(st, store_prepare(st, DUMP_TABLES
	    " ORDER BY t.name"), "digest tables", &names, &n);
	bytes_put_varint(w, (uint64_t)store_nmigrations);
	bytes_put_varint(w, n);
	for (i = 0; i < n && rc == 0; i++)
		rc = digest_dump_table(st, names[i], w);
	store_rollback(st);
	freev(names, n);
	if (rc == 0 && bytes_writer_failed(w))
		rc = PERR_DB;
	return rc;
}

/* ---- loading ------------------------------------------------------- */

/* The triggers of a copy, dropped while it is filled. */
struct digest_triggers {
	char	**sql;
	size_t	  n;
};

static int
digest_dump_drop_triggers(struct store *st, struct digest_triggers *tr)
{
	char	*sql, **names;
	size_t	 n, i;
	int	 rc;

	rc = digest_dump_strings(st, store_prepare(st, "SELECT name FROM"
	    " sqlite_master WHERE type = 'trigger' ORDER BY name"),
	    "digest triggers", &names, &n);
	if (rc == 0)
		rc = digest_dump_strings(st, store_prepare(st, "SELECT sql FROM"
		    " sqlite_master WHERE type = 'trigger' ORDER BY name"),
		    "digest triggers", &tr->sql, &tr->n);
	for (i = 0; i < n && rc == 0; i++) {
		sql = xasprintf("DROP TRIGGER \"%s\"", names[i]);
		rc = store_exec(st, sql);
		free(sql);
	}
	freev(names, n);
	return rc;
}

static int
digest_dump_make_triggers(struct store *st, struct digest_triggers *tr)
{
	size_t	 i;
	int	 rc = 0;

	for (i = 0; i < tr->n && rc == 0; i++)
		rc = store_exec(st, tr->sql[i]);
	freev(tr->sql, tr->n);
	tr->sql = NULL;
	tr->n = 0;
	return rc;
}

static void
digest_dump_bind(sqlite3_stmt *stmt, int idx, const struct digest_value *v)
{
	static const char	 hex[] = "0123456789abcdef";
	char			 u[37];
	size_t			 i, o;

	switch (v->type) {
	case DIGEST_V_INT:
		sqlite3_bind_int64(stmt, idx, v->i);
		break;
	case DIGEST_V_REAL:
		sqlite3_bind_double(stmt, idx, v->r);
		break;
	case DIGEST_V_TEXT:
		sqlite3_bind_text(stmt, idx, (const char *)v->p, (int)v->len,
		    SQLITE_STATIC);
		break;
	case DIGEST_V_BLOB:
		sqlite3_bind_blob(stmt, idx, v->p, (int)v->len, SQLITE_STATIC);
		break;
	case DIGEST_V_UUID:
		for (i = 0, o = 0; i < 16; i++) {
			if (i == 4 || i == 6 || i == 8 || i == 10)
				u[o++] = '-';
			u[o++] = hex[v->p[i] >> 4];
			u[o++] = hex[v->p[i] & 0xf];
		}
		u[o] = '\0';
		sqlite3_bind_text(stmt, idx, u, 36, SQLITE_TRANSIENT);
		break;
	default:
		sqlite3_bind_null(stmt, idx);
		break;
	}
}

/* The rows of t into st's table of the same name, by the columns it
 * has; a table that is not one a dump carries is skipped. */
static int
digest_dump_fill(struct store *st, const struct digest_table *t)
{
	sqlite3_stmt	*stmt;
	char		*name, *col, *sql, *s;
	size_t		*at, n = 0, c, r;
	int		 rc;

	if (t->nrows > INT32_MAX || t->ncols > 999)
		return -1;
	name = xasprintf("%.*s", (int)t->namelen, t->name);
	rc = store_int(st, NULL, "SELECT 1 FROM (" DUMP_TABLES ") WHERE"
	    " name = ?1", "t", name);
	if (rc == PERR_NOTFOUND) {
		log_warn("digest: table %s skipped: not in this schema", name);
		free(name);
		return 0;
	}
	sql = xasprintf("DELETE FROM \"%s\"", name);
	if (rc == 0)
		rc = store_exec(st, sql);
	free(sql);
	at = xcalloc(t->ncols + 1, sizeof(*at));
	sql = xasprintf("INSERT INTO \"%s\"(", name);
	for (c = 0; c < t->ncols && rc == 0; c++) {
		col = xasprintf("%.*s", (int)t->colslen[c], t->cols[c]);
		rc = store_int(st, NULL, "SELECT 1 FROM pragma_table_info(?1)"
		    " WHERE name = ?2", "tt", name, col);
		if (rc == 0) {
			s = xasprintf("%s%s\"%s\"", sql, n > 0 ? ", " : "",
			    col);
			free(sql);
			sql = s;
			at[n++] = c;
		} else if (rc == PERR_NOTFOUND)
			rc = 0;
		free(col);
	}
	for (c = 0; c < n; c++) {
		s = xasprintf("%s%s?", sql, c == 0 ? ") VALUES (" : ", ");
		free(sql);
		sql = s;
	}
	s = xasprintf("%s)", sql);
	free(sql);
	sql = s;
	stmt = rc == 0 && n > 0 ? store_prepare(st, sql) : NULL;
	if (rc == 0 && n > 0 && stmt == NULL)
		rc = PERR_DB;
	for (r = 0; r < t->nrows && stmt != NULL && rc == 0; r++) {
		for (c = 0; c < n; c++)
			digest_dump_bind(stmt, (int)c + 1,
			    &t->v[r * t->ncols + at[c]]);
		if (sqlite3_step(stmt) != SQLITE_DONE)
			rc = store_fail(st, name);
		sqlite3_reset(stmt);
	}
	sqlite3_finalize(stmt);
	free(sql);
	free(at);
	free(name);
	return rc != 0 ? -1 : 0;
}

int
digest_dump_load(struct store *st, const void *buf, size_t len,
    int *schema)
{
	struct digest_dump	 d;
	struct digest_table	 t;
	struct digest_triggers	 tr = { NULL, 0 };
	int			 rc, got;

	*schema = 0;
	if (digest_dump_open(&d, buf, len) != 0)
		return -1;
	*schema = d.schema;
	if (d.schema > store_nmigrations)
		return -2;
	if (store_begin(st) != 0)
		return -1;
	rc = digest_dump_drop_triggers(st, &tr) != 0 ? -1 : 0;
	while (rc == 0 && (got = digest_dump_next(&d, &t)) != 0) {
		rc = got < 0 ? -1 : digest_dump_fill(st, &t);
		digest_table_free(&t);
	}
	if (digest_dump_make_triggers(st, &tr) != 0)
		rc = -1;
	return store_end(st, rc) != 0 ? -1 : 0;
}
