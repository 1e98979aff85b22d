/* Logging (log.h): one line per event, one write(2) per line, repeats
 * rate-limited per call site in a fixed table. Lines are built on the
 * stack (LOG_LINE_MAX) so that logging never allocates: it must work
 * when memory is short and may be called from anywhere. */
#include "log.h"

#include <errno.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "timeutil.h"

#define SUMMARY_MAX 512 /* the first silenced line kept for the summary */

/* The level and format are process-wide by nature (stderr is); atomic so
 * threads may read them while start-up is long over. */
static _Atomic int log_level = LOG_LVL_WARN;
static _Atomic int log_format = LOG_FMT_AUTO;

/* One call site's current window. module == NULL: the slot is free. */
struct site {
    const char *module, *fmt;
    int64_t start_ms;
    unsigned count;    /* lines in this window, written or not */
    unsigned silenced; /* of which not written */
    enum log_level lvl;
    size_t first_len;
    char first[SUMMARY_MAX];
};

/* Everything below is guarded by mu: the table, the output fd and the
 * clock, and the write itself (so lines and summaries keep their order). */
static pthread_mutex_t mu = PTHREAD_MUTEX_INITIALIZER;
static struct site sites[LOG_SITES];
static int out_fd = 2;
static int64_t (*clock_ms)(void);

static const char *const level_names[] = {"error", "warning", "info",
                                          "debug"};
static const int sd_prio[] = {3, 4, 6, 7}; /* sd-daemon(3) SD_ERR... */

void log_set_level(enum log_level lvl)
{
    atomic_store(&log_level, (int)lvl);
}

enum log_level log_get_level(void)
{
    return (enum log_level)atomic_load(&log_level);
}

enum err log_level_parse(const char *s, enum log_level *out)
{
    for (int i = 0; i <= LOG_LVL_DEBUG; i++)
        if (strcmp(s, level_names[i]) == 0) {
            *out = (enum log_level)i;
            return ERR_OK;
        }
    if (strcmp(s, "warn") != 0)
        return ERR_PARSE;
    *out = LOG_LVL_WARN;
    return ERR_OK;
}

void log_set_format(enum log_format f)
{
    atomic_store(&log_format, (int)f);
}

enum err log_format_parse(const char *s, enum log_format *out)
{
    static const char *const names[] = {"auto", "plain", "journal"};

    for (int i = 0; i < 3; i++)
        if (strcmp(s, names[i]) == 0) {
            *out = (enum log_format)i;
            return ERR_OK;
        }
    return ERR_PARSE;
}

void log_set_fd(int fd)
{
    pthread_mutex_lock(&mu);
    out_fd = fd;
    memset(sites, 0, sizeof sites);
    pthread_mutex_unlock(&mu);
}

void log_set_clock(int64_t (*now_ms)(void))
{
    pthread_mutex_lock(&mu);
    clock_ms = now_ms;
    memset(sites, 0, sizeof sites);
    pthread_mutex_unlock(&mu);
}

static int64_t now_ms(void)
{
    struct timespec ts;

    if (clock_ms != NULL)
        return clock_ms();
    clock_gettime(CLOCK_REALTIME, &ts);
    return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static bool journal(void)
{
    int f = atomic_load(&log_format);

    if (f == LOG_FMT_AUTO) {
        const char *js = getenv("JOURNAL_STREAM");
        f = js != NULL && *js ? LOG_FMT_JOURNAL : LOG_FMT_PLAIN;
        atomic_store(&log_format, f);
    }
    return f == LOG_FMT_JOURNAL;
}

/* A bounded line: len never exceeds LOG_LINE_MAX - 1; cut is set once
 * something did not fit. */
struct line {
    char s[LOG_LINE_MAX];
    size_t len;
    bool cut;
};

static void put(struct line *l, const char *s, size_t n)
{
    size_t room = sizeof l->s - 1 - l->len;

    if (n > room) {
        n = room;
        l->cut = true;
    }
    memcpy(l->s + l->len, s, n);
    l->len += n;
}

static void putf(struct line *l, const char *fmt, ...) PRINTF_LIKE(2, 3);
static void putf(struct line *l, const char *fmt, ...)
{
    size_t room = sizeof l->s - l->len;
    va_list ap;
    int n;

    va_start(ap, fmt);
    n = vsnprintf(l->s + l->len, room, fmt, ap);
    va_end(ap);
    if (n < 0)
        return;
    if ((size_t)n >= room) {
        l->len = sizeof l->s - 1;
        l->cut = true;
    } else {
        l->len += (size_t)n;
    }
}

/* s[0..n) with trailing newlines dropped and control characters escaped
 * (\n, \r, \xHH; a tab stays), so that the message is one line. */
static void put_escaped(struct line *l, const char *s, size_t n)
{
    static const char hex[] = "0123456789abcdef";

    while (n > 0 && (s[n - 1] == '\n' || s[n - 1] == '\r'))
        n--;
    for (size_t i = 0; i < n && !l->cut; i++) {
        unsigned char c = (unsigned char)s[i];
        char e[4] = {'\\', 'x', hex[c >> 4], hex[c & 15]};
        if (c == '\n')
            put(l, "\\n", 2);
        else if (c == '\r')
            put(l, "\\r", 2);
        else if ((c < 0x20 && c != '\t') || c == 0x7f)
            put(l, e, 4);
        else
            put(l, (const char *)&c, 1);
    }
}

/* "2026-12-06T04:11:37.123Z warning MODULE: " or "<4>warning MODULE: " */
static void put_prefix(struct line *l, int64_t ms, enum log_level lvl,
                       const char *module)
{
    int64_t secs = ms / 1000, day = secs / 86400, sod = secs % 86400, y;
    unsigned mo, d;

    if (journal()) {
        putf(l, "<%d>%s %s: ", sd_prio[lvl], level_names[lvl], module);
        return;
    }
    if (sod < 0) {
        sod += 86400;
        day--;
    }
    time_civil_from_days(day, &y, &mo, &d);
    putf(l, "%04lld-%02u-%02uT%02d:%02d:%02d.%03dZ %s %s: ", (long long)y,
         mo, d, (int)(sod / 3600), (int)(sod / 60 % 60), (int)(sod % 60),
         (int)((ms % 1000 + 1000) % 1000), level_names[lvl], module);
}

/* Write the line (with "..." when cut, and its newline) in one write(2),
 * retried only for the part a signal or a full pipe left unwritten. */
static void emit(struct line *l)
{
    size_t off = 0;

    if (l->cut) {
        l->len = l->len > sizeof l->s - 5 ? sizeof l->s - 5 : l->len;
        memcpy(l->s + l->len, "...", 3);
        l->len += 3;
    }
    l->s[l->len++] = '\n';
    while (off < l->len) {
        ssize_t n = write(out_fd, l->s + off, l->len - off);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            return;
        off += (size_t)n;
    }
}

/* The summary of a site with silenced lines; the slot is freed. */
static void site_close(struct site *s, int64_t ms)
{
    struct line l;

    if (s->silenced > 0) {
        l.len = 0;
        l.cut = false;
        put_prefix(&l, ms, s->lvl, s->module);
        putf(&l, "%u more like this in the last minute: ", s->silenced);
        put(&l, s->first, s->first_len);
        emit(&l);
    }
    s->module = NULL;
}

/* Close the windows that have ended (all of them when force). */
static void sites_expire(int64_t ms, bool force)
{
    for (size_t i = 0; i < LOG_SITES; i++)
        if (sites[i].module != NULL &&
            (force || ms - sites[i].start_ms >= LOG_WINDOW_S * 1000))
            site_close(&sites[i], ms);
}

/* The site of (module, fmt): found, a free slot, or the slot whose window
 * began first (its summary written now). */
static struct site *site_get(const char *module, const char *fmt, int64_t ms)
{
    struct site *s = NULL;

    for (size_t i = 0; i < LOG_SITES; i++) {
        if (sites[i].module == module && sites[i].fmt == fmt)
            return &sites[i];
        if (s == NULL || (s->module != NULL &&
                          (sites[i].module == NULL ||
                           sites[i].start_ms < s->start_ms)))
            s = &sites[i];
    }
    if (s->module != NULL)
        site_close(s, ms);
    memset(s, 0, offsetof(struct site, first));
    s->module = module;
    s->fmt = fmt;
    s->start_ms = ms;
    return s;
}

static void log_v(enum log_level lvl, const char *module, bool audit,
                  const char *fmt, va_list ap) PRINTF_LIKE(4, 0);

static void log_v(enum log_level lvl, const char *module, bool audit,
                  const char *fmt, va_list ap)
{
    char msg[LOG_LINE_MAX];
    struct line l = {.len = 0, .cut = false};
    struct site *s;
    size_t at;
    int n;

    if ((int)lvl > atomic_load(&log_level) || (unsigned)lvl > LOG_LVL_DEBUG)
        return;
    n = vsnprintf(msg, sizeof msg, fmt, ap);
    pthread_mutex_lock(&mu);
    int64_t ms = now_ms();
    sites_expire(ms, false);
    put_prefix(&l, ms, lvl, module);
    at = l.len;
    put_escaped(&l, msg, n < 0 ? 0 : (size_t)n >= sizeof msg ? sizeof msg - 1
                                                             : (size_t)n);
    l.cut = l.cut || (n >= 0 && (size_t)n >= sizeof msg);
    s = audit ? NULL : site_get(module, fmt, ms);
    if (s != NULL && ++s->count > LOG_BURST) {
        if (s->silenced++ == 0) {
            s->lvl = lvl;
            s->first_len = l.len - at < SUMMARY_MAX ? l.len - at
                                                    : SUMMARY_MAX;
            memcpy(s->first, l.s + at, s->first_len);
        }
    } else {
        emit(&l);
    }
    pthread_mutex_unlock(&mu);
}

void log_msg(enum log_level lvl, const char *module, const char *fmt, ...)
{
    va_list ap;

    va_start(ap, fmt);
    log_v(lvl, module, false, fmt, ap);
    va_end(ap);
}

void log_audit(enum log_level lvl, const char *module, const char *fmt, ...)
{
    va_list ap;

    va_start(ap, fmt);
    log_v(lvl, module, true, fmt, ap);
    va_end(ap);
}

void log_flush(void)
{
    pthread_mutex_lock(&mu);
    sites_expire(now_ms(), true);
    pthread_mutex_unlock(&mu);
}
