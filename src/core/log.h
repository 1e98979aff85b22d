/* One logging module: levels, printf-checked formats, the module name
 * (STYLE.md 12). Never log tokens, cookies or signed URLs.
 *
 * Every event is one line, written with one write(2) (so threads never
 * interleave): a message's control characters are escaped ("\n" becomes
 * the two characters \n) and trailing newlines are dropped.
 *
 *   plain    2026-12-06T04:11:37.123Z warning http: message
 *            (UTC, RFC 3339 with milliseconds)
 *   journal  <4>warning http: message
 *            (sd-daemon(3) priority prefix, no timestamp: the journal
 *            stamps lines itself)
 *   auto     journal when $JOURNAL_STREAM is set (stderr is the
 *            journal), else plain. The default.
 *
 * Repeats are rate-limited: a call site (module and format string, by
 * address) that logs more than LOG_BURST lines within LOG_WINDOW_S
 * seconds of its first is silenced for the rest of that window; the next
 * line logged after the window (from any call site), or log_flush,
 * writes "N more like this in the last minute: <first silenced line>".
 * The table of call sites is fixed (LOG_SITES entries; the stalest is
 * evicted, its count written first), so memory is bounded. Lines logged
 * with LOG_AUDIT (security events: failed logins, for fail2ban) are never
 * silenced and do not count. */
#ifndef MEDIADASH_LOG_H
#define MEDIADASH_LOG_H

#include <stdint.h>

#include "err.h"

enum log_level { LOG_LVL_ERROR, LOG_LVL_WARN, LOG_LVL_INFO, LOG_LVL_DEBUG };
enum log_format { LOG_FMT_AUTO, LOG_FMT_PLAIN, LOG_FMT_JOURNAL };

#define LOG_BURST 10      /* lines per call site and window */
#define LOG_WINDOW_S 60   /* the window, from the site's first line */
#define LOG_SITES 64      /* call sites tracked at once */
#define LOG_LINE_MAX 2048 /* a longer line is cut and ends in "..." */

/* Messages above this level are dropped. Set once at start-up. */
void log_set_level(enum log_level lvl);
enum log_level log_get_level(void);
/* "error", "warning" (or "warn"), "info", "debug" -> *out; ERR_PARSE
 * for anything else. */
enum err log_level_parse(const char *s, enum log_level *out) WARN_UNUSED;
/* The line format (above). Set once at start-up. */
void log_set_format(enum log_format f);
/* "auto", "plain", "journal" -> *out; ERR_PARSE for anything else. */
enum err log_format_parse(const char *s, enum log_format *out) WARN_UNUSED;

void log_msg(enum log_level lvl, const char *module, const char *fmt, ...)
    PRINTF_LIKE(3, 4);
/* The same, never rate-limited (LOG_AUDIT). */
void log_audit(enum log_level lvl, const char *module, const char *fmt, ...)
    PRINTF_LIKE(3, 4);
/* Write the pending "N more like this" lines now, whether or not their
 * window has ended (at shutdown, and in tests). */
void log_flush(void);

/* For tests: write lines to fd instead of 2 (stderr), and read the clock
 * (milliseconds since the epoch) from now_ms instead of the real one
 * (NULL: the real one). Both also reset the rate-limit table. */
void log_set_fd(int fd);
void log_set_clock(int64_t (*now_ms)(void));

#ifndef LOG_MODULE
#define LOG_MODULE "mediadash"
#endif
#define LOG_ERROR(...) log_msg(LOG_LVL_ERROR, LOG_MODULE, __VA_ARGS__)
#define LOG_WARN(...) log_msg(LOG_LVL_WARN, LOG_MODULE, __VA_ARGS__)
#define LOG_INFO(...) log_msg(LOG_LVL_INFO, LOG_MODULE, __VA_ARGS__)
#define LOG_DEBUG(...) log_msg(LOG_LVL_DEBUG, LOG_MODULE, __VA_ARGS__)
/* A security event (warning level): every one is written. */
#define LOG_AUDIT(...) log_audit(LOG_LVL_WARN, LOG_MODULE, __VA_ARGS__)

#endif
