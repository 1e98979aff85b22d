/* The access log (serve.access_log): one line per finished request, in
 * the log's format (logfmt or JSON; core/log.h), with one write(2) per
 * line and no lock held while writing to a file.
 *
 *   ts=... level=info module=access peer=203.0.113.7 method=GET
 *   path=/api/v1/series query="platform=youtube&code=*" status=200
 *   bytes=5120 ms=3.214 user=alice token=ci ua="curl/7.88.1"
 *
 * What is never written: a query value other than those of a short list
 * of harmless keys (platform, account, range, ...): the value of a known
 * secret key (code, state, token, password, ...) is written "*", any
 * other key with its value is one "*"; the token of a public media link
 * (/m/<token> is written "/m/" and a star); headers other than the
 * User-Agent (cut at ACCESS_UA_MAX bytes); request and response bodies. */
#ifndef MEDIADASH_HTTP_ACCESS_H
#define MEDIADASH_HTTP_ACCESS_H

#include <stdbool.h>
#include <stdint.h>

#include "core/buf.h"
#include "core/err.h"
#include "core/log.h"

#define ACCESS_QUERY_MAX 512 /* the redacted query; longer ends in "..." */
#define ACCESS_UA_MAX 256

/* One finished request. Strings are borrowed for the call; NULL: the
 * field is left out. */
struct access_entry {
    int64_t ts_ms;    /* when it finished, ms since the epoch */
    const char *peer; /* the client (http_client_addr) */
    const char *method, *path;
    const char *query; /* redacted (access_query_add), or NULL */
    unsigned status;   /* 0: no response was sent */
    uint64_t bytes;    /* response body bytes */
    int64_t dur_us;    /* first header to the last byte sent */
    const char *user;  /* the session's user name */
    const char *token; /* the API token's name */
    const char *ua;    /* User-Agent */
};

/* A query string being redacted (above), built key by key. */
struct access_query {
    char s[ACCESS_QUERY_MAX];
    size_t len;
    bool cut;
};
void access_query_init(struct access_query *q);
/* Add one argument (val NULL: a key without "="). */
void access_query_add(struct access_query *q, const char *key, const char *val);

/* Open the access log: NULL or "" off, "-" the log's own stream (stderr
 * or the journal), else a file opened O_APPEND|O_CLOEXEC, created 0640.
 * Process-wide (like the log); not thread-safe against access_log_write:
 * call before serving. */
enum err access_log_open(const char *where, struct buf *err) WARN_UNUSED;
/* Open the file again (after logrotate moved it; on SIGHUP): lines
 * written meanwhile go to the old or the new file, none is lost. ERR_OK
 * and nothing done when the log is off or "-". */
enum err access_log_reopen(struct buf *err) WARN_UNUSED;
void access_log_close(void);
bool access_log_enabled(void);

/* The line of e in fmt (LOG_FMT_JOURNAL: with the priority prefix, no
 * ts), ended. */
void access_log_line(struct log_line *l, enum log_format fmt,
                     const struct access_entry *e);
/* Write e's line (nothing when the log is off). */
void access_log_write(const struct access_entry *e);

#endif
