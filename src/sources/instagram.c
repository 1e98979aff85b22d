/* Instagram Graph API responses: IG User fields, /{ig-user-id}/media
 * pages and IG Media objects, media and user insights (values and
 * total_value styles), the content publishing limit, and error bodies. */
#include <string.h>

#include "core/str.h"
#include "core/timeutil.h"
#include "sources/source.h"

#define TITLE_MAX 100 /* bytes of caption used as a title */

/* ---- what identifies Instagram ---------------------------------------- */

/* Graph API ids of IG users and media are decimal digits. */
static bool ig_id_str(const char *s)
{
    size_t n = s ? strlen(s) : 0;
    if (n == 0 || n > ITEM_ID_MAX)
        return false;
    for (size_t i = 0; i < n; i++)
        if (s[i] < '0' || s[i] > '9')
            return false;
    return true;
}

static bool ig_id(const json_t *v)
{
    return ig_id_str(json_string_value(v));
}

/* IG Media timestamps read "2021-08-13T08:25:28+0000" (offset without a
 * colon); other services' ISO times do not. */
static bool ig_timestamp(const json_t *v)
{
    const char *s = json_string_value(v);
    return s && strlen(s) == 24 && strcmp(s + 19, "+0000") == 0 &&
           s[10] == 'T';
}

/* Does the object m carry a field that the IG Media reference documents
 * and that no other service's list entry has? An id alone is not enough:
 * {"data": [{"id": ...}]} is also a Twitch or Oura page. */
static bool has_media_field(const json_t *m)
{
    static const char *const keys[] = {
        "media_type",     "media_product_type", "permalink",
        "media_url",      "shortcode",          "like_count",
        "comments_count", "caption",            "children",
        "is_comment_enabled", "is_shared_to_feed",
    };
    for (size_t i = 0; i < sizeof keys / sizeof keys[0]; i++)
        if (json_object_get(m, keys[i]))
            return true;
    return ig_timestamp(json_object_get(m, "timestamp"));
}

/* An IG Media entry; one without an id is still claimed, so that the
 * refusal names the missing field. */
static bool is_media(const json_t *m)
{
    const json_t *id = json_object_get(m, "id");
    return json_is_object(m) && has_media_field(m) && (!id || ig_id(id));
}

/* Graph API list responses hold "data" and, on edges, "paging"; nothing
 * else (Twitch adds "pagination", Oura "next_token"). */
static bool graph_list(const json_t *root)
{
    size_t n = json_object_size(root);
    return json_is_array(json_object_get(root, "data")) &&
           (n == 1 || (n == 2 && json_object_get(root, "paging")));
}

/* ---- errors --------------------------------------------------------------- */

/* {"error": {"message", "type", "code": <int>, "error_subcode"?, ...}} */
static bool detect_error(const json_t *root)
{
    const json_t *e = json_object_get(root, "error");
    return json_is_object(e) && json_is_integer(json_object_get(e, "code")) &&
           json_is_string(json_object_get(e, "type"));
}

static enum err parse_error(const json_t *root, struct source_ctx *ctx)
{
    const json_t *e = json_object_get(root, "error");
    const json_t *msg = json_object_get(e, "message");
    const json_t *sub = json_object_get(e, "error_subcode");

    buf_setf(ctx->r.err, "Instagram Graph API error %lld (%s)",
             (long long)json_integer_value(json_object_get(e, "code")),
             json_string_value(json_object_get(e, "type")));
    if (json_is_integer(sub))
        buf_catf(ctx->r.err, " subcode %lld", (long long)json_integer_value(sub));
    buf_catf(ctx->r.err, ": %s",
             json_is_string(msg) ? json_string_value(msg) : "no message");
    return ERR_UPSTREAM;
}

/* ---- IG User ---------------------------------------------------------------- */

static bool detect_user(const json_t *root)
{
    return ig_id(json_object_get(root, "id")) &&
           json_object_get(root, "business_discovery") == NULL &&
           json_object_get(root, "data") == NULL &&
           json_object_get(root, "media_type") == NULL &&
           (json_object_get(root, "followers_count") ||
            json_object_get(root, "media_count") ||
            json_object_get(root, "username"));
}

static enum err user_counts(struct source_ctx *ctx, const json_t *root,
                            struct item *u)
{
    static const char *const map[][2] = {
        {"followers_count", M_FOLLOWERS},
        {"follows_count", "ig.follows_count"},
        {"media_count", "ig.media_count"},
    };
    struct snapshot *snap = NULL;
    enum err rc = ERR_OK;

    for (size_t k = 0; k < 3 && rc == ERR_OK; k++) {
        int64_t v;
        bool present;
        rc = jread_int(&ctx->r, root, map[k][0], J_OPTIONAL, 0, INT64_MAX, &v,
                       &present);
        if (rc != ERR_OK || !present)
            continue;
        if (snap == NULL)
            snap = item_snapshot_at(u, ctx->observed_at);
        rc = source_metric_i64(ctx, snap, map[k][1], v);
    }
    return rc;
}

/* An IG User object into the batch; *out (may be NULL) = its item. */
static enum err user_one(const json_t *root, struct source_ctx *ctx,
                         struct item **out)
{
    const char *id, *username, *name, *bio, *pic;
    struct item *u;
    enum err rc = jread_id(&ctx->r, root, "id", J_REQUIRED, &id);

    if (rc != ERR_OK)
        return rc;
    jread_where(&ctx->r, "user \"%s\"", id);
    rc = jread_string(&ctx->r, root, "username", J_OPTIONAL, 256, &username);
    if (rc == ERR_OK)
        rc = jread_string(&ctx->r, root, "name", J_OPTIONAL, ITEM_TEXT_MAX,
                          &name);
    if (rc == ERR_OK)
        rc = jread_string(&ctx->r, root, "biography", J_OPTIONAL,
                          ITEM_TEXT_MAX, &bio);
    if (rc == ERR_OK)
        rc = jread_string(&ctx->r, root, "profile_picture_url", J_OPTIONAL,
                          ITEM_URL_MAX, &pic);
    if (rc != ERR_OK)
        return rc;
    u = batch_item(ctx->batch, PLATFORM_INSTAGRAM, ITEM_ACCOUNT, id);
    if (out)
        *out = u;
    item_set(&u->kind, "user");
    item_set(&u->handle, username);
    item_set(&u->title, name);
    item_set(&u->description, bio);
    item_set(&u->thumbnail_url, pic);
    if (username)
        source_url(&u->url, "https://www.instagram.com/", username, "/");
    return user_counts(ctx, root, u);
}

static enum err parse_user(const json_t *root, struct source_ctx *ctx)
{
    return user_one(root, ctx, NULL);
}

/* ---- media ------------------------------------------------------------------- */

static const char *media_kind(const char *type, const char *product)
{
    if (product && strcmp(product, "REELS") == 0)
        return "reel";
    if (product && strcmp(product, "STORY") == 0)
        return "story";
    if (strcmp(type, "VIDEO") == 0)
        return "video";
    if (strcmp(type, "CAROUSEL_ALBUM") == 0)
        return "carousel";
    return "image";
}

static enum err media_children(struct source_ctx *ctx, const json_t *m)
{
    json_t *kids;
    const char *id;
    enum err rc = jread_array(&ctx->r, m, "children.data", J_OPTIONAL, &kids);
    for (size_t i = 0; rc == ERR_OK && kids && i < json_array_size(kids); i++) {
        if (!json_is_object(json_array_get(kids, i)))
            return jread_fail(&ctx->r, "children.data", "entry %zu is not an "
                              "object", i);
        rc = jread_id(&ctx->r, json_array_get(kids, i), "id", J_REQUIRED, &id);
    }
    return rc;
}

static enum err media_counts(struct source_ctx *ctx, const json_t *m,
                             struct item *it)
{
    struct snapshot *snap = NULL;
    int64_t v;
    bool present;
    enum err rc = jread_int(&ctx->r, m, "like_count", J_OPTIONAL, 0, INT64_MAX,
                            &v, &present);
    if (rc == ERR_OK && present) {
        snap = item_snapshot_at(it, ctx->observed_at);
        rc = source_metric_i64(ctx, snap, M_LIKES, v);
    }
    if (rc == ERR_OK)
        rc = jread_int(&ctx->r, m, "comments_count", J_OPTIONAL, 0, INT64_MAX,
                       &v, &present);
    if (rc == ERR_OK && present) {
        if (snap == NULL)
            snap = item_snapshot_at(it, ctx->observed_at);
        rc = source_metric_i64(ctx, snap, M_COMMENTS, v);
    }
    return rc;
}

static enum err media_fields(struct source_ctx *ctx, const json_t *m,
                             struct item *it)
{
    const char *type, *product, *caption, *link, *thumb, *url, *owner;
    enum err rc = jread_string(&ctx->r, m, "media_type", J_OPTIONAL, 32, &type);

    if (rc == ERR_OK)
        rc = jread_string(&ctx->r, m, "media_product_type", J_OPTIONAL, 32,
                          &product);
    if (rc == ERR_OK)
        rc = jread_string(&ctx->r, m, "caption", J_OPTIONAL, ITEM_TEXT_MAX,
                          &caption);
    if (rc == ERR_OK)
        rc = jread_string(&ctx->r, m, "permalink", J_OPTIONAL, ITEM_URL_MAX,
                          &link);
    if (rc == ERR_OK)
        rc = jread_string(&ctx->r, m, "thumbnail_url", J_OPTIONAL,
                          ITEM_URL_MAX, &thumb);
    if (rc == ERR_OK)
        rc = jread_string(&ctx->r, m, "media_url", J_OPTIONAL, ITEM_URL_MAX,
                          &url);
    if (rc == ERR_OK)
        rc = jread_id(&ctx->r, m, "owner.id", J_OPTIONAL, &owner);
    if (rc == ERR_OK)
        rc = jread_time(&ctx->r, m, "timestamp", J_OPTIONAL, &it->published_at);
    if (rc != ERR_OK)
        return rc;
    item_set(&it->kind, media_kind(type ? type : "IMAGE", product));
    item_set(&it->description, caption);
    item_set(&it->url, link);
    item_set(&it->thumbnail_url,
             thumb ? thumb : (type && strcmp(type, "VIDEO") == 0 ? NULL : url));
    item_set(&it->account_ext_id,
             owner ? owner : ctx->account_hint[PLATFORM_INSTAGRAM]);
    source_title_from(&it->title, caption, TITLE_MAX);
    return ERR_OK;
}

/* One IG Media object into the batch, entry i of the array named list
 * (NULL: a lone object); *out (may be NULL) = its item. */
static enum err media_one(struct source_ctx *ctx, const json_t *m, size_t i,
                          const char *list, struct item **out)
{
    const char *id;
    struct item *it;
    enum err rc;

    if (!json_is_object(m))
        return jread_fail(&ctx->r, NULL, "%s[%zu] is not an object",
                          list ? list : "data", i);
    rc = jread_id(&ctx->r, m, "id", J_REQUIRED, &id);
    if (rc != ERR_OK)
        return rc;
    if (list)
        jread_where(&ctx->r, "%s[%zu] (id \"%s\")", list, i, id);
    else
        jread_where(&ctx->r, "media \"%s\"", id);
    it = batch_item(ctx->batch, PLATFORM_INSTAGRAM, ITEM_CONTENT, id);
    if (out)
        *out = it;
    rc = media_fields(ctx, m, it);
    if (rc == ERR_OK)
        rc = media_children(ctx, m);
    if (rc == ERR_OK)
        rc = media_counts(ctx, m, it);
    return rc;
}

/* Insights entries: {"name", "period", "values" or "total_value", "id"}
 * (the id's form, OBJECT/insights/NAME/PERIOD, is checked by parsing). */
static bool data_is_insights(const json_t *data)
{
    const json_t *first = json_array_get(data, 0);
    return json_is_object(first) && json_object_get(first, "name") &&
           json_object_get(first, "period") &&
           json_object_get(first, "id") &&
           (json_object_get(first, "values") ||
            json_object_get(first, "total_value"));
}

static bool detect_media_page(const json_t *root)
{
    const json_t *data = json_object_get(root, "data");
    const json_t *first = json_array_get(data, 0);
    if (!graph_list(root) || data_is_insights(data))
        return false;
    /* The empty last page is {"data": []}; a page of media has objects
     * with IG Media fields (validation then names what is wrong). */
    return first == NULL || is_media(first);
}

static enum err paging(struct source_ctx *ctx, const json_t *root)
{
    json_t *p;
    const char *s;
    enum err rc = jread_object(&ctx->r, root, "paging", J_OPTIONAL, &p);
    if (rc != ERR_OK || p == NULL)
        return rc;
    rc = jread_string(&ctx->r, p, "cursors.before", J_OPTIONAL, 1024, &s);
    if (rc == ERR_OK)
        rc = jread_string(&ctx->r, p, "cursors.after", J_OPTIONAL, 1024, &s);
    if (rc == ERR_OK)
        rc = jread_string(&ctx->r, p, "next", J_OPTIONAL, ITEM_URL_MAX, &s);
    if (rc == ERR_OK)
        rc = jread_string(&ctx->r, p, "previous", J_OPTIONAL, ITEM_URL_MAX, &s);
    return rc;
}

static enum err parse_media_page(const json_t *root, struct source_ctx *ctx)
{
    const json_t *data = json_object_get(root, "data");
    enum err rc = paging(ctx, root);
    for (size_t i = 0; rc == ERR_OK && i < json_array_size(data); i++) {
        const json_t *m = json_array_get(data, i);
        rc = media_one(ctx, m, i, "data", NULL);
        if (rc == ERR_OK && !has_media_field(m))
            rc = jread_fail(&ctx->r, NULL, "no IG Media field (media_type, "
                            "permalink, timestamp, like_count, ...): not "
                            "an Instagram media entry");
    }
    return rc;
}

static bool detect_media_object(const json_t *root)
{
    return ig_id(json_object_get(root, "id")) &&
           json_is_string(json_object_get(root, "media_type")) &&
           json_object_get(root, "data") == NULL;
}

static enum err parse_media_object(const json_t *root, struct source_ctx *ctx)
{
    return media_one(ctx, root, 0, NULL, NULL);
}

/* ---- business_discovery ------------------------------------------------- */

/* GET /{ig-user-id}?fields=business_discovery.username(NAME){...}:
 * {"business_discovery": {IG User fields, "media": {"data", "paging"},
 *  "id"}, "id": <the asking user's id>}. */
static bool detect_business_discovery(const json_t *root)
{
    size_t n = json_object_size(root);
    return json_is_object(json_object_get(root, "business_discovery")) &&
           (n == 1 || (n == 2 && ig_id(json_object_get(root, "id"))));
}

/* The account's media edge; every entry is that account's. */
static enum err discovery_media(struct source_ctx *ctx, const json_t *bd,
                                struct item *acct)
{
    json_t *media, *data = NULL;
    enum err rc = jread_object(&ctx->r, bd, "media", J_OPTIONAL, &media);

    if (rc == ERR_OK && media)
        rc = jread_array(&ctx->r, media, "data", J_REQUIRED, &data);
    if (rc == ERR_OK && media)
        rc = paging(ctx, media);
    for (size_t i = 0; rc == ERR_OK && data && i < json_array_size(data);
         i++) {
        const json_t *m = json_array_get(data, i);
        struct item *it = NULL;
        rc = media_one(ctx, m, i, "business_discovery.media.data", &it);
        if (rc == ERR_OK && !has_media_field(m))
            rc = jread_fail(&ctx->r, NULL, "no IG Media field (media_type, "
                            "permalink, timestamp, like_count, ...)");
        if (rc == ERR_OK) {
            item_set(&it->account_ext_id, acct->ext_id);
            it->tracked = acct->tracked;
        }
    }
    return rc;
}

static enum err parse_business_discovery(const json_t *root,
                                         struct source_ctx *ctx)
{
    const json_t *bd = json_object_get(root, "business_discovery");
    const char *asker = json_string_value(json_object_get(root, "id"));
    struct item *acct = NULL;
    enum err rc;

    jread_where(&ctx->r, "business_discovery");
    rc = user_one(bd, ctx, &acct);
    if (rc != ERR_OK)
        return rc;
    /* Someone else's account by definition, unless the asking account
     * looked itself up. */
    acct->tracked = asker == NULL || strcmp(asker, acct->ext_id) != 0;
    jread_where(&ctx->r, "business_discovery.media of \"%s\"", acct->ext_id);
    return discovery_media(ctx, bd, acct);
}

/* ---- several objects by id ------------------------------------------------ */

/* GET /?ids=A,B&fields=...: {"A": {"id": "A", ...}, "B": {...}}, every
 * value an IG Media (or IG User) object whose id is its key. */
static bool detect_by_ids(const json_t *root)
{
    const char *key;
    json_t *v;
    bool first = true, ok = json_object_size(root) > 0;

    /* Every key an IG id; the first value checked whole (parsing then
     * names any later value that does not fit). */
    json_object_foreach ((json_t *)root, key, v) {
        const char *id = json_string_value(json_object_get(v, "id"));
        if (!ok)
            break;
        ok = ig_id_str(key);
        if (ok && first)
            ok = json_is_object(v) && id && strcmp(id, key) == 0 &&
                 ig_id(json_object_get(v, "id")) &&
                 (has_media_field(v) || detect_user(v));
        first = false;
    }
    return ok;
}

static enum err parse_by_ids(const json_t *root, struct source_ctx *ctx)
{
    const char *key;
    json_t *v;
    enum err rc = ERR_OK;

    json_object_foreach ((json_t *)root, key, v) {
        if (rc != ERR_OK)
            break;
        if (!json_is_object(v) || !ig_id(json_object_get(v, "id")) ||
            strcmp(json_string_value(json_object_get(v, "id")), key) != 0) {
            jread_where(&ctx->r, "ids lookup");
            rc = jread_fail(&ctx->r, NULL, "\"%.40s\" is not an object "
                            "whose id is \"%.40s\"", key, key);
        } else if (detect_user(v)) {
            rc = user_one(v, ctx, NULL);
        } else if (!has_media_field(v)) {
            jread_where(&ctx->r, "media \"%s\"", key);
            rc = jread_fail(&ctx->r, NULL, "neither IG Media fields "
                            "(media_type, permalink, timestamp, ...) nor "
                            "IG User fields");
        } else {
            rc = media_one(ctx, v, 0, NULL, NULL);
        }
    }
    return rc;
}

/* ---- insights ------------------------------------------------------------------ */

static bool detect_insights(const json_t *root)
{
    return graph_list(root) && data_is_insights(json_object_get(root, "data"));
}

/* Periods of user insights; media insights are "lifetime" only. */
static bool user_period(const char *p)
{
    return strcmp(p, "day") == 0 || strcmp(p, "week") == 0 ||
           strcmp(p, "days_28") == 0;
}

static bool is_user_insights(const json_t *data)
{
    for (size_t i = 0; i < json_array_size(data); i++) {
        const json_t *e = json_array_get(data, i);
        const json_t *p = json_object_get(e, "period");
        const json_t *v = json_array_get(json_object_get(e, "values"), 0);
        if ((json_is_string(p) && user_period(json_string_value(p))) ||
            json_object_get(v, "end_time"))
            return true;
    }
    return false;
}

/* The object an entry describes: the part of its id before
 * "/insights/". All entries must agree. */
static enum err insights_owner(struct source_ctx *ctx, const json_t *e,
                               struct buf *owner)
{
    const char *id, *cut;
    enum err rc = jread_string(&ctx->r, e, "id", J_REQUIRED, 512, &id);

    if (rc != ERR_OK)
        return rc;
    cut = strstr(id, "/insights/");
    if (cut == NULL || cut == id || (size_t)(cut - id) > ITEM_ID_MAX)
        return jread_fail(&ctx->r, "id", "\"%.80s\" is not OBJECT/insights/"
                          "NAME/PERIOD", id);
    if (owner->len == 0)
        return buf_append(owner, id, (size_t)(cut - id)) == ERR_OK
                   ? ERR_OK
                   : jread_fail(&ctx->r, "id", "too long");
    if (owner->len != (size_t)(cut - id) ||
        memcmp(owner->data, id, owner->len) != 0)
        return jread_fail(&ctx->r, "id", "entries describe different objects "
                          "(%s and %.*s)", buf_cstr(owner), (int)(cut - id),
                          id);
    return ERR_OK;
}

/* A value: an integer is stored; an object (a breakdown such as
 * audience_city) is skipped; anything else is an error. */
static enum err insight_value(struct source_ctx *ctx, const json_t *v,
                              const char *field, bool *use, int64_t *out)
{
    *use = false;
    if (v == NULL)
        return jread_fail(&ctx->r, field, "value missing");
    if (json_is_object(v))
        return ERR_OK;
    if (json_is_real(v) && json_real_value(v) > -9e15 &&
        json_real_value(v) < 9e15 &&
        json_real_value(v) == (double)(int64_t)json_real_value(v)) {
        *out = (int64_t)json_real_value(v);
        *use = true;
        return ERR_OK;
    }
    if (!json_is_integer(v))
        return jread_fail(&ctx->r, field, "expected an integer, got %s",
                          jread_type_name(v));
    *out = json_integer_value(v);
    *use = true;
    return ERR_OK;
}

/* Canonical names for media metrics; the rest keep Instagram's. */
static void media_metric_name(const char *name, struct buf *out)
{
    static const char *const canon[][2] = {
        {"impressions", M_IMPRESSIONS}, {"reach", M_REACH},
        {"saved", M_SAVES},             {"views", M_VIEWS},
        {"likes", M_LIKES},             {"comments", M_COMMENTS},
        {"shares", M_SHARES},
    };
    buf_reset(out);
    for (size_t i = 0; i < sizeof canon / sizeof canon[0]; i++)
        if (strcmp(name, canon[i][0]) == 0) {
            buf_catf(out, "%s", canon[i][1]);
            return;
        }
    buf_catf(out, "ig.%s", name);
}

static enum err media_insight(struct source_ctx *ctx, const json_t *e,
                              const char *name, struct item *it)
{
    const json_t *v = json_object_get(json_object_get(e, "total_value"),
                                      "value");
    struct buf metric;
    int64_t n = 0;
    bool use;
    enum err rc;

    if (v == NULL) {
        json_t *vals;
        rc = jread_array(&ctx->r, e, "values", J_REQUIRED, &vals);
        if (rc != ERR_OK)
            return rc;
        v = json_object_get(json_array_get(vals, 0), "value");
        if (v == NULL)
            return jread_fail(&ctx->r, "values", "no value");
    }
    rc = insight_value(ctx, v, name, &use, &n);
    if (rc != ERR_OK || !use)
        return rc;
    buf_init(&metric, METRIC_NAME_MAX + 8);
    media_metric_name(name, &metric);
    rc = source_metric_i64(ctx, item_snapshot_at(it, ctx->observed_at),
                           buf_cstr(&metric), n);
    buf_free(&metric);
    return rc;
}

/* User insights: one snapshot per end_time, "ig.<period>.<name>"; the
 * total_value style has no end_time: "ig.total.<name>" now. */
static enum err user_insight(struct source_ctx *ctx, const json_t *e,
                             const char *name, const char *period,
                             struct item *it)
{
    const json_t *tv = json_object_get(e, "total_value");
    struct buf metric;
    json_t *vals = NULL;
    enum err rc = ERR_OK;
    int64_t n;
    bool use;

    buf_init(&metric, METRIC_NAME_MAX + 16);
    if (tv != NULL) {
        rc = insight_value(ctx, json_object_get(tv, "value"), name, &use, &n);
        buf_catf(&metric, "ig.total.%s", name);
        if (rc == ERR_OK && use)
            rc = source_metric_i64(ctx, item_snapshot_at(it, ctx->observed_at),
                                   buf_cstr(&metric), n);
        goto out;
    }
    buf_catf(&metric, "ig.%s.%s", period, name);
    rc = jread_array(&ctx->r, e, "values", J_REQUIRED, &vals);
    for (size_t i = 0; rc == ERR_OK && i < json_array_size(vals); i++) {
        const json_t *v = json_array_get(vals, i);
        int64_t at;
        rc = jread_time(&ctx->r, v, "end_time", J_REQUIRED, &at);
        if (rc == ERR_OK)
            rc = insight_value(ctx, json_object_get(v, "value"), name, &use,
                               &n);
        if (rc == ERR_OK && use)
            rc = source_metric_i64(ctx, item_snapshot_at(it, at),
                                   buf_cstr(&metric), n);
    }
out:
    buf_free(&metric);
    return rc;
}

static enum err parse_insights(const json_t *root, struct source_ctx *ctx)
{
    const json_t *data = json_object_get(root, "data");
    bool user = is_user_insights(data);
    struct buf owner;
    struct item *it = NULL;
    enum err rc = paging(ctx, root);

    buf_init(&owner, ITEM_ID_MAX + 1);
    for (size_t i = 0; rc == ERR_OK && i < json_array_size(data); i++) {
        const json_t *e = json_array_get(data, i);
        const char *name, *period;
        jread_where(&ctx->r, "data[%zu]", i);
        rc = jread_string(&ctx->r, e, "name", J_REQUIRED, METRIC_NAME_MAX - 16,
                          &name);
        if (rc == ERR_OK)
            rc = jread_string(&ctx->r, e, "period", J_REQUIRED, 32, &period);
        if (rc == ERR_OK && !metric_name_valid(name))
            rc = jread_fail(&ctx->r, "name", "invalid metric name");
        if (rc == ERR_OK && !metric_name_valid(period))
            rc = jread_fail(&ctx->r, "period", "invalid period");
        if (rc == ERR_OK)
            rc = insights_owner(ctx, e, &owner);
        if (rc != ERR_OK)
            break;
        jread_where(&ctx->r, "data[%zu] (%s of \"%s\")", i, name,
                    buf_cstr(&owner));
        it = batch_item(ctx->batch, PLATFORM_INSTAGRAM,
                        user ? ITEM_ACCOUNT : ITEM_CONTENT, buf_cstr(&owner));
        rc = user ? user_insight(ctx, e, name, period, it)
                  : media_insight(ctx, e, name, it);
    }
    buf_free(&owner);
    return rc;
}

/* ---- content publishing limit -------------------------------------------- */

static bool detect_publishing_limit(const json_t *root)
{
    const json_t *first = json_array_get(json_object_get(root, "data"), 0);
    return json_is_object(first) && json_object_get(first, "config") &&
           json_object_get(first, "quota_usage");
}

/* Validated and accepted; it names no account and holds no metrics. */
static enum err parse_publishing_limit(const json_t *root,
                                       struct source_ctx *ctx)
{
    const json_t *first = json_array_get(json_object_get(root, "data"), 0);
    int64_t v;
    jread_where(&ctx->r, "data[0]");
    enum err rc = jread_int(&ctx->r, first, "quota_usage", J_REQUIRED, 0,
                            INT64_MAX, &v, NULL);
    if (rc == ERR_OK)
        rc = jread_int(&ctx->r, first, "config.quota_total", J_OPTIONAL, 0,
                       INT64_MAX, &v, NULL);
    if (rc == ERR_OK)
        rc = jread_int(&ctx->r, first, "config.quota_duration", J_OPTIONAL, 0,
                       INT64_MAX, &v, NULL);
    return rc;
}

const struct source_format instagram_formats[] = {
    {"instagram.error", "Graph API error body", PLATFORM_INSTAGRAM,
     detect_error, parse_error, NULL, NULL},
    {"instagram.content_publishing_limit", "content_publishing_limit",
     PLATFORM_INSTAGRAM, detect_publishing_limit, parse_publishing_limit,
     NULL, NULL},
    {"instagram.insights", "media or user insights (values, total_value)",
     PLATFORM_INSTAGRAM, detect_insights, parse_insights, NULL, NULL},
    {"instagram.media", "/{ig-user-id}/media page", PLATFORM_INSTAGRAM,
     detect_media_page, parse_media_page, NULL, NULL},
    {"instagram.media.object", "one IG Media object", PLATFORM_INSTAGRAM,
     detect_media_object, parse_media_object, NULL, NULL},
    {"instagram.business_discovery",
     "business_discovery of another account (stored as tracked)",
     PLATFORM_INSTAGRAM, detect_business_discovery, parse_business_discovery,
     NULL, NULL},
    {"instagram.ids", "GET /?ids=A,B: IG Media or IG User objects by id",
     PLATFORM_INSTAGRAM, detect_by_ids, parse_by_ids, NULL, NULL},
    {"instagram.user", "IG User fields (followers_count, media_count)",
     PLATFORM_INSTAGRAM, detect_user, parse_user, NULL, NULL},
    {NULL, NULL, PLATFORM_INSTAGRAM, NULL, NULL, NULL, NULL},
};
