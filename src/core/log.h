/* One logging module: levels, printf-checked formats, the module name
 * (STYLE.md 12). Never log tokens, cookies or signed URLs.
 *
 * Every event is one line, written with one write(2) (so threads never
 * interleave). Formats:
 *
 *   logfmt   ts=2026-12-06T04:11:37.123Z level=warn module=http msg="..."
 *            (UTC, RFC 3339 with milliseconds; the default off journald)
 *   json     {"ts":"2026-12-06T04:11:37.123Z","level":"warn",
 *             "module":"http","msg":"..."}  (one object per line)
 *   journal  <4>level=warn module=http msg="..."
 *            (sd-daemon(3) priority prefix, the logfmt body without ts:
 *            the journal stamps lines itself)
 *   auto     journal when $JOURNAL_STREAM is set (stderr is the
 *            journal), else logfmt. The default.
 *   plain    the name of logfmt in older configs (an alias).
 *
 * Values are encoded the same way in logfmt and JSON strings: '"' and
 * '\\' escaped, \n \r \t, other control characters as \u00XX, bytes that
 * are not UTF-8 as \ufffd (so the output is valid UTF-8 whatever a
 * message carries). A logfmt value is quoted when it is empty or holds a
 * space, '"', '=', '\\', a control character or a non-ASCII byte. A
 * message's trailing newlines are dropped. A line longer than
 * LOG_LINE_MAX is cut: the value being written ends in "..." and the line
 * stays well formed (JSON closed).
 *
 * Repeats are rate-limited: a call site (module and format string, by
 * address) that logs more than LOG_BURST lines within LOG_WINDOW_S
 * seconds of its first is silenced for the rest of that window; the next
 * line logged after the window (from any call site), or log_flush,
 * writes msg="N more like this in the last minute: <first silenced
 * message>" suppressed=N. The table of call sites is fixed (LOG_SITES
 * entries; the stalest is evicted, its count written first), so memory
 * is bounded. Lines logged with LOG_AUDIT (security events: failed
 * logins, for fail2ban) are never silenced and do not count. */
#ifndef MEDIADASH_LOG_H
#define MEDIADASH_LOG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "err.h"

enum log_level { LOG_LVL_ERROR, LOG_LVL_WARN, LOG_LVL_INFO, LOG_LVL_DEBUG };
enum log_format { LOG_FMT_AUTO, LOG_FMT_LOGFMT, LOG_FMT_JOURNAL, LOG_FMT_JSON };
#define LOG_FMT_PLAIN LOG_FMT_LOGFMT /* the older name */

#define LOG_BURST 10      /* lines per call site and window */
#define LOG_WINDOW_S 60   /* the window, from the site's first line */
#define LOG_SITES 64      /* call sites tracked at once */
#define LOG_LINE_MAX 2048 /* a longer line is cut (above) */

/* Messages above this level are dropped. Set once at start-up. */
void log_set_level(enum log_level lvl);
enum log_level log_get_level(void);
/* "error", "warning" (or "warn"), "info", "debug" -> *out; ERR_PARSE
 * for anything else. */
enum err log_level_parse(const char *s, enum log_level *out) WARN_UNUSED;
/* The line format (above). Set once at start-up. */
void log_set_format(enum log_format f);
/* The format lines are written in: never LOG_FMT_AUTO (decided on the
 * first call from $JOURNAL_STREAM). */
enum log_format log_get_format(void);
/* "auto", "logfmt", "plain", "json", "journal" -> *out; ERR_PARSE for
 * anything else. */
enum err log_format_parse(const char *s, enum log_format *out) WARN_UNUSED;

void log_msg(enum log_level lvl, const char *module, const char *fmt, ...)
    PRINTF_LIKE(3, 4);
/* The same, never rate-limited (LOG_AUDIT). */
void log_audit(enum log_level lvl, const char *module, const char *fmt, ...)
    PRINTF_LIKE(3, 4);

/* A structured field: key is a constant identifier ([a-z_]+), val any
 * text (NULL: the field is left out). Both borrowed for the call. */
struct log_field {
    const char *key;
    const char *val;
};
/* msg (constant text: it is the rate-limit site with module) and n
 * fields after it: ... msg="..." key=val key2=val2. */
void log_kv(enum log_level lvl, const char *module, const char *msg,
            const struct log_field *fields, size_t n);

/* Write the pending "N more like this" lines now, whether or not their
 * window has ended (at shutdown, and in tests). */
void log_flush(void);

/* ---- building lines (the access log, tests) -------------------------- */

/* A bounded line: len never exceeds LOG_LINE_MAX - 1 with its newline. */
struct log_line {
    char s[LOG_LINE_MAX];
    size_t len;
    bool cut;  /* something did not fit: the rest is dropped */
    bool json; /* fields are JSON members */
    unsigned nfields;
};
/* Start a line in fmt (LOG_FMT_LOGFMT, LOG_FMT_JSON or LOG_FMT_JOURNAL;
 * AUTO is taken as log_get_format()) with ts (not in journal), level and
 * module; ms is milliseconds since the epoch. */
void log_line_begin(struct log_line *l, enum log_format fmt, int64_t ms,
                    enum log_level lvl, const char *module);
/* Add key=val, val being n bytes (encoded as above). */
void log_line_field(struct log_line *l, const char *key, const char *val,
                    size_t n);
/* The same with a C string (NULL: nothing added). */
void log_line_str(struct log_line *l, const char *key, const char *val);
/* Add key=num, num a number as text ("200", "3.214"): bare in logfmt,
 * a number in JSON. */
void log_line_number(struct log_line *l, const char *key, const char *num);
/* Close the line (JSON "}") and add its newline: l->s[0..l->len) is then
 * the line to write. */
void log_line_end(struct log_line *l);
/* Write a finished line to the log's stream (one write(2), in order with
 * the other lines). */
void log_line_write(const struct log_line *l);

/* For tests: write lines to fd instead of 2 (stderr), and read the clock
 * (milliseconds since the epoch) from now_ms instead of the real one
 * (NULL: the real one). Both also reset the rate-limit table. */
void log_set_fd(int fd);
void log_set_clock(int64_t (*now_ms)(void));
/* Milliseconds since the epoch, from that clock. */
int64_t log_now_ms(void);

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
