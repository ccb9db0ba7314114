/*
 * test-sync-proto.c: the parta-sync codec (common/sync-proto.c).  Every
 * frame of man/parta-sync.5 is encoded, decoded and encoded again to
 * the same bytes, with its values checked; and every rejection: a frame
 * cut at any byte, longer than the limit or empty, of an unknown type or
 * the other side's, with text that is not UTF-8, a count past its bound
 * or past what the frame holds, bytes left over, and values the man page
 * forbids (a cursor past 2^63, ranges out of order, a field named
 * twice).  The encoder refuses what the decoder refuses.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bytes.h"
#include "perr.h"
#include "store.h"
#include "sync-proto.h"
#include "t.h"
#include "util.h"

#define U1	"0f1e2d3c-4b5a-4978-8695-a4b3c2d1e0f9"
#define U2	"00000000-0000-4000-8000-000000000001"

/* m encoded: its frame in w (the caller frees), 0 or the code. */
static int
enc(const struct sync_msg *m, struct bytes_writer *w)
{
	bytes_writer_init(w, 4 + SYNC_FRAME_MAX);
	return sync_encode(w, m);
}

/*
 * Encode m, decode it into *out, encode that again: the same bytes.
 * Returns 1 when all held; *out is the caller's to free.
 */
static int
rt(const struct sync_msg *m, struct sync_msg *out)
{
	struct bytes_writer	 a, b;
	int			 ok = 0;

	memset(out, 0, sizeof(*out));
	if (enc(m, &a) != 0)
		goto done;
	if (sync_decode(bytes_writer_data(&a), bytes_writer_len(&a),
	    SYNC_FROM_SERVER(m->type), out) != 0) {
		printf("# decode: %s\n", out->why);
		goto done;
	}
	if (out->type != m->type || enc(out, &b) != 0)
		goto done;
	ok = bytes_writer_len(&a) == bytes_writer_len(&b) &&
	    memcmp(bytes_writer_data(&a), bytes_writer_data(&b),
	    bytes_writer_len(&a)) == 0;
	bytes_writer_free(&b);
done:
	bytes_writer_free(&a);
	return ok;
}

/* A frame by hand from a string literal body, decoded: the code. */
#define D(type, from_server, lit) \
	dec(buf, raw(buf, (type), (lit), sizeof(lit) - 1), (from_server))
#define UZ	"\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0"	/* a UUID, 16 bytes */

/* Decode len bytes at p as from the server or the client: the code. */
static int
dec(const void *p, size_t len, int from_server)
{
	struct sync_msg	 m;
	int		 rc;

	rc = sync_decode(p, len, from_server, &m);
	sync_msg_free(&m);
	return rc;
}

/* A frame by hand: type and body, length in front. */
static size_t
raw(unsigned char *buf, int type, const void *body, size_t len)
{
	buf[0] = (unsigned char)((len + 1) >> 24);
	buf[1] = (unsigned char)((len + 1) >> 16);
	buf[2] = (unsigned char)((len + 1) >> 8);
	buf[3] = (unsigned char)(len + 1);
	buf[4] = (unsigned char)type;
	memcpy(buf + 5, body, len);
	return 5 + len;
}

/* m round-trips and, decoded into o, cond holds: one check. */
#define RT(m, o, cond, ...) do {					\
	T_OK(rt(&(m), &(o)) && (cond), __VA_ARGS__);			\
	sync_msg_free(&(o));						\
} while (0)

static void
handshake(void)
{
	struct sync_msg	 m, o;

	m = (struct sync_msg){ .type = SYNC_HELLO, .hello = {
	    .versions = { 1, 2 }, .nversions = 2,
	    .caps = { SYNC_CAP_LIVE, SYNC_CAP_FILES, "zstd@parta" }, .ncaps = 3,
	    .agent = "parta 0.3 (Debian)" } };
	RT(m, o, o.hello.nversions == 2 && o.hello.versions[1] == 2 &&
	    o.hello.ncaps == 3 && strcmp(o.hello.caps[2], "zstd@parta") == 0 &&
	    strcmp(o.hello.agent, "parta 0.3 (Debian)") == 0,
	    "HELLO round-trips: versions, capabilities, agent");

	m = (struct sync_msg){ .type = SYNC_WELCOME, .welcome = {
	    .version = 1, .caps = { SYNC_CAP_LIVE }, .ncaps = 1,
	    .frame_max = SYNC_FRAME_MAX, .agent = "partad" } };
	RT(m, o, o.welcome.version == 1 && o.welcome.ncaps == 1 &&
	    o.welcome.frame_max == SYNC_FRAME_MAX,
	    "WELCOME round-trips: the chosen version and capabilities");
}

static void
pulling(void)
{
	struct bytes_writer		 w2;
	static const int64_t		 ints[] = { -1, 0, INT64_MAX };
	static const char *const	 texts[] = { "да", "", "нет" };
	static const struct sync_range	 rr[] = { { 1, 3 }, { 5, 5 } };
	struct sync_field	 f[] = {
		{ .name = "subject", .type = SYNC_F_TEXT, .s = "Дроби",
		  .len = strlen("Дроби") },
		{ .name = "body", .type = SYNC_F_TEXT, .s = "а\nб", .len = 5 },
		{ .name = "board", .type = SYNC_F_UUID, .s = U2 },
		{ .name = "created", .type = SYNC_F_INT, .i = -5 },
		{ .name = "edited", .type = SYNC_F_NULL },
		{ .name = "raw", .type = SYNC_F_BLOB, .s = "a\0b", .len = 3 },
		{ .name = "choice", .type = SYNC_F_INTS, .ints = ints, .n = 3 },
		{ .name = "options", .type = SYNC_F_TEXTS, .texts = texts,
		  .n = 3 },
		{ .name = "read", .type = SYNC_F_RANGES, .ranges = rr, .n = 2 },
	};
	struct sync_row		 rows[] = {
		{ .entity = "post", .uuid = U1, .op = SYNC_UPSERT,
		  .fields = f, .nfields = nitems(f) },
		{ .entity = "mail_box", .uuid = U2, .op = SYNC_DELETE },
	};
	const struct sync_field	*g;
	struct sync_msg		 m, o;

	m = (struct sync_msg){ .type = SYNC_PULL,
	    .pull = { .cursor = 12345, .budget = 32768 } };
	RT(m, o, o.pull.cursor == 12345 && o.pull.budget == 32768,
	    "PULL round-trips");

	m = (struct sync_msg){ .type = SYNC_BATCH, .batch = { .rows = rows,
	    .nrows = 2, .cursor = 77, .flags = SYNC_BATCH_MORE } };
	T_OK(rt(&m, &o) && o.batch.nrows == 2 && o.batch.cursor == 77 &&
	    o.batch.flags == SYNC_BATCH_MORE, "BATCH round-trips");
	T_OK(o.batch.nrows == 2 && strcmp(o.batch.rows[0].entity, "post") == 0 &&
	    strcmp(o.batch.rows[0].uuid, U1) == 0 &&
	    o.batch.rows[0].nfields == nitems(f) &&
	    o.batch.rows[1].op == SYNC_DELETE && o.batch.rows[1].nfields == 0,
	    "a batch's rows keep entity, UUID, op and fields");
	if (o.batch.nrows == 2 && o.batch.rows[0].nfields == nitems(f)) {
		g = o.batch.rows[0].fields;
		T_OK(strcmp(g[0].s, "Дроби") == 0 && g[1].len == 5 &&
		    strcmp(g[2].s, U2) == 0 && g[3].i == -5 &&
		    g[4].type == SYNC_F_NULL && g[5].len == 3 &&
		    memcmp(g[5].s, "a\0b", 3) == 0 && g[6].n == 3 &&
		    g[6].ints[0] == -1 && g[6].ints[2] == INT64_MAX &&
		    g[7].n == 3 && strcmp(g[7].texts[2], "нет") == 0 &&
		    g[8].n == 2 && g[8].ranges[1].first == 5,
		    "every field type keeps its value");
	} else
		T_OK(0, "every field type keeps its value");
	sync_msg_free(&o);

	m.batch.nrows = 0;
	m.batch.flags = SYNC_BATCH_SNAPSHOT | SYNC_BATCH_FIRST;
	RT(m, o, o.batch.nrows == 0 &&
	    o.batch.flags == (SYNC_BATCH_SNAPSHOT | SYNC_BATCH_FIRST),
	    "an empty snapshot batch round-trips");

	m = (struct sync_msg){ .type = SYNC_STALE,
	    .stale = { .floor = 100, .head = 900 } };
	RT(m, o, o.stale.floor == 100 && o.stale.head == 900,
	    "STALE round-trips");

	m = (struct sync_msg){ .type = SYNC_NOTICE, .notice = { .head = 901 } };
	RT(m, o, o.notice.head == 901, "NOTICE round-trips");

	m = (struct sync_msg){ .type = SYNC_ESTIMATE,
	    .estimate = { .rows = 1234 } };
	RT(m, o, o.estimate.rows == 1234, "ESTIMATE round-trips");

	m = (struct sync_msg){ .type = SYNC_BATCH, .batch = { .nrows = 0,
	    .cursor = 902, .flags = SYNC_BATCH_PUSHED | SYNC_BATCH_MORE } };
	RT(m, o, o.batch.flags == (SYNC_BATCH_PUSHED | SYNC_BATCH_MORE) &&
	    o.batch.cursor == 902, "a pushed batch round-trips");
	m.batch.flags = 0x10;
	T_INT(enc(&m, &w2), SYNC_E_BOUNDS, "a batch flag past PUSHED is refused");
	bytes_writer_free(&w2);
}

static void
pushing(void)
{
	static const struct sync_range	 rr[] = { { 10, 20 }, { 22, 22 },
	    { 30, INT64_MAX } };
	struct sync_field	 f[] = {
		{ .name = "thread", .type = SYNC_F_UUID, .s = U2 },
		{ .name = "body", .type = SYNC_F_TEXT, .s = "Спасибо!",
		  .len = strlen("Спасибо!") },
	};
	struct sync_row		 row = { .entity = "post", .uuid = U1,
	    .op = SYNC_UPSERT, .fields = f, .nfields = 2 };
	struct sync_msg		 m, o;

	m = (struct sync_msg){ .type = SYNC_PUSH, .push = { .uuid = U1,
	    .kind = "reply", .fields = f, .nfields = 2 } };
	RT(m, o, strcmp(o.push.uuid, U1) == 0 &&
	    strcmp(o.push.kind, "reply") == 0 && o.push.nfields == 2,
	    "PUSH round-trips");

	m = (struct sync_msg){ .type = SYNC_APPLIED, .applied = { .uuid = U1,
	    .again = 1, .rows = &row, .nrows = 1 } };
	RT(m, o, o.applied.again == 1 && o.applied.nrows == 1 &&
	    strcmp(o.applied.rows[0].uuid, U1) == 0,
	    "APPLIED round-trips with the server's row");

	m = (struct sync_msg){ .type = SYNC_REFUSED, .refused = { .ref = U1,
	    .code = PERR_LOCKED, .field = "thread",
	    .reason = "Тема закрыта." } };
	RT(m, o, strcmp(o.refused.ref, U1) == 0 &&
	    o.refused.code == PERR_LOCKED &&
	    strcmp(o.refused.field, "thread") == 0 &&
	    strcmp(o.refused.reason, "Тема закрыта.") == 0,
	    "REFUSED round-trips: perr code, field, sentence");
	memset(m.refused.ref, 'a', 64);
	m.refused.ref[64] = '\0';
	m.refused.field = "";
	RT(m, o, strlen(o.refused.ref) == 64 &&
	    strcmp(o.refused.field, "") == 0,
	    "REFUSED of a file names its SHA-256");

	m = (struct sync_msg){ .type = SYNC_READ, .read = { .uuid = U2,
	    .entity = "post", .ranges = rr, .nranges = 3 } };
	RT(m, o, o.read.nranges == 3 && o.read.ranges[2].last == INT64_MAX &&
	    strcmp(o.read.entity, "post") == 0, "READ round-trips as ranges");
}

static void
files(void)
{
	unsigned char	 data[300];
	struct sync_msg	 m, o;

	memset(data, 0xab, sizeof(data));
	m = (struct sync_msg){ .type = SYNC_FILE_GET, .file_get = {
	    .offset = 65536, .length = SYNC_MAX_CHUNK } };
	memset(m.file_get.sha256, 7, 32);
	RT(m, o, o.file_get.offset == 65536 && o.file_get.sha256[31] == 7,
	    "FILE_GET round-trips");

	m = (struct sync_msg){ .type = SYNC_FILE_DATA, .file_data = {
	    .offset = 100, .size = 400, .data = data, .len = 300 } };
	memset(m.file_data.sha256, 7, 32);
	memset(m.file_data.chunk_sha256, 9, 32);
	RT(m, o, o.file_data.len == 300 && o.file_data.data[299] == 0xab &&
	    o.file_data.size == 400 && o.file_data.chunk_sha256[0] == 9,
	    "FILE_DATA round-trips");
	m.file_data.offset = 101;
	T_INT(enc(&m, &(struct bytes_writer){ 0 }), SYNC_E_BOUNDS,
	    "FILE_DATA past the file's end is not encoded");

	m = (struct sync_msg){ .type = SYNC_FILE_PUT, .file_put = {
	    .size = 300, .name = "Дроби.odt", .data = data, .len = 300 } };
	RT(m, o, strcmp(o.file_put.name, "Дроби.odt") == 0 &&
	    o.file_put.len == 300, "FILE_PUT round-trips");

	m = (struct sync_msg){ .type = SYNC_FILE_HAVE,
	    .file_have = { .have = 4096 } };
	RT(m, o, o.file_have.have == 4096, "FILE_HAVE round-trips");

	m = (struct sync_msg){ .type = SYNC_ERROR, .error = {
	    .code = SYNC_E_ORDER, .reason = "PULL while a pull is under way" } };
	RT(m, o, o.error.code == SYNC_E_ORDER, "ERROR round-trips");
}

/* Every prefix of a valid frame is refused, with the header as sent or
 * patched to match. */
static void
truncated(void)
{
	struct sync_field	 f = { .name = "body", .type = SYNC_F_TEXTS,
	    .texts = (const char *const[]){ "а", "б" }, .n = 2 };
	struct sync_row		 row = { .entity = "post", .uuid = U1,
	    .op = SYNC_UPSERT, .fields = &f, .nfields = 1 };
	struct sync_msg		 m;
	struct bytes_writer	 w;
	unsigned char		*buf;
	size_t			 len, i, bad = 0, bad2 = 0, fl;

	memset(&m, 0, sizeof(m));
	m.type = SYNC_BATCH;
	m.batch.rows = &row;
	m.batch.nrows = 1;
	m.batch.cursor = 5;
	enc(&m, &w);
	len = bytes_writer_len(&w);
	buf = malloc(len);
	memcpy(buf, bytes_writer_data(&w), len);
	T_INT(dec(buf, len, 1), 0, "the whole frame decodes");
	for (i = 0; i < len; i++) {
		if (dec(buf, i, 1) != SYNC_E_FRAME)
			bad++;
		if (i >= 5) {
			buf[0] = buf[1] = 0;
			buf[2] = (unsigned char)((i - 4) >> 8);
			buf[3] = (unsigned char)(i - 4);
			if (dec(buf, i, 1) == 0)
				bad2++;
			buf[2] = (unsigned char)((len - 4) >> 8);
			buf[3] = (unsigned char)(len - 4);
		}
	}
	T_INT(bad, 0, "a frame cut at any byte is SYNC_E_FRAME");
	T_INT(bad2, 0, "a body cut at any byte, its length patched, is refused");
	T_INT(sync_frame_len(buf, len - 1, &fl), 0,
	    "a frame not all there needs more bytes");
	T_OK(sync_frame_len(buf, len, &fl) == 1 && fl == len,
	    "a whole frame's length is found");
	free(buf);
	bytes_writer_free(&w);
}

/*
 * A frame on the wire: its type and body, which side sent it, the code
 * its decoding must give, and the check's description.  W() gives a
 * string literal body and its length.
 */
struct wire_case {
	int		 type;
	int		 from_server;
	const char	*body;
	size_t		 len;
	int		 want;
	const char	*what;
};
#define W(lit)	(lit), sizeof(lit) - 1
/* A HELLO of version 1, no capabilities, and the agent lit (its length
 * byte first). */
#define AGENT(lit) \
	SYNC_HELLO, 0, W("\0\0\0\1\0\0\0\1\0\0\0\0\0\0\0" lit)

static const struct wire_case wire_cases[] = {
	/* Types and trailing bytes. */
	{ 0x07, 0, W("\0\0\0\0\0\0\0\0\0\0\0\0"), SYNC_E_TYPE,
	  "an unknown client type is SYNC_E_TYPE" },
	{ 0x00, 0, W("\0\0\0\0\0\0\0\0\0\0\0\0"), SYNC_E_TYPE,
	  "type 0 is SYNC_E_TYPE" },
	{ 0x8d, 1, W("\0\0\0\0\0\0\0\0\0\0\0\0"), SYNC_E_TYPE,
	  "an unknown server type is SYNC_E_TYPE" },
	{ SYNC_NOTICE, 0, W("\0\0\0\0\0\0\0\0"), SYNC_E_TYPE,
	  "a server's frame sent by a client is SYNC_E_TYPE" },
	{ SYNC_PULL, 1, W("\0\0\0\0\0\0\0\1\0\0\4\0"), SYNC_E_TYPE,
	  "a client's frame sent by the server is SYNC_E_TYPE" },
	{ SYNC_PULL, 0, W("\0\0\0\0\0\0\0\1\0\0\4\0"), 0,
	  "the same PULL from a client decodes" },
	{ SYNC_PULL, 0, W("\0\0\0\0\0\0\0\1\0\0\4\0\0"), SYNC_E_FRAME,
	  "a byte after the body is SYNC_E_FRAME" },
	/* Field bounds; counts. */
	{ SYNC_PULL, 0, W("\0\0\0\0\0\0\0\1\0\0\3\xff"), SYNC_E_BOUNDS,
	  "a budget under SYNC_MIN_BUDGET is refused" },
	{ SYNC_NOTICE, 1, W("\x80\0\0\0\0\0\0\0"), SYNC_E_BOUNDS,
	  "a cursor past 2^63 - 1 is refused" },
	{ SYNC_BATCH, 1, W("\0\0\0\0" "\0\0\0\0\0\0\0\1" "\x10"),
	  SYNC_E_BOUNDS, "an unknown batch flag is refused" },
	{ SYNC_BATCH, 1, W("\0\0\0\0" "\0\0\0\0\0\0\0\1" "\x04"),
	  SYNC_E_BOUNDS, "FIRST without SNAPSHOT is refused" },
	{ SYNC_REFUSED, 1, W("\1" UZ "\x80\0\0\0" "\0\0\0\0" "\0\0\0\1x"),
	  SYNC_E_BOUNDS,
	  "a refusal's code of 2^31 is refused (found by fuzz-sync)" },
	{ SYNC_ERROR, 1, W("\0\0\0\x63\0\0\0\0"), SYNC_E_BOUNDS,
	  "an unknown error code is refused" },
	{ SYNC_HELLO, 0, W("\0\0\0\1\0\0\0\0\0\0\0\0\0\0\0\0"), SYNC_E_BOUNDS,
	  "version 0 is refused" },
	{ SYNC_BATCH, 1, W("\0\1\0\0" "\0\0\0\0\0\0\0\1" "\0"), SYNC_E_BOUNDS,
	  "65536 rows in a batch is SYNC_E_BOUNDS" },
	{ SYNC_BATCH, 1, W("\0\0\x10\0" "\0\0\0\0\0\0\0\1" "\0"), SYNC_E_FRAME,
	  "4096 rows in a 13-byte body is SYNC_E_FRAME" },
	/* HELLO's counts and names; UTF-8, on both sides. */
	{ SYNC_HELLO, 0, W("\0\0\0\x09"), SYNC_E_BOUNDS,
	  "nine versions is SYNC_E_BOUNDS" },
	{ SYNC_HELLO, 0, W("\0\0\0\1\0\0\0\1\0\0\0\x11"), SYNC_E_BOUNDS,
	  "seventeen capabilities is SYNC_E_BOUNDS" },
	{ SYNC_HELLO, 0, W("\0\0\0\1\0\0\0\1\0\0\0\2\0\0\0\4live\0\0\0\4live"
	  "\0\0\0\0"), SYNC_E_BOUNDS, "a capability named twice is refused" },
	{ SYNC_HELLO, 0, W("\0\0\0\1\0\0\0\1\0\0\0\1\0\0\0\4LIVE\0\0\0\0"),
	  SYNC_E_BOUNDS, "a capability that is not a token is refused" },
	{ AGENT("\2\xd0\x00"), SYNC_E_UTF8, "a NUL in text is SYNC_E_UTF8" },
	{ AGENT("\2\xc0\xaf"), SYNC_E_UTF8, "an overlong form is SYNC_E_UTF8" },
	{ AGENT("\3\xed\xa0\x80"), SYNC_E_UTF8, "a surrogate is SYNC_E_UTF8" },
	{ AGENT("\2\xd0\xd0"), SYNC_E_UTF8, "a cut sequence is SYNC_E_UTF8" },
	{ AGENT("\4\xf4\x90\x80\x80"), SYNC_E_UTF8,
	  "a code point past U+10FFFF is SYNC_E_UTF8" },
	{ AGENT("\2\xd0\x91"), 0, "the same HELLO with Б decodes" },
};

/* A PUSH of a reply with two fields, "a" of type NULL then lit; a READ
 * of posts, one range from 5 to lit. */
#define FIELDS2(lit) SYNC_PUSH, 0, \
	W(UZ "\0\0\0\5reply" "\0\0\0\2" "\0\0\0\1a\0" lit)
#define RANGE5(lit) SYNC_READ, 0, \
	W(UZ "\0\0\0\4post" "\0\0\0\1" "\0\0\0\0\0\0\0\5" lit)

/* Fields named twice or of an unknown type; ranges on the wire. */
static const struct wire_case wire_rows[] = {
	{ FIELDS2("\0\0\0\1a\0"), SYNC_E_BOUNDS,
	  "a field named twice is refused on the wire too" },
	{ FIELDS2("\0\0\0\1b\x08"), SYNC_E_BOUNDS,
	  "a field of an unknown type is refused" },
	{ FIELDS2("\0\0\0\1b\0"), 0, "the same with a known type decodes" },
	{ RANGE5("\0\0\0\0\0\0\0\4"), SYNC_E_BOUNDS,
	  "a range whose last is before its first is refused" },
	{ RANGE5("\0\0\0\0\0\0\0\5"), 0, "a range of one decodes" },
};

/* Each frame of c decoded: one check a row. */
static void
wire_check(const struct wire_case *c, size_t n)
{
	unsigned char	 buf[256];
	size_t		 i;

	for (i = 0; i < n; i++)
		T_INT(dec(buf, raw(buf, c[i].type, c[i].body, c[i].len),
		    c[i].from_server), c[i].want, "%s", c[i].what);
}

/* A BATCH_COLUMNS by hand: one schema "post" of one INT "id" (its type
 * byte t), one row (schema and op v, NULL bitmap b, then lit), cursor 5. */
#define COLS(t, v, b, lit)						\
	SYNC_BATCH_COLUMNS, 1, W("\1" "\4post" "\1" "\2id" t "\1" v UZ b \
	lit "\0\0\0\0\0\0\0\5" "\0")

static const struct wire_case wire_columns[] = {
	{ COLS("\1", "\0", "\0", "\x0a"), 0,
	  "a batch in columns decodes" },
	{ COLS("\1", "\1", "", ""), SYNC_E_BOUNDS,
	  "a delete is not under a schema of fields it does not carry" },
	{ SYNC_BATCH_COLUMNS, 1, W("\1" "\4post" "\0" "\1" "\1" UZ
	  "\0\0\0\0\0\0\0\5" "\0"), 0, "a deleted row in columns decodes" },
	{ SYNC_BATCH_COLUMNS, 1, W("\2" "\4post" "\0" "\4post" "\0" "\1" "\1"
	  UZ "\0\0\0\0\0\0\0\5" "\0"), SYNC_E_BOUNDS,
	  "a schema no row uses is refused" },
	{ SYNC_BATCH_COLUMNS, 1, W("\2" "\4post" "\0" "\4post" "\0" "\2" "\1"
	  UZ "\3" UZ "\0\0\0\0\0\0\0\5" "\0"), SYNC_E_BOUNDS,
	  "a row under a later schema than the first it fits is refused" },
	{ COLS("\1", "\0", "\1", ""), SYNC_E_BOUNDS,
	  "a new schema's first row has its NULLs where the schema does" },
	{ COLS("\1", "\2", "\0", "\x0a"), SYNC_E_BOUNDS,
	  "a row naming a schema not given is refused" },
	{ COLS("\1", "\0", "\2", ""), SYNC_E_BOUNDS,
	  "a NULL bitmap naming a field past the last is refused" },
	{ COLS("\1", "\0", "\0", "\x8a\x00"), SYNC_E_FRAME,
	  "an overlong varint is refused" },
	{ COLS("\0", "\0", "\0", "\x0a"), SYNC_E_BOUNDS,
	  "a value for a field always NULL is refused" },
	{ COLS("\x09", "\0", "\0", "\x0a"), SYNC_E_BOUNDS,
	  "a column of an unknown type is refused" },
	{ SYNC_BATCH_COLUMNS, 1, W("\x41"), SYNC_E_BOUNDS,
	  "more schemas than SYNC_MAX_SCHEMAS are refused" },
	{ SYNC_BATCH_COLUMNS, 1, W("\0" "\x7f" UZ "\0\0\0\0\0\0\0\5" "\0"),
	  SYNC_E_FRAME, "more rows than the frame holds are refused" },
	{ SYNC_BATCH_COLUMNS, 0, W("\0\0" "\0\0\0\0\0\0\0\5" "\0"),
	  SYNC_E_TYPE, "a client's BATCH_COLUMNS is refused" },
};

/* The first byte of m's frame after the length: its type on the wire;
 * *len gets the frame's length. */
static int
wire_type(const struct sync_msg *m, size_t *len)
{
	struct bytes_writer	 w;
	int			 t = -1;

	*len = 0;
	if (enc(m, &w) == 0) {
		t = ((const unsigned char *)bytes_writer_data(&w))[4];
		*len = bytes_writer_len(&w);
	}
	bytes_writer_free(&w);
	return t;
}

/* How many of the cuts of m's frame (its first i bytes, the length
 * saying so, for every i past the type) decode: 0 is right. */
static size_t
cuts_decoded(const struct sync_msg *m)
{
	struct bytes_writer	 w;
	unsigned char		*buf;
	size_t			 i, len, bad = 0;

	enc(m, &w);
	len = bytes_writer_len(&w);
	buf = malloc(len);
	memcpy(buf, bytes_writer_data(&w), len);
	bytes_writer_free(&w);
	for (i = 5; i < len; i++) {
		buf[0] = (unsigned char)((i - 4) >> 24);
		buf[1] = (unsigned char)((i - 4) >> 16);
		buf[2] = (unsigned char)((i - 4) >> 8);
		buf[3] = (unsigned char)(i - 4);
		if (dec(buf, i, 1) == 0)
			bad++;
	}
	free(buf);
	return bad;
}

/*
 * BATCH_COLUMNS (capability columns): the same rows as a BATCH, fewer
 * bytes; NULLs, deltas and a second schema for a row of other types; a
 * cut at any byte; and a batch of more schemas than allowed goes plain.
 */
static void
columns(void)
{
	static const int64_t		 ints[] = { 7, 3, 900 };
	static const struct sync_range	 rr[] = { { 1, 3 }, { 5, 5 } };
	static const char *const	 texts[] = { "да", "" };
	struct sync_field	 f[100][6];
	struct sync_row		 rows[100];
	struct sync_msg		 m, o;
	struct bytes_writer	 w;
	char			 uuid[100][37], ent[SYNC_MAX_SCHEMAS + 1][24];
	size_t			 i, plain, cols;
	int			 ok;

	for (i = 0; i < 100; i++) {
		snprintf(uuid[i], sizeof(uuid[i]),
		    "00000000-0000-4000-8000-%012zx", i + 1);
		f[i][0] = (struct sync_field){ .name = "id",
		    .type = SYNC_F_INT, .i = 1000 + (int64_t)i };
		f[i][1] = (struct sync_field){ .name = "created",
		    .type = SYNC_F_INT, .i = 1764600000 - 60 * (int64_t)i };
		f[i][2] = (struct sync_field){ .name = "body",
		    .type = SYNC_F_TEXT, .s = "Дроби", .len = strlen("Дроби") };
		f[i][3] = i % 3 == 0 ? (struct sync_field){ .name = "edited",
		    .type = SYNC_F_NULL } : (struct sync_field){
		    .name = "edited", .type = SYNC_F_INT, .i = INT64_MIN };
		f[i][4] = (struct sync_field){ .name = "votes",
		    .type = SYNC_F_INTS, .ints = ints, .n = i % 2 ? 3 : 0 };
		f[i][5] = i == 50 ? (struct sync_field){ .name = "read",
		    .type = SYNC_F_TEXTS, .texts = texts, .n = 2 } :
		    (struct sync_field){ .name = "read",
		    .type = SYNC_F_RANGES, .ranges = rr, .n = 2 };
		rows[i] = (struct sync_row){ .entity = "post",
		    .op = i == 99 ? SYNC_DELETE : SYNC_UPSERT,
		    .fields = f[i], .nfields = i == 99 ? 0 : 6 };
		memcpy(rows[i].uuid, uuid[i], 37);
	}
	m = (struct sync_msg){ .type = SYNC_BATCH, .batch = { .rows = rows,
	    .nrows = 100, .cursor = 77, .flags = SYNC_BATCH_MORE } };
	T_INT(wire_type(&m, &plain), SYNC_BATCH, "a batch goes plain unless "
	    "columns are asked for");
	m.batch.columns = 1;
	T_INT(wire_type(&m, &cols), SYNC_BATCH_COLUMNS,
	    "a batch with columns goes as BATCH_COLUMNS");
	T_OK(cols * 2 < plain, "columns take less than half the bytes "
	    "(%zu against %zu)", cols, plain);
	ok = rt(&m, &o) && o.type == SYNC_BATCH && o.batch.columns &&
	    o.batch.nrows == 100 && o.batch.cursor == 77 &&
	    o.batch.flags == SYNC_BATCH_MORE;
	T_OK(ok, "BATCH_COLUMNS round-trips, decoded as a BATCH");
	for (i = 0; ok && i < 100; i++) {
		if (strcmp(o.batch.rows[i].uuid, uuid[i]) != 0 ||
		    strcmp(o.batch.rows[i].entity, "post") != 0 ||
		    o.batch.rows[i].op != rows[i].op ||
		    o.batch.rows[i].nfields != rows[i].nfields)
			ok = 0;
		else if (i < 99 && (o.batch.rows[i].fields[0].i != 1000 +
		    (int64_t)i || o.batch.rows[i].fields[1].i != 1764600000 -
		    60 * (int64_t)i || strcmp(o.batch.rows[i].fields[2].s,
		    "Дроби") != 0 || o.batch.rows[i].fields[3].type !=
		    f[i][3].type || (i % 3 != 0 &&
		    o.batch.rows[i].fields[3].i != INT64_MIN) ||
		    o.batch.rows[i].fields[4].n != f[i][4].n ||
		    (i % 2 && o.batch.rows[i].fields[4].ints[2] != 900) ||
		    o.batch.rows[i].fields[5].type != f[i][5].type))
			ok = 0;
	}
	T_OK(ok, "every row keeps its UUID, op, NULLs and values");
	T_OK(ok && o.batch.rows[50].fields[5].n == 2 &&
	    strcmp(o.batch.rows[50].fields[5].texts[0], "да") == 0 &&
	    o.batch.rows[49].fields[5].ranges[1].first == 5,
	    "a row of another type goes under a schema of its own");
	sync_msg_free(&o);

	T_INT(cuts_decoded(&m), 0, "a BATCH_COLUMNS cut at any byte is refused");
	m.batch.flags = SYNC_BATCH_FIRST;
	T_INT(enc(&m, &w), SYNC_E_BOUNDS,
	    "a batch in columns of flags the man page forbids is refused");
	bytes_writer_free(&w);
	m.batch.flags = 0;

	for (i = 0; i <= SYNC_MAX_SCHEMAS; i++) {
		snprintf(ent[i], sizeof(ent[i]), "e%zu", i);
		strlcpy_p(rows[i].entity, ent[i], sizeof(rows[i].entity));
	}
	m.batch.nrows = SYNC_MAX_SCHEMAS + 1;
	T_INT(wire_type(&m, &cols), SYNC_BATCH,
	    "a batch of more schemas than allowed goes as a plain BATCH");
	rows[0].fields = NULL;
	rows[0].nfields = 1;
	T_INT(enc(&m, &w), SYNC_E_BOUNDS,
	    "a row the codec refuses is refused in columns too");
	bytes_writer_free(&w);
	wire_check(wire_columns, nitems(wire_columns));
	T_STR(sync_type_name(SYNC_BATCH_COLUMNS), "BATCH_COLUMNS",
	    "BATCH_COLUMNS has a name");
	T_STR(sync_type_capability(SYNC_BATCH_COLUMNS), SYNC_CAP_COLUMNS,
	    "BATCH_COLUMNS needs the capability columns");
}

static void
rejected(void)
{
	unsigned char		 buf[256];
	struct sync_msg		 m;
	struct bytes_writer	 w;
	struct sync_field	 f[SYNC_MAX_FIELDS + 1];
	char			*nm[SYNC_MAX_FIELDS + 1];
	size_t			 len, i, fl;
	static const struct sync_range	 back[] = { { 5, 9 }, { 3, 4 } };
	static const struct sync_range	 touch[] = { { 1, 4 }, { 5, 9 } };

	/* Oversized and empty. */
	memcpy(buf, "\0\x04\0\x01\x02", 5);
	T_INT(sync_frame_len(buf, 5, &fl), SYNC_E_TOOBIG,
	    "a header announcing SYNC_FRAME_MAX + 1 is SYNC_E_TOOBIG");
	T_INT(dec(buf, 5, 0), SYNC_E_TOOBIG, "and so is its decoding");
	memcpy(buf, "\0\0\0\0", 4);
	T_INT(sync_frame_len(buf, 4, &fl), SYNC_E_TOOBIG,
	    "an empty frame is SYNC_E_TOOBIG");

	wire_check(wire_cases, nitems(wire_cases));
	len = raw(buf, SYNC_NOTICE, "\0\0\0\0\0\0\0\1", 8);
	T_INT(dec(buf, len + 1, 1), SYNC_E_FRAME,
	    "a byte after the frame is SYNC_E_FRAME");
	len = raw(buf, SYNC_BATCH, "\0\0\x10\0" "\0\0\0\0\0\0\0\1" "\0", 13);
	T_OK(sync_decode(buf, len, 1, &m) == SYNC_E_FRAME && m.spent == 0 &&
	    m.why != NULL,
	    "4096 rows in a 13-byte body are refused before anything is allocated");
	sync_msg_free(&m);

	memset(&m, 0, sizeof(m));
	m.type = SYNC_REFUSED;
	strcpy(m.refused.ref, U1);
	m.refused.code = PERR_LOCKED;
	m.refused.reason = "\xff";
	T_INT(enc(&m, &w), SYNC_E_UTF8, "the encoder refuses bad UTF-8 too");
	T_INT(bytes_writer_len(&w), 0, "and writes nothing");
	bytes_writer_free(&w);
	m.refused.reason = "";
	T_INT(enc(&m, &w), SYNC_E_BOUNDS, "a refusal without a sentence");
	bytes_writer_free(&w);
	m.refused.reason = "нет";
	m.refused.code = 5;
	T_INT(enc(&m, &w), SYNC_E_BOUNDS, "a refusal without a perr code");
	bytes_writer_free(&w);
	m.refused.code = PERR_LOCKED;
	strcpy(m.refused.ref, "0F1E2D3C-4B5A-4978-8695-A4B3C2D1E0F9");
	T_INT(enc(&m, &w), SYNC_E_BOUNDS, "an upper-case UUID is not sent");
	bytes_writer_free(&w);

	/* Rows, fields, ranges. */
	memset(&m, 0, sizeof(m));
	m.type = SYNC_PUSH;
	strcpy(m.push.uuid, U1);
	m.push.kind = "reply";
	memset(f, 0, sizeof(f));
	for (i = 0; i < nitems(f); i++) {
		f[i].name = nm[i] = xasprintf("f%zu", i);
		f[i].type = SYNC_F_NULL;
	}
	m.push.fields = f;
	m.push.nfields = SYNC_MAX_FIELDS;
	T_INT(enc(&m, &w), 0, "SYNC_MAX_FIELDS fields are sent");
	T_INT(dec(bytes_writer_data(&w), bytes_writer_len(&w), 0), 0,
	    "and received");
	bytes_writer_free(&w);
	m.push.nfields = SYNC_MAX_FIELDS + 1;
	T_INT(enc(&m, &w), SYNC_E_BOUNDS, "one more field is not");
	bytes_writer_free(&w);
	T_INT(D(SYNC_PUSH, 0, UZ "\0\0\0\5reply" "\0\0\0\x41"), SYNC_E_BOUNDS,
	    "65 fields on the wire is SYNC_E_BOUNDS");
	f[1].name = f[0].name;
	m.push.nfields = 2;
	T_INT(enc(&m, &w), SYNC_E_BOUNDS, "a field named twice is refused");
	bytes_writer_free(&w);
	T_INT(D(SYNC_PUSH, 0, UZ "\0\0\0\5Reply" "\0\0\0\0"), SYNC_E_BOUNDS,
	    "a kind that is not a token is refused");

	memset(&m, 0, sizeof(m));
	m.type = SYNC_READ;
	strcpy(m.read.uuid, U1);
	m.read.entity = "post";
	m.read.ranges = back;
	m.read.nranges = 2;
	T_INT(enc(&m, &w), SYNC_E_BOUNDS, "ranges out of order are refused");
	bytes_writer_free(&w);
	m.read.ranges = touch;
	T_INT(enc(&m, &w), SYNC_E_BOUNDS, "ranges that touch are refused");
	bytes_writer_free(&w);
	wire_check(wire_rows, nitems(wire_rows));

	/* A delete with fields, a row op unknown. */
#define ROW(op) "\0\0\0\1" op "\0\0\0\4post" UZ "\0\0\0\1" "\0\0\0\1a\0" \
	    "\0\0\0\0\0\0\0\1" "\0"
	T_INT(D(SYNC_BATCH, 1, ROW("\2")), SYNC_E_BOUNDS,
	    "a deleted row with fields is refused");
	T_INT(D(SYNC_BATCH, 1, ROW("\3")), SYNC_E_BOUNDS,
	    "a row of an unknown op is refused");
	T_INT(D(SYNC_BATCH, 1, ROW("\1")), 0,
	    "the same row as an upsert decodes");
	T_INT(D(SYNC_BATCH, 1, "\0\0\0\1" "\1" "\0\0\0\4Post" UZ "\0\0\0\0"
	    "\0\0\0\0\0\0\0\1" "\0"), SYNC_E_BOUNDS,
	    "an entity that is not a name is refused");

	/* Encoding that does not fit. */
	memset(&m, 0, sizeof(m));
	m.type = SYNC_NOTICE;
	m.notice.head = 3;
	bytes_writer_init(&w, 8);
	T_INT(sync_encode(&w, &m), SYNC_E_TOOBIG,
	    "a frame that passes the writer's cap is not written");
	T_INT(bytes_writer_len(&w), 0, "not even in part");
	bytes_writer_free(&w);
	for (i = 0; i < nitems(f); i++)
		free(nm[i]);
}

/* A large batch: over SYNC_FRAME_MAX it is refused by the encoder. */
static void
oversized(void)
{
	static char		 big[SYNC_FRAME_MAX];
	struct sync_field	 f = { .name = "body", .type = SYNC_F_TEXT,
	    .s = big, .len = sizeof(big) - 64 };
	struct sync_row		 row = { .entity = "post", .uuid = U1,
	    .op = SYNC_UPSERT, .fields = &f, .nfields = 1 };
	struct sync_msg		 m, o;
	struct bytes_writer	 w;

	memset(big, 'a', sizeof(big));
	memset(&m, 0, sizeof(m));
	m.type = SYNC_BATCH;
	m.batch.rows = &row;
	m.batch.nrows = 1;
	T_OK(rt(&m, &o) && o.batch.rows[0].fields[0].len == f.len,
	    "a batch just under SYNC_FRAME_MAX round-trips");
	T_OK(o.spent <= SYNC_DECODE_BUDGET(SYNC_FRAME_MAX),
	    "its decoding stayed within the budget");
	sync_msg_free(&o);
	f.len = sizeof(big);
	T_INT(enc(&m, &w), SYNC_E_TOOBIG, "one over SYNC_FRAME_MAX is refused");
	bytes_writer_free(&w);
}

static void
names(void)
{
	T_STR(sync_type_name(SYNC_BATCH), "BATCH", "types have names");
	T_STR(sync_type_name(0x42), "?", "unknown types are ?");
	T_STR(sync_type_capability(SYNC_NOTICE), SYNC_CAP_LIVE,
	    "NOTICE needs the live capability");
	T_STR(sync_type_capability(SYNC_ESTIMATE), SYNC_CAP_ESTIMATE,
	    "ESTIMATE needs the estimate capability");
	T_OK(sync_type_capability(SYNC_FILE_GET) != NULL &&
	    strcmp(sync_type_capability(SYNC_FILE_GET), SYNC_CAP_FILES) == 0,
	    "FILE_GET needs the files capability");
	T_OK(sync_type_capability(SYNC_PULL) == NULL, "PULL is core");
	T_INT(sync_error_perr(SYNC_E_SERVER), PERR_DB, "SERVER is PERR_DB");
	T_INT(sync_error_perr(SYNC_E_UTF8), PERR_UTF8, "UTF8 is PERR_UTF8");
	T_INT(sync_error_perr(SYNC_E_ORDER), 0, "ORDER has no perr");
	T_OK(strcmp(sync_strerror(SYNC_E_MEMORY), "an unknown error") != 0 &&
	    strcmp(sync_strerror(-99), "an unknown error") == 0,
	    "every code has a sentence");
}

/* The hex reader UUIDs and SHA-256 references go through (util.h). */
static void
hex(void)
{
	unsigned char	 b[3];

	T_OK(hex_parse("0fa9ffzz", 3, b) == 0 && b[0] == 0x0f &&
	    b[1] == 0xa9 && b[2] == 0xff, "hex: the digits asked for, no more");
	T_INT(hex_parse("0F", 1, b), -1, "hex: upper case is not canonical");
	T_INT(hex_parse("0", 1, b), -1, "hex: a digit short");
	T_INT(hex_parse("", 0, b), 0, "hex: nothing asked, nothing read");
}

/* A decode of the frame m encodes to, with byte at (from 0) set to v:
 * the code. */
static int
poked(const struct sync_msg *m, size_t at, unsigned char v)
{
	struct bytes_writer	 w;
	struct sync_msg		 o;
	unsigned char		*buf;
	size_t			 len;
	int			 rc;

	if (enc(m, &w) != 0)
		return 1;
	len = bytes_writer_len(&w);
	buf = malloc(len);
	memcpy(buf, bytes_writer_data(&w), len);
	bytes_writer_free(&w);
	if (at < len)
		buf[at] = v;
	rc = sync_decode(buf, len, 1, &o);
	sync_msg_free(&o);
	free(buf);
	return rc;
}

/*
 * BATCH_NAMED (capability names): a row whose UUID is version 8 of its
 * schema's prefix and its own id goes as a bit and comes back the same;
 * a random UUID, a named one of another prefix and a delete go whole;
 * every other placing is refused, so the frame encodes to itself.
 */
static void
named(void)
{
	struct sync_field	 f[6][2];
	struct sync_row		 rows[6];
	struct sync_msg		 m, o;
	size_t			 i, cols, nam;
	int			 ok;

	for (i = 0; i < 6; i++) {
		f[i][0] = (struct sync_field){ .name = "id",
		    .type = SYNC_F_INT, .i = 40 + (int64_t)i };
		f[i][1] = (struct sync_field){ .name = "body",
		    .type = SYNC_F_TEXT, .s = "Дроби", .len = strlen("Дроби") };
		rows[i] = (struct sync_row){ .entity = "post",
		    .op = SYNC_UPSERT, .fields = f[i], .nfields = 2 };
		/* 0, 1, 4: ours; 2: random; 3: another server's; 5: gone */
		store_uuid_named(0x0123456789abcdefLL, 2, 40 + (int64_t)i,
		    rows[i].uuid);
	}
	memcpy(rows[2].uuid, U1, 37);
	store_uuid_named(0x7777777777777777LL, 2, 43, rows[3].uuid);
	rows[5].op = SYNC_DELETE;
	rows[5].nfields = 0;
	m = (struct sync_msg){ .type = SYNC_BATCH, .batch = { .rows = rows,
	    .nrows = 6, .cursor = 9, .columns = 1 } };
	(void)wire_type(&m, &cols);
	m.batch.named = 1;
	T_INT(wire_type(&m, &nam), SYNC_BATCH_NAMED,
	    "a batch with names goes as BATCH_NAMED");
	T_INT(nam + 3 * 16 - 9 - 1, cols,
	    "three UUIDs go as bits: 48 bytes less, 9 more for the prefix"
	    " and 1 for its flag");
	ok = rt(&m, &o) && o.batch.named && o.batch.columns &&
	    o.batch.nrows == 6;
	for (i = 0; ok && i < 6; i++)
		if (strcmp(o.batch.rows[i].uuid, rows[i].uuid) != 0 ||
		    o.batch.rows[i].op != rows[i].op)
			ok = 0;
	T_OK(ok, "BATCH_NAMED round-trips: every UUID comes back");
	sync_msg_free(&o);

	/* The bytes: length, type, nc, schema (entity, 2 fields), the
	 * prefix flags, nrows, then the first row's index byte. */
	T_INT(poked(&m, 4 + 1 + 1 + 5 + 1 + 3 + 1 + 5 + 1, 0), SYNC_E_BOUNDS,
	    "a schema that names no prefix while its rows are named");
	T_INT(poked(&m, 4 + 1 + 1 + 5 + 1 + 3 + 1 + 5 + 1 + 1 + 9 + 1, 0),
	    SYNC_E_FRAME, "a named row sent whole (cut short)");
	m.batch.nrows = 3;
	rows[0] = rows[2];
	rows[1] = rows[2];
	T_OK(rt(&m, &o) && o.batch.named, "a batch with no named row names"
	    " no prefix");
	sync_msg_free(&o);
}

/* A BATCH_PACKED by hand: one schema "post" of one TEXT "body", no
 * prefix, one row whose UUID goes whole, its body lit (packed, with its
 * NUL), cursor 5. */
#define PCK(lit)							\
	SYNC_BATCH_PACKED, 1, W("\1" "\4post" "\1" "\4body" "\2" "\0" "\1"	\
	"\0" UZ "\0" lit "\0\0\0\0\0\0\0\5" "\0")

static const struct wire_case wire_packed[] = {
	{ PCK("\x80\xbf\0"), 0, "А and я go as one byte each" },
	{ PCK("\xd0\x90\0"), SYNC_E_BOUNDS,
	  "a letter that goes as one byte sent in two is refused" },
	{ PCK("\xd1\x8f\0"), SYNC_E_BOUNDS, "я in two bytes is refused" },
	{ PCK("\xd0\x81\xd1\x91\0"), 0, "Ё and ё go in UTF-8" },
	{ PCK("\xf0\x9f\x93\x9a\x80\0"), 0,
	  "a character of four bytes, then А" },
	{ PCK("\xc3\0"), SYNC_E_UTF8, "a cut character is SYNC_E_UTF8" },
	{ PCK("\xe2\x80\0"), SYNC_E_UTF8,
	  "a character cut by the NUL is SYNC_E_UTF8" },
	{ PCK("\xc3\x80\0"), 0, "À (a byte 0x80 after its lead) is itself" },
	{ PCK("\xff\0"), SYNC_E_UTF8, "a byte that is no UTF-8 is refused" },
	{ SYNC_BATCH_PACKED, 1, W("\1" "\4post" "\1" "\4body" "\2" "\0"
	  "\1" "\0" UZ "\0" "abc"), SYNC_E_FRAME,
	  "packed text without its NUL is refused" },
	{ SYNC_BATCH_PACKED, 0, W("\0\0" "\0\0\0\0\0\0\0\5" "\0"),
	  SYNC_E_TYPE, "a client's BATCH_PACKED is refused" },
};

/* 1 if rows a and b (n each) hold the same values. */
static int
rows_same(const struct sync_row *a, const struct sync_row *b, size_t n)
{
	const struct sync_field	*f, *g;
	size_t			 i, k, j;

	for (i = 0; i < n; i++) {
		if (strcmp(a[i].entity, b[i].entity) != 0 ||
		    strcmp(a[i].uuid, b[i].uuid) != 0 || a[i].op != b[i].op ||
		    a[i].nfields != b[i].nfields)
			return 0;
		for (k = 0; k < a[i].nfields; k++) {
			f = &a[i].fields[k];
			g = &b[i].fields[k];
			if (strcmp(f->name, g->name) != 0 || f->type != g->type ||
			    (f->type == SYNC_F_INT && f->i != g->i) ||
			    ((f->type == SYNC_F_TEXT || f->type == SYNC_F_BLOB) &&
			    (f->len != g->len || memcmp(f->s, g->s, f->len))) ||
			    (f->type >= SYNC_F_INTS && f->type <= SYNC_F_RANGES &&
			    f->n != g->n))
				return 0;
			for (j = 0; f->type == SYNC_F_TEXTS && j < f->n; j++)
				if (strcmp(f->texts[j], g->texts[j]) != 0)
					return 0;
		}
	}
	return 1;
}

/*
 * BATCH_PACKED (capability packed): the rows of BATCH_NAMED laid out
 * column by column, text with Russian letters in a byte each; every
 * value comes back, fewer bytes go; a cut at any byte and a form the
 * encoder does not make are refused; without names it goes as before.
 */
static void
packed(void)
{
	static const char *const	 bodies[] = {
		"Дроби в пятом классе: с чего начать?",
		"ЁЛКА, ёлка и Ё: не одной буквой",
		"ASCII only, 100%",
		"",
		"Смешанный текст: café, naïve, €5, 📚 и — тире",
		"абвгдежзийклмнопрстуфхцчшщъыьэюяАБВГДЕЖЗИЙКЛМНОПРСТУФХЦЧШЩЪЫЬЭЮЯ",
	};
	static const char *const	 texts[] = { "Анна", "", "bob" };
	static const struct sync_range	 rr[] = { { 1, 3 }, { 5, 5 } };
	struct sync_field	 f[40][5];
	struct sync_row		 rows[40];
	struct sync_msg		 m, o;
	struct bytes_writer	 w;
	size_t			 i, nam, pck;
	int			 ok;

	for (i = 0; i < 40; i++) {
		f[i][0] = (struct sync_field){ .name = "id",
		    .type = SYNC_F_INT, .i = 100 + (int64_t)i };
		f[i][1] = (struct sync_field){ .name = "body",
		    .type = SYNC_F_TEXT, .s = bodies[i % nitems(bodies)],
		    .len = strlen(bodies[i % nitems(bodies)]) };
		f[i][2] = i % 4 == 0 ? (struct sync_field){ .name = "edited",
		    .type = SYNC_F_NULL } : (struct sync_field){
		    .name = "edited", .type = SYNC_F_INT,
		    .i = 1764000000 + 97 * (int64_t)i };
		f[i][3] = (struct sync_field){ .name = "subject",
		    .type = SYNC_F_TEXT, .s = i % 3 ? "" : "Тема",
		    .len = i % 3 ? 0 : strlen("Тема") };
		f[i][4] = i % 5 == 0 ? (struct sync_field){ .name = "who",
		    .type = SYNC_F_TEXTS, .texts = texts, .n = 3 } :
		    (struct sync_field){ .name = "who",
		    .type = SYNC_F_RANGES, .ranges = rr, .n = 2 };
		/* Threads (two fields) between the posts. */
		rows[i] = (struct sync_row){ .entity = "post",
		    .op = SYNC_UPSERT, .fields = f[i],
		    .nfields = i % 7 == 3 ? 2 : 5 };
		if (i % 7 == 3)
			strlcpy_p(rows[i].entity, "thread",
			    sizeof(rows[i].entity));
		store_uuid_named(0x0123456789abcdefLL, i % 7 == 3 ? 1 : 2,
		    100 + (int64_t)i, rows[i].uuid);
	}
	memcpy(rows[8].uuid, U1, 37);		/* a UUID not named */
	rows[30].op = SYNC_DELETE;		/* a delete, its UUID whole */
	rows[30].nfields = 0;
	m = (struct sync_msg){ .type = SYNC_BATCH, .batch = { .rows = rows,
	    .nrows = 40, .cursor = 1234, .flags = SYNC_BATCH_SNAPSHOT,
	    .columns = 1, .named = 1 } };
	(void)wire_type(&m, &nam);
	m.batch.packed = 1;
	T_INT(wire_type(&m, &pck), SYNC_BATCH_PACKED,
	    "a packed batch with names goes as BATCH_PACKED");
	T_OK(pck + 300 < nam, "packed it takes fewer bytes (%zu against %zu)",
	    pck, nam);
	ok = rt(&m, &o) && o.type == SYNC_BATCH && o.batch.packed &&
	    o.batch.named && o.batch.columns && o.batch.nrows == 40 &&
	    o.batch.cursor == 1234 && o.batch.flags == SYNC_BATCH_SNAPSHOT;
	T_OK(ok, "BATCH_PACKED round-trips, decoded as a BATCH");
	T_OK(ok && rows_same(rows, o.batch.rows, 40), "every row keeps its"
	    " UUID, op, NULLs and values, text of any script among them");
	sync_msg_free(&o);

	T_INT(cuts_decoded(&m), 0, "a BATCH_PACKED cut at any byte is refused");

	f[1][1].s = "\xd0";
	f[1][1].len = 1;
	T_INT(enc(&m, &w), SYNC_E_UTF8, "text that is not UTF-8 is refused");
	bytes_writer_free(&w);
	f[1][1] = f[0][1];
	m.batch.named = 0;
	T_INT(wire_type(&m, &pck), SYNC_BATCH_COLUMNS,
	    "packed without names goes as BATCH_COLUMNS");
	m.batch.columns = 0;
	T_INT(wire_type(&m, &pck), SYNC_BATCH,
	    "packed without columns goes as a plain BATCH");
	wire_check(wire_packed, nitems(wire_packed));
	T_STR(sync_type_name(SYNC_BATCH_PACKED), "BATCH_PACKED",
	    "BATCH_PACKED has a name");
	T_STR(sync_type_capability(SYNC_BATCH_PACKED), SYNC_CAP_PACKED,
	    "BATCH_PACKED needs the capability packed");
}

int
main(void)
{
	handshake();
	pulling();
	pushing();
	files();
	truncated();
	columns();
	rejected();
	oversized();
	names();
	hex();
	named();
	packed();
	return t_done();
}
