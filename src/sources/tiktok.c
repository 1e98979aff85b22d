/* TikTok API v2 responses: /v2/user/info/, /v2/video/list/,
 * /v2/video/query/ and error bodies. Every body is
 * {"data": {...}, "error": {"code": "ok", "message": "", "log_id": "..."}}
 * with error.code a string ("ok" on success). */
#include <string.h>

#include "core/str.h"
#include "core/timeutil.h"
#include "sources/source.h"

#define TITLE_MAX 100

static const char *error_code(const json_t *root)
{
    const json_t *e = json_object_get(root, "error");
    return json_string_value(json_object_get(e, "code"));
}

static bool is_tiktok(const json_t *root)
{
    const json_t *data = json_object_get(root, "data");
    return error_code(root) != NULL && (data == NULL || json_is_object(data));
}

/* ---- errors ------------------------------------------------------------- */

static bool detect_error(const json_t *root)
{
    return is_tiktok(root) && strcmp(error_code(root), "ok") != 0;
}

static enum err parse_error(const json_t *root, struct source_ctx *ctx)
{
    const json_t *e = json_object_get(root, "error");
    const char *msg = json_string_value(json_object_get(e, "message"));
    const char *log_id = json_string_value(json_object_get(e, "log_id"));

    buf_setf(ctx->r.err, "TikTok API error %s: %s", error_code(root),
             msg && *msg ? msg : "no message");
    if (log_id)
        buf_catf(ctx->r.err, " (log_id %s)", log_id);
    return ERR_UPSTREAM;
}

/* ---- user info ------------------------------------------------------------ */

static bool detect_user(const json_t *root)
{
    return is_tiktok(root) &&
           json_is_object(json_object_get(json_object_get(root, "data"),
                                          "user"));
}

static enum err user_counts(struct source_ctx *ctx, const json_t *u,
                            struct item *it)
{
    static const char *const map[][2] = {
        {"follower_count", M_FOLLOWERS},
        {"following_count", "tt.following_count"},
        {"likes_count", "tt.likes_count"},
        {"video_count", "tt.video_count"},
    };
    struct snapshot *snap = NULL;
    enum err rc = ERR_OK;

    for (size_t k = 0; k < 4 && rc == ERR_OK; k++) {
        int64_t v;
        bool present;
        rc = jread_int(&ctx->r, u, map[k][0], J_OPTIONAL, 0, INT64_MAX, &v,
                       &present);
        if (rc != ERR_OK || !present)
            continue;
        if (snap == NULL)
            snap = item_snapshot_at(it, ctx->observed_at);
        rc = source_metric_i64(ctx, snap, map[k][1], v);
    }
    return rc;
}

static enum err parse_user(const json_t *root, struct source_ctx *ctx)
{
    const json_t *u = json_object_get(json_object_get(root, "data"), "user");
    const char *id, *name, *username, *bio, *avatar, *link;
    struct item *it;
    enum err rc;

    jread_where(&ctx->r, "data.user");
    rc = jread_id(&ctx->r, u, "open_id", J_OPTIONAL, &id);
    if (rc != ERR_OK)
        return rc;
    if (id == NULL)
        id = ctx->account_hint[PLATFORM_TIKTOK];
    if (id == NULL)
        return jread_fail(&ctx->r, "open_id",
                          "missing: request the open_id field, or pass "
                          "--account tiktok:OPEN_ID");
    jread_where(&ctx->r, "data.user (open_id \"%s\")", id);
    rc = jread_string(&ctx->r, u, "display_name", J_OPTIONAL, ITEM_TEXT_MAX,
                      &name);
    if (rc == ERR_OK)
        rc = jread_string(&ctx->r, u, "username", J_OPTIONAL, 256, &username);
    if (rc == ERR_OK)
        rc = jread_string(&ctx->r, u, "bio_description", J_OPTIONAL,
                          ITEM_TEXT_MAX, &bio);
    if (rc == ERR_OK)
        rc = jread_string(&ctx->r, u, "avatar_url", J_OPTIONAL, ITEM_URL_MAX,
                          &avatar);
    if (rc == ERR_OK)
        rc = jread_string(&ctx->r, u, "profile_deep_link", J_OPTIONAL,
                          ITEM_URL_MAX, &link);
    if (rc != ERR_OK)
        return rc;
    it = batch_item(ctx->batch, PLATFORM_TIKTOK, ITEM_ACCOUNT, id);
    item_set(&it->kind, "user");
    item_set(&it->title, name);
    item_set(&it->handle, username);
    item_set(&it->description, bio);
    item_set(&it->thumbnail_url, avatar);
    item_set(&it->url, link);
    return user_counts(ctx, u, it);
}

/* ---- videos -------------------------------------------------------------- */

static bool has_videos(const json_t *root)
{
    return is_tiktok(root) && strcmp(error_code(root), "ok") == 0 &&
           json_object_get(json_object_get(root, "data"), "videos");
}

static bool detect_list(const json_t *root)
{
    const json_t *data = json_object_get(root, "data");
    return has_videos(root) && (json_object_get(data, "cursor") ||
                                json_object_get(data, "has_more"));
}

static bool detect_query(const json_t *root)
{
    return has_videos(root) && !detect_list(root);
}

static enum err video_counts(struct source_ctx *ctx, const json_t *v,
                             struct item *it)
{
    static const char *const map[][2] = {
        {"view_count", M_VIEWS},
        {"like_count", M_LIKES},
        {"comment_count", M_COMMENTS},
        {"share_count", M_SHARES},
    };
    struct snapshot *snap = NULL;
    enum err rc = ERR_OK;

    for (size_t k = 0; k < 4 && rc == ERR_OK; k++) {
        int64_t n;
        bool present;
        rc = jread_int(&ctx->r, v, map[k][0], J_OPTIONAL, 0, INT64_MAX, &n,
                       &present);
        if (rc != ERR_OK || !present)
            continue;
        if (snap == NULL)
            snap = item_snapshot_at(it, ctx->observed_at);
        rc = source_metric_i64(ctx, snap, map[k][1], n);
    }
    return rc;
}

static enum err video_one(struct source_ctx *ctx, const json_t *v, size_t i)
{
    const char *id, *title, *desc, *cover, *share;
    int64_t created, duration;
    bool has_created, has_duration;
    struct item *it;
    enum err rc;

    jread_where(&ctx->r, "data.videos[%zu]", i);
    if (!json_is_object(v))
        return jread_fail(&ctx->r, NULL, "expected an object, got %s",
                          jread_type_name(v));
    rc = jread_id(&ctx->r, v, "id", J_REQUIRED, &id);
    if (rc != ERR_OK)
        return rc;
    jread_where(&ctx->r, "data.videos[%zu] (id \"%s\")", i, id);
    rc = jread_string(&ctx->r, v, "title", J_OPTIONAL, ITEM_TEXT_MAX, &title);
    if (rc == ERR_OK)
        rc = jread_string(&ctx->r, v, "video_description", J_OPTIONAL,
                          ITEM_TEXT_MAX, &desc);
    if (rc == ERR_OK)
        rc = jread_string(&ctx->r, v, "cover_image_url", J_OPTIONAL,
                          ITEM_URL_MAX, &cover);
    if (rc == ERR_OK)
        rc = jread_string(&ctx->r, v, "share_url", J_OPTIONAL, ITEM_URL_MAX,
                          &share);
    if (rc == ERR_OK)
        rc = jread_int(&ctx->r, v, "create_time", J_OPTIONAL, 0,
                       TIME_MAX_VALID, &created, &has_created);
    if (rc == ERR_OK)
        rc = jread_int(&ctx->r, v, "duration", J_OPTIONAL, 0, 86400 * 7,
                       &duration, &has_duration);
    if (rc != ERR_OK)
        return rc;
    it = batch_item(ctx->batch, PLATFORM_TIKTOK, ITEM_CONTENT, id);
    item_set(&it->kind, "video");
    source_title_from(&it->title, title && *title ? title : desc, TITLE_MAX);
    item_set(&it->description, desc);
    item_set(&it->thumbnail_url, cover);
    item_set(&it->url, share);
    item_set(&it->account_ext_id, ctx->account_hint[PLATFORM_TIKTOK]);
    if (has_created)
        it->published_at = created;
    if (has_duration)
        it->duration_s = duration;
    return video_counts(ctx, v, it);
}

static enum err parse_videos(const json_t *root, struct source_ctx *ctx,
                             bool list)
{
    const json_t *data = json_object_get(root, "data");
    json_t *videos;
    int64_t cursor;
    bool more;
    enum err rc;

    jread_where(&ctx->r, "%s", "");
    rc = jread_array(&ctx->r, root, "data.videos", J_REQUIRED, &videos);
    if (rc == ERR_OK && list)
        rc = jread_int(&ctx->r, data, "cursor", J_REQUIRED, 0, INT64_MAX,
                       &cursor, NULL);
    if (rc == ERR_OK && list)
        rc = jread_bool(&ctx->r, data, "has_more", J_REQUIRED, &more, NULL);
    for (size_t i = 0; rc == ERR_OK && i < json_array_size(videos); i++)
        rc = video_one(ctx, json_array_get(videos, i), i);
    return rc;
}

static enum err parse_list(const json_t *root, struct source_ctx *ctx)
{
    return parse_videos(root, ctx, true);
}

static enum err parse_query(const json_t *root, struct source_ctx *ctx)
{
    return parse_videos(root, ctx, false);
}

const struct source_format tiktok_formats[] = {
    {"tiktok.error", "TikTok API v2 error body (error.code other than ok)",
     PLATFORM_TIKTOK, detect_error, parse_error, NULL, NULL},
    {"tiktok.user.info", "/v2/user/info/", PLATFORM_TIKTOK, detect_user,
     parse_user, NULL, NULL},
    {"tiktok.video.list", "/v2/video/list/ (cursor, has_more)",
     PLATFORM_TIKTOK, detect_list, parse_list, NULL, NULL},
    {"tiktok.video.query", "/v2/video/query/", PLATFORM_TIKTOK, detect_query,
     parse_query, NULL, NULL},
    {NULL, NULL, PLATFORM_TIKTOK, NULL, NULL, NULL, NULL},
};
