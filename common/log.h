/*
 * log.h: one logging facility for all parta programs.  Messages go to
 * stderr and, when enabled, to syslog.  Secrets are never passed here.
 */
#ifndef PARTA_LOG_H
#define PARTA_LOG_H

enum log_level { LOG_LEVEL_ERROR, LOG_LEVEL_WARN, LOG_LEVEL_INFO, LOG_LEVEL_DEBUG };

/* Set the program name, the most verbose level shown, and syslog use. */
void	log_init(const char *progname, enum log_level, int use_syslog);
/* Parse "error", "warn", "info" or "debug"; -1 if unknown. */
int	log_level_parse(const char *);

void	log_error(const char *, ...) __attribute__((format(printf, 1, 2)));
void	log_warn(const char *, ...) __attribute__((format(printf, 1, 2)));
void	log_info(const char *, ...) __attribute__((format(printf, 1, 2)));
void	log_debug(const char *, ...) __attribute__((format(printf, 1, 2)));
/* Log at error level and exit(1): for start-up code and impossible states. */
void	fatal(const char *, ...) __attribute__((format(printf, 1, 2), noreturn));

#endif
