/*
 * sync-proto.c: the parta-sync codec (sync-proto.h, man/parta-sync.5).
 *
 * One rule for both directions: whatever the encoder accepts the decoder
 * accepts, and the reverse, so the checks of a value (a token, a UUID,
 * UTF-8, a range list) are one function each, called from both.
 *
 * The decoder reads the frame through a bytes_reader, which fails once
 * and for all on a short read; the first rule broken is what is
 * reported (sync_dec_fail() keeps the first).  Memory: every array and
 * string copy is a block of the message's arena, charged against the
 * frame's budget before it is allocated, and a count is compared with
 * the bytes left before its array is made, so a length field can never
 * make the decoder allocate more than the frame could hold.
 *
 * A BATCH_COLUMNS has one encoding for its rows: the encoder puts each
 * row under the first schema it fits or makes a new one from it, and the
 * decoder refuses any other placing (sync_schema_canonical()), overlong
 * varints and stray bitmap bits, so both framings keep the rule that a
 * frame decodes only if it encodes again to its own bytes.  The encoder
 * falls back to a plain BATCH past SYNC_MAX_SCHEMAS; a BATCH_COLUMNS is
 * never longer than the BATCH of the same rows.  BATCH_NAMED keeps the
 * rule too: a schema's prefix is its first named row's, every row that
 * fits it goes as a bit, and the decoder refuses a UUID sent whole that
 * would have gone so, and a prefix no row uses.  BATCH_PACKED is
 * BATCH_NAMED column by column, its text packed (sync_pack_text()):
 * the decoder refuses a letter sent in the two bytes packing saves.
 */
#include <stdalign.h>
#include <stdlib.h>
#include <string.h>

#include "bytes.h"
#include "perr.h"
#include "sync-proto.h"
#include "util.h"

#define SYNC_MAX_NAME	255	/* an uploaded file's name, bytes */
#define SYNC_MIN_FRAMEMAX	(16 * 1024)

/* Bytes each element needs on the wire, at least: what bounds a count
 * by the bytes left. */
#define SYNC_WIRE_FIELD	6	/* name (4 + 1), type */
#define SYNC_WIRE_ROW	25	/* op, entity (4 + 1), uuid, nfields */
#define SYNC_WIRE_TEXT	4
#define SYNC_WIRE_INT	8
#define SYNC_WIRE_RANGE	16

enum sync_kind { SYNC_K_TEXT, SYNC_K_TOKEN, SYNC_K_NAME, SYNC_K_BLOB };

struct sync_block {
	struct sync_block	*next;
	alignas(max_align_t) unsigned char data[];
};

struct sync_dec {
	struct bytes_reader	 r;
	struct sync_msg		*m;
	size_t			 budget;
	int			 err;
	int			 packed;	/* BATCH_PACKED's text */
};

/* ---- checks shared by both directions ---- */

int
sync_utf8_valid(const char *str, size_t len)
{
	const unsigned char	*s = (const unsigned char *)str;
	size_t			 i = 0, n, k;
	uint32_t		 cp, min;

	while (i < len) {
		if (s[i] == 0)
			return 0;
		if (s[i] < 0x80) {
			i++;
			continue;
		}
		if ((s[i] & 0xe0) == 0xc0)
			n = 1, cp = s[i] & 0x1f, min = 0x80;
		else if ((s[i] & 0xf0) == 0xe0)
			n = 2, cp = s[i] & 0x0f, min = 0x800;
		else if ((s[i] & 0xf8) == 0xf0)
			n = 3, cp = s[i] & 0x07, min = 0x10000;
		else
			return 0;
		if (len - i - 1 < n)
			return 0;
		for (k = 1; k <= n; k++) {
			if ((s[i + k] & 0xc0) != 0x80)
				return 0;
			cp = cp << 6 | (s[i + k] & 0x3f);
		}
		if (cp < min || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff))
			return 0;
		i += n + 1;
	}
	return 1;
}

/*
 * A token: a capability, a request kind, an entity (SYNC_K_TOKEN:
 * [a-z][a-z0-9_.@-]*), or a field name (SYNC_K_NAME: [a-z][a-z0-9_]*).
 */
static int
sync_token_valid(const char *s, size_t len, size_t max, enum sync_kind kind)
{
	size_t	 i;

	if (len == 0 || len > max || s[0] < 'a' || s[0] > 'z')
		return 0;
	for (i = 1; i < len; i++) {
		if ((s[i] >= 'a' && s[i] <= 'z') || (s[i] >= '0' &&
		    s[i] <= '9') || s[i] == '_')
			continue;
		if (kind == SYNC_K_TOKEN && strchr(".@-", s[i]) != NULL &&
		    s[i] != '\0')
			continue;
		return 0;
	}
	return 1;
}

/* A canonical UUID (lower-case hex, dashes at 8, 13, 18, 23) into its 16
 * bytes: 0, or -1. */
static int
sync_uuid_parse(const char *s, unsigned char b[16])
{
	static const size_t	 group[] = { 4, 2, 2, 2, 6 };	/* bytes */
	size_t			 g;

	if (s == NULL || strlen(s) != 36)
		return -1;
	for (g = 0; g < nitems(group); g++) {
		if (g > 0 && *s++ != '-')
			return -1;
		if (hex_parse(s, group[g], b) != 0)
			return -1;
		s += 2 * group[g];
		b += group[g];
	}
	return 0;
}

static void
sync_uuid_format(const unsigned char b[16], char out[37])
{
	static const char	 hex[] = "0123456789abcdef";
	size_t			 i, j = 0;

	for (i = 0; i < 16; i++) {
		if (i == 4 || i == 6 || i == 8 || i == 10)
			out[j++] = '-';
		out[j++] = hex[b[i] >> 4];
		out[j++] = hex[b[i] & 0xf];
	}
	out[j] = '\0';
}

static int
sync_sha_parse(const char *s, unsigned char b[32])
{
	if (strlen(s) != 64)
		return -1;
	return hex_parse(s, 32, b);
}

/* Ranges are ascending, of ids >= 1, and apart (a gap between two). */
static int
sync_ranges_valid(const struct sync_range *r, size_t n)
{
	size_t	 i;

	for (i = 0; i < n; i++) {
		if (r[i].first < 1 || r[i].last < r[i].first)
			return 0;
		if (i > 0 && r[i].first <= r[i - 1].last + 1)
			return 0;
	}
	return 1;
}

/* A BATCH's flags: known ones, FIRST only with SNAPSHOT. */
static int
sync_batch_flags_valid(unsigned flags)
{
	return (flags & ~(unsigned)SYNC_BATCH_FLAGS) == 0 &&
	    (!(flags & SYNC_BATCH_FIRST) || (flags & SYNC_BATCH_SNAPSHOT));
}

/* Field names of one list are told apart. */
static int
sync_names_unique(const struct sync_field *f, size_t n)
{
	size_t	 i, j;

	for (i = 0; i < n; i++)
		for (j = 0; j < i; j++)
			if (strcmp(f[i].name, f[j].name) == 0)
				return 0;
	return 1;
}

static int
sync_caps_unique(const char *const *caps, size_t n)
{
	size_t	 i, j;

	for (i = 0; i < n; i++)
		for (j = 0; j < i; j++)
			if (strcmp(caps[i], caps[j]) == 0)
				return 0;
	return 1;
}

/* ---- encoding ---- */

static int
sync_enc_text(struct bytes_writer *w, const char *s, size_t max, int empty_ok)
{
	size_t	 len;

	if (s == NULL)
		s = "";
	len = strlen(s);
	if (len > max || (len == 0 && !empty_ok))
		return SYNC_E_BOUNDS;
	if (!sync_utf8_valid(s, len))
		return SYNC_E_UTF8;
	bytes_put_str(w, s, len);
	return 0;
}

static int
sync_enc_token(struct bytes_writer *w, const char *s, size_t max,
    enum sync_kind kind)
{
	if (s == NULL || !sync_token_valid(s, strlen(s), max, kind))
		return SYNC_E_BOUNDS;
	bytes_put_str(w, s, strlen(s));
	return 0;
}

static int
sync_enc_uuid(struct bytes_writer *w, const char *s)
{
	unsigned char	 b[16];

	if (sync_uuid_parse(s, b) != 0)
		return SYNC_E_BOUNDS;
	bytes_put_raw(w, b, 16);
	return 0;
}

static int
sync_enc_caps(struct bytes_writer *w, const char *const *caps, size_t n)
{
	size_t	 i;
	int	 rc;

	if (n > SYNC_MAX_CAPS || !sync_caps_unique(caps, n))
		return SYNC_E_BOUNDS;
	bytes_put_u32(w, (uint32_t)n);
	for (i = 0; i < n; i++)
		if ((rc = sync_enc_token(w, caps[i], SYNC_MAX_TOKEN,
		    SYNC_K_TOKEN)) != 0)
			return rc;
	return 0;
}

static int
sync_enc_fields(struct bytes_writer *w, const struct sync_field *f, size_t n)
{
	size_t	 i, k;
	int	 rc;

	if (n > SYNC_MAX_FIELDS || (n > 0 && f == NULL))
		return SYNC_E_BOUNDS;
	for (i = 0; i < n; i++)
		if (f[i].name == NULL)
			return SYNC_E_BOUNDS;
	if (!sync_names_unique(f, n))
		return SYNC_E_BOUNDS;
	bytes_put_u32(w, (uint32_t)n);
	for (i = 0; i < n; i++) {
		if ((rc = sync_enc_token(w, f[i].name, SYNC_MAX_TOKEN,
		    SYNC_K_NAME)) != 0)
			return rc;
		if ((unsigned)f[i].type >= SYNC_NFTYPES)
			return SYNC_E_BOUNDS;
		bytes_put_u8(w, (uint8_t)f[i].type);
		switch (f[i].type) {
		case SYNC_F_NULL:
			break;
		case SYNC_F_INT:
			bytes_put_u64(w, (uint64_t)f[i].i);
			break;
		case SYNC_F_TEXT:
			if (f[i].s == NULL && f[i].len != 0)
				return SYNC_E_BOUNDS;
			if (!sync_utf8_valid(f[i].s, f[i].len))
				return SYNC_E_UTF8;
			bytes_put_str(w, f[i].s, f[i].len);
			break;
		case SYNC_F_BLOB:
			if (f[i].s == NULL && f[i].len != 0)
				return SYNC_E_BOUNDS;
			bytes_put_str(w, f[i].s, f[i].len);
			break;
		case SYNC_F_UUID:
			if ((rc = sync_enc_uuid(w, f[i].s)) != 0)
				return rc;
			break;
		case SYNC_F_INTS:
		case SYNC_F_TEXTS:
		case SYNC_F_RANGES:
			if (f[i].n > SYNC_MAX_LIST)
				return SYNC_E_BOUNDS;
			bytes_put_u32(w, (uint32_t)f[i].n);
			for (k = 0; k < f[i].n; k++) {
				if (f[i].type == SYNC_F_INTS)
					bytes_put_u64(w, (uint64_t)f[i].ints[k]);
				else if (f[i].type == SYNC_F_TEXTS) {
					if ((rc = sync_enc_text(w, f[i].texts[k],
					    SYNC_FRAME_MAX, 1)) != 0)
						return rc;
				} else {
					bytes_put_u64(w,
					    (uint64_t)f[i].ranges[k].first);
					bytes_put_u64(w,
					    (uint64_t)f[i].ranges[k].last);
				}
			}
			if (f[i].type == SYNC_F_RANGES &&
			    !sync_ranges_valid(f[i].ranges, f[i].n))
				return SYNC_E_BOUNDS;
			break;
		default:
			return SYNC_E_BOUNDS;
		}
	}
	return 0;
}

static int
sync_enc_rows(struct bytes_writer *w, const struct sync_row *rows, size_t n,
    size_t max)
{
	size_t	 i;
	int	 rc;

	if (n > max || (n > 0 && rows == NULL))
		return SYNC_E_BOUNDS;
	bytes_put_u32(w, (uint32_t)n);
	for (i = 0; i < n; i++) {
		if (rows[i].op != SYNC_UPSERT && rows[i].op != SYNC_DELETE)
			return SYNC_E_BOUNDS;
		if (rows[i].op == SYNC_DELETE && rows[i].nfields != 0)
			return SYNC_E_BOUNDS;
		bytes_put_u8(w, (uint8_t)rows[i].op);
		if ((rc = sync_enc_token(w, rows[i].entity, SYNC_MAX_ENTITY,
		    SYNC_K_NAME)) != 0 ||
		    (rc = sync_enc_uuid(w, rows[i].uuid)) != 0 ||
		    (rc = sync_enc_fields(w, rows[i].fields,
		    rows[i].nfields)) != 0)
			return rc;
	}
	return 0;
}

static int
sync_enc_ranges(struct bytes_writer *w, const struct sync_range *r, size_t n)
{
	size_t	 i;

	if (n > SYNC_MAX_LIST || (n > 0 && r == NULL) ||
	    !sync_ranges_valid(r, n))
		return SYNC_E_BOUNDS;
	bytes_put_u32(w, (uint32_t)n);
	for (i = 0; i < n; i++) {
		bytes_put_u64(w, (uint64_t)r[i].first);
		bytes_put_u64(w, (uint64_t)r[i].last);
	}
	return 0;
}

static int
sync_enc_cursor(struct bytes_writer *w, uint64_t v)
{
	if (v > INT64_MAX)
		return SYNC_E_BOUNDS;
	bytes_put_u64(w, v);
	return 0;
}

/* Whether len bytes from offset lie within a file of size bytes. */
static int
sync_chunk_fits(uint64_t offset, size_t len, uint64_t size)
{
	return offset <= size && len <= size - offset;
}

/* Whether a FILE_DATA or FILE_PUT chunk may be encoded. */
static int
sync_enc_chunk_ok(uint64_t size, uint64_t offset, const unsigned char *data,
    size_t len)
{
	return len <= SYNC_MAX_CHUNK && size <= INT64_MAX &&
	    sync_chunk_fits(offset, len, size) && (len == 0 || data != NULL);
}

/* The body of m after its type byte. */
static int
sync_enc_body(struct bytes_writer *w, const struct sync_msg *m)
{
	unsigned char	 b[32];
	size_t		 i;
	int		 rc = 0;

	switch (m->type) {
	case SYNC_HELLO:
		if (m->hello.nversions < 1 ||
		    m->hello.nversions > SYNC_MAX_VERSIONS)
			return SYNC_E_BOUNDS;
		bytes_put_u32(w, (uint32_t)m->hello.nversions);
		for (i = 0; i < m->hello.nversions; i++) {
			if (m->hello.versions[i] == 0)
				return SYNC_E_BOUNDS;
			bytes_put_u32(w, m->hello.versions[i]);
		}
		if ((rc = sync_enc_caps(w, m->hello.caps, m->hello.ncaps)) != 0)
			return rc;
		return sync_enc_text(w, m->hello.agent, SYNC_MAX_AGENT, 1);
	case SYNC_WELCOME:
		if (m->welcome.version == 0 ||
		    m->welcome.frame_max < SYNC_MIN_FRAMEMAX ||
		    m->welcome.frame_max > SYNC_FRAME_MAX)
			return SYNC_E_BOUNDS;
		bytes_put_u32(w, m->welcome.version);
		if ((rc = sync_enc_caps(w, m->welcome.caps,
		    m->welcome.ncaps)) != 0)
			return rc;
		bytes_put_u32(w, m->welcome.frame_max);
		return sync_enc_text(w, m->welcome.agent, SYNC_MAX_AGENT, 1);
	case SYNC_PULL:
		if (m->pull.budget < SYNC_MIN_BUDGET ||
		    m->pull.budget > SYNC_FRAME_MAX)
			return SYNC_E_BOUNDS;
		if ((rc = sync_enc_cursor(w, m->pull.cursor)) != 0)
			return rc;
		bytes_put_u32(w, m->pull.budget);
		return 0;
	case SYNC_BATCH:
		if (!sync_batch_flags_valid(m->batch.flags))
			return SYNC_E_BOUNDS;
		if ((rc = sync_enc_rows(w, m->batch.rows, m->batch.nrows,
		    SYNC_MAX_ROWS)) != 0 ||
		    (rc = sync_enc_cursor(w, m->batch.cursor)) != 0)
			return rc;
		bytes_put_u8(w, (uint8_t)m->batch.flags);
		return 0;
	case SYNC_STALE:
		if ((rc = sync_enc_cursor(w, m->stale.floor)) != 0)
			return rc;
		return sync_enc_cursor(w, m->stale.head);
	case SYNC_PUSH:
		if ((rc = sync_enc_uuid(w, m->push.uuid)) != 0 ||
		    (rc = sync_enc_token(w, m->push.kind, SYNC_MAX_TOKEN,
		    SYNC_K_TOKEN)) != 0)
			return rc;
		return sync_enc_fields(w, m->push.fields, m->push.nfields);
	case SYNC_APPLIED:
		if ((rc = sync_enc_uuid(w, m->applied.uuid)) != 0)
			return rc;
		if (m->applied.again != 0 && m->applied.again != 1)
			return SYNC_E_BOUNDS;
		bytes_put_u8(w, (uint8_t)m->applied.again);
		return sync_enc_rows(w, m->applied.rows, m->applied.nrows,
		    SYNC_MAX_APPLIED_ROWS);
	case SYNC_REFUSED:
		if (strlen(m->refused.ref) == 36) {
			bytes_put_u8(w, 1);
			rc = sync_enc_uuid(w, m->refused.ref);
		} else {
			bytes_put_u8(w, 2);
			if (sync_sha_parse(m->refused.ref, b) != 0)
				return SYNC_E_BOUNDS;
			bytes_put_raw(w, b, 32);
		}
		if (rc != 0)
			return rc;
		if (m->refused.code >= 0 || m->refused.code < -999)
			return SYNC_E_BOUNDS;
		bytes_put_u32(w, (uint32_t)-m->refused.code);
		if (m->refused.field != NULL && *m->refused.field != '\0')
			rc = sync_enc_token(w, m->refused.field,
			    SYNC_MAX_TOKEN, SYNC_K_NAME);
		else
			bytes_put_str(w, "", 0);
		if (rc != 0)
			return rc;
		return sync_enc_text(w, m->refused.reason, SYNC_MAX_REASON, 0);
	case SYNC_READ:
		if ((rc = sync_enc_uuid(w, m->read.uuid)) != 0 ||
		    (rc = sync_enc_token(w, m->read.entity, SYNC_MAX_ENTITY,
		    SYNC_K_NAME)) != 0)
			return rc;
		return sync_enc_ranges(w, m->read.ranges, m->read.nranges);
	case SYNC_NOTICE:
		return sync_enc_cursor(w, m->notice.head);
	case SYNC_ESTIMATE:
		return sync_enc_cursor(w, m->estimate.rows);
	case SYNC_FILE_GET:
		if (m->file_get.length < 1 ||
		    m->file_get.length > SYNC_MAX_CHUNK ||
		    m->file_get.offset > INT64_MAX)
			return SYNC_E_BOUNDS;
		bytes_put_raw(w, m->file_get.sha256, 32);
		bytes_put_u64(w, m->file_get.offset);
		bytes_put_u32(w, m->file_get.length);
		return 0;
	case SYNC_FILE_DATA:
		if (!sync_enc_chunk_ok(m->file_data.size, m->file_data.offset,
		    m->file_data.data, m->file_data.len))
			return SYNC_E_BOUNDS;
		bytes_put_raw(w, m->file_data.sha256, 32);
		bytes_put_u64(w, m->file_data.offset);
		bytes_put_u64(w, m->file_data.size);
		bytes_put_raw(w, m->file_data.chunk_sha256, 32);
		bytes_put_str(w, m->file_data.data, m->file_data.len);
		return 0;
	case SYNC_FILE_PUT:
		if (!sync_enc_chunk_ok(m->file_put.size, m->file_put.offset,
		    m->file_put.data, m->file_put.len))
			return SYNC_E_BOUNDS;
		bytes_put_raw(w, m->file_put.sha256, 32);
		bytes_put_u64(w, m->file_put.size);
		bytes_put_u64(w, m->file_put.offset);
		if ((rc = sync_enc_text(w, m->file_put.name, SYNC_MAX_NAME,
		    1)) != 0)
			return rc;
		bytes_put_str(w, m->file_put.data, m->file_put.len);
		return 0;
	case SYNC_FILE_HAVE:
		bytes_put_raw(w, m->file_have.sha256, 32);
		return sync_enc_cursor(w, m->file_have.have);
	case SYNC_ERROR:
		if (m->error.code >= 0 || m->error.code < -SYNC_NERRORS)
			return SYNC_E_BOUNDS;
		bytes_put_u32(w, (uint32_t)-m->error.code);
		return sync_enc_text(w, m->error.reason, SYNC_MAX_REASON, 1);
	case SYNC_BATCH_COLUMNS:	/* a BATCH with batch.columns */
	case SYNC_BATCH_NAMED:		/* and batch.named */
	case SYNC_BATCH_PACKED:		/* and batch.packed */
		break;
	}
	return SYNC_E_TYPE;
}

/* ---- a batch in columns (BATCH_COLUMNS) ---- */

/* A schema of a batch in columns: an entity and its fields' names and
 * types in order; a NULL type is a field always NULL under it. */
struct sync_schema {
	const char		*entity;
	const struct sync_field	*fields;	/* the first row's */
	size_t			 nfields;
	int64_t			 prev[SYNC_MAX_FIELDS];	/* INT deltas */
	/* BATCH_NAMED: the prefix of the UUIDs that go as a bit. */
	int			 has_prefix;
	int			 seen_short;	/* decoding: a row used it */
	unsigned char		 prefix[9];
};

/*
 * Whether upsert r's UUID is named after its "id" field, as a server
 * names the rows it makes (store_uuid_named()): version 8, the variant,
 * and the id, below 2^56, in its last 7 bytes.  *prefix gets its first
 * 9 bytes.  Said of the UUID alone, so a row of any entity may qualify.
 */
static int
sync_row_named(const struct sync_row *r, unsigned char prefix[9])
{
	unsigned char	 b[16];
	uint64_t	 id;
	size_t		 k;
	int		 i;

	if (r->op != SYNC_UPSERT || sync_uuid_parse(r->uuid, b) != 0 ||
	    (b[6] >> 4) != 8 || (b[8] & 0xc0) != 0x80)
		return 0;
	for (k = 0; k < r->nfields; k++)
		if (strcmp(r->fields[k].name, "id") == 0)
			break;
	if (k == r->nfields || r->fields[k].type != SYNC_F_INT ||
	    r->fields[k].i < 0 || r->fields[k].i >= (int64_t)1 << 56)
		return 0;
	id = (uint64_t)r->fields[k].i;
	for (i = 0; i < 7; i++)
		if (b[9 + i] != (unsigned char)(id >> (48 - 8 * i)))
			return 0;
	memcpy(prefix, b, 9);
	return 1;
}

/* 1 if r's UUID goes as a bit under schema c. */
static int
sync_row_short(const struct sync_schema *c, const struct sync_row *r)
{
	unsigned char	 p[9];

	return c->has_prefix && sync_row_named(r, p) &&
	    memcmp(p, c->prefix, sizeof(p)) == 0;
}

/* 1 if row r under schema c has fields (the others are a head alone). */
static int
sync_row_has_fields(const struct sync_schema *c, const struct sync_row *r)
{
	return r->op == SYNC_UPSERT && c->nfields > 0;
}

/*
 * Rows grouped by their schema (idx[i] < nc), each group in row order:
 * those of schema k are order[start[k]] .. order[start[k + 1] - 1].
 */
static void
sync_schema_order(const size_t *idx, size_t n, size_t nc, size_t *order,
    size_t start[SYNC_MAX_SCHEMAS + 1])
{
	size_t	 at[SYNC_MAX_SCHEMAS], i, k;

	memset(start, 0, (SYNC_MAX_SCHEMAS + 1) * sizeof(*start));
	for (i = 0; i < n; i++)
		start[idx[i] + 1]++;
	for (k = 0; k < nc; k++) {
		start[k + 1] += start[k];
		at[k] = start[k];
	}
	for (i = 0; i < n; i++)
		order[at[idx[i]]++] = i;
}

static uint64_t
sync_zigzag(int64_t v)
{
	return ((uint64_t)v << 1) ^ (v < 0 ? UINT64_MAX : 0);
}

static int64_t
sync_unzigzag(uint64_t v)
{
	return (int64_t)(v >> 1) ^ -(int64_t)(v & 1);
}

/* The difference b - a, wrapping as uint64_t does. */
static int64_t
sync_delta(int64_t a, int64_t b)
{
	return (int64_t)((uint64_t)b - (uint64_t)a);
}

static void
sync_put_cstr(struct bytes_writer *w, const char *s, size_t len)
{
	bytes_put_varint(w, len);
	bytes_put_raw(w, s, len);
}

/*
 * BATCH_PACKED's text: each of the 64 letters U+0410..U+044F (А..я) as
 * one byte, 0x80 + (c - 0x410), where a character starts; every other
 * character as in UTF-8; a NUL after the last (text holds none).  A
 * byte 0x80..0xbf never starts a UTF-8 character, so the form is decoded
 * without ambiguity, and in it Russian takes about half the bytes, which
 * zstd compresses by 9% more (tests/bench/RESULTS.md).  Valid UTF-8 (not
 * checked here) of len bytes into out, which holds len bytes; returns
 * the bytes made, the NUL not written.
 */
static size_t
sync_pack_text(const char *str, size_t len, unsigned char *out)
{
	const unsigned char	*s = (const unsigned char *)str;
	size_t			 i, n = 0;

	for (i = 0; i < len; i++) {
		if (s[i] == 0xd0 && i + 1 < len && s[i + 1] >= 0x90 &&
		    s[i + 1] <= 0xbf)
			out[n++] = s[++i] - 0x10;
		else if (s[i] == 0xd1 && i + 1 < len && s[i + 1] >= 0x80 &&
		    s[i + 1] <= 0x8f)
			out[n++] = s[++i] + 0x30;
		else
			out[n++] = s[i];
	}
	return n;
}

/* Text s (len bytes) as a varint length and its bytes, or packed and
 * NUL-terminated; SYNC_E_UTF8 unless valid, SYNC_E_BOUNDS past what a
 * decoder keeps. */
static int
sync_put_text(struct bytes_writer *w, const char *s, size_t len, int packed)
{
	unsigned char	*b;

	if (s == NULL && len != 0)
		return SYNC_E_BOUNDS;
	if (!sync_utf8_valid(s, len))
		return SYNC_E_UTF8;
	if (!packed) {
		sync_put_cstr(w, s, len);
		return 0;
	}
	if (len > SYNC_FRAME_MAX)
		return SYNC_E_BOUNDS;
	b = xmalloc(len + 1);
	bytes_put_raw(w, b, sync_pack_text(s, len, b));
	free(b);
	bytes_put_u8(w, 0);
	return 0;
}

/* 1 if row r may go under schema c: its entity, names in order, and
 * each field of c's type or NULL. */
static int
sync_schema_fits(const struct sync_schema *c, const struct sync_row *r)
{
	size_t	 i;

	if (strcmp(c->entity, r->entity) != 0)
		return 0;
	if (r->op == SYNC_DELETE)
		return 1;
	if (c->nfields != r->nfields)
		return 0;
	for (i = 0; i < r->nfields; i++) {
		if (strcmp(c->fields[i].name, r->fields[i].name) != 0)
			return 0;
		if (r->fields[i].type != SYNC_F_NULL &&
		    r->fields[i].type != c->fields[i].type)
			return 0;
	}
	return 1;
}

/* The value of f (not NULL) under column prev, its text packed if
 * asked. */
static int
sync_enc_cvalue(struct bytes_writer *w, const struct sync_field *f,
    int64_t *prev, int packed)
{
	int64_t	 p;
	size_t	 k;
	int	 rc;

	switch (f->type) {
	case SYNC_F_INT:
		bytes_put_varint(w, sync_zigzag(sync_delta(*prev, f->i)));
		*prev = f->i;
		return 0;
	case SYNC_F_TEXT:
		return sync_put_text(w, f->s, f->len, packed);
	case SYNC_F_BLOB:
		if (f->s == NULL && f->len != 0)
			return SYNC_E_BOUNDS;
		sync_put_cstr(w, f->s, f->len);
		return 0;
	case SYNC_F_UUID:
		return sync_enc_uuid(w, f->s);
	case SYNC_F_INTS:
	case SYNC_F_TEXTS:
	case SYNC_F_RANGES:
		if (f->n > SYNC_MAX_LIST || (f->type == SYNC_F_RANGES &&
		    !sync_ranges_valid(f->ranges, f->n)))
			return SYNC_E_BOUNDS;
		bytes_put_varint(w, f->n);
		for (k = 0, p = 0; k < f->n; k++) {
			if (f->type == SYNC_F_INTS) {
				bytes_put_varint(w, sync_zigzag(sync_delta(p,
				    f->ints[k])));
				p = f->ints[k];
			} else if (f->type == SYNC_F_TEXTS) {
				if (f->texts[k] == NULL)
					return SYNC_E_BOUNDS;
				if ((rc = sync_put_text(w, f->texts[k],
				    strlen(f->texts[k]), packed)) != 0)
					return rc;
			} else {
				bytes_put_varint(w, sync_zigzag(sync_delta(p,
				    f->ranges[k].first)));
				bytes_put_varint(w, (uint64_t)
				    (f->ranges[k].last - f->ranges[k].first));
				p = f->ranges[k].last;
			}
		}
		return 0;
	default:
		return SYNC_E_BOUNDS;
	}
}

/* Row r's head under schema k: the schema, with names whether its UUID
 * goes as a bit, its op; then its UUID unless it does. */
static int
sync_enc_chead(struct bytes_writer *w, const struct sync_msg *m,
    const struct sync_schema *c, size_t k, const struct sync_row *r)
{
	int	 named = m->batch.named && sync_row_short(&c[k], r);

	if (m->batch.named)
		bytes_put_varint(w, (uint64_t)k << 2 | (uint64_t)named << 1 |
		    (r->op == SYNC_DELETE));
	else
		bytes_put_varint(w, (uint64_t)k << 1 | (r->op == SYNC_DELETE));
	return named ? 0 : sync_enc_uuid(w, r->uuid);
}

/* Upsert r's NULL bitmap. */
static void
sync_enc_cbits(struct bytes_writer *w, const struct sync_row *r)
{
	unsigned char	 bits[SYNC_MAX_FIELDS / 8];
	size_t		 k;

	memset(bits, 0, sizeof(bits));
	for (k = 0; k < r->nfields; k++)
		if (r->fields[k].type == SYNC_F_NULL)
			bits[k / 8] |= 1U << (k % 8);
	bytes_put_raw(w, bits, (r->nfields + 7) / 8);
}

/*
 * BATCH_PACKED's rows (idx[i] row i's schema): every row's head, then
 * schema by schema the NULL bitmaps of its rows, then schema by schema
 * each column's values that are not NULL, row after row, the columns
 * of text after all the others, the text packed.  A column's values
 * side by side (ids, times, one text after another) is where zstd finds
 * the most matches: 2.6% of a first sync (tests/bench/RESULTS.md).
 */
static int
sync_enc_packed(struct bytes_writer *w, const struct sync_msg *m,
    struct sync_schema *c, size_t nc, const size_t *idx)
{
	const struct sync_row	*r;
	size_t			*order, start[SYNC_MAX_SCHEMAS + 1];
	size_t			 n = m->batch.nrows, i, j, k, o;
	int			 rc = 0, text;

	for (i = 0; i < n && rc == 0; i++)
		rc = sync_enc_chead(w, m, c, idx[i], &m->batch.rows[i]);
	order = xcalloc(n + 1, sizeof(*order));
	sync_schema_order(idx, n, nc, order, start);
	for (o = 0; o < n; o++) {
		r = &m->batch.rows[order[o]];
		if (sync_row_has_fields(&c[idx[order[o]]], r))
			sync_enc_cbits(w, r);
	}
	for (text = 0; text < 2; text++)
		for (k = 0; k < nc; k++)
			for (j = 0; j < c[k].nfields; j++) {
				if ((c[k].fields[j].type == SYNC_F_TEXT) != text)
					continue;
				for (o = start[k]; o < start[k + 1] && rc == 0;
				    o++) {
					r = &m->batch.rows[order[o]];
					if (sync_row_has_fields(&c[k], r) &&
					    r->fields[j].type != SYNC_F_NULL)
						rc = sync_enc_cvalue(w,
						    &r->fields[j], &c[k].prev[j],
						    1);
				}
			}
	free(order);
	return rc;
}

/*
 * The body of a BATCH_COLUMNS: 0, SYNC_E_BOUNDS past SYNC_MAX_SCHEMAS
 * (the caller sends a plain BATCH then) or another code.
 */
static int
sync_enc_columns(struct bytes_writer *w, const struct sync_msg *m)
{
	const struct sync_row	*r;
	struct sync_schema	*c;
	size_t			*idx, nc = 0, i, k;
	int			 rc = 0;
	int			 packed = m->batch.named && m->batch.packed;

	if (m->batch.nrows > SYNC_MAX_ROWS ||
	    (m->batch.nrows > 0 && m->batch.rows == NULL) ||
	    !sync_batch_flags_valid(m->batch.flags))
		return SYNC_E_BOUNDS;
	c = xcalloc(SYNC_MAX_SCHEMAS, sizeof(*c));
	idx = xcalloc(m->batch.nrows + 1, sizeof(*idx));
	for (i = 0; i < m->batch.nrows && rc == 0; i++) {
		r = &m->batch.rows[i];
		if ((r->op != SYNC_UPSERT && r->op != SYNC_DELETE) ||
		    (r->op == SYNC_DELETE && r->nfields != 0) ||
		    r->nfields > SYNC_MAX_FIELDS ||
		    (r->nfields > 0 && r->fields == NULL) ||
		    !sync_token_valid(r->entity, strlen(r->entity),
		    SYNC_MAX_ENTITY, SYNC_K_NAME)) {
			rc = SYNC_E_BOUNDS;
			break;
		}
		for (k = 0; k < r->nfields; k++)
			if (r->fields[k].name == NULL ||
			    !sync_token_valid(r->fields[k].name,
			    strlen(r->fields[k].name), SYNC_MAX_TOKEN,
			    SYNC_K_NAME) ||
			    (unsigned)r->fields[k].type >= SYNC_NFTYPES)
				rc = SYNC_E_BOUNDS;
		if (rc == 0 && !sync_names_unique(r->fields, r->nfields))
			rc = SYNC_E_BOUNDS;
		for (k = 0; k < nc && !sync_schema_fits(&c[k], r); k++)
			;
		if (rc == 0 && k == nc) {
			if (nc == SYNC_MAX_SCHEMAS) {
				rc = SYNC_E_BOUNDS;
				break;
			}
			c[nc].entity = r->entity;
			c[nc].fields = r->fields;
			c[nc++].nfields = r->nfields;
		}
		idx[i] = k;
		/* The first named row under a schema gives its prefix. */
		if (rc == 0 && m->batch.named && !c[k].has_prefix &&
		    sync_row_named(r, c[k].prefix))
			c[k].has_prefix = 1;
	}
	if (rc != 0)
		goto out;
	bytes_put_varint(w, nc);
	for (k = 0; k < nc; k++) {
		sync_put_cstr(w, c[k].entity, strlen(c[k].entity));
		bytes_put_varint(w, c[k].nfields);
		for (i = 0; i < c[k].nfields; i++) {
			sync_put_cstr(w, c[k].fields[i].name,
			    strlen(c[k].fields[i].name));
			bytes_put_u8(w, (uint8_t)c[k].fields[i].type);
		}
	}
	for (k = 0; m->batch.named && k < nc; k++) {
		bytes_put_u8(w, (uint8_t)c[k].has_prefix);
		if (c[k].has_prefix)
			bytes_put_raw(w, c[k].prefix, sizeof(c[k].prefix));
	}
	bytes_put_varint(w, m->batch.nrows);
	if (packed)
		rc = sync_enc_packed(w, m, c, nc, idx);
	for (i = 0; !packed && i < m->batch.nrows && rc == 0; i++) {
		r = &m->batch.rows[i];
		if ((rc = sync_enc_chead(w, m, c, idx[i], r)) != 0 ||
		    !sync_row_has_fields(&c[idx[i]], r))
			continue;
		sync_enc_cbits(w, r);
		for (k = 0; k < r->nfields && rc == 0; k++)
			if (r->fields[k].type != SYNC_F_NULL)
				rc = sync_enc_cvalue(w, &r->fields[k],
				    &c[idx[i]].prev[k], 0);
	}
	if (rc == 0)
		rc = sync_enc_cursor(w, m->batch.cursor);
	bytes_put_u8(w, (uint8_t)m->batch.flags);
out:
	free(idx);
	free(c);
	return rc;
}

int
sync_encode(struct bytes_writer *w, const struct sync_msg *m)
{
	struct bytes_writer	 f;
	int			 rc;

	/* Built aside, so that w gets the whole frame or nothing. */
	bytes_writer_init(&f, 4 + SYNC_FRAME_MAX);
	rc = -1;
	if (m->type == SYNC_BATCH && m->batch.columns) {
		bytes_put_u32(&f, 0);
		bytes_put_u8(&f, !m->batch.named ? SYNC_BATCH_COLUMNS :
		    m->batch.packed ? SYNC_BATCH_PACKED : SYNC_BATCH_NAMED);
		/* Past SYNC_MAX_SCHEMAS (or any rule broken) it goes as
		 * a plain BATCH, which says why if it is the rows. */
		if ((rc = sync_enc_columns(&f, m)) == 0 &&
		    bytes_writer_failed(&f))
			rc = SYNC_E_TOOBIG;
		if (rc != 0)
			bytes_writer_reset(&f);
	}
	if (rc != 0) {
		bytes_put_u32(&f, 0);
		bytes_put_u8(&f, (uint8_t)m->type);
		rc = sync_enc_body(&f, m);
	}
	if (rc == 0) {
		if (bytes_writer_failed(&f))
			rc = SYNC_E_TOOBIG;
		else {
			(void)bytes_set_u32(&f, 0,
			    (uint32_t)(bytes_writer_len(&f) - 4));
			if (bytes_put_raw(w, bytes_writer_data(&f),
			    bytes_writer_len(&f)) != 0)
				rc = SYNC_E_TOOBIG;
		}
	}
	bytes_writer_free(&f);
	return rc;
}

/* ---- decoding ---- */

/* Remember the first rule broken; returns the code (of the first). */
static int
sync_dec_fail(struct sync_dec *d, int code, const char *why)
{
	if (d->err == 0) {
		d->err = code;
		d->m->why = why;
	}
	return d->err;
}

static int
sync_dec_ok(struct sync_dec *d)
{
	if (d->err == 0 && bytes_failed(&d->r))
		sync_dec_fail(d, SYNC_E_FRAME, "the frame is cut short");
	return d->err == 0;
}

/* n bytes of the message's arena, zeroed, charged to the budget; NULL
 * (and the decoder fails) past it. */
static void *
sync_dec_alloc(struct sync_dec *d, size_t n)
{
	struct sync_block	*b;
	size_t			 cost = sizeof(*b) + n;

	if (d->err != 0)
		return NULL;
	if (n > d->budget || cost > d->budget - d->m->spent) {
		sync_dec_fail(d, SYNC_E_MEMORY,
		    "the frame would pass its memory budget");
		return NULL;
	}
	b = xcalloc(1, cost);
	b->next = d->m->mem;
	d->m->mem = b;
	d->m->spent += cost;
	return b->data;
}

/*
 * A count of elements of at least wire bytes each: 0 (and the decoder
 * fails) when it passes max or the bytes left.
 */
static size_t
sync_dec_count(struct sync_dec *d, size_t max, size_t wire)
{
	uint32_t	 n = bytes_get_u32(&d->r);

	if (!sync_dec_ok(d))
		return 0;
	if (n > max) {
		sync_dec_fail(d, SYNC_E_BOUNDS, "a count passes its bound");
		return 0;
	}
	if ((size_t)n > bytes_left(&d->r) / wire) {
		sync_dec_fail(d, SYNC_E_FRAME,
		    "a count is larger than the frame can hold");
		return 0;
	}
	return n;
}

/*
 * An array, in the decoder's memory, of a count (as sync_dec_count) of
 * elements of size bytes, each decoded by each(); *n gets the count.
 * NULL (and *n 0) for none or on any failure (d->err says which).
 */
static void *
sync_dec_array(struct sync_dec *d, size_t max, size_t wire, size_t size,
    void (*each)(struct sync_dec *, void *), size_t *n)
{
	char	*v;
	size_t	 i;

	if ((*n = sync_dec_count(d, max, wire)) == 0 ||
	    (v = sync_dec_alloc(d, *n * size)) == NULL) {
		*n = 0;
		return NULL;
	}
	for (i = 0; i < *n && d->err == 0; i++)
		each(d, v + i * size);
	if (d->err != 0) {
		*n = 0;
		return NULL;
	}
	return v;
}

/*
 * The len bytes at s (NULL after a short read) checked as a string of
 * its kind, at most max bytes, and copied NUL-terminated; "" after a
 * failure.
 */
static const char *
sync_dec_keep(struct sync_dec *d, const char *s, size_t len, size_t max,
    enum sync_kind kind, int empty_ok, size_t *lenp)
{
	char	*copy;

	if (lenp != NULL)
		*lenp = 0;
	if (!sync_dec_ok(d) || s == NULL)
		return "";
	if (len > max || (len == 0 && !empty_ok)) {
		sync_dec_fail(d, SYNC_E_BOUNDS, "a string's length is out "
		    "of bounds");
		return "";
	}
	switch (kind) {
	case SYNC_K_TEXT:
		if (!sync_utf8_valid(s, len)) {
			sync_dec_fail(d, SYNC_E_UTF8, "text is not UTF-8");
			return "";
		}
		break;
	case SYNC_K_TOKEN:
	case SYNC_K_NAME:
		if (!sync_token_valid(s, len, max, kind)) {
			sync_dec_fail(d, SYNC_E_BOUNDS, "a name is not a token");
			return "";
		}
		break;
	case SYNC_K_BLOB:
		break;
	}
	if ((copy = sync_dec_alloc(d, len + 1)) == NULL)
		return "";
	memcpy(copy, s, len);
	if (lenp != NULL)
		*lenp = len;
	return copy;
}

/* A string, copied NUL-terminated; "" after a failure. */
static const char *
sync_dec_str(struct sync_dec *d, size_t max, enum sync_kind kind,
    int empty_ok, size_t *lenp)
{
	const char	*s;
	size_t		 len;

	s = bytes_get_str(&d->r, &len);
	return sync_dec_keep(d, s, len, max, kind, empty_ok, lenp);
}

static void
sync_dec_uuid(struct sync_dec *d, char out[37])
{
	const unsigned char	*b = bytes_get_raw(&d->r, 16);

	if (b != NULL)
		sync_uuid_format(b, out);
	else
		out[0] = '\0';
}

/* A field's UUID value, as 36 characters in the decoder's memory. */
static void
sync_dec_ufield(struct sync_dec *d, struct sync_field *f)
{
	char	*u;

	if ((u = sync_dec_alloc(d, 37)) != NULL)
		sync_dec_uuid(d, u);
	f->s = u;
	f->len = u != NULL ? strlen(u) : 0;
}

static void
sync_dec_sha(struct sync_dec *d, unsigned char out[32])
{
	const unsigned char	*b = bytes_get_raw(&d->r, 32);

	if (b != NULL)
		memcpy(out, b, 32);
}

static uint64_t
sync_dec_cursor(struct sync_dec *d)
{
	uint64_t	 v = bytes_get_u64(&d->r);

	if (v > INT64_MAX)
		sync_dec_fail(d, SYNC_E_BOUNDS, "a cursor is out of bounds");
	return v;
}

static void
sync_dec_caps(struct sync_dec *d, const char **caps, size_t *n)
{
	size_t	 i;

	*n = sync_dec_count(d, SYNC_MAX_CAPS, SYNC_WIRE_TEXT + 1);
	for (i = 0; i < *n; i++)
		caps[i] = sync_dec_str(d, SYNC_MAX_TOKEN, SYNC_K_TOKEN, 0,
		    NULL);
	if (d->err == 0 && !sync_caps_unique(caps, *n))
		sync_dec_fail(d, SYNC_E_BOUNDS, "a capability is named twice");
}

/* Elements of arrays (sync_dec_array): a range, an integer, a text. */
static void
sync_dec_range(struct sync_dec *d, void *e)
{
	struct sync_range	*r = e;

	r->first = (int64_t)bytes_get_u64(&d->r);
	r->last = (int64_t)bytes_get_u64(&d->r);
}

static void
sync_dec_int(struct sync_dec *d, void *e)
{
	*(int64_t *)e = (int64_t)bytes_get_u64(&d->r);
}

static void
sync_dec_text(struct sync_dec *d, void *e)
{
	*(const char **)e = sync_dec_str(d, SYNC_FRAME_MAX, SYNC_K_TEXT, 1,
	    NULL);
}

static const struct sync_range *
sync_dec_ranges(struct sync_dec *d, size_t *np)
{
	const struct sync_range	*r;

	r = sync_dec_array(d, SYNC_MAX_LIST, SYNC_WIRE_RANGE,
	    sizeof(struct sync_range), sync_dec_range, np);
	if (r != NULL && !sync_ranges_valid(r, *np))
		sync_dec_fail(d, SYNC_E_BOUNDS,
		    "ranges are not ascending and apart");
	return r;
}

static void
sync_dec_value(struct sync_dec *d, struct sync_field *f)
{
	switch (f->type) {
	case SYNC_F_NULL:
		break;
	case SYNC_F_INT:
		f->i = (int64_t)bytes_get_u64(&d->r);
		break;
	case SYNC_F_TEXT:
		f->s = sync_dec_str(d, SYNC_FRAME_MAX, SYNC_K_TEXT, 1, &f->len);
		break;
	case SYNC_F_BLOB:
		f->s = sync_dec_str(d, SYNC_FRAME_MAX, SYNC_K_BLOB, 1, &f->len);
		break;
	case SYNC_F_UUID:
		sync_dec_ufield(d, f);
		break;
	case SYNC_F_INTS:
		f->ints = sync_dec_array(d, SYNC_MAX_LIST, SYNC_WIRE_INT,
		    sizeof(*f->ints), sync_dec_int, &f->n);
		break;
	case SYNC_F_TEXTS:
		f->texts = sync_dec_array(d, SYNC_MAX_LIST, SYNC_WIRE_TEXT,
		    sizeof(*f->texts), sync_dec_text, &f->n);
		break;
	case SYNC_F_RANGES:
		f->ranges = sync_dec_ranges(d, &f->n);
		break;
	default:
		sync_dec_fail(d, SYNC_E_BOUNDS, "a field of an unknown type");
		break;
	}
	if (d->err != 0)
		f->n = 0;
}

static void
sync_dec_field(struct sync_dec *d, void *e)
{
	struct sync_field	*f = e;

	f->name = sync_dec_str(d, SYNC_MAX_TOKEN, SYNC_K_NAME, 0, NULL);
	f->type = bytes_get_u8(&d->r);
	if (sync_dec_ok(d))
		sync_dec_value(d, f);
}

static const struct sync_field *
sync_dec_fields(struct sync_dec *d, size_t *np)
{
	const struct sync_field	*f;

	f = sync_dec_array(d, SYNC_MAX_FIELDS, SYNC_WIRE_FIELD,
	    sizeof(struct sync_field), sync_dec_field, np);
	if (f != NULL && !sync_names_unique(f, *np)) {
		sync_dec_fail(d, SYNC_E_BOUNDS, "a field is named twice");
		*np = 0;
		return NULL;
	}
	return f;
}

static void
sync_dec_row(struct sync_dec *d, void *e)
{
	struct sync_row	*row = e;
	const char	*entity;

	row->op = bytes_get_u8(&d->r);
	entity = sync_dec_str(d, SYNC_MAX_ENTITY, SYNC_K_NAME, 0, NULL);
	strlcpy_p(row->entity, entity, sizeof(row->entity));
	sync_dec_uuid(d, row->uuid);
	row->fields = sync_dec_fields(d, &row->nfields);
	if (!sync_dec_ok(d))
		return;
	if (row->op != SYNC_UPSERT && row->op != SYNC_DELETE)
		sync_dec_fail(d, SYNC_E_BOUNDS, "a row's op is unknown");
	else if (row->op == SYNC_DELETE && row->nfields != 0)
		sync_dec_fail(d, SYNC_E_BOUNDS, "a deleted row carries fields");
}

/* The rows of a batch or an answer, at most max. */
static const struct sync_row *
sync_dec_rows(struct sync_dec *d, size_t max, size_t *np)
{
	return sync_dec_array(d, max, SYNC_WIRE_ROW, sizeof(struct sync_row),
	    sync_dec_row, np);
}

/* A chunk of a file of size bytes that starts at offset (FILE_DATA,
 * FILE_PUT); *len gets its length. */
static const unsigned char *
sync_dec_chunk(struct sync_dec *d, uint64_t offset, uint64_t size, size_t *len)
{
	const char	*data;

	data = sync_dec_str(d, SYNC_MAX_CHUNK, SYNC_K_BLOB, 1, len);
	if (sync_dec_ok(d) && !sync_chunk_fits(offset, *len, size))
		sync_dec_fail(d, SYNC_E_BOUNDS, "a chunk passes the file's end");
	return (const unsigned char *)data;
}

/* ---- decoding a batch in columns ---- */

/* A varint (LEB128, at most 10 bytes, the shortest form only). */
static uint64_t
sync_dec_varint(struct sync_dec *d)
{
	uint64_t	 v = 0;
	uint8_t		 b;
	unsigned	 shift;

	for (shift = 0; shift < 70; shift += 7) {
		b = bytes_get_u8(&d->r);
		if (!sync_dec_ok(d))
			return 0;
		if (shift == 63 && b > 1)
			break;
		v |= (uint64_t)(b & 0x7f) << shift;
		if ((b & 0x80) == 0) {
			if (b == 0 && shift > 0)
				break;
			return v;
		}
	}
	sync_dec_fail(d, SYNC_E_FRAME, "a varint is overlong");
	return 0;
}

/* A varint count of elements of at least wire bytes each, as
 * sync_dec_count(). */
static size_t
sync_dec_vcount(struct sync_dec *d, size_t max, size_t wire)
{
	uint64_t	 n = sync_dec_varint(d);

	if (d->err != 0)
		return 0;
	if (n > max) {
		sync_dec_fail(d, SYNC_E_BOUNDS, "a count passes its bound");
		return 0;
	}
	if (wire > 0 && n > bytes_left(&d->r) / wire) {
		sync_dec_fail(d, SYNC_E_FRAME,
		    "a count is larger than the frame can hold");
		return 0;
	}
	return (size_t)n;
}

/* A varint-length string, as sync_dec_str(). */
static const char *
sync_dec_cstr(struct sync_dec *d, size_t max, enum sync_kind kind,
    int empty_ok, size_t *lenp)
{
	size_t	 len;

	len = sync_dec_vcount(d, max, 1);
	return sync_dec_keep(d, len > 0 ? bytes_get_raw(&d->r, len) : "", len,
	    max, kind, empty_ok, lenp);
}

/*
 * BATCH_PACKED's text (sync_pack_text(), up to its NUL) as UTF-8, at
 * most max bytes, copied NUL-terminated as sync_dec_keep() does; "" after
 * a failure.  The packed form must be the one the encoder makes: a
 * letter it packs that comes in two bytes is refused.
 */
static const char *
sync_dec_ptext(struct sync_dec *d, size_t max, size_t *lenp)
{
	const unsigned char	*p;
	const char		*s;
	unsigned char		*u;
	size_t			 len, i, k, n = 0;

	if (lenp != NULL)
		*lenp = 0;
	if (!sync_dec_ok(d))
		return "";
	if ((p = bytes_get_until(&d->r, 0, &len)) == NULL) {
		sync_dec_fail(d, SYNC_E_FRAME, "packed text has no end");
		return "";
	}
	u = xmalloc(2 * len + 1);
	for (i = 0; i < len; i++) {
		if (p[i] >= 0x80 && p[i] <= 0xbf) {
			k = 0x410 + p[i] - 0x80;
			u[n++] = (unsigned char)(0xc0 | k >> 6);
			u[n++] = (unsigned char)(0x80 | (k & 0x3f));
			continue;
		}
		if ((p[i] == 0xd0 && i + 1 < len && p[i + 1] >= 0x90 &&
		    p[i + 1] <= 0xbf) || (p[i] == 0xd1 && i + 1 < len &&
		    p[i + 1] >= 0x80 && p[i + 1] <= 0x8f)) {
			sync_dec_fail(d, SYNC_E_BOUNDS,
			    "a letter of packed text comes in two bytes");
			break;
		}
		/* Any other character whole, its bytes as they came
		 * (sync_dec_keep() checks them). */
		k = p[i] < 0x80 ? 1 : p[i] < 0xe0 ? 2 : p[i] < 0xf0 ? 3 : 4;
		if (k > len - i)
			k = len - i;
		memcpy(u + n, p + i, k);
		n += k;
		i += k - 1;
	}
	s = sync_dec_keep(d, (const char *)u, n, max, SYNC_K_TEXT, 1, lenp);
	free(u);
	return s;
}

/* A value of f's type (not NULL) under column prev. */
static void
sync_dec_cvalue(struct sync_dec *d, struct sync_field *f, int64_t *prev)
{
	int64_t			*ints, p;
	const char		**texts;
	struct sync_range	*ranges;
	size_t			 k, n;

	switch (f->type) {
	case SYNC_F_INT:
		f->i = *prev = (int64_t)((uint64_t)*prev +
		    (uint64_t)sync_unzigzag(sync_dec_varint(d)));
		break;
	case SYNC_F_TEXT:
	case SYNC_F_BLOB:
		f->s = f->type == SYNC_F_TEXT && d->packed ?
		    sync_dec_ptext(d, SYNC_FRAME_MAX, &f->len) :
		    sync_dec_cstr(d, SYNC_FRAME_MAX, f->type == SYNC_F_TEXT ?
		    SYNC_K_TEXT : SYNC_K_BLOB, 1, &f->len);
		break;
	case SYNC_F_UUID:
		sync_dec_ufield(d, f);
		break;
	case SYNC_F_INTS:
	case SYNC_F_TEXTS:
	case SYNC_F_RANGES:
		n = sync_dec_vcount(d, SYNC_MAX_LIST, f->type ==
		    SYNC_F_RANGES ? 2 : 1);
		if (d->err != 0 || n == 0)
			break;
		if (f->type == SYNC_F_INTS) {
			if ((ints = sync_dec_alloc(d, n * sizeof(*ints))) ==
			    NULL)
				break;
			for (k = 0, p = 0; k < n; k++)
				ints[k] = p = (int64_t)((uint64_t)p + (uint64_t)
				    sync_unzigzag(sync_dec_varint(d)));
			f->ints = ints;
		} else if (f->type == SYNC_F_TEXTS) {
			if ((texts = sync_dec_alloc(d, n * sizeof(*texts))) ==
			    NULL)
				break;
			for (k = 0; k < n; k++)
				texts[k] = d->packed ? sync_dec_ptext(d,
				    SYNC_FRAME_MAX, NULL) : sync_dec_cstr(d,
				    SYNC_FRAME_MAX, SYNC_K_TEXT, 1, NULL);
			f->texts = texts;
		} else {
			if ((ranges = sync_dec_alloc(d, n * sizeof(*ranges))) ==
			    NULL)
				break;
			for (k = 0, p = 0; k < n; k++) {
				ranges[k].first = (int64_t)((uint64_t)p +
				    (uint64_t)sync_unzigzag(sync_dec_varint(d)));
				ranges[k].last = (int64_t)((uint64_t)
				    ranges[k].first + sync_dec_varint(d));
				p = ranges[k].last;
			}
			f->ranges = ranges;
			if (d->err == 0 && !sync_ranges_valid(ranges, n))
				sync_dec_fail(d, SYNC_E_BOUNDS,
				    "ranges are not ascending and apart");
		}
		f->n = d->err == 0 ? n : 0;
		break;
	default:
		sync_dec_fail(d, SYNC_E_BOUNDS, "a field of an unknown type");
		break;
	}
}

/* The NULL bitmap of upsert r under schema c: its fields, their names
 * and types (the values still to come; a field always NULL that the
 * bitmap gives a value keeps type NULL, for sync_dec_cbits_check()),
 * or NULL on a failure.  *bits is the bitmap. */
static struct sync_field *
sync_dec_cbits(struct sync_dec *d, const struct sync_schema *c,
    struct sync_row *r, const unsigned char **bits)
{
	struct sync_field	*f;
	size_t			 j;

	*bits = bytes_get_raw(&d->r, (c->nfields + 7) / 8);
	if (!sync_dec_ok(d) ||
	    (f = sync_dec_alloc(d, c->nfields * sizeof(*f))) == NULL)
		return NULL;
	for (j = 0; j < c->nfields; j++) {
		f[j].name = c->fields[j].name;
		f[j].type = ((*bits)[j / 8] & (1U << (j % 8))) ? SYNC_F_NULL :
		    c->fields[j].type;
	}
	r->fields = f;
	r->nfields = c->nfields;
	return f;
}

/* Once row r's values are read: its bitmap bits names no field past the
 * last, nor a value for a field always NULL under c.  0, or -1. */
static int
sync_dec_cbits_check(struct sync_dec *d, const struct sync_schema *c,
    const unsigned char *bits)
{
	size_t	 j;

	for (j = 0; j < c->nfields; j++)
		if (c->fields[j].type == SYNC_F_NULL &&
		    !(bits[j / 8] & (1U << (j % 8))))
			return sync_dec_fail(d, SYNC_E_BOUNDS,
			    "a field always NULL has a value");
	if (c->nfields % 8 != 0 && (bits[c->nfields / 8] >>
	    (c->nfields % 8)) != 0)
		return sync_dec_fail(d, SYNC_E_BOUNDS,
		    "a NULL bitmap names fields past the last");
	return 0;
}

/*
 * Whether row r, decoded under schema k, is where the encoder puts it:
 * under the first of the *used schemas it fits, or under the next new
 * one (k == *used, counted then) made from it, its NULLs the schema's
 * NULL types.  So a frame that decodes encodes again to its own bytes.
 */
static int
sync_schema_canonical(const struct sync_schema *c, size_t k, size_t *used,
    const struct sync_row *r)
{
	size_t	 j;

	if (k > *used)
		return 0;
	for (j = 0; j < k; j++)
		if (sync_schema_fits(&c[j], r))
			return 0;
	if (k < *used)
		return 1;
	if (r->op == SYNC_DELETE && c[k].nfields != 0)
		return 0;
	for (j = 0; j < r->nfields; j++)
		if ((r->fields[j].type == SYNC_F_NULL) !=
		    (c[k].fields[j].type == SYNC_F_NULL))
			return 0;
	(*used)++;
	return 1;
}

/* The UUID of a row that came as a bit: prefix, then its id field. */
static int
sync_dec_named(struct sync_dec *d, const struct sync_schema *c,
    struct sync_row *r)
{
	unsigned char	 b[16];
	uint64_t	 id;
	size_t		 k;
	int		 i;

	for (k = 0; k < r->nfields; k++)
		if (strcmp(r->fields[k].name, "id") == 0)
			break;
	if (k == r->nfields || r->fields[k].type != SYNC_F_INT ||
	    r->fields[k].i < 0 || r->fields[k].i >= (int64_t)1 << 56)
		return sync_dec_fail(d, SYNC_E_BOUNDS,
		    "a row named by its id has no id");
	id = (uint64_t)r->fields[k].i;
	memcpy(b, c->prefix, sizeof(c->prefix));
	for (i = 0; i < 7; i++)
		b[9 + i] = (unsigned char)(id >> (48 - 8 * i));
	sync_uuid_format(b, r->uuid);
	return 0;
}

/* The schemas of a batch in columns into c, and with names their
 * prefixes: how many. */
static size_t
sync_dec_schemas(struct sync_dec *d, struct sync_schema *c, int named)
{
	struct sync_field	*sf;
	const unsigned char	*pfx;
	size_t			 nc, i, k;

	nc = sync_dec_vcount(d, SYNC_MAX_SCHEMAS, 3);
	for (k = 0; k < nc && d->err == 0; k++) {
		c[k].entity = sync_dec_cstr(d, SYNC_MAX_ENTITY, SYNC_K_NAME, 0,
		    NULL);
		c[k].nfields = sync_dec_vcount(d, SYNC_MAX_FIELDS, 3);
		if (d->err != 0 || c[k].nfields == 0)
			continue;
		if ((sf = sync_dec_alloc(d, c[k].nfields * sizeof(*sf))) ==
		    NULL)
			break;
		for (i = 0; i < c[k].nfields && d->err == 0; i++) {
			sf[i].name = sync_dec_cstr(d, SYNC_MAX_TOKEN,
			    SYNC_K_NAME, 0, NULL);
			sf[i].type = bytes_get_u8(&d->r);
			if (sync_dec_ok(d) &&
			    (unsigned)sf[i].type >= SYNC_NFTYPES)
				sync_dec_fail(d, SYNC_E_BOUNDS,
				    "a field of an unknown type");
		}
		c[k].fields = sf;
		if (d->err == 0 && !sync_names_unique(sf, c[k].nfields))
			sync_dec_fail(d, SYNC_E_BOUNDS, "a field is named twice");
	}
	for (k = 0; named && k < nc && d->err == 0; k++) {
		if ((c[k].has_prefix = bytes_get_u8(&d->r)) > 1)
			sync_dec_fail(d, SYNC_E_BOUNDS, "a prefix flag not 0 or 1");
		if (!c[k].has_prefix || (pfx = bytes_get_raw(&d->r,
		    sizeof(c[k].prefix))) == NULL)
			continue;
		memcpy(c[k].prefix, pfx, sizeof(c[k].prefix));
		if ((pfx[6] >> 4) != 8 || (pfx[8] & 0xc0) != 0x80)
			sync_dec_fail(d, SYNC_E_BOUNDS,
			    "a prefix not of a version 8 UUID");
	}
	return d->err == 0 ? nc : 0;
}

/* A row's head: its schema into *k, its op and entity, and its UUID or,
 * with names, whether it goes as a bit (*bit).  0, or -1. */
static int
sync_dec_chead(struct sync_dec *d, const struct sync_schema *c, size_t nc,
    int named, struct sync_row *r, size_t *k, int *bit)
{
	uint64_t	 v;

	v = sync_dec_varint(d);
	if (d->err != 0)
		return -1;
	*bit = named ? (int)(v >> 1 & 1) : 0;
	if (named)
		v = (v >> 1 & ~(uint64_t)1) | (v & 1);
	if ((v >> 1) >= nc)
		return sync_dec_fail(d, SYNC_E_BOUNDS,
		    "a row names a schema not given");
	*k = (size_t)(v >> 1);
	r->op = (v & 1) ? SYNC_DELETE : SYNC_UPSERT;
	strlcpy_p(r->entity, c[*k].entity, sizeof(r->entity));
	if (*bit && (r->op == SYNC_DELETE || !c[*k].has_prefix ||
	    c[*k].nfields == 0))
		return sync_dec_fail(d, SYNC_E_BOUNDS,
		    "a row named by a prefix not given");
	if (!*bit)
		sync_dec_uuid(d, r->uuid);
	return sync_dec_ok(d) ? 0 : -1;
}

/* What a row is checked for once its fields are there: the UUID of one
 * that came as a bit, none sent whole that would have gone so, and its
 * schema the encoder's (*used as sync_schema_canonical()).  0, or -1. */
static int
sync_dec_cend(struct sync_dec *d, struct sync_schema *c, size_t k,
    int named, int bit, size_t *used, struct sync_row *r)
{
	unsigned char	 p[9];

	if (bit && sync_dec_named(d, &c[k], r) != 0)
		return -1;
	c[k].seen_short |= bit;
	/* A named row goes as a bit; the first gives the prefix. */
	if (named && !bit && sync_row_named(r, p) &&
	    (!c[k].seen_short || memcmp(p, c[k].prefix, 9) == 0))
		return sync_dec_fail(d, SYNC_E_BOUNDS,
		    "a UUID that goes as a bit is sent whole");
	if (!sync_schema_canonical(c, k, used, r))
		return sync_dec_fail(d, SYNC_E_BOUNDS,
		    "a row is not under the schema its encoder chose");
	return 0;
}

/* The n rows of a BATCH_NAMED or BATCH_COLUMNS, row after row. */
static void
sync_dec_crows(struct sync_dec *d, struct sync_schema *c, size_t nc,
    int named, struct sync_row *rows, size_t n, size_t *used)
{
	const unsigned char	*bits;
	struct sync_field	*f;
	struct sync_row		*r;
	size_t			 i, j, k;
	int			 bit;

	for (i = 0; i < n && d->err == 0; i++) {
		r = &rows[i];
		if (sync_dec_chead(d, c, nc, named, r, &k, &bit) != 0)
			break;
		if (sync_row_has_fields(&c[k], r)) {
			if ((f = sync_dec_cbits(d, &c[k], r, &bits)) == NULL)
				break;
			for (j = 0; j < c[k].nfields && d->err == 0; j++)
				if (f[j].type != SYNC_F_NULL)
					sync_dec_cvalue(d, &f[j], &c[k].prev[j]);
			if (d->err == 0)
				sync_dec_cbits_check(d, &c[k], bits);
		}
		if (d->err == 0)
			sync_dec_cend(d, c, k, named, bit, used, r);
	}
}

/*
 * The n rows of a BATCH_PACKED, laid out as sync_enc_packed() does:
 * every row's head, the NULL bitmaps schema by schema, then the values
 * column by column, those of text last.
 */
static void
sync_dec_prows(struct sync_dec *d, struct sync_schema *c, size_t nc,
    struct sync_row *rows, size_t n, size_t *used)
{
	const unsigned char	**bits;
	struct sync_field	**f;
	size_t			*idx, *order, start[SYNC_MAX_SCHEMAS + 1] = { 0 };
	size_t			 i, j, k, o;
	int			*bit, text;

	idx = xcalloc(n, sizeof(*idx));
	order = xcalloc(n, sizeof(*order));
	bit = xcalloc(n, sizeof(*bit));
	f = xcalloc(n, sizeof(*f));
	bits = xcalloc(n, sizeof(*bits));
	for (i = 0; i < n && d->err == 0; i++)
		sync_dec_chead(d, c, nc, 1, &rows[i], &idx[i], &bit[i]);
	if (d->err == 0)
		sync_schema_order(idx, n, nc, order, start);
	for (k = 0; k < nc && d->err == 0; k++)
		for (o = start[k]; o < start[k + 1] && d->err == 0; o++)
			if (sync_row_has_fields(&c[k], &rows[order[o]]))
				f[order[o]] = sync_dec_cbits(d, &c[k],
				    &rows[order[o]], &bits[order[o]]);
	for (text = 0; text < 2; text++)
		for (k = 0; k < nc && d->err == 0; k++)
			for (j = 0; j < c[k].nfields; j++) {
				if ((c[k].fields[j].type == SYNC_F_TEXT) != text)
					continue;
				for (o = start[k]; o < start[k + 1] &&
				    d->err == 0; o++)
					if (f[i = order[o]] != NULL &&
					    f[i][j].type != SYNC_F_NULL)
						sync_dec_cvalue(d, &f[i][j],
						    &c[k].prev[j]);
			}
	for (i = 0; i < n && d->err == 0; i++)
		if ((f[i] == NULL || sync_dec_cbits_check(d, &c[idx[i]],
		    bits[i]) == 0))
			sync_dec_cend(d, c, idx[i], 1, bit[i], used, &rows[i]);
	free(bits);
	free(f);
	free(bit);
	free(order);
	free(idx);
}

/* The rows of a BATCH_COLUMNS (BATCH_NAMED if named, BATCH_PACKED if
 * packed too), then its cursor and flags. */
static void
sync_dec_columns(struct sync_dec *d, int named, int packed)
{
	struct sync_msg		*m = d->m;
	struct sync_schema	*c;
	struct sync_row		*rows;
	size_t			 nc, n, k, used = 0;

	d->packed = packed;
	c = xcalloc(SYNC_MAX_SCHEMAS, sizeof(*c));
	nc = sync_dec_schemas(d, c, named);
	/* A row is at least its schema and op (1) and its UUID (16), or
	 * named, its NULL bitmap (1). */
	n = sync_dec_vcount(d, SYNC_MAX_ROWS, named ? 2 : 17);
	rows = n > 0 ? sync_dec_alloc(d, n * sizeof(*rows)) : NULL;
	if (rows != NULL && packed)
		sync_dec_prows(d, c, nc, rows, n, &used);
	else if (rows != NULL)
		sync_dec_crows(d, c, nc, named, rows, n, &used);
	if (d->err == 0 && used != nc)
		sync_dec_fail(d, SYNC_E_BOUNDS, "a schema no row uses");
	for (k = 0; k < nc && d->err == 0; k++)
		if (c[k].has_prefix && !c[k].seen_short)
			sync_dec_fail(d, SYNC_E_BOUNDS, "a prefix no row uses");
	free(c);
	m->batch.cursor = sync_dec_cursor(d);
	m->batch.flags = bytes_get_u8(&d->r);
	if (sync_dec_ok(d)) {
		m->batch.rows = rows;
		m->batch.nrows = n;
	}
	m->batch.columns = 1;
	m->batch.named = named;
	m->batch.packed = packed;
}

static void
sync_dec_body(struct sync_dec *d)
{
	struct sync_msg	*m = d->m;
	size_t		 i;
	uint32_t	 v;
	unsigned char	 b[32];

	switch (m->type) {
	case SYNC_HELLO:
		m->hello.nversions = bytes_get_u32(&d->r);
		if (sync_dec_ok(d) && (m->hello.nversions < 1 ||
		    m->hello.nversions > SYNC_MAX_VERSIONS)) {
			m->hello.nversions = 0;
			sync_dec_fail(d, SYNC_E_BOUNDS,
			    "HELLO offers no version, or too many");
			return;
		}
		for (i = 0; i < m->hello.nversions; i++)
			if ((m->hello.versions[i] = bytes_get_u32(&d->r)) == 0 &&
			    sync_dec_ok(d))
				sync_dec_fail(d, SYNC_E_BOUNDS, "version 0");
		sync_dec_caps(d, m->hello.caps, &m->hello.ncaps);
		m->hello.agent = sync_dec_str(d, SYNC_MAX_AGENT, SYNC_K_TEXT,
		    1, NULL);
		break;
	case SYNC_WELCOME:
		if ((m->welcome.version = bytes_get_u32(&d->r)) == 0 &&
		    sync_dec_ok(d))
			sync_dec_fail(d, SYNC_E_BOUNDS, "version 0");
		sync_dec_caps(d, m->welcome.caps, &m->welcome.ncaps);
		m->welcome.frame_max = bytes_get_u32(&d->r);
		if (sync_dec_ok(d) && (m->welcome.frame_max < SYNC_MIN_FRAMEMAX ||
		    m->welcome.frame_max > SYNC_FRAME_MAX))
			sync_dec_fail(d, SYNC_E_BOUNDS,
			    "the frame size is out of bounds");
		m->welcome.agent = sync_dec_str(d, SYNC_MAX_AGENT, SYNC_K_TEXT,
		    1, NULL);
		break;
	case SYNC_PULL:
		m->pull.cursor = sync_dec_cursor(d);
		m->pull.budget = bytes_get_u32(&d->r);
		if (sync_dec_ok(d) && (m->pull.budget < SYNC_MIN_BUDGET ||
		    m->pull.budget > SYNC_FRAME_MAX))
			sync_dec_fail(d, SYNC_E_BOUNDS,
			    "the budget is out of bounds");
		break;
	case SYNC_BATCH:
		m->batch.rows = sync_dec_rows(d, SYNC_MAX_ROWS,
		    &m->batch.nrows);
		m->batch.cursor = sync_dec_cursor(d);
		m->batch.flags = bytes_get_u8(&d->r);
		if (sync_dec_ok(d) && !sync_batch_flags_valid(m->batch.flags))
			sync_dec_fail(d, SYNC_E_BOUNDS, "unknown batch flags");
		break;
	case SYNC_BATCH_COLUMNS:
	case SYNC_BATCH_NAMED:
	case SYNC_BATCH_PACKED:
		sync_dec_columns(d, m->type != SYNC_BATCH_COLUMNS,
		    m->type == SYNC_BATCH_PACKED);
		m->type = SYNC_BATCH;
		if (sync_dec_ok(d) && !sync_batch_flags_valid(m->batch.flags))
			sync_dec_fail(d, SYNC_E_BOUNDS, "unknown batch flags");
		break;
	case SYNC_STALE:
		m->stale.floor = sync_dec_cursor(d);
		m->stale.head = sync_dec_cursor(d);
		break;
	case SYNC_PUSH:
		sync_dec_uuid(d, m->push.uuid);
		m->push.kind = sync_dec_str(d, SYNC_MAX_TOKEN, SYNC_K_TOKEN, 0,
		    NULL);
		m->push.fields = sync_dec_fields(d, &m->push.nfields);
		break;
	case SYNC_APPLIED:
		sync_dec_uuid(d, m->applied.uuid);
		m->applied.again = bytes_get_u8(&d->r);
		if (sync_dec_ok(d) && m->applied.again > 1)
			sync_dec_fail(d, SYNC_E_BOUNDS, "again is not 0 or 1");
		m->applied.rows = sync_dec_rows(d, SYNC_MAX_APPLIED_ROWS,
		    &m->applied.nrows);
		break;
	case SYNC_REFUSED:
		switch (bytes_get_u8(&d->r)) {
		case 1:
			sync_dec_uuid(d, m->refused.ref);
			break;
		case 2:
			memset(b, 0, sizeof(b));
			sync_dec_sha(d, b);
			hex_format(b, sizeof(b), m->refused.ref);
			break;
		default:
			if (sync_dec_ok(d))
				sync_dec_fail(d, SYNC_E_BOUNDS,
				    "a reference of an unknown kind");
			return;
		}
		v = bytes_get_u32(&d->r);
		if (sync_dec_ok(d) && (v < 1 || v > 999))
			sync_dec_fail(d, SYNC_E_BOUNDS,
			    "the refusal's code is out of bounds");
		m->refused.code = v <= 999 ? -(int)v : 0;
		m->refused.field = sync_dec_str(d, SYNC_MAX_TOKEN, SYNC_K_BLOB,
		    1, &i);
		if (d->err == 0 && i > 0 &&
		    !sync_token_valid(m->refused.field, i, SYNC_MAX_TOKEN,
		    SYNC_K_NAME))
			sync_dec_fail(d, SYNC_E_BOUNDS, "a name is not a token");
		m->refused.reason = sync_dec_str(d, SYNC_MAX_REASON,
		    SYNC_K_TEXT, 0, NULL);
		break;
	case SYNC_READ:
		sync_dec_uuid(d, m->read.uuid);
		m->read.entity = sync_dec_str(d, SYNC_MAX_ENTITY, SYNC_K_NAME,
		    0, NULL);
		m->read.ranges = sync_dec_ranges(d, &m->read.nranges);
		break;
	case SYNC_NOTICE:
		m->notice.head = sync_dec_cursor(d);
		break;
	case SYNC_ESTIMATE:
		m->estimate.rows = sync_dec_cursor(d);
		break;
	case SYNC_FILE_GET:
		sync_dec_sha(d, m->file_get.sha256);
		m->file_get.offset = sync_dec_cursor(d);
		m->file_get.length = bytes_get_u32(&d->r);
		if (sync_dec_ok(d) && (m->file_get.length < 1 ||
		    m->file_get.length > SYNC_MAX_CHUNK))
			sync_dec_fail(d, SYNC_E_BOUNDS,
			    "a chunk's length is out of bounds");
		break;
	case SYNC_FILE_DATA:
		sync_dec_sha(d, m->file_data.sha256);
		m->file_data.offset = sync_dec_cursor(d);
		m->file_data.size = sync_dec_cursor(d);
		sync_dec_sha(d, m->file_data.chunk_sha256);
		m->file_data.data = sync_dec_chunk(d, m->file_data.offset,
		    m->file_data.size, &m->file_data.len);
		break;
	case SYNC_FILE_PUT:
		sync_dec_sha(d, m->file_put.sha256);
		m->file_put.size = sync_dec_cursor(d);
		m->file_put.offset = sync_dec_cursor(d);
		m->file_put.name = sync_dec_str(d, SYNC_MAX_NAME, SYNC_K_TEXT,
		    1, NULL);
		m->file_put.data = sync_dec_chunk(d, m->file_put.offset,
		    m->file_put.size, &m->file_put.len);
		break;
	case SYNC_FILE_HAVE:
		sync_dec_sha(d, m->file_have.sha256);
		m->file_have.have = sync_dec_cursor(d);
		break;
	case SYNC_ERROR:
		v = bytes_get_u32(&d->r);
		if (sync_dec_ok(d) && (v < 1 || v > SYNC_NERRORS))
			sync_dec_fail(d, SYNC_E_BOUNDS, "an unknown error code");
		m->error.code = v <= SYNC_NERRORS ? -(int)v : 0;
		m->error.reason = sync_dec_str(d, SYNC_MAX_REASON, SYNC_K_TEXT,
		    1, NULL);
		break;
	default:
		sync_dec_fail(d, SYNC_E_TYPE, "a frame of an unknown type");
		break;
	}
}

int
sync_frame_len(const void *buf, size_t have, size_t *len)
{
	struct bytes_reader	 r;
	uint32_t		 n;

	*len = 0;
	if (have < 4)
		return 0;
	bytes_reader_init(&r, buf, 4);
	n = bytes_get_u32(&r);
	if (n == 0 || n > SYNC_FRAME_MAX)
		return SYNC_E_TOOBIG;
	if (have - 4 < n)
		return 0;
	*len = 4 + (size_t)n;
	return 1;
}

int
sync_decode(const void *buf, size_t len, int from_server, struct sync_msg *m)
{
	struct sync_dec	 d;
	size_t		 flen;
	int		 rc;

	memset(m, 0, sizeof(*m));
	memset(&d, 0, sizeof(d));
	d.m = m;
	rc = sync_frame_len(buf, len, &flen);
	if (rc < 0)
		return sync_dec_fail(&d, rc, "the frame is empty or too long");
	if (rc == 0 || flen != len)
		return sync_dec_fail(&d, SYNC_E_FRAME, rc == 0 ?
		    "the frame is cut short" : "bytes follow the frame");
	bytes_reader_init(&d.r, (const unsigned char *)buf + 4, len - 4);
	m->type = bytes_get_u8(&d.r);
	d.budget = m->type == SYNC_BATCH_COLUMNS ||
	    m->type == SYNC_BATCH_NAMED || m->type == SYNC_BATCH_PACKED ?
	    SYNC_COLUMNS_BUDGET(len) :
	    SYNC_DECODE_BUDGET(len);
	if (sync_type_name(m->type)[0] == '?' ||
	    SYNC_FROM_SERVER(m->type) != (from_server != 0))
		return sync_dec_fail(&d, SYNC_E_TYPE,
		    "a frame of an unknown type, or the other side's");
	sync_dec_body(&d);
	if (sync_dec_ok(&d) && bytes_left(&d.r) != 0)
		sync_dec_fail(&d, SYNC_E_FRAME, "bytes left over in the frame");
	return d.err;
}

void
sync_msg_free(struct sync_msg *m)
{
	struct sync_block	*b, *next;

	if (m == NULL)
		return;
	for (b = m->mem; b != NULL; b = next) {
		next = b->next;
		free(b);
	}
	memset(m, 0, sizeof(*m));
}

/* ---- names ---- */

static const struct sync_type_row {
	int		 type;
	const char	*name;
	const char	*cap;
} sync_types[] = {
	{ .type = SYNC_HELLO, .name = "HELLO" },
	{ .type = SYNC_PULL, .name = "PULL" },
	{ .type = SYNC_PUSH, .name = "PUSH" },
	{ .type = SYNC_READ, .name = "READ" },
	{ .type = SYNC_FILE_GET, .name = "FILE_GET", .cap = SYNC_CAP_FILES },
	{ .type = SYNC_FILE_PUT, .name = "FILE_PUT", .cap = SYNC_CAP_FILES },
	{ .type = SYNC_WELCOME, .name = "WELCOME" },
	{ .type = SYNC_BATCH, .name = "BATCH" },
	{ .type = SYNC_STALE, .name = "STALE" },
	{ .type = SYNC_APPLIED, .name = "APPLIED" },
	{ .type = SYNC_REFUSED, .name = "REFUSED" },
	{ .type = SYNC_NOTICE, .name = "NOTICE", .cap = SYNC_CAP_LIVE },
	{ .type = SYNC_FILE_DATA, .name = "FILE_DATA", .cap = SYNC_CAP_FILES },
	{ .type = SYNC_FILE_HAVE, .name = "FILE_HAVE", .cap = SYNC_CAP_FILES },
	{ .type = SYNC_BATCH_COLUMNS, .name = "BATCH_COLUMNS",
	  .cap = SYNC_CAP_COLUMNS },
	{ .type = SYNC_BATCH_NAMED, .name = "BATCH_NAMED",
	  .cap = SYNC_CAP_NAMES },
	{ .type = SYNC_ESTIMATE, .name = "ESTIMATE",
	  .cap = SYNC_CAP_ESTIMATE },
	{ .type = SYNC_BATCH_PACKED, .name = "BATCH_PACKED",
	  .cap = SYNC_CAP_PACKED },
	{ .type = SYNC_ERROR, .name = "ERROR" },
};

static const struct sync_type_row *
sync_type_row(int type)
{
	size_t	 i;

	for (i = 0; i < nitems(sync_types); i++)
		if (sync_types[i].type == type)
			return &sync_types[i];
	return NULL;
}

const char *
sync_type_name(int type)
{
	const struct sync_type_row	*t = sync_type_row(type);

	return t != NULL ? t->name : "?";
}

int
sync_welcome_grants(const struct sync_msg *m, const char *cap)
{
	size_t	 i;

	for (i = 0; m->type == SYNC_WELCOME && i < m->welcome.ncaps; i++)
		if (strcmp(m->welcome.caps[i], cap) == 0)
			return 1;
	return 0;
}

const char *
sync_type_capability(enum sync_type type)
{
	const struct sync_type_row	*t = sync_type_row((int)type);

	return t != NULL ? t->cap : NULL;
}

static const struct sync_error_row {
	int		 code;
	int		 perr;
	const char	*str;
} sync_errors[] = {
	{ .code = SYNC_E_FRAME, .str = "a malformed frame" },
	{ .code = SYNC_E_TOOBIG, .perr = PERR_TOOLONG,
	  .str = "a frame longer than the limit, or empty" },
	{ .code = SYNC_E_TYPE, .str = "a frame of an unknown type" },
	{ .code = SYNC_E_ORDER, .str = "a frame out of order" },
	{ .code = SYNC_E_UTF8, .perr = PERR_UTF8, .str = "text is not UTF-8" },
	{ .code = SYNC_E_BOUNDS, .str = "a value out of bounds" },
	{ .code = SYNC_E_VERSION, .str = "no protocol version in common" },
	{ .code = SYNC_E_CAPABILITY, .str = "a capability not chosen" },
	{ .code = SYNC_E_DENIED, .perr = PERR_REQ_DENIED,
	  .str = "this account may not sync" },
	{ .code = SYNC_E_SERVER, .perr = PERR_DB,
	  .str = "the server failed; try again later" },
	{ .code = SYNC_E_FULL, .perr = PERR_FULL,
	  .str = "the server's disk is full" },
	{ .code = SYNC_E_BUSY, .str = "the server is busy; try again later" },
	{ .code = SYNC_E_SHUTDOWN, .str = "the server is stopping" },
	{ .code = SYNC_E_MEMORY, .str = "the frame passes its memory budget" },
};

const char *
sync_strerror(int code)
{
	size_t	 i;

	if (code == SYNC_OK)
		return "no error";
	for (i = 0; i < nitems(sync_errors); i++)
		if (sync_errors[i].code == code)
			return sync_errors[i].str;
	return "an unknown error";
}

int
sync_error_perr(int code)
{
	size_t	 i;

	for (i = 0; i < nitems(sync_errors); i++)
		if (sync_errors[i].code == code)
			return sync_errors[i].perr;
	return 0;
}
