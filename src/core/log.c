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

#define SUMMARY_MAX 512 /* the first silenced message kept for the summary */

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
    char first[SUMMARY_MAX]; /* the message (raw, not encoded) */
};

/* Everything below is guarded by mu: the table, the output fd and the
 * clock, and the write itself (so lines and summaries keep their order). */
static pthread_mutex_t mu = PTHREAD_MUTEX_INITIALIZER;
static struct site sites[LOG_SITES];
static int out_fd = 2;
static int64_t (*clock_ms)(void);

static const char *const level_names[] = {"error", "warning", "info", "debug"};
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

enum log_format log_get_format(void)
{
    int f = atomic_load(&log_format);

    if (f == LOG_FMT_AUTO) {
        const char *js = getenv("JOURNAL_STREAM");
        f = js != NULL && *js ? LOG_FMT_JOURNAL : LOG_FMT_LOGFMT;
        atomic_store(&log_format, f);
    }
    return (enum log_format)f;
}

enum err log_format_parse(const char *s, enum log_format *out)
{
    static const struct {
        const char *name;
        enum log_format f;
    } names[] = {{"auto", LOG_FMT_AUTO},
                 {"logfmt", LOG_FMT_LOGFMT},
                 {"plain", LOG_FMT_LOGFMT},
                 {"json", LOG_FMT_JSON},
                 {"journal", LOG_FMT_JOURNAL}};

    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++)
        if (strcmp(s, names[i].name) == 0) {
            *out = names[i].f;
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

int64_t log_now_ms(void)
{
    struct timespec ts;
    int64_t (*fn)(void) = clock_ms;

    if (fn != NULL)
        return fn();
    clock_gettime(CLOCK_REALTIME, &ts);
    return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* ---- line building ---------------------------------------------------- */

/* Kept free at the end of a line for what closes it: "...\"}" and the
 * newline. */
#define LINE_RESERVE 8

static const char *const level_short[] = {"error", "warn", "info", "debug"};

/* Append n bytes if they fit before the reserve; else mark the line cut
 * and append nothing. */
static bool put(struct log_line *l, const char *s, size_t n)
{
    if (l->cut || n > LOG_LINE_MAX - LINE_RESERVE - l->len) {
        l->cut = true;
        return false;
    }
    memcpy(l->s + l->len, s, n);
    l->len += n;
    return true;
}

/* The length of the valid UTF-8 sequence at s[0..n) (2 to 4 bytes: no
 * overlong form, no surrogate, at most U+10FFFF), or 0. */
static size_t utf8_seq(const unsigned char *s, size_t n)
{
    size_t len;
    uint32_t cp;

    if (s[0] >= 0xc2 && s[0] <= 0xdf) {
        len = 2;
        cp = s[0] & 0x1fu;
    } else if (s[0] >= 0xe0 && s[0] <= 0xef) {
        len = 3;
        cp = s[0] & 0x0fu;
    } else if (s[0] >= 0xf0 && s[0] <= 0xf4) {
        len = 4;
        cp = s[0] & 0x07u;
    } else {
        return 0;
    }
    if (len > n)
        return 0;
    for (size_t i = 1; i < len; i++) {
        if ((s[i] & 0xc0) != 0x80)
            return 0;
        cp = cp << 6 | (s[i] & 0x3fu);
    }
    if ((len == 3 && cp < 0x800) || (len == 4 && cp < 0x10000) ||
        (cp >= 0xd800 && cp <= 0xdfff) || cp > 0x10ffff)
        return 0;
    return len;
}

/* s[0..n) as the inside of a quoted string (log.h's encoding); false
 * once it was cut. */
static bool put_escaped(struct log_line *l, const char *s, size_t n)
{
    static const char hex[] = "0123456789abcdef";
    const unsigned char *u = (const unsigned char *)s;
    size_t i = 0;

    while (i < n) {
        unsigned char c = u[i];
        size_t run = 1;
        bool ok;
        if (c == '"' || c == '\\') {
            char e[2] = {'\\', (char)c};
            ok = put(l, e, 2);
        } else if (c == '\n' || c == '\r' || c == '\t') {
            char e[2] = {'\\', c == '\n' ? 'n' : c == '\r' ? 'r' : 't'};
            ok = put(l, e, 2);
        } else if (c < 0x20 || c == 0x7f) {
            char e[6] = {'\\', 'u', '0', '0', hex[c >> 4], hex[c & 15]};
            ok = put(l, e, 6);
        } else if (c < 0x80) {
            ok = put(l, s + i, 1);
        } else if ((run = utf8_seq(u + i, n - i)) > 0) {
            ok = put(l, s + i, run);
        } else {
            run = 1;
            ok = put(l, "\\ufffd", 6);
        }
        if (!ok)
            return false;
        i += run;
    }
    return true;
}

/* A logfmt value must be quoted (log.h). */
static bool needs_quotes(const char *s, size_t n)
{
    if (n == 0)
        return true;
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)s[i];
        if (c <= ' ' || c == '"' || c == '=' || c == '\\' || c >= 0x7f)
            return true;
    }
    return false;
}

void log_line_field(struct log_line *l, const char *key, const char *val,
                    size_t n)
{
    size_t klen = strlen(key);
    bool quoted = l->json || needs_quotes(val, n);

    if (l->cut)
        return;
    /* the key and its punctuation whole, or the field is left out */
    if (klen + 5 > LOG_LINE_MAX - LINE_RESERVE - l->len) {
        l->cut = true;
        return;
    }
    if (l->json) {
        put(l, l->nfields ? ",\"" : "\"", l->nfields ? 2 : 1);
        put(l, key, klen);
        put(l, "\":\"", 3);
    } else {
        if (l->nfields > 0)
            put(l, " ", 1);
        put(l, key, klen);
        put(l, quoted ? "=\"" : "=", quoted ? 2 : 1);
    }
    l->nfields++;
    if (!quoted) {
        if (!put(l, val, n)) { /* cut inside a bare value: as much as fits */
            size_t room = LOG_LINE_MAX - LINE_RESERVE - l->len;
            memcpy(l->s + l->len, val, room);
            l->len += room;
            memcpy(l->s + l->len, "...", 3);
            l->len += 3;
        }
        return;
    }
    if (put_escaped(l, val, n)) {
        put(l, "\"", 1);
        return;
    }
    memcpy(l->s + l->len, "...\"", 4); /* in the reserve */
    l->len += 4;
}

void log_line_number(struct log_line *l, const char *key, const char *num)
{
    size_t klen = strlen(key), n = strlen(num);

    if (l->cut)
        return;
    if (klen + n + 5 > LOG_LINE_MAX - LINE_RESERVE - l->len) {
        l->cut = true;
        return;
    }
    if (l->json) {
        put(l, l->nfields ? ",\"" : "\"", l->nfields ? 2 : 1);
        put(l, key, klen);
        put(l, "\":", 2);
    } else {
        if (l->nfields > 0)
            put(l, " ", 1);
        put(l, key, klen);
        put(l, "=", 1);
    }
    put(l, num, n);
    l->nfields++;
}

void log_line_str(struct log_line *l, const char *key, const char *val)
{
    if (val != NULL)
        log_line_field(l, key, val, strlen(val));
}

/* "2026-12-06T04:11:37.123Z" into out (25 bytes). */
static void format_ts(char out[32], int64_t ms)
{
    int64_t secs = ms / 1000, day = secs / 86400, sod = secs % 86400, y;
    unsigned mo, d;

    if (sod < 0) {
        sod += 86400;
        day--;
    }
    time_civil_from_days(day, &y, &mo, &d);
    snprintf(out, 32, "%04lld-%02u-%02uT%02d:%02d:%02d.%03dZ", (long long)y, mo,
             d, (int)(sod / 3600), (int)(sod / 60 % 60), (int)(sod % 60),
             (int)((ms % 1000 + 1000) % 1000));
}

void log_line_begin(struct log_line *l, enum log_format fmt, int64_t ms,
                    enum log_level lvl, const char *module)
{
    char ts[32];

    if (fmt == LOG_FMT_AUTO)
        fmt = log_get_format();
    if ((unsigned)lvl > LOG_LVL_DEBUG)
        lvl = LOG_LVL_DEBUG;
    l->len = 0;
    l->cut = false;
    l->nfields = 0;
    l->json = fmt == LOG_FMT_JSON;
    if (l->json) {
        put(l, "{", 1);
    } else if (fmt == LOG_FMT_JOURNAL) {
        char p[4] = {'<', (char)('0' + sd_prio[lvl]), '>', '\0'};
        put(l, p, 3);
    }
    if (fmt != LOG_FMT_JOURNAL) {
        format_ts(ts, ms);
        log_line_str(l, "ts", ts);
    }
    log_line_str(l, "level", level_short[lvl]);
    log_line_str(l, "module", module);
}

void log_line_end(struct log_line *l)
{
    if (l->json)
        l->s[l->len++] = '}';
    l->s[l->len++] = '\n';
}

/* Write s[0..n) to out_fd (mu held) in one write(2), retried only for the
 * part a signal or a full pipe left unwritten. */
static void emit(const char *s, size_t n)
{
    size_t off = 0;

    while (off < n) {
        ssize_t w = write(out_fd, s + off, n - off);
        if (w < 0 && errno == EINTR)
            continue;
        if (w <= 0)
            return;
        off += (size_t)w;
    }
}

void log_line_write(const struct log_line *l)
{
    pthread_mutex_lock(&mu);
    emit(l->s, l->len);
    pthread_mutex_unlock(&mu);
}

/* The message s[0..n) without its trailing newlines. */
static size_t trim(const char *s, size_t n)
{
    while (n > 0 && (s[n - 1] == '\n' || s[n - 1] == '\r'))
        n--;
    return n;
}

/* One event's line (mu held): msg, then the fields, then extra (the
 * summary's count, or NULL). */
static void write_event(int64_t ms, enum log_level lvl, const char *module,
                        const char *msg, size_t n,
                        const struct log_field *fields, size_t nf,
                        const struct log_field *extra)
{
    struct log_line l;

    log_line_begin(&l, LOG_FMT_AUTO, ms, lvl, module);
    log_line_field(&l, "msg", msg, trim(msg, n));
    for (size_t i = 0; i < nf; i++)
        log_line_str(&l, fields[i].key, fields[i].val);
    if (extra != NULL)
        log_line_str(&l, extra->key, extra->val);
    log_line_end(&l);
    emit(l.s, l.len);
}

/* The summary of a site with silenced lines; the slot is freed. */
static void site_close(struct site *s, int64_t ms)
{
    char msg[SUMMARY_MAX + 64], count[24];
    struct log_field extra = {"suppressed", count};
    int n;

    if (s->silenced > 0) {
        snprintf(count, sizeof count, "%u", s->silenced);
        n = snprintf(msg, sizeof msg,
                     "%u more like this in the last "
                     "minute: %.*s",
                     s->silenced, (int)s->first_len, s->first);
        if (n < 0)
            n = 0;
        write_event(ms, s->lvl, s->module, msg,
                    (size_t)n < sizeof msg ? (size_t)n : sizeof msg - 1, NULL,
                    0, &extra);
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
        if (s == NULL ||
            (s->module != NULL &&
             (sites[i].module == NULL || sites[i].start_ms < s->start_ms)))
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

/* One event: rate-limited by (module, site) unless audit. */
static void log_event(enum log_level lvl, const char *module, bool audit,
                      const char *site, const char *msg, size_t n,
                      const struct log_field *fields, size_t nf)
{
    struct site *s;

    pthread_mutex_lock(&mu);
    int64_t ms = log_now_ms();
    sites_expire(ms, false);
    s = audit ? NULL : site_get(module, site, ms);
    if (s != NULL && ++s->count > LOG_BURST) {
        if (s->silenced++ == 0) {
            s->lvl = lvl;
            n = trim(msg, n);
            s->first_len = n < SUMMARY_MAX ? n : SUMMARY_MAX;
            memcpy(s->first, msg, s->first_len);
        }
    } else {
        write_event(ms, lvl, module, msg, n, fields, nf, NULL);
    }
    pthread_mutex_unlock(&mu);
}

static void log_v(enum log_level lvl, const char *module, bool audit,
                  const char *fmt, va_list ap) PRINTF_LIKE(4, 0);

static void log_v(enum log_level lvl, const char *module, bool audit,
                  const char *fmt, va_list ap)
{
    char msg[LOG_LINE_MAX];
    int n;

    if ((int)lvl > atomic_load(&log_level) || (unsigned)lvl > LOG_LVL_DEBUG)
        return;
    n = vsnprintf(msg, sizeof msg, fmt, ap);
    if (n < 0)
        n = 0;
    log_event(lvl, module, audit, fmt, msg,
              (size_t)n < sizeof msg ? (size_t)n : sizeof msg - 1, NULL, 0);
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

void log_kv(enum log_level lvl, const char *module, const char *msg,
            const struct log_field *fields, size_t n)
{
    if ((int)lvl > atomic_load(&log_level) || (unsigned)lvl > LOG_LVL_DEBUG)
        return;
    log_event(lvl, module, false, msg, msg, strlen(msg), fields, n);
}

void log_flush(void)
{
    pthread_mutex_lock(&mu);
    sites_expire(log_now_ms(), true);
    pthread_mutex_unlock(&mu);
}
