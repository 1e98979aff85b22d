/* Public links to scheduled posts' media (schedule/media_link.h):
 *   GET|HEAD /m/<token>   no session: Instagram's servers fetch these
 * The file is answered only when the token is the one of that post's
 * file (keyed MAC, compared in constant time), the post is servable
 * (scheduled, claimed, publishing, or published within the grace
 * period), and the file on disk still has the size and SHA-256 the post
 * recorded. Every refusal is the same 404, after the same work, so an
 * answer does not say which check failed. Single byte ranges are
 * supported (206 / 416). The file is streamed from disk. */
#include <errno.h>
#include <fcntl.h>
#include <sodium.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "core/str.h"
#include "core/timeutil.h"
#include "http/route.h"
#include "schedule/media_link.h"

#define ZERO_SHA                                                               \
    "0000000000000000000000000000000000000000000000000000000000000000"

/* A static Content-Type for the post's (stored, checked) type. */
static const char *static_ctype(const char *t)
{
    static const char *const known[] = {
        "video/mp4", "video/quicktime", "video/webm", "image/jpeg",
        "image/png", "image/webp",      "image/gif",  "image/heic",
    };
    for (size_t i = 0; i < sizeof known / sizeof *known; i++)
        if (str_eq(t, known[i]))
            return known[i];
    return "application/octet-stream";
}

/* Whether fd holds exactly bytes bytes with SHA-256 hex sha. */
static bool file_matches(int fd, int64_t bytes, const char *sha)
{
    crypto_hash_sha256_state h;
    unsigned char chunk[65536], out[crypto_hash_sha256_BYTES];
    char hex[2 * crypto_hash_sha256_BYTES + 1];
    struct stat sb;
    off_t at = 0;
    ssize_t n;

    if (fstat(fd, &sb) != 0 || !S_ISREG(sb.st_mode) ||
        (int64_t)sb.st_size != bytes)
        return false;
    crypto_hash_sha256_init(&h);
    while ((n = pread(fd, chunk, sizeof chunk, at)) > 0) {
        crypto_hash_sha256_update(&h, chunk, (size_t)n);
        at += n;
    }
    if (n < 0 || (int64_t)at != bytes)
        return false;
    crypto_hash_sha256_final(&h, out);
    sodium_bin2hex(hex, sizeof hex, out, sizeof out);
    return sodium_memcmp(hex, sha, 64) == 0;
}

/* Parse "bytes=A-B", "bytes=A-" or "bytes=-N" against size. Returns 1 for
 * a satisfiable range (*off, *len), 0 to send the whole file (no header,
 * or one we do not handle: several ranges), -1 for an unsatisfiable
 * one (416). */
static int parse_range(const char *h, uint64_t size, uint64_t *off,
                       uint64_t *len)
{
    const char *dash;
    int64_t a = -1, b = -1;

    if (h == NULL || !str_has_prefix(h, "bytes=") || strchr(h, ',') != NULL)
        return 0;
    h += 6;
    dash = strchr(h, '-');
    if (dash == NULL)
        return 0;
    if (dash > h &&
        parse_i64n(h, (size_t)(dash - h), 0, INT64_MAX, &a) != ERR_OK)
        return 0;
    if (dash[1] != '\0' && parse_i64(dash + 1, 0, INT64_MAX, &b) != ERR_OK)
        return 0;
    if (a < 0 && b < 0)
        return 0;
    if (a < 0) { /* the last b bytes */
        if (b == 0 || size == 0)
            return -1;
        *len = (uint64_t)b < size ? (uint64_t)b : size;
        *off = size - *len;
        return 1;
    }
    if ((uint64_t)a >= size || (b >= 0 && b < a))
        return b >= 0 && b < a ? 0 : -1;
    *off = (uint64_t)a;
    *len = (b < 0 || (uint64_t)b >= size ? size - 1 : (uint64_t)b) -
           (uint64_t)a + 1;
    return 1;
}

struct media_file {
    struct buf path, sha, ctype;
    int64_t bytes;
};

/* The post and file the token claims, verified; -1 when anything fails.
 * Does the lookup and one MAC whatever the token. */
static int open_verified(struct http_request *req, const char *token,
                         struct media_file *m)
{
    const struct secret_key *k = req->cfg->key;
    struct post p = {0};
    int64_t id = 0;
    size_t idx = 0;
    bool found = false, ok;
    int fd = -1;

    if (media_link_parse(token, &id, &idx) == ERR_OK &&
        store_post_get(req->st, id, &p) == ERR_OK)
        found = media_link_item(p.media, idx, &m->path, &m->sha, &m->bytes,
                                &m->ctype) == ERR_OK;
    ok = k != NULL &&
         media_link_verify(k, token, id > 0 ? id : 1, idx,
                           found && m->sha.len == 64 ? buf_cstr(&m->sha)
                                                     : ZERO_SHA);
    ok = ok && found && media_link_servable(&p, time_now());
    if (ok)
        fd = open(buf_cstr(&m->path), O_RDONLY | O_CLOEXEC);
    if (fd >= 0 && !file_matches(fd, m->bytes, buf_cstr(&m->sha))) {
        close(fd);
        fd = -1;
    }
    post_free(&p);
    return fd;
}

static void media_get(struct http_request *req, struct http_response *res)
{
    const char *token = req->path + strlen(MEDIA_LINK_PREFIX);
    struct media_file m;
    uint64_t off = 0, len;
    struct buf cr;
    int fd, r;

    buf_init(&m.path, 4096);
    buf_init(&m.sha, 128);
    buf_init(&m.ctype, 256);
    m.bytes = 0;
    fd = strlen(token) <= MEDIA_LINK_TOKEN_MAX ? open_verified(req, token, &m)
                                               : -1;
    if (fd < 0) {
        http_error(res, 404, NULL, "no such media");
        goto out;
    }
    len = (uint64_t)m.bytes;
    r = parse_range(http_header(req, "Range"), (uint64_t)m.bytes, &off, &len);
    buf_init(&cr, 128);
    if (r < 0) {
        close(fd);
        http_error(res, 416, NULL, "range not satisfiable");
        buf_catf(&cr, "bytes */%lld", (long long)m.bytes);
        res->content_range = buf_steal(&cr);
        goto out;
    }
    if (r > 0) {
        res->status = 206;
        buf_catf(&cr, "bytes %llu-%llu/%lld", (unsigned long long)off,
                 (unsigned long long)(off + len - 1), (long long)m.bytes);
        res->content_range = buf_steal(&cr);
    }
    buf_free(&cr);
    res->has_file = true;
    res->file_fd = fd;
    res->file_off = off;
    res->file_len = len;
    res->content_type = static_ctype(buf_cstr(&m.ctype));
    res->cache_control = "private, max-age=300";
out:
    buf_free(&m.path);
    buf_free(&m.sha);
    buf_free(&m.ctype);
}

const struct route http_media_routes[] = {
    {"GET", MEDIA_LINK_PREFIX, media_get, ROUTE_PUBLIC},
    {"HEAD", MEDIA_LINK_PREFIX, media_get, ROUTE_PUBLIC},
    {NULL, NULL, NULL, 0},
};
