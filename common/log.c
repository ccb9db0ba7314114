/*
 * log.c: stderr and syslog logging with a level filter.  Each line carries
 * the program name and pid, so interleaved session processes stay apart.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <syslog.h>
#include <time.h>
#include <unistd.h>

#include "log.h"

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
	size_t	 i;

	for (i = 0; i < sizeof(level_names) / sizeof(level_names[0]); i++)
		if (strcmp(s, level_names[i]) == 0)
			return (int)i;
	return -1;
}

static void
log_vmsg(enum log_level level, const char *fmt, va_list ap)
{
	char		 buf[1024], ts[32];
	time_t		 t;
	struct tm	 tm;

	if (level > log_max)
		return;
	vsnprintf(buf, sizeof(buf), fmt, ap);
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
