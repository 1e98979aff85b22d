/* Private to src/http: what the server decides on a request's headers
 * before anything else (and before any body byte): strict header rules,
 * the Host allow-list (serve.public_origin), and the client's address
 * behind trusted proxies (serve.trusted_proxies). */
#ifndef MEDIADASH_HTTP_ADMIT_H
#define MEDIADASH_HTTP_ADMIT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "http/http.h"

#define ADMIT_PROXIES_MAX 64
#define ADMIT_ORIGIN_MAX 256

struct admit_net {
    int family;              /* AF_INET or AF_INET6 */
    unsigned char addr[16];  /* network order; 4 bytes used for IPv4 */
    unsigned bits;           /* prefix length */
};

struct admit {
    struct admit_net proxies[ADMIT_PROXIES_MAX];
    size_t nproxies;
    char origin[ADMIT_ORIGIN_MAX];  /* serve.public_origin, or "" */
    char host[ADMIT_ORIGIN_MAX];    /* its host[:port] as in Host */
    char host_port[ADMIT_ORIGIN_MAX]; /* host:port with the scheme's port */
    char listen[HTTP_CLIENT_MAX];   /* the listen address */
    bool any_host;                  /* no public_origin, on 0.0.0.0 */
};

/* Parse cfg's public_origin ("http(s)://host[:port]", no path), its
 * trusted_proxies (comma-separated addresses or CIDRs, at most
 * ADMIT_PROXIES_MAX) and listen address into a. ERR_INVALID with err
 * saying which value is wrong. */
enum err admit_init(struct admit *a, const struct http_config *cfg,
                    struct buf *err) WARN_UNUSED;

/* Parse text (comma-separated addresses or CIDRs, spaces allowed, at
 * most max) into nets and *n. ERR_INVALID with err naming key and the
 * entry that is wrong. */
enum err admit_nets_parse(const char *key, const char *text,
                          struct admit_net *nets, size_t max, size_t *n,
                          struct buf *err) WARN_UNUSED;
/* True when addr (an address as text) is inside one of the n nets. */
bool admit_nets_match(const struct admit_net *nets, size_t n,
                      const char *addr);

/* The client's address of conn into out (n >= HTTP_CLIENT_MAX): the
 * peer's, or for a peer in a's proxies the right-most address of the
 * Forwarded for= chain (else X-Forwarded-For) that is not itself a
 * trusted proxy. A malformed chain from a trusted proxy gives the
 * proxy's address and is logged. */
void admit_client(const struct admit *a, struct MHD_Connection *conn,
                  char *out, size_t n);
/* For conn.h's per-address caps (ud: a struct admit): true when sa is
 * one of the trusted proxies, whose connections carry many clients. */
bool admit_peer_trusted(const struct sockaddr *sa, void *ud);
/* The same from text (for tests): peer is an address, forwarded and xff
 * the joined Forwarded and X-Forwarded-For values (NULL: absent). False
 * when the chain used is malformed or peer is not an address; out is
 * then the peer's address (or "?"). */
bool admit_client_text(const struct admit *a, const char *peer,
                       const char *forwarded, const char *xff, char *out,
                       size_t n);
/* The header rules (RFC 9112, stricter where it allows a choice): one
 * Content-Length of 1..19 digits, not with Transfer-Encoding; one Host,
 * required on HTTP/1.1; header names of token characters only. False
 * after a 400 in res. */
bool admit_strict(struct http_request *req, const char *version,
                  struct http_response *res);
/* The Host allow-list, and for unsafe methods Origin against
 * public_origin when set. False after a 421, 400 or 403 in res. */
bool admit_host(const struct admit *a, struct http_request *req,
                struct http_response *res);
/* The request's Content-Length (after admit_strict), false without
 * one. */
bool admit_content_length(const struct http_request *req, uint64_t *out);

#endif
