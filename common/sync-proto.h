/*
 * sync-proto.h: the frames of parta-sync (man/parta-sync.5), encoded and
 * decoded for both ends, the sync server in partad and the client's
 * syncer.  No sockets, no libssh, no store: the caller moves the bytes,
 * the server fills rows from the store, the client applies them.
 *
 * A frame is a 32-bit length (of what follows), a type byte and the
 * type's body, built with common/bytes.h.  The length is at most
 * SYNC_FRAME_MAX; a frame is decoded whole, and a body with bytes left
 * over is refused as firmly as a truncated one.
 *
 * Rows travel as a typed field list: a row is an entity name (those of
 * changes.h), its UUID, an op and its fields (name, type, value), so
 * this module knows no table and a new column needs no new frame.
 * With the capability "columns" a batch goes as BATCH_COLUMNS instead:
 * each entity's field names and types once (a schema), then per row a
 * schema index, the UUID, a NULL bitmap and the values alone, integers
 * as varints of their difference from the same column one row before.
 * It decodes into the same struct sync_row, so a consumer of batches
 * does not know which way one came.  With "names" too, BATCH_NAMED:
 * a row whose UUID is its schema's 9-byte prefix (version 8) and its
 * own "id" field in the last 7 bytes, as a server names the rows it
 * makes (store_uuid_named()), goes without its UUID, as a bit.  With
 * "packed" too, BATCH_PACKED: the same, column by column, each Russian
 * letter of its text in one byte (for zstd, which finds more in both).
 * "stream" and "estimate" add no encoding but a BATCH flag (PUSHED: the
 * server's own pull) and ESTIMATE (a pull's rows, about).
 *
 * Decoding never trusts a count: before anything is allocated the count
 * is checked against the bytes left (each element needs some bytes on
 * the wire) and against its own bound, and every allocation is charged
 * to a budget proportional to the frame, so a frame of n bytes costs at
 * most SYNC_DECODE_BUDGET(n) bytes of memory.  Strings are copied out
 * NUL-terminated; text is valid UTF-8 without NUL.
 */
#ifndef PARTA_SYNC_PROTO_H
#define PARTA_SYNC_PROTO_H

#include <stddef.h>
#include <stdint.h>

struct bytes_writer;

#define SYNC_VERSION		1		/* the one this code speaks */
#define SYNC_FRAME_MAX		(256 * 1024)	/* type + body, bytes */
#define SYNC_DECODE_BUDGET(n)	(16 * (size_t)(n) + 4096)
/* A BATCH in columns spends more per byte (a NULL is a bit on the wire,
 * a decoded field 80 bytes); only the client decodes one. */
#define SYNC_COLUMNS_BUDGET(n)	(128 * (size_t)(n) + 4096)

/* Bounds every frame obeys (man/parta-sync.5, LIMITS). */
#define SYNC_MAX_VERSIONS	8
#define SYNC_MAX_CAPS		16
#define SYNC_MAX_TOKEN		32	/* a capability, a field name, a kind */
#define SYNC_MAX_ENTITY		23
#define SYNC_MAX_AGENT		128
#define SYNC_MAX_REASON		1024
#define SYNC_MAX_FIELDS		64	/* per row, per push */
#define SYNC_MAX_ROWS		65535	/* per batch */
#define SYNC_MAX_APPLIED_ROWS	16
#define SYNC_MAX_LIST		4096	/* elements of an INTS/TEXTS/RANGES */
#define SYNC_MAX_CHUNK		(128 * 1024)	/* file data per frame */
#define SYNC_MIN_BUDGET		1024	/* a pull's smallest batch budget */
#define SYNC_MAX_SCHEMAS	64	/* per BATCH in columns */

/* Frame types; the high bit is the server's. */
enum sync_type {
	SYNC_HELLO = 0x01,	/* client: versions, capabilities */
	SYNC_PULL = 0x02,	/* client: changes after a cursor */
	SYNC_PUSH = 0x03,	/* client: one request */
	SYNC_READ = 0x04,	/* client: read state, as ranges */
	SYNC_FILE_GET = 0x05,	/* client: a chunk of a file */
	SYNC_FILE_PUT = 0x06,	/* client: a chunk of an upload */
	SYNC_WELCOME = 0x81,	/* server: the chosen version, capabilities */
	SYNC_BATCH = 0x82,	/* server: rows, then the cursor to commit */
	SYNC_STALE = 0x83,	/* server: start again from a snapshot */
	SYNC_APPLIED = 0x84,	/* server: a push or read applied */
	SYNC_REFUSED = 0x85,	/* server: a push, read or file refused */
	SYNC_NOTICE = 0x86,	/* server: something new (capability live) */
	SYNC_FILE_DATA = 0x87,	/* server: a chunk of a file */
	SYNC_FILE_HAVE = 0x88,	/* server: how much of an upload it holds */
	SYNC_BATCH_COLUMNS = 0x89, /* server: a BATCH in columns (decoded
				   as SYNC_BATCH, batch.columns set) */
	SYNC_BATCH_NAMED = 0x8a, /* server: BATCH_COLUMNS with named UUIDs
				   (batch.columns and batch.named set) */
	SYNC_ESTIMATE = 0x8b,	/* server: about how many rows a pull has
				   (capability estimate) */
	SYNC_BATCH_PACKED = 0x8c, /* server: BATCH_NAMED, its text packed
				   (batch.columns, .named, .packed set) */
	SYNC_ERROR = 0xff	/* server: a fatal error; the channel closes */
};
#define SYNC_FROM_SERVER(t)	(((t) & 0x80) != 0)

/*
 * Errors: what sync_decode() returns and what an ERROR frame carries
 * (negated: the wire holds 1, 2, ...).  sync_error_perr() maps one to
 * the perr code that means the same, where there is one.
 */
enum sync_error {
	SYNC_OK = 0,
	SYNC_E_FRAME = -1,	/* malformed: truncated, trailing bytes */
	SYNC_E_TOOBIG = -2,	/* longer than SYNC_FRAME_MAX, or empty */
	SYNC_E_TYPE = -3,	/* unknown type, or the other side's */
	SYNC_E_ORDER = -4,	/* not allowed now */
	SYNC_E_UTF8 = -5,	/* text is not UTF-8, or holds a NUL */
	SYNC_E_BOUNDS = -6,	/* a count, length or value out of bounds */
	SYNC_E_VERSION = -7,	/* no version in common */
	SYNC_E_CAPABILITY = -8,	/* a frame of a capability not chosen */
	SYNC_E_DENIED = -9,	/* this account may not sync */
	SYNC_E_SERVER = -10,	/* the server failed; try again later */
	SYNC_E_FULL = -11,	/* the server's disk is full */
	SYNC_E_BUSY = -12,	/* too many connections; try again later */
	SYNC_E_SHUTDOWN = -13,	/* the server is stopping */
	SYNC_E_MEMORY = -14,	/* decoding would pass the frame's budget */
	SYNC_NERRORS = 14
};

/* Capabilities, offered in HELLO and chosen in WELCOME. */
#define SYNC_CAP_LIVE	"live"	/* NOTICE frames */
#define SYNC_CAP_FILES	"files"	/* FILE_GET/DATA/PUT/HAVE */
#define SYNC_CAP_ZSTD	"zstd"	/* the server's bytes after WELCOME in zstd
				   (sync-zstd.h) */
#define SYNC_CAP_COLUMNS "columns" /* BATCH_COLUMNS frames */
#define SYNC_CAP_NAMES	"names"	/* BATCH_NAMED frames (with columns) */
#define SYNC_CAP_STREAM	"stream" /* live rows: BATCH (SYNC_BATCH_PUSHED)
				   instead of NOTICE (with live) */
#define SYNC_CAP_ESTIMATE "estimate" /* ESTIMATE before a long pull */
#define SYNC_CAP_PACKED	"packed" /* BATCH_PACKED frames (with names) */

/* BATCH flags. */
#define SYNC_BATCH_MORE		0x01	/* more batches follow this pull */
#define SYNC_BATCH_SNAPSHOT	0x02	/* part of a snapshot */
#define SYNC_BATCH_FIRST	0x04	/* the first batch of a snapshot */
#define SYNC_BATCH_PUSHED	0x08	/* sent unasked (capability stream) */
#define SYNC_BATCH_FLAGS	0x0f

/* A field's type. */
enum sync_ftype {
	SYNC_F_NULL = 0,
	SYNC_F_INT = 1,		/* i */
	SYNC_F_TEXT = 2,	/* s, len: UTF-8 */
	SYNC_F_BLOB = 3,	/* s, len: any bytes */
	SYNC_F_INTS = 4,	/* ints, n */
	SYNC_F_TEXTS = 5,	/* texts, n */
	SYNC_F_RANGES = 6,	/* ranges, n: ascending, apart */
	SYNC_F_UUID = 7,	/* s: 36 characters; 16 bytes on the wire */
	SYNC_NFTYPES
};

struct sync_range {
	int64_t		 first, last;	/* both included; first <= last */
};

struct sync_field {
	const char		*name;	/* [a-z][a-z0-9_]* */
	enum sync_ftype		 type;
	int64_t			 i;
	const char		*s;	/* TEXT, BLOB (NUL-terminated too) */
	size_t			 len;
	const int64_t		*ints;
	const char *const	*texts;
	const struct sync_range	*ranges;
	size_t			 n;	/* of ints, texts or ranges */
};

enum sync_op { SYNC_UPSERT = 1, SYNC_DELETE = 2 };

struct sync_row {
	char			 entity[SYNC_MAX_ENTITY + 1];
	char			 uuid[37];
	enum sync_op		 op;
	const struct sync_field	*fields;	/* none for a delete */
	size_t			 nfields;
};

/*
 * A frame as C.  Encoding reads the member of its type; decoding fills
 * it, and what it points to belongs to the message: sync_msg_free().
 */
struct sync_msg {
	enum sync_type		 type;
	union {
		struct {
			uint32_t	 versions[SYNC_MAX_VERSIONS];
			size_t		 nversions;
			const char	*caps[SYNC_MAX_CAPS];
			size_t		 ncaps;
			const char	*agent;	/* "parta 0.3", for logs */
		} hello;
		struct {
			uint32_t	 version;
			const char	*caps[SYNC_MAX_CAPS];
			size_t		 ncaps;
			uint32_t	 frame_max;
			const char	*agent;
		} welcome;
		struct {
			uint64_t	 cursor;	/* 0: a snapshot */
			uint32_t	 budget;	/* bytes a batch */
		} pull;
		struct {
			const struct sync_row *rows;
			size_t		 nrows;
			uint64_t	 cursor;	/* to commit with the rows */
			unsigned	 flags;		/* SYNC_BATCH_ */
			int		 columns;	/* as BATCH_COLUMNS */
			int		 named;		/* as BATCH_NAMED */
			int		 packed;	/* as BATCH_PACKED */
		} batch;
		struct {
			uint64_t	 floor;	/* the oldest cursor answered */
			uint64_t	 head;
		} stale;
		struct {
			char		 uuid[37];	/* the request's */
			const char	*kind;		/* "thread-new" */
			const struct sync_field *fields;
			size_t		 nfields;
		} push;
		struct {
			char		 uuid[37];	/* the push's or read's */
			int		 again;		/* applied before */
			const struct sync_row *rows;	/* the rows it made */
			size_t		 nrows;
		} applied;
		struct {
			char		 ref[65];	/* a UUID, or a SHA-256
							   in hex (files) */
			int		 code;		/* a perr code, < 0 */
			const char	*field;		/* "" or a field name */
			const char	*reason;	/* for the teacher */
		} refused;
		struct {
			char		 uuid[37];
			const char	*entity;	/* "post", "mail", "news" */
			const struct sync_range *ranges;
			size_t		 nranges;
		} read;
		struct {
			uint64_t	 head;
		} notice;
		struct {
			uint64_t	 rows;	/* at most, likely fewer */
		} estimate;
		struct {
			unsigned char	 sha256[32];
			uint64_t	 offset;
			uint32_t	 length;
		} file_get;
		struct {
			unsigned char	 sha256[32];
			uint64_t	 offset;
			uint64_t	 size;		/* the whole file's */
			unsigned char	 chunk_sha256[32];
			const unsigned char *data;
			size_t		 len;
		} file_data;
		struct {
			unsigned char	 sha256[32];
			uint64_t	 size;		/* the whole file's */
			uint64_t	 offset;
			const char	*name;		/* the file's name */
			const unsigned char *data;
			size_t		 len;
		} file_put;
		struct {
			unsigned char	 sha256[32];
			uint64_t	 have;		/* bytes held, from 0 */
		} file_have;
		struct {
			int		 code;		/* SYNC_E_ */
			const char	*reason;	/* English, for logs */
		} error;
	};
	/* The decoder's: what it allocated, and why it refused. */
	void			*mem;
	size_t			 spent;
	const char		*why;
};

/*
 * Append m as one whole frame to w: 0, or an SYNC_E_ code when m breaks
 * a rule of the man page (the same checks as the decoder's: a peer
 * never receives what it must refuse) or does not fit under w's cap;
 * then nothing is written.
 */
int		 sync_encode(struct bytes_writer *w, const struct sync_msg *m);

/*
 * Look at the first have bytes of a stream: 1 with *len (the whole
 * frame's, header included) when a frame is all there, 0 when more bytes
 * are needed, SYNC_E_TOOBIG when the header announces an empty frame or
 * one longer than SYNC_FRAME_MAX (the caller sends ERROR and closes).
 */
int		 sync_frame_len(const void *buf, size_t have, size_t *len);

/*
 * Decode the one whole frame at buf (len bytes, header included) sent
 * by the server (from_server 1) or the client (0) into *m: 0, or an
 * SYNC_E_ code with m->why, a static English sentence for the log.
 * Either way m must be given to sync_msg_free() afterwards.  Frames of
 * the other side's types are SYNC_E_TYPE.
 */
int		 sync_decode(const void *buf, size_t len, int from_server,
		     struct sync_msg *m);
/* Free what the decoder allocated; m is zeroed.  Accepts a message
 * never decoded (zeroed) and NULL. */
void		 sync_msg_free(struct sync_msg *);

/* 1 if WELCOME m grants capability cap. */
int		 sync_welcome_grants(const struct sync_msg *m, const char *cap);
/* The capability a frame type needs (SYNC_CAP_), or NULL for the core. */
const char	*sync_type_capability(enum sync_type);
/* "HELLO", ...; "?" for an unknown type. */
const char	*sync_type_name(int type);
/* An English sentence for an SYNC_E_ code; never NULL. */
const char	*sync_strerror(int code);
/* The perr code an SYNC_E_ code means (PERR_DB for SERVER ...), or 0. */
int		 sync_error_perr(int code);

/* 1 if s (len bytes) is valid UTF-8 without NUL, surrogates or
 * overlong forms. */
int		 sync_utf8_valid(const char *s, size_t len);

#endif
