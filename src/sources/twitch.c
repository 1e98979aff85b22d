/* Twitch Helix responses (api.twitch.tv/helix): users, channels,
 * channels/followers, streams, videos and clips, and the two error
 * shapes (Helix {"error", "status", "message"}; id.twitch.tv
 * {"status", "message"}). Every list is {"data": [...], "pagination":
 * {"cursor"}}; ids are strings of digits (clips: words).
 *
 * What becomes what: a user or channel is the account (ext id: the user
 * id); a stream is a content item (kind "stream", ext id: the stream id)
 * whose snapshots hold "viewers" (its live viewer curve); videos (kind
 * "archive", "highlight" or "upload") and clips (kind "clip") are content
 * items with "views". A video's stream_id and a clip's video_id are kept
 * as links (batch_link): "vod_of" and "clip_of".
 *
 * Whose items: those of the user named by --account twitch:ID, or
 * without it of the page's only user, are the user's own; entries of
 * other users (a page of the top streams) are stored as tracked. */
#include <math.h>
#include <string.h>

#include "core/str.h"
#include "core/timeutil.h"
#include "sources/source.h"

#define TITLE_MAX 140
#define LOGIN_MAX 64
#define CHANNEL_URL "https://www.twitch.tv/"
#define MAX_DURATION_S (7 * 86400) /* Twitch ends a broadcast at 48 h */

/* ---- shared --------------------------------------------------------------- */

static const json_t *data_of(const json_t *root)
{
    const json_t *d = json_object_get(root, "data");
    return json_is_array(d) ? d : NULL;
}

/* A Helix list: "data" array, and besides it only "pagination", "total"
 * or "template" (keys Helix documents on list answers). */
static bool helix_list(const json_t *root)
{
    const char *k;
    json_t *v;

    if (data_of(root) == NULL)
        return false;
    json_object_foreach((json_t *)root, k, v) {
        if (strcmp(k, "data") != 0 && strcmp(k, "pagination") != 0 &&
            strcmp(k, "total") != 0 && strcmp(k, "template") != 0)
            return false;
    }
    return true;
}

/* Does every key of keys appear in the first entry? Empty pages are
 * claimed by no shape (nothing to store; detection stays strict). */
static bool first_has(const json_t *root, const char *const *keys)
{
    const json_t *first = json_array_get(data_of(root), 0);

    if (!helix_list(root) || !json_is_object(first))
        return false;
    for (; *keys; keys++)
        if (json_object_get(first, *keys) == NULL)
            return false;
    return true;
}

/* The entries' user: all entries name one user id (key), or NULL. */
static const char *only_user(const json_t *root, const char *key)
{
    const char *one = NULL;
    size_t i;
    json_t *e;

    json_array_foreach(data_of(root), i, e) {
        const char *id = json_string_value(json_object_get(e, key));
        if (id == NULL || (one != NULL && strcmp(one, id) != 0))
            return NULL;
        one = id;
    }
    return one;
}

/* The user's own account id for this page: the hint, else its only
 * user (see the top of the file). */
static const char *own_user(const json_t *root, struct source_ctx *ctx,
                            const char *key)
{
    const char *hint = ctx->account_hint[PLATFORM_TWITCH];
    return hint ? hint : only_user(root, key);
}

/* The account item of user id, with login and display name when given;
 * tracked unless it is own. */
static struct item *account(struct source_ctx *ctx, const char *id,
                            const char *login, const char *name,
                            const char *own)
{
    struct item *it =
        batch_item(ctx->batch, PLATFORM_TWITCH, ITEM_ACCOUNT, id);

    item_set(&it->kind, "channel");
    item_set(&it->handle, login);
    item_set(&it->title, name);
    if (login != NULL && *login)
        source_url(&it->url, CHANNEL_URL, login, "");
    it->tracked = own == NULL || strcmp(own, id) != 0;
    return it;
}

static enum err entry_begin(struct source_ctx *ctx, const json_t *e,
                            const char *what, size_t i, const char **id)
{
    enum err rc;

    jread_where(&ctx->r, "data[%zu]", i);
    if (!json_is_object(e))
        return jread_fail(&ctx->r, NULL, "expected an object, got %s",
                          jread_type_name(e));
    rc = jread_id(&ctx->r, e, "id", J_REQUIRED, id);
    if (rc == ERR_OK)
        jread_where(&ctx->r, "data[%zu] (%s \"%s\")", i, what, *id);
    return rc;
}

/* Optional strings of e: names[k] into out[k] (max bytes each). */
static enum err strings(struct source_ctx *ctx, const json_t *e,
                        const char *const *names, const char **out, size_t n,
                        size_t max)
{
    enum err rc = ERR_OK;
    for (size_t k = 0; k < n && rc == ERR_OK; k++)
        rc = jread_string(&ctx->r, e, names[k], J_OPTIONAL, max, &out[k]);
    return rc;
}

static enum err metric(struct source_ctx *ctx, struct item *it,
                       const char *name, int64_t v)
{
    return source_metric_i64(ctx, item_snapshot_at(it, ctx->observed_at),
                             name, v);
}

/* A user or broadcaster id naming the entry's account. */
static enum err owner_id(struct source_ctx *ctx, const json_t *e,
                         const char *key, const char **out)
{
    return jread_id(&ctx->r, e, key, J_REQUIRED, out);
}

/* ---- errors --------------------------------------------------------------- */

/* Helix: {"error": "Unauthorized", "status": 401, "message": "..."};
 * id.twitch.tv: {"status": 400, "message": "Invalid refresh token"}. */
static bool detect_error(const json_t *root)
{
    size_t n = json_object_size(root);
    const json_t *e = json_object_get(root, "error");

    if (!json_is_integer(json_object_get(root, "status")) ||
        !json_is_string(json_object_get(root, "message")))
        return false;
    return (n == 3 && json_is_string(e)) || (n == 2 && e == NULL);
}

/* Append at most max bytes of s, control characters as '?' (the
 * platform's text goes into a one-line message). */
static void cat_clean(struct buf *out, const char *s, size_t max)
{
    for (size_t i = 0; s[i] && i < max; i++) {
        unsigned char c = (unsigned char)s[i];
        if (buf_putc(out, c < 0x20 || c == 0x7f ? '?' : (char)c) != ERR_OK)
            return;
    }
}

static enum err parse_error(const json_t *root, struct source_ctx *ctx)
{
    const char *e = json_string_value(json_object_get(root, "error"));
    const char *msg = json_string_value(json_object_get(root, "message"));
    long long status = json_integer_value(json_object_get(root, "status"));

    buf_setf(ctx->r.err, "Twitch %serror %lld", e ? "Helix " : "", status);
    if (e != NULL) {
        buf_catf(ctx->r.err, " (");
        cat_clean(ctx->r.err, e, 80);
        buf_catf(ctx->r.err, ")");
    }
    buf_catf(ctx->r.err, ": ");
    cat_clean(ctx->r.err, *msg ? msg : "no message", 300);
    return ERR_UPSTREAM;
}

/* ---- users ----------------------------------------------------------------- */

static bool detect_users(const json_t *root)
{
    static const char *const keys[] = {"id", "login", "display_name",
                                       "broadcaster_type", NULL};
    return first_has(root, keys);
}

static enum err user_one(struct source_ctx *ctx, const json_t *u, size_t i,
                         const char *own)
{
    static const char *const names[] = {"login", "display_name",
                                        "description", "profile_image_url"};
    const char *id, *s[4];
    int64_t views, created;
    bool has_views;
    struct item *it;
    enum err rc;

    rc = entry_begin(ctx, u, "user", i, &id);
    if (rc == ERR_OK)
        rc = strings(ctx, u, names, s, 4, ITEM_TEXT_MAX);
    if (rc == ERR_OK)
        rc = jread_time(&ctx->r, u, "created_at", J_OPTIONAL, &created);
    if (rc == ERR_OK)
        rc = jread_int(&ctx->r, u, "view_count", J_OPTIONAL, 0, INT64_MAX,
                       &views, &has_views);
    if (rc != ERR_OK)
        return rc;
    if (s[0] != NULL && strlen(s[0]) > LOGIN_MAX)
        return jread_fail(&ctx->r, "login", "longer than %d bytes",
                          LOGIN_MAX);
    it = account(ctx, id, s[0], s[1], own);
    item_set(&it->description, s[2]);
    item_set(&it->thumbnail_url, s[3]);
    if (created != TIME_NONE)
        it->published_at = created;
    /* view_count is frozen since April 2022 (Helix): kept as Twitch's own */
    if (has_views)
        rc = metric(ctx, it, "tw.view_count", views);
    return rc;
}

static enum err parse_users(const json_t *root, struct source_ctx *ctx)
{
    const char *own = own_user(root, ctx, "id");
    enum err rc = ERR_OK;

    for (size_t i = 0; rc == ERR_OK && i < json_array_size(data_of(root));
         i++)
        rc = user_one(ctx, json_array_get(data_of(root), i), i, own);
    return rc;
}

/* ---- channels/followers ------------------------------------------------- */

/* {"total": N, "data": [{"user_id", "user_login", "followed_at"}],
 * "pagination"}: only the total is kept (followers are other people). */
static bool detect_followers(const json_t *root)
{
    static const char *const keys[] = {"user_id", "followed_at", NULL};
    return helix_list(root) &&
           json_is_integer(json_object_get(root, "total")) &&
           (json_array_size(data_of(root)) == 0 || first_has(root, keys));
}

static enum err parse_followers(const json_t *root, struct source_ctx *ctx)
{
    const char *own = ctx->account_hint[PLATFORM_TWITCH];
    int64_t total;
    enum err rc;

    jread_where(&ctx->r, "%s", "");
    rc = jread_int(&ctx->r, root, "total", J_REQUIRED, 0, INT64_MAX, &total,
                   NULL);
    if (rc != ERR_OK)
        return rc;
    if (own == NULL)
        return jread_fail(&ctx->r, "total",
                          "the followers page does not name its channel: "
                          "pass --account twitch:BROADCASTER_ID");
    return metric(ctx, account(ctx, own, NULL, NULL, own), M_FOLLOWERS,
                  total);
}

/* ---- channels -------------------------------------------------------------- */

/* {"data": [{"broadcaster_id", "broadcaster_login", "broadcaster_name",
 * "game_name", "title", "tags", ...}]}: the account's names; the title,
 * game and tags are validated and kept as the account's description. */
static bool detect_channels(const json_t *root)
{
    static const char *const keys[] = {"broadcaster_id", "broadcaster_login",
                                       "game_name", "title", NULL};
    const json_t *first = json_array_get(data_of(root), 0);
    return first_has(root, keys) && json_object_get(first, "is_live") == NULL;
}

static enum err channel_tags(struct source_ctx *ctx, const json_t *c,
                             struct buf *about)
{
    json_t *tags, *t;
    size_t i;
    enum err rc = jread_array(&ctx->r, c, "tags", J_OPTIONAL, &tags);

    json_array_foreach(tags, i, t) {
        if (rc != ERR_OK)
            break;
        if (!json_is_string(t) || json_string_length(t) > 100)
            rc = jread_fail(&ctx->r, "tags", "entry %zu is not a tag "
                            "(a string of at most 100 bytes)", i);
        else
            buf_catf(about, "%s#%s", i ? " " : " · ", json_string_value(t));
    }
    return rc;
}

static enum err channel_one(struct source_ctx *ctx, const json_t *c,
                            size_t i, const char *own)
{
    static const char *const names[] = {"broadcaster_login",
                                        "broadcaster_name", "title",
                                        "game_name"};
    const char *id, *s[4];
    struct buf about;
    struct item *it;
    enum err rc;

    jread_where(&ctx->r, "data[%zu]", i);
    if (!json_is_object(c))
        return jread_fail(&ctx->r, NULL, "expected an object");
    rc = owner_id(ctx, c, "broadcaster_id", &id);
    if (rc == ERR_OK)
        rc = strings(ctx, c, names, s, 4, ITEM_TEXT_MAX / 4);
    buf_init(&about, ITEM_TEXT_MAX);
    if (rc == ERR_OK && s[2] != NULL && *s[2])
        buf_catf(&about, "%s", s[2]);
    if (rc == ERR_OK && s[3] != NULL && *s[3])
        buf_catf(&about, "%s%s", about.len ? " · " : "", s[3]);
    if (rc == ERR_OK)
        rc = channel_tags(ctx, c, &about);
    if (rc == ERR_OK) {
        it = account(ctx, id, s[0], s[1], own);
        if (about.len)
            item_set(&it->description, buf_cstr(&about));
    }
    buf_free(&about);
    return rc;
}

static enum err parse_channels(const json_t *root, struct source_ctx *ctx)
{
    const char *own = own_user(root, ctx, "broadcaster_id");
    enum err rc = ERR_OK;

    for (size_t i = 0; rc == ERR_OK && i < json_array_size(data_of(root));
         i++)
        rc = channel_one(ctx, json_array_get(data_of(root), i), i, own);
    return rc;
}

/* ---- streams --------------------------------------------------------------- */

static bool detect_streams(const json_t *root)
{
    static const char *const keys[] = {"id", "user_id", "viewer_count",
                                       "started_at", NULL};
    return first_has(root, keys);
}

/* One stream: its item and one point of its viewer curve. */
static enum err stream_one(struct source_ctx *ctx, const json_t *s, size_t i,
                           const char *own)
{
    static const char *const names[] = {"user_login", "user_name", "title",
                                        "game_name", "type",
                                        "thumbnail_url"};
    const char *id, *user, *v[6];
    int64_t viewers, started;
    struct item *it;
    enum err rc;

    rc = entry_begin(ctx, s, "stream", i, &id);
    if (rc == ERR_OK)
        rc = owner_id(ctx, s, "user_id", &user);
    if (rc == ERR_OK)
        rc = strings(ctx, s, names, v, 6, ITEM_TEXT_MAX / 4);
    if (rc == ERR_OK)
        rc = jread_int(&ctx->r, s, "viewer_count", J_REQUIRED, 0, INT32_MAX,
                       &viewers, NULL);
    if (rc == ERR_OK)
        rc = jread_time(&ctx->r, s, "started_at", J_REQUIRED, &started);
    if (rc != ERR_OK)
        return rc;
    account(ctx, user, v[0], v[1], own);
    it = batch_item(ctx->batch, PLATFORM_TWITCH, ITEM_CONTENT, id);
    item_set(&it->kind, "stream");
    item_set(&it->account_ext_id, user);
    source_title_from(&it->title, v[2], TITLE_MAX);
    item_set(&it->description, v[3]); /* the game */
    if (v[0] != NULL && *v[0])
        source_url(&it->url, CHANNEL_URL, v[0], "");
    it->published_at = started;
    /* Helix answers type "" on error: no viewer count is believed then */
    if (v[4] != NULL && strcmp(v[4], "live") != 0)
        return ERR_OK;
    return metric(ctx, it, M_VIEWERS, viewers);
}

static enum err parse_streams(const json_t *root, struct source_ctx *ctx)
{
    const char *own = own_user(root, ctx, "user_id");
    enum err rc = ERR_OK;

    for (size_t i = 0; rc == ERR_OK && i < json_array_size(data_of(root));
         i++)
        rc = stream_one(ctx, json_array_get(data_of(root), i), i, own);
    return rc;
}

/* ---- videos -------------------------------------------------------------- */

static bool detect_videos(const json_t *root)
{
    static const char *const keys[] = {"id", "user_id", "stream_id",
                                       "view_count", "duration", NULL};
    return first_has(root, keys);
}

/* Twitch durations: "3h45m54s", "41m50s", "59s". */
static enum err twitch_duration(const char *s, int64_t *out)
{
    int64_t total = 0, n = -1;
    int last = 0; /* 3: h, 2: m, 1: s; units only go down */

    for (; *s; s++) {
        int unit = *s == 'h' ? 3 : *s == 'm' ? 2 : *s == 's' ? 1 : 0;
        if (*s >= '0' && *s <= '9') {
            n = (n < 0 ? 0 : n) * 10 + (*s - '0');
            if (n > MAX_DURATION_S)
                return ERR_INVALID;
        } else if (unit == 0 || n < 0 || (last && unit >= last)) {
            return ERR_INVALID;
        } else {
            total += n * (unit == 3 ? 3600 : unit == 2 ? 60 : 1);
            last = unit;
            n = -1;
        }
    }
    if (n >= 0 || last == 0 || total > MAX_DURATION_S)
        return ERR_INVALID;
    *out = total;
    return ERR_OK;
}

/* muted_segments: null or [{"duration": s, "offset": s}]: how many and
 * their seconds, as Twitch's own metrics. */
static enum err muted(struct source_ctx *ctx, const json_t *v,
                      struct item *it)
{
    json_t *segs, *seg;
    int64_t secs = 0, d;
    size_t i;
    enum err rc = jread_array(&ctx->r, v, "muted_segments", J_OPTIONAL, &segs);

    if (rc != ERR_OK || segs == NULL)
        return rc;
    json_array_foreach(segs, i, seg) {
        rc = jread_int(&ctx->r, seg, "duration", J_REQUIRED, 0,
                       MAX_DURATION_S, &d, NULL);
        if (rc != ERR_OK)
            return rc;
        secs += d;
    }
    rc = metric(ctx, it, "tw.muted_segments", (int64_t)json_array_size(segs));
    return rc == ERR_OK ? metric(ctx, it, "tw.muted_s", secs) : rc;
}

static enum err video_fields(struct source_ctx *ctx, const json_t *v,
                             struct item *it)
{
    const char *dur;
    int64_t secs, when;
    enum err rc;

    rc = jread_string(&ctx->r, v, "duration", J_REQUIRED, 32, &dur);
    if (rc != ERR_OK)
        return rc;
    if (twitch_duration(dur, &secs) != ERR_OK)
        return jread_fail(&ctx->r, "duration",
                          "\"%s\" is not a duration like 3h2m1s", dur);
    it->duration_s = secs;
    rc = jread_time(&ctx->r, v, "published_at", J_OPTIONAL, &when);
    if (rc == ERR_OK && when == TIME_NONE)
        rc = jread_time(&ctx->r, v, "created_at", J_OPTIONAL, &when);
    if (rc == ERR_OK && when != TIME_NONE)
        it->published_at = when;
    return rc;
}

static enum err video_one(struct source_ctx *ctx, const json_t *v, size_t i,
                          const char *own)
{
    static const char *const names[] = {
        "user_login", "user_name", "title", "description",
        "url",        "thumbnail_url", "type"};
    const char *id, *user, *stream, *s[7];
    int64_t views;
    struct item *it;
    enum err rc;

    rc = entry_begin(ctx, v, "video", i, &id);
    if (rc == ERR_OK)
        rc = owner_id(ctx, v, "user_id", &user);
    if (rc == ERR_OK)
        rc = strings(ctx, v, names, s, 7, ITEM_TEXT_MAX);
    if (rc == ERR_OK && json_is_string(json_object_get(v, "stream_id")) &&
        json_string_length(json_object_get(v, "stream_id")) > 0)
        rc = jread_id(&ctx->r, v, "stream_id", J_REQUIRED, &stream);
    else
        stream = NULL;
    if (rc == ERR_OK)
        rc = jread_int(&ctx->r, v, "view_count", J_REQUIRED, 0, INT64_MAX,
                       &views, NULL);
    if (rc != ERR_OK)
        return rc;
    if (s[6] != NULL && strcmp(s[6], "archive") != 0 &&
        strcmp(s[6], "highlight") != 0 && strcmp(s[6], "upload") != 0)
        return jread_fail(&ctx->r, "type", "\"%.40s\" is not archive, "
                          "highlight or upload", s[6]);
    account(ctx, user, s[0], s[1], own);
    it = batch_item(ctx->batch, PLATFORM_TWITCH, ITEM_CONTENT, id);
    item_set(&it->kind, s[6] ? s[6] : "archive");
    item_set(&it->account_ext_id, user);
    source_title_from(&it->title, s[2], TITLE_MAX);
    item_set(&it->description, s[3] && *s[3] ? s[3] : NULL);
    item_set(&it->url, s[4]);
    item_set(&it->thumbnail_url, s[5] && *s[5] ? s[5] : NULL);
    rc = video_fields(ctx, v, it);
    if (rc == ERR_OK)
        rc = metric(ctx, it, M_VIEWS, views);
    if (rc == ERR_OK)
        rc = muted(ctx, v, it);
    if (rc == ERR_OK && stream != NULL &&
        batch_link(ctx->batch, PLATFORM_TWITCH, id, "vod_of", stream, -1) !=
            ERR_OK)
        rc = jread_fail(&ctx->r, "stream_id", "out of memory");
    return rc;
}

static enum err parse_videos(const json_t *root, struct source_ctx *ctx)
{
    const char *own = own_user(root, ctx, "user_id");
    enum err rc = ERR_OK;

    for (size_t i = 0; rc == ERR_OK && i < json_array_size(data_of(root));
         i++)
        rc = video_one(ctx, json_array_get(data_of(root), i), i, own);
    return rc;
}

/* ---- clips ------------------------------------------------------------------ */

static bool detect_clips(const json_t *root)
{
    static const char *const keys[] = {"id", "broadcaster_id", "creator_id",
                                       "view_count", NULL};
    return first_has(root, keys);
}

/* video_id ("" when the VOD is gone) and vod_offset (null then). */
static enum err clip_link(struct source_ctx *ctx, const json_t *c,
                          const char *id)
{
    const json_t *vid = json_object_get(c, "video_id");
    const char *video;
    int64_t off = -1;
    bool has_off;
    enum err rc;

    if (vid == NULL || json_is_null(vid) ||
        (json_is_string(vid) && json_string_length(vid) == 0))
        return ERR_OK;
    rc = jread_id(&ctx->r, c, "video_id", J_REQUIRED, &video);
    if (rc == ERR_OK && !json_is_null(json_object_get(c, "vod_offset")))
        rc = jread_int(&ctx->r, c, "vod_offset", J_OPTIONAL, 0,
                       MAX_DURATION_S, &off, &has_off);
    if (rc == ERR_OK &&
        batch_link(ctx->batch, PLATFORM_TWITCH, id, "clip_of", video, off) !=
            ERR_OK)
        rc = jread_fail(&ctx->r, "video_id", "out of memory");
    return rc;
}

static enum err clip_one(struct source_ctx *ctx, const json_t *c, size_t i,
                         const char *own)
{
    static const char *const names[] = {"broadcaster_name", "title", "url",
                                        "thumbnail_url"};
    const char *id, *user, *s[4];
    int64_t views, created;
    double dur;
    bool has_dur;
    struct item *it;
    enum err rc;

    rc = entry_begin(ctx, c, "clip", i, &id);
    if (rc == ERR_OK)
        rc = owner_id(ctx, c, "broadcaster_id", &user);
    if (rc == ERR_OK)
        rc = strings(ctx, c, names, s, 4, ITEM_TEXT_MAX);
    if (rc == ERR_OK)
        rc = jread_int(&ctx->r, c, "view_count", J_REQUIRED, 0, INT64_MAX,
                       &views, NULL);
    if (rc == ERR_OK)
        rc = jread_time(&ctx->r, c, "created_at", J_OPTIONAL, &created);
    if (rc == ERR_OK)
        rc = jread_number(&ctx->r, c, "duration", J_OPTIONAL, &dur, &has_dur);
    if (rc == ERR_OK && has_dur && !(dur >= 0 && dur <= 3600))
        rc = jread_fail(&ctx->r, "duration", "not 0 to 3600 seconds");
    if (rc != ERR_OK)
        return rc;
    account(ctx, user, NULL, s[0], own);
    it = batch_item(ctx->batch, PLATFORM_TWITCH, ITEM_CONTENT, id);
    item_set(&it->kind, "clip");
    item_set(&it->account_ext_id, user);
    source_title_from(&it->title, s[1], TITLE_MAX);
    item_set(&it->url, s[2]);
    item_set(&it->thumbnail_url, s[3]);
    if (created != TIME_NONE)
        it->published_at = created;
    if (has_dur)
        it->duration_s = (int64_t)lround(dur);
    rc = metric(ctx, it, M_VIEWS, views);
    return rc == ERR_OK ? clip_link(ctx, c, id) : rc;
}

static enum err parse_clips(const json_t *root, struct source_ctx *ctx)
{
    const char *own = own_user(root, ctx, "broadcaster_id");
    enum err rc = ERR_OK;

    for (size_t i = 0; rc == ERR_OK && i < json_array_size(data_of(root));
         i++)
        rc = clip_one(ctx, json_array_get(data_of(root), i), i, own);
    return rc;
}

const struct source_format twitch_formats[] = {
    {"twitch.error", "Helix or id.twitch.tv error body (status, message)",
     PLATFORM_TWITCH, detect_error, parse_error, NULL, NULL},
    {"twitch.users", "GET /helix/users", PLATFORM_TWITCH, detect_users,
     parse_users, NULL, NULL},
    {"twitch.followers", "GET /helix/channels/followers (total)",
     PLATFORM_TWITCH, detect_followers, parse_followers, NULL, NULL},
    {"twitch.channels", "GET /helix/channels", PLATFORM_TWITCH,
     detect_channels, parse_channels, NULL, NULL},
    {"twitch.streams", "GET /helix/streams (viewer_count)", PLATFORM_TWITCH,
     detect_streams, parse_streams, NULL, NULL},
    {"twitch.videos", "GET /helix/videos (VODs, highlights, uploads)",
     PLATFORM_TWITCH, detect_videos, parse_videos, NULL, NULL},
    {"twitch.clips", "GET /helix/clips", PLATFORM_TWITCH, detect_clips,
     parse_clips, NULL, NULL},
    {NULL, NULL, PLATFORM_TWITCH, NULL, NULL, NULL, NULL},
};
