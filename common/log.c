/*
 * log.c: stderr and syslog logging with a level filter.  Each line carries
 * the program name and pid, so interleaved session processes stay apart.
 *
 * Log lines carry bytes from the network (an SSH user name, a client's
 * version string inside libssh's error text): a newline in them would
 * forge a line of its own, and an escape sequence would reach the
 * sysop's terminal, which shows the log.  So every line is escaped here,
 * in one place, as OpenSSH's log.c does with strnvis(3): what is not
 * printable becomes a backslash escape, and a line is cut at
 * LOG_LINE_MAX bytes.  Printable UTF-8 (Cyrillic, Tatar) stays readable.
 */
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <syslog.h>
#include <time.h>
#include <unistd.h>

#include "log.h"
#include "text.h"
#include "util.h"

/* The longest message a line carries, escaped. */
#define LOG_LINE_MAX	1024
#define LOG_CUT_MARK	"..."

static const char	*log_prog = "parta";
static enum log_level	 log_max = LOG_LEVEL_INFO;
static int		 log_syslog;

static const char *const level_names[] = { "error", "warn", "info", "debug" };
static const int	 level_prio[] = { LOG_ERR, LOG_WARNING, LOG_INFO, LOG_DEBUG };

void
log_init(const char *progname, enum log_level level, int use_syslog)
{
	log_prog = progname;
	log_max = level;
	if (use_syslog && !log_syslog)
		openlog(progname, LOG_PID | LOG_NDELAY, LOG_DAEMON);
	else if (!use_syslog && log_syslog)
		closelog();
	log_syslog = use_syslog;
}

int
log_level_parse(const char *s)
{
	return names_find(level_names, nitems(level_names), s);
}

/*
 * The length of the well-formed UTF-8 sequence at p (RFC 3629: no
 * overlong forms, no surrogates, nothing above U+10FFFF) and its code
 * point in *cp; 0 if p does not start one.
 */
static size_t
log_utf8(const unsigned char *p, int32_t *cp)
{
	size_t	 n, i;
	int32_t	 c, min;

	if (p[0] < 0x80) {
		*cp = p[0];
		return 1;
	}
	if (p[0] >= 0xc2 && p[0] <= 0xdf) {
		n = 2; c = p[0] & 0x1f; min = 0x80;
	} else if (p[0] >= 0xe0 && p[0] <= 0xef) {
		n = 3; c = p[0] & 0x0f; min = 0x800;
	} else if (p[0] >= 0xf0 && p[0] <= 0xf4) {
		n = 4; c = p[0] & 0x07; min = 0x10000;
	} else
		return 0;
	for (i = 1; i < n; i++) {
		if ((p[i] & 0xc0) != 0x80)
			return 0;
		c = (c << 6) | (p[i] & 0x3f);
	}
	if (c < min || c > 0x10ffff || (c >= 0xd800 && c <= 0xdfff))
		return 0;
	*cp = c;
	return n;
}

/* The escape for one byte that may not be shown as it is, in out. */
static size_t
log_vis_byte(unsigned char c, char out[5])
{
	switch (c) {
	case '\n':
		return (size_t)snprintf(out, 5, "\\n");
	case '\r':
		return (size_t)snprintf(out, 5, "\\r");
	case '\t':
		return (size_t)snprintf(out, 5, "\\t");
	case '\\':
		return (size_t)snprintf(out, 5, "\\\\");
	}
	if (c < 0x80)
		return (size_t)snprintf(out, 5, "\\%03o", c);	/* ESC: \033 */
	return (size_t)snprintf(out, 5, "\\x%02X", c);
}

int
log_vis(char *dst, size_t size, const char *src)
{
	const unsigned char	*p = (const unsigned char *)src;
	const size_t		 mark = sizeof(LOG_CUT_MARK) - 1;
	char			 esc[5];
	const char		*piece;
	size_t			 o = 0, keep = 0, n, len;
	int32_t			 cp;

	if (size <= mark) {
		if (size > 0)
			dst[0] = '\0';
		return *src != '\0';
	}
	while (*p != '\0') {
		n = log_utf8(p, &cp);
		if (n > 0 && cp != '\\' && !text_is_control(cp)) {
			piece = (const char *)p;
			len = n;
		} else {
			/* One byte at a time: a control's UTF-8 bytes, an
			 * invalid byte, a backslash. */
			n = 1;
			len = log_vis_byte(*p, esc);
			piece = esc;
		}
		if (o + len > size - 1) {
			/* Cut after the last piece that leaves room for
			 * the mark: never inside a character or escape. */
			memcpy(dst + keep, LOG_CUT_MARK, mark + 1);
			return 1;
		}
		memcpy(dst + o, piece, len);
		o += len;
		if (o <= size - 1 - mark)
			keep = o;
		p += n;
	}
	dst[o] = '\0';
	return 0;
}

char *
log_name(char buf[LOG_NAME_BUF], const char *s)
{
	const unsigned char	*p = (const unsigned char *)s;
	size_t			 o = 0, n;
	int32_t			 cp;

	while (p[o] != '\0') {
		if ((n = log_utf8(p + o, &cp)) == 0)
			n = 1;
		if (o + n > LOG_NAME_MAX) {
			memcpy(buf, s, o);
			memcpy(buf + o, LOG_CUT_MARK, sizeof(LOG_CUT_MARK));
			return buf;
		}
		o += n;
	}
	memcpy(buf, s, o + 1);
	return buf;
}

static void
log_vmsg(enum log_level level, const char *fmt, va_list ap)
{
	char		 raw[4 * LOG_LINE_MAX], buf[LOG_LINE_MAX], ts[32];
	time_t		 t;
	struct tm	 tm;

	if (level > log_max)
		return;
	/* Every raw byte escapes to at least one: a message longer than
	 * raw is cut, and marked, by log_vis as well. */
	vsnprintf(raw, sizeof(raw), fmt, ap);
	(void)log_vis(buf, sizeof(buf), raw);
	t = time(NULL);
	localtime_r(&t, &tm);
	strftime(ts, sizeof(ts), "%Y-%m-%d %H:%M:%S", &tm);
	fprintf(stderr, "%s %s[%ld] %s: %s\n", ts, log_prog, (long)getpid(),
	    level_names[level], buf);
	if (log_syslog)
		syslog(level_prio[level], "%s", buf);
}

#define LOG_FN(name, level)					\
void								\
name(const char *fmt, ...)					\
{								\
	va_list	 ap;						\
	va_start(ap, fmt);					\
	log_vmsg(level, fmt, ap);				\
	va_end(ap);						\
}
LOG_FN(log_error, LOG_LEVEL_ERROR)
LOG_FN(log_warn, LOG_LEVEL_WARN)
LOG_FN(log_info, LOG_LEVEL_INFO)
LOG_FN(log_debug, LOG_LEVEL_DEBUG)

void
fatal(const char *fmt, ...)
{
	va_list	 ap;

	va_start(ap, fmt);
	log_vmsg(LOG_LEVEL_ERROR, fmt, ap);
	va_end(ap);
	exit(1);
}
