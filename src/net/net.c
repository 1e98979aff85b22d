/* Outbound HTTP client: libcurl easy handle, caps, retries, rate limits. */
#define LOG_MODULE "net"
#include "net/net.h"

#include <curl/curl.h>
#include <errno.h>
#include <pthread.h>
#include <sodium.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "core/alloc.h"
#include "core/log.h"
#include "core/str.h"
#include "core/timeutil.h"

#define NET_UA_DEFAULT "mediadash/0.1"

struct net_client {
    CURL *curl;
    struct net_config cfg;
    char *user_agent;
    char curl_err[CURL_ERROR_SIZE];
};

/* ---- clock ------------------------------------------------------------ */

static int64_t clock_wall_ms(const struct net_clock *k)
{
    struct timespec ts;
    if (k->wall_ms != NULL)
        return k->wall_ms(k->ud);
    clock_gettime(CLOCK_REALTIME, &ts);
    return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static int64_t clock_mono_ms(const struct net_clock *k)
{
    if (k->mono_ms != NULL)
        return k->mono_ms(k->ud);
    return time_mono_ms();
}

static bool cancelled(const struct net_config *cfg)
{
    return cfg->cancel != NULL && atomic_load(cfg->cancel);
}

/* Sleep ms in slices of at most 100 ms, ending early when cancelled. */
static void clock_sleep_ms(const struct net_config *cfg, int64_t ms)
{
    const struct net_clock *k = &cfg->clock;
    struct timespec ts;
    if (k->sleep_ms != NULL) { /* even for 0: tests count the retries */
        k->sleep_ms(k->ud, ms > 0 ? ms : 0);
        return;
    }
    while (ms > 0 && !cancelled(cfg)) {
        int64_t slice = ms < 100 ? ms : 100;
        ts.tv_sec = 0;
        ts.tv_nsec = (long)slice * 1000000L;
        while (nanosleep(&ts, &ts) != 0 && errno == EINTR)
            ;
        ms -= slice;
    }
}

void net_client_sleep_ms(struct net_client *c, int64_t ms)
{
    clock_sleep_ms(&c->cfg, ms);
}

/* libcurl's progress callback: non-zero aborts the transfer. */
static int on_progress(void *ud, curl_off_t dltotal, curl_off_t dlnow,
                       curl_off_t ultotal, curl_off_t ulnow)
{
    (void)dltotal;
    (void)dlnow;
    (void)ultotal;
    (void)ulnow;
    return cancelled(ud) ? 1 : 0;
}

/* ---- configuration ---------------------------------------------------- */

void net_config_defaults(struct net_config *cfg)
{
    memset(cfg, 0, sizeof(*cfg));
    cfg->connect_timeout_ms = 10000;
    cfg->timeout_ms = 30000;
    cfg->low_speed_bytes = 1;
    cfg->low_speed_time_s = 10;
    cfg->max_body = NET_MAX_BODY_DEFAULT;
    cfg->max_retries = 3;
    cfg->backoff_base_ms = 500;
    cfg->backoff_cap_ms = 30000;
    cfg->retry_after_max_s = 60;
}

enum err net_global_init(void)
{
    if (curl_global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK)
        return ERR_IO;
    if (sodium_init() < 0)
        return ERR_IO;
    return ERR_OK;
}

void net_global_cleanup(void)
{
    curl_global_cleanup();
}

static enum err config_check(const struct net_config *cfg, struct buf *err)
{
    const char *bad = NULL;
    if (cfg->connect_timeout_ms < 1 || cfg->connect_timeout_ms > 600000)
        bad = "connect timeout (1 ms to 600 s)";
    else if (cfg->timeout_ms < 1 || cfg->timeout_ms > 3600000)
        bad = "total timeout (1 ms to 3600 s)";
    else if (cfg->low_speed_bytes < 0 || cfg->low_speed_time_s < 0)
        bad = "low-speed limit";
    else if (cfg->max_body < 1 || cfg->max_body > ((size_t)1 << 30))
        bad = "body cap (1 B to 1 GiB)";
    else if (cfg->max_retries > 20)
        bad = "retries (at most 20)";
    else if (cfg->backoff_base_ms < 0 || cfg->backoff_cap_ms < 0 ||
             cfg->backoff_cap_ms > 3600000)
        bad = "backoff (0 to 3600 s)";
    else if (cfg->retry_after_max_s < 0 || cfg->retry_after_max_s > 86400)
        bad = "Retry-After maximum (0 to 86400 s)";
    if (bad == NULL)
        return ERR_OK;
    buf_setf(err, "net: invalid %s", bad);
    return ERR_INVALID;
}

enum err net_client_create(const struct net_config *cfg,
                           struct net_client **out, struct buf *err)
{
    struct net_client *c = NULL;
    enum err rc = config_check(cfg, err);

    if (rc != ERR_OK)
        goto out;
    if (sodium_init() < 0) { /* idempotent; jitter needs it */
        buf_setf(err, "net: libsodium failed to initialise");
        rc = ERR_IO;
        goto out;
    }
    c = xcalloc(1, sizeof(*c));
    c->cfg = *cfg;
    c->user_agent = xstrdup(cfg->user_agent != NULL ? cfg->user_agent
                                                    : NET_UA_DEFAULT);
    c->cfg.user_agent = c->user_agent;
    c->curl = curl_easy_init();
    if (c->curl == NULL) {
        buf_setf(err, "net: libcurl could not make a handle");
        rc = ERR_IO;
        goto out;
    }
    *out = c;
    c = NULL;
out:
    net_client_destroy(c);
    return rc;
}

void net_client_destroy(struct net_client *c)
{
    if (c == NULL)
        return;
    if (c->curl != NULL)
        curl_easy_cleanup(c->curl);
    free(c->user_agent);
    free(c);
}

/* ---- rate limiting ---------------------------------------------------- */

struct net_ratelimit {
    pthread_mutex_t mu;
    struct net_clock clock;
    double per_ms;   /* tokens added per ms */
    double burst;    /* bucket size */
    double tokens;   /* may go negative: reservations not yet due */
    int64_t last_ms; /* when tokens was last brought up to date */
};

struct net_ratelimit *net_ratelimit_create(unsigned count, int64_t period_ms,
                                           unsigned burst,
                                           const struct net_clock *clock)
{
    struct net_ratelimit *rl;

    if (count == 0 || period_ms <= 0)
        return NULL;
    rl = xcalloc(1, sizeof(*rl));
    if (clock != NULL)
        rl->clock = *clock;
    pthread_mutex_init(&rl->mu, NULL);
    rl->per_ms = (double)count / (double)period_ms;
    rl->burst = burst != 0 ? burst : count;
    rl->tokens = rl->burst;
    rl->last_ms = clock_mono_ms(&rl->clock);
    return rl;
}

void net_ratelimit_destroy(struct net_ratelimit *rl)
{
    if (rl == NULL)
        return;
    pthread_mutex_destroy(&rl->mu);
    free(rl);
}

int64_t net_ratelimit_reserve(struct net_ratelimit *rl)
{
    int64_t now, wait = 0;

    pthread_mutex_lock(&rl->mu);
    now = clock_mono_ms(&rl->clock);
    if (now > rl->last_ms) {
        rl->tokens += (double)(now - rl->last_ms) * rl->per_ms;
        if (rl->tokens > rl->burst)
            rl->tokens = rl->burst;
        rl->last_ms = now;
    }
    rl->tokens -= 1.0;
    if (rl->tokens < 0) {
        double ms = -rl->tokens / rl->per_ms;
        wait = (int64_t)ms;
        if ((double)wait < ms)
            wait++; /* round up: never early */
    }
    pthread_mutex_unlock(&rl->mu);
    return wait;
}

/* ---- helpers ---------------------------------------------------------- */

enum err net_url_redact(const char *url, struct buf *out)
{
    const char *scheme_end = strstr(url, "://");
    const char *host = scheme_end != NULL ? scheme_end + 3 : url;
    size_t end = strcspn(url, "?#");
    size_t auth_end = strcspn(host, "/?#");
    const char *at = memchr(host, '@', auth_end);
    enum err rc;

    if (at == NULL || host > url + end) {
        rc = buf_append(out, url, end);
        goto out;
    }
    rc = buf_append(out, url, (size_t)(host - url));
    if (rc == ERR_OK)
        rc = buf_append(out, at + 1, (size_t)(url + end - (at + 1)));
out:
    return rc;
}

static enum err cat_encoded(struct buf *b, const char *s)
{
    static const char hex[] = "0123456789ABCDEF";
    enum err rc = ERR_OK;
    char esc[3] = {'%', 0, 0};

    for (; *s != '\0' && rc == ERR_OK; s++) {
        unsigned char ch = (unsigned char)*s;
        if ((ch >= 'A' && ch <= 'Z') || (ch >= 'a' && ch <= 'z') ||
            (ch >= '0' && ch <= '9') || ch == '-' || ch == '.' || ch == '_' ||
            ch == '~') {
            rc = buf_putc(b, (char)ch);
            continue;
        }
        esc[1] = hex[ch >> 4];
        esc[2] = hex[ch & 15];
        rc = buf_append(b, esc, 3);
    }
    return rc;
}

static enum err add_pair(struct buf *b, const char *sep, const char *name,
                         const char *value)
{
    size_t len = b->len;
    enum err rc = buf_puts(b, sep);

    if (rc == ERR_OK)
        rc = cat_encoded(b, name);
    if (rc == ERR_OK)
        rc = buf_putc(b, '=');
    if (rc == ERR_OK)
        rc = cat_encoded(b, value);
    if (rc != ERR_OK) { /* leave b as it was */
        b->len = len;
        if (b->data != NULL)
            b->data[len] = '\0';
    }
    return rc;
}

enum err net_url_add_param(struct buf *url, const char *name,
                           const char *value)
{
    const char *sep = strchr(buf_cstr(url), '?') == NULL ? "?" : "&";
    return add_pair(url, sep, name, value);
}

enum err net_form_add(struct buf *form, const char *name, const char *value)
{
    return add_pair(form, form->len == 0 ? "" : "&", name, value);
}

enum err net_parse_retry_after(const char *value, int64_t now_s,
                               int64_t *out)
{
    size_t n;
    time_t t;

    while (*value == ' ' || *value == '\t')
        value++;
    n = strlen(value);
    while (n > 0 && (value[n - 1] == ' ' || value[n - 1] == '\t'))
        n--;
    if (n == 0 || n > 64)
        return ERR_PARSE;
    if (value[0] >= '0' && value[0] <= '9')
        return parse_i64n(value, n, 0, 100LL * 365 * 86400, out);
    /* An HTTP-date: IMF-fixdate (or the obsolete forms curl also reads). */
    t = curl_getdate(value, NULL);
    if (t == (time_t)-1)
        return ERR_PARSE;
    *out = (int64_t)t > now_s ? (int64_t)t - now_s : 0;
    return ERR_OK;
}

int64_t net_backoff_bound(int64_t base_ms, int64_t cap_ms, unsigned k)
{
    int64_t b = base_ms;
    unsigned i;

    for (i = 0; i < k && b < cap_ms; i++)
        b *= 2;
    return b < cap_ms ? b : cap_ms;
}

/* Uniform in [0, bound] from libsodium (full jitter). */
static int64_t jitter_ms(int64_t bound)
{
    if (bound <= 0)
        return 0;
    if (bound >= (int64_t)UINT32_MAX)
        bound = (int64_t)UINT32_MAX - 1;
    return (int64_t)randombytes_uniform((uint32_t)bound + 1);
}

void net_resp_init(struct net_resp *r)
{
    size_t i;
    memset(r, 0, sizeof(*r));
    buf_init(&r->body, NET_MAX_BODY_DEFAULT);
    for (i = 0; i < NET_HDR_COUNT; i++)
        buf_init(&r->hdr[i], NET_MAX_HEADER_VALUE);
}

void net_resp_free(struct net_resp *r)
{
    size_t i;
    if (r == NULL)
        return;
    buf_free(&r->body);
    for (i = 0; i < NET_HDR_COUNT; i++)
        buf_free(&r->hdr[i]);
}

const char *net_resp_header(const struct net_resp *r, enum net_hdr h)
{
    if ((int)h < 0 || h >= NET_HDR_COUNT)
        return "";
    return buf_cstr(&r->hdr[h]);
}

static void resp_reset(struct net_resp *r, size_t max_body)
{
    size_t i;
    buf_reset(&r->body);
    r->body.max = max_body;
    for (i = 0; i < NET_HDR_COUNT; i++)
        buf_reset(&r->hdr[i]);
    r->status = 0;
}

/* ---- one attempt ------------------------------------------------------ */

struct attempt {
    struct net_resp *resp;
    bool toobig;       /* the write callback hit the cap */
    CURLcode cc;
    int64_t elapsed_ms;
};

static size_t on_body(char *ptr, size_t size, size_t nmemb, void *ud)
{
    struct attempt *a = ud;
    size_t n = size * nmemb;

    if (buf_append(&a->resp->body, ptr, n) != ERR_OK) {
        a->toobig = true;
        return 0; /* aborts the transfer: we never read past the cap */
    }
    return n;
}

static const char *const kept_headers[NET_HDR_COUNT] = {
    "Retry-After", "Content-Type", "X-App-Usage",
    "X-Business-Use-Case-Usage", "Location", "Range",
    "Ratelimit-Remaining", "Ratelimit-Reset",
};

static size_t on_header(char *line, size_t size, size_t nitems, void *ud)
{
    struct attempt *a = ud;
    size_t n = size * nitems, i, name_len, vlen;
    const char *colon = memchr(line, ':', n), *v;

    if (n >= 5 && memcmp(line, "HTTP/", 5) == 0) {
        resp_reset(a->resp, a->resp->body.max); /* a new response begins */
        return n;
    }
    if (colon == NULL)
        return n;
    name_len = (size_t)(colon - line);
    v = colon + 1;
    vlen = n - name_len - 1;
    while (vlen > 0 && (*v == ' ' || *v == '\t'))
        v++, vlen--;
    while (vlen > 0 && (v[vlen - 1] == '\r' || v[vlen - 1] == '\n' ||
                        v[vlen - 1] == ' ' || v[vlen - 1] == '\t'))
        vlen--;
    for (i = 0; i < NET_HDR_COUNT; i++) {
        if (strlen(kept_headers[i]) != name_len ||
            strncasecmp(line, kept_headers[i], name_len) != 0)
            continue;
        buf_reset(&a->resp->hdr[i]);
        if (buf_append(&a->resp->hdr[i], v, vlen) != ERR_OK)
            buf_reset(&a->resp->hdr[i]); /* over the cap: dropped */
    }
    return n;
}

static enum err headers_build(const struct net_req *req,
                              struct curl_slist **out, struct buf *err)
{
    struct curl_slist *l = NULL, *t;
    struct buf ct;
    enum err rc = ERR_OK;
    size_t i;

    buf_init(&ct, 512);
    for (i = 0; req->headers != NULL && req->headers[i] != NULL; i++) {
        if (i >= NET_MAX_REQ_HEADERS ||
            strpbrk(req->headers[i], "\r\n") != NULL ||
            strchr(req->headers[i], ':') == NULL) {
            buf_setf(err, "request header %zu is malformed or one too many",
                     i);
            rc = ERR_INVALID;
            goto out;
        }
        t = curl_slist_append(l, req->headers[i]);
        if (t == NULL)
            abort(); /* out of memory: we are an app (STYLE.md 5) */
        l = t;
    }
    rc = buf_printf(&ct, "Content-Type: %s",
                    req->content_type != NULL ? req->content_type
                                              : "application/json");
    if (rc != ERR_OK || strpbrk(buf_cstr(&ct), "\r\n") != NULL) {
        buf_setf(err, "bad content type");
        rc = ERR_INVALID;
        goto out;
    }
    if (req->body != NULL)
        l = curl_slist_append(l, buf_cstr(&ct));
    l = curl_slist_append(l, "Expect:"); /* no 100-continue round trip */
    if (l == NULL)
        abort();
    *out = l;
    l = NULL;
out:
    curl_slist_free_all(l);
    buf_free(&ct);
    return rc;
}

static void set_method(CURL *h, const struct net_req *req)
{
    static const char *const names[] = {"GET", "POST", "PUT", "DELETE"};

    if (req->body != NULL || req->method == NET_POST) {
        curl_easy_setopt(h, CURLOPT_POSTFIELDS,
                         req->body != NULL ? req->body : "");
        curl_easy_setopt(h, CURLOPT_POSTFIELDSIZE_LARGE,
                         (curl_off_t)(req->body != NULL ? req->body_len : 0));
    }
    if (req->method == NET_PUT || req->method == NET_DELETE)
        curl_easy_setopt(h, CURLOPT_CUSTOMREQUEST, names[req->method]);
    /* libcurl itself sends a request again, on a new connection, when a
     * reused one dies before any answer: a request that must not be
     * repeated (Instagram's media_publish) takes a fresh connection. */
    curl_easy_setopt(h, CURLOPT_FRESH_CONNECT,
                     req->method != NET_GET && !req->retry_unsafe ? 1L : 0L);
}

static void set_options(struct net_client *c, const struct net_req *req,
                        struct curl_slist *hdrs, struct attempt *a)
{
    CURL *h = c->curl;
    const struct net_config *cfg = &c->cfg;

    curl_easy_reset(h);
    curl_easy_setopt(h, CURLOPT_URL, req->url);
#if LIBCURL_VERSION_NUM >= 0x075500
    curl_easy_setopt(h, CURLOPT_PROTOCOLS_STR, "http,https");
#else
    curl_easy_setopt(h, CURLOPT_PROTOCOLS, CURLPROTO_HTTP | CURLPROTO_HTTPS);
#endif
    curl_easy_setopt(h, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(h, CURLOPT_FOLLOWLOCATION, 0L);
    curl_easy_setopt(h, CURLOPT_CONNECTTIMEOUT_MS, cfg->connect_timeout_ms);
    curl_easy_setopt(h, CURLOPT_TIMEOUT_MS, cfg->timeout_ms);
    curl_easy_setopt(h, CURLOPT_LOW_SPEED_LIMIT, cfg->low_speed_bytes);
    curl_easy_setopt(h, CURLOPT_LOW_SPEED_TIME, cfg->low_speed_time_s);
    curl_easy_setopt(h, CURLOPT_MAXFILESIZE_LARGE,
                     (curl_off_t)cfg->max_body);
    curl_easy_setopt(h, CURLOPT_USERAGENT, c->user_agent);
    curl_easy_setopt(h, CURLOPT_HTTPHEADER, hdrs);
    curl_easy_setopt(h, CURLOPT_ACCEPT_ENCODING, ""); /* cap is post-decode */
    curl_easy_setopt(h, CURLOPT_ERRORBUFFER, c->curl_err);
    curl_easy_setopt(h, CURLOPT_WRITEFUNCTION, on_body);
    curl_easy_setopt(h, CURLOPT_WRITEDATA, a);
    curl_easy_setopt(h, CURLOPT_HEADERFUNCTION, on_header);
    curl_easy_setopt(h, CURLOPT_HEADERDATA, a);
    if (cfg->cancel != NULL) {
        curl_easy_setopt(h, CURLOPT_NOPROGRESS, 0L);
        curl_easy_setopt(h, CURLOPT_XFERINFOFUNCTION, on_progress);
        curl_easy_setopt(h, CURLOPT_XFERINFODATA, (void *)cfg);
    }
    set_method(h, req);
}

static void attempt_run(struct net_client *c, const struct net_req *req,
                        struct curl_slist *hdrs, struct attempt *a)
{
    long status = 0;
    int64_t t0 = time_mono_ms();

    resp_reset(a->resp, c->cfg.max_body);
    a->toobig = false;
    c->curl_err[0] = '\0';
    set_options(c, req, hdrs, a);
    a->cc = curl_easy_perform(c->curl);
    a->elapsed_ms = time_mono_ms() - t0;
    curl_easy_getinfo(c->curl, CURLINFO_RESPONSE_CODE, &status);
    a->resp->status = status;
}

/* ---- classification --------------------------------------------------- */

static enum net_fail classify(struct net_client *c, const struct attempt *a)
{
    double connect_s = 0;

    if (a->toobig || a->cc == CURLE_FILESIZE_EXCEEDED)
        return NET_FAIL_TOOBIG;
    switch (a->cc) {
    case CURLE_OK:
        return a->resp->status >= 400 ? NET_FAIL_HTTP : NET_FAIL_NONE;
    case CURLE_COULDNT_CONNECT:
    case CURLE_COULDNT_RESOLVE_HOST:
    case CURLE_COULDNT_RESOLVE_PROXY:
        return NET_FAIL_CONNECT;
    case CURLE_OPERATION_TIMEDOUT:
        /* libcurl reports the low-speed cut-off as a timeout too; its
         * message tells them apart ("Operation too slow. ..."). */
        curl_easy_getinfo(c->curl, CURLINFO_CONNECT_TIME, &connect_s);
        if (connect_s > 0 && c->cfg.low_speed_bytes > 0 &&
            (strstr(c->curl_err, "too slow") != NULL ||
             a->elapsed_ms + 200 < c->cfg.timeout_ms))
            return NET_FAIL_SLOW;
        return NET_FAIL_TIMEOUT;
    case CURLE_GOT_NOTHING:
    case CURLE_RECV_ERROR:
    case CURLE_SEND_ERROR:
        return NET_FAIL_RESET;
    case CURLE_PARTIAL_FILE:
        return NET_FAIL_TRUNCATED;
    default:
        return NET_FAIL_OTHER;
    }
}

static bool status_retryable(long s)
{
    return s == 429 || s == 500 || s == 502 || s == 503 || s == 504;
}

static bool fail_retryable(enum net_fail f, long status)
{
    switch (f) {
    case NET_FAIL_CONNECT:
    case NET_FAIL_TIMEOUT:
    case NET_FAIL_SLOW:
    case NET_FAIL_RESET:
    case NET_FAIL_TRUNCATED:
        return true;
    case NET_FAIL_HTTP:
        return status_retryable(status);
    default:
        return false;
    }
}

/* Whether a retry is allowed for this method: a refused connection sent
 * nothing, so it is safe for every method. */
static bool method_retryable(const struct net_req *req, enum net_fail f)
{
    return req->method == NET_GET || req->retry_unsafe ||
           f == NET_FAIL_CONNECT;
}

/* ---- messages --------------------------------------------------------- */

static void cat_seconds(struct buf *b, int64_t ms)
{
    buf_catf(b, "%g s", (double)ms / 1000.0);
}

static void cat_size(struct buf *b, size_t n)
{
    if (n % ((size_t)1 << 20) == 0)
        buf_catf(b, "%zu MiB", n >> 20);
    else if (n % 1024 == 0)
        buf_catf(b, "%zu KiB", n >> 10);
    else
        buf_catf(b, "%zu bytes", n);
}

/* What went wrong in the last attempt, without URL or headers. */
static void cat_failure(struct net_client *c, const struct attempt *a,
                        enum net_fail f, struct buf *b)
{
    long os_errno = 0;
    double connect_s = 0;

    switch (f) {
    case NET_FAIL_CONNECT:
        curl_easy_getinfo(c->curl, CURLINFO_OS_ERRNO, &os_errno);
        if (os_errno == ECONNREFUSED)
            buf_catf(b, "connection refused");
        else
            buf_catf(b, "could not connect (%s)", curl_easy_strerror(a->cc));
        break;
    case NET_FAIL_TIMEOUT:
        curl_easy_getinfo(c->curl, CURLINFO_CONNECT_TIME, &connect_s);
        buf_catf(b, connect_s > 0 ? "timed out after " : "connect timed out after ");
        cat_seconds(b, connect_s > 0 ? c->cfg.timeout_ms
                                     : c->cfg.connect_timeout_ms);
        break;
    case NET_FAIL_SLOW:
        buf_catf(b, "transfer slower than %ld bytes/s for %ld s",
                 c->cfg.low_speed_bytes, c->cfg.low_speed_time_s);
        break;
    case NET_FAIL_RESET:
        buf_catf(b, a->cc == CURLE_GOT_NOTHING
                        ? "connection closed without a response"
                        : "connection reset");
        break;
    case NET_FAIL_TRUNCATED:
        buf_catf(b, "response truncated (body shorter than announced)");
        break;
    case NET_FAIL_TOOBIG:
        buf_catf(b, "response over ");
        cat_size(b, c->cfg.max_body);
        break;
    case NET_FAIL_HTTP:
    case NET_FAIL_RATE_LIMITED:
        buf_catf(b, "HTTP %ld", a->resp->status);
        break;
    default:
        if (a->cc == CURLE_ABORTED_BY_CALLBACK)
            buf_catf(b, "cancelled (the service is stopping)");
        else
            buf_catf(b, "%s", curl_easy_strerror(a->cc));
        break;
    }
}

/* ---- the retry loop --------------------------------------------------- */

/* Validate req and put "METHOD redacted-url" in where. */
static enum err request_check(const struct net_req *req, struct buf *where,
                              struct buf *err)
{
    static const char *const names[] = {"GET", "POST", "PUT", "DELETE"};

    if ((int)req->method < 0 || req->method > NET_DELETE || req->url == NULL) {
        buf_setf(err, "net: bad request");
        return ERR_INVALID;
    }
    if (strlen(req->url) > NET_MAX_URL ||
        (!str_has_prefix(req->url, "http://") &&
         !str_has_prefix(req->url, "https://"))) {
        buf_setf(err, "net: URL must be http(s) and at most %d bytes",
                 NET_MAX_URL);
        return ERR_INVALID;
    }
    if (req->method == NET_GET && req->body != NULL) {
        buf_setf(err, "net: a GET request cannot have a body");
        return ERR_INVALID;
    }
    if (buf_printf(where, "%s ", names[req->method]) != ERR_OK ||
        net_url_redact(req->url, where) != ERR_OK) {
        buf_setf(err, "net: URL too long");
        return ERR_INVALID;
    }
    return ERR_OK;
}

/* Mark out as rate limited until now + wait_s. */
static void rate_limited(struct net_client *c, struct net_resp *out,
                         int64_t wait_s)
{
    out->fail = NET_FAIL_RATE_LIMITED;
    out->retry_at = clock_wall_ms(&c->cfg.clock) / 1000 + wait_s;
}

/* Decide whether retry k (0-based) happens, and after how long. */
static bool should_retry(struct net_client *c, const struct net_req *req,
                         struct net_resp *out, unsigned k, int64_t *wait_ms)
{
    const struct net_config *cfg = &c->cfg;
    int64_t ra = -1;
    const char *v = net_resp_header(out, NET_HDR_RETRY_AFTER);
    bool limited = out->status == 429 || out->status == 503;

    if (!fail_retryable(out->fail, out->status) ||
        !method_retryable(req, out->fail) || cancelled(cfg))
        return false;
    if (out->fail == NET_FAIL_HTTP && limited && *v != '\0' &&
        net_parse_retry_after(v, clock_wall_ms(&cfg->clock) / 1000, &ra) !=
            ERR_OK)
        ra = -1;
    if (ra > cfg->retry_after_max_s) {
        rate_limited(c, out, ra);
        return false;
    }
    if (k >= cfg->max_retries) {
        if (ra >= 0 || out->status == 429)
            rate_limited(c, out, ra >= 0 ? ra : (cfg->backoff_cap_ms + 999) / 1000);
        return false;
    }
    *wait_ms = ra >= 0 ? ra * 1000
                       : jitter_ms(net_backoff_bound(cfg->backoff_base_ms,
                                                     cfg->backoff_cap_ms, k));
    return true;
}

static enum err finish(struct net_client *c, const struct attempt *a,
                       const struct buf *where, struct buf *err)
{
    struct net_resp *out = a->resp;
    struct buf until;
    enum err rc;

    switch (out->fail) {
    case NET_FAIL_NONE:
        return ERR_OK;
    case NET_FAIL_HTTP:
    case NET_FAIL_RATE_LIMITED:
        rc = ERR_UPSTREAM;
        break;
    case NET_FAIL_TOOBIG:
        rc = ERR_TOOBIG;
        break;
    default:
        rc = ERR_IO;
        break;
    }
    buf_setf(err, "%s: ", buf_cstr(where));
    cat_failure(c, a, out->fail, err);
    if (out->attempts > 1)
        buf_catf(err, " after %u attempts", out->attempts);
    if (out->fail == NET_FAIL_RATE_LIMITED) {
        buf_init(&until, 64);
        if (time_format_iso8601(out->retry_at, &until) == ERR_OK)
            buf_catf(err, ", rate limited until %s", buf_cstr(&until));
        buf_free(&until);
    }
    /* A 4xx is the caller's to judge (an expired token, a bad id); the
     * rest means the platform or the network is in trouble. */
    if (out->fail == NET_FAIL_HTTP && out->status < 500)
        LOG_INFO("%s", buf_cstr(err));
    else
        LOG_WARN("%s", buf_cstr(err));
    return rc;
}

enum err net_request(struct net_client *c, const struct net_req *req,
                     struct net_resp *out, struct buf *err)
{
    struct curl_slist *hdrs = NULL;
    struct attempt a = {.resp = out};
    struct buf where, what;
    int64_t wait_ms = 0;
    unsigned k;
    enum err rc;

    buf_init(&where, NET_MAX_URL + 16);
    buf_init(&what, 512);
    resp_reset(out, c->cfg.max_body); /* nothing stale, even on failure */
    out->attempts = 0;
    out->retry_at = 0;
    out->fail = NET_FAIL_NONE;
    rc = request_check(req, &where, err);
    if (rc == ERR_OK)
        rc = headers_build(req, &hdrs, err);
    if (rc != ERR_OK)
        goto out;
    for (k = 0;; k++) {
        if (req->rl != NULL) {
            wait_ms = net_ratelimit_reserve(req->rl);
            if (wait_ms > 0)
                clock_sleep_ms(&c->cfg, wait_ms);
        }
        attempt_run(c, req, hdrs, &a);
        out->attempts++;
        out->fail = classify(c, &a);
        if (!should_retry(c, req, out, k, &wait_ms))
            break;
        buf_reset(&what);
        cat_failure(c, &a, out->fail, &what);
        LOG_INFO("%s: %s; retry %u of %u in %lld ms", buf_cstr(&where),
                 buf_cstr(&what), k + 1, c->cfg.max_retries,
                 (long long)wait_ms);
        clock_sleep_ms(&c->cfg, wait_ms);
    }
    LOG_DEBUG("%s: HTTP %ld, %zu bytes, %u attempt(s)", buf_cstr(&where),
              out->status, out->body.len, out->attempts);
    rc = finish(c, &a, &where, err);
out:
    curl_slist_free_all(hdrs);
    buf_free(&where);
    buf_free(&what);
    return rc;
}
