/* Connection-level defence: deadlines, header-connection caps with
 * eviction of the oldest, a per-address cap with exempt peers, our own
 * 414/431/400 before libmicrohttpd's, and its log (see conn.h).
 *
 * Closing from outside libmicrohttpd: 0.9.75 has no call that closes a
 * connection (an access handler can only refuse a request once its
 * headers are complete), so a connection is cut with shutdown(fd,
 * SHUT_RDWR) on its socket; its epoll then reports it readable, recv()
 * returns 0 and libmicrohttpd closes and frees it itself. That is safe
 * only while the fd is still the connection's: the shutdown happens under
 * t->mu, and the CLOSED notification takes t->mu and removes the entry.
 * In 0.9.75 (src/microhttpd/daemon.c) every path that closes an accepted
 * connection's socket calls the notification first:
 * MHD_cleanup_connections() calls notify_connection(..CLOSED) and only
 * then MHD_socket_close_chk_(pos->socket_fd); internal_add_connection()'s
 * failure path likewise notifies CLOSED before closing (and
 * new_connection_close_() closes sockets that were never notified
 * STARTED, so never tracked here). So an fd in the table is open. */
#include <errno.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <netinet/in.h>

#define LOG_MODULE "http"
#include "core/alloc.h"
#include "core/buf.h"
#include "core/counters.h"
#include "core/log.h"
#include "http/conn.h"

enum conn_state {
    ST_HEADERS, /* waiting for (the rest of) a request's headers */
    ST_BODY,    /* headers done, body arriving */
    ST_ANSWER,  /* body complete: the answer is made and sent */
};

struct conn_ent {
    struct conn_ent *prev, *next;
    int fd;
    struct sockaddr_storage addr;
    bool exempt;  /* the per-address caps do not apply */
    bool closing; /* shut down by us; gone at CLOSED */
    /* Set by the connection's own thread without t->mu (no lock on the
     * request path), read by the others: atomics. */
    _Atomic int state;         /* enum conn_state */
    _Atomic int64_t since_us;  /* monotonic microseconds: state entered */
    _Atomic uint64_t body_bytes;
};

/* libmicrohttpd's messages: refusals are counted, others pass at most
 * CONN_LOG_BURST a minute; the rest are summarised once a minute. */
#define CONN_LOG_BURST 20
#define CONN_LOG_WINDOW_S 60.0

struct conn_table {
    struct conn_config cfg;
    pthread_mutex_t mu;
    pthread_cond_t cv;
    pthread_t reaper;
    bool stop;
    bool line_checks; /* libmicrohttpd is 0.9.75: see line_ends_ok */
    struct conn_ent *head; /* newest first */
    struct conn_stats stats;
    /* the log's minute: started at log_t0 */
    double log_t0;
    unsigned long log_refused, log_drops, log_passed, log_dropped;
};

void conn_config_defaults(struct conn_config *cfg)
{
    memset(cfg, 0, sizeof *cfg);
    cfg->header_timeout_s = 10;
    cfg->body_min_rate = 1024;
    cfg->body_grace_s = 5;
    cfg->max_header_conns = 64;
    cfg->per_ip_header_conns = 8;
    cfg->per_ip_conns = 32;
    cfg->max_uri = 8192;
    cfg->max_header_bytes = 32768;
}

static double now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static int64_t now_us(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000000 + ts.tv_nsec / 1000;
}

static bool same_host(const struct sockaddr *a, const struct sockaddr *b)
{
    if (a->sa_family != b->sa_family)
        return false;
    if (a->sa_family == AF_INET)
        return ((const struct sockaddr_in *)a)->sin_addr.s_addr ==
               ((const struct sockaddr_in *)b)->sin_addr.s_addr;
    if (a->sa_family == AF_INET6)
        return memcmp(&((const struct sockaddr_in6 *)a)->sin6_addr,
                      &((const struct sockaddr_in6 *)b)->sin6_addr,
                      sizeof(struct in6_addr)) == 0;
    return false;
}

static bool is_exempt(const struct conn_table *t, const struct sockaddr *sa)
{
    return t->cfg.exempt != NULL && t->cfg.exempt(sa, t->cfg.exempt_ud);
}

/* Cut e off (caller holds t->mu; e's fd is open, see the top comment). */
static void cut(struct conn_ent *e)
{
    if (e->closing)
        return;
    e->closing = true;
    if (shutdown(e->fd, SHUT_RDWR) != 0)
        LOG_DEBUG("shutdown of a connection: %s", strerror(errno));
}

/* A connection waiting for headers this long may be evicted. A busy
 * keep-alive client's connections spend most of their time between two
 * requests (waiting for headers, for microseconds each time): they must
 * not be evicted for it, and they are never that old there. */
#define EVICT_MIN_AGE_S 1.0

/* The oldest connection still sending headers (for EVICT_MIN_AGE_S at
 * least), of addr's host or of any when addr is NULL, other than skip;
 * *n counts all such connections (skip included). */
static struct conn_ent *oldest_in_headers(struct conn_table *t,
                                          const struct sockaddr *addr,
                                          const struct conn_ent *skip,
                                          unsigned *n)
{
    struct conn_ent *old = NULL;
    int64_t newest_ok = now_us() - (int64_t)(EVICT_MIN_AGE_S * 1e6);
    int64_t old_since = 0;
    *n = 0;
    for (struct conn_ent *e = t->head; e != NULL; e = e->next) {
        int64_t since = atomic_load(&e->since_us);
        if (e->closing || atomic_load(&e->state) != ST_HEADERS)
            continue;
        if (addr != NULL && !same_host(addr, (struct sockaddr *)&e->addr))
            continue;
        (*n)++;
        if (e != skip && since <= newest_ok &&
            (old == NULL || since <= old_since)) {
            old = e;
            old_since = since;
        }
    }
    return old;
}

/* A new connection e is sending headers: over a cap, the oldest other
 * such connection (of its address, then of all) goes. */
static void evict_over_caps(struct conn_table *t, struct conn_ent *e)
{
    struct conn_ent *old;
    unsigned n;

    if (!e->exempt) {
        old = oldest_in_headers(t, (struct sockaddr *)&e->addr, e, &n);
        if (n > t->cfg.per_ip_header_conns && old != NULL) {
            cut(old);
            t->stats.evicted++;
        }
    }
    old = oldest_in_headers(t, NULL, e, &n);
    if (n > t->cfg.max_header_conns && old != NULL) {
        cut(old);
        t->stats.evicted++;
    }
}

/* Connections of addr's host not being closed (caller holds t->mu). */
static unsigned count_host(const struct conn_table *t,
                           const struct sockaddr *addr)
{
    unsigned n = 0;
    for (const struct conn_ent *e = t->head; e != NULL; e = e->next)
        if (!e->closing && same_host(addr, (const struct sockaddr *)&e->addr))
            n++;
    return n;
}

/* Note a refused connection (caller holds t->mu). */
static void note_refused(struct conn_table *t, unsigned n)
{
    t->stats.refused++;
    t->log_refused++;
    LOG_DEBUG("refused a connection: %u from its address", n);
}

/* The fast path of the per-address cap, before libmicrohttpd sets the
 * connection up (it logs nothing for a refusal). Connections accepted by
 * other threads at once are tracked only later: track() makes it exact. */
enum MHD_Result conn_accept(void *cls, const struct sockaddr *addr,
                            socklen_t addrlen)
{
    struct conn_table *t = cls;
    enum MHD_Result ok = MHD_YES;
    unsigned n;
    (void)addrlen;

    if (is_exempt(t, addr))
        return MHD_YES;
    pthread_mutex_lock(&t->mu);
    n = count_host(t, addr);
    if (n >= t->cfg.per_ip_conns) {
        note_refused(t, n);
        ok = MHD_NO;
    }
    pthread_mutex_unlock(&t->mu);
    return ok;
}

static void track(struct conn_table *t, struct MHD_Connection *c,
                  void **socket_context)
{
    const union MHD_ConnectionInfo *fd, *ad;
    struct conn_ent *e;
    unsigned n;

    fd = MHD_get_connection_info(c, MHD_CONNECTION_INFO_CONNECTION_FD);
    ad = MHD_get_connection_info(c, MHD_CONNECTION_INFO_CLIENT_ADDRESS);
    if (fd == NULL || ad == NULL || ad->client_addr == NULL)
        return; /* untracked: only libmicrohttpd's own limits apply */
    e = xcalloc(1, sizeof *e);
    e->fd = fd->connect_fd;
    if (ad->client_addr->sa_family == AF_INET6)
        memcpy(&e->addr, ad->client_addr, sizeof(struct sockaddr_in6));
    else
        memcpy(&e->addr, ad->client_addr, sizeof(struct sockaddr_in));
    e->exempt = is_exempt(t, (struct sockaddr *)&e->addr);
    atomic_init(&e->state, ST_HEADERS);
    atomic_init(&e->since_us, now_us());
    atomic_init(&e->body_bytes, 0);
    pthread_mutex_lock(&t->mu);
    e->next = t->head;
    if (t->head != NULL)
        t->head->prev = e;
    t->head = e;
    n = e->exempt ? 0 : count_host(t, (struct sockaddr *)&e->addr);
    if (n > t->cfg.per_ip_conns) { /* passed conn_accept in a race */
        note_refused(t, n - 1);
        cut(e);
    } else {
        evict_over_caps(t, e);
    }
    pthread_mutex_unlock(&t->mu);
    *socket_context = e;
}

static void untrack(struct conn_table *t, void **socket_context)
{
    struct conn_ent *e = *socket_context;

    if (e == NULL)
        return;
    pthread_mutex_lock(&t->mu);
    if (e->prev != NULL)
        e->prev->next = e->next;
    else
        t->head = e->next;
    if (e->next != NULL)
        e->next->prev = e->prev;
    pthread_mutex_unlock(&t->mu);
    free(e);
    *socket_context = NULL;
}

void conn_notify(void *cls, struct MHD_Connection *c, void **socket_context,
                 enum MHD_ConnectionNotificationCode code)
{
    struct conn_table *t = cls;

    if (code == MHD_CONNECTION_NOTIFY_STARTED) {
        track(t, c, socket_context);
        counters_connection(1);
    } else if (code == MHD_CONNECTION_NOTIFY_CLOSED) {
        untrack(t, socket_context);
        counters_connection(-1);
    }
}

static struct conn_ent *ent_of(struct MHD_Connection *c)
{
    const union MHD_ConnectionInfo *i =
        MHD_get_connection_info(c, MHD_CONNECTION_INFO_SOCKET_CONTEXT);
    return i != NULL ? i->socket_context : NULL;
}

static void set_state(struct conn_ent *e, enum conn_state st)
{
    if (e == NULL)
        return;
    atomic_store(&e->body_bytes, 0);
    atomic_store(&e->since_us, now_us());
    atomic_store(&e->state, (int)st); /* last: the reaper reads it first */
}

static enum MHD_Result add_len(void *cls, enum MHD_ValueKind kind,
                               const char *key, const char *value)
{
    size_t *sum = cls;
    (void)kind;
    *sum += strlen(key) + 2 + (value != NULL ? strlen(value) : 0);
    return MHD_YES;
}

static enum MHD_Result find_bad_name(void *cls, enum MHD_ValueKind kind,
                                     const char *key, const char *value)
{
    bool *bad = cls;
    (void)kind;
    (void)value;
    if (key[0] == '\0' || strpbrk(key, " \t") != NULL) {
        *bad = true;
        return MHD_NO;
    }
    return MHD_YES;
}

/* Bare LF line ends and obs-fold continuation lines, which libmicrohttpd
 * 0.9.75 accepts without a word (connection.c get_next_header_line():
 * "TODO: Add MHD option to disallow" bare LF; process_broken_line()
 * joins a folded line to the previous value). 0.9.75 parses the header
 * section in place: the version, each name and each value are strings in
 * its read buffer where every CR and LF of a line end became a NUL, so
 * after a CRLF line the next name starts exactly 2 bytes after the end
 * of the previous value (or of the version); after a bare LF, 1 byte; a
 * folded header was moved elsewhere in the pool. Only addresses are
 * compared, no byte is read. Another libmicrohttpd version may lay its
 * buffer out otherwise, so the check runs with 0.9.75 only. */
struct line_walk {
    uintptr_t prev_end;
    bool bad;
};

static enum MHD_Result walk_line(void *cls, enum MHD_ValueKind kind,
                                 const char *key, const char *value)
{
    struct line_walk *w = cls;
    (void)kind;
    if ((uintptr_t)key - w->prev_end != 2 || value == NULL) {
        w->bad = true;
        return MHD_NO;
    }
    w->prev_end = (uintptr_t)value + strlen(value);
    return MHD_YES;
}

static bool line_ends_ok(const struct conn_table *t, struct MHD_Connection *c,
                         const char *version)
{
    struct line_walk w = {0, false};

    if (!t->line_checks || version == NULL || version[0] == '\0')
        return true;
    w.prev_end = (uintptr_t)version + strlen(version);
    MHD_get_connection_values(c, MHD_HEADER_KIND, walk_line, &w);
    return !w.bad;
}

/* Does the request announce a body (Content-Length > 0 or chunked)? */
static bool has_body(struct MHD_Connection *c)
{
    const char *cl = MHD_lookup_connection_value(c, MHD_HEADER_KIND,
                                                 "Content-Length");
    if (MHD_lookup_connection_value(c, MHD_HEADER_KIND,
                                    "Transfer-Encoding") != NULL)
        return true;
    return cl != NULL && strspn(cl, "0") != strlen(cl);
}

unsigned conn_headers_done(struct conn_table *t, struct MHD_Connection *c,
                           const char *url, const char *version,
                           const char **why)
{
    const union MHD_ConnectionInfo *hs =
        MHD_get_connection_info(c, MHD_CONNECTION_INFO_REQUEST_HEADER_SIZE);
    size_t uri = strlen(url);
    bool bad = false;

    MHD_get_connection_values(c, MHD_GET_ARGUMENT_KIND, add_len, &uri);
    set_state(ent_of(c), has_body(c) ? ST_BODY : ST_ANSWER);
    if (strpbrk(url, " \t") != NULL) { /* libmicrohttpd took "GET /a b" */
        *why = "white space in the request URI";
        return 400;
    }
    if (uri > t->cfg.max_uri) {
        *why = "the request URI is too long";
        return 414;
    }
    if (hs != NULL && hs->header_size > t->cfg.max_header_bytes) {
        *why = "the request headers are too large";
        return 431;
    }
    /* libmicrohttpd keeps "Name :" as the name "Name " (no error). */
    MHD_get_connection_values(c, MHD_HEADER_KIND, find_bad_name, &bad);
    if (bad) {
        *why = "a header name is empty or has white space before the colon";
        return 400;
    }
    if (!line_ends_ok(t, c, version)) {
        *why = "header lines must end in CRLF and not be folded";
        return 400;
    }
    *why = NULL;
    return 0;
}

void conn_body(struct conn_table *t, struct MHD_Connection *c, size_t n)
{
    struct conn_ent *e = ent_of(c);
    (void)t; /* no lock: the entry's fields are atomics */

    if (e == NULL)
        return;
    if (n == 0) {
        set_state(e, ST_ANSWER);
        return;
    }
    atomic_fetch_add(&e->body_bytes, (uint64_t)n);
}

void conn_request_done(struct conn_table *t, struct MHD_Connection *c)
{
    (void)t;
    set_state(ent_of(c), ST_HEADERS);
}

void conn_stats(struct conn_table *t, struct conn_stats *out)
{
    pthread_mutex_lock(&t->mu);
    *out = t->stats;
    pthread_mutex_unlock(&t->mu);
}

/* libmicrohttpd's messages about refused connections (its limits, our
 * accept policy): expected under load, one per connection. */
static bool is_refusal(const char *msg)
{
    return strstr(msg, "limit") != NULL ||
           strstr(msg, "inbound connection") != NULL;
}

/* Its messages about a connection closed while reading a request (by the
 * client, or by us: a deadline, an eviction): one per connection. */
static bool is_drop(const char *msg)
{
    return strstr(msg, "closure") != NULL ||
           strstr(msg, "closed when") != NULL ||
           strstr(msg, "reset by peer") != NULL;
}

/* The minute's summary, if a minute passed (caller holds t->mu). */
static void log_summary(struct conn_table *t, double now)
{
    if (now - t->log_t0 < CONN_LOG_WINDOW_S)
        return;
    if (t->log_refused > 0)
        LOG_WARN("refused %lu connections in the last minute: limit %u per "
                 "address, or the server's",
                 t->log_refused, t->cfg.per_ip_conns);
    if (t->log_drops > 0)
        LOG_INFO("%lu connections closed while sending a request in the "
                 "last minute (%lu by the header deadline, %lu by the body "
                 "rate, %lu evicted over a header cap, in all)",
                 t->log_drops, t->stats.header_timeouts, t->stats.slow_bodies,
                 t->stats.evicted);
    if (t->log_dropped > 0)
        LOG_WARN("libmicrohttpd: %lu more messages in the last minute",
                 t->log_dropped);
    t->log_t0 = now;
    t->log_refused = t->log_passed = t->log_dropped = t->log_drops = 0;
}

void conn_mhd_log(void *cls, const char *fmt, va_list ap)
{
    struct conn_table *t = cls;
    struct buf b;
    bool pass = false;
    size_t n;

    buf_init(&b, 1024);
    buf_vcatf(&b, fmt, ap);
    n = b.len;
    while (n > 0 && (b.data[n - 1] == '\n' || b.data[n - 1] == '\r'))
        b.data[--n] = '\0'; /* one line: no blank line after it */
    b.len = n;
    pthread_mutex_lock(&t->mu);
    log_summary(t, now_s());
    if (is_refusal(buf_cstr(&b)))
        t->log_refused++;
    else if (is_drop(buf_cstr(&b)))
        t->log_drops++;
    else if (t->log_passed < CONN_LOG_BURST) {
        t->log_passed++;
        pass = true;
    } else
        t->log_dropped++;
    pthread_mutex_unlock(&t->mu);
    if (pass)
        LOG_WARN("libmicrohttpd: %s", buf_cstr(&b));
    else
        LOG_DEBUG("libmicrohttpd: %s", buf_cstr(&b));
    buf_free(&b);
}

/* Is e past its deadline at now? (caller holds t->mu) */
static bool overdue(const struct conn_table *t, struct conn_ent *e,
                    int64_t now)
{
    int st = atomic_load(&e->state);
    double age = (double)(now - atomic_load(&e->since_us)) / 1e6;

    if (st == ST_HEADERS)
        return age > (double)t->cfg.header_timeout_s;
    if (st == ST_BODY && age > (double)t->cfg.body_grace_s)
        return (double)atomic_load(&e->body_bytes) <
               (double)t->cfg.body_min_rate * (age - t->cfg.body_grace_s);
    return false;
}

static void reap(struct conn_table *t, int64_t now)
{
    for (struct conn_ent *e = t->head; e != NULL; e = e->next) {
        if (e->closing || !overdue(t, e, now))
            continue;
        if (atomic_load(&e->state) == ST_HEADERS)
            t->stats.header_timeouts++;
        else
            t->stats.slow_bodies++;
        cut(e);
    }
}

static void *reaper_main(void *arg)
{
    struct conn_table *t = arg;
    struct timespec until;

    pthread_mutex_lock(&t->mu);
    while (!t->stop) {
        clock_gettime(CLOCK_MONOTONIC, &until);
        until.tv_nsec += 250 * 1000 * 1000; /* four rounds a second */
        if (until.tv_nsec >= 1000 * 1000 * 1000) {
            until.tv_sec++;
            until.tv_nsec -= 1000 * 1000 * 1000;
        }
        pthread_cond_timedwait(&t->cv, &t->mu, &until);
        if (t->stop)
            break;
        reap(t, now_us());
        log_summary(t, now_s());
    }
    pthread_mutex_unlock(&t->mu);
    return NULL;
}

struct conn_table *conn_table_create(const struct conn_config *cfg)
{
    struct conn_table *t = xcalloc(1, sizeof *t);
    pthread_condattr_t ca;

    t->cfg = *cfg;
    t->log_t0 = now_s();
    t->line_checks = strcmp(MHD_get_version(), "0.9.75") == 0;
    pthread_mutex_init(&t->mu, NULL);
    pthread_condattr_init(&ca);
    pthread_condattr_setclock(&ca, CLOCK_MONOTONIC);
    pthread_cond_init(&t->cv, &ca);
    pthread_condattr_destroy(&ca);
    if (pthread_create(&t->reaper, NULL, reaper_main, t) != 0) {
        pthread_cond_destroy(&t->cv);
        pthread_mutex_destroy(&t->mu);
        free(t);
        return NULL;
    }
    return t;
}

void conn_table_destroy(struct conn_table *t)
{
    if (t == NULL)
        return;
    pthread_mutex_lock(&t->mu);
    t->stop = true;
    pthread_cond_signal(&t->cv);
    pthread_mutex_unlock(&t->mu);
    pthread_join(t->reaper, NULL);
    pthread_mutex_lock(&t->mu);
    log_summary(t, t->log_t0 + CONN_LOG_WINDOW_S);
    while (t->head != NULL) { /* none after MHD_stop_daemon; be safe */
        struct conn_ent *e = t->head;
        t->head = e->next;
        free(e);
    }
    pthread_mutex_unlock(&t->mu);
    pthread_cond_destroy(&t->cv);
    pthread_mutex_destroy(&t->mu);
    free(t);
}
