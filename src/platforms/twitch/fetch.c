/* Twitch client (Helix): GET /helix/users (the token's user), channels,
 * channels/followers (first=1: the total), streams (one viewer_count
 * point per round while live), videos and clips (first=100, cursor
 * pages up to TWITCH_MAX_PAGES). Every call carries Client-Id (the
 * descriptor's client_id_header) beside the bearer token. Ratelimit
 * headers: see twitch.h. An empty page (offline: no stream) parses to
 * nothing and is not handed to the parser. */
#include <stdlib.h>
#include <string.h>

#include "core/str.h"
#include "core/timeutil.h"
#include "platforms/fetch.h"
#include "platforms/twitch/twitch.h"

/* After an answer: when Ratelimit-Remaining says 0, wait until
 * Ratelimit-Reset (at most TWITCH_WAIT_MAX_S), else stop the round as
 * rate limited until then. ERR_OK: the next call may go. */
static enum err tw_ratelimit(struct fetch *f, const struct net_resp *resp)
{
    const char *left = net_resp_header(resp, NET_HDR_RATELIMIT_REMAINING);
    const char *reset = net_resp_header(resp, NET_HDR_RATELIMIT_RESET);
    int64_t n, at, now = time_now();

    if (*left == '\0' || parse_i64(left, 0, INT64_MAX, &n) != ERR_OK || n > 0)
        return ERR_OK;
    if (*reset == '\0' || parse_i64(reset, 0, INT64_MAX, &at) != ERR_OK || at <= now)
        return ERR_OK; /* the window has turned already */
    if (at - now <= TWITCH_WAIT_MAX_S) {
        buf_catf(&f->note, "%sHelix rate limit: waited %lld s for the "
                 "points to refill", f->note.len ? "; " : "",
                 (long long)(at - now));
        net_client_sleep_ms(f->nc, (at - now) * 1000);
        return ERR_OK;
    }
    f->status = JOB_RATE_LIMITED;
    f->retry_at = at;
    buf_setf(&f->err, "Twitch Helix rate limit: no points left until "
             "Ratelimit-Reset, %lld s away", (long long)(at - now));
    return ERR_UPSTREAM;
}

/* GET base + path + query; parse the body as format with hint unless
 * its data is empty; root (may be NULL) gets the body for paging. */
static enum err tw_get(struct fetch *f, const char *path, const char *query,
                       const char *format, const char *hint, json_t **root)
{
    struct buf url;
    struct net_resp resp;
    json_t *doc = NULL;
    enum err rc;

    buf_init(&url, NET_MAX_URL);
    net_resp_init(&resp);
    rc = fetch_url(f, f->cfg->plat[PLATFORM_TWITCH].api_base, path, &url);
    if (rc == ERR_OK && *query && (buf_puts(&url, "?") != ERR_OK ||
                                   buf_puts(&url, query) != ERR_OK))
        rc = ERR_TOOBIG;
    if (rc == ERR_OK)
        rc = fetch_call(f, NET_GET, buf_cstr(&url), NULL, 0, &resp);
    if (rc == ERR_OK && (doc = fetch_json(f, &resp.body)) == NULL)
        rc = ERR_PARSE;
    /* an empty page says nothing, unless it carries a total */
    if (rc == ERR_OK && (json_array_size(json_object_get(doc, "data")) > 0 ||
                         json_object_get(doc, "total") != NULL))
        rc = fetch_parse(f, format, hint, &resp.body);
    if (rc == ERR_OK)
        rc = tw_ratelimit(f, &resp);
    if (rc == ERR_OK && root != NULL) {
        *root = doc;
        doc = NULL;
    }
    json_decref(doc);
    net_resp_free(&resp);
    buf_free(&url);
    return rc;
}

/* The token's user: parsed, its id into id. */
static enum err tw_user(struct fetch *f, struct buf *id)
{
    json_t *root = NULL;
    const char *uid;
    enum err rc = tw_get(f, "/helix/users", "", "twitch.users", NULL, &root);

    if (rc != ERR_OK)
        return rc;
    uid = json_string_value(json_object_get(
        json_array_get(json_object_get(root, "data"), 0), "id"));
    if (uid == NULL) {
        f->status = JOB_FAILED;
        buf_setf(&f->err, "Twitch users: the token names no user");
        rc = ERR_PARSE;
    } else {
        rc = buf_puts(id, uid);
    }
    json_decref(root);
    return rc;
}

/* "<key>=<id>" plus more. */
static enum err tw_query(struct buf *q, const char *key, const char *id,
                         const char *more)
{
    buf_reset(q);
    if (net_url_add_param(q, key, id) != ERR_OK ||
        buf_puts(q, more) != ERR_OK)
        return ERR_TOOBIG;
    return ERR_OK;
}

/* Every page of a listing (videos, clips) from the first: at most
 * TWITCH_MAX_PAGES, following pagination.cursor until it is absent or
 * repeats. */
static enum err tw_pages(struct fetch *f, const char *path, const char *key,
                         const char *id, const char *format)
{
    struct buf q, cursor;
    enum err rc = ERR_OK;

    buf_init(&q, NET_MAX_URL);
    buf_init(&cursor, NET_MAX_URL);
    for (unsigned page = 0; rc == ERR_OK && page < TWITCH_MAX_PAGES; page++) {
        json_t *root = NULL;
        const char *next;
        rc = tw_query(&q, key, id, "&first=100");
        if (rc == ERR_OK && cursor.len > 0 &&
            net_url_add_param(&q, "after", buf_cstr(&cursor)) != ERR_OK)
            rc = ERR_TOOBIG;
        if (rc == ERR_OK)
            rc = tw_get(f, path, buf_cstr(&q) + 1, format, id, &root);
        next = json_string_value(json_object_get(
            json_object_get(root, "pagination"), "cursor"));
        if (rc != ERR_OK || next == NULL || *next == '\0' ||
            strcmp(next, buf_cstr(&cursor)) == 0 ||
            json_array_size(json_object_get(root, "data")) == 0) {
            json_decref(root);
            break;
        }
        buf_reset(&cursor);
        if (buf_puts(&cursor, next) != ERR_OK)
            rc = ERR_TOOBIG;
        json_decref(root);
    }
    buf_free(&q);
    buf_free(&cursor);
    return rc;
}

enum err twitch_fetch(struct fetch *f)
{
    struct buf id, q;
    enum err rc;

    buf_init(&id, ITEM_ID_MAX + 1);
    buf_init(&q, NET_MAX_URL);
    rc = tw_user(f, &id);
    if (rc == ERR_OK && f->want_account)
        rc = tw_query(&q, "broadcaster_id", buf_cstr(&id), "");
    if (rc == ERR_OK && f->want_account)
        rc = tw_get(f, "/helix/channels", buf_cstr(&q) + 1,
                    "twitch.channels", buf_cstr(&id), NULL);
    if (rc == ERR_OK && f->want_account)
        rc = tw_query(&q, "broadcaster_id", buf_cstr(&id), "&first=1");
    if (rc == ERR_OK && f->want_account)
        rc = tw_get(f, "/helix/channels/followers", buf_cstr(&q) + 1,
                    "twitch.followers", buf_cstr(&id), NULL);
    /* the stream is sampled every round: its curve is the point */
    if (rc == ERR_OK)
        rc = tw_query(&q, "user_id", buf_cstr(&id), "");
    if (rc == ERR_OK)
        rc = tw_get(f, "/helix/streams", buf_cstr(&q) + 1, "twitch.streams",
                    buf_cstr(&id), NULL);
    if (rc == ERR_OK && f->want_content)
        rc = tw_pages(f, "/helix/videos", "user_id", buf_cstr(&id),
                      "twitch.videos");
    if (rc == ERR_OK && f->want_content)
        rc = tw_pages(f, "/helix/clips", "broadcaster_id", buf_cstr(&id),
                      "twitch.clips");
    buf_free(&id);
    buf_free(&q);
    return rc;
}
