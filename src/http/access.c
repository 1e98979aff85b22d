/* The access log (access.h). */
#include "http/access.h"

#include <errno.h>
#include <fcntl.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core/alloc.h"

/* Query keys whose values are written as they are: the dashboard's own
 * harmless arguments. */
static const char *const keep_keys[] = {
    "platform", "account", "range", "zone",   "sort",    "order", "at",
    "after",    "before",  "from",  "to",     "days",    "limit", "offset",
    "page",     "metric",  "kind",  "format", "dry_run", "again", "observed_at",
    "status",   "role",    "error", NULL};
/* Keys written with their value hidden ("code=*"): worth seeing, never
 * their value. Any other key is written as "*" whole. */
static const char *const secret_keys[] = {"code",
                                          "state",
                                          "token",
                                          "access_token",
                                          "refresh_token",
                                          "id_token",
                                          "password",
                                          "client_secret",
                                          "secret",
                                          "key",
                                          "sig",
                                          "signature",
                                          "csrf",
                                          "session",
                                          "q",
                                          "name",
                                          "error_description",
                                          NULL};

/* The log: off (fd -1, not stream), the log's stream, or fd on path. */
static _Atomic int log_fd = -1;
static bool to_stream;
static char *log_path;

static bool in(const char *const *list, const char *key)
{
    for (; *list != NULL; list++)
        if (strcmp(*list, key) == 0)
            return true;
    return false;
}

void access_query_init(struct access_query *q)
{
    q->len = 0;
    q->cut = false;
    q->s[0] = '\0';
}

static void q_put(struct access_query *q, const char *s, size_t n)
{
    if (q->cut)
        return;
    if (n > sizeof q->s - 4 - q->len) { /* room for "..." and NUL */
        memcpy(q->s + q->len, "...", 4);
        q->len += 3;
        q->cut = true;
        return;
    }
    memcpy(q->s + q->len, s, n);
    q->len += n;
    q->s[q->len] = '\0';
}

void access_query_add(struct access_query *q, const char *key, const char *val)
{
    if (q->len > 0)
        q_put(q, "&", 1);
    if (in(keep_keys, key)) {
        q_put(q, key, strlen(key));
        if (val != NULL) {
            q_put(q, "=", 1);
            q_put(q, val, strlen(val));
        }
    } else if (in(secret_keys, key)) {
        q_put(q, key, strlen(key));
        q_put(q, "=*", 2);
    } else {
        q_put(q, "*", 1);
    }
}

enum err access_log_open(const char *where, struct buf *err)
{
    int fd;

    access_log_close();
    if (where == NULL || *where == '\0')
        return ERR_OK;
    if (strcmp(where, "-") == 0) {
        to_stream = true;
        return ERR_OK;
    }
    fd =
        open(where, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC | O_NOCTTY, 0640);
    if (fd < 0) {
        buf_setf(err, "serve.access_log: cannot open %s: %s", where,
                 strerror(errno));
        return ERR_IO;
    }
    log_path = xstrdup(where);
    atomic_store(&log_fd, fd);
    return ERR_OK;
}

enum err access_log_reopen(struct buf *err)
{
    int fd, old = atomic_load(&log_fd);

    if (log_path == NULL || old < 0)
        return ERR_OK;
    fd = open(log_path, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC | O_NOCTTY,
              0640);
    if (fd < 0) {
        buf_setf(err,
                 "serve.access_log: cannot open %s again: %s (still "
                 "writing to the old file)",
                 log_path, strerror(errno));
        return ERR_IO;
    }
    /* dup2 swaps the file behind old at once: a write in flight goes to
     * one file or the other, and old stays a valid descriptor. */
    if (dup2(fd, old) < 0) {
        buf_setf(err, "serve.access_log: dup2: %s", strerror(errno));
        close(fd);
        return ERR_IO;
    }
    close(fd);
    return ERR_OK;
}

void access_log_close(void)
{
    int fd = atomic_exchange(&log_fd, -1);

    if (fd >= 0)
        close(fd);
    free(log_path);
    log_path = NULL;
    to_stream = false;
}

bool access_log_enabled(void)
{
    return to_stream || atomic_load(&log_fd) >= 0;
}

void access_log_line(struct log_line *l, enum log_format fmt,
                     const struct access_entry *e)
{
    char num[32];
    size_t ua_len;

    log_line_begin(l, fmt, e->ts_ms, LOG_LVL_INFO, "access");
    log_line_str(l, "peer", e->peer);
    log_line_str(l, "method", e->method);
    if (e->path != NULL && strncmp(e->path, "/m/", 3) == 0)
        log_line_str(l, "path", "/m/*"); /* the link is a capability */
    else
        log_line_str(l, "path", e->path);
    if (e->query != NULL && *e->query != '\0')
        log_line_str(l, "query", e->query);
    snprintf(num, sizeof num, "%u", e->status);
    log_line_number(l, "status", num);
    snprintf(num, sizeof num, "%llu", (unsigned long long)e->bytes);
    log_line_number(l, "bytes", num);
    snprintf(num, sizeof num, "%lld.%03lld", (long long)(e->dur_us / 1000),
             (long long)(e->dur_us % 1000));
    log_line_number(l, "ms", num);
    log_line_str(l, "user", e->user);
    log_line_str(l, "token", e->token);
    if (e->ua != NULL) {
        ua_len = strnlen(e->ua, ACCESS_UA_MAX);
        log_line_field(l, "ua", e->ua, ua_len);
    }
    log_line_end(l);
}

void access_log_write(const struct access_entry *e)
{
    struct log_line l;
    enum log_format fmt = log_get_format();
    int fd = atomic_load(&log_fd);
    size_t off = 0;

    if (to_stream) {
        access_log_line(&l, fmt, e);
        log_line_write(&l);
        return;
    }
    if (fd < 0)
        return;
    /* a file has no journal to stamp its lines */
    access_log_line(&l, fmt == LOG_FMT_JSON ? LOG_FMT_JSON : LOG_FMT_LOGFMT, e);
    while (off < l.len) {
        ssize_t n = write(fd, l.s + off, l.len - off);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            return;
        off += (size_t)n;
    }
}
