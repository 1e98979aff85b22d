/* TikTok client (API v2): /v2/user/info/, POST /v2/video/list/ over
 * every page (cursor, has_more, max_count 20) and POST
 * /v2/video/query/ for the new (not tracked) and the due ids in batches
 * of at most 20. Requests
 * go through f->rl (600 per minute per endpoint). See fetch.h. */
#include <stdlib.h>
#include <string.h>

#include "core/alloc.h"
#include "core/jsonw.h"
#include "platforms/fetch.h"
#include "platforms/tiktok/tiktok.h"

#define TT_USER_FIELDS                                                        \
    "open_id,union_id,avatar_url,display_name,bio_description,"               \
    "profile_deep_link,is_verified,username,follower_count,following_count,"  \
    "likes_count,video_count"
#define TT_VIDEO_FIELDS                                                       \
    "id,create_time,cover_image_url,share_url,video_description,duration,"    \
    "height,width,title,embed_link,like_count,comment_count,share_count,"     \
    "view_count"
#define TT_PAGE 20
#define TT_MAX_VIDEOS 20000

/* Call path (?fields=...) with body (NULL: GET) and parse it as format
 * with the user's open_id as hint. */
static enum err tt_call(struct fetch *f, const char *path, const char *fields,
                        const char *body, const char *format,
                        const char *hint, struct net_resp *resp)
{
    struct buf url;
    enum err rc;

    buf_init(&url, NET_MAX_URL);
    rc = fetch_url(f, f->cfg->plat[PLATFORM_TIKTOK].api_base, path, &url);
    if (rc == ERR_OK)
        rc = net_url_add_param(&url, "fields", fields);
    if (rc == ERR_OK)
        rc = fetch_call(f, body ? NET_POST : NET_GET, buf_cstr(&url), body, 0,
                        resp);
    if (rc == ERR_OK)
        rc = fetch_parse(f, format, hint, &resp->body);
    buf_free(&url);
    return rc;
}

/* user.info: parsed, and the open_id into open_id. */
static enum err tt_user(struct fetch *f, struct buf *open_id)
{
    struct net_resp resp;
    json_t *root = NULL;
    const char *id;
    enum err rc;

    net_resp_init(&resp);
    rc = tt_call(f, "/v2/user/info/", TT_USER_FIELDS, NULL, "tiktok.user.info",
                 NULL, &resp);
    if (rc == ERR_OK && (root = fetch_json(f, &resp.body)) == NULL)
        rc = ERR_PARSE;
    if (rc != ERR_OK)
        goto out;
    id = json_string_value(json_object_get(
        json_object_get(json_object_get(root, "data"), "user"), "open_id"));
    rc = buf_puts(open_id, id ? id : f->account);
out:
    json_decref(root);
    net_resp_free(&resp);
    return rc;
}

/* One video.list page from *cursor (-1: the first): the ids not tracked
 * yet into f->asked, *cursor and *more updated. */
static enum err tt_list_page(struct fetch *f, const char *open_id,
                             int64_t *cursor, bool *more)
{
    struct buf body;
    struct jw w;
    struct net_resp resp;
    json_t *root = NULL, *data, *v;
    size_t i;
    enum err rc;

    buf_init(&body, 256);
    net_resp_init(&resp);
    jw_init(&w, &body);
    jw_object_begin(&w);
    jw_kv_i64(&w, "max_count", TT_PAGE);
    if (*cursor >= 0)
        jw_kv_i64(&w, "cursor", *cursor);
    jw_object_end(&w);
    rc = jw_status(&w);
    if (rc == ERR_OK)
        rc = tt_call(f, "/v2/video/list/", TT_VIDEO_FIELDS, buf_cstr(&body),
                     "tiktok.video.list", open_id, &resp);
    if (rc == ERR_OK && (root = fetch_json(f, &resp.body)) == NULL)
        rc = ERR_PARSE;
    if (rc != ERR_OK)
        goto out;
    data = json_object_get(root, "data");
    json_array_foreach(json_object_get(data, "videos"), i, v) {
        json_t *id = json_object_get(v, "id");
        if (json_is_string(id) && f->asked.n < TT_MAX_VIDEOS)
            fetch_ask_new(f, json_string_value(id), "");
    }
    v = json_object_get(data, "cursor");
    *more = json_is_true(json_object_get(data, "has_more")) &&
            json_is_integer(v) && json_integer_value(v) >= 0 &&
            json_integer_value(v) != *cursor;
    if (*more)
        *cursor = json_integer_value(v);
out:
    json_decref(root);
    net_resp_free(&resp);
    buf_free(&body);
    return rc;
}

/* video.query for ids[from, from + n), n <= 20. */
static enum err tt_query(struct fetch *f, const char *open_id,
                         const struct fetch_items *ids, size_t from, size_t n)
{
    struct buf body;
    struct jw w;
    struct net_resp resp;
    enum err rc;

    buf_init(&body, 4096);
    net_resp_init(&resp);
    jw_init(&w, &body);
    jw_object_begin(&w);
    jw_key(&w, "filters");
    jw_object_begin(&w);
    jw_key(&w, "video_ids");
    jw_array_begin(&w);
    for (size_t i = from; i < from + n; i++)
        jw_str(&w, ids->v[i].id);
    jw_array_end(&w);
    jw_object_end(&w);
    jw_object_end(&w);
    rc = jw_status(&w);
    if (rc == ERR_OK)
        rc = tt_call(f, "/v2/video/query/", TT_VIDEO_FIELDS, buf_cstr(&body),
                     "tiktok.video.query", open_id, &resp);
    net_resp_free(&resp);
    buf_free(&body);
    return rc;
}

enum err tiktok_fetch(struct fetch *f)
{
    struct buf open_id;
    struct fetch_items *ids = &f->asked;
    int64_t cursor = -1;
    bool more = false;
    unsigned pages = 0;
    size_t n;
    enum err rc;

    buf_init(&open_id, ITEM_ID_MAX + 1);
    rc = tt_user(f, &open_id);
    while (rc == ERR_OK && f->want_content) {
        size_t before = ids->n;
        rc = tt_list_page(f, buf_cstr(&open_id), &cursor, &more);
        if (!more || ++pages >= FETCH_MAX_PAGES ||
            fetch_listing_done(f, before))
            break;
    }
    for (size_t i = 0; f->due != NULL && i < f->due->n && rc == ERR_OK &&
                       ids->n < TT_MAX_VIDEOS;
         i++)
        fetch_items_add(ids, f->due->v[i].id, "");
    n = ids->n;
    for (size_t i = 0; i < n && rc == ERR_OK; i += TT_PAGE)
        rc = tt_query(f, buf_cstr(&open_id), ids, i,
                      n - i < TT_PAGE ? n - i : TT_PAGE);
    buf_free(&open_id);
    return rc;
}
