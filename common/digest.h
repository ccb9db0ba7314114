/*
 * digest.h: digests (man/parta-digest.5): what is new for one teacher
 * (or for a school's shared computer), carried in one file, read with
 * parta's own screens anywhere, and the reply packets that bring her
 * answers back.
 *
 * A digest file is a header, a few lines of meta (what it covers) and a
 * zstd frame holding the rows of a store of the common schema (kind
 * "digest"), column by column (digest-dump.h), filled with the rows the
 * recipient may see as parta-sync would send them (sync-rows.h); the
 * reader makes that store again, so that the client's screens read it
 * unchanged.  A SHA-256 over all of it says a damaged file from a whole
 * one.
 *
 * A reply packet is a header naming the digest and the user, the PUSH
 * frames of parta-sync (man/parta-sync.5) she wrote, each with the UUID
 * made when she typed it, and an HMAC-SHA-256 under the digest's reply
 * key, which the server made for that digest and keeps in its store.
 */
#ifndef PARTA_DIGEST_H
#define PARTA_DIGEST_H

#include <stddef.h>
#include <stdint.h>

struct store;
struct sync_local;

#define DIGEST_FORMAT		2	/* the container this parta writes */
#define DIGEST_KEY_LEN		32
#define DIGEST_PACKET_FORMAT	1
#define DIGEST_PACKET_MAX	(16 * 1024 * 1024)
#define DIGEST_MAX_BOARDS	64

/* What to put in a digest. */
struct digest_spec {
	const char		*login;		/* NULL: a board digest */
	const char *const	*boards;	/* by name; none: all hers */
	size_t			 nboards;
	int64_t			 since;		/* Unix time; 0: all */
	const char		*made_by;	/* "parta-sysop", "partad" */
	int			 level;		/* zstd's; 0: the default */
};

/* What a digest says it is (its meta lines), as read. */
struct digest_info {
	int		 format;
	char		 uuid[37];
	char		*server;
	char		*user;		/* "" for a board digest */
	char		*boards;	/* names, comma-separated */
	int64_t		 since;
	int64_t		 made_at;
	char		*made_by;
	int64_t		 posts, letters;
	int		 has_key;
	unsigned char	 key[DIGEST_KEY_LEN];	/* the reply key */
};
void	 digest_info_free(struct digest_info *);

/*
 * Make the digest of spec from the server's store st into the new file
 * path (written beside it and renamed; an existing file is replaced).
 * A personal digest (spec->login) gets a reply key, recorded in st's
 * digests table.  *info, when not NULL, gets what was written (free
 * with digest_info_free()).  0, or -1 with *cause (caller frees).
 */
int	 digest_export(struct store *st, const struct digest_spec *spec,
	     const char *path, struct digest_info *info, char **cause);

/*
 * The formats a digest is written in: a row each.  "parta" is the digest
 * file itself (render NULL); the others are rendered from one (text,
 * html, qwk: digestfmt's rows), so every format holds what the digest
 * holds and nothing more.
 */
struct digest_format {
	const char	*name;
	/* Write the rendering (this row's) of the digest file src to
	 * out: 0, or -1 with *cause (caller frees). */
	int		(*render)(const struct digest_format *,
			    const char *src, const char *out, char **cause);
	const char	*help;		/* N_() */
};
extern const struct digest_format digest_formats[];
extern const size_t digest_nformats;
/* The row named name, or NULL. */
const struct digest_format *digest_format(const char *name);

/*
 * digest_export() in format f: the digest itself, or its rendering
 * made from one in a temporary file.  0, or -1 with *cause.
 */
int	 digest_make(struct store *st, const struct digest_spec *spec,
	     const struct digest_format *f, const char *path,
	     struct digest_info *info, char **cause);

/*
 * Check the digest at path and make its store again in dir/copy.db
 * (dir must exist and hold no copy; dir/outbox.db is made too).  Each
 * kind of bad file has its own message: empty, not a digest, an SQLite
 * file that is no digest, from a newer parta, of format 1 (an older
 * parta's), truncated, damaged (checksum, or rows that do not read).
 * 0 and *info (caller frees with digest_info_free()), or -1 with *cause
 * and dir emptied of what was made.
 */
int	 digest_unpack(const char *path, const char *dir,
	     struct digest_info *info, int flags, char **cause);
/* Leave the search index to digest_reindex() (the file carries none:
 * it is made from the rows), so that the screens open at once. */
#define DIGEST_UNPACK_NOINDEX	0x01
/* Make the search index of the copy digest_unpack() left in dir: about
 * 1.4 s for 10,000 posts.  0, or -1 with *cause. */
int	 digest_reindex(const char *dir, char **cause);

/* Remove what digest_unpack() and a session over it made in dir (its
 * log, the lock file a reading holds while it lives), and dir itself. */
#define DIGEST_UNPACK_LOCK	"lock"
void	 digest_unpack_remove(const char *dir);

/* The login the screens read a board digest as: a local account made in
 * the unpacked copy of dir (none of the server's).  0 or PERR_DB. */
#define DIGEST_READER	"reader"
int	 digest_add_reader(const char *dir);

/* Read only the header and meta of the digest at path (all checks but
 * the decompression).  0 or -1 with *cause. */
int	 digest_read_info(const char *path, struct digest_info *info,
	     char **cause);

/* A parsed reply packet; frames point into the caller's buffer. */
struct digest_packet {
	char			 digest[37];
	char			 login[64];
	size_t			 nframes;
	const unsigned char	*frames;	/* nframes sync frames */
	size_t			 frameslen;
	const unsigned char	*mac;		/* DIGEST_KEY_LEN bytes */
	size_t			 signedlen;	/* bytes the MAC covers */
};

/*
 * Parse a reply packet of len bytes (untrusted: never reads past its
 * end, every frame checked with sync_frame_len() and decoded as a
 * PUSH).  0, or -1 with *cause.  The MAC is not checked here.
 */
int	 digest_packet_parse(const unsigned char *buf, size_t len,
	     struct digest_packet *p, char **cause);

/*
 * Write the reply packet of the digest info holds, with the waiting
 * items of outbox sl, to path (replaced whole: a crash at any moment
 * leaves the old packet or the new, and the new one is on the disk when
 * this returns).  A digest without a
 * reply key writes an unsigned packet only her own client may send.
 * *n gets the items written; with none (she only read) no packet is
 * written and path is left as it was.  0, or -1 with *cause.
 */
int	 digest_packet_write(struct sync_local *sl,
	     const struct digest_info *info, const char *path, size_t *n,
	     char **cause);

/* 1 if a reply packet carries a write of kind (a request_type()'s name:
 * thread-new, reply, mail-send), else 0: read marks stay in the
 * digest. */
int	 digest_packet_carries(const char *kind);

/* What digest_packet_load() did with a packet's items. */
struct digest_load {
	size_t		 items;		/* the packet carries */
	size_t		 queued;	/* new in the outbox now */
	size_t		 again;		/* there before (queued or sent) */
	int		 why;		/* PERR code of the first not queued */
};

/* Queue the items of packet file path into outbox sl (they keep their
 * UUIDs), for a session reading that digest again or for her client's
 * next sync.  A packet that names another digest than digest (its
 * UUID), or another user than login (NULL: any), is refused: its items
 * would be signed under another digest's key, or sent as another.
 * *res says how many it carries, how many are new in the outbox and
 * how many were there before; the others were not queued (logged, the
 * first one's reason in why).  0, or -1 with *cause. */
int	 digest_packet_load(struct sync_local *sl, const char *path,
	     const char *digest, const char *login, struct digest_load *res,
	     char **cause);

/* What importing one item of a packet did. */
struct digest_import_item {
	char		 uuid[37];
	const char	*kind;
	int		 rc;		/* 0, or the PERR code that refused it */
	int		 again;		/* posted before: nothing new */
};

/*
 * Import the reply packet in buf into the server's store st: the MAC
 * under the key the server keeps for its digest, the user it names,
 * then each item through request_apply() as hers, with its own UUID (a
 * second import posts nothing twice).  A refused item is reported
 * through report (for the sysop) and in a letter to her.  0 when the
 * packet was taken (even with items refused), or -1 with *cause.
 */
int	 digest_import(struct store *st, const unsigned char *buf,
	     size_t len, void (*report)(void *, const struct
	     digest_import_item *), void *arg, char **cause);

#endif
