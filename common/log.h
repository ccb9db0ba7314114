/*
 * log.h: one logging facility for all parta programs.  Messages go to
 * stderr and, when enabled, to syslog, escaped (log_vis) and cut to a
 * bounded length.  Secrets are never passed here.
 */
#ifndef PARTA_LOG_H
#define PARTA_LOG_H

#include <stddef.h>

enum log_level { LOG_LEVEL_ERROR, LOG_LEVEL_WARN, LOG_LEVEL_INFO, LOG_LEVEL_DEBUG };

/* Set the program name, the most verbose level shown, and syslog use. */
void	log_init(const char *progname, enum log_level, int use_syslog);
/* Parse "error", "warn", "info" or "debug"; -1 if unknown. */
int	log_level_parse(const char *);

void	log_error(const char *, ...) __attribute__((format(printf, 1, 2)));
void	log_warn(const char *, ...) __attribute__((format(printf, 1, 2)));
void	log_info(const char *, ...) __attribute__((format(printf, 1, 2)));
void	log_debug(const char *, ...) __attribute__((format(printf, 1, 2)));
/*
 * Copy src into dst (size bytes, always NUL-terminated) escaped as every
 * log line is: a newline, CR and tab become \n, \r, \t; a backslash \\;
 * other C0 controls and DEL \ooo (ESC is \033); C1 controls and the
 * other characters text_is_control() names, in UTF-8 or as raw bytes,
 * and bytes that are not UTF-8, \xNN per byte.  Printable UTF-8 is kept.
 * Returns 1 when src did not fit: dst then ends in "..." after the last
 * whole character or escape; else 0.
 */
int	log_vis(char *dst, size_t size, const char *src);

/* A name a client chose (an SSH user name) as it may appear in a log
 * line or the store: at most LOG_NAME_MAX bytes of it, cut between
 * characters, "..." marking a cut. */
#define LOG_NAME_MAX	64
#define LOG_NAME_BUF	(LOG_NAME_MAX + 4)
/* s cut as above into buf, unescaped (log lines are escaped whole);
 * returns buf. */
char	*log_name(char buf[LOG_NAME_BUF], const char *s);

/* Log at error level and exit(1): for start-up code and impossible states. */
void	fatal(const char *, ...) __attribute__((format(printf, 1, 2), noreturn));

#endif
