/* Decisions on a request's headers: strict header rules, the Host
 * allow-list, and the client's address behind trusted proxies. */
#include "http/admit.h"

#include <arpa/inet.h>
#include <microhttpd.h>
#include <stdatomic.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "core/log.h"
#include "core/str.h"

#define CHAIN_MAX 8192 /* bytes of Forwarded / X-Forwarded-For kept */

/* ---- addresses and networks ------------------------------------------ */

/* Parse the address text of n bytes at s into out (bits: the whole). */
static bool addr_parse(const char *s, size_t n, struct admit_net *out)
{
    char tmp[HTTP_CLIENT_MAX];

    if (n == 0 || n >= sizeof tmp)
        return false;
    memcpy(tmp, s, n);
    tmp[n] = '\0';
    memset(out, 0, sizeof *out);
    if (inet_pton(AF_INET, tmp, out->addr) == 1) {
        out->family = AF_INET;
        out->bits = 32;
        return true;
    }
    if (inet_pton(AF_INET6, tmp, out->addr) == 1) {
        out->family = AF_INET6;
        out->bits = 128;
        return true;
    }
    return false;
}

/* "ADDR" or "ADDR/BITS" of n bytes at s. */
static bool net_parse(const char *s, size_t n, struct admit_net *out)
{
    const char *slash = memchr(s, '/', n);
    int64_t bits;

    if (!addr_parse(s, slash ? (size_t)(slash - s) : n, out))
        return false;
    if (slash == NULL)
        return true;
    if (parse_i64n(slash + 1, n - (size_t)(slash - s) - 1, 0, out->bits,
                   &bits) != ERR_OK)
        return false;
    out->bits = (unsigned)bits;
    return true;
}

static bool net_contains(const struct admit_net *net,
                         const struct admit_net *a)
{
    unsigned full = net->bits / 8, rest = net->bits % 8;

    if (net->family != a->family)
        return false;
    if (memcmp(net->addr, a->addr, full) != 0)
        return false;
    return rest == 0 || ((net->addr[full] ^ a->addr[full]) &
                         (0xffu << (8 - rest)) & 0xffu) == 0;
}

static bool trusted(const struct admit *a, const struct admit_net *addr)
{
    for (size_t i = 0; i < a->nproxies; i++)
        if (net_contains(&a->proxies[i], addr))
            return true;
    return false;
}

static void addr_text(const struct admit_net *a, char *out, size_t n)
{
    if (inet_ntop(a->family, a->addr, out, (socklen_t)n) == NULL)
        snprintf(out, n, "?");
}

/* The address sa as an admit_net; IPv4-mapped IPv6 as IPv4. False for
 * NULL or another family. */
static bool net_of_sockaddr(const struct sockaddr *sa, struct admit_net *out)
{
    static const unsigned char mapped[12] = {0, 0, 0, 0, 0, 0,
                                             0, 0, 0, 0, 0xff, 0xff};

    memset(out, 0, sizeof *out);
    if (sa != NULL && sa->sa_family == AF_INET) {
        out->family = AF_INET;
        out->bits = 32;
        memcpy(out->addr, &((const struct sockaddr_in *)sa)->sin_addr, 4);
        return true;
    }
    if (sa == NULL || sa->sa_family != AF_INET6)
        return false;
    memcpy(out->addr, &((const struct sockaddr_in6 *)sa)->sin6_addr, 16);
    out->family = AF_INET6;
    out->bits = 128;
    if (memcmp(out->addr, mapped, sizeof mapped) == 0) {
        memmove(out->addr, out->addr + 12, 4);
        memset(out->addr + 4, 0, 12);
        out->family = AF_INET;
        out->bits = 32;
    }
    return true;
}

/* The peer of conn. False when unknown. */
static bool peer_of(struct MHD_Connection *conn, struct admit_net *out)
{
    const union MHD_ConnectionInfo *ci = MHD_get_connection_info(
        conn, MHD_CONNECTION_INFO_CLIENT_ADDRESS);

    return net_of_sockaddr(ci ? ci->client_addr : NULL, out);
}

bool admit_peer_trusted(const struct sockaddr *sa, void *ud)
{
    const struct admit *a = ud;
    struct admit_net peer;

    return a->nproxies > 0 && net_of_sockaddr(sa, &peer) && trusted(a, &peer);
}

/* ---- configuration ---------------------------------------------------- */

enum err admit_nets_parse(const char *key, const char *text,
                          struct admit_net *nets, size_t max, size_t *n,
                          struct buf *err)
{
    const char *p = text;

    *n = 0;
    while (p != NULL && *p != '\0') {
        const char *comma = strchr(p, ',');
        const char *end = comma ? comma : p + strlen(p);
        const char *s = p;

        while (s < end && (*s == ' ' || *s == '\t'))
            s++;
        while (end > s && (end[-1] == ' ' || end[-1] == '\t'))
            end--;
        if (end > s && *n == max) {
            buf_setf(err, "%s: at most %zu entries", key, max);
            return ERR_INVALID;
        }
        if (end > s && !net_parse(s, (size_t)(end - s), &nets[(*n)++])) {
            buf_setf(err, "%s: \"%.*s\" is not an "
                     "IPv4 or IPv6 address or CIDR", key, (int)(end - s), s);
            return ERR_INVALID;
        }
        p = comma ? comma + 1 : NULL;
    }
    return ERR_OK;
}

bool admit_nets_match(const struct admit_net *nets, size_t n,
                      const char *addr)
{
    struct admit_net a;

    if (addr == NULL || !addr_parse(addr, strlen(addr), &a))
        return false;
    for (size_t i = 0; i < n; i++)
        if (net_contains(&nets[i], &a))
            return true;
    return false;
}

static enum err proxies_parse(struct admit *a, const char *text,
                              struct buf *err)
{
    return admit_nets_parse("serve.trusted_proxies", text, a->proxies,
                            ADMIT_PROXIES_MAX, &a->nproxies, err);
}

/* "http(s)://HOST[:PORT]" with an optional final '/'. */
static enum err origin_parse(struct admit *a, const char *origin,
                             struct buf *err)
{
    bool https = strncasecmp(origin, "https://", 8) == 0;
    const char *host = origin + (https ? 8 : 7);
    size_t n;

    if (!https && strncasecmp(origin, "http://", 7) != 0)
        goto bad;
    n = strlen(host);
    if (n > 0 && host[n - 1] == '/')
        n--;
    if (n == 0 || n + 8 >= sizeof a->host || memchr(host, '/', n) ||
        memchr(host, '@', n) || memchr(host, '?', n) || memchr(host, '#', n))
        goto bad;
    snprintf(a->origin, sizeof a->origin, "%s%.*s",
             https ? "https://" : "http://", (int)n, host);
    snprintf(a->host, sizeof a->host, "%.*s", (int)n, host);
    if (host[n - 1] == ']' || memchr(host, ':', n) == NULL)
        snprintf(a->host_port, sizeof a->host_port, "%.*s:%s", (int)n, host,
                 https ? "443" : "80");
    else
        snprintf(a->host_port, sizeof a->host_port, "%s", a->host);
    return ERR_OK;
bad:
    buf_setf(err, "serve.public_origin: expected http(s)://HOST[:PORT] "
             "with no path, got \"%s\"", origin);
    return ERR_INVALID;
}

enum err admit_init(struct admit *a, const struct http_config *cfg,
                    struct buf *err)
{
    enum err rc = ERR_OK;

    memset(a, 0, sizeof *a);
    snprintf(a->listen, sizeof a->listen, "%s", cfg->host);
    if (cfg->trusted_proxies != NULL)
        rc = proxies_parse(a, cfg->trusted_proxies, err);
    if (rc == ERR_OK && cfg->public_origin != NULL &&
        cfg->public_origin[0] != '\0')
        rc = origin_parse(a, cfg->public_origin, err);
    a->any_host = a->origin[0] == '\0' &&
                  (strcmp(cfg->host, "0.0.0.0") == 0 ||
                   strcmp(cfg->host, "::") == 0);
    return rc;
}

/* ---- the client behind trusted proxies -------------------------------- */

#define CHAIN_NODES 64 /* addresses of one chain looked at */

/* Every Forwarded and X-Forwarded-For header, each joined with ','. */
struct chain {
    struct buf fwd, xff;
    bool over;
};

static enum MHD_Result collect_chain(void *cls, enum MHD_ValueKind kind,
                                     const char *key, const char *value)
{
    struct chain *c = cls;
    struct buf *b = NULL;
    (void)kind;

    if (strcasecmp(key, "Forwarded") == 0)
        b = &c->fwd;
    else if (strcasecmp(key, "X-Forwarded-For") == 0)
        b = &c->xff;
    if (b == NULL || value == NULL || value[0] == '\0')
        return MHD_YES;
    if ((b->len > 0 && buf_putc(b, ',') != ERR_OK) ||
        buf_puts(b, value) != ERR_OK)
        c->over = true;
    return MHD_YES;
}

static bool port_ok(const char *s, size_t n)
{
    if (n == 0 || n > 5)
        return false;
    for (size_t i = 0; i < n; i++)
        if (s[i] < '0' || s[i] > '9')
            return false;
    return true;
}

/* One address of a chain: "ADDR", "V4:PORT", "[V6]" or "[V6]:PORT",
 * maybe in double quotes, maybe with spaces around. */
static bool node_parse(const char *s, size_t n, struct admit_net *out)
{
    const char *colon;

    while (n > 0 && (*s == ' ' || *s == '\t'))
        s++, n--;
    while (n > 0 && (s[n - 1] == ' ' || s[n - 1] == '\t'))
        n--;
    if (n >= 2 && s[0] == '"' && s[n - 1] == '"')
        s++, n -= 2;
    if (n > 0 && s[0] == '[') {
        const char *close = memchr(s, ']', n);
        size_t rest = close ? n - (size_t)(close + 1 - s) : 0;
        if (close == NULL || (rest > 0 && (close[1] != ':' ||
                                           !port_ok(close + 2, rest - 1))))
            return false;
        return addr_parse(s + 1, (size_t)(close - s - 1), out) &&
               out->family == AF_INET6;
    }
    colon = memchr(s, ':', n);
    if (colon != NULL && memchr(colon + 1, ':', n - (size_t)(colon + 1 - s))
                             == NULL) { /* V4:PORT */
        if (!port_ok(colon + 1, n - (size_t)(colon + 1 - s)))
            return false;
        n = (size_t)(colon - s);
        return addr_parse(s, n, out) && out->family == AF_INET;
    }
    return addr_parse(s, n, out);
}

/* The for= value of one Forwarded element (pairs split by ';'). */
static bool forwarded_for(const char *s, size_t n, const char **v,
                          size_t *vn)
{
    const char *end = s + n;

    while (s < end) {
        const char *semi = memchr(s, ';', (size_t)(end - s));
        const char *stop = semi ? semi : end;
        while (s < stop && (*s == ' ' || *s == '\t'))
            s++;
        if (stop - s >= 4 && strncasecmp(s, "for=", 4) == 0) {
            *v = s + 4;
            *vn = (size_t)(stop - s - 4);
            return true;
        }
        s = semi ? semi + 1 : end;
    }
    return false;
}

/* The client named by a chain (list items left to right, Forwarded
 * elements when fwd): the right-most address not a trusted proxy, else
 * the left-most. False when any item is malformed. */
static bool chain_client(const struct admit *a, const char *text, bool fwd,
                         struct admit_net *out)
{
    struct admit_net nodes[CHAIN_NODES];
    size_t k = 0;
    const char *p = text;

    for (;;) {
        const char *comma = strchr(p, ',');
        size_t n = comma ? (size_t)(comma - p) : strlen(p);
        const char *v = p;
        size_t vn = n;
        if (k == CHAIN_NODES || (fwd && !forwarded_for(p, n, &v, &vn)) ||
            !node_parse(v, vn, &nodes[k++]))
            return false;
        if (comma == NULL)
            break;
        p = comma + 1;
    }
    for (size_t i = k; i-- > 0;) {
        if (!trusted(a, &nodes[i])) {
            *out = nodes[i];
            return true;
        }
    }
    *out = nodes[0];
    return true;
}

/* Logged at the 1st, 2nd, 4th, 8th... time, so a flood writes little. */
static void note_malformed(const char *which, const struct admit_net *peer)
{
    static atomic_uint_fast64_t count;
    uint64_t k = (uint64_t)atomic_fetch_add(&count, 1) + 1;
    char text[HTTP_CLIENT_MAX];

    if ((k & (k - 1)) != 0)
        return;
    addr_text(peer, text, sizeof text);
    LOG_WARN("http: malformed %s header from trusted proxy %s: the client "
             "is taken to be the proxy (%llu such requests so far)",
             which, text, (unsigned long long)k);
}

/* The client behind peer from the joined headers (NULL or "": absent):
 * false when the one used is malformed (out is then the peer). */
static bool client_of(const struct admit *a, const struct admit_net *peer,
                      const char *fwd, const char *xff,
                      struct admit_net *out)
{
    bool has_fwd = fwd != NULL && fwd[0] != '\0';

    *out = *peer;
    if (a->nproxies == 0 || !trusted(a, peer))
        return true;
    if (!has_fwd && (xff == NULL || xff[0] == '\0'))
        return true;
    if (chain_client(a, has_fwd ? fwd : xff, has_fwd, out))
        return true;
    *out = *peer;
    return false;
}

bool admit_client_text(const struct admit *a, const char *peer,
                       const char *forwarded, const char *xff, char *out,
                       size_t n)
{
    struct admit_net p, c;
    bool ok;

    snprintf(out, n, "?");
    if (!addr_parse(peer, strlen(peer), &p))
        return false;
    ok = client_of(a, &p, forwarded, xff, &c);
    addr_text(&c, out, n);
    return ok;
}

void admit_client(const struct admit *a, struct MHD_Connection *conn,
                  char *out, size_t n)
{
    struct admit_net peer, client;
    struct chain c;

    snprintf(out, n, "?");
    if (!peer_of(conn, &peer))
        return;
    client = peer;
    if (a->nproxies > 0 && trusted(a, &peer)) {
        buf_init(&c.fwd, CHAIN_MAX);
        buf_init(&c.xff, CHAIN_MAX);
        c.over = false;
        MHD_get_connection_values(conn, MHD_HEADER_KIND, collect_chain, &c);
        if (c.over || !client_of(a, &peer, buf_cstr(&c.fwd),
                                 buf_cstr(&c.xff), &client)) {
            client = peer;
            note_malformed(c.fwd.len > 0 ? "Forwarded" : "X-Forwarded-For",
                           &peer);
        }
        buf_free(&c.fwd);
        buf_free(&c.xff);
    }
    addr_text(&client, out, n);
}

/* ---- strict header rules ---------------------------------------------- */

struct scan {
    unsigned cl, host, te;
    const char *cl_value;
    bool bad_name;
};

static bool token(const char *s)
{
    if (s == NULL || *s == '\0')
        return false;
    for (; *s; s++) {
        unsigned char c = (unsigned char)*s;
        if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
              (c >= '0' && c <= '9') || strchr("!#$%&'*+-.^_`|~", c)))
            return false;
    }
    return true;
}

static enum MHD_Result scan_header(void *cls, enum MHD_ValueKind kind,
                                   const char *key, const char *value)
{
    struct scan *h = cls;
    (void)kind;

    if (!token(key))
        h->bad_name = true;
    else if (strcasecmp(key, "Content-Length") == 0)
        h->cl++, h->cl_value = value;
    else if (strcasecmp(key, "Host") == 0)
        h->host++;
    else if (strcasecmp(key, "Transfer-Encoding") == 0)
        h->te++;
    return MHD_YES;
}

static bool digits(const char *s)
{
    size_t n = s ? strlen(s) : 0;

    if (n == 0 || n > 19)
        return false;
    return strspn(s, "0123456789") == n;
}

bool admit_strict(struct http_request *req, const char *version,
                  struct http_response *res)
{
    struct scan h = {0};
    const char *msg = NULL;

    MHD_get_connection_values(req->conn, MHD_HEADER_KIND, scan_header, &h);
    if (h.bad_name)
        msg = "a header name is not a token (e.g. a space before ':')";
    else if (h.cl > 1)
        msg = "more than one Content-Length header (refused even when "
              "they agree)";
    else if (h.cl == 1 && !digits(h.cl_value))
        msg = "Content-Length must be 1 to 19 digits";
    else if (h.cl == 1 && h.te > 0)
        msg = "Transfer-Encoding and Content-Length together";
    else if (h.host > 1)
        msg = "more than one Host header";
    else if (h.host == 0 && version != NULL &&
             strcmp(version, "HTTP/1.1") == 0)
        msg = "an HTTP/1.1 request needs a Host header";
    if (msg == NULL)
        return true;
    http_error(res, 400, NULL, "%s", msg);
    return false;
}

bool admit_content_length(const struct http_request *req, uint64_t *out)
{
    const char *v = http_header(req, "Content-Length");
    int64_t n;

    if (v == NULL)
        return false;
    *out = parse_i64(v, 0, INT64_MAX, &n) == ERR_OK ? (uint64_t)n
                                                     : UINT64_MAX;
    return true;
}

/* ---- the Host allow-list ---------------------------------------------- */

/* The host part of a Host value: up to ':' or through "]". */
static size_t host_name_len(const char *h)
{
    const char *close;

    if (h[0] == '[') {
        close = strchr(h, ']');
        return close ? (size_t)(close - h + 1) : strlen(h);
    }
    return strcspn(h, ":");
}

static bool loopback_name(const char *h, size_t n)
{
    struct admit_net a;

    if (n == 9 && strncasecmp(h, "localhost", 9) == 0)
        return true;
    if (n >= 2 && h[0] == '[' && h[n - 1] == ']')
        return addr_parse(h + 1, n - 2, &a) && a.family == AF_INET6 &&
               memcmp(a.addr, in6addr_loopback.s6_addr, 16) == 0;
    return addr_parse(h, n, &a) && a.family == AF_INET && a.addr[0] == 127;
}

/* Without public_origin: a loopback name, or the listen address. */
static bool local_host_ok(const struct admit *a, const char *host,
                          struct http_response *res)
{
    size_t n;

    if (a->any_host || host == NULL) /* HTTP/1.0 (admit_strict) */
        return true;
    n = host_name_len(host);
    if (loopback_name(host, n) ||
        (strlen(a->listen) == n && strncasecmp(host, a->listen, n) == 0))
        return true;
    http_error(res, 421, NULL, "Host \"%.100s\" is not this server's "
               "address: set serve.public_origin to the address clients "
               "use", host);
    return false;
}

bool admit_host(const struct admit *a, struct http_request *req,
                struct http_response *res)
{
    const char *host = http_header(req, "Host");
    const char *origin = http_header(req, "Origin");
    bool safe =
        strcmp(req->method, "GET") == 0 || strcmp(req->method, "HEAD") == 0;

    if (a->origin[0] == '\0')
        return local_host_ok(a, host, res);
    if (host == NULL || (strcasecmp(host, a->host) != 0 &&
                         strcasecmp(host, a->host_port) != 0)) {
        http_error(res, 421, NULL, "this server answers only for Host %s "
                   "(serve.public_origin)", a->host);
        return false;
    }
    if (!safe && origin != NULL && strcmp(origin, "null") != 0 &&
        strcasecmp(origin, a->origin) != 0) {
        http_error(res, 403, NULL, "Origin is not %s (serve.public_origin)",
                   a->origin);
        return false;
    }
    return true;
}
