/* YouTube Data API v3 and YouTube Analytics API v2 responses.
 *
 * Counts arrive as JSON strings of digits (uint64 in the discovery
 * document); every part (snippet, statistics, contentDetails) is optional
 * because the caller chooses `part=`, and inside statistics each count is
 * optional because creators can hide likes. */
#include <string.h>

#include "core/str.h"
#include "core/timeutil.h"
#include "sources/source.h"

#define TEXT_MAX ITEM_TEXT_MAX
#define URL_MAX ITEM_URL_MAX
#define WATCH_URL "https://www.youtube.com/watch?v="

static bool kind_is(const json_t *root, const char *kind)
{
    const json_t *k = json_object_get(root, "kind");
    return json_is_string(k) && strcmp(json_string_value(k), kind) == 0;
}

/* ---- errors ------------------------------------------------------------ */

/* {"error": {"code": 400, "message": "...", "errors": [{"reason": ...}],
 *  "status": "INVALID_ARGUMENT"}} */
static bool detect_error(const json_t *root)
{
    const json_t *e = json_object_get(root, "error");
    return json_is_object(e) && json_is_integer(json_object_get(e, "code")) &&
           (json_is_array(json_object_get(e, "errors")) ||
            json_is_string(json_object_get(e, "status")));
}

static enum err parse_error(const json_t *root, struct source_ctx *ctx)
{
    const json_t *e = json_object_get(root, "error");
    const json_t *errs = json_object_get(e, "errors");
    const json_t *first = json_is_array(errs) ? json_array_get(errs, 0) : NULL;
    const json_t *reason = json_object_get(first, "reason");
    const json_t *msg = json_object_get(e, "message");
    const json_t *status = json_object_get(e, "status");

    buf_setf(ctx->r.err, "YouTube API error %lld (%s): %s",
             (long long)json_integer_value(json_object_get(e, "code")),
             json_is_string(reason)   ? json_string_value(reason)
             : json_is_string(status) ? json_string_value(status)
                                      : "no reason given",
             json_is_string(msg) ? json_string_value(msg) : "no message");
    return ERR_UPSTREAM;
}

/* ---- shared pieces -------------------------------------------------------- */

/* Best thumbnail URL of a snippet: maxres > standard > high > medium >
 * default. */
static enum err thumbnail(struct source_ctx *ctx, const json_t *snippet,
                          const char **out)
{
    static const char *const sizes[] = {
        "thumbnails.maxres.url", "thumbnails.standard.url",
        "thumbnails.high.url", "thumbnails.medium.url",
        "thumbnails.default.url"};
    enum err rc = ERR_OK;
    *out = NULL;
    for (size_t i = 0; i < 5 && *out == NULL && rc == ERR_OK; i++)
        rc = jread_string(&ctx->r, snippet, sizes[i], J_OPTIONAL, URL_MAX,
                          out);
    return rc;
}

/* Validate the paging members every list response may carry. */
static enum err paging(struct source_ctx *ctx, const json_t *root)
{
    const char *s;
    json_t *o;
    int64_t n;
    enum err rc;

    jread_where(&ctx->r, "%s", "");
    rc = jread_string(&ctx->r, root, "nextPageToken", J_OPTIONAL, 1024, &s);
    if (rc == ERR_OK)
        rc = jread_string(&ctx->r, root, "prevPageToken", J_OPTIONAL, 1024, &s);
    if (rc == ERR_OK)
        rc = jread_object(&ctx->r, root, "pageInfo", J_OPTIONAL, &o);
    if (rc == ERR_OK && o != NULL)
        rc = jread_int(&ctx->r, o, "totalResults", J_OPTIONAL, 0, INT64_MAX,
                       &n, NULL);
    return rc;
}

typedef enum err (*item_fn)(struct source_ctx *ctx, const json_t *item,
                            size_t index);

/* Run fn over items[] (absent or empty is a valid, empty page). */
static enum err each_item(const json_t *root, struct source_ctx *ctx,
                          item_fn fn)
{
    json_t *items;
    enum err rc = paging(ctx, root);

    if (rc == ERR_OK)
        rc = jread_array(&ctx->r, root, "items", J_OPTIONAL, &items);
    for (size_t i = 0; rc == ERR_OK && items && i < json_array_size(items);
         i++) {
        const json_t *it = json_array_get(items, i);
        jread_where(&ctx->r, "items[%zu]", i);
        if (!json_is_object(it))
            return jread_fail(&ctx->r, NULL, "expected an object, got %s",
                              jread_type_name(it));
        rc = fn(ctx, it, i);
    }
    return rc;
}

/* One optional count of statistics into metric name. */
static enum err count(struct source_ctx *ctx, const json_t *stats,
                      const char *field, const char *metric,
                      struct snapshot **snap, struct item *it)
{
    int64_t v;
    bool present;
    enum err rc = jread_count_str(&ctx->r, stats, field, J_OPTIONAL, &v,
                                  &present);
    if (rc != ERR_OK || !present)
        return rc;
    if (*snap == NULL)
        *snap = item_snapshot_at(it, ctx->observed_at);
    return source_metric_i64(ctx, *snap, metric, v);
}

/* Name the item in messages from now on. */
static void where_id(struct source_ctx *ctx, size_t i, const char *id)
{
    jread_where(&ctx->r, "items[%zu] (id \"%s\")", i, id);
}

/* ---- channels.list --------------------------------------------------------- */

static bool detect_channels(const json_t *root)
{
    return kind_is(root, "youtube#channelListResponse");
}

static enum err channel_snippet(struct source_ctx *ctx, const json_t *item,
                                struct item *ch)
{
    json_t *sn;
    const char *title, *desc, *handle, *thumb;
    enum err rc = jread_object(&ctx->r, item, "snippet", J_OPTIONAL, &sn);

    if (rc != ERR_OK || sn == NULL)
        return rc;
    rc = jread_string(&ctx->r, sn, "title", J_OPTIONAL, TEXT_MAX, &title);
    if (rc == ERR_OK)
        rc = jread_string(&ctx->r, sn, "description", J_OPTIONAL, TEXT_MAX,
                          &desc);
    if (rc == ERR_OK)
        rc = jread_string(&ctx->r, sn, "customUrl", J_OPTIONAL, 256, &handle);
    if (rc == ERR_OK)
        rc = jread_time(&ctx->r, sn, "publishedAt", J_OPTIONAL,
                        &ch->published_at);
    if (rc == ERR_OK)
        rc = thumbnail(ctx, sn, &thumb);
    if (rc != ERR_OK)
        return rc;
    item_set(&ch->title, title);
    item_set(&ch->description, desc);
    item_set(&ch->handle, handle);
    item_set(&ch->thumbnail_url, thumb);
    return ERR_OK;
}

static enum err channel_stats(struct source_ctx *ctx, const json_t *item,
                              struct item *ch)
{
    struct snapshot *snap = NULL;
    json_t *st;
    bool hidden = false;
    enum err rc = jread_object(&ctx->r, item, "statistics", J_OPTIONAL, &st);

    if (rc != ERR_OK || st == NULL)
        return rc;
    rc = jread_bool(&ctx->r, st, "hiddenSubscriberCount", J_OPTIONAL, &hidden,
                    NULL);
    if (rc == ERR_OK)
        rc = count(ctx, st, "viewCount", M_VIEWS, &snap, ch);
    if (rc == ERR_OK && !hidden)
        rc = count(ctx, st, "subscriberCount", M_FOLLOWERS, &snap, ch);
    if (rc == ERR_OK)
        rc = count(ctx, st, "videoCount", "yt.videoCount", &snap, ch);
    return rc;
}

static enum err channel_item(struct source_ctx *ctx, const json_t *item,
                             size_t i)
{
    const char *id;
    struct item *ch;
    enum err rc = jread_id(&ctx->r, item, "id", J_REQUIRED, &id);

    if (rc != ERR_OK)
        return rc;
    where_id(ctx, i, id);
    ch = batch_item(ctx->batch, PLATFORM_YOUTUBE, ITEM_ACCOUNT, id);
    item_set(&ch->kind, "channel");
    source_url(&ch->url, "https://www.youtube.com/channel/", id, "");
    rc = channel_snippet(ctx, item, ch);
    if (rc == ERR_OK)
        rc = channel_stats(ctx, item, ch);
    return rc;
}

static enum err parse_channels(const json_t *root, struct source_ctx *ctx)
{
    return each_item(root, ctx, channel_item);
}

/* ---- videos.list ------------------------------------------------------------ */

static bool detect_videos(const json_t *root)
{
    return kind_is(root, "youtube#videoListResponse");
}

/* The owning channel, named by the snippet. */
static void video_channel(struct source_ctx *ctx, struct item *v,
                          const char *channel_id, const char *channel_title)
{
    struct item *ch;
    if (channel_id == NULL)
        return;
    item_set(&v->account_ext_id, channel_id);
    ch = batch_item(ctx->batch, PLATFORM_YOUTUBE, ITEM_ACCOUNT, channel_id);
    item_set(&ch->kind, "channel");
    item_set(&ch->title, channel_title);
}

/* snippet.tags, strings joined by spaces into v->tags for the search
 * index: at most ITEM_TAGS_MAX bytes (the tags past it are left out); a
 * tag that is not a string refuses the document. */
static enum err video_tags(struct source_ctx *ctx, const json_t *sn,
                           struct item *v)
{
    json_t *tags;
    struct buf b;
    enum err rc = jread_array(&ctx->r, sn, "tags", J_OPTIONAL, &tags);

    if (rc != ERR_OK || tags == NULL)
        return rc;
    buf_init(&b, ITEM_TAGS_MAX);
    for (size_t i = 0; rc == ERR_OK && i < json_array_size(tags); i++) {
        const json_t *t = json_array_get(tags, i);
        size_t n = json_is_string(t) ? json_string_length(t) : 0;
        if (!json_is_string(t)) {
            rc = jread_fail(&ctx->r, "snippet.tags", "tag %zu is a %s, not "
                            "a string", i, jread_type_name(t));
        } else if (n > 0 && b.len + 1 + n <= ITEM_TAGS_MAX &&
                   memchr(json_string_value(t), '\0', n) == NULL) {
            if (b.len > 0)
                rc = buf_putc(&b, ' ');
            if (rc == ERR_OK)
                rc = buf_append(&b, json_string_value(t), n);
        }
    }
    if (rc == ERR_OK && b.len > 0)
        item_set(&v->tags, buf_cstr(&b));
    buf_free(&b);
    return rc;
}

static enum err video_snippet(struct source_ctx *ctx, const json_t *item,
                              struct item *v)
{
    json_t *sn;
    const char *title, *desc, *thumb, *chan, *chan_title, *live;
    enum err rc = jread_object(&ctx->r, item, "snippet", J_OPTIONAL, &sn);

    if (rc != ERR_OK || sn == NULL)
        return rc;
    rc = jread_string(&ctx->r, sn, "title", J_OPTIONAL, TEXT_MAX, &title);
    if (rc == ERR_OK)
        rc = jread_string(&ctx->r, sn, "description", J_OPTIONAL, TEXT_MAX,
                          &desc);
    if (rc == ERR_OK)
        rc = jread_id(&ctx->r, sn, "channelId", J_OPTIONAL, &chan);
    if (rc == ERR_OK)
        rc = jread_string(&ctx->r, sn, "channelTitle", J_OPTIONAL, TEXT_MAX,
                          &chan_title);
    if (rc == ERR_OK)
        rc = jread_string(&ctx->r, sn, "liveBroadcastContent", J_OPTIONAL, 32,
                          &live);
    if (rc == ERR_OK)
        rc = jread_time(&ctx->r, sn, "publishedAt", J_OPTIONAL,
                        &v->published_at);
    if (rc == ERR_OK)
        rc = thumbnail(ctx, sn, &thumb);
    if (rc == ERR_OK)
        rc = video_tags(ctx, sn, v);
    if (rc != ERR_OK)
        return rc;
    item_set(&v->title, title);
    item_set(&v->description, desc);
    item_set(&v->thumbnail_url, thumb);
    if (live && (strcmp(live, "live") == 0 || strcmp(live, "upcoming") == 0))
        item_set(&v->kind, "live");
    video_channel(ctx, v, chan, chan_title);
    return ERR_OK;
}

static enum err video_details(struct source_ctx *ctx, const json_t *item,
                              struct item *v)
{
    const char *dur;
    enum err rc = jread_string(&ctx->r, item, "contentDetails.duration",
                               J_OPTIONAL, 64, &dur);
    if (rc != ERR_OK || dur == NULL)
        return rc;
    if (time_parse_duration(dur, &v->duration_s) != ERR_OK)
        return jread_fail(&ctx->r, "contentDetails.duration",
                          "\"%s\" is not an ISO 8601 duration", dur);
    return ERR_OK;
}

static enum err video_stats(struct source_ctx *ctx, const json_t *item,
                            struct item *v)
{
    static const char *const map[][2] = {
        {"viewCount", M_VIEWS},
        {"likeCount", M_LIKES},
        {"commentCount", M_COMMENTS},
        {"favoriteCount", "yt.favoriteCount"},
        {"dislikeCount", "yt.dislikeCount"},
    };
    struct snapshot *snap = NULL;
    json_t *st;
    enum err rc = jread_object(&ctx->r, item, "statistics", J_OPTIONAL, &st);
    struct buf field;

    if (rc != ERR_OK || st == NULL)
        return rc;
    buf_init(&field, 64);
    for (size_t k = 0; k < 5 && rc == ERR_OK; k++) {
        /* Name the field by its full path in messages. */
        buf_setf(&field, "statistics.%s", map[k][0]);
        rc = count(ctx, item, buf_cstr(&field), map[k][1], &snap, v);
    }
    buf_free(&field);
    return rc;
}

static enum err video_item(struct source_ctx *ctx, const json_t *item,
                           size_t i)
{
    const char *id;
    struct item *v;
    enum err rc = jread_id(&ctx->r, item, "id", J_REQUIRED, &id);

    if (rc != ERR_OK)
        return rc;
    where_id(ctx, i, id);
    v = batch_item(ctx->batch, PLATFORM_YOUTUBE, ITEM_CONTENT, id);
    item_set(&v->kind, "video");
    source_url(&v->url, WATCH_URL, id, "");
    rc = video_snippet(ctx, item, v);
    if (rc == ERR_OK)
        rc = video_details(ctx, item, v);
    if (rc == ERR_OK)
        rc = video_stats(ctx, item, v);
    return rc;
}

static enum err parse_videos(const json_t *root, struct source_ctx *ctx)
{
    return each_item(root, ctx, video_item);
}

/* ---- playlistItems.list ------------------------------------------------------ */

static bool detect_playlist(const json_t *root)
{
    return kind_is(root, "youtube#playlistItemListResponse");
}

static enum err playlist_item(struct source_ctx *ctx, const json_t *item,
                              size_t i)
{
    const char *vid, *title, *desc, *owner, *thumb;
    int64_t pub = TIME_NONE, vpub = TIME_NONE;
    struct item *v;
    json_t *sn;
    enum err rc = jread_object(&ctx->r, item, "snippet", J_OPTIONAL, &sn);

    if (rc == ERR_OK)
        rc = jread_id(&ctx->r, item, "contentDetails.videoId", J_OPTIONAL, &vid);
    if (rc == ERR_OK && vid == NULL)
        rc = jread_id(&ctx->r, item, "snippet.resourceId.videoId", J_REQUIRED,
                      &vid);
    if (rc != ERR_OK)
        return rc;
    where_id(ctx, i, vid);
    rc = jread_string(&ctx->r, item, "snippet.title", J_OPTIONAL, TEXT_MAX,
                      &title);
    if (rc == ERR_OK)
        rc = jread_string(&ctx->r, item, "snippet.description", J_OPTIONAL,
                          TEXT_MAX, &desc);
    if (rc == ERR_OK)
        rc = jread_id(&ctx->r, item, "snippet.videoOwnerChannelId", J_OPTIONAL,
                      &owner);
    if (rc == ERR_OK)
        rc = jread_time(&ctx->r, item, "snippet.publishedAt", J_OPTIONAL, &pub);
    if (rc == ERR_OK)
        rc = jread_time(&ctx->r, item, "contentDetails.videoPublishedAt",
                        J_OPTIONAL, &vpub);
    if (rc == ERR_OK)
        rc = thumbnail(ctx, sn, &thumb);
    if (rc != ERR_OK)
        return rc;
    v = batch_item(ctx->batch, PLATFORM_YOUTUBE, ITEM_CONTENT, vid);
    item_set(&v->kind, "video");
    item_set(&v->title, title);
    item_set(&v->description, desc);
    item_set(&v->thumbnail_url, thumb);
    /* The video's own publication time; the snippet's is when it was
     * added to the playlist. */
    v->published_at = vpub != TIME_NONE ? vpub : pub;
    video_channel(ctx, v, owner, NULL);
    source_url(&v->url, WATCH_URL, vid, "");
    return ERR_OK;
}

static enum err parse_playlist(const json_t *root, struct source_ctx *ctx)
{
    return each_item(root, ctx, playlist_item);
}

/* ---- search.list (metadata only) --------------------------------------------- */

static bool detect_search(const json_t *root)
{
    return kind_is(root, "youtube#searchListResponse");
}

static enum err search_item(struct source_ctx *ctx, const json_t *item,
                            size_t i)
{
    const char *kind, *id, *title, *desc, *thumb;
    enum item_type type;
    struct item *it;
    int64_t pub = TIME_NONE;
    json_t *sn;
    enum err rc = jread_string(&ctx->r, item, "id.kind", J_REQUIRED, 64, &kind);

    if (rc != ERR_OK)
        return rc;
    if (strcmp(kind, "youtube#video") == 0) {
        type = ITEM_CONTENT;
        rc = jread_id(&ctx->r, item, "id.videoId", J_REQUIRED, &id);
    } else if (strcmp(kind, "youtube#channel") == 0) {
        type = ITEM_ACCOUNT;
        rc = jread_id(&ctx->r, item, "id.channelId", J_REQUIRED, &id);
    } else {
        return ERR_OK; /* playlists are not tracked */
    }
    if (rc != ERR_OK)
        return rc;
    where_id(ctx, i, id);
    rc = jread_object(&ctx->r, item, "snippet", J_OPTIONAL, &sn);
    if (rc == ERR_OK)
        rc = jread_string(&ctx->r, item, "snippet.title", J_OPTIONAL, TEXT_MAX,
                          &title);
    if (rc == ERR_OK)
        rc = jread_string(&ctx->r, item, "snippet.description", J_OPTIONAL,
                          TEXT_MAX, &desc);
    if (rc == ERR_OK)
        rc = jread_time(&ctx->r, item, "snippet.publishedAt", J_OPTIONAL, &pub);
    if (rc == ERR_OK)
        rc = thumbnail(ctx, sn, &thumb);
    if (rc != ERR_OK)
        return rc;
    it = batch_item(ctx->batch, PLATFORM_YOUTUBE, type, id);
    item_set(&it->kind, type == ITEM_CONTENT ? "video" : "channel");
    item_set(&it->title, title);
    item_set(&it->description, desc);
    item_set(&it->thumbnail_url, thumb);
    if (pub != TIME_NONE)
        it->published_at = pub;
    return ERR_OK;
}

static enum err parse_search(const json_t *root, struct source_ctx *ctx)
{
    return each_item(root, ctx, search_item);
}

/* ---- YouTube Analytics v2 reports.query ------------------------------------- */

#define YTA_MAX_COLUMNS 64

static bool detect_analytics(const json_t *root)
{
    return kind_is(root, "youtubeAnalytics#resultTable") ||
           (json_is_array(json_object_get(root, "columnHeaders")) &&
            !json_object_get(root, "kind"));
}

enum yta_col { COL_DAY, COL_VIDEO, COL_INT, COL_REAL };

struct yta {
    size_t ncols;
    enum yta_col col[YTA_MAX_COLUMNS];
    const char *name[YTA_MAX_COLUMNS];
    bool has_day, has_video;
};

static enum err yta_header(struct source_ctx *ctx, const json_t *h, size_t i,
                           struct yta *t)
{
    const char *name, *ctype, *dtype;
    enum err rc;

    jread_where(&ctx->r, "columnHeaders[%zu]", i);
    rc = jread_string(&ctx->r, h, "name", J_REQUIRED, METRIC_NAME_MAX, &name);
    if (rc == ERR_OK)
        rc = jread_string(&ctx->r, h, "columnType", J_REQUIRED, 32, &ctype);
    if (rc == ERR_OK)
        rc = jread_string(&ctx->r, h, "dataType", J_REQUIRED, 32, &dtype);
    if (rc != ERR_OK)
        return rc;
    t->name[i] = name;
    if (strcmp(ctype, "DIMENSION") == 0) {
        if (strcmp(name, "day") == 0 && !t->has_day) {
            t->col[i] = COL_DAY;
            t->has_day = true;
        } else if (strcmp(name, "video") == 0 && !t->has_video) {
            t->col[i] = COL_VIDEO;
            t->has_video = true;
        } else {
            return jread_fail(&ctx->r, "name", "dimension \"%s\" is not "
                              "supported (use dimensions=day or day,video)",
                              name);
        }
    } else if (strcmp(ctype, "METRIC") == 0) {
        if (!metric_name_valid(name))
            return jread_fail(&ctx->r, "name", "invalid metric name");
        if (strcmp(dtype, "INTEGER") == 0)
            t->col[i] = COL_INT;
        else if (strcmp(dtype, "FLOAT") == 0)
            t->col[i] = COL_REAL;
        else
            return jread_fail(&ctx->r, "dataType", "\"%s\" for a metric",
                              dtype);
    } else {
        return jread_fail(&ctx->r, "columnType", "unknown \"%s\"", ctype);
    }
    return ERR_OK;
}

static enum err yta_headers(const json_t *root, struct source_ctx *ctx,
                            struct yta *t)
{
    json_t *hs;
    enum err rc = jread_array(&ctx->r, root, "columnHeaders", J_REQUIRED, &hs);

    if (rc != ERR_OK)
        return rc;
    t->ncols = json_array_size(hs);
    if (t->ncols > YTA_MAX_COLUMNS)
        return jread_fail(&ctx->r, "columnHeaders", "%zu columns, over %d",
                          t->ncols, YTA_MAX_COLUMNS);
    for (size_t i = 0; i < t->ncols && rc == ERR_OK; i++) {
        const json_t *h = json_array_get(hs, i);
        if (!json_is_object(h))
            return jread_fail(&ctx->r, "columnHeaders", "entry %zu is %s", i,
                              jread_type_name(h));
        rc = yta_header(ctx, h, i, t);
    }
    jread_where(&ctx->r, "%s", "");
    if (rc == ERR_OK && !t->has_day)
        return jread_fail(&ctx->r, "columnHeaders",
                          "no \"day\" dimension: only daily reports "
                          "(dimensions=day) are imported");
    return rc;
}

/* The item a row belongs to: its video, or the channel of the hint. */
static enum err yta_item(struct source_ctx *ctx, const struct yta *t,
                         const json_t *row, struct item **out)
{
    const char *hint = ctx->account_hint[PLATFORM_YOUTUBE];
    for (size_t c = 0; c < t->ncols; c++) {
        const json_t *v = json_array_get(row, c);
        const char *id;
        if (t->col[c] != COL_VIDEO)
            continue;
        if (!json_is_string(v) || json_string_length(v) == 0 ||
            json_string_length(v) > ITEM_ID_MAX)
            return jread_fail(&ctx->r, "video", "expected a video id");
        id = json_string_value(v);
        *out = batch_item(ctx->batch, PLATFORM_YOUTUBE, ITEM_CONTENT, id);
        item_set(&(*out)->kind, "video");
        item_set(&(*out)->account_ext_id, hint);
        return ERR_OK;
    }
    if (hint == NULL)
        return jread_fail(&ctx->r, NULL,
                          "reports.query responses do not name their "
                          "channel: pass --account youtube:CHANNEL_ID");
    *out = batch_item(ctx->batch, PLATFORM_YOUTUBE, ITEM_ACCOUNT, hint);
    item_set(&(*out)->kind, "channel");
    return ERR_OK;
}

static enum err yta_cell(struct source_ctx *ctx, const struct yta *t,
                         size_t c, const json_t *v, struct snapshot *snap)
{
    struct buf name;
    enum err rc;
    double d = json_number_value(v);

    if (!json_is_number(v) ||
        (t->col[c] == COL_INT && !json_is_integer(v) &&
         (d > 9e15 || d < -9e15 || d != (double)(int64_t)d)))
        return jread_fail(&ctx->r, t->name[c], "expected %s, got %s",
                          t->col[c] == COL_INT ? "an integer" : "a number",
                          jread_type_name(v));
    buf_init(&name, METRIC_NAME_MAX + 16);
    rc = buf_printf(&name, "yt.day.%s", t->name[c]);
    if (rc == ERR_OK && t->col[c] == COL_INT)
        rc = source_metric_i64(ctx, snap, buf_cstr(&name),
                               json_is_integer(v) ? json_integer_value(v)
                                                  : (int64_t)d);
    else if (rc == ERR_OK)
        rc = source_metric_real(ctx, snap, buf_cstr(&name), d);
    buf_free(&name);
    return rc;
}

static enum err yta_row(struct source_ctx *ctx, const struct yta *t,
                        const json_t *row, size_t i)
{
    const char *day = NULL;
    struct item *it = NULL;
    struct snapshot *snap;
    int64_t t0;
    enum err rc;

    jread_where(&ctx->r, "rows[%zu]", i);
    if (!json_is_array(row) || json_array_size(row) != t->ncols)
        return jread_fail(&ctx->r, NULL, "expected an array of %zu cells",
                          t->ncols);
    for (size_t c = 0; c < t->ncols; c++)
        if (t->col[c] == COL_DAY)
            day = json_string_value(json_array_get(row, c));
    if (day == NULL || strlen(day) != 10 || time_parse_iso8601(day, &t0) !=
                                                ERR_OK)
        return jread_fail(&ctx->r, "day", "expected a date YYYY-MM-DD");
    jread_where(&ctx->r, "rows[%zu] (day %s)", i, day);
    rc = yta_item(ctx, t, row, &it);
    if (rc != ERR_OK)
        return rc;
    snap = item_snapshot_at(it, t0);
    for (size_t c = 0; c < t->ncols && rc == ERR_OK; c++)
        if (t->col[c] == COL_INT || t->col[c] == COL_REAL)
            rc = yta_cell(ctx, t, c, json_array_get(row, c), snap);
    return rc;
}

static enum err parse_analytics(const json_t *root, struct source_ctx *ctx)
{
    struct yta t;
    json_t *rows;
    enum err rc;

    memset(&t, 0, sizeof t);
    rc = yta_headers(root, ctx, &t);
    if (rc == ERR_OK)
        rc = jread_array(&ctx->r, root, "rows", J_OPTIONAL, &rows);
    for (size_t i = 0; rc == ERR_OK && rows && i < json_array_size(rows); i++)
        rc = yta_row(ctx, &t, json_array_get(rows, i), i);
    return rc;
}

const struct source_format youtube_formats[] = {
    {"youtube.error", "YouTube API error body", PLATFORM_YOUTUBE,
     detect_error, parse_error, NULL, NULL},
    {"youtube.channels.list", "channels.list (snippet, statistics)",
     PLATFORM_YOUTUBE, detect_channels, parse_channels, NULL, NULL},
    {"youtube.videos.list",
     "videos.list (snippet, statistics, contentDetails)", PLATFORM_YOUTUBE,
     detect_videos, parse_videos, NULL, NULL},
    {"youtube.playlistItems.list", "playlistItems.list (video metadata)",
     PLATFORM_YOUTUBE, detect_playlist, parse_playlist, NULL, NULL},
    {"youtube.search.list", "search.list (metadata only)", PLATFORM_YOUTUBE,
     detect_search, parse_search, NULL, NULL},
    {"youtube_analytics.reports.query",
     "YouTube Analytics v2 reports.query, dimensions=day[,video]",
     PLATFORM_YOUTUBE, detect_analytics, parse_analytics, NULL, NULL},
    {NULL, NULL, PLATFORM_YOUTUBE, NULL, NULL, NULL, NULL},
};
