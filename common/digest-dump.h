/*
 * digest-dump.h: the payload of a digest file of format 2
 * (man/parta-digest.5): a local copy's rows, table by table and column
 * by column, instead of the SQLite file itself.
 *
 * digest_dump_write() dumps a store; digest_dump_load() fills a fresh
 * local copy of the same schema from a dump.  Between the two, a dump is
 * untrusted bytes: digest_dump_next() parses one table of it, checking
 * every count against the bytes left, so that what a table claims can
 * never make it allocate more than the dump's own size allows.
 */
#ifndef PARTA_DIGEST_DUMP_H
#define PARTA_DIGEST_DUMP_H

#include <stddef.h>
#include <stdint.h>

struct bytes_writer;
struct store;

/* A value's kind, as a dump's tags say it. */
enum digest_vtype {
	DIGEST_V_NULL,
	DIGEST_V_INT,
	DIGEST_V_REAL,
	DIGEST_V_TEXT,
	DIGEST_V_BLOB,
	DIGEST_V_UUID,		/* a text UUID, 16 bytes in the dump */
};

struct digest_value {
	enum digest_vtype	 type;
	int64_t			 i;
	double			 r;
	const unsigned char	*p;	/* TEXT, BLOB: len bytes; UUID: 16 */
	size_t			 len;
};

/* One table, parsed: its names and values point into the dump. */
struct digest_table {
	const char		*name;		/* name of namelen bytes */
	size_t			 namelen;
	size_t			 nrows, ncols;
	const char		**cols;		/* ncols names ... */
	size_t			*colslen;	/* ... of these lengths */
	struct digest_value	*v;		/* nrows * ncols, row by row */
};
void	 digest_table_free(struct digest_table *);

/* A dump being read (its fields are this module's). */
struct digest_dump {
	const unsigned char	*p, *end;
	int			 schema;	/* the store's that wrote it */
	size_t			 ntables, next;
};

/*
 * Start reading the dump of len bytes at buf (borrowed: it must outlive
 * the tables read): 0 with d->schema set, or -1 when its head is bad.
 */
int	 digest_dump_open(struct digest_dump *d, const void *buf, size_t len);
/*
 * The next table into *t (free with digest_table_free()): 1, 0 at the
 * end of a whole dump, -1 when the dump is damaged (*t is empty then).
 */
int	 digest_dump_next(struct digest_dump *d, struct digest_table *t);

/* 1 if the n bytes at p are a UUID as parta writes them: 36 lower-case
 * hex digits and dashes where they go (a dump keeps those in 16 bytes;
 * a reply packet's must be one). */
int	 digest_dump_is_uuid(const void *p, size_t n);

/*
 * Append the dump of st (a local copy: its ordinary tables, without the
 * search indexes, which the reader makes again) to w.  0 or PERR_DB.
 */
int	 digest_dump_write(struct store *st, struct bytes_writer *w);

/*
 * Fill st, a local copy just made with this parta's schema, from the
 * dump of len bytes at buf, in one transaction, with its triggers
 * dropped meanwhile (the rows are the copy's already: no change log,
 * no search index yet).  0; -1 when the dump is damaged; -2 when it
 * comes from a newer schema (*schema says which).
 */
int	 digest_dump_load(struct store *st, const void *buf, size_t len,
	     int *schema);

#endif
